import type { Bond } from './bond.ts';
import { toDay, type DateInput } from './civil-date.ts';
import type { DiscountCurve } from './curve.ts';
import { BondInputError } from './errors.ts';

/**
 * Pricing a bond off a discount curve: each remaining payment (coupon per 100 face, plus 100 at
 * maturity) is discounted from its payment date (business-day adjusted) to settlement:
 *
 *     dirty = sum_j CF_j P(t_j) exp(-s t_j),   t_j = (paymentDate_j - settle) / yearDays
 *
 * with `s` a continuously compounded spread (a z-spread; 0 by default), `P` the curve's discount
 * factor measured from the settlement date, and `yearDays` 365.25 by default (the year of the rate
 * dynamics, docs/bond-dynamics.md). Clean = dirty - accrued.
 */
export interface CurvePriceOptions {
  /** Continuously compounded spread over the curve (decimal), default 0. */
  spread?: number;
  /** Days per year of curve time (default 365.25). */
  yearDays?: number;
}

/** Dirty and clean price per 100 face from a curve, and the accrued interest. */
export interface CurvePrice {
  dirtyPrice: number;
  cleanPrice: number;
  accruedInterest: number;
}

/** Prices `bond` for settlement `settle` off `curve` (see `CurvePriceOptions`). */
export function priceFromCurve(bond: Bond, curve: DiscountCurve, settle: DateInput, options: CurvePriceOptions = {}): CurvePrice {
  const spread = options.spread ?? 0;
  const yearDays = options.yearDays ?? 365.25;
  if (!Number.isFinite(spread)) throw new BondInputError('spread', `expected a finite number, got ${String(spread)}`);
  if (!(yearDays > 0)) throw new BondInputError('yearDays', `must be > 0, got ${String(yearDays)}`);
  const s = toDay(settle, 'settle');
  const i = bond.periodIndex(s);
  const last = bond.periods.length - 1;
  let dirty = 0;
  for (let j = i; j <= last; j++) {
    const p = bond.periods[j]!;
    const t = Math.max(0, (p.paymentDate - s) / yearDays);
    const cf = j === last ? bond.couponAmounts[j]! + 100 : bond.couponAmounts[j]!;
    dirty += cf * curve.discount(t) * Math.exp(-spread * t);
  }
  const accrued = bond.accruedIn(i, s);
  return { dirtyPrice: dirty, cleanPrice: dirty - accrued, accruedInterest: accrued };
}
