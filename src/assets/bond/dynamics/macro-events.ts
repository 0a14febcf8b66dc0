import { ConfigError } from '../../../core/errors.ts';
import type { Rng } from '../../../core/rng.ts';
import type { NewsEvent } from '../../../market/market-data.ts';
import type { CurveDynamics } from './curve-dynamics.ts';

/**
 * Scheduled macro events that move the curve by a drawn surprise.
 *
 * Each event (central-bank rate decision, CPI release, payrolls release) has a surprise
 * s ~ N(0, sd^2) in basis points (or a fixed one), drawn once per schedule from the schedule's own
 * random stream in time order. Sign: s > 0 is hawkish (a higher policy rate than expected,
 * hotter inflation, stronger payrolls), so yields rise. The curve moves at the event time by
 *
 *     short end: shortBeta * s,     long end: longBeta * s      (basis points)
 *
 * applied through `CurveDynamics.shock` (for dynamic Nelson-Siegel: dL = long move,
 * dS = short move - long move; for a one-factor short-rate model: the short rate moves by the
 * short move and the long end follows the model). Only the surprise moves the curve: the
 * expected part of a rate decision is taken as priced in.
 *
 * Defaults per kind (`MACRO_KIND_DEFAULTS`, illustrative magnitudes): a rate-decision surprise has
 * sd 10 bp and moves the long end by 0.3 of the short end (the order of Kuttner 2001, "Monetary
 * policy surprises and interest rates", JME 47, where the 10-year yield moves about a third of a
 * bp per bp of fed funds surprise); CPI: sd 6 bp, long/short 0.6; payrolls: sd 5 bp, long/short 0.7.
 *
 * Each event is also a market-wide `NewsEvent` (`MacroNewsEvent`, with the event attached as
 * `macro`) whose headline states the surprise and whose sentiment is -clip(s / (2 sd), -1, 1)
 * (a hawkish surprise is bad news for bond and equity holders).
 */

/** What is released. */
export type MacroEventKind = 'rate-decision' | 'cpi' | 'payrolls';

/** Defaults of one kind of event. */
export interface MacroKindDefaults {
  /** Headline label. */
  name: string;
  /** Standard deviation of the surprise, bp. */
  surpriseSdBp: number;
  /** Move of the short end per bp of surprise. */
  shortBeta: number;
  /** Move of the long end per bp of surprise. */
  longBeta: number;
  /** Importance of the news item in [0, 1]. */
  importance: number;
}

/** Illustrative defaults per kind (see the module comment). */
export const MACRO_KIND_DEFAULTS: Readonly<Record<MacroEventKind, Readonly<MacroKindDefaults>>> = Object.freeze({
  'rate-decision': Object.freeze({ name: 'Rate decision', surpriseSdBp: 10, shortBeta: 1, longBeta: 0.3, importance: 0.9 }),
  cpi: Object.freeze({ name: 'CPI release', surpriseSdBp: 6, shortBeta: 1, longBeta: 0.6, importance: 0.7 }),
  payrolls: Object.freeze({ name: 'Payrolls release', surpriseSdBp: 5, shortBeta: 1, longBeta: 0.7, importance: 0.7 }),
});

/** One scheduled event as configured. */
export interface MacroEventSpec {
  /** Release time, integer microseconds since the epoch. */
  time: number;
  kind: MacroEventKind;
  /** Headline label (default by kind, e.g. 'Rate decision'). */
  name?: string;
  /** Surprise standard deviation in bp (>= 0; default by kind). */
  surpriseSdBp?: number;
  /** A fixed surprise in bp instead of a draw (for scenarios and tests). */
  surpriseBp?: number;
  /** Rate decisions: the expected change of the policy rate in bp (default 0); actual = expected + surprise. */
  expectedChangeBp?: number;
  /** Short-end move per bp of surprise (default by kind). */
  shortBeta?: number;
  /** Long-end move per bp of surprise (default by kind). */
  longBeta?: number;
  /** Symbols the news names (default: none, a market-wide item). */
  symbols?: readonly string[];
}

/** One event with its drawn surprise and curve move. */
export interface MacroEvent {
  readonly time: number;
  readonly kind: MacroEventKind;
  readonly name: string;
  /** The surprise, bp (> 0 hawkish). */
  readonly surpriseBp: number;
  /** Rate decisions: expected and actual change of the policy rate, bp (NaN for other kinds). */
  readonly expectedChangeBp: number;
  readonly actualChangeBp: number;
  /** Move of the short end and of the long end, bp. */
  readonly shortMoveBp: number;
  readonly longMoveBp: number;
  readonly headline: string;
  readonly sentiment: number;
  readonly importance: number;
  readonly symbols: readonly string[];
}

