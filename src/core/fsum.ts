/**
 * Exactly rounded floating-point summation, the same result as Python's `math.fsum`.
 *
 * The algorithm is Shewchuk's (1997, "Adaptive Precision Floating-Point Arithmetic and Fast
 * Robust Geometric Predicates"): the running sum is held exactly as a short list of
 * non-overlapping doubles ("partials") in increasing magnitude. Adding a value folds it through
 * the partials with error-free two-sums, so no bit is ever lost. `value()` then rounds that exact
 * sum to the nearest double (ties to even), with CPython's half-even fix-up across partials.
 *
 * Because nothing is lost, a rolling window works: `add(new)` then `subtract(old)` keeps the exact
 * sum of the window, so `value()` equals `fsum(window)` bit for bit however long it runs.
 *
 * Infinities and NaN are counted rather than folded in, so they also leave a rolling window
 * cleanly: while the window holds a NaN, or both +Infinity and -Infinity, the value is NaN; while it
 * holds infinities of one sign, the value is that infinity. Finite values whose exact partial sums
 * overflow the double range (|sum| >= 2^1024, e.g. `1e308 + 1e308`) throw `FSUM_OVERFLOW`, like
 * Python's "intermediate overflow in fsum"; the sum is then reset to empty.
 *
 * An all-zero (or empty) sum is `+0`, as in CPython 3.11 and earlier.
 */
import { MarketsimError } from './errors.ts';

/** Initial capacity of the partials array; it doubles if ever needed (rare: partials are few). */
const INITIAL_PARTIALS = 32;
/** Dekker's splitter 2^27 + 1: splits a double into two 26-bit halves. */
const SPLIT = 134217729;

/** The exactly held sum of a stream of doubles, with a correctly rounded `value()`. */
export class ExactSum {
  private partials: Float64Array = new Float64Array(INITIAL_PARTIALS);
  private n = 0;
  private nanCount = 0;
  private posInfCount = 0;
  private negInfCount = 0;

  /** Adds `x` to the sum. Amortised O(number of partials), no allocation. */
  add(x: number): void {
    if (x - x !== 0) {
      if (x !== x) this.nanCount++;
      else if (x > 0) this.posInfCount++;
      else this.negInfCount++;
      return;
    }
    const p = this.partials;
    const n = this.n;
    const xsave = x;
    let i = 0;
    for (let j = 0; j < n; j++) {
      let y = p[j]!;
      if (Math.abs(x) < Math.abs(y)) {
        const t = x;
        x = y;
        y = t;
      }
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) p[i++] = lo;
      x = hi;
    }
    if (x - x !== 0) this.overflow(xsave);
    if (x !== 0) {
      if (i >= p.length) this.grow();
      this.partials[i++] = x;
    }
    this.n = i;
  }

  /**
   * Subtracts `x` from the sum (adds `-x`), e.g. the value leaving a rolling window.
   * For a non-finite `x` this removes one earlier `add(x)` of the same kind (so a window that held
   * an Infinity or a NaN becomes finite again once it leaves); with no such earlier add, it adds `-x`.
   */
  subtract(x: number): void {
    if (x - x !== 0) {
      if (x !== x) {
        if (this.nanCount > 0) this.nanCount--;
        else this.nanCount++;
      } else if (x > 0) {
        if (this.posInfCount > 0) this.posInfCount--;
        else this.negInfCount++;
      } else if (this.negInfCount > 0) this.negInfCount--;
      else this.posInfCount++;
      return;
    }
    this.add(-x);
  }

  /** The sum of everything added so far, correctly rounded to the nearest double (ties to even). */
  value(): number {
    if (this.nanCount > 0 || (this.posInfCount > 0 && this.negInfCount > 0)) return NaN;
    if (this.posInfCount > 0) return Infinity;
    if (this.negInfCount > 0) return -Infinity;
    const p = this.partials;
    let n = this.n;
    if (n === 0) return 0;
    let hi = p[--n]!;
    let lo = 0;
    // Sum from the top while the sum stays exact.
    while (n > 0) {
      const x = hi;
      const y = p[--n]!;
      hi = x + y;
      const yr = hi - x;
      lo = y - yr;
      if (lo !== 0) break;
    }
    // Half-even rounding across several partials: the rest below `lo` decides a tie.
    if (n > 0 && ((lo < 0 && p[n - 1]! < 0) || (lo > 0 && p[n - 1]! > 0))) {
      const y = lo * 2;
      const x = hi + y;
      const yr = x - hi;
      if (y === yr) hi = x;
    }
    return hi;
  }

  /**
   * Adds the exact product `a * b` (as two doubles, by Dekker's error-free product; no FMA needed).
   * Exact while the product and its parts stay in the normal range: |a|, |b| below about 2^995 and
   * |a * b| above about 2^-969 (or exactly 0). Used for exact sums of squares.
   */
  addProduct(a: number, b: number): void {
    const p = a * b;
    if (p - p !== 0 || a - a !== 0 || b - b !== 0) {
      this.add(p);
      return;
    }
    let t = SPLIT * a;
    const ah = t - (t - a);
    const al = a - ah;
    t = SPLIT * b;
    const bh = t - (t - b);
    const bl = b - bh;
    const e = ah * bh - p + ah * bl + al * bh + al * bl;
    this.add(p);
    if (e !== 0) this.add(e);
  }

  /** The `i`-th partial (0 = smallest magnitude); their exact sum is the sum held. */
  partial(i: number): number {
    return i >= 0 && i < this.n ? this.partials[i]! : NaN;
  }

  /** Empties the sum. */
  reset(): void {
    this.n = 0;
    this.nanCount = 0;
    this.posInfCount = 0;
    this.negInfCount = 0;
  }

  /** How many partials hold the exact sum now (for tests and diagnostics). */
  get partialCount(): number {
    return this.n;
  }

  /** Intermediate overflow while adding `x`: empties the sum and throws `FSUM_OVERFLOW`. */
  private overflow(x: number): never {
    this.reset();
    throw new MarketsimError('FSUM_OVERFLOW', `ExactSum.add(${x}): intermediate overflow, the exact sum leaves the double range`);
  }

  private grow(): void {
    const bigger = new Float64Array(this.partials.length * 2);
    bigger.set(this.partials);
    this.partials = bigger;
  }
}

