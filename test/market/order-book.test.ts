import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OrderBook } from '../../src/market/order-book.ts';
import { IdMap } from '../../src/market/id-map.ts';
import { DoneIds } from '../../src/market/done-ids.ts';
import { ExpiryHeap } from '../../src/market/expiry-heap.ts';
import { dumpL3, limit } from './match-recorder.ts';

test('empty book: L1 is NaN/0 and L2 is empty', () => {
  const b = new OrderBook();
  assert.ok(Number.isNaN(b.bestBid()));
  assert.ok(Number.isNaN(b.bestAsk()));
  assert.equal(b.bestBidSize(), 0);
  assert.equal(b.bestAskSize(), 0);
  assert.equal(b.levelCount('BUY'), 0);
  assert.ok(Number.isNaN(b.levelPrice('SELL', 0)));
  assert.equal(b.levelHead('BUY', 0), null);
  assert.equal(b.size, 0);
});

test('levels sort best first on both sides and carry aggregates', () => {
  const b = new OrderBook();
  b.add(limit(1, 'BUY', 99, 5));
  b.add(limit(2, 'BUY', 101, 3));
  b.add(limit(3, 'BUY', 100, 4));
  b.add(limit(4, 'BUY', 101, 2));
  b.add(limit(5, 'SELL', 105, 1));
  b.add(limit(6, 'SELL', 103, 7));
  b.add(limit(7, 'SELL', 104, 2));
  assert.equal(b.bestBid(), 101);
  assert.equal(b.bestBidSize(), 5);
  assert.equal(b.bestAsk(), 103);
  assert.equal(b.bestAskSize(), 7);
  assert.deepEqual([0, 1, 2].map((i) => b.levelPrice('BUY', i)), [101, 100, 99]);
  assert.deepEqual([0, 1, 2].map((i) => b.levelPrice('SELL', i)), [103, 104, 105]);
  assert.equal(b.levelOrderCount('BUY', 0), 2);
  assert.equal(b.levelSize('BUY', 0), 5);
  assert.equal(b.size, 7);
  assert.equal(b.orderCount('BUY'), 4);
  assert.equal(b.orderCount('SELL'), 3);
  assert.equal(b.sizeAt('BUY', 100), 4);
  assert.equal(b.sizeAt('BUY', 98), 0);
  assert.deepEqual(dumpL3(b), ['BUY 101 x5 [2:3 4:2]', 'BUY 100 x4 [3:4]', 'BUY 99 x5 [1:5]', 'SELL 103 x7 [6:7]', 'SELL 104 x2 [7:2]', 'SELL 105 x1 [5:1]']);
  assert.deepEqual([...b.levelOrders('BUY', 0)].map((o) => o.id), [2, 4]);
});

test('duplicate ids are reported, not overwritten; arbitrary (vendor) ids work', () => {
  const b = new OrderBook();
  const big = 9_007_199_254_740_000; // beyond 2^32
  assert.equal(b.add(limit(big, 'BUY', 10, 1)), true);
  assert.equal(b.add(limit(big, 'SELL', 20, 1)), false);
  assert.equal(b.add(limit(-7, 'SELL', 20, 1)), true);
  assert.equal(b.add(limit(0.5, 'SELL', 21, 1)), true);
  assert.equal(b.get(big)!.side, 'BUY');
  assert.equal(b.get(-7)!.price, 20);
  assert.equal(b.get(0.5)!.price, 21);
  assert.equal(b.size, 3);
  // an order with nothing open or no price is refused
  const empty = limit(5, 'BUY', 10, 1);
  empty.filled = 1;
  assert.equal(b.add(empty), false);
  assert.equal(b.add(limit(6, 'BUY', NaN, 1)), false);
});

test('remove is by id, keeps FIFO of the others and drops empty levels', () => {
  const b = new OrderBook();
  for (let i = 1; i <= 4; i++) b.add(limit(i, 'SELL', 50, i));
  b.add(limit(5, 'SELL', 51, 1));
  assert.equal(b.remove(2)!.id, 2);
  assert.equal(b.remove(2), undefined);
  assert.deepEqual(dumpL3(b), ['SELL 50 x8 [1:1 3:3 4:4]', 'SELL 51 x1 [5:1]']);
  b.remove(1);
  b.remove(4);
  b.remove(3);
  assert.equal(b.bestAsk(), 51);
  assert.equal(b.levelCount('SELL'), 1);
  const o = b.remove(5)!;
  assert.equal(o.level, null);
  assert.equal(o.prev, null);
  assert.equal(b.levelCount('SELL'), 0);
  // removing a deep level (not the best)
  b.add(limit(6, 'BUY', 10, 1));
  b.add(limit(7, 'BUY', 9, 1));
  b.add(limit(8, 'BUY', 8, 1));
  b.remove(7);
  assert.deepEqual(dumpL3(b), ['BUY 10 x1 [6:1]', 'BUY 8 x1 [8:1]']);
});

