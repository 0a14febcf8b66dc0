/**
 * Time is an integer count of microseconds since the Unix epoch (UTC), held in a `number`:
 * exact up to 2^53 us (year 2255). These helpers convert at the edges.
 */

/** Microseconds per unit. */
export const US_PER_MS = 1_000;
export const US_PER_SECOND = 1_000_000;
export const US_PER_MINUTE = 60_000_000;
export const US_PER_HOUR = 3_600_000_000;
export const US_PER_DAY = 86_400_000_000;

/** ISO 8601 (UTC, `Z`) for a microsecond timestamp, with microseconds when they are not zero. */
export function isoFromMicros(t: number): string {
  const ms = Math.floor(t / 1000);
  const us = t - ms * 1000;
  const iso = new Date(ms).toISOString();
  return us === 0 ? iso : `${iso.slice(0, -1)}${String(us).padStart(3, '0')}Z`;
}

/** Microseconds for a `Date` or an ISO 8601 string (UTC unless the string carries an offset). */
export function microsFromIso(text: string): number {
  const m = /^(.*?)(\.(\d+))?(Z|[+-]\d\d:?\d\d)?$/.exec(text.trim());
  if (!m) return NaN;
  const base = m[1]!;
  const frac = (m[3] ?? '').padEnd(6, '0').slice(0, 6);
  const zone = m[4] ?? 'Z';
  const isDateOnly = /^\d{4}-\d{2}-\d{2}$/.test(base);
  const ms = Date.parse(isDateOnly ? `${base}T00:00:00${zone}` : `${base}${zone}`);
  if (Number.isNaN(ms)) return NaN;
  return ms * 1000 + Number(frac || '0');
}

/** The UTC calendar date `YYYY-MM-DD` of a timestamp. */
export function dateFromMicros(t: number): string {
  return new Date(Math.floor(t / 1000)).toISOString().slice(0, 10);
}
