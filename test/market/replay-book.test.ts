/**
 * Our orders inside a replayed book (src/market/replay/replay-book.ts). Each worked example of
 * docs/queue-models.md is one of these tests (named in the doc); prices are written in cents
 * (price units of a stock quoted to the cent), sizes in shares.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Instrument } from '../../src/market/instrument.ts';
import { Order, type Side, type TimeInForce } from '../../src/market/order.ts';
import type { Liquidity } from '../../src/market/fees.ts';
import type { BookDeltaEvent, BookSnapshotEvent, L3Action, L3Event, TradeEvent } from '../../src/market/market-data.ts';
import {
  L3FifoQueueModel,
  LogProbQueueFunc,
  LogProbQueueFunc2,
  PowerProbQueueFunc,
  PowerProbQueueFunc2,
  PowerProbQueueFunc3,
  ProbQueueModel,
  ReplayBook,
  RiskAverseQueueModel,
  RecordedLatency,
  bookFill,
  type QueueModel,
  type ReplayEvent,
} from '../../src/market/replay/index.ts';

const inst = new Instrument(0, { symbol: 'XYZ', pricePrecision: 2 });
const other = new Instrument(1, { symbol: 'ABC', pricePrecision: 2 });

interface FillRec {
  id: number;
  price: number;
  size: number;
  liq: Liquidity;
  time: number;
}

function setup(queueModel?: QueueModel, instrument = inst): { b: ReplayBook; fills: FillRec[] } {
  const fills: FillRec[] = [];
  const b = new ReplayBook(instrument, (o, price, size, liq, time) => fills.push({ id: o.id, price, size, liq, time }), queueModel ? { queueModel } : {});
  return { b, fills };
}
const delta = (time: number, side: Side, price: number, size: number, instrument = inst): BookDeltaEvent => ({ kind: 'book-delta', time, instrument, side, price, size, sequence: 0, last: true });
function snap(time: number, bids: [number, number][], asks: [number, number][]): BookSnapshotEvent {
  return { kind: 'book-snapshot', time, instrument: inst, bidPrices: bids.map((l) => l[0]), bidSizes: bids.map((l) => l[1]), askPrices: asks.map((l) => l[0]), askSizes: asks.map((l) => l[1]), sequence: 0 };
}
const l3 = (time: number, action: L3Action, orderId: number, size: number, price = 10000, side: Side = 'BUY'): L3Event => ({ kind: 'l3', time, instrument: inst, action, orderId, side, price, size });
const trade = (time: number, price: number, size: number, aggressor: Side | undefined): TradeEvent => ({ kind: 'trade', time, instrument: inst, price, size, aggressor });
let nextId = 1;
function limit(side: Side, quantity: number, price: number, tif: TimeInForce = 'GTC', postOnly = false): Order {
  return new Order(nextId++, { instrument: inst, side, type: 'LIMIT', quantity, price, tif, postOnly });
}
function market(side: Side, quantity: number): Order {
  return new Order(nextId++, { instrument: inst, side, type: 'MARKET', quantity });
}
const short = (f: FillRec[]): string[] => f.map((x) => `t${x.time} ${x.size}@${x.price} ${x.liq}`);
function consistent(o: Order): void {
  assert.equal(o.quantity, o.filled + o.closedQuantity + o.leaves);
}

// ------------------------------------------------------------------------------------------- queues

/**
 * The queue example of docs/queue-models.md: bid 100.00 holds A 30 and B 20 (L3 ids 1, 2); at t3 we
 * join with a buy of 10 at 100.00 (50 ahead of us). Then C adds 40 behind us, B cancels, A executes,
 * and C executes 10 at a time.
 */
const queueData = [l3(4, 'add', 3, 40), l3(5, 'cancel', 2, 20), l3(6, 'execute', 1, 30), l3(7, 'execute', 3, 10), l3(8, 'execute', 3, 10), l3(9, 'execute', 3, 10), l3(10, 'execute', 3, 10)];

function runQueueExample(model: QueueModel): { fills: FillRec[]; fronts: number[]; order: Order } {
  const { b, fills } = setup(model);
  b.onEvent(l3(1, 'add', 1, 30));
  b.onEvent(l3(2, 'add', 2, 20));
  const order = limit('BUY', 10, 10000);
  assert.equal(b.submit(order, 3), 'RESTING');
  const fronts = [b.queueAhead(order.id)];
  for (const e of queueData) {
    b.onEvent(e);
    fronts.push(b.queueAhead(order.id));
  }
  return { fills, fronts, order };
}

