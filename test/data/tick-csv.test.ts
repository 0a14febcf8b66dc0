import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataError } from '../../src/core/errors.ts';
import { Instrument } from '../../src/market/instrument.ts';
import type { QuoteEvent, TradeEvent } from '../../src/market/market-data.ts';
import { loadQuotesCsv, loadTradesCsv, readQuoteBatches, readTradeBatches, type QuoteCsvOptions, type TradeCsvOptions } from '../../src/data/tick-csv.ts';
import { newLoadStats } from '../../src/data/csv-table.ts';
import { backtraderFile, collect, drain, tmpFile } from './helpers.ts';

const inst = new Instrument(0, { symbol: 'T', pricePrecision: 2, sizePrecision: 0 });
const utcUs = (iso: string): number => Date.parse(iso) * 1000;

async function trades(path: string, options: Partial<TradeCsvOptions> = {}): Promise<TradeEvent[]> {
  return collect(readTradeBatches(path, { instrument: inst, ...options }));
}
async function quotes(path: string, options: Partial<QuoteCsvOptions> = {}): Promise<QuoteEvent[]> {
  return collect(readQuoteBatches(path, { instrument: inst, ...options }));
}
async function expectError(p: Promise<unknown>, path: string, line: number, field: string | undefined, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof DataError, String(e));
    assert.equal(e.line, line);
    assert.equal(e.field, field);
    assert.ok(e.message.startsWith(`${path}:${line}`), e.message);
    assert.match(e.message, pattern);
    return true;
  });
}

test('ticksample.csv read as trades through a column map: 135 trades, close as price, volume as size', async (t) => {
  const p = backtraderFile('ticksample.csv');
  if (!p) return t.skip('ticksample.csv missing');
  const { instrument, source } = await loadTradesCsv(p, { columns: { time: 'Datetime', price: 'Close', size: 'Volume' } });
  const all = await drain(source);
  assert.equal(all.length, 135);
  assert.equal(instrument.pricePrecision, 2);
  assert.deepEqual({ ...all[0], instrument: undefined }, { kind: 'trade', time: utcUs('2015-09-23T20:57:42.146Z'), instrument: undefined, price: 3067, size: 180, aggressor: undefined });
  assert.equal(all[1]!.price, 3066);
  assert.equal(all[1]!.size, 2);
  assert.equal(all.at(-1)!.time, utcUs('2015-09-23T21:00:00.238Z'));
  assert.equal(all.at(-1)!.size, 1);
  for (let i = 1; i < all.length; i++) assert.ok(all[i]!.time >= all[i - 1]!.time);
});

test('trades: default header names, aggressor side spellings, exact prices', async () => {
  const p = tmpFile('trades.csv', [
    'timestamp,price,size,side',
    '2024-01-02T14:30:00.000001Z,100.25,10,buy',
    '2024-01-02T14:30:00.000002Z,100.24,5,S',
    '2024-01-02T14:30:00.000002Z,100.26,1,1',
    '2024-01-02T14:30:01Z,100.27,2,-1',
    '2024-01-02T14:30:02Z,100.20,3,',
    '2024-01-02T14:30:03Z,100.21,4, Sell ',
    '2024-01-02T14:30:04Z,100.22,4,bid',
  ].join('\n'));
  const all = await trades(p);
  assert.deepEqual(all.map((x) => x.aggressor), ['BUY', 'SELL', 'BUY', 'SELL', undefined, 'SELL', 'SELL']);
  assert.deepEqual(all.map((x) => x.price), [100.25, 100.24, 100.26, 100.27, 100.2, 100.21, 100.22]);
  assert.equal(all[0]!.time, utcUs('2024-01-02T14:30:00Z') + 1);
  assert.ok(all.every((x) => inst.priceUnits(x.price) === Math.round(x.price * 100)));
});

test('quotes: column map, epoch times, fractional sizes with an inferred instrument', async () => {
  const p = tmpFile('quotes.csv', 'ts,bp,bq,ap,aq\n1704205800000,42000.5,0.125,42001.25,2\n1704205800250,42000.75,1,42001,0.5\n');
  const { instrument, source } = await loadQuotesCsv(p, { columns: { time: 'ts', bid: 'bp', bidSize: 'bq', ask: 'ap', askSize: 'aq' } });
  assert.equal(instrument.pricePrecision, 2);
  assert.equal(instrument.sizePrecision, 3);
  const all = await drain(source);
  assert.deepEqual(all.map((q) => [q.time, q.bidPrice, q.bidSize, q.askPrice, q.askSize]), [
    [1704205800000_000, 42000.5, 0.125, 42001.25, 2],
    [1704205800250_000, 42000.75, 1, 42001, 0.5],
  ]);
});

