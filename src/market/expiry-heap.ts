import type { Order } from './order.ts';

/**
 * A binary min-heap of (expiry time, order) held in two parallel arrays, so pushing and popping
 * allocate nothing once the arrays have grown. Entries are never removed early: the owner checks,
 * when an entry reaches the top, whether its order is still live with that expiry (lazy deletion).
 * Ties pop in insertion order (a sequence number breaks them), which keeps expiry deterministic.
 */
export class ExpiryHeap {
  private readonly times: number[] = [];
  private readonly seqs: number[] = [];
  private readonly orders: (Order | null)[] = [];
  private n = 0;
  private seq = 0;

  /** Number of entries (live or stale). */
  get length(): number {
    return this.n;
  }

  /** Earliest time in the heap (Infinity when empty). */
  peekTime(): number {
    return this.n === 0 ? Infinity : this.times[0]!;
  }

  /** Order of the earliest entry (undefined when empty). */
  peekOrder(): Order | undefined {
    return this.n === 0 ? undefined : this.orders[0]!;
  }

  /** Adds an entry. */
  push(time: number, order: Order): void {
    const times = this.times, seqs = this.seqs, orders = this.orders;
    const s = this.seq++;
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = times[p]!;
      if (pt < time || (pt === time && seqs[p]! < s)) break;
      times[i] = pt;
      seqs[i] = seqs[p]!;
      orders[i] = orders[p]!;
      i = p;
    }
    times[i] = time;
    seqs[i] = s;
    orders[i] = order;
  }

  /** Removes the earliest entry. */
  pop(): void {
    const n = --this.n;
    if (n < 0) {
      this.n = 0;
      return;
    }
    const times = this.times, seqs = this.seqs, orders = this.orders;
    const t = times[n]!, s = seqs[n]!, o = orders[n]!;
    orders[n] = null; // release the reference held by the vacated slot
    if (n === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && (times[r]! < times[l]! || (times[r] === times[l] && seqs[r]! < seqs[l]!))) c = r;
      if (times[c]! > t || (times[c] === t && seqs[c]! > s)) break;
      times[i] = times[c]!;
      seqs[i] = seqs[c]!;
      orders[i] = orders[c]!;
      i = c;
    }
    times[i] = t;
    seqs[i] = s;
    orders[i] = o;
  }
}
