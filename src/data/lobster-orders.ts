/** What `LobsterOrderMap.step` did with a message. */
export const OrderStep = {
  Ok: 0,
  /** A cancel, delete or execution of an id whose submission was not seen (nothing changed). */
  Unknown: 1,
  /** A submission of an id that is already live. */
  Duplicate: 2,
  /** A known id with another price or side than its submission. */
  Mismatch: 3,
  /** More than what remains of the order (without clamp). */
  Overdrawn: 4,
  /** More than what remains, with clamp: the order was removed. */
  Clamped: 5,
} as const;
export type OrderStep = (typeof OrderStep)[keyof typeof OrderStep];

/**
 * The live orders of a LOBSTER reconstruction, by order id: an open-addressing hash table (linear
 * probing, backward-shift deletion) on ONE Int32Array, four words per slot (id low 32 bits, id high
 * bits x 2 + 1 for a sell, remaining size, price), so a lookup touches one cache line and the hot
 * path allocates nothing. Each entry holds the remaining size, the price and the side (1 buy, -1
 * sell) of an order whose submission (type 1) was seen. Ids must be positive integers below 2^53;
 * sizes and prices must fit an int32 (the parsers refuse larger ones for the book).
 */
export class LobsterOrderMap {
  /** Slot s is words 4s..4s+3: idLo, idHi * 2 + (sell ? 1 : 0), remaining, price; an empty slot is all zero. */
  private table: Int32Array;
  private mask: number;
  private shift: number;
  private count = 0;
  /** Slot of the last successful `find` (valid until the next mutation). */
  slot = -1;

  constructor(capacity = 1 << 12) {
    let cap = 16;
    while (cap < capacity * 2) cap *= 2;
    this.table = new Int32Array(cap * 4);
    this.mask = cap - 1;
    this.shift = 32 - Math.log2(cap);
  }

  /** Number of live orders. */
  get size(): number {
    return this.count;
  }

  /** Fibonacci hashing of the id's low 32 bits (exact keys are compared, so ids above 2^32 only share buckets). */
  private hash(lo: number): number {
    return Math.imul(lo, 0x9e3779b1) >>> this.shift;
  }

  /** Finds `id`; true when live (then `slot` points at it). */
  find(id: number): boolean {
    const t = this.table;
    const mask = this.mask;
    const lo = id | 0;
    const hi2 = id > 0xffffffff ? Math.floor(id / 4294967296) * 2 : 0;
    let i = this.hash(lo);
    for (;;) {
      const o = i << 2;
      const w0 = t[o]!;
      if (w0 === lo) {
        const w1 = t[o + 1]!;
        if ((w0 | w1) === 0) return false;
        if ((w1 & -2) === hi2) {
          this.slot = i;
          return true;
        }
      } else if (w0 === 0 && t[o + 1] === 0) return false;
      i = (i + 1) & mask;
    }
  }

  /** Remaining size of the order at `slot` (from `find`). */
  remainingAt(slot: number): number {
    return this.table[(slot << 2) + 2]!;
  }
  /** Price of the order at `slot` (from `find`). */
  priceAt(slot: number): number {
    return this.table[(slot << 2) + 3]!;
  }
  /** Side (1 buy, -1 sell) of the order at `slot` (from `find`). */
  sideAt(slot: number): number {
    return this.table[(slot << 2) + 1]! & 1 ? -1 : 1;
  }
  /** Sets the remaining size of a found order. */
  setRemaining(slot: number, size: number): void {
    this.table[(slot << 2) + 2] = size;
  }

  /** Adds a live order; false when the id is already live. */
  insert(id: number, size: number, price: number, side: number): boolean {
    if ((this.count + 1) * 2 > this.mask + 1) this.grow();
    const t = this.table;
    const mask = this.mask;
    const lo = id | 0;
    const hi2 = id > 0xffffffff ? Math.floor(id / 4294967296) * 2 : 0;
    let i = this.hash(lo);
    for (;;) {
      const o = i << 2;
      const w0 = t[o]!;
      const w1 = t[o + 1]!;
      if ((w0 | w1) === 0) break;
      if (w0 === lo && w1 >> 1 << 1 === hi2) return false;
      i = (i + 1) & mask;
    }
    const o = i << 2;
    t[o] = lo;
    t[o + 1] = hi2 + (side === -1 ? 1 : 0);
    t[o + 2] = size;
    t[o + 3] = price;
    this.count++;
    return true;
  }

  /**
   * The order-map part of one message (`LobsterBook.apply` and the two-thread rebuild's
   * `checkOrders` both use it): a submission (type 1) is inserted; a cancel, delete or execution
   * (types 2-4) of a known id is checked against its submission (price and side) and takes its size
   * off, removing the order when nothing is left (always for a delete); other types change nothing.
   * Returns an `OrderStep`; after `Duplicate`, `Mismatch` or `Overdrawn`, `slot` is the order's and
   * nothing changed. With `clamp`, an overdraw removes the order and returns `Clamped`.
   */
  step(type: number, id: number, size: number, price: number, side: number, clamp: boolean): OrderStep {
    if (type === 1) {
      if (this.insert(id, size, price, side)) return OrderStep.Ok;
      this.find(id);
      return OrderStep.Duplicate;
    }
    if (type > 4) return OrderStep.Ok;
    if (!this.find(id)) return OrderStep.Unknown;
    const slot = this.slot;
    if (this.priceAt(slot) !== price || this.sideAt(slot) !== side) return OrderStep.Mismatch;
    const left = this.remainingAt(slot) - size;
    if (left < 0 && !clamp) return OrderStep.Overdrawn;
    if (type === 3 || left <= 0) this.removeAt(slot);
    else this.setRemaining(slot, left);
    return left < 0 ? OrderStep.Clamped : OrderStep.Ok;
  }

  /** Removes the order at `slot` (from `find`), shifting later entries of its probe run back. */
  removeAt(slot: number): void {
    const t = this.table;
    const mask = this.mask;
    let i = slot;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const o = j << 2;
      const w0 = t[o]!;
      if ((w0 | t[o + 1]!) === 0) break;
      const h = this.hash(w0);
      // move j back to i when its home h is not cyclically within (i, j], that is when h is at least
      // as far behind j as i is (one comparison of cyclic distances: no branch that only a probe
      // wrapping round the table's end takes, which would deoptimize the optimized code)
      if (((j - h) & mask) >= ((j - i) & mask)) {
        const d = i << 2;
        t[d] = w0;
        t[d + 1] = t[o + 1]!;
        t[d + 2] = t[o + 2]!;
        t[d + 3] = t[o + 3]!;
        i = j;
      }
    }
    const d = i << 2;
    t[d] = 0;
    t[d + 1] = 0;
    this.count--;
    this.slot = -1;
  }

  private grow(): void {
    const old = this.table;
    const cap = (old.length >> 2) * 2;
    this.table = new Int32Array(cap * 4);
    this.mask = cap - 1;
    this.shift = 32 - Math.log2(cap);
    this.count = 0;
    for (let o = 0; o < old.length; o += 4) {
      const w0 = old[o]!;
      const w1 = old[o + 1]!;
      if ((w0 | w1) !== 0) {
        const id = (w0 >>> 0) + (w1 >>> 1) * 4294967296;
        this.insert(id, old[o + 2]!, old[o + 3]!, w1 & 1 ? -1 : 1);
      }
    }
  }
}
