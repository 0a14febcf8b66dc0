import { MarketsimError } from '../../core/errors.ts';
import { acfWithinDays, lagCorrWithinDays, robustT } from './acf.ts';
import { excessKurtosis, spearman, stdDev } from './moments.ts';
import { concat, dayReturns, deseasonalize, minuteDays, ZoneOffset, type DayReturns, type FactBar, type MinuteDay } from './series.ts';
import { inferTick, jitteredHill } from './tail.ts';

/**
 * The stylized-facts suite of issue 5 (docs/stylized-facts.md): eleven tests of realism on 1-minute
 * bars, each with its statistic(s), its threshold and pass or fail.
 */

/** A main session in local minutes of day, e.g. 09:00-17:30 = { start: 540, end: 1050 }. */
export interface Session {
  start: number;
  end: number;
}

/** Options of `factsFromBars`. */
export interface FactsOptions {
  /** Main session for test 11 (markets with sessions); without it test 11 is not applicable. */
  session?: Session;
  /** Time zone of trading days and minutes of day: 'UTC' (default) or an IANA name. */
  timezone?: string;
  /** Price tick for the Hill jitter; default inferred from the closes (`inferTick`), 0 disables jitter. */
  tickSize?: number;
  /** Number of jitter seeds of the Hill estimator (default 20). */
  jitterSeeds?: number;
}

/** One test's outcome. `pass` is null when the test does not apply (test 11 without a session). */
export interface FactTest {
  id: number;
  name: string;
  /** Measured statistics (null where undefined, e.g. too little data). */
  statistics: Record<string, number | null>;
  /** The pass rule, as in the table. */
  threshold: string;
  pass: boolean | null;
}

/** The suite's result: each test, and `pass` = every applicable test passed. */
export interface FactsReport {
  bars: number;
  days: number;
  returns: number;
  tickSize: number;
  timezone: string;
  session: string | null;
  tests: FactTest[];
  pass: boolean;
}

/** Parses 'HH:MM-HH:MM' into a session (start < end, minutes of day); a clear error otherwise. */
export function parseSession(text: string): Session {
  const m = /^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/.exec(text.trim());
  const start = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  const end = m ? Number(m[3]) * 60 + Number(m[4]) : NaN;
  if (!m || !(start < end) || end > 1440 || Number(m[2]) > 59 || Number(m[4]) > 59) {
    throw new MarketsimError('CLI_INVALID', `session: expected HH:MM-HH:MM with start before end, got '${text}'`);
  }
  return { start, end };
}

