/**
 * A growable series of (time, a, b) triples in typed arrays: appending allocates only when the
 * capacity doubles, so sampling equity on every bar costs no garbage.
 */
export class TimeSeries2 {
  private t = new Float64Array(1024);
  private a = new Float64Array(1024);
  private b = new Float64Array(1024);
  /** Number of samples. */
  length = 0;

  push(time: number, a: number, b: number): void {
    if (this.length === this.t.length) this.grow();
    const i = this.length++;
    this.t[i] = time;
    this.a[i] = a;
    this.b[i] = b;
  }

  /** Replaces the last sample (same timestamp). */
  setLast(time: number, a: number, b: number): void {
    if (this.length === 0) return this.push(time, a, b);
    const i = this.length - 1;
    this.t[i] = time;
    this.a[i] = a;
    this.b[i] = b;
  }

  /**
   * The series trimmed to `length`, with `a` and `b` divided by `divisor` (e.g. cash units to
   * decimals). Converts in place and returns views, so it is meant to be called once, at the end.
   */
  toDecimals(divisor: number): { time: Float64Array; value: Float64Array; exposure: Float64Array } {
    const n = this.length;
    const a = this.a;
    const b = this.b;
    for (let i = 0; i < n; i++) {
      a[i] = a[i]! / divisor;
      b[i] = b[i]! / divisor;
    }
    return { time: this.t.subarray(0, n), value: a.subarray(0, n), exposure: b.subarray(0, n) };
  }

  private grow(): void {
    const n = this.t.length * 2;
    const g = (x: Float64Array) => {
      const y = new Float64Array(n);
      y.set(x);
      return y;
    };
    this.t = g(this.t);
    this.a = g(this.a);
    this.b = g(this.b);
  }
}
