import { ConfigError } from '../../../core/errors.ts';
import type { Rng } from '../../../core/rng.ts';
import type { CurveDynamics } from './curve-dynamics.ts';
import { checkNumber, checkStep, throwIfIssues, type ParamIssue } from './params.ts';

/**
 * Dynamic Nelson-Siegel (Diebold and Li 2006, "Forecasting the term structure of government bond
 * yields", Journal of Econometrics 130, 337-364). The zero yield at maturity tau is
 *
 *     y(tau) = L + S (1 - e^(-lambda tau)) / (lambda tau) + C ((1 - e^(-lambda tau)) / (lambda tau) - e^(-lambda tau))
 *
 * with level L, slope S and curvature C (y(0) = L + S, y(inf) = L). Diebold and Li fix
 * lambda = 0.0609 with tau in MONTHS (the curvature loading peaks at 30 months); here tau is in years,
 * so the default is lambda = 0.0609 * 12 = 0.7308 per year (the same curve).
 *
 * The factors follow correlated Ornstein-Uhlenbeck processes, the continuous-time form of their
 * AR(1)/VAR(1) dynamics: dX_i = kappa_i (mu_i - X_i) dt + sigma_i dW_i, d<W_i, W_j> = rho_ij dt.
 * Stepped exactly for any dt: X' = mu + e^(-kappa dt) (X - mu) + eps, eps ~ N(0, Sigma(dt)),
 * Sigma_ij(dt) = rho_ij sigma_i sigma_j (1 - e^(-(kappa_i + kappa_j) dt)) / (kappa_i + kappa_j)
 * (Cholesky factor cached per step length). A monthly AR(1) coefficient phi maps to kappa = -12 ln phi.
 * Stationary law: mean mu, covariance rho_ij sigma_i sigma_j / (kappa_i + kappa_j).
 *
 * Yields are continuously compounded decimals (Diebold and Li's are percent).
 */

/** Parameters of the dynamic Nelson-Siegel model (years, decimals). */
export interface DnsParams {
  /** Decay lambda per YEAR (Diebold-Li's 0.0609 per month = 0.7308 per year). */
  lambda: number;
  /** Long-run means of level, slope, curvature (decimals). */
  mean: [number, number, number];
  /** Mean-reversion speeds kappa > 0 per year. */
  kappa: [number, number, number];
  /** Volatilities sigma >= 0 per sqrt(year). */
  sigma: [number, number, number];
  /** Correlations [rho_LS, rho_LC, rho_SC] of the factor shocks (the matrix must be positive semi-definite). */
  correlation: [number, number, number];
  /** Initial factors (default: the means). */
  initial?: [number, number, number];
}

/**
 * Defaults. lambda: Diebold and Li (2006), 0.0609 per month. The rest is illustrative: means give a
 * mildly upward curve (short end 4.0%, long end 4.5%); monthly AR(1) coefficients 0.99, 0.98 and 0.90
 * (kappa = -12 ln phi: persistent level and slope, faster curvature, the pattern Diebold and Li
 * report); stationary standard deviations 1.5, 1.5 and 2.0 percentage points; slope shocks weakly
 * negatively correlated with the level and positively with the curvature.
 */
export const DEFAULT_DNS: Readonly<DnsParams> = Object.freeze({
  lambda: 0.0609 * 12,
  mean: [0.045, -0.005, 0] as [number, number, number],
  kappa: [-12 * Math.log(0.99), -12 * Math.log(0.98), -12 * Math.log(0.9)] as [number, number, number],
  sigma: [
    0.015 * Math.sqrt(2 * -12 * Math.log(0.99)),
    0.015 * Math.sqrt(2 * -12 * Math.log(0.98)),
    0.02 * Math.sqrt(2 * -12 * Math.log(0.9)),
  ] as [number, number, number],
  correlation: [-0.2, 0, 0.3] as [number, number, number],
});

/** Completes and validates DNS parameters; throws ConfigError naming `path.field[i]`. */
export function resolveDns(p: Partial<DnsParams> = {}, path = 'dns'): DnsParams {
  const r: DnsParams = { ...DEFAULT_DNS, ...p };
  const issues: ParamIssue[] = [];
  checkNumber(issues, `${path}.lambda`, r.lambda, 'positive');
  const triple = (name: string, v: unknown, rule: 'any' | 'positive' | 'nonnegative'): void => {
    if (!Array.isArray(v) || v.length !== 3) {
      issues.push({ path: `${path}.${name}`, message: `expected 3 numbers, got ${JSON.stringify(v)}` });
      return;
    }
    v.forEach((x, i) => checkNumber(issues, `${path}.${name}[${i}]`, x, rule));
  };
  triple('mean', r.mean, 'any');
  triple('kappa', r.kappa, 'positive');
  triple('sigma', r.sigma, 'nonnegative');
  triple('correlation', r.correlation, 'any');
  if (r.initial !== undefined) triple('initial', r.initial, 'any');
  if (Array.isArray(r.correlation)) {
    r.correlation.forEach((c, i) => {
      if (typeof c === 'number' && !(c >= -1 && c <= 1)) issues.push({ path: `${path}.correlation[${i}]`, message: `must be in [-1, 1], got ${c}` });
    });
  }
  throwIfIssues(issues, 'dynamic Nelson-Siegel parameters');
  const [a, b, c] = r.correlation;
  // det of [[1,a,b],[a,1,c],[b,c,1]] >= 0 (with |a|,|b|,|c| <= 1) is positive semi-definiteness.
  if (1 + 2 * a * b * c - a * a - b * b - c * c < -1e-12) {
    throw new ConfigError([{ path: `${path}.correlation`, message: `[${r.correlation.join(', ')}] is not a valid correlation matrix (not positive semi-definite)` }], 'dynamic Nelson-Siegel parameters');
  }
  return r;
}

