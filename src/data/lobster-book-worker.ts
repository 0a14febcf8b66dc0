import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { finalLine, parseBookChunk, parseBookRows, pooledChunk, wholeLines, type BookChunkRows } from './lobster-book-rows.ts';
import { ApplyCode, LevelSide } from './lobster-book.ts';
import { rebuildSide } from './lobster-side.ts';
import { barBytePathSource, type BarByteLayout } from './bar-bytes.ts';
import { BarColumnBatch } from './bar-batch-source.ts';
import type { Instrument } from '../market/instrument.ts';

/**
 * A worker thread that runs the order-book fast loop (`parseBookChunk`), so the end-to-end
 * reconstruction parses the order-book file (the bulk of the bytes) on one core while the calling
 * thread parses messages and rebuilds the book on the other. Two kinds of jobs:
 *
 * - **a whole file** (`read`, the usual case): the worker opens the file itself, gunzips it
 *   (libuv's thread pool, driven from the worker's own event loop), cuts it into chunks of whole
 *   lines and parses each, and posts the rows in file order; the calling thread only takes them.
 *   Gunzip goes on inflating while the calling thread is busy: a zlib stream only asks for its next
 *   piece when its thread's event loop gets to it, so driving it from a thread that runs long
 *   synchronous stretches (the book rebuild) stalls it (measured: each millisecond a 1 MiB piece
 *   waits is a millisecond more for the whole file).
 * - **a chunk** (`parse`): the calling thread read it and sends it over, used while a file that
 *   began before the worker was up is read on the calling thread.
 * - **one side of a book** (`side`): `reconstructLobsterColumns` rebuilds the asks here over columns
 *   on shared memory while the calling thread runs the order map and the bids (lobster-side.ts).
 * - **half of a bar file** (`bars`): `loadBarsCsv` parses the second half of a file read into
 *   shared memory here while the calling thread parses the first (bar-split.ts).
 *
 * The worker's code is the source text of `parseBookRows`, `parseBookChunk`, `LevelSide`,
 * `rebuildSide` and the bar fast path (`barBytePathSource`), self-contained, run as plain
 * JavaScript: it needs no TypeScript loader, so it starts the same under `node --import tsx`, from `bin/marketsim.js` (which registers tsx in its own thread only) and from
 * compiled code. Chunks and rows move by transfer (no copy) and come back for reuse. One worker per
 * process, started on first use and kept (like libuv's thread pool); it does not keep the process
 * alive when idle.
 */