test('queue example: L3 FIFO fills at t7, when the first order behind us executes', () => {
  const { fills, fronts, order } = runQueueExample(new L3FifoQueueModel());
  // 50 ahead; C's add is behind (50); B's cancel is ahead (30); A's execution is ahead (0); C's execution fills us
  assert.deepEqual(fronts.slice(0, 4), [50, 50, 30, 0]);
  assert.deepEqual(short(fills), ['t7 10@10000 MAKER']);
  assert.equal(order.status, 'FILLED');
});

test('queue example: risk-averse fills at t9, only once trades at our price exceed the 50 ahead', () => {
  const { fills, fronts } = runQueueExample(new RiskAverseQueueModel());
  // cancels never move us (50, 50); the level shrinking to 40 does not cap 20; trades of 30, 10, 10 bring us to 0
  assert.deepEqual(fronts.slice(0, 6), [50, 50, 50, 20, 10, 0]);
  assert.deepEqual(short(fills), ['t9 10@10000 MAKER']);
});

test('queue example: probabilistic power(2) fills 2 at t7 and 8 at t8, between FIFO and risk-averse', () => {
  const { fills, fronts, order } = runQueueExample(new ProbQueueModel(new PowerProbQueueFunc(2)));
  // B's cancel of 20: back 40, p = 40^2 / (40^2 + 50^2) = 0.390; front = 50 - 0.610 * 20 = 37.805
  assert.ok(Math.abs(fronts[2]! - 37.804878) < 1e-6);
  // A's execution of 30 (trade, then the depth change it explains): 7.805
  assert.ok(Math.abs(fronts[3]! - 7.804878) < 1e-6);
  // C's first execution of 10 goes 2.195 past us: 2 whole shares fill, the fraction is dropped
  assert.deepEqual(short(fills), ['t7 2@10000 MAKER', 't8 8@10000 MAKER']);
  assert.equal(order.status, 'FILLED');
});

test('queue example: every probability function completes between FIFO (t7) and risk-averse (t9)', () => {
  const funcs = [new PowerProbQueueFunc(1), new PowerProbQueueFunc(3), new PowerProbQueueFunc2(2), new PowerProbQueueFunc3(2), new LogProbQueueFunc(), new LogProbQueueFunc2()];
  const done: Record<string, number> = {};
  for (const f of funcs) {
    const { fills, order } = runQueueExample(new ProbQueueModel(f));
    assert.equal(order.status, 'FILLED', f.name);
    assert.ok(fills[0]!.time >= 7, `${f.name} first fill at ${fills[0]!.time}`);
    done[f.name] = fills.at(-1)!.time;
  }
  assert.deepEqual(done, { 'power(1)': 8, 'power(3)': 8, 'power2(2)': 8, 'power3(2)': 9, log: 8, log2: 9 });
});

test('L2 queue: trades at our price move both L2 models; the probabilistic one does not count the trade twice', () => {
  for (const [model, expectFront, expectFill] of [
    [new RiskAverseQueueModel(), 30, 't6 3@10000 MAKER'],
    [new ProbQueueModel(new PowerProbQueueFunc(1)), 30 - (3 / 7) * 5, 't6 5@10000 MAKER'],
  ] as const) {
    const { b, fills } = setup(model);
    b.onEvent(delta(1, 'BUY', 10000, 50));
    b.onEvent(delta(1, 'SELL', 10001, 50));
    const o = limit('BUY', 10, 10000);
    b.submit(o, 2);
    b.onEvent(delta(3, 'BUY', 10000, 70)); // 20 join behind us
    b.onEvent(trade(4, 100.0, 20, 'SELL')); // 20 ahead of us traded
    assert.equal(b.queueAhead(o.id), 30, model.name);
    // the level goes 70 -> 45: 20 of it is the trade already counted, 5 a cancel. Risk-averse: min(30, 45) = 30.
    // power(1): back = 70 - 30 = 40, p = 40/70; front = 30 - (1 - p) * 5 + min(40 - 5p, 0) = 27.857
    b.onEvent(delta(5, 'BUY', 10000, 45));
    assert.ok(Math.abs(b.queueAhead(o.id) - expectFront) < 1e-9, `${model.name}: ${b.queueAhead(o.id)}`);
    b.onEvent(trade(6, 100.0, 33, 'SELL'));
    assert.deepEqual(short(fills), [expectFill], model.name);
    assert.equal(o.status, 'PARTIALLY_FILLED');
    consistent(o);
  }
});