test('quotes: default names and positions without a header', async () => {
  const named = tmpFile('q-named.csv', 'time,bid_price,bid_size,ask_price,ask_size\n2024-01-02 09:30:00,9.99,100,10.01,200\n');
  assert.deepEqual((await quotes(named)).map((q) => [q.bidPrice, q.bidSize, q.askPrice, q.askSize]), [[9.99, 100, 10.01, 200]]);
  const bare = tmpFile('q-bare.csv', '20240102,9.99,100,10.01,200\n');
  const q = await quotes(bare, { header: false });
  assert.deepEqual(q.map((x) => [x.time, x.bidPrice, x.askSize]), [[utcUs('2024-01-02T00:00:00Z'), 9.99, 200]]);
});

test('crossed or locked quotes are errors unless allowCrossed', async () => {
  const p = tmpFile('crossed.csv', 'time,bid,bidSize,ask,askSize\n2024-01-02,10.00,1,10.01,1\n2024-01-03,10.01,1,10.01,1\n');
  await expectError(quotes(p), p, 3, 'ask', /crossed quote: bid 10.01 >= ask 10.01/);
  assert.equal((await quotes(p, { allowCrossed: true })).length, 2);
});

test('trade and quote errors name file:line and field', async () => {
  const T = 'time,price,size,side\n';
  const f = (name: string, body: string): string => tmpFile(name, T + body);
  let p = f('t-side.csv', '2024-01-02,1,1,up\n');
  await expectError(trades(p), p, 2, 'side', /unknown side 'up'/);
  p = f('t-neg.csv', '2024-01-02,-1,1,\n');
  await expectError(trades(p), p, 2, 'price', /negative price -1/);
  p = f('t-negsz.csv', '2024-01-02,1,-3,\n');
  await expectError(trades(p), p, 2, 'size', /negative size -3/);
  p = f('t-grid.csv', '2024-01-02,1.001,1,\n');
  await expectError(trades(p), p, 2, 'price', /finer than the precision of 2 decimals/);
  p = f('t-lot.csv', '2024-01-02,1,1.5,\n');
  await expectError(trades(p), p, 2, 'size', /finer than the precision of 0 decimals/);
  p = f('t-order.csv', '2024-01-02T10:00:01,1,1,\n2024-01-02T10:00:00,1,1,\n');
  await expectError(trades(p), p, 3, 'time', /out of order/);
  p = f('t-date.csv', '2024-01-02T10:00:01,1,1,\nyesterday,1,1,\n');
  await expectError(trades(p), p, 3, 'time', /unparsable date\/time 'yesterday'/);
  p = f('t-cols.csv', '2024-01-02,1,1\n');
  await expectError(trades(p), p, 2, undefined, /wrong column count: expected 4 fields, found 3/);
  p = tmpFile('q-nan.csv', 'time,bid,bidSize,ask,askSize\n2024-01-02,1,NaN,2,1\n');
  await expectError(quotes(p), p, 2, 'bidSize', /not a finite number/);
  p = tmpFile('q-nocol.csv', 'time,bid,ask\n2024-01-02,1,2\n');
  await expectError(quotes(p), p, 1, 'bidSize', /no bidSize column in header/);
});

test("trades in 'skip' mode count and keep the bad rows", async () => {
  const p = tmpFile('t-skip.csv', 'time,price,size\n2024-01-02,1,1\n2024-01-03,x,1\n2024-01-04,2,2\n2024-01-01,3,3\n');
  const stats = newLoadStats();
  const all = await trades(p, { onError: 'skip', stats });
  assert.deepEqual(all.map((x) => x.price), [1, 2]);
  assert.equal(stats.rowsRead, 4);
  assert.equal(stats.rowsSkipped, 2);
  assert.deepEqual(stats.errors.map((e) => [e.line, e.field]), [[3, 'price'], [5, 'time']]);
});
