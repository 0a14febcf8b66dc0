import { parseScaled, pow10 } from '../core/fixed-point.ts';

/**
 * Field parsers that read straight from a slice `[start, end)` of a chunk's text, without making a
 * substring: exact decimals into integer units, decimal counts, and timestamps into integer
 * microseconds (UTC). They return NaN on bad input (hot path); the `explain*` functions say why
 * (cold path, for error messages).
 */

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * Parses a plain decimal (`-12.345`, `+7`, `.5`) into an integer count of 10^-precision units,
 * exactly (digit by digit, no float rounding). Digits beyond the precision must be zeros. Exponent
 * notation (`1.5e-3`) takes the slower exact path of `parseScaled`. Returns NaN when malformed, not
 * finite, finer than the precision or beyond 2^53 units; `explainNumber` says which.
 */
export function parseUnitsAt(s: string, start: number, end: number, precision: number): number {
  let i = start;
  while (i < end && s.charCodeAt(i) === 32) i++;
  while (end > i && s.charCodeAt(end - 1) === 32) end--;
  if (i >= end) return NaN;
  let c = s.charCodeAt(i);
  let neg = false;
  if (c === 45) {
    neg = true;
    i++;
  } else if (c === 43) i++;
  let n = 0;
  let digits = 0;
  for (; i < end; i++) {
    c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    n = n * 10 + c;
    digits++;
  }
  let frac = 0;
  if (i < end && s.charCodeAt(i) === 46) {
    i++;
    for (; i < end; i++) {
      c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      digits++;
      if (frac < precision) {
        n = n * 10 + c;
        frac++;
      } else if (c !== 0) return NaN; // finer than the grid
    }
  }
  if (i !== end || digits === 0) {
    if (i < end && (s.charCodeAt(i) | 32) === 101 && digits > 0) return parseScaled(s.slice(start, end), precision);
    return NaN;
  }
  if (frac < precision) n *= pow10(precision - frac);
  if (n > MAX_SAFE) return NaN;
  return neg ? 0 - n : n;
}

/** Number of digits after the decimal point of a field (`37.840000` -> 6, `5699` -> 0); 0 when not a plain decimal. */
export function decimalsAt(s: string, start: number, end: number): number {
  while (end > start && s.charCodeAt(end - 1) === 32) end--;
  for (let i = end - 1; i >= start; i--) {
    const c = s.charCodeAt(i);
    if (c === 46) return end - 1 - i;
    if (c < 48 || c > 57) {
      const text = s.slice(start, end);
      // exponent notation: count exactly through the slow path
      const m = /^\s*[+-]?(\d*)(?:\.(\d*))?[eE]([+-]?\d+)$/.exec(text);
      if (!m) return 0;
      return Math.max(0, (m[2] ?? '').length - Number(m[3]));
    }
  }
  return 0;
}

/** Why `parseUnitsAt` rejected a field: a short phrase for an error message. */
export function explainNumber(text: string, precision: number): string {
  const t = text.trim();
  if (t.length === 0) return 'is empty';
  if (/^[+-]?(nan|inf|infinity)$/i.test(t)) return `'${text}' is not a finite number`;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return `'${text}' is not a number`;
  const x = Number(t);
  if (!Number.isFinite(x)) return `'${text}' is not a finite number`;
  if (Math.abs(x) * pow10(precision) > MAX_SAFE) return `'${text}' is too large for precision ${precision} (beyond 2^53 units)`;
  return `'${text}' is finer than the precision of ${precision} decimals (off the grid)`;
}

// ---------------------------------------------------------------------------------------------
// Timestamps

/** How a time field is written. `auto` looks at the first data row (see `detectTimeFormat`). */
export type TimeFormat =
  | 'auto'
  | 'iso'
  | 'YYYY-MM-DD'
  | 'YYYYMMDD'
  | 'YYYY-MM-DD HH:mm:ss'
  | 'epoch-s'
  | 'epoch-ms'
  | 'epoch-us'
  | 'epoch-ns';

/** The formats `TimeFormat` accepts (for validation and docs). */
export const TIME_FORMATS: readonly TimeFormat[] = ['auto', 'iso', 'YYYY-MM-DD', 'YYYYMMDD', 'YYYY-MM-DD HH:mm:ss', 'epoch-s', 'epoch-ms', 'epoch-us', 'epoch-ns'];

