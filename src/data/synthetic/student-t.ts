import type { Rng } from '../../core/rng.ts';
import { gammaMarsagliaTsang } from '../../core/random-variates.ts';
import { checkNumber, throwIssues, type Issue } from './checks.ts';

/**
 * Student-t draws standardized to unit variance: T = Z sqrt((nu - 2) / V), Z ~ N(0, 1),
 * V ~ chi-square(nu) = 2 Gamma(nu/2), so E[T] = 0, Var[T] = 1 and the excess kurtosis is
 * 6 / (nu - 4) for nu > 4 (infinite for 2 < nu <= 4). `nu` must be > 2 (finite variance);
 * `nu = Infinity` gives standard normal draws. Gamma variates by Marsaglia and Tsang (2000),
 * "A simple method for generating gamma variables" (valid for shape nu/2 >= 1, always the case here).
 * Allocation-free; randomness only from the `Rng` handed in.
 */
export class StandardizedStudentT {
  /** Degrees of freedom. */
  readonly nu: number;
  private readonly d: number;
  private readonly c: number;

  /** Validates `nu` (`ConfigError` naming `where.nu`). */
  constructor(nu: number, where = 'studentT') {
    validateNu(nu, `${where}.nu`);
    this.nu = nu;
    this.d = nu / 2 - 1 / 3;
    this.c = 1 / Math.sqrt(9 * this.d);
  }

  /** One draw with mean 0 and variance 1. */
  draw(rng: Rng): number {
    const z = rng.normal();
    if (this.nu === Infinity) return z;
    const v = 2 * gammaMarsagliaTsang(rng, this.d, this.c);
    return z * Math.sqrt((this.nu - 2) / v);
  }
}

/** Throws a `ConfigError` naming `path` unless `nu` > 2 (finite, or Infinity for normal draws). */
export function validateNu(nu: number, path: string): void {
  const issues: Issue[] = [];
  checkNu(issues, path, nu);
  throwIssues(issues, 'Student-t parameters');
}

/** Pushes an issue naming `path` unless `nu` > 2 (finite, or Infinity). Returns true when it is fine. */
export function checkNu(issues: Issue[], path: string, nu: number): boolean {
  if (nu === Infinity) return true;
  if (!checkNumber(issues, path, nu, 'any')) return false;
  if (nu > 2) return true;
  issues.push({ path, message: `degrees of freedom must be > 2 (finite variance), got ${nu}` });
  return false;
}
