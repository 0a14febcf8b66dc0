import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataError } from '../../src/core/errors.ts';
import { Instrument, InstrumentRegistry } from '../../src/market/instrument.ts';
import type { TradeEvent } from '../../src/market/market-data.ts';
import { flowImbalance, orderFlowFromTrades, readOrderFlowBatches } from '../../src/data/order-flow.ts';
import { readTradeBatches } from '../../src/data/tick-csv.ts';
import { backtraderFile, collect, tmpFile } from './helpers.ts';

const MIN = 60_000_000;
const T0 = Date.UTC(2024, 0, 2, 14, 30) * 1000;

test('order-flow CSV: per-symbol instruments from the registry, given or computed imbalance', async () => {
  const reg = new InstrumentRegistry();
  const aapl = reg.add({ symbol: 'AAPL', pricePrecision: 2 });
  const path = tmpFile(
    'flow.csv',
    'time,symbol,buy_volume,sell_volume,imbalance,trades\n' +
      '2024-01-02T14:30:00Z,AAPL,300,100,,12\n' +
      '2024-01-02T14:30:00Z,MSFT,0,0,,0\n' +
      '2024-01-02T14:31:00Z,AAPL,10.5,20,-0.9,3\n',
  );
  const ev = await collect(readOrderFlowBatches(path, { registry: reg, intervalUs: MIN }));
  assert.equal(ev.length, 3);
  assert.equal(ev[0]!.instrument, aapl);
  assert.equal(ev[0]!.time, T0);
  assert.equal(ev[0]!.intervalUs, MIN);
  assert.equal(ev[0]!.imbalance, 0.5); // (300 - 100) / 400
  assert.equal(ev[0]!.trades, 12);
  assert.equal(ev[1]!.instrument.symbol, 'MSFT');
  assert.equal(reg.get('MSFT'), ev[1]!.instrument, 'unknown symbols are added to the registry');
  assert.ok(Number.isNaN(ev[1]!.imbalance), 'an empty interval has no imbalance');
  assert.equal(ev[2]!.buyVolume, 10.5);
  assert.equal(ev[2]!.imbalance, -0.9, 'an imbalance given by the source is kept');
});

test('order-flow CSV errors name file:line and field', async () => {
  const head = 'time,buy_volume,sell_volume,trades\n';
  let p = tmpFile('f1.csv', head + '2024-01-02T14:30:00Z,-1,0,1\n');
  await assert.rejects(collect(readOrderFlowBatches(p)), (e: unknown) => e instanceof DataError && e.line === 2 && e.field === 'buyVolume' && /negative/.test(e.message));
  p = tmpFile('f2.csv', head + '2024-01-02T14:30:00Z,1,0,1.5\n');
  await assert.rejects(collect(readOrderFlowBatches(p)), (e: unknown) => e instanceof DataError && e.line === 2 && e.field === 'trades');
  p = tmpFile('f3.csv', head + '2024-01-02T14:31:00Z,1,0,1\n2024-01-02T14:30:00Z,1,0,1\n');
  await assert.rejects(collect(readOrderFlowBatches(p)), (e: unknown) => e instanceof DataError && e.line === 3 && e.field === 'time');
  p = tmpFile('f4.csv', 'time,buy_volume,trades\n2024-01-02,1,1\n');
  await assert.rejects(collect(readOrderFlowBatches(p)), (e: unknown) => e instanceof DataError && e.line === 1 && e.field === 'sellVolume');
});

test('orderFlowFromTrades: signed volume per aligned interval, tick rule for unsigned trades, exact sums', async () => {
  const a = new Instrument(0, { symbol: 'A', pricePrecision: 2, sizePrecision: 1 });
  const b = new Instrument(1, { symbol: 'B', pricePrecision: 2, sizePrecision: 0 });
  const tr = (dt: number, inst: Instrument, price: number, size: number, aggressor?: 'BUY' | 'SELL'): TradeEvent => ({ kind: 'trade', time: T0 + dt, instrument: inst, price, size, aggressor });
  const trades: TradeEvent[] = [
    tr(0, a, 10, 0.1, 'BUY'),
    tr(1, b, 5, 7), // first B trade, unsigned and no previous price: counted, not signed
    tr(2, a, 10, 0.2, 'SELL'),
    tr(MIN - 1, a, 10.01, 0.7), // uptick: buy
    tr(MIN, b, 4.99, 3), // next interval; downtick: sell
    tr(MIN + 5, b, 4.99, 2), // same price: same sign as before (sell)
  ];
  const flow = await collect(orderFlowFromTrades([trades.slice(0, 3), trades.slice(3)], MIN));
  assert.equal(flow.length, 3);
  const [fa, fb, fb2] = flow;
  assert.equal(fa!.instrument, a);
  assert.equal(fa!.time, T0 + MIN, 'the record is stamped at the end of its interval');
  assert.equal(fa!.buyVolume, 0.8, '0.1 + 0.7 summed in size units (no float drift)');
  assert.equal(fa!.sellVolume, 0.2);
  assert.equal(fa!.trades, 3);
  assert.equal(fa!.imbalance, flowImbalance(8, 2));
  assert.equal(fb!.instrument, b);
  assert.equal(fb!.time, T0 + MIN);
  assert.equal(fb!.buyVolume + fb!.sellVolume, 0);
  assert.equal(fb!.trades, 1);
  assert.ok(Number.isNaN(fb!.imbalance));
  assert.equal(fb2!.time, T0 + 2 * MIN);
  assert.equal(fb2!.sellVolume, 5);
  assert.equal(fb2!.trades, 2);
  assert.equal(fb2!.imbalance, -1);
  await assert.rejects(collect(orderFlowFromTrades([[trades[1]!, trades[0]!]], MIN)), /goes back in time/);
  await assert.rejects(collect(orderFlowFromTrades([], 0)), RangeError);
});

test('orderFlowFromTrades on backtrader ticksample.csv: totals equal the trades', async (t) => {
  const path = backtraderFile('ticksample.csv');
  if (!path) return t.skip('shared data missing');
  const inst = new Instrument(0, { symbol: 'TICK', pricePrecision: 2 });
  const opts = { instrument: inst, columns: { time: 'Datetime', price: 'Close', size: 'Volume' } };
  const trades = await collect(readTradeBatches(path, opts));
  const flow = await collect(orderFlowFromTrades(readTradeBatches(path, opts), 10_000_000));
  assert.equal(flow.reduce((s, f) => s + f.trades, 0), trades.length);
  const signed = flow.reduce((s, f) => s + f.buyVolume + f.sellVolume, 0);
  assert.equal(signed, trades.slice(1).reduce((s, x) => s + x.size, 0), 'every trade but the first is signed by the tick rule');
  for (let i = 1; i < flow.length; i++) assert.ok(flow[i]!.time > flow[i - 1]!.time);
  assert.ok(flow.every((f) => f.time % 10_000_000 === 0));
});
