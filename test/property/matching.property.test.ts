/**
 * Property tests of the order book and matching engine with fast-check: random sequences of limit,
 * market, stop and stop-limit orders (all times in force, post-only, reduce-only, four owners under a
 * random self-trade prevention mode), cancels and modifies of random ids, external trade prints and
 * time steps with expiry. Normal suite: >= 100,000 operations. `MARKETSIM_LONG=1`: 10,000,000.
 *
 * Invariants, after every operation: the book is not crossed; each level's aggregate size and count
 * equal the sum over its orders; priorities increase along each level (FIFO); every resting order is
 * open with something left. At the end of every run: quantity = filled + closedQuantity + leaves for
 * every order; the sum of all order quantities = filled + canceled + expired + rejected-after-trigger +
 * resting; every order is in a documented state consistent with where it is; buy fills = sell fills;
 * filledNotional = sum of its fills; fills respect limit prices and happen at the maker's price; and
 * replaying the recorded listener calls into a fresh book rebuilds the same L3 book.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MatchingEngine } from '../../src/market/matching-engine.ts';
import type { OrderBook } from '../../src/market/order-book.ts';
import { Order, type SelfTradePrevention, type Side, type TimeInForce } from '../../src/market/order.ts';
import { PLAIN, Recorder, dumpL3, rebuildBook } from '../market/match-recorder.ts';

const LONG = process.env.MARKETSIM_LONG === '1';
/** Runs have 1..MAX_OPS operations (variable, so that fast-check can shrink a failure to a short sequence). */
const MAX_OPS = 600;
const RUNS = LONG ? 35_000 : 400;
/** In long mode the per-operation book check runs every CHECK_EVERY operations (the end-of-run checks always run). */
const CHECK_EVERY = LONG ? 10 : 1;
/** Fixed seed in the normal suite (reproducible); random in long mode; `MARKETSIM_SEED=n` overrides both. */
const SEED = process.env.MARKETSIM_SEED !== undefined ? Number(process.env.MARKETSIM_SEED) : LONG ? undefined : 20240601;
const MID = 100;
const T0 = 1_700_000_000_000_000;

type Op =
  | { k: 'limit'; side: Side; off: number; qty: number; tif: TimeInForce; postOnly: boolean; reduceOnly: boolean; owner: number; life: number }
  | { k: 'market'; side: Side; qty: number; fok: boolean; owner: number }
  | { k: 'stop'; side: Side; trig: number; lim: number | null; qty: number; tif: TimeInForce; owner: number; life: number }
  | { k: 'cancel'; pick: number }
  | { k: 'modify'; pick: number; off: number | null; qty: number | null }
  | { k: 'trade'; off: number }
  | { k: 'time'; dt: number };

const side = fc.constantFrom<Side>('BUY', 'SELL');
const qty = fc.oneof({ weight: 20, arbitrary: fc.integer({ min: 1, max: 6 }) }, { weight: 1, arbitrary: fc.constantFrom(0, -1, 1.5, NaN) });
const owner = fc.integer({ min: 0, max: 3 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      k: fc.constant('limit' as const),
      side,
      off: fc.integer({ min: -4, max: 6 }),
      qty,
      tif: fc.constantFrom<TimeInForce>('GTC', 'GTC', 'GTC', 'DAY', 'GTD', 'IOC', 'FOK'),
      postOnly: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
      reduceOnly: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
      owner,
      life: fc.integer({ min: 1, max: 40 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('market' as const), side, qty, fok: fc.integer({ min: 0, max: 4 }).map((n) => n === 0), owner }) },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('stop' as const),
      side,
      trig: fc.integer({ min: -6, max: 6 }),
      lim: fc.option(fc.integer({ min: -3, max: 3 })),
      qty,
      tif: fc.constantFrom<TimeInForce>('GTC', 'GTD', 'DAY', 'IOC'),
      owner,
      life: fc.integer({ min: 1, max: 60 }),
    }),
  },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('cancel' as const), pick: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constant('modify' as const),
      pick: fc.nat(),
      off: fc.option(fc.integer({ min: -5, max: 6 })),
      qty: fc.option(fc.integer({ min: 0, max: 8 })),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('trade' as const), off: fc.integer({ min: -6, max: 6 }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('time' as const), dt: fc.integer({ min: 0, max: 15 }) }) },
);

