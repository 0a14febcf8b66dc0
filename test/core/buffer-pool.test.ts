/** The buffer pool: reuse, bounds, no buffer handed out twice (property), and callers that reuse dirty memory. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { BufferPool, scratchBuffers, takeFloat64 } from '../../src/core/buffer-pool.ts';
import { loadBarsCsv } from '../../src/data/bar-csv.ts';
import type { BarEvent } from '../../src/market/market-data.ts';
import { drain } from '../data/helpers.ts';
import { TimeSeries2 } from '../../src/sim/time-series.ts';

test('take hands back a given buffer when it fits, the smallest that does; small requests are never pooled', () => {
  const pool = new BufferPool(1 << 20, 1024);
  const a = pool.take(3000);
  assert.equal(a.byteLength, 4096, 'rounded up to a power of two from the minimum');
  pool.give(a);
  assert.equal(pool.idleBytes, 4096);
  assert.equal(pool.take(2500), a, 'reused');
  assert.equal(pool.idleBuffers, 0);
  const big = pool.take(20_000);
  assert.ok(big.byteLength >= 20_000);
  pool.give(big);
  pool.give(a);
  assert.equal(pool.take(4000), a, 'the smallest that fits, not the first given');
  pool.give(a);
  pool.give(a);
  assert.equal(pool.idleBuffers, 2, 'a second give of the same buffer is ignored');
  assert.equal(pool.idleBytes, 4096 + big.byteLength);
  const tiny = pool.take(10);
  assert.equal(tiny.byteLength, 10, 'below the minimum: a plain new buffer');
  pool.give(tiny);
  assert.equal(pool.idleBuffers, 2, 'and it is not kept');
});

test('a shared pool hands out SharedArrayBuffers, reuses them, and keeps no buffer of the other kind', () => {
  const pool = BufferPool.shared(1 << 20, 1024);
  const a = pool.take(3000);
  assert.ok(a instanceof SharedArrayBuffer);
  assert.equal(a.byteLength, 4096);
  assert.ok(pool.take(10) instanceof SharedArrayBuffer, 'small requests too (not pooled)');
  pool.give(new ArrayBuffer(4096));
  assert.equal(pool.idleBuffers, 0, 'an ArrayBuffer is not kept by a shared pool');
  pool.give(a);
  assert.equal(pool.take(4000), a, 'reused');
  const plain = new BufferPool(1 << 20, 1024);
  plain.give(new SharedArrayBuffer(4096));
  assert.equal(plain.idleBuffers, 0, 'nor a SharedArrayBuffer by a plain pool');
  assert.ok(!(plain.take(4096) instanceof SharedArrayBuffer));
});

test('the cap: giving back beyond maxBytes drops the smallest idle buffers', () => {
  const pool = new BufferPool(10_000, 1024);
  const b4 = pool.take(4096);
  const b8 = pool.take(8192);
  pool.give(b4);
  pool.give(b8);
  assert.equal(pool.idleBuffers, 1);
  assert.equal(pool.idleBytes, 8192);
  assert.equal(pool.take(8000), b8);
  const huge = pool.take(20_000);
  pool.give(huge);
  assert.equal(pool.idleBytes, 0, 'a buffer bigger than the cap is not kept');
});

test('the 4x rule: a big idle buffer is not spent on a small request', () => {
  const pool = new BufferPool(1 << 24, 1024);
  const big = pool.take(1 << 20);
  pool.give(big);
  const small = pool.take(2000);
  assert.notEqual(small, big);
  assert.equal(pool.idleBuffers, 1);
  assert.equal(pool.take((1 << 20) / 4), big, 'a quarter of it may use it');
});

test('bad sizes are refused with the method named', () => {
  const pool = new BufferPool();
  assert.throws(() => pool.take(-1), /BufferPool.take: bytes must be a non-negative safe integer, got -1/);
  assert.throws(() => pool.take(Number.NaN), /got NaN/);
  assert.throws(() => pool.take(1.5), /got 1.5/);
});

test('property: a buffer is never out twice, idle bytes stay within the cap and add up', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.record({ take: fc.integer({ min: 0, max: 70_000 }) }), fc.record({ give: fc.nat(40) }), fc.record({ giveAgain: fc.nat(40) })), { maxLength: 120, size: 'max' }), (ops) => {
      const pool = new BufferPool(200_000, 4096);
      const out: ArrayBuffer[] = [];
      const given: ArrayBuffer[] = [];
      for (const op of ops) {
        if ('take' in op) {
          const b = pool.take(op.take);
          assert.ok(b.byteLength >= op.take);
          assert.ok(!out.includes(b), 'handed out while still out');
          out.push(b);
          const i = given.indexOf(b);
          if (i >= 0) given.splice(i, 1);
        } else if ('give' in op) {
          if (out.length === 0) continue;
          const [b] = out.splice(op.give % out.length, 1);
          pool.give(b!);
          given.push(b!);
        } else if (given.length > 0) pool.give(given[op.giveAgain % given.length]!); // a double give
        assert.ok(pool.idleBytes <= 200_000);
      }
      // everything idle is what was given and not taken again
      let idle = 0;
      for (const b of given) if (b.byteLength >= 4096) idle += b.byteLength;
      assert.ok(pool.idleBytes <= idle);
    }),
    { numRuns: 300 },
  );
});

test('takeFloat64 gives an exact-length view; its memory may hold old values', () => {
  const pool = new BufferPool(1 << 24, 1024);
  const a = takeFloat64(1000, pool);
  a.fill(7);
  pool.give(a.buffer);
  const b = takeFloat64(900, pool);
  assert.equal(b.length, 900);
  assert.equal(b.buffer, a.buffer);
  assert.equal(b[0], 7, 'not zeroed: users write before they read');
});

/** Every bar of a file through `loadBarsCsv`, copied out. */
async function load(path: string): Promise<BarEvent[]> {
  return drain((await loadBarsCsv(path)).source);
}

