/**
 * Relative strength index (Wilder, 1978), as backtrader and TA-Lib compute it.
 *
 * From the second input on, `up = max(x - prev, 0)` and `down = max(prev - x, 0)`. Each is smoothed
 * with Wilder's average (an `EMA` with `alpha = 1 / period`), seeded with the simple mean of the first
 * `period` moves. `rsi = 100 - 100 / (1 + avgUp / avgDown)`; when `avgDown` is 0 the RSI is 100 if
 * `avgUp > 0` and 50 if both are 0 (backtrader's `safediv` values). Warm-up: `period + 1` inputs
 * (the first has no move).
 */
import { EMA } from './ema.ts';
import { badInput, checkPeriod, type SeriesIndicator } from './indicator.ts';

/** Wilder's RSI over `period` moves (default 14). */
export class RSI implements SeriesIndicator {
  /** Number of moves in the seed average. */
  readonly period: number;
  private readonly label: string;
  private readonly up: EMA;
  private readonly down: EMA;
  private prev = NaN;
  private current = NaN;

  constructor(period = 14) {
    checkPeriod('RSI', 'period', period);
    this.period = period;
    this.label = `RSI(${period})`;
    this.up = new EMA(period, { alpha: 1 / period });
    this.down = new EMA(period, { alpha: 1 / period });
  }

  /** Feeds the next value; returns the RSI in [0, 100] (`NaN` until `period + 1` values seen). */
  update(x: number): number {
    if (x - x !== 0) throw badInput(this.label, 'x', x);
    const prev = this.prev;
    this.prev = x;
    if (prev !== prev) return this.current;
    const d = x - prev;
    const up = this.up.update(d > 0 ? d : 0);
    const down = this.down.update(d < 0 ? -d : 0);
    if (!this.down.ready) return this.current;
    if (down === 0) this.current = up > 0 ? 100 : 50;
    else this.current = 100 - 100 / (1 + up / down);
    return this.current;
  }

  /** Wilder's average of the up moves (`NaN` during warm-up). */
  get averageGain(): number {
    return this.up.value;
  }

  /** Wilder's average of the down moves, as a positive number (`NaN` during warm-up). */
  get averageLoss(): number {
    return this.down.value;
  }

  /** True once `period + 1` values have been seen. */
  get ready(): boolean {
    return this.down.ready;
  }

  /** The current RSI (`NaN` during warm-up). */
  get value(): number {
    return this.current;
  }

  /** Forgets all input. */
  reset(): void {
    this.up.reset();
    this.down.reset();
    this.prev = NaN;
    this.current = NaN;
  }
}
