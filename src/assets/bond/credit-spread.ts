import { ConfigError } from '../../core/errors.ts';
import { checkFinite } from '../../core/param-check.ts';
import type { Rng } from '../../core/rng.ts';
import { CREDIT_RATINGS, DEFAULT_DOWNGRADE_RATE, DEFAULT_SPREAD_BP, downgradeOf, isCreditRating, type CreditRating } from './credit-ratings.ts';
import type { Discounting } from './dynamics/curve-dynamics.ts';
import { poissonDraw } from './dynamics/random.ts';

/**
 * Credit spread, downgrades and default of one issuer.
 *
 * Spread. x = ln s (s in bp) follows an OU process with compound Poisson jumps:
 *
 *     dx = kappa (m - x) dt + sigma dW + dJ,   J: jumps at rate jumpRate, sizes ~ N(jumpMean, jumpSd^2)
 *
 * m is set so the stationary mean of x is ln sBar(rating): m = ln sBar - jumpRate jumpMean / kappa.
 * Stationary variance: sigma^2 / (2 kappa) + jumpRate (jumpMean^2 + jumpSd^2) / (2 kappa).
 * Stepped exactly: the OU part by its Gaussian transition, each jump (their number ~ Poisson(rate dt))
 * at a uniform time u in the step, decayed to the step's end by e^(-kappa (dt - u)).
 *
 * Default. Hazard rate lambda(t) = s(t) / (1 - R) (s as a decimal; R the recovery rate): with
 * recovery of market value, discounting at r + s prices the defaultable bond (Duffie and Singleton
 * 1999, "Modeling term structures of defaultable bonds", RFS 12), and s = lambda (1 - R) is the
 * "credit triangle". The default time is the first t with int_0^t lambda >= E, E ~ Exp(1) drawn at
 * reset (exact for a given hazard path; the integral is the trapezoid rule over steps, exact for a
 * constant spread). So P(default by T) = 1 - E[exp(-int_0^T lambda)] (= 1 - e^(-lambda T) for a
 * constant spread; tested). A defaulted bond settles at R * 100 per 100 face.
 *
 * Downgrades. One notch down at Poisson rate downgradeRate(rating) (at most one per step: keep steps
 * short against 1 / rate). On a downgrade the target m moves to the new rating's level and x jumps
 * by `downgradeJump` (default 0.5) of the gap at once; the rest closes by mean reversion.
 *
 * After default the state is absorbed for events (no downgrade, no second default) but the spread
 * and the cumulative hazard keep evolving, so `cumulativeHazard` is always the full-path integral.
 */

/** Parameters of `CreditSpreadProcess` (all optional except rating). */
export interface CreditParams {
  /** Initial rating. */
  rating: CreditRating;
  /** Recovery rate R in [0, 1) (default 0.4, the ISDA standard for senior unsecured CDS). */
  recovery: number;
  /** Mean reversion of the log spread, per year (default 1: half-life about 8 months). */
  kappa: number;
  /** Volatility of the log spread, per sqrt(year) (default 0.3). */
  sigma: number;
  /** Jump arrival rate per year (default 0.5). */
  jumpRate: number;
  /** Mean log jump (default 0.1: jumps widen on average). */
  jumpMean: number;
  /** Standard deviation of the log jump (default 0.15). */
  jumpSd: number;
  /** Fraction of the log gap to the new level closed at once on a downgrade, in [0, 1] (default 0.5). */
  downgradeJump: number;
  /** Long-run spread per rating, bp (defaults `DEFAULT_SPREAD_BP`). */
  spreadBp: Record<CreditRating, number>;
  /** Downgrade intensity per rating, per year (defaults `DEFAULT_DOWNGRADE_RATE`). */
  downgradeRate: Record<CreditRating, number>;
  /** Initial spread, bp (default the rating's long-run spread). */
  initialSpreadBp?: number;
}

/** Input of `resolveCreditParams`: the rating and any overrides. */
export type CreditParamsInput = { rating: CreditRating } & Partial<Omit<CreditParams, 'rating' | 'spreadBp' | 'downgradeRate'>> & {
  spreadBp?: Partial<Record<CreditRating, number>>;
  downgradeRate?: Partial<Record<CreditRating, number>>;
};

