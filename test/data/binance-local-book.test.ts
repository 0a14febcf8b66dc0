import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LevelBook } from '../../src/data/binance/level-book.ts';
import { DiffOutcome, LocalOrderBook, type GapInfo, type UnitDiff } from '../../src/data/binance/local-book.ts';

/** A diff with one bid level (price = its u, size 1) so the book shows which diffs were applied. */
function diff(U: number, u: number, pu = NaN, frame = u): UnitDiff {
  return { firstId: U, lastId: u, prevLastId: pu, bidPrices: [u], bidSizes: [1], askPrices: [], askSizes: [], frame, time: 0 };
}

function bidPrices(b: LocalOrderBook): number[] {
  return b.book.top(1000).bids.map(([p]) => p);
}

test('spot: drop u <= lastUpdateId, first kept has U <= id+1 <= u, then U = previous u + 1', () => {
  const b = new LocalOrderBook('spot');
  b.applySnapshot(100, [50], [7], [200], [3]);
  assert.equal(b.state, 'awaiting-first');
  assert.equal(b.applyDiff(diff(90, 99)), DiffOutcome.Stale);
  assert.equal(b.applyDiff(diff(95, 100)), DiffOutcome.Stale); // u == lastUpdateId is stale on spot
  assert.equal(b.applyDiff(diff(96, 103)), DiffOutcome.Applied); // 96 <= 101 <= 103
  assert.equal(b.applyDiff(diff(104, 104)), DiffOutcome.Applied);
  assert.equal(b.applyDiff(diff(100, 104)), DiffOutcome.Stale); // already contained
  assert.equal(b.applyDiff(diff(105, 109)), DiffOutcome.Applied);
  assert.deepEqual(b.counters, { applied: 3, droppedStale: 3, gaps: 0, resyncs: 0, snapshots: 1, buffered: 0, droppedOverflow: 0 });
  assert.equal(b.lastUpdateId, 109);
  assert.deepEqual(bidPrices(b), [109, 104, 103, 50]);
  assert.equal(b.inSync, true);
});

test('spot: a first event starting after lastUpdateId+1 is a gap', () => {
  const gaps: GapInfo[] = [];
  const b = new LocalOrderBook('spot', { listener: { gap: (g) => gaps.push(g) } });
  b.applySnapshot(100, [], [], [], []);
  assert.equal(b.applyDiff(diff(102, 105, NaN, 7)), DiffOutcome.Gap);
  assert.deepEqual(gaps, [{ frame: 7, expected: 'U <= 101 <= u', got: 'U = 102, u = 105' }]);
  assert.equal(b.state, 'out-of-sync');
});

test('spot: a missing id raises a gap, later diffs wait, the next snapshot rebuilds and replays them', () => {
  const applied: number[] = [];
  const b = new LocalOrderBook('spot', { listener: { applied: (d) => applied.push(d.lastId) } });
  b.applySnapshot(100, [1], [5], [], []);
  b.applyDiff(diff(101, 102));
  assert.equal(b.applyDiff(diff(104, 106, NaN, 42)), DiffOutcome.Gap); // 103 missing
  assert.deepEqual(b.lastGap, { frame: 42, expected: 'U = 103', got: 'U = 104, u = 106' });
  assert.equal(b.inSync, false);
  assert.equal(b.applyDiff(diff(107, 108)), DiffOutcome.Buffered);
  assert.equal(b.applyDiff(diff(109, 109)), DiffOutcome.Buffered);
  assert.deepEqual(applied, [102]); // nothing applied while out of sync
  assert.equal(b.pending, 3);
  // the next snapshot at 107: 104-106 is stale, 107-108 is the first event, 109 chains
  b.applySnapshot(107, [2], [9], [], []);
  assert.deepEqual(applied, [102, 108, 109]);
  assert.equal(b.state, 'synced');
  assert.equal(b.pending, 0);
  assert.deepEqual(bidPrices(b), [109, 108, 2]); // rebuilt: the old levels are gone
  assert.deepEqual(b.counters, { applied: 3, droppedStale: 1, gaps: 1, resyncs: 1, snapshots: 2, buffered: 3, droppedOverflow: 0 });
});

