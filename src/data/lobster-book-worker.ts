import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { parseBookChunk, parseBookRows, type BookChunkRows } from './lobster-book-rows.ts';

/**
 * A worker thread that runs the order-book fast loop (`parseBookChunk`) on chunks of bytes, so the
 * end-to-end reconstruction parses the order-book file (the bulk of the bytes) on one core while
 * the calling thread parses messages and rebuilds the book on the other.
 *
 * The worker's code is the source text of `parseBookRows` and `parseBookChunk` (self-contained
 * functions), run as plain JavaScript: it needs no TypeScript loader, so it starts the same under
 * `node --import tsx`, from `bin/marketsim.js` (which registers tsx in its own thread only) and from
 * compiled code. Chunks and rows move by transfer (no copy). One worker per process, started on
 * first use and kept (like libuv's thread pool); it does not keep the process alive when idle.
 */

const SOURCE = `'use strict';
const { parentPort } = require('node:worker_threads');
${parseBookRows.toString()}
${parseBookChunk.toString()}
parentPort.on('message', (m) => {
  const r = parseBookChunk(new Uint8Array(m.buf, 0, m.len), m.len, m.nf, m.spare ? new Int32Array(m.spare) : null);
  parentPort.postMessage({ id: m.id, rows: r.rows, stop: r.stop, data: r.data.buffer, buf: m.buf }, [r.data.buffer, m.buf]);
});
parentPort.postMessage({ ready: true });
`;

interface Reply {
  id: number;
  rows: number;
  stop: number;
  data: ArrayBuffer;
  buf: ArrayBuffer;
}

/** The parse worker: `parse` sends a chunk and resolves with its rows (and the chunk's bytes back). */
export class BookParseWorker {
  /** True once the worker runs (before, callers parse on their own thread rather than wait). */
  ready = false;
  /** Set when the worker died: callers parse on their own thread. */
  failed: Error | null = null;
  /** Chunks the worker has parsed (for tests and diagnostics). */
  chunksParsed = 0;
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (r: BookChunkRows & { bytes: Uint8Array }) => void; reject: (e: Error) => void }>();
  private nextId = 0;

  constructor() {
    this.worker = new Worker(SOURCE, { eval: true, execArgv: [], stdout: false, stderr: false });
    this.worker.unref();
    this.worker.on('message', (m: Reply | { ready: true }) => {
      if ('ready' in m) {
        this.ready = true;
        if (this.pending.size === 0) this.worker.unref(); // (a first message may ref the port again)
        return;
      }
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      this.chunksParsed++;
      if (this.pending.size === 0) this.worker.unref();
      p.resolve({ rows: m.rows, stop: m.stop, data: new Int32Array(m.data), bytes: new Uint8Array(m.buf) });
    });
    const die = (err: Error) => {
      this.failed = err;
      this.ready = false;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    this.worker.on('error', die);
    this.worker.on('exit', (code) => die(new Error(`the order-book parse worker exited (code ${code})`)));
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
      if (this.pending.size === 1) this.worker.ref(); // an answer is awaited: keep the process alive
      const transfer: ArrayBuffer[] = [bytes.buffer as ArrayBuffer];
      if (spare) transfer.push(spare.buffer as ArrayBuffer);
      this.worker.postMessage({ id, buf: bytes.buffer, len, nf, spare: spare ? spare.buffer : null }, transfer);
    });
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
