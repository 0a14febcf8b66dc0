/**
 * Performance statistics of a finished run: returns, risk, drawdowns and trade figures from an
 * equity curve and the closed trades. Every formula, and every edge case (`NaN` where a figure is
 * undefined), is written down in docs/statistics.md. Sums use `fsum` (exactly rounded), so results
 * do not depend on summation order.
 */
import { MarketsimError } from '../core/errors.ts';
import { fsum } from '../core/fsum.ts';
import { scratchBuffers, takeFloat64 } from '../core/buffer-pool.ts';
import { US_PER_DAY, US_PER_HOUR } from '../core/time.ts';

/** A closed round trip. */
export interface ClosedTrade {
  /** When the position was opened (microseconds since the epoch). */
  entryTime: number;
  /** When it was closed (microseconds since the epoch), `>= entryTime`. */
  exitTime: number;
  /** Net profit or loss in account currency (after fees). */
  pnl: number;
  /** The trade's return as a fraction (0.02 = +2%), when the caller knows it. */
  return?: number;
}

/** The trading calendar used to infer `periodsPerYear` from the spacing of the equity curve. */
export type StatisticsCalendar = 'equities' | '24/7';

/** What `computeStatistics` needs. */
export interface StatisticsInput {
  /** Times of the equity points, integer microseconds since the epoch, strictly increasing. */
  times: ArrayLike<number>;
  /** Account value at each time (cash + positions at market), finite and > 0. */
  equity: ArrayLike<number>;
  /** Closed round trips. Default none. */
  trades?: readonly ClosedTrade[];
  /**
   * Gross exposure (sum of |position value|) at each equity point, aligned with `equity`; the
   * exposure statistic is the fraction of time it is non-zero. Ignored when `timeInMarket` is given.
   */
  grossExposure?: ArrayLike<number>;
  /** Fraction of the run's time with a non-zero position, in [0, 1], when the caller tracked it. */
  timeInMarket?: number;
  /** Total traded notional (sum of |price * size| over all fills), for turnover. */
  tradedNotional?: number;
  /** Account value at the start, when the first equity point is not it. Default `equity[0]`. */
  startValue?: number;
  /** Return periods per year. Default: inferred from the median spacing of `times` (see docs). */
  periodsPerYear?: number;
  /** Calendar for that inference: `equities` (default, 252 days of 6.5 h) or `24/7` (365 days). */
  calendar?: StatisticsCalendar;
  /** Annual risk-free rate as a fraction (0.03 = 3%). Default 0. */
  riskFreeRate?: number;
}

/** The figures. `NaN` means "undefined for this input" (see docs/statistics.md for each case). */
export interface Statistics {
  /** Account value at the start (`startValue` or `equity[0]`). */
  startValue: number;
  /** Account value at the last equity point. */
  endValue: number;
  /** `endValue / startValue - 1`. */
  totalReturn: number;
  /** Compound annual growth rate, `(end / start)^(1 / years) - 1`. */
  cagr: number;
  /** Sample standard deviation of period returns times `sqrt(periodsPerYear)`. */
  annualVolatility: number;
  /** Annualised Sharpe ratio of period returns over the per-period risk-free rate. */
  sharpe: number;
  /** Annualised Sortino ratio (downside deviation over all periods, target = risk-free per period). */
  sortino: number;
  /** Largest fall from a running peak, as a positive fraction of that peak (0.25 = -25%). */
  maxDrawdown: number;
  /** Longest time under water, microseconds from a peak to its recovery (or to the last point). */
  maxDrawdownDuration: number;
  /** `cagr / maxDrawdown`. */
  calmar: number;
  /** Fraction of closed trades with `pnl > 0`. */
  winRate: number;
  /** Sum of winning pnl over the absolute sum of losing pnl. */
  profitFactor: number;
  /** Fraction of the run's time with a non-zero position. */
  exposure: number;
  /** `tradedNotional / mean(equity)` over the whole run. */
  turnover: number;
  /** Number of closed trades. */
  tradeCount: number;
  /** Mean pnl per closed trade. */
  averageTrade: number;
  /** Mean of the trades' `return` (only when every trade has one). */
  averageTradeReturn: number;
  /** Return periods per year used (given or inferred). */
  periodsPerYear: number;
  /** Length of the run in years of 365.25 days, from the first to the last time. */
  years: number;
  /** Number of period returns (`equity.length - 1`). */
  periods: number;
}

