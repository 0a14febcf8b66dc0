/**
 * Unit tests of the matching engine. Each test named "doc:" is a worked example of docs/matching.md
 * with the same numbers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MarketsimError } from '../../src/core/errors.ts';
import { microsFromIso } from '../../src/core/time.ts';
import { Instrument } from '../../src/market/instrument.ts';
import { MatchingEngine, type MatchingEngineOptions } from '../../src/market/matching-engine.ts';
import type { Order } from '../../src/market/order.ts';
import { PLAIN, Recorder, dumpL3, limit, order, rebuildBook } from './match-recorder.ts';

function setup(options: MatchingEngineOptions = {}, instrument: Instrument = PLAIN): { eng: MatchingEngine; rec: Recorder } {
  const rec = new Recorder();
  return { eng: new MatchingEngine(instrument, rec, options), rec };
}

/** quantity = filled + closedQuantity + leaves, leaves >= 0 */
function conserved(...orders: Order[]): void {
  for (const o of orders) {
    assert.ok(o.leaves >= 0, `order ${o.id} leaves ${o.leaves}`);
    assert.equal(o.quantity, o.filled + o.closedQuantity + o.leaves, `order ${o.id} conservation`);
  }
}

const T = 1_000_000;

// ------------------------------------------------------------------ validation

test('doc: validation rejects with a reason and never touches the book', () => {
  const V = new Instrument(2, { symbol: 'V', pricePrecision: 2, tickUnits: 5, lotUnits: 10, minSizeUnits: 20, maxSizeUnits: 1000 });
  const { eng, rec } = setup({}, V);
  const mk = (id: number, extra: Parameters<typeof order>[4] & { type?: Order['type']; qty?: number } = {}): Order => {
    const { type = 'LIMIT', qty = 100, ...rest } = extra;
    return order(id, 'BUY', type, qty, { instrument: V, price: type === 'LIMIT' || type === 'STOP_LIMIT' ? 1000 : undefined, ...rest });
  };
  const cases: [Order, string][] = [
    [mk(1, { qty: 0 }), 'BAD_SIZE'],
    [mk(2, { qty: -10 }), 'BAD_SIZE'],
    [mk(3, { qty: 20.5 }), 'BAD_SIZE'],
    [mk(4, { qty: NaN }), 'BAD_SIZE'],
    [mk(5, { qty: 25 }), 'BAD_LOT'],
    [mk(6, { qty: 10 }), 'BELOW_MIN_SIZE'],
    [mk(7, { qty: 1010 }), 'ABOVE_MAX_SIZE'],
    [mk(8, { price: undefined }), 'MISSING_PRICE'],
    [mk(9, { price: Infinity }), 'MISSING_PRICE'],
    [mk(10, { price: 0 }), 'BAD_PRICE'],
    [mk(11, { price: -5 }), 'BAD_PRICE'],
    [mk(12, { price: 1002 }), 'OFF_TICK_PRICE'],
    [mk(13, { price: 1000.5 }), 'OFF_TICK_PRICE'],
    [mk(14, { type: 'STOP' }), 'MISSING_TRIGGER'],
    [mk(15, { type: 'STOP_LIMIT', triggerPrice: 1003 }), 'OFF_TICK_PRICE'],
    [mk(16, { tif: 'GTD', expireTime: T }), 'BAD_EXPIRE_TIME'],
    [mk(17, { tif: 'GTD' }), 'BAD_EXPIRE_TIME'],
    [mk(18, { tif: 'GTC', expireTime: 2 * T }), 'BAD_EXPIRE_TIME'],
    [mk(19, { type: 'MARKET', price: 1000 }), 'BAD_PRICE'],
    [mk(20, { triggerPrice: 1000 }), 'BAD_PRICE'],
    [mk(21, { type: 'MARKET', postOnly: true }), 'POST_ONLY_WOULD_CROSS'],
    [order(22, 'BUY', 'LIMIT', 100, { price: 1000 }), 'UNKNOWN_INSTRUMENT'],
  ];
  for (const [o, reason] of cases) {
    eng.submit(o, T);
    assert.equal(o.status, 'REJECTED', `order ${o.id}`);
    assert.equal(o.rejectReason, reason, `order ${o.id}`);
    assert.deepEqual(rec.take(), [`rejected ${o.id} ${reason}`]);
  }
  // duplicate id: the resting order stays untouched
  const first = mk(30);
  eng.submit(first, T);
  const dup = mk(30, { price: 995 });
  eng.submit(dup, T);
  assert.deepEqual(rec.take(), ['accepted 30', 'rejected 30 DUPLICATE_ORDER_ID']);
  assert.equal(first.status, 'ACCEPTED');
  assert.equal(eng.book.get(30), first);
  assert.equal(eng.book.size, 1);
  // a rejected order is closed: quantity = filled + closedQuantity + leaves
  const bad = mk(31, { qty: 25 });
  eng.submit(bad, T);
  assert.equal(bad.closedQuantity, 25);
  assert.equal(bad.leaves, 0);
  // a cancel of a rejected id says ORDER_NOT_OPEN
  eng.cancel(31, T);
  assert.deepEqual(rec.take().slice(-1), ['cancel-rejected 31 ORDER_NOT_OPEN']);
});

