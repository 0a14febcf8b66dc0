import { availableParallelism } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { sharedBuffers } from '../core/buffer-pool.ts';
import type { Instrument } from '../market/instrument.ts';
import { BarColumnBatch } from './bar-batch-source.ts';
import type { BarByteLayout } from './bar-bytes.ts';
import { bookParseWorker, finishJob } from './lobster-book-worker.ts';

/**
 * A bar file parsed on two threads. The fused load (bar-direct-scan.ts) parses a file read whole
 * with the byte fast path at the precision of its first row; with a second core, the parse worker
 * (lobster-book-worker.ts) takes the second half of the lines: it walks them with the same code
 * (`BarBytePath`, shipped as source) into columns of its own, on shared memory, while this thread
 * walks the first half. Where this thread's part ends (the cut, a line start), it waits for the
 * worker and takes its rows when they are what its own walk would have made: the worker took every
 * line to the end of the file, and time does not go back across the cut. Otherwise (a line the fast
 * path does not take, a row out of order at the cut, columns too short, an error on the worker)
 * the worker's rows are dropped and this thread walks on from the cut itself, exactly as with one
 * thread, so the events, counts and errors are always the one-thread load's. If the worker has not
 * started the job when this thread reaches the cut (busy with another file), this thread takes the
 * job back and walks on.
 *
 * The split applies to files of at least `SPLIT_MIN_BYTES` read into shared memory, on the main
 * thread of a process with a second core (a sweep's worker threads already use every core), once
 * the parse worker runs: the first such load starts it, for the loads after.
 */

/** Below this many bytes, the worker's round trip costs more than it saves. */
export const SPLIT_MIN_BYTES = 256 << 10;

/** `BarSplit.wait`: the worker had not started the job. */
const TAKEN_BACK = -2;

/** Parts parsed on the worker and taken, taken back before the worker started them, and dropped, in this process. */
const stats = { onWorker: 0, takenBack: 0, dropped: 0 };

/** How many bar loads used the worker's part, took the job back, or dropped the worker's rows (a test and diagnostics hook). */
export function barSplitStats(): { onWorker: number; takenBack: number; dropped: number } {
  return { ...stats };
}

/** Whether a load can split at all here (main thread, a second core): it then reads its file into shared memory. */
export function barSplitPossible(): boolean {
  return isMainThread && availableParallelism() >= 2;
}

/** The worker's part of one file (see the module comment). */
export class BarSplit {
  /** The worker's columns (rows from the cut on), on shared memory. */
  readonly columns: BarColumnBatch;
  private readonly state = new Int32Array(new SharedArrayBuffer(4));
  private readonly out = new Float64Array(new SharedArrayBuffer(16));
  /** False once the worker may still write the columns after this thread stopped waiting (they are then never pooled). */
  private reusable = true;

  private constructor(
    /** Offset in the file of the first line of the worker's part. */
    readonly cut: number,
    /** Where the worker's walk stops when it takes every line: the file's end, as an offset in its memory. */
    private readonly stop: number,
    capacity: number,
  ) {
    this.columns = new BarColumnBatch(capacity, sharedBuffers);
  }

  /**
   * Posts the second half of `file` (from the first line start at or after the middle of
   * `[from, file.length)`) to the parse worker, or returns undefined when the split does not apply
   * (see the module comment). `lineBytes` is the length of the first data row, to size the columns.
   */
  static start(file: Buffer, from: number, lineBytes: number, layout: BarByteLayout, inst: Instrument): BarSplit | undefined {
    const len = file.length;
    if (len - from < SPLIT_MIN_BYTES || !(file.buffer instanceof SharedArrayBuffer) || !barSplitPossible()) return undefined;
    const worker = bookParseWorker();
    if (worker === null || !worker.ready) return undefined; // (started now, it serves the next load)
    const cut = file.lastIndexOf(10, from + ((len - from) >> 1)) + 1;
    if (cut <= from || cut >= len) return undefined;
    // room for lines down to half the first row's length (a file of shorter rows parses on one thread)
    const capacity = Math.ceil((len - cut) / Math.max(8, lineBytes >> 1)) + 1024;
    const base = file.byteOffset;
    const split = new BarSplit(cut, base + len, capacity);
    const c = split.columns;
    worker.bars({
      state: split.state,
      out: split.out,
      bytes: file.buffer,
      from: base + cut,
      to: base + len,
      layout,
      inst: { pricePrecision: inst.pricePrecision, sizePrecision: inst.sizePrecision, tickUnits: inst.tickUnits, priceScale: inst.priceScale, sizeScale: inst.sizeScale },
      time: c.time,
      open: c.open,
      high: c.high,
      low: c.low,
      close: c.close,
      volume: c.volume,
    });
    return split;
  }

  /**
   * Waits for the worker's part: its rows, when the worker took every line to the end of the file
   * and its first row is not earlier than `lastTime` (this thread's last row); otherwise undefined,
   * and this thread parses on from the cut (the columns are then released).
   */
  join(lastTime: number): number | undefined {
    const rows = this.wait();
    if (rows === TAKEN_BACK) {
      stats.takenBack++;
      return undefined;
    }
    const c = this.columns;
    if (rows < 0 || this.out[1] !== this.stop || (rows > 0 && c.time[0]! < lastTime)) {
      stats.dropped++;
      this.release();
      return undefined;
    }
    stats.onWorker++;
    c.length = rows;
    return rows;
  }

  /** This thread gives up on the fast path before the cut: the worker's rows will not be used. */
  abandon(): void {
    this.wait();
    this.release();
  }

  /** Gives the columns' memory back, unless the worker may still write it. */
  release(): void {
    if (this.reusable) this.columns.release();
  }

  /**
   * The rows the worker parsed; -1 when it failed (or did not finish in time), `TAKEN_BACK` when it
   * had not started (the job is then taken back: the worker skips it).
   */
  private wait(): number {
    const job = finishJob(this.state);
    if (job === 'taken-back') return TAKEN_BACK;
    if (job === 'timeout') {
      this.reusable = false;
      return -1;
    }
    const rows = this.out[0]!;
    return rows >= 0 ? rows : -1;
  }
}
