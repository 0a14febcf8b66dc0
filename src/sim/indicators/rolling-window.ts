/**
 * A ring buffer of the last `capacity` numbers: the history a strategy looks back on
 * (`closes.get(0)` is the newest, `closes.get(1)` the one before). O(1) push, no allocation.
 */
import { checkPeriod } from './indicator.ts';
import { MarketsimError } from '../../core/errors.ts';

/** The last `capacity` values pushed, newest at index 0. */
export class RollingWindow {
  /** How many values the window keeps. */
  readonly capacity: number;
  private readonly buf: Float64Array;
  /** Slot of the newest value. */
  private head = -1;
  private count = 0;

  constructor(capacity: number) {
    checkPeriod('RollingWindow', 'capacity', capacity);
    this.capacity = capacity;
    this.buf = new Float64Array(capacity);
  }

  /**
   * Appends `x` as the newest value. Returns the value that fell out of a full window, or `NaN`
   * when the window was not yet full (check `full` before pushing when `NaN` may be a real value).
   */
  push(x: number): number {
    let h = this.head + 1;
    if (h === this.capacity) h = 0;
    this.head = h;
    if (this.count === this.capacity) {
      const evicted = this.buf[h]!;
      this.buf[h] = x;
      return evicted;
    }
    this.buf[h] = x;
    this.count++;
    return NaN;
  }

  /** The value `i` steps back: `get(0)` is the newest, `get(length - 1)` the oldest. */
  get(i: number): number {
    if (!(i >= 0 && i < this.count) || !Number.isInteger(i)) {
      throw new MarketsimError('INDEX_OUT_OF_RANGE', `RollingWindow.get(${i}): index must be an integer in [0, ${this.count - 1}]`);
    }
    let k = this.head - i;
    if (k < 0) k += this.capacity;
    return this.buf[k]!;
  }

  /** The oldest value kept (`NaN` when empty). */
  get oldest(): number {
    if (this.count === 0) return NaN;
    let k = this.head - this.count + 1;
    if (k < 0) k += this.capacity;
    return this.buf[k]!;
  }

  /** How many values are held (at most `capacity`). */
  get length(): number {
    return this.count;
  }

  /** True once `capacity` values have been pushed. */
  get full(): boolean {
    return this.count === this.capacity;
  }

  /** Same as `full`: the window is warm. */
  get ready(): boolean {
    return this.count === this.capacity;
  }

  /** The newest value (`NaN` when empty). */
  get value(): number {
    return this.count === 0 ? NaN : this.buf[this.head]!;
  }

  /** Empties the window. */
  reset(): void {
    this.head = -1;
    this.count = 0;
  }

  /** Copies the values oldest first into a new array (for reports and tests; allocates). */
  toArray(): number[] {
    const out: number[] = new Array<number>(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.get(this.count - 1 - i);
    return out;
  }
}
