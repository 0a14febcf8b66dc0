/**
 * A pool of `ArrayBuffer`s for large, short-lived typed arrays: a small file's bytes, a load's row
 * record and columns, a run's sample chunks, statistics' work arrays. Each is taken, used, and given
 * back when its owner is done, so a process that runs many backtests (a sweep, the benchmark) reuses
 * the same memory instead of asking V8 for megabytes of new external memory every run. Fresh external
 * memory is costly twice over: the allocator zeroes it (page by page, on first touch), and V8 counts
 * it as external memory pressure, which starts extra scavenges and mark-compacts.
 *
 * Memory taken from the pool is NOT zeroed: a user must write what it reads. A buffer must be given
 * back only once nothing reads it any more; giving back is optional (a buffer that is never returned
 * is simply collected).
 */
export class BufferPool<B extends ArrayBuffer | SharedArrayBuffer = ArrayBuffer> {
  private readonly free: B[] = [];
  private freeBytes = 0;
  private readonly make: (bytes: number) => B;

  /**
   * @param maxBytes most bytes kept free (buffers given back beyond it are dropped, smallest first)
   * @param minBytes requests below this size are not pooled (V8 handles small arrays well)
   * @param isShared a pool of `SharedArrayBuffer`s (memory a worker thread can read and write) rather
   *   than `ArrayBuffer`s; make one with `BufferPool.shared()`
   */
  constructor(
    readonly maxBytes = 64 << 20,
    readonly minBytes = 64 << 10,
    readonly isShared = false,
  ) {
    this.make = (isShared ? (n: number) => new SharedArrayBuffer(n) : (n: number) => new ArrayBuffer(n)) as (bytes: number) => B;
  }

  /** A pool of `SharedArrayBuffer`s. */
  static shared(maxBytes = 64 << 20, minBytes = 64 << 10): BufferPool<SharedArrayBuffer> {
    return new BufferPool<SharedArrayBuffer>(maxBytes, minBytes, true);
  }

  /**
   * A buffer of at least `bytes` bytes (contents undefined): the smallest free one that is at most 4x
   * too big, else a new one rounded up to a power of two (so a grown buffer fits the next, larger run).
   */
  take(bytes: number): B {
    if (!(bytes >= 0) || !Number.isSafeInteger(bytes)) throw new RangeError(`BufferPool.take: bytes must be a non-negative safe integer, got ${bytes}`);
    if (bytes < this.minBytes) return this.make(bytes);
    const free = this.free;
    let best = -1;
    for (let i = 0; i < free.length; i++) {
      const n = free[i]!.byteLength;
      if (n >= bytes && n <= bytes * 4 && (best < 0 || n < free[best]!.byteLength)) best = i;
    }
    if (best >= 0) {
      const b = free[best]!;
      free.splice(best, 1);
      this.freeBytes -= b.byteLength;
      return b;
    }
    let size = this.minBytes;
    while (size < bytes) size *= 2;
    return this.make(size);
  }

  /**
   * Gives a buffer back for reuse (nothing may read or write it afterwards, on any thread). A second
   * give is ignored, and so is a buffer of the other kind (shared or not).
   */
  give(buffer: ArrayBufferLike): void {
    if (!(this.isShared ? buffer instanceof SharedArrayBuffer : buffer instanceof ArrayBuffer)) return;
    const n = buffer.byteLength;
    if (n < this.minBytes || n > this.maxBytes || this.free.includes(buffer as B)) return;
    const free = this.free;
    free.push(buffer as B);
    this.freeBytes += n;
    while (this.freeBytes > this.maxBytes) {
      let small = 0;
      for (let i = 1; i < free.length; i++) if (free[i]!.byteLength < free[small]!.byteLength) small = i;
      this.freeBytes -= free[small]!.byteLength;
      free.splice(small, 1);
    }
  }

  /** Bytes held free in the pool. */
  get idleBytes(): number {
    return this.freeBytes;
  }

  /** Buffers held free in the pool. */
  get idleBuffers(): number {
    return this.free.length;
  }
}

/** The process's pool for the engine's transient buffers (at most 64 MiB kept idle). */
export const scratchBuffers = new BufferPool();

/**
 * The process's pool of shared memory, for transient buffers a worker thread reads or fills (a bar
 * file's bytes and the columns of the part parsed on the parse worker: bar-split.ts).
 */
export const sharedBuffers = BufferPool.shared(32 << 20);

/** A `Float64Array` of `n` elements over pooled memory (not zeroed); give back its `.buffer`. */
export function takeFloat64(n: number, pool: BufferPool = scratchBuffers): Float64Array {
  return new Float64Array(pool.take(n * 8), 0, n);
}
