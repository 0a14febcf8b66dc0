import { BondInputError } from './errors.ts';

/**
 * One-dimensional interpolation through nodes `(x_i, y_i)` with strictly increasing x. Outside the
 * nodes the value is held flat (the first / last y).
 *
 * - `linear`: straight lines between nodes.
 * - `monotone-cubic`: Fritsch-Carlson monotone piecewise cubic Hermite (Fritsch & Carlson 1980,
 *   "Monotone Piecewise Cubic Interpolation", SIAM J. Numer. Anal. 17(2)): tangents start as the mean
 *   of the neighbouring secants (0 where they differ in sign, one-sided at the ends), then on each
 *   interval with `alpha = m_i / delta_i`, `beta = m_{i+1} / delta_i` and `alpha^2 + beta^2 > 9`
 *   both are scaled by `3 / sqrt(alpha^2 + beta^2)`. The curve is C1 and monotone wherever the data are,
 *   so it does not overshoot between nodes.
 */
export type InterpolationMethod = 'linear' | 'monotone-cubic';

/** All interpolation methods. */
export const INTERPOLATION_METHODS: readonly InterpolationMethod[] = ['linear', 'monotone-cubic'];

/** An interpolating function and its derivative. */
export interface Interpolator {
  readonly method: InterpolationMethod;
  value(x: number): number;
  derivative(x: number): number;
}

/**
 * Checks interpolation nodes: same length >= 1, finite, x strictly increasing (and > 0 when
 * `positiveX`). Errors name the array and the index: `tenors[3]: 2 is not greater than tenors[2] = 5`.
 */
export function checkNodes(xs: ArrayLike<number>, ys: ArrayLike<number>, xName = 'x', yName = 'y', positiveX = false): void {
  if (xs.length !== ys.length) throw new BondInputError(yName, `has ${ys.length} values for ${xs.length} ${xName}`);
  if (xs.length === 0) throw new BondInputError(xName, 'needs at least one node');
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const y = ys[i]!;
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new BondInputError(`${xName}[${i}]`, `expected a finite number, got ${String(x)}`);
    if (positiveX && !(x > 0)) throw new BondInputError(`${xName}[${i}]`, `must be > 0, got ${x}`);
    if (typeof y !== 'number' || !Number.isFinite(y)) throw new BondInputError(`${yName}[${i}]`, `expected a finite number, got ${String(y)}`);
    if (i > 0 && !(x > xs[i - 1]!)) throw new BondInputError(`${xName}[${i}]`, `${x} is not greater than ${xName}[${i - 1}] = ${xs[i - 1]} (${xName} must be strictly increasing)`);
  }
}

function segment(xs: Float64Array, x: number): number {
  let lo = 0;
  let hi = xs.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (xs[mid]! <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Linear interpolation, flat outside. */
export class LinearInterpolator implements Interpolator {
  readonly method = 'linear' as const;
  private readonly xs: Float64Array;
  private readonly ys: Float64Array;
  constructor(xs: ArrayLike<number>, ys: ArrayLike<number>) {
    checkNodes(xs, ys);
    this.xs = Float64Array.from(xs);
    this.ys = Float64Array.from(ys);
  }
  value(x: number): number {
    const xs = this.xs;
    const n = xs.length;
    if (n === 1 || x <= xs[0]!) return this.ys[0]!;
    if (x >= xs[n - 1]!) return this.ys[n - 1]!;
    const i = segment(xs, x);
    const t = (x - xs[i]!) / (xs[i + 1]! - xs[i]!);
    return this.ys[i]! + t * (this.ys[i + 1]! - this.ys[i]!);
  }
  derivative(x: number): number {
    const xs = this.xs;
    const n = xs.length;
    if (n === 1 || x < xs[0]! || x > xs[n - 1]!) return 0;
    const i = Math.min(segment(xs, x), n - 2);
    return (this.ys[i + 1]! - this.ys[i]!) / (xs[i + 1]! - xs[i]!);
  }
}

/** Fritsch-Carlson monotone cubic interpolation, flat outside. */
export class MonotoneCubicInterpolator implements Interpolator {
  readonly method = 'monotone-cubic' as const;
  private readonly xs: Float64Array;
  private readonly ys: Float64Array;
  private readonly m: Float64Array;
  constructor(xs: ArrayLike<number>, ys: ArrayLike<number>) {
    checkNodes(xs, ys);
    const n = xs.length;
    this.xs = Float64Array.from(xs);
    this.ys = Float64Array.from(ys);
    const m = new Float64Array(n);
    if (n >= 2) {
      const d = new Float64Array(n - 1);
      for (let i = 0; i < n - 1; i++) d[i] = (this.ys[i + 1]! - this.ys[i]!) / (this.xs[i + 1]! - this.xs[i]!);
      m[0] = d[0]!;
      m[n - 1] = d[n - 2]!;
      for (let i = 1; i < n - 1; i++) m[i] = d[i - 1]! * d[i]! <= 0 ? 0 : 0.5 * (d[i - 1]! + d[i]!);
      for (let i = 0; i < n - 1; i++) {
        if (d[i] === 0) {
          m[i] = 0;
          m[i + 1] = 0;
          continue;
        }
        const a = m[i]! / d[i]!;
        const b = m[i + 1]! / d[i]!;
        const s = a * a + b * b;
        if (s > 9) {
          const tau = 3 / Math.sqrt(s);
          m[i] = tau * a * d[i]!;
          m[i + 1] = tau * b * d[i]!;
        }
      }
    }
    this.m = m;
  }
  value(x: number): number {
    const xs = this.xs;
    const n = xs.length;
    if (n === 1 || x <= xs[0]!) return this.ys[0]!;
    if (x >= xs[n - 1]!) return this.ys[n - 1]!;
    const i = segment(xs, x);
    const h = xs[i + 1]! - xs[i]!;
    const t = (x - xs[i]!) / h;
    const t2 = t * t;
    const t3 = t2 * t;
    return (2 * t3 - 3 * t2 + 1) * this.ys[i]! + (t3 - 2 * t2 + t) * h * this.m[i]! + (-2 * t3 + 3 * t2) * this.ys[i + 1]! + (t3 - t2) * h * this.m[i + 1]!;
  }
  derivative(x: number): number {
    const xs = this.xs;
    const n = xs.length;
    if (n === 1 || x < xs[0]! || x > xs[n - 1]!) return 0;
    const i = Math.min(segment(xs, x), n - 2);
    const h = xs[i + 1]! - xs[i]!;
    const t = (x - xs[i]!) / h;
    const t2 = t * t;
    return ((6 * t2 - 6 * t) * this.ys[i]! + (6 * t - 6 * t2) * this.ys[i + 1]!) / h + (3 * t2 - 4 * t + 1) * this.m[i]! + (3 * t2 - 2 * t) * this.m[i + 1]!;
  }
}

/** An interpolator of a method. */
export function interpolator(method: InterpolationMethod, xs: ArrayLike<number>, ys: ArrayLike<number>): Interpolator {
  if (method === 'linear') return new LinearInterpolator(xs, ys);
  if (method === 'monotone-cubic') return new MonotoneCubicInterpolator(xs, ys);
  throw new BondInputError('method', `unknown interpolation ${JSON.stringify(method)} (expected ${INTERPOLATION_METHODS.join(' or ')})`);
}
