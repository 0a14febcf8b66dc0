import type { OrderType, Side } from '../../market/order.ts';

/**
 * The alternative uptick rule, SEC Regulation SHO Rule 201 (17 CFR 242.201): when a stock's price
 * falls 10% or more below its previous regular-session close, a short sale price test applies for
 * the rest of that day and the whole next trading day: short sales may execute or be displayed only
 * at a price above the current national best bid. docs/equities.md has the worked day.
 */

/** Why a short sale is refused under Rule 201. */
export type ShortSaleRejection = 'SHORT_SALE_RESTRICTED_PRICE' | 'SHORT_SALE_RESTRICTED_MARKET';

/**
 * The Rule 201 state of one symbol, fed with session boundaries and prices (integer price units).
 * `startSession(prevClose)` at each trading day's start (before the pre-market) with the listing
 * market's previous regular close; `onPrice(time, price)` for each last-sale price. A trigger keeps
 * the restriction for the current and the next session; a new trigger on that next session extends
 * it one more session. No allocation per call.
 */
export class ShortSaleRestriction {
  /** Previous regular-session close, price units (NaN before the first session). */
  prevClose = NaN;
  /** Time of the latest trigger (NaN if none). */
  triggeredAt = NaN;
  /** Sessions the restriction still covers, counting the current one (2 right after a trigger). */
  private remaining = 0;
  private triggeredToday = false;

  /** A new trading day begins; `prevClose` is the previous day's official close (price units). */
  startSession(prevClose: number): void {
    this.prevClose = prevClose;
    if (this.remaining > 0) this.remaining--;
    this.triggeredToday = false;
  }

  /** A trade price; returns true when this price triggers the restriction (price <= 90% of the previous close). */
  onPrice(timeUs: number, price: number): boolean {
    if (this.triggeredToday || !(this.prevClose > 0)) return false;
    if (price * 10 <= this.prevClose * 9) {
      this.triggeredToday = true;
      this.remaining = 2;
      this.triggeredAt = timeUs;
      return true;
    }
    return false;
  }

  /** True while the price test applies. */
  get active(): boolean {
    return this.remaining > 0;
  }

  /** Clears everything (a new run). */
  reset(): void {
    this.prevClose = NaN;
    this.triggeredAt = NaN;
    this.remaining = 0;
    this.triggeredToday = false;
  }
}

/** A short-sale order as the check needs it. Prices in price units. */
export interface ShortSaleOrder {
  side: Side;
  type: OrderType;
  /** Limit price (NaN for MARKET/STOP). */
  price: number;
  /** True when the sell is (partly) short: it sells more than the long position. */
  shortSale: boolean;
  /** Marked short exempt (Rule 201(d), e.g. a seller who owns the shares but cannot deliver yet). */
  shortExempt?: boolean;
}

/**
 * Checks a short sale against Rule 201 at entry: undefined when allowed, else the reason. Under the
 * restriction a limit short sale must be priced above the national best bid (`bestBid`, price units;
 * NaN when there is no bid: any price is then above it); a MARKET or STOP short sale, which would sell
 * at the bid, is refused. Long sales, buys and short-exempt orders always pass.
 * Example: restriction active, bid 44.90: SELL short LIMIT 44.90 -> SHORT_SALE_RESTRICTED_PRICE; 44.91 -> allowed.
 */
export function checkShortSale(order: ShortSaleOrder, bestBid: number, state: ShortSaleRestriction): ShortSaleRejection | undefined {
  if (order.side !== 'SELL' || !order.shortSale || order.shortExempt || !state.active) return undefined;
  if (order.type === 'MARKET' || order.type === 'STOP') return 'SHORT_SALE_RESTRICTED_MARKET';
  return shortSalePriceAllowed(order.price, bestBid, state) ? undefined : 'SHORT_SALE_RESTRICTED_PRICE';
}

/** Rule 201 price test for an execution or display at `price`: true when unrestricted or strictly above the best bid. */
export function shortSalePriceAllowed(price: number, bestBid: number, state: ShortSaleRestriction): boolean {
  if (!state.active || Number.isNaN(bestBid)) return true;
  return price > bestBid;
}

/**
 * The short part of a sell of `sellQuantity` against a signed position (size units): what exceeds the
 * long shares not already committed to other working sells. Example: long 300, 100 already on sell
 * orders, sell 500 -> 300 short.
 */
export function shortQuantity(position: number, sellQuantity: number, workingSells = 0): number {
  const available = Math.max(0, position - workingSells);
  return Math.max(0, sellQuantity - available);
}