// ------------------------------------------------------------------ price-time priority

test('doc: price-time priority, trades at the maker price', () => {
  const { eng, rec } = setup();
  eng.submit(limit(1, 'SELL', 101, 3), 1);
  eng.submit(limit(2, 'SELL', 100, 2), 2);
  eng.submit(limit(3, 'SELL', 100, 4), 3);
  assert.ok(Number.isNaN(eng.lastPrice));
  const buy = limit(4, 'BUY', 101, 7);
  eng.submit(buy, 4);
  assert.deepEqual(rec.take(), ['accepted 1', 'accepted 2', 'accepted 3', 'accepted 4', 'fill 4<-2 2@100', 'fill 4<-3 4@100', 'fill 4<-1 1@101']);
  assert.equal(buy.status, 'FILLED');
  assert.equal(buy.filled, 7);
  assert.equal(buy.filledNotional, 701);
  assert.equal(buy.avgPrice, 701 / 7);
  assert.equal(eng.lastPrice, 101);
  assert.deepEqual(dumpL3(eng.book), ['SELL 101 x2 [1:2]']);
  assert.equal(eng.book.get(1)!.status, 'PARTIALLY_FILLED');
  // priorities are increasing in acceptance order
  assert.ok(eng.book.get(1)!.priority < buy.priority);
});

test('a crossing limit trades at the resting price, not its own', () => {
  const { eng, rec } = setup();
  eng.submit(limit(1, 'BUY', 100, 5), 1);
  const s = limit(2, 'SELL', 90, 5);
  eng.submit(s, 2);
  assert.deepEqual(rec.take().slice(-1), ['fill 2<-1 5@100']);
  assert.equal(s.avgPrice, 100);
});

// ------------------------------------------------------------------ MARKET

test('doc: market order on an empty side is canceled NO_LIQUIDITY', () => {
  const { eng, rec } = setup();
  const m = order(1, 'BUY', 'MARKET', 5);
  eng.submit(m, 1);
  assert.deepEqual(rec.take(), ['accepted 1', 'canceled 1 NO_LIQUIDITY']);
  assert.equal(m.status, 'CANCELED');
  assert.equal(m.cancelReason, 'NO_LIQUIDITY');
  assert.equal(m.closedQuantity, 5);
  conserved(m);
});

test('doc: market order walks the book; the unfilled rest is canceled IOC_REMAINDER', () => {
  const { eng, rec } = setup();
  eng.submit(limit(1, 'SELL', 100, 2), 1);
  eng.submit(limit(2, 'SELL', 102, 1), 2);
  const m = order(3, 'BUY', 'MARKET', 5);
  eng.submit(m, 3);
  assert.deepEqual(rec.take().slice(2), ['accepted 3', 'fill 3<-1 2@100', 'fill 3<-2 1@102', 'canceled 3 IOC_REMAINDER']);
  assert.equal(m.filled, 3);
  assert.equal(m.closedQuantity, 2);
  assert.equal(m.status, 'CANCELED');
  assert.equal(eng.book.levelCount('SELL'), 0);
  conserved(m);
});

test('doc: market FOK is rejected without touching the book when it cannot fill completely', () => {
  const { eng, rec } = setup();
  eng.submit(limit(1, 'SELL', 100, 3), 1);
  const m = order(2, 'BUY', 'MARKET', 5, { tif: 'FOK' });
  eng.submit(m, 2);
  assert.deepEqual(rec.take().slice(1), ['rejected 2 FOK_NOT_FILLABLE']);
  assert.deepEqual(dumpL3(eng.book), ['SELL 100 x3 [1:3]']);
  const ok = order(3, 'BUY', 'MARKET', 3, { tif: 'FOK' });
  eng.submit(ok, 3);
  assert.deepEqual(rec.take(), ['accepted 3', 'fill 3<-1 3@100']);
  assert.equal(ok.status, 'FILLED');
});

// ------------------------------------------------------------------ LIMIT

