/**
 * The optimistic scan of a fused bar load (bar-direct-scan.ts): when the first row's precision holds
 * for the whole file the bars come straight from the scan; when it does not (more decimals later, a
 * bad row, a last line without a newline, a registry whose instrument has another grid) the load
 * falls back, with exactly the reference path's bars, precision, stats and errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InstrumentRegistry } from '../../src/market/instrument.ts';
import { SourceState } from '../../src/market/market-data.ts';
import { loadBarsCsv, type BarCsvOptions } from '../../src/data/bar-csv.ts';
import { barFastPathRows } from '../../src/data/bar-bytes.ts';
import { newLoadStats } from '../../src/data/csv-table.ts';
import { tmpFile } from './helpers.ts';

const HDR = 'Date,Open,High,Low,Close,Volume\n';
/** Minute rows in time order. */
const rows = (n: number, px: (i: number) => string, vol?: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => `${new Date(Date.UTC(2021, 2, 1) + i * 60_000).toISOString().slice(0, 19)},${px(i)},${px(i)},${px(i)},${px(i)},${vol ? vol(i) : 100 + i}`);

interface Loaded {
  precision: string;
  bars: number[][];
  stats: string;
  error: string;
  batchesSeen: number[];
  fast: number;
}

async function load(path: string, options: BarCsvOptions): Promise<Loaded> {
  const stats = newLoadStats();
  const before = barFastPathRows();
  const out: Loaded = { precision: '', bars: [], stats: '', error: '', batchesSeen: [], fast: 0 };
  try {
    const { source, instrument } = await loadBarsCsv(path, { ...options, stats });
    out.precision = `${instrument.pricePrecision}/${instrument.sizePrecision}`;
    for (;;) {
      const s = source.advance();
      if (s === SourceState.Ready) {
        const c = source.current;
        out.bars.push([c.time, c.open, c.high, c.low, c.close, c.volume]);
      } else if (s === SourceState.Wait) {
        await source.refill();
        out.batchesSeen.push(stats.rowsRead);
      } else break;
    }
  } catch (err) {
    out.error = (err as Error).message;
  }
  out.stats = JSON.stringify({ read: stats.rowsRead, skipped: stats.rowsSkipped, errors: stats.errors.map((e) => e.message) });
  out.fast = barFastPathRows() - before;
  return out;
}

/** The same load through the reference text path must give the same result (fast-row counts aside). */
async function same(path: string, options: BarCsvOptions = {}): Promise<Loaded> {
  const fast = await load(path, options);
  const ref = await load(path, { ...options, fastPath: false });
  assert.deepEqual({ ...fast, fast: 0 }, { ...ref, fast: 0 });
  return fast;
}

test('a file whose prices all have the first row\'s decimals comes straight from the scan, in per-chunk batches', async () => {
  const p = tmpFile('direct-ok.csv', HDR + rows(3000, (i) => (100 + i / 100).toFixed(2)).join('\n') + '\n');
  const got = await same(p, { highWaterMark: 8192 });
  assert.equal(got.precision, '2/0');
  assert.equal(got.bars.length, 3000);
  assert.equal(got.fast, 3000, 'every row, the first included, through the fast path');
  assert.ok(got.batchesSeen.length > 5, 'several batches, as the parse makes them');
  for (let i = 1; i < got.batchesSeen.length; i++) assert.ok(got.batchesSeen[i]! >= got.batchesSeen[i - 1]!, 'stats grow batch by batch');
  // fewer decimals later is no problem: the first row's were the most
  const q = tmpFile('direct-fewer.csv', HDR + rows(500, (i) => (i === 0 ? '10.125' : (10 + i / 10).toFixed(1))).join('\n') + '\n');
  const fewer = await same(q);
  assert.equal(fewer.precision, '3/0');
  assert.equal(fewer.fast, 500);
});

test('more decimals after the first row: the guess fails and the recording scan takes over, exactly', async () => {
  for (const at of [1, 250, 2999]) {
    const p = tmpFile(`direct-more-${at}.csv`, HDR + rows(3000, (i) => (i === at ? '100.125' : (100 + i / 100).toFixed(2))).join('\n') + '\n');
    const got = await same(p, { highWaterMark: 8192 });
    assert.equal(got.precision, '3/0', `row ${at}`);
    assert.equal(got.bars.length, 3000);
    assert.equal(got.fast, 2999, 'the first row through the reference path, as before the guess');
  }
  // the volume's precision too
  const v = tmpFile('direct-more-vol.csv', HDR + rows(400, (i) => (5 + i / 100).toFixed(2), (i) => (i === 300 ? '7.5' : `${i + 1}`)).join('\n') + '\n');
  assert.equal((await same(v)).precision, '2/1');
});

test('a bad row, skipped or thrown, and a last line without a newline: the fallback reports them as the reference path does', async () => {
  const good = rows(600, (i) => (50 + i / 100).toFixed(2));
  const bad = [...good];
  bad[400] = bad[400]!.replace(/,([0-9.]+),/, ',abc,');
  const p = tmpFile('direct-bad.csv', HDR + bad.join('\n') + '\n');
  const thrown = await same(p);
  assert.match(thrown.error, /:402 field open/);
  const skipped = await same(p, { onError: 'skip' });
  assert.equal(skipped.bars.length, 599);
  assert.match(skipped.stats, /"skipped":1/);
  const back = [...good];
  back[300] = good[200]!; // time goes back
  assert.match((await same(tmpFile('direct-back.csv', HDR + back.join('\n') + '\n'))).error, /:302 .*back in time|:302 /);
  const noNewline = await same(tmpFile('direct-nonl.csv', HDR + good.join('\n')));
  assert.equal(noNewline.bars.length, 600);
});

test('a registry that already has the symbol on another grid: the bars are parsed for that instrument', async () => {
  const p = tmpFile('REUSED.csv', HDR + rows(300, (i) => (20 + i / 100).toFixed(2)).join('\n') + '\n');
  /** The file loaded both ways, each with a registry that already holds REUSED at `precision`. */
  const bothWays = async (precision: number) => {
    const registry = () => {
      const r = new InstrumentRegistry();
      r.add({ symbol: 'REUSED', pricePrecision: precision });
      return r;
    };
    return [await load(p, { registry: registry() }), await load(p, { registry: registry(), fastPath: false })] as const;
  };
  const [a, b] = await bothWays(4);
  assert.deepEqual({ ...a, fast: 0 }, { ...b, fast: 0 });
  assert.equal(a.precision, '4/0');
  assert.equal(a.bars.length, 300);
  // a coarser existing grid makes the two-decimal prices errors, as the reference path says
  const [c, d] = await bothWays(1);
  assert.equal(c.error, d.error);
  assert.notEqual(c.error, '');
});
