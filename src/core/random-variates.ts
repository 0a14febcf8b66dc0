import type { Rng } from './rng.ts';

/**
 * Random variates the rate models need beyond `Rng`'s uniform, normal and exponential draws:
 * gamma (Marsaglia and Tsang 2000), Poisson (inversion for small means, Hormann's PTRS transformed
 * rejection for large ones) and the noncentral chi-square (the exact CIR transition). All take the
 * generator as an argument and allocate nothing.
 */

/**
 * Gamma(shape, 1) draw: Marsaglia and Tsang (2000), "A simple method for generating gamma variables",
 * ACM TOMS 26(3). For shape < 1 the draw is Gamma(shape + 1) * U^(1/shape) (their section 6).
 * Throws RangeError when shape is not a positive finite number.
 */
export function gammaDraw(rng: Rng, shape: number): number {
  if (!(shape > 0) || !Number.isFinite(shape)) throw new RangeError(`gamma shape must be > 0, got ${shape}`);
  let boost = 1;
  let a = shape;
  if (a < 1) {
    boost = Math.pow(rng.nextOpen(), 1 / a);
    a += 1;
  }
  const d = a - 1 / 3;
  return boost * gammaMarsagliaTsang(rng, d, 1 / Math.sqrt(9 * d));
}

/**
 * The rejection loop of Marsaglia and Tsang (2000) for Gamma(shape >= 1, 1), with its constants
 * d = shape - 1/3 and c = 1 / sqrt(9 d) precomputed by the caller (a sampler of one fixed shape keeps
 * them). Normal draws from `rng.normal()`, uniforms from `rng.nextOpen()`.
 */
export function gammaMarsagliaTsang(rng: Rng, d: number, c: number): number {
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.nextOpen();
    if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** ln Gamma(x) for x > 0 (Lanczos, g = 7, 9 terms; relative error below 1e-13). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let s = LANCZOS[0]!;
  for (let i = 1; i < 9; i++) s += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/**
 * Poisson(mean) draw. mean < 10: inversion by sequential search (one uniform). mean >= 10: PTRS,
 * Hormann (1993), "The transformed rejection method for generating Poisson random variables",
 * Insurance: Mathematics and Economics 12, algorithm PTRS. mean 0 gives 0.
 */
export function poissonDraw(rng: Rng, mean: number): number {
  if (!(mean >= 0) || !Number.isFinite(mean)) throw new RangeError(`Poisson mean must be >= 0 and finite, got ${mean}`);
  if (mean === 0) return 0;
  if (mean < 10) {
    let k = 0;
    let p = Math.exp(-mean);
    let cdf = p;
    const u = rng.next();
    while (u > cdf) {
      k++;
      p *= mean / k;
      cdf += p;
      if (p === 0 && cdf < u) break; // tail underflow: u fell in the last ulp
    }
    return k;
  }
  const smu = Math.sqrt(mean);
  const b = 0.931 + 2.53 * smu;
  const a = -0.059 + 0.02483 * b;
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  const logMean = Math.log(mean);
  for (;;) {
    const u = rng.next() - 0.5;
    const v = rng.next();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -mean + k * logMean - logGamma(k + 1)) return k;
  }
}

/**
 * Noncentral chi-square draw with `dof` > 0 degrees of freedom and noncentrality `nc` >= 0.
 * dof > 1: (Z + sqrt(nc))^2 + chi2(dof - 1) with chi2(k) = 2 Gamma(k/2) (one normal, one gamma).
 * dof <= 1: the Poisson mixture chi2(dof + 2N), N ~ Poisson(nc / 2). Both are exact
 * (Johnson, Kotz and Balakrishnan, Continuous Univariate Distributions vol. 2, ch. 29).
 */
export function noncentralChiSquareDraw(rng: Rng, dof: number, nc: number): number {
  if (!(dof > 0)) throw new RangeError(`noncentral chi-square dof must be > 0, got ${dof}`);
  if (!(nc >= 0)) throw new RangeError(`noncentral chi-square noncentrality must be >= 0, got ${nc}`);
  if (dof > 1) {
    const z = rng.normal() + Math.sqrt(nc);
    return z * z + 2 * gammaDraw(rng, (dof - 1) / 2);
  }
  const n = poissonDraw(rng, nc / 2);
  return 2 * gammaDraw(rng, dof / 2 + n);
}
