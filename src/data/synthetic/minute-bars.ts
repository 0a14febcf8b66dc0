import type { Rng } from '../../core/rng.ts';
import type { Instrument } from '../../market/instrument.ts';
import type { BarEvent, NewsEvent, StatusEvent } from '../../market/market-data.ts';
import { checkNumber, throwIssues, type Issue } from './checks.ts';
import { NewsOverlay, type NewsInput } from './news-overlay.ts';
import { NewsImpactModel } from './news-sim.ts';

/**
 * A per-minute return model driving `minuteBars`: for minute `m` of a day (0-based, of
 * `minutesPerDay`), `step` returns the minute's log return and leaves in `sigma` the standard
 * deviation it was drawn with (used for the bar's intrabar path and the volume response).
 */
export interface MinuteReturnModel {
  /** Standard deviation of the last return (after `step`). */
  sigma: number;
  /** Called once at the start of each trading day (day index from 0), before its first `step`. */
  startDay(day: number): void;
  /** The log return of minute `minute` of the current day. */
  step(minute: number): number;
}

/** A market calendar: equity sessions (09:30-16:00 America/New_York, weekdays) or 24/7. */
export type MarketCalendar = 'equity' | '24/7';

/** Per-minute volume: base * volume seasonality * (1 + response * |r| / sigmaRef) * lognormal noise. */
export interface VolumeModel {
  /** Mean volume per minute in lots at mid-session, before the |r| response (> 0). */
  base: number;
  /** Volume multiplier per minute of the session (mean 1), or null for flat volume. */
  profile: Float64Array | null;
  /** Extra volume per unit of |r| / sigmaRef (>= 0; 0: volume ignores returns). */
  response: number;
  /** Reference per-minute return scale for the response (> 0). */
  sigmaRef: number;
  /** Standard deviation of the log-normal noise (>= 0). */
  noise: number;
}

/** Options of `minuteBars`. */
export interface MinuteBarOptions {
  instrument: Instrument;
  model: MinuteReturnModel;
  volume: VolumeModel;
  /** Random stream for intrabar paths and volume (the model has its own). */
  rng: Rng;
  /** Trading days to generate (integer >= 0). */
  days: number;
  /** First calendar day, 'YYYY-MM-DD' (weekends are skipped for the equity calendar). */
  start: string;
  calendar: MarketCalendar;
  /** Initial price (> 0). */
  s0: number;
  /** Sub-steps of the intrabar Brownian bridge giving high and low (integer >= 1; default 4). */
  substeps?: number;
}

const MINUTE_US = 60_000_000;
const DAY_MS = 86_400_000;
/** Minutes of the equity session (09:30-16:00). */
export const EQUITY_SESSION_MINUTES = 390;

/** UTC offset in milliseconds of America/New_York at the UTC instant `ms` (EST -5h, EDT -4h). */
function newYorkOffsetMs(ms: number): number {
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
  const p: Record<string, number> = {};
  for (const part of fmt.formatToParts(new Date(ms))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!) - ms;
}

/** Parses 'YYYY-MM-DD' to the UTC midnight in ms; a clear error naming `start` otherwise. */
export function parseStartDate(start: string, issues: Issue[]): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(start);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || !Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== start) {
    issues.push({ path: 'start', message: `expected a date YYYY-MM-DD, got ${JSON.stringify(start)}` });
    return NaN;
  }
  return ms;
}

/**
 * The UTC microsecond time of the first minute of each of `days` trading days from `start`
 * (UTC-midnight ms): 09:30 New York time on weekdays (daylight saving applied; exchange holidays
 * are not modelled), or 00:00 UTC every day for 24/7.
 */
export function sessionStarts(startMs: number, days: number, calendar: MarketCalendar): number[] {
  const out: number[] = [];
  for (let d = startMs; out.length < days; d += DAY_MS) {
    if (calendar === '24/7') {
      out.push(d * 1000);
      continue;
    }
    const wd = new Date(d).getUTCDay();
    if (wd === 0 || wd === 6) continue;
    const local930 = d + 9.5 * 3_600_000; // 09:30 as if UTC
    const off = newYorkOffsetMs(d + 14 * 3_600_000); // offset at 10:00 EDT / 09:00 EST, after any 2am switch
    out.push((local930 - off) * 1000);
  }
  return out;
}

/** Minutes per trading day of a calendar: 390 (equity) or 1440 (24/7). */
export function minutesPerDay(calendar: MarketCalendar): number {
  return calendar === 'equity' ? EQUITY_SESSION_MINUTES : 1440;
}

/**
 * Streams 1-minute bars, one batch per trading day. Each minute the model draws a log return r; the
 * latent log price moves by r along a Brownian bridge of `substeps` sub-steps (scale sigma) whose
 * highest and lowest points give high and low. Open is the previous close (the first open is `s0`);
 * all prices are rounded to the instrument's tick grid (at least one tick), so high >= max(open,
 * close) and low <= min(open, close). Volume is drawn in whole lots. Options are validated up front
 * (`ConfigError` naming each bad option).
 */
export function minuteBars(o: MinuteBarOptions): IterableIterator<BarEvent[]> {
  const { starts, k } = validate(o);
  return generate(o, starts, k, null) as IterableIterator<BarEvent[]>;
}

/**
 * `minuteBars` moved by news (docs/models.md, "News in the price generators"). At the start t of each
 * minute the news and status events up to t are applied (and emitted before the bar); then the minute's
 * log return is r volMultiplier(t) + (offset(t + 1 min) - offset at the previous close), its volume is
 * multiplied by volumeMultiplier(t), and while halted no bar is emitted (the latent price moves on; the
 * first bar after the RESUME opens at it, a gap from the last close). News are simulated over the
 * sessions from `newsRng` (`rng.fork('news')` by default) unless `news.events` is given.
 */