const SOURCE = `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { createReadStream } = require('node:fs');
const { createGunzip } = require('node:zlib');
${parseBookRows.toString()}
${parseBookChunk.toString()}
${wholeLines.toString()}
${finalLine.toString()}
${pooledChunk.toString()}
const ApplyCode = ${JSON.stringify(ApplyCode)};
// (a class's source from tsx names itself with esbuild's __name helper)
const __name = (target, value) => Object.defineProperty(target, 'name', { value, configurable: true });
${LevelSide.toString()}
${rebuildSide.toString()}
${barBytePathSource()}
function runJob(m, work) {
  // state: 0 posted, 1 running, 2 done, 3 taken back by the caller (it does the job itself: see finishJob)
  if (Atomics.compareExchange(m.state, 0, 0, 1) !== 0) return;
  work(m);
  Atomics.store(m.state, 0, 2);
  Atomics.notify(m.state, 0);
}
function runBars(m) {
  // the caller's columns, filled by BarColumnBatch's own bar(); full columns end the job (the caller then parses this part)
  const sink = {
    length: 0,
    time: m.time,
    open: m.open,
    high: m.high,
    low: m.low,
    close: m.close,
    volume: m.volume,
    grow() {
      throw new RangeError('the columns are full');
    },
    ${BarColumnBatch.prototype.bar.toString()},
  };
  try {
    const path = BarBytePath.create(m.layout, m.inst, { lastTime: -Infinity });
    const end = path.run(Buffer.from(m.bytes, m.from, m.to - m.from), 0, sink);
    m.out[0] = sink.length;
    m.out[1] = m.from + end;
  } catch {
    m.out[0] = -1;
  }
}
function runSide(m) {
  let r = -2;
  try {
    const levels = new LevelSide();
    r = rebuildSide(levels, m.types, m.sizes, m.prices, m.dirs, m.row, m.n, m.levels, m.bids, m.flags);
    m.out[0] = levels.count;
  } catch {
    r = -2;
  }
  m.out[1] = r;
}
const reads = new Map();
function sendChunk(st, bytes, n) {
  const r = parseBookChunk(bytes, n, st.nf, st.spares.pop() || null);
  st.out++;
  parentPort.postMessage({ read: st.id, kind: 'chunk', rows: r.rows, stop: r.stop, data: r.data.buffer, buf: bytes.buffer, len: n }, [r.data.buffer, bytes.buffer]);
  if (st.out >= st.ahead && !st.paused) {
    st.paused = true;
    st.stream.pause();
  }
}
function arrive(st, p) {
  // parse after the zlib callback returns: it starts inflating the next piece only then, so the
  // inflate of piece i+1 (thread pool) overlaps the parse of piece i (here)
  st.inbox.push(p);
  if (st.inbox.length === 1) setImmediate(drain, st);
}
function drain(st) {
  const box = st.inbox;
  st.inbox = [];
  for (const p of box) piece(st, p);
  if (st.ended !== undefined) finish(st, st.ended);
}
function piece(st, piece) {
  if (st.done) return;
  const w = wholeLines(st.carry, piece, (n) => pooledChunk(st.pool, n));
  st.carry = w.carry;
  if (w.bytes !== null) sendChunk(st, w.bytes, w.len);
}
function finish(st, err) {
  if (st.done) return;
  const last = err === null ? finalLine(st.carry, (n) => pooledChunk(st.pool, n)) : null;
  st.carry = null;
  if (last !== null) sendChunk(st, last.bytes, last.len);
  st.done = true;
  reads.delete(st.id);
  parentPort.postMessage({ read: st.id, kind: 'end', error: err === null ? null : { message: String(err.message), code: err.code } });
}
function startRead(m) {
  const st = { id: m.read, nf: m.nf, ahead: m.ahead, out: 0, paused: false, carry: null, pool: [], spares: [], stream: null, done: false, inbox: [], ended: undefined };
  reads.set(m.read, st);
  const raw = createReadStream(m.path, { highWaterMark: m.chunk });
  let s = raw;
  if (m.gzip) {
    s = createGunzip({ chunkSize: Math.max(16384, m.chunk) });
    raw.on('error', (e) => s.destroy(e));
    raw.pipe(s);
  }
  st.stream = s;
  s.on('data', (p) => arrive(st, p));
  const last = (e) => {
    if (st.inbox.length > 0) st.ended = e; // after the pieces still to parse
    else finish(st, e);
  };
  s.on('end', () => last(null));
  s.on('error', (e) => last(e));
}
parentPort.on('message', (m) => {
  if (m.op === 'read') return startRead(m);
  if (m.op === 'side') return runJob(m, runSide);
  if (m.op === 'bars') return runJob(m, runBars);
  if (m.op === 'give') {
    const st = reads.get(m.read);
    if (!st) return;
    if (m.buf) {
      st.out--;
      if (st.pool.length < st.ahead) st.pool.push(m.buf);
    }
    if (m.spare && st.spares.length < st.ahead) st.spares.push(new Int32Array(m.spare));
    if (st.paused && st.out < st.ahead) {
      st.paused = false;
      st.stream.resume();
    }
    return;
  }
  if (m.op === 'close') {
    const st = reads.get(m.read);
    if (!st) return;
    st.done = true;
    reads.delete(m.read);
    st.stream.destroy();
    return;
  }
  const r = parseBookChunk(new Uint8Array(m.buf, 0, m.len), m.len, m.nf, m.spare ? new Int32Array(m.spare) : null);
  parentPort.postMessage({ id: m.id, rows: r.rows, stop: r.stop, data: r.data.buffer, buf: m.buf }, [r.data.buffer, m.buf]);
});
Atomics.store(workerData.up, 0, 1);
`;

