import type { Instrument } from '../market/instrument.ts';
import { pow10 } from '../core/fixed-point.ts';
import { MarketsimError } from '../core/errors.ts';
import { decimalRatio, mulDivRound } from './int-math.ts';

/**
 * Converts price units x size units of one instrument into cash units of one account, exactly.
 *
 * A fill of `q` size units at `p` price units is worth p * q * multiplier in units of
 * 10^-(pricePrecision + sizePrecision); the multiplier is held as the exact rational
 * mNum / 10^multiplierPrecision. With `shift = cashPrecision - (pricePrecision + sizePrecision +
 * multiplierPrecision)`:
 * - shift >= 0: cash = p * q * mNum * 10^shift, an exact multiplication;
 * - shift < 0:  cash = round(p * q * mNum / 10^-shift), rounded half away from zero.
 *
 * Intermediate products use BigInt when they would leave the safe-integer range; a result beyond
 * Number.MAX_SAFE_INTEGER cash units raises a `MarketsimError` with code `CASH_OVERFLOW`.
 *
 * Example: 10 shares at 37.84 (pricePrecision 6: 37840000 units, sizePrecision 0), cashPrecision 6:
 * shift 0, cash = 378400000 units = 378.400000. With cashPrecision 2: shift -4,
 * cash = round(378400000 / 10^4) = 37840 cents.
 */
export class NotionalConverter {
  readonly instrument: Instrument;
  readonly cashPrecision: number;
  /** Integer numerator of the multiplier (multiplier = mNum / 10^multiplierPrecision, reduced). */
  readonly mNum: number;
  /** Decimal digits of the multiplier. */
  readonly multiplierPrecision: number;
  /** cashPrecision - (pricePrecision + sizePrecision + multiplierPrecision). */
  readonly shift: number;
  /** mNum * 10^max(shift, 0). */
  readonly up: number;
  /** 10^max(-shift, 0). */
  readonly down: number;

  constructor(instrument: Instrument, cashPrecision: number) {
    this.instrument = instrument;
    this.cashPrecision = cashPrecision;
    const m = instrument.multiplier;
    if (!(m > 0) || !Number.isFinite(m)) {
      throw new MarketsimError('INSTRUMENT_INVALID', `${instrument.symbol}: multiplier must be a positive finite number, got ${m}`);
    }
    let ratio;
    try {
      ratio = decimalRatio(m, `${instrument.symbol}: multiplier`);
    } catch (e) {
      throw new MarketsimError('INSTRUMENT_INVALID', (e as Error).message);
    }
    // den of a decimal ratio is 2^a * 5^b; express as mNum / 10^k exactly
    let k = 0;
    while (pow10(k) % ratio.den !== 0) k++;
    this.mNum = ratio.num * (pow10(k) / ratio.den);
    this.multiplierPrecision = k;
    this.shift = cashPrecision - (instrument.pricePrecision + instrument.sizePrecision + k);
    if (this.shift > 15 || this.shift < -22) {
      throw new MarketsimError(
        'INSTRUMENT_INVALID',
        `${instrument.symbol}: cash precision ${cashPrecision} is too far from price+size precision ` +
          `${instrument.pricePrecision}+${instrument.sizePrecision} (shift ${this.shift} outside -22..15)`,
      );
    }
    this.up = this.mNum * pow10(Math.max(this.shift, 0));
    this.down = pow10(Math.max(-this.shift, 0));
    if (!Number.isSafeInteger(this.up)) {
      throw new MarketsimError('INSTRUMENT_INVALID', `${instrument.symbol}: multiplier ${m} scaled to cash precision ${cashPrecision} is too large`);
    }
  }

  /** True when every notional is exact (no rounding): shift >= 0. */
  get exact(): boolean {
    return this.shift >= 0;
  }

  /**
   * Cash units of `qty` size units at `price` price units (both integers, any sign; the result
   * has the sign of price * qty). Throws `CASH_OVERFLOW` beyond Number.MAX_SAFE_INTEGER.
   */
  notional(price: number, qty: number): number {
    const n = mulDivRound(price, qty, this.up, 1, this.down);
    if (n !== n) this.overflow(price, qty);
    return n;
  }

  /**
   * Cash units of `qty` size units at the rational average price entryRaw / entryQty
   * (entryRaw in price units x size units): round(entryRaw * qty * multiplier / entryQty) at cash
   * precision, half away from zero.
   */
  atAverage(entryRaw: number, entryQty: number, qty: number): number {
    const n = mulDivRound(entryRaw, qty, this.up, entryQty, this.down);
    if (n !== n) this.overflow(entryRaw / entryQty, qty);
    return n;
  }

  private overflow(price: number, qty: number): never {
    throw new MarketsimError(
      'CASH_OVERFLOW',
      `${this.instrument.symbol}: notional of ${qty} size units at ${price} price units exceeds ` +
        `Number.MAX_SAFE_INTEGER cash units at cash precision ${this.cashPrecision}`,
    );
  }
}