/** Microseconds in a year of 365.25 days (for CAGR). */
export const US_PER_YEAR = 365.25 * US_PER_DAY;

/** Trading days per year of the `equities` calendar. */
export const TRADING_DAYS_PER_YEAR = 252;

/** Trading hours per day of the `equities` calendar (09:30 to 16:00). */
export const TRADING_HOURS_PER_DAY = 6.5;

function fail(message: string): MarketsimError {
  return new MarketsimError('STATISTICS_INPUT', `computeStatistics: ${message}`);
}

/**
 * Return periods per year from the median spacing `dt` (microseconds) of the equity times.
 * `24/7`: `365 days / dt`. `equities`: under 20 h is intraday, `252 * 6.5 h / dt`; otherwise
 * `d = round(dt / 1 day)`, `252 / d` for d < 7 (1 = daily, weekend gaps do not move the median),
 * and `365.25 days / dt` for weekly and longer spacing. Returns `NaN` for fewer than two times.
 */
export function inferPeriodsPerYear(times: ArrayLike<number>, calendar: StatisticsCalendar = 'equities'): number {
  const n = times.length;
  if (n < 2) return NaN;
  const dt = medianGap(times);
  if (!(dt > 0)) return NaN;
  if (calendar === '24/7') return (365 * US_PER_DAY) / dt;
  if (dt < 20 * US_PER_HOUR) return (TRADING_DAYS_PER_YEAR * TRADING_HOURS_PER_DAY * US_PER_HOUR) / dt;
  const days = Math.round(dt / US_PER_DAY);
  if (days < 7) return TRADING_DAYS_PER_YEAR / Math.max(1, days);
  return US_PER_YEAR / dt;
}

/**
 * The median of the gaps between consecutive times. Regular data has one gap for most of its points:
 * a value held by more than half of the gaps is the median, found by a majority vote (Boyer and
 * Moore) and a count, without a copy; otherwise the gaps are copied and selected.
 */
function medianGap(times: ArrayLike<number>): number {
  const m = times.length - 1;
  let candidate = NaN;
  let votes = 0;
  for (let i = 1; i <= m; i++) {
    const g = times[i]! - times[i - 1]!;
    if (votes === 0) {
      candidate = g;
      votes = 1;
    } else if (g === candidate) votes++;
    else votes--;
  }
  let count = 0;
  for (let i = 1; i <= m; i++) if (times[i]! - times[i - 1]! === candidate) count++;
  if (2 * count > m) return candidate; // a strict majority: the middle element(s) of the sorted gaps
  const gaps = takeFloat64(m);
  try {
    for (let i = 1; i <= m; i++) gaps[i - 1] = times[i]! - times[i - 1]!;
    const h = m >> 1;
    return m % 2 === 1 ? selectNth(gaps, h) : (selectNth(gaps, h - 1) + selectNth(gaps, h)) / 2;
  } finally {
    scratchBuffers.give(gaps.buffer);
  }
}

/**
 * The k-th smallest value of `a` (0-based), by Hoare's quickselect with a median-of-three pivot:
 * O(n) on average where a full sort is O(n log n). Reorders `a`.
 */
