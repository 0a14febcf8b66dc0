/** Each built-in agent's rule (docs/agents.md), driven through a recording context. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.ts';
import { Instrument } from '../../src/market/instrument.ts';
import type { Side } from '../../src/market/order.ts';
import { AdaptiveMarketMaker } from '../../src/data/synthetic/agents/market-maker.ts';
import { MomentumAgent } from '../../src/data/synthetic/agents/momentum-agent.ts';
import { NoiseAgent } from '../../src/data/synthetic/agents/noise-agent.ts';
import { OrderSizeModel } from '../../src/data/synthetic/agents/order-size.ts';
import { RMSC04_MARKET_MAKER, RMSC04_MOMENTUM, RMSC04_NOISE, RMSC04_VALUE } from '../../src/data/synthetic/agents/params.ts';
import type { AgentContext, SpreadSnapshot } from '../../src/data/synthetic/agents/types.ts';
import { ValueAgent } from '../../src/data/synthetic/agents/value-agent.ts';

const inst = new Instrument(0, { symbol: 'ABM', pricePrecision: 2, sizePrecision: 0 });
const OPEN = 1_000_000_000;

/** A context that records what the agent does. */
class Recorder implements AgentContext {
  id = 0;
  now = OPEN;
  rng = new Rng(1, 'rules');
  instrument = inst;
  openTime = OPEN;
  closeTime = OPEN + 23_400_000_000;
  position = 0;
  cash = 0;
  openBuy = 0;
  openSell = 0;
  openOrderCount = 0;
  fundamental = 100_000;
  orders: { side: Side; price: number; qty: number }[] = [];
  wakes: number[] = [];
  queries: number[] = [];
  cancelAlls = 0;
  subscribed = false;
  placeLimit(side: Side, price: number, qty: number): number {
    this.orders.push({ side, price, qty });
    return this.orders.length;
  }
  placeMarket(side: Side, qty: number): number {
    return this.placeLimit(side, NaN, qty);
  }
  cancel(): void {}
  cancelAll(): void {
    this.cancelAlls++;
  }
  querySpread(lookbackUs = 0): void {
    this.queries.push(lookbackUs);
  }
  wakeAt(t: number): void {
    this.wakes.push(t);
  }
  subscribeQuotes(): void {
    this.subscribed = true;
  }
  observeFundamental(varianceN: number): number {
    return Math.round(this.fundamental + Math.sqrt(varianceN) * this.rng.normal());
  }
}

function spread(bid: number, ask: number, buyVolume = 0, sellVolume = 0): SpreadSnapshot {
  return { time: 0, bid, bidSize: 100, ask, askSize: 100, last: NaN, buyVolume, sellVolume };
}

test('noise trader: one wakeup in [open - 30 min, close] (at least the open), then a buy at the ask or a sell at the bid', () => {
  let atOpen = 0;
  let buys = 0;
  const n = 2000;
  for (let i = 0; i < n; i++) {
    const ctx = new Recorder();
    ctx.rng = new Rng(i, 'noise');
    const a = new NoiseAgent(RMSC04_NOISE, new OrderSizeModel());
    a.start(ctx);
    assert.equal(ctx.wakes.length, 1);
    const t = ctx.wakes[0]!;
    assert.ok(t >= OPEN && t < ctx.closeTime);
    if (t === OPEN) atOpen++;
    a.wakeup(ctx);
    assert.deepEqual(ctx.queries, [0]);
    a.onSpread(ctx, spread(99_990, 100_010));
    for (const o of ctx.orders) {
      assert.equal(o.price, o.side === 'BUY' ? 100_010 : 99_990);
      if (o.side === 'BUY') buys++;
    }
  }
  // 30 of 420 minutes before the open: about 7.1% act at the open
  assert.ok(Math.abs(atOpen / n - 30 / 420) < 0.02, `at the open: ${atOpen / n}`);
  assert.ok(Math.abs(buys / n - 0.5) < 0.05, `buys ${buys / n}`);
  // no order on an empty opposite side
  const ctx = new Recorder();
  const a = new NoiseAgent(RMSC04_NOISE, new OrderSizeModel());
  for (let i = 0; i < 50; i++) a.onSpread(ctx, spread(NaN, NaN));
  assert.equal(ctx.orders.length, 0);
});

