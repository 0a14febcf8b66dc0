/**
 * Parameters of the built-in agents and their RMSC04 defaults, converted from ABIDES units (nanoseconds,
 * cents) to ours (microseconds, price units; one price unit is one cent for an instrument quoted to the
 * cent). Every default names its source in docs/agents.md ("Defaults and their source").
 */
import { checkNumber, type Issue } from '../checks.ts';
import type { OracleParams } from './oracle.ts';

/** Noise traders (abides-markets `NoiseAgent`): one marketable order each, at a uniformly random time. */
export interface NoiseParams {
  /** Number of noise agents (RMSC04: 1,000). */
  count: number;
  /** Wake times are uniform in [open - leadUs, close]; those before the open act at the open (RMSC04: 30 minutes). */
  leadUs: number;
}

/** Value traders (abides-markets `ValueAgent`): Bayesian estimate of a noisily observed fundamental. */
export interface ValueParams {
  /** Number of value agents (RMSC04: 102). */
  count: number;
  /** Wake-up rate per microsecond, exponential gaps (RMSC04 lambda_a 5.7e-12 per ns = 5.7e-9 per us: mean 175 s). */
  lambda: number;
  /** Observation noise variance, price units squared (RMSC04: r_bar / 100 = 1,000). */
  sigmaN: number;
  /** The agent's belief of the mean-reversion rate, per microsecond (RMSC04 kappa 1.67e-15 per ns = 1.67e-12 per us). */
  kappa: number;
  /** The agent's belief of the shock variance rate, price units squared per microsecond (ABIDES default sigma_s 100,000 per ns = 1e8 per us). */
  sigmaS: number;
  /** Probability of crossing the spread (ABIDES `percent_aggr`: 0.1). */
  percentAggressive: number;
  /** Passive orders are placed up to depthSpread * spread from the opposite best (ABIDES `depth_spread`: 2). */
  depthSpread: number;
}

/** Momentum traders (abides-markets `MomentumAgent`): short vs long moving average of the mid. */
export interface MomentumParams {
  /** Number of momentum agents (RMSC04: 12). */
  count: number;
  /** Mean wake-up interval, microseconds, exponential gaps (RMSC04: 37 s, Poisson arrivals). */
  meanWakeUs: number;
  /** Short window, in observations (ABIDES: 20). */
  shortWindow: number;
  /** Long window, in observations (ABIDES: 50). */
  longWindow: number;
}

/** Adaptive POV market makers (abides-markets `AdaptiveMarketMakerAgent`). */
export interface MarketMakerParams {
  /** Number of market makers (RMSC04: 2). */
  count: number;
  /** Size at each level = pov * volume traded during the last wake interval (RMSC04: 0.025). */
  pov: number;
  /** Smallest size placed at a level, lots (RMSC04: 1). */
  minOrderSize: number;
  /** Levels quoted on each side (RMSC04 num_ticks: 10). */
  numTicks: number;
  /** Mean wake-up interval, microseconds, exponential gaps (RMSC04: 60 s, Poisson arrivals). */
  meanWakeUs: number;
  /** Distance between the innermost bid and ask in ticks, or 'adaptive' (EWMA of the spread) (RMSC04: 'adaptive'). */
  windowSize: number | 'adaptive';
  /** Level spacing as a multiple of the window (RMSC04: 5). */
  levelSpacing: number;
  /** Weight of the newest spread in the EWMA (RMSC04: 0.75). */
  spreadAlpha: number;
  /** The ladder's centre moves by priceSkew * trade imbalance ticks (RMSC04: 4). */
  priceSkew: number;
  /** Inventory skew beta of the size split (0 ignores inventory; RMSC04: 0). */
  skewBeta: number;
  /** Hard limit on |position| in lots, counting open orders: never exceeded (ours; default: none). */
  maxInventory: number;
  /** Top-of-book imbalance that triggers an immediate requote (ABIDES `min_imbalance`: 0.9; 1 or more disables). */
  minImbalance: number;
  /** Spread estimate before the first observation, ticks (ABIDES INITIAL_SPREAD_VALUE: 50). */
  initialSpread: number;
}

/** RMSC04's noise agents. */
export const RMSC04_NOISE: Readonly<NoiseParams> = Object.freeze({ count: 1000, leadUs: 30 * 60_000_000 });
/** RMSC04's value agents (units converted: rates per ns times 1,000 give rates per us). */
export const RMSC04_VALUE: Readonly<ValueParams> = Object.freeze({ count: 102, lambda: 5.7e-9, sigmaN: 1000, kappa: 1.67e-12, sigmaS: 1e8, percentAggressive: 0.1, depthSpread: 2 });
/** RMSC04's momentum agents. */
export const RMSC04_MOMENTUM: Readonly<MomentumParams> = Object.freeze({ count: 12, meanWakeUs: 37_000_000, shortWindow: 20, longWindow: 50 });
/** RMSC04's adaptive market makers. */
export const RMSC04_MARKET_MAKER: Readonly<MarketMakerParams> = Object.freeze({
  count: 2,
  pov: 0.025,
  minOrderSize: 1,
  numTicks: 10,
  meanWakeUs: 60_000_000,
  windowSize: 'adaptive',
  levelSpacing: 5,
  spreadAlpha: 0.75,
  priceSkew: 4,
  skewBeta: 0,
  maxInventory: Infinity,
  minImbalance: 0.9,
  initialSpread: 50,
});
/**
 * RMSC04's fundamental (`SparseMeanRevertingOracle`): r_bar 100,000 cents, kappa 1.67e-16 per ns, fund_vol
 * 5e-5 per sqrt(ns), megashock rate 2.77778e-18 per ns, mean 1,000, variance 50,000 — in microseconds.
 */