/** Completes and validates credit parameters; throws ConfigError naming `path.field`. */
export function resolveCreditParams(p: CreditParamsInput, path = 'credit'): CreditParams {
  const r: CreditParams = {
    recovery: 0.4,
    kappa: 1,
    sigma: 0.3,
    jumpRate: 0.5,
    jumpMean: 0.1,
    jumpSd: 0.15,
    downgradeJump: 0.5,
    ...p,
    spreadBp: { ...DEFAULT_SPREAD_BP, ...(p.spreadBp ?? {}) },
    downgradeRate: { ...DEFAULT_DOWNGRADE_RATE, ...(p.downgradeRate ?? {}) },
  } as CreditParams;
  const issues: { path: string; message: string }[] = [];
  const fin = (f: string, v: unknown): v is number => checkFinite(issues, `${path}.${f}`, v);
  if (!isCreditRating(r.rating)) issues.push({ path: `${path}.rating`, message: `must be one of ${CREDIT_RATINGS.join(', ')}; got ${JSON.stringify(r.rating)}` });
  if (fin('recovery', r.recovery) && !(r.recovery >= 0 && r.recovery < 1)) issues.push({ path: `${path}.recovery`, message: `must be in [0, 1), got ${r.recovery}` });
  if (fin('kappa', r.kappa) && !(r.kappa > 0)) issues.push({ path: `${path}.kappa`, message: `must be > 0, got ${r.kappa}` });
  if (fin('sigma', r.sigma) && !(r.sigma >= 0)) issues.push({ path: `${path}.sigma`, message: `must be >= 0, got ${r.sigma}` });
  if (fin('jumpRate', r.jumpRate) && !(r.jumpRate >= 0)) issues.push({ path: `${path}.jumpRate`, message: `must be >= 0, got ${r.jumpRate}` });
  fin('jumpMean', r.jumpMean);
  if (fin('jumpSd', r.jumpSd) && !(r.jumpSd >= 0)) issues.push({ path: `${path}.jumpSd`, message: `must be >= 0, got ${r.jumpSd}` });
  if (fin('downgradeJump', r.downgradeJump) && !(r.downgradeJump >= 0 && r.downgradeJump <= 1)) issues.push({ path: `${path}.downgradeJump`, message: `must be in [0, 1], got ${r.downgradeJump}` });
  for (const k of CREDIT_RATINGS) {
    if (fin(`spreadBp.${k}`, r.spreadBp[k]) && !(r.spreadBp[k] > 0)) issues.push({ path: `${path}.spreadBp.${k}`, message: `must be > 0, got ${r.spreadBp[k]}` });
    if (fin(`downgradeRate.${k}`, r.downgradeRate[k]) && !(r.downgradeRate[k] >= 0)) issues.push({ path: `${path}.downgradeRate.${k}`, message: `must be >= 0, got ${r.downgradeRate[k]}` });
  }
  if (r.initialSpreadBp !== undefined && fin('initialSpreadBp', r.initialSpreadBp) && !(r.initialSpreadBp > 0)) issues.push({ path: `${path}.initialSpreadBp`, message: `must be > 0, got ${r.initialSpreadBp}` });
  if (issues.length > 0) throw new ConfigError(issues, 'credit parameters');
  return r;
}

/** What a step produced. */
export const CreditStep = { None: 0, Downgrade: 1, Default: 2 } as const;
/** A step result: 0 none, 1 downgrade, 2 default. */
export type CreditStep = (typeof CreditStep)[keyof typeof CreditStep];

/** Seeded spread / downgrade / default process of one issuer (see the module comment). */
export class CreditSpreadProcess {
  readonly params: CreditParams;
  /** Current rating. */
  rating: CreditRating;
  /** Rating before the last downgrade (equal to `rating` when none happened yet). */
  previousRating: CreditRating;
  /** Log spread (ln bp). */
  logSpread = 0;
  /** Model time in years since reset. */
  time = 0;
  /** int_0^t lambda ds (trapezoid over steps). */
  cumulativeHazard = 0;
  /** True once defaulted. */
  defaulted = false;
  /** Default time in years (linear interpolation of the hazard integral inside the step), NaN before. */
  defaultTime = NaN;
  private threshold = 0;
  private target = 0;
  private readonly rng: Rng;

  constructor(params: CreditParamsInput, rng: Rng) {
    this.params = resolveCreditParams(params);
    this.rng = rng;
    this.rating = this.params.rating;
    this.previousRating = this.rating;
    this.reset();
  }

