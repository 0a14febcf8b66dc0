/**
 * Crossing of two series (`a` over `b`), with backtrader's rule for equal values.
 *
 * Let `d = a - b`. The detector keeps `nzd`, the last non-zero difference: the first update where
 * both inputs are numbers sets `nzd = d` (even when 0) and signals nothing; after that each update
 * signals **+1** (cross up) when `nzd < 0 && d > 0`, **-1** (cross down) when `nzd > 0 && d < 0`,
 * else 0, and then sets `nzd = d` if `d !== 0`. So touching (`d = 0`) and going back is no cross,
 * while `-1, 0, 0, +1` is one cross up, signalled when `d` turns positive.
 *
 * While either input is `NaN` (an indicator still warming up) the update signals 0 and changes
 * nothing. Example: fast SMA `a` and slow SMA `b` give `d = -2, 0, 3` -> `0, 0, +1`.
 */
import { badInput, type Indicator } from './indicator.ts';

/** +1 / -1 / 0 crossing detector of `a` against `b`. */
export class CrossOver implements Indicator {
  private nzd = NaN;
  private current = NaN;

  /** Feeds the current `a` and `b`; returns +1 (a crossed above b), -1 (below) or 0. */
  update(a: number, b: number): number {
    if (a === Infinity || a === -Infinity) throw badInput('CrossOver', 'a', a, 'must be a number or NaN');
    if (b === Infinity || b === -Infinity) throw badInput('CrossOver', 'b', b, 'must be a number or NaN');
    if (a !== a || b !== b) return this.ready ? (this.current = 0) : NaN;
    const d = a - b;
    const prev = this.nzd;
    let c = 0;
    if (prev !== prev) {
      this.nzd = d;
    } else {
      if (prev < 0 && d > 0) c = 1;
      else if (prev > 0 && d < 0) c = -1;
      if (d !== 0) this.nzd = d;
    }
    this.current = c;
    return c;
  }

  /** The last non-zero difference `a - b` (`NaN` before the first defined pair). */
  get lastNonZeroDifference(): number {
    return this.nzd;
  }

  /** True once a first pair of numbers has been seen (a cross can be signalled from the next one). */
  get ready(): boolean {
    return this.nzd === this.nzd;
  }

  /** The last signal: +1, -1, 0 (`NaN` before the first defined pair). */
  get value(): number {
    return this.current;
  }

  /** Forgets all input. */
  reset(): void {
    this.nzd = NaN;
    this.current = NaN;
  }
}
