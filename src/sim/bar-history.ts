/**
 * A rolling window of the last `capacity` bars of one instrument, in ring buffers (no allocation
 * per bar). Index 0 is the newest bar, 1 the one before, and so on.
 */
export class BarHistory {
  private readonly t: Float64Array;
  private readonly o: Float64Array;
  private readonly h: Float64Array;
  private readonly l: Float64Array;
  private readonly c: Float64Array;
  private readonly v: Float64Array;
  private head = -1;
  /** Bars held (at most `capacity`). */
  length = 0;
  /** Bars seen in total. */
  count = 0;

  constructor(readonly capacity: number) {
    if (!(capacity >= 1 && Number.isInteger(capacity))) throw new RangeError(`history size must be a positive integer, got ${capacity}`);
    this.t = new Float64Array(capacity);
    this.o = new Float64Array(capacity);
    this.h = new Float64Array(capacity);
    this.l = new Float64Array(capacity);
    this.c = new Float64Array(capacity);
    this.v = new Float64Array(capacity);
  }

  /** Appends a bar. */
  push(time: number, open: number, high: number, low: number, close: number, volume: number): void {
    const i = this.head + 1 === this.capacity ? 0 : this.head + 1;
    this.head = i;
    this.t[i] = time;
    this.o[i] = open;
    this.h[i] = high;
    this.l[i] = low;
    this.c[i] = close;
    this.v[i] = volume;
    if (this.length < this.capacity) this.length++;
    this.count++;
  }

  /**
   * Appends a bar event's fields (the engine's hot path: the event is passed by reference and `push`
   * is small enough to be inlined here, so no number is boxed for a call).
   */
  pushBar(e: { readonly time: number; readonly open: number; readonly high: number; readonly low: number; readonly close: number; readonly volume: number }): void {
    this.push(e.time, e.open, e.high, e.low, e.close, e.volume);
  }

  private at(ago: number): number {
    if (!(ago >= 0 && ago < this.length)) throw new RangeError(`history index ${ago} out of range 0..${this.length - 1}`);
    return (this.head - ago + this.capacity) % this.capacity;
  }
  time(ago = 0): number {
    return this.t[this.at(ago)]!;
  }
  open(ago = 0): number {
    return this.o[this.at(ago)]!;
  }
  high(ago = 0): number {
    return this.h[this.at(ago)]!;
  }
  low(ago = 0): number {
    return this.l[this.at(ago)]!;
  }
  close(ago = 0): number {
    return this.c[this.at(ago)]!;
  }
  volume(ago = 0): number {
    return this.v[this.at(ago)]!;
  }
  /** The closes held, oldest first (allocates: for analysis, not per bar). */
  closes(): number[] {
    const out: number[] = [];
    for (let k = this.length - 1; k >= 0; k--) out.push(this.close(k));
    return out;
  }
}
