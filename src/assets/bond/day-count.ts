import { daysInMonth, ymdFromDay, type Day } from './civil-date.ts';
import { BondInputError } from './errors.ts';

/**
 * Day-count conventions.
 *
 * - `ACT/ACT`: ACT/ACT (ICMA), the Treasury convention (31 CFR 356 Appendix B: a half-year's interest
 *   is paid regardless of its number of days; a fraction of a period is actual days over the actual
 *   days of that coupon period). Needs the reference (coupon) period.
 * - `30/360`: 30/360 US (the "bond basis" of US corporates and agencies, SIFMA Standard Securities
 *   Calculation Methods), with the February end-of-month rules; see `days30360`.
 * - `ACT/360`: actual days / 360.
 * - `ACT/365F`: actual days / 365 (fixed, also in leap years).
 */
export type DayCount = 'ACT/ACT' | '30/360' | 'ACT/360' | 'ACT/365F';

/** All day counts. */
export const DAY_COUNTS: readonly DayCount[] = ['ACT/ACT', '30/360', 'ACT/360', 'ACT/365F'];

/** A day count of a name, accepting common aliases (`ACT/ACT ICMA`, `30/360 US`, `ACT/365`, `A/360` ...). */
export function parseDayCount(text: string, field = 'dayCount'): DayCount {
  const t = String(text).trim().toUpperCase().replace(/\s+/g, ' ').replace(/ACTUAL/g, 'ACT').replace(/^A\//, 'ACT/');
  const aliases: Record<string, DayCount> = {
    'ACT/ACT': 'ACT/ACT',
    'ACT/ACT ICMA': 'ACT/ACT',
    'ACT/ACT (ICMA)': 'ACT/ACT',
    'ACT/ACT ISMA': 'ACT/ACT',
    '30/360': '30/360',
    '30/360 US': '30/360',
    '30/360 (US)': '30/360',
    'BOND BASIS': '30/360',
    'ACT/360': 'ACT/360',
    'ACT/365F': 'ACT/365F',
    'ACT/365': 'ACT/365F',
    'ACT/365 FIXED': 'ACT/365F',
  };
  const dc = aliases[t];
  if (!dc) throw new BondInputError(field, `unknown day count ${JSON.stringify(text)} (expected one of ${DAY_COUNTS.join(', ')})`);
  return dc;
}

/**
 * Days between two dates under 30/360 US with the end-of-month rules (SIFMA Standard Securities
 * Calculation Methods; the same as Excel's basis 0 "US (NASD) 30/360"). With D1/M1/Y1 the start,
 * D2/M2/Y2 the end:
 *
 * 1. if `eom` and D1 is the last day of February and D2 is the last day of February: D2 = 30;
 * 2. if `eom` and D1 is the last day of February: D1 = 30;
 * 3. if D2 = 31 and D1 >= 30: D2 = 30;
 * 4. if D1 = 31: D1 = 30;
 *
 * then `360 (Y2 - Y1) + 30 (M2 - M1) + (D2 - D1)`. Example: Aug 31 to Feb 28 (not leap) is 178 days,
 * Feb 28 to Aug 31 is 180. `eom` (default true) is the security's end-of-month rule.
 */
export function days30360(start: Day, end: Day, eom = true): number {
  const [y1, m1, d1r] = ymdFromDay(start);
  const [y2, m2, d2r] = ymdFromDay(end);
  let d1 = d1r;
  let d2 = d2r;
  const lastFeb1 = m1 === 2 && d1r === daysInMonth(y1, 2);
  const lastFeb2 = m2 === 2 && d2r === daysInMonth(y2, 2);
  if (eom && lastFeb1 && lastFeb2) d2 = 30;
  if (eom && lastFeb1) d1 = 30;
  if (d2 === 31 && d1 >= 30) d2 = 30;
  if (d1 === 31) d1 = 30;
  return 360 * (y2 - y1) + 30 * (m2 - m1) + (d2 - d1);
}

/**
 * The year fraction from `start` to `end` under a day count that needs no reference period
 * (`30/360`, `ACT/360`, `ACT/365F`). ACT/ACT (ICMA) depends on the coupon periods: use
 * `Bond.accrualPeriods` or `actActIcma`.
 */
export function yearFraction(dc: DayCount, start: Day, end: Day): number {
  switch (dc) {
    case '30/360':
      return days30360(start, end) / 360;
    case 'ACT/360':
      return (end - start) / 360;
    case 'ACT/365F':
      return (end - start) / 365;
    case 'ACT/ACT':
      throw new BondInputError('dayCount', 'ACT/ACT (ICMA) needs the reference coupon period: use actActIcma(start, end, refStart, refEnd, frequency)');
  }
}

/**
 * ACT/ACT (ICMA) year fraction of `[start, end]` inside one reference coupon period
 * `[refStart, refEnd]` of a bond paying `frequency` coupons a year: `(end - start) / (frequency (refEnd - refStart))`.
 */
export function actActIcma(start: Day, end: Day, refStart: Day, refEnd: Day, frequency: number): number {
  return (end - start) / (frequency * (refEnd - refStart));
}
