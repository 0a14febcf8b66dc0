/**
 * Simple moving average: the mean of the last `period` values.
 *
 * Default mode keeps a running sum with Neumaier compensation (add the new value, subtract the one
 * leaving the window), so it does not drift over millions of updates; the result is within a few
 * ulps of the batch mean. `exact: true` holds the window's sum exactly (`ExactSum`), so the value is
 * `fsum(window) / period` bit for bit, which is how backtrader (`math.fsum(...) / period`) computes
 * it; use it to reproduce backtrader's signals exactly. Warm-up: `period` values.
 */
import { ExactSum } from '../../core/fsum.ts';
import { badInput, checkPeriod, type SeriesIndicator } from './indicator.ts';

/** Below this magnitude a sum of whole numbers is exact in a double. */
const MAX_EXACT_INTEGER = 2 ** 53;

/** Options of `SMA`. */
export interface SmaOptions {
  /** Sum the window exactly (Python `math.fsum`) for a bit-exact mean. Default false. */
  exact?: boolean;
}

/** Simple moving average over `period` values. */
export class SMA implements SeriesIndicator {
  /** Number of values averaged. */
  readonly period: number;
  /** True when the window's sum is exact (`fsum(window) / period`). */
  readonly exact: boolean;
  private readonly label: string;
  /** Ring buffer of the window (kept inline rather than a RollingWindow: this is the hottest path). */
  private readonly buf: Float64Array;
  private next = 0;
  private count = 0;
  private readonly exactSum: ExactSum | null;
  private sum = 0;
  private comp = 0;
  /** Exact mode: the window's sum as hi + lo (double-double) while every step stays exact. */
  private hi = 0;
  private lo = 0;
  /** Exact mode: a step could not be done exactly in double-double; ExactSum holds the sum from then on. */
  private slow = false;
  private current = NaN;

  constructor(period: number, options: SmaOptions = {}) {
    checkPeriod('SMA', 'period', period);
    this.period = period;
    this.exact = options.exact === true;
    this.label = `SMA(${period})`;
    this.buf = new Float64Array(period);
    this.exactSum = this.exact ? new ExactSum() : null;
  }

  /** Feeds the next value; returns the mean of the last `period` values (`NaN` until `period` seen). */
  update(x: number): number {
    if (x - x !== 0) throw badInput(this.label, 'x', x);
    const n = this.period;
    const i = this.next;
    const wasFull = this.count === n;
    const old = this.buf[i]!;
    this.buf[i] = x;
    this.next = i + 1 === n ? 0 : i + 1;
    if (!wasFull) this.count++;
    if (this.exact) {
      // Fast exact path: the window's sum as an unevaluated double-double (hi + lo), every step
      // checked to be exact; the first step that would round switches to the partials of ExactSum.
      // Kept short so the JIT inlines `update` into the caller (a returned double is then not boxed).
      if (!this.slow && this.ddAdd(x) && (!wasFull || this.ddAdd(-old))) {
        if (this.count === n) this.current = this.hi / n; // hi is the correctly rounded sum
        return this.current;
      }
      return this.exactStep(x, old, wasFull);
    }
    this.addCompensated(x);
    if (wasFull) this.addCompensated(-old);
    if (this.count === n) this.current = (this.sum + this.comp) / n;
    return this.current;
  }

  /** Exact mode, off the fast path: the step is added to the ExactSum partials (filled from the window the first time). */
  private exactStep(x: number, old: number, wasFull: boolean): number {
    const es = this.exactSum!;
    if (!this.slow) {
      this.slow = true;
      es.reset();
      const m = this.count;
      for (let k = 0; k < m; k++) es.add(this.buf[k]!); // the window already holds x
    } else {
      es.add(x);
      if (wasFull) es.subtract(old);
    }
    if (this.count === this.period) this.current = es.value() / this.period;
    return this.current;
  }

  /** True once `period` values have been seen. */
  get ready(): boolean {
    return this.count === this.period;
  }

  /** The current mean (`NaN` during warm-up). */
  get value(): number {
    return this.current;
  }

  /** Forgets all input. */
  reset(): void {
    this.next = 0;
    this.count = 0;
    this.exactSum?.reset();
    this.hi = 0;
    this.lo = 0;
    this.slow = false;
    this.sum = 0;
    this.comp = 0;
    this.current = NaN;
  }

  /**
   * Adds x to the double-double (hi, lo) exactly, or returns false when it cannot (a rounding would
   * occur, or the values span more than two doubles can hold). On true, hi = fl(hi + lo) and
   * hi + lo is the exact sum.
   */
  private ddAdd(x: number): boolean {
    const a = this.hi;
    const s = a + x;
    // Whole numbers (prices without decimals) add exactly below 2^53: no error term to carry, and
    // the checks run in parallel instead of the long chain of dependent steps below.
    if (this.lo === 0 && Math.floor(x) === x && Math.floor(a) === a && s < MAX_EXACT_INTEGER && s > -MAX_EXACT_INTEGER) {
      this.hi = s;
      return true;
    }
    // TwoSum(a, x): s + e = a + x exactly
    const bb = s - a;
    const e = a - (s - bb) + (x - bb);
    // t = lo + e must be exact
    const l = this.lo;
    const t = l + e;
    const tb = t - l;
    if (l - (t - tb) + (e - tb) !== 0) return false;
    // Fast2Sum(s, t) needs |s| >= |t| (or s = 0)
    if (s !== 0 && Math.abs(s) < Math.abs(t)) return false;
    const hi = s + t;
    const lo = t - (hi - s);
    if (!Number.isFinite(hi)) return false;
    this.hi = hi;
    this.lo = lo;
    return true;
  }

  /** Neumaier's compensated addition into (sum, comp). */
  private addCompensated(x: number): void {
    const s = this.sum;
    const t = s + x;
    if (Math.abs(s) >= Math.abs(x)) this.comp += s - t + x;
    else this.comp += x - t + s;
    this.sum = t;
  }
}
