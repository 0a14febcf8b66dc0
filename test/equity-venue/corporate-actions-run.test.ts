/**
 * Corporate actions in a run (docs/equities.md, "Equity rules in a run"): a 2-for-1 split adjusts the
 * position and the resting orders at the ex-date's session start; a reverse split pays cash in lieu;
 * a dividend is paid on the pay date to holders of record at the ex-date.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Strategy } from '../../src/index.ts';
import { bar, fmt, margin, ny, oneStock, runEquity } from './helpers.ts';

const D1 = '2026-11-24';
const D2 = '2026-11-25';

test('worked example: a 2-for-1 split with resting orders: position 150 @ 80.00 -> 300 @ 40.00, BUY 100 @ 50.01 -> 200 @ 25.00, SELL 150 @ 90.01 -> 300 @ 45.01', async () => {
  const { registry, inst } = oneStock('SPLT');
  const events = [bar(inst, ny(D1, '10:00'), 80), bar(inst, ny(D1, '10:01'), 80), bar(inst, ny(D2, '09:30'), 40), bar(inst, ny(D2, '09:31'), 40.5)];
  const updates: string[] = [];
  let posAfter = NaN;
  let histAfter: number[] = [];
  const strategy: Strategy = {
    onBar(ctx, b) {
      if (b.time === ny(D1, '10:00')) {
        ctx.submit({ symbol: 'SPLT', side: 'BUY', quantity: 150, tag: 'entry' });
        ctx.submit({ symbol: 'SPLT', side: 'BUY', type: 'LIMIT', price: 50.01, quantity: 100, tag: 'buy' });
        ctx.submit({ symbol: 'SPLT', side: 'SELL', type: 'LIMIT', price: 90.01, quantity: 150, tag: 'sell' });
      }
      if (b.time === ny(D2, '09:30')) {
        posAfter = ctx.position('SPLT');
        const h = ctx.history('SPLT');
        histAfter = [h.close(2), h.close(1), h.close(0), h.volume(1)];
      }
    },
    onOrderUpdate(_ctx, u) {
      if (u.kind !== 'ACCEPTED') updates.push(`${fmt(u, ny(D2, '09:30'))} qty ${u.quantity}`);
    },
  };
  const { result, sim } = await runEquity({
    registry,
    events,
    strategy,
    equity: { corporateActions: [{ date: D2, symbol: 'SPLT', type: 'SPLIT', value: 2 }] },
  });
  assert.equal(posAfter, 300);
  assert.deepEqual(histAfter, [40, 40, 40, 2_000_000], 'the bar history is split-adjusted: 80.00 -> 40.00, volume doubled');
  const p = sim.account.position(inst);
  assert.equal(p.quantity, 300);
  assert.equal(p.avgPrice, 4000, 'average price 40.00 (price units)');
  assert.equal(p.cost, 12_000_00, 'cost basis unchanged: 150 * 80.00');
  const buy = result.orders.find((o) => o.tag === 'buy')!;
  const sell = result.orders.find((o) => o.tag === 'sell')!;
  assert.deepEqual([buy.quantity, buy.price], [200, 2500]);
  assert.deepEqual([sell.quantity, sell.price], [300, 4501]);
  // the adjustments reach the strategy as MODIFIED updates at the ex-date's first event (09:30)
  assert.deepEqual(updates, ['entry:FILL@-84540 qty 150', 'buy:MODIFIED@0 qty 200', 'sell:MODIFIED@0 qty 300']);
  assert.ok(sim.journal.lines().some((l) => l.includes('|SPLIT|SPLT|2:1|300|0')));
});

test('a 1-for-10 reverse split: long 15 @ 30.00 -> 1 share and 0.5 share paid in cash at the adjusted previous close (ADJUSTMENT); resting orders are canceled CORPORATE_ACTION', async () => {
  const { registry, inst } = oneStock('REV');
  const events = [bar(inst, ny(D1, '10:00'), 30), bar(inst, ny(D1, '15:59'), 30), bar(inst, ny(D2, '09:30'), 300)];
  const canceled: string[] = [];
  const strategy: Strategy = {
    onBar(ctx, b) {
      if (b.time !== ny(D1, '10:00')) return;
      ctx.submit({ symbol: 'REV', side: 'BUY', quantity: 15 });
      ctx.submit({ symbol: 'REV', side: 'BUY', type: 'LIMIT', price: 20, quantity: 5, tag: 'resting' });
    },
    onOrderUpdate(_ctx, u) {
      if (u.kind === 'CANCELED') canceled.push(`${u.tag}:${u.reason}`);
    },
  };
  const { sim } = await runEquity({ registry, events, strategy, equity: { corporateActions: [{ date: D2, symbol: 'REV', type: 'SPLIT', value: '1:10' }] } });
  const p = sim.account.position(inst);
  assert.equal(p.quantity, 1);
  assert.equal(p.avgPrice, 30000, '300.00');
  const adj = sim.account.ledger.filter((e) => e.kind === 'ADJUSTMENT');
  assert.deepEqual(adj.map((e) => e.amount), [150_00], 'half a share at 300.00 (the previous close 30.00 adjusted)');
  assert.equal(p.realizedPnl, 0, 'the half share cost 15.00 and sold for 15.00... at 300.00 / 10 = 30.00 per old share');
  assert.deepEqual(canceled, ['resting:CORPORATE_ACTION']);
  assert.equal(sim.account.cash, 100_000_00 - 450_00 + 150_00);
  assert.equal(sim.account.startingCash + sim.account.ledger.reduce((x, e) => x + e.amount, 0), sim.account.cash, 'the ledger still balances');
});

test('a cash dividend from the config: holders of record at the ex-date start are paid on the pay date; shorts are charged; the borrow fee accrues at each close', async () => {
  const { registry, inst } = oneStock('DIV');
  const events = [
    bar(inst, ny(D1, '10:00'), 50),
    bar(inst, ny(D1, '15:59'), 50),
    bar(inst, ny(D2, '09:30'), 49.76),
    bar(inst, ny('2026-11-27', '10:00'), 50),
    bar(inst, ny('2026-11-30', '10:00'), 50),
  ];
  const strategy: Strategy = {
    onBar(ctx, b) {
      if (b.time === ny(D1, '10:00')) ctx.submit({ symbol: 'DIV', side: 'SELL', quantity: 300 });
    },
  };
  const { sim, equity, result } = await runEquity({
    registry,
    events,
    strategy,
    account: margin(100_000),
    equity: {
      corporateActions: [{ date: D2, symbol: 'DIV', type: 'CASH_DIVIDEND', value: 0.24, payDate: '2026-11-30' }],
      borrow: { list: [{ symbol: 'DIV', status: 'HTB', available: 1000, rate: 0.036 }] },
    },
  });
  assert.deepEqual(equity.cashFlows, [{ kind: 'DIVIDEND', symbol: 'DIV', recordTime: ny(D2, '04:00'), payTime: ny('2026-11-30', '09:30'), perUnit: 0.24 }]);
  const div = sim.account.ledger.filter((e) => e.kind === 'DIVIDEND');
  assert.deepEqual(div.map((e) => [e.amount, e.time]), [[-72_00, ny('2026-11-30', '09:30')]], 'short 300 * 0.24 charged on the pay date');
  assert.equal(result.cashFlows[0]!.quantity, -300);
  // borrow fee: 300 shares at the close * 3.6% / 360 per calendar day, charged at each close
  // Nov 24 close 50.00: 1 day -> 15,000 * 0.036 / 360 = 1.50; Nov 25 close 49.76, Wednesday before
  // Thanksgiving: 2 days -> 14,928 * 0.036 * 2 / 360 = 2.9856 -> 2.99; Nov 27 (half day) close 50.00,
  // Friday: 3 days -> 4.50; Nov 30 close 50.00: 1 day -> 1.50
  const fees = sim.account.ledger.filter((e) => e.kind === 'BORROW_FEE');
  assert.deepEqual(fees.map((e) => [e.amount, e.time]), [
    [-150, ny(D1, '16:00')],
    [-299, ny(D2, '16:00')],
    [-450, ny('2026-11-27', '13:00')],
    [-150, ny('2026-11-30', '16:00')], // the last day's close still comes (its timer outlives the data)
  ]);
});
