/**
 * Opening and closing auctions in a run (docs/equities.md, "Equity rules in a run"): with data liquidity
 * market/limit-on-open orders fill at the session's first print and on-close orders at its last close;
 * with book liquidity they uncross with the book's resting orders through an AuctionBook.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Order, type Strategy } from '../../src/index.ts';
import { bar, fmt, ny, oneStock, runEquity } from './helpers.ts';

const D1 = '2026-11-24';
const D2 = '2026-11-25';

test('MOC fills at the session\'s last close, an unmarketable LOC is canceled AUCTION_UNFILLED, MOO fills at the next first print', async () => {
  const { registry, inst } = oneStock('AUC');
  const events = [bar(inst, ny(D1, '15:00'), 99)];
  for (let i = 0; i < 5; i++) events.push(bar(inst, ny(D1, `15:5${5 + i}`), 100 + i, 100.5 + i, 99.5 + i, 100 + i));
  events.push(bar(inst, ny(D2, '09:30'), 106, 107, 105, 106.5), bar(inst, ny(D2, '09:31'), 106.5));
  const updates: string[] = [];
  const strategy: Strategy = {
    onStart(ctx) {
      ctx.setTimer(ny(D1, '17:00'), 'after-close');
      ctx.setTimer(ny(D2, '08:00'), 'pre-open');
    },
    onBar(ctx, b) {
      if (b.time !== ny(D1, '15:00')) return;
      ctx.submit({ symbol: 'AUC', side: 'BUY', quantity: 10, auction: 'CLOSE', tag: 'moc' });
      ctx.submit({ symbol: 'AUC', side: 'BUY', price: 103, quantity: 10, auction: 'CLOSE', tag: 'loc-low' });
      ctx.submit({ symbol: 'AUC', side: 'BUY', price: 104.5, quantity: 10, auction: 'CLOSE', tag: 'loc' });
      ctx.submit({ symbol: 'AUC', side: 'BUY', triggerPrice: 120, quantity: 10, auction: 'CLOSE', tag: 'stop' });
    },
    onTimer(ctx, t) {
      if (t.name === 'after-close') ctx.submit({ symbol: 'AUC', side: 'SELL', quantity: 10, auction: 'OPEN', tag: 'moo-sell' });
      if (t.name === 'pre-open') {
        // entered before the open without extended hours: auction orders are accepted outside the session
        ctx.submit({ symbol: 'AUC', side: 'BUY', quantity: 5, auction: 'OPEN', tag: 'moo' });
        ctx.submit({ symbol: 'AUC', side: 'BUY', price: 105, quantity: 5, auction: 'OPEN', tag: 'loo-low' });
      }
    },
    onOrderUpdate(_ctx, u) {
      if (u.kind !== 'ACCEPTED') updates.push(fmt(u));
    },
  };
  const { result } = await runEquity({ registry, events, strategy });
  const s = (d: string, t: string) => ny(d, t) / 1e6;
  assert.deepEqual(updates, [
    `stop:REJECTED:INVALID_AUCTION_ORDER@${s(D1, '15:00')}`,
    `moc:FILL@${s(D1, '16:00')}`,
    `loc:FILL@${s(D1, '16:00')}`,
    `loc-low:CANCELED:AUCTION_UNFILLED@${s(D1, '16:00')}`,
    `moo-sell:FILL@${s(D2, '09:30')}`,
    `moo:FILL@${s(D2, '09:30')}`,
    `loo-low:CANCELED:AUCTION_UNFILLED@${s(D2, '09:30')}`,
  ]);
  assert.deepEqual(
    result.fills.map((f) => [f.tag, f.price, f.quantity]),
    [
      ['moc', 104, 10], // the 15:59 bar's close
      ['loc', 104, 10],
      ['moo-sell', 106, 10], // the first regular bar's open
      ['moo', 106, 5],
    ],
  );
});

test('book liquidity: the closing cross uncrosses MOC/LOC orders with the resting book at one price; a partly filled resting order goes back to the book', async () => {
  const { registry, inst } = oneStock('BK');
  let nextFlow = 1_000_000;
  const flow = (side: 'BUY' | 'SELL', price: number, quantity: number) =>
    new Order(nextFlow++, { instrument: inst, side, type: 'LIMIT', price: Math.round(price * 100), quantity, owner: 0 });
  const updates: string[] = [];
  let sim: Awaited<ReturnType<typeof runEquity>>['sim'] | undefined;
  const strategy: Strategy = {
    onStart(ctx) {
      ctx.setTimer(ny(D1, '15:00'), 'setup');
    },
    onTimer(ctx, t) {
      if (t.name !== 'setup') return;
      const v = sim!.venue;
      v.submitFlow(flow('SELL', 101, 400), ctx.now);
      v.submitFlow(flow('SELL', 102, 300), ctx.now);
      v.submitFlow(flow('BUY', 99, 300), ctx.now);
      ctx.submit({ symbol: 'BK', side: 'BUY', quantity: 100, auction: 'CLOSE', tag: 'moc' });
      ctx.submit({ symbol: 'BK', side: 'BUY', price: 101.5, quantity: 200, auction: 'CLOSE', tag: 'loc' });
    },
    onOrderUpdate(_ctx, u) {
      updates.push(fmt(u));
    },
  };
  const { BatchSource, Simulation } = await import('../../src/index.ts');
  const { buildEquityRun } = await import('../../src/assets/equity/equity-config.ts');
  const equity = await buildEquityRun({}, registry);
  sim = new Simulation({
    instruments: registry,
    sources: [new BatchSource('none', [[]])],
    strategy,
    startTime: ny(D1, '14:00'),
    account: { kind: 'cash', currency: 'USD', cashPrecision: 2, startingCash: 100_000_00 },
    venue: { rules: equity.rules },
    liquidity: { BK: 'book' },
  });
  const result = await sim.run();
  const close = ny(D1, '16:00') / 1e6;
  // V = 300 for every price in [101.00, 101.50] with imbalance -100; closest to the reference (mid 100.00): 101.00
  assert.deepEqual(updates, [`moc:ACCEPTED@${ny(D1, '15:00') / 1e6}`, `loc:ACCEPTED@${ny(D1, '15:00') / 1e6}`, `moc:FILL@${close}`, `loc:FILL@${close}`]);
  assert.deepEqual(
    result.fills.map((f) => [f.tag, f.price, f.quantity]),
    [
      ['moc', 101, 100],
      ['loc', 101, 200],
    ],
  );
  const book = sim.venue.engine(inst)!.book;
  assert.equal(book.bestAsk(), 10100, 'the 101.00 seller keeps its last 100 shares on the book');
  assert.equal(book.bestAskSize(), 100);
  assert.equal(book.bestBid(), 9900);
  assert.equal(sim.venue.engine(inst)!.lastPrice, 10100, 'the auction price is the last price');
});
