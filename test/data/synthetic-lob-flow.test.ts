import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/core/errors.ts';
import { Instrument } from '../../src/market/instrument.ts';
import type { MatchListener } from '../../src/market/matching-engine.ts';
import type { CancelReason, Order, RejectReason } from '../../src/market/order.ts';
import { LobFlowModel, type LobFlowParams } from '../../src/data/synthetic/lob-flow.ts';

const inst = (): Instrument => new Instrument(1, { symbol: 'LOB', pricePrecision: 2, sizePrecision: 0, tickUnits: 5, lotUnits: 10 });

/** Snapshot of the whole L3 book: per side, per level, price and the queue's (id, leaves). */
function snapshot(m: LobFlowModel): string {
  const book = m.engine.book;
  const out: string[] = [];
  for (const side of ['BUY', 'SELL'] as const) {
    for (let i = 0; i < book.levelCount(side); i++) {
      const q: string[] = [];
      for (let o = book.levelHead(side, i); o !== null; o = o.next) q.push(`${o.id}:${o.leaves}`);
      out.push(`${side} ${book.levelPrice(side, i)} [${q.join(',')}]`);
    }
  }
  return out.join('\n');
}

/** Checks each fill as it happens: the taker is a market order and the price is the maker's limit. */
class Checker implements MatchListener {
  fills = 0;
  problems: string[] = [];
  accepted(): void {}
  rejected(_o: Order, _r: RejectReason): void {}
  fill(taker: Order, maker: Order, price: number, size: number): void {
    this.fills++;
    if (taker.type !== 'MARKET') {
      const crossing = taker.side === 'BUY' ? taker.price >= maker.price : taker.price <= maker.price;
      if (!crossing) this.problems.push(`non-crossing limit ${taker.id} traded`);
    }
    if (price !== maker.price) this.problems.push(`fill at ${price}, maker ${maker.id} rests at ${maker.price}`);
    if (!(size > 0) || size % 10 !== 0) this.problems.push(`fill size ${size} not a positive number of lots`);
    if (maker.side === taker.side) this.problems.push('maker and taker on the same side');
  }
  canceled(_o: Order, _r: CancelReason): void {}
  expired(): void {}
  modified(): void {}
  requestRejected(id: number, action: string, reason: string): void {
    this.problems.push(`${action} of ${id} refused: ${reason}`);
  }
  triggered(): void {}
}

test('same seed gives the same book, time and counters after N events; another seed differs', () => {
  const p: LobFlowParams = { sizeDist: 'geometric', meanLots: 3 };
  const a = new LobFlowModel(inst(), 42, p);
  const b = new LobFlowModel(inst(), 42, p);
  const c = new LobFlowModel(inst(), 43, p);
  assert.equal(a.run(20_000), b.run(20_000));
  c.run(20_000);
  assert.equal(snapshot(a), snapshot(b));
  assert.deepEqual(a.counters, b.counters);
  assert.notEqual(snapshot(a), snapshot(c));
});

test('the book is never crossed, spread >= 1 tick, trades only by takers that cross and at the maker price', () => {
  const checker = new Checker();
  const m = new LobFlowModel(inst(), 7, { observer: checker, sizeDist: 'geometric', meanLots: 2 });
  const book = m.engine.book;
  let prev = m.time;
  let twoSided = 0;
  for (let i = 0; i < 50_000; i++) {
    const t = m.step();
    assert.ok(Number.isInteger(t) && t >= prev, `time must be integer and non-decreasing at event ${i}`);
    prev = t;
    const bid = book.bestBid();
    const ask = book.bestAsk();
    if (bid === bid && ask === ask) {
      twoSided++;
      assert.ok(ask - bid >= 5, `spread ${ask - bid} below one tick at event ${i}`);
      assert.equal((ask - bid) % 5, 0);
    }
  }
  assert.deepEqual(checker.problems, []);
  const c = m.counters;
  assert.equal(checker.fills, c.trades);
  assert.ok(c.trades >= c.markets - c.unfilledMarkets, 'each filled market order makes at least one trade');
  assert.ok(c.trades > 1000);
  assert.ok(twoSided > 45_000, `book two-sided only ${twoSided} times`);
  assert.ok(Number.isFinite(m.engine.lastPrice));
});

