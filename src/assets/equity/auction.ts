import type { Side } from '../../market/order.ts';

/**
 * Uncrossing price determination of a single-price call auction (opening, closing and reopening
 * crosses). Pure functions over aggregated demand and supply; `AuctionBook` (auction-book.ts) keeps
 * the orders and calls them. Rules and sources: docs/equity-halts.md section 1.
 *
 * Definitions, for a candidate price p (price units, integers on the tick grid):
 * - B(p) = market buy size + size of buy limits priced >= p (demand at p)
 * - S(p) = market sell size + size of sell limits priced <= p (supply at p)
 * - executable volume V(p) = min(B(p), S(p)); imbalance I(p) = B(p) - S(p) (> 0: buy surplus)
 *
 * The uncrossing price is, among the candidate prices with V > 0:
 * 1. the one with the maximum executable volume V;
 * 2. then the one with the minimum |I| (smallest imbalance);
 * 3. then the one closest to the reference price;
 * 4. then the lower price.
 *
 * Candidates: every distinct limit price, plus, in each gap between adjacent limit prices and below
 * the lowest / above the highest, the grid price closest to the reference price. B and S are constant
 * inside a gap, so that one price represents the whole gap exactly: the result is the optimum over
 * every price of the tick grid, not just over the entered prices.
 *
 * Without a reference price (NaN), only the entered limit prices are candidates (rule 3 is skipped, so
 * rule 4 picks the lowest), and an auction with market orders only has no price: no cross.
 */

/** Minimal view of an order that takes part in an auction. `Order` (src/market/order.ts) satisfies it. */
export interface AuctionOrder {
  readonly id: number;
  readonly side: Side;
  /** Limit price in price units; NaN for a market order. */
  readonly price: number;
  /** Open size in size units (> 0). */
  readonly leaves: number;
}

/** The outcome of the price determination at one moment. */
export interface CrossPrice {
  /** Uncrossing price in price units, NaN when nothing can execute. */
  price: number;
  /** Executable (paired) volume at `price`, size units; 0 when no cross. */
  volume: number;
  /** B(price) - S(price): > 0 buy surplus, < 0 sell surplus. Without a cross: total buy size - total sell size. */
  imbalance: number;
}

/** Side of an imbalance: 'BUY' when buyers are left over, 'SELL' when sellers are, 'NONE' when balanced. */
export type ImbalanceSide = Side | 'NONE';

/** The side of a signed imbalance. */
export function imbalanceSide(imbalance: number): ImbalanceSide {
  return imbalance > 0 ? 'BUY' : imbalance < 0 ? 'SELL' : 'NONE';
}

/**
 * Aggregated auction interest: distinct limit prices ascending with the buy and sell size at each,
 * plus the market order sizes. Filled by `clear()`, `push()` for each order, then `finish()`. Its
 * arrays are reused between builds (they grow, never shrink), so repeated indicative computations
 * allocate nothing once warm.
 */
export class AuctionLadder {
  /** Distinct limit prices, ascending (first `count` entries valid after `finish()`). */
  prices = new Float64Array(16);
  /** Buy limit size at prices[i]. */
  buys = new Float64Array(16);
  /** Sell limit size at prices[i]. */
  sells = new Float64Array(16);
  /** Number of distinct limit prices. */
  count = 0;
  /** Total size of market buy orders. */
  marketBuy = 0;
  /** Total size of market sell orders. */
  marketSell = 0;
  private rawPrice = new Float64Array(16);
  private rawSize = new Float64Array(16); // signed: > 0 buy, < 0 sell
  private raw = 0;

  /** Empties the ladder. */
  clear(): void {
    this.count = 0;
    this.raw = 0;
    this.marketBuy = 0;
    this.marketSell = 0;
  }

  /** Adds one order's interest: `price` NaN for a market order, `size` > 0 (others are ignored). */
  push(side: Side, price: number, size: number): void {
    if (!(size > 0)) return;
    if (price !== price) {
      if (side === 'BUY') this.marketBuy += size;
      else this.marketSell += size;
      return;
    }
    if (this.raw === this.rawPrice.length) {
      this.rawPrice = grow(this.rawPrice, this.raw * 2);
      this.rawSize = grow(this.rawSize, this.raw * 2);
    }
    this.rawPrice[this.raw] = price;
    this.rawSize[this.raw] = side === 'BUY' ? size : -size;
    this.raw++;
  }

  /** Sorts and merges the pushed limit prices. O(n log n). */
  finish(): void {
    const k = this.raw;
    if (this.prices.length < k) {
      const cap = Math.max(k, this.prices.length * 2);
      this.prices = new Float64Array(cap);
      this.buys = new Float64Array(cap);
      this.sells = new Float64Array(cap);
    }
    this.prices.set(this.rawPrice.subarray(0, k));
    const sorted = this.prices.subarray(0, k).sort();
    let m = 0;
    for (let i = 0; i < k; i++) if (m === 0 || sorted[i] !== sorted[m - 1]) sorted[m++] = sorted[i]!;
    this.count = m;
    this.buys.fill(0, 0, m);
    this.sells.fill(0, 0, m);
    for (let j = 0; j < k; j++) {
      const i = lowerBound(this.prices, m, this.rawPrice[j]!);
      const q = this.rawSize[j]!;
      if (q > 0) this.buys[i]! += q;
      else this.sells[i]! -= q;
    }
  }

