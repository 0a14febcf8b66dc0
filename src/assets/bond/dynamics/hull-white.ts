import type { Rng } from '../../../core/rng.ts';
import type { ShortRateSimulator } from './curve-dynamics.ts';
import { checkNumber, checkStep, throwIfIssues, type ParamIssue } from './params.ts';
import { affineB } from './vasicek.ts';

/**
 * Hull and White (1990) one-factor model fitted to an initial discount curve P(0, t):
 *
 *     dr = (theta(t) - a r) dt + sigma dW
 *     theta(t) = df(0, t)/dt + a f(0, t) + sigma^2 (1 - e^(-2 a t)) / (2 a),   f(0, t) = -d ln P(0, t) / dt
 *
 * (Brigo and Mercurio 2006, section 3.3.) Simulation uses the decomposition r(t) = x(t) + alpha(t),
 * where x is an OU process dx = -a x dt + sigma dW, x(0) = 0, and
 * alpha(t) = f(0, t) + sigma^2 (1 - e^(-a t))^2 / (2 a^2). (x, int x) is stepped exactly (a bivariate
 * normal, as for Vasicek with b = 0), and int_0^t alpha = G(t) is in closed form:
 *
 *     G(t) = -ln P(0, t) + sigma^2 / (2 a^2) (t - 2 B(t) + (1 - e^(-2 a t)) / (2 a)),   B(t) = (1 - e^(-a t)) / a
 *
 * so E[exp(-int_0^T r)] = P(0, T) exactly and Monte Carlo reproduces the initial curve up to sampling
 * error (tested). Zero-coupon bond given r(t) (Brigo and Mercurio eq. 3.39):
 *
 *     P(t, T) = P(0, T) / P(0, t) exp(B(t, T) f(0, t) - sigma^2 (1 - e^(-2 a t)) B(t, T)^2 / (4 a) - B(t, T) r(t))
 *
 * The instantaneous forward f(0, t) is a central difference of ln P(0, t) with step 1e-5 years
 * (forward difference at t < 1e-5), so the curve function must be smooth enough for that.
 */

/** Hull-White parameters besides the curve. */
export interface HullWhiteParams {
  /** Speed of mean reversion a > 0 (per year). */
  a: number;
  /** Volatility sigma >= 0 (decimal per sqrt(year)). */
  sigma: number;
}

/** Illustrative defaults (not calibrated): a 0.1, sigma 0.01. */
export const DEFAULT_HULL_WHITE: Readonly<HullWhiteParams> = Object.freeze({ a: 0.1, sigma: 0.01 });

/** The initial discount curve t -> P(0, t) (t in years, P(0, 0) = 1, positive and finite). */
export type InitialCurve = (t: number) => number;

/** A flat continuously compounded curve P(0, t) = e^(-rate t). */
export function flatCurve(rate: number): InitialCurve {
  return (t: number) => Math.exp(-rate * t);
}

/** Completes and validates Hull-White parameters; throws ConfigError naming `path.field`. */
export function resolveHullWhite(p: Partial<HullWhiteParams> = {}, path = 'hullWhite'): HullWhiteParams {
  const r: HullWhiteParams = { ...DEFAULT_HULL_WHITE, ...p };
  const issues: ParamIssue[] = [];
  checkNumber(issues, `${path}.a`, r.a, 'positive');
  checkNumber(issues, `${path}.sigma`, r.sigma, 'nonnegative');
  throwIfIssues(issues, 'Hull-White parameters');
  return r;
}

const FD = 1e-5;

/** The fitted model: curve functions and the closed-form bond price (pure, no state). */
export class HullWhiteModel {
  readonly params: HullWhiteParams;
  readonly curve: InitialCurve;

