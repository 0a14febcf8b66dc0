import type { Rng } from '../../core/rng.ts';
import { ConfigError } from '../../core/errors.ts';
import { checkNumber, throwIssues, type Issue } from './checks.ts';

/**
 * The Cholesky factor L (lower triangular, row-major n x n, C = L L^T) of a correlation matrix C.
 * C must be square, finite, symmetric (to 1e-12), with ones on the diagonal, entries in [-1, 1],
 * and positive definite; otherwise a `ConfigError` names the position (`correlation[2][0]`, or
 * for a matrix that is not positive definite the diagonal entry where the pivot went <= 0).
 */
export function cholesky(C: readonly (readonly number[])[], where = 'correlation'): Float64Array {
  const issues: Issue[] = [];
  const n = Array.isArray(C) ? C.length : 0;
  if (n === 0) throwIssues([{ path: where, message: 'must be a non-empty square matrix' }], 'correlation matrix');
  for (let i = 0; i < n; i++) {
    const row = C[i];
    if (!Array.isArray(row) || row.length !== n) issues.push({ path: `${where}[${i}]`, message: `must have ${n} entries (square matrix), got ${Array.isArray(row) ? row.length : typeof row}` });
  }
  throwIssues(issues, 'correlation matrix');
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = C[i]![j]!;
      if (!checkNumber(issues, `${where}[${i}][${j}]`, v, 'any')) continue;
      if (i === j && Math.abs(v - 1) > 1e-12) issues.push({ path: `${where}[${i}][${j}]`, message: `a correlation matrix has 1 on its diagonal, got ${v}` });
      else if (!(v >= -1 && v <= 1)) issues.push({ path: `${where}[${i}][${j}]`, message: `must be in [-1, 1], got ${v}` });
      else if (j < i && Number.isFinite(C[j]![i]) && Math.abs(v - C[j]![i]!) > 1e-12) {
        issues.push({ path: `${where}[${i}][${j}]`, message: `not symmetric: ${v} != ${where}[${j}][${i}] = ${C[j]![i]}` });
      }
    }
  }
  throwIssues(issues, 'correlation matrix');
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = C[j]![j]!;
    for (let k = 0; k < j; k++) d -= L[j * n + k]! * L[j * n + k]!;
    if (!(d > 1e-12)) {
      throw new ConfigError(
        [{ path: `${where}[${j}][${j}]`, message: `matrix is not positive definite: Cholesky pivot ${d} <= 0 at row ${j} (rows 0..${j} are linearly dependent or inconsistent)` }],
        'correlation matrix',
      );
    }
    const ljj = Math.sqrt(d);
    L[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = C[i]![j]!;
      for (let k = 0; k < j; k++) s -= L[i * n + k]! * L[j * n + k]!;
      L[i * n + j] = s / ljj;
    }
  }
  return L;
}

/**
 * Draws vectors of correlated standard normals Y = L Z (Z i.i.d. N(0, 1)), so Corr(Y_i, Y_j) = C[i][j].
 * `draw(out)` fills `out` (length n), allocating nothing.
 */
export class CorrelatedNormals {
  /** Dimension. */
  readonly n: number;
  /** The Cholesky factor, row-major. */
  readonly factor: Float64Array;
  private readonly z: Float64Array;

  /** Factors `correlation` (`ConfigError` naming the position when it is not a valid correlation matrix). */
  constructor(
    correlation: readonly (readonly number[])[],
    private readonly rng: Rng,
    where = 'correlation',
  ) {
    this.factor = cholesky(correlation, where);
    this.n = correlation.length;
    this.z = new Float64Array(this.n);
  }

  /** Fills `out[0..n)` with one correlated draw. */
  draw(out: Float64Array): void {
    const n = this.n;
    const L = this.factor;
    const z = this.z;
    for (let i = 0; i < n; i++) z[i] = this.rng.normal();
    for (let i = 0; i < n; i++) {
      let s = 0;
      const b = i * n;
      for (let k = 0; k <= i; k++) s += L[b + k]! * z[k]!;
      out[i] = s;
    }
  }
}