/** Nelson-Siegel slope and curvature loadings at maturity tau (years) for decay lambda (per year). */
export function nelsonSiegelLoadings(lambda: number, tau: number): { slope: number; curvature: number } {
  if (tau <= 0) return { slope: 1, curvature: 0 };
  const x = lambda * tau;
  const s = -Math.expm1(-x) / x;
  return { slope: s, curvature: s - Math.exp(-x) };
}

/** Seeded dynamic Nelson-Siegel curve simulator (see the module comment). */
export class DynamicNelsonSiegel implements CurveDynamics {
  readonly name = 'dynamic-nelson-siegel';
  readonly params: DnsParams;
  time = 0;
  /** Current factors [level, slope, curvature] (decimals). Read-only for callers. */
  readonly factors = new Float64Array(3);
  private readonly rng: Rng;
  private h = NaN;
  private readonly decay = new Float64Array(3);
  private readonly chol = new Float64Array(9);
  private readonly cov = new Float64Array(9);

  constructor(params: Partial<DnsParams>, rng: Rng) {
    this.params = resolveDns(params);
    this.rng = rng;
    this.reset();
  }

  /** Level L. */
  get level(): number {
    return this.factors[0]!;
  }
  /** Slope S (y(0) - y(inf)). */
  get slope(): number {
    return this.factors[1]!;
  }
  /** Curvature C. */
  get curvature(): number {
    return this.factors[2]!;
  }

  step(dt: number): void {
    checkStep(dt);
    if (dt !== this.h) this.prepare(dt);
    const f = this.factors;
    const m = this.params.mean;
    const z0 = this.rng.normal();
    const z1 = this.rng.normal();
    const z2 = this.rng.normal();
    const L = this.chol;
    f[0] = m[0] + this.decay[0]! * (f[0]! - m[0]) + L[0]! * z0;
    f[1] = m[1] + this.decay[1]! * (f[1]! - m[1]) + L[3]! * z0 + L[4]! * z1;
    f[2] = m[2] + this.decay[2]! * (f[2]! - m[2]) + L[6]! * z0 + L[7]! * z1 + L[8]! * z2;
    this.time += dt;
  }

  zeroYield(tau: number): number {
    if (!(tau >= 0)) throw new RangeError(`maturity tau must be >= 0 years, got ${tau}`);
    const f = this.factors;
    if (tau === 0) return f[0]! + f[1]!;
    const x = this.params.lambda * tau;
    const s = -Math.expm1(-x) / x;
    return f[0]! + f[1]! * s + f[2]! * (s - Math.exp(-x));
  }

  discount(tau: number): number {
    return Math.exp(-this.zeroYield(tau) * tau);
  }

  /** The short end (L + S) moves by shortBp, the long end (L) by longBp: dL = longBp, dS = shortBp - longBp. */
  shock(shortBp: number, longBp: number): void {
    this.factors[0] = this.factors[0]! + longBp / 10_000;
    this.factors[1] = this.factors[1]! + (shortBp - longBp) / 10_000;
  }

  reset(): void {
    const init = this.params.initial ?? this.params.mean;
    this.factors[0] = init[0];
    this.factors[1] = init[1];
    this.factors[2] = init[2];
    this.time = 0;
  }

  /** Stationary covariance of the factors (row-major 3x3): rho_ij sigma_i sigma_j / (kappa_i + kappa_j). */
  stationaryCovariance(): number[] {
    const out: number[] = [];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) out.push((this.rho(i, j) * this.params.sigma[i]! * this.params.sigma[j]!) / (this.params.kappa[i]! + this.params.kappa[j]!));
    return out;
  }

  private rho(i: number, j: number): number {
    if (i === j) return 1;
    const [ls, lc, sc] = this.params.correlation;
    const k = i + j; // (0,1) -> 1, (0,2) -> 2, (1,2) -> 3
    return k === 1 ? ls : k === 2 ? lc : sc;
  }

  private prepare(dt: number): void {
    const { kappa, sigma } = this.params;
    this.h = dt;
    const S = this.cov;
    for (let i = 0; i < 3; i++) {
      this.decay[i] = Math.exp(-kappa[i]! * dt);
      for (let j = 0; j < 3; j++) {
        const k = kappa[i]! + kappa[j]!;
        S[i * 3 + j] = (this.rho(i, j) * sigma[i]! * sigma[j]! * -Math.expm1(-k * dt)) / k;
      }
    }
    // Cholesky (lower), tolerant of a semi-definite matrix (zero pivots give zero columns).
    const L = this.chol;
    L.fill(0);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j <= i; j++) {
        let s = S[i * 3 + j]!;
        for (let k = 0; k < j; k++) s -= L[i * 3 + k]! * L[j * 3 + k]!;
        if (i === j) L[i * 3 + i] = Math.sqrt(Math.max(0, s));
        else L[i * 3 + j] = L[j * 3 + j]! > 0 ? s / L[j * 3 + j]! : 0;
      }
    }
  }
}
