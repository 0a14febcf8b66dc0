/** Loading user strategy modules: one load per file (a sweep runs many), a fresh load when the file changes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadStrategyDefinition } from '../../src/sim/strategy-loader.ts';
import { repoRoot } from '../helpers/shared-data.ts';

/** A strategy module whose description is `label` (in the repository's out/, so it resolves zod). */
function moduleText(label: string): string {
  return [
    "import { z } from 'zod';",
    `import { defineStrategy } from '${join(repoRoot, 'src/index.ts')}';`,
    `export default defineStrategy({ name: 'probe', description: '${label}', params: z.object({}), create: () => ({}) });`,
    '',
  ].join('\n');
}

test('a user .ts strategy is loaded once per file, and again after the file changes', async () => {
  mkdirSync(join(repoRoot, 'out'), { recursive: true });
  const dir = mkdtempSync(join(repoRoot, 'out', 'test-loader-'));
  const file = join(dir, 'probe.ts');
  writeFileSync(file, moduleText('first'));
  utimesSync(file, 1_700_000_000, 1_700_000_000);
  const a = await loadStrategyDefinition(file);
  const b = await loadStrategyDefinition('probe.ts', dir);
  assert.equal(a.description, 'first');
  // the same definition object: the module (and the engine copy it imports) was not loaded again
  assert.equal(b, a);
  writeFileSync(file, moduleText('second'));
  utimesSync(file, 1_700_000_100, 1_700_000_100);
  const c = await loadStrategyDefinition(file);
  assert.equal(c.description, 'second');
  assert.notEqual(c, a);
  assert.equal(await loadStrategyDefinition(file), c);
});
