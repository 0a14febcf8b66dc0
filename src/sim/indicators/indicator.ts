/**
 * The shape every streaming indicator shares, and the input checks they use.
 *
 * An indicator consumes one value (or one bar) per `update` in O(1) time without allocating, and
 * returns its current value: `NaN` until it has seen enough input ("warm-up"), after which `ready`
 * is true and `value` is a number.
 */
import { MarketsimError } from '../../core/errors.ts';

/** State common to all indicators. */
export interface Indicator {
  /** True once the warm-up is over and `value` is a number. */
  readonly ready: boolean;
  /** The value after the last update (`NaN` during warm-up). */
  readonly value: number;
  /** Forgets all input: the indicator is as new (same parameters). */
  reset(): void;
}

/** An indicator over one series of numbers (closes, a spread, another indicator's output). */
export interface SeriesIndicator extends Indicator {
  /** Feeds the next value; returns the indicator's value after it (`NaN` during warm-up). */
  update(x: number): number;
}

/** Throws `INDICATOR_CONFIG` unless `period` is an integer >= `min`. `where` names the indicator. */
export function checkPeriod(where: string, name: string, period: number, min = 1): void {
  if (!Number.isInteger(period) || period < min) {
    throw new MarketsimError('INDICATOR_CONFIG', `${where}: ${name} must be an integer >= ${min}, got ${period}`);
  }
}

/** Throws `INDICATOR_CONFIG` unless `x` is a finite number in [lo, hi]. */
export function checkParam(where: string, name: string, x: number, lo: number, hi: number): void {
  if (!(x >= lo && x <= hi)) {
    throw new MarketsimError('INDICATOR_CONFIG', `${where}: ${name} must be in [${lo}, ${hi}], got ${x}`);
  }
}

/** The error for a non-finite input: names the indicator, the method's argument and the value. */
export function badInput(where: string, field: string, x: number, rule = 'must be a finite number'): MarketsimError {
  return new MarketsimError('INDICATOR_INPUT', `${where}.update: ${field} ${rule}, got ${x}`);
}