function selectNth(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    const x = a[lo]!;
    const y = a[mid]!;
    const z = a[hi]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

/** The first point whose time is not a safe integer above the previous one or whose equity is not finite and > 0; -1 when all are good. */
function firstBadPoint(times: ArrayLike<number>, equity: ArrayLike<number>): number {
  let prev = -Infinity;
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    const e = equity[i]!;
    if (!(Math.floor(t) === t && Math.abs(t) <= Number.MAX_SAFE_INTEGER && t > prev && e > 0 && e < Infinity)) return i;
    prev = t;
  }
  return -1;
}

/** The index of the first value that is not finite, or -1. */
function firstNonFinite(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (!(x - x === 0)) return i;
  }
  return -1;
}

function checkInput(input: StatisticsInput): void {
  const { times, equity } = input;
  if (times.length !== equity.length) {
    throw fail(`times (${times.length} points) and equity (${equity.length} points) must have the same length`);
  }
  if (equity.length === 0) throw fail('the equity curve is empty: at least one point is needed');
  const bad = firstBadPoint(times, equity);
  if (bad >= 0) {
    const i = bad;
    const t = times[i]!;
    if (!Number.isSafeInteger(t)) throw fail(`times[${i}] must be an integer number of microseconds, got ${t}`);
    if (i > 0 && t <= times[i - 1]!) throw fail(`times[${i}] (${t}) must be greater than times[${i - 1}] (${times[i - 1]})`);
    throw fail(`equity[${i}] must be a finite number > 0, got ${equity[i]}`);
  }
  if (input.startValue !== undefined && !(input.startValue > 0 && input.startValue < Infinity)) {
    throw fail(`startValue must be a finite number > 0, got ${input.startValue}`);
  }
  if (input.periodsPerYear !== undefined && !(input.periodsPerYear > 0 && input.periodsPerYear < Infinity)) {
    throw fail(`periodsPerYear must be a finite number > 0, got ${input.periodsPerYear}`);
  }
  if (input.riskFreeRate !== undefined && !Number.isFinite(input.riskFreeRate)) {
    throw fail(`riskFreeRate must be a finite number, got ${input.riskFreeRate}`);
  }
  if (input.timeInMarket !== undefined && !(input.timeInMarket >= 0 && input.timeInMarket <= 1)) {
    throw fail(`timeInMarket must be in [0, 1], got ${input.timeInMarket}`);
  }
  if (input.tradedNotional !== undefined && !(input.tradedNotional >= 0 && input.tradedNotional < Infinity)) {
    throw fail(`tradedNotional must be a finite number >= 0, got ${input.tradedNotional}`);
  }
  if (input.calendar !== undefined && input.calendar !== 'equities' && input.calendar !== '24/7') {
    throw fail(`calendar must be 'equities' or '24/7', got ${String(input.calendar)}`);
  }
  const g = input.grossExposure;
  if (g !== undefined) {
    if (g.length !== equity.length) throw fail(`grossExposure (${g.length} points) must align with equity (${equity.length} points)`);
    const i = firstNonFinite(g);
    if (i >= 0) throw fail(`grossExposure[${i}] must be a finite number, got ${g[i]}`);
  }
  const trades = input.trades ?? [];
  for (let i = 0; i < trades.length; i++) {
    const tr = trades[i]!;
    if (!Number.isFinite(tr.pnl)) throw fail(`trades[${i}].pnl must be a finite number, got ${tr.pnl}`);
    if (!Number.isFinite(tr.entryTime)) throw fail(`trades[${i}].entryTime must be a number, got ${tr.entryTime}`);
    if (!(tr.exitTime >= tr.entryTime)) throw fail(`trades[${i}].exitTime (${tr.exitTime}) must be >= entryTime (${tr.entryTime})`);
    if (tr.return !== undefined && !Number.isFinite(tr.return)) throw fail(`trades[${i}].return must be a finite number, got ${tr.return}`);
  }
}

