import { MarketsimError } from '../../core/errors.ts';
import type { Instrument } from '../../market/instrument.ts';
import type { FeeModel, Liquidity } from '../../market/fees.ts';
import { divRound, mulDiv, bigToSafe, type Rounding } from './int.ts';

/**
 * Maker/taker fee tiers by 30-day trading volume, a rolling 30-day volume, and fees charged in the
 * quote asset or in a fee token (BNB-style, with a discount, converted at the current price).
 * Rates are integers in "rate units" of 1e-8 (0.1% = 100,000; 0.042% = 42,000).
 */

/** 1 in rate units (rates are integers of 1e-8). */
export const RATE_ONE = 100_000_000;

/** One fee tier: applies when the 30-day volume is at least `minVolume` (in the volume unit of the table). */
export interface FeeTier {
  name: string;
  /** Lower bound of the 30-day volume, inclusive, in the table's volume units. */
  minVolume: number;
  /** Maker rate, rate units (1e-8); may be negative (a rebate). */
  maker: number;
  /** Taker rate, rate units (1e-8). */
  taker: number;
}

/**
 * Binance spot regular-user VIP 0..9 (source: binance.com/en/fee/schedule, spot, as published in 2023;
 * the BNB holding requirements of each tier are not modelled). Volume in whole USD.
 * Rates: VIP0 0.1000%/0.1000% ... VIP9 0.0120%/0.0240% (maker/taker).
 */
export const BINANCE_SPOT_VIP_TIERS: readonly FeeTier[] = [
  { name: 'VIP0', minVolume: 0, maker: 100_000, taker: 100_000 },
  { name: 'VIP1', minVolume: 1_000_000, maker: 90_000, taker: 100_000 },
  { name: 'VIP2', minVolume: 5_000_000, maker: 80_000, taker: 100_000 },
  { name: 'VIP3', minVolume: 20_000_000, maker: 42_000, taker: 60_000 },
  { name: 'VIP4', minVolume: 100_000_000, maker: 42_000, taker: 54_000 },
  { name: 'VIP5', minVolume: 150_000_000, maker: 36_000, taker: 48_000 },
  { name: 'VIP6', minVolume: 400_000_000, maker: 30_000, taker: 42_000 },
  { name: 'VIP7', minVolume: 800_000_000, maker: 24_000, taker: 36_000 },
  { name: 'VIP8', minVolume: 2_000_000_000, maker: 18_000, taker: 30_000 },
  { name: 'VIP9', minVolume: 4_000_000_000, maker: 12_000, taker: 24_000 },
];

/** A tier table: tiers sorted by `minVolume`, the first starting at 0. */
export class FeeTierTable {
  readonly tiers: readonly FeeTier[];
  /** Validates: non-empty, first minVolume 0, strictly increasing bounds, integer rates; `CONFIG_INVALID`-style `FEE_TIERS_INVALID` naming the tier. */
  constructor(tiers: readonly FeeTier[] = BINANCE_SPOT_VIP_TIERS) {
    if (tiers.length === 0) throw new MarketsimError('FEE_TIERS_INVALID', 'fee tiers: the table is empty');
    for (let i = 0; i < tiers.length; i++) {
      const t = tiers[i]!;
      const where = `fee tiers[${i}] (${t.name})`;
      if (i === 0 && t.minVolume !== 0) throw new MarketsimError('FEE_TIERS_INVALID', `${where}: the first tier must start at minVolume 0`);
      if (i > 0 && !(t.minVolume > tiers[i - 1]!.minVolume)) throw new MarketsimError('FEE_TIERS_INVALID', `${where}: minVolume must increase`);
      if (!Number.isSafeInteger(t.maker) || !Number.isSafeInteger(t.taker)) throw new MarketsimError('FEE_TIERS_INVALID', `${where}: maker and taker must be integer rate units of 1e-8`);
      if (t.taker < 0) throw new MarketsimError('FEE_TIERS_INVALID', `${where}: taker rate must be >= 0`);
    }
    this.tiers = tiers;
  }
  /** Index of the tier for a 30-day volume (the last tier whose minVolume <= volume). */
  tierIndex(volume: number): number {
    let i = this.tiers.length - 1;
    while (i > 0 && this.tiers[i]!.minVolume > volume) i--;
    return i;
  }
}

const DAY = 86_400_000_000;

/**
 * Trading volume over a rolling window (default 30 days), in a caller-chosen unit (e.g. whole USD or
 * USD cents). `mode`:
 * - `daily` (default, Binance's rule): the volume of the last `days` complete UTC days before the
 *   current day (the tier changes once a day, at 00:00 UTC);
 * - `continuous`: the volume in (t - days * 24 h, t].
 * Times must not go backwards (`TIME_BACKWARDS`). Daily mode keeps one bucket per day (a ring).
 */
