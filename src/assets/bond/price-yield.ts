import type { Bond } from './bond.ts';
import { toDay, type DateInput, type Day } from './civil-date.ts';
import { BondInputError } from './errors.ts';
import { safeguardedNewton } from './solver.ts';

/**
 * Price and yield in the street convention (31 CFR 356 Appendix B; SIFMA Standard Securities
 * Calculation Methods): with `f` coupons a year, `v = 1 / (1 + y/f)`, `w` the fraction of the current
 * coupon period from settlement to the next coupon date (`Bond.periodsToCoupon`) and `CF_j` the
 * remaining payments (coupons per 100 face, plus 100 at maturity) at `t_j = w + j` periods,
 *
 *     dirty = sum_j CF_j v^(t_j)          clean = dirty - accrued
 *
 * With `lastPeriod: 'simple'`, a bond in its last period is priced with simple interest
 * `dirty = CF / (1 + w y / f)` (the corporate / Excel convention). Yields are decimals (0.041 = 4.1%),
 * prices per 100 face. Yields must be > -f (where `1 + y/f > 0`).
 */

const scratch = new Float64Array(4);

/**
 * Writes into `out`: [dirty price, dP/dy, sum_j t_j PV_j (t in periods), d2P/dy2] for the
 * remaining cash flows of period index `i` on, `w` the first period fraction. Allocation-free.
 */
export function evaluateYield(bond: Bond, i: number, w: number, y: number, out: Float64Array): void {
  const f = bond.frequency;
  const amounts = bond.couponAmounts;
  const last = amounts.length - 1;
  if (i === last && bond.spec.lastPeriod === 'simple') {
    const cf = amounts[last]! + 100;
    const d = 1 + (w * y) / f;
    const p = cf / d;
    out[0] = p;
    out[1] = (-cf * (w / f)) / (d * d);
    out[2] = w * p;
    out[3] = (2 * cf * (w / f) * (w / f)) / (d * d * d);
    return;
  }
  const v = 1 / (1 + y / f);
  let disc = Math.pow(v, w); // v^(t_j), multiplied by v each period
  let p = 0;
  let st = 0;
  let stt = 0;
  for (let j = i; j <= last; j++) {
    const t = w + (j - i);
    const cf = j === last ? amounts[j]! + 100 : amounts[j]!;
    if (cf !== 0) {
      // 0 * Infinity would be NaN near y = -f
      const pv = cf * disc;
      p += pv;
      st += t * pv;
      stt += t * (t + 1) * pv;
    }
    disc *= v;
  }
  out[0] = p;
  out[1] = (-v / f) * st;
  out[2] = st;
  out[3] = ((v * v) / (f * f)) * stt;
}

function checkYield(y: number, f: number): void {
  if (typeof y !== 'number' || Number.isNaN(y) || !Number.isFinite(y)) throw new BondInputError('yield', `expected a finite number, got ${String(y)}`);
  if (!(1 + y / f > 0)) throw new BondInputError('yield', `must be greater than -${f} (-100% * frequency) so that 1 + y/f > 0, got ${y}`);
}

/** Dirty (full) price per 100 face at yield `y` for settlement `settle`. */
export function dirtyPriceFromYield(bond: Bond, y: number, settle: DateInput): number {
  checkYield(y, bond.frequency);
  const s = toDay(settle, 'settle');
  const i = bond.periodIndex(s);
  evaluateYield(bond, i, bond.periodsToCoupon(i, s), y, scratch);
  return scratch[0]!;
}

/** Clean price per 100 face at yield `y`: dirty price minus accrued interest. */
export function cleanPriceFromYield(bond: Bond, y: number, settle: DateInput): number {
  checkYield(y, bond.frequency);
  const s = toDay(settle, 'settle');
  const i = bond.periodIndex(s);
  evaluateYield(bond, i, bond.periodsToCoupon(i, s), y, scratch);
  return scratch[0]! - bond.accruedIn(i, s);
}

/** Options of the yield solver. */
export interface YieldOptions {
  /** Starting point (default: an approximate yield from coupon, price and time to maturity). */
  guess?: number;
}

function solveYield(bond: Bond, i: number, s: Day, dirty: number, guess: number | undefined): number {
  const f = bond.frequency;
  const w = bond.periodsToCoupon(i, s);
  const fdf = (y: number, out: Float64Array) => {
    evaluateYield(bond, i, w, y, scratch);
    out[0] = scratch[0]! - dirty;
    out[1] = scratch[1]!;
  };
  const lo = -f * (1 - 1e-9);
  evaluateYield(bond, i, w, lo, scratch);
  const fLo = scratch[0]! - dirty;
  if (!(fLo > 0)) throw new BondInputError('price', `price ${dirty} is above the price at any yield greater than -${f}`);
  let hi = 1;
  for (;;) {
    evaluateYield(bond, i, w, hi, scratch);
    if (scratch[0]! < dirty) break;
    hi *= 2;
    if (hi > 1e6) throw new BondInputError('price', `price ${dirty} is too low: no yield below 1e6 gives it`);
  }
  let x0 = guess;
  if (x0 === undefined) {
    const years = (bond.maturity - s) / 365.25;
    const clean = dirty - bond.accruedIn(i, s);
    x0 = (100 * bond.coupon + (100 - clean) / Math.max(years, 1 / 12)) / ((100 + clean) / 2);
  }
  const r = safeguardedNewton(fdf, lo, hi, x0, fLo, { maxIter: 300 });
  return r.root;
}

/** Yield (decimal, compounded `frequency` times a year) of a clean price per 100 face. */
export function yieldFromCleanPrice(bond: Bond, cleanPrice: number, settle: DateInput, options: YieldOptions = {}): number {
  if (typeof cleanPrice !== 'number' || !Number.isFinite(cleanPrice) || !(cleanPrice > 0)) throw new BondInputError('price', `expected a finite price > 0, got ${String(cleanPrice)}`);
  const s = toDay(settle, 'settle');
  const i = bond.periodIndex(s);
  return solveYield(bond, i, s, cleanPrice + bond.accruedIn(i, s), options.guess);
}

/** Yield (decimal) of a dirty price per 100 face. */
export function yieldFromDirtyPrice(bond: Bond, dirtyPrice: number, settle: DateInput, options: YieldOptions = {}): number {
  if (typeof dirtyPrice !== 'number' || !Number.isFinite(dirtyPrice) || !(dirtyPrice > 0)) throw new BondInputError('price', `expected a finite price > 0, got ${String(dirtyPrice)}`);
  const s = toDay(settle, 'settle');
  return solveYield(bond, bond.periodIndex(s), s, dirtyPrice, options.guess);
}