const US_PER_DAY = 86_400_000_000;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Reads `len` digits at `i` as an integer, or -1. */
function digitsAt(s: string, i: number, len: number): number {
  let n = 0;
  for (let k = 0; k < len; k++) {
    const c = s.charCodeAt(i + k) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

function isSign(c: number): boolean {
  return c === 43 || c === 45;
}

function dateUs(y: number, m: number, d: number): number {
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return NaN;
  return daysFromCivil(y, m, d) * US_PER_DAY;
}

/**
 * Parses `HH:mm`, `HH:mm:ss` or `HH:mm:ss.f` (up to 9 fraction digits, truncated to microseconds)
 * at `[i, end)` into microseconds since midnight; NaN when malformed or out of range.
 */
export function parseTimeOfDayAt(s: string, i: number, end: number): number {
  if (end - i < 5 || s.charCodeAt(i + 2) !== 58) return NaN;
  const hh = digitsAt(s, i, 2);
  const mm = digitsAt(s, i + 3, 2);
  if (hh < 0 || mm < 0 || hh > 23 || mm > 59) return NaN;
  let us = (hh * 3600 + mm * 60) * 1_000_000;
  i += 5;
  if (i === end) return us;
  if (s.charCodeAt(i) !== 58 || end - i < 3) return NaN;
  const ss = digitsAt(s, i + 1, 2);
  if (ss < 0 || ss > 59) return NaN;
  us += ss * 1_000_000;
  i += 3;
  if (i === end) return us;
  if (s.charCodeAt(i) !== 46) return NaN;
  i++;
  let frac = 0;
  let n = 0;
  for (; i < end; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    if (n < 6) {
      frac = frac * 10 + c;
      n++;
    } else if (n++ >= 9) return NaN;
  }
  if (n === 0) return NaN;
  const keep = n < 6 ? n : 6;
  return us + frac * pow10(6 - keep);
}

/**
 * ISO 8601-like date and time at `[i, end)`: `YYYY-MM-DD`, optionally followed by `T` or a space
 * and a time of day (`parseTimeOfDayAt`), optionally followed by `Z` or an offset `+hh:mm`/`+hhmm`/`+hh`.
 * UTC when no offset is given. Microseconds since the epoch, or NaN.
 */
export function parseIsoAt(s: string, i: number, end: number): number {
  while (end > i && s.charCodeAt(end - 1) === 32) end--;
  while (i < end && s.charCodeAt(i) === 32) i++;
  if (end - i < 10 || s.charCodeAt(i + 4) !== 45 || s.charCodeAt(i + 7) !== 45) return NaN;
  const base = dateUs(digitsAt(s, i, 4), digitsAt(s, i + 5, 2), digitsAt(s, i + 8, 2));
  if (end - i === 10 || base !== base) return base;
  const sep = s.charCodeAt(i + 10);
  if (sep !== 84 && sep !== 32 && sep !== 116) return NaN;
  // zone suffix
  let tEnd = end;
  let offsetUs = 0;
  const last = s.charCodeAt(end - 1);
  if (last === 90 || last === 122) tEnd = end - 1;
  else {
    // an offset sign can only follow a full HH:mm, so at index >= i + 16
    let k = -1;
    let oh = -1;
    let om = 0;
    if (end - 6 >= i + 16 && isSign(s.charCodeAt(end - 6)) && s.charCodeAt(end - 3) === 58) {
      k = end - 6;
      oh = digitsAt(s, k + 1, 2);
      om = digitsAt(s, k + 4, 2);
    } else if (end - 5 >= i + 16 && isSign(s.charCodeAt(end - 5))) {
      k = end - 5;
      oh = digitsAt(s, k + 1, 2);
      om = digitsAt(s, k + 3, 2);
    } else if (end - 3 >= i + 16 && isSign(s.charCodeAt(end - 3))) {
      k = end - 3;
      oh = digitsAt(s, k + 1, 2);
    }
    if (k >= 0) {
      if (oh < 0 || om < 0 || oh > 23 || om > 59) return NaN;
      offsetUs = (oh * 60 + om) * 60_000_000 * (s.charCodeAt(k) === 43 ? 1 : -1);
      tEnd = k;
    }
  }
  const tod = parseTimeOfDayAt(s, i + 11, tEnd);
  return base + tod - offsetUs;
}

/** `YYYYMMDD` at `[i, end)`: microseconds at midnight UTC, or NaN. */
export function parseCompactDateAt(s: string, i: number, end: number): number {
  while (end > i && s.charCodeAt(end - 1) === 32) end--;
  while (i < end && s.charCodeAt(i) === 32) i++;
  if (end - i !== 8) return NaN;
  return dateUs(digitsAt(s, i, 4), digitsAt(s, i + 4, 2), digitsAt(s, i + 6, 2));
}

/**
 * Epoch number at `[i, end)` in units of 10^-`unitDigits` seconds (s: 0, ms: 3, us: 6, ns: 9), with an
 * optional decimal fraction, into integer microseconds (finer digits are truncated toward the past).
 * Exact: read digit by digit. NaN when malformed.
 */
export function parseEpochAt(s: string, i: number, end: number, unitDigits: number): number {
  while (end > i && s.charCodeAt(end - 1) === 32) end--;
  while (i < end && s.charCodeAt(i) === 32) i++;
  let neg = false;
  if (i < end && s.charCodeAt(i) === 45) {
    neg = true;
    i++;
  }
  // digits of the value in us: keep the integer part scaled by 10^(6-unitDigits) plus fraction digits
  let n = 0;
  let digits = 0;
  let dropped = false; // a non-zero digit finer than 1 us
  const intStart = i;
  let intEnd = i;
  while (intEnd < end) {
    const c = s.charCodeAt(intEnd) - 48;
    if (c < 0 || c > 9) break;
    intEnd++;
  }
  const intLen = intEnd - intStart;
  // number of integer digits that are whole microseconds or coarser
  const excess = unitDigits > 6 ? unitDigits - 6 : 0; // ns: last 3 integer digits are sub-us
  for (let k = intStart; k < intEnd - excess; k++) n = n * 10 + (s.charCodeAt(k) - 48);
  for (let k = intEnd - excess; k < intEnd; k++) if (k >= intStart && s.charCodeAt(k) !== 48) dropped = true;
  digits = intLen;
  let fracDigitsWanted = unitDigits < 6 ? 6 - unitDigits : 0;
  i = intEnd;
  if (i < end && s.charCodeAt(i) === 46) {
    i++;
    for (; i < end; i++) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return NaN;
      digits++;
      if (fracDigitsWanted > 0) {
        n = n * 10 + c;
        fracDigitsWanted--;
      } else if (c !== 0) dropped = true;
    }
  }
  if (i !== end || digits === 0) return NaN;
  if (fracDigitsWanted > 0) n *= pow10(fracDigitsWanted);
  if (n > MAX_SAFE) return NaN;
  if (neg) return dropped ? -n - 1 : 0 - n;
  return n;
}

/** A parser of one time field: microseconds since the epoch, or NaN. */
export type TimeParser = (s: string, start: number, end: number) => number;

const parseEpochS: TimeParser = (s, a, b) => parseEpochAt(s, a, b, 0);
const parseEpochMs: TimeParser = (s, a, b) => parseEpochAt(s, a, b, 3);
const parseEpochUs: TimeParser = (s, a, b) => parseEpochAt(s, a, b, 6);
const parseEpochNs: TimeParser = (s, a, b) => parseEpochAt(s, a, b, 9);
const parseDateOnly: TimeParser = (s, a, b) => {
  while (b > a && s.charCodeAt(b - 1) === 32) b--;
  return b - a === 10 ? parseIsoAt(s, a, b) : NaN;
};
const parseDateTime: TimeParser = (s, a, b) => {
  while (b > a && s.charCodeAt(b - 1) === 32) b--;
  return b - a === 19 && s.charCodeAt(a + 10) === 32 ? parseIsoAt(s, a, b) : NaN;
};

/** The parser for a (non-`auto`) format. */
export function timeParser(format: Exclude<TimeFormat, 'auto'>): TimeParser {
  switch (format) {
    case 'iso':
      return parseIsoAt;
    case 'YYYY-MM-DD':
      return parseDateOnly;
    case 'YYYY-MM-DD HH:mm:ss':
      return parseDateTime;
    case 'YYYYMMDD':
      return parseCompactDateAt;
    case 'epoch-s':
      return parseEpochS;
    case 'epoch-ms':
      return parseEpochMs;
    case 'epoch-us':
      return parseEpochUs;
    case 'epoch-ns':
      return parseEpochNs;
  }
}

/**
 * Guesses the format from a sample value: a `-` at index 4 means ISO; 8 digits `YYYYMMDD`; otherwise
 * a number is an epoch whose unit follows from its integer digit count (<= 11: seconds, 12-14:
 * milliseconds, 15-17: microseconds, 18-19: nanoseconds). Undefined when nothing fits.
 */
export function detectTimeFormat(sample: string): Exclude<TimeFormat, 'auto'> | undefined {
  const t = sample.trim();
  if (/^\d{4}-\d{2}-\d{2}/.test(t)) return 'iso';
  if (/^\d{8}$/.test(t)) return 'YYYYMMDD';
  const m = /^-?(\d+)(\.\d*)?$/.exec(t);
  if (!m) return undefined;
  const len = m[1]!.length;
  if (len <= 11) return 'epoch-s';
  if (len <= 14) return 'epoch-ms';
  if (len <= 17) return 'epoch-us';
  if (len <= 19) return 'epoch-ns';
  return undefined;
}

/** True when a field looks like a time of day (`09:01`, `09:01:00`, `09:01:00.5`). */
export function looksLikeTimeOfDay(text: string): boolean {
  return /^\s*\d\d:\d\d(:\d\d(\.\d+)?)?\s*$/.test(text);
}
