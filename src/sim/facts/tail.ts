import { Rng } from '../../core/rng.ts';
import { concat, dayReturns, type MinuteDay } from './series.ts';

/**
 * Hill's estimator of the tail index alpha from the largest `fraction` of |x| (docs/stylized-facts.md):
 * with |x| sorted descending X(1) >= X(2) >= ..., k = floor(fraction * n),
 * alpha = 1 / ((1/k) sum_{i<=k} ln(X(i) / X(k+1))). NaN when k < 2 or X(k+1) is 0.
 */
export function hillIndex(x: ArrayLike<number>, fraction = 0.025): number {
  const a = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) a[i] = Math.abs(x[i]!);
  a.sort();
  const n = a.length;
  const k = Math.floor(fraction * n);
  if (k < 2 || k >= n) return NaN;
  const base = a[n - k - 1]!;
  if (!(base > 0)) return NaN;
  let s = 0;
  for (let i = n - k; i < n; i++) s += Math.log(a[i]! / base);
  return s > 0 ? k / s : NaN;
}

/**
 * Hill index of the 1-minute returns averaged over `seeds` jitters: each bar's close moves uniformly
 * within +-half a tick (drawn from `new Rng(seed, 'facts/hill-jitter')`, seed = 1..seeds) and carried
 * minutes keep the jittered close. Without a tick (0), one plain estimate. Returns the mean and each value.
 */
export function jitteredHill(days: readonly MinuteDay[], tickSize: number, seeds = 20, fraction = 0.025): { mean: number; values: number[] } {
  if (!(tickSize > 0)) {
    const v = hillIndex(concat(dayReturns(days).map((d) => d.r)), fraction);
    return { mean: v, values: [v] };
  }
  const values: number[] = [];
  for (let s = 1; s <= seeds; s++) {
    const rng = new Rng(s, 'facts/hill-jitter');
    const closes = days.map((d) => {
      const c = new Float64Array(d.closes.length);
      for (let t = 0; t < c.length; t++) {
        c[t] = d.hasBar[t] || t === 0 ? Math.max(d.closes[t]! + tickSize * (rng.next() - 0.5), tickSize * 1e-6) : c[t - 1]!;
      }
      return c;
    });
    values.push(hillIndex(concat(dayReturns(days, closes).map((d) => d.r)), fraction));
  }
  let m = 0;
  for (const v of values) m += v;
  return { mean: m / values.length, values };
}

/**
 * The tick of a price series: the largest grid step g (a power of ten times an integer) on which every
 * close lies, found as the greatest common divisor of the closes in units of the finest decimal place
 * (up to 8 places). 0 when the closes are not on a decimal grid.
 */
export function inferTick(closes: ArrayLike<number>): number {
  for (let d = 0; d <= 8; d++) {
    const scale = 10 ** d;
    let ok = true;
    let g = 0;
    for (let i = 0; i < closes.length && ok; i++) {
      const u = closes[i]! * scale;
      const r = Math.round(u);
      if (Math.abs(u - r) > 1e-6 * Math.max(1, Math.abs(u))) ok = false;
      else g = gcd(g, r);
    }
    if (ok) return g > 0 ? g / scale : 0;
  }
  return 0;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}
