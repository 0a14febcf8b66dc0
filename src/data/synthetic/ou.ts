import type { Rng } from '../../core/rng.ts';
import { checkNumber, throwIssues, type Issue } from './checks.ts';

/**
 * Ornstein-Uhlenbeck mean reversion (Uhlenbeck and Ornstein 1930; Vasicek 1977 for rates):
 *
 *     dx = kappa (m - x) dt + s dW
 *     exact: x(t+dt) = x e^(-kappa dt) + m (1 - e^(-kappa dt)) + s sqrt((1 - e^(-2 kappa dt)) / (2 kappa)) Z
 *
 * Stationary law N(m, s^2 / (2 kappa)); half-life ln 2 / kappa. Time in years.
 */
export interface OuParams {
  /** Initial value. */
  x0: number;
  /** Speed of mean reversion per year (> 0). */
  kappa: number;
  /** Long-run mean m. */
  mean: number;
  /** Volatility s (>= 0). */
  sigma: number;
}

/**
 * Defaults: a log-price that reverts to ln 100 with a half-life of ln 2 / 5 = 0.14 years (about 35
 * trading days) and a stationary standard deviation 0.3 / sqrt(10) = 9.5%. Illustrative values (the
 * mean-reverting fundamental of ABIDES's value agents is of this kind), not an estimate.
 */
export const DEFAULT_OU: OuParams = { x0: Math.log(100), kappa: 5, mean: Math.log(100), sigma: 0.3 };

/** Throws a `ConfigError` naming each bad parameter (`ou.kappa: must be > 0`). */
export function validateOu(p: OuParams, where = 'ou'): void {
  const issues: Issue[] = [];
  checkNumber(issues, `${where}.x0`, p.x0, 'any');
  checkNumber(issues, `${where}.kappa`, p.kappa, 'positive');
  checkNumber(issues, `${where}.mean`, p.mean, 'any');
  checkNumber(issues, `${where}.sigma`, p.sigma, 'nonnegative');
  throwIssues(issues, `${where} parameters`);
}

/** The stationary variance s^2 / (2 kappa). */
export function ouStationaryVariance(p: OuParams): number {
  return (p.sigma * p.sigma) / (2 * p.kappa);
}

/** Streams an OU path with the exact scheme, one step of `dt` years per `step()`, allocating nothing. */
export class OuStepper {
  /** Current value. */
  x: number;
  private readonly a: number;
  private readonly b: number;
  private readonly sd: number;

  /** Validates `p` and `dt` (`ConfigError` naming the parameter). */
  constructor(
    private readonly p: OuParams,
    dt: number,
    private readonly rng: Rng,
  ) {
    validateOu(p);
    const issues: Issue[] = [];
    checkNumber(issues, 'ou.dt', dt, 'positive');
    throwIssues(issues, 'ou stepper');
    const e = Math.exp(-p.kappa * dt);
    this.a = e;
    this.b = p.mean * (1 - e);
    // -expm1 keeps precision when kappa dt is tiny
    this.sd = p.sigma * Math.sqrt(-Math.expm1(-2 * p.kappa * dt) / (2 * p.kappa));
    this.x = p.x0;
  }

  /** Advances one step; returns the new value. */
  step(): number {
    this.x = this.x * this.a + this.b + this.sd * this.rng.normal();
    return this.x;
  }

  /** Restarts at x0 (the random stream goes on). */
  reset(): void {
    this.x = this.p.x0;
  }
}