test('value trader: cancels and asks at each wakeup; buys when the fundamental is above the mid, sells when below; 14.5% cross the spread', () => {
  const a = new ValueAgent(RMSC04_VALUE, 100_000, new OrderSizeModel());
  const ctx = new Recorder();
  a.start(ctx);
  assert.deepEqual(ctx.wakes, [OPEN]);
  a.wakeup(ctx);
  assert.equal(ctx.cancelAlls, 1);
  assert.deepEqual(ctx.queries, [0]);
  assert.ok(ctx.wakes[1]! > OPEN, 'next wakeup after an exponential gap');
  let crossed = 0;
  let n = 0;
  for (let i = 0; i < 3000; i++) {
    ctx.now += 1_000_000;
    ctx.fundamental = i % 2 === 0 ? 100_500 : 99_500; // $5 above or below a $1,000 mid
    const before = ctx.orders.length;
    a.onSpread(ctx, spread(99_995, 100_005));
    if (ctx.orders.length === before) continue; // size 0 drawn
    const o = ctx.orders[ctx.orders.length - 1]!;
    n++;
    // the estimate follows the observation (sigmaS dwarfs sigmaN): it trades toward the fundamental
    assert.equal(o.side, i % 2 === 0 ? 'BUY' : 'SELL');
    if (o.side === 'BUY') {
      assert.ok(o.price <= 100_005 && o.price > 100_005 - 20);
      if (o.price === 100_005) crossed++;
    } else {
      assert.ok(o.price >= 99_995 && o.price < 99_995 + 20);
      if (o.price === 99_995) crossed++;
    }
  }
  // adj = 0 with probability 0.1 + 0.9 / 20 (the uniform draw hits 0): 0.145
  assert.ok(Math.abs(crossed / n - 0.145) < 0.03, `crossing share ${crossed / n}`);
  // one-sided book: a random side at the forecast
  const c2 = new Recorder();
  c2.fundamental = 101_000;
  const b = new ValueAgent(RMSC04_VALUE, 100_000, new OrderSizeModel());
  for (let i = 0; i < 20; i++) {
    c2.now += 1_000_000; // (the first observation comes after the agent's latency: some time has passed)
    b.onSpread(c2, spread(NaN, 100_010));
  }
  assert.ok(c2.orders.length > 10);
  for (const o of c2.orders) assert.ok(Math.abs(o.price - 101_000) < 200, `price ${o.price}`);
});

test('momentum trader: waits for 50 mids, then buys at the ask in an up-trend and sells at the bid in a down-trend', () => {
  const a = new MomentumAgent(RMSC04_MOMENTUM, new OrderSizeModel());
  const ctx = new Recorder();
  for (let i = 0; i < 49; i++) a.onSpread(ctx, spread(100_000 + i, 100_002 + i));
  assert.equal(ctx.orders.length, 0, 'no order before 50 observations');
  assert.equal(ctx.wakes.length, 49, 'reschedules after every answer');
  for (let i = 49; i < 80; i++) a.onSpread(ctx, spread(100_000 + i, 100_002 + i));
  assert.ok(ctx.orders.length > 20);
  for (const o of ctx.orders) assert.equal(o.side, 'BUY');
  assert.equal(ctx.orders[0]!.price, 100_002 + 49);
  ctx.orders.length = 0;
  for (let i = 80; i < 200; i++) a.onSpread(ctx, spread(200_000 - 10 * i, 200_002 - 10 * i));
  const last = ctx.orders.slice(-20);
  for (const o of last) assert.equal(o.side, 'SELL');
});

