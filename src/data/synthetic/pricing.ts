import { cadd, cdiv, cexp, clog, cmul, cscale, csqrt, csub, cx, type Complex } from './complex.ts';
import { normCdf } from './normal.ts';
import type { BatesParams, GbmParams, HestonParams, JumpParams, MertonParams } from './params.ts';
import { validateBates, validateGbm, validateHeston, validateMerton, validateOption } from './params.ts';
import { integrateToInfinity } from './quadrature.ts';

/**
 * Closed-form and semi-analytic prices of European options, the references the Monte Carlo
 * simulators are checked against (`marketsim models check`, docs/models.md).
 *
 * Fourier prices use Lewis's (2000) single-integral formula with the forward F = S0 e^((r-q)T):
 *
 *     C = e^(-rT) [ F - sqrt(F K) / pi * Int_0^inf Re( e^(i u ln(F/K)) phi(u - i/2) ) / (u^2 + 1/4) du ]
 *
 * where phi is the characteristic function of X = ln(S_T / F) (so E[e^X] = 1). Puts follow from
 * put-call parity P = C - S0 e^(-qT) + K e^(-rT).
 */

/** Call or put. */
export type OptionType = 'call' | 'put';

/** Black-Scholes(-Merton) price of a European option with a continuous dividend yield. */
export function blackScholes(type: OptionType, s0: number, K: number, T: number, r: number, q: number, sigma: number): number {
  const dfR = Math.exp(-r * T);
  const dfQ = Math.exp(-q * T);
  const sd = sigma * Math.sqrt(T);
  if (sd === 0) {
    const fwd = s0 * dfQ - K * dfR;
    return type === 'call' ? Math.max(fwd, 0) : Math.max(-fwd, 0);
  }
  const d1 = (Math.log(s0 / K) + (r - q) * T) / sd + sd / 2;
  const d2 = d1 - sd;
  return type === 'call' ? s0 * dfQ * normCdf(d1) - K * dfR * normCdf(d2) : K * dfR * normCdf(-d2) - s0 * dfQ * normCdf(-d1);
}

/** Black-Scholes price for GBM parameters (validated). */
export function gbmPrice(type: OptionType, p: GbmParams, K: number, T: number): number {
  validateGbm(p);
  validateOption(K, T);
  return blackScholes(type, p.s0, K, T, p.r, p.q, p.sigma);
}

/** E[J] for the log-normal jump: k = e^(muJ + deltaJ^2/2) - 1. */
export function meanJump(p: JumpParams): number {
  return Math.exp(p.muJ + (p.deltaJ * p.deltaJ) / 2) - 1;
}

/**
 * Merton (1976) price as the Poisson-weighted series of Black-Scholes prices:
 *
 *     V = sum_n e^(-l' T) (l' T)^n / n! * BS(S0, K, T, r_n, q, sigma_n)
 *     l' = lambda (1 + k),  sigma_n^2 = sigma^2 + n deltaJ^2 / T,  r_n = r - lambda k + n ln(1 + k) / T
 *
 * summed past the Poisson mode until a term (weight times price) falls below 1e-14.
 */
export function mertonPrice(type: OptionType, p: MertonParams, K: number, T: number): number {
  validateMerton(p);
  validateOption(K, T);
  const k = meanJump(p);
  const lt = p.lambda * (1 + k) * T;
  if (lt === 0) return blackScholes(type, p.s0, K, T, p.r, p.q, p.sigma);
  const mode = Math.floor(lt);
  let logW = -lt; // log of the weight of n = 0
  let sum = 0;
  for (let n = 0; n < 100000; n++) {
    if (n > 0) logW += Math.log(lt / n);
    const w = Math.exp(logW);
    const sigN = Math.sqrt(p.sigma * p.sigma + (n * p.deltaJ * p.deltaJ) / T);
    const rN = p.r - p.lambda * k + (n * Math.log1p(k)) / T;
    // Discounting at r_n instead of r is absorbed by the weights' l' = lambda (1 + k).
    const term = w * blackScholes(type, p.s0, K, T, rN, p.q, sigN);
    sum += term;
    if (n > mode && Math.abs(term) < 1e-14 && w < 1e-14) break;
  }
  return sum;
}

/** A characteristic function of X = ln(S_T / F) at a complex argument, given a = i u. */
export type LogCharFn = (a: Complex) => Complex;

/** Characteristic function of ln(S_T/F) under Black-Scholes: exp(sigma^2 T (a^2 - a) / 2), a = i u. */
export function bsCharFn(sigma: number, T: number): LogCharFn {
  const h = (sigma * sigma * T) / 2;
  return (a) => cexp(cscale(csub(cmul(a, a), a), h));
}

/**
 * Characteristic function of the compensated Merton jump part over T, a = i u:
 * exp(lambda T (e^(a muJ + a^2 deltaJ^2 / 2) - 1 - a k)).
 */
export function jumpCharFn(p: JumpParams, T: number): LogCharFn {
  const k = meanJump(p);
  const lt = p.lambda * T;
  const hd = (p.deltaJ * p.deltaJ) / 2;
  return (a) => {
    const inner = cexp(cadd(cscale(a, p.muJ), cscale(cmul(a, a), hd)));
    return cexp(cscale(csub(csub(inner, cx(1)), cscale(a, k)), lt));
  };
}

