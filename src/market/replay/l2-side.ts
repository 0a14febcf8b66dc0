import { searchLevels } from '../level-search.ts';
import { truncate } from '../../core/arrays.ts';
/**
 * One price level of a replayed (market-by-price) book: the size the data says rests there and the
 * part of it our own taker orders have already taken ("consumed"), both in size units. What another of
 * our orders can still take at this price is `size - consumed`.
 */
export class L2Level {
  /** Price units. */
  price = 0;
  /** Size units, as last set by the data (> 0 while the level exists). */
  size = 0;
  /** Size units taken by our orders since the data last set this level (0 <= consumed <= size). */
  consumed = 0;
}

/**
 * One side of a replayed L2 book: levels sorted by price with the BEST LEVEL LAST (bids ascending,
 * asks descending), as `LevelSide` of the matching engine does, so the best price is O(1) and the
 * top of book, where replay activity concentrates, changes in O(1). A level deeper in the book costs a
 * binary search plus a shift. Removed level objects go to a free list: steady-state replay allocates nothing.
 */
export class L2Side {
  /** Levels, worst first, best last. Read-only for callers. */
  readonly levels: L2Level[] = [];
  private readonly higherIsBetter: boolean;
  private readonly free: L2Level[] = [];

  /** `higherIsBetter`: true for bids, false for asks. */
  constructor(higherIsBetter: boolean) {
    this.higherIsBetter = higherIsBetter;
  }

  /** Number of levels. */
  get depth(): number {
    return this.levels.length;
  }

  /** The best level or null. */
  best(): L2Level | null {
    const n = this.levels.length;
    return n === 0 ? null : this.levels[n - 1]!;
  }

  /** The level at depth `i` (0 = best) or null. */
  at(i: number): L2Level | null {
    const idx = this.levels.length - 1 - i;
    return i >= 0 && idx >= 0 ? this.levels[idx]! : null;
  }

  /** The level at exactly `price`, or null. */
  find(price: number): L2Level | null {
    const levels = this.levels;
    const n = levels.length;
    if (n === 0) return null;
    const top = levels[n - 1]!;
    if (top.price === price) return top;
    const l = levels[this.search(price)];
    return l !== undefined && l.price === price ? l : null;
  }

  /** Size units at `price` (0 when there is no level). */
  sizeAt(price: number): number {
    const l = this.find(price);
    return l === null ? 0 : l.size;
  }

  /**
   * Sets the level at `price` to `size` (0 removes it) and clears what our orders had consumed there:
   * the data has overwritten the level. Returns the previous size (0 when there was no level).
   */
  set(price: number, size: number): number {
    const l = this.find(price);
    if (l !== null) {
      const prev = l.size;
      if (size === 0) this.remove(l);
      else {
        l.size = size;
        l.consumed = 0;
      }
      return prev;
    }
    if (size !== 0) this.insert(price, size);
    return 0;
  }

  /**
   * Changes the level at `price` by `delta` size units (L3 adds and removals). Consumption is kept but
   * never exceeds the new size: a decrease is assumed to come out of the part our orders did not take
   * first (the conservative choice). Returns the previous size, or -1 (changing nothing) when the
   * level would go below zero.
   */
  change(price: number, delta: number): number {
    const l = this.find(price);
    const prev = l === null ? 0 : l.size;
    const next = prev + delta;
    if (next < 0) return -1;
    if (l === null) {
      if (next > 0) this.insert(price, next);
      return prev;
    }
    if (next === 0) this.remove(l);
    else {
      l.size = next;
      if (l.consumed > next) l.consumed = next;
    }
    return prev;
  }

  /** Removes every level. */
  clear(): void {
    const levels = this.levels;
    for (let i = 0; i < levels.length; i++) {
      const l = levels[i]!;
      l.size = 0;
      l.consumed = 0;
      this.free.push(l);
    }
    truncate(levels, 0);
  }

  /** Index of the first level not worse than `price` (where it is or would be inserted). */
  private search(price: number): number {
    return searchLevels(this.levels, price, this.higherIsBetter);
  }


  private insert(price: number, size: number): void {
    const l = this.free.length > 0 ? this.free.pop()! : new L2Level();
    l.price = price;
    l.size = size;
    l.consumed = 0;
    const levels = this.levels;
    const n = levels.length;
    if (n === 0 || (this.higherIsBetter ? price > levels[n - 1]!.price : price < levels[n - 1]!.price)) {
      levels.push(l);
      return;
    }
    const i = this.search(price);
    levels.push(levels[n - 1]!);
    for (let j = n - 1; j > i; j--) levels[j] = levels[j - 1]!;
    levels[i] = l;
  }

  private remove(l: L2Level): void {
    const levels = this.levels;
    const n = levels.length;
    if (levels[n - 1] === l) levels.pop();
    else {
      const i = this.search(l.price);
      for (let j = i; j < n - 1; j++) levels[j] = levels[j + 1]!;
      levels.pop();
    }
    l.size = 0;
    l.consumed = 0;
    this.free.push(l);
  }
}
