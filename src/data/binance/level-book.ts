/**
 * A price-level (L2) book in integer units: per side, the total size at each price. Each side keeps
 * its prices sorted with the BEST LEVEL AT THE END of a typed array (bids ascending, asks
 * descending), so updates near the top of book, where activity concentrates, move few elements.
 * Setting a size of 0 removes the level. No allocation per update once the arrays have grown.
 */
export class LevelSide {
  /** Prices, worst first, best last (price units). Read-only for callers; valid up to `count`. */
  prices: Float64Array;
  /** Sizes parallel to `prices` (size units). */
  sizes: Float64Array;
  /** Number of levels. */
  count = 0;
  private readonly higherIsBetter: boolean;

  /** `higherIsBetter`: true for bids, false for asks. */
  constructor(higherIsBetter: boolean, capacity = 64) {
    this.higherIsBetter = higherIsBetter;
    this.prices = new Float64Array(capacity);
    this.sizes = new Float64Array(capacity);
  }

  /** Removes every level. */
  clear(): void {
    this.count = 0;
  }

  /** Best price, or NaN when the side is empty. */
  bestPrice(): number {
    return this.count === 0 ? NaN : this.prices[this.count - 1]!;
  }

  /** Size at the best price, or 0 when the side is empty. */
  bestSize(): number {
    return this.count === 0 ? 0 : this.sizes[this.count - 1]!;
  }

  /** Price at depth `i` (0 = best), or NaN. */
  priceAt(i: number): number {
    const k = this.count - 1 - i;
    return k >= 0 && i >= 0 ? this.prices[k]! : NaN;
  }

  /** Size at depth `i` (0 = best), or 0. */
  sizeAt(i: number): number {
    const k = this.count - 1 - i;
    return k >= 0 && i >= 0 ? this.sizes[k]! : 0;
  }

  /** Size resting at `price` (0 when there is no level). */
  sizeOf(price: number): number {
    const k = this.find(price);
    return k < this.count && this.prices[k] === price ? this.sizes[k]! : 0;
  }

  /** True when `a` is a better price than `b` on this side. */
  better(a: number, b: number): boolean {
    return this.higherIsBetter ? a > b : a < b;
  }

  /** Sets the size at `price`; 0 removes the level. */
  set(price: number, size: number): void {
    const n = this.count;
    // fast path: the best level or a new best
    let k: number;
    if (n === 0 || this.better(price, this.prices[n - 1]!)) k = n;
    else if (this.prices[n - 1] === price) k = n - 1;
    else k = this.find(price);
    if (k < n && this.prices[k] === price) {
      if (size === 0) {
        this.prices.copyWithin(k, k + 1, n);
        this.sizes.copyWithin(k, k + 1, n);
        this.count = n - 1;
      } else this.sizes[k] = size;
      return;
    }
    if (size === 0) return;
    if (n === this.prices.length) this.grow();
    if (k < n) {
      this.prices.copyWithin(k + 1, k, n);
      this.sizes.copyWithin(k + 1, k, n);
    }
    this.prices[k] = price;
    this.sizes[k] = size;
    this.count = n + 1;
  }

  /** Index of the first level that is not worse than `price` (binary search). */
  private find(price: number): number {
    let lo = 0;
    let hi = this.count;
    const p = this.prices;
    if (this.higherIsBetter) {
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (p[mid]! < price) lo = mid + 1;
        else hi = mid;
      }
    } else {
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (p[mid]! > price) lo = mid + 1;
        else hi = mid;
      }
    }
    return lo;
  }

  private grow(): void {
    const cap = this.prices.length * 2;
    const p = new Float64Array(cap);
    p.set(this.prices);
    const s = new Float64Array(cap);
    s.set(this.sizes);
    this.prices = p;
    this.sizes = s;
  }
}

/** Both sides of a price-level book. */
export class LevelBook {
  readonly bids = new LevelSide(true);
  readonly asks = new LevelSide(false);

  /** Removes every level. */
  clear(): void {
    this.bids.clear();
    this.asks.clear();
  }

  /** Top `depth` levels of both sides as plain arrays (cold path: tests, reports). */
  top(depth: number): { bids: [number, number][]; asks: [number, number][] } {
    const bids: [number, number][] = [];
    const asks: [number, number][] = [];
    for (let i = 0; i < depth && i < this.bids.count; i++) bids.push([this.bids.priceAt(i), this.bids.sizeAt(i)]);
    for (let i = 0; i < depth && i < this.asks.count; i++) asks.push([this.asks.priceAt(i), this.asks.sizeAt(i)]);
    return { bids, asks };
  }
}
