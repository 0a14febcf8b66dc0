import { mulDivCeil, productLess, decimalRatio, type Ratio } from './int-math.ts';

/** Outcome of a margin check. */
export type MarginStatus = 'OK' | 'MARGIN_CALL' | 'LIQUIDATE';

/** A change of margin status recorded by `Account.checkMargin`. */
export interface MarginEvent {
  readonly time: number;
  readonly status: 'MARGIN_CALL' | 'LIQUIDATE';
  /** Equity, maintenance margin and initial margin in use at the time, cash units. */
  readonly equity: number;
  readonly maintenanceMargin: number;
  readonly marginUsed: number;
}

/** Margin options of a margin account (see docs/accounts.md). */
export interface MarginOptions {
  /** Leverage L: initial margin rate 1 / L (default 1). */
  leverage?: number;
  /** Initial margin rate (fraction of notional at the mark, default 1 / leverage); must agree with leverage if both are given. */
  initialMarginRate?: number;
  /** Maintenance margin rate (default half the initial rate). */
  maintenanceMarginRate?: number;
  /** Liquidation when equity < maintenance margin * liquidationFactor (default 0.5, in (0, 1]). */
  liquidationFactor?: number;
}

/**
 * Futures-style margin rules as exact rationals.
 * - initial margin of a position     = ceil(|marketValue| * initialRate)
 * - maintenance margin of a position = ceil(|marketValue| * maintenanceRate)
 * (both in cash units, rounded up: against the account). The account sums them over positions.
 * - status: LIQUIDATE when equity < maintenance * liquidationFactor (and a position is open),
 *   MARGIN_CALL when equity < maintenance, else OK.
 * Example: long 10 contracts marked at 100.00 with multiplier 50 (value $50,000), initial rate 0.1,
 * maintenance 0.05, factor 0.5: initial $5,000, maintenance $2,500; equity $2,000 -> MARGIN_CALL,
 * equity $1,000 -> LIQUIDATE ($1,000 < $1,250).
 */
export class MarginPolicy {
  readonly initialRate: Ratio;
  readonly maintenanceRate: Ratio;
  readonly liquidationFactor: Ratio;

  /** Validates the options; a RangeError names the bad field. */
  constructor(o: MarginOptions) {
    let initial: Ratio | undefined;
    if (o.leverage !== undefined) {
      if (!(o.leverage > 0) || !Number.isFinite(o.leverage)) throw new RangeError(`leverage must be a positive finite number, got ${o.leverage}`);
      const l = decimalRatio(o.leverage, 'leverage');
      initial = { num: l.den, den: l.num };
    }
    if (o.initialMarginRate !== undefined) {
      if (!(o.initialMarginRate > 0) || !Number.isFinite(o.initialMarginRate)) {
        throw new RangeError(`initialMarginRate must be a positive finite number, got ${o.initialMarginRate}`);
      }
      const r = decimalRatio(o.initialMarginRate, 'initialMarginRate');
      if (initial !== undefined && r.num * initial.den !== initial.num * r.den) {
        throw new RangeError(`initialMarginRate ${o.initialMarginRate} disagrees with leverage ${o.leverage} (1/leverage = ${initial.num / initial.den})`);
      }
      initial = r;
    }
    this.initialRate = initial ?? { num: 1, den: 1 };
    if (o.maintenanceMarginRate !== undefined) {
      if (!(o.maintenanceMarginRate > 0)) throw new RangeError(`maintenanceMarginRate must be > 0, got ${o.maintenanceMarginRate}`);
      this.maintenanceRate = decimalRatio(o.maintenanceMarginRate, 'maintenanceMarginRate');
      if (productLess(this.initialRate.num, this.maintenanceRate.den, this.maintenanceRate.num, this.initialRate.den)) {
        throw new RangeError(`maintenanceMarginRate ${o.maintenanceMarginRate} must not exceed the initial margin rate ${this.initialRate.num / this.initialRate.den}`);
      }
    } else {
      this.maintenanceRate = { num: this.initialRate.num, den: this.initialRate.den * 2 };
    }
    const f = o.liquidationFactor ?? 0.5;
    if (!(f > 0 && f <= 1)) throw new RangeError(`liquidationFactor must be in (0, 1], got ${f}`);
    this.liquidationFactor = decimalRatio(f, 'liquidationFactor');
  }

  /** Initial margin of a position with market value `value` (cash units); NaN on overflow. */
  initial(value: number): number {
    return mulDivCeil(value < 0 ? -value : value, this.initialRate.num, this.initialRate.den);
  }
  /** Maintenance margin of a position with market value `value` (cash units); NaN on overflow. */
  maintenance(value: number): number {
    return mulDivCeil(value < 0 ? -value : value, this.maintenanceRate.num, this.maintenanceRate.den);
  }

  /** Status for an equity and a total maintenance margin (cash units). */
  status(equity: number, maintenance: number, hasOpenPosition: boolean): MarginStatus {
    if (hasOpenPosition && productLess(equity, this.liquidationFactor.den, maintenance, this.liquidationFactor.num)) return 'LIQUIDATE';
    if (equity < maintenance) return 'MARGIN_CALL';
    return 'OK';
  }
}