test('doc: limit GTC matches what crosses and rests the rest', () => {
  const { eng, rec } = setup();
  eng.submit(limit(1, 'SELL', 100, 3), 1);
  const b = limit(2, 'BUY', 100, 5);
  eng.submit(b, 2);
  assert.deepEqual(rec.take().slice(1), ['accepted 2', 'fill 2<-1 3@100']);
  assert.equal(b.status, 'PARTIALLY_FILLED');
  assert.deepEqual(dumpL3(eng.book), ['BUY 100 x2 [2:2]']);
  assert.equal(eng.book.bestBid(), 100);
  assert.ok(Number.isNaN(eng.book.bestAsk()));
});

test('doc: limit IOC cancels the rest IOC_REMAINDER', () => {
  const { eng, rec } = setup();
  eng.submit(limit(1, 'SELL', 100, 3), 1);
  const b = limit(2, 'BUY', 100, 5, { tif: 'IOC' });
  eng.submit(b, 2);
  assert.deepEqual(rec.take().slice(1), ['accepted 2', 'fill 2<-1 3@100', 'canceled 2 IOC_REMAINDER']);
  assert.equal(eng.book.size, 0);
  conserved(b);
  // IOC that does not cross at all
  const c = limit(3, 'BUY', 99, 1, { tif: 'IOC' });
  eng.submit(c, 3);
  assert.deepEqual(rec.take(), ['accepted 3', 'canceled 3 IOC_REMAINDER']);
});

test('doc: limit FOK checks the whole size at acceptable prices first', () => {
  const { eng, rec } = setup();
  eng.submit(limit(1, 'SELL', 100, 3), 1);
  eng.submit(limit(2, 'SELL', 101, 3), 2);
  rec.take();
  const a = limit(3, 'BUY', 100, 5, { tif: 'FOK' });
  eng.submit(a, 3);
  assert.deepEqual(rec.take(), ['rejected 3 FOK_NOT_FILLABLE']);
  assert.equal(a.status, 'REJECTED');
  assert.equal(eng.book.size, 2);
  const b = limit(4, 'BUY', 101, 5, { tif: 'FOK' });
  eng.submit(b, 4);
  assert.deepEqual(rec.take(), ['accepted 4', 'fill 4<-1 3@100', 'fill 4<-2 2@101']);
  assert.equal(b.status, 'FILLED');
});

test('FOK counts no liquidity that self-trade prevention would skip', () => {
  for (const stp of ['CANCEL_MAKER', 'CANCEL_TAKER'] as const) {
    const { eng, rec } = setup({ stp });
    eng.submit(limit(1, 'SELL', 100, 3, { owner: 7 }), 1);
    eng.submit(limit(2, 'SELL', 101, 3, { owner: 8 }), 2);
    rec.take();
    eng.submit(limit(3, 'BUY', 101, 5, { tif: 'FOK', owner: 7 }), 3);
    assert.deepEqual(rec.take(), ['rejected 3 FOK_NOT_FILLABLE'], stp);
    assert.equal(eng.book.size, 2, stp);
  }
  // with CANCEL_MAKER, own orders are skipped and liquidity behind them counts
  const { eng, rec } = setup({ stp: 'CANCEL_MAKER' });
  eng.submit(limit(1, 'SELL', 100, 3, { owner: 7 }), 1);
  eng.submit(limit(2, 'SELL', 101, 3, { owner: 8 }), 2);
  rec.take();
  eng.submit(limit(3, 'BUY', 101, 3, { tif: 'FOK', owner: 7 }), 3);
  assert.deepEqual(rec.take(), ['accepted 3', 'canceled 1 SELF_TRADE', 'fill 3<-2 3@101']);
});

// ------------------------------------------------------------------ post-only, reduce-only

test('doc: post-only is rejected when it would take liquidity', () => {
  const { eng, rec } = setup();
  eng.submit(limit(1, 'SELL', 100, 3), 1);
  eng.submit(limit(2, 'BUY', 100, 1, { postOnly: true }), 2);
  eng.submit(limit(3, 'BUY', 99, 1, { postOnly: true }), 3);
  assert.deepEqual(rec.take().slice(1), ['rejected 2 POST_ONLY_WOULD_CROSS', 'accepted 3']);
  assert.deepEqual(dumpL3(eng.book), ['BUY 99 x1 [3:1]', 'SELL 100 x3 [1:3]']);
});

