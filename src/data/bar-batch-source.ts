import { DataError } from '../core/errors.ts';
import { scratchBuffers, type BufferPool } from '../core/buffer-pool.ts';
import type { Instrument } from '../market/instrument.ts';
import { SourceState, type BarEvent, type EventSource } from '../market/market-data.ts';
import type { RowSink } from './csv-table.ts';
import { BatchPuller } from './batch-source.ts';

/**
 * Where the bar loader puts the bars of one chunk (`RowSink` of `BarEvent`): `bar()` takes a bar's
 * fields from the byte fast path, `push()` a bar the reference decoder made.
 */
export interface BarSink extends RowSink<BarEvent> {
  bar(time: number, open: number, high: number, low: number, close: number, volume: number): void;
}

/** A `BarSink` that keeps `BarEvent` objects (what `readBarBatches` yields). */
export class BarArray implements BarSink {
  readonly events: BarEvent[] = [];
  constructor(private readonly instrument: Instrument) {}
  get length(): number {
    return this.events.length;
  }
  push(e: BarEvent): void {
    this.events.push(e);
  }
  bar(time: number, open: number, high: number, low: number, close: number, volume: number): void {
    this.events.push({ kind: 'bar', time, instrument: this.instrument, open, high, low, close, volume });
  }
}

/**
 * Bars in columns, one chunk of a file at a time: row `i < length` is the bar `time[i]`,
 * `open[i]`..`volume[i]` (decimals, as in `BarEvent`). `loadBarsCsv` fills one and refills it for
 * every chunk; no object is made per bar.
 */
export class BarColumnBatch implements BarSink {
  /** Rows filled. */
  length = 0;
  time!: Float64Array;
  open!: Float64Array;
  high!: Float64Array;
  low!: Float64Array;
  close!: Float64Array;
  volume!: Float64Array;
  /** The pooled memory under the six columns (undefined once released). */
  private memory: ArrayBuffer | SharedArrayBuffer | undefined;

  /** @param pool where the columns' memory comes from (`sharedBuffers` for columns a worker fills) */
  constructor(
    capacity = 1024,
    private readonly pool: BufferPool<ArrayBuffer> | BufferPool<SharedArrayBuffer> = scratchBuffers,
  ) {
    this.place(capacity);
  }

  /** Lays the six columns for `capacity` rows over one buffer from the process's pool (contents undefined). */
  private place(capacity: number): void {
    const memory = this.pool.take(capacity * 48);
    this.memory = memory;
    this.time = new Float64Array(memory, 0, capacity);
    this.open = new Float64Array(memory, capacity * 8, capacity);
    this.high = new Float64Array(memory, capacity * 16, capacity);
    this.low = new Float64Array(memory, capacity * 24, capacity);
    this.close = new Float64Array(memory, capacity * 32, capacity);
    this.volume = new Float64Array(memory, capacity * 40, capacity);
  }

  /** Appends one row (the columns grow when full). */
  bar(time: number, open: number, high: number, low: number, close: number, volume: number): void {
    const i = this.length;
    if (i === this.time.length) this.grow();
    this.time[i] = time;
    this.open[i] = open;
    this.high[i] = high;
    this.low[i] = low;
    this.close[i] = close;
    this.volume[i] = volume;
    this.length = i + 1;
  }

  /** Appends the fields of a bar made elsewhere (the reference decoder's rows). */
  push(b: BarEvent): void {
    this.bar(b.time, b.open, b.high, b.low, b.close, b.volume);
  }

  /** Rows `start` to `end` (excluded) as a batch of views of these columns (no copy; nothing to release). */
  window(start: number, end: number): BarColumnBatch {
    const w = new BarColumnBatch(0);
    w.time = this.time.subarray(start, end);
    w.open = this.open.subarray(start, end);
    w.high = this.high.subarray(start, end);
    w.low = this.low.subarray(start, end);
    w.close = this.close.subarray(start, end);
    w.volume = this.volume.subarray(start, end);
    w.length = end - start;
    return w;
  }

  /**
   * Gives the columns' memory back to the pool, when nothing will read them again (`loadBarsCsv` does
   * it when its file is done); the batch is then empty, and grows anew if filled again.
   */
  release(): void {
    if (this.memory === undefined) return;
    this.pool.give(this.memory);
    this.memory = undefined;
    this.length = 0;
    this.place(0);
  }

  private grow(): void {
    const n = Math.max(1024, this.time.length * 2);
    const { time, open, high, low, close, volume, memory } = this;
    this.place(n);
    this.time.set(time);
    this.open.set(open);
    this.high.set(high);
    this.low.set(low);
    this.close.set(close);
    this.volume.set(volume);
    if (memory !== undefined) this.pool.give(memory);
  }
}

/**
 * A pull `EventSource` over batches of bars in columns. It hands out ONE `BarEvent` object, rewritten
 * at each `advance()` (the documented contract: an event may be reused once its hook returns), so a
 * replay allocates nothing per bar and its working set is one batch of columns. A batch is consumed
 * whole before the next one is asked for, so the producer may refill the same `BarColumnBatch` each time.
 * It checks that time never goes back (the loader's decoder already names the line of such a row).
 */
export class BarBatchSource extends BatchPuller<BarColumnBatch | undefined> implements EventSource<BarEvent> {
  readonly name: string;
  readonly current: BarEvent;
  private lastTime = -Infinity;

  constructor(name: string, instrument: Instrument, batches: AsyncIterable<BarColumnBatch>) {
    super(batches[Symbol.asyncIterator](), undefined);
    this.name = name;
    // doubles from the start (NaN), so that writes stay in place
    this.current = { kind: 'bar', time: NaN, instrument, open: NaN, high: NaN, low: NaN, close: NaN, volume: NaN };
  }

  advance(): SourceState {
    const b = this.batch;
    const i = this.index;
    if (b !== undefined && i < b.length) {
      const t = b.time[i]!;
      if (t < this.lastTime) throw new DataError(this.name, 0, 'time', `timestamp goes back in time (${t} after ${this.lastTime})`);
      this.lastTime = t;
      const e = this.current;
      e.time = t;
      e.open = b.open[i]!;
      e.high = b.high[i]!;
      e.low = b.low[i]!;
      e.close = b.close[i]!;
      e.volume = b.volume[i]!;
      this.index = i + 1;
      return SourceState.Ready;
    }
    return this.done ? SourceState.End : SourceState.Wait;
  }
}
