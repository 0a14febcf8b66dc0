import type { OptionType } from './pricing.ts';

/** A Monte Carlo price and its standard error. */
export interface McEstimate {
  price: number;
  se: number;
}

/**
 * Discounted European payoff mean of terminal prices `st` and its standard error. With
 * `antithetic`, entries 2i and 2i+1 are a pair and the error comes from the pair averages
 * (which are independent), as it should.
 */
export function mcEuropean(st: Float64Array, type: OptionType, K: number, T: number, r: number, antithetic: boolean): McEstimate {
  const df = Math.exp(-r * T);
  const inc = antithetic ? 2 : 1;
  const n = Math.floor(st.length / inc);
  if (n < 2) throw new RangeError(`mcEuropean: need at least 2 independent samples, got ${n}`);
  const pay = (s: number) => (type === 'call' ? (s > K ? s - K : 0) : s < K ? K - s : 0);
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    const y = antithetic ? 0.5 * (pay(st[2 * i]!) + pay(st[2 * i + 1]!)) : pay(st[i]!);
    const d = y - mean;
    mean += d / (i + 1);
    m2 += d * (y - mean);
  }
  return { price: df * mean, se: (df * Math.sqrt(m2 / (n - 1))) / Math.sqrt(n) };
}
