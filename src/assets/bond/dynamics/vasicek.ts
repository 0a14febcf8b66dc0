import type { Rng } from '../../../core/rng.ts';
import type { ShortRateSimulator } from './curve-dynamics.ts';
import { checkNumber, checkStep, throwIfIssues, type ParamIssue } from './params.ts';

/**
 * Vasicek (1977) short rate: dr = a (b - r) dt + sigma dW (Gaussian, rates may go negative).
 *
 * Zero-coupon bond (Vasicek 1977; Brigo and Mercurio 2006, eq. 3.8):
 *
 *     P(t, t + tau) = A(tau) exp(-B(tau) r),   B = (1 - e^(-a tau)) / a,
 *     ln A = (b - sigma^2 / (2 a^2)) (B - tau) - sigma^2 B^2 / (4 a)
 *
 * Simulation is exact, jointly for r and I = int r ds over a step h (a bivariate normal):
 *
 *     E[r'] = b + (r - b) e^(-a h)                 Var[r'] = sigma^2 (1 - e^(-2 a h)) / (2 a)
 *     E[I]  = b h + (r - b) B(h)                   Var[I]  = sigma^2 / a^2 (h - 2 B(h) + (1 - e^(-2 a h)) / (2 a))
 *     Cov[r', I] = sigma^2 (1 - e^(-a h))^2 / (2 a^2)
 *
 * so E[exp(-I_T)] estimated from paths has no discretization bias at any step size.
 */

/** Vasicek parameters (years, decimals). */
export interface VasicekParams {
  /** Speed of mean reversion a > 0 (per year). */
  a: number;
  /** Long-run mean b (decimal). */
  b: number;
  /** Volatility sigma >= 0 (decimal per sqrt(year)). */
  sigma: number;
  /** Initial short rate r0 (decimal). */
  r0: number;
}

/** Illustrative defaults (not estimated): a 0.1, b 0.05, sigma 0.01, r0 0.04. */
export const DEFAULT_VASICEK: Readonly<VasicekParams> = Object.freeze({ a: 0.1, b: 0.05, sigma: 0.01, r0: 0.04 });

/** Completes and validates Vasicek parameters; throws ConfigError naming `path.field`. */
export function resolveVasicek(p: Partial<VasicekParams> = {}, path = 'vasicek'): VasicekParams {
  const r: VasicekParams = { ...DEFAULT_VASICEK, ...p };
  const issues: ParamIssue[] = [];
  checkNumber(issues, `${path}.a`, r.a, 'positive');
  checkNumber(issues, `${path}.b`, r.b, 'any');
  checkNumber(issues, `${path}.sigma`, r.sigma, 'nonnegative');
  checkNumber(issues, `${path}.r0`, r.r0, 'any');
  throwIfIssues(issues, 'Vasicek parameters');
  return r;
}

/** B(tau) = (1 - e^(-a tau)) / a (tau when a is 0). */
export function affineB(a: number, tau: number): number {
  return a === 0 ? tau : -Math.expm1(-a * tau) / a;
}

/** Closed-form Vasicek zero-coupon bond price P(t, t + tau) given r(t) = r. */
export function vasicekZeroBond(p: VasicekParams, tau: number, r: number): number {
  if (!(tau >= 0)) throw new RangeError(`maturity tau must be >= 0 years, got ${tau}`);
  const B = affineB(p.a, tau);
  const s2 = p.sigma * p.sigma;
  const lnA = (p.b - s2 / (2 * p.a * p.a)) * (B - tau) - (s2 * B * B) / (4 * p.a);
  return Math.exp(lnA - B * r);
}

/** Exact Vasicek simulator of (r, int r): see the module comment. */
export class VasicekSimulator implements ShortRateSimulator {
  readonly name = 'vasicek';
  readonly params: VasicekParams;
  rate: number;
  integral = 0;
  time = 0;
  private readonly rng: Rng;
  // Cached coefficients of the last step length.
  private h = NaN;
  private e1 = 0;
  private bh = 0;
  private sdR = 0;
  private covLoad = 0;
  private sdIndep = 0;

  constructor(params: Partial<VasicekParams>, rng: Rng) {
    this.params = resolveVasicek(params);
    this.rate = this.params.r0;
    this.rng = rng;
  }

  step(dt: number): void {
    checkStep(dt);
    if (dt !== this.h) this.prepare(dt);
    const { b } = this.params;
    const r = this.rate;
    const z1 = this.rng.normal();
    const z2 = this.rng.normal();
    const meanI = b * dt + (r - b) * this.bh;
    this.rate = b + (r - b) * this.e1 + this.sdR * z1;
    this.integral += meanI + this.covLoad * z1 + this.sdIndep * z2;
    this.time += dt;
  }

  discount(tau: number): number {
    return vasicekZeroBond(this.params, tau, this.rate);
  }

  zeroYield(tau: number): number {
    return tau > 0 ? -Math.log(this.discount(tau)) / tau : this.rate;
  }

  shock(shortBp: number, _longBp: number): void {
    this.rate += shortBp / 10_000;
  }

  reset(): void {
    this.rate = this.params.r0;
    this.integral = 0;
    this.time = 0;
  }

  private prepare(h: number): void {
    const { a, sigma } = this.params;
    const s2 = sigma * sigma;
    this.h = h;
    this.e1 = Math.exp(-a * h);
    this.bh = affineB(a, h);
    const varR = (s2 * -Math.expm1(-2 * a * h)) / (2 * a);
    const varI = (s2 / (a * a)) * (h - 2 * this.bh + -Math.expm1(-2 * a * h) / (2 * a));
    const om = -Math.expm1(-a * h);
    const cov = (s2 * om * om) / (2 * a * a);
    this.sdR = Math.sqrt(varR);
    // I = mean + cov / sdR * z1 + sqrt(varI - cov^2 / varR) * z2 (Cholesky of the 2x2 covariance).
    this.covLoad = this.sdR > 0 ? cov / this.sdR : 0;
    this.sdIndep = Math.sqrt(Math.max(0, varI - this.covLoad * this.covLoad));
  }
}
