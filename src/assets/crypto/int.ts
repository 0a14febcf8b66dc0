/**
 * Exact integer helpers for the crypto models. Amounts are integers in base units held in
 * doubles; products that could pass 2^53 go through BigInt. Results beyond a safe integer come
 * back as NaN so callers raise an error that names the place.
 */

import { MarketsimError } from '../../core/errors.ts';

const BIG_MAX = BigInt(Number.MAX_SAFE_INTEGER);

/** Rounding of a quotient: half away from zero, toward -infinity (floor) or toward +infinity (ceil). */
export type Rounding = 'half' | 'floor' | 'ceil';

/** round(a * b / d) exactly (d > 0, a and b integers of any sign); NaN when not a safe integer. */
export function mulDiv(a: number, b: number, d: number, rounding: Rounding = 'half'): number {
  const p = a * b;
  if (Number.isSafeInteger(p) && Number.isSafeInteger(d)) {
    const r = p % d;
    let q = (p - r) / d;
    if (r !== 0) {
      if (rounding === 'half') {
        if (2 * Math.abs(r) >= d) q += p < 0 ? -1 : 1;
      } else if (rounding === 'floor') {
        if (p < 0) q -= 1;
      } else if (p > 0) q += 1;
    }
    return q + 0;
  }
  if (!Number.isInteger(a) || !Number.isInteger(b) || !Number.isInteger(d)) return NaN;
  return bigToSafe(divRound(BigInt(a) * BigInt(b), BigInt(d), rounding));
}

/** n / d for BigInts (d > 0) with the given rounding. */
export function divRound(n: bigint, d: bigint, rounding: Rounding = 'half'): bigint {
  let q = n / d;
  const r = n % d;
  if (r !== 0n) {
    if (rounding === 'half') {
      const ar = r < 0n ? -r : r;
      if (2n * ar >= d) q += n < 0n ? -1n : 1n;
    } else if (rounding === 'floor') {
      if (n < 0n) q -= 1n;
    } else if (n > 0n) q += 1n;
  }
  return q;
}

/** A BigInt as a number, or NaN when beyond a safe integer. */
export function bigToSafe(n: bigint): number {
  if (n > BIG_MAX || n < -BIG_MAX) return NaN;
  const x = Number(n);
  return x + 0;
}

/** 10^n as a BigInt (0 <= n <= 40). */
export function pow10n(n: number): bigint {
  if (!Number.isInteger(n) || n < 0 || n > 40) throw new RangeError(`precision ${n} out of range 0..40`);
  return 10n ** BigInt(n);
}

/**
 * Parses a plain decimal string (`"0.00010000"`, `"-12.5"`, `"10"`) into a BigInt count of
 * 10^-precision units, exactly; undefined when malformed (exponents, empty) or finer than `precision`.
 */
export function parseDecimalBig(text: string, precision: number): bigint | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (m === null) return undefined;
  const int = m[2] ?? '';
  let frac = m[3] ?? '';
  if (int.length === 0 && frac.length === 0) return undefined;
  while (frac.length > precision && frac.endsWith('0')) frac = frac.slice(0, -1);
  if (frac.length > precision) return undefined;
  const v = BigInt((int.length === 0 ? '0' : int) + frac.padEnd(precision, '0'));
  return m[1] === '-' ? -v : v;
}

/** Significant decimals of a plain decimal string (trailing zeros removed: `"0.01000"` -> 2). */
export function significantDecimals(text: string): number {
  const t = text.trim();
  const dot = t.indexOf('.');
  if (dot < 0) return 0;
  let end = t.length;
  while (end > dot + 1 && t.charCodeAt(end - 1) === 48) end--;
  return end - dot - 1;
}

/** Formats `n` units of 10^-precision (number or BigInt) as a decimal string with exactly `precision` decimals. */
export function formatUnits(n: number | bigint, precision: number): string {
  const b = typeof n === 'bigint' ? n : BigInt(n);
  const neg = b < 0n;
  const digits = (neg ? -b : b).toString().padStart(precision + 1, '0');
  const cut = digits.length - precision;
  const out = precision === 0 ? digits : `${digits.slice(0, cut)}.${digits.slice(cut)}`;
  return neg ? `-${out}` : out;
}

/** Throws `MarketsimError` `code` naming `where` when `n` is not a safe integer; returns `n`. */
export function safe(n: number, code: string, where: string): number {
  if (!Number.isSafeInteger(n)) throw new MarketsimError(code, `${where}: result exceeds Number.MAX_SAFE_INTEGER base units (or is not an integer): ${n}`);
  return n;
}
