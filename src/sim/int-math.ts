/**
 * Exact integer arithmetic for the cash ledger. Operands are integers held in doubles; the
 * fast path stays in doubles while every intermediate product is a safe integer (< 2^53) and
 * falls back to BigInt otherwise. Results that do not fit a safe integer come back as NaN so
 * the caller can raise an error that names the place (these helpers never build strings).
 */

const MAX = Number.MAX_SAFE_INTEGER;
const BIG_MAX = BigInt(MAX);

/**
 * round(a * b * c / (d1 * d2)), rounded half away from zero, exactly.
 * a, b, c: integers (any sign; may be beyond 2^53 as long as they are integral doubles);
 * d1, d2: positive integers. Returns NaN when the result is not a safe integer.
 * Example: mulDivRound(3784, 10, 1, 1, 100) = 378 (37.84 * 10 with 2 decimals kept as 378.4 -> 378).
 */
export function mulDivRound(a: number, b: number, c: number, d1: number, d2: number): number {
  const p1 = a * b;
  if (Number.isSafeInteger(p1)) {
    const p = p1 * c;
    const d = d1 * d2;
    if (Number.isSafeInteger(p) && Number.isSafeInteger(d)) {
      if (d === 1) return p === 0 ? 0 : p;
      const r = p % d;
      let q = (p - r) / d;
      if (2 * Math.abs(r) >= d) q += p < 0 ? -1 : 1;
      return q === 0 ? 0 : q;
    }
  }
  return bigMulDivRound(a, b, c, d1, d2);
}

function bigMulDivRound(a: number, b: number, c: number, d1: number, d2: number): number {
  if (!Number.isInteger(a) || !Number.isInteger(b) || !Number.isInteger(c)) return NaN;
  if (!Number.isInteger(d1) || !Number.isInteger(d2)) return NaN;
  const p = BigInt(a) * BigInt(b) * BigInt(c);
  const d = BigInt(d1) * BigInt(d2);
  let q = p / d;
  const r = p % d;
  const ar = r < 0n ? -r : r;
  if (2n * ar >= d) q += p < 0n ? -1n : 1n;
  if (q > BIG_MAX || q < -BIG_MAX) return NaN;
  const n = Number(q);
  return n === 0 ? 0 : n;
}

/**
 * ceil(a * b / d) for a >= 0, b >= 0, d > 0 integers, exactly. NaN when the result is not a safe
 * integer. Used for margin requirements, which round up (against the account).
 */
export function mulDivCeil(a: number, b: number, d: number): number {
  const p = a * b;
  if (Number.isSafeInteger(p) && Number.isSafeInteger(d)) {
    const r = p % d;
    const q = (p - r) / d;
    return r === 0 ? q : q + 1;
  }
  if (!Number.isInteger(a) || !Number.isInteger(b) || !Number.isInteger(d)) return NaN;
  const P = BigInt(a) * BigInt(b);
  const D = BigInt(d);
  let q = P / D;
  if (P % D !== 0n) q += 1n;
  return q > BIG_MAX ? NaN : Number(q);
}

/** a * bNum < c * dNum exactly, for integers (BigInt when a product is not safe). */
export function productLess(a: number, bNum: number, c: number, dNum: number): boolean {
  const l = a * bNum;
  const r = c * dNum;
  if (Number.isSafeInteger(l) && Number.isSafeInteger(r)) return l < r;
  return BigInt(a) * BigInt(bNum) < BigInt(c) * BigInt(dNum);
}

/** A non-negative rational num/den with integer parts (den > 0). */
export interface Ratio {
  readonly num: number;
  readonly den: number;
}

function gcd(a: number, b: number): number {
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/**
 * The exact rational of a finite decimal double (0.05 -> 1/20, 2.5 -> 5/2), via its shortest
 * decimal representation (at most 20 decimals). Throws a RangeError naming `field` otherwise.
 */
export function decimalRatio(x: number, field: string): Ratio {
  if (!Number.isFinite(x) || x < 0) throw new RangeError(`${field} must be a finite number >= 0, got ${x}`);
  let k = 0;
  let scale = 1;
  while (k <= 20 && Math.round(x * scale) / scale !== x) {
    k++;
    scale *= 10;
  }
  const num = Math.round(x * scale);
  if (k > 20 || !Number.isSafeInteger(num)) throw new RangeError(`${field} = ${x} has too many significant digits to be held exactly`);
  const g = gcd(num, scale) || 1;
  return { num: num / g, den: scale / g };
}
