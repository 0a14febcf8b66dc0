/**
 * Sample moments and correlations used by the stylized-facts suite (docs/stylized-facts.md).
 * Plain loops over number arrays; NaN when a statistic is undefined (too few values, zero variance).
 */

/** Arithmetic mean (NaN for an empty array). */
export function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return x.length > 0 ? s / x.length : NaN;
}

/** Sample standard deviation with divisor n (NaN for fewer than two values). */
export function stdDev(x: ArrayLike<number>): number {
  if (x.length < 2) return NaN;
  const m = mean(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i]! - m) ** 2;
  return Math.sqrt(s / x.length);
}

/** Excess kurtosis m4 / m2^2 - 3 with central moments of divisor n (NaN for fewer than four values or zero variance). */
export function excessKurtosis(x: ArrayLike<number>): number {
  const n = x.length;
  if (n < 4) return NaN;
  const m = mean(x);
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = (x[i]! - m) ** 2;
    m2 += d;
    m4 += d * d;
  }
  m2 /= n;
  m4 /= n;
  return m2 > 0 ? m4 / (m2 * m2) - 3 : NaN;
}

/** Pearson correlation of paired values (NaN when either has zero variance or fewer than two pairs). */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = Math.min(x.length, y.length);
  if (n < 2) return NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const a = x[i]! - mx;
    const b = y[i]! - my;
    sxy += a * b;
    sxx += a * a;
    syy += b * b;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/** Ranks 1..n with ties given their average rank. */
export function ranks(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const idx = new Array<number>(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  idx.sort((a, b) => x[a]! - x[b]!);
  const r = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i + 1;
    while (j < n && x[idx[j]!] === x[idx[i]!]) j++;
    const avg = (i + j + 1) / 2; // ranks i+1 .. j
    for (let k = i; k < j; k++) r[idx[k]!] = avg;
    i = j;
  }
  return r;
}

/** Spearman rank correlation (Pearson correlation of average ranks, so ties are handled). */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  return pearson(ranks(x), ranks(y));
}
