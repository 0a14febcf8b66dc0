import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { runModelsCheck } from '../../src/data/synthetic/models-check.ts';
import { registerModelsCommand } from '../../src/cli/models-command.ts';
import type { ModelsCheckResult } from '../../src/data/synthetic/models-check.ts';

test('models check: Monte Carlo agrees with every closed form, |z| < 3 on every row', () => {
  const r = runModelsCheck({ seed: 1 });
  assert.deepEqual(r.models.map((m) => m.model), ['gbm', 'heston', 'merton', 'bates']);
  const heston = r.models[1]!.params as { kappa: number; theta: number; sigma: number; rho: number; v0: number };
  assert.deepEqual([heston.kappa, heston.theta, heston.sigma, heston.rho, heston.v0], [1.15, 0.04, 0.39, -0.64, 0.04]);
  for (const m of r.models) {
    assert.equal(m.rows.length, 2 * 5 * 2, m.model);
    assert.deepEqual([...new Set(m.rows.map((x) => x.strike))], [80, 90, 100, 110, 120]);
    assert.deepEqual([...new Set(m.rows.map((x) => x.maturity))], [0.25, 1]);
    for (const x of m.rows) {
      assert.ok(x.se > 0 && x.se < 0.05, `${m.model} se ${x.se}`);
      assert.ok(Math.abs(x.z) < 3, `${m.model} T=${x.maturity} K=${x.strike} ${x.type}: mc ${x.mc} analytic ${x.analytic} z ${x.z}`);
      assert.ok(Math.abs(x.z - (x.mc - x.analytic) / x.se) < 1e-12);
    }
  }
  assert.equal(r.pass, true);
  assert.ok(r.maxAbsZ < 3);
});

test('marketsim models check --json prints the documented document', async () => {
  let out = '';
  const program = new Command().exitOverride();
  registerModelsCommand(program, (t) => (out += t));
  await program.parseAsync(['node', 'marketsim', 'models', 'check', '--json', '--paths', '2000', '--seed', '3']);
  const doc = JSON.parse(out) as ModelsCheckResult;
  assert.equal(doc.models.length, 4);
  assert.deepEqual(Object.keys(doc.models[0]!.rows[0]!).sort(), ['analytic', 'maturity', 'mc', 'se', 'strike', 'type', 'z']);
  assert.equal(typeof doc.pass, 'boolean');
  assert.equal(doc.maxAbsZ, Math.max(...doc.models.flatMap((m) => m.rows.map((x) => Math.abs(x.z)))));
  process.exitCode = 0;
});

test('marketsim models check rejects an odd path count naming the flag', async () => {
  const program = new Command().exitOverride();
  registerModelsCommand(program, () => {});
  await assert.rejects(program.parseAsync(['node', 'marketsim', 'models', 'check', '--paths', '1001']), /--paths: must be even/);
});
