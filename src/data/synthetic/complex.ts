/**
 * Minimal complex arithmetic for characteristic functions (off the hot path: pricing only).
 * Values are immutable `{ re, im }` records.
 */
export interface Complex {
  readonly re: number;
  readonly im: number;
}

/** Builds a complex number. */
export const cx = (re: number, im = 0): Complex => ({ re, im });
/** a + b */
export const cadd = (a: Complex, b: Complex): Complex => ({ re: a.re + b.re, im: a.im + b.im });
/** a - b */
export const csub = (a: Complex, b: Complex): Complex => ({ re: a.re - b.re, im: a.im - b.im });
/** a * b */
export const cmul = (a: Complex, b: Complex): Complex => ({ re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re });
/** s * a for a real s */
export const cscale = (a: Complex, s: number): Complex => ({ re: a.re * s, im: a.im * s });
/** a / b */
export function cdiv(a: Complex, b: Complex): Complex {
  const d = b.re * b.re + b.im * b.im;
  return { re: (a.re * b.re + a.im * b.im) / d, im: (a.im * b.re - a.re * b.im) / d };
}
/** e^a */
export function cexp(a: Complex): Complex {
  const m = Math.exp(a.re);
  return { re: m * Math.cos(a.im), im: m * Math.sin(a.im) };
}
/** Principal logarithm. */
export const clog = (a: Complex): Complex => ({ re: Math.log(Math.hypot(a.re, a.im)), im: Math.atan2(a.im, a.re) });
/** Principal square root (real part >= 0). */
export function csqrt(a: Complex): Complex {
  const r = Math.hypot(a.re, a.im);
  const re = Math.sqrt((r + a.re) / 2);
  const im = Math.sqrt(Math.max(0, (r - a.re) / 2));
  return { re, im: a.im < 0 ? -im : im };
}
