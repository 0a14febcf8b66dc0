import { dayFromYmd, easterSunday, nthWeekday, tryParseIsoDate, weekday } from './civil-date.ts';

/**
 * The holiday and special-hours rules of the US equity exchanges, as data plus small functions over
 * civil day numbers (civil-date.ts). Sources: NYSE Rule 7.2 (holidays), the NYSE and Nasdaq published
 * holiday/early-close schedules, and the historical lists kept by pandas_market_calendars
 * (`holidays/nyse.py`, after the NYSE "Closings" history) for the years before the current rules.
 * Rules hold for the supported years (1990-2100, see calendar.ts); docs/equities.md lists them.
 */

/** The exchanges with a calendar: NYSE (XNYS) and Nasdaq (XNAS), by ISO 10383 MIC. */
export type EquityExchange = 'XNYS' | 'XNAS';

/** The exchanges `calendar()` accepts. */
export const EQUITY_EXCHANGES: readonly EquityExchange[] = ['XNYS', 'XNAS'];

/** A session whose open or close is not the regular one: local minute of day and why. */
export interface SpecialTime {
  /** Minutes after local midnight (13:00 = 780). */
  minute: number;
  reason: string;
  /** True for the scheduled half days around holidays (after-hours then ends at 17:00). */
  halfDay: boolean;
}

/** What a year looks like on one exchange: full closures and special opens and closes, by day number. */
export interface YearSchedule {
  exchange: EquityExchange;
  year: number;
  /** Weekdays on which the exchange is closed (weekends are not listed), with the holiday's name. */
  holidays: Map<number, string>;
  specialCloses: Map<number, SpecialTime>;
  specialOpens: Map<number, SpecialTime>;
}

const SUN = 0, MON = 1, TUE = 2, WED = 3, THU = 4, FRI = 5, SAT = 6;

/** Saturday -> the Friday before, Sunday -> the Monday after (NYSE Rule 7.2 observance). */
function nearestWorkday(day: number): number {
  const wd = weekday(day);
  return wd === SAT ? day - 1 : wd === SUN ? day + 1 : day;
}

/**
 * One-off full closures (both exchanges) in the supported range: national days of mourning,
 * the 9/11 attacks and Hurricane Sandy.
 */
export const ADHOC_CLOSURES: readonly (readonly [string, string])[] = [
  ['1994-04-27', 'National day of mourning for President Nixon'],
  ['2001-09-11', 'September 11 attacks'],
  ['2001-09-12', 'September 11 attacks'],
  ['2001-09-13', 'September 11 attacks'],
  ['2001-09-14', 'September 11 attacks'],
  ['2004-06-11', 'National day of mourning for President Reagan'],
  ['2007-01-02', 'National day of mourning for President Ford'],
  ['2012-10-29', 'Hurricane Sandy'],
  ['2012-10-30', 'Hurricane Sandy'],
  ['2018-12-05', 'National day of mourning for President George H. W. Bush'],
  ['2025-01-09', 'National day of mourning for President Carter'],
];

/** One-off early closes and late opens: [date, HH:MM, reason, exchanges]. */
interface Adhoc {
  date: string;
  time: string;
  reason: string;
  /** Which exchanges it applies to (NYSE floor incidents: XNYS only). */
  on: readonly EquityExchange[];
}

const BOTH: readonly EquityExchange[] = ['XNYS', 'XNAS'];
const NYSE_ONLY: readonly EquityExchange[] = ['XNYS'];

/** Unscheduled early closes (not the holiday half days, which are rules below). */
export const ADHOC_EARLY_CLOSES: readonly Adhoc[] = [
  { date: '1994-02-11', time: '14:30', reason: 'Snowstorm', on: NYSE_ONLY },
  { date: '1996-01-08', time: '14:00', reason: 'Snowstorm', on: NYSE_ONLY },
  { date: '1997-10-27', time: '15:30', reason: 'Market-wide circuit breaker', on: BOTH },
  { date: '2005-06-01', time: '15:56', reason: 'Systems communication problem', on: NYSE_ONLY },
];

/** Late opens (moments of silence, weather, systems). */
export const ADHOC_LATE_OPENS: readonly Adhoc[] = [
  { date: '1990-12-27', time: '09:31', reason: 'Con Edison transformer explosion', on: NYSE_ONLY },
  { date: '1991-01-17', time: '09:31', reason: 'Moment of silence: troops in the Gulf', on: NYSE_ONLY },
  { date: '1991-02-25', time: '09:31', reason: 'Moment of silence: troops in the Gulf', on: NYSE_ONLY },
  { date: '1995-12-18', time: '10:30', reason: 'Computer systems trouble', on: NYSE_ONLY },
  { date: '1996-01-08', time: '11:00', reason: 'Snowstorm', on: NYSE_ONLY },
  { date: '2001-09-17', time: '09:33', reason: 'Moment of silence for the victims of September 11', on: NYSE_ONLY },
  { date: '2001-10-08', time: '09:31', reason: 'Moment of silence: Operation Enduring Freedom', on: NYSE_ONLY },
  { date: '2002-09-11', time: '12:00', reason: 'Anniversary of September 11', on: NYSE_ONLY },
  { date: '2003-03-20', time: '09:32', reason: 'Moment of silence: Operation Iraqi Freedom', on: NYSE_ONLY },
  { date: '2004-06-07', time: '09:32', reason: 'Moment of silence for President Reagan', on: NYSE_ONLY },
  { date: '2006-12-27', time: '09:32', reason: 'Moment of silence for President Ford', on: NYSE_ONLY },
];

