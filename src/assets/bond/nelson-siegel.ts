import { BondInputError } from './errors.ts';
import { YieldCurve } from './curve.ts';

/**
 * Nelson-Siegel (1987) curve: with `x = t / tau`,
 *
 *     z(t) = beta0 + beta1 (1 - e^-x) / x + beta2 ((1 - e^-x) / x - e^-x)      (continuous zero rate)
 *     f(t) = beta0 + beta1 e^-x + beta2 x e^-x                                  (instantaneous forward)
 *
 * beta0 is the long rate, beta0 + beta1 the short rate, beta2 the hump; rates are decimals, tau in years.
 */
export interface NelsonSiegelParams {
  beta0: number;
  beta1: number;
  beta2: number;
  tau: number;
}

/** `(1 - e^-x) / x`, accurate near 0. */
export function nsLoading(x: number): number {
  if (x < 1e-6) return 1 - x / 2 + (x * x) / 6;
  return -Math.expm1(-x) / x;
}

/** Checks a parameter set: finite betas, tau > 0 (errors name the field). */
export function checkNelsonSiegel(p: NelsonSiegelParams, prefix = 'nelsonSiegel'): void {
  for (const k of ['beta0', 'beta1', 'beta2', 'tau'] as const) {
    const v = p[k];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new BondInputError(`${prefix}.${k}`, `expected a finite number, got ${String(v)}`);
  }
  if (!(p.tau > 0)) throw new BondInputError(`${prefix}.tau`, `must be > 0, got ${p.tau}`);
}

/** The Nelson-Siegel curve of a parameter set. */
export class NelsonSiegelCurve extends YieldCurve {
  readonly params: Readonly<NelsonSiegelParams>;
  constructor(params: NelsonSiegelParams) {
    super();
    checkNelsonSiegel(params);
    this.params = { ...params };
  }
  zeroRate(t: number): number {
    const { beta0, beta1, beta2, tau } = this.params;
    const x = t / tau;
    const l = nsLoading(x);
    return beta0 + beta1 * l + beta2 * (l - Math.exp(-x));
  }
  override instantaneousForward(t: number): number {
    const { beta0, beta1, beta2, tau } = this.params;
    const x = t / tau;
    const e = Math.exp(-x);
    return beta0 + beta1 * e + beta2 * x * e;
  }
  override zeroRateSlope(t: number): number {
    if (t <= 0) return super.zeroRateSlope(t);
    return (this.instantaneousForward(t) - this.zeroRate(t)) / t;
  }
}
