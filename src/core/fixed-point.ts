/**
 * Fixed-point helpers. Market numbers are integers in units of 10^-precision:
 * prices in ticks, sizes in lots, cash in the ledger's minor units. Decimals appear only
 * at the edges (parsing, adapters, reports).
 *
 * Exactness: for an integer `n` with |n| < 2^53 and a precision p <= 15, `n / 10^p` is the
 * correctly rounded double of the decimal it stands for (both operands are exact doubles and
 * IEEE division rounds once), so it equals `parseFloat` of that decimal, and
 * `Math.round(x * 10^p)` gives `n` back. The round trip decimal -> integer -> double -> integer is exact.
 */

const POW10: number[] = [];
for (let i = 0, v = 1; i <= 22; i++, v *= 10) POW10.push(v);

/** 10^0 to 10^22, each an exact double (a copy). */
export function powersOfTen(): number[] {
  return [...POW10];
}

/** 10^n as an exact double, for 0 <= n <= 22. */
export function pow10(n: number): number {
  const v = POW10[n];
  if (v === undefined) throw new RangeError(`precision ${n} out of range 0..22`);
  return v;
}

/** Number of digits after the decimal point in a decimal string (`"37.780"` -> 3, `"1e-3"` -> 3). */
export function decimalPlaces(text: string): number {
  const s = text.trim();
  const e = s.search(/[eE]/);
  if (e >= 0) {
    const mant = s.slice(0, e);
    const exp = Number(s.slice(e + 1));
    return Math.max(0, decimalPlaces(mant) - exp);
  }
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

/**
 * Parses a decimal string into an integer count of 10^-precision units, exactly
 * (no float rounding). Returns NaN when the text is not a finite decimal or has more
 * significant decimals than `precision` (trailing zeros are fine).
 */
export function parseScaled(text: string, precision: number): number {
  let s = text.trim();
  if (s.length === 0) return NaN;
  if (/[eE]/.test(s)) {
    const x = Number(s);
    if (!Number.isFinite(x)) return NaN;
    const n = Math.round(x * pow10(precision));
    return Math.abs(n / pow10(precision) - x) <= Math.abs(x) * 1e-15 ? n : NaN;
  }
  let neg = false;
  if (s[0] === '-' || s[0] === '+') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  const dot = s.indexOf('.');
  let intPart = dot < 0 ? s : s.slice(0, dot);
  let frac = dot < 0 ? '' : s.slice(dot + 1);
  if (intPart.length === 0 && frac.length === 0) return NaN;
  if (!/^\d*$/.test(intPart) || !/^\d*$/.test(frac)) return NaN;
  // drop trailing zeros beyond the precision; any other extra digit is off the grid
  while (frac.length > precision && frac.endsWith('0')) frac = frac.slice(0, -1);
  if (frac.length > precision) return NaN;
  frac = frac.padEnd(precision, '0');
  if (intPart.length === 0) intPart = '0';
  const n = Number(intPart + frac);
  if (!Number.isSafeInteger(n)) return NaN;
  return neg ? -n : n;
}

/** Converts a double to units of 10^-precision; NaN if it is not within 1e-9 of a unit (off the grid). */
export function toScaled(x: number, precision: number): number {
  if (!Number.isFinite(x)) return NaN;
  const scaled = x * pow10(precision);
  const n = Math.round(scaled);
  if (Math.abs(scaled - n) > Math.max(1e-9, Math.abs(scaled) * 1e-12)) return NaN;
  return n;
}

/** The double for `n` units of 10^-precision (correctly rounded). */
export function fromScaled(n: number, precision: number): number {
  return n / pow10(precision);
}

/** Formats `n` units of 10^-precision as a plain decimal string with exactly `precision` decimals. */
export function formatScaled(n: number, precision: number): string {
  const neg = n < 0;
  const digits = String(Math.abs(n)).padStart(precision + 1, '0');
  const cut = digits.length - precision;
  const out = precision === 0 ? digits : `${digits.slice(0, cut)}.${digits.slice(cut)}`;
  return neg ? `-${out}` : out;
}

/** Floor division for integers held in doubles, exact for all safe integers (either sign). */
export function floorDiv(a: number, b: number): number {
  let q = Math.floor(a / b);
  const p = q * b;
  if (!Number.isSafeInteger(p)) {
    // near 2^53 the product rounds: do it exactly
    const A = BigInt(a);
    const B = BigInt(b);
    let Q = A / B;
    if (A % B !== 0n && A < 0n !== B < 0n) Q -= 1n;
    return Number(Q);
  }
  const r = a - p; // the remainder must have the sign of b and |r| < |b|
  if (b > 0) {
    if (r < 0) q -= 1;
    else if (r >= b) q += 1;
  } else if (r > 0) q -= 1;
  else if (r <= b) q += 1;
  return q + 0; // never -0
}
