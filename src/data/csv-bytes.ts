import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { DataError } from '../core/errors.ts';
import { scratchBuffers, sharedBuffers, type BufferPool } from '../core/buffer-pool.ts';
import { DEFAULT_HIGH_WATER_MARK, readByteChunks } from './csv-reader.ts';

/**
 * The single read of small files. A plain (not gzipped) file of at most a cap of bytes is read in
 * one go, so the precision scan and the parse can share the same bytes and the stream machinery is
 * skipped; it is then cut into whole-line chunks exactly where `readByteChunks` would cut it (the
 * stream reads `highWaterMark` bytes at a time), so the batches are the same, and so are the events
 * yielded before an error. Larger files, gzipped files (whose gunzip stream cuts chunks at places
 * that depend on the compressed data) and anything that is not a regular file keep streaming with
 * bounded memory.
 */

/** Default cap of the single read: plain files up to 16 MiB are read in one go. */
export const DEFAULT_WHOLE_FILE_MAX = 16 * 1024 * 1024;

/** Options of the byte readers (a subset of `CsvOptions`). */
export interface WholeFileOptions {
  /** Bytes per chunk (default 1 MiB). */
  highWaterMark?: number;
  /** Gunzip (default: when the path ends in `.gz`); gzipped files always stream. */
  gzip?: boolean;
  /** Largest plain file read in one go (default `DEFAULT_WHOLE_FILE_MAX`); 0 always streams. */
  wholeFileMax?: number;
  /** Read a whole file into shared memory (`SharedArrayBuffer`), so a worker thread can read its bytes too. */
  sharedMemory?: boolean;
}

/**
 * The bytes of a whole file read in one go, BOM still in place (`wholeLineChunks` drops it). They live
 * in memory of the process's buffer pool: `release()` gives it back once nothing reads the bytes (or
 * views of them) any more. Whoever is handed a `WholeFile` last releases it.
 */
export interface WholeFile {
  /** All bytes of the file. */
  readonly bytes: Buffer;
  /** Gives the bytes' memory back to the pool (later calls do nothing). */
  release(): void;
}

/** A `WholeFile` over memory of `pool`. */
function pooledFile(memory: ArrayBuffer | SharedArrayBuffer, length: number, pool: BufferPool<ArrayBuffer> | BufferPool<SharedArrayBuffer>): WholeFile {
  let held = true;
  return {
    bytes: Buffer.from(memory, 0, length),
    release(): void {
      if (!held) return;
      held = false;
      pool.give(memory);
    },
  };
}

function readError(path: string, err: unknown): DataError {
  if (err instanceof DataError) return err;
  const e = err as NodeJS.ErrnoException;
  return Object.assign(new DataError(path, 0, undefined, `cannot read file (${e.code ?? e.message})`), { cause: err });
}

/**
 * Reads a plain regular file in one go when it is at most `wholeFileMax` bytes; undefined when it is
 * larger, gzipped, not a regular file, or grows while read (the caller streams it then). Read errors
 * become the same `DataError` the stream gives (`cannot read file (ENOENT)`).
 */
export async function readWholeFile(path: string, options: WholeFileOptions = {}): Promise<WholeFile | undefined> {
  const max = options.wholeFileMax ?? DEFAULT_WHOLE_FILE_MAX;
  if (!(max > 0)) return undefined;
  if (options.gzip ?? path.endsWith('.gz')) return undefined;
  const pool = options.sharedMemory === true ? sharedBuffers : scratchBuffers;
  let memory: ArrayBuffer | SharedArrayBuffer | undefined;
  let got = 0;
  try {
    // synchronous: at most `max` bytes from a local file, where five trips to the thread pool
    // (open, stat, read, read, close) cost more than the read itself
    const pre = statSync(path);
    if (!pre.isFile() || pre.size > max) return undefined; // a FIFO would block a synchronous open
    const fd = openSync(path, 'r');
    try {
      const st = fstatSync(fd);
      if (!st.isFile() || st.size > max) return undefined;
      // one byte more than the size: a file that grew since the stat is streamed instead
      const room = st.size + 1;
      memory = pool.take(room);
      const raw = new Uint8Array(memory, 0, room);
      for (;;) {
        const bytesRead = readSync(fd, raw, got, room - got, got);
        if (bytesRead === 0) break;
        got += bytesRead;
        if (got > st.size) {
          pool.give(memory);
          return undefined;
        }
      }
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    if (memory !== undefined) pool.give(memory);
    throw readError(path, err);
  }
  return pooledFile(memory, got, pool);
}

/**
 * Cuts a whole file into the whole-line chunks `readByteChunks` yields for it: the stream reads
 * pieces of `highWaterMark` bytes, drops a BOM at the start of the first piece when it holds at
 * least 3 bytes, and cuts after the last newline seen so far. The chunks are views of `file.bytes`
 * (no copy).
 */
export function* wholeLineChunks(file: WholeFile, highWaterMark = DEFAULT_HIGH_WATER_MARK): Generator<Buffer> {
  const b = file.bytes;
  const len = b.length;
  const piece = highWaterMark;
  let pos = 0;
  if (Math.min(piece, len) >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) pos = 3;
  for (let end = piece; pos < len; end += piece) {
    const stop = end < len ? end : len;
    const nl = b.lastIndexOf(10, stop - 1);
    if (nl >= pos) {
      yield b.subarray(pos, nl + 1);
      pos = nl + 1;
    }
    if (stop === len) break;
  }
  if (pos < len) yield b.subarray(pos, len);
}

/**
 * Whole-line byte chunks of a file: `wholeLineChunks` of `whole` when given (bytes already read),
 * else of a single read when the file is small enough, else `readByteChunks` (streaming).
 */
export async function* fileLineChunks(path: string, options: WholeFileOptions, whole?: WholeFile): AsyncGenerator<Buffer> {
  const file = whole ?? (await readWholeFile(path, options));
  if (file === undefined) {
    yield* readByteChunks(path, options);
    return;
  }
  try {
    yield* wholeLineChunks(file, options.highWaterMark);
  } finally {
    // the consumer is done with every chunk (or stopped early): the bytes go back to the pool
    file.release();
  }
}
