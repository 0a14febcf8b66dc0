import { DataError } from '../../core/errors.ts';
import { explainNumber, parseUnitsAt } from '../csv-fields.ts';
import type { Instrument } from '../../market/instrument.ts';
import type { RawLevel } from './frames.ts';

/**
 * Exact conversion of Binance decimal strings into an instrument's integer units, with errors that
 * name the file, the line (frame) and the field (`data.b[2][0]`).
 */

/**
 * Price units of `text`; throws a `DataError` when not a non-negative decimal at the instrument's
 * price precision. The tick is not enforced: books keep orders placed before a tick change.
 */
export function priceUnits(inst: Instrument, text: string, file: string, line: number, field: string): number {
  const n = parseUnitsAt(text, 0, text.length, inst.pricePrecision);
  if (!(n >= 0)) throw new DataError(file, line, field, n < 0 ? `negative price '${text}'` : `${inst.symbol} price ${explainNumber(text, inst.pricePrecision)}`);
  return n;
}

/** Size units of `text`; throws a `DataError` when not a non-negative decimal at the instrument's size precision. */
export function sizeUnits(inst: Instrument, text: string, file: string, line: number, field: string): number {
  const n = parseUnitsAt(text, 0, text.length, inst.sizePrecision);
  if (!(n >= 0)) throw new DataError(file, line, field, n < 0 ? `negative quantity '${text}'` : `${inst.symbol} quantity ${explainNumber(text, inst.sizePrecision)}`);
  return n;
}

/** Converts `[price, qty]` levels into parallel unit arrays (appended to `prices` and `sizes`). */
export function levelUnits(
  inst: Instrument,
  levels: readonly RawLevel[],
  prices: number[],
  sizes: number[],
  file: string,
  line: number,
  field: string,
): void {
  for (let i = 0; i < levels.length; i++) {
    const l = levels[i]!;
    prices.push(priceUnits(inst, l[0], file, line, `${field}[${i}][0]`));
    sizes.push(sizeUnits(inst, l[1], file, line, `${field}[${i}][1]`));
  }
}
