import { ZeroCurve } from './curve.ts';
import { BondInputError } from './errors.ts';
import type { InterpolationMethod } from './interpolation.ts';
import { safeguardedNewton } from './solver.ts';

/**
 * Bootstrapping a zero curve from par yields (the US Treasury's daily par yield curve: 1M, 2M, 3M,
 * 4M, 6M, 1Y, 2Y, 3Y, 5Y, 7Y, 10Y, 20Y, 30Y).
 *
 * Quotes are bond-equivalent yields (decimals). Tenors up to `billMaxTenor` (default 1 year) are bills
 * (zero-coupon) quoted as investment rates, converted exactly as 31 CFR 356 does:
 *
 *     t <= 1/2:  P(t) = 1 / (1 + y t)
 *     t >  1/2:  P(t) = 1 / ((1 + y/2) (1 + y (t - 1/2)))
 *
 * Longer tenors are par bonds paying `y / 2` every half year (`frequency` 2, tenors a whole number of
 * half years): `sum_k (y/2) P(t_k) + P(T) = 1`. They are solved one after the other (iteratively):
 * the zero rate of tenor T_i is the root (safeguarded Newton) that reprices bond i at par, with the
 * zero rates between the previous node and T_i interpolated by the curve's own method. For
 * `monotone-cubic` (whose tangents depend on later nodes too) the sweep repeats, later nodes from the
 * previous sweep, until no zero rate moves by more than 1e-15 (at most 50 sweeps), so every quote is
 * repriced exactly by the final curve. Times are in years (tenor `1M` = 1/12).
 */
export interface ParYieldQuote {
  /** Tenor in years, or a label `1M`, `13W`, `6M`, `2Y` ... */
  tenor: number | string;
  /** Par (bond-equivalent) yield, decimal. */
  yield: number;
}

/** Options of `bootstrapParCurve`. */
export interface BootstrapOptions {
  method?: InterpolationMethod;
  /** Longest tenor treated as a bill (zero-coupon, money-market quote); default 1 year. */
  billMaxTenor?: number;
  /** Coupons per year of the par bonds (default 2). */
  frequency?: number;
}

/** Years of a tenor label: `13W` = 91/365, `3M` = 3/12, `2Y` = 2, `30D` = 30/365; numbers pass through (must be > 0). */
export function tenorYears(tenor: number | string, field = 'tenor'): number {
  if (typeof tenor === 'number') {
    if (!Number.isFinite(tenor) || !(tenor > 0)) throw new BondInputError(field, `expected a tenor in years > 0, got ${String(tenor)}`);
    return tenor;
  }
  const m = /^\s*(\d+(?:\.\d+)?)\s*([DWMY])\s*$/i.exec(String(tenor));
  if (!m) throw new BondInputError(field, `expected a tenor like 1M, 13W, 2Y or a number of years, got ${JSON.stringify(tenor)}`);
  const n = Number(m[1]);
  if (!(n > 0)) throw new BondInputError(field, `tenor must be > 0, got ${JSON.stringify(tenor)}`);
  const unit = m[2]!.toUpperCase();
  return unit === 'Y' ? n : unit === 'M' ? n / 12 : unit === 'W' ? (7 * n) / 365 : n / 365;
}

/** Zero curve bootstrapped from par yields (see `ParYieldQuote`); the nodes are the quoted tenors. */
export function bootstrapParCurve(quotes: readonly ParYieldQuote[], options: BootstrapOptions = {}): ZeroCurve {
  const method = options.method ?? 'monotone-cubic';
  const billMax = options.billMaxTenor ?? 1;
  const freq = options.frequency ?? 2;
  if (!Array.isArray(quotes) || quotes.length === 0) throw new BondInputError('quotes', 'needs at least one par yield');
  const tenors = quotes.map((q, i) => tenorYears(q.tenor, `quotes[${i}].tenor`));
  const ys = quotes.map((q, i) => {
    if (typeof q.yield !== 'number' || !Number.isFinite(q.yield)) throw new BondInputError(`quotes[${i}].yield`, `expected a finite number, got ${String(q.yield)}`);
    if (!(1 + q.yield / freq > 0)) throw new BondInputError(`quotes[${i}].yield`, `must be > -${freq}, got ${q.yield}`);
    return q.yield;
  });
  for (let i = 1; i < tenors.length; i++) {
    if (!(tenors[i]! > tenors[i - 1]!)) throw new BondInputError(`quotes[${i}].tenor`, `${tenors[i]} years is not longer than quotes[${i - 1}].tenor = ${tenors[i - 1]} years (tenors must be strictly increasing)`);
  }
  const n = tenors.length;
  const z = new Array<number>(n).fill(0);
  // bills: closed form
  let firstBond = n;
  for (let i = 0; i < n; i++) {
    const t = tenors[i]!;
    const y = ys[i]!;
    if (t > billMax + 1e-12) {
      firstBond = i;
      break;
    }
    const p = t <= 0.5 ? 1 / (1 + y * t) : 1 / ((1 + y / 2) * (1 + y * (t - 0.5)));
    z[i] = -Math.log(p) / t;
  }
  for (let i = firstBond; i < n; i++) {
    const periods = Math.round(tenors[i]! * freq);
    if (Math.abs(periods - tenors[i]! * freq) > 1e-9) throw new BondInputError(`quotes[${i}].tenor`, `a par bond tenor must be a whole number of coupon periods (1/${freq} year), got ${tenors[i]} years`);
    z[i] = i > 0 ? z[i - 1]! : ys[i]!; // initial guess for later nodes
  }
  if (firstBond === n) return new ZeroCurve(tenors, z, method);
  const sweeps = method === 'linear' ? 1 : 50;
  const out = new Float64Array(2);
  for (let sweep = 0; sweep < sweeps; sweep++) {
    let moved = 0;
    for (let i = firstBond; i < n; i++) {
      const T = tenors[i]!;
      const c = ys[i]! / freq;
      const periods = Math.round(T * freq);
      const nodes = method === 'linear' ? i + 1 : n;
      const tt = tenors.slice(0, nodes);
      const zz = z.slice(0, nodes);
      const parError = (zi: number): number => {
        zz[i] = zi;
        const curve = new ZeroCurve(tt, zz, method);
        let pv = 0;
        for (let k = 1; k <= periods; k++) pv += c * curve.discount(k / freq);
        return pv + curve.discount(T) - 1;
      };
      const fdf = (x: number, o: Float64Array) => {
        const h = 1e-7;
        o[0] = parError(x);
        o[1] = (parError(x + h) - parError(x - h)) / (2 * h);
      };
      const lo = -0.5;
      const hi = 2;
      const fLo = parError(lo);
      if (!(fLo > 0) || !(parError(hi) < 0)) throw new BondInputError(`quotes[${i}].yield`, `no zero rate in [-50%, 200%] reprices the ${T}-year par bond at ${ys[i]}`);
      const r = safeguardedNewton(fdf, lo, hi, z[i]!, fLo, { fTol: 1e-15, maxIter: 200 });
      moved = Math.max(moved, Math.abs(r.root - z[i]!));
      z[i] = r.root;
    }
    if (moved < 1e-15) break;
  }
  return new ZeroCurve(tenors, z, method);
}