/** A NewsEvent carrying its macro event (strategies read `macro` in `onNews` when present). */
export interface MacroNewsEvent extends NewsEvent {
  macro: MacroEvent;
}

/** The shape of `ScheduledNews` in src/data/synthetic/news-sim.ts (structurally compatible). */
export interface MacroScheduledNews {
  time: number;
  kind: 'macro';
  symbols?: readonly string[];
  headline: string;
}

function signed(x: number, digits: number): string {
  const s = x.toFixed(digits);
  return x >= 0 && !s.startsWith('-') ? `+${s}` : s;
}

/**
 * A schedule of macro events with their surprises drawn once (seeded). Events are sorted by time
 * (stable for equal times). `apply(curve, i)` moves a curve by event i; `news(i)` is its NewsEvent.
 */
export class MacroEventSchedule {
  readonly events: readonly MacroEvent[];
  private readonly newsEvents: MacroNewsEvent[];

  /**
   * @param specs the events (any order)
   * @param rng the random stream; surprises come from `rng.fork('macro-events')` in time order
   * @param path the config path named in errors (default 'macroEvents')
   */
  constructor(specs: readonly MacroEventSpec[], rng: Rng, path = 'macroEvents') {
    const issues: { path: string; message: string }[] = [];
    specs.forEach((s, i) => {
      const p = `${path}[${i}]`;
      if (typeof s.time !== 'number' || !Number.isInteger(s.time)) issues.push({ path: `${p}.time`, message: `must be an integer time in microseconds, got ${JSON.stringify(s.time)}` });
      if (!(s.kind in MACRO_KIND_DEFAULTS)) issues.push({ path: `${p}.kind`, message: `must be one of ${Object.keys(MACRO_KIND_DEFAULTS).join(', ')}; got ${JSON.stringify(s.kind)}` });
      for (const f of ['surpriseSdBp', 'surpriseBp', 'expectedChangeBp', 'shortBeta', 'longBeta'] as const) {
        const v = s[f];
        if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))) issues.push({ path: `${p}.${f}`, message: `expected a finite number, got ${JSON.stringify(v)}` });
      }
      if (s.surpriseSdBp !== undefined && s.surpriseSdBp < 0) issues.push({ path: `${p}.surpriseSdBp`, message: `must be >= 0, got ${s.surpriseSdBp}` });
      if (s.expectedChangeBp !== undefined && s.kind !== 'rate-decision') issues.push({ path: `${p}.expectedChangeBp`, message: 'only rate decisions have an expected change' });
    });
    if (issues.length > 0) throw new ConfigError(issues, 'macro event schedule');
    const order = specs.map((s, i) => ({ s, i })).sort((x, y) => x.s.time - y.s.time || x.i - y.i);
    const draw = rng.fork('macro-events');
    this.events = order.map(({ s }) => {
      const d = MACRO_KIND_DEFAULTS[s.kind];
      const sd = s.surpriseSdBp ?? d.surpriseSdBp;
      const z = draw.normal(); // always drawn, so fixing one surprise leaves the others unchanged
      const surprise = s.surpriseBp ?? sd * z;
      const name = s.name ?? d.name;
      const shortMove = (s.shortBeta ?? d.shortBeta) * surprise;
      const longMove = (s.longBeta ?? d.longBeta) * surprise;
      const isDecision = s.kind === 'rate-decision';
      const expected = isDecision ? (s.expectedChangeBp ?? 0) : NaN;
      const actual = isDecision ? expected + surprise : NaN;
      const scale = sd > 0 ? 2 * sd : Math.max(1, Math.abs(surprise));
      const sentiment = -Math.max(-1, Math.min(1, surprise / scale));
      const headline = isDecision
        ? `${name}: policy rate ${signed(actual, 1)} bp (expected ${signed(expected, 1)} bp), surprise ${signed(surprise, 1)} bp`
        : `${name}: surprise ${signed(surprise, 1)} bp (${surprise >= 0 ? 'hawkish' : 'dovish'})`;
      return Object.freeze({
        time: s.time,
        kind: s.kind,
        name,
        surpriseBp: surprise,
        expectedChangeBp: expected,
        actualChangeBp: actual,
        shortMoveBp: shortMove,
        longMoveBp: longMove,
        headline,
        sentiment,
        importance: d.importance,
        symbols: Object.freeze([...(s.symbols ?? [])]),
      });
    });
    this.newsEvents = this.events.map((e) => ({
      kind: 'news' as const,
      time: e.time,
      instrument: undefined,
      symbols: [...e.symbols],
      headline: e.headline,
      source: 'macro-sim',
      sentiment: e.sentiment,
      importance: e.importance,
      macro: e,
    }));
  }

  /** Number of events. */
  get length(): number {
    return this.events.length;
  }

  /** Moves the curve by event i (its short and long moves). */
  apply(curve: CurveDynamics, i: number): void {
    const e = this.events[i];
    if (e === undefined) throw new RangeError(`no macro event ${i} (have ${this.events.length})`);
    curve.shock(e.shortMoveBp, e.longMoveBp);
  }

  /**
   * Event i as a NewsEvent (the same object each call; `instrument` is undefined: market-wide, or
   * the caller sets it to the first named symbol's instrument).
   */
  news(i: number): MacroNewsEvent {
    const n = this.newsEvents[i];
    if (n === undefined) throw new RangeError(`no macro event ${i} (have ${this.events.length})`);
    return n;
  }

  /**
   * The events as `ScheduledNews` items of the news simulator (src/data/synthetic/news-sim.ts), with
   * the surprise in the headline. The simulator draws its own sentiment and importance for them.
   */
  toScheduledNews(): MacroScheduledNews[] {
    return this.events.map((e) => (e.symbols.length > 0 ? { time: e.time, kind: 'macro' as const, symbols: e.symbols, headline: e.headline } : { time: e.time, kind: 'macro' as const, headline: e.headline }));
  }
}