/** A side rebuild for the worker (see `BookParseWorker.side`); every array lies on shared memory. */
export interface SideJob {
  state: Int32Array;
  out: Float64Array;
  types: Uint8Array;
  sizes: Float64Array;
  prices: Float64Array;
  dirs: Int8Array;
  row: Int32Array;
  n: number;
  levels: number;
  bids: boolean;
  flags: Uint8Array;
}

/**
 * A part of a bar file for the worker (see `BookParseWorker.bars`): the byte fast path
 * (`BarBytePath.run`) over `bytes[from, to)` (whole lines of a file read into shared memory) into the
 * six columns, on shared memory too, from row 0. `state` is as a side job's (`finishJob`); when done, `out[0]` is the
 * rows parsed (-1 when the columns were too short or the walk threw) and `out[1]` the offset in
 * `bytes` where the walk stopped (`to` when it took every line).
 */
export interface BarJob {
  state: Int32Array;
  out: Float64Array;
  bytes: SharedArrayBuffer;
  from: number;
  to: number;
  layout: BarByteLayout;
  /** The instrument's grid, as the walk reads it. */
  inst: Pick<Instrument, 'pricePrecision' | 'sizePrecision' | 'tickUnits' | 'priceScale' | 'sizeScale'>;
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

/** What became of a job posted with `side` or `bars` (see `finishJob`). */
export type JobOutcome = 'done' | 'taken-back' | 'timeout';

/**
 * The caller's end of a `side` or `bars` job, whose `state[0]` goes 0 (posted) -> 1 (running) -> 2
 * (done, with `Atomics.notify`): takes the job back when the worker has not started it (0 -> 3: the
 * worker then skips it, and the caller does the work itself), else waits, blocking this thread but
 * never returning to its event loop, until the worker has finished it, at most `timeoutMs`.
 */
export function finishJob(state: Int32Array, timeoutMs = 120_000): JobOutcome {
  if (Atomics.compareExchange(state, 0, 0, 3) === 0) return 'taken-back';
  const until = performance.now() + timeoutMs;
  while (Atomics.load(state, 0) === 1) {
    if (performance.now() > until) return 'timeout';
    Atomics.wait(state, 0, 1, 100);
  }
  return 'done';
}

/** One chunk of a whole-file read, parsed on the worker: its rows and its bytes (both owned by the receiver until given back). */
export interface RemoteChunk extends BookChunkRows {
  bytes: Uint8Array;
  len: number;
}

/** Read errors cross the thread boundary as their message and code (`lobsterReadError` reads both). */
interface ReadFailure {
  message: string;
  code?: string;
}

/**
 * A whole-file read running on the worker (`BookParseWorker.read`): chunks arrive in file order
 * (`next`); each chunk's bytes and rows go back with `give` when the caller is done with them,
 * which lets the worker read further (at most `ahead` chunks are out at once).
 */
export class RemoteBookRead {
  private readonly queue: RemoteChunk[] = [];
  private ended = false;
  private failure: Error | null = null;
  private arrived: (() => void) | null = null;

  /** @internal made by `BookParseWorker.read`. */
  constructor(
    private readonly owner: BookParseWorker,
    private readonly id: number,
  ) {}

  /** The next chunk, or null at the end of the file; throws the read error (missing file, bad gzip) after the chunks before it. */
  async next(): Promise<RemoteChunk | null> {
    if (this.queue.length === 0 && !this.ended) {
      // only a read someone waits on keeps the process alive (an abandoned reader does not)
      this.owner.hold(1);
      try {
        while (this.queue.length === 0 && !this.ended) await new Promise<void>((resolve) => (this.arrived = resolve));
      } finally {
        this.owner.hold(-1);
      }
    }
    const c = this.queue.shift();
    if (c) return c;
    if (this.failure) throw this.failure;
    return null;
  }