test('doc: reduce-only is rejected when its size exceeds the capacity', () => {
  const capacity = (owner: number, side: string): number => (owner === 1 && side === 'SELL' ? 5 : 0);
  const { eng, rec } = setup({ reduceOnlyCapacity: capacity });
  eng.submit(limit(1, 'SELL', 100, 6, { owner: 1, reduceOnly: true }), 1);
  eng.submit(limit(2, 'SELL', 100, 5, { owner: 1, reduceOnly: true }), 2);
  eng.submit(limit(3, 'BUY', 90, 1, { owner: 1, reduceOnly: true }), 3);
  assert.deepEqual(rec.take(), ['rejected 1 REDUCE_ONLY_WOULD_INCREASE', 'accepted 2', 'rejected 3 REDUCE_ONLY_WOULD_INCREASE']);
  // a modify that would raise it above the capacity is refused; a decrease is fine
  eng.modify(2, NaN, 6, 4);
  eng.modify(2, NaN, 4, 5);
  assert.deepEqual(rec.take(), ['modify-rejected 2 REDUCE_ONLY_WOULD_INCREASE', 'modified 2']);
  // without a capacity function every reduce-only order is rejected
  const d = setup();
  d.eng.submit(limit(1, 'SELL', 100, 1, { reduceOnly: true }), 1);
  assert.deepEqual(d.rec.take(), ['rejected 1 REDUCE_ONLY_WOULD_INCREASE']);
});

// ------------------------------------------------------------------ stops

test('doc: a buy stop waits for the last trade price to reach its trigger, then trades as market', () => {
  const { eng, rec } = setup();
  eng.submit(limit(1, 'SELL', 104, 1), 1);
  eng.submit(limit(2, 'SELL', 106, 5), 2);
  const stop = order(3, 'BUY', 'STOP', 2, { triggerPrice: 105 });
  eng.submit(stop, 3);
  assert.equal(eng.stops.size, 1);
  assert.equal(eng.book.size, 2, 'a stop is not in the order book');
  eng.submit(order(4, 'BUY', 'MARKET', 1), 4); // trades at 104 < 105: no trigger
  assert.equal(eng.lastPrice, 104);
  assert.equal(stop.triggered, false);
  const p0 = stop.priority;
  eng.onExternalTrade(105, 5);
  assert.deepEqual(rec.take().slice(3), ['accepted 4', 'fill 4<-1 1@104', 'triggered 3', 'fill 3<-2 2@106']);
  assert.equal(stop.triggered, true);
  assert.equal(stop.status, 'FILLED');
  assert.ok(stop.priority > p0, 'a triggered stop gets a new priority');
  assert.equal(eng.lastPrice, 106);
  assert.equal(eng.stops.size, 0);
});

test('doc: stop cascade: each triggered stop may trigger the next, and it ends', () => {
  const { eng, rec } = setup();
  eng.submit(limit(1, 'BUY', 99, 1), 1);
  eng.submit(limit(2, 'BUY', 98, 1), 2);
  eng.submit(limit(3, 'BUY', 97, 1), 3);
  eng.submit(order(10, 'SELL', 'STOP', 1, { triggerPrice: 99 }), 4);
  eng.submit(order(11, 'SELL', 'STOP', 1, { triggerPrice: 98 }), 5);
  eng.submit(order(12, 'SELL', 'STOP', 1, { triggerPrice: 90 }), 6);
  rec.take();
  eng.submit(limit(20, 'SELL', 99, 1), 7);
  assert.deepEqual(rec.take(), ['accepted 20', 'fill 20<-1 1@99', 'triggered 10', 'fill 10<-2 1@98', 'triggered 11', 'fill 11<-3 1@97']);
  assert.equal(eng.stops.size, 1, 'the stop at 90 was not reached');
  assert.equal(eng.lastPrice, 97);
});

test('doc: stops fire in trigger-price order, then acceptance order', () => {
  const { eng, rec } = setup();
  eng.submit(limit(1, 'SELL', 110, 10), 1);
  eng.submit(order(20, 'BUY', 'STOP', 1, { triggerPrice: 101 }), 2);
  eng.submit(order(21, 'BUY', 'STOP', 1, { triggerPrice: 100 }), 3);
  eng.submit(order(22, 'BUY', 'STOP', 1, { triggerPrice: 100 }), 4);
  rec.take();
  eng.onExternalTrade(102, 5);
  assert.deepEqual(rec.take(), ['triggered 21', 'fill 21<-1 1@110', 'triggered 22', 'fill 22<-1 1@110', 'triggered 20', 'fill 20<-1 1@110']);
});

test('a sweep triggers stops reached by any of its trade prices, not only the last one', () => {
  const { eng, rec } = setup();
  eng.submit(limit(1, 'SELL', 100, 1), 1);
  eng.submit(limit(2, 'SELL', 102, 1), 2);
  eng.submit(limit(3, 'BUY', 90, 1), 3);
  eng.submit(order(4, 'SELL', 'STOP', 1, { triggerPrice: 101 }), 4); // sell stop: fires when a trade is <= 101
  rec.take();
  eng.submit(order(5, 'BUY', 'MARKET', 2), 5);
  assert.deepEqual(rec.take(), ['accepted 5', 'fill 5<-1 1@100', 'fill 5<-2 1@102', 'triggered 4', 'fill 4<-3 1@90']);
});