/** Fraction of [t0, tEnd] covered by the union of the trades' [entry, exit] intervals. */
function exposureFromTrades(trades: readonly ClosedTrade[], t0: number, tEnd: number): number {
  const span = tEnd - t0;
  if (!(span > 0)) return NaN;
  const iv = trades
    .map((t) => [Math.max(t0, t.entryTime), Math.min(tEnd, t.exitTime)] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let covered = 0;
  let curA = NaN;
  let curB = NaN;
  for (const [a, b] of iv) {
    if (curB === curB && a <= curB) {
      if (b > curB) curB = b;
    } else {
      if (curB === curB) covered += curB - curA;
      curA = a;
      curB = b;
    }
  }
  if (curB === curB) covered += curB - curA;
  return covered / span;
}

/** What `seriesFigures` finds in one walk over the equity curve. */
interface SeriesFigures {
  /** Mean period excess return over the risk-free rate. */
  meanExcess: number;
  /** Sample standard deviation of the period returns (n - 1), NaN under two periods. */
  std: number;
  /** Root mean square of the negative excess returns (zero for the others), NaN without a period. */
  downside: number;
  maxDrawdown: number;
  maxDrawdownDuration: number;
  /** Exactly rounded sum of the equity points. */
  equitySum: number;
}

/**
 * The return, risk and drawdown figures of an equity curve: period returns `e[i] / e[i-1] - 1`,
 * their excess over `rfPerPeriod`, the drawdowns from a running peak that starts at `startValue` at
 * the first time. Sums are exactly rounded (`fsum`), so the order of the points cannot matter; each is
 * taken over a whole array (values are read inside the sum, never passed one by one).
 */
function seriesFigures(times: ArrayLike<number>, equity: ArrayLike<number>, startValue: number, rfPerPeriod: number): SeriesFigures {
  const n = equity.length;
  const periods = n - 1;
  const returns = takeFloat64(Math.max(0, periods));
  const work = takeFloat64(Math.max(0, periods));
  try {
    return seriesFiguresInto(times, equity, startValue, rfPerPeriod, returns, work);
  } finally {
    scratchBuffers.give(returns.buffer);
    scratchBuffers.give(work.buffer);
  }
}

/** `seriesFigures` with its work arrays (`periods` long, contents undefined) given. */
function seriesFiguresInto(times: ArrayLike<number>, equity: ArrayLike<number>, startValue: number, rfPerPeriod: number, returns: Float64Array, work: Float64Array): SeriesFigures {
  const n = equity.length;
  const periods = n - 1;
  let peak = startValue;
  let peakTime = times[0]!;
  let maxDrawdown = 0;
  let maxDrawdownDuration = 0;
  let under = false;
  for (let i = 0; i < n; i++) {
    const e = equity[i]!;
    if (i > 0) returns[i - 1] = e / equity[i - 1]! - 1;
    if (e >= peak) {
      if (under && times[i]! - peakTime > maxDrawdownDuration) maxDrawdownDuration = times[i]! - peakTime;
      under = false;
      peak = e;
      peakTime = times[i]!;
    } else {
      under = true;
      const dd = (peak - e) / peak;
      if (dd > maxDrawdown) maxDrawdown = dd;
    }
  }
  const tEnd = times[n - 1]!;
  if (under && tEnd - peakTime > maxDrawdownDuration) maxDrawdownDuration = tEnd - peakTime;
  const equitySum = fsum(equity);
  const meanReturn = periods > 0 ? fsum(returns) / periods : NaN;
  let meanExcess = meanReturn;
  if (rfPerPeriod !== 0 && periods > 0) {
    for (let i = 0; i < periods; i++) work[i] = returns[i]! - rfPerPeriod;
    meanExcess = fsum(work) / periods;
  }
  let std = NaN;
  if (periods >= 2) {
    for (let i = 0; i < periods; i++) work[i] = (returns[i]! - meanReturn) ** 2;
    std = Math.sqrt(fsum(work) / (periods - 1));
  }
  let downside = NaN;
  if (periods >= 1) {
    for (let i = 0; i < periods; i++) {
      const x = returns[i]! - rfPerPeriod;
      work[i] = x < 0 ? x ** 2 : 0;
    }
    downside = Math.sqrt(fsum(work) / periods);
  }
  return { meanExcess, std, downside, maxDrawdown, maxDrawdownDuration, equitySum };
}

/** Computes the performance statistics of a run. Throws `STATISTICS_INPUT` naming the bad field. */
export function computeStatistics(input: StatisticsInput): Statistics {
  checkInput(input);
  const { times, equity } = input;
  const n = equity.length;
  const trades = input.trades ?? [];
  const startValue = input.startValue ?? equity[0]!;
  const endValue = equity[n - 1]!;
  const t0 = times[0]!;
  const tEnd = times[n - 1]!;
  const years = (tEnd - t0) / US_PER_YEAR;
  const ppy = input.periodsPerYear ?? inferPeriodsPerYear(times, input.calendar ?? 'equities');
  const rfPerPeriod = (input.riskFreeRate ?? 0) / ppy;

  const periods = n - 1;
  const series = seriesFigures(times, equity, startValue, rfPerPeriod);
  const sqrtPpy = Math.sqrt(ppy);
  const std = series.std;
  const annualVolatility = std * sqrtPpy;
  const meanExcess = series.meanExcess;
  const sharpe = std > 0 ? (meanExcess / std) * sqrtPpy : NaN;
  const downside = series.downside;
  const sortino = downside > 0 ? (meanExcess / downside) * sqrtPpy : NaN;
  const maxDrawdown = series.maxDrawdown;
  const maxDrawdownDuration = series.maxDrawdownDuration;

  const totalReturn = endValue / startValue - 1;
  const cagr = years > 0 ? (endValue / startValue) ** (1 / years) - 1 : NaN;
  const calmar = maxDrawdown > 0 ? cagr / maxDrawdown : NaN;

  // Trades.
  const tradeCount = trades.length;
  const pnls = trades.map((t) => t.pnl);
  const wins = pnls.filter((p) => p > 0);
  const losses = pnls.filter((p) => p < 0);
  const grossProfit = fsum(wins);
  const grossLoss = -fsum(losses);
  const winRate = tradeCount > 0 ? wins.length / tradeCount : NaN;
  const profitFactor = grossLoss > 0 ? grossProfit / grossLoss : grossProfit > 0 ? Infinity : NaN;
  const averageTrade = tradeCount > 0 ? fsum(pnls) / tradeCount : NaN;
  const averageTradeReturn =
    tradeCount > 0 && trades.every((t) => t.return !== undefined) ? fsum(trades.map((t) => t.return!)) / tradeCount : NaN;

  // Exposure: given, or time-weighted from gross exposure, or from the closed trades' intervals.
  let exposure: number;
  if (input.timeInMarket !== undefined) {
    exposure = input.timeInMarket;
  } else if (input.grossExposure !== undefined) {
    const g = input.grossExposure;
    let inMarket = 0;
    for (let i = 1; i < n; i++) if (g[i - 1] !== 0) inMarket += times[i]! - times[i - 1]!;
    exposure = tEnd > t0 ? inMarket / (tEnd - t0) : NaN;
  } else if (input.trades !== undefined) {
    exposure = exposureFromTrades(trades, t0, tEnd);
  } else {
    exposure = NaN;
  }

  const meanEquity = series.equitySum / n;
  const turnover = input.tradedNotional !== undefined ? input.tradedNotional / meanEquity : NaN;

  return {
    startValue,
    endValue,
    totalReturn,
    cagr,
    annualVolatility,
    sharpe,
    sortino,
    maxDrawdown,
    maxDrawdownDuration,
    calmar,
    winRate,
    profitFactor,
    exposure,
    turnover,
    tradeCount,
    averageTrade,
    averageTradeReturn,
    periodsPerYear: ppy,
    years,
    periods,
  };
}