test("loads that reuse a previous load's pooled memory give exactly the bars of a fresh load", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marketsim-pool-'));
  const rows = (n: number, base: number, decimals: number) =>
    Array.from({ length: n }, (_, i) => {
      const p = (base + (i % 50)).toFixed(decimals);
      return `2020-01-${String(1 + (i % 28)).padStart(2, '0')}T${String(10 + Math.floor(i / 28 / 60) % 10).padStart(2, '0')}:${String(Math.floor(i / 28) % 60).padStart(2, '0')}:00,${p},${p},${p},${p},${100 + i}`;
    });
  const sortRows = (r: string[]) => r.sort();
  // a long file fills big pooled buffers; the shorter ones after it get the same memory, dirty
  const long = join(dir, 'LONG.csv');
  writeFileSync(long, 'Date,Open,High,Low,Close,Volume\n' + sortRows(rows(20_000, 1000, 2)).join('\n') + '\n');
  const short = join(dir, 'SHORT.csv');
  writeFileSync(short, 'Date,Open,High,Low,Close,Volume\n' + sortRows(rows(3_000, 7, 4)).join('\n') + '\n');
  const freshShort = await load(short);
  const longBars = await load(long);
  assert.equal(longBars.length, 20_000);
  assert.ok(scratchBuffers.idleBuffers > 0, 'the long load gave its memory back');
  const reusedShort = await load(short);
  assert.deepEqual(
    reusedShort.map(({ instrument: _, ...b }) => b),
    freshShort.map(({ instrument: _, ...b }) => b),
  );
  assert.deepEqual(
    (await load(long)).map(({ instrument: _, ...b }) => b),
    longBars.map(({ instrument: _, ...b }) => b),
  );
});

test('a sample series released and refilled reads out only its new samples', () => {
  const a = new TimeSeries2();
  for (let i = 0; i < 40_000; i++) a.push(i, i * 2, i * 3);
  const first = a.toDecimals(1);
  assert.equal(first.time.length, 40_000);
  a.release();
  assert.equal(a.length, 0);
  const b = new TimeSeries2(); // takes the chunks `a` gave back
  for (let i = 0; i < 5; i++) b.push(100 + i, -i, 1);
  const out = b.toDecimals(10, 1);
  assert.deepEqual([...out.time], [100, 101, 102, 103, 104]);
  assert.deepEqual([...out.value], [-0, -0.1, -0.2, -0.3, -0.4]);
  assert.deepEqual([...out.exposure], [1, 1, 1, 1, 1]);
  assert.equal(first.value[39_999], 79_998, 'what was read out before the release is untouched');
});
