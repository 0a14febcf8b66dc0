/**
 * Autocorrelations over series split into days: only pairs within the same day are used
 * (docs/stylized-facts.md). The mean and variance are those of all values; each lag's covariance is
 * the mean cross-product over its within-day pairs.
 */

/** Mean and variance (divisor n) of all values of all days. */
function moments(days: readonly ArrayLike<number>[]): { m: number; v: number; n: number } {
  let s = 0;
  let n = 0;
  for (const x of days) for (let t = 0; t < x.length; t++) (s += x[t]!), n++;
  const m = n > 0 ? s / n : NaN;
  let q = 0;
  for (const x of days) for (let t = 0; t < x.length; t++) q += (x[t]! - m) ** 2;
  return { m, v: n > 0 ? q / n : NaN, n };
}

/** ACF at lags 1..maxLag (index k-1); NaN at a lag with no within-day pair. */
export function acfWithinDays(days: readonly ArrayLike<number>[], maxLag: number): Float64Array {
  const { m, v } = moments(days);
  const out = new Float64Array(maxLag);
  for (let k = 1; k <= maxLag; k++) {
    let s = 0;
    let c = 0;
    for (const x of days) {
      for (let t = 0; t + k < x.length; t++) s += (x[t]! - m) * (x[t + k]! - m);
      c += Math.max(0, x.length - k);
    }
    out[k - 1] = c > 0 && v > 0 ? s / c / v : NaN;
  }
  return out;
}

/** Robust t statistics t_k = sum(x_t x_t+k) / sqrt(sum(x_t^2 x_t+k^2)), x centred, lags 1..maxLag (index k-1). */
export function robustT(days: readonly ArrayLike<number>[], maxLag: number): Float64Array {
  const { m } = moments(days);
  const out = new Float64Array(maxLag);
  for (let k = 1; k <= maxLag; k++) {
    let s = 0;
    let q = 0;
    for (const x of days) {
      for (let t = 0; t + k < x.length; t++) {
        const p = (x[t]! - m) * (x[t + k]! - m);
        s += p;
        q += p * p;
      }
    }
    out[k - 1] = q > 0 ? s / Math.sqrt(q) : NaN;
  }
  return out;
}

/** Pearson correlation of x_t with y_t+k over within-day pairs (NaN when undefined). */
export function lagCorrWithinDays(xs: readonly ArrayLike<number>[], ys: readonly ArrayLike<number>[], k: number): number {
  let n = 0;
  let sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  for (let d = 0; d < xs.length; d++) {
    const x = xs[d]!;
    const y = ys[d]!;
    for (let t = 0; t + k < x.length; t++) {
      const a = x[t]!;
      const b = y[t + k]!;
      n++;
      sx += a;
      sy += b;
      sxx += a * a;
      syy += b * b;
      sxy += a * b;
    }
  }
  if (n < 2) return NaN;
  const cov = sxy / n - (sx / n) * (sy / n);
  const vx = sxx / n - (sx / n) ** 2;
  const vy = syy / n - (sy / n) ** 2;
  return vx > 0 && vy > 0 ? cov / Math.sqrt(vx * vy) : NaN;
}
