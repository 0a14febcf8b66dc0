/**
 * Exponential moving average.
 *
 * `alpha = 2 / (period + 1)` unless given (Wilder's smoothing, used by RSI and ATR, is
 * `alpha = 1 / period`). Seeding follows backtrader and TA-Lib: the first value is the simple mean
 * of the first `period` inputs (summed exactly, as backtrader's `math.fsum`), reached at the
 * `period`-th input; after that `ema = prev * (1 - alpha) + x * alpha`, in that order of
 * operations (backtrader's), so results match it bit for bit. Warm-up: `period` values.
 */
import { ExactSum } from '../../core/fsum.ts';
import { badInput, checkParam, checkPeriod, type SeriesIndicator } from './indicator.ts';

/** Options of `EMA`. */
export interface EmaOptions {
  /** Smoothing factor in (0, 1]. Default `2 / (period + 1)`. */
  alpha?: number;
}

/** Exponential moving average seeded with the simple mean of the first `period` values. */
export class EMA implements SeriesIndicator {
  /** Number of values of the seed mean (and the nominal length). */
  readonly period: number;
  /** Weight of the newest value. */
  readonly alpha: number;
  private readonly alpha1: number;
  private readonly label: string;
  private readonly seed = new ExactSum();
  private seen = 0;
  private current = NaN;

  constructor(period: number, options: EmaOptions = {}) {
    checkPeriod('EMA', 'period', period);
    const alpha = options.alpha ?? 2 / (period + 1);
    checkParam(`EMA(${period})`, 'alpha', alpha, Number.MIN_VALUE, 1);
    this.period = period;
    this.alpha = alpha;
    this.alpha1 = 1 - alpha;
    this.label = `EMA(${period})`;
  }

  /** Feeds the next value; returns the EMA (`NaN` until `period` values seen). */
  update(x: number): number {
    if (x - x !== 0) throw badInput(this.label, 'x', x);
    if (this.seen >= this.period) {
      this.current = this.current * this.alpha1 + x * this.alpha;
      return this.current;
    }
    this.seed.add(x);
    this.seen++;
    if (this.seen === this.period) this.current = this.seed.value() / this.period;
    return this.current;
  }

  /** True once `period` values have been seen. */
  get ready(): boolean {
    return this.seen >= this.period;
  }

  /** The current EMA (`NaN` during warm-up). */
  get value(): number {
    return this.current;
  }

  /** Forgets all input. */
  reset(): void {
    this.seed.reset();
    this.seen = 0;
    this.current = NaN;
  }
}
