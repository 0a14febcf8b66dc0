import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchSource, InstrumentRegistry, Simulation, type Instrument, type MarketEvent, type MarketStatus, type Strategy } from '../../src/index.ts';

const MIN = 60_000_000;
const T0 = Date.UTC(2026, 0, 5, 15) * 1000;
const cash = (units: number) => ({ kind: 'cash' as const, currency: 'USD', cashPrecision: 2, startingCash: units * 100 });

function bar(inst: Instrument, i: number, px: number): MarketEvent {
  return { kind: 'bar', time: T0 + i * MIN, instrument: inst, open: px, high: px, low: px, close: px, volume: 1_000_000 };
}
function status(inst: Instrument, i: number, s: MarketStatus): MarketEvent {
  return { kind: 'status', time: T0 + i * MIN + 1, instrument: inst, status: s, reason: 'test' };
}

test('a HALT status rejects new orders HALTED, keeps resting orders without fills, and RESUME restores trading', async () => {
  const reg = new InstrumentRegistry();
  const inst = reg.add({ symbol: 'AAPL', pricePrecision: 2, assetClass: 'equity' });
  const events: MarketEvent[] = [bar(inst, 0, 100), status(inst, 0, 'HALT'), bar(inst, 1, 99), bar(inst, 2, 98), status(inst, 2, 'RESUME'), bar(inst, 3, 97)];
  const seen: string[] = [];
  const blocks: (string | undefined)[] = [];
  const strat: Strategy = {
    onBar(ctx, b) {
      blocks.push(ctx.tradingBlock('AAPL'));
      if (b.time === T0) ctx.submit({ symbol: 'AAPL', side: 'BUY', type: 'LIMIT', price: 97.5, quantity: 10, tag: 'resting' });
      if (b.time === T0 + MIN) ctx.submit({ symbol: 'AAPL', side: 'BUY', quantity: 5, tag: 'during-halt' });
    },
    onOrderUpdate(_ctx, u) {
      seen.push(`${u.tag}:${u.kind}${u.reason ? ':' + u.reason : ''}`);
    },
  };
  const r = await new Simulation({ instruments: reg, sources: [new BatchSource('b', [events])], strategy: strat, account: cash(100_000) }).run();
  assert.deepEqual(blocks, [undefined, 'HALTED', 'HALTED', undefined]);
  assert.ok(seen.includes('during-halt:REJECTED:HALTED'), seen.join(' '));
  // the resting limit at 97.50 was not filled by the 98 -> 97 halt-time bars but after RESUME, at 97 (bar open below the limit)
  assert.equal(r.fills.length, 1);
  assert.equal(r.fills[0]!.time, T0 + 3 * MIN);
  assert.equal(r.fills[0]!.price, 97);
});

test('an OUTAGE rejects orders VENUE_OUTAGE; the cancel policy cancels resting orders', async () => {
  for (const policy of ['keep', 'cancel'] as const) {
    const reg = new InstrumentRegistry();
    const inst = reg.add({ symbol: 'BTC-USD', pricePrecision: 2, sizePrecision: 4, assetClass: 'crypto' });
    const events: MarketEvent[] = [bar(inst, 0, 30_000), status(inst, 0, 'OUTAGE'), bar(inst, 1, 29_000), status(inst, 1, 'RESUME'), bar(inst, 2, 29_000)];
    const seen: string[] = [];
    const strat: Strategy = {
      onBar(ctx, b) {
        if (b.time === T0) ctx.submit({ symbol: 'BTC-USD', side: 'BUY', type: 'LIMIT', price: 29_500, quantity: 0.5, tag: 'resting' });
        if (b.time === T0 + MIN) ctx.submit({ symbol: 'BTC-USD', side: 'BUY', quantity: 0.1, tag: 'down' });
      },
      onOrderUpdate(_ctx, u) {
        seen.push(`${u.tag}:${u.kind}${u.reason ? ':' + u.reason : ''}`);
      },
    };
    const r = await new Simulation({ instruments: reg, sources: [new BatchSource('b', [events])], strategy: strat, account: cash(100_000), venue: { outagePolicy: policy } }).run();
    assert.ok(seen.includes('down:REJECTED:VENUE_OUTAGE'), seen.join(' '));
    if (policy === 'cancel') {
      assert.ok(seen.includes('resting:CANCELED:VENUE_OUTAGE'), seen.join(' '));
      assert.equal(r.fills.length, 0);
    } else {
      assert.equal(r.fills.length, 1, 'kept through the outage, filled after RESUME');
      assert.equal(r.fills[0]!.time, T0 + 2 * MIN);
    }
  }
});

test('venue sessions: orders outside isOpen are rejected MARKET_CLOSED and tradingBlock says so', async () => {
  const reg = new InstrumentRegistry();
  const inst = reg.add({ symbol: 'AAPL', pricePrecision: 2 });
  const events = [bar(inst, 0, 100), bar(inst, 1, 100)];
  const seen: string[] = [];
  const blocks: (string | undefined)[] = [];
  const strat: Strategy = {
    onBar(ctx) {
      blocks.push(ctx.tradingBlock('AAPL'));
      ctx.submit({ symbol: 'AAPL', side: 'BUY', quantity: 1 });
    },
    onOrderUpdate(_ctx, u) {
      if (u.kind === 'REJECTED') seen.push(u.reason ?? '');
    },
  };
  await new Simulation({
    instruments: reg,
    sources: [new BatchSource('b', [events])],
    strategy: strat,
    account: cash(10_000),
    venue: { isOpen: (_i, t) => t < T0 + MIN },
  }).run();
  assert.deepEqual(blocks, [undefined, 'MARKET_CLOSED']);
  assert.deepEqual(seen, ['MARKET_CLOSED']);
});

