import { adjustBusinessDay, type BusinessCalendar, type BusinessDayRule } from './business-days.ts';
import { addMonths, isoFromDay, type Day } from './civil-date.ts';
import { BondInputError } from './errors.ts';

/** Coupons per year: annual, semi-annual, quarterly or monthly. */
export type Frequency = 1 | 2 | 4 | 12;

/** All frequencies. */
export const FREQUENCIES: readonly Frequency[] = [1, 2, 4, 12];

/** What a coupon schedule is generated from. */
export interface ScheduleSpec {
  /** Issue (dated) date: interest accrues from here. */
  issue: Day;
  maturity: Day;
  frequency: Frequency;
  /** End-of-month rule: a maturity on a month end puts every coupon date on a month end. */
  eom: boolean;
  /** First coupon date, for a long first coupon; it must be on the maturity's coupon cycle. */
  firstCoupon?: Day | undefined;
  /** Calendar and rule that move payment dates to business days. */
  calendar: BusinessCalendar;
  businessDay: BusinessDayRule;
  /** Accrue on adjusted dates too (default false: accrual on the unadjusted dates, as for Treasuries). */
  adjustAccrual?: boolean | undefined;
}

/** One coupon period. */
export interface CouponPeriod {
  /** Accrual start and end (unadjusted unless `adjustAccrual`). */
  accrualStart: Day;
  accrualEnd: Day;
  /** The day the coupon (and, for the last period, the principal) is paid: `accrualEnd` moved to a business day. */
  paymentDate: Day;
  /** Unadjusted coupon date that ends the period (on the maturity's cycle). */
  couponDate: Day;
  /** Length in notional coupon periods: 1 for a regular period, < 1 for a short first coupon, > 1 for a long one. */
  periods: number;
  /** True for a full regular period. */
  regular: boolean;
}

/** A generated schedule: the periods and the notional (quasi-coupon) dates behind them. */
export interface CouponSchedule {
  periods: CouponPeriod[];
  /**
   * Quasi-coupon dates ascending: the maturity's coupon cycle from the last date on or before the issue
   * date up to the maturity. ACT/ACT (ICMA) fractions of irregular periods are measured against them.
   */
  anchors: Day[];
}

const MAX_PERIODS = 1200;

/** The k-th coupon date before maturity on its cycle (k = 0 is the maturity). */
export function cycleDate(maturity: Day, k: number, frequency: Frequency, eom: boolean): Day {
  return addMonths(maturity, -k * (12 / frequency), eom);
}

/**
 * Number of notional coupon periods in `[a, b]` (ACT/ACT ICMA): for each quasi-coupon period
 * `[A_i, A_{i+1}]` it overlaps, overlap days / period days. `anchors` must cover `[a, b]`.
 */
export function notionalPeriods(a: Day, b: Day, anchors: readonly Day[]): number {
  if (b <= a) return 0;
  // last anchor index i with anchors[i] <= a
  let lo = 0;
  let hi = anchors.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (anchors[mid]! <= a) lo = mid;
    else hi = mid - 1;
  }
  let sum = 0;
  for (let i = lo; i < anchors.length - 1; i++) {
    const s = anchors[i]!;
    const e = anchors[i + 1]!;
    if (s >= b) break;
    const from = a > s ? a : s;
    const to = b < e ? b : e;
    if (to > from) sum += (to - from) / (e - s);
  }
  return sum;
}

/**
 * Coupon schedule generated backward from maturity: the coupon dates are `maturity - k * 12/frequency`
 * months (each computed from the maturity, so day-of-month clamping never drifts; with `eom` and a
 * month-end maturity, all month ends), back to the issue date. The first period runs from the issue
 * date to the first coupon date after it (a short first coupon when the issue date is not on the
 * cycle), or to `firstCoupon` (a long first coupon). Payment dates are the coupon dates moved by the
 * business-day rule; accrual uses the unadjusted dates unless `adjustAccrual`.
 */
export function couponSchedule(spec: ScheduleSpec): CouponSchedule {
  const { issue, maturity, frequency, eom } = spec;
  if (!FREQUENCIES.includes(frequency)) throw new BondInputError('frequency', `expected 1, 2, 4 or 12 coupons a year, got ${String(frequency)}`);
  if (!(maturity > issue)) throw new BondInputError('maturity', `maturity ${isoFromDay(maturity)} must be after the issue date ${isoFromDay(issue)}`);
  const desc: Day[] = [maturity];
  let k = 0;
  while (desc[desc.length - 1]! > issue) {
    k++;
    if (k > MAX_PERIODS) throw new BondInputError('maturity', `more than ${MAX_PERIODS} coupon periods between issue and maturity`);
    desc.push(cycleDate(maturity, k, frequency, eom));
  }
  const anchors = desc.reverse(); // anchors[0] <= issue < anchors[1]
  let firstIndex = 1; // index in anchors of the first coupon date
  if (spec.firstCoupon !== undefined) {
    const fc = spec.firstCoupon;
    const idx = anchors.indexOf(fc);
    if (idx < 0) throw new BondInputError('firstCoupon', `${isoFromDay(fc)} is not on the coupon cycle of the maturity ${isoFromDay(maturity)}`);
    if (!(fc > issue)) throw new BondInputError('firstCoupon', `${isoFromDay(fc)} must be after the issue date ${isoFromDay(issue)}`);
    firstIndex = idx;
  }
  const adjustAccrual = spec.adjustAccrual === true;
  const periods: CouponPeriod[] = [];
  let start = issue;
  for (let i = firstIndex; i < anchors.length; i++) {
    const couponDate = anchors[i]!;
    const paymentDate = adjustBusinessDay(couponDate, spec.businessDay, spec.calendar);
    const end = adjustAccrual ? paymentDate : couponDate;
    const n = i === firstIndex ? notionalPeriods(issue, couponDate, anchors) : 1;
    const regular = i !== firstIndex || (firstIndex === 1 && anchors[0] === issue);
    periods.push({ accrualStart: start, accrualEnd: end, paymentDate, couponDate, periods: regular ? 1 : n, regular });
    start = end;
  }
  return { periods, anchors };
}
