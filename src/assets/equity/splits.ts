import { pow10 } from '../../core/fixed-point.ts';
import type { Instrument } from '../../market/instrument.ts';
import type { OrderType, Side } from '../../market/order.ts';
import type { CashDividendAction, SplitAction } from './corporate-actions.ts';
import { roundToEquityTick } from './tick-rules.ts';

/**
 * What a split or a dividend does to a position and to resting orders (pure functions; the account
 * and the venue apply the results). Quantities in size units, prices in price units, cash in the
 * ledger's minor units (cents with `cashPrecision` 2). docs/equities.md has the worked examples.
 */

/** A position as the split model needs it. */
export interface SplitPositionInput {
  /** Signed quantity, size units (short < 0). */
  quantity: number;
  /** Average entry price, price units (may be fractional). */
  avgPrice: number;
}

/** A position after a split. */
export interface SplitPositionResult {
  /** New signed quantity in whole size units (the fraction is cashed out). */
  quantity: number;
  /** New average price, price units: old avgPrice * old / new. */
  avgPrice: number;
  /** The fractional size units dropped, as an exact fraction `fractionNumerator / ratioNew` of one unit (sign of the position). */
  fractionNumerator: number;
  /** Cash in lieu of the fraction, cash minor units: + paid to a long, - charged to a short. */
  cashInLieu: number;
}

/** Rounds half away from zero to an integer. */
function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/**
 * Applies a split to a position: quantity * new/old, truncated to whole size units (toward zero), the
 * average price divided by the ratio, and the fractional share paid in cash ("cash in lieu") at
 * `cashPrice` (price units, post-split; the transfer agent's sale price, usually the ex-date open).
 * Cost basis is unchanged except for the fraction sold.
 * Example: long 15 @ 30.00 and a 1-for-10 reverse split, cash price 300.00: 1 share @ 300.00 and
 * 0.5 share cashed out for +150.00.
 */
export function splitPosition(
  position: SplitPositionInput,
  split: Pick<SplitAction, 'ratioNew' | 'ratioOld'>,
  instrument: Instrument,
  cashPrice: number,
  cashPrecision = 2,
): SplitPositionResult {
  const q = Math.abs(position.quantity);
  const sign = position.quantity < 0 ? -1 : 1;
  const scaled = q * split.ratioNew; // exact while below 2^53
  const whole = Math.floor(scaled / split.ratioOld);
  const remNumer = scaled - whole * split.ratioOld; // fraction = remNumer / ratioOld size units
  // cash = fraction (size units) / sizeScale * cashPrice / priceScale * multiplier * 10^cashPrecision
  const cash = (remNumer / split.ratioOld / instrument.sizeScale) * (cashPrice / instrument.priceScale) * instrument.multiplier * pow10(cashPrecision);
  return {
    quantity: sign * whole === 0 ? 0 : sign * whole,
    avgPrice: whole === 0 ? 0 : (position.avgPrice * split.ratioOld) / split.ratioNew,
    fractionNumerator: sign * remNumer,
    cashInLieu: remNumer === 0 ? 0 : sign * roundHalfAway(cash),
  };
}

/** A resting order as the adjustment needs it (`Order` fits). Quantity is the open (unfilled) size. */
export interface AdjustableOrder {
  side: Side;
  type: OrderType;
  /** Open size, size units. */
  quantity: number;
  /** Limit price, price units (NaN when none). */
  price: number;
  /** Stop trigger, price units (NaN when none). */
  triggerPrice: number;
}

/** The adjusted terms of a resting order, or a cancel with its reason. */
export type OrderAdjustment =
  | { action: 'keep'; quantity: number; price: number; triggerPrice: number }
  | { action: 'adjust'; quantity: number; price: number; triggerPrice: number }
  | { action: 'cancel'; reason: string };

/** What to do with resting orders on a reverse split: FINRA Rule 5330 cancels them (the default). */
export type ReverseSplitPolicy = 'cancel' | 'adjust';

