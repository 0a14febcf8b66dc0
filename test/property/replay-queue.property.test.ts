/**
 * Property tests of the replayed book with fast-check.
 *
 * 1. Queue models on the same data: random order-by-order streams at one bid price, from a FIFO venue,
 *    starting with five adds
 *    (adds, cancels (partial or whole), and executions that always hit the oldest order of the level),
 *    with our buy joining the queue at a random moment. After every event, the risk-averse model has
 *    never filled more (so never earlier) than the exact L3 FIFO model, and FIFO never fills more than
 *    what executed behind the orders ahead of us. With executions anywhere in the queue (not FIFO),
 *    risk-averse still never fills at an earlier event than FIFO.
 * 2. Taken liquidity: random L2 deltas and snapshots of the ask side interleaved with our market and
 *    IOC limit buys. What our orders take at a level since the data last set it never exceeds that
 *    level's size; each order takes the best prices first and leaves a remainder only when nothing
 *    within its limit is left; quantity = filled + closed + leaves.
 *
 * Normal suite: fixed seed; `MARKETSIM_LONG=1`: many more runs with a random seed; `MARKETSIM_SEED=n` overrides.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Instrument } from '../../src/market/instrument.ts';
import { Order } from '../../src/market/order.ts';
import type { BookDeltaEvent, BookSnapshotEvent, L3Event } from '../../src/market/market-data.ts';
import { L3FifoQueueModel, PowerProbQueueFunc, ProbQueueModel, ReplayBook, RiskAverseQueueModel, type QueueModel } from '../../src/market/replay/index.ts';

const LONG = process.env.MARKETSIM_LONG === '1';
const SEED = process.env.MARKETSIM_SEED !== undefined ? Number(process.env.MARKETSIM_SEED) : LONG ? undefined : 20240607;
const RUNS = LONG ? 20_000 : 300;
const inst = new Instrument(0, { symbol: 'XYZ', pricePrecision: 2 });
const P = 10000;

type Cmd = { k: 'add' | 'cancel' | 'exec' | 'execAll'; a: number; b: number };
const cmdArb = fc.record({ k: fc.constantFrom<Cmd['k'][]>('add', 'cancel', 'exec', 'execAll'), a: fc.nat(1000), b: fc.nat(1000) });

/**
 * Turns random commands into a valid L3 stream at bid price P. `fifo`: executions hit the oldest order
 * of the level (a FIFO venue); else any order (hidden priority, pro-rata or inconsistent data).
 */
function l3Stream(cmds: Cmd[], fifo = true): L3Event[] {
  const queue: { id: number; size: number }[] = [];
  const out: L3Event[] = [];
  let id = 1;
  let t = 1;
  const ev = (action: L3Event['action'], orderId: number, size: number): void => {
    out.push({ kind: 'l3', time: t++, instrument: inst, action, orderId, side: 'BUY', price: P, size });
  };
  for (let n = 0; n < cmds.length; n++) {
    const c = cmds[n]!;
    if (c.k === 'add' || queue.length === 0 || n < 5) {
      const size = 1 + (c.a % 50);
      queue.push({ id, size });
      ev('add', id++, size);
    } else if (c.k === 'cancel') {
      const i = c.a % queue.length;
      const o = queue[i]!;
      const size = 1 + (c.b % o.size);
      if (size === o.size) {
        ev('delete', o.id, size);
        queue.splice(i, 1);
      } else {
        ev('cancel', o.id, size);
        o.size -= size;
      }
    } else {
      const i = fifo ? 0 : c.a % queue.length;
      const o = queue[i]!;
      const size = c.k === 'execAll' ? o.size : 1 + (c.b % o.size);
      ev('execute', o.id, size);
      o.size -= size;
      if (o.size === 0) queue.splice(i, 1);
    }
  }
  return out;
}

/** Fed the stream with our buy of `qty` joining before event `join`: cumulative filled after each event. */
function filledPath(model: QueueModel, events: L3Event[], join: number, qty: number): number[] {
  const b = new ReplayBook(inst, () => {}, { queueModel: model });
  const o = new Order(1, { instrument: inst, side: 'BUY', type: 'LIMIT', quantity: qty, price: P });
  const path: number[] = [];
  for (let i = 0; i < events.length; i++) {
    if (i === join) assert.equal(b.submit(o, events[i]!.time), 'RESTING');
    b.onEvent(events[i]!);
    path.push(o.filled);
    assert.equal(o.quantity, o.filled + o.closedQuantity + o.leaves);
  }
  return path;
}

