/**
 * Binary search in a side's price levels, stored worst first and best last (bids ascending, asks
 * descending). Returns the index of the first level not worse than `price`: where a level with that
 * price is, or would be inserted.
 */
export function searchLevels(levels: readonly { readonly price: number }[], price: number, higherIsBetter: boolean): number {
  let lo = 0;
  let hi = levels.length;
  if (higherIsBetter) {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (levels[mid]!.price < price) lo = mid + 1;
      else hi = mid;
    }
  } else {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (levels[mid]!.price > price) lo = mid + 1;
      else hi = mid;
    }
  }
  return lo;
}
