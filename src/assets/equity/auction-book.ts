import { MarketsimError } from '../../core/errors.ts';
import type { Side } from '../../market/order.ts';
import { AuctionLadder, findCrossPrice, imbalanceSide, type AuctionOrder, type CrossPrice, type ImbalanceSide } from './auction.ts';

/** The indicative cross published before an auction (like Nasdaq's Net Order Imbalance Indicator). */
export interface AuctionIndicative {
  /** Price at which the auction would uncross now, price units; NaN when nothing would execute. */
  price: number;
  /** Size that would execute (paired), size units. */
  pairedVolume: number;
  /** Size left over on the heavier side at `price`, size units (>= 0). Without a cross: |total buys - total sells|. */
  imbalanceSize: number;
  /** Which side is left over. */
  imbalanceSide: ImbalanceSide;
}

/** One execution of the uncross: `buy` and `sell` trade `quantity` at the auction price. */
export interface AuctionFill<T extends AuctionOrder> {
  buy: T;
  sell: T;
  /** Price units (the uncrossing price). */
  price: number;
  /** Size units. */
  quantity: number;
}

/** An order with size still open after the uncross. */
export interface AuctionLeftover<T extends AuctionOrder> {
  order: T;
  /** Open size after the auction (its `leaves` minus what the auction filled), size units. */
  remaining: number;
  /**
   * True for auction-only interest (market/limit-on-open, -on-close, orders queued during a halt that
   * the venue decides to cancel if unexecuted); false for continuous-book orders that go back to the book.
   */
  auctionOnly: boolean;
}

/** Everything an uncross produced. */
export interface AuctionResult<T extends AuctionOrder> {
  /** Uncrossing price, price units; NaN when no cross. */
  price: number;
  /** Executed size, size units (0 when no cross). */
  volume: number;
  /** B - S at the price (> 0: buy surplus); without a cross, total buys - total sells. */
  imbalance: number;
  imbalanceSide: ImbalanceSide;
  /** Pairwise executions in allocation order (buy priority order, then sell priority order). */
  fills: AuctionFill<T>[];
  /** Size filled per order id (only orders that traded). */
  filled: Map<number, number>;
  /** Orders with size left, in the order they were added. */
  leftovers: AuctionLeftover<T>[];
}

/** Options of an `AuctionBook`. */
export interface AuctionBookOptions {
  /** Price grid in price units (candidate prices between entered limits lie on it). Default 1. */
  tickUnits?: number;
  /** Name used in error messages (e.g. `AAPL opening cross`). */
  name?: string;
}

interface Entry<T> {
  order: T;
  auctionOnly: boolean;
  /** Time priority key (lower = earlier). */
  key: number;
  removed: boolean;
  /** Size filled in the uncross being computed. */
  fill: number;
}

/**
 * Orders collected for one single-price auction of one instrument (opening cross, closing cross, or the
 * reopening after a halt). `add` market (price NaN) and limit orders, `cancel` them, read the
 * `indicative()` cross, then `uncross(reference)` once: one price for all (rules in auction.ts and
 * docs/equity-halts.md section 1), allocation by priority (market orders first, then better limit price,
 * then time), fills returned pairwise and leftovers returned for the venue to cancel or put back on the book.
 *
 * The book never mutates the orders it holds: the venue applies the fills. It reads `order.leaves` when
 * computing, so an order's size must not change while it sits here.
 */
export class AuctionBook<T extends AuctionOrder = AuctionOrder> {
  /** Price grid, price units. */
  readonly tick: number;
  /** Name used in error messages. */
  readonly name: string;
  private entries: Entry<T>[] = [];
  private readonly byId = new Map<number, Entry<T>>();
  private removedCount = 0;
  private seq = 0;
  private readonly ladder = new AuctionLadder();
  private readonly cross: CrossPrice = { price: NaN, volume: 0, imbalance: 0 };

  constructor(options: AuctionBookOptions = {}) {
    const tick = options.tickUnits ?? 1;
    this.name = options.name ?? 'auction';
    if (!(Number.isInteger(tick) && tick > 0)) throw new MarketsimError('CONFIG_INVALID', `${this.name}: tickUnits must be a positive integer, got ${tick}`);
    this.tick = tick;
  }

  /** Number of orders waiting. */
  get size(): number {
    return this.byId.size;
  }

  /** True when an order with this id waits here. */
  has(orderId: number): boolean {
    return this.byId.has(orderId);
  }

  /**
   * Adds an order. `auctionOnly` (default true) marks on-open/on-close/halt-queued interest; false marks a
   * resting continuous-book order that participates and returns to the book if unfilled. `priority` is its
   * time priority (lower = earlier; default: the order of `add` calls). Throws MarketsimError naming the
   * order id for a duplicate id, a size that is not a positive integer, or a limit price that is not a
   * positive multiple of the tick.
   */
  add(order: T, auctionOnly = true, priority?: number): void {
    if (this.byId.has(order.id)) throw new MarketsimError('AUCTION_DUPLICATE_ORDER', `${this.name}: order ${order.id} is already in the auction`);
    const q = order.leaves;
    if (!(Number.isInteger(q) && q > 0)) throw new MarketsimError('AUCTION_BAD_ORDER', `${this.name}: order ${order.id}: size must be a positive integer, got ${q}`);
    const p = order.price;
    if (p === p && !(Number.isInteger(p) && p > 0 && p % this.tick === 0)) {
      throw new MarketsimError('AUCTION_BAD_ORDER', `${this.name}: order ${order.id}: limit price must be a positive multiple of ${this.tick}, got ${p}`);
    }
    if (order.side !== 'BUY' && order.side !== 'SELL') throw new MarketsimError('AUCTION_BAD_ORDER', `${this.name}: order ${order.id}: bad side ${String(order.side)}`);
    const e: Entry<T> = { order, auctionOnly, key: priority ?? this.seq, removed: false, fill: 0 };
    this.seq++;
    this.entries.push(e);
    this.byId.set(order.id, e);
  }

