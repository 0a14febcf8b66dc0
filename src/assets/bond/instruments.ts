import { Bond } from './bond.ts';
import { yearsAfter, type BondSpecInput, type Rating } from './bond-spec.ts';
import { addMonths, dayFromIso, isoFromDay } from './civil-date.ts';

/**
 * Constructors of common US instruments with their market conventions. Each returns a `Bond`
 * (the validated spec is `bond.spec`); pass `overrides` for anything else (face, calendar, ...).
 * Coupon rates are decimals (0.0425 = 4.25%).
 */

type Overrides = Partial<BondSpecInput>;

/**
 * A Treasury note (2 to 10 years): semi-annual, ACT/ACT, T+1 on the US government calendar,
 * end-of-month rule, quoted in 32nds. `issue` defaults to `years` (default 10) before maturity.
 */
export function treasuryNote(opts: { coupon: number; maturity: string; issue?: string; years?: number; symbol?: string }, overrides: Overrides = {}): Bond {
  const issue = opts.issue ?? yearsAfter(opts.maturity, -(opts.years ?? 10));
  return Bond.from({ kind: 'note', coupon: opts.coupon, maturity: opts.maturity, issue, symbol: opts.symbol, ...overrides });
}

/** A Treasury bond (20 or 30 years): as a note; `issue` defaults to 30 years before maturity. */
export function treasuryBond(opts: { coupon: number; maturity: string; issue?: string; years?: number; symbol?: string }, overrides: Overrides = {}): Bond {
  const issue = opts.issue ?? yearsAfter(opts.maturity, -(opts.years ?? 30));
  return Bond.from({ kind: 'bond', coupon: opts.coupon, maturity: opts.maturity, issue, symbol: opts.symbol, ...overrides });
}

/**
 * The 10-year Treasury note issued on `issue` (Treasury issues it on the 15th of February, May,
 * August and November) with maturity ten years later; symbol `US10Y` by default.
 * Example: `treasury10YearNote('2025-11-15', 0.04)` matures 2035-11-15 and pays 2.00 per 100 each
 * May 15 and November 15.
 */
export function treasury10YearNote(issue: string, coupon: number, symbol = 'US10Y', overrides: Overrides = {}): Bond {
  return Bond.from({ kind: 'note', coupon, issue, maturity: yearsAfter(issue, 10), symbol, ...overrides });
}

/**
 * A Treasury bill: no coupon, `frequency` 2 for its bond-equivalent compounding in the street
 * formula; money-market yields in money-market.ts. `issue` defaults to 26 weeks before maturity.
 */
export function treasuryBill(opts: { maturity: string; issue?: string; weeks?: number; symbol?: string }, overrides: Overrides = {}): Bond {
  const issue = opts.issue ?? isoFromDay(dayFromIso(opts.maturity, 'maturity') - 7 * (opts.weeks ?? 26));
  return Bond.from({ kind: 'bill', coupon: 0, maturity: opts.maturity, issue, symbol: opts.symbol, ...overrides });
}

/**
 * A fixed-coupon US corporate bond: semi-annual, 30/360 US, T+1, decimal quotes, with the issuer's
 * rating (used by the credit models for spreads).
 */
export function corporateBond(
  opts: { coupon: number; issue: string; maturity: string; rating: Rating; issuer?: string; symbol?: string },
  overrides: Overrides = {},
): Bond {
  return Bond.from({ kind: 'corporate', coupon: opts.coupon, issue: opts.issue, maturity: opts.maturity, rating: opts.rating, issuer: opts.issuer, symbol: opts.symbol, ...overrides });
}

/** A zero-coupon bond (e.g. a STRIPS): the yield compounds semi-annually on ACT/ACT periods by default. */
export function zeroCouponBond(opts: { issue: string; maturity: string; symbol?: string }, overrides: Overrides = {}): Bond {
  return Bond.from({ kind: 'zero', coupon: 0, issue: opts.issue, maturity: opts.maturity, symbol: opts.symbol, ...overrides });
}

/** `date` moved by whole months, end-of-month kept (helper for schedules in tests and configs). */
export function monthsAfter(date: string, months: number): string {
  return isoFromDay(addMonths(dayFromIso(date), months, true));
}
