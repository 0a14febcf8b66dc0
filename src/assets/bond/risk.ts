import type { Bond } from './bond.ts';
import { toDay, type DateInput } from './civil-date.ts';
import { BondInputError } from './errors.ts';
import { evaluateYield, yieldFromCleanPrice } from './price-yield.ts';

/**
 * Price, yield and risk of a bond at one settlement date. Per 100 face; yield a decimal; durations
 * in years; convexity in years^2.
 *
 * - `macaulayDuration = sum_j (t_j / f) PV_j / dirty` (t_j in coupon periods);
 * - `modifiedDuration = -(1 / dirty) d dirty / dy = macaulay / (1 + y/f)`;
 * - `convexity = (1 / dirty) d^2 dirty / dy^2 = sum_j t_j (t_j + 1) PV_j / (f^2 (1 + y/f)^2 dirty)`;
 * - `dv01 = -d dirty / dy * 0.0001 = modifiedDuration * dirty / 10000`: the price change of 100 face
 *   for a one basis point fall in yield.
 *
 * In a simple-interest last period (`lastPeriod: 'simple'`): macaulay `w/f`, modified
 * `(w/f) / (1 + w y / f)`, convexity `2 (w/f)^2 / (1 + w y / f)^2`.
 */
export interface BondAnalytics {
  cleanPrice: number;
  dirtyPrice: number;
  accruedInterest: number;
  yield: number;
  macaulayDuration: number;
  modifiedDuration: number;
  convexity: number;
  dv01: number;
}

const scratch = new Float64Array(4);

/** Analytics at a given yield. */
export function analyticsFromYield(bond: Bond, y: number, settle: DateInput): BondAnalytics {
  if (typeof y !== 'number' || !Number.isFinite(y)) throw new BondInputError('yield', `expected a finite number, got ${String(y)}`);
  if (!(1 + y / bond.frequency > 0)) throw new BondInputError('yield', `must be greater than -${bond.frequency}, got ${y}`);
  const s = toDay(settle, 'settle');
  const i = bond.periodIndex(s);
  const w = bond.periodsToCoupon(i, s);
  evaluateYield(bond, i, w, y, scratch);
  const dirty = scratch[0]!;
  const dPdy = scratch[1]!;
  const accrued = bond.accruedIn(i, s);
  return {
    cleanPrice: dirty - accrued,
    dirtyPrice: dirty,
    accruedInterest: accrued,
    yield: y,
    macaulayDuration: scratch[2]! / (bond.frequency * dirty),
    modifiedDuration: -dPdy / dirty,
    convexity: scratch[3]! / dirty,
    dv01: -dPdy * 1e-4,
  };
}

/** Analytics at a given clean price (the yield solved first). */
export function analyticsFromCleanPrice(bond: Bond, cleanPrice: number, settle: DateInput): BondAnalytics {
  const y = yieldFromCleanPrice(bond, cleanPrice, settle);
  const a = analyticsFromYield(bond, y, settle);
  return { ...a, cleanPrice, dirtyPrice: cleanPrice + a.accruedInterest };
}
