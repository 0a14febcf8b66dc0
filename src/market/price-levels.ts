import type { Order } from './order.ts';
import { searchLevels } from './level-search.ts';

/** Slots of a side's price -> level cache (a power of two: 256 distinct ticks around the action). */
const SLOT_COUNT = 256;
const SLOT_MASK = SLOT_COUNT - 1;

/**
 * One price level: a FIFO queue of resting orders at the same key price, held as an intrusive
 * doubly linked list through `Order.prev` / `Order.next`, with the aggregate open size
 * (sum of `order.leaves`) and the order count. Level objects are owned and recycled by their
 * `LevelSide`; read them, never mutate them, and do not keep them after the book changes.
 */
export class PriceLevel {
  /** Key price of the level, price units (the limit price in an order book, the trigger in a stop book). */
  price = 0;
  /** Sum of the open size (`leaves`) of the orders in the level, size units. */
  size = 0;
  /** Number of orders in the level. */
  count = 0;
  /** First order in queue order (the oldest), or null when empty. */
  head: Order | null = null;
  /** Last order in queue order (the newest), or null when empty. */
  tail: Order | null = null;
}

/**
 * One side of a price-level structure: levels sorted by key price with the BEST LEVEL AT THE END of
 * the array, so that the best price is `levels[levels.length - 1]` and removing an exhausted best
 * level is an O(1) `pop()`. Activity concentrates at the top of book, so insertion first checks the
 * best level and otherwise binary-searches (O(log L)) and splices (O(L) moves, small in practice).
 *
 * `higherIsBetter` is true for bids (and sell stops, whose highest trigger fires first) and false
 * for asks (and buy stops). Empty level objects go back to a free list and are reused, so steady
 * state trading allocates nothing.
 *
 * An order joining an existing level below the best would otherwise walk down the array from the top
 * (a few levels) or bisect it. To find such a level in O(1), the side keeps a small direct-mapped
 * cache of its live levels indexed by the low bits of their price (`price & SLOT_MASK`): a slot holds
 * at most one live level of this side, is checked against the exact price before use, is overwritten
 * by a newer level with the same low bits and cleared when its level empties. A miss (collision,
 * fractional price) falls back to the search, so the cache never changes a result.
 */
export class LevelSide {
  /** Levels, worst first, best last. Read-only for callers. */
  readonly levels: PriceLevel[] = [];
  /** Orders resting on this side. */
  orderCount = 0;
  private readonly higherIsBetter: boolean;
  private readonly free: PriceLevel[];
  /** Direct-mapped cache price -> live level of this side (see the class comment). */
  private readonly slots: (PriceLevel | null)[] = new Array<PriceLevel | null>(SLOT_COUNT).fill(null);

  /** `free`: a free list of level objects, which the two sides of a book share. */
  constructor(higherIsBetter: boolean, free: PriceLevel[] = []) {
    this.higherIsBetter = higherIsBetter;
    this.free = free;
  }

  /** The best level or null. */
  best(): PriceLevel | null {
    const n = this.levels.length;
    return n === 0 ? null : this.levels[n - 1]!;
  }

  /** Level at depth `i` (0 = best) or null when out of range. */
  at(i: number): PriceLevel | null {
    const idx = this.levels.length - 1 - i;
    return idx >= 0 && i >= 0 ? (this.levels[idx] ?? null) : null;
  }

  /** Index of the first level not worse than `price` (where it is or would be inserted). */
  private search(price: number): number {
    return searchLevels(this.levels, price, this.higherIsBetter);
  }


  /** The level with exactly this price, or null. */
  find(price: number): PriceLevel | null {
    const n = this.levels.length;
    if (n === 0) return null;
    const top = this.levels[n - 1]!;
    if (top.price === price) return top;
    const cached = this.slots[price & SLOT_MASK]!;
    if (cached !== null && cached.price === price) return cached;
    const i = this.search(price);
    const l = this.levels[i];
    return l !== undefined && l.price === price ? l : null;
  }

  /** Appends `order` at the back of the level with key `price` (creating the level). O(1) at the best level, O(log L + L) otherwise. */
  append(order: Order, price: number, leaves: number): void {
    const levels = this.levels;
    const n = levels.length;
    let level: PriceLevel | null = null;
    if (n > 0) {
      const top = levels[n - 1]!;
      if (top.price === price) level = top;
      else if (this.higherIsBetter ? price > top.price : price < top.price) {
        level = this.newLevel(price);
        levels.push(level);
      }
    }
    if (level === null) {
      const cached = this.slots[price & SLOT_MASK]!;
      if (cached !== null && cached.price === price) level = cached;
    }
    if (level === null) {
      const i = this.search(price);
      const l = levels[i];
      if (l !== undefined && l.price === price) {
        level = l;
        this.slots[price & SLOT_MASK] = l;
      } else {
        level = this.newLevel(price);
        if (i === n) levels.push(level);
        else {
          // shift the better levels up by one (no splice: it allocates its result array)
          levels.push(levels[n - 1]!);
          for (let j = n - 1; j > i; j--) levels[j] = levels[j - 1]!;
          levels[i] = level;
        }
      }
    }
    const tail = level.tail;
    order.prev = tail;
    order.next = null;
    order.level = level;
    if (tail === null) level.head = order;
    else tail.next = order;
    level.tail = order;
    level.size += leaves;
    level.count++;
    this.orderCount++;
  }

  /** Unlinks `order` (whose open size is `leaves`) from its level, dropping the level when it empties. O(1) unless a non-best level empties. */
  unlink(order: Order, leaves: number): void {
    const level = order.level as PriceLevel;
    const prev = order.prev;
    const next = order.next;
    if (prev === null) level.head = next;
    else prev.next = next;
    if (next === null) level.tail = prev;
    else next.prev = prev;
    order.prev = null;
    order.next = null;
    order.level = null;
    level.size -= leaves;
    level.count--;
    this.orderCount--;
    if (level.count === 0) this.dropLevel(level);
  }

  private dropLevel(level: PriceLevel): void {
    const slot = level.price & SLOT_MASK;
    if (this.slots[slot] === level) this.slots[slot] = null;
    const levels = this.levels;
    const n = levels.length;
    if (levels[n - 1] === level) levels.pop();
    else {
      let i = this.search(level.price);
      if (levels[i] !== level) i = levels.indexOf(level);
      for (let j = i; j < n - 1; j++) levels[j] = levels[j + 1]!;
      levels.pop();
    }
    level.head = null;
    level.tail = null;
    level.size = 0;
    level.count = 0;
    this.free.push(level);
  }

  private newLevel(price: number): PriceLevel {
    const l = this.free.length > 0 ? this.free.pop()! : new PriceLevel();
    l.price = price;
    this.slots[price & SLOT_MASK] = l;
    return l;
  }

  /** Removes every level (orders are unlinked). */
  clear(): void {
    for (const level of this.levels) {
      let o = level.head;
      while (o !== null) {
        const next = o.next;
        o.prev = null;
        o.next = null;
        o.level = null;
        o = next;
      }
      level.head = null;
      level.tail = null;
      level.size = 0;
      level.count = 0;
      this.free.push(level);
    }
    this.levels.length = 0;
    this.slots.fill(null);
    this.orderCount = 0;
  }
}
