import type { Readable } from 'node:stream';
import { openLobsterStream } from './lobster-stream.ts';
import { finalLine, parseBookChunk, pooledChunk, wholeLines, type BookChunkRows } from './lobster-book-rows.ts';
import { resolve } from 'node:path';
import { DEFAULT_HIGH_WATER_MARK } from './csv-reader.ts';
import { bookParseWorker, type BookParseWorker, type RemoteBookRead } from './lobster-book-worker.ts';
import { LobsterBookParser, lobsterReadError, type LobsterBookBlock, type LobsterReadOptions } from './lobster-parse.ts';

/**
 * The order-book file of an end-to-end reconstruction as blocks of rows, parsed ahead, in
 * parallel when it can. When the process's parse worker (`lobster-book-worker.ts`) is up, the
 * worker reads, gunzips and parses the whole file and the calling thread only takes the rows
 * (its own event loop is then free of the file's gunzip, which its long synchronous stretches
 * would stall). Otherwise (the first file of a process, while the worker starts; `readOnWorker:
 * false`) the calling thread reads the file: gunzip runs on libuv's thread pool, the chunks of
 * whole lines go to the worker once it is up, and the calling thread parses a chunk itself when
 * the worker is not up yet or when it would otherwise wait (work stealing). Blocks come out in file
 * order whoever parsed them, and a line the fast loop refused is explained on the calling thread
 * with the same `DataError` as the sequential reader (`readLobsterBookBlocks`). Memory holds a
 * few chunks (`AHEAD`).
 */

/** Options of the parallel reader. */
export interface LobsterBookReaderOptions extends LobsterReadOptions {
  /** Parse on the worker thread when the machine has more than one core (default true). */
  parseWorker?: boolean;
  /**
   * Read (and gunzip) the file on the worker too when it is up (default true); false keeps the
   * reading on the calling thread, which sends chunks to the worker to parse.
   */
  readOnWorker?: boolean;
}

/** Chunks read ahead (parsed or being parsed). */
const AHEAD = 8;
/** Chunks the worker holds at once. */
const WORKER_QUEUE = 2;

interface Slot {
  /**
   * The chunk's bytes: whole lines ending with a newline, at the start of an ArrayBuffer of its
   * own (from the reader's pool), which travels to the worker and back.
   */
  bytes: Uint8Array;
  /** Bytes used in `bytes`. */
  len: number;
  /** The rows, once parsed on this thread. */
  rows: BookChunkRows | null;
  /** The worker's answer, when sent there. */
  job: Promise<BookChunkRows & { bytes: Uint8Array }> | null;
  /** True once the worker's answer is in. */
  done: boolean;
}

/**
 * Reads an order-book file of `levels` levels as blocks in file order (`next`), parsing ahead on
 * the worker. `release` hands back the memory of a block the caller is done with; `close` stops
 * reading early.
 */
export class LobsterBookReader {
  private readonly parser: LobsterBookParser;
  private readonly nf: number;
  /** The whole-file read on the worker, or null when this thread reads the file (`stream`). */
  private readonly remote: RemoteBookRead | null = null;
  private readonly stream: Readable | null = null;
  private readonly queue: Slot[] = [];
  private readonly spares: Int32Array[] = [];
  /** Chunk buffers back from the parser, for the next chunks. */
  private readonly bytePool: ArrayBuffer[] = [];
  private readonly useWorker: boolean;
  private worker: BookParseWorker | null = null;
  private chunksRead = 0;
  private sourceDone = false;
  private readFailure: unknown = null;
  /** The partial line at the end of the last piece read. */
  private carry: Uint8Array | null = null;
  /** Wakes `next` when a chunk arrived or the file ended. */
  private arrived: (() => void) | null = null;

  constructor(
    readonly path: string,
    levels: number,
    options: LobsterBookReaderOptions = {},
  ) {
    this.parser = new LobsterBookParser(path, levels);
    this.nf = 4 * levels;
    this.useWorker = options.parseWorker ?? true;
    const w = this.useWorker && (options.readOnWorker ?? true) ? bookParseWorker() : null;
    if (w && w.ready) {
      const chunk = options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK;
      this.remote = w.read(resolve(path), this.nf, options.gzip ?? path.endsWith('.gz'), chunk, AHEAD);
      return;
    }
    // flowing mode: each piece gunzip delivers is taken at once (no concatenation in the stream's
    // buffer), and gunzip goes on inflating the next one on the thread pool meanwhile
    const stream = openLobsterStream(path, options, 0);
    this.stream = stream;
    stream.on('data', (piece: Buffer) => this.piece(piece));
    stream.on('end', () => this.end(null));
    stream.on('error', (err) => this.end(err));
  }