  /** Gives back a chunk's bytes (lets the worker read one chunk further) and, when given, a row array to reuse. */
  give(bytes: Uint8Array | null, spare: Int32Array | null): void {
    if (this.ended && this.queue.length === 0 && bytes === null) return;
    const transfer: ArrayBuffer[] = [];
    if (bytes) transfer.push(bytes.buffer as ArrayBuffer);
    if (spare) transfer.push(spare.buffer as ArrayBuffer);
    this.owner.post({ op: 'give', read: this.id, buf: bytes ? bytes.buffer : null, spare: spare ? spare.buffer : null }, transfer);
  }

  /** Stops the read (the worker closes the file; chunks still due are dropped). */
  close(): void {
    if (!this.ended) this.owner.post({ op: 'close', read: this.id }, []);
    this.settle(null);
  }

  /** @internal a chunk from the worker. */
  chunk(c: RemoteChunk): void {
    if (this.ended) return;
    this.queue.push(c);
    this.wake();
  }

  /** @internal the end of the file, or the read error. */
  settle(failure: ReadFailure | Error | null): void {
    if (this.ended) return;
    this.ended = true;
    if (failure) this.failure = failure instanceof Error ? failure : Object.assign(new Error(failure.message), failure.code !== undefined ? { code: failure.code } : {});
    this.owner.readDone(this.id);
    this.wake();
  }

  private wake(): void {
    const w = this.arrived;
    this.arrived = null;
    w?.();
  }
}

interface Reply {
  id: number;
  rows: number;
  stop: number;
  data: ArrayBuffer;
  buf: ArrayBuffer;
}

/** A message of a whole-file read. */
type ReadReply = { read: number; kind: 'chunk'; rows: number; stop: number; data: ArrayBuffer; buf: ArrayBuffer; len: number } | { read: number; kind: 'end'; error: ReadFailure | null };

/** The parse worker: `read` runs a whole file there, `parse` sends one chunk and resolves with its rows (and the chunk's bytes back). */
export class BookParseWorker {
  /** Set when the worker died: callers parse on their own thread. */
  failed: Error | null = null;
  /** Chunks the worker has parsed (for tests and diagnostics). */
  chunksParsed = 0;
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (r: BookChunkRows & { bytes: Uint8Array }) => void; reject: (e: Error) => void }>();
  private readonly reads = new Map<number, RemoteBookRead>();
  /** Reads whose `next` waits for a chunk. */
  private waiters = 0;
  private nextId = 0;

  /** Set to 1 by the worker once it runs (read without a message: see `ready`). */
  private readonly upCell = new Int32Array(new SharedArrayBuffer(4));

  constructor() {
    this.worker = new Worker(SOURCE, { eval: true, execArgv: [], stdout: false, stderr: false, workerData: { up: this.upCell } });
    this.worker.on('message', (m: Reply | ReadReply) => {
      if ('read' in m) {
        const r = this.reads.get(m.read);
        if (!r) return;
        if (m.kind === 'chunk') {
          this.chunksParsed++;
          r.chunk({ rows: m.rows, stop: m.stop, data: new Int32Array(m.data), bytes: new Uint8Array(m.buf), len: m.len });
        } else r.settle(m.error);
        return;
      }
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      this.chunksParsed++;
      this.refCheck();
      p.resolve({ rows: m.rows, stop: m.stop, data: new Int32Array(m.data), bytes: new Uint8Array(m.buf) });
    });
    const die = (err: Error) => {
      this.failed = err;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
      for (const r of [...this.reads.values()]) r.settle(err);
    };
    this.worker.on('error', die);
    this.worker.on('exit', (code) => die(new Error(`the order-book parse worker exited (code ${code})`)));
    // after the listeners: adding a 'message' listener refs the worker again
    this.worker.unref();
  }

