/**
 * Bollinger bands: `middle = SMA(period)`, `upper/lower = middle +- k * sigma`, where sigma is the
 * **population** standard deviation of the window (divide by `period`, not `period - 1`), as
 * Bollinger, backtrader and TA-Lib define it.
 *
 * Both moments are held exactly: `S = sum(x)` and `Q = sum(x^2)` over the window live in `ExactSum`s
 * (squares added exactly with Dekker's product), so the middle band is `fsum(window) / period`, the
 * same bits as `SMA` with `exact: true`, and the variance is the exact `period * Q - S^2`, rounded
 * once, divided by `period^2`. No drift, no cancellation: a flat window has sigma exactly 0, however
 * far the prices moved before. Each update costs O(p^2) for the few partials p of the sums
 * (typically 2 or 3), independent of `period`; no allocation. Warm-up: `period` values.
 */
import { ExactSum } from '../../core/fsum.ts';
import { badInput, checkParam, checkPeriod, type SeriesIndicator } from './indicator.ts';
import { RollingWindow } from './rolling-window.ts';

/** Options of `BollingerBands`. */
export interface BollingerOptions {
  /** Width of the bands in standard deviations. Default 2. */
  k?: number;
}

/** Bollinger bands over `period` values (default 20, k = 2). */
export class BollingerBands implements SeriesIndicator {
  /** Number of values in the window. */
  readonly period: number;
  /** Band width in standard deviations. */
  readonly k: number;
  private readonly label: string;
  private readonly window: RollingWindow;
  private readonly sum = new ExactSum();
  private readonly sumSq = new ExactSum();
  private readonly work = new ExactSum();
  private mid = NaN;
  private sd = NaN;

  constructor(period = 20, options: BollingerOptions = {}) {
    checkPeriod('BollingerBands', 'period', period);
    if (period > 67_108_864) checkParam('BollingerBands', 'period', period, 1, 67_108_864);
    const k = options.k ?? 2;
    checkParam(`BollingerBands(${period})`, 'k', k, 0, Number.MAX_VALUE);
    this.period = period;
    this.k = k;
    this.label = `BollingerBands(${period})`;
    this.window = new RollingWindow(period);
  }

  /** Feeds the next value; returns the middle band (`NaN` until `period` values seen). */
  update(x: number): number {
    if (x - x !== 0) throw badInput(this.label, 'x', x);
    const w = this.window;
    const wasFull = w.full;
    const old = w.push(x);
    this.sum.add(x);
    this.sumSq.addProduct(x, x);
    if (wasFull) {
      this.sum.subtract(old);
      this.sumSq.addProduct(-old, old);
    }
    if (!w.full) return NaN;
    const n = this.period;
    // n^2 * variance = n * Q - S^2, exactly
    const s = this.sum;
    const q = this.sumSq;
    const acc = this.work;
    acc.reset();
    for (let i = 0; i < q.partialCount; i++) acc.addProduct(q.partial(i), n);
    for (let i = 0; i < s.partialCount; i++) {
      const si = s.partial(i);
      for (let j = 0; j < s.partialCount; j++) acc.addProduct(-si, s.partial(j));
    }
    this.sd = Math.sqrt(acc.value() / (n * n));
    this.mid = s.value() / n;
    return this.mid;
  }

  /** The middle band, `fsum(window) / period` (`NaN` during warm-up). */
  get middle(): number {
    return this.mid;
  }

  /** `middle + k * sigma` (`NaN` during warm-up). */
  get upper(): number {
    return this.mid + this.k * this.sd;
  }

  /** `middle - k * sigma` (`NaN` during warm-up). */
  get lower(): number {
    return this.mid - this.k * this.sd;
  }

  /** The population standard deviation of the window (`NaN` during warm-up). */
  get stdDev(): number {
    return this.sd;
  }

  /** True once `period` values have been seen. */
  get ready(): boolean {
    return this.window.full;
  }

  /** The middle band (same as `middle`). */
  get value(): number {
    return this.mid;
  }

  /** Forgets all input. */
  reset(): void {
    this.window.reset();
    this.sum.reset();
    this.sumSq.reset();
    this.mid = NaN;
    this.sd = NaN;
  }
}
