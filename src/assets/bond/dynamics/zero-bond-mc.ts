import type { ShortRateSimulator } from './curve-dynamics.ts';

/** A Monte Carlo estimate with its standard error. */
export interface MonteCarloEstimate {
  /** Sample mean. */
  price: number;
  /** Standard error of the mean: sample standard deviation / sqrt(paths). */
  standardError: number;
  paths: number;
}

/** Options of `monteCarloZeroBonds`. */
export interface ZeroBondMcOptions {
  /** Maturities in years, ascending, > 0. */
  maturities: readonly number[];
  /** Number of paths (>= 2). */
  paths: number;
  /** Step length in years (> 0). Each maturity must be a whole number of steps (within 1e-9). */
  dt: number;
}

/**
 * Prices zero-coupon bonds P(0, T) = E[exp(-int_0^T r ds)] for several maturities at once by
 * simulating `paths` paths of the simulator (reset before each path; it draws from its own stream).
 * Returns one estimate per maturity, in the order given.
 */
export function monteCarloZeroBonds(sim: ShortRateSimulator, options: ZeroBondMcOptions): MonteCarloEstimate[] {
  const { maturities, paths, dt } = options;
  if (!(paths >= 2) || !Number.isInteger(paths)) throw new RangeError(`paths must be an integer >= 2, got ${paths}`);
  if (!(dt > 0)) throw new RangeError(`dt must be > 0, got ${dt}`);
  const steps: number[] = [];
  let prev = 0;
  for (const T of maturities) {
    const n = Math.round(T / dt);
    if (!(T > 0) || Math.abs(n * dt - T) > 1e-9 || n <= prev) {
      throw new RangeError(`maturity ${T} must be > 0, ascending and a whole number of steps of ${dt}`);
    }
    steps.push(n);
    prev = n;
  }
  const sum = new Float64Array(maturities.length);
  const sum2 = new Float64Array(maturities.length);
  const last = steps[steps.length - 1]!;
  for (let p = 0; p < paths; p++) {
    sim.reset();
    let k = 0;
    for (let i = 1; i <= last; i++) {
      sim.step(dt);
      if (i === steps[k]) {
        const d = Math.exp(-sim.integral);
        sum[k] += d;
        sum2[k] += d * d;
        k++;
      }
    }
  }
  return maturities.map((_, k) => {
    const mean = sum[k]! / paths;
    const variance = Math.max(0, (sum2[k]! - paths * mean * mean) / (paths - 1));
    return { price: mean, standardError: Math.sqrt(variance / paths), paths };
  });
}
