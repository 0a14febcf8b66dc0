/**
 * Moving average convergence/divergence (Appel), as backtrader computes it.
 *
 * `macd = EMA(fast) - EMA(slow)` of the input, `signal = EMA(signal)` of the macd line,
 * `histogram = macd - signal`. Each EMA is seeded independently with the simple mean of its own
 * first inputs (backtrader). TA-Lib differs here: it starts the fast EMA late so that both EMAs
 * seed at the same bar. The macd line is defined from input `slow`, the signal and histogram from
 * input `slow + signal - 1` (34 with 12/26/9); `ready` waits for all three.
 */
import { EMA } from './ema.ts';
import { badInput, checkPeriod, type SeriesIndicator } from './indicator.ts';
import { MarketsimError } from '../../core/errors.ts';

/** MACD with its signal line and histogram (default 12/26/9). */
export class MACD implements SeriesIndicator {
  /** Fast EMA period. */
  readonly fastPeriod: number;
  /** Slow EMA period. */
  readonly slowPeriod: number;
  /** Signal EMA period. */
  readonly signalPeriod: number;
  private readonly label: string;
  private readonly fast: EMA;
  private readonly slow: EMA;
  private readonly sig: EMA;
  private line = NaN;
  private hist = NaN;

  constructor(fast = 12, slow = 26, signal = 9) {
    checkPeriod('MACD', 'fast', fast);
    checkPeriod('MACD', 'slow', slow);
    checkPeriod('MACD', 'signal', signal);
    if (fast >= slow) throw new MarketsimError('INDICATOR_CONFIG', `MACD: fast (${fast}) must be less than slow (${slow})`);
    this.fastPeriod = fast;
    this.slowPeriod = slow;
    this.signalPeriod = signal;
    this.label = `MACD(${fast},${slow},${signal})`;
    this.fast = new EMA(fast);
    this.slow = new EMA(slow);
    this.sig = new EMA(signal);
  }

  /** Feeds the next value; returns the macd line (`NaN` until `slow` values seen). */
  update(x: number): number {
    if (x - x !== 0) throw badInput(this.label, 'x', x);
    const f = this.fast.update(x);
    const s = this.slow.update(x);
    if (!this.slow.ready) return NaN;
    const m = f - s;
    this.line = m;
    const sg = this.sig.update(m);
    if (this.sig.ready) this.hist = m - sg;
    return m;
  }

  /** The macd line, `EMA(fast) - EMA(slow)` (`NaN` until `slow` values seen). */
  get macd(): number {
    return this.line;
  }

  /** The signal line, an EMA of the macd line (`NaN` until `slow + signal - 1` values seen). */
  get signal(): number {
    return this.sig.value;
  }

  /** `macd - signal` (`NaN` until `slow + signal - 1` values seen). */
  get histogram(): number {
    return this.hist;
  }

  /** True once all three lines are defined (`slow + signal - 1` values seen). */
  get ready(): boolean {
    return this.sig.ready;
  }

  /** The macd line (same as `macd`). */
  get value(): number {
    return this.line;
  }

  /** Forgets all input. */
  reset(): void {
    this.fast.reset();
    this.slow.reset();
    this.sig.reset();
    this.line = NaN;
    this.hist = NaN;
  }
}