/** The correctly rounded sum of `values` (Python's `math.fsum`). */
export function fsum(values: ArrayLike<number>): number {
  const fast = compensatedIfProvablyRounded(values);
  if (fast === fast) return fast;
  const s = scratch;
  s.reset();
  for (let i = 0; i < values.length; i++) s.add(values[i]!);
  return s.value();
}

/** Double rounding unit, 2^-53. */
const EPS = 2 ** -53;

/**
 * The fast path of `fsum`: a compensated sum (Ogita, Rump and Oishi's Sum2: TwoSum of every term,
 * the errors summed apart), returned only when it is provably the correctly rounded exact sum; NaN
 * otherwise (then the partials decide).
 *
 * Sum2 gives `s + c` with `|s + c - S| <= g * g * sum|x|`, `g = n eps / (1 - n eps)` (their
 * Proposition 4.5). TwoSum(s, c) = r + d exactly, so `S = r + d + delta` with `|delta|` under that
 * bound `b`. `r` is S correctly rounded when `r + (d - b)` and `r + (d + b)` both round to `r`
 * (rounding is monotonic; `b` is padded so that computing `d +- b` cannot shrink the interval).
 * Sums outside the normal range or with a non-finite term take the exact path.
 */
function compensatedIfProvablyRounded(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0 || n > 2 ** 40) return NaN;
  let s = 0;
  let c = 0;
  let a = 0;
  for (let k = 0; k < n; k++) {
    const x = values[k]!;
    const t = s + x;
    const z = t - s;
    c += s - (t - z) + (x - z);
    s = t;
    a += Math.abs(x);
  }
  if (!(a < 2 ** 1000)) return NaN; // a non-finite term, or too near overflow
  const r = s + c;
  const z = r - s;
  const d = s - (r - z) + (c - z);
  const g = (n * EPS) / (1 - n * EPS);
  // x2 and the |d| term cover the roundings in `a`, in this product and in `d +- b`
  const b = g * g * a * 2 + Math.abs(d) * 2 ** -50;
  if (!(Math.abs(r) >= 2 ** -900)) return NaN;
  return r + (d + b) === r && r + (d - b) === r ? r : NaN;
}

/** `fsum`'s sum, reused: `fsum` is synchronous and resets it first. */
const scratch = new ExactSum();
