/**
 * `reconstructLobsterColumns` on two threads (the asks on the parse worker, the order map and the
 * bids on the calling thread, lobster-side.ts) gives exactly what the sequential rebuild gives: the
 * same counts, and the same `DataError` when a message fails a check.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { sharedFile } from '../helpers/shared-data.ts';
import { DataError } from '../../src/core/errors.ts';
import { loadLobsterBook, loadLobsterMessages, reconstructLobsterColumns, type LobsterBookBlock, type LobsterMessageBlock, type LobsterReconstructionResult } from '../../src/data/lobster.ts';
import { bookParseWorker, bookParseWorkerReady } from '../../src/data/lobster-book-worker.ts';
import { lobsterSideStats } from '../../src/data/lobster-reconstruct.ts';

const DAY = '2012-06-21_34200000_57600000';
const full = (sym: string, kind: 'message' | 'orderbook', n: number) => sharedFile(`data/lobster/full-day-gz/${sym}_${DAY}_${kind}_${n}.csv.gz`);

/** The counts of a result (its two timing fields left out). */
function counts(r: LobsterReconstructionResult): Omit<LobsterReconstructionResult, 'seconds' | 'messagesPerSecond'> {
  const { seconds: _s, messagesPerSecond: _m, ...rest } = r;
  return rest;
}

/** Runs both ways; the result (or the error's text, line and field) of each. */
function both(m: LobsterMessageBlock, b: LobsterBookBlock, options: { strict?: boolean } = {}): [unknown, unknown] {
  const run = (parallel: boolean): unknown => {
    try {
      return counts(reconstructLobsterColumns(m, b, { ...options, parallel }));
    } catch (err) {
      assert.ok(err instanceof DataError, String(err));
      return { error: err.message, line: err.line, field: err.field };
    }
  };
  return [run(true), run(false)];
}

test('two threads give the sequential counts on the GOOG level-10 and AMZN level-5 days', async (t) => {
  if (!(await bookParseWorkerReady())) return t.skip('no parse worker (single core)');
  for (const [sym, n] of [['GOOG', 10], ['AMZN', 5]] as const) {
    const mp = full(sym, 'message', n);
    const bp = full(sym, 'orderbook', n);
    if (!mp || !bp) return t.skip('shared data missing');
    const m = await loadLobsterMessages(mp);
    const b = await loadLobsterBook(bp, n);
    assert.ok(m.type.buffer instanceof SharedArrayBuffer && b.data.buffer instanceof SharedArrayBuffer, 'whole-file loads lie on shared memory');
    const [par, seq] = both(m, b);
    assert.deepEqual(par, seq);
    assert.equal((par as LobsterReconstructionResult).mismatched, 0);
  }
});

/** A random but consistent day: messages on a true book, each row its top `levels` levels, some rows spoiled. */
function randomDay(seed: number, levels: number, rows: number, spoil: number, badMessage: number): { m: LobsterMessageBlock; b: LobsterBookBlock } {
  let s = seed >>> 0 || 1;
  const rnd = (k: number): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % k;
  };
  const shared = (bytes: number) => new SharedArrayBuffer(bytes);
  const m: LobsterMessageBlock = {
    length: rows,
    firstRow: 0,
    timeUs: new Float64Array(shared(rows * 8)),
    type: new Uint8Array(shared(rows)),
    orderId: new Float64Array(shared(rows * 8)),
    size: new Float64Array(shared(rows * 8)),
    price: new Float64Array(shared(rows * 8)),
    direction: new Int8Array(shared(rows)),
  };
  const data = new Int32Array(shared(rows * 4 * levels * 4));
  const book = { 1: new Map<number, number>(), [-1]: new Map<number, number>() } as Record<number, Map<number, number>>;
  const live: { id: number; price: number; size: number; dir: number }[] = [];
  let nextId = 1;
  for (let i = 0; i < rows; i++) {
    let type: number;
    let id: number;
    let size: number;
    let price: number;
    let dir: number;
    if (live.length < 20 || rnd(100) < 48) {
      dir = rnd(2) === 0 ? 1 : -1;
      // bids below 10,000, asks from 10,000 up, in ticks of 100, within 25 levels of the touch
      price = dir === 1 ? 10_000 - 100 * (1 + rnd(25)) : 10_000 + 100 * rnd(25);
      size = 1 + rnd(500);
      id = nextId++;
      type = 1;
      live.push({ id, price, size, dir });
      book[dir]!.set(price, (book[dir]!.get(price) ?? 0) + size);
    } else {
      const k = rnd(live.length);
      const o = live[k]!;
      type = [2, 3, 4, 4][rnd(4)]!;
      size = type === 3 ? o.size : 1 + rnd(o.size);
      ({ id, price, dir } = o);
      o.size -= size;
      const left = book[dir]!.get(price)! - size;
      if (left > 0) book[dir]!.set(price, left);
      else book[dir]!.delete(price);
      if (o.size === 0) live.splice(k, 1);
      else if (type === 3) throw new Error('unreachable');
    }
    if (i === badMessage) {
      // an execution of an unknown id at a price with no level: a DataError on both paths
      type = 4;
      id = 999_999_999;
      price = 123;
      size = 1;
    }
    m.timeUs[i] = i;
    m.type[i] = type;
    m.orderId[i] = id;
    m.size[i] = size;
    m.price[i] = price;
    m.direction[i] = dir;
    const off = i * 4 * levels;
    const asks = [...book[-1]!.keys()].sort((x, y) => x - y);
    const bids = [...book[1]!.keys()].sort((x, y) => y - x);
    for (let l = 0; l < levels; l++) {
      if (l < asks.length) {
        data[off + 4 * l] = asks[l]!;
        data[off + 4 * l + 1] = book[-1]!.get(asks[l]!)!;
      }
      if (l < bids.length) {
        data[off + 4 * l + 2] = bids[l]!;
        data[off + 4 * l + 3] = book[1]!.get(bids[l]!)!;
      }
    }
    if (rnd(1000) < spoil) {
      // a spoiled row: one size changed (a mismatch, or a resync when deep enough)
      const l = rnd(levels);
      const c = 4 * l + (rnd(2) === 0 ? 1 : 3);
      if (data[off + c] !== 0) data[off + c] = data[off + c]! + 1 + rnd(5);
    }
  }
  return { m, b: { length: rows, firstRow: 0, levels, data } };
}

