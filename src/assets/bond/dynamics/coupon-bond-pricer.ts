import { ConfigError } from '../../../core/errors.ts';
import { YEAR_US, type Discounting } from './curve-dynamics.ts';

/**
 * Prices a fixed-coupon bullet bond off a simulated curve, for synthetic price paths and dealer
 * quotes. Self-contained (the full bond mathematics - business days, day-count variants, street
 * yield - lives beside this folder); the conventions here are:
 *
 * - Coupon dates step back from maturity by 12 / frequency calendar months (UTC), with the
 *   end-of-month rule: if maturity is a month's last day, every coupon date is; otherwise the day is
 *   clamped to the month's length (a 31st becomes the 30th or the 28th/29th). No business-day shift.
 * - Accrued interest is ACT/ACT (ICMA) for a regular period: c / f * (t - prev) / (next - prev).
 * - Dirty price per 100 face: sum over remaining coupons of (100 c / f) P(t, t_i) + 100 P(t, T),
 *   with tau_i = (t_i - t) in years of 365.25 days; clean = dirty - accrued.
 */

/** A fixed-coupon bullet bond. */
export interface FixedCouponBond {
  /** Annual coupon rate, decimal (0.0425 for a 4.25% note). */
  couponRate: number;
  /** Maturity, integer microseconds since the epoch (a UTC calendar date at 00:00 is usual). */
  maturity: number;
  /** Coupons per year: 1, 2 (default, US Treasuries), 4 or 12. */
  frequency?: 1 | 2 | 4 | 12;
}

/** Validates a bond; throws ConfigError naming `path.field`. */
export function checkFixedCouponBond(b: FixedCouponBond, path = 'bond'): void {
  const issues: { path: string; message: string }[] = [];
  if (typeof b.couponRate !== 'number' || !Number.isFinite(b.couponRate) || b.couponRate < 0) issues.push({ path: `${path}.couponRate`, message: `must be a finite decimal >= 0, got ${JSON.stringify(b.couponRate)}` });
  if (typeof b.maturity !== 'number' || !Number.isInteger(b.maturity)) issues.push({ path: `${path}.maturity`, message: `must be integer microseconds, got ${JSON.stringify(b.maturity)}` });
  const f = b.frequency ?? 2;
  if (f !== 1 && f !== 2 && f !== 4 && f !== 12) issues.push({ path: `${path}.frequency`, message: `must be 1, 2, 4 or 12, got ${JSON.stringify(f)}` });
  if (issues.length > 0) throw new ConfigError(issues, 'bond');
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in month m (0-based) of year y, Gregorian. */
function daysInMonth(y: number, m: number): number {
  if (m === 1) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return MONTH_DAYS[m]!;
}

/**
 * A reusable pricer for one bond: `price(curve, t)` sets `clean`, `dirty`, `accrued` (per 100 face)
 * and returns the clean price. Allocates nothing per call.
 */
export class CouponBondPricer {
  readonly bond: Required<FixedCouponBond>;
  /** Last results, per 100 face. */
  clean = NaN;
  dirty = NaN;
  accrued = NaN;
  private readonly y: number;
  private readonly m: number;
  private readonly d: number;
  private readonly ms: number; // time of day of maturity, ms
  private readonly eom: boolean;
  private readonly stepMonths: number;
  /** Coupon dates by k (k periods before maturity), computed on first use. */
  private dates = new Float64Array(64).fill(NaN);

  constructor(bond: FixedCouponBond) {
    checkFixedCouponBond(bond);
    this.bond = { couponRate: bond.couponRate, maturity: bond.maturity, frequency: bond.frequency ?? 2 };
    const dt = new Date(Math.floor(bond.maturity / 1000));
    this.y = dt.getUTCFullYear();
    this.m = dt.getUTCMonth();
    this.d = dt.getUTCDate();
    this.ms = Math.floor(bond.maturity / 1000) - Date.UTC(this.y, this.m, this.d);
    this.eom = this.d === daysInMonth(this.y, this.m);
    this.stepMonths = 12 / this.bond.frequency;
  }

  /** The coupon date k periods before maturity (k = 0 is maturity), microseconds. */
  couponDate(k: number): number {
    if (k < this.dates.length) {
      const c = this.dates[k]!;
      if (c === c) return c;
    } else {
      const grown = new Float64Array(Math.max(k + 1, this.dates.length * 2)).fill(NaN);
      grown.set(this.dates);
      this.dates = grown;
    }
    const v = this.computeCouponDate(k);
    this.dates[k] = v;
    return v;
  }

  private computeCouponDate(k: number): number {
    if (k === 0) return this.bond.maturity;
    const total = this.y * 12 + this.m - k * this.stepMonths;
    const y = Math.floor(total / 12);
    const m = total - y * 12;
    const dim = daysInMonth(y, m);
    const d = this.eom ? dim : Math.min(this.d, dim);
    return (Date.UTC(y, m, d) + this.ms) * 1000;
  }

  /**
   * Prices at time t (microseconds, before maturity) on the curve's current state: P(t, t + tau)
   * = curve.discount(tau). Throws RangeError at or after maturity.
   */
  price(curve: Discounting, t: number): number {
    const T = this.bond.maturity;
    if (!(t < T)) throw new RangeError(`bond matured: time ${t} is not before maturity ${T}`);
    const c = (100 * this.bond.couponRate) / this.bond.frequency;
    let k = 0;
    let next = T;
    let dirty = 0;
    for (;;) {
      const tau = (next - t) / YEAR_US;
      dirty += c * curve.discount(tau);
      const prev = this.couponDate(k + 1);
      if (prev <= t) {
        this.accrued = (c * (t - prev)) / (next - prev);
        break;
      }
      next = prev;
      k++;
    }
    dirty += 100 * curve.discount((T - t) / YEAR_US);
    this.dirty = dirty;
    this.clean = dirty - this.accrued;
    return this.clean;
  }

  /** Years from t to maturity (365.25-day years). */
  yearsToMaturity(t: number): number {
    return (this.bond.maturity - t) / YEAR_US;
  }
}
