/**
 * The live orders of a LOBSTER reconstruction, by order id: an open-addressing hash table on typed
 * arrays (linear probing, backward-shift deletion), so the hot path allocates nothing. Each entry
 * holds the remaining size, the price and the side (1 buy, -1 sell) of an order whose submission
 * (type 1) was seen. Ids must be positive integers below 2^53.
 */
export class LobsterOrderMap {
  private keys: Float64Array;
  private remaining: Float64Array;
  private prices: Float64Array;
  private sides: Int8Array;
  private mask: number;
  private shift: number;
  private count = 0;
  /** Slot of the last successful `find` (valid until the next mutation). */
  slot = -1;

  constructor(capacity = 1 << 12) {
    let cap = 16;
    while (cap < capacity * 2) cap *= 2;
    this.keys = new Float64Array(cap);
    this.remaining = new Float64Array(cap);
    this.prices = new Float64Array(cap);
    this.sides = new Int8Array(cap);
    this.mask = cap - 1;
    this.shift = 32 - Math.log2(cap);
  }

  /** Number of live orders. */
  get size(): number {
    return this.count;
  }

  /** Fibonacci hashing of the id's low 32 bits (exact keys are compared, so ids above 2^32 only share buckets). */
  private hash(id: number): number {
    return Math.imul(id | 0, 0x9e3779b1) >>> this.shift;
  }

  /** Finds `id`; true when live (then `slot` points at it). */
  find(id: number): boolean {
    const keys = this.keys;
    const mask = this.mask;
    let i = this.hash(id);
    for (;;) {
      const k = keys[i]!;
      if (k === id) {
        this.slot = i;
        return true;
      }
      if (k === 0) return false;
      i = (i + 1) & mask;
    }
  }

  /** Remaining size of the order found by the last `find`. */
  remainingAt(slot: number): number {
    return this.remaining[slot]!;
  }
  /** Price of the order found by the last `find`. */
  priceAt(slot: number): number {
    return this.prices[slot]!;
  }
  /** Side (1 buy, -1 sell) of the order found by the last `find`. */
  sideAt(slot: number): number {
    return this.sides[slot]!;
  }
  /** Sets the remaining size of a found order. */
  setRemaining(slot: number, size: number): void {
    this.remaining[slot] = size;
  }

  /** Adds a live order; false when the id is already live. */
  insert(id: number, size: number, price: number, side: number): boolean {
    if ((this.count + 1) * 2 > this.mask + 1) this.grow();
    const keys = this.keys;
    const mask = this.mask;
    let i = this.hash(id);
    for (;;) {
      const k = keys[i]!;
      if (k === id) return false;
      if (k === 0) break;
      i = (i + 1) & mask;
    }
    keys[i] = id;
    this.remaining[i] = size;
    this.prices[i] = price;
    this.sides[i] = side;
    this.count++;
    return true;
  }

  /** Removes the order at `slot` (from `find`), shifting later entries of its probe run back. */
  removeAt(slot: number): void {
    const keys = this.keys;
    const mask = this.mask;
    let i = slot;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const k = keys[j]!;
      if (k === 0) break;
      const h = this.hash(k);
      // move j back to i when its home h is not cyclically within (i, j]
      if (i <= j ? h <= i || h > j : h <= i && h > j) {
        keys[i] = k;
        this.remaining[i] = this.remaining[j]!;
        this.prices[i] = this.prices[j]!;
        this.sides[i] = this.sides[j]!;
        i = j;
      }
    }
    keys[i] = 0;
    this.count--;
    this.slot = -1;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldRem = this.remaining;
    const oldPx = this.prices;
    const oldSide = this.sides;
    const cap = oldKeys.length * 2;
    this.keys = new Float64Array(cap);
    this.remaining = new Float64Array(cap);
    this.prices = new Float64Array(cap);
    this.sides = new Int8Array(cap);
    this.mask = cap - 1;
    this.shift = 32 - Math.log2(cap);
    this.count = 0;
    for (let i = 0; i < oldKeys.length; i++) {
      const k = oldKeys[i]!;
      if (k !== 0) this.insert(k, oldRem[i]!, oldPx[i]!, oldSide[i]!);
    }
  }
}