test('L3 FIFO: orders seeded from a snapshot (unknown ids) are ahead of us', () => {
  const { b, fills } = setup(new L3FifoQueueModel());
  b.onEvent(snap(1, [[10000, 40]], [[10001, 40]]));
  const o = limit('BUY', 10, 10000);
  b.submit(o, 2);
  b.onEvent(l3(3, 'add', 7, 15)); // behind us
  b.onEvent(l3(4, 'cancel', 99, 25)); // unknown id: a pre-open order ahead of us
  assert.equal(b.queueAhead(o.id), 15);
  b.onEvent(l3(5, 'execute', 98, 15)); // the rest of the seeded size
  assert.equal(b.queueAhead(o.id), 0);
  assert.equal(fills.length, 0);
  b.onEvent(l3(6, 'execute', 7, 6));
  assert.deepEqual(short(fills), ['t6 6@10000 MAKER']);
  assert.equal(b.sizeAt('BUY', 10000), 9);
});

// ------------------------------------------------------------------------------------------- taking

test('taking: a market buy larger than the top level walks three levels at the prices really there', () => {
  const { b, fills } = setup();
  b.onEvent(snap(1, [[10000, 50]], [[10001, 5], [10002, 10], [10003, 20]]));
  const o = market('BUY', 25);
  assert.equal(b.submit(o, 2), 'FILLED');
  assert.deepEqual(short(fills), ['t2 5@10001 TAKER', 't2 10@10002 TAKER', 't2 10@10003 TAKER']);
  assert.equal(o.avgPrice, (5 * 10001 + 10 * 10002 + 10 * 10003) / 25);
  assert.equal(b.consumedAt('SELL', 10003), 10);
  assert.equal(b.availableAt('SELL', 10003), 10);
  assert.equal(b.sizeAt('SELL', 10003), 20, 'the data itself is untouched');
});

test('taking: taken liquidity is not taken twice until a delta resets that level', () => {
  const { b, fills } = setup();
  b.onEvent(snap(1, [[10000, 50]], [[10001, 5], [10002, 10], [10003, 20]]));
  b.submit(market('BUY', 25), 2);
  fills.length = 0;
  // a second market buy of 30 finds only the 10 left at 100.03
  const o2 = market('BUY', 30);
  assert.equal(b.submit(o2, 3), 'REMAINDER');
  assert.deepEqual(short(fills), ['t3 10@10003 TAKER']);
  assert.equal(o2.leaves, 20);
  fills.length = 0;
  // the data sets 100.02 again (size 10): that level's consumption is cleared, the others' are not
  b.onEvent(delta(4, 'SELL', 10002, 10));
  assert.equal(b.consumedAt('SELL', 10002), 0);
  assert.equal(b.consumedAt('SELL', 10001), 5);
  const o3 = market('BUY', 12);
  assert.equal(b.submit(o3, 5), 'REMAINDER');
  assert.deepEqual(short(fills), ['t5 10@10002 TAKER']);
  fills.length = 0;
  // a level that disappears and comes back is new liquidity
  b.onEvent(delta(6, 'SELL', 10001, 0));
  b.onEvent(delta(7, 'SELL', 10001, 3));
  assert.equal(b.submit(market('BUY', 3), 8), 'FILLED');
  assert.deepEqual(short(fills), ['t8 3@10001 TAKER']);
});

test('taking: a snapshot resets all consumption', () => {
  const { b, fills } = setup();
  b.onEvent(snap(1, [[10000, 50], [9999, 10]], [[10001, 5]]));
  b.submit(market('SELL', 60), 2);
  assert.equal(b.consumedAt('BUY', 10000), 50);
  assert.equal(b.consumedAt('BUY', 9999), 10);
  assert.equal(b.submit(market('SELL', 1), 3), 'REMAINDER');
  b.onEvent(snap(4, [[10000, 50], [9999, 10]], [[10001, 5]]));
  assert.equal(b.consumedAt('BUY', 10000), 0);
  assert.equal(b.consumedAt('BUY', 9999), 0);
  fills.length = 0;
  b.submit(market('SELL', 55), 5);
  assert.deepEqual(short(fills), ['t5 50@10000 TAKER', 't5 5@9999 TAKER']);
});

