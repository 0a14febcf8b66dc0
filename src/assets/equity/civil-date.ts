import { MarketsimError } from '../../core/errors.ts';
import { tryParseIsoDate } from '../../core/civil-date.ts';

/** Civil dates of the exchange calendars: the day-number arithmetic lives in src/core/civil-date.ts. */
export { dayFromYmd, yearOfDay, ymdFromDay, weekday, tryParseIsoDate, nthWeekday, easterSunday, isoFromDay as isoDate } from '../../core/civil-date.ts';

/** Day number of a `YYYY-MM-DD` string; `MarketsimError` (DATE_INVALID) naming `what` when malformed. */
export function parseIsoDate(text: string, what = 'date'): number {
  const n = tryParseIsoDate(String(text).trim());
  if (Number.isNaN(n)) throw new MarketsimError('DATE_INVALID', `${what}: expected a date YYYY-MM-DD, got ${JSON.stringify(text)}`);
  return n;
}
