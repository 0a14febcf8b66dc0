import type { Instrument } from '../market/instrument.ts';
import type { NotionalConverter } from './notional.ts';

/**
 * What a caller sees of a position. Quantities in size units, prices in price units, money in
 * cash units (all integers except `avgPrice`).
 */
export interface PositionView {
  readonly instrument: Instrument;
  /** Signed quantity in size units (long > 0, short < 0). */
  readonly quantity: number;
  /**
   * Average entry price in price units: the volume-weighted price of the fills that opened the
   * current position since it was last flat (or flipped); 0 when flat. It is the exact rational
   * entryRaw / entryQty rounded once to a double (exact up to that final rounding while entryRaw,
   * the sum of price * size over those fills, stays below 2^53).
   */
  readonly avgPrice: number;
  /**
   * Cost basis in cash units, signed like the quantity: what the open quantity cost (long) or
   * brought in (short), carried exactly so that realized + unrealized PnL reconcile to the ledger.
   */
  readonly cost: number;
  /** Realized PnL in cash units, accumulated over the position's life (before fees). */
  readonly realizedPnl: number;
  /** Unrealized PnL in cash units at the mark: marketValue - cost. */
  readonly unrealizedPnl: number;
  /** Signed value of the position at the mark in cash units: notional(mark, quantity). */
  readonly marketValue: number;
  /** Last mark in price units: the latest of `Account.mark` and the fills (NaN before either). */
  readonly markPrice: number;
  /** Fees paid on this instrument in cash units. */
  readonly fees: number;
  /** Number of fills applied. */
  readonly fillCount: number;
}

/** The result of applying one fill to a position, computed without changing it. */
export interface FillPlan {
  quantity: number;
  cost: number;
  entryRaw: number;
  entryQty: number;
  /** Realized PnL of this fill in cash units (0 when it only opens or increases). */
  realized: number;
}

/** A new, zeroed FillPlan (reuse one per caller: planning allocates nothing). */
export function newFillPlan(): FillPlan {
  return { quantity: 0, cost: 0, entryRaw: 0, entryQty: 0, realized: 0 };
}

/**
 * The position in one instrument, owned and mutated by `Account`.
 *
 * Cost basis (exact, cash units): opening fills add their notional; a reduction of `c` out of
 * |q| removes round(avgPrice * c * multiplier) at cash precision (half away from zero), and the
 * closing fill removes whatever is left. Realized PnL of a reduction = closing proceeds - removed
 * cost (sign-adjusted for shorts). So rounding only moves amounts between realized and unrealized
 * PnL while the position is open; once flat, total realized PnL equals the exact sum of the cash
 * flows of its fills.
 */
export class Position implements PositionView {
  readonly instrument: Instrument;
  readonly converter: NotionalConverter;
  quantity = 0;
  cost = 0;
  /** Sum of price * size over the opening fills of the current position (price units x size units). */
  entryRaw = 0;
  /** Sum of size over the opening fills of the current position (size units). */
  entryQty = 0;
  realizedPnl = 0;
  markPrice = NaN;
  private value = 0;
  /** True when the mark moved since `value` was computed (revalued lazily: marks arrive per event). */
  private stale = false;
  fees = 0;
  fillCount = 0;

  constructor(instrument: Instrument, converter: NotionalConverter) {
    this.instrument = instrument;
    this.converter = converter;
  }

  get avgPrice(): number {
    return this.entryQty === 0 ? 0 : this.entryRaw / this.entryQty;
  }
  /** Signed value at the mark, cash units (computed on demand after a new mark). */
  get marketValue(): number {
    if (this.stale) {
      this.stale = false;
      this.value = this.quantity === 0 ? 0 : this.converter.notional(this.markPrice, this.quantity);
    }
    return this.value;
  }
  get unrealizedPnl(): number {
    const u = this.marketValue - this.cost;
    return u === 0 ? 0 : u;
  }

  /**
   * Computes into `out` the position after a fill of `qty` (> 0) size units at `price` on side
   * `sign` (+1 buy, -1 sell), whose notional in cash units is `notional` (= converter.notional(price, qty)).
   * Long -> short (or back) in one fill closes the whole position and opens the rest; the
   * fill's notional is split as notional(price, |q|) for the closing part and the remainder for
   * the opening part, so the two parts add up to the ledger amount exactly.
   */
  plan(sign: 1 | -1, price: number, qty: number, notional: number, out: FillPlan): void {
    const q = this.quantity;
    const flow = sign > 0 ? 0 - notional : notional; // cash flow of the fill, before fees
    if (q === 0 || (q > 0) === (sign > 0)) {
      out.quantity = sign > 0 ? q + qty : q - qty;
      out.cost = this.cost - flow;
      out.entryRaw = this.entryRaw + price * qty;
      out.entryQty = this.entryQty + qty;
      out.realized = 0;
      return;
    }
    const absQ = q > 0 ? q : -q;
    if (qty < absQ) {
      const removedAbs = this.converter.atAverage(this.entryRaw, this.entryQty, qty);
      const removed = q > 0 ? removedAbs : 0 - removedAbs;
      out.quantity = sign > 0 ? q + qty : q - qty;
      out.cost = this.cost - removed;
      out.entryRaw = this.entryRaw;
      out.entryQty = this.entryQty;
      out.realized = flow - removed;
      return;
    }
    if (qty === absQ) {
      out.quantity = 0;
      out.cost = 0;
      out.entryRaw = 0;
      out.entryQty = 0;
      out.realized = flow - this.cost;
      return;
    }
    // flip: close |q| and open qty - |q| on the other side
    const closeNotional = this.converter.notional(price, absQ);
    const closeFlow = sign > 0 ? 0 - closeNotional : closeNotional;
    const open = qty - absQ;
    out.quantity = sign > 0 ? q + qty : q - qty;
    out.cost = closeFlow - flow; // = -(opening part's flow)
    out.entryRaw = price * open;
    out.entryQty = open;
    out.realized = closeFlow - this.cost;
  }

  /** Copies a plan into the position; the fill price becomes the mark (the last known price). */
  commit(p: FillPlan, price: number): void {
    const value = this.converter.notional(price, p.quantity); // may throw: before any change
    this.markPrice = price;
    this.value = value;
    this.stale = false;
    this.quantity = p.quantity;
    this.cost = p.cost === 0 ? 0 : p.cost;
    this.entryRaw = p.entryRaw;
    this.entryQty = p.entryQty;
    this.realizedPnl += p.realized;
  }

  /** Sets the mark; the value is recomputed when next read. */
  mark(price: number): void {
    if (price === this.markPrice) return;
    this.markPrice = price;
    this.stale = true;
  }
}
