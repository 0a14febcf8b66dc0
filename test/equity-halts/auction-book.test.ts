import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AuctionBook, type AuctionResult } from '../../src/assets/equity/auction-book.ts';
import type { AuctionOrder } from '../../src/assets/equity/auction.ts';
import { Instrument } from '../../src/market/instrument.ts';
import { Order } from '../../src/market/order.ts';

/** A plain auction order (price NaN = market). Prices in cents. */
function o(id: number, side: 'BUY' | 'SELL', price: number, qty: number): AuctionOrder {
  return { id, side, price, leaves: qty };
}
const MKT = NaN;

function fillsOf(r: AuctionResult<AuctionOrder>): string[] {
  return r.fills.map((f) => `${f.buy.id}<-${f.sell.id} ${f.quantity}@${f.price}`);
}
function leftOf(r: AuctionResult<AuctionOrder>): string[] {
  return r.leftovers.map((l) => `${l.order.id}:${l.remaining}${l.auctionOnly ? '' : 'B'}`);
}

test('doc example 1: maximum volume tie broken by the smaller imbalance', () => {
  const book = new AuctionBook({ name: 'XYZ open' });
  book.add(o(1, 'BUY', 1002, 100));
  book.add(o(2, 'BUY', 1001, 200));
  book.add(o(3, 'BUY', 1000, 100));
  book.add(o(4, 'SELL', 999, 150));
  book.add(o(5, 'SELL', 1000, 100));
  book.add(o(6, 'SELL', 1002, 200));
  // V(1000) = min(400, 250) = 250, I = +150; V(1001) = min(300, 250) = 250, I = +50 -> 10.01
  const ind = book.indicative(1000);
  assert.deepEqual(ind, { price: 1001, pairedVolume: 250, imbalanceSize: 50, imbalanceSide: 'BUY' });
  const r = book.uncross(1000);
  assert.equal(r.price, 1001);
  assert.equal(r.volume, 250);
  assert.equal(r.imbalance, 50);
  assert.equal(r.imbalanceSide, 'BUY');
  // buys by price: 1 (10.02) then 2 (10.01); sells by price: 4 (9.99) then 5 (10.00)
  assert.deepEqual(fillsOf(r), ['1<-4 100@1001', '2<-4 50@1001', '2<-5 100@1001']);
  assert.deepEqual([...r.filled], [[1, 100], [2, 150], [4, 150], [5, 100]]);
  assert.deepEqual(leftOf(r), ['2:50', '3:100', '6:200']);
  assert.equal(book.size, 0, 'uncross empties the book');
});

test('doc example 2: market orders on one side only', () => {
  const book = new AuctionBook();
  book.add(o(1, 'BUY', MKT, 300)); // market-on-open
  book.add(o(2, 'SELL', 1000, 100));
  book.add(o(3, 'SELL', 1005, 200));
  book.add(o(4, 'SELL', 1010, 100));
  // B = 300 everywhere; S(10.00) = 100, S(10.05) = 300, S(10.10) = 400
  // V = 300 and I = 0 at every price in [10.05, 10.09]; the reference 10.03 is closest to 10.05
  const r = book.uncross(1003);
  assert.equal(r.price, 1005);
  assert.equal(r.volume, 300);
  assert.equal(r.imbalanceSide, 'NONE');
  assert.deepEqual(fillsOf(r), ['1<-2 100@1005', '1<-3 200@1005']);
  assert.deepEqual(leftOf(r), ['4:100']);
});

test('doc example 3: a tie broken by the reference price (also between entered prices)', () => {
  const mk = (): AuctionBook => {
    const b = new AuctionBook();
    b.add(o(1, 'BUY', 1010, 100));
    b.add(o(2, 'SELL', 1000, 100));
    return b;
  };
  // V = 100, I = 0 for every price from 10.00 to 10.10: the reference decides
  assert.equal(mk().indicative(1004).price, 1004);
  assert.equal(mk().indicative(990).price, 1000);
  assert.equal(mk().indicative(1020).price, 1010);
  assert.equal(mk().indicative(1004.6).price, 1005, 'a fractional reference is rounded to the grid first');
  assert.equal(mk().indicative(NaN).price, 1000, 'no reference: the lower price');
  // with a 5-cent grid, the candidates nearest 10.04 are 10.05
  const b5 = new AuctionBook({ tickUnits: 5 });
  b5.add(o(1, 'BUY', 1010, 100));
  b5.add(o(2, 'SELL', 1000, 100));
  assert.equal(b5.indicative(1004).price, 1005);
  // the reference inside a gap beats the entered prices when volume and imbalance tie (example 2's book)
  const b = new AuctionBook();
  b.add(o(1, 'BUY', MKT, 300));
  b.add(o(2, 'SELL', 1000, 100));
  b.add(o(3, 'SELL', 1005, 200));
  b.add(o(4, 'SELL', 1010, 100));
  assert.equal(b.uncross(1008).price, 1008);
});

test('doc example 4: no cross', () => {
  const book = new AuctionBook();
  book.add(o(1, 'BUY', 999, 100));
  book.add(o(2, 'SELL', 1000, 300));
  const ind = book.indicative(1000);
  assert.ok(Number.isNaN(ind.price));
  assert.equal(ind.pairedVolume, 0);
  assert.equal(ind.imbalanceSize, 200);
  assert.equal(ind.imbalanceSide, 'SELL');
  const r = book.uncross(1000);
  assert.ok(Number.isNaN(r.price));
  assert.equal(r.volume, 0);
  assert.deepEqual(r.fills, []);
  assert.deepEqual(leftOf(r), ['1:100', '2:300']);
});