  constructor(curve: InitialCurve, params: Partial<HullWhiteParams> = {}) {
    this.params = resolveHullWhite(params);
    const p0 = curve(0);
    if (!(Math.abs(p0 - 1) < 1e-12)) throw new RangeError(`initial curve must have P(0, 0) = 1, got ${p0}`);
    for (const t of [0.5, 1, 5, 10, 30]) {
      const v = curve(t);
      if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`initial curve P(0, ${t}) must be positive and finite, got ${v}`);
    }
    this.curve = curve;
  }

  /** Instantaneous forward f(0, t) = -d ln P(0, t) / dt (finite difference). */
  forward(t: number): number {
    if (t < FD) return -(Math.log(this.curve(t + FD)) - Math.log(this.curve(t))) / FD;
    return -(Math.log(this.curve(t + FD)) - Math.log(this.curve(t - FD))) / (2 * FD);
  }

  /** theta(t) of the drift (finite difference of the forward curve). */
  theta(t: number): number {
    const { a, sigma } = this.params;
    const h = Math.max(FD * 10, t * 1e-4);
    const df = (this.forward(t + h) - this.forward(Math.max(0, t - h))) / (t + h - Math.max(0, t - h));
    return df + a * this.forward(t) + (sigma * sigma * -Math.expm1(-2 * a * t)) / (2 * a);
  }

  /** alpha(t) = f(0, t) + sigma^2 (1 - e^(-a t))^2 / (2 a^2): the mean of r(t). */
  alpha(t: number): number {
    const { a, sigma } = this.params;
    const om = -Math.expm1(-a * t);
    return this.forward(t) + (sigma * sigma * om * om) / (2 * a * a);
  }

  /** G(t) = int_0^t alpha(s) ds in closed form. */
  alphaIntegral(t: number): number {
    const { a, sigma } = this.params;
    return -Math.log(this.curve(t)) + ((sigma * sigma) / (2 * a * a)) * (t - 2 * affineB(a, t) + -Math.expm1(-2 * a * t) / (2 * a));
  }

  /** Zero-coupon bond P(t, t + tau) given r(t) = r. */
  zeroBond(t: number, tau: number, r: number): number {
    if (!(tau >= 0)) throw new RangeError(`maturity tau must be >= 0 years, got ${tau}`);
    const { a, sigma } = this.params;
    const B = affineB(a, tau);
    const lnRatio = Math.log(this.curve(t + tau)) - Math.log(this.curve(t));
    return Math.exp(lnRatio + B * this.forward(t) - (sigma * sigma * -Math.expm1(-2 * a * t) * B * B) / (4 * a) - B * r);
  }
}

/** Exact Hull-White simulator of (r, int r) (see the module comment). */
export class HullWhiteSimulator implements ShortRateSimulator {
  readonly name = 'hull-white';
  readonly model: HullWhiteModel;
  time = 0;
  private x = 0;
  private intX = 0;
  private readonly rng: Rng;
  private h = NaN;
  private e1 = 0;
  private sdX = 0;
  private bh = 0;
  private covLoad = 0;
  private sdIndep = 0;

  constructor(model: HullWhiteModel, rng: Rng) {
    this.model = model;
    this.rng = rng;
  }

  /** r(t) = x(t) + alpha(t). */
  get rate(): number {
    return this.x + this.model.alpha(this.time);
  }

  /** int_0^t r = int_0^t x + G(t). */
  get integral(): number {
    return this.intX + this.model.alphaIntegral(this.time);
  }

  step(dt: number): void {
    checkStep(dt);
    if (dt !== this.h) this.prepare(dt);
    const z1 = this.rng.normal();
    const z2 = this.rng.normal();
    const x = this.x;
    this.intX += x * this.bh + this.covLoad * z1 + this.sdIndep * z2;
    this.x = x * this.e1 + this.sdX * z1;
    this.time += dt;
  }

  discount(tau: number): number {
    return this.model.zeroBond(this.time, tau, this.rate);
  }

  zeroYield(tau: number): number {
    return tau > 0 ? -Math.log(this.discount(tau)) / tau : this.rate;
  }

  /** Moves the short rate by shortBp (the shock decays at speed a, like any deviation of x). */
  shock(shortBp: number, _longBp: number): void {
    this.x += shortBp / 10_000;
  }

  reset(): void {
    this.x = 0;
    this.intX = 0;
    this.time = 0;
  }

  private prepare(h: number): void {
    const { a, sigma } = this.model.params;
    const s2 = sigma * sigma;
    this.h = h;
    this.e1 = Math.exp(-a * h);
    this.bh = affineB(a, h);
    const varX = (s2 * -Math.expm1(-2 * a * h)) / (2 * a);
    const varI = (s2 / (a * a)) * (h - 2 * this.bh + -Math.expm1(-2 * a * h) / (2 * a));
    const om = -Math.expm1(-a * h);
    const cov = (s2 * om * om) / (2 * a * a);
    this.sdX = Math.sqrt(varX);
    this.covLoad = this.sdX > 0 ? cov / this.sdX : 0;
    this.sdIndep = Math.sqrt(Math.max(0, varI - this.covLoad * this.covLoad));
  }
}
