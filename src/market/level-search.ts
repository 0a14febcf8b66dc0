/**
 * Binary search in a side's price levels, stored worst first and best last (bids ascending, asks
 * descending). Returns the index of the first level not worse than `price`: where a level with that
 * price is, or would be inserted. Most activity is near the top of the book, so it first walks down up
 * to 8 levels from the best (cache-friendly) before bisecting the rest.
 */
export function searchLevels(levels: readonly { readonly price: number }[], price: number, higherIsBetter: boolean): number {
  let hi = levels.length;
  const stop = hi > 8 ? hi - 8 : 0;
  if (higherIsBetter) {
    // ascending prices: find the first index whose price >= price
    while (hi > stop && levels[hi - 1]!.price >= price) hi--;
    if (hi > stop || hi === 0 || levels[hi - 1]!.price < price) return hi;
    let lo = 0;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (levels[mid]!.price < price) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  // descending prices: find the first index whose price <= price
  while (hi > stop && levels[hi - 1]!.price <= price) hi--;
  if (hi > stop || hi === 0 || levels[hi - 1]!.price > price) return hi;
  let lo = 0;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (levels[mid]!.price > price) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
