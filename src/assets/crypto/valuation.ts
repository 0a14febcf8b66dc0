import { MarketsimError } from '../../core/errors.ts';
import type { AssetTable } from './assets.ts';
import type { Balances } from './balances.ts';
import { divRound, formatUnits, parseDecimalBig, pow10n, significantDecimals, type Rounding } from './int.ts';

/**
 * Prices of assets in one reporting currency, and the exact value of balances in it.
 * A price is an integer count of 10^-precision reporting-currency units per one whole unit of the
 * asset (`set('BTC', '57000.01')` -> 5700001 at precision 2). The reporting currency itself is worth 1.
 */
export class PriceTable {
  /** The reporting currency (an asset code, e.g. `USD` or `USDT`). */
  readonly reporting: string;
  private readonly units = new Map<string, number>();
  private readonly prec = new Map<string, number>();
  private readonly times = new Map<string, number>();

  constructor(reporting: string) {
    this.reporting = reporting;
  }

  /** Sets the price of `asset` from a decimal string (exact); `time` (microseconds) is kept for error messages. */
  set(asset: string, price: string, time = NaN): void {
    const p = significantDecimals(price);
    const b = parseDecimalBig(price, p);
    if (b === undefined || b < 0n || b > BigInt(Number.MAX_SAFE_INTEGER)) throw new MarketsimError('PRICE_INVALID', `PriceTable: price of ${asset} '${price}' must be a non-negative decimal within 2^53 units`);
    this.setUnits(asset, Number(b), p, time);
  }

  /** Sets the price of `asset` as `units` of 10^-precision reporting currency per whole unit (hot path: no allocation). */
  setUnits(asset: string, units: number, precision: number, time = NaN): void {
    if (!Number.isSafeInteger(units) || units < 0) throw new MarketsimError('PRICE_INVALID', `PriceTable: price units of ${asset} must be a non-negative safe integer, got ${units}`);
    if (!Number.isInteger(precision) || precision < 0 || precision > 18) throw new MarketsimError('PRICE_INVALID', `PriceTable: precision of ${asset} must be in 0..18, got ${precision}`);
    this.units.set(asset, units);
    this.prec.set(asset, precision);
    this.times.set(asset, time);
  }

  /** True when `asset` has a price (the reporting currency always has one). */
  has(asset: string): boolean {
    return asset === this.reporting || this.units.has(asset);
  }

  /** The price as `{ units, precision }`; throws `PRICE_MISSING` naming the asset and the reporting currency. */
  get(asset: string): { units: number; precision: number } {
    if (asset === this.reporting) return { units: 1, precision: 0 };
    const u = this.units.get(asset);
    if (u === undefined) throw new MarketsimError('PRICE_MISSING', `PriceTable: no price of ${asset} in ${this.reporting} (set one before valuing ${asset} balances)`);
    return { units: u, precision: this.prec.get(asset)! };
  }

  /**
   * Value of `amount` base units of `asset` in base units of the reporting currency, as an exact
   * fraction `num / den` (BigInt). value = amount / 10^assetPrecision * priceUnits / 10^pricePrecision.
   */
  exactValue(assets: AssetTable, asset: string, amount: number | bigint): { num: bigint; den: bigint } {
    const p = this.get(asset);
    const ap = assets.precision(asset);
    const rp = assets.precision(this.reporting);
    return { num: BigInt(amount) * BigInt(p.units) * pow10n(rp), den: pow10n(ap + p.precision) };
  }

  /** Value of `amount` base units of `asset` in reporting base units, rounded once (half away from zero by default). */
  value(assets: AssetTable, asset: string, amount: number | bigint, rounding: Rounding = 'half'): bigint {
    const v = this.exactValue(assets, asset, amount);
    return divRound(v.num, v.den, rounding);
  }
}

/** The value of a set of balances in the reporting currency. */
export interface Valuation {
  reporting: string;
  /** Total in reporting base units, rounded once (half away from zero) from the exact sum. */
  total: bigint;
  /** The exact total as a fraction of reporting base units (den a power of ten). */
  exact: { num: bigint; den: bigint };
  /** Per asset: total base units held and its value in reporting base units (each rounded; their sum may differ from `total` by rounding). */
  byAsset: { asset: string; amount: bigint; value: bigint }[];
  /** `total` as a decimal string in the reporting currency. */
  text: string;
}

/**
 * Values every balance (available + locked + pending; one venue or all) in the price table's reporting
 * currency. Exact: the sum is formed as one fraction and rounded once. Throws `PRICE_MISSING` for a
 * held asset without a price (zero balances need none).
 */
export function valueBalances(balances: Balances, prices: PriceTable, venue?: string): Valuation {
  const amounts = new Map<string, bigint>();
  for (const r of balances.rows()) {
    if (venue !== undefined && r.venue !== venue) continue;
    amounts.set(r.asset, (amounts.get(r.asset) ?? 0n) + BigInt(r.available + r.locked + r.pending));
  }
  return valueAmounts(balances.assets, prices, amounts);
}

/** Values a map asset -> base units (see `valueBalances`). */
export function valueAmounts(assets: AssetTable, prices: PriceTable, amounts: ReadonlyMap<string, bigint>): Valuation {
  let num = 0n;
  let den = 1n;
  const byAsset: Valuation['byAsset'] = [];
  for (const [asset, amount] of amounts) {
    if (amount === 0n) continue;
    const v = prices.exactValue(assets, asset, amount);
    if (v.den > den) {
      num *= v.den / den;
      den = v.den;
    }
    num += v.num * (den / v.den);
    byAsset.push({ asset, amount, value: divRound(v.num, v.den) });
  }
  const total = divRound(num, den);
  return { reporting: prices.reporting, total, exact: { num, den }, byAsset, text: formatUnits(total, assets.precision(prices.reporting)) };
}
