import type { Rng } from '../../core/rng.ts';
import { checkNumber, throwIssues, type Issue } from './checks.ts';
import { StandardizedStudentT, checkNu } from './student-t.ts';

/**
 * GJR-GARCH(1,1) (Glosten, Jagannathan and Runkle 1993) with standardized Student-t innovations;
 * `gamma = 0` is Bollerslev's (1986) GARCH(1,1). All quantities are per step (e.g. per day):
 *
 *     r_t = mu + eps_t,  eps_t = sigma_t z_t,  z_t ~ t_nu scaled to unit variance
 *     sigma_t^2 = omega + (alpha + gamma 1[eps_{t-1} < 0]) eps_{t-1}^2 + beta sigma_{t-1}^2
 *
 * Covariance stationary when alpha + beta + gamma/2 < 1 (z symmetric, so P(eps < 0) = 1/2); the
 * unconditional variance is then omega / (1 - alpha - beta - gamma/2).
 */
export interface GarchParams {
  /** Mean return per step. */
  mu: number;
  /** Variance intercept (> 0). */
  omega: number;
  /** ARCH coefficient (>= 0). */
  alpha: number;
  /** Extra ARCH coefficient after a negative shock (leverage; alpha + gamma >= 0; 0 for GARCH). */
  gamma: number;
  /** GARCH coefficient (>= 0). */
  beta: number;
  /** Degrees of freedom of the Student-t innovations (> 2; Infinity for normal innovations). */
  nu: number;
  /** Initial conditional variance (default: the unconditional variance). */
  sigma2_0?: number;
}

/**
 * Defaults for daily equity-index returns: illustrative values of the size commonly reported for
 * GJR-GARCH-t fits of daily S&P 500 returns (persistence alpha + beta + gamma/2 = 0.98, a leverage
 * term larger than the symmetric one, nu about 7); not the estimate of one cited paper. The
 * unconditional variance 2e-6 / 0.02 = 1e-4 is a 1% daily (about 16% annual) volatility.
 */
export const DEFAULT_GJR_GARCH: GarchParams = { mu: 0.0003, omega: 2e-6, alpha: 0.03, gamma: 0.1, beta: 0.9, nu: 7 };

/** Defaults with no leverage term (plain GARCH(1,1)-t), same persistence and variance as above. */
export const DEFAULT_GARCH: GarchParams = { mu: 0.0003, omega: 2e-6, alpha: 0.08, gamma: 0, beta: 0.9, nu: 7 };

/** alpha + beta + gamma/2: the persistence of the conditional variance. */
export function garchPersistence(p: GarchParams): number {
  return p.alpha + p.beta + p.gamma / 2;
}

/** The unconditional variance omega / (1 - alpha - beta - gamma/2) of eps (validated parameters). */
export function garchUnconditionalVariance(p: GarchParams): number {
  return p.omega / (1 - garchPersistence(p));
}

/** Throws a `ConfigError` naming each bad parameter (`garch.beta: must be >= 0`), or non-stationarity. */
export function validateGarch(p: GarchParams, where = 'garch'): void {
  const issues: Issue[] = [];
  const ok = [
    checkNumber(issues, `${where}.mu`, p.mu, 'any'),
    checkNumber(issues, `${where}.omega`, p.omega, 'positive'),
    checkNumber(issues, `${where}.alpha`, p.alpha, 'nonnegative'),
    checkNumber(issues, `${where}.gamma`, p.gamma, 'any'),
    checkNumber(issues, `${where}.beta`, p.beta, 'nonnegative'),
  ].every(Boolean);
  if (ok && !(p.alpha + p.gamma >= 0)) issues.push({ path: `${where}.gamma`, message: `alpha + gamma must be >= 0 (the variance must stay positive), got ${p.alpha + p.gamma}` });
  if (ok && !(garchPersistence(p) < 1)) {
    issues.push({
      path: `${where}.beta`,
      message: `not covariance stationary: alpha + beta + gamma/2 = ${garchPersistence(p)} must be < 1 (the unconditional variance would be infinite)`,
    });
  }
  checkNu(issues, `${where}.nu`, p.nu);
  if (p.sigma2_0 !== undefined) checkNumber(issues, `${where}.sigma2_0`, p.sigma2_0, 'positive');
  throwIssues(issues, `${where} parameters`);
}

/**
 * Streams GJR-GARCH(1,1)-t returns: each `step()` draws one return, allocating nothing. After a step
 * `r` is the return, `sigma2` the conditional variance it was drawn with and `eps` its shock.
 */
export class GarchStepper {
  /** The last return (0 before the first step). */
  r = 0;
  /** The last shock r - mu. */
  eps = 0;
  /** Conditional variance of the last return (before the first step, of the next one). */
  sigma2: number;
  private nextSigma2: number;
  private readonly t: StandardizedStudentT;

  /** Validates `p` (`ConfigError` naming the parameter); draws come from `rng` only. */
  constructor(
    private readonly p: GarchParams,
    private readonly rng: Rng,
  ) {
    validateGarch(p);
    this.t = new StandardizedStudentT(p.nu, 'garch');
    this.sigma2 = p.sigma2_0 ?? garchUnconditionalVariance(p);
    this.nextSigma2 = this.sigma2;
  }

  /** Draws the next return and updates the conditional variance; returns the return. */
  step(): number {
    const p = this.p;
    const s2 = this.nextSigma2;
    const eps = Math.sqrt(s2) * this.t.draw(this.rng);
    this.sigma2 = s2;
    this.eps = eps;
    this.r = p.mu + eps;
    this.nextSigma2 = p.omega + (p.alpha + (eps < 0 ? p.gamma : 0)) * eps * eps + p.beta * s2;
    return this.r;
  }

  /** Conditional variance of the next return. */
  get forecast(): number {
    return this.nextSigma2;
  }

  /** Restarts at the initial variance (the random stream goes on). */
  reset(): void {
    this.sigma2 = this.p.sigma2_0 ?? garchUnconditionalVariance(this.p);
    this.nextSigma2 = this.sigma2;
    this.r = 0;
    this.eps = 0;
  }
}
