import { ConfigError } from '../../core/errors.ts';

/**
 * Prepayment speeds of mortgage pools.
 *
 * CPR (conditional prepayment rate) is annual; SMM (single monthly mortality) is its monthly
 * equivalent: SMM = 1 - (1 - CPR)^(1/12), CPR = 1 - (1 - SMM)^12.
 *
 * PSA standard prepayment model (Public Securities Association, 1985): 100% PSA is a CPR of 0.2% in
 * month 1 of a loan's age, rising by 0.2% a month to 6% at month 30, and 6% after; x% PSA scales
 * the whole curve by x / 100. CPR(age) = 0.06 * min(age, 30) / 30 * speed / 100 for age >= 1.
 * (Fabozzi, Bond Markets, Analysis and Strategies, chapter on agency mortgage pass-throughs.)
 *
 * Refinancing-incentive model (an S-curve, documented in docs/bond-dynamics.md). With incentive
 * I = WAC - current mortgage rate (decimal; > 0 when borrowers can refinance at a lower rate):
 *
 *     CPR = ramp(age) * (turnoverCpr + maxRefiCpr / (1 + exp(-(I - midpoint) / width)))
 *     ramp(age) = min(age, rampMonths) / rampMonths
 *
 * capped at `maxCpr`. Defaults: turnover 6% (100% PSA's plateau: housing turnover), maxRefiCpr 45%,
 * midpoint 100 bp, width 25 bp, ramp 30 months, cap 95% (illustrative shape: prepayments are slow
 * out of the money, rise steeply around 50-150 bp of incentive and saturate, as in Richard and Roll
 * 1989, "Prepayments on fixed-rate mortgage-backed securities", JPM 15(3)). Deep out of the money the
 * model tends to 100% PSA (turnover only).
 */

/** Monthly SMM from an annual CPR in [0, 1]. */
export function cprToSmm(cpr: number): number {
  if (!(cpr >= 0 && cpr <= 1)) throw new RangeError(`CPR must be in [0, 1], got ${cpr}`);
  return -Math.expm1(Math.log1p(-cpr) / 12);
}

/** Annual CPR from a monthly SMM in [0, 1]. */
export function smmToCpr(smm: number): number {
  if (!(smm >= 0 && smm <= 1)) throw new RangeError(`SMM must be in [0, 1], got ${smm}`);
  return -Math.expm1(12 * Math.log1p(-smm));
}

/** CPR of the PSA model at a loan age in months (>= 0; age 0 gives 0) and a speed in percent (>= 0). */
export function psaCpr(ageMonths: number, speedPct = 100): number {
  if (!(ageMonths >= 0) || !Number.isFinite(ageMonths)) throw new RangeError(`loan age must be >= 0 months, got ${ageMonths}`);
  if (!(speedPct >= 0) || !Number.isFinite(speedPct)) throw new RangeError(`PSA speed must be >= 0 percent, got ${speedPct}`);
  const cpr = ((6 * Math.min(ageMonths, 30)) / 30 / 100) * (speedPct / 100); // percent first: exact at the plateau
  if (cpr > 1) throw new RangeError(`PSA speed ${speedPct}% gives a CPR above 100% at age ${ageMonths}`);
  return cpr;
}

/** A prepayment model: the SMM of a month given the loan age in that month. */
export interface PrepaymentModel {
  /** SMM for cash-flow month `month` (1-based) when the loans are `ageMonths` old in that month. */
  smm(month: number, ageMonths: number): number;
}

/** The PSA model at a speed (percent). */
export class PsaPrepayment implements PrepaymentModel {
  constructor(readonly speedPct = 100) {
    if (!(speedPct >= 0) || !Number.isFinite(speedPct)) throw new ConfigError([{ path: 'prepayment.psa', message: `must be >= 0, got ${speedPct}` }], 'prepayment model');
  }
  smm(_month: number, ageMonths: number): number {
    return cprToSmm(psaCpr(ageMonths, this.speedPct));
  }
}

