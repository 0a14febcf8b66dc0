import type { Rng } from '../../core/rng.ts';
import { checkNumber, throwIssues, type Issue } from './checks.ts';

/** One regime's log-normal returns: annual drift `mu` of E[S] and annual volatility `sigma`. */
export interface Regime {
  /** A label, e.g. `calm`. */
  name: string;
  /** Annual drift (E[S] grows as e^(mu t) inside the regime). */
  mu: number;
  /** Annual volatility (>= 0). */
  sigma: number;
}

/**
 * A Markov regime-switching log-normal model (Hamilton 1989): the regime s_t is a Markov chain with
 * per-step transition matrix P (P[i][j] = Pr(s_{t+1} = j | s_t = i), rows sum to 1), and the log
 * return of a step of `dt` years in regime i is (mu_i - sigma_i^2/2) dt + sigma_i sqrt(dt) Z.
 */
export interface RegimeParams {
  /** The regimes. */
  regimes: readonly Regime[];
  /** Per-step transition matrix, `regimes.length` square, rows summing to 1 (within 1e-9). */
  transition: readonly (readonly number[])[];
  /** Regime at the start (index; default 0). */
  initial?: number;
}

/**
 * Defaults for daily steps (dt = 1/252): calm (mu 12%, sigma 10%), volatile (mu 0, sigma 25%) and
 * crash (mu -150%, sigma 60%), with expected stays of 1/(1 - P[i][i]) = 100, 25 and 5 days. The
 * stationary shares are about 72% calm, 24% volatile, 4% crash. Illustrative values in the spirit of
 * the two- and three-state fits of equity returns (Hamilton 1989; Ang and Bekaert 2002: a calm,
 * low-volatility regime that lasts, a volatile one with lower mean), not the estimate of one paper.
 */
export const DEFAULT_REGIMES: RegimeParams = {
  regimes: [
    { name: 'calm', mu: 0.12, sigma: 0.1 },
    { name: 'volatile', mu: 0, sigma: 0.25 },
    { name: 'crash', mu: -1.5, sigma: 0.6 },
  ],
  transition: [
    [0.99, 0.009, 0.001],
    [0.03, 0.96, 0.01],
    [0.05, 0.15, 0.8],
  ],
};

/** Throws a `ConfigError` naming each bad entry (`regime.transition[1][2]`, `regime.regimes[0].sigma`). */
export function validateRegimes(p: RegimeParams, where = 'regime'): void {
  const issues: Issue[] = [];
  const n = Array.isArray(p.regimes) ? p.regimes.length : 0;
  if (n === 0) issues.push({ path: `${where}.regimes`, message: 'must be a non-empty array' });
  for (let i = 0; i < n; i++) {
    const r = p.regimes[i]!;
    checkNumber(issues, `${where}.regimes[${i}].mu`, r.mu, 'any');
    checkNumber(issues, `${where}.regimes[${i}].sigma`, r.sigma, 'nonnegative');
  }
  const P = p.transition;
  if (!Array.isArray(P) || P.length !== n) {
    issues.push({ path: `${where}.transition`, message: `must be a ${n}x${n} matrix (one row per regime), got ${Array.isArray(P) ? P.length : typeof P} rows` });
  } else {
    for (let i = 0; i < n; i++) {
      const row = P[i];
      if (!Array.isArray(row) || row.length !== n) {
        issues.push({ path: `${where}.transition[${i}]`, message: `must have ${n} entries, got ${Array.isArray(row) ? row.length : typeof row}` });
        continue;
      }
      let sum = 0;
      let ok = true;
      for (let j = 0; j < n; j++) {
        if (checkNumber(issues, `${where}.transition[${i}][${j}]`, row[j], 'probability')) sum += row[j] as number;
        else ok = false;
      }
      if (ok && Math.abs(sum - 1) > 1e-9) issues.push({ path: `${where}.transition[${i}]`, message: `row must sum to 1, sums to ${sum}` });
    }
  }
  const init = p.initial ?? 0;
  if (!(Number.isInteger(init) && init >= 0 && init < n)) issues.push({ path: `${where}.initial`, message: `must be a regime index in [0, ${n}), got ${init}` });
  throwIssues(issues, `${where} parameters`);
}

/**
 * The stationary distribution pi (pi P = pi, sum pi = 1) of a validated transition matrix, by Gaussian
 * elimination with partial pivoting on (P^T - I) with one equation replaced by sum pi = 1. Assumes the
 * chain has a unique stationary law (irreducible); throws a `RangeError` when the system is singular.
 */
export function stationaryDistribution(P: readonly (readonly number[])[]): Float64Array {
  const n = P.length;
  const a: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    for (let j = 0; j < n; j++) row.push(P[j]![i]! - (i === j ? 1 : 0));
    row.push(0);
    a.push(row);
  }
  for (let j = 0; j <= n; j++) a[n - 1]![j] = 1;
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[piv]![c]!)) piv = r;
    if (Math.abs(a[piv]![c]!) < 1e-14) throw new RangeError('transition matrix has no unique stationary distribution (reducible chain)');
    [a[c], a[piv]] = [a[piv]!, a[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r]![c]! / a[c]![c]!;
      if (f !== 0) for (let k = c; k <= n; k++) a[r]![k]! -= f * a[c]![k]!;
    }
  }
  const pi = new Float64Array(n);
  for (let i = 0; i < n; i++) pi[i] = a[i]![n]! / a[i]![i]!;
  return pi;
}

/**
 * Streams regime-switching log returns, one step of `dt` years per `step()`, allocating nothing.
 * Each step draws the return in the current regime (one normal), then the next regime (one uniform
 * against the cumulative row of P). After a step `regime` is the regime the return was drawn in.
 */
export class RegimeSwitchingStepper {
  /** Regime of the last return (before the first step: the initial regime). */
  regime: number;
  /** Log price (starts at 0). */
  x = 0;
  private next: number;
  private readonly n: number;
  private readonly cum: Float64Array;
  private readonly drift: Float64Array;
  private readonly vol: Float64Array;

  /** Validates `p` and `dt` (`ConfigError` naming the entry). */
  constructor(
    private readonly p: RegimeParams,
    dt: number,
    private readonly rng: Rng,
  ) {
    validateRegimes(p);
    const issues: Issue[] = [];
    checkNumber(issues, 'regime.dt', dt, 'positive');
    throwIssues(issues, 'regime stepper');
    const n = (this.n = p.regimes.length);
    this.cum = new Float64Array(n * n);
    this.drift = new Float64Array(n);
    this.vol = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let c = 0;
      for (let j = 0; j < n; j++) this.cum[i * n + j] = c += p.transition[i]![j]!;
      this.cum[i * n + n - 1] = Infinity; // rounding never leaves a row
      const r = p.regimes[i]!;
      this.drift[i] = (r.mu - (r.sigma * r.sigma) / 2) * dt;
      this.vol[i] = r.sigma * Math.sqrt(dt);
    }
    this.regime = this.next = p.initial ?? 0;
  }

  /** Draws one log return in the current regime, then switches; returns the log return. */
  step(): number {
    const i = (this.regime = this.next);
    const r = this.drift[i]! + this.vol[i]! * this.rng.normal();
    this.x += r;
    const u = this.rng.next();
    const base = i * this.n;
    let j = 0;
    while (u >= this.cum[base + j]!) j++;
    this.next = j;
    return r;
  }

  /** Restarts at the initial regime and log price 0 (the random stream goes on). */
  reset(): void {
    this.regime = this.next = this.p.initial ?? 0;
    this.x = 0;
  }
}
