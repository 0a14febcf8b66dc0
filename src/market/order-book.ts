import type { Order, Side } from './order.ts';
import { IdMap } from './id-map.ts';
import { LevelSide, PriceLevel } from './price-levels.ts';

export { PriceLevel } from './price-levels.ts';

/**
 * An order-by-order (L3) limit order book for one instrument. Prices and sizes are integer units.
 *
 * Structure (see docs/matching.md):
 * - each side is an array of `PriceLevel` objects sorted by price with the best level at the end
 *   (bids ascending, asks descending), so the best price is O(1) and an exhausted best level is a `pop()`;
 * - each level is a FIFO queue of orders, an intrusive doubly linked list through `Order.prev/next`
 *   (`Order.level` points back at the level), with aggregate open size and order count;
 * - a hash map (`IdMap`) from order id to order gives O(1) lookup and cancel by id. Ids are arbitrary numbers
 *   (vendor ids from replayed data are fine); `add` reports a duplicate instead of overwriting.
 *
 * A resting order's open size is `order.leaves` (= quantity - filled - closedQuantity); the book keeps
 * the level aggregates equal to the sum of `leaves`, so change an order's sizes only through the book
 * (`reduce`, `fill`, `fillFirst`) while it rests. Every view reads the live structure; nothing is copied.
 */
export class OrderBook {
  /** Bid levels (BUY orders), best (highest) last. */
  private readonly bids: LevelSide;
  /** Ask levels (SELL orders), best (lowest) last. */
  private readonly asks: LevelSide;
  private readonly byId = new IdMap<Order>();

  constructor() {
    const free: PriceLevel[] = [];
    this.bids = new LevelSide(true, free);
    this.asks = new LevelSide(false, free);
  }

  /** Number of resting orders on both sides. */
  get size(): number {
    return this.byId.size;
  }

  /** Number of resting orders on one side. */
  orderCount(side: Side): number {
    return this.sideOf(side).orderCount;
  }

  /** The resting order with this id, or undefined. */
  get(id: number): Order | undefined {
    return this.byId.get(id);
  }

  /** True when an order with this id rests in the book. */
  has(id: number): boolean {
    return this.byId.has(id);
  }

  /**
   * Adds a resting order at the back of its price level (`order.price`, which must be a finite
   * number; the caller validates ticks). Returns false, changing nothing, when an order with the
   * same id already rests (duplicate id) or when the order has no open size or no finite price.
   * O(1) at an existing or new best level; O(log L + L) for a new level deeper in the book.
   */
  add(order: Order): boolean {
    const leaves = order.leaves;
    if (!(leaves > 0) || !Number.isFinite(order.price)) return false;
    const byId = this.byId;
    if (byId.has(order.id)) return false;
    byId.set(order.id, order);
    (order.side === 'BUY' ? this.bids : this.asks).append(order, order.price, leaves);
    return true;
  }

  /**
   * `add` without the checks, for a caller that has already verified that the id is not resting, the
   * price is finite and `leaves` (= `order.leaves`) is positive (the matching engine).
   */
  insert(order: Order, leaves: number): void {
    this.byId.set(order.id, order);
    (order.side === 'BUY' ? this.bids : this.asks).append(order, order.price, leaves);
  }

  /** Removes a resting order by id and returns it (undefined when unknown). O(1) unless a deep level empties. */
  remove(id: number): Order | undefined {
    const order = this.byId.take(id);
    if (order !== undefined) (order.side === 'BUY' ? this.bids : this.asks).unlink(order, order.leaves);
    return order;
  }

  /** Removes this resting order (which must be in this book). O(1) unless a deep level empties. */
  removeOrder(order: Order): void {
    this.unlink(order);
  }

  private unlink(order: Order): void {
    this.byId.delete(order.id);
    (order.side === 'BUY' ? this.bids : this.asks).unlink(order, order.leaves);
  }

  /**
   * Reduces a resting order's total `quantity` by `delta` size units in place: it keeps its queue
   * position (priority). When its open size reaches zero it leaves the book. Returns false (no change)
   * when `delta` is not a positive integer not above the order's open size.
   */
  reduce(order: Order, delta: number): boolean {
    const leaves = order.leaves;
    if (!(delta > 0) || !Number.isInteger(delta) || delta > leaves) return false;
    if (delta === leaves) {
      this.unlink(order);
      order.quantity -= delta;
      return true;
    }
    order.quantity -= delta;
    (order.level as PriceLevel).size -= delta;
    return true;
  }

