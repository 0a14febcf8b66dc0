import { BondInputError } from './errors.ts';
import { YieldCurve } from './curve.ts';
import { nsLoading } from './nelson-siegel.ts';

/**
 * Svensson (1994) curve, the Nelson-Siegel curve with a second hump: with `x1 = t / tau1`,
 * `x2 = t / tau2`,
 *
 *     z(t) = beta0 + beta1 (1 - e^-x1)/x1 + beta2 ((1 - e^-x1)/x1 - e^-x1) + beta3 ((1 - e^-x2)/x2 - e^-x2)
 *     f(t) = beta0 + beta1 e^-x1 + beta2 x1 e^-x1 + beta3 x2 e^-x2
 *
 * This is the form of the Federal Reserve's Gurkaynak-Sack-Wright (2007) nominal curve
 * (feds200628): `z` gives the published SVENYxx (continuously compounded zero yields), `f` the SVENFxx
 * (instantaneous forwards), and `parYield(n)` the SVENPYxx (coupon-equivalent par yields).
 */
export interface SvenssonParams {
  beta0: number;
  beta1: number;
  beta2: number;
  beta3: number;
  tau1: number;
  tau2: number;
}

/** One row of the Fed's GSW table as published: parameters in percent, taus in years. */
export interface GswParameters {
  BETA0: number;
  BETA1: number;
  BETA2: number;
  BETA3: number;
  TAU1: number;
  TAU2: number;
}

/** Checks a parameter set: finite betas, taus > 0 (errors name the field). */
export function checkSvensson(p: SvenssonParams, prefix = 'svensson'): void {
  for (const k of ['beta0', 'beta1', 'beta2', 'beta3', 'tau1', 'tau2'] as const) {
    const v = p[k];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new BondInputError(`${prefix}.${k}`, `expected a finite number, got ${String(v)}`);
  }
  if (!(p.tau1 > 0)) throw new BondInputError(`${prefix}.tau1`, `must be > 0, got ${p.tau1}`);
  if (!(p.tau2 > 0)) throw new BondInputError(`${prefix}.tau2`, `must be > 0, got ${p.tau2}`);
}

/** The Svensson curve of a parameter set (rates as decimals). */
export class SvenssonCurve extends YieldCurve {
  readonly params: Readonly<SvenssonParams>;
  constructor(params: SvenssonParams) {
    super();
    checkSvensson(params);
    this.params = { ...params };
  }

  /**
   * The curve of a published GSW row (percent -> decimal). Rows fitted with Nelson-Siegel only (before
   * 1980) carry BETA3 and TAU2 as -999.99 or missing: they give a curve with beta3 = 0.
   */
  static fromGsw(row: GswParameters): SvenssonCurve {
    const missing = (x: number) => x === undefined || x === null || Number.isNaN(x) || x <= -999;
    const ns = missing(row.BETA3) || missing(row.TAU2);
    return new SvenssonCurve({
      beta0: row.BETA0 / 100,
      beta1: row.BETA1 / 100,
      beta2: row.BETA2 / 100,
      beta3: ns ? 0 : row.BETA3 / 100,
      tau1: row.TAU1,
      tau2: ns ? 1 : row.TAU2,
    });
  }

  zeroRate(t: number): number {
    if (typeof t !== 'number' || !(t >= 0)) throw new BondInputError('t', `expected a time in years >= 0, got ${String(t)}`);
    const { beta0, beta1, beta2, beta3, tau1, tau2 } = this.params;
    const x1 = t / tau1;
    const x2 = t / tau2;
    const l1 = nsLoading(x1);
    const l2 = nsLoading(x2);
    return beta0 + beta1 * l1 + beta2 * (l1 - Math.exp(-x1)) + beta3 * (l2 - Math.exp(-x2));
  }

  override instantaneousForward(t: number): number {
    const { beta0, beta1, beta2, beta3, tau1, tau2 } = this.params;
    const x1 = t / tau1;
    const x2 = t / tau2;
    const e1 = Math.exp(-x1);
    return beta0 + beta1 * e1 + beta2 * x1 * e1 + beta3 * x2 * Math.exp(-x2);
  }

  override zeroRateSlope(t: number): number {
    if (t <= 0) return super.zeroRateSlope(t);
    return (this.instantaneousForward(t) - this.zeroRate(t)) / t;
  }
}