/** A recorder that also checks every fill as it happens. */
class CheckingRecorder extends Recorder {
  constructor(private readonly book: () => OrderBook) {
    super();
  }
  override fill(taker: Order, maker: Order, price: number, size: number, time: number): void {
    assert.notEqual(taker.side, maker.side, 'taker and maker on opposite sides');
    assert.equal(maker.price, price, `fill at the maker's price (maker ${maker.id})`);
    assert.ok(size > 0 && Number.isInteger(size), `fill size ${size}`);
    const limitLike = taker.type === 'LIMIT' || taker.type === 'STOP_LIMIT';
    if (limitLike) assert.ok(taker.side === 'BUY' ? price <= taker.price : price >= taker.price, `taker ${taker.id} limit ${taker.price} respected at ${price}`);
    assert.ok(taker.leaves >= 0 && maker.leaves >= 0);
    if (maker.leaves === 0) assert.equal(this.book().get(maker.id), undefined, 'a filled maker has left the book');
    super.fill(taker, maker, price, size, time);
  }
}

/** Book invariants: not crossed, aggregates, FIFO, resting orders open. */
function checkBook(book: OrderBook): void {
  const bb = book.bestBid();
  const ba = book.bestAsk();
  if (bb === bb && ba === ba) assert.ok(bb < ba, `book crossed: ${bb} >= ${ba}`);
  let total = 0;
  for (const s of ['BUY', 'SELL'] as const) {
    let prevPrice = NaN;
    for (let i = 0; i < book.levelCount(s); i++) {
      const p = book.levelPrice(s, i);
      if (prevPrice === prevPrice) assert.ok(s === 'BUY' ? p < prevPrice : p > prevPrice, 'levels sorted best first');
      prevPrice = p;
      let size = 0;
      let count = 0;
      let prio = -Infinity;
      for (let o = book.levelHead(s, i); o !== null; o = o.next) {
        assert.equal(o.side, s);
        assert.equal(o.price, p);
        assert.ok(o.priority > prio, `FIFO: priority increases along level ${s} ${p}`);
        prio = o.priority;
        assert.ok(o.status === 'ACCEPTED' || o.status === 'PARTIALLY_FILLED', `resting order ${o.id} is ${o.status}`);
        assert.equal(o.status === 'PARTIALLY_FILLED', o.filled > 0, `order ${o.id} status matches its fills`);
        assert.ok(o.leaves > 0, `resting order ${o.id} has something left`);
        assert.equal(book.get(o.id), o);
        size += o.leaves;
        count++;
      }
      assert.equal(book.levelSize(s, i), size, `level ${s} ${p} aggregate size`);
      assert.equal(book.levelOrderCount(s, i), count, `level ${s} ${p} order count`);
      total += count;
    }
  }
  assert.equal(book.size, total, 'id index holds exactly the resting orders');
}

/** True when the order passes the checks that come before the duplicate-id check (size and price grid). */
function validOnly(o: Order): boolean {
  return Number.isInteger(o.quantity) && o.quantity > 0 && !o.reduceOnly;
}

const STATES = new Set(['ACCEPTED', 'PARTIALLY_FILLED', 'FILLED', 'CANCELED', 'EXPIRED', 'REJECTED']);

let totalOps = 0;
/** How often each kind of outcome happened over all runs (the generator must exercise every rule). */
const coverage = new Map<string, number>();