export const RMSC04_ORACLE: Readonly<OracleParams> = Object.freeze({
  rBar: 100_000,
  kappa: 1.67e-13,
  sigma: 5e-5 * Math.sqrt(1000),
  megashockRate: 2.77778e-15,
  megashockMean: 1000,
  megashockVar: 50_000,
});

/** A value for an error message (numbers as written, NaN included). */
function fmtValue(v: unknown): string {
  return typeof v === 'number' ? String(v) : JSON.stringify(v);
}

function checkCount(issues: Issue[], path: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) issues.push({ path, message: `must be an integer >= 0, got ${fmtValue(v)}` });
}

/** Validates noise parameters under `prefix`. */
export function validateNoise(p: NoiseParams, prefix: string, issues: Issue[]): void {
  checkCount(issues, `${prefix}.count`, p.count);
  checkNumber(issues, `${prefix}.leadUs`, p.leadUs, 'nonnegative');
}

/** Validates value-agent parameters under `prefix`. */
export function validateValue(p: ValueParams, prefix: string, issues: Issue[]): void {
  checkCount(issues, `${prefix}.count`, p.count);
  checkNumber(issues, `${prefix}.lambda`, p.lambda, 'positive');
  checkNumber(issues, `${prefix}.sigmaN`, p.sigmaN, 'nonnegative');
  checkNumber(issues, `${prefix}.kappa`, p.kappa, 'positive');
  checkNumber(issues, `${prefix}.sigmaS`, p.sigmaS, 'nonnegative');
  checkNumber(issues, `${prefix}.percentAggressive`, p.percentAggressive, 'probability');
  checkNumber(issues, `${prefix}.depthSpread`, p.depthSpread, 'nonnegative');
}

/** Validates momentum parameters under `prefix`. */
export function validateMomentum(p: MomentumParams, prefix: string, issues: Issue[]): void {
  checkCount(issues, `${prefix}.count`, p.count);
  checkNumber(issues, `${prefix}.meanWakeUs`, p.meanWakeUs, 'positive');
  for (const k of ['shortWindow', 'longWindow'] as const) {
    const v = p[k];
    if (!(Number.isSafeInteger(v) && v >= 1)) issues.push({ path: `${prefix}.${k}`, message: `must be an integer >= 1, got ${fmtValue(v)}` });
  }
  if (p.shortWindow > p.longWindow) issues.push({ path: `${prefix}.shortWindow`, message: `must be <= longWindow (${p.longWindow}), got ${p.shortWindow}` });
}

/** Validates market-maker parameters under `prefix`. */
export function validateMarketMaker(p: MarketMakerParams, prefix: string, issues: Issue[]): void {
  checkCount(issues, `${prefix}.count`, p.count);
  checkNumber(issues, `${prefix}.pov`, p.pov, 'nonnegative');
  if (!(Number.isSafeInteger(p.minOrderSize) && p.minOrderSize >= 1)) issues.push({ path: `${prefix}.minOrderSize`, message: `must be an integer >= 1, got ${fmtValue(p.minOrderSize)}` });
  if (!(Number.isSafeInteger(p.numTicks) && p.numTicks >= 1)) issues.push({ path: `${prefix}.numTicks`, message: `must be an integer >= 1, got ${fmtValue(p.numTicks)}` });
  checkNumber(issues, `${prefix}.meanWakeUs`, p.meanWakeUs, 'positive');
  if (p.windowSize !== 'adaptive') checkNumber(issues, `${prefix}.windowSize`, p.windowSize, 'nonnegative');
  checkNumber(issues, `${prefix}.levelSpacing`, p.levelSpacing, 'positive');
  checkNumber(issues, `${prefix}.spreadAlpha`, p.spreadAlpha, 'probability');
  checkNumber(issues, `${prefix}.priceSkew`, p.priceSkew, 'nonnegative');
  checkNumber(issues, `${prefix}.skewBeta`, p.skewBeta, 'nonnegative');
  if (!(p.maxInventory === Infinity || (Number.isSafeInteger(p.maxInventory) && p.maxInventory >= 0))) issues.push({ path: `${prefix}.maxInventory`, message: `must be an integer >= 0 or Infinity, got ${fmtValue(p.maxInventory)}` });
  checkNumber(issues, `${prefix}.minImbalance`, p.minImbalance, 'nonnegative');
  checkNumber(issues, `${prefix}.initialSpread`, p.initialSpread, 'positive');
}
