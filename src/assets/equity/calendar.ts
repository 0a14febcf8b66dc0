import { MarketsimError } from '../../core/errors.ts';
import { US_PER_DAY, US_PER_HOUR } from '../../core/time.ts';
import { dayFromYmd, isoDate, parseIsoDate, yearOfDay } from './civil-date.ts';
import { EQUITY_EXCHANGES, type EquityExchange } from './holidays.ts';
import { buildYearSessions, US_EQUITY_HOURS, type Session } from './sessions.ts';

/** First and last year a calendar answers for; outside, queries throw `CALENDAR_OUT_OF_RANGE`. */
export const CALENDAR_MIN_YEAR = 1990;
export const CALENDAR_MAX_YEAR = 2100;

/** Whether a query counts the pre-market and after-hours sessions (for orders that opt in). */
export interface SessionQueryOptions {
  /** Count 04:00-09:30 and 16:00-20:00 as open (default false: the regular session only). */
  extended?: boolean;
}

interface YearData {
  year: number;
  firstDay: number;
  sessions: Session[];
  /** Session index by day of year (0-based), -1 on closed days. */
  byDay: Int32Array;
}

/**
 * Both exchanges sit in America/New_York (UTC-5 / UTC-4). Every local time between 04:00 and 24:00
 * of a date D falls, once shifted back 6 hours, on UTC date D; so the trading date of any instant
 * inside a session (04:00-20:00 local) is the UTC date of `t - 6h`, with no time-zone lookup.
 */
const LOCAL_DAY_SHIFT_US = 6 * US_PER_HOUR;

/** Session boundaries `scan` can look for. */
const PRE_OPEN = 0, OPEN = 1, CLOSE = 2, AFTER_CLOSE = 3;

/**
 * The trading calendar of one exchange: its sessions with regular and extended hours for any year
 * in 1990-2100 (docs/equities.md). Years are built on first use and cached. `isOpen` and `sessionAt`
 * are allocation-free (a day index and two comparisons), so a venue may call them per order.
 *
 * @example
 * const cal = calendar('XNYS');
 * cal.isOpen(microsFromIso('2026-11-27T18:30:00Z')); // false: the day after Thanksgiving closes at 13:00
 */
export class ExchangeCalendar {
  readonly exchange: EquityExchange;
  /** IANA zone of the exchange's wall-clock hours. */
  readonly timeZone: string;
  readonly minYear = CALENDAR_MIN_YEAR;
  readonly maxYear = CALENDAR_MAX_YEAR;
  private readonly years = new Map<number, YearData>();
  private last: YearData | undefined;

  constructor(exchange: EquityExchange) {
    this.exchange = exchange;
    this.timeZone = US_EQUITY_HOURS.zone;
  }

  /** All sessions of a year (cached). */
  yearSessions(year: number): readonly Session[] {
    return this.yearData(year).sessions;
  }

  /** Sessions with dates from `from` to `to` (inclusive, `YYYY-MM-DD`), in order. */
  sessions(from: string, to: string): Session[] {
    const a = parseIsoDate(from, 'from');
    const b = parseIsoDate(to, 'to');
    if (b < a) throw new MarketsimError('CALENDAR_BAD_RANGE', `to (${to}) is before from (${from})`);
    const ya = yearOfDay(a);
    const yb = yearOfDay(b);
    this.checkYear(ya, from);
    this.checkYear(yb, to);
    const out: Session[] = [];
    for (let y = ya; y <= yb; y++) {
      for (const s of this.yearData(y).sessions) if (s.day >= a && s.day <= b) out.push(s);
    }
    return out;
  }

  /** The session on a date, or undefined when the exchange is closed that day. */
  session(date: string): Session | undefined {
    const d = parseIsoDate(date);
    this.checkYear(yearOfDay(d), date);
    return this.sessionOnDay(d);
  }

  /** True when the exchange trades on that date. */
  isSessionDate(date: string): boolean {
    return this.session(date) !== undefined;
  }

  /**
   * The session whose regular hours `[open, close)` contain `timeUs` (with `extended`:
   * `[preMarketOpen, afterHoursClose)`), or undefined.
   */
  sessionAt(timeUs: number, options?: SessionQueryOptions): Session | undefined {
    const s = this.sessionOnDay(this.localDay(timeUs));
    if (s === undefined) return undefined;
    if (options?.extended) return timeUs >= s.preMarketOpen && timeUs < s.afterHoursClose ? s : undefined;
    return timeUs >= s.open && timeUs < s.close ? s : undefined;
  }

  /** True when the exchange is open at `timeUs` (regular hours, or extended with `{ extended: true }`). */
  isOpen(timeUs: number, options?: SessionQueryOptions): boolean {
    return this.sessionAt(timeUs, options) !== undefined;
  }