test('taking: an L3 decrease keeps consumption (up to the new size); an L3 add is new liquidity', () => {
  const { b, fills } = setup();
  b.onEvent(l3(1, 'add', 1, 10, 10001, 'SELL'));
  b.submit(market('BUY', 6), 2);
  assert.equal(b.availableAt('SELL', 10001), 4);
  b.onEvent(l3(3, 'cancel', 1, 5, 10001, 'SELL')); // 5 left, 5 consumed: nothing available
  assert.equal(b.availableAt('SELL', 10001), 0);
  b.onEvent(l3(4, 'add', 2, 7, 10001, 'SELL'));
  assert.equal(b.availableAt('SELL', 10001), 7);
  fills.length = 0;
  b.submit(market('BUY', 10), 5);
  assert.deepEqual(short(fills), ['t5 7@10001 TAKER']);
});

test('taking: a marketable limit takes up to its limit and rests the remainder behind the bid queue', () => {
  const { b, fills } = setup();
  b.onEvent(snap(1, [[10000, 50], [9998, 40]], [[10001, 5], [10003, 20]]));
  // a sell limit at 99.98 takes the bid at 100.00 (50) and at 99.98 (40), then rests 10 at 99.98
  const o = limit('SELL', 100, 9998);
  assert.equal(b.submit(o, 2), 'RESTING');
  assert.deepEqual(short(fills), ['t2 50@10000 TAKER', 't2 40@9998 TAKER']);
  assert.equal(o.leaves, 10);
  assert.equal(b.queueAhead(o.id), 0, 'no sell queue at 99.98');
  consistent(o);
  // a buy at 100.00 joins the bid queue at 100.00 behind what is still available there: we took all 50
  const o2 = limit('BUY', 10, 10000);
  assert.equal(b.submit(o2, 3), 'RESTING');
  assert.equal(b.queueAhead(o2.id), 0, 'we took the whole bid at 100.00, so nothing is ahead of us');
});

test('taking: lot rounding takes whole lots only', () => {
  const lotted = new Instrument(2, { symbol: 'LOT', pricePrecision: 2, lotUnits: 100 });
  const { b, fills } = setup(undefined, lotted);
  b.onEvent({ ...snap(1, [], [[10001, 250], [10002, 1000]]), instrument: lotted });
  const o = new Order(500, { instrument: lotted, side: 'BUY', type: 'MARKET', quantity: 400 });
  assert.equal(b.submit(o, 2), 'FILLED');
  assert.deepEqual(short(fills), ['t2 200@10001 TAKER', 't2 200@10002 TAKER']);
});

test('outcomes: IOC, FOK and post-only', () => {
  const { b, fills } = setup();
  b.onEvent(snap(1, [[10000, 50]], [[10001, 5], [10002, 10]]));
  const ioc = limit('BUY', 8, 10001, 'IOC');
  assert.equal(b.submit(ioc, 2), 'REMAINDER');
  assert.equal(ioc.filled, 5);
  assert.equal(b.isResting(ioc.id), false);
  const fok = limit('BUY', 11, 10002, 'FOK');
  assert.equal(b.submit(fok, 3), 'FOK_NOT_FILLABLE', 'only 10 left within the limit');
  assert.equal(fok.filled, 0);
  const fok2 = limit('BUY', 10, 10002, 'FOK');
  assert.equal(b.submit(fok2, 4), 'FILLED');
  const post = limit('SELL', 5, 10000, 'GTC', true);
  assert.equal(b.wouldTake(post), true);
  assert.equal(b.submit(post, 5), 'POST_ONLY_WOULD_CROSS');
  assert.equal(b.wouldTake(limit('SELL', 5, 10001)), false);
  assert.equal(b.wouldTake(market('SELL', 5)), true);
  const post2 = limit('SELL', 5, 10003, 'GTC', true);
  assert.equal(b.submit(post2, 6), 'RESTING');
  assert.deepEqual(short(fills), ['t2 5@10001 TAKER', 't4 10@10002 TAKER']);
});

