/**
 * A bounded, lossy memory of the ids of finished orders, so that a cancel or a modify of an order
 * that has already ended can be refused with ORDER_NOT_OPEN instead of UNKNOWN_ORDER without keeping
 * every order of a long run alive. It is a direct-mapped table of `capacity` slots (a power of two):
 * an id goes to the slot of its hash and overwrites what was there, so a recent id is forgotten only
 * when a later one lands on the same slot. No false positives (a slot holds the exact id), O(1), no
 * allocation, no deletion cost (a `Set` with a ring of evictions measured 5x slower in bench/matching.ts).
 * Capacity 0 remembers nothing.
 */
export class DoneIds {
  private readonly slots: Float64Array;
  private readonly mask: number;

  /** `capacity` is rounded up to a power of two (0 disables). */
  constructor(capacity: number) {
    let size = 0;
    if (capacity > 0) {
      size = 1;
      while (size < capacity) size *= 2;
    }
    this.slots = new Float64Array(size).fill(NaN);
    this.mask = size - 1;
  }

  /** Number of slots. */
  get capacity(): number {
    return this.slots.length;
  }

  /** Remembers a finished id. */
  add(id: number): void {
    if (this.mask >= 0) this.slots[slotOf(id, this.mask)] = id;
  }

  /** True when `id` finished and has not been overwritten since. */
  has(id: number): boolean {
    return this.mask >= 0 && this.slots[slotOf(id, this.mask)] === id;
  }
}

/**
 * Slot of an id. An int32 id keeps its low bits, folded with its high half (`id ^ id >>> 16`), so
 * ids close to each other (sequential venue ids, which finish close together in time) land in
 * neighbouring slots and the stores stay in a few cache lines instead of scattering over the whole
 * 512 KiB table; consecutive ids never evict each other. Ids with a large power-of-two stride share
 * fewer slots, so fewer of them are remembered (never a wrong answer: a slot holds the exact id).
 * Other ids (fractional, beyond 32 bits) are mixed by a multiplicative hash.
 */
function slotOf(id: number, mask: number): number {
  const lo = id | 0;
  if (lo === id) return (lo ^ (lo >>> 16)) & mask;
  const hi = (id * 2.3283064365386963e-10) | 0; // id / 2^32
  const h = Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1);
  return (h ^ (h >>> 15)) & mask;
}