/** Several GBM assets whose log returns are correlated through a correlation matrix. */
export interface CorrelatedGbmParams {
  /** Initial prices (> 0), one per asset. */
  s0: readonly number[];
  /** Annual drifts of E[S] (E[S_i(t)] = s0_i e^(mu_i t)). */
  mu: readonly number[];
  /** Annual volatilities (>= 0). */
  sigma: readonly number[];
  /** Correlation matrix of the Brownian motions. */
  correlation: readonly (readonly number[])[];
}

/**
 * Defaults: three assets at 100 with drift 5%, volatilities 20%, 25% and 30%, and pairwise correlations
 * 0.6, 0.4 and 0.5 (illustrative, of the size seen between large equity indices and sectors).
 */
export const DEFAULT_CORRELATED_GBM: CorrelatedGbmParams = {
  s0: [100, 100, 100],
  mu: [0.05, 0.05, 0.05],
  sigma: [0.2, 0.25, 0.3],
  correlation: [
    [1, 0.6, 0.4],
    [0.6, 1, 0.5],
    [0.4, 0.5, 1],
  ],
};

/**
 * Streams correlated GBM log prices with the exact scheme x_i' = x_i + (mu_i - sigma_i^2/2) dt +
 * sigma_i sqrt(dt) Y_i, Y = L Z. After `step()`, `x` holds the log prices and `r` the log returns.
 */
export class CorrelatedGbmStepper {
  /** Log prices. */
  readonly x: Float64Array;
  /** Log returns of the last step. */
  readonly r: Float64Array;
  private readonly y: Float64Array;
  private readonly drift: Float64Array;
  private readonly vol: Float64Array;
  private readonly normals: CorrelatedNormals;

  /** Validates every array (`ConfigError` naming `correlatedGbm.sigma[1]` or the matrix position). */
  constructor(
    private readonly p: CorrelatedGbmParams,
    dt: number,
    rng: Rng,
  ) {
    const where = 'correlatedGbm';
    const issues: Issue[] = [];
    checkNumber(issues, `${where}.dt`, dt, 'positive');
    const n = Array.isArray(p.s0) ? p.s0.length : 0;
    if (n === 0) issues.push({ path: `${where}.s0`, message: 'must be a non-empty array' });
    for (const [key, rule] of [['s0', 'positive'], ['mu', 'any'], ['sigma', 'nonnegative']] as const) {
      const arr = p[key];
      if (!Array.isArray(arr) || arr.length !== n) {
        issues.push({ path: `${where}.${key}`, message: `must be an array of ${n} numbers (one per asset)` });
        continue;
      }
      for (let i = 0; i < n; i++) checkNumber(issues, `${where}.${key}[${i}]`, arr[i], rule);
    }
    if (!Array.isArray(p.correlation) || p.correlation.length !== n) issues.push({ path: `${where}.correlation`, message: `must be ${n}x${n} (one row per asset)` });
    throwIssues(issues, `${where} parameters`);
    this.normals = new CorrelatedNormals(p.correlation, rng, `${where}.correlation`);
    this.x = new Float64Array(n);
    this.r = new Float64Array(n);
    this.y = new Float64Array(n);
    this.drift = new Float64Array(n);
    this.vol = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      this.drift[i] = (p.mu[i]! - (p.sigma[i]! * p.sigma[i]!) / 2) * dt;
      this.vol[i] = p.sigma[i]! * Math.sqrt(dt);
    }
    this.reset();
  }

  /** Advances every asset one step. */
  step(): void {
    this.normals.draw(this.y);
    for (let i = 0; i < this.x.length; i++) {
      const r = this.drift[i]! + this.vol[i]! * this.y[i]!;
      this.r[i] = r;
      this.x[i]! += r;
    }
  }

  /** Restarts at s0 (the random stream goes on). */
  reset(): void {
    for (let i = 0; i < this.x.length; i++) {
      this.x[i] = Math.log(this.p.s0[i]!);
      this.r[i] = 0;
    }
  }
}
