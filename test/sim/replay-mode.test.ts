/**
 * Replay-mode instruments: a book replayed from L2 data; the strategy's orders walk it and wait in its
 * queues (docs/queue-models.md) through the venue, with funds, fills and reports as everywhere else.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchSource,
  InstrumentRegistry,
  Simulation,
  type BookDeltaEvent,
  type BookSnapshotEvent,
  type Instrument,
  type MarketEvent,
  type Strategy,
  type TradeEvent,
} from '../../src/index.ts';
import { L3FifoQueueModel, RecordedLatency } from '../../src/market/replay/index.ts';

const T0 = Date.UTC(2024, 0, 2, 14, 30) * 1000;

function snap(inst: Instrument, t: number, bids: [number, number][], asks: [number, number][]): BookSnapshotEvent {
  return {
    kind: 'book-snapshot',
    time: T0 + t,
    instrument: inst,
    bidPrices: bids.map((b) => b[0]),
    bidSizes: bids.map((b) => b[1]),
    askPrices: asks.map((a) => a[0]),
    askSizes: asks.map((a) => a[1]),
    sequence: 1,
  };
}
const delta = (inst: Instrument, t: number, side: 'BUY' | 'SELL', price: number, size: number): BookDeltaEvent => ({ kind: 'book-delta', time: T0 + t, instrument: inst, side, price, size, sequence: 0, last: true });
const trade = (inst: Instrument, t: number, price: number, size: number, aggressor: 'BUY' | 'SELL'): TradeEvent => ({ kind: 'trade', time: T0 + t, instrument: inst, price: price / 100, size, aggressor });

function run(events: (inst: Instrument) => MarketEvent[], strategy: Strategy, extra: Partial<ConstructorParameters<typeof Simulation>[0]> = {}) {
  const reg = new InstrumentRegistry();
  const inst = reg.add({ symbol: 'RP', pricePrecision: 2 });
  return new Simulation({
    instruments: reg,
    sources: [new BatchSource('r', [events(inst)])],
    strategy,
    account: { kind: 'cash', currency: 'USD', cashPrecision: 2, startingCash: 1_000_000 },
    liquidity: { RP: 'replay' },
    ...extra,
  }).run();
}

test('a market order walks the replayed book; what it took is not taken twice until the data resets the level', async () => {
  let n = 0;
  const strat: Strategy = {
    onBook(ctx) {
      if (n++ === 0) {
        ctx.submit({ symbol: 'RP', side: 'BUY', quantity: 15 });
        ctx.submit({ symbol: 'RP', side: 'BUY', quantity: 10 });
      }
    },
  };
  const r = await run(
    (i) => [
      snap(i, 0, [[9_990, 10]], [[10_000, 10], [10_010, 10], [10_020, 10]]),
      delta(i, 1_000, 'SELL', 10_000, 10), // the data sets the best ask again: liquidity there is back
      trade(i, 2_000, 10_000, 1, 'BUY'),
    ],
    strat,
  );
  // first order: 10 @ 100.00 + 5 @ 100.10; second: the remaining 5 @ 100.10 + 5 @ 100.20
  assert.deepEqual(r.fills.map((f) => [f.orderId, f.price, f.quantity, f.liquidity]), [
    [1, 100, 10, 'TAKER'],
    [1, 100.1, 5, 'TAKER'],
    [2, 100.1, 5, 'TAKER'],
    [2, 100.2, 5, 'TAKER'],
  ]);
});

test('a passive order waits behind the queue ahead (risk-averse: only trades at its price move it)', async () => {
  let sent = false;
  const strat: Strategy = {
    onBook(ctx) {
      if (!sent) {
        sent = true;
        ctx.submit({ symbol: 'RP', side: 'BUY', quantity: 5, price: 99.9 });
      }
    },
  };
  const r = await run(
    (i) => [
      snap(i, 0, [[9_990, 30]], [[10_000, 10]]), // 30 ahead of us at 99.90
      delta(i, 1_000, 'BUY', 9_990, 12), // cancels ahead: risk-averse caps the queue at 12
      trade(i, 2_000, 9_990, 10, 'SELL'), // 2 left ahead
      trade(i, 3_000, 9_990, 4, 'SELL'), // 2 for the queue, 2 for us
      trade(i, 4_000, 9_990, 10, 'SELL'), // our remaining 3
    ],
    strat,
  );
  assert.deepEqual(r.fills.map((f) => [f.price, f.quantity, f.liquidity, (f.time - T0) / 1000]), [
    [99.9, 2, 'MAKER', 3],
    [99.9, 3, 'MAKER', 4],
  ]);
});

test('venue options choose the queue model; a recorded latency file drives order entry', async () => {
  const times: number[] = [];
  let sent = false;
  const strat: Strategy = {
    onBook(ctx) {
      if (!sent) {
        sent = true;
        ctx.submit({ symbol: 'RP', side: 'BUY', quantity: 1 });
      }
    },
    onOrderUpdate: (_c, u) => void times.push(u.time - T0),
  };
  const r = await run((i) => [snap(i, 0, [[9_990, 1]], [[10_000, 10]]), delta(i, 50_000, 'SELL', 10_010, 3)], strat, {
    venue: { queueModel: new L3FifoQueueModel() },
    latency: { orderEntry: new RecordedLatency([T0, T0 + 1_000_000], [40_000, 40_000]) },
  });
  assert.deepEqual(times, [40_000, 40_000]); // accepted and filled when it arrives, 40 ms later
  assert.equal(r.fills[0]!.price, 100);
});