/**
 * Adjusts a resting order for a split on its ex-date, after FINRA Rule 5330 (Adjustment of Orders):
 * - size: open quantity * new/old, rounded down to whole lots (`lotUnits`); zero -> cancel;
 * - prices: divided by the ratio and rounded to the Rule 612 tick in the direction that never makes
 *   the order more aggressive than the exact price: BUY limit and SELL stop down, SELL limit and
 *   BUY stop up;
 * - reverse splits (new < old): the order is canceled (policy 'cancel', FINRA 5330), or adjusted the
 *   same way (policy 'adjust').
 * Example: BUY 100 LIMIT 50.01 and a 2-for-1 split -> BUY 200 LIMIT 25.00 (25.005 rounded down).
 */
export function adjustOrderForSplit(
  order: AdjustableOrder,
  split: Pick<SplitAction, 'ratioNew' | 'ratioOld'>,
  instrument: Instrument,
  reverse: ReverseSplitPolicy = 'cancel',
): OrderAdjustment {
  const n = split.ratioNew;
  const d = split.ratioOld;
  if (n === d) return { action: 'keep', quantity: order.quantity, price: order.price, triggerPrice: order.triggerPrice };
  if (n < d && reverse === 'cancel') return { action: 'cancel', reason: 'REVERSE_SPLIT' };
  const lot = instrument.lotUnits;
  const quantity = Math.floor((order.quantity * n) / d / lot) * lot;
  if (quantity <= 0) return { action: 'cancel', reason: 'SPLIT_SIZE_BELOW_LOT' };
  const buy = order.side === 'BUY';
  const scale = (p: number, down: boolean): number => {
    if (Number.isNaN(p)) return NaN;
    const exact = (p * d) / n;
    const whole = down ? Math.floor(exact) : Math.ceil(exact);
    return Math.max(roundToEquityTick(whole, instrument, down ? 'down' : 'up'), instrument.tickUnits);
  };
  return { action: 'adjust', quantity, price: scale(order.price, buy), triggerPrice: scale(order.triggerPrice, !buy) };
}

/**
 * Adjusts a resting order for a cash dividend on the ex-date (FINRA Rule 5330): BUY limit prices and
 * SELL stop triggers are reduced by the dividend and rounded down to the tick; SELL limits and BUY
 * stops are kept; a dividend under one cent changes nothing. A price that would reach zero cancels.
 * Example: BUY LIMIT 40.00 and a 0.125 dividend -> 39.87 (39.875 rounded down).
 */
export function adjustOrderForDividend(order: AdjustableOrder, dividend: Pick<CashDividendAction, 'amountMicros'>, instrument: Instrument): OrderAdjustment {
  const keep: OrderAdjustment = { action: 'keep', quantity: order.quantity, price: order.price, triggerPrice: order.triggerPrice };
  if (dividend.amountMicros < 10_000) return keep; // under $0.01
  // the dividend in price units, exactly as a fraction amountMicros * priceScale / 1e6
  const reduce = (p: number): number => {
    const exact = p - (dividend.amountMicros * instrument.priceScale) / 1e6;
    return roundToEquityTick(Math.floor(exact + 1e-9), instrument, 'down');
  };
  let price = order.price;
  let trigger = order.triggerPrice;
  const isLimit = order.type === 'LIMIT' || order.type === 'STOP_LIMIT';
  const isStop = order.type === 'STOP' || order.type === 'STOP_LIMIT';
  if (order.side === 'BUY' && isLimit) price = reduce(price);
  if (order.side === 'SELL' && isStop) {
    trigger = reduce(trigger);
    if (isLimit) price = reduce(price);
  }
  if (Object.is(price, order.price) && Object.is(trigger, order.triggerPrice)) return keep;
  if (price <= 0 || trigger <= 0) return { action: 'cancel', reason: 'DIVIDEND_PRICE_NOT_POSITIVE' };
  return { action: 'adjust', quantity: order.quantity, price, triggerPrice: trigger };
}