test('market maker: a 10-level ladder around the skewed mid, spaced by levelSpacing * window, sized by POV', () => {
  const mm = new AdaptiveMarketMaker({ ...RMSC04_MARKET_MAKER, minImbalance: 0.9 });
  const ctx = new Recorder();
  mm.start(ctx);
  assert.ok(ctx.subscribed);
  mm.wakeup(ctx);
  assert.equal(ctx.cancelAlls, 1);
  assert.deepEqual(ctx.queries, [60_000_000]);
  // spread 4 ticks: window 0.75 * 4 + 0.25 * 50 = 15.5, spacing round(5 * 15.5) = 78 (rounds half up)
  // volume 10,000 (all buyer-initiated): imbalance 1, centre mid + 4; size 0.025 * 10,000 = 250 lots
  mm.onSpread(ctx, spread(99_998, 100_002, 10_000, 0));
  const bids = ctx.orders.filter((o) => o.side === 'BUY');
  const asks = ctx.orders.filter((o) => o.side === 'SELL');
  assert.equal(bids.length, 10);
  assert.equal(asks.length, 10);
  const centre = 100_000 + 4;
  assert.deepEqual(bids.map((o) => o.price), Array.from({ length: 10 }, (_, i) => centre - 7 - i * 78));
  assert.deepEqual(asks.map((o) => o.price), Array.from({ length: 10 }, (_, i) => centre + 8 + i * 78));
  for (const o of ctx.orders) assert.equal(o.qty, 250);
  // an answer without a pending requote is ignored
  mm.onSpread(ctx, spread(99_998, 100_002, 10_000, 0));
  assert.equal(ctx.orders.length, 20);
});

test('market maker: inventory limit and skew shape the sizes', () => {
  const mm = new AdaptiveMarketMaker({ ...RMSC04_MARKET_MAKER, maxInventory: 600 });
  const ctx = new Recorder();
  ctx.position = 500; // long 500: 100 lots of room to buy, 1,100 to sell
  mm.wakeup(ctx);
  mm.onSpread(ctx, spread(99_999, 100_001, 4_000, 4_000)); // q = 200 lots
  const buys = ctx.orders.filter((o) => o.side === 'BUY');
  const sells = ctx.orders.filter((o) => o.side === 'SELL');
  assert.deepEqual(buys.map((o) => o.qty), [100]);
  assert.deepEqual(sells.map((o) => o.qty), [200, 200, 200, 200, 200, 100]);
  const skew = new AdaptiveMarketMaker({ ...RMSC04_MARKET_MAKER, skewBeta: 0.01 });
  const c2 = new Recorder();
  c2.position = 100; // sigmoid(0.01 * 100) = 0.731: sell ceil(146.2) = 147, buy floor(53.8) = 53
  skew.wakeup(c2);
  skew.onSpread(c2, spread(99_999, 100_001, 4_000, 4_000));
  assert.equal(c2.orders.find((o) => o.side === 'SELL')!.qty, 147);
  assert.equal(c2.orders.find((o) => o.side === 'BUY')!.qty, 53);
});

test('market maker: a top-of-book imbalance of 0.9 or more triggers one requote until it falls back', () => {
  const mm = new AdaptiveMarketMaker(RMSC04_MARKET_MAKER);
  const ctx = new Recorder();
  const q = (bidSize: number, askSize: number) => ({ time: 0, bid: 99_999, bidSize, ask: 100_001, askSize });
  mm.onMarketData(ctx, q(100, 100));
  assert.equal(ctx.cancelAlls, 0);
  mm.onMarketData(ctx, q(1000, 10)); // 0.98
  assert.equal(ctx.cancelAlls, 1);
  mm.onSpread(ctx, spread(99_999, 100_001));
  mm.onMarketData(ctx, q(1000, 5)); // still imbalanced: no new requote
  assert.equal(ctx.cancelAlls, 1);
  mm.onMarketData(ctx, q(100, 100));
  mm.onMarketData(ctx, q(0, 100)); // 1.0: a new event
  assert.equal(ctx.cancelAlls, 2);
});