test('market orders on both sides only: the reference price, or no cross without one', () => {
  const mk = (): AuctionBook => {
    const b = new AuctionBook();
    b.add(o(1, 'BUY', MKT, 200));
    b.add(o(2, 'SELL', MKT, 150));
    return b;
  };
  const r = mk().uncross(1000);
  assert.equal(r.price, 1000);
  assert.equal(r.volume, 150);
  assert.equal(r.imbalanceSide, 'BUY');
  assert.deepEqual(leftOf(r), ['1:50']);
  const n = mk().uncross(NaN);
  assert.ok(Number.isNaN(n.price));
  assert.equal(n.fills.length, 0);
});

test('allocation: market orders first, then better price, then time; the last one is partly filled', () => {
  const book = new AuctionBook();
  book.add(o(1, 'BUY', 1001, 100)); // early, worse price
  book.add(o(2, 'BUY', 1002, 100));
  book.add(o(3, 'BUY', MKT, 100)); // late market order: still first
  book.add(o(4, 'BUY', 1001, 100)); // same price as 1, later
  book.add(o(5, 'SELL', 1000, 250));
  const r = book.uncross(1000);
  // B(10.00) = B(10.01) = 400, S = 250: V = 250 and I = +150 at both; at 10.02 B = 200 -> V = 200
  assert.equal(r.volume, 250);
  assert.equal(r.price, 1000, 'same volume and imbalance at 10.00 and 10.01: closest to the reference 10.00');
  assert.deepEqual(fillsOf(r), ['3<-5 100@1000', '2<-5 100@1000', '1<-5 50@1000']);
  assert.deepEqual(leftOf(r), ['1:50', '4:100']);
});

test('explicit priority keys and continuous-book orders; leftovers say which go back to the book', () => {
  const book = new AuctionBook();
  book.add(o(10, 'BUY', 1000, 100), true, 5); // on-open order, arrived at t=5
  book.add(o(11, 'BUY', 1000, 100), false, 2); // resting book order, priority 2: earlier
  book.add(o(12, 'SELL', 1000, 150), true, 9);
  const r = book.uncross(1000);
  assert.deepEqual(fillsOf(r), ['11<-12 100@1000', '10<-12 50@1000']);
  assert.deepEqual(leftOf(r), ['10:50']);
  const book2 = new AuctionBook();
  book2.add(o(1, 'BUY', 990, 100), false);
  book2.add(o(2, 'SELL', 1000, 100), true);
  assert.deepEqual(leftOf(book2.uncross(995)), ['1:100B', '2:100']);
});

test('cancel removes an order from the price and the allocation', () => {
  const book = new AuctionBook();
  book.add(o(1, 'BUY', 1005, 100));
  book.add(o(2, 'SELL', 1000, 100));
  book.add(o(3, 'SELL', 1001, 100));
  assert.equal(book.cancel(2), true);
  assert.equal(book.cancel(2), false);
  assert.equal(book.has(2), false);
  assert.equal(book.size, 2);
  const r = book.uncross(1000);
  assert.equal(r.price, 1001);
  assert.deepEqual(fillsOf(r), ['1<-3 100@1001']);
  // many cancels compact the store without losing orders
  const big = new AuctionBook();
  for (let i = 0; i < 200; i++) big.add(o(i, i % 2 ? 'SELL' : 'BUY', 1000, 10));
  for (let i = 0; i < 150; i++) big.cancel(i);
  assert.equal(big.size, 50);
  assert.equal([...big.orders()].length, 50);
  assert.equal(big.uncross(1000).volume, 250);
});

test('works with venue Order objects (priority by add order) and rejects bad input naming the order', () => {
  const inst = new Instrument(0, { symbol: 'XYZ', pricePrecision: 2 });
  const buy = new Order(7, { instrument: inst, side: 'BUY', type: 'LIMIT', price: 1000, quantity: 300 });
  const sell = new Order(8, { instrument: inst, side: 'SELL', type: 'MARKET', quantity: 100 });
  const book = new AuctionBook<Order>({ name: 'XYZ close' });
  book.add(buy);
  book.add(sell);
  const r = book.uncross(995);
  assert.equal(r.price, 995, 'V = 100 and I = +200 at every price up to 10.00: the reference 9.95 decides');
  assert.equal(r.fills[0]!.buy, buy);
  assert.equal(r.leftovers[0]!.order, buy);
  assert.equal(r.leftovers[0]!.remaining, 200);
  assert.equal(buy.filled, 0, 'the auction book never mutates orders');

  const b = new AuctionBook({ name: 'XYZ close', tickUnits: 5 });
  b.add(o(1, 'BUY', 1000, 100));
  assert.throws(() => b.add(o(1, 'SELL', 1000, 100)), /XYZ close: order 1 is already in the auction/);
  assert.throws(() => b.add(o(2, 'SELL', 1001, 100)), /order 2: limit price must be a positive multiple of 5/);
  assert.throws(() => b.add(o(3, 'SELL', 1000, 0)), /order 3: size must be a positive integer/);
  assert.throws(() => b.add(o(4, 'SELL', -5, 10)), /order 4: limit price/);
  assert.throws(() => new AuctionBook({ tickUnits: 0 }), /tickUnits must be a positive integer/);
});
