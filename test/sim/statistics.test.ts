import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { computeStatistics, inferPeriodsPerYear, US_PER_YEAR, type ClosedTrade } from '../../src/sim/statistics.ts';
import { US_PER_DAY, US_PER_HOUR, US_PER_MINUTE } from '../../src/core/time.ts';
import { MarketsimError } from '../../src/core/errors.ts';

function near(a: number, b: number, tol = 1e-12, what = ''): void {
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} != ${b}`);
}

const T0 = Date.UTC(2024, 0, 1) * 1000; // 2024-01-01T00:00Z in microseconds
const day = (d: number): number => T0 + d * US_PER_DAY;

// Equity curve, one point a day (days 0..5): 100, 125, 100, 80, 100, 120.
const times = [0, 1, 2, 3, 4, 5].map(day);
const equity = [100, 125, 100, 80, 100, 120];
// Four closed trades: pnl +25, -20, -20, +40 over [d0,d1], [d1,d2], [d2.5,d3], [d3,d5].
const trades: ClosedTrade[] = [
  { entryTime: day(0), exitTime: day(1), pnl: 25, return: 0.25 },
  { entryTime: day(1), exitTime: day(2), pnl: -20, return: -0.2 },
  { entryTime: day(2.5), exitTime: day(3), pnl: -20, return: -0.2 },
  { entryTime: day(3), exitTime: day(5), pnl: 40, return: 0.5 },
];

test('every statistic on a small curve, by hand', () => {
  const s = computeStatistics({ times, equity, trades, tradedNotional: 1050 });
  // daily spacing -> 252 periods a year
  assert.equal(s.periodsPerYear, 252);
  assert.equal(s.periods, 5);
  assert.equal(s.startValue, 100);
  assert.equal(s.endValue, 120);
  // total return 120 / 100 - 1 = 0.2
  near(s.totalReturn, 0.2);
  // years = 5 days / 365.25 days; CAGR = 1.2^(365.25 / 5) - 1
  near(s.years, 5 / 365.25);
  near(s.cagr, 1.2 ** (365.25 / 5) - 1, 1e-12, 'cagr');
  // returns r = 0.25, -0.2, -0.2, 0.25, 0.2; mean = 0.3 / 5 = 0.06
  // deviations 0.19, -0.26, -0.26, 0.19, 0.14; squares 0.0361 + 0.0676 + 0.0676 + 0.0361 + 0.0196 = 0.227
  // sample variance 0.227 / 4 = 0.05675; std = sqrt(0.05675) = 0.23822258...
  const std = Math.sqrt(0.05675);
  near(s.annualVolatility, std * Math.sqrt(252), 1e-12, 'vol');
  // Sharpe = 0.06 / std * sqrt(252) = 0.251865 * 15.874508 = 3.998237...
  near(s.sharpe, (0.06 / std) * Math.sqrt(252), 1e-12, 'sharpe');
  near(s.sharpe, 3.998237, 1e-6);
  // downside: min(0, r)^2 = 0, 0.04, 0.04, 0, 0 -> mean over all 5 periods 0.016, dd = sqrt(0.016)
  // Sortino = 0.06 / sqrt(0.016) * sqrt(252) = 0.474342 * 15.874508 = 7.529940...
  near(s.sortino, (0.06 / Math.sqrt(0.016)) * Math.sqrt(252), 1e-12, 'sortino');
  near(s.sortino, 7.529940, 1e-6);
  // peak 125 (day 1), trough 80 (day 3): drawdown 45 / 125 = 0.36; never back to 125, so the
  // duration runs to the last point: day 5 - day 1 = 4 days
  near(s.maxDrawdown, 0.36);
  assert.equal(s.maxDrawdownDuration, 4 * US_PER_DAY);
  near(s.calmar, s.cagr / 0.36);
  // trades: 2 wins of 4 -> 0.5; profit factor (25 + 40) / (20 + 20) = 1.625; average (25-20-20+40)/4 = 6.25
  assert.equal(s.tradeCount, 4);
  assert.equal(s.winRate, 0.5);
  assert.equal(s.profitFactor, 1.625);
  assert.equal(s.averageTrade, 6.25);
  // average trade return (0.25 - 0.2 - 0.2 + 0.5) / 4 = 0.0875
  near(s.averageTradeReturn, 0.0875);
  // exposure from the trades: [d0, d2] and [d2.5, d5] -> 4.5 of 5 days = 0.9
  near(s.exposure, 0.9);
  // turnover 1050 / mean equity (625 / 6) = 10.08
  near(s.turnover, 10.08);
});

test('risk-free rate, explicit periods per year, gross exposure', () => {
  // rf 2.52% a year over 252 periods = 0.0001 a period: Sharpe = (0.06 - 0.0001) / std * sqrt(252)
  // Sortino target 0.0001: excess -0.2001 twice -> mean square 2 * 0.2001^2 / 5
  const s = computeStatistics({ times, equity, riskFreeRate: 0.0252, grossExposure: [0, 100, 100, 0, 0, 80] });
  const std = Math.sqrt(0.05675);
  near(s.sharpe, ((0.06 - 0.0001) / std) * Math.sqrt(252), 1e-12, 'sharpe');
  near(s.sortino, ((0.06 - 0.0001) / Math.sqrt((2 * 0.2001 ** 2) / 5)) * Math.sqrt(252), 1e-12, 'sortino');
  // gross exposure non-zero at the start of [d1, d2] and [d2, d3]: 2 of 5 days = 0.4 (the 80 at the
  // last point opens no interval)
  near(s.exposure, 0.4);
  // given periods per year wins over the inference; timeInMarket wins over grossExposure
  const w = computeStatistics({ times, equity, periodsPerYear: 52, timeInMarket: 0.7, grossExposure: [0, 0, 0, 0, 0, 0] });
  assert.equal(w.periodsPerYear, 52);
  near(w.annualVolatility, std * Math.sqrt(52));
  assert.equal(w.exposure, 0.7);
  // no trades list and no exposure data: exposure and turnover are unknown
  assert.ok(Number.isNaN(computeStatistics({ times, equity }).exposure));
  assert.ok(Number.isNaN(computeStatistics({ times, equity }).turnover));
});

test('drawdown duration is the longest time under water, peak to recovery', () => {
  // 100 (d0), 90 (d1), 100 (d3: back to the peak after 3 days; d3 is the new peak), 99 (d4), 98 (d5),
  // 101 (d9: recovered 6 days after the d3 peak), 50 (d10: under water 1 day, to the end)
  const t = [0, 1, 3, 4, 5, 9, 10].map(day);
  const e = [100, 90, 100, 99, 98, 101, 50];
  const s = computeStatistics({ times: t, equity: e });
  assert.equal(s.maxDrawdownDuration, 6 * US_PER_DAY);
  // deepest: 101 -> 50 = 51 / 101
  near(s.maxDrawdown, 51 / 101);
  // a start value above the first point is the first peak: 200 -> 100 is a 50% drawdown from d0
  const v = computeStatistics({ times: [day(0), day(2)], equity: [100, 150], startValue: 200 });
  assert.equal(v.maxDrawdown, 0.5);
  assert.equal(v.maxDrawdownDuration, 2 * US_PER_DAY);
  near(v.totalReturn, -0.25); // 150 / 200 - 1
});

test('edge cases: flat curve, one point, no trades, only winners', () => {
  const flat = computeStatistics({ times, equity: [100, 100, 100, 100, 100, 100], trades: [] });
  assert.equal(flat.annualVolatility, 0);
  assert.ok(Number.isNaN(flat.sharpe)); // zero volatility
  assert.ok(Number.isNaN(flat.sortino)); // no downside
  assert.equal(flat.maxDrawdown, 0);
  assert.equal(flat.maxDrawdownDuration, 0); // equal values are new peaks, never under water
  assert.ok(Number.isNaN(flat.calmar)); // no drawdown
  assert.equal(flat.cagr, 0);
  // no trades: counts are 0, ratios NaN, exposure 0 (an empty trade list)
  assert.equal(flat.tradeCount, 0);
  assert.ok(Number.isNaN(flat.winRate));
  assert.ok(Number.isNaN(flat.profitFactor));
  assert.ok(Number.isNaN(flat.averageTrade));
  assert.equal(flat.exposure, 0);

  const one = computeStatistics({ times: [day(0)], equity: [105], startValue: 100 });
  near(one.totalReturn, 0.05);
  assert.equal(one.periods, 0);
  assert.ok(Number.isNaN(one.periodsPerYear));
  assert.ok(Number.isNaN(one.annualVolatility));
  assert.ok(Number.isNaN(one.sharpe));
  assert.ok(Number.isNaN(one.cagr)); // zero years

  const two = computeStatistics({ times: [day(0), day(1)], equity: [100, 101] });
  assert.ok(Number.isNaN(two.annualVolatility)); // one return: no sample std dev
  assert.ok(Number.isNaN(two.sortino)); // no downside

  const winners = computeStatistics({ times, equity, trades: [trades[0]!, trades[3]!, { ...trades[0]!, pnl: 0 }] });
  assert.equal(winners.profitFactor, Infinity);
  near(winners.winRate, 2 / 3); // a zero pnl is not a win
  assert.ok(Number.isNaN(winners.averageTradeReturn) === false);
  const noReturn = computeStatistics({ times, equity, trades: [{ entryTime: day(0), exitTime: day(1), pnl: 1 }] });
  assert.ok(Number.isNaN(noReturn.averageTradeReturn));
});

test('periodsPerYear inference from the median spacing', () => {
  // weekdays only (weekend gaps of 3 days): median 1 day -> 252
  const weekdays = [1, 2, 3, 4, 5, 8, 9, 10, 11, 12].map(day);
  assert.equal(inferPeriodsPerYear(weekdays), 252);
  // daily bars across DST (23 h and 25 h gaps) are still daily
  assert.equal(inferPeriodsPerYear([0, 23, 48, 73].map((h) => T0 + h * US_PER_HOUR)), 252);
  // minute bars: 252 * 6.5 h * 60 = 98280; 24/7 minute bars: 365 * 1440 = 525600
  const minutes = [0, 1, 2, 3].map((m) => T0 + m * US_PER_MINUTE);
  near(inferPeriodsPerYear(minutes), 98280);
  near(inferPeriodsPerYear(minutes, '24/7'), 525600);
  // 24/7 daily: 365; hourly: 8760
  assert.equal(inferPeriodsPerYear([0, 1, 2].map(day), '24/7'), 365);
  near(inferPeriodsPerYear([0, 1, 2].map((h) => T0 + h * US_PER_HOUR), '24/7'), 8760);
  // every other trading day: 126; weekly: 365.25 / 7 = 52.18
  assert.equal(inferPeriodsPerYear([0, 2, 4, 6].map(day)), 126);
  near(inferPeriodsPerYear([0, 7, 14].map(day)), US_PER_YEAR / (7 * US_PER_DAY));
  assert.ok(Number.isNaN(inferPeriodsPerYear([T0])));
});

test('bad input names the field', () => {
  const bad = (input: Parameters<typeof computeStatistics>[0], re: RegExp) =>
    assert.throws(() => computeStatistics(input), (e: unknown) => e instanceof MarketsimError && e.code === 'STATISTICS_INPUT' && re.test(e.message));
  bad({ times, equity: equity.slice(1) }, /times \(6 points\) and equity \(5 points\)/);
  bad({ times: [], equity: [] }, /empty/);
  bad({ times: [day(1), day(0)], equity: [1, 1] }, /times\[1\] .* must be greater than times\[0\]/);
  bad({ times: [day(0), day(1)], equity: [1, -5] }, /equity\[1\] must be a finite number > 0, got -5/);
  bad({ times: [day(0) + 0.5], equity: [1] }, /times\[0\] must be an integer/);
  bad({ times, equity, trades: [{ entryTime: day(2), exitTime: day(1), pnl: 1 }] }, /trades\[0\]\.exitTime/);
  bad({ times, equity, trades: [trades[0]!, { entryTime: day(0), exitTime: day(1), pnl: NaN }] }, /trades\[1\]\.pnl must be a finite number, got NaN/);
  bad({ times, equity, grossExposure: [1] }, /grossExposure \(1 points\) must align/);
  bad({ times, equity, timeInMarket: 1.5 }, /timeInMarket must be in \[0, 1\], got 1.5/);
  bad({ times, equity, periodsPerYear: 0 }, /periodsPerYear must be a finite number > 0/);
});

test('periodsPerYear: the median gap equals a sorted median, with and without a majority gap (property)', () => {
  const gap = fc.oneof(fc.constant(60), fc.constant(60), fc.constant(120), fc.integer({ min: 1, max: 100_000 }));
  fc.assert(
    fc.property(fc.array(gap, { minLength: 1, maxLength: 80, size: 'max' }), fc.constantFrom<'equities' | '24/7'>('equities', '24/7'), (gaps, cal) => {
      const times = [T0];
      for (const g of gaps) times.push(times[times.length - 1]! + g * US_PER_MINUTE);
      const sorted = gaps.map((g) => g * US_PER_MINUTE).sort((a, b) => a - b);
      const h = sorted.length >> 1;
      const median = sorted.length % 2 === 1 ? sorted[h]! : (sorted[h - 1]! + sorted[h]!) / 2;
      // the rule applied to the reference median: three points spaced by it give the same answer
      assert.equal(inferPeriodsPerYear(times, cal), inferPeriodsPerYear([T0, T0 + median, T0 + 2 * median], cal));
    }),
    { numRuns: 1000 },
  );
});
