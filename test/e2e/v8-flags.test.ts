/** The engine's V8 flags: the default list, the MARKETSIM_V8_FLAGS override, and its checks (also through the real CLI). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { ENGINE_V8_FLAGS, engineV8Flags } from '../../src/cli/v8-flags.ts';
import { repoRoot } from '../helpers/shared-data.ts';

test('the default flags raise the inlining budget; MARKETSIM_V8_FLAGS replaces them, empty for V8 defaults', () => {
  assert.deepEqual(engineV8Flags({}), ['--max-inlined-bytecode-size-cumulative=6000']);
  assert.deepEqual(engineV8Flags({}), [...ENGINE_V8_FLAGS]);
  assert.deepEqual(engineV8Flags({ MARKETSIM_V8_FLAGS: '' }), []);
  assert.deepEqual(engineV8Flags({ MARKETSIM_V8_FLAGS: '  --max-inlined-bytecode-size-cumulative=3000   --no-lazy-feedback-allocation ' }), [
    '--max-inlined-bytecode-size-cumulative=3000',
    '--no-lazy-feedback-allocation',
  ]);
});

test('a word that is not a --flag is refused with the variable named', () => {
  assert.throws(() => engineV8Flags({ MARKETSIM_V8_FLAGS: '--ok max-inlined=1' }), /MARKETSIM_V8_FLAGS: .*got 'max-inlined=1'/);
  assert.throws(() => engineV8Flags({ MARKETSIM_V8_FLAGS: '--a;rm' }), /got '--a;rm'/);
});

test('the CLI applies the flags before it starts, and reports a bad override instead of running', async () => {
  const run = (env: NodeJS.ProcessEnv) =>
    new Promise<{ code: number; stderr: string; stdout: string }>((resolve) => {
      execFile(process.execPath, [join(repoRoot, 'bin/marketsim.js'), '--help'], { cwd: repoRoot, env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  const ok = await run({ MARKETSIM_V8_FLAGS: '--max-inlined-bytecode-size-cumulative=3000' });
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /Usage: marketsim/);
  const bad = await run({ MARKETSIM_V8_FLAGS: 'inline-more' });
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /MARKETSIM_V8_FLAGS: expected V8 flags .*got 'inline-more'/);
});
