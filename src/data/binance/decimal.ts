import { parseUnitsAt } from '../csv-fields.ts';

/**
 * Decimal helpers for Binance strings: Binance writes every price and quantity as a decimal string
 * padded with zeros to the asset precision (`"0.35210000"`). These functions find the grid a step
 * string describes and the significant decimals of a value, without float rounding.
 */

/** A grid step as a precision and a count of units (`"0.00500000"` -> precision 3, units 5). */
export interface Step {
  /** Significant decimals of the step (trailing zeros removed). */
  precision: number;
  /** The step in units of 10^-precision (a positive integer), or 0 for a zero step. */
  units: number;
}

/** Significant decimals of a decimal string: digits after the point, trailing zeros removed (`"7.6110"` -> 3). */
export function significantDecimals(text: string): number {
  const dot = text.indexOf('.');
  if (dot < 0) return 0;
  let end = text.length;
  while (end > dot + 1 && text.charCodeAt(end - 1) === 48) end--;
  return end - dot - 1;
}

/** The grid of a step string such as a `tickSize` or `stepSize` (`"1.00000000"` -> precision 0, units 1; `"10"` -> 0, 10). */
export function parseStep(text: string): Step {
  const precision = significantDecimals(text);
  const units = parseUnitsAt(text, 0, text.length, precision);
  if (!(units >= 0)) throw new RangeError(`not a decimal step: '${text}'`);
  return { precision, units };
}

/** Exact units of a decimal string at `precision`; NaN when malformed or finer than the precision. */
export function unitsOf(text: string, precision: number): number {
  return parseUnitsAt(text, 0, text.length, precision);
}

/** The most significant decimals among price/size strings of `[price, size]` pairs (for inferring an instrument's precision). */
export function maxDecimalsOfLevels(levels: readonly (readonly unknown[])[], index: 0 | 1): number {
  let best = 0;
  for (const level of levels) {
    const v = level[index];
    if (typeof v === 'string') {
      const d = significantDecimals(v);
      if (d > best) best = d;
    }
  }
  return best;
}
