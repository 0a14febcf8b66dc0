import { setFlagsFromString } from 'node:v8';

/**
 * The V8 settings the engine runs with: a larger budget for inlining (V8's default is 920 bytes of
 * bytecode per optimized function). The engine's hot path is a chain of small methods (source,
 * event loop, venue, account, strategy, indicators); with the default budget V8 stops inlining
 * part-way along it and pays a call (and a boxed double for each number returned) per bar. With it,
 * the whole backtest of the minute file runs about 10% faster (docs/ARCHITECTURE.md, "Speed").
 *
 * `marketsim` (and so `npm start`, sweeps and workers) and `npm run bench` set these before any
 * engine code runs; a library user gets the same by starting node with them
 * (`node --max-inlined-bytecode-size-cumulative=6000 app.js`). `MARKETSIM_V8_FLAGS` replaces the
 * list (space-separated; empty for V8's defaults).
 */
export const ENGINE_V8_FLAGS: readonly string[] = ['--max-inlined-bytecode-size-cumulative=6000'];

/**
 * The flags in force: `MARKETSIM_V8_FLAGS` when set, else `ENGINE_V8_FLAGS`. Throws a `RangeError`
 * naming the variable for a word that is not a `--flag`.
 */
export function engineV8Flags(env: NodeJS.ProcessEnv = process.env): string[] {
  const custom = env.MARKETSIM_V8_FLAGS;
  if (custom === undefined) return [...ENGINE_V8_FLAGS];
  const flags = custom.split(/\s+/).filter((f) => f.length > 0);
  const bad = flags.find((f) => !/^--[a-z0-9][a-z0-9_-]*(=\S+)?$/i.test(f));
  if (bad !== undefined) throw new RangeError(`MARKETSIM_V8_FLAGS: expected V8 flags such as --max-inlined-bytecode-size-cumulative=6000, got '${bad}'`);
  return flags;
}

/**
 * Sets the engine's V8 flags on this process. Call it first thing, before the engine's code gets
 * hot: V8 reads the inlining budget when it optimizes a function, so code optimized earlier keeps
 * its old shape until it is optimized again.
 */
export function applyEngineV8Flags(env: NodeJS.ProcessEnv = process.env): string[] {
  const flags = engineV8Flags(env);
  for (const f of flags) setFlagsFromString(f);
  return flags;
}