test('doc: stop-limit becomes a limit order on trigger and rests what does not cross', () => {
  const { eng, rec } = setup();
  eng.submit(limit(1, 'SELL', 101, 1), 1);
  eng.submit(limit(2, 'SELL', 103, 4), 2);
  const sl = order(3, 'BUY', 'STOP_LIMIT', 3, { triggerPrice: 101, price: 102 });
  eng.submit(sl, 3);
  eng.submit(order(4, 'BUY', 'MARKET', 1), 4);
  assert.deepEqual(rec.take().slice(3), ['accepted 4', 'fill 4<-1 1@101', 'triggered 3']);
  assert.equal(sl.status, 'ACCEPTED');
  assert.deepEqual(dumpL3(eng.book), ['BUY 102 x3 [3:3]', 'SELL 103 x4 [2:4]']);
  // it now rests like a limit order and can be canceled from the book
  assert.equal(eng.cancel(3, 5), true);
  assert.equal(sl.status, 'CANCELED');
});

test('a stop whose trigger is already reached at submission fires at once', () => {
  const { eng, rec } = setup();
  eng.onExternalTrade(100, 1);
  eng.submit(limit(1, 'BUY', 95, 2), 2);
  eng.submit(order(2, 'SELL', 'STOP', 2, { triggerPrice: 100 }), 3);
  assert.deepEqual(rec.take(), ['accepted 1', 'accepted 2', 'triggered 2', 'fill 2<-1 2@95']);
});

test('a triggered stop that cannot proceed is rejected (FOK, post-only)', () => {
  const { eng, rec } = setup();
  eng.submit(limit(1, 'SELL', 100, 1), 1);
  const fok = order(2, 'BUY', 'STOP', 5, { triggerPrice: 100, tif: 'FOK' });
  const po = order(3, 'BUY', 'STOP_LIMIT', 1, { triggerPrice: 100, price: 100, postOnly: true });
  eng.submit(fok, 2);
  eng.submit(po, 3);
  rec.take();
  eng.onExternalTrade(100, 4);
  assert.deepEqual(rec.take(), ['triggered 2', 'rejected 2 FOK_NOT_FILLABLE', 'triggered 3', 'rejected 3 POST_ONLY_WOULD_CROSS']);
  assert.equal(fok.status, 'REJECTED');
  conserved(fok, po);
  assert.equal(eng.book.size, 1);
});

test('onExternalTrade rejects a non-finite price with a clear error', () => {
  const { eng } = setup();
  assert.throws(() => eng.onExternalTrade(NaN, 1), (e: unknown) => e instanceof MarketsimError && /onExternalTrade.*finite/.test(e.message));
});

// ------------------------------------------------------------------ modify

test('doc: modify: a size decrease keeps priority, an increase or a price change loses it', () => {
  const { eng, rec } = setup();
  const a = limit(1, 'BUY', 100, 5);
  const b = limit(2, 'BUY', 100, 5);
  eng.submit(a, 1);
  eng.submit(b, 2);
  const pa = a.priority;
  assert.equal(eng.modify(1, NaN, 3, 3), true);
  assert.deepEqual(dumpL3(eng.book), ['BUY 100 x8 [1:3 2:5]']);
  assert.equal(a.priority, pa);
  assert.equal(eng.modify(1, NaN, 8, 4), true);
  assert.deepEqual(dumpL3(eng.book), ['BUY 100 x13 [2:5 1:8]']);
  assert.ok(a.priority > b.priority);
  assert.equal(eng.modify(2, 101, NaN, 5), true);
  assert.deepEqual(dumpL3(eng.book), ['BUY 101 x5 [2:5]', 'BUY 100 x8 [1:8]']);
  assert.deepEqual(rec.take().slice(2), ['modified 1', 'modified 1', 'modified 2']);
  assert.equal(a.acceptTime, 4, 'acceptTime follows the priority');
});

test('doc: modify: a new total quantity at or below the filled size is refused', () => {
  const { eng, rec } = setup();
  const a = limit(1, 'BUY', 100, 5);
  eng.submit(a, 1);
  eng.submit(limit(2, 'SELL', 100, 3), 2);
  rec.take();
  assert.equal(a.filled, 3);
  assert.equal(eng.modify(1, NaN, 3, 3), false);
  assert.equal(eng.modify(1, NaN, 0, 3), false);
  assert.equal(eng.modify(1, 0, NaN, 3), false);
  assert.equal(eng.modify(1, 100.5, NaN, 3), false);
  assert.deepEqual(rec.take(), ['modify-rejected 1 BAD_SIZE', 'modify-rejected 1 BAD_SIZE', 'modify-rejected 1 BAD_PRICE', 'modify-rejected 1 OFF_TICK_PRICE']);
  assert.equal(eng.modify(1, NaN, 4, 4), true);
  assert.equal(a.leaves, 1);
  conserved(a);
});

