#!/usr/bin/env node
// Runs the TypeScript sources through tsx's loader, so the CLI needs no build step.
import { register } from 'tsx/esm/api';

register();
// the engine's V8 settings (src/cli/v8-flags.ts), before any engine code runs
const { applyEngineV8Flags } = await import('../src/cli/v8-flags.ts');
try {
  applyEngineV8Flags();
} catch (e) {
  process.stderr.write(`marketsim: ${e.message}\n`);
  process.exit(2);
}
const { main } = await import('../src/cli/main.ts');
await main();