  /**
   * True once the worker runs (before, callers parse on their own thread rather than wait); false
   * once it failed. The worker sets a shared cell rather than posting a message, so a caller that
   * has not returned to the event loop since the worker started (a synchronous rebuild loop) sees it.
   */
  get ready(): boolean {
    return this.failed === null && Atomics.load(this.upCell, 0) === 1;
  }

  /** Chunks sent and not answered yet. */
  get inFlight(): number {
    return this.pending.size;
  }

  /**
   * Parses `bytes[0, len)` (whole lines; `bytes` must own its whole ArrayBuffer, which moves to the
   * worker and comes back with the answer) into rows of `nf` numbers, reusing `spare` when given
   * (it moves to the worker too).
   */
  parse(bytes: Uint8Array, len: number, nf: number, spare: Int32Array | null): Promise<BookChunkRows & { bytes: Uint8Array }> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.refCheck(); // an answer is awaited: keep the process alive
      const transfer: ArrayBuffer[] = [bytes.buffer as ArrayBuffer];
      if (spare) transfer.push(spare.buffer as ArrayBuffer);
      this.worker.postMessage({ id, buf: bytes.buffer, len, nf, spare: spare ? spare.buffer : null }, transfer);
    });
  }

  /**
   * Reads, gunzips (when `gzip`) and parses the whole file at `path` on the worker, in chunks of
   * about `chunk` bytes of text, rows of `nf` numbers, at most `ahead` chunks out at once.
   */
  read(path: string, nf: number, gzip: boolean, chunk: number, ahead: number): RemoteBookRead {
    const id = this.nextId++;
    const r = new RemoteBookRead(this, id);
    if (this.failed) {
      r.settle(this.failed);
      return r;
    }
    this.reads.set(id, r);
    this.worker.postMessage({ op: 'read', read: id, path, nf, gzip, chunk, ahead });
    return r;
  }

  /**
   * Starts rebuilding one side of a book on the worker (`rebuildSide`, lobster-side.ts) over
   * columns on shared memory; the caller ends it with `finishJob`. When done, `out[0]` is the
   * side's level count and `out[1]` -1, the failing message's index, or -2 on an exception.
   */
  side(job: SideJob): void {
    if (!this.failed) this.worker.postMessage({ op: 'side', ...job });
  }

  /** Starts parsing part of a bar file on the worker (bar-split.ts); the caller ends it with `finishJob`. */
  bars(job: BarJob): void {
    if (!this.failed) this.worker.postMessage({ op: 'bars', ...job });
  }

  /** @internal a message to the worker (from a read). */
  post(message: unknown, transfer: ArrayBuffer[]): void {
    if (!this.failed) this.worker.postMessage(message, transfer);
  }

  /** @internal a read ended. */
  readDone(id: number): void {
    this.reads.delete(id);
  }

  /** @internal a read's `next` starts (+1) or stops (-1) waiting for the worker. */
  hold(delta: number): void {
    this.waiters += delta;
    this.refCheck();
  }

  /** The worker keeps the process alive exactly while an answer is awaited. */
  private refCheck(): void {
    if (this.pending.size + this.waiters > 0) this.worker.ref();
    else this.worker.unref();
  }
}

let shared: BookParseWorker | null = null;

/**
 * The process's parse worker, started on first call; null on a single-core machine or when the
 * worker failed (then parsing stays on the calling thread).
 */
export function bookParseWorker(): BookParseWorker | null {
  if (shared && shared.failed) return null;
  if (!shared) {
    if (availableParallelism() < 2) return null;
    try {
      shared = new BookParseWorker();
    } catch {
      return null;
    }
  }
  return shared;
}

/** Resolves once the process's parse worker runs (true), or false when there is none (single core, failure) or after `timeoutMs`. */
export async function bookParseWorkerReady(timeoutMs = 10_000): Promise<boolean> {
  const w = bookParseWorker();
  const until = Date.now() + timeoutMs;
  while (w && !w.ready && !w.failed && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 5));
  return w !== null && w.ready;
}