// ------------------------------------------------------------------------------------------- crossing and trade-through

test('crossing: data asks at or through our resting buy fill us at our limit, as maker, up to their size', () => {
  const { b, fills } = setup();
  b.onEvent(snap(1, [[10000, 50]], [[10002, 30]]));
  const o = limit('BUY', 10, 10001);
  assert.equal(b.submit(o, 2), 'RESTING');
  b.onEvent(delta(3, 'SELL', 10001, 4)); // an ask at our price
  assert.deepEqual(short(fills), ['t3 4@10001 MAKER']);
  assert.equal(b.consumedAt('SELL', 10001), 4, 'what crossed us is taken');
  b.onEvent(delta(4, 'SELL', 9999, 3)); // an ask through our price: still our limit
  assert.deepEqual(short(fills).slice(1), ['t4 3@10001 MAKER']);
  assert.equal(o.status, 'PARTIALLY_FILLED');
  // the 7 that crossed us at 99.99 and 100.01 were consumed by us: a market buy finds only the 30 at 100.02
  assert.equal(b.submit(market('BUY', 33), 5), 'REMAINDER');
  assert.deepEqual(short(fills).slice(2), ['t5 30@10002 TAKER']);
  b.onEvent(snap(6, [[10000, 50]], [[10001, 100]]));
  assert.deepEqual(short(fills).slice(3), ['t6 3@10001 MAKER']);
  assert.equal(o.status, 'FILLED');
  assert.equal(b.restingCount, 0);
  consistent(o);
});

test('crossing: an L3 add on the other side at our price fills us', () => {
  const { b, fills } = setup(new L3FifoQueueModel());
  b.onEvent(l3(1, 'add', 1, 20, 9999, 'BUY'));
  b.onEvent(l3(1, 'add', 2, 20, 10002, 'SELL'));
  const s = limit('SELL', 10, 10001);
  b.submit(s, 2);
  b.onEvent(l3(3, 'add', 3, 4, 10001, 'BUY'));
  assert.deepEqual(short(fills), ['t3 4@10001 MAKER']);
  assert.equal(s.leaves, 6);
});

test('trade-through: a sell print below our bid fills us at our limit, sharing the print between our orders', () => {
  const { b, fills } = setup();
  b.onEvent(snap(1, [[10000, 50]], [[10003, 30]]));
  const a = limit('BUY', 4, 10002);
  const c = limit('BUY', 10, 10001);
  b.submit(c, 2);
  b.submit(a, 2);
  b.onEvent(trade(3, 100.0, 6, 'SELL'));
  // best priced first: a gets 4 at 100.02, c gets the 2 left at 100.01
  assert.deepEqual(short(fills), ['t3 4@10002 MAKER', 't3 2@10001 MAKER']);
  assert.equal(a.status, 'FILLED');
  assert.equal(c.leaves, 8);
  // a print at our price without anyone ahead: the risk-averse queue is empty, the print fills us
  b.onEvent(trade(4, 100.01, 3, 'SELL'));
  assert.deepEqual(short(fills).slice(2), ['t4 3@10001 MAKER']);
});

test('trades: without an aggressor the side comes from the book; inside the spread it is ignored', () => {
  const { b, fills } = setup();
  b.onEvent(snap(1, [[10000, 5]], [[10004, 5]]));
  const bid = limit('BUY', 10, 10000);
  const ask = limit('SELL', 10, 10004);
  b.submit(bid, 2);
  b.submit(ask, 2);
  b.onEvent(trade(3, 100.02, 50, undefined)); // inside the spread: no side, no fill
  assert.equal(fills.length, 0);
  b.onEvent(trade(4, 100.04, 7, undefined)); // at the ask: buyer-initiated, hits the ask queue (5 ahead)
  assert.deepEqual(short(fills), ['t4 2@10004 MAKER']);
  b.onEvent(trade(5, 100.0, 6, undefined)); // at the bid: seller-initiated
  assert.deepEqual(short(fills).slice(1), ['t5 1@10000 MAKER']);
});

