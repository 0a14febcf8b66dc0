/**
 * Short sales in a run (docs/equities.md, "Equity rules in a run"): the alternative uptick rule (SEC
 * Rule 201) triggered by a 10% fall applies for the rest of the day and the next day; locates from the
 * borrow list.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Strategy } from '../../src/index.ts';
import { margin, ny, oneStock, quote, runEquity, trade } from './helpers.ts';

test('worked example: an uptick-rule day in a run, the restricted next day, the free day after', async () => {
  const { registry, inst } = oneStock('SSR');
  const [D0, D1, D2, D3] = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-27'];
  const events = [
    trade(inst, ny(D0, '15:59'), 50), // previous close 50.00
    trade(inst, ny(D1, '10:00'), 49),
    trade(inst, ny(D1, '10:30'), 45.01),
    trade(inst, ny(D1, '11:15'), 45), // exactly -10%: the restriction starts
    quote(inst, ny(D1, '11:16'), 44.9, 45.1),
    trade(inst, ny(D1, '14:00'), 44), // the day's close
    quote(inst, ny(D2, '10:00'), 47.9, 48),
    trade(inst, ny(D2, '10:00'), 48),
    quote(inst, ny(D3, '10:00'), 47.9, 48),
    quote(inst, ny(D3, '10:10'), 47.8, 47.9),
  ];
  const seen: string[] = [];
  const strategy: Strategy = {
    onStart(ctx) {
      for (const [name, t] of [['d1-before', `${D1}T10:45`], ['d1', `${D1}T11:20`], ['d2', `${D2}T10:05`], ['d3', `${D3}T10:05`]] as const) {
        const [d, hm] = t.split('T') as [string, string];
        ctx.setTimer(ny(d, hm), name);
      }
    },
    onTimer(ctx, t) {
      const s = (tag: string, price?: number) => ctx.submit({ symbol: 'SSR', side: 'SELL', quantity: 100, tag: `${t.name} ${tag}`, ...(price !== undefined ? { price } : {}) });
      if (t.name === 'd1-before') s('limit 60', 60); // before the trigger: allowed (rests)
      if (t.name === 'd1') {
        s('limit 44.90', 44.9); // at the bid: restricted
        s('limit 44.91', 44.91); // above the bid: allowed
        s('market'); // restricted
      }
      if (t.name === 'd2') s('market'); // the whole next day is restricted
      if (t.name === 'd3') {
        s('market'); // free again; fills at the next bid
        s('market 2'); // 200 of the 300 locatable shares of the day
      }
    },
    onOrderUpdate(_ctx, u) {
      if (u.kind === 'ACCEPTED' || u.kind === 'REJECTED') seen.push(`${u.tag}:${u.kind}${u.reason ? ':' + u.reason : ''}`);
    },
  };
  const { result, equity } = await runEquity({
    registry,
    events,
    strategy,
    account: margin(100_000),
    equity: { borrow: { list: [{ symbol: 'SSR', status: 'HTB', available: 300 }] } },
  });
  assert.deepEqual(seen, [
    'd1-before limit 60:ACCEPTED',
    'd1 limit 44.90:REJECTED:SHORT_SALE_RESTRICTED_PRICE',
    'd1 limit 44.91:ACCEPTED',
    'd1 market:REJECTED:SHORT_SALE_RESTRICTED_MARKET',
    'd2 market:REJECTED:SHORT_SALE_RESTRICTED_MARKET',
    'd3 market:ACCEPTED',
    'd3 market 2:ACCEPTED',
  ]);
  assert.equal(equity.market.rulesOf(inst)!.ssr.triggeredAt, ny(D1, '11:15'));
  assert.deepEqual(result.fills.map((f) => [f.tag, f.price, f.quantity]), [
    ['d1 limit 44.91', 44.91, 100], // the resting short fills when the next day's bid (47.90) crosses it
    ['d3 market', 47.9, 100], // at the bid on arrival
    ['d3 market 2', 47.9, 100],
  ]);
});

test('locates: NONE is not borrowable (NO_BORROW); an HTB symbol allows its daily shares (LOCATE_LIMIT beyond), reset each session', async () => {
  const { registry, inst } = oneStock('HTB');
  const [D1, D2] = ['2026-11-24', '2026-11-25'];
  const registry2 = registry;
  const nob = registry2.add({ symbol: 'NOB', pricePrecision: 2, assetClass: 'equity', currency: 'USD' });
  const events = [quote(inst, ny(D1, '10:00'), 10, 10.01), quote(nob, ny(D1, '10:00'), 10, 10.01), quote(inst, ny(D2, '10:00'), 10, 10.01)];
  const seen: string[] = [];
  const strategy: Strategy = {
    onQuote(ctx, q) {
      if (q.instrument !== inst) {
        ctx.submit({ symbol: 'NOB', side: 'SELL', type: 'LIMIT', price: 11, quantity: 1, tag: 'nob' });
        return;
      }
      const day = q.time === ny(D1, '10:00') ? 'd1' : 'd2';
      for (const n of [1, 2, 3]) ctx.submit({ symbol: 'HTB', side: 'SELL', type: 'LIMIT', price: 11, quantity: 200, tag: `${day}#${n}` });
    },
    onOrderUpdate(_ctx, u) {
      if (u.kind === 'ACCEPTED' || u.kind === 'REJECTED') seen.push(`${u.tag}:${u.kind}${u.reason ? ':' + u.reason : ''}`);
    },
  };
  await runEquity({
    registry,
    events,
    strategy,
    account: margin(100_000),
    equity: { borrow: { list: [{ symbol: 'HTB', status: 'HTB', available: 500 }, { symbol: 'NOB', status: 'NONE' }] } },
  });
  assert.deepEqual(seen, [
    'd1#1:ACCEPTED',
    'd1#2:ACCEPTED',
    'd1#3:REJECTED:LOCATE_LIMIT', // 400 located, 200 more exceeds 500
    'nob:REJECTED:NO_BORROW',
    'd2#1:ACCEPTED', // a new day: 500 again
    'd2#2:ACCEPTED',
    'd2#3:REJECTED:LOCATE_LIMIT',
  ]);
});