test('doc: modify that makes a resting limit cross matches it as a taker', () => {
  const { eng, rec } = setup();
  eng.submit(limit(1, 'BUY', 100, 5), 1);
  eng.submit(limit(2, 'SELL', 102, 3), 2);
  rec.take();
  eng.modify(1, 102, NaN, 3);
  assert.deepEqual(rec.take(), ['modified 1', 'fill 1<-2 3@102']);
  assert.deepEqual(dumpL3(eng.book), ['BUY 102 x2 [1:2]']);
});

test('modify of a post-only order into a cross is refused and leaves it unchanged', () => {
  const { eng, rec } = setup();
  eng.submit(limit(1, 'BUY', 100, 5, { postOnly: true }), 1);
  eng.submit(limit(2, 'SELL', 102, 3), 2);
  rec.take();
  assert.equal(eng.modify(1, 102, NaN, 3), false);
  assert.deepEqual(rec.take(), ['modify-rejected 1 POST_ONLY_WOULD_CROSS']);
  assert.equal(eng.book.get(1)!.price, 100);
});

test('modify unknown or finished orders: UNKNOWN_ORDER / ORDER_NOT_OPEN; stops can be modified', () => {
  const { eng, rec } = setup();
  eng.submit(limit(1, 'SELL', 100, 1), 1);
  eng.submit(order(2, 'BUY', 'MARKET', 1), 2);
  rec.take();
  eng.modify(99, 100, NaN, 3);
  eng.modify(1, 101, NaN, 3);
  eng.modify(2, NaN, 5, 3);
  assert.deepEqual(rec.take(), ['modify-rejected 99 UNKNOWN_ORDER', 'modify-rejected 1 ORDER_NOT_OPEN', 'modify-rejected 2 ORDER_NOT_OPEN']);
  // a STOP's newPrice moves its trigger; reaching the new trigger fires it
  const st = order(3, 'SELL', 'STOP', 1, { triggerPrice: 90 });
  eng.submit(st, 4);
  eng.submit(limit(4, 'BUY', 95, 1), 5);
  assert.equal(eng.modify(3, 100, NaN, 6), true);
  assert.equal(st.triggerPrice, 100);
  assert.deepEqual(rec.take(), ['accepted 3', 'accepted 4', 'modified 3', 'triggered 3', 'fill 3<-4 1@95']);
  // a STOP_LIMIT's newPrice is its limit price
  const sl = order(5, 'SELL', 'STOP_LIMIT', 2, { triggerPrice: 80, price: 79 });
  eng.submit(sl, 7);
  eng.modify(5, 78, 1, 8);
  assert.equal(sl.price, 78);
  assert.equal(sl.triggerPrice, 80);
  assert.equal(sl.quantity, 1);
});

// ------------------------------------------------------------------ cancel

test('doc: cancel removes an open order; unknown and finished ids are refused', () => {
  const { eng, rec } = setup();
  const a = limit(1, 'BUY', 100, 5);
  eng.submit(a, 1);
  eng.submit(limit(2, 'SELL', 100, 2), 2);
  rec.take();
  assert.equal(eng.cancel(1, 3), true);
  assert.equal(a.status, 'CANCELED');
  assert.equal(a.cancelReason, 'USER');
  assert.equal(a.filled, 2);
  assert.equal(a.closedQuantity, 3);
  conserved(a);
  assert.equal(eng.cancel(1, 4), false);
  assert.equal(eng.cancel(2, 4), false);
  assert.equal(eng.cancel(77, 4), false);
  assert.deepEqual(rec.take(), ['canceled 1 USER', 'cancel-rejected 1 ORDER_NOT_OPEN', 'cancel-rejected 2 ORDER_NOT_OPEN', 'cancel-rejected 77 UNKNOWN_ORDER']);
  // stops cancel too
  eng.submit(order(3, 'BUY', 'STOP', 1, { triggerPrice: 200 }), 5);
  assert.equal(eng.cancel(3, 6), true);
  assert.equal(eng.stops.size, 0);
  // with rememberDone 0, a finished id is simply unknown
  const z = setup({ rememberDone: 0 });
  z.eng.submit(order(1, 'BUY', 'MARKET', 1), 1);
  z.eng.cancel(1, 2);
  assert.deepEqual(z.rec.take().slice(-1), ['cancel-rejected 1 UNKNOWN_ORDER']);
  assert.throws(() => setup({ rememberDone: -1 }), /rememberDone/);
});

