import { addBusinessDays, businessCalendar, type BusinessCalendar } from './business-days.ts';
import { dayFromIso, isoFromDay, toDay, type DateInput, type Day } from './civil-date.ts';
import { days30360, type DayCount } from './day-count.ts';
import { BondInputError } from './errors.ts';
import { parseBondSpec, type BondSpec, type BondSpecInput } from './bond-spec.ts';
import { couponSchedule, notionalPeriods, type CouponPeriod, type Frequency } from './schedule.ts';

/** One payment of a bond, in currency for the bond's face. */
export interface BondCashflow {
  /** Business day of payment. */
  paymentDate: string;
  /** Unadjusted coupon date (the end of the accrual period). */
  couponDate: string;
  interest: number;
  principal: number;
  amount: number;
}

/**
 * A bond ready to price: its spec plus the coupon schedule (generated once) and the coupon of each
 * period per 100 face. Dates are day numbers (`Day`) or `YYYY-MM-DD` strings; prices per 100 face.
 *
 * Coupons: a regular period pays `100 * coupon / frequency` under ACT/ACT and 30/360 (a half-year's
 * interest regardless of its days, 31 CFR 356 Appendix B); an irregular first period pays
 * `100 * coupon / frequency * n` with n its length in notional periods (ACT/ACT) or
 * `100 * coupon * days30360 / 360` (30/360); under ACT/360 and ACT/365F every period pays
 * `100 * coupon * days / basis`.
 */
export class Bond {
  readonly spec: BondSpec;
  readonly issue: Day;
  readonly maturity: Day;
  readonly frequency: Frequency;
  /** Annual coupon rate (fraction). */
  readonly coupon: number;
  readonly dayCount: DayCount;
  readonly calendar: BusinessCalendar;
  readonly periods: readonly CouponPeriod[];
  /** Quasi-coupon dates ascending (see `CouponSchedule.anchors`). */
  readonly anchors: readonly Day[];
  /** Coupon of each period per 100 face. */
  readonly couponAmounts: Float64Array;
  private readonly ends: Int32Array;

  constructor(spec: BondSpec) {
    this.spec = spec;
    this.issue = dayFromIso(spec.issue, 'issue');
    this.maturity = dayFromIso(spec.maturity, 'maturity');
    this.frequency = spec.frequency;
    this.coupon = spec.coupon;
    this.dayCount = spec.dayCount;
    this.calendar = businessCalendar(spec.calendar);
    const schedule = couponSchedule({
      issue: this.issue,
      maturity: this.maturity,
      frequency: spec.frequency,
      eom: spec.eom,
      firstCoupon: spec.firstCoupon !== undefined ? dayFromIso(spec.firstCoupon, 'firstCoupon') : undefined,
      calendar: this.calendar,
      businessDay: spec.businessDay,
      adjustAccrual: spec.adjustAccrual,
    });
    this.periods = schedule.periods;
    this.anchors = schedule.anchors;
    this.couponAmounts = new Float64Array(this.periods.length);
    this.ends = new Int32Array(this.periods.length);
    for (let i = 0; i < this.periods.length; i++) {
      const p = this.periods[i]!;
      this.couponAmounts[i] = this.periodCoupon(p);
      this.ends[i] = p.accrualEnd;
    }
  }

  /** A bond from a spec input (validated by `parseBondSpec`). */
  static from(input: BondSpecInput | BondSpec, source = 'bond'): Bond {
    return new Bond(parseBondSpec(input, source));
  }

  private periodCoupon(p: CouponPeriod): number {
    const c = 100 * this.coupon;
    if (c === 0) return 0;
    switch (this.dayCount) {
      case 'ACT/ACT':
        return this.spec.adjustAccrual && p.regular ? c / this.frequency : (c / this.frequency) * p.periods;
      case '30/360':
        return p.regular ? c / this.frequency : (c * days30360(p.accrualStart, p.accrualEnd, this.spec.eom)) / 360;
      case 'ACT/360':
        return (c * (p.accrualEnd - p.accrualStart)) / 360;
      case 'ACT/365F':
        return (c * (p.accrualEnd - p.accrualStart)) / 365;
    }
  }