export class RollingVolume {
  readonly days: number;
  readonly mode: 'daily' | 'continuous';
  private readonly dayVol: number[];
  private lastDay = -Infinity;
  private lastTime = -Infinity;
  private readonly times: number[] = [];
  private readonly vols: number[] = [];
  private head = 0;
  private sum = 0;

  constructor(days = 30, mode: 'daily' | 'continuous' = 'daily') {
    if (!Number.isInteger(days) || days < 1) throw new RangeError(`RollingVolume: days must be a positive integer, got ${days}`);
    this.days = days;
    this.mode = mode;
    this.dayVol = new Array<number>(days + 1).fill(0);
  }

  /** Adds a trade's volume at `time` (microseconds). */
  record(time: number, volume: number): void {
    if (!(volume >= 0) || !Number.isFinite(volume)) throw new MarketsimError('VOLUME_INVALID', `RollingVolume.record: volume must be a finite number >= 0, got ${volume}`);
    this.advance(time);
    if (this.mode === 'daily') {
      const d = Math.floor(time / DAY);
      this.dayVol[d % (this.days + 1)]! += volume;
    } else {
      this.times.push(time);
      this.vols.push(volume);
      this.sum += volume;
    }
  }

  /** The window's volume at `time` (see `mode`). */
  volume(time: number): number {
    this.advance(time);
    if (this.mode === 'daily') {
      const today = Math.floor(time / DAY);
      let s = 0;
      for (let k = 1; k <= this.days; k++) s += this.dayVol[(today - k) % (this.days + 1)]!;
      return s;
    }
    return this.sum;
  }

  private advance(time: number): void {
    if (!Number.isSafeInteger(time)) throw new MarketsimError('TIME_INVALID', `RollingVolume: time must be integer microseconds, got ${time}`);
    if (time < this.lastTime) throw new MarketsimError('TIME_BACKWARDS', `RollingVolume: time ${time} is before ${this.lastTime}`);
    this.lastTime = time;
    if (this.mode === 'daily') {
      const d = Math.floor(time / DAY);
      if (this.lastDay === -Infinity) this.lastDay = d;
      // clear the buckets of the days skipped since the last call (they restart from zero)
      const n = Math.min(d - this.lastDay, this.days + 1);
      for (let k = 1; k <= n; k++) this.dayVol[(d - n + k) % (this.days + 1)] = 0;
      this.lastDay = d;
      return;
    }
    const cut = time - this.days * DAY;
    while (this.head < this.times.length && this.times[this.head]! <= cut) {
      this.sum -= this.vols[this.head]!;
      this.head++;
    }
    if (this.head === this.times.length) this.sum = 0; // no drift once empty
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head);
      this.vols.splice(0, this.head);
      this.head = 0;
    }
  }
}

/** A price of the fee token in the quote asset: `units` of 10^-precision quote per one whole token. */
export interface TokenPrice {
  units: number;
  precision: number;
}

/** A fee to charge. */
export interface FeeCharge {
  /** Asset the fee is paid in (the quote asset or the fee token). */
  asset: string;
  /** Base units of `asset` (negative for a maker rebate). */
  amount: number;
  /** Rate applied, rate units (after any fee-token discount). */
  rate: number;
  /** Tier name. */
  tier: string;
}

/** Options of `TieredFees`. */
export interface TieredFeeOptions {
  table?: FeeTierTable;
  volume?: RollingVolume;
  /** Fee token (e.g. `BNB`) and its discount in rate units of the fee (25% = 25,000,000). When set and `payInFeeToken`, fees are charged in it. */
  feeToken?: { asset: string; precision: number; discount: number };
  payInFeeToken?: boolean;
  /** Rounding of fee amounts to base units (default `half`: half away from zero). */
  rounding?: Rounding;
}

/**
 * Fees by tier: rate = the tier's maker or taker rate at the current 30-day volume.
 * In the quote asset: fee = round(quoteAmount * rate / 1e8).
 * In the fee token: fee = round(quoteAmount * rate * (1 - discount) / tokenPrice), converted exactly
 * to the token's base units. Also a `FeeModel` (market/fees.ts) charging in the quote asset at the
 * time set by `setTime` (the engine sets it before each fill).
 */
export class TieredFees implements FeeModel {
  readonly table: FeeTierTable;
  readonly volume: RollingVolume;
  readonly feeToken: { asset: string; precision: number; discount: number } | undefined;
  readonly payInFeeToken: boolean;
  readonly rounding: Rounding;
  private now = 0;