  /**
   * Fills `size` units of a resting order at its own price: adds to `filled` and `filledNotional`,
   * sets status PARTIALLY_FILLED or FILLED, and removes it from the book once nothing is left.
   * `size` must be in (0, leaves]; the caller checks it.
   */
  fill(order: Order, size: number): void {
    const level = order.level as PriceLevel;
    order.filled += size;
    order.filledNotional += level.price * size;
    if (order.leaves === 0) {
      order.status = 'FILLED';
      this.byId.delete(order.id);
      // unlink with the size it had before this fill
      (order.side === 'BUY' ? this.bids : this.asks).unlink(order, size);
    } else {
      order.status = 'PARTIALLY_FILLED';
      level.size -= size;
    }
  }

  /**
   * Fills `size` units of the first order (queue head) of `level`, as `fill` does, and returns it.
   * The usual step of a match: `const maker = book.fillFirst(book.bestLevel('SELL')!, n)`.
   */
  fillFirst(level: PriceLevel, size: number): Order {
    const order = level.head!;
    this.fill(order, size);
    return order;
  }

  /** Removes every order (links are cleared; orders keep their fields). */
  clear(): void {
    this.bids.clear();
    this.asks.clear();
    this.byId.clear();
  }

  // ---- L1 ----

  /** Best bid price in price units, NaN when there is no bid. */
  bestBid(): number {
    const l = this.bids.best();
    return l === null ? NaN : l.price;
  }
  /** Best ask price in price units, NaN when there is no ask. */
  bestAsk(): number {
    const l = this.asks.best();
    return l === null ? NaN : l.price;
  }
  /** Open size at the best bid, size units (0 when empty). */
  bestBidSize(): number {
    const l = this.bids.best();
    return l === null ? 0 : l.size;
  }
  /** Open size at the best ask, size units (0 when empty). */
  bestAskSize(): number {
    const l = this.asks.best();
    return l === null ? 0 : l.size;
  }

  // ---- L2 (by depth index, 0 = best) ----

  /** Number of price levels on a side. */
  levelCount(side: Side): number {
    return this.sideOf(side).levels.length;
  }
  /** Price of the level at depth `i` (0 = best), NaN when out of range. */
  levelPrice(side: Side, i: number): number {
    const l = this.sideOf(side).at(i);
    return l === null ? NaN : l.price;
  }
  /** Aggregate open size of the level at depth `i`, 0 when out of range. */
  levelSize(side: Side, i: number): number {
    const l = this.sideOf(side).at(i);
    return l === null ? 0 : l.size;
  }
  /** Number of orders in the level at depth `i`, 0 when out of range. */
  levelOrderCount(side: Side, i: number): number {
    const l = this.sideOf(side).at(i);
    return l === null ? 0 : l.count;
  }
  /** The level object at depth `i` (0 = best) or null. A live view: do not keep it across changes. */
  level(side: Side, i: number): PriceLevel | null {
    return this.sideOf(side).at(i);
  }
  /** The best level of a side or null. */
  bestLevel(side: Side): PriceLevel | null {
    return this.sideOf(side).best();
  }
  /** The level at exactly `price` on a side, or null. O(log L). */
  levelAt(side: Side, price: number): PriceLevel | null {
    return this.sideOf(side).find(price);
  }
  /** Open size resting at exactly `price` on a side (0 when none). */
  sizeAt(side: Side, price: number): number {
    const l = this.sideOf(side).find(price);
    return l === null ? 0 : l.size;
  }

  // ---- L3 ----

  /**
   * First order (oldest, next to fill) of the level at depth `i`, or null. Iterate the queue with
   * `for (let o = book.levelHead(side, i); o !== null; o = o.next)`; do not change the book meanwhile.
   */
  levelHead(side: Side, i: number): Order | null {
    const l = this.sideOf(side).at(i);
    return l === null ? null : l.head;
  }

  /** The orders of the level at depth `i` in queue order (a convenience generator; not for hot paths). */
  *levelOrders(side: Side, i: number): IterableIterator<Order> {
    for (let o = this.levelHead(side, i); o !== null; o = o.next) yield o;
  }

  private sideOf(side: Side): LevelSide {
    return side === 'BUY' ? this.bids : this.asks;
  }
}
