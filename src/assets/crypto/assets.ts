import { MarketsimError } from '../../core/errors.ts';
import { formatUnits, parseDecimalBig } from './int.ts';

/**
 * Asset codes and their base units. Every amount of an asset is an integer count of
 * 10^-precision ("base units"): BTC 1e-8 (a satoshi), USDT 1e-6 (its on-chain unit on Ethereum and
 * TRON; configure 8 to follow Binance's 8-decimal balances), USD 1e-2 (a cent).
 */

/** Default precisions (decimal digits of one base unit) of common assets. */
export const DEFAULT_ASSET_PRECISIONS: Readonly<Record<string, number>> = {
  BTC: 8,
  ETH: 8,
  BNB: 8,
  SOL: 8,
  LTC: 8,
  XRP: 6,
  TRX: 6,
  USDT: 6,
  USDC: 6,
  BUSD: 8,
  FDUSD: 8,
  USD: 2,
  EUR: 2,
  GBP: 2,
};

/** The precision of each asset a run uses. Unknown assets are an error, never a silent default. */
export class AssetTable {
  private readonly prec = new Map<string, number>();

  /** `precisions` override or extend `DEFAULT_ASSET_PRECISIONS` (pass `defaults: false` to start empty). */
  constructor(precisions: Readonly<Record<string, number>> = {}, defaults = true) {
    if (defaults) for (const [k, v] of Object.entries(DEFAULT_ASSET_PRECISIONS)) this.prec.set(k, v);
    for (const [k, v] of Object.entries(precisions)) this.define(k, v);
  }

  /** Adds or changes an asset; precision an integer in 0..15 (so one unit of 10^15 base units stays exact). */
  define(code: string, precision: number): void {
    if (!/^[A-Z0-9]{1,20}$/.test(code)) throw new MarketsimError('ASSET_INVALID', `asset code '${code}' must be 1-20 upper-case letters or digits`);
    if (!Number.isInteger(precision) || precision < 0 || precision > 15) throw new MarketsimError('ASSET_INVALID', `asset ${code}: precision must be an integer in 0..15, got ${precision}`);
    this.prec.set(code, precision);
  }

  /** True when the asset is known. */
  has(code: string): boolean {
    return this.prec.has(code);
  }

  /** Decimal digits of one base unit of `code`; throws `UNKNOWN_ASSET`. */
  precision(code: string): number {
    const p = this.prec.get(code);
    if (p === undefined) throw new MarketsimError('UNKNOWN_ASSET', `unknown asset '${code}' (define its precision in the asset table)`);
    return p;
  }

  /** Base units of a decimal string (`parse('BTC', '0.5')` = 50,000,000); throws `AMOUNT_INVALID` when malformed, finer than the precision or beyond 2^53. */
  parse(code: string, text: string): number {
    const p = this.precision(code);
    const b = parseDecimalBig(text, p);
    if (b === undefined || b > BigInt(Number.MAX_SAFE_INTEGER) || b < -BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new MarketsimError('AMOUNT_INVALID', `${code} amount '${text}' is not a decimal with at most ${p} decimals within 2^53 base units`);
    }
    return Number(b);
  }

  /** A decimal string for base units (`format('BTC', 1)` = `'0.00000001'`). */
  format(code: string, units: number | bigint): string {
    return formatUnits(units, this.precision(code));
  }
}