export function minuteBarsWithNews(o: MinuteBarOptions & { news: NewsInput; newsRng?: Rng }): IterableIterator<(BarEvent | NewsEvent | StatusEvent)[]> {
  const { starts, k } = validate(o);
  new NewsImpactModel(o.news.impact ?? {}); // validates the impact parameters (ConfigError)
  const n = minutesPerDay(o.calendar);
  const window = { start: starts[0] ?? 0, end: (starts.at(-1) ?? 0) + n * MINUTE_US + 1, rng: o.newsRng ?? o.rng.fork('news') };
  return generate(o, starts, k, new NewsOverlay(o.instrument, o.news, window));
}

function validate(o: MinuteBarOptions): { starts: number[]; k: number } {
  const issues: Issue[] = [];
  if (!(Number.isSafeInteger(o.days) && o.days >= 0)) issues.push({ path: 'days', message: `must be an integer >= 0, got ${o.days}` });
  const startMs = parseStartDate(o.start, issues);
  checkNumber(issues, 's0', o.s0, 'positive');
  const k = o.substeps ?? 4;
  if (!(Number.isSafeInteger(k) && k >= 1)) issues.push({ path: 'substeps', message: `must be an integer >= 1, got ${k}` });
  checkNumber(issues, 'volume.base', o.volume.base, 'positive');
  checkNumber(issues, 'volume.response', o.volume.response, 'nonnegative');
  checkNumber(issues, 'volume.sigmaRef', o.volume.sigmaRef, 'positive');
  checkNumber(issues, 'volume.noise', o.volume.noise, 'nonnegative');
  if (o.calendar !== 'equity' && o.calendar !== '24/7') issues.push({ path: 'calendar', message: `must be 'equity' or '24/7', got ${JSON.stringify(o.calendar)}` });
  throwIssues(issues, 'minute bar options');
  return { starts: sessionStarts(startMs, o.days, o.calendar), k };
}

function* generate(o: MinuteBarOptions, starts: number[], k: number, ov: NewsOverlay | null): Generator<(BarEvent | NewsEvent | StatusEvent)[]> {
  const inst = o.instrument;
  const rng = o.rng;
  const model = o.model;
  const vm = o.volume;
  const n = minutesPerDay(o.calendar);
  const tu = inst.tickUnits;
  const scale = inst.priceScale;
  const ticksPerPrice = scale / tu;
  const maxTicks = Math.floor(Number.MAX_SAFE_INTEGER / tu);
  const lot = inst.lotUnits;
  const toTicks = (x: number): number => {
    const t = Math.round(Math.exp(x) * ticksPerPrice);
    if (t < 1) return 1;
    if (!(t <= maxTicks)) throw new RangeError(`synthetic price path overflowed (${Math.exp(x)}) for ${inst.symbol}`);
    return t;
  };
  const w = new Float64Array(k + 1);
  let x = Math.log(o.s0);
  let openTicks = toTicks(x);
  /** News offset included in x so far. */
  let applied = 0;
  let gap = false;
  for (let d = 0; d < starts.length; d++) {
    model.startDay(d);
    const t0 = starts[d]!;
    const batch: (BarEvent | NewsEvent | StatusEvent)[] = ov === null ? new Array(n) : [];
    for (let m = 0; m < n; m++) {
      const t = t0 + m * MINUTE_US;
      let r = model.step(m);
      let sigma = model.sigma;
      let surge = 1;
      if (ov !== null) {
        while (ov.nextTime() <= t) batch.push(ov.take());
        const volMult = ov.volMultiplier(t);
        const off = ov.offset(t + MINUTE_US);
        r = r * volMult + (off - applied);
        applied = off;
        sigma *= volMult;
        surge = ov.volumeMultiplier(t);
        if (ov.halted) {
          x += r; // the latent price moves on; nothing trades
          gap = true;
          continue;
        }
        if (gap) {
          openTicks = toTicks(x);
          gap = false;
        }
      }
      // Brownian bridge from 0 to r over k sub-steps
      w[0] = 0;
      for (let j = 1; j <= k; j++) w[j] = w[j - 1]! + rng.normal();
      const sub = sigma / Math.sqrt(k);
      let hi = openTicks;
      let lo = openTicks;
      for (let j = 1; j < k; j++) {
        const p = toTicks(x + (r * j) / k + sub * (w[j]! - (j / k) * w[k]!));
        if (p > hi) hi = p;
        if (p < lo) lo = p;
      }
      x += r;
      const close = toTicks(x);
      if (close > hi) hi = close;
      if (close < lo) lo = close;
      const season = vm.profile ? vm.profile[m]! : 1;
      const noise = vm.noise > 0 ? Math.exp(vm.noise * rng.normal() - 0.5 * vm.noise * vm.noise) : 1;
      const lots = Math.max(1, Math.round(vm.base * season * (1 + (vm.response * Math.abs(r)) / vm.sigmaRef) * noise * surge));
      const bar: BarEvent = {
        kind: 'bar',
        time: t0 + m * MINUTE_US,
        instrument: inst,
        open: (openTicks * tu) / scale,
        high: (hi * tu) / scale,
        low: (lo * tu) / scale,
        close: (close * tu) / scale,
        volume: inst.size(lots * lot),
      };
      if (ov === null) batch[m] = bar;
      else batch.push(bar);
      openTicks = close;
    }
    yield batch;
  }
}
