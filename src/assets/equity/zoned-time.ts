import { MarketsimError } from '../../core/errors.ts';
import { ymdFromDay } from './civil-date.ts';

/**
 * Wall-clock time in an IANA time zone to UTC instants, through Node's built-in `Intl` (Node 20
 * ships full ICU with the IANA tz database), so daylight saving follows the zone's real history and
 * no time-zone library is needed. Used on cold paths only: exchange calendars convert each session
 * boundary once per year and cache the result.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new MarketsimError('TIMEZONE_UNKNOWN', `unknown time zone ${JSON.stringify(zone)} (expected an IANA name such as America/New_York)`);
    }
    formatters.set(zone, f);
  }
  return f;
}

/** The zone's UTC offset at a UTC instant, milliseconds (e.g. -14_400_000 for EDT). */
export function zoneOffsetMs(zone: string, utcMs: number): number {
  const parts = formatter(zone).formatToParts(new Date(utcMs));
  let y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  for (const p of parts) {
    if (p.type === 'year') y = Number(p.value);
    else if (p.type === 'month') mo = Number(p.value);
    else if (p.type === 'day') d = Number(p.value);
    else if (p.type === 'hour') h = Number(p.value);
    else if (p.type === 'minute') mi = Number(p.value);
    else if (p.type === 'second') s = Number(p.value);
  }
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  return wall - (utcMs - (((utcMs % 1000) + 1000) % 1000));
}

/**
 * UTC microseconds of the wall time `minuteOfDay` minutes after local midnight of the civil date
 * `dayNumber` in `zone`. For a wall time that occurs twice (autumn fall-back) the first is taken;
 * for one that does not exist (spring gap) the instant after the gap. Exchange session times
 * (04:00 to 20:00) are never in either.
 */
export function zonedMicros(zone: string, dayNumber: number, minuteOfDay: number): number {
  const [y, m, d] = ymdFromDay(dayNumber);
  const wall = Date.UTC(y, m - 1, d, 0, 0, 0) + minuteOfDay * 60_000;
  const off1 = zoneOffsetMs(zone, wall);
  let utc = wall - off1;
  const off2 = zoneOffsetMs(zone, utc);
  if (off2 !== off1) {
    const alt = wall - off2;
    // take the earlier valid instant for an ambiguous time, the later one inside a gap
    utc = zoneOffsetMs(zone, alt) === off2 ? Math.min(utc, alt) : Math.max(utc, alt);
  }
  return utc * 1000;
}

/** Minutes after midnight for `HH:MM`. */
export function minuteOf(hhmm: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new RangeError(`bad time of day ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** `HH:MM` for minutes after midnight. */
export function hhmm(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}