const DAY_MS = 86_400_000;

/** Options of `usMacroCalendar`. */
export interface UsMacroCalendarOptions {
  /** Window [start, end) in microseconds. */
  start: number;
  end: number;
  /** Rate-decision times (microseconds) inside the window, e.g. FOMC statement times (18:00 UTC in winter). */
  rateDecisions?: readonly number[];
  /** Expected change of each rate decision, bp (same order; default 0). */
  expectedChangesBp?: readonly number[];
  /** Include monthly CPI (13th of the month, or the next weekday, 13:30 UTC). Default true. */
  cpi?: boolean;
  /** Include monthly payrolls (first Friday of the month, 13:30 UTC). Default true. */
  payrolls?: boolean;
}

/**
 * A simplified US release calendar as event specs: payrolls on the first Friday of each month and
 * CPI on the 13th (moved to the next weekday), both at 13:30 UTC (8:30 New York time in winter; the
 * real BLS dates vary by a few days and the UTC hour shifts with daylight saving), plus the
 * rate decisions given.
 */
export function usMacroCalendar(o: UsMacroCalendarOptions): MacroEventSpec[] {
  if (!Number.isInteger(o.start) || !Number.isInteger(o.end) || !(o.end > o.start)) {
    throw new ConfigError([{ path: 'calendar.end', message: `window must be integer microseconds with end > start, got [${o.start}, ${o.end})` }], 'macro calendar');
  }
  const out: MacroEventSpec[] = [];
  const inWindow = (us: number): boolean => us >= o.start && us < o.end;
  const first = new Date(Math.floor(o.start / 1000));
  let y = first.getUTCFullYear();
  let m = first.getUTCMonth();
  for (;;) {
    const monthStart = Date.UTC(y, m, 1);
    if (monthStart * 1000 >= o.end) break;
    if (o.payrolls ?? true) {
      const dow = new Date(monthStart).getUTCDay(); // 0 Sunday .. 5 Friday
      const day = 1 + ((5 - dow + 7) % 7);
      const us = (Date.UTC(y, m, day, 13, 30) as number) * 1000;
      if (inWindow(us)) out.push({ time: us, kind: 'payrolls' });
    }
    if (o.cpi ?? true) {
      let ms = Date.UTC(y, m, 13, 13, 30);
      let dow = new Date(ms).getUTCDay();
      while (dow === 0 || dow === 6) {
        ms += DAY_MS;
        dow = new Date(ms).getUTCDay();
      }
      if (inWindow(ms * 1000)) out.push({ time: ms * 1000, kind: 'cpi' });
    }
    m++;
    if (m === 12) {
      m = 0;
      y++;
    }
  }
  (o.rateDecisions ?? []).forEach((t, i) => {
    const spec: MacroEventSpec = { time: t, kind: 'rate-decision' };
    const e = o.expectedChangesBp?.[i];
    if (e !== undefined) spec.expectedChangeBp = e;
    out.push(spec);
  });
  return out.sort((a, b) => a.time - b.time);
}
