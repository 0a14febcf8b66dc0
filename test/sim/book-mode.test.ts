/**
 * Book-mode instruments: the venue owns an L3 order book; the strategy's orders match anonymous flow
 * (and each other) with price-time priority through the matching engine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchSource, InstrumentRegistry, Order, Simulation, type BookView, type Scheduled, type Strategy, type TradeEvent } from '../../src/index.ts';

const T0 = Date.UTC(2024, 0, 2, 14, 30) * 1000;
let flowId = 1_000_000;

function setup(strategy: Strategy, kind: 'cash' | 'margin' = 'cash', trades: [number, number][] = [[0, 100], [10_000_000, 100]]) {
  const reg = new InstrumentRegistry();
  const inst = reg.add({ symbol: 'BK', pricePrecision: 2 });
  const ev: TradeEvent[] = trades.map(([t, p]) => ({ kind: 'trade', time: T0 + t, instrument: inst, price: p, size: 1, aggressor: undefined }));
  const sim = new Simulation({
    instruments: reg,
    sources: [new BatchSource('t', [ev])],
    strategy,
    account: { kind, currency: 'USD', cashPrecision: 2, startingCash: 100_000_00 },
    liquidity: { BK: 'book' },
    startTime: T0 - 1,
  });
  const flow = (t: number, side: 'BUY' | 'SELL', type: 'LIMIT' | 'MARKET', qty: number, price?: number) => {
    const o = new Order(flowId++, { instrument: inst, side, type, quantity: qty, ...(price !== undefined ? { price: Math.round(price * 100) } : {}) });
    const ev: Scheduled = { time: T0 + t, seq: 0, fire: (now) => sim.venue.submitFlow(o, now) };
    sim.queue.push(ev);
    return o;
  };
  return { sim, inst, flow };
}

test('a strategy limit order rests in the book and fills when anonymous flow takes it, at its price, as maker', async () => {
  const views: [number, number][] = [];
  const strat: Strategy = {
    onStart(ctx) {
      ctx.setTimer(T0 + 1_000, 'go');
    },
    onTimer(ctx) {
      ctx.submit({ symbol: 'BK', side: 'BUY', quantity: 10, price: 99.5 });
    },
    onBook(_ctx, b: BookView) {
      views.push([b.bestBid(), b.levelCount('BUY')]);
    },
  };
  const { sim, flow } = setup(strat);
  flow(500, 'BUY', 'LIMIT', 5, 99.5); // ahead of us in the queue
  flow(2_000, 'SELL', 'MARKET', 8); // takes 5 from the flow order, 3 from ours
  flow(3_000, 'SELL', 'LIMIT', 20, 99.5); // crosses: takes our remaining 7 at our price
  const r = await sim.run();
  assert.deepEqual(r.fills.map((f) => [f.price, f.quantity, f.liquidity, f.time - T0]), [
    [99.5, 3, 'MAKER', 2_000],
    [99.5, 7, 'MAKER', 3_000],
  ]);
  assert.deepEqual(r.positions, { BK: 10 });
  assert.equal(r.cash, 100_000 - 995);
  assert.deepEqual(views.slice(0, 2), [
    [99.5, 1],
    [99.5, 1],
  ]);
  // after the last cross the sell rests at 99.50 with 13 left and no bids
  const book = sim.venue.engine(sim.venue.order(1)!.instrument)!.book;
  assert.equal(book.bestAsk(), 9950);
  assert.equal(book.bestAskSize(), 13);
  assert.ok(Number.isNaN(book.bestBid()));
});

test('a strategy market order walks the book; funds are checked at acceptance against reservations', async () => {
  const log: string[] = [];
  const strat: Strategy = {
    onStart(ctx) {
      ctx.setTimer(T0 + 1_000, 'go');
    },
    onTimer(ctx) {
      ctx.submit({ symbol: 'BK', side: 'BUY', quantity: 30, tag: 'sweep' });
      ctx.submit({ symbol: 'BK', side: 'BUY', quantity: 900, price: 100, tag: 'big' });
      ctx.submit({ symbol: 'BK', side: 'BUY', quantity: 200, price: 60, tag: 'third' });
    },
    onOrderUpdate: (_c, u) => void log.push(`${u.tag} ${u.kind}${u.reason ? ' ' + u.reason : ''}`),
  };
  const { sim, flow } = setup(strat);
  flow(100, 'SELL', 'LIMIT', 10, 100.0);
  flow(200, 'SELL', 'LIMIT', 10, 100.5);
  flow(300, 'SELL', 'LIMIT', 50, 101.0);
  const r = await sim.run();
  assert.deepEqual(r.fills.map((f) => [f.price, f.quantity, f.liquidity]), [
    [100, 10, 'TAKER'],
    [100.5, 10, 'TAKER'],
    [101, 10, 'TAKER'],
  ]);
  // 30 shares cost 3,015, leaving 96,985; BUY 900 @ 100 fits (90,000) and rests, reserving 90,000;
  // BUY 200 @ 60 needs 12,000 more than the 6,985 left: refused
  assert.ok(log.includes('sweep FILL'));
  assert.ok(log.includes('big ACCEPTED'));
  assert.ok(log.includes('third REJECTED INSUFFICIENT_FUNDS'), log.join('; '));
});

test('OCO in a book: the fill of one cancels the resting sibling with reason OCO', async () => {
  const log: string[] = [];
  const strat: Strategy = {
    onStart(ctx) {
      ctx.setTimer(T0 + 1_000, 'go');
    },
    onTimer(ctx) {
      ctx.submitOco({ symbol: 'BK', side: 'BUY', quantity: 5, price: 99, tag: 'a' }, { symbol: 'BK', side: 'BUY', quantity: 5, price: 98, tag: 'b' });
    },
    onOrderUpdate: (_c, u) => void log.push(`${u.tag} ${u.kind}${u.reason ? ' ' + u.reason : ''}`),
  };
  const { sim, flow } = setup(strat);
  flow(2_000, 'SELL', 'MARKET', 2);
  const r = await sim.run();
  assert.deepEqual(r.fills.map((f) => [f.price, f.quantity, f.tag]), [[99, 2, 'a']]);
  assert.ok(log.includes('b CANCELED OCO'), log.join('; '));
  const book = sim.venue.engine(sim.venue.order(1)!.instrument)!.book;
  assert.equal(book.levelCount('BUY'), 1); // a's remaining 3 rest at 99; b is gone
});

test('self-trade prevention: the strategy never trades with itself in a book', async () => {
  const strat: Strategy = {
    onStart(ctx) {
      ctx.setTimer(T0 + 1_000, 'go');
    },
    onTimer(ctx) {
      ctx.submit({ symbol: 'BK', side: 'SELL', quantity: 5, price: 100 });
      ctx.submit({ symbol: 'BK', side: 'BUY', quantity: 5, price: 100 });
    },
  };
  const reg = setup(strat, 'margin');
  const r = await reg.sim.run();
  assert.equal(r.fills.length, 0);
  assert.equal(r.orders[1]!.status, 'CANCELED');
  assert.equal(r.orders[1]!.cancelReason, 'SELF_TRADE');
});

test('a stop in a book is triggered by a recorded trade print and then takes the book', async () => {
  const strat: Strategy = {
    onStart(ctx) {
      ctx.setTimer(T0 + 1_000, 'go');
    },
    onTimer(ctx) {
      ctx.submit({ symbol: 'BK', side: 'BUY', quantity: 2, triggerPrice: 101 });
    },
  };
  const { sim, flow } = setup(strat, 'margin', [[0, 100], [5_000, 100.5], [6_000, 101], [7_000, 99]]);
  flow(100, 'SELL', 'LIMIT', 5, 101.5);
  const r = await sim.run();
  assert.deepEqual(r.fills.map((f) => [f.price, f.quantity, f.time - T0]), [[101.5, 2, 6_000]]);
});
