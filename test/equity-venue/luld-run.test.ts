/**
 * LULD in a run (docs/equities.md, "Equity rules in a run", worked example): a $50 tier-1 stock pushed
 * to its upper band, 15 s limit state, 5-minute pause, HALT and RESUME statuses to the strategy, a
 * resting order and a queued order filled by the reopening print.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Strategy } from '../../src/index.ts';
import { buildEquityRun } from '../../src/assets/equity/equity-config.ts';
import { fmt, ny, oneStock, quote, runEquity, trade } from './helpers.ts';

const D1 = '2026-11-24';
const D = '2026-11-25';

test('worked example: limit up at 52.50, 15 s limit state, 5-minute pause, HALT then RESUME, the reopening fills the resting and the queued order', async () => {
  const { registry, inst } = oneStock('BIG');
  const events = [
    trade(inst, ny(D1, '15:59'), 50), // previous close 50.00
    trade(inst, ny(D, '09:30:00'), 49), // opening print: reference 49.00, bands 46.55 - 51.45
    trade(inst, ny(D, '09:30:10'), 50),
    trade(inst, ny(D, '09:30:20'), 50), // the reference moves to 50.00 at 09:30:30: bands 47.50 - 52.50
    trade(inst, ny(D, '09:31'), 50.4),
    trade(inst, ny(D, '09:32'), 49.9),
    quote(inst, ny(D, '10:00:00'), 52.45, 52.5), // offer on the upper band: limit state
    trade(inst, ny(D, '10:00:05'), 52.5),
    // 10:00:15: still on the band -> 5-minute trading pause until 10:05:15
    trade(inst, ny(D, '10:05:30'), 52.3), // the reopening print
    trade(inst, ny(D, '10:10'), 52.2),
  ];
  const equity = await buildEquityRun({ luld: { tier1: ['BIG'] } }, registry);
  const statuses: string[] = [];
  const updates: string[] = [];
  const bands: Record<string, [number, number]> = {};
  const T = ny(D, '10:00');
  const strategy: Strategy = {
    onStart(ctx) {
      for (const [name, t] of [['open', '09:30:05'], ['moved', '09:31'], ['orders', '09:35'], ['halted', '10:02'], ['reopened', '10:06']] as const) ctx.setTimer(ny(D, t), name);
    },
    onTimer(ctx, t) {
      const l = equity.market.rulesOf(inst)!.luld!;
      bands[t.name] = [l.lower / 100, l.upper / 100];
      if (t.name === 'orders') {
        ctx.submit({ symbol: 'BIG', side: 'BUY', type: 'LIMIT', price: 53, quantity: 100, tag: 'band' }); // through the band: repriced to 52.50
        ctx.submit({ symbol: 'BIG', side: 'BUY', type: 'LIMIT', price: 52.4, quantity: 500, tag: 'rest' });
      }
      if (t.name === 'halted') {
        assert.equal(ctx.tradingBlock('BIG'), 'HALTED');
        ctx.submit({ symbol: 'BIG', side: 'BUY', quantity: 10, tag: 'mkt' }); // market orders: rejected HALTED
        ctx.submit({ symbol: 'BIG', side: 'BUY', type: 'LIMIT', price: 52.6, quantity: 200, tag: 'queued' }); // limit orders: queued for the reopening
      }
    },
    onStatus(_ctx, s) {
      statuses.push(`${s.status}@${(s.time - T) / 1e6}`);
    },
    onOrderUpdate(_ctx, u) {
      updates.push(fmt(u, T));
    },
  };
  const { result } = await runEquity({ registry, events, strategy, equityRun: equity });
  assert.deepEqual(bands.open, [46.55, 51.45]);
  assert.deepEqual(bands.moved, [47.5, 52.5]);
  assert.deepEqual(bands.halted, [47.5, 52.5]);
  // reopened at 52.30: reference 52.30, 5% = 2.615 -> 49.69 - 54.92 (rounded half up to the cent)
  assert.deepEqual(bands.reopened, [49.69, 54.92]);
  assert.deepEqual(statuses, ['HALT@15', 'RESUME@330']);
  assert.deepEqual(updates, [
    'band:ACCEPTED@-1500',
    'rest:ACCEPTED@-1500',
    'band:FILL@0', // at the offer on the band
    'mkt:REJECTED:HALTED@120',
    'queued:ACCEPTED@120',
    'queued:FILL@330', // better price first (52.60 before 52.40), as the auction allocates
    'rest:FILL@330',
  ]);
  const band = result.orders.find((o) => o.tag === 'band')!;
  assert.equal(band.price, 5250, 'repriced to the upper band');
  assert.deepEqual(
    result.fills.map((f) => [f.tag, f.price, f.quantity]),
    [
      ['band', 52.5, 100],
      ['queued', 52.3, 200],
      ['rest', 52.3, 500],
    ],
  );
});

test('band policy REJECT: a buy priced through the upper band is rejected OUTSIDE_PRICE_BAND', async () => {
  const { registry, inst } = oneStock('BIG');
  const events = [trade(inst, ny(D1, '15:59'), 50), trade(inst, ny(D, '09:30'), 50), trade(inst, ny(D, '09:40'), 50)];
  const seen: string[] = [];
  const strategy: Strategy = {
    onTrade(ctx, t) {
      if (t.time !== ny(D, '09:30')) return;
      ctx.submit({ symbol: 'BIG', side: 'BUY', type: 'LIMIT', price: 60, quantity: 1 }); // tier 2: bands 45.00 - 55.00
      ctx.submit({ symbol: 'BIG', side: 'BUY', type: 'LIMIT', price: 55, quantity: 1 });
    },
    onOrderUpdate(_ctx, u) {
      if (u.kind !== 'FILL') seen.push(`${u.kind}:${u.reason ?? ''}`);
    },
  };
  await runEquity({ registry, events, strategy, equity: { luld: { bandPolicy: 'REJECT' } } });
  assert.deepEqual(seen, ['REJECTED:OUTSIDE_PRICE_BAND', 'ACCEPTED:']);
});

test('book liquidity: the limit state comes from the book, and the reopening auction uncrosses the queued order with the resting book at one price', async () => {
  const { Order, BatchSource, Simulation } = await import('../../src/index.ts');
  const { registry, inst } = oneStock('BK');
  let id = 1_000_000;
  const flow = (side: 'BUY' | 'SELL', price: number, quantity: number) => new Order(id++, { instrument: inst, side, type: 'LIMIT', price: Math.round(price * 100), quantity, owner: 0 });
  const equity = await buildEquityRun({ luld: { tier1: ['BK'] } }, registry);
  const statuses: string[] = [];
  const updates: string[] = [];
  const bands: Record<string, [number, number]> = {};
  const T = ny(D, '10:00');
  // eslint-disable-next-line prefer-const
  let sim: InstanceType<typeof Simulation>;
  const strategy: Strategy = {
    onStart(ctx) {
      ctx.setTimer(ny(D1, '15:59'), 'prev-close');
      for (const [name, t] of [['rest', '09:45'], ['limit', '10:00'], ['halted', '10:02'], ['reopened', '10:06']] as const) ctx.setTimer(ny(D, t), name);
    },
    onTimer(ctx, t) {
      const v = sim.venue;
      if (t.name === 'prev-close') {
        v.submitFlow(flow('SELL', 50, 100), ctx.now);
        v.submitFlow(flow('BUY', 50, 100), ctx.now); // a trade at 50.00: the previous close
        return;
      }
      // no data here: the rules meet the new session at the venue's next activity (this query, an order)
      assert.equal(ctx.tradingBlock('BK'), t.name === 'halted' ? 'HALTED' : undefined);
      const l = equity.market.rulesOf(inst)!.luld!;
      bands[t.name] = [l.lower / 100, l.upper / 100];
      if (t.name === 'rest') ctx.submit({ symbol: 'BK', side: 'BUY', price: 52.4, quantity: 500, tag: 'rest' });
      if (t.name === 'limit') {
        v.submitFlow(flow('SELL', 52.5, 300), ctx.now); // the offer on the upper band: limit state
        v.submitFlow(flow('BUY', 52.45, 100), ctx.now);
      }
      if (t.name === 'halted') ctx.submit({ symbol: 'BK', side: 'BUY', price: 52.6, quantity: 200, tag: 'queued' });
    },
    onStatus(_ctx, s) {
      statuses.push(`${s.status}@${(s.time - T) / 1e6}`);
    },
    onOrderUpdate(_ctx, u) {
      updates.push(fmt(u, T));
    },
  };
  sim = new Simulation({
    instruments: registry,
    sources: [new BatchSource('none', [[]])],
    strategy,
    startTime: ny(D1, '15:00'),
    account: { kind: 'cash', currency: 'USD', cashPrecision: 2, startingCash: 100_000_00 },
    venue: { rules: equity.rules },
    liquidity: { BK: 'book' },
  });
  const result = await sim.run();
  assert.deepEqual(bands.rest, [47.5, 52.5], 'no opening cross: the reference is the previous close');
  assert.deepEqual(statuses, ['HALT@15', 'RESUME@315']);
  // reopening (reference: the upper band 52.50): V = 200 at every price in [52.50, 52.60], imbalance -100: 52.50
  assert.deepEqual(updates, ['rest:ACCEPTED@-900', 'queued:ACCEPTED@120', 'queued:FILL@315']);
  assert.deepEqual(result.fills.map((f) => [f.tag, f.price, f.quantity]), [['queued', 52.5, 200]]);
  assert.deepEqual(bands.reopened, [49.88, 55.13], 'reference 52.50 after the reopening');
  const book = sim.venue.engine(inst)!.book;
  assert.deepEqual([book.bestAsk(), book.bestAskSize(), book.bestBid()], [5250, 100, 5245], 'the seller keeps 100 on the book; the resting bids stay');
});