/**
 * Heston characteristic function of ln(S_T/F) in the "little Heston trap" form of Albrecher,
 * Mayer, Schoutens and Tistaert (2007), which is continuous in u (no branch-cut jumps of the
 * complex logarithm): with b = kappa - rho sigma a and a = i u,
 *
 *     d = sqrt(b^2 + sigma^2 (a - a^2)),   g = (b - d) / (b + d)
 *     C = kappa theta / sigma^2 [ (b - d) T - 2 ln((1 - g e^(-dT)) / (1 - g)) ]
 *     D = (b - d) / sigma^2 * (1 - e^(-dT)) / (1 - g e^(-dT))
 *     phi = exp(C + D v0)
 */
export function hestonCharFn(p: HestonParams, T: number): LogCharFn {
  const { kappa, theta, sigma, rho, v0 } = p;
  const s2 = sigma * sigma;
  return (a) => {
    const b = csub(cx(kappa), cscale(a, rho * sigma));
    const d = csqrt(cadd(cmul(b, b), cscale(csub(a, cmul(a, a)), s2)));
    const bmd = csub(b, d);
    const g = cdiv(bmd, cadd(b, d));
    const e = cexp(cscale(d, -T));
    const one = cx(1);
    const ome = csub(one, cmul(g, e));
    const C = cscale(csub(cscale(bmd, T), cscale(clog(cdiv(ome, csub(one, g))), 2)), (kappa * theta) / s2);
    const D = cmul(cscale(bmd, 1 / s2), cdiv(csub(one, e), ome));
    return cexp(cadd(C, cscale(D, v0)));
  };
}

/** Options of the Fourier pricer. */
export interface FourierOptions {
  /** Absolute tolerance of the tail cut-off (default 1e-15 per panel). */
  tolerance?: number;
  /** Gauss-Legendre points per panel (default 32). */
  points?: number;
  /** Panel width in u (default 1: the 1/(u^2 + 1/4) peak at 0 has width 1/2 and needs that resolution). */
  width?: number;
}

/**
 * European price from the characteristic function of ln(S_T/F) by Lewis's formula (see the
 * module comment). `scaleVar` is a typical total variance over T: it bounds how far out in u the
 * panels may go before the integral is declared non-convergent.
 */
export function fourierPrice(type: OptionType, phi: LogCharFn, s0: number, K: number, T: number, r: number, q: number, scaleVar: number, opts: FourierOptions = {}): number {
  const F = s0 * Math.exp((r - q) * T);
  const x = Math.log(F / K);
  // A tiny total variance decays slowly in u: allow panels out to u ~ 40 / sd.
  const width = opts.width ?? 1;
  const maxPanels = Math.max(20000, Math.ceil(40 / Math.sqrt(Math.max(scaleVar, 1e-12)) / width));
  const integrand = (u: number): number => {
    const v = phi({ re: 0.5, im: u }); // a = i (u - i/2) = 1/2 + i u
    const c = Math.cos(u * x);
    const s = Math.sin(u * x);
    return (v.re * c - v.im * s) / (u * u + 0.25);
  };
  const I = integrateToInfinity(integrand, { width, points: opts.points ?? 32, tolerance: opts.tolerance ?? 1e-15, maxPanels });
  const call = Math.exp(-r * T) * (F - (Math.sqrt(F * K) / Math.PI) * I);
  return type === 'call' ? call : call - s0 * Math.exp(-q * T) + K * Math.exp(-r * T);
}

/** A typical total variance of the Heston model over T: max(v0, theta) T (bounds the quadrature range). */
function hestonScaleVar(p: HestonParams, T: number): number {
  return Math.max(p.v0, p.theta, 1e-4) * T;
}

/** Heston (1993) semi-analytic price (little-trap characteristic function, Lewis integral). */
export function hestonPrice(type: OptionType, p: HestonParams, K: number, T: number, opts?: FourierOptions): number {
  validateHeston(p);
  validateOption(K, T);
  return fourierPrice(type, hestonCharFn(p, T), p.s0, K, T, p.r, p.q, hestonScaleVar(p, T), opts);
}

/** Bates (1996) price: the Heston characteristic function times Merton's jump part. */
export function batesPrice(type: OptionType, p: BatesParams, K: number, T: number, opts?: FourierOptions): number {
  validateBates(p);
  validateOption(K, T);
  const h = hestonCharFn(p, T);
  const j = jumpCharFn(p, T);
  const phi: LogCharFn = (a) => cmul(h(a), j(a));
  return fourierPrice(type, phi, p.s0, K, T, p.r, p.q, hestonScaleVar(p, T), opts);
}

/** Merton price by the Fourier route (Black-Scholes times jump characteristic function); a cross-check of the series. */
export function mertonFourierPrice(type: OptionType, p: MertonParams, K: number, T: number, opts?: FourierOptions): number {
  validateMerton(p);
  validateOption(K, T);
  const b = bsCharFn(p.sigma, T);
  const j = jumpCharFn(p, T);
  return fourierPrice(type, (a) => cmul(b(a), j(a)), p.s0, K, T, p.r, p.q, Math.max(p.sigma * p.sigma, 1e-4) * T, opts);
}
