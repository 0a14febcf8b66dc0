import { BondInputError } from './errors.ts';
import { dayFromYmd, daysInMonth, ymdFromDay } from '../../core/civil-date.ts';

export { dayFromYmd, ymdFromDay, isLeapYear, daysInMonth, weekday, isoFromDay, dayFromMicros, microsFromDay } from '../../core/civil-date.ts';

/**
 * Civil dates of the bond mathematics as integer day numbers (`Day`): days since 1970-01-01 in the
 * proleptic Gregorian calendar, no time zone. Integer arithmetic, no `Date` objects on the pricing
 * path. Conversions: Howard Hinnant's `days_from_civil` / `civil_from_days`.
 */

/** Days since 1970-01-01 (an integer). */
export type Day = number;

/** A date given either as a day number or as `YYYY-MM-DD`. */
export type DateInput = Day | string;


/** True when the day is the last day of its month. */
export function isEndOfMonth(d: Day): boolean {
  const [y, m, day] = ymdFromDay(d);
  return day === daysInMonth(y, m);
}

/**
 * `d` moved by `months` calendar months. The day of month is kept and clamped to the month's last day
 * (Aug 31 - 6 months = Feb 28/29). With `eom` and `d` on a month end, the result is a month end too
 * (Feb 28 + 6 months = Aug 31): the end-of-month rule of coupon schedules.
 */
export function addMonths(d: Day, months: number, eom = false): Day {
  const [y, m, day] = ymdFromDay(d);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = total - ny * 12 + 1;
  const last = daysInMonth(ny, nm);
  const nd = eom && day === daysInMonth(y, m) ? last : Math.min(day, last);
  return dayFromYmd(ny, nm, nd);
}

/** Day number of a `YYYY-MM-DD` string; throws a BondInputError naming `field` unless it is a real date in that form. */
export function dayFromIso(text: string, field = 'date'): Day {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(typeof text === 'string' ? text.trim() : '');
  if (!m) throw new BondInputError(field, `expected a date YYYY-MM-DD, got ${JSON.stringify(text)}`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) throw new BondInputError(field, `not a calendar date: ${text}`);
  return dayFromYmd(y, mo, d);
}

/** A `DateInput` as a day number (strings parsed, numbers checked to be integers). */
export function toDay(x: DateInput, field = 'date'): Day {
  if (typeof x === 'string') return dayFromIso(x, field);
  if (typeof x !== 'number' || !Number.isInteger(x)) throw new BondInputError(field, `expected a day number or YYYY-MM-DD, got ${String(x)}`);
  return x;
}


