import { BondInputError } from './errors.ts';
import { checkNodes, interpolator, type InterpolationMethod, type Interpolator } from './interpolation.ts';

/**
 * Anything that discounts: a yield curve here, or a rate model's current curve (the dynamics'
 * `CurveDynamics` has the same method). `t` in years from the curve date.
 */
export interface DiscountCurve {
  discount(t: number): number;
}

function checkTime(t: number, field = 't'): void {
  if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) throw new BondInputError(field, `expected a time in years >= 0, got ${String(t)}`);
}

/**
 * A yield curve: continuously compounded zero rates `z(t)`, `t` in years. Everything else follows:
 *
 * - discount factor `P(t) = exp(-z(t) t)`;
 * - zero rate compounded `m` times a year: `m (P(t)^(-1/(m t)) - 1)`;
 * - forward rate between t1 < t2 (continuous): `(z(t2) t2 - z(t1) t1) / (t2 - t1)`;
 * - instantaneous forward `f(t) = z(t) + t z'(t)`;
 * - par yield of a bond paying `m` coupons a year for T years (T a multiple of 1/m):
 *   `m (1 - P(T)) / sum_{k=1..mT} P(k/m)`.
 */
export abstract class YieldCurve implements DiscountCurve {
  /** Continuously compounded zero rate for maturity t >= 0 (the limit at t = 0). */
  abstract zeroRate(t: number): number;

  /** d z / d t (numerical by default). */
  zeroRateSlope(t: number): number {
    const h = 1e-5 * Math.max(1, t);
    const lo = Math.max(0, t - h);
    return (this.zeroRate(t + h) - this.zeroRate(lo)) / (t + h - lo);
  }

  /** Discount factor for t years. */
  discount(t: number): number {
    checkTime(t);
    return Math.exp(-this.zeroRate(t) * t);
  }

  /** Zero rate compounded `frequency` times a year (t > 0). */
  zeroRateCompounded(t: number, frequency: number): number {
    checkTime(t);
    if (t === 0) return frequency * (Math.exp(this.zeroRate(0) / frequency) - 1);
    return frequency * (Math.pow(this.discount(t), -1 / (frequency * t)) - 1);
  }

  /** Continuously compounded forward rate between t1 and t2 > t1. */
  forwardRate(t1: number, t2: number): number {
    checkTime(t1, 't1');
    checkTime(t2, 't2');
    if (!(t2 > t1)) throw new BondInputError('t2', `must be greater than t1 (${t1}), got ${t2}`);
    return (this.zeroRate(t2) * t2 - this.zeroRate(t1) * t1) / (t2 - t1);
  }

  /** Simple (money-market) forward rate between t1 and t2: `(P(t1)/P(t2) - 1) / (t2 - t1)`. */
  forwardRateSimple(t1: number, t2: number): number {
    checkTime(t1, 't1');
    checkTime(t2, 't2');
    if (!(t2 > t1)) throw new BondInputError('t2', `must be greater than t1 (${t1}), got ${t2}`);
    return (this.discount(t1) / this.discount(t2) - 1) / (t2 - t1);
  }

  /** Instantaneous forward rate at t. */
  instantaneousForward(t: number): number {
    checkTime(t);
    return this.zeroRate(t) + t * this.zeroRateSlope(t);
  }

  /** Par yield (decimal, compounded `frequency` times a year) of a `maturity`-year bullet bond. */
  parYield(maturity: number, frequency = 2): number {
    checkTime(maturity, 'maturity');
    const n = Math.round(maturity * frequency);
    if (n < 1 || Math.abs(n - maturity * frequency) > 1e-9) throw new BondInputError('maturity', `a par yield needs a whole number of coupon periods: ${maturity} years at ${frequency} a year`);
    let annuity = 0;
    for (let k = 1; k <= n; k++) annuity += this.discount(k / frequency);
    return (frequency * (1 - this.discount(n / frequency))) / annuity;
  }

  /**
   * Forward par yield: the coupon (compounded `frequency` a year) of a `length`-year bond starting in
   * `start` years that prices at par then: `m (P(s) - P(s + L)) / sum_{k=1..mL} P(s + k/m)`.
   * GSW's SVEN1Fxx is `forwardParYield(xx, 1)`.
   */
  forwardParYield(start: number, length: number, frequency = 2): number {
    checkTime(start, 'start');
    checkTime(length, 'length');
    const n = Math.round(length * frequency);
    if (n < 1 || Math.abs(n - length * frequency) > 1e-9) throw new BondInputError('length', `needs a whole number of coupon periods: ${length} years at ${frequency} a year`);
    let annuity = 0;
    for (let k = 1; k <= n; k++) annuity += this.discount(start + k / frequency);
    return (frequency * (this.discount(start) - this.discount(start + n / frequency))) / annuity;
  }
}

/**
 * A curve through nodes: tenors (years, > 0, strictly increasing) and continuously compounded zero
 * rates, interpolated `linear` or `monotone-cubic` in the zero rate, flat outside the nodes.
 */
export class ZeroCurve extends YieldCurve {
  readonly tenors: readonly number[];
  readonly zeroRates: readonly number[];
  readonly method: InterpolationMethod;
  private readonly interp: Interpolator;
  constructor(tenors: readonly number[], zeroRates: readonly number[], method: InterpolationMethod = 'monotone-cubic') {
    super();
    checkNodes(tenors, zeroRates, 'tenors', 'zeroRates', true);
    this.tenors = [...tenors];
    this.zeroRates = [...zeroRates];
    this.method = method;
    this.interp = interpolator(method, tenors, zeroRates);
  }

  /** A curve from discount factors at the tenors (each in (0, ...), finite). */
  static fromDiscountFactors(tenors: readonly number[], discountFactors: readonly number[], method: InterpolationMethod = 'monotone-cubic'): ZeroCurve {
    checkNodes(tenors, discountFactors, 'tenors', 'discountFactors', true);
    const z = discountFactors.map((p, i) => {
      if (!(p > 0)) throw new BondInputError(`discountFactors[${i}]`, `must be > 0, got ${p}`);
      return -Math.log(p) / tenors[i]!;
    });
    return new ZeroCurve(tenors, z, method);
  }

  zeroRate(t: number): number {
    return this.interp.value(t);
  }

  override zeroRateSlope(t: number): number {
    return this.interp.derivative(t);
  }

  /** The same nodes with every zero rate moved by `bp` basis points (a parallel shift). */
  shifted(bp: number): ZeroCurve {
    return new ZeroCurve(this.tenors, this.zeroRates.map((z) => z + bp * 1e-4), this.method);
  }
}