  /** The first regular open (pre-market open with `extended`) strictly after `timeUs`. */
  nextOpen(timeUs: number, options?: SessionQueryOptions): number {
    const s = this.scan(timeUs, options?.extended === true ? PRE_OPEN : OPEN);
    return options?.extended === true ? s.preMarketOpen : s.open;
  }

  /** The first regular close (after-hours close with `extended`) strictly after `timeUs`. */
  nextClose(timeUs: number, options?: SessionQueryOptions): number {
    const s = this.scan(timeUs, options?.extended === true ? AFTER_CLOSE : CLOSE);
    return options?.extended === true ? s.afterHoursClose : s.close;
  }

  /**
   * The session in progress at `timeUs` or, between sessions, the next one: the first session whose
   * close (after-hours close with `extended`) is strictly after `timeUs`.
   */
  currentOrNextSession(timeUs: number, options?: SessionQueryOptions): Session {
    return this.scan(timeUs, options?.extended === true ? AFTER_CLOSE : CLOSE);
  }

  /** The trading date (`YYYY-MM-DD`, exchange-local) of an instant between 04:00 and 24:00 local. */
  localDate(timeUs: number): string {
    return isoDate(this.localDay(timeUs));
  }

  /** The first session whose boundary `field` is strictly after `timeUs` (no allocation). */
  private scan(timeUs: number, field: number): Session {
    const start = this.localDay(timeUs) - 1;
    for (let d = start; d < start + 40; d++) {
      const s = this.sessionOnDay(d, false);
      if (s === undefined) continue;
      const b = field === PRE_OPEN ? s.preMarketOpen : field === OPEN ? s.open : field === CLOSE ? s.close : s.afterHoursClose;
      if (b > timeUs) return s;
    }
    throw new MarketsimError('CALENDAR_OUT_OF_RANGE', `${this.exchange}: no session within 40 days after ${isoDate(start)}`);
  }

  private localDay(timeUs: number): number {
    if (!Number.isFinite(timeUs)) throw new MarketsimError('CALENDAR_BAD_TIME', `${this.exchange}: time must be finite microseconds, got ${timeUs}`);
    return Math.floor((timeUs - LOCAL_DAY_SHIFT_US) / US_PER_DAY);
  }

  /** The session on a civil day; outside the supported years: an error, or (strict false, before them) undefined. */
  private sessionOnDay(day: number, strict = true): Session | undefined {
    let y = this.last;
    if (y === undefined || day < y.firstDay || day >= y.firstDay + y.byDay.length) {
      const year = yearOfDay(day);
      if (!strict && year < CALENDAR_MIN_YEAR) return undefined;
      this.checkYear(year, isoDate(day));
      y = this.yearData(year);
    }
    const i = y.byDay[day - y.firstDay]!;
    return i < 0 ? undefined : y.sessions[i];
  }

  private checkYear(year: number, what: string): void {
    if (year < CALENDAR_MIN_YEAR || year > CALENDAR_MAX_YEAR) {
      throw new MarketsimError(
        'CALENDAR_OUT_OF_RANGE',
        `${this.exchange}: ${what} is outside the supported years ${CALENDAR_MIN_YEAR}-${CALENDAR_MAX_YEAR}`,
      );
    }
  }

  private yearData(year: number): YearData {
    this.checkYear(year, String(year));
    let y = this.years.get(year);
    if (!y) {
      const sessions = buildYearSessions(this.exchange, year);
      const firstDay = dayFromYmd(year, 1, 1);
      const byDay = new Int32Array(dayFromYmd(year + 1, 1, 1) - firstDay).fill(-1);
      sessions.forEach((s, i) => (byDay[s.day - firstDay] = i));
      y = { year, firstDay, sessions, byDay };
      this.years.set(year, y);
    }
    this.last = y;
    return y;
  }
}

const calendars = new Map<EquityExchange, ExchangeCalendar>();

/** The calendar of an exchange by MIC (`XNYS`, `XNAS`; case-insensitive), shared and cached. */
export function calendar(exchange: string): ExchangeCalendar {
  const mic = String(exchange).trim().toUpperCase() as EquityExchange;
  if (!EQUITY_EXCHANGES.includes(mic)) {
    throw new MarketsimError('CALENDAR_UNKNOWN_EXCHANGE', `unknown exchange ${JSON.stringify(exchange)} (known: ${EQUITY_EXCHANGES.join(', ')})`);
  }
  let c = calendars.get(mic);
  if (!c) {
    c = new ExchangeCalendar(mic);
    calendars.set(mic, c);
  }
  return c;
}
