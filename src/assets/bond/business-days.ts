import { addMonths, dayFromYmd, weekday, ymdFromDay, type Day } from './civil-date.ts';
import { easterSunday } from '../../core/civil-date.ts';

export { easterSunday } from '../../core/civil-date.ts';
import { BondInputError } from './errors.ts';

/**
 * Business days for bond settlement and coupon payment dates.
 *
 * `US-GOV`: weekends and the US federal holidays on which the Federal Reserve Banks (and so Fedwire
 * Securities, where Treasuries settle) are closed: New Year's Day, Martin Luther King Jr. Day
 * (3rd Monday of January, from 1986), Washington's Birthday (3rd Monday of February), Memorial Day
 * (last Monday of May), Juneteenth (June 19, from 2022), Independence Day, Labor Day (1st Monday of
 * September), Columbus Day (2nd Monday of October), Veterans Day (November 11), Thanksgiving
 * (4th Thursday of November) and Christmas. A holiday on a Sunday is observed on the Monday; a
 * holiday on a Saturday is not moved (the Federal Reserve's rule: it is open the Friday before).
 * `US-SIFMA`: SIFMA's usual full closes of the bond market: the same holidays, but one on a Saturday
 * is observed on the Friday before (except New Year's Day), plus Good Friday (SIFMA's early closes
 * and the years it recommends only an early close on Good Friday are not modelled).
 * `WEEKENDS`: Saturdays and Sundays only. `NONE`: every day is a business day.
 */
export type CalendarName = 'US-GOV' | 'US-SIFMA' | 'WEEKENDS' | 'NONE';

/** All calendar names, for validation and CLI help. */
export const CALENDAR_NAMES: readonly CalendarName[] = ['US-GOV', 'US-SIFMA', 'WEEKENDS', 'NONE'];

/**
 * How a date that is not a business day moves: `following` (next business day), `modified-following`
 * (next business day unless that is in the next month, then the previous one), `preceding`, or
 * `unadjusted` (stays).
 */
export type BusinessDayRule = 'following' | 'modified-following' | 'preceding' | 'unadjusted';

/** All business-day rules. */
export const BUSINESS_DAY_RULES: readonly BusinessDayRule[] = ['following', 'modified-following', 'preceding', 'unadjusted'];

/** A holiday of a year: its observed day and name. */
export interface Holiday {
  day: Day;
  name: string;
}

function nthWeekday(year: number, month: number, wd: number, n: number): Day {
  const first = dayFromYmd(year, month, 1);
  return first + ((wd - weekday(first) + 7) % 7) + (n - 1) * 7;
}

function lastWeekday(year: number, month: number, wd: number): Day {
  const last = addMonths(dayFromYmd(year, month, 1), 1) - 1;
  return last - ((weekday(last) - wd + 7) % 7);
}

function observed(d: Day, saturdayToFriday: boolean): Day | null {
  const w = weekday(d);
  if (w === 0) return d + 1;
  if (w === 6) return saturdayToFriday ? d - 1 : null;
  return d;
}


/**
 * The observed US federal holidays of a year on which the Federal Reserve is closed (see
 * `CalendarName`). With `saturdayToFriday` (SIFMA's practice) a holiday on a Saturday is observed on
 * the Friday before, except New Year's Day (SIFMA does not close on December 31).
 */
export function usFederalHolidays(year: number, saturdayToFriday = false): Holiday[] {
  const out: Holiday[] = [];
  const fixed = (month: number, day: number, name: string) => {
    const d = observed(dayFromYmd(year, month, day), saturdayToFriday && !(month === 1 && day === 1));
    if (d !== null) out.push({ day: d, name });
  };
  fixed(1, 1, "New Year's Day");
  if (year >= 1986) out.push({ day: nthWeekday(year, 1, 1, 3), name: 'Martin Luther King Jr. Day' });
  out.push({ day: nthWeekday(year, 2, 1, 3), name: "Washington's Birthday" });
  out.push({ day: lastWeekday(year, 5, 1), name: 'Memorial Day' });
  if (year >= 2022) fixed(6, 19, 'Juneteenth National Independence Day');
  fixed(7, 4, 'Independence Day');
  out.push({ day: nthWeekday(year, 9, 1, 1), name: 'Labor Day' });
  out.push({ day: nthWeekday(year, 10, 1, 2), name: 'Columbus Day' });
  fixed(11, 11, 'Veterans Day');
  out.push({ day: nthWeekday(year, 11, 4, 4), name: 'Thanksgiving Day' });
  fixed(12, 25, 'Christmas Day');
  return out.sort((a, b) => a.day - b.day);
}

/** A set of business days. */
export interface BusinessCalendar {
  readonly name: CalendarName;
  /** True when `d` is a business day. */
  isBusinessDay(d: Day): boolean;
}

class HolidayCalendar implements BusinessCalendar {
  readonly name: CalendarName;
  private readonly years = new Map<number, Set<Day>>();
  private readonly goodFriday: boolean;
  private readonly holidays: boolean;
  constructor(name: CalendarName) {
    this.name = name;
    this.holidays = name === 'US-GOV' || name === 'US-SIFMA';
    this.goodFriday = name === 'US-SIFMA';
  }
  isBusinessDay(d: Day): boolean {
    if (this.name === 'NONE') return true;
    const w = weekday(d);
    if (w === 0 || w === 6) return false;
    if (!this.holidays) return true;
    const year = ymdFromDay(d)[0];
    let set = this.years.get(year);
    if (!set) {
      set = new Set(usFederalHolidays(year, this.goodFriday).map((h) => h.day));
      if (this.goodFriday) set.add(easterSunday(year) - 2);
      this.years.set(year, set);
    }
    return !set.has(d);
  }
}

const calendars = new Map<CalendarName, BusinessCalendar>();

/** The calendar of a name (one shared instance per name; holidays are computed per year on first use). */
export function businessCalendar(name: CalendarName): BusinessCalendar {
  let c = calendars.get(name);
  if (!c) {
    if (!CALENDAR_NAMES.includes(name)) throw new BondInputError('calendar', `unknown calendar ${JSON.stringify(name)} (expected one of ${CALENDAR_NAMES.join(', ')})`);
    c = new HolidayCalendar(name);
    calendars.set(name, c);
  }
  return c;
}

/** `d` moved to a business day by `rule`. */
export function adjustBusinessDay(d: Day, rule: BusinessDayRule, calendar: BusinessCalendar): Day {
  if (rule === 'unadjusted' || calendar.isBusinessDay(d)) return d;
  if (rule === 'preceding') {
    let x = d - 1;
    while (!calendar.isBusinessDay(x)) x--;
    return x;
  }
  let x = d + 1;
  while (!calendar.isBusinessDay(x)) x++;
  if (rule === 'modified-following' && ymdFromDay(x)[1] !== ymdFromDay(d)[1]) {
    x = d - 1;
    while (!calendar.isBusinessDay(x)) x--;
  }
  return x;
}

/**
 * The business day `n >= 0` business days after `d` (T+n settlement). With n = 0 a non-business day
 * rolls to the next business day.
 */
export function addBusinessDays(d: Day, n: number, calendar: BusinessCalendar): Day {
  if (!Number.isInteger(n) || n < 0) throw new BondInputError('settlementLag', `expected an integer >= 0, got ${n}`);
  let x = d;
  while (!calendar.isBusinessDay(x)) x++;
  for (let i = 0; i < n; i++) {
    x++;
    while (!calendar.isBusinessDay(x)) x++;
  }
  return x;
}
