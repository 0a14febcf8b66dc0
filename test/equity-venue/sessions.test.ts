/**
 * Equity sessions in a run (docs/equities.md, "Equity rules in a run"): the XNYS calendar decides when
 * orders are accepted, extended hours only for orders that opt in, DAY orders end at the session's
 * close (13:00 on a half day), and Rule 612 ticks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Strategy } from '../../src/index.ts';
import { bar, fmt, ny, oneStock, runEquity } from './helpers.ts';

test('orders outside XNYS sessions are rejected MARKET_CLOSED; extended hours accept orders that opt in', async () => {
  const { registry, inst } = oneStock();
  const D = '2026-11-25';
  const times = [ny(D, '08:00'), ny(D, '10:00'), ny(D, '17:00'), ny(D, '21:00'), ny('2026-11-26', '10:00')];
  const events = times.map((t) => bar(inst, t, 100));
  const seen: string[] = [];
  const blocks: (string | undefined)[] = [];
  const strategy: Strategy = {
    onBar(ctx, b) {
      blocks.push(ctx.tradingBlock('AAPL'));
      ctx.submit({ symbol: 'AAPL', side: 'BUY', type: 'LIMIT', price: 90, quantity: 1, tag: `reg${times.indexOf(b.time)}` });
      ctx.submit({ symbol: 'AAPL', side: 'BUY', type: 'LIMIT', price: 90, quantity: 1, extendedHours: true, tag: `ext${times.indexOf(b.time)}` });
    },
    onOrderUpdate(_ctx, u) {
      if (u.kind === 'ACCEPTED' || u.kind === 'REJECTED') seen.push(`${u.tag}:${u.kind}${u.reason ? ':' + u.reason : ''}`);
    },
  };
  await runEquity({ registry, events, strategy });
  assert.deepEqual(seen, [
    'reg0:REJECTED:MARKET_CLOSED', // 08:00 pre-market: regular orders refused
    'ext0:ACCEPTED',
    'reg1:ACCEPTED',
    'ext1:ACCEPTED',
    'reg2:REJECTED:MARKET_CLOSED', // 17:00 after-hours
    'ext2:ACCEPTED',
    'reg3:REJECTED:MARKET_CLOSED', // 21:00: after the after-hours session
    'ext3:REJECTED:MARKET_CLOSED',
    'reg4:REJECTED:MARKET_CLOSED', // Thanksgiving: closed all day
    'ext4:REJECTED:MARKET_CLOSED',
  ]);
  assert.deepEqual(blocks, ['MARKET_CLOSED', undefined, 'MARKET_CLOSED', 'MARKET_CLOSED', 'MARKET_CLOSED']);
});

test('extendedHours: false in the config keeps opted-in orders to the regular session', async () => {
  const { registry, inst } = oneStock();
  const events = [bar(inst, ny('2026-11-25', '08:00'), 100)];
  const seen: string[] = [];
  const strategy: Strategy = {
    onBar(ctx) {
      ctx.submit({ symbol: 'AAPL', side: 'BUY', type: 'LIMIT', price: 90, quantity: 1, extendedHours: true });
    },
    onOrderUpdate(_ctx, u) {
      seen.push(`${u.kind}:${u.reason}`);
    },
  };
  await runEquity({ registry, events, strategy, equity: { extendedHours: false } });
  assert.deepEqual(seen, ['REJECTED:MARKET_CLOSED']);
});

test('a DAY order expires at the 13:00 close of an early-close day (the day after Thanksgiving), exactly at the close', async () => {
  const { registry, inst } = oneStock();
  const D = '2026-11-27';
  const events = [bar(inst, ny(D, '10:00'), 100), bar(inst, ny(D, '12:59'), 100), bar(inst, ny(D, '14:00'), 100), bar(inst, ny('2026-11-30', '09:30'), 100)];
  const seen: string[] = [];
  const strategy: Strategy = {
    onBar(ctx, b) {
      if (b.time !== ny(D, '10:00')) return;
      ctx.submit({ symbol: 'AAPL', side: 'BUY', type: 'LIMIT', price: 95, quantity: 1, tif: 'DAY', tag: 'day' });
      ctx.submit({ symbol: 'AAPL', side: 'BUY', type: 'LIMIT', price: 95, quantity: 1, tif: 'DAY', extendedHours: true, tag: 'ext' });
      ctx.submit({ symbol: 'AAPL', side: 'BUY', type: 'LIMIT', price: 95, quantity: 1, tif: 'GTC', tag: 'gtc' });
    },
    onOrderUpdate(_ctx, u) {
      if (u.kind === 'EXPIRED') seen.push(fmt(u));
    },
  };
  await runEquity({ registry, events, strategy });
  // 13:00 New York = 18:00Z; the extended-hours DAY order lives until the half day's 17:00 after-hours end
  assert.deepEqual(seen, [`day:EXPIRED@${ny(D, '13:00') / 1e6}`, `ext:EXPIRED@${ny('2026-11-30', '09:30') / 1e6}`]);
  assert.equal(ny(D, '13:00'), Date.UTC(2026, 10, 27, 18) * 1000);
});

test('Rule 612: an equity price off the $0.01 grid (>= $1) or the $0.0001 grid (< $1) is rejected OFF_TICK_PRICE', async () => {
  const { registry, inst } = oneStock('XYZ', 4);
  const events = [bar(inst, ny('2026-11-25', '10:00'), 2), bar(inst, ny('2026-11-25', '10:01'), 2)];
  const seen: string[] = [];
  const strategy: Strategy = {
    onBar(ctx, b) {
      if (b.time !== events[0]!.time) return;
      ctx.submit({ symbol: 'XYZ', side: 'BUY', type: 'LIMIT', price: 1.005, quantity: 1, tag: '1.005' });
      ctx.submit({ symbol: 'XYZ', side: 'BUY', type: 'LIMIT', price: 1.01, quantity: 1, tag: '1.01' });
      ctx.submit({ symbol: 'XYZ', side: 'BUY', type: 'LIMIT', price: 0.9999, quantity: 1, tag: '0.9999' });
      ctx.submit({ symbol: 'XYZ', side: 'SELL', type: 'STOP', triggerPrice: 1.5001, quantity: 1, tag: 'stop 1.5001' });
    },
    onOrderUpdate(_ctx, u) {
      if (u.kind === 'ACCEPTED' || u.kind === 'REJECTED') seen.push(`${u.tag}:${u.kind}${u.reason ? ':' + u.reason : ''}`);
    },
  };
  await runEquity({ registry, events, strategy });
  assert.deepEqual(seen, ['1.005:REJECTED:OFF_TICK_PRICE', '1.01:ACCEPTED', '0.9999:ACCEPTED', 'stop 1.5001:REJECTED:OFF_TICK_PRICE']);
});