  constructor(o: TieredFeeOptions = {}) {
    this.table = o.table ?? new FeeTierTable();
    this.volume = o.volume ?? new RollingVolume();
    this.feeToken = o.feeToken;
    this.payInFeeToken = o.payInFeeToken ?? false;
    this.rounding = o.rounding ?? 'half';
    if (this.payInFeeToken && this.feeToken === undefined) throw new MarketsimError('FEE_CONFIG_INVALID', 'TieredFees: payInFeeToken needs feeToken');
    const d = this.feeToken?.discount ?? 0;
    if (!Number.isSafeInteger(d) || d < 0 || d > RATE_ONE) throw new MarketsimError('FEE_CONFIG_INVALID', `TieredFees: feeToken.discount must be integer rate units in 0..1e8, got ${d}`);
  }

  /** The tier in force at `time`. */
  tier(time: number): FeeTier {
    return this.table.tiers[this.table.tierIndex(this.volume.volume(time))]!;
  }

  /** The rate (rate units) for a fill at `time`. */
  rate(time: number, liquidity: Liquidity): number {
    const t = this.tier(time);
    return liquidity === 'MAKER' ? t.maker : t.taker;
  }

  /** Fee in the quote asset for `quoteAmount` base units. */
  quoteFee(time: number, liquidity: Liquidity, quoteAsset: string, quoteAmount: number): FeeCharge {
    const t = this.tier(time);
    const rate = liquidity === 'MAKER' ? t.maker : t.taker;
    const amount = mulDiv(quoteAmount, rate, RATE_ONE, this.rounding);
    if (amount !== amount) throw new MarketsimError('FEE_OVERFLOW', `TieredFees: fee on ${quoteAmount} ${quoteAsset} base units exceeds 2^53`);
    return { asset: quoteAsset, amount, rate, tier: t.name };
  }

  /**
   * Fee in the fee token: quoteAmount (base units of a quote with `quotePrecision`) * rate * (1 - discount),
   * divided by the token's price in the quote, in the token's base units.
   * Example: 570.0001 USDT (570,000,100 at precision 6), VIP0 taker 0.1%, 25% discount, BNB at 400.00 USDT:
   * 0.427500075 USDT / 400 = 0.0010687501875 BNB -> 106,875 (1e-8 BNB, rounded half away).
   */
  tokenFee(time: number, liquidity: Liquidity, quoteAmount: number, quotePrecision: number, tokenPrice: TokenPrice): FeeCharge {
    const tok = this.feeToken;
    if (tok === undefined) throw new MarketsimError('FEE_CONFIG_INVALID', 'TieredFees.tokenFee: no feeToken configured');
    if (!(tokenPrice.units > 0)) throw new MarketsimError('PRICE_MISSING', `TieredFees.tokenFee: the price of ${tok.asset} must be > 0, got ${tokenPrice.units}`);
    const t = this.tier(time);
    const base = liquidity === 'MAKER' ? t.maker : t.taker;
    const num = BigInt(quoteAmount) * BigInt(base) * BigInt(RATE_ONE - tok.discount) * 10n ** BigInt(tok.precision + tokenPrice.precision);
    const den = BigInt(RATE_ONE) * BigInt(RATE_ONE) * 10n ** BigInt(quotePrecision) * BigInt(tokenPrice.units);
    const amount = bigToSafe(divRound(num, den, this.rounding));
    if (amount !== amount) throw new MarketsimError('FEE_OVERFLOW', 'TieredFees.tokenFee: fee exceeds 2^53 base units');
    return { asset: tok.asset, amount, rate: mulDiv(base, RATE_ONE - tok.discount, RATE_ONE, this.rounding), tier: t.name };
  }

  /** The configured charge: in the fee token when `payInFeeToken` (needs `tokenPrice`), else in the quote asset. */
  charge(time: number, liquidity: Liquidity, quoteAsset: string, quoteAmount: number, quotePrecision: number, tokenPrice?: TokenPrice): FeeCharge {
    if (this.payInFeeToken) {
      if (tokenPrice === undefined) throw new MarketsimError('PRICE_MISSING', `TieredFees.charge: fees are paid in ${this.feeToken!.asset} but no ${this.feeToken!.asset}/${quoteAsset} price was given`);
      return this.tokenFee(time, liquidity, quoteAmount, quotePrecision, tokenPrice);
    }
    return this.quoteFee(time, liquidity, quoteAsset, quoteAmount);
  }

  /** Sets the time used by the `FeeModel` interface (the engine calls it before each fill). */
  setTime(time: number): void {
    this.now = time;
  }

  /** `FeeModel`: fee in cash units of `notional` at the tier in force at `setTime`'s time (quote asset). */
  fee(_instrument: Instrument, notional: number, liquidity: Liquidity, _firstFill: boolean): number {
    return mulDiv(notional, this.rate(this.now, liquidity), RATE_ONE, this.rounding);
  }
}