  /** Convenience: clear, push every order with `leaves > 0`, finish. */
  build(orders: Iterable<AuctionOrder>): void {
    this.clear();
    for (const o of orders) this.push(o.side, o.price, o.leaves);
    this.finish();
  }
}

function grow(a: Float64Array, cap: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(Math.max(cap, 16));
  b.set(a);
  return b;
}

/** First index i in [0, n) with a[i] >= x (n if none). */
function lowerBound(a: Float64Array, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Rounds a price to the nearest multiple of `tick` (half up). */
function roundToTick(p: number, tick: number): number {
  return Math.floor(p / tick + 0.5) * tick;
}

/** The grid price in [lo, hi] closest to `ref` (lo, hi on the grid, lo <= hi). */
function clampToGap(ref: number, lo: number, hi: number, tick: number): number {
  const r = roundToTick(ref, tick);
  return r < lo ? lo : r > hi ? hi : r;
}

/** Running best candidate of `findCrossPrice` (module scratch: the function is synchronous). */
interface Best {
  p: number;
  v: number;
  absI: number;
  i: number;
  d: number;
  /** Reference price, NaN when none. */
  ref: number;
}
const scratch: Best = { p: NaN, v: 0, absI: Infinity, i: 0, d: Infinity, ref: NaN };

/** Offers candidate price p with demand b and supply s to the running best (rules 1-4). */
function consider(best: Best, p: number, b: number, s: number): void {
  const v = b < s ? b : s;
  if (v <= 0) return;
  const imb = b - s;
  const absI = imb < 0 ? -imb : imb;
  const d = best.ref === best.ref ? Math.abs(p - best.ref) : 0;
  if (v > best.v || (v === best.v && (absI < best.absI || (absI === best.absI && (d < best.d || (d === best.d && p < best.p)))))) {
    best.p = p;
    best.v = v;
    best.absI = absI;
    best.i = imb;
    best.d = d;
  }
}

/**
 * Finds the uncrossing price of a ladder (rules in the module comment). `reference` (price units, may
 * be fractional or NaN) breaks ties; NaN means "no reference": rule 3 is skipped and, with market
 * orders only, there is no price (no cross). `tick` is the price grid in price units (> 0).
 * Writes into and returns `out`. O(number of distinct limit prices), no allocation.
 */
export function findCrossPrice(ladder: AuctionLadder, reference: number, tick: number, out: CrossPrice): CrossPrice {
  const n = ladder.count;
  const prices = ladder.prices;
  const buys = ladder.buys;
  const sells = ladder.sells;
  let totalBuyLimit = 0;
  for (let i = 0; i < n; i++) totalBuyLimit += buys[i]!;
  let totalSellLimit = 0;
  for (let i = 0; i < n; i++) totalSellLimit += sells[i]!;
  const hasRef = reference === reference && reference > 0;

  const best = scratch;
  best.p = NaN;
  best.v = 0;
  best.absI = Infinity;
  best.i = 0;
  best.d = Infinity;
  best.ref = hasRef ? reference : NaN;

  if (n === 0) {
    // market orders only: any price trades the same volume; the reference price decides
    if (hasRef) consider(best, roundToTick(reference, tick) || tick, ladder.marketBuy, ladder.marketSell);
  } else {
    // Walk prices ascending. Before index i: sells at prices < prices[i] are in S; buys at >= prices[i] in B.
    let buyAtOrAbove = ladder.marketBuy + totalBuyLimit; // B(p) for p <= prices[0]
    let sellBelow = ladder.marketSell; // S(p) for p < prices[0]
    // gap below the lowest limit price: B = all buys, S = market sells only
    if (hasRef && prices[0]! - tick >= tick) consider(best, clampToGap(reference, tick, prices[0]! - tick, tick), buyAtOrAbove, sellBelow);
    for (let i = 0; i < n; i++) {
      const p = prices[i]!;
      const sellAtOrBelow = sellBelow + sells[i]!;
      consider(best, p, buyAtOrAbove, sellAtOrBelow);
      const buyAbove = buyAtOrAbove - buys[i]!;
      // gap (p, next): B = buys above p, S = sells at or below p
      if (hasRef) {
        const lo = p + tick;
        const hi = i + 1 < n ? prices[i + 1]! - tick : Infinity;
        if (lo <= hi) consider(best, clampToGap(reference, lo, hi, tick), buyAbove, sellAtOrBelow);
      }
      buyAtOrAbove = buyAbove;
      sellBelow = sellAtOrBelow;
    }
  }
  out.price = best.p;
  out.volume = best.v;
  out.imbalance = best.p === best.p ? best.i : ladder.marketBuy + totalBuyLimit - (ladder.marketSell + totalSellLimit);
  return out;
}

/**
 * Executable volume and imbalance at a given price (for checks and tests): V(p) and I(p) of the
 * module comment, written into `out` with `out.price = p`.
 */
export function volumeAt(ladder: AuctionLadder, p: number, out: CrossPrice): CrossPrice {
  let b = ladder.marketBuy;
  let s = ladder.marketSell;
  for (let i = 0; i < ladder.count; i++) {
    const q = ladder.prices[i]!;
    if (q >= p) b += ladder.buys[i]!;
    if (q <= p) s += ladder.sells[i]!;
  }
  out.price = p;
  out.volume = b < s ? b : s;
  out.imbalance = b - s;
  return out;
}