test('trades: once L3 events were seen, trade prints are ignored (executions are the trades)', () => {
  const { b, fills } = setup();
  b.onEvent(l3(1, 'add', 1, 5));
  const o = limit('BUY', 10, 10000);
  b.submit(o, 2);
  b.onEvent(trade(3, 100.0, 20, 'SELL'));
  assert.equal(fills.length, 0);
  assert.equal(b.isL3, true);
  b.onEvent(l3(4, 'execute', 1, 5));
  assert.equal(fills.length, 0);
  b.onEvent(l3(5, 'add', 2, 20));
  b.onEvent(l3(6, 'execute', 2, 8)); // risk-averse on L3 data: the execution is the trade
  assert.deepEqual(short(fills), ['t6 8@10000 MAKER']);
  b.onEvent(l3(7, 'hidden-execute', 0, 9, 9999, 'BUY')); // a hidden buy at 99.99 executed: it traded through our 100.00
  assert.deepEqual(short(fills).slice(1), ['t7 2@10000 MAKER']);
  assert.equal(b.sizeAt('BUY', 9999), 0, 'hidden executions leave the visible book alone');
});

// ------------------------------------------------------------------------------------------- our order's life

test('cancel: a canceled order gets no more fills and leaves no trace in the queues', () => {
  const { b, fills } = setup();
  b.onEvent(snap(1, [[10000, 5]], [[10001, 5]]));
  const o = limit('BUY', 10, 10000);
  b.submit(o, 2);
  assert.equal(b.cancel(o.id), true);
  assert.equal(b.cancel(o.id), false);
  assert.equal(b.cancel(12345), false);
  b.onEvent(trade(3, 100.0, 50, 'SELL'));
  b.onEvent(delta(4, 'SELL', 9990, 50));
  assert.equal(fills.length, 0);
  assert.equal(b.restingCount, 0);
  assert.ok(Number.isNaN(b.queueAhead(o.id)));
});

test('partial fills keep quantity = filled + closed + leaves and the average price', () => {
  const { b } = setup();
  b.onEvent(snap(1, [[10000, 5]], [[10001, 3]]));
  const o = limit('BUY', 10, 10001);
  assert.equal(b.submit(o, 2), 'RESTING');
  assert.equal(o.status, 'PARTIALLY_FILLED');
  assert.equal(o.filled, 3);
  consistent(o);
  b.onEvent(trade(3, 100.01, 4, 'SELL'));
  assert.equal(o.filled, 7);
  assert.equal(o.avgPrice, 10001);
  b.onEvent(trade(4, 100.01, 4, 'SELL'));
  assert.equal(o.filled, 10);
  assert.equal(o.status, 'FILLED');
  assert.equal(o.leaves, 0);
  consistent(o);
  assert.equal(b.restingCount, 0);
});

test('bookFills false: the listener books fills and may refuse part; the book takes only what was filled', () => {
  const fills: string[] = [];
  const b = new ReplayBook(
    inst,
    (o, price, size, liq, time) => {
      const ok = Math.min(size, 4); // an account that can pay for 4 shares per fill
      bookFill(o, price, ok);
      fills.push(`t${time} ${ok}/${size}@${price} ${liq}`);
    },
    { bookFills: false },
  );
  b.onEvent(snap(1, [[10000, 5]], [[10001, 10], [10002, 10]]));
  const o = market('BUY', 10);
  assert.equal(b.submit(o, 2), 'REMAINDER');
  assert.deepEqual(fills, ['t2 4/10@10001 TAKER']);
  assert.equal(b.consumedAt('SELL', 10001), 4);
  assert.equal(o.filled, 4);
});

test('a listener may submit and cancel orders while a fill is reported', () => {
  const fills: string[] = [];
  let child: Order | undefined;
  const b: ReplayBook = new ReplayBook(inst, (o, price, size, liq, time) => {
    fills.push(`${o.id} t${time} ${size}@${price} ${liq}`);
    if (child === undefined) {
      child = new Order(9000, { instrument: inst, side: 'SELL', type: 'LIMIT', quantity: 5, price: 10010 });
      assert.equal(b.submit(child, time), 'RESTING');
    }
  });
  b.onEvent(snap(1, [[10000, 5]], [[10001, 5]]));
  const o = limit('BUY', 5, 10000);
  b.submit(o, 2);
  b.onEvent(trade(3, 100.0, 10, 'SELL'));
  assert.equal(o.status, 'FILLED');
  assert.ok(b.isResting(9000), 'the child rests once the outer call ends');
  b.onEvent(delta(4, 'BUY', 10010, 2));
  assert.deepEqual(fills.at(-1), '9000 t4 2@10010 MAKER');
});

