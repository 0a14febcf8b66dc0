/** End-to-end through the real `marketsim` command (bin/marketsim.js), as a user runs it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, sharedFile } from '../helpers/shared-data.ts';

const bin = join(repoRoot, 'bin/marketsim.js');

function cli(args: string[], cwd = repoRoot): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd, timeout: 60_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const tmp = () => mkdtempSync(join(tmpdir(), 'marketsim-cli-'));
/** A temporary folder inside the repository (ignored by git), so a user module there resolves our node_modules (zod). */
const tmpInRepo = () => {
  mkdirSync(join(repoRoot, 'out'), { recursive: true });
  return mkdtempSync(join(repoRoot, 'out', 'test-cli-'));
};

test('backtest --json prints exactly one JSON document with the contract fields, equal to backtrader', async (t) => {
  const data = sharedFile('data/backtrader/datas/orcl-2014.txt');
  if (!data) return t.skip('shared data missing');
  const out = tmp();
  const r = await cli(['backtest', '--data', data, '--strategy', 'sma-crossover', '--param', 'sizing=all-in', '--cash', '100000', '--json', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  for (const k of ['finalValue', 'cash', 'positions', 'fills', 'rejected', 'stats', 'journalHash']) assert.ok(k in doc, `missing ${k}`);
  assert.ok(Math.abs(doc.finalValue - 114946.27303) < 1e-6 * 114946);
  assert.deepEqual(doc.fills[0], { time: '2014-02-20T00:00:00.000Z', symbol: 'orcl-2014', side: 'BUY', price: 37.84, quantity: 2640, fee: 0, orderId: 1 });
  assert.deepEqual(
    doc.rejected.map((x: { time: string; side: string; quantity: number; reason: string }) => [x.time, x.side, x.quantity, x.reason]),
    [['2014-03-31T00:00:00.000Z', 'BUY', 2503, 'INSUFFICIENT_FUNDS']],
  );
  assert.deepEqual(doc.positions, { 'orcl-2014': 2552 });
  assert.match(doc.journalHash, /^[0-9a-f]{64}$/);
  for (const f of ['fills.csv', 'orders.csv', 'equity.csv', 'summary.json']) assert.ok(existsSync(join(out, f)), f);
  assert.equal(readFileSync(join(out, 'fills.csv'), 'utf8').trim().split('\n').length, 1 + doc.fills.length);
  assert.equal(readFileSync(join(out, 'orders.csv'), 'utf8').trim().split('\n').length, 1 + 6);
  assert.deepEqual(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).journalHash, doc.journalHash);
  // the same run twice gives the same hash
  const again = JSON.parse((await cli(['backtest', '--data', data, '--strategy', 'sma-crossover', '--param', 'sizing=all-in', '--json'])).stdout);
  assert.equal(again.journalHash, doc.journalHash);
});

test('run <config.yaml> with a user strategy module and synthetic data', async () => {
  const dir = tmpInRepo();
  writeFileSync(
    join(dir, 'strat.ts'),
    `import { z } from 'zod';
export default {
  name: 'every-third',
  params: z.object({ qty: z.coerce.number().int().positive() }).strict(),
  create: (p: { qty: number }) => {
    let n = 0;
    return { onBar(ctx: any, bar: any) { if (++n % 3 === 0) ctx.submit({ symbol: bar.instrument.symbol, side: n % 2 ? 'BUY' : 'SELL', quantity: p.qty }); } };
  },
};
`,
  );
  writeFileSync(
    join(dir, 'run.yaml'),
    `seed: 3
data:
  - synthetic: gbm
    symbol: SYN
    count: 60
    s0: 100
    sigma: 0.3
strategy: { name: ./strat.ts, params: { qty: 2 } }
account: { kind: margin, cash: 100000 }
output: out
`,
  );
  const r = await cli(['run', join(dir, 'run.yaml'), '--json'], dir);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.fills.length, 19); // bars 3, 6, ..., 57 fill at the next open; bar 60's order is left unfilled
  assert.ok(existsSync(join(dir, 'out', 'summary.json')));
});

test('config errors name every bad path; unknown keys are errors', async () => {
  const dir = tmp();
  writeFileSync(
    join(dir, 'bad.yaml'),
    `data:
  - synthetic: gbm
    symbol: S
    count: -5
    s0: 100
    sigma: 0.2
strategy: { name: sma-crossover, params: { fast: -3 } }
account: { cash: 100, bogus: 1 }
`,
  );
  const r = await cli(['run', join(dir, 'bad.yaml')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /data\.0\.count/);
  assert.match(r.stderr, /account: unknown key "bogus"/);
  writeFileSync(join(dir, 'bad2.yaml'), `data: [{ synthetic: gbm, symbol: S, count: 5, s0: 1, sigma: 0.1 }]\nstrategy: { name: sma-crossover, params: { fast: -3, slow: x } }\n`);
  const r2 = await cli(['run', join(dir, 'bad2.yaml')]);
  assert.equal(r2.code, 1);
  assert.match(r2.stderr, /strategy\.params\.fast: /);
  assert.match(r2.stderr, /strategy\.params\.slow: /);
});

test('bad data gives file:line and field, a non-zero exit and no stdout document', async () => {
  const dir = tmp();
  const f = join(dir, 'bars.csv');
  writeFileSync(f, 'Date,Open,High,Low,Close,Volume\n2024-01-02,10,11,9,10.5,100\n2024-01-03,10,11,9,abc,100\n');
  const r = await cli(['backtest', '--data', f, '--strategy', 'buy-and-hold', '--json']);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /bars\.csv:3/);
  assert.match(r.stderr, /close/i);
  const g = join(dir, 'order.csv');
  writeFileSync(g, 'Date,Open,High,Low,Close,Volume\n2024-01-03,10,11,9,10.5,100\n2024-01-02,10,11,9,10,100\n');
  const r2 = await cli(['backtest', '--data', g, '--strategy', 'buy-and-hold']);
  assert.equal(r2.code, 1);
  assert.match(r2.stderr, /order\.csv:3/);
});

test('unknown strategy names and bad flags fail clearly', async () => {
  const r = await cli(['backtest', '--data', 'x.csv', '--strategy', 'nope']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /unknown strategy "nope"/);
  const r2 = await cli(['backtest', '--data', 'x.csv', '--strategy', 'sma-crossover', '--cash', 'lots']);
  assert.notEqual(r2.code, 0);
  assert.match(r2.stderr, /--cash/);
  const r3 = await cli(['backtest', '--data', '/nonexistent/file.csv', '--strategy', 'sma-crossover']);
  assert.equal(r3.code, 1);
  assert.match(r3.stderr, /nonexistent\/file\.csv/);
});

test("the README's first strategy runs as written (imports from 'marketsim')", async (t) => {
  const data = sharedFile('data/backtrader/datas/orcl-2014.txt');
  if (!data) return t.skip('shared data missing');
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const code = /```ts\n(\/\/ my-strategy\.ts[\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(code, 'README has the first-strategy block');
  const dir = tmpInRepo();
  writeFileSync(join(dir, 'my-strategy.ts'), code);
  const r = await cli(['backtest', '--data', data, '--strategy', join(dir, 'my-strategy.ts'), '--json']);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.ok(doc.fills.length > 2);
  assert.equal(doc.fills[0].side, 'BUY');
  assert.equal(doc.fills[0].quantity, 10);
});