test('resting orders stay within K ticks of the opposite best', () => {
  const m = new LobFlowModel(inst(), 3, { levels: 6 });
  const book = m.engine.book;
  for (let i = 0; i < 20_000; i++) {
    m.step();
    const bid = book.bestBid();
    const ask = book.bestAsk();
    if (ask === ask && bid === bid) {
      assert.ok(ask - book.levelPrice('BUY', book.levelCount('BUY') - 1) <= 6 * 5);
      assert.ok(book.levelPrice('SELL', book.levelCount('SELL') - 1) - bid <= 6 * 5);
    }
  }
});

test('the fractions of event kinds match their rates', () => {
  // cancel rates that vary with the distance exercise the thinning (acceptance theta(d) / max theta)
  const theta = [0.9, 0.2, 0.5, 0.3, 0.1, 0.6, 0.4, 0.05];
  const m = new LobFlowModel(inst(), 11, { k: 1, alpha: 0.5, mu: 0.8, theta, levels: 8 });
  const book = m.engine.book;
  const lam = Array.from(m.lambda).reduce((s, v) => s + v, 0);
  const n = 200_000;
  let cancelRateSum = 0;
  let totalSum = 0;
  for (let i = 0; i < n; i++) {
    // the cancel intensity the model uses: theta * lots within K ticks of the opposite best
    let cr = 0;
    const ask = book.bestAsk();
    const bid = book.bestBid();
    for (let j = 0; j < book.levelCount('BUY'); j++) {
      const d = (ask - book.levelPrice('BUY', j)) / 5;
      if (d >= 1 && d <= 8) cr += theta[d - 1]! * (book.levelSize('BUY', j) / 10);
    }
    for (let j = 0; j < book.levelCount('SELL'); j++) {
      const d = (book.levelPrice('SELL', j) - bid) / 5;
      if (d >= 1 && d <= 8) cr += theta[d - 1]! * (book.levelSize('SELL', j) / 10);
    }
    const total = 2 * lam + 1.6 + cr;
    cancelRateSum += cr / total;
    totalSum += 1 / total;
    m.step();
  }
  const c = m.counters;
  const expect = { adds: 0, markets: 0, cancels: cancelRateSum };
  // E[share of kind] = mean over events of rate_kind / total rate at that state
  expect.adds = 2 * lam * totalSum;
  expect.markets = 1.6 * totalSum;
  for (const kind of ['adds', 'markets', 'cancels'] as const) {
    const p = expect[kind] / n;
    const se = Math.sqrt((p * (1 - p)) / n);
    const z = (c[kind] / n - p) / se;
    assert.ok(Math.abs(z) < 5, `${kind}: ${c[kind]} events, expected ${expect[kind].toFixed(0)} (z = ${z.toFixed(2)})`);
  }
  assert.equal(c.adds + c.markets + c.cancels, n);
  // the mean waiting time matches 1 / total rate
  const meanWaitUs = (m.time - 0) / n;
  assert.ok(Math.abs(meanWaitUs / ((totalSum / n) * 1e6) - 1) < 0.02, `mean wait ${meanWaitUs} us`);
});