// ------------------------------------------------------------------ self-trade prevention

function stpScenario(stp: MatchingEngineOptions['stp']): { log: string[]; l3: string[]; taker: Order } {
  const { eng, rec } = setup({ stp });
  eng.submit(limit(1, 'SELL', 100, 2, { owner: 8 }), 1);
  eng.submit(limit(2, 'SELL', 100, 2, { owner: 7 }), 2);
  eng.submit(limit(3, 'SELL', 101, 2, { owner: 8 }), 3);
  rec.take();
  const taker = limit(4, 'BUY', 101, 8, { owner: 7 });
  eng.submit(taker, 4);
  return { log: rec.take(), l3: dumpL3(eng.book), taker };
}

test('doc: self-trade prevention CANCEL_TAKER (default) cancels the taker rest', () => {
  const r = stpScenario(undefined);
  assert.deepEqual(r.log, ['accepted 4', 'fill 4<-1 2@100', 'canceled 4 SELF_TRADE']);
  assert.deepEqual(r.l3, ['SELL 100 x2 [2:2]', 'SELL 101 x2 [3:2]']);
  assert.equal(r.taker.closedQuantity, 6);
  conserved(r.taker);
});

test('doc: self-trade prevention CANCEL_MAKER cancels the resting order and keeps matching', () => {
  const r = stpScenario('CANCEL_MAKER');
  assert.deepEqual(r.log, ['accepted 4', 'fill 4<-1 2@100', 'canceled 2 SELF_TRADE', 'fill 4<-3 2@101']);
  assert.deepEqual(r.l3, ['BUY 101 x4 [4:4]']);
});

test('doc: self-trade prevention CANCEL_BOTH and NONE', () => {
  const both = stpScenario('CANCEL_BOTH');
  assert.deepEqual(both.log, ['accepted 4', 'fill 4<-1 2@100', 'canceled 2 SELF_TRADE', 'canceled 4 SELF_TRADE']);
  assert.deepEqual(both.l3, ['SELL 101 x2 [3:2]']);
  const none = stpScenario('NONE');
  assert.deepEqual(none.log, ['accepted 4', 'fill 4<-1 2@100', 'fill 4<-2 2@100', 'fill 4<-3 2@101']);
  assert.deepEqual(none.l3, ['BUY 101 x2 [4:2]']);
});

test('owner 0 never self-trades', () => {
  const { eng, rec } = setup({ stp: 'CANCEL_BOTH' });
  eng.submit(limit(1, 'SELL', 100, 2), 1);
  eng.submit(limit(2, 'BUY', 100, 2), 2);
  assert.deepEqual(rec.take(), ['accepted 1', 'accepted 2', 'fill 2<-1 2@100']);
});

// ------------------------------------------------------------------ expiry

test('doc: GTD orders expire at their expireTime', () => {
  const { eng, rec } = setup();
  const g = limit(1, 'BUY', 100, 5, { tif: 'GTD', expireTime: 5 * T });
  eng.submit(g, T);
  assert.equal(eng.nextExpiry(), 5 * T);
  eng.expire(5 * T - 1);
  assert.equal(g.status, 'ACCEPTED');
  eng.expire(5 * T);
  assert.deepEqual(rec.take(), ['accepted 1', 'expired 1']);
  assert.equal(g.status, 'EXPIRED');
  assert.equal(g.closedQuantity, 5);
  assert.equal(eng.book.size, 0);
  assert.equal(eng.nextExpiry(), Infinity);
  conserved(g);
});

test('doc: DAY orders expire at the end of the UTC day by default, or at dayEnd', () => {
  const { eng, rec } = setup();
  const t0 = microsFromIso('2024-01-02T10:00:00Z');
  const d = limit(1, 'SELL', 100, 1, { tif: 'DAY' });
  eng.submit(d, t0);
  assert.equal(d.expireTime, microsFromIso('2024-01-03T00:00:00Z'));
  assert.equal(eng.nextExpiry(), d.expireTime);
  eng.expire(d.expireTime);
  assert.deepEqual(rec.take(), ['accepted 1', 'expired 1']);
  const close = microsFromIso('2024-01-02T21:00:00Z');
  const s = setup({ dayEnd: (t) => (t < close ? close : close + 86_400_000_000) });
  const d2 = limit(2, 'SELL', 100, 1, { tif: 'DAY' });
  s.eng.submit(d2, t0);
  assert.equal(d2.expireTime, close);
  const closed = setup({ dayEnd: () => close });
  const late = limit(3, 'SELL', 100, 1, { tif: 'DAY' });
  closed.eng.submit(late, close);
  assert.deepEqual(closed.rec.take(), ['rejected 3 MARKET_CLOSED']);
});

