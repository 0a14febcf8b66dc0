import { ConfigError } from '../../core/errors.ts';

/**
 * Parameters of the price models, all annualised (time in years). `s0` spot, `r` continuously
 * compounded risk-free rate, `q` continuous dividend (or carry) yield.
 */
export interface MarketParams {
  s0: number;
  r: number;
  q: number;
}

/** Geometric Brownian motion: dS/S = (r - q) dt + sigma dW. */
export interface GbmParams extends MarketParams {
  sigma: number;
}

/** Log-normal jumps J with ln(1 + J) ~ N(muJ, deltaJ^2) arriving at rate `lambda` per year. */
export interface JumpParams {
  lambda: number;
  muJ: number;
  deltaJ: number;
}

/** Merton (1976) jump diffusion: GBM plus compensated log-normal jumps. */
export interface MertonParams extends GbmParams, JumpParams {}

/**
 * Heston (1993) stochastic volatility: dS/S = (r - q) dt + sqrt(v) dW1,
 * dv = kappa (theta - v) dt + sigma sqrt(v) dW2, d<W1, W2> = rho dt.
 */
export interface HestonParams extends MarketParams {
  v0: number;
  kappa: number;
  theta: number;
  sigma: number;
  rho: number;
}

/** Bates (1996): Heston plus Merton's log-normal jumps. */
export interface BatesParams extends HestonParams, JumpParams {}

type Issue = { path: string; message: string };

function finite(issues: Issue[], p: Record<string, unknown>, key: string, rule: 'any' | 'positive' | 'nonnegative', where: string): void {
  const v = p[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    issues.push({ path: `${where}.${key}`, message: `expected a finite number, got ${JSON.stringify(v)}` });
    return;
  }
  if (rule === 'positive' && !(v > 0)) issues.push({ path: `${where}.${key}`, message: `must be > 0, got ${v}` });
  if (rule === 'nonnegative' && !(v >= 0)) issues.push({ path: `${where}.${key}`, message: `must be >= 0, got ${v}` });
}

function market(issues: Issue[], p: Record<string, unknown>, where: string): void {
  finite(issues, p, 's0', 'positive', where);
  finite(issues, p, 'r', 'any', where);
  finite(issues, p, 'q', 'any', where);
}

function jumps(issues: Issue[], p: Record<string, unknown>, where: string): void {
  finite(issues, p, 'lambda', 'nonnegative', where);
  finite(issues, p, 'muJ', 'any', where);
  finite(issues, p, 'deltaJ', 'nonnegative', where);
}

function heston(issues: Issue[], p: Record<string, unknown>, where: string): void {
  finite(issues, p, 'v0', 'nonnegative', where);
  finite(issues, p, 'kappa', 'positive', where);
  finite(issues, p, 'theta', 'positive', where);
  finite(issues, p, 'sigma', 'positive', where);
  finite(issues, p, 'rho', 'any', where);
  const rho = p.rho;
  if (typeof rho === 'number' && Number.isFinite(rho) && !(rho >= -1 && rho <= 1)) issues.push({ path: `${where}.rho`, message: `must be in [-1, 1], got ${rho}` });
}

function done(issues: Issue[], where: string): void {
  if (issues.length > 0) throw new ConfigError(issues, `${where} parameters`);
}

/** Throws a `ConfigError` naming each bad field of GBM parameters (`gbm.sigma: must be >= 0`). */
export function validateGbm(p: GbmParams, where = 'gbm'): void {
  const issues: Issue[] = [];
  const r = p as unknown as Record<string, unknown>;
  market(issues, r, where);
  finite(issues, r, 'sigma', 'nonnegative', where);
  done(issues, where);
}

/** Throws a `ConfigError` naming each bad field of Merton parameters. */
export function validateMerton(p: MertonParams, where = 'merton'): void {
  const issues: Issue[] = [];
  const r = p as unknown as Record<string, unknown>;
  market(issues, r, where);
  finite(issues, r, 'sigma', 'nonnegative', where);
  jumps(issues, r, where);
  done(issues, where);
}

/** Throws a `ConfigError` naming each bad field of Heston parameters. */
export function validateHeston(p: HestonParams, where = 'heston'): void {
  const issues: Issue[] = [];
  const r = p as unknown as Record<string, unknown>;
  market(issues, r, where);
  heston(issues, r, where);
  done(issues, where);
}

/** Throws a `ConfigError` naming each bad field of Bates parameters. */
export function validateBates(p: BatesParams, where = 'bates'): void {
  const issues: Issue[] = [];
  const r = p as unknown as Record<string, unknown>;
  market(issues, r, where);
  heston(issues, r, where);
  jumps(issues, r, where);
  done(issues, where);
}

/** Throws a `ConfigError` unless `T` (years) is finite and > 0 and `K` finite and > 0. */
export function validateOption(K: number, T: number, where = 'option'): void {
  const issues: Issue[] = [];
  if (!(Number.isFinite(K) && K > 0)) issues.push({ path: `${where}.strike`, message: `must be a finite number > 0, got ${K}` });
  if (!(Number.isFinite(T) && T > 0)) issues.push({ path: `${where}.maturity`, message: `must be a finite number of years > 0, got ${T}` });
  done(issues, where);
}

/** `true` when 2 kappa theta >= sigma^2: the variance never reaches zero (Feller condition). */
export function fellerHolds(p: HestonParams): boolean {
  return 2 * p.kappa * p.theta >= p.sigma * p.sigma;
}

/** Black-Scholes defaults: S0 100, r 5%, q 0, sigma 20% (illustrative textbook values). */
export const DEFAULT_GBM: GbmParams = { s0: 100, r: 0.05, q: 0, sigma: 0.2 };

/**
 * Heston defaults: Bakshi, Cao and Chen (1997), "Empirical performance of alternative option
 * pricing models", Journal of Finance 52(5), the SV estimates as quoted by Andersen (2008):
 * kappa 1.15, theta 0.04, sigma 0.39, rho -0.64, v0 0.04 (2 kappa theta = 0.092 < sigma^2 = 0.1521:
 * the Feller condition is broken).
 */
export const DEFAULT_HESTON: HestonParams = { s0: 100, r: 0.05, q: 0, v0: 0.04, kappa: 1.15, theta: 0.04, sigma: 0.39, rho: -0.64 };

/** Merton defaults: sigma 20%, one jump a year, mean log jump -10%, jump volatility 15% (illustrative). */
export const DEFAULT_MERTON: MertonParams = { s0: 100, r: 0.05, q: 0, sigma: 0.2, lambda: 1, muJ: -0.1, deltaJ: 0.15 };

/**
 * Bates defaults: the Heston defaults above with jumps of the size Bakshi, Cao and Chen (1997)
 * report for their SVJ model (lambda 0.59, mean log jump -0.05, jump volatility 0.07).
 */
export const DEFAULT_BATES: BatesParams = { ...DEFAULT_HESTON, lambda: 0.59, muJ: -0.05, deltaJ: 0.07 };