  /** Current spread, bp. */
  get spreadBp(): number {
    return Math.exp(this.logSpread);
  }

  /** Current hazard rate per year: s / (1 - R), s as a decimal. */
  get hazard(): number {
    return this.spreadBp / 10_000 / (1 - this.params.recovery);
  }

  /** Settlement price of a defaulted bond per 100 face: 100 R. */
  get settlementPrice(): number {
    return 100 * this.params.recovery;
  }

  /** The OU target m of a rating (stationary mean of x is ln sBar). */
  targetOf(rating: CreditRating): number {
    const p = this.params;
    return Math.log(p.spreadBp[rating]) - (p.jumpRate * p.jumpMean) / p.kappa;
  }

  /** Stationary mean and variance of the log spread at a fixed rating. */
  stationaryLogMoments(rating: CreditRating = this.rating): { mean: number; variance: number } {
    const p = this.params;
    return {
      mean: Math.log(p.spreadBp[rating]),
      variance: (p.sigma * p.sigma) / (2 * p.kappa) + (p.jumpRate * (p.jumpMean * p.jumpMean + p.jumpSd * p.jumpSd)) / (2 * p.kappa),
    };
  }

  /** Advances by dt years; returns what happened (None, Downgrade, or Default). Allocates nothing. */
  step(dt: number): CreditStep {
    if (!(dt > 0) || !Number.isFinite(dt)) throw new RangeError(`time step must be a positive finite number of years, got ${dt}`);
    const p = this.params;
    const sBefore = this.hazard;
    let result: CreditStep = CreditStep.None;
    // Downgrade (at most one per step), decided on the rating at the start of the step.
    const q = p.downgradeRate[this.rating];
    if (!this.defaulted && q > 0 && this.rng.next() < -Math.expm1(-q * dt)) {
      const next = downgradeOf(this.rating);
      if (next !== this.rating) {
        const newTarget = this.targetOf(next);
        this.logSpread += p.downgradeJump * (newTarget - this.target);
        this.previousRating = this.rating;
        this.rating = next;
        this.target = newTarget;
        result = CreditStep.Downgrade;
      }
    }
    // OU with jumps, exact.
    const e = Math.exp(-p.kappa * dt);
    let x = this.target + (this.logSpread - this.target) * e + p.sigma * Math.sqrt(-Math.expm1(-2 * p.kappa * dt) / (2 * p.kappa)) * this.rng.normal();
    if (p.jumpRate > 0) {
      const n = poissonDraw(this.rng, p.jumpRate * dt);
      for (let i = 0; i < n; i++) {
        const u = this.rng.next() * dt;
        x += (p.jumpMean + p.jumpSd * this.rng.normal()) * Math.exp(-p.kappa * (dt - u));
      }
    }
    this.logSpread = x;
    const sAfter = this.hazard;
    const h0 = this.cumulativeHazard;
    const h1 = h0 + (dt * (sBefore + sAfter)) / 2;
    this.cumulativeHazard = h1;
    if (!this.defaulted && h1 >= this.threshold) {
      this.defaulted = true;
      this.defaultTime = this.time + (dt * (this.threshold - h0)) / (h1 - h0);
      result = CreditStep.Default;
    }
    this.time += dt;
    return result;
  }

  /** Back to the initial rating and spread at time 0, with a new default threshold E ~ Exp(1). */
  reset(): void {
    const p = this.params;
    this.rating = p.rating;
    this.previousRating = p.rating;
    this.target = this.targetOf(p.rating);
    this.logSpread = Math.log(p.initialSpreadBp ?? p.spreadBp[p.rating]);
    this.time = 0;
    this.cumulativeHazard = 0;
    this.defaulted = false;
    this.defaultTime = NaN;
    this.threshold = this.rng.exponential(1);
  }
}

/**
 * A risk-free curve plus a credit spread: discount(tau) = base.discount(tau) * e^(-s tau), s the
 * spread as a decimal (recovery of market value, Duffie and Singleton 1999). Set `spreadBp` before pricing.
 */
export class SpreadCurve implements Discounting {
  /** Spread over the base curve, bp. */
  spreadBp = 0;
  constructor(readonly base: Discounting) {}
  discount(tau: number): number {
    return this.base.discount(tau) * Math.exp((-this.spreadBp / 10_000) * tau);
  }
}