function hhmm(m: number): string {
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

function num(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** Excess kurtosis of non-overlapping n-minute sums within each day (incomplete blocks dropped). */
export function aggregatedKurtosis(days: readonly DayReturns[], n: number): number {
  const agg: number[] = [];
  for (const d of days) {
    for (let t = 0; t + n <= d.r.length; t += n) {
      let s = 0;
      for (let q = t; q < t + n; q++) s += d.r[q]!;
      agg.push(s);
    }
  }
  return excessKurtosis(agg);
}

/** r_t / sigma_t with sigma_t^2 an EWMA (lambda) of past squared returns, seeded by the mean square of the first `seed` returns. */
export function ewmaStandardized(r: ArrayLike<number>, lambda = 0.94, seed = 100): Float64Array {
  if (r.length <= seed) return new Float64Array(0);
  let v = 0;
  for (let t = 0; t < seed; t++) v += r[t]! * r[t]!;
  v /= seed;
  const out: number[] = [];
  for (let t = seed; t < r.length; t++) {
    if (v > 0) out.push(r[t]! / Math.sqrt(v));
    v = lambda * v + (1 - lambda) * r[t]! * r[t]!;
  }
  return Float64Array.from(out);
}

/** Variance / mean of counts (NaN when the mean is 0). */
export function fano(counts: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < counts.length; i++) m += counts[i]!;
  m /= counts.length;
  let v = 0;
  for (let i = 0; i < counts.length; i++) v += (counts[i]! - m) ** 2;
  v /= counts.length;
  return m > 0 ? v / m : NaN;
}

/** Minus the OLS slope of ln ACF(k) on ln k over the lags with a positive ACF (k = index + 1). */
export function longMemoryBeta(acf: ArrayLike<number>): number {
  let n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (let i = 0; i < acf.length; i++) {
    const a = acf[i]!;
    if (!(a > 0)) continue;
    const x = Math.log(i + 1);
    const y = Math.log(a);
    n++;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  const den = n * sxx - sx * sx;
  return n >= 2 && den > 0 ? -(n * sxy - sx * sy) / den : NaN;
}

/** Runs the eleven tests on 1-minute bars (see docs/stylized-facts.md for each definition). */
export function factsFromBars(bars: readonly FactBar[], options: FactsOptions = {}): FactsReport {
  const zone = new ZoneOffset(options.timezone ?? 'UTC');
  const days = minuteDays(bars, zone);
  const ret = dayReturns(days);
  const rDays = ret.map((d) => d.r);
  const slots = ret.map((d) => d.slot);
  const r = concat(rDays);
  const N = r.length;
  if (N < 200) throw new MarketsimError('FACTS_INPUT', `too little data: ${N} one-minute returns within days (need at least 200)`);
  const tick = options.tickSize ?? inferTick(bars.map((b) => b.close));
  const absDays = rDays.map((x) => x.map(Math.abs));
  const dsAbs = deseasonalize(absDays, slots);
  const dsR = deseasonalize(rDays, slots, 7, true); // r / average |r|
  const dsVol = deseasonalize(ret.map((d) => d.vol), slots);
  const tests: FactTest[] = [];

  // 1 heavy tails
  const k1 = excessKurtosis(r);
  tests.push({ id: 1, name: 'heavy tails', statistics: { excessKurtosis: num(k1) }, threshold: 'excess kurtosis of r > 1.5', pass: k1 > 1.5 });

  // 2 tail index
  const hill = jitteredHill(days, tick, options.jitterSeeds ?? 20);
  tests.push({ id: 2, name: 'tail index', statistics: { hill: num(hill.mean), tickSize: tick, jitterSeeds: hill.values.length }, threshold: 'Hill index of the largest 2.5% of |r| between 2 and 5', pass: hill.mean >= 2 && hill.mean <= 5 });

  // 3 aggregational Gaussianity
  const kAgg = [1, 5, 15, 30].map((n) => aggregatedKurtosis(ret, n));
  const kMax = Math.max(kAgg[0]!, kAgg[1]!);
  tests.push({
    id: 3, name: 'aggregational Gaussianity',
    statistics: { K1: num(kAgg[0]!), K5: num(kAgg[1]!), K15: num(kAgg[2]!), K30: num(kAgg[3]!) },
    threshold: 'max(K1, K5) > 1.5 and K30 < 0.75 max(K1, K5)',
    pass: kMax > 1.5 && kAgg[3]! < 0.75 * kMax,
  });

  // 4 no linear autocorrelation
  const acfR = acfWithinDays(rDays, 60);
  const tR = robustT(rDays, 60);
  let meanAbs = 0;
  let maxT = 0;
  for (let k = 5; k <= 60; k++) {
    meanAbs += Math.abs(acfR[k - 1]!) / 56;
    maxT = Math.max(maxT, Math.abs(tR[k - 1]!));
  }
  const a1 = acfR[0]!;
  tests.push({
    id: 4, name: 'no linear autocorrelation',
    statistics: { acf1: num(a1), meanAbsAcf5to60: num(meanAbs), maxAbsT5to60: num(maxT) },
    threshold: '|ACF(1)| < 0.2, mean |ACF| over lags 5..60 < 0.025, max |t_k| over lags 5..60 < 4',
    pass: Math.abs(a1) < 0.2 && meanAbs < 0.025 && maxT < 4,
  });

  // 5 volatility clustering
  const acfAbs = acfWithinDays(dsAbs, 390);
  const band = 3 / Math.sqrt(N);
  let above = 0;
  for (let k = 1; k <= 60; k++) if (acfAbs[k - 1]! > band) above++;
  tests.push({
    id: 5, name: 'volatility clustering',
    statistics: { acf1: num(acfAbs[0]!), lagsAboveBand: above, band },
    threshold: 'ACF(1) of deseasonalized |r| > 0.05 and at least 45 of lags 1..60 above 3/sqrt(N)',
    pass: acfAbs[0]! > 0.05 && above >= 45,
  });

  // 6 long memory
  let positive = 0;
  for (let k = 1; k <= 390; k++) if (acfAbs[k - 1]! > 0) positive++;
  const beta = longMemoryBeta(acfAbs);
  tests.push({
    id: 6, name: 'long memory',
    statistics: { positiveFraction: positive / 390, beta: num(beta) },
    threshold: 'at least 90% of lags 1..390 positive and 0.15 <= beta <= 0.5',
    pass: positive / 390 >= 0.9 && beta >= 0.15 && beta <= 0.5,
  });

  // 7 leverage
  const dsR2 = dsR.map((x) => x.map((v) => v * v));
  let lev = 0;
  for (let k = 1; k <= 30; k++) lev += lagCorrWithinDays(dsR, dsR2, k);
  tests.push({ id: 7, name: 'leverage', statistics: { leverageSum: num(lev) }, threshold: 'sum over k = 1..30 of corr(r_t, r_t+k^2) < -0.08', pass: lev < -0.08 });

  // 8 volume and volatility
  const rho = spearman(concat(dsVol), concat(dsAbs));
  tests.push({ id: 8, name: 'volume and volatility', statistics: { spearman: num(rho) }, threshold: 'Spearman(deseasonalized volume, |r|) > 0.15', pass: rho > 0.15 });

  // 9 conditional heavy tails
  const kc = excessKurtosis(ewmaStandardized(r));
  tests.push({ id: 9, name: 'conditional heavy tails', statistics: { excessKurtosis: num(kc) }, threshold: 'excess kurtosis of r_t / sigma_t (EWMA 0.94) > 1.0', pass: kc > 1.0 });

  // 10 intermittency
  const sd = stdDev(r);
  const c3 = rDays.map((x) => x.filter((v) => Math.abs(v) > 3 * sd).length);
  const c4 = rDays.map((x) => x.filter((v) => Math.abs(v) > 4 * sd).length);
  const f3 = fano(c3);
  const f4 = fano(c4);
  tests.push({ id: 10, name: 'intermittency', statistics: { fano3: num(f3), fano4: num(f4) }, threshold: 'Fano factor of daily counts > 2.5 at 3 sd and > 2 at 4 sd', pass: f3 > 2.5 && f4 > 2 });

  // 11 intraday seasonality
  tests.push(seasonality(days, ret, options.session));

  let pass = true;
  for (const t of tests) if (t.pass === false) pass = false;
  return {
    bars: bars.length, days: days.length, returns: N, tickSize: tick, timezone: zone.zone,
    session: options.session ? `${hhmm(options.session.start)}-${hhmm(options.session.end)}` : null,
    tests, pass,
  };
}

/** Test 11: first/last 30 minutes of the main session against its middle fifth. */
function seasonality(days: readonly MinuteDay[], ret: readonly DayReturns[], session: Session | undefined): FactTest {
  const threshold = 'first 30 min: |r| ratio >= 1.3 and volume ratio >= 1.5; last 30 min: |r| ratio >= 1.2';
  const name = 'intraday seasonality';
  if (!session) return { id: 11, name, statistics: { firstAbsR: null, firstVolume: null, lastAbsR: null }, threshold, pass: null };
  const { start, end } = session;
  const len = end - start;
  const midLo = start + 0.4 * len;
  const midHi = start + 0.6 * len;
  const first = (m: number): boolean => m > start && m <= start + 30;
  const last = (m: number): boolean => m > end - 30 && m <= end;
  const mid = (m: number): boolean => m >= midLo && m < midHi;
  const acc = { fr: [0, 0], lr: [0, 0], mr: [0, 0], fv: [0, 0], mv: [0, 0] };
  const add = (a: number[], v: number): void => {
    a[0]! += v;
    a[1]! += 1;
  };
  for (const d of ret) {
    for (let t = 0; t < d.r.length; t++) {
      const m = d.slot[t]!;
      const a = Math.abs(d.r[t]!);
      if (first(m)) add(acc.fr, a);
      if (last(m)) add(acc.lr, a);
      if (mid(m)) add(acc.mr, a);
    }
  }
  for (const d of days) {
    for (let p = 0; p < d.volumes.length; p++) {
      const m = d.start + p;
      if (first(m)) add(acc.fv, d.volumes[p]!);
      if (mid(m)) add(acc.mv, d.volumes[p]!);
    }
  }
  const avg = (a: number[]): number => (a[1]! > 0 ? a[0]! / a[1]! : NaN);
  const fr = avg(acc.fr) / avg(acc.mr);
  const lr = avg(acc.lr) / avg(acc.mr);
  const fv = avg(acc.fv) / avg(acc.mv);
  return { id: 11, name, statistics: { firstAbsR: num(fr), firstVolume: num(fv), lastAbsR: num(lr) }, threshold, pass: fr >= 1.3 && fv >= 1.5 && lr >= 1.2 };
}
