import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { EventQueue, type Scheduled } from '../../src/core/event-queue.ts';

/** A scheduled item that records its push index (its identity) and when it fired. */
class Item implements Scheduled {
  seq = -1;
  fired = NaN;
  constructor(public time: number, readonly id: number) {}
  fire(now: number): void {
    this.fired = now;
  }
}

/** Reference order: by time, ties by push order (a stable sort of the push sequence). */
function reference(items: Item[]): number[] {
  return items
    .map((it, i) => ({ it, i }))
    .sort((a, b) => a.it.time - b.it.time || a.i - b.i)
    .map((x) => x.it.id);
}

test('EventQueue: empty queue peeks Infinity and pops undefined', () => {
  const q = new EventQueue();
  assert.equal(q.size, 0);
  assert.equal(q.peekTime(), Infinity);
  assert.equal(q.pop(), undefined);
});

test('EventQueue: push stamps increasing seq numbers', () => {
  const q = new EventQueue();
  const a = new Item(5, 0);
  const b = new Item(1, 1);
  const c = new Item(5, 2);
  q.push(a);
  q.push(b);
  q.push(c);
  assert.deepEqual([a.seq, b.seq, c.seq], [0, 1, 2]);
  assert.equal(q.size, 3);
  assert.equal(q.peekTime(), 1);
});

test('EventQueue: equal times pop in push order (stable ties)', () => {
  const q = new EventQueue();
  for (let i = 0; i < 50; i++) q.push(new Item(7, i));
  const out: number[] = [];
  for (let it = q.pop(); it; it = q.pop()) out.push((it as Item).id);
  assert.deepEqual(out, Array.from({ length: 50 }, (_, i) => i));
});

test('EventQueue: pops in (time, seq) order for any push sequence (fast-check vs a stable sort)', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 300, size: 'max' }), (times) => {
      const q = new EventQueue();
      const items = times.map((t, i) => new Item(t, i));
      for (const it of items) q.push(it);
      const out: number[] = [];
      let lastTime = -Infinity;
      for (let it = q.pop(); it; it = q.pop()) {
        assert.ok(it.time >= lastTime);
        lastTime = it.time;
        out.push((it as Item).id);
      }
      assert.deepEqual(out, reference(items));
      assert.equal(q.size, 0);
    }),
    { numRuns: 300 },
  );
});

test('EventQueue: interleaved pushes and pops keep (time, seq) order (fast-check vs a reference list)', () => {
  // op >= 0: push an item at time op; op = -1: pop one
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -1, max: 10 }), { maxLength: 400, size: 'max' }), (ops) => {
      const q = new EventQueue();
      const ref: { time: number; n: number; id: number }[] = [];
      let n = 0;
      for (const op of ops) {
        if (op >= 0) {
          const it = new Item(op, n);
          q.push(it);
          ref.push({ time: op, n: n, id: n });
          n++;
        } else {
          ref.sort((a, b) => a.time - b.time || a.n - b.n);
          const want = ref.shift();
          const got = q.pop() as Item | undefined;
          assert.equal(got?.id, want?.id);
        }
        assert.equal(q.size, ref.length);
        const minTime = ref.reduce((m, r) => Math.min(m, r.time), Infinity);
        assert.equal(q.peekTime(), minTime);
      }
    }),
    { numRuns: 200 },
  );
});

test('EventQueue: an item pushed again after popping gets a new seq and goes behind its equals', () => {
  const q = new EventQueue();
  const a = new Item(10, 0);
  const b = new Item(10, 1);
  q.push(a);
  q.push(b);
  const first = q.pop()!;
  assert.equal(first, a);
  q.push(a); // e.g. a repeating timer re-armed at the same time
  assert.equal(q.pop(), b);
  assert.equal(q.pop(), a);
});

test('EventQueue: clear removes every event', () => {
  const q = new EventQueue();
  for (let i = 0; i < 10; i++) q.push(new Item(i, i));
  q.clear();
  assert.equal(q.size, 0);
  assert.equal(q.peekTime(), Infinity);
  assert.equal(q.pop(), undefined);
});