test('property: on the same L3 data, risk-averse never fills earlier or more than L3 FIFO', () => {
  let fifoFilledRuns = 0;
  let raLaterRuns = 0;
  fc.assert(
    fc.property(fc.noBias(fc.array(cmdArb, { minLength: 20, maxLength: 300, size: 'max' })), fc.noBias(fc.integer({ min: 0, max: 1_000_000 })), fc.integer({ min: 1, max: 30 }), (cmds, joinAt, qty) => {
      const events = l3Stream(cmds);
      const join = 5 + (joinAt % Math.ceil((events.length - 5) / 2)); // after the first 5 adds, early enough for the queue to move
      const fifo = filledPath(new L3FifoQueueModel(), events, join, qty);
      const ra = filledPath(new RiskAverseQueueModel(), events, join, qty);
      filledPath(new ProbQueueModel(new PowerProbQueueFunc(2)), events, join, qty); // consistency checks only
      let executedAfterJoin = 0;
      for (let i = 0; i < events.length; i++) {
        if (i >= join && events[i]!.action === 'execute') executedAfterJoin += events[i]!.size;
        assert.ok(ra[i]! <= fifo[i]!, `event ${i}: risk-averse filled ${ra[i]} > FIFO ${fifo[i]}`);
        assert.ok(fifo[i]! <= executedAfterJoin, `event ${i}: FIFO filled ${fifo[i]} > executed ${executedAfterJoin}`);
      }
      if (fifo.at(-1)! > 0) fifoFilledRuns++;
      if (fifo.findIndex((x) => x > 0) < ra.findIndex((x) => x > 0) || (fifo.at(-1)! > 0 && ra.at(-1) === 0)) raLaterRuns++;
    }),
    { numRuns: RUNS, seed: SEED },
  );
  // the generator must exercise fills, and cases where the two models differ
  console.log(`queue property: ${fifoFilledRuns} of ${RUNS} runs filled under FIFO, ${raLaterRuns} filled later (or never) under risk-averse`);
  assert.ok(fifoFilledRuns > RUNS / 4, `only ${fifoFilledRuns} runs filled`);
  assert.ok(raLaterRuns > RUNS / 10, `only ${raLaterRuns} runs where risk-averse filled later`);
});

test('property: on any L3 data (executions anywhere in the queue), risk-averse never fills earlier than L3 FIFO', () => {
  fc.assert(
    fc.property(fc.noBias(fc.array(cmdArb, { minLength: 20, maxLength: 300, size: 'max' })), fc.noBias(fc.integer({ min: 0, max: 1_000_000 })), fc.integer({ min: 1, max: 30 }), (cmds, joinAt, qty) => {
      const events = l3Stream(cmds, false);
      const join = 5 + (joinAt % Math.ceil((events.length - 5) / 2));
      const fifo = filledPath(new L3FifoQueueModel(), events, join, qty);
      const ra = filledPath(new RiskAverseQueueModel(), events, join, qty);
      const firstRa = ra.findIndex((x) => x > 0);
      const firstFifo = fifo.findIndex((x) => x > 0);
      if (firstRa >= 0) assert.ok(firstFifo >= 0 && firstFifo <= firstRa, `risk-averse first filled at event ${firstRa}, FIFO at ${firstFifo}`);
    }),
    { numRuns: RUNS, seed: SEED },
  );
});

const PRICES = [10001, 10002, 10003, 10004, 10005];

test('property: taken liquidity is never taken twice before the data sets the level again', () => {
  const opArb = fc.record({ k: fc.integer({ min: 0, max: 5 }), p: fc.integer({ min: 0, max: PRICES.length - 1 }), s: fc.integer({ min: 0, max: 30 }), lim: fc.integer({ min: 0, max: PRICES.length }) });
  fc.assert(
    fc.property(fc.array(opArb, { minLength: 1, maxLength: 200, size: 'max' }), (ops) => {
      const taken = new Map<number, number>();
      const size = new Map<number, number>();
      let current: number[] = [];
      const b = new ReplayBook(inst, (_o, price, qty, liq) => {
        assert.equal(liq, 'TAKER');
        current.push(price);
        taken.set(price, (taken.get(price) ?? 0) + qty);
        assert.ok(taken.get(price)! <= (size.get(price) ?? 0), `took ${taken.get(price)} at ${price} of ${size.get(price) ?? 0}`);
      });
      let id = 1;
      let t = 1;
      for (const op of ops) {
        t++;
        if (op.k <= 1) {
          const e: BookDeltaEvent = { kind: 'book-delta', time: t, instrument: inst, side: 'SELL', price: PRICES[op.p]!, size: op.s, sequence: 0, last: true };
          b.onEvent(e);
          size.set(e.price, e.size);
          taken.set(e.price, 0);
        } else if (op.k === 2) {
          const levels = PRICES.filter((_, i) => (op.s >> i) & 1);
          const e: BookSnapshotEvent = { kind: 'book-snapshot', time: t, instrument: inst, bidPrices: [], bidSizes: [], askPrices: levels, askSizes: levels.map((p) => 1 + ((p * op.s) % 25)), sequence: 0 };
          b.onEvent(e);
          size.clear();
          taken.clear();
          levels.forEach((p, i) => size.set(p, e.askSizes[i]!));
        } else {
          const lim = op.lim === PRICES.length ? Infinity : PRICES[op.lim]!;
          const o =
            lim === Infinity
              ? new Order(id++, { instrument: inst, side: 'BUY', type: 'MARKET', quantity: 1 + op.s })
              : new Order(id++, { instrument: inst, side: 'BUY', type: 'LIMIT', quantity: 1 + op.s, price: lim, tif: 'IOC' });
          current = [];
          const outcome = b.submit(o, t);
          assert.equal(o.quantity, o.filled + o.closedQuantity + o.leaves);
          for (let i = 1; i < current.length; i++) assert.ok(current[i]! > current[i - 1]!, 'best prices first, each level once');
          if (outcome === 'REMAINDER') {
            for (const p of PRICES) if (p <= lim) assert.equal(b.availableAt('SELL', p), 0, `left ${b.availableAt('SELL', p)} at ${p} with a remainder`);
          } else assert.equal(outcome, 'FILLED');
        }
      }
    }),
    { numRuns: RUNS, seed: SEED },
  );
});