/** Runs one random sequence and checks every invariant; returns the number of operations. */
function runOne(ops: readonly Op[], stp: SelfTradePrevention): void {
  let eng!: MatchingEngine;
  const rec = new CheckingRecorder(() => eng.book);
  eng = new MatchingEngine(PLAIN, rec, {
    stp,
    reduceOnlyCapacity: (o) => o * 2,
    dayEnd: (t) => (Math.floor(t / 100) + 1) * 100, // a "session" every 100 us, to exercise DAY expiry
  });
  const orders: Order[] = [];
  const ids: number[] = [];
  let nextId = 1;
  let now = T0;
  let n = 0;
  for (const op of ops) {
    switch (op.k) {
      case 'limit':
      case 'market':
      case 'stop': {
        // ids are sparse and large on purpose (vendor-like), with an occasional duplicate
        const dup = ids.length > 0 && nextId % 37 === 0;
        const id = dup ? ids[ids.length - 1]! : 1_000_000_007 * nextId;
        nextId++;
        let o: Order;
        if (op.k === 'limit') {
          o = new Order(id, {
            instrument: PLAIN,
            side: op.side,
            type: 'LIMIT',
            quantity: op.qty,
            price: op.side === 'BUY' ? MID - op.off : MID + op.off,
            tif: op.tif,
            expireTime: op.tif === 'GTD' ? now + op.life : undefined,
            postOnly: op.postOnly,
            reduceOnly: op.reduceOnly,
            owner: op.owner,
          });
        } else if (op.k === 'market') {
          o = new Order(id, { instrument: PLAIN, side: op.side, type: 'MARKET', quantity: op.qty, tif: op.fok ? 'FOK' : 'GTC', owner: op.owner });
        } else {
          o = new Order(id, {
            instrument: PLAIN,
            side: op.side,
            type: op.lim === null ? 'STOP' : 'STOP_LIMIT',
            quantity: op.qty,
            triggerPrice: MID + op.trig,
            price: op.lim === null ? undefined : MID + op.trig + (op.side === 'BUY' ? op.lim : -op.lim),
            tif: op.tif,
            expireTime: op.tif === 'GTD' ? now + op.life : undefined,
            owner: op.owner,
          });
        }
        eng.expire(now); // what the submit itself would expire first
        const holder = eng.book.get(id) ?? eng.stops.get(id);
        eng.submit(o, now);
        assert.ok(STATES.has(o.status), `order ${o.id} in a documented state after submit: ${o.status}`);
        if (holder !== undefined) {
          // the id is taken by an open order: refused (duplicate, or an earlier validation failure)
          assert.equal(o.status, 'REJECTED');
          if (o.rejectReason !== 'DUPLICATE_ORDER_ID') assert.notEqual(validOnly(o), true);
          assert.ok(holder.status === 'ACCEPTED' || holder.status === 'PARTIALLY_FILLED' || holder.isDone, 'the holder is untouched by the refusal');
        } else {
          // a new id, or the id of a finished order (reuse is allowed)
          orders.push(o);
          if (!dup) ids.push(id);
        }
        break;
      }
      case 'cancel': {
        const id = op.pick % 8 === 7 || ids.length === 0 ? -op.pick : ids[ids.length - 1 - (op.pick % Math.min(ids.length, 30))]!;
        eng.expire(now); // what the cancel itself would expire first
        const live = eng.book.get(id) ?? eng.stops.get(id);
        assert.equal(eng.cancel(id, now), live !== undefined);
        if (live) assert.equal(live.status, 'CANCELED');
        break;
      }
      case 'modify': {
        const id = ids.length === 0 ? -1 : ids[ids.length - 1 - (op.pick % Math.min(ids.length, 30))]!;
        eng.expire(now);
        const target = eng.book.get(id) ?? eng.stops.get(id);
        const price = op.off === null ? NaN : target && target.side === 'SELL' ? MID + op.off : MID - op.off;
        const ok = eng.modify(id, price, op.qty === null ? NaN : op.qty, now);
        if (target === undefined) assert.equal(ok, false);
        break;
      }
      case 'trade':
        eng.onExternalTrade(MID + op.off, now);
        break;
      case 'time':
        now += op.dt;
        if (op.dt > 10) {
          const next = eng.nextExpiry();
          eng.expire(now);
          assert.ok(eng.nextExpiry() > now, 'nothing left to expire at or before now');
          assert.ok(next >= T0);
        }
        break;
    }
    n++;
    if (n % CHECK_EVERY === 0) checkBook(eng.book);
    now += 1;
  }
  totalOps += n;
  for (const line of rec.log) {
    const parts = line.split(' ');
    const key = parts[0] === 'fill' || parts[0] === 'accepted' || parts[0] === 'triggered' || parts[0] === 'modified' || parts[0] === 'expired' ? parts[0]! : `${parts[0]} ${parts[2]}`;
    coverage.set(key, (coverage.get(key) ?? 0) + 1);
  }

  // ---- end-of-run checks
  checkBook(eng.book);
  let sumQty = 0, sumFilled = 0, sumCanceled = 0, sumExpired = 0, sumRejected = 0, sumLive = 0, buys = 0, sells = 0;
  for (const o of orders) {
    assert.ok(STATES.has(o.status), `order ${o.id}: ${o.status}`);
    if (o.rejectReason === 'BAD_SIZE') {
      assert.ok(!(Number.isInteger(o.quantity) && o.quantity > 0));
      continue; // an invalid quantity: nothing to conserve
    }
    assert.ok(o.leaves >= 0, `order ${o.id} leaves ${o.leaves}`);
    assert.equal(o.quantity, o.filled + o.closedQuantity + o.leaves, `order ${o.id}: quantity = filled + closed + leaves`);
    const live = eng.book.get(o.id) === o || eng.stops.get(o.id) === o;
    if (live) {
      assert.ok(o.status === 'ACCEPTED' || o.status === 'PARTIALLY_FILLED', `live order ${o.id} is ${o.status}`);
      assert.equal(o.closedQuantity, 0);
    } else {
      assert.equal(o.leaves, 0, `finished order ${o.id} (${o.status}) has nothing left`);
      if (o.status === 'FILLED') assert.equal(o.filled, o.quantity);
      if (o.status === 'CANCELED') assert.ok(o.cancelReason !== undefined);
      if (o.status === 'REJECTED') assert.ok(o.rejectReason !== undefined);
    }
    assert.equal(o.filledNotional, rec.notional.get(o) ?? 0, `order ${o.id} filledNotional`);
    if (o.status === 'REJECTED' && !o.triggered) {
      assert.equal(o.filled, 0);
      continue; // never entered the engine
    }
    sumQty += o.quantity;
    sumFilled += o.filled;
    sumLive += o.leaves;
    if (o.status === 'CANCELED') sumCanceled += o.closedQuantity;
    else if (o.status === 'EXPIRED') sumExpired += o.closedQuantity;
    else if (o.status === 'REJECTED') sumRejected += o.closedQuantity;
    else assert.equal(o.closedQuantity, 0);
    if (o.side === 'BUY') buys += o.filled;
    else sells += o.filled;
  }
  assert.equal(sumQty, sumFilled + sumCanceled + sumExpired + sumRejected + sumLive, 'size conserved over all orders');
  let resting = 0;
  for (const s of ['BUY', 'SELL'] as const) for (let i = 0; i < eng.book.levelCount(s); i++) resting += eng.book.levelSize(s, i);
  for (const s of ['BUY', 'SELL'] as const) for (let i = 0; i < eng.stops.levelCount(s); i++) resting += eng.stops.level(s, i)!.size;
  assert.equal(sumLive, resting, 'open size = book + stop book');
  assert.equal(buys, sells, 'buy fills = sell fills');
  assert.equal(rec.buyFilled, rec.sellFilled);
  assert.equal(rec.buyFilled, buys);
  assert.deepEqual(dumpL3(rebuildBook(rec.events, PLAIN)), dumpL3(eng.book), 'the event stream rebuilds the book');
}

