/**
 * A hash map from numeric order id to a value, for the hot path of the order book: open addressing
 * with linear probing over a power-of-two table (at most half full), deletion by backward shift (no
 * tombstones, so lookups stay short however many orders come and go). It allocates only when it grows.
 *
 * Why not `Map<number, V>`: with millions of add/delete pairs V8's ordered hash table keeps
 * rehashing away its deleted entries, which allocated enough to show up as garbage-collection time in
 * bench/matching.ts; this table was about twice as fast there. Keys are any numbers except NaN
 * (vendor ids beyond 2^32 are fine); -0 and 0 are the same key.
 */
export class IdMap<V> {
  private keys: Float64Array;
  private vals: (V | undefined)[];
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.keys = new Float64Array(cap);
    this.vals = new Array<V | undefined>(cap).fill(undefined);
    this.mask = cap - 1;
  }

  /** Number of entries. */
  get size(): number {
    return this.count;
  }

  /** The value for `key`, or undefined. */
  get(key: number): V | undefined {
    const keys = this.keys;
    const vals = this.vals;
    const mask = this.mask;
    let i = hash(key) & mask;
    for (;;) {
      const v = vals[i];
      if (v === undefined) return undefined;
      if (keys[i] === key) return v;
      i = (i + 1) & mask;
    }
  }

  /** True when `key` is present. */
  has(key: number): boolean {
    return this.get(key) !== undefined;
  }

  /** Sets `key` to `value` (which must not be undefined), replacing any previous value. */
  set(key: number, value: V): void {
    if ((this.count + 1) * 2 > this.keys.length) this.grow();
    const keys = this.keys;
    const vals = this.vals;
    const mask = this.mask;
    let i = hash(key) & mask;
    for (;;) {
      const v = vals[i];
      if (v === undefined) {
        keys[i] = key;
        vals[i] = value;
        this.count++;
        return;
      }
      if (keys[i] === key) {
        vals[i] = value;
        return;
      }
      i = (i + 1) & mask;
    }
  }

  /** Removes `key`; returns true when it was present. */
  delete(key: number): boolean {
    return this.take(key) !== undefined;
  }

  /** Removes `key` and returns its value (undefined when absent), in one probe. */
  take(key: number): V | undefined {
    const keys = this.keys;
    const vals = this.vals;
    const mask = this.mask;
    let i = hash(key) & mask;
    let found: V;
    for (;;) {
      const v = vals[i];
      if (v === undefined) return undefined;
      if (keys[i] === key) {
        found = v;
        break;
      }
      i = (i + 1) & mask;
    }
    // backward-shift deletion: pull later members of the probe run into the hole
    let hole = i;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const v = vals[j];
      if (v === undefined) break;
      const home = hash(keys[j]!) & mask;
      // move j into the hole when its home is not cyclically in (hole, j]
      if (hole <= j ? home <= hole || home > j : home <= hole && home > j) {
        keys[hole] = keys[j]!;
        vals[hole] = v;
        hole = j;
      }
    }
    vals[hole] = undefined;
    this.count--;
    return found;
  }

  /** Removes every entry (keeps the table's size). */
  clear(): void {
    this.vals.fill(undefined);
    this.count = 0;
  }

  /** Calls `fn` for each entry, in table order (not insertion order). */
  forEach(fn: (value: V, key: number) => void): void {
    const vals = this.vals;
    for (let i = 0; i < vals.length; i++) {
      const v = vals[i];
      if (v !== undefined) fn(v, this.keys[i]!);
    }
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldVals = this.vals;
    const cap = oldKeys.length * 2;
    this.keys = new Float64Array(cap);
    this.vals = new Array<V | undefined>(cap).fill(undefined);
    this.mask = cap - 1;
    this.count = 0;
    for (let i = 0; i < oldVals.length; i++) {
      const v = oldVals[i];
      if (v !== undefined) this.set(oldKeys[i]!, v);
    }
  }
}

/** Mixes a number's integer halves (ids are usually integers; fractions still hash, less evenly). */
function hash(key: number): number {
  const lo = key | 0;
  if (lo === key) {
    const h = Math.imul(lo, 0x9e3779b1);
    return h ^ (h >>> 16);
  }
  const hi = (key * 2.3283064365386963e-10) | 0; // key / 2^32
  const h = Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1);
  return h ^ (h >>> 16);
}