test('reduce keeps queue position; reducing to zero removes', () => {
  const b = new OrderBook();
  const a = limit(1, 'BUY', 10, 5);
  const c = limit(2, 'BUY', 10, 5);
  b.add(a);
  b.add(c);
  assert.equal(b.reduce(a, 2), true);
  assert.equal(a.quantity, 3);
  assert.deepEqual(dumpL3(b), ['BUY 10 x8 [1:3 2:5]']);
  assert.equal(b.reduce(a, 4), false);
  assert.equal(b.reduce(a, 0), false);
  assert.equal(b.reduce(a, 3), true);
  assert.equal(b.has(1), false);
  assert.deepEqual(dumpL3(b), ['BUY 10 x5 [2:5]']);
});

test('fillFirst fills the queue head at the level price and removes it when done', () => {
  const b = new OrderBook();
  b.add(limit(1, 'SELL', 30, 4));
  b.add(limit(2, 'SELL', 30, 6));
  const lvl = b.bestLevel('SELL')!;
  const m = b.fillFirst(lvl, 3);
  assert.equal(m.id, 1);
  assert.equal(m.status, 'PARTIALLY_FILLED');
  assert.equal(m.filledNotional, 90);
  assert.equal(b.bestAskSize(), 7);
  const m2 = b.fillFirst(lvl, 1);
  assert.equal(m2.status, 'FILLED');
  assert.equal(b.has(1), false);
  assert.deepEqual(dumpL3(b), ['SELL 30 x6 [2:6]']);
  b.fill(b.get(2)!, 6);
  assert.equal(b.size, 0);
  assert.equal(b.levelCount('SELL'), 0);
});

test('level objects are recycled and the book can be cleared', () => {
  const b = new OrderBook();
  b.add(limit(1, 'BUY', 10, 1));
  const l1 = b.bestLevel('BUY');
  b.remove(1);
  b.add(limit(2, 'SELL', 12, 1));
  assert.equal(b.bestLevel('SELL'), l1, 'the freed level object is reused');
  b.add(limit(3, 'BUY', 9, 1));
  b.clear();
  assert.equal(b.size, 0);
  assert.equal(b.levelCount('BUY') + b.levelCount('SELL'), 0);
  assert.equal(b.get(3), undefined);
});

test('many levels inserted in random order stay sorted', () => {
  const b = new OrderBook();
  const prices = [50, 10, 70, 30, 90, 20, 80, 40, 60, 11, 69];
  prices.forEach((p, i) => b.add(limit(i + 1, 'BUY', p, 1)));
  prices.forEach((p, i) => b.add(limit(100 + i, 'SELL', p + 1000, 1)));
  const bids = Array.from({ length: b.levelCount('BUY') }, (_, i) => b.levelPrice('BUY', i));
  const asks = Array.from({ length: b.levelCount('SELL') }, (_, i) => b.levelPrice('SELL', i));
  assert.deepEqual(bids, [...prices].sort((x, y) => y - x));
  assert.deepEqual(asks, [...prices].map((p) => p + 1000).sort((x, y) => x - y));
  for (const p of [30, 90, 10]) b.remove(prices.indexOf(p) + 1);
  assert.deepEqual(
    Array.from({ length: b.levelCount('BUY') }, (_, i) => b.levelPrice('BUY', i)),
    [80, 70, 69, 60, 50, 40, 20, 11],
  );
});

test('IdMap: set/get/take/delete with collisions and growth, including backward-shift deletion', () => {
  const m = new IdMap<number>(4);
  const ref = new Map<number, number>();
  let x = 12345;
  for (let i = 0; i < 20000; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const key = (x % 300) * 4096 + (i % 3 === 0 ? 0.25 : 0); // many colliding low bits
    if (x % 3 === 0) {
      assert.equal(m.take(key), ref.get(key));
      ref.delete(key);
    } else {
      m.set(key, i);
      ref.set(key, i);
    }
    if (i % 997 === 0) for (const [k, v] of ref) assert.equal(m.get(k), v);
  }
  assert.equal(m.size, ref.size);
  let n = 0;
  m.forEach((v, k) => {
    assert.equal(ref.get(k), v);
    n++;
  });
  assert.equal(n, ref.size);
  m.clear();
  assert.equal(m.size, 0);
  assert.equal(m.get([...ref.keys()][0]!), undefined);
});

test('DoneIds remembers exact ids only, and capacity 0 nothing', () => {
  const d = new DoneIds(8);
  assert.equal(d.capacity, 8);
  d.add(42);
  assert.equal(d.has(42), true);
  assert.equal(d.has(43), false);
  const none = new DoneIds(0);
  none.add(1);
  assert.equal(none.has(1), false);
});

test('ExpiryHeap pops in time order, ties in insertion order', () => {
  const h = new ExpiryHeap();
  const os = [5, 3, 9, 3, 1, 7].map((t, i) => ({ t, o: limit(i + 1, 'BUY', 1, 1) }));
  for (const { t, o } of os) h.push(t, o);
  const out: string[] = [];
  while (h.length > 0) {
    out.push(`${h.peekTime()}:${h.peekOrder()!.id}`);
    h.pop();
  }
  assert.deepEqual(out, ['1:5', '3:2', '3:4', '5:1', '7:6', '9:3']);
  assert.equal(h.peekTime(), Infinity);
});