test(`matching engine invariants over ${LONG ? '10,000,000' : '100,000'}+ random operations`, { timeout: LONG ? 0 : 120_000 }, () => {
  totalOps = 0;
  fc.assert(
    fc.property(fc.array(opArb, { minLength: 1, maxLength: MAX_OPS, size: 'max' }), fc.constantFrom<SelfTradePrevention>('CANCEL_TAKER', 'CANCEL_MAKER', 'CANCEL_BOTH', 'NONE'), (ops, stp) => {
      runOne(ops, stp);
    }),
    { numRuns: RUNS, seed: SEED },
  );
  assert.ok(totalOps >= (LONG ? 10_000_000 : 100_000), `ran ${totalOps} operations`);
  if (process.env.MARKETSIM_COVERAGE) console.log([...coverage].sort().map(([k, v]) => `${k}: ${v}`).join('\n'));
  const expected = [
    'accepted', 'fill', 'triggered', 'modified', 'expired',
    'canceled USER', 'canceled IOC_REMAINDER', 'canceled NO_LIQUIDITY', 'canceled SELF_TRADE',
    'rejected BAD_SIZE', 'rejected FOK_NOT_FILLABLE', 'rejected POST_ONLY_WOULD_CROSS', 'rejected REDUCE_ONLY_WOULD_INCREASE', 'rejected DUPLICATE_ORDER_ID',
    'cancel-rejected UNKNOWN_ORDER', 'cancel-rejected ORDER_NOT_OPEN', 'modify-rejected ORDER_NOT_OPEN', 'modify-rejected BAD_SIZE',
  ];
  for (const k of expected) assert.ok((coverage.get(k) ?? 0) > 0, `the random operations never produced "${k}"`);
});

test('a long cascade of stops, each triggering the next, terminates with every stop fired once', () => {
  const rec = new Recorder();
  const eng = new MatchingEngine(PLAIN, rec);
  const n = 2000;
  for (let i = 0; i < n; i++) eng.submit(new Order(i + 1, { instrument: PLAIN, side: 'BUY', type: 'LIMIT', price: 10_000 - i, quantity: 1 }), 1);
  for (let i = 0; i < n - 1; i++) eng.submit(new Order(100_000 + i, { instrument: PLAIN, side: 'SELL', type: 'STOP', triggerPrice: 10_000 - i, quantity: 1 }), 2);
  eng.submit(new Order(999_999, { instrument: PLAIN, side: 'SELL', type: 'LIMIT', price: 10_000, quantity: 1 }), 3);
  assert.equal(rec.log.filter((l) => l.startsWith('triggered')).length, n - 1);
  assert.equal(eng.stops.size, 0);
  assert.equal(eng.book.size, 0);
  assert.equal(eng.lastPrice, 10_000 - (n - 1));
});