test('property: on random days (spoiled rows, a bad message, strict or not) two threads give what one gives', async (t) => {
  if (!(await bookParseWorkerReady())) return t.skip('no parse worker (single core)');
  assert.ok(bookParseWorker()?.ready);
  await fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      fc.constantFrom(1, 3, 10),
      fc.integer({ min: 20_000, max: 24_000 }),
      fc.constantFrom(0, 2, 30),
      fc.oneof(fc.constant(-1), fc.integer({ min: 1, max: 23_999 })),
      fc.boolean(),
      (seed, levels, rows, spoil, bad, strict) => {
        const { m, b } = randomDay(seed, levels, rows, spoil, bad);
        const [par, seq] = both(m, b, { strict });
        assert.deepEqual(par, seq);
      },
    ),
    { numRuns: 12, seed: 4242 },
  );
});

test('a worker busy with other work: the caller takes its side back, with the same counts', async (t) => {
  if (!(await bookParseWorkerReady())) return t.skip('no parse worker (single core)');
  const w = bookParseWorker()!;
  const { m, b } = randomDay(77, 10, 20_000, 5, -1);
  const seq = counts(reconstructLobsterColumns(m, b, { parallel: false }));
  const before = lobsterSideStats();
  // a long chunk parse keeps the worker's thread busy (about 2 million rows of 4 numbers)
  const line = Buffer.from('5858000,100,5857000,200\n');
  const text = Buffer.alloc(line.length * 2_000_000);
  for (let o = 0; o < text.length; o += line.length) line.copy(text, o);
  const busy = w.parse(new Uint8Array(text.buffer, text.byteOffset, text.length), text.length, 4, null);
  const par = counts(reconstructLobsterColumns(m, b));
  const parsed = await busy;
  assert.equal(parsed.rows, 2_000_000);
  assert.deepEqual(par, seq);
  const after = lobsterSideStats();
  assert.equal(after.takenBack, before.takenBack + 1, 'the side was taken back');
  // and the worker runs later jobs as before (once done with what the long parse left it: a GC, say)
  for (let i = 0; i < 50 && lobsterSideStats().onWorker === after.onWorker; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(counts(reconstructLobsterColumns(m, b)), seq);
  }
  assert.equal(lobsterSideStats().onWorker, after.onWorker + 1);
});

test('a process that rebuilt on two threads exits by itself (the idle worker does not hold it)', async (t) => {
  if (!(await bookParseWorkerReady())) return t.skip('no parse worker (single core)');
  const mod = (p: string) => JSON.stringify(new URL(p, import.meta.url).href);
  // a quiet day: 20,000 hidden executions on an empty book, columns on shared memory
  const script = `
import { bookParseWorkerReady } from ${mod('../../src/data/lobster-book-worker.ts')};
import { reconstructLobsterColumns, lobsterSideStats } from ${mod('../../src/data/lobster-reconstruct.ts')};
await bookParseWorkerReady();
const n = 20_000;
const f64 = () => new Float64Array(new SharedArrayBuffer(n * 8));
const m = { length: n, firstRow: 0, timeUs: f64(), type: new Uint8Array(new SharedArrayBuffer(n)).fill(5), orderId: f64(), size: f64().fill(1), price: f64().fill(100), direction: new Int8Array(new SharedArrayBuffer(n)).fill(1) };
const b = { length: n, firstRow: 0, levels: 1, data: new Int32Array(new SharedArrayBuffer(n * 16)) };
// (a busy machine can leave the worker idle past the caller's part: the side is then taken back; try again)
let r = reconstructLobsterColumns(m, b);
for (let i = 0; i < 50 && lobsterSideStats().onWorker === 0; i++) {
  await new Promise((resolve) => setTimeout(resolve, 20));
  r = reconstructLobsterColumns(m, b);
}
console.log('matched', r.matched, 'on worker', Math.min(1, lobsterSideStats().onWorker));`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(child.error, undefined, 'the child exited by itself');
  assert.equal(child.status, 0, child.stderr);
  assert.match(child.stdout, /matched 19999 on worker 1/);
});
