import { MarketsimError } from '../../core/errors.ts';
import type { Instrument } from '../../market/instrument.ts';
import { DIVIDEND_AMOUNT_PRECISION, type CashDividendAction } from './corporate-actions.ts';
import { roundToEquityTick } from './tick-rules.ts';

/**
 * Cash dividends: who is entitled, how much, when it is paid, and the ex-date price drop for
 * synthetic data. Pure functions; cash in the ledger's minor units. (A run pays dividends through
 * `CashFlowSchedule` in src/sim/cash-flows.ts, from the `equity:` block's corporate actions.)
 *
 * Entitlement: the position held at the start of the ex-date (i.e. after the previous session's close)
 * decides. A long receives amount * shares on the pay date; a short owes the same amount to the lender
 * ("payment in lieu"), charged on the pay date. Amounts are exact: amount (10^-6 dollars) * shares,
 * rounded once to the cash precision, half away from zero.
 */

/** A dividend payment due on `payDate`. */
export interface DividendPayment {
  symbol: string;
  exDate: string;
  payDate: string;
  /** Pay date as a civil day number. */
  payDay: number;
  /** Signed position the entitlement was computed on, size units. */
  quantity: number;
  /** Cash, minor units: > 0 credited to a long, < 0 charged to a short. */
  cash: number;
}

/**
 * The payment a position of `quantity` size units (signed) earns or owes for a dividend.
 * Example: long 300 shares, 0.24 dividend -> +72.00 (7200 cents); short 300 -> -7200.
 */
export function dividendEntitlement(dividend: CashDividendAction, quantity: number, instrument: Instrument, cashPrecision = 2): DividendPayment {
  if (!Number.isSafeInteger(quantity)) throw new MarketsimError('BAD_SIZE', `dividend ${dividend.symbol} ${dividend.date}: quantity must be whole size units, got ${quantity}`);
  // cash minor units = amountMicros * quantity / sizeScale * multiplier * 10^cashPrecision / 10^6
  const exp = DIVIDEND_AMOUNT_PRECISION + instrument.sizePrecision - cashPrecision;
  const product = dividend.amountMicros * Math.abs(quantity) * instrument.multiplier;
  let cash: number;
  if (exp <= 0) cash = product * 10 ** -exp;
  else {
    const div = 10 ** exp;
    const whole = Math.floor(product / div);
    const rem = product - whole * div;
    cash = rem * 2 >= div ? whole + 1 : whole;
  }
  return { symbol: dividend.symbol, exDate: dividend.date, payDate: dividend.payDate, payDay: dividend.payDay, quantity, cash: quantity < 0 ? -cash : cash };
}

/**
 * CRSP-style dividend adjustment factor for a dividend `amount` with previous close `prevClose`:
 * (prevClose - amount) / prevClose. Prices before the ex-date are multiplied by it.
 * Throws when the dividend is not below the previous close.
 */
export function dividendFactor(prevClose: number, amount: number): number {
  if (!(prevClose > 0) || !(amount >= 0) || amount >= prevClose) {
    throw new MarketsimError('CORPORATE_ACTION_INVALID', `dividend ${amount} must be below the previous close ${prevClose}`);
  }
  return (prevClose - amount) / prevClose;
}

/**
 * The synthetic ex-date reference price: the previous close minus the dividend, rounded down to the
 * Rule 612 tick, at least one tick (price units). A synthetic generator starts the ex-date's path
 * from it. Example: previous close 50.00, dividend 0.125 -> 49.87.
 */
export function exDividendPrice(prevCloseUnits: number, dividend: Pick<CashDividendAction, 'amountMicros'>, instrument: Instrument): number {
  const exact = prevCloseUnits - (dividend.amountMicros * instrument.priceScale) / 10 ** DIVIDEND_AMOUNT_PRECISION;
  return Math.max(instrument.tickUnits, roundToEquityTick(Math.floor(exact + 1e-9), instrument, 'down'));
}