  /** The next block in file order, or null at the end. Throws the `DataError` of a bad line or a read error. */
  async next(): Promise<LobsterBookBlock | null> {
    if (this.remote) return this.nextRemote(this.remote);
    while (this.queue.length === 0 && !this.sourceDone) await new Promise<void>((resolve) => (this.arrived = resolve));
    const head = this.queue[0];
    if (!head) {
      if (this.readFailure !== null) throw lobsterReadError(this.path, this.parser.line + 1, this.readFailure);
      return null;
    }
    let rows: BookChunkRows;
    if (head.job) {
      // while the worker parses the head, parse later chunks here rather than wait
      for (let i = 1; i < this.queue.length && !head.done; i++) {
        const s = this.queue[i]!;
        if (!s.job && !s.rows) s.rows = this.parseHere(s.bytes, s.len);
      }
      const answer = await head.job;
      head.bytes = answer.bytes;
      rows = answer;
    } else rows = head.rows ?? this.parseHere(head.bytes, head.len);
    this.queue.shift();
    this.dispatch();
    const stream = this.stream!;
    if (this.queue.length < AHEAD && !this.sourceDone && stream.isPaused()) stream.resume();
    const block = this.parser.take(rows, head.bytes, head.len);
    if (this.bytePool.length < AHEAD) this.bytePool.push(head.bytes.buffer as ArrayBuffer);
    return block;
  }

  /** Gives back the memory of a block returned by `next` that the caller no longer reads. */
  release(block: LobsterBookBlock): void {
    if (this.remote) this.remote.give(null, block.data);
    else if (this.spares.length < AHEAD) this.spares.push(block.data);
  }

  /** Stops reading (the file stream closes; answers still due from the worker are dropped). */
  async close(): Promise<void> {
    this.queue.length = 0;
    this.sourceDone = true;
    this.remote?.close();
    this.stream?.destroy();
  }

  /** `next` when the worker reads the file: its next chunk's rows, taken in file order (cold lines parsed here). */
  private async nextRemote(remote: RemoteBookRead): Promise<LobsterBookBlock | null> {
    let c;
    try {
      c = await remote.next();
    } catch (err) {
      throw lobsterReadError(this.path, this.parser.line + 1, err);
    }
    if (c === null) return null;
    try {
      return this.parser.take(c, c.bytes, c.len);
    } catch (err) {
      remote.close(); // a bad line ends the read: the worker stops reading the file
      throw err;
    } finally {
      remote.give(c.bytes, null); // the chunk's bytes back to the worker: it may read one chunk further
    }
  }

  private parseHere(bytes: Uint8Array, len: number): BookChunkRows {
    return parseBookChunk(bytes, len, this.nf, this.spares.pop() ?? null);
  }

  /**
   * A piece from the stream: its whole lines (after the carried partial line) become a chunk in
   * its own ArrayBuffer (one copy of each byte), queued and handed to the worker at once when it
   * has room; the stream pauses while `AHEAD` chunks are queued.
   */
  private piece(piece: Buffer): void {
    if (this.sourceDone) return;
    const w = wholeLines(this.carry, piece, (n) => pooledChunk(this.bytePool, n));
    this.carry = w.carry;
    if (w.bytes === null) return;
    this.push(w.bytes, w.len);
    if (this.queue.length >= AHEAD) this.stream!.pause();
  }

  /** The end of the file (or a read error, reported by `next` after the queued rows). */
  private end(err: unknown): void {
    if (this.sourceDone) return;
    const last = err === null ? finalLine(this.carry, (n) => pooledChunk(this.bytePool, n)) : null;
    this.carry = null;
    if (err !== null) this.readFailure = err;
    else if (last !== null) this.push(last.bytes, last.len);
    this.sourceDone = true;
    this.wake();
  }

  private push(bytes: Uint8Array, len: number): void {
    this.queue.push({ bytes, len, rows: null, job: null, done: false });
    // a file of more than one chunk: worth the worker (started once per process)
    if (++this.chunksRead === 2 && this.useWorker) this.worker = bookParseWorker();
    this.dispatch();
    this.wake();
  }

  private wake(): void {
    const waiting = this.arrived;
    this.arrived = null;
    waiting?.();
  }

  /** Sends queued chunks nobody parses yet to the worker, up to `WORKER_QUEUE` at a time. */
  private dispatch(): void {
    const w = this.worker;
    if (!w || !w.ready || w.failed) return;
    for (let i = 0; i < this.queue.length && w.inFlight < WORKER_QUEUE; i++) {
      const s = this.queue[i]!;
      if (s.job || s.rows) continue;
      const job = w.parse(s.bytes, s.len, this.nf, this.spares.pop() ?? null);
      job.then(
        () => (s.done = true),
        () => {}, // awaited in order by `next`; an answer dropped by `close` is not an unhandled rejection
      );
      s.job = job;
    }
  }
}
