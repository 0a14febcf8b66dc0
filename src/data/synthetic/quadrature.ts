/**
 * Gauss-Legendre quadrature on [0, infinity) by panels, for the Fourier pricing integrals.
 * Nodes and weights of the n-point rule on [-1, 1] are computed once by Newton's method on the
 * Legendre polynomial (Golub and Welsch's values to machine precision for n <= 64).
 */
export interface GaussRule {
  readonly nodes: Float64Array;
  readonly weights: Float64Array;
}

const cache = new Map<number, GaussRule>();

/** The n-point Gauss-Legendre rule on [-1, 1]. */
export function gaussLegendre(n: number): GaussRule {
  const hit = cache.get(n);
  if (hit) return hit;
  if (!(Number.isInteger(n) && n >= 1 && n <= 256)) throw new RangeError(`gaussLegendre: n must be an integer in [1, 256], got ${n}`);
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      const pn = n === 1 ? x : p1;
      const pm = n === 1 ? 1 : p0;
      dp = (n * (x * pn - pm)) / (x * x - 1);
      const dx = pn / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    nodes[i] = x;
    weights[i] = 2 / ((1 - x * x) * dp * dp);
  }
  const rule = { nodes, weights };
  cache.set(n, rule);
  return rule;
}

/** Options of `integrateToInfinity`. */
export interface PanelOptions {
  /** Width of each panel. */
  width: number;
  /** Points per panel (default 32). */
  points?: number;
  /** Stop once two consecutive panels each add less than this in absolute value (default 1e-15). */
  tolerance?: number;
  /** Give up (throw) beyond this many panels (default 20000). */
  maxPanels?: number;
}

/**
 * The integral of `f` over [0, infinity): Gauss-Legendre on consecutive panels of `width`, until
 * two panels in a row contribute less than `tolerance`. `f` must decay (the pricing integrands
 * decay exponentially). Throws when `maxPanels` is reached without convergence.
 */
export function integrateToInfinity(f: (u: number) => number, opts: PanelOptions): number {
  const { nodes, weights } = gaussLegendre(opts.points ?? 32);
  const tol = opts.tolerance ?? 1e-15;
  const max = opts.maxPanels ?? 20000;
  const h = opts.width / 2;
  let total = 0;
  let small = 0;
  for (let p = 0; p < max; p++) {
    const mid = (2 * p + 1) * h;
    let s = 0;
    for (let i = 0; i < nodes.length; i++) s += weights[i]! * f(mid + h * nodes[i]!);
    s *= h;
    total += s;
    if (Math.abs(s) < tol) {
      if (++small >= 2) return total;
    } else small = 0;
  }
  throw new RangeError(`integrateToInfinity: no convergence after ${max} panels of width ${opts.width}`);
}
