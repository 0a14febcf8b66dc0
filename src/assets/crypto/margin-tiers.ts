import { MarketsimError } from '../../core/errors.ts';
import { RATE_ONE } from './fee-tiers.ts';

/**
 * Maintenance-margin tiers (Binance "leverage brackets"): a position's notional (at the mark) falls in
 * one bracket, which sets the maximum leverage, the maintenance margin rate and the maintenance amount:
 *   maintenance margin = notional x maintRate - maintAmount.
 * The maintenance amount makes the margin continuous across brackets:
 *   maintAmount[i] = maintAmount[i-1] + floor[i] x (maintRate[i] - maintRate[i-1]).
 */

/** One bracket. Notional bounds and the maintenance amount in whole units of the margin asset. */
export interface LeverageBracket {
  /** Notional lower bound, inclusive. */
  floor: number;
  /** Notional upper bound, exclusive (Infinity for the last). */
  cap: number;
  maxLeverage: number;
  /** Maintenance margin rate, rate units of 1e-8 (0.4% = 400,000). */
  maintRate: number;
  /** Maintenance amount (Binance `cum`), whole units of the margin asset. */
  maintAmount: number;
}

/**
 * Binance USDⓈ-M BTCUSDT leverage brackets (source: binance.com/en/futures/trading-rules/perpetual/leverage-margin,
 * as published in 2023; Binance changes them from time to time). Notional in USDT.
 */
export const BINANCE_BTCUSDT_BRACKETS: readonly LeverageBracket[] = [
  { floor: 0, cap: 50_000, maxLeverage: 125, maintRate: 400_000, maintAmount: 0 },
  { floor: 50_000, cap: 500_000, maxLeverage: 100, maintRate: 500_000, maintAmount: 50 },
  { floor: 500_000, cap: 8_000_000, maxLeverage: 50, maintRate: 1_000_000, maintAmount: 2_550 },
  { floor: 8_000_000, cap: 50_000_000, maxLeverage: 20, maintRate: 2_500_000, maintAmount: 122_550 },
  { floor: 50_000_000, cap: 80_000_000, maxLeverage: 10, maintRate: 5_000_000, maintAmount: 1_372_550 },
  { floor: 80_000_000, cap: 100_000_000, maxLeverage: 5, maintRate: 10_000_000, maintAmount: 5_372_550 },
  { floor: 100_000_000, cap: 120_000_000, maxLeverage: 4, maintRate: 12_500_000, maintAmount: 7_872_550 },
  { floor: 120_000_000, cap: 200_000_000, maxLeverage: 3, maintRate: 15_000_000, maintAmount: 10_872_550 },
  { floor: 200_000_000, cap: 300_000_000, maxLeverage: 2, maintRate: 25_000_000, maintAmount: 30_872_550 },
  { floor: 300_000_000, cap: Infinity, maxLeverage: 1, maintRate: 50_000_000, maintAmount: 105_872_550 },
];

/** Why a leverage setting or an order is refused by the brackets. */
export type BracketRejectReason = 'LEVERAGE_ABOVE_TIER_MAX';

/** A validated bracket table, with lookups in margin-asset base units. */
export class MarginTiers {
  readonly brackets: readonly LeverageBracket[];
  /** Decimal digits of the margin asset's base unit (USDT 6 or 8). */
  readonly marginPrecision: number;
  private readonly scale: number;

  /** Validates contiguity, decreasing leverage, increasing rates and the maintenance-amount rule; `BRACKETS_INVALID` names the bracket. */
  constructor(brackets: readonly LeverageBracket[] = BINANCE_BTCUSDT_BRACKETS, marginPrecision = 6) {
    if (brackets.length === 0) throw new MarketsimError('BRACKETS_INVALID', 'leverage brackets: the table is empty');
    for (let i = 0; i < brackets.length; i++) {
      const b = brackets[i]!;
      const bad = (m: string): never => {
        throw new MarketsimError('BRACKETS_INVALID', `leverage brackets[${i}]: ${m}`);
      };
      if (i === 0 && b.floor !== 0) bad('the first bracket must start at notional 0');
      if (i > 0 && b.floor !== brackets[i - 1]!.cap) bad(`floor ${b.floor} must equal the previous cap ${brackets[i - 1]!.cap}`);
      if (!(b.cap > b.floor)) bad('cap must exceed floor');
      if (!(b.maxLeverage >= 1) || !Number.isInteger(b.maxLeverage)) bad('maxLeverage must be an integer >= 1');
      if (!Number.isSafeInteger(b.maintRate) || b.maintRate <= 0 || b.maintRate > RATE_ONE) bad('maintRate must be integer rate units in (0, 1e8]');
      if (i > 0) {
        const p = brackets[i - 1]!;
        if (b.maxLeverage > p.maxLeverage) bad('maxLeverage must not increase');
        if (b.maintRate < p.maintRate) bad('maintRate must not decrease');
        const expect = p.maintAmount + (b.floor * (b.maintRate - p.maintRate)) / RATE_ONE;
        if (Math.abs(expect - b.maintAmount) > 1e-9 * Math.max(1, expect)) bad(`maintAmount ${b.maintAmount} breaks continuity (expected ${expect})`);
      } else if (b.maintAmount !== 0) bad('the first maintAmount must be 0');
    }
    if (!Number.isInteger(marginPrecision) || marginPrecision < 0 || marginPrecision > 12) throw new MarketsimError('BRACKETS_INVALID', `marginPrecision must be in 0..12, got ${marginPrecision}`);
    this.brackets = brackets;
    this.marginPrecision = marginPrecision;
    this.scale = 10 ** marginPrecision;
  }

  /** The bracket of a notional given in margin base units (absolute value). */
  bracket(notionalUnits: number): LeverageBracket {
    const n = Math.abs(notionalUnits) / this.scale;
    let i = 0;
    while (i < this.brackets.length - 1 && n >= this.brackets[i]!.cap) i++;
    return this.brackets[i]!;
  }

  /** Maximum leverage for a position of that notional (margin base units). */
  maxLeverage(notionalUnits: number): number {
    return this.bracket(notionalUnits).maxLeverage;
  }

  /** 'LEVERAGE_ABOVE_TIER_MAX' when `leverage` exceeds the bracket's maximum for the notional (or is not an integer >= 1). */
  checkLeverage(leverage: number, notionalUnits: number): BracketRejectReason | undefined {
    if (!Number.isInteger(leverage) || leverage < 1) return 'LEVERAGE_ABOVE_TIER_MAX';
    return leverage > this.maxLeverage(notionalUnits) ? 'LEVERAGE_ABOVE_TIER_MAX' : undefined;
  }

  /** Maintenance margin in margin base units: ceil(notional x maintRate) - maintAmount (exact, rounded up against the trader). */
  maintenance(notionalUnits: number): number {
    const n = Math.abs(notionalUnits);
    const b = this.bracket(n);
    const big = BigInt(n) * BigInt(b.maintRate);
    const R = BigInt(RATE_ONE);
    const mm = (big + R - 1n) / R - BigInt(Math.round(b.maintAmount * this.scale));
    return Number(mm);
  }
}
