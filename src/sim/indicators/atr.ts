/**
 * Average true range (Wilder, 1978), as backtrader and TA-Lib compute it.
 *
 * The true range of a bar needs the previous close:
 * `tr = max(high, prevClose) - min(low, prevClose)` (the largest of `high - low`,
 * `|high - prevClose|`, `|low - prevClose|`). The first bar has none, so the first true range is at
 * bar 2. ATR is Wilder's average of the true ranges (`EMA` with `alpha = 1 / period`), seeded with the
 * simple mean of the first `period` true ranges. Warm-up: `period + 1` bars.
 */
import { EMA } from './ema.ts';
import { badInput, checkPeriod, type Indicator } from './indicator.ts';

/** Wilder's average true range over `period` bars (default 14). */
export class ATR implements Indicator {
  /** Number of true ranges in the seed average. */
  readonly period: number;
  private readonly label: string;
  private readonly avg: EMA;
  private prevClose = NaN;
  private tr = NaN;

  constructor(period = 14) {
    checkPeriod('ATR', 'period', period);
    this.period = period;
    this.label = `ATR(${period})`;
    this.avg = new EMA(period, { alpha: 1 / period });
  }

  /** Feeds the next bar; returns the ATR (`NaN` until `period + 1` bars seen). */
  update(high: number, low: number, close: number): number {
    if (high - high !== 0) throw badInput(this.label, 'high', high);
    if (low - low !== 0) throw badInput(this.label, 'low', low);
    if (close - close !== 0) throw badInput(this.label, 'close', close);
    if (low > high) throw badInput(this.label, 'low', low, `must not exceed high (${high})`);
    const pc = this.prevClose;
    this.prevClose = close;
    if (pc !== pc) return NaN;
    const hi = high > pc ? high : pc;
    const lo = low < pc ? low : pc;
    this.tr = hi - lo;
    return this.avg.update(this.tr);
  }

  /** The last bar's true range (`NaN` on the first bar). */
  get trueRange(): number {
    return this.tr;
  }

  /** True once `period + 1` bars have been seen. */
  get ready(): boolean {
    return this.avg.ready;
  }

  /** The current ATR (`NaN` during warm-up). */
  get value(): number {
    return this.avg.value;
  }

  /** Forgets all input. */
  reset(): void {
    this.avg.reset();
    this.prevClose = NaN;
    this.tr = NaN;
  }
}
