import { ConfigError } from '../../core/errors.ts';
import { checkFinite } from '../../core/param-check.ts';
import type { PrepaymentModel } from './mbs-prepayment.ts';

/**
 * The monthly cash-flow table of an agency pass-through (Fabozzi, Bond Markets, Analysis and
 * Strategies, "Monthly cash flow construction" for a $400 million 7.5% pass-through with WAC 8.125%
 * and WAM 357 months at 100 PSA). For month k with beginning balance B, n = WAM - k + 1 months left,
 * i = WAC / 12 and SMM from the prepayment model at loan age = age0 + k:
 *
 *     mortgage payment   MP = B i / (1 - (1 + i)^-n)              (level payment on WAC and remaining term)
 *     gross interest     GI = B i
 *     scheduled principal SP = MP - GI                             (the whole balance in the last month)
 *     net interest       NI = B (WAC - servicing fee) / 12        (at the pass-through rate)
 *     prepayment         PP = SMM (B - SP)
 *     total principal    = SP + PP,   cash flow = NI + SP + PP,   ending balance = B - SP - PP
 *
 * Money is held in integer cents: MP, GI, NI and PP are each rounded half-up to the cent, SP = MP - GI,
 * and the rounded ending balance is carried to the next month, the way a hand computation to the
 * cent proceeds. So balances are never negative and principal sums to the original balance exactly.
 */

/** A pass-through pool. */
export interface PassThroughPool {
  /** Current pool balance in currency units (at most 2 decimals), > 0. */
  balance: number;
  /** Weighted-average coupon of the mortgages, decimal (0.08125). */
  wac: number;
  /** Pass-through (net) rate, decimal; default WAC - servicingFee. */
  passThroughRate?: number;
  /** Servicing and guarantee fee, decimal (used when passThroughRate is not given; default 0). */
  servicingFee?: number;
  /** Weighted-average remaining maturity in months (integer >= 1). */
  wam: number;
  /** Loan age in months before the first cash-flow month (default originalTerm - wam, never < 0). */
  ageMonths?: number;
  /** Original term in months for the default age (default 360). */
  originalTerm?: number;
}

/** One row of the table; money in currency units rounded to the cent. */
export interface CashFlowRow {
  month: number;
  /** Loan age in this month (drives PSA). */
  ageMonths: number;
  beginningBalance: number;
  smm: number;
  mortgagePayment: number;
  grossInterest: number;
  netInterest: number;
  servicingFee: number;
  scheduledPrincipal: number;
  prepayment: number;
  totalPrincipal: number;
  cashFlow: number;
  endingBalance: number;
}

/** Rounds a non-negative amount of cents half-up to an integer. */
function halfUp(x: number): number {
  return Math.round(x);
}

/** Validates a pool; throws ConfigError naming `path.field`. */
export function checkPool(pool: PassThroughPool, path = 'pool'): void {
  const issues: { path: string; message: string }[] = [];
  const fin = (f: string, v: unknown): v is number => checkFinite(issues, `${path}.${f}`, v);
  if (fin('balance', pool.balance)) {
    if (!(pool.balance > 0)) issues.push({ path: `${path}.balance`, message: `must be > 0, got ${pool.balance}` });
    else if (Math.abs(pool.balance * 100 - Math.round(pool.balance * 100)) > 1e-6) issues.push({ path: `${path}.balance`, message: `must be whole cents, got ${pool.balance}` });
  }
  if (fin('wac', pool.wac) && !(pool.wac >= 0 && pool.wac < 1)) issues.push({ path: `${path}.wac`, message: `must be a decimal in [0, 1), got ${pool.wac}` });
  if (fin('wam', pool.wam) && !(Number.isInteger(pool.wam) && pool.wam >= 1)) issues.push({ path: `${path}.wam`, message: `must be an integer >= 1 month, got ${pool.wam}` });
  if (pool.passThroughRate !== undefined && fin('passThroughRate', pool.passThroughRate) && !(pool.passThroughRate >= 0 && pool.passThroughRate <= pool.wac)) {
    issues.push({ path: `${path}.passThroughRate`, message: `must be in [0, wac], got ${pool.passThroughRate}` });
  }
  if (pool.servicingFee !== undefined && fin('servicingFee', pool.servicingFee) && !(pool.servicingFee >= 0 && pool.servicingFee <= pool.wac)) {
    issues.push({ path: `${path}.servicingFee`, message: `must be in [0, wac], got ${pool.servicingFee}` });
  }
  if (pool.ageMonths !== undefined && fin('ageMonths', pool.ageMonths) && !(Number.isInteger(pool.ageMonths) && pool.ageMonths >= 0)) {
    issues.push({ path: `${path}.ageMonths`, message: `must be an integer >= 0, got ${pool.ageMonths}` });
  }
  if (issues.length > 0) throw new ConfigError(issues, 'pass-through pool');
}

/**
 * The full cash-flow table until the balance is zero (at most WAM rows). Money in currency units
 * rounded to the cent (computed in integer cents, see the module comment).
 */
export function passThroughCashFlows(pool: PassThroughPool, prepayment: PrepaymentModel): CashFlowRow[] {
  checkPool(pool);
  const i = pool.wac / 12;
  const net = (pool.passThroughRate ?? pool.wac - (pool.servicingFee ?? 0)) / 12;
  const age0 = pool.ageMonths ?? Math.max(0, (pool.originalTerm ?? 360) - pool.wam);
  let b = Math.round(pool.balance * 100); // cents
  const rows: CashFlowRow[] = [];
  for (let k = 1; k <= pool.wam && b > 0; k++) {
    const n = pool.wam - k + 1;
    const age = age0 + k;
    const smm = prepayment.smm(k, age);
    if (!(smm >= 0 && smm <= 1)) throw new RangeError(`prepayment model gave SMM ${smm} in month ${k} (must be in [0, 1])`);
    const gi = halfUp(b * i);
    let mp: number;
    let sp: number;
    if (n === 1) {
      sp = b;
      mp = b + gi;
    } else {
      mp = i === 0 ? halfUp(b / n) : halfUp((b * i) / -Math.expm1(-n * Math.log1p(i)));
      sp = Math.min(b, mp - gi);
    }
    const ni = halfUp(b * net);
    const pp = Math.min(b - sp, halfUp(smm * (b - sp)));
    const end = b - sp - pp;
    rows.push({
      month: k,
      ageMonths: age,
      beginningBalance: b / 100,
      smm,
      mortgagePayment: mp / 100,
      grossInterest: gi / 100,
      netInterest: ni / 100,
      servicingFee: (gi - ni) / 100,
      scheduledPrincipal: sp / 100,
      prepayment: pp / 100,
      totalPrincipal: (sp + pp) / 100,
      cashFlow: (ni + sp + pp) / 100,
      endingBalance: end / 100,
    });
    b = end;
  }
  return rows;
}
