/** End to end through `marketsim lobster` and `marketsim data import | ls | query` on the real files. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, sharedFile } from '../helpers/shared-data.ts';
import { catalog, lobster } from '../../src/index.ts';

const bin = join(repoRoot, 'bin/marketsim.js');
function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: repoRoot, timeout: 120_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const GOOG = 'data/lobster/full-day-gz/GOOG_2012-06-21_34200000_57600000_';

test('marketsim lobster --json on the GOOG level-10 day: the issue figures', async (t) => {
  const m = sharedFile(`${GOOG}message_10.csv.gz`);
  const o = sharedFile(`${GOOG}orderbook_10.csv.gz`);
  if (!m || !o) return t.skip('shared data missing');
  const r = await cli(['lobster', '--messages', m, '--orderbook', o, '--levels', '10', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.rows, 147_915);
  assert.ok(doc.matched >= 141_636);
  assert.equal(doc.mismatched, 0);
  assert.equal(doc.matched + doc.resynced, doc.rows);
  assert.ok(doc.messagesPerSecond > 0);
});

test('data import of LOBSTER, Binance and bar sources; ls, query; replay equals the direct stream', async (t) => {
  const m = sharedFile(`${GOOG}message_1.csv.gz`);
  const bars = sharedFile('data/backtrader/datas/orcl-2014.txt');
  const rec = sharedFile('data/binance/cryptofeed-sample_data/BINANCE.0');
  if (!m || !bars || !rec) return t.skip('shared data missing');
  const dir = join(mkdtempSync(join(tmpdir(), 'marketsim-cat-')), 'cat');
  const imp = await cli(['data', 'import', `lobster:${m}`, `bars:${bars}`, `binance-recording:${rec.replace(/\.0$/, '')}`, '--catalog', dir, '--json']);
  assert.equal(imp.code, 0, imp.stderr);
  const ls = await cli(['data', 'ls', '--catalog', dir, '--json']);
  assert.equal(ls.code, 0, ls.stderr);
  const parts = JSON.parse(ls.stdout) as { symbol: string; type: string; rows: number }[];
  const rows = (sym: string, type: string) => parts.filter((p) => p.symbol === sym && p.type === type).reduce((s, p) => s + p.rows, 0);
  assert.equal(rows('orcl-2014', 'bar'), 252);
  assert.ok(rows('GOOG', 'l3') > 40_000);
  assert.ok(rows('NKNUSDT', 'book-delta') > 0);
  const q = await cli(['data', 'query', '--catalog', dir, 'SELECT count(*) AS n FROM bars', '--json']);
  assert.equal(q.code, 0, q.stderr);
  assert.match(q.stdout, /252/);
  // round trip: the LOBSTER stream replayed from the catalog hashes like the file read directly
  const direct = await catalog.eventStreamHash(lobster.lobsterSource(m));
  const replay = await catalog.eventStreamHash(await catalog.openCatalogSource(dir, { symbols: ['GOOG'] }));
  assert.equal(replay.events, direct.events);
  assert.equal(replay.sha256, direct.sha256);
});

test('run config: a Binance recording replayed with our orders inside the replayed book (replay liquidity, queue model)', async (t) => {
  const rec = sharedFile('data/binance/cryptofeed-sample_data/BINANCE.0');
  if (!rec) return t.skip('shared data missing');
  const { mkdirSync, writeFileSync } = await import('node:fs');
  mkdirSync(join(repoRoot, 'out'), { recursive: true });
  const dir = mkdtempSync(join(repoRoot, 'out', 'test-replay-'));
  writeFileSync(
    join(dir, 'strat.ts'),
    `import { z } from 'zod';
export default {
  name: 'probe',
  params: z.object({}).strict(),
  create: () => {
    let done = false;
    return {
      onBook(ctx: any, book: any) {
        if (done || book.instrument.symbol !== 'NKNUSDT' || !(book.bestAsk() > 0)) return;
        done = true;
        ctx.submit({ symbol: 'NKNUSDT', side: 'BUY', quantity: 100, tag: 'take:' + book.bestAsk() });
        ctx.submit({ symbol: 'NKNUSDT', side: 'BUY', quantity: 100, price: book.bestBid(), tag: 'rest' });
      },
    };
  },
};
`,
  );
  writeFileSync(
    join(dir, 'run.yaml'),
    `seed: 1
data:
  - spec: binance-recording:${rec.replace(/\.0$/, '')}
liquidity: { NKNUSDT: replay }
strategy: { name: ./strat.ts }
account: { cash: 10000, currency: USDT }
venue: { queueModel: { type: prob, func: power, n: 3 } }
`,
  );
  const r = await cli(['run', join(dir, 'run.yaml'), '--json']);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  const take = doc.fills.filter((f: { orderId: number }) => f.orderId === 1);
  assert.ok(take.length >= 1);
  // the market order took the best ask the strategy saw (100 units fit in the top level or walked it)
  const seenAsk = Number(/take:(.*)$/.exec(JSON.stringify(doc.fills))?.[1] ?? NaN) || take[0].price;
  assert.ok(take[0].price >= seenAsk - 1e-12);
  assert.equal(take.reduce((s: number, f: { quantity: number }) => s + f.quantity, 0), 100);
  assert.equal(doc.rejected.length, 0);
  const again = JSON.parse((await cli(['run', join(dir, 'run.yaml'), '--json'])).stdout);
  assert.equal(again.journalHash, doc.journalHash);
});

test('marketsim facts on the real minute file passes all eleven stylized facts; models check passes', async (t) => {
  const f = sharedFile('data/backtrader/datas/2006-01-02-volume-min-001.txt');
  if (!f) return t.skip('shared data missing');
  const r = await cli(['facts', '--data', f, '--session', '09:00-17:30', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.tests.length, 11);
  assert.deepEqual(doc.tests.filter((x: { pass: boolean }) => !x.pass).map((x: { id: number }) => x.id), []);
  const m = await cli(['models', 'check', '--json']);
  assert.equal(m.code, 0, m.stderr);
  const md = JSON.parse(m.stdout);
  assert.ok(md.pass && md.maxAbsZ < 3);
  assert.deepEqual(md.models.map((x: { model: string }) => x.model), ['gbm', 'heston', 'merton', 'bates']);
});
