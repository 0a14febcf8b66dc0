/**
 * Safeguarded Newton's method for a root of a monotone function on a bracket: a Newton step when it
 * stays strictly inside the current bracket, a bisection step otherwise; the bracket shrinks around
 * the sign change at every step, so the method always converges (quadratically near the root).
 */

/** Outcome of `safeguardedNewton`. */
export interface RootResult {
  root: number;
  iterations: number;
  /** True when the function value or the bracket reached the tolerance. */
  converged: boolean;
}

/**
 * Finds x in [lo, hi] with f(x) = 0, given f(lo) and f(hi) of opposite signs (not checked here).
 * `fdf(x, out)` writes f(x) into out[0] and f'(x) into out[1] (no allocation per step).
 * Stops when |f| <= fTol, the bracket is narrower than xTol (relative), or after maxIter steps.
 */
export function safeguardedNewton(
  fdf: (x: number, out: Float64Array) => void,
  lo: number,
  hi: number,
  x0: number,
  fLo: number,
  options: { fTol?: number; xTol?: number; maxIter?: number } = {},
): RootResult {
  const fTol = options.fTol ?? 0;
  const xTol = options.xTol ?? 4 * Number.EPSILON;
  const maxIter = options.maxIter ?? 200;
  const out = new Float64Array(2);
  const loPositive = fLo > 0;
  let x = x0 > lo && x0 < hi ? x0 : 0.5 * (lo + hi);
  for (let it = 1; it <= maxIter; it++) {
    fdf(x, out);
    const fx = out[0]!;
    const dfx = out[1]!;
    if (fx === 0 || Math.abs(fx) <= fTol) return { root: x, iterations: it, converged: true };
    if (Number.isFinite(fx)) {
      if (fx > 0 === loPositive) lo = x;
      else hi = x;
    } else if (loPositive) lo = x; // overflow: only on the steep side near lo
    else hi = x;
    if (hi - lo <= xTol * Math.max(1, Math.abs(x))) return { root: 0.5 * (lo + hi), iterations: it, converged: true };
    let next = x - fx / dfx;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - x) <= xTol * Math.max(1, Math.abs(x)) * 0.25) {
      return { root: next, iterations: it, converged: true };
    }
    x = next;
  }
  return { root: x, iterations: maxIter, converged: false };
}