test('limit orders land at distance i with probability lambda(i) / sum(lambda)', () => {
  const seen = new Map<number, number>();
  const observer: MatchListener = {
    accepted(o: Order) {
      if (o.type === 'LIMIT' && o.side === 'BUY') {
        const d = (refAsk - o.price) / 5;
        seen.set(d, (seen.get(d) ?? 0) + 1);
      }
    },
    rejected() {}, fill() {}, canceled() {}, expired() {}, modified() {}, requestRejected() {}, triggered() {},
  };
  let refAsk = NaN;
  const m = new LobFlowModel(inst(), 5, { lambda: [4, 2, 1, 1], mu: 0.1, theta: 0.5, levels: 4, observer });
  seen.clear();
  for (let i = 0; i < 100_000; i++) {
    const a = m.engine.book.bestAsk();
    refAsk = a === a ? a : m.engine.book.bestBid() + 5;
    m.step();
  }
  const total = [...seen.values()].reduce((s, v) => s + v, 0);
  assert.deepEqual([...seen.keys()].sort(), [1, 2, 3, 4]);
  const w = [4, 2, 1, 1];
  for (let d = 1; d <= 4; d++) {
    const p = w[d - 1]! / 8;
    const z = (seen.get(d)! / total - p) / Math.sqrt((p * (1 - p)) / total);
    assert.ok(Math.abs(z) < 5, `distance ${d}: z = ${z.toFixed(2)}`);
  }
});

test('geometric sizes have the requested mean in lots', () => {
  let lots = 0;
  let count = 0;
  const observer: MatchListener = {
    accepted(o: Order) {
      lots += o.quantity / 10;
      count++;
    },
    rejected() {}, fill() {}, canceled() {}, expired() {}, modified() {}, requestRejected() {}, triggered() {},
  };
  const m = new LobFlowModel(inst(), 9, { sizeDist: 'geometric', meanLots: 4, observer });
  m.run(50_000);
  assert.ok(Math.abs(lots / count - 4) < 0.15, `mean size ${lots / count} lots`);
});

test('a bad parameter is a ConfigError naming it', () => {
  const cases: [LobFlowParams, string][] = [
    [{ mu: -1 }, 'lobFlow.mu'],
    [{ k: 0 }, 'lobFlow.k'],
    [{ levels: 0 }, 'lobFlow.levels'],
    [{ theta: [0.1, 0.2] }, 'lobFlow.theta'],
    [{ lambda: [1, 2, 3] }, 'lobFlow.lambda'],
    [{ meanLots: 1.5 }, 'lobFlow.meanLots'],
    [{ initialPrice: 10_001 }, 'lobFlow.initialPrice'],
    [{ sizeDist: 'pareto' as 'fixed' }, 'lobFlow.sizeDist'],
  ];
  for (const [p, path] of cases) {
    assert.throws(
      () => new LobFlowModel(inst(), 1, p),
      (e: unknown) => e instanceof ConfigError && e.issues.some((i) => i.path === path) && e.message.includes(path),
      path,
    );
  }
});

test('the seeded book has the requested levels and a one-tick spread either side of the mid', () => {
  const m = new LobFlowModel(inst(), 1, { initialPrice: 50_000, seedLevels: 3, seedOrders: 2, meanLots: 2 });
  const book = m.engine.book;
  assert.equal(book.levelCount('BUY'), 3);
  assert.equal(book.levelCount('SELL'), 3);
  assert.equal(book.bestBid(), 49_995);
  assert.equal(book.bestAsk(), 50_005);
  assert.equal(book.levelSize('BUY', 2), 40);
  assert.equal(book.levelOrderCount('SELL', 1), 2);
});

test('the resting size the model tracks for cancel thinning equals the book total', () => {
  const m = new LobFlowModel(inst(), 21, { sizeDist: 'geometric', meanLots: 3, levels: 5 });
  const book = m.engine.book;
  const total = (side: 'BUY' | 'SELL'): number => {
    let s = 0;
    for (let i = 0; i < book.levelCount(side); i++) s += book.levelSize(side, i);
    return s;
  };
  for (let i = 0; i < 20; i++) {
    m.run(1_000);
    assert.equal(m.restingSize('BUY'), total('BUY'));
    assert.equal(m.restingSize('SELL'), total('SELL'));
  }
  assert.ok(m.counters.pruned > 0 && m.counters.cancels > 0);
});