  /**
   * Index of the coupon period that settlement `settle` falls in (`accrualStart <= settle < accrualEnd`).
   * Throws when settlement is before the issue date or on/after maturity.
   */
  periodIndex(settle: DateInput): number {
    const s = toDay(settle, 'settle');
    if (s >= this.maturity) throw new BondInputError('settle', `maturity ${isoFromDay(this.maturity)} must be after settlement ${isoFromDay(s)}`);
    if (s < this.issue) throw new BondInputError('settle', `settlement ${isoFromDay(s)} is before the issue (dated) date ${isoFromDay(this.issue)}`);
    const ends = this.ends;
    let lo = 0;
    let hi = ends.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ends[mid]! > s) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Accrued interest per 100 face at settlement (0 on a coupon date). */
  accruedInterest(settle: DateInput): number {
    const s = toDay(settle, 'settle');
    return this.accruedIn(this.periodIndex(s), s);
  }

  /** Accrued interest per 100 face for settlement `s` inside period `i` (no checks). */
  accruedIn(i: number, s: Day): number {
    const p = this.periods[i]!;
    if (this.coupon === 0 || s <= p.accrualStart) return 0;
    const c = 100 * this.coupon;
    switch (this.dayCount) {
      case 'ACT/ACT':
        if (this.spec.adjustAccrual) return (this.couponAmounts[i]! * (s - p.accrualStart)) / (p.accrualEnd - p.accrualStart);
        return (c / this.frequency) * notionalPeriods(p.accrualStart, s, this.anchors);
      case '30/360':
        return (c * days30360(p.accrualStart, s, this.spec.eom)) / 360;
      case 'ACT/360':
        return (c * (s - p.accrualStart)) / 360;
      case 'ACT/365F':
        return (c * (s - p.accrualStart)) / 365;
    }
  }

  /**
   * Time from settlement `s` (inside period `i`) to the period's coupon date, in coupon periods: the
   * street convention's fractional first period `w`. ACT/ACT, ACT/360 and ACT/365F: actual days over
   * the actual days of the (notional) coupon period; 30/360: `(360/f - days30360(start, s)) / (360/f)`
   * for a regular period, `days30360(s, end) / (360/f)` for an irregular one.
   */
  periodsToCoupon(i: number, s: Day): number {
    const p = this.periods[i]!;
    if (this.dayCount === '30/360') {
      const e = 360 / this.frequency;
      const w = p.regular ? (e - days30360(p.accrualStart, s, this.spec.eom)) / e : days30360(s, p.couponDate, this.spec.eom) / e;
      return w > 0 ? w : 0;
    }
    return notionalPeriods(s, p.couponDate, this.anchors);
  }

  /** Settlement date of a trade: `settlementLag` business days after the trade date (T+1 for Treasuries). */
  settlementDate(tradeDate: DateInput): Day {
    return addBusinessDays(toDay(tradeDate, 'tradeDate'), this.spec.settlementLag, this.calendar);
  }

  /** The coupon date on or before settlement (the issue date in the first period). */
  previousCouponDate(settle: DateInput): Day {
    return this.periods[this.periodIndex(settle)]!.accrualStart;
  }

  /** The next coupon date after settlement (unadjusted). */
  nextCouponDate(settle: DateInput): Day {
    return this.periods[this.periodIndex(settle)]!.couponDate;
  }

  /** Payments after settlement (all payments when `settle` is omitted), in currency for the bond's face. */
  cashflows(settle?: DateInput): BondCashflow[] {
    const from = settle === undefined ? 0 : this.periodIndex(settle);
    const scale = this.spec.face / 100;
    const out: BondCashflow[] = [];
    for (let i = from; i < this.periods.length; i++) {
      const p = this.periods[i]!;
      const interest = this.couponAmounts[i]! * scale;
      const principal = i === this.periods.length - 1 ? this.spec.face : 0;
      out.push({ paymentDate: isoFromDay(p.paymentDate), couponDate: isoFromDay(p.couponDate), interest, principal, amount: interest + principal });
    }
    return out;
  }
}