test('dividends: holders of record at the ex-date get perUnit * shares on the pay date, shorts pay it; the ledger balances', async () => {
  for (const kind of ['cash', 'margin'] as const) {
    const reg = new InstrumentRegistry();
    const inst = reg.add({ symbol: 'AAPL', pricePrecision: 2 });
    const events = [0, 1, 2, 3, 4].map((i) => bar(inst, i, 100));
    const side = kind === 'cash' ? 'BUY' : 'SELL';
    const strat: Strategy = {
      onBar(ctx, b) {
        if (b.time === T0) ctx.submit({ symbol: 'AAPL', side, quantity: 30 });
        // sold after the ex-date: the dividend is still paid on the pay date
        if (b.time === T0 + 3 * MIN) ctx.submit({ symbol: 'AAPL', side: side === 'BUY' ? 'SELL' : 'BUY', quantity: 30 });
      },
    };
    const account = kind === 'cash' ? cash(100_000) : { kind: 'margin' as const, currency: 'USD', cashPrecision: 2, startingCash: 10_000_000, leverage: 2 };
    const sim = new Simulation({
      instruments: reg,
      sources: [new BatchSource('b', [events])],
      strategy: strat,
      account,
      cashFlows: [{ kind: 'DIVIDEND', symbol: 'AAPL', recordTime: T0 + 2 * MIN, payTime: T0 + 4 * MIN + 5, perUnit: 0.26 }],
    });
    const r = await sim.run();
    const flows = sim.account.ledger.filter((e) => e.kind === 'DIVIDEND');
    assert.equal(flows.length, 1);
    assert.equal(flows[0]!.amount, kind === 'cash' ? 780 : -780, '30 shares * $0.26 = $7.80');
    assert.equal(r.cashFlows[0]!.quantity, kind === 'cash' ? 30 : -30);
    const sum = sim.account.ledger.reduce((s, e) => s + e.amount, 0);
    assert.equal(sim.account.startingCash + sum, sim.account.cash);
  }
});

test('bonds: a buy pays accrued interest, a sale receives it, equity counts it and a coupon resets it', async () => {
  const reg = new InstrumentRegistry();
  // a note quoted per 100 face, sized in units of 100 face: price * size = cash
  const inst = reg.add({ symbol: 'US10Y', pricePrecision: 5, tickUnits: 3125, sizePrecision: 0, assetClass: 'bond', multiplier: 1 });
  const couponTime = T0 + 3 * MIN;
  // accrued interest per 100 face grows by 0.01 a minute and drops to zero at the coupon
  const accrued = (t: number) => (t < couponTime ? 1 + Math.floor((t - T0) / MIN) * 0.01 : 0);
  const events = [0, 1, 2, 3, 4].map((i) => bar(inst, i, 99.5));
  const equityAt: number[] = [];
  const strat: Strategy = {
    onBar(ctx, b) {
      equityAt.push(ctx.equity);
      if (b.time === T0) ctx.submit({ symbol: 'US10Y', side: 'BUY', quantity: 1000, tag: 'buy' });
      if (b.time === T0 + 4 * MIN) ctx.submit({ symbol: 'US10Y', side: 'SELL', quantity: 400, tag: 'sell' });
    },
  };
  const sim = new Simulation({
    instruments: reg,
    sources: [new BatchSource('b', [events])],
    strategy: strat,
    account: cash(1_000_000),
    venue: { fill: { marketFill: 'same-close' } },
    accrued: { US10Y: accrued },
    // coupon 2.125 per 100 face, record on the coupon date
    cashFlows: [{ kind: 'COUPON', symbol: 'US10Y', recordTime: couponTime, payTime: couponTime, perUnit: 2.125 }],
  });
  await sim.run();
  const led = sim.account.ledger;
  const acc = led.filter((e) => e.kind === 'ACCRUED_INTEREST').map((e) => e.amount);
  // bought 1000 units (of 100 face) at 99.5 with 1.00 accrued: pays 99,500 + 1,000; sold 400 after the coupon: accrued 0
  assert.deepEqual(acc, [-100_000]);
  assert.deepEqual(led.filter((e) => e.kind === 'TRADE').map((e) => e.amount), [-9_950_000, 3_980_000]);
  assert.deepEqual(led.filter((e) => e.kind === 'COUPON').map((e) => e.amount), [212_500]);
  // equity grows with the accrued interest (1000 units * 0.01 a minute), the clean price being flat;
  // the coupon replaces the accrued interest by cash: 2.125 * 1000 = 2,125 where the accrued was 1.02 * 1000
  assert.deepEqual(equityAt.slice(0, 3), [1_000_000, 1_000_010, 1_000_020]);
  assert.equal(equityAt[3], 1_000_000 + 2_125 - 1_000);
  assert.equal(sim.account.startingCash + led.reduce((s, e) => s + e.amount, 0), sim.account.cash);
});
