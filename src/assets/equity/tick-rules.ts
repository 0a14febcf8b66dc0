import { MarketsimError } from '../../core/errors.ts';
import type { Instrument } from '../../market/instrument.ts';
import type { ExchangeCalendar, SessionQueryOptions } from './calendar.ts';

/**
 * US equity order rules that do not depend on the book: the minimum price increment of SEC
 * Regulation NMS Rule 612 (the "sub-penny rule"), round and odd lots, and the end of a DAY order.
 * Pure functions, allocation-free; docs/equities.md has the worked examples.
 */

/** Shares in a round lot (the usual unit of quotation; fewer is an odd lot). */
export const ROUND_LOT = 100;

/**
 * Rule 612 minimum increment for a price in dollars: $0.01 at or above $1.00, $0.0001 below.
 * (The 2024 amendment adding a $0.005 increment for tick-constrained stocks is not modelled.)
 */
export function equityTickSize(price: number): number {
  return price >= 1 ? 0.01 : 0.0001;
}

/**
 * The Rule 612 increment for a price in the instrument's price units, in price units: one cent at or
 * above $1.00 and $0.0001 below, never finer than one unit of the instrument's precision. For an
 * instrument quoted to 4 decimals (pricePrecision 4) that is 100 units from $1.00 up and 1 unit below.
 */
export function equityTickUnits(priceUnits: number, instrument: Instrument): number {
  const scale = instrument.priceScale;
  const step = priceUnits >= scale ? scale / 100 : scale / 10_000;
  return step >= 1 ? step : 1;
}

/**
 * True when a positive price (price units) is on the Rule 612 grid and on the instrument's own tick.
 * Example (pricePrecision 4): 1.0050 -> false (half a cent above $1); 0.9999 -> true; 1.01 -> true.
 */
export function isOnEquityTick(priceUnits: number, instrument: Instrument): boolean {
  if (!(priceUnits > 0) || !Number.isSafeInteger(priceUnits)) return false;
  return priceUnits % equityTickUnits(priceUnits, instrument) === 0 && priceUnits % instrument.tickUnits === 0;
}

/**
 * Rounds a price (price units) to the Rule 612 grid: `down` to the tick at or below, `up` to the tick
 * at or above. A price rounded up across $1.00 lands on the one-cent grid (0.99995 up -> 1.00).
 */
export function roundToEquityTick(priceUnits: number, instrument: Instrument, direction: 'down' | 'up'): number {
  const scale = instrument.priceScale;
  const tick = Math.max(equityTickUnits(priceUnits, instrument), instrument.tickUnits);
  const down = Math.floor(priceUnits / tick) * tick;
  if (direction === 'down' || down === priceUnits) return down;
  const up = down + tick;
  // crossing $1.00 upwards: the first price on the one-cent grid at or above $1.00 is $1.00 itself
  return priceUnits < scale && up > scale ? scale : up;
}

/** Kind of an order size in shares: a multiple of 100 ('round'), under 100 ('odd'), or above 100 and not a multiple ('mixed'). */
export type LotKind = 'round' | 'odd' | 'mixed';

/**
 * Classifies a share quantity: 100, 200 -> 'round'; 1..99 -> 'odd'; 150 -> 'mixed' (a round lot plus
 * an odd lot). Odd lots are allowed and only flagged (they do not set the protected quote).
 * Throws `MarketsimError` (BAD_SIZE) for a quantity that is not a positive whole number.
 */
export function lotKind(quantity: number, roundLot: number = ROUND_LOT): LotKind {
  if (!(quantity > 0) || !Number.isSafeInteger(quantity)) throw new MarketsimError('BAD_SIZE', `lot: quantity must be a positive whole number of shares, got ${quantity}`);
  if (quantity % roundLot === 0) return 'round';
  return quantity < roundLot ? 'odd' : 'mixed';
}

/**
 * When a DAY order accepted at `timeUs` expires: the close of the session in progress, or of the next
 * session when it arrives after the close, on a holiday or over a weekend. With `extended` (an order
 * that opted into extended hours) the end of that session's after-hours instead.
 * Example: accepted 2026-11-27 10:00 New York (a 13:00 half day) -> expires 2026-11-27T18:00:00Z.
 */
export function dayOrderExpiry(calendar: ExchangeCalendar, timeUs: number, options?: SessionQueryOptions): number {
  return calendar.nextClose(timeUs, options);
}