test('latency: an order that reaches the book after the price moved gets the moved price', () => {
  // the strategy sends a market buy at t=1000 seeing the ask at 100.01; the recorded entry latency at
  // that time is 500 us, so it reaches the book at t=1500, after the ask moved to 100.05 at t=1200
  const entry = new RecordedLatency([0, 10_000], [500, 500]);
  const { b, fills } = setup();
  const data: ReplayEvent[] = [snap(900, [[10000, 10]], [[10001, 10], [10006, 50]]), delta(1200, 'SELL', 10001, 0), delta(1200, 'SELL', 10005, 20), delta(2000, 'SELL', 10001, 10)];
  const sentAt = 1000;
  const arrival = sentAt + entry.delayAt(sentAt);
  assert.equal(arrival, 1500);
  let i = 0;
  while (i < data.length && data[i]!.time <= arrival) b.onEvent(data[i++]!);
  assert.equal(b.submit(market('BUY', 25), arrival), 'FILLED');
  assert.deepEqual(short(fills), ['t1500 20@10005 TAKER', 't1500 5@10006 TAKER']);
});

// ------------------------------------------------------------------------------------------- bad input

test('bad input: clear errors naming the instrument, time, order id and field', () => {
  const { b } = setup(new L3FifoQueueModel());
  b.onEvent(l3(1, 'add', 1, 10));
  assert.throws(() => b.onEvent(l3(2, 'execute', 77, 11)), /XYZ replay book at time 2: l3 execute of order 77 for 11 at BUY price 10000, but the level holds only 10/);
  assert.throws(() => b.onEvent(l3(3, 'add', 1, 10)), /l3 add of order 1, which is already resting/);
  assert.throws(() => b.onEvent(l3(3, 'add', 2, 0)), /size 0 is not a positive integer/);
  assert.throws(() => b.onEvent(delta(4, 'BUY', 10000, -1)), /book-delta size -1 at price 10000/);
  assert.throws(() => b.onEvent(delta(4, 'BUY', 100.5, 1)), /book-delta price 100.5 is not an integer/);
  assert.throws(() => b.onEvent(delta(4, 'BUY', 10000, 1, other)), /event for ABC given to the XYZ replay book/);
  assert.throws(() => b.onEvent({ ...snap(5, [[10000, 1]], []), bidSizes: [] }), /1 bid prices but 0 sizes/);
  assert.throws(() => b.onEvent(trade(6, 100.001, 1, 'BUY')), /trade price 100.001 is not on the price grid/);
  assert.equal(b.sizeAt('BUY', 10000), 10, 'a refused event changes nothing');
  const o = limit('BUY', 5, 10000);
  b.submit(o, 7);
  assert.throws(() => b.submit(o, 7), /order \d+ already rests/);
  assert.throws(() => b.submit(new Order(1, { instrument: other, side: 'BUY', type: 'MARKET', quantity: 1 }), 8), /is for ABC/);
});

test('bad input: onOversizedRemoval clamp is the documented recovery for a partial view of the book', () => {
  const fills: FillRec[] = [];
  const b = new ReplayBook(inst, (o, price, size, liq, time) => fills.push({ id: o.id, price, size, liq, time }), { onOversizedRemoval: 'clamp' });
  b.onEvent(l3(1, 'add', 1, 10));
  const o = limit('BUY', 5, 10000);
  b.submit(o, 2); // 10 ahead
  b.onEvent(l3(3, 'execute', 77, 12)); // a deeper order the data never showed us: the level is removed, the print is real
  assert.equal(b.clampedEvents, 1);
  assert.equal(b.sizeAt('BUY', 10000), 0);
  assert.deepEqual(short(fills), ['t3 2@10000 MAKER']);
  b.onEvent(l3(4, 'cancel', 78, 3, 9990)); // no level at all
  assert.equal(b.clampedEvents, 2);
  assert.equal(b.sizeAt('BUY', 9990), 0);
});
