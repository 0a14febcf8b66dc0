import { scratchBuffers, takeFloat64 } from '../core/buffer-pool.ts';

const CHUNK = 1 << 14;

/**
 * A growable series of (time, a, b) triples in fixed-size typed-array chunks: appending never copies
 * and takes one chunk (from the process's buffer pool) every 16,384 samples, so sampling equity on
 * every bar makes no garbage worth collecting. `release()` gives the chunks back once the series has
 * been read out.
 */
export class TimeSeries2 {
  private readonly chunks: Float64Array[] = [];
  private cur: Float64Array = new Float64Array(0);
  private pos = 0;
  /** Number of samples. */
  length = 0;

  push(time: number, a: number, b: number): void {
    if (this.pos === this.cur.length) this.grow();
    const c = this.cur;
    const p = this.pos;
    c[p] = time;
    c[p + 1] = a;
    c[p + 2] = b;
    this.pos = p + 3;
    this.length++;
  }

  /** Starts a new chunk (out of line, so that `push` stays small enough to be inlined). */
  private grow(): void {
    this.cur = takeFloat64(CHUNK * 3);
    this.chunks.push(this.cur);
    this.pos = 0;
  }

  /** Replaces the last sample (same timestamp). */
  setLast(time: number, a: number, b: number): void {
    if (this.length === 0) return this.push(time, a, b);
    const c = this.cur;
    const p = this.pos - 3;
    c[p] = time;
    c[p + 1] = a;
    c[p + 2] = b;
  }

  /** Empties the series and gives its chunks back to the pool (after `toDecimals`, when done with it). */
  release(): void {
    for (const c of this.chunks) scratchBuffers.give(c.buffer);
    this.chunks.length = 0;
    this.cur = new Float64Array(0);
    this.pos = 0;
    this.length = 0;
  }

  /**
   * The series as three arrays, with `a` divided by `divisorA` and `b` by `divisorB` (default
   * `divisorA`), e.g. cash units to decimals.
   */
  toDecimals(divisorA: number, divisorB = divisorA): { time: Float64Array; value: Float64Array; exposure: Float64Array } {
    const n = this.length;
    const time = new Float64Array(n);
    const value = new Float64Array(n);
    const exposure = new Float64Array(n);
    let i = 0;
    const chunks = this.chunks;
    for (let ci = 0; ci < chunks.length; ci++) {
      const c = chunks[ci]!;
      const m = Math.min(CHUNK, n - i);
      for (let k = 0; k < m; k++, i++) {
        time[i] = c[3 * k]!;
        value[i] = c[3 * k + 1]! / divisorA;
        exposure[i] = c[3 * k + 2]! / divisorB;
      }
    }
    return { time, value, exposure };
  }
}