  /** Removes an order; false when it is not here. */
  cancel(orderId: number): boolean {
    const e = this.byId.get(orderId);
    if (!e) return false;
    e.removed = true;
    this.byId.delete(orderId);
    if (++this.removedCount > 32 && this.removedCount * 2 > this.entries.length) this.compact();
    return true;
  }

  /** Removes every order. */
  clear(): void {
    this.entries = [];
    this.byId.clear();
    this.removedCount = 0;
  }

  /** Iterates the waiting orders in the order they were added. */
  *orders(): IterableIterator<T> {
    for (const e of this.entries) if (!e.removed) yield e.order;
  }

  /**
   * The cross as it would happen now with this reference price (price units, NaN: none), written into
   * `out` (pass one to avoid an allocation per call). Does not change the book.
   */
  indicative(reference: number, out: AuctionIndicative = { price: NaN, pairedVolume: 0, imbalanceSize: 0, imbalanceSide: 'NONE' }): AuctionIndicative {
    const c = this.compute(reference);
    out.price = c.price;
    out.pairedVolume = c.volume;
    out.imbalanceSize = Math.abs(c.imbalance);
    out.imbalanceSide = imbalanceSide(c.imbalance);
    return out;
  }

  /**
   * Runs the auction at one price (see the class comment) and empties the book. Without a cross (nothing
   * executable) every order is returned as a leftover with its full size.
   */
  uncross(reference: number): AuctionResult<T> {
    const c = this.compute(reference);
    const price = c.price;
    const volume = c.volume;
    const fills: AuctionFill<T>[] = [];
    const filled = new Map<number, number>();
    const live = this.entries.filter((e) => !e.removed);
    if (price === price && volume > 0) {
      const buys = live.filter((e) => e.order.side === 'BUY' && (e.order.price !== e.order.price || e.order.price >= price)).sort(byPriority('BUY'));
      const sells = live.filter((e) => e.order.side === 'SELL' && (e.order.price !== e.order.price || e.order.price <= price)).sort(byPriority('SELL'));
      allocate(buys, volume);
      allocate(sells, volume);
      // pair the allocations in priority order on both sides
      let i = 0;
      let j = 0;
      let bLeft = buys.length > 0 ? buys[0]!.fill : 0;
      let sLeft = sells.length > 0 ? sells[0]!.fill : 0;
      while (i < buys.length && j < sells.length) {
        if (bLeft === 0) {
          bLeft = ++i < buys.length ? buys[i]!.fill : 0;
          continue;
        }
        if (sLeft === 0) {
          sLeft = ++j < sells.length ? sells[j]!.fill : 0;
          continue;
        }
        const q = bLeft < sLeft ? bLeft : sLeft;
        fills.push({ buy: buys[i]!.order, sell: sells[j]!.order, price, quantity: q });
        bLeft -= q;
        sLeft -= q;
      }
      for (const e of live) if (e.fill > 0) filled.set(e.order.id, e.fill);
    }
    const leftovers: AuctionLeftover<T>[] = [];
    for (const e of live) {
      const remaining = e.order.leaves - e.fill;
      if (remaining > 0) leftovers.push({ order: e.order, remaining, auctionOnly: e.auctionOnly });
      e.fill = 0;
    }
    this.clear();
    return { price, volume, imbalance: c.imbalance, imbalanceSide: imbalanceSide(c.imbalance), fills, filled, leftovers };
  }

  private compute(reference: number): CrossPrice {
    const ladder = this.ladder;
    ladder.clear();
    for (const e of this.entries) if (!e.removed) ladder.push(e.order.side, e.order.price, e.order.leaves);
    ladder.finish();
    return findCrossPrice(ladder, reference, this.tick, this.cross);
  }

  private compact(): void {
    this.entries = this.entries.filter((e) => !e.removed);
    this.removedCount = 0;
  }
}

/** Allocation priority: market orders first, then the better limit price, then time (key). */
function byPriority(side: Side): (a: Entry<AuctionOrder>, b: Entry<AuctionOrder>) => number {
  const sign = side === 'BUY' ? -1 : 1;
  return (a, b) => {
    const am = a.order.price !== a.order.price;
    const bm = b.order.price !== b.order.price;
    if (am !== bm) return am ? -1 : 1;
    if (!am && a.order.price !== b.order.price) return sign * (a.order.price - b.order.price);
    return a.key - b.key;
  };
}

/** Gives `volume` to the entries in order until it is used up. */
function allocate(list: Entry<AuctionOrder>[], volume: number): void {
  let left = volume;
  for (const e of list) {
    const q = e.order.leaves < left ? e.order.leaves : left;
    e.fill = q;
    left -= q;
    if (left === 0) break;
  }
}
