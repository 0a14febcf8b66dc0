import { BondInputError } from './errors.ts';

/**
 * Treasury price quotes in 32nds: `HANDLE-TT[E]` where TT is two digits 00..31 (32nds of a point)
 * and the optional E is a third digit 0..7 in eighths of a 32nd, with `+` for 4 (a half 32nd):
 *
 *     101-08   = 101 + 8/32        = 101.25
 *     99-16+   = 99 + 16.5/32      = 99.515625
 *     99-162   = 99 + 16.25/32     = 99.5078125
 *     99-166   = 99 + 16.75/32     = 99.5234375
 *
 * Rejected with an error: `99-33` (32nds above 31), `99-1` (one digit: 1/32 or 10/32 or 16/32?),
 * `99-168` (eighths above 7), `99-16++`, an empty or negative handle.
 */

const PATTERN = /^(\d+)-(\d*)([+0-7]?)$/;

/** The decimal price of a 32nds quote (`99-16+` -> 99.515625). */
export function parsePrice32(text: string, field = 'price'): number {
  const t = typeof text === 'string' ? text.trim() : '';
  const m = /^(\d+)-(.*)$/.exec(t);
  if (!m) throw new BondInputError(field, `expected a 32nds quote like 99-16+, 99-162 or 101-08, got ${JSON.stringify(text)}`);
  const frac = m[2]!;
  if (!/^\d\d[+0-9]?$/.test(frac)) {
    if (/^\d[+]?$/.test(frac)) throw new BondInputError(field, `${JSON.stringify(text)} is ambiguous: 32nds take two digits (write ${m[1]}-0${frac} for ${frac.replace('+', '.5')}/32)`);
    throw new BondInputError(field, `${JSON.stringify(text)}: after the '-' write two digits of 32nds (00..31) and optionally one of 0..7 (eighths of a 32nd) or '+'`);
  }
  const full = PATTERN.exec(t)!;
  void full;
  const handle = Number(m[1]);
  const n32 = Number(frac.slice(0, 2));
  if (n32 > 31) throw new BondInputError(field, `${JSON.stringify(text)}: ${n32} 32nds is not below 32 (write ${handle + 1}-${String(n32 - 32).padStart(2, '0')} instead?)`);
  const e = frac.slice(2);
  let eighths = 0;
  if (e === '+') eighths = 4;
  else if (e !== '') {
    eighths = Number(e);
    if (eighths > 7) throw new BondInputError(field, `${JSON.stringify(text)}: the third digit counts eighths of a 32nd and must be 0..7 (4 is '+'), got ${e}`);
  }
  return handle + (n32 + eighths / 8) / 32;
}

/** Options of `formatPrice32`. */
export interface Format32Options {
  /** Write a half 32nd as `+` (default) or as the digit `4`. */
  plus?: boolean;
  /** Throw unless the price is an exact multiple of 1/256 (default false: round to the nearest 1/256). */
  exact?: boolean;
}

/** A decimal price as a 32nds quote, to the nearest 1/256 (`99.515625` -> `99-16+`, `101.25` -> `101-08`). */
export function formatPrice32(price: number, options: Format32Options = {}): string {
  if (typeof price !== 'number' || !Number.isFinite(price) || price < 0) throw new BondInputError('price', `expected a finite price >= 0, got ${String(price)}`);
  const units = Math.round(price * 256);
  if (options.exact && Math.abs(units / 256 - price) > 1e-9) throw new BondInputError('price', `${price} is not a multiple of 1/256 (an eighth of a 32nd)`);
  const handle = Math.floor(units / 256);
  const rest = units - handle * 256;
  const n32 = Math.floor(rest / 8);
  const e = rest - n32 * 8;
  const suffix = e === 0 ? '' : e === 4 && options.plus !== false ? '+' : String(e);
  return `${handle}-${String(n32).padStart(2, '0')}${suffix}`;
}

/**
 * A price from text: a 32nds quote when it contains `-` after the handle (`99-16+`), else a decimal
 * (`99.515625`). Throws naming `field` on anything else, on NaN and on prices <= 0.
 */
export function parsePrice(text: string, field = 'price'): number {
  const t = typeof text === 'string' ? text.trim() : '';
  if (/^\d+-/.test(t)) return parsePrice32(t, field);
  if (!/^[+]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) throw new BondInputError(field, `expected a decimal price (99.515625) or a 32nds quote (99-16+), got ${JSON.stringify(text)}`);
  const x = Number(t);
  if (!(x > 0) || !Number.isFinite(x)) throw new BondInputError(field, `expected a price > 0, got ${JSON.stringify(text)}`);
  return x;
}

/** A price formatted in a quote style: 32nds (`99-16+`) or decimal (up to 6 decimals, trailing zeros dropped). */
export function formatPrice(price: number, style: '32nds' | 'decimal'): string {
  if (style === '32nds') return formatPrice32(price);
  return String(Number(price.toFixed(6)));
}
