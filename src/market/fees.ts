import type { Instrument } from './instrument.ts';

/** Whether a fill added liquidity (MAKER, a resting order) or took it (TAKER). */
export type Liquidity = 'MAKER' | 'TAKER';

/**
 * A fee model: the fee in cash units for one fill.
 * `notional` is the fill's value in cash units; `firstFill` is true for an order's first fill
 * (per-order fixed fees are charged once).
 */
export interface FeeModel {
  fee(instrument: Instrument, notional: number, liquidity: Liquidity, firstFill: boolean): number;
}

/** Options of `MakerTakerFees`; rates are fractions of notional (0.001 = 10 bp), amounts in cash units. */
export interface MakerTakerFeeOptions {
  makerRate?: number;
  takerRate?: number;
  /** Fixed fee per order, charged on its first fill, cash units. */
  perOrder?: number;
  /** Minimum fee per fill, cash units (applied when the fill's fee would be below it). */
  minimum?: number;
}

/**
 * Maker/taker fee model. Assumption: fee = max(minimum, round(notional * rate)) + perOrder on the
 * first fill, rounded half away from zero to the cash unit. Example: notional $10,000.00 (1,000,000
 * cents), taker rate 0.001, minimum $1 (100 cents), perOrder 0: fee = 1,000 cents = $10.00.
 * A negative maker rate (a rebate) gives a negative fee and no minimum.
 */
export class MakerTakerFees implements FeeModel {
  readonly makerRate: number;
  readonly takerRate: number;
  readonly perOrder: number;
  readonly minimum: number;
  constructor(o: MakerTakerFeeOptions = {}) {
    this.makerRate = o.makerRate ?? 0;
    this.takerRate = o.takerRate ?? 0;
    this.perOrder = o.perOrder ?? 0;
    this.minimum = o.minimum ?? 0;
    for (const [k, v] of Object.entries({ makerRate: this.makerRate, takerRate: this.takerRate, perOrder: this.perOrder, minimum: this.minimum })) {
      if (!Number.isFinite(v)) throw new RangeError(`fee ${k} must be a finite number, got ${v}`);
    }
    if (this.perOrder < 0 || this.minimum < 0) throw new RangeError('fee perOrder and minimum must be >= 0');
  }
  fee(_instrument: Instrument, notional: number, liquidity: Liquidity, firstFill: boolean): number {
    const rate = liquidity === 'MAKER' ? this.makerRate : this.takerRate;
    const raw = notional * rate;
    let f = Math.sign(raw) * Math.round(Math.abs(raw));
    if (f >= 0 && f < this.minimum) f = this.minimum;
    return f + (firstFill ? this.perOrder : 0);
  }
}

/** No fees at all. */
export const noFees: FeeModel = { fee: () => 0 };