/** Holiday half days that predate the current rules (Christmas Eve 1990-1998, day after Christmas). */
const ADHOC_HALF_DAYS: readonly { date: string; time: string; reason: string }[] = [
  { date: '1990-12-24', time: '14:00', reason: 'Christmas Eve' },
  { date: '1991-12-24', time: '14:00', reason: 'Christmas Eve' },
  { date: '1992-12-24', time: '14:00', reason: 'Christmas Eve' },
  { date: '1996-12-24', time: '13:00', reason: 'Christmas Eve' },
  { date: '1997-12-24', time: '13:00', reason: 'Christmas Eve' },
  { date: '1997-12-26', time: '13:00', reason: 'Day after Christmas' },
  { date: '1998-12-24', time: '13:00', reason: 'Christmas Eve' },
  { date: '2003-12-26', time: '13:00', reason: 'Day after Christmas' },
];

const minuteOfText = (t: string): number => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

/** The regular (rule-based) holidays of a year, weekdays only, with their names. */
export function regularHolidays(year: number): Map<number, string> {
  const h = new Map<number, string>();
  const add = (day: number, name: string): void => {
    const wd = weekday(day);
    if (wd !== SAT && wd !== SUN) h.set(day, name);
  };
  // New Year's Day: Sunday -> Monday; Saturday -> not observed (NYSE Rule 7.2: no Friday Dec 31 closure)
  const ny = dayFromYmd(year, 1, 1);
  add(weekday(ny) === SUN ? ny + 1 : ny, "New Year's Day");
  if (year >= 1998) add(nthWeekday(year, 1, MON, 3), 'Martin Luther King Jr. Day');
  add(nthWeekday(year, 2, MON, 3), "Washington's Birthday (Presidents' Day)");
  add(easterSunday(year) - 2, 'Good Friday');
  add(nthWeekday(year, 5, MON, -1), 'Memorial Day');
  if (year >= 2022) add(nearestWorkday(dayFromYmd(year, 6, 19)), 'Juneteenth National Independence Day');
  add(nearestWorkday(dayFromYmd(year, 7, 4)), 'Independence Day');
  add(nthWeekday(year, 9, MON, 1), 'Labor Day');
  add(nthWeekday(year, 11, THU, 4), 'Thanksgiving Day');
  add(nearestWorkday(dayFromYmd(year, 12, 25)), 'Christmas Day');
  return h;
}

/**
 * The holiday half days of a year by rule (13:00 close unless noted), before removing holidays:
 * - day after Thanksgiving: from 1993 at 13:00 (1992: 14:00);
 * - Christmas Eve on Monday to Thursday: from 1999 (earlier years: the adhoc list);
 * - July 3 on Monday, Tuesday or Thursday: from 1995; on Wednesday (July 4 a Thursday): from 2013;
 * - Friday July 5 (July 4 a Thursday): 1996 to 2012.
 */
export function regularHalfDays(year: number): Map<number, SpecialTime> {
  const s = new Map<number, SpecialTime>();
  const put = (day: number, time: string, reason: string): void => {
    s.set(day, { minute: minuteOfText(time), reason, halfDay: true });
  };
  const thanksgiving = nthWeekday(year, 11, THU, 4);
  if (year === 1992) put(thanksgiving + 1, '14:00', 'Day after Thanksgiving');
  else if (year >= 1993) put(thanksgiving + 1, '13:00', 'Day after Thanksgiving');
  const xmasEve = dayFromYmd(year, 12, 24);
  const xwd = weekday(xmasEve);
  if (year >= 1999 && xwd >= MON && xwd <= THU) put(xmasEve, '13:00', 'Christmas Eve');
  const july3 = dayFromYmd(year, 7, 3);
  const j3 = weekday(july3);
  if (year >= 1995 && (j3 === MON || j3 === TUE || j3 === THU)) put(july3, '13:00', 'Day before Independence Day');
  if (year >= 2013 && j3 === WED) put(july3, '13:00', 'Day before Independence Day');
  const july5 = dayFromYmd(year, 7, 5);
  if (year >= 1996 && year <= 2012 && weekday(july5) === FRI) put(july5, '13:00', 'Day after Independence Day');
  for (const a of ADHOC_HALF_DAYS) {
    const d = tryParseIsoDate(a.date);
    if (a.date.startsWith(String(year))) put(d, a.time, a.reason);
  }
  return s;
}

/** Everything special about one year on one exchange (holidays win over special hours). */
export function yearSchedule(exchange: EquityExchange, year: number): YearSchedule {
  const holidays = regularHolidays(year);
  const prefix = `${year}-`;
  for (const [date, name] of ADHOC_CLOSURES) if (date.startsWith(prefix)) holidays.set(tryParseIsoDate(date), name);
  const specialCloses = regularHalfDays(year);
  for (const a of ADHOC_EARLY_CLOSES) {
    if (a.date.startsWith(prefix) && a.on.includes(exchange)) {
      specialCloses.set(tryParseIsoDate(a.date), { minute: minuteOfText(a.time), reason: a.reason, halfDay: false });
    }
  }
  const specialOpens = new Map<number, SpecialTime>();
  for (const a of ADHOC_LATE_OPENS) {
    if (a.date.startsWith(prefix) && a.on.includes(exchange)) {
      specialOpens.set(tryParseIsoDate(a.date), { minute: minuteOfText(a.time), reason: a.reason, halfDay: false });
    }
  }
  for (const d of holidays.keys()) {
    specialCloses.delete(d);
    specialOpens.delete(d);
  }
  return { exchange, year, holidays, specialCloses, specialOpens };
}
