import { US_PER_MINUTE } from '../../core/time.ts';
import { dayFromYmd, isoDate, weekday } from './civil-date.ts';
import { yearSchedule, type EquityExchange } from './holidays.ts';
import { zonedMicros } from './zoned-time.ts';

/**
 * One trading day of an exchange. Times are UTC microseconds; the wall times they come from are in
 * the exchange's zone (America/New_York for XNYS and XNAS).
 * Extended hours: pre-market from `preMarketOpen` to `open`, after-hours from `close` to
 * `afterHoursClose`; only orders that opt in may trade there.
 */
export interface Session {
  /** Local trading date `YYYY-MM-DD`. */
  date: string;
  /** The same date as a civil day number (civil-date.ts). */
  day: number;
  /** Start of the pre-market session (04:00 local). */
  preMarketOpen: number;
  /** Regular open (09:30 local, later on a late-open day). */
  open: number;
  /** Regular close (16:00 local, 13:00 on a half day, other times on special closes). */
  close: number;
  /** End of the after-hours session (20:00 local; 17:00 after a holiday half day). */
  afterHoursClose: number;
  /** True when the regular session closes before 16:00. */
  earlyClose: boolean;
  /** True when the regular session opens after 09:30. */
  lateOpen: boolean;
  /** Why the hours differ from the regular ones ('' on a normal day). */
  note: string;
}

/** The regular trading hours of a US equity exchange, local minutes after midnight. */
export interface SessionHours {
  zone: string;
  preMarketOpen: number;
  open: number;
  close: number;
  afterHoursClose: number;
  /** After-hours end on a holiday half day (13:00 close): Nasdaq and NYSE Arca end it at 17:00. */
  halfDayAfterHoursClose: number;
}

/** XNYS and XNAS: 04:00 / 09:30 / 16:00 / 20:00 America/New_York, after-hours until 17:00 on half days. */
export const US_EQUITY_HOURS: Readonly<SessionHours> = {
  zone: 'America/New_York',
  preMarketOpen: 4 * 60,
  open: 9 * 60 + 30,
  close: 16 * 60,
  afterHoursClose: 20 * 60,
  halfDayAfterHoursClose: 17 * 60,
};

const NOON = 12 * 60;

/** All sessions of one year, in date order (weekdays that are not holidays). */
export function buildYearSessions(exchange: EquityExchange, year: number, hours: SessionHours = US_EQUITY_HOURS): Session[] {
  const sched = yearSchedule(exchange, year);
  const out: Session[] = [];
  const first = dayFromYmd(year, 1, 1);
  const last = dayFromYmd(year, 12, 31);
  for (let d = first; d <= last; d++) {
    const wd = weekday(d);
    if (wd === 0 || wd === 6 || sched.holidays.has(d)) continue;
    const sc = sched.specialCloses.get(d);
    const so = sched.specialOpens.get(d);
    const openMin = so ? so.minute : hours.open;
    const closeMin = sc ? sc.minute : hours.close;
    const ahMin = sc?.halfDay ? hours.halfDayAfterHoursClose : hours.afterHoursClose;
    const notes: string[] = [];
    if (so) notes.push(`late open: ${so.reason}`);
    if (sc) notes.push(`early close: ${sc.reason}`);
    // One zone lookup per day: daylight saving changes at 02:00 local, before any session boundary
    // (04:00 at the earliest), so every boundary of the day shares the offset in force at noon.
    const noon = zonedMicros(hours.zone, d, NOON);
    out.push({
      date: isoDate(d),
      day: d,
      preMarketOpen: noon + (hours.preMarketOpen - NOON) * US_PER_MINUTE,
      open: noon + (openMin - NOON) * US_PER_MINUTE,
      close: noon + (closeMin - NOON) * US_PER_MINUTE,
      afterHoursClose: noon + (ahMin - NOON) * US_PER_MINUTE,
      earlyClose: closeMin < hours.close,
      lateOpen: openMin > hours.open,
      note: notes.join('; '),
    });
  }
  return out;
}