test('futures: drop u < lastUpdateId, first kept has U <= id <= u, then pu = previous u', () => {
  const b = new LocalOrderBook('futures');
  b.applySnapshot(100, [], [], [], []);
  assert.equal(b.applyDiff(diff(80, 99, 79)), DiffOutcome.Stale);
  assert.equal(b.applyDiff(diff(95, 100, 94)), DiffOutcome.Applied); // u == lastUpdateId is kept on futures
  assert.equal(b.applyDiff(diff(140, 150, 100)), DiffOutcome.Applied); // ids need not be contiguous, pu chains
  assert.equal(b.applyDiff(diff(151, 160, 150)), DiffOutcome.Applied);
  assert.equal(b.applyDiff(diff(141, 150, 139)), DiffOutcome.Stale); // an old event after sync
  assert.equal(b.applyDiff(diff(170, 180, 165, 9)), DiffOutcome.Gap); // pu should be 160
  assert.deepEqual(b.lastGap, { frame: 9, expected: 'pu = 160', got: 'pu = 165, U = 170, u = 180' });
  assert.deepEqual(bidPrices(b), [160, 150, 100]);
  assert.deepEqual(b.counters, { applied: 3, droppedStale: 2, gaps: 1, resyncs: 0, snapshots: 1, buffered: 1, droppedOverflow: 0 });
});

test('futures: a first event with U > lastUpdateId is a gap; spot vs futures differ at u == lastUpdateId', () => {
  const f = new LocalOrderBook('futures');
  f.applySnapshot(100, [], [], [], []);
  assert.equal(f.applyDiff(diff(101, 110, 100)), DiffOutcome.Gap); // futures needs U <= 100
  const s = new LocalOrderBook('spot');
  s.applySnapshot(100, [], [], [], []);
  assert.equal(s.applyDiff(diff(101, 110)), DiffOutcome.Applied); // spot needs U <= 101
});

test('diffs before the first snapshot are buffered, then replayed through the rules', () => {
  const b = new LocalOrderBook('futures', { maxBuffer: 2 });
  assert.equal(b.applyDiff(diff(1, 5, 0)), DiffOutcome.Buffered);
  assert.equal(b.applyDiff(diff(6, 9, 5)), DiffOutcome.Buffered);
  assert.equal(b.applyDiff(diff(10, 12, 9)), DiffOutcome.Buffered); // the oldest is dropped (maxBuffer 2)
  assert.equal(b.counters.droppedOverflow, 1);
  b.applySnapshot(8, [], [], [], []);
  assert.deepEqual(bidPrices(b), [12, 9]);
  assert.equal(b.counters.applied, 2);
  assert.equal(b.counters.resyncs, 0); // the first snapshot is a sync, not a resync
});

test('LevelBook keeps each side sorted, best first, and size 0 removes a level (property, against a Map)', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 3 })), { maxLength: 300, size: 'max' }), (ops) => {
      const book = new LevelBook();
      const model = { bids: new Map<number, number>(), asks: new Map<number, number>() };
      for (const [bid, price, size] of ops) {
        (bid ? book.bids : book.asks).set(price, size);
        const m = bid ? model.bids : model.asks;
        if (size === 0) m.delete(price);
        else m.set(price, size);
      }
      const want = {
        bids: [...model.bids].sort((a, b) => b[0] - a[0]),
        asks: [...model.asks].sort((a, b) => a[0] - b[0]),
      };
      assert.deepEqual(book.top(1000), want);
      assert.equal(book.bids.bestPrice(), want.bids.length ? want.bids[0]![0] : NaN);
      for (const [p, s] of want.asks) assert.equal(book.asks.sizeOf(p), s);
    }),
    { numRuns: 300 },
  );
});