/** A constant CPR. */
export class ConstantCpr implements PrepaymentModel {
  private readonly value: number;
  constructor(readonly cpr: number) {
    if (!(cpr >= 0 && cpr <= 1)) throw new ConfigError([{ path: 'prepayment.cpr', message: `must be in [0, 1], got ${cpr}` }], 'prepayment model');
    this.value = cprToSmm(cpr);
  }
  smm(): number {
    return this.value;
  }
}

/** Parameters of `RefinancingPrepayment`. */
export interface RefinancingParams {
  /** The pool's weighted-average coupon (decimal). */
  wac: number;
  /** Prevailing mortgage rate (decimal) in cash-flow month `month` (1-based). */
  mortgageRate: (month: number) => number;
  /** Base (turnover) CPR, default 0.06. */
  turnoverCpr?: number;
  /** Maximum extra CPR from refinancing, default 0.45. */
  maxRefiCpr?: number;
  /** Incentive (decimal) at the S-curve's midpoint, default 0.01. */
  midpoint?: number;
  /** Width of the S-curve (decimal), default 0.0025. */
  width?: number;
  /** Seasoning ramp in months, default 30. */
  rampMonths?: number;
  /** Cap on the CPR, default 0.95. */
  maxCpr?: number;
}

/** The refinancing-incentive S-curve model (see the module comment). */
export class RefinancingPrepayment implements PrepaymentModel {
  readonly wac: number;
  readonly turnoverCpr: number;
  readonly maxRefiCpr: number;
  readonly midpoint: number;
  readonly width: number;
  readonly rampMonths: number;
  readonly maxCpr: number;
  private readonly rate: (month: number) => number;

  constructor(p: RefinancingParams) {
    this.wac = p.wac;
    this.rate = p.mortgageRate;
    this.turnoverCpr = p.turnoverCpr ?? 0.06;
    this.maxRefiCpr = p.maxRefiCpr ?? 0.45;
    this.midpoint = p.midpoint ?? 0.01;
    this.width = p.width ?? 0.0025;
    this.rampMonths = p.rampMonths ?? 30;
    this.maxCpr = p.maxCpr ?? 0.95;
    const issues: { path: string; message: string }[] = [];
    const chk = (f: string, v: number, ok: boolean, rule: string): void => {
      if (typeof v !== 'number' || !Number.isFinite(v) || !ok) issues.push({ path: `prepayment.${f}`, message: `${rule}, got ${JSON.stringify(v)}` });
    };
    chk('wac', this.wac, this.wac >= 0, 'must be a decimal >= 0');
    chk('turnoverCpr', this.turnoverCpr, this.turnoverCpr >= 0 && this.turnoverCpr <= 1, 'must be in [0, 1]');
    chk('maxRefiCpr', this.maxRefiCpr, this.maxRefiCpr >= 0 && this.maxRefiCpr <= 1, 'must be in [0, 1]');
    chk('midpoint', this.midpoint, true, 'must be finite');
    chk('width', this.width, this.width > 0, 'must be > 0');
    chk('rampMonths', this.rampMonths, this.rampMonths > 0, 'must be > 0');
    chk('maxCpr', this.maxCpr, this.maxCpr > 0 && this.maxCpr <= 1, 'must be in (0, 1]');
    if (typeof p.mortgageRate !== 'function') issues.push({ path: 'prepayment.mortgageRate', message: 'must be a function of the month' });
    if (issues.length > 0) throw new ConfigError(issues, 'refinancing prepayment model');
  }

  /** The CPR in a month at a loan age. */
  cpr(month: number, ageMonths: number): number {
    const r = this.rate(month);
    if (!Number.isFinite(r)) throw new RangeError(`mortgage rate in month ${month} is not finite: ${r}`);
    const incentive = this.wac - r;
    const refi = this.maxRefiCpr / (1 + Math.exp(-(incentive - this.midpoint) / this.width));
    const ramp = Math.min(Math.max(ageMonths, 0), this.rampMonths) / this.rampMonths;
    return Math.min(this.maxCpr, ramp * (this.turnoverCpr + refi));
  }

  smm(month: number, ageMonths: number): number {
    return cprToSmm(this.cpr(month, ageMonths));
  }
}
