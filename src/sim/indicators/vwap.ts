/**
 * Volume-weighted average price, cumulative over a session: `sum(price * volume) / sum(volume)`.
 *
 * Both sums use Neumaier compensation. Call `resetSession()` at the start of each session (for
 * equities, the open). For bars, pass the price you want weighted, commonly the typical price
 * `(high + low + close) / 3`. Defined once some volume has been seen; zero-volume updates change
 * nothing.
 */
import { badInput, type Indicator } from './indicator.ts';

/** Session VWAP. */
export class VWAP implements Indicator {
  private pv = 0;
  private pvComp = 0;
  private vol = 0;
  private volComp = 0;
  private current = NaN;

  /** Feeds a trade or bar; returns the VWAP so far (`NaN` until some volume is seen). */
  update(price: number, volume: number): number {
    if (price - price !== 0) throw badInput('VWAP', 'price', price);
    if (!(volume >= 0 && volume < Infinity)) throw badInput('VWAP', 'volume', volume, 'must be a finite number >= 0');
    if (volume === 0) return this.current;
    const x = price * volume;
    let s = this.pv;
    let t = s + x;
    this.pvComp += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
    this.pv = t;
    s = this.vol;
    t = s + volume;
    this.volComp += s >= volume ? s - t + volume : volume - t + s;
    this.vol = t;
    this.current = (this.pv + this.pvComp) / (this.vol + this.volComp);
    return this.current;
  }

  /** Total volume of the session so far. */
  get volume(): number {
    return this.vol + this.volComp;
  }

  /** True once the session has seen some volume. */
  get ready(): boolean {
    return this.vol > 0;
  }

  /** The current VWAP (`NaN` before any volume). */
  get value(): number {
    return this.current;
  }

  /** Starts a new session: forgets the sums. */
  resetSession(): void {
    this.pv = 0;
    this.pvComp = 0;
    this.vol = 0;
    this.volComp = 0;
    this.current = NaN;
  }

  /** Forgets all input (same as `resetSession`). */
  reset(): void {
    this.resetSession();
  }
}
