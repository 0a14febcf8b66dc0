import { dayFromYmd, isLeapYear, toDay, ymdFromDay, type DateInput } from './civil-date.ts';
import { BondInputError } from './errors.ts';

/**
 * Treasury bill money-market yields (31 CFR 356 Appendix B, section on bills; TreasuryDirect).
 * `days` is the number of days from settlement (or issue) to maturity, prices are per 100 face,
 * rates decimals.
 *
 * - discount rate `d`: `price = 100 (1 - d days / 360)`;
 * - investment rate (bond-equivalent / coupon-equivalent yield) `i`, with `Y` = 365 (366 when the
 *   year after settlement contains February 29):
 *   for `days <= Y / 2`: `i = (100 - price) / price * Y / days`;
 *   for `days > Y / 2` (a bill that would have paid a coupon): the root of
 *   `price (1 + i/2) (1 + (days/Y - 1/2) i) = 100`, i.e.
 *   `i = (-2 days/Y + 2 sqrt((days/Y)^2 - (2 days/Y - 1)(1 - 100/price))) / (2 days/Y - 1)`;
 * - money-market (CD-equivalent) yield: `(100 - price) / price * 360 / days`.
 */

function checkDays(days: number): void {
  if (!Number.isInteger(days) || days <= 0) throw new BondInputError('days', `expected a whole number of days > 0 to maturity, got ${String(days)}`);
}

function checkPrice(price: number): void {
  if (typeof price !== 'number' || !Number.isFinite(price) || !(price > 0)) throw new BondInputError('price', `expected a finite price > 0, got ${String(price)}`);
}

/** Price per 100 of a bill at discount rate `d`. */
export function billPriceFromDiscount(discountRate: number, days: number): number {
  checkDays(days);
  if (!Number.isFinite(discountRate)) throw new BondInputError('discountRate', `expected a finite number, got ${String(discountRate)}`);
  const p = 100 * (1 - (discountRate * days) / 360);
  if (!(p > 0)) throw new BondInputError('discountRate', `${discountRate} over ${days} days gives a price <= 0`);
  return p;
}

/** Discount rate of a bill price. */
export function billDiscountFromPrice(price: number, days: number): number {
  checkDays(days);
  checkPrice(price);
  return ((100 - price) / 100) * (360 / days);
}

/** Investment rate (bond-equivalent yield) of a bill price; `yearDays` 365 or 366. */
export function billBondEquivalentYield(price: number, days: number, yearDays = 365): number {
  checkDays(days);
  checkPrice(price);
  if (yearDays !== 365 && yearDays !== 366) throw new BondInputError('yearDays', `expected 365 or 366, got ${String(yearDays)}`);
  if (days <= yearDays / 2) return ((100 - price) / price) * (yearDays / days);
  const a = days / yearDays;
  const b = 2 * a - 1;
  return (-2 * a + 2 * Math.sqrt(a * a - b * (1 - 100 / price))) / b;
}

/** Price of a bill at an investment rate (the inverse of `billBondEquivalentYield`). */
export function billPriceFromBondEquivalentYield(rate: number, days: number, yearDays = 365): number {
  checkDays(days);
  if (!Number.isFinite(rate)) throw new BondInputError('yield', `expected a finite number, got ${String(rate)}`);
  if (days <= yearDays / 2) return 100 / (1 + (rate * days) / yearDays);
  return 100 / ((1 + rate / 2) * (1 + (days / yearDays - 0.5) * rate));
}

/** Money-market (CD-equivalent, ACT/360 simple) yield of a bill price. */
export function billMoneyMarketYield(price: number, days: number): number {
  checkDays(days);
  checkPrice(price);
  return ((100 - price) / price) * (360 / days);
}

/** `Y` for a bill settling on `settle`: 366 when a February 29 falls in the year after settlement, else 365. */
export function billYearDays(settle: DateInput): number {
  const s = toDay(settle, 'settle');
  const [y] = ymdFromDay(s);
  for (const year of [y, y + 1]) {
    if (!isLeapYear(year)) continue;
    const feb29 = dayFromYmd(year, 2, 29);
    if (feb29 > s && feb29 <= s + 365) return 366;
  }
  return 365;
}