test('expiry is applied before any later operation, and canceled orders leave no timer', () => {
  const { eng, rec } = setup();
  eng.submit(limit(1, 'SELL', 100, 5, { tif: 'GTD', expireTime: 2 * T }), T);
  eng.submit(limit(2, 'SELL', 101, 5, { tif: 'GTD', expireTime: 3 * T }), T);
  eng.cancel(2, T + 1);
  eng.submit(order(3, 'BUY', 'MARKET', 1), 2 * T);
  assert.deepEqual(rec.take(), ['accepted 1', 'accepted 2', 'canceled 2 USER', 'expired 1', 'accepted 3', 'canceled 3 NO_LIQUIDITY']);
  assert.equal(eng.nextExpiry(), Infinity);
  // untriggered DAY/GTD stops expire too
  eng.submit(order(4, 'BUY', 'STOP', 1, { triggerPrice: 500, tif: 'GTD', expireTime: 4 * T }), 3 * T);
  eng.expire(4 * T);
  assert.deepEqual(rec.take(), ['accepted 4', 'expired 4']);
  assert.equal(eng.stops.size, 0);
});

// ------------------------------------------------------------------ listener contract, states, replay

test('a listener calling back into the engine gets a clear error', () => {
  const rec = new Recorder();
  let eng: MatchingEngine;
  const listener = Object.assign(Object.create(rec) as Recorder, {
    fill(): void {
      eng.cancel(1, 3);
    },
  });
  eng = new MatchingEngine(PLAIN, listener);
  eng.submit(limit(1, 'SELL', 100, 2), 1);
  assert.throws(() => eng.submit(limit(2, 'BUY', 100, 1), 2), (e: unknown) => e instanceof MarketsimError && e.code === 'REENTRANT_CALL' && /cancel/.test(e.message));
  // the engine is usable again afterwards
  eng.submit(limit(3, 'BUY', 90, 1), 3);
  assert.equal(eng.book.bestBid(), 90);
});

test('every order ends in a documented state and the event stream rebuilds the book', () => {
  const { eng, rec } = setup({ stp: 'CANCEL_MAKER' });
  const all: Order[] = [];
  const sub = (o: Order, t: number): void => {
    all.push(o);
    eng.submit(o, t);
  };
  sub(limit(1, 'SELL', 101, 5, { owner: 1 }), 1);
  sub(limit(2, 'SELL', 102, 5, { owner: 2 }), 2);
  sub(limit(3, 'BUY', 99, 5, { owner: 1 }), 3);
  sub(order(4, 'BUY', 'STOP_LIMIT', 4, { triggerPrice: 101, price: 101, owner: 3 }), 4);
  sub(limit(5, 'BUY', 101, 2, { owner: 2 }), 5);
  eng.modify(3, 100, 7, 6);
  sub(order(6, 'SELL', 'MARKET', 3, { owner: 1 }), 7);
  eng.cancel(2, 8);
  sub(limit(7, 'SELL', 105, 1), 9);
  sub(limit(8, 'BUY', 98, 3, { tif: 'GTD', expireTime: 20 }), 10);
  sub(limit(9, 'BUY', 98, 3), 11);
  eng.modify(9, NaN, 2, 12);
  assert.deepEqual(dumpL3(eng.book), ['BUY 98 x5 [8:3 9:2]', 'SELL 105 x1 [7:1]']);
  eng.expire(20);
  for (const o of all) {
    assert.ok(['ACCEPTED', 'PARTIALLY_FILLED', 'FILLED', 'CANCELED', 'EXPIRED', 'REJECTED'].includes(o.status), `${o.id} ${o.status}`);
    conserved(o);
    assert.equal(o.filledNotional, rec.notional.get(o) ?? 0);
  }
  assert.equal(rec.buyFilled, rec.sellFilled);
  assert.deepEqual(dumpL3(rebuildBook(rec.events, PLAIN)), dumpL3(eng.book));
  assert.deepEqual(dumpL3(eng.book), ['BUY 98 x2 [9:2]', 'SELL 105 x1 [7:1]']);
  assert.deepEqual(
    all.map((o) => `${o.id}:${o.status}`),
    ['1:FILLED', '2:CANCELED', '3:CANCELED', '4:FILLED', '5:FILLED', '6:CANCELED', '7:ACCEPTED', '8:EXPIRED', '9:ACCEPTED'],
  );
});
