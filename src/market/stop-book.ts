import type { Order, Side } from './order.ts';
import { IdMap } from './id-map.ts';
import { LevelSide, type PriceLevel } from './price-levels.ts';

/**
 * Untriggered STOP and STOP_LIMIT orders, keyed by trigger price, in trigger order:
 * buy stops fire when the last trade price rises to their trigger, so the LOWEST buy trigger comes
 * first; sell stops fire when it falls to their trigger, so the HIGHEST sell trigger comes first.
 * Within one trigger price, orders keep acceptance (priority) order (FIFO). Same level structure as
 * the order book (`LevelSide`), so add, remove and "next to fire" are O(1) at the top.
 */
export class StopBook {
  private readonly buys: LevelSide;
  private readonly sells: LevelSide;
  private readonly byId = new IdMap<Order>(64);

  constructor() {
    const free: PriceLevel[] = [];
    this.buys = new LevelSide(false, free);
    this.sells = new LevelSide(true, free);
  }

  /** Number of waiting stops. */
  get size(): number {
    return this.byId.size;
  }

  /** The waiting stop with this id, or undefined. */
  get(id: number): Order | undefined {
    return this.byId.get(id);
  }

  /** Adds a stop at the back of its trigger level; false (no change) on a duplicate id or a non-finite trigger. */
  add(order: Order): boolean {
    if (!Number.isFinite(order.triggerPrice) || this.byId.has(order.id)) return false;
    this.byId.set(order.id, order);
    (order.side === 'BUY' ? this.buys : this.sells).append(order, order.triggerPrice, order.leaves);
    return true;
  }

  /** Removes a waiting stop (which must be in this book). */
  removeOrder(order: Order): void {
    this.byId.delete(order.id);
    (order.side === 'BUY' ? this.buys : this.sells).unlink(order, order.leaves);
  }

  /** Reduces a waiting stop's quantity in place (keeps its place); `delta` must be below its open size. */
  reduce(order: Order, delta: number): void {
    order.quantity -= delta;
    (order.level as PriceLevel).size -= delta;
  }

  /**
   * The next stop to fire on `side` given the highest (`high`) and lowest (`low`) trade prices seen
   * since the last evaluation, or null: the first buy stop with trigger <= high, the first sell stop with
   * trigger >= low. NaN prices never trigger anything.
   */
  nextTriggered(side: Side, high: number, low: number): Order | null {
    if (side === 'BUY') {
      const l = this.buys.best();
      return l !== null && l.price <= high ? l.head : null;
    }
    const l = this.sells.best();
    return l !== null && l.price >= low ? l.head : null;
  }

  /** Number of trigger levels on a side. */
  levelCount(side: Side): number {
    return (side === 'BUY' ? this.buys : this.sells).levels.length;
  }

  /** The trigger level at depth `i` (0 = next to fire) or null. */
  level(side: Side, i: number): PriceLevel | null {
    return (side === 'BUY' ? this.buys : this.sells).at(i);
  }
}
