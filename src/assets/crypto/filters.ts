import { MarketsimError } from '../../core/errors.ts';
import type { AssetClass, InstrumentSpec } from '../../market/instrument.ts';
import { divRound, parseDecimalBig, pow10n, significantDecimals } from './int.ts';
import { fromBinanceAssets, type MarketKind } from './symbols.ts';

/**
 * Symbol filters of a Binance `exchangeInfo` document (spot `/api/v3/exchangeInfo`, USD-M futures
 * `/fapi/v1/exchangeInfo`), the order checks they imply, and the `InstrumentSpec` they give.
 * Source: Binance Spot API docs, "Filters" (PRICE_FILTER, LOT_SIZE, MIN_NOTIONAL, NOTIONAL) and the
 * USD-M futures docs (MIN_NOTIONAL.notional). Details and examples in docs/crypto.md.
 */

/** Why `checkFilters` refuses an order (a subset of `RejectReason` in src/market/order.ts). */
export type FilterRejectReason = 'BAD_PRICE' | 'OFF_TICK_PRICE' | 'BAD_LOT' | 'BELOW_MIN_SIZE' | 'ABOVE_MAX_SIZE' | 'BELOW_MIN_NOTIONAL';

/**
 * The decoded filters of one symbol. Prices in price units of 10^-pricePrecision, sizes in size
 * units of 10^-sizePrecision (the same units as the `Instrument` built from `toInstrumentSpec`).
 */
export interface SymbolFilters {
  /** Binance id (`BTCUSDT`). */
  readonly id: string;
  /** Unified symbol (`BTC/USDT`, `BTC/USDT:USDT`). */
  readonly symbol: string;
  readonly kind: MarketKind;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  /** `TRADING`, `BREAK`, ... */
  readonly status: string;
  readonly pricePrecision: number;
  /** PRICE_FILTER.tickSize in price units. */
  readonly tickUnits: number;
  /** PRICE_FILTER.minPrice in price units (0: no minimum). */
  readonly minPriceUnits: number;
  /** PRICE_FILTER.maxPrice in price units (Number.MAX_SAFE_INTEGER: no maximum). */
  readonly maxPriceUnits: number;
  readonly sizePrecision: number;
  /** LOT_SIZE.stepSize in size units. */
  readonly lotUnits: number;
  /** LOT_SIZE.minQty in size units (at least one lot). */
  readonly minQtyUnits: number;
  /** LOT_SIZE.maxQty in size units (Number.MAX_SAFE_INTEGER when absent or beyond 2^53 units). */
  readonly maxQtyUnits: number;
  /** Minimum notional as written (quote asset), or undefined when the symbol has none. */
  readonly minNotional: string | undefined;
  /** Minimum notional in units of 10^-(pricePrecision + sizePrecision) (price units x size units), rounded up to that grid; 0n when none. */
  readonly minNotionalScaled: bigint;
  /** Whether the minimum notional applies to market orders (MIN_NOTIONAL.applyToMarket / NOTIONAL.applyMinToMarket; default true). */
  readonly minNotionalAppliesToMarket: boolean;
}

/** Options of `parseExchangeInfo`. */
export interface ExchangeInfoParseOptions {
  /** Name of the document in error messages (default `exchangeInfo`). */
  source?: string;
  /**
   * `stated` (default): the precision Binance writes numbers in (quoteAssetPrecision/baseAssetPrecision
   * for spot, pricePrecision/quantityPrecision for futures) when finer than the grid, as the data loaders
   * in src/data/binance do, so instruments agree; `grid`: the decimals of tickSize and stepSize.
   */
  precision?: 'stated' | 'grid';
}

/** An order as `checkFilters` sees it: units of the symbol's filters. */
export interface FilterOrder {
  /** Limit price in price units; omit for a MARKET order. */
  price?: number;
  /** Size in size units. */
  quantity: number;
  /** For MARKET orders: the price (units) used for the notional check (Binance: the average price); omitted -> no notional check. */
  referencePrice?: number;
}

/** The error for a malformed exchangeInfo document: names the JSON path (`exchangeInfo.symbols[3].filters[0].tickSize`). */
export class ExchangeInfoError extends MarketsimError {
  /** JSON path of the problem. */
  readonly path: string;
  constructor(path: string, message: string) {
    super('EXCHANGE_INFO_MALFORMED', `${path}: ${message}`);
    this.name = 'ExchangeInfoError';
    this.path = path;
  }
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const MAX = Number.MAX_SAFE_INTEGER;
const BIG_MAX = BigInt(MAX);

/** A symbol entry without the filters the engine needs: kept so that `get` can say which are missing. */
interface Unfiltered {
  readonly id: string;
  readonly symbol: string;
  readonly missing: string;
}

/** The filters of every symbol of one exchangeInfo document, by Binance id and by unified symbol. */
export class ExchangeFilters {
  private readonly byKey = new Map<string, SymbolFilters | Unfiltered>();
  private readonly list: SymbolFilters[] = [];
  /** Venue name given to instrument specs (`BINANCE` or `BINANCE_FUTURES`). */
  readonly venue: string;
  /** True for a futures document (it has `futuresType`). */
  readonly futures: boolean;

  /** Use `parseExchangeInfo`. */
  constructor(venue: string, futures: boolean) {
    this.venue = venue;
    this.futures = futures;
  }

  /** @internal used by the parser. */
  addEntry(f: SymbolFilters | Unfiltered): void {
    this.byKey.set(f.id, f);
    this.byKey.set(f.symbol, f);
    if ('tickUnits' in f) this.list.push(f);
  }

  /** True when the document lists `symbolOrId` with its price and lot filters. */
  has(symbolOrId: string): boolean {
    const f = this.byKey.get(symbolOrId);
    return f !== undefined && 'tickUnits' in f;
  }

  /**
   * The filters of a symbol (unified `BTC/USDT` or Binance id `BTCUSDT`). Throws `MarketsimError`
   * `UNKNOWN_SYMBOL` when the document does not list it, `SYMBOL_NO_FILTERS` when it has no
   * PRICE_FILTER or LOT_SIZE.
   */
  get(symbolOrId: string): SymbolFilters {
    const f = this.byKey.get(symbolOrId);
    if (f === undefined) throw new MarketsimError('UNKNOWN_SYMBOL', `exchangeInfo: no symbol '${symbolOrId}'`);
    if (!('tickUnits' in f)) throw new MarketsimError('SYMBOL_NO_FILTERS', `exchangeInfo: symbol ${f.id} (${f.symbol}) has no ${f.missing} filter`);
    return f;
  }

  /** Every symbol with complete filters, in document order. */
  all(): readonly SymbolFilters[] {
    return this.list;
  }

  /** The `InstrumentSpec` of a symbol (see `toInstrumentSpec`). */
  instrumentSpec(symbolOrId: string, symbolName: 'unified' | 'id' = 'unified'): InstrumentSpec {
    return toInstrumentSpec(this.get(symbolOrId), this.venue, this.futures ? 'future' : 'crypto', symbolName);
  }
}

function str(o: Obj, key: string, path: string, required: boolean): string | undefined {
  const v = o[key];
  if (v === undefined) {
    if (required) throw new ExchangeInfoError(`${path}.${key}`, 'missing');
    return undefined;
  }
  if (v === '' && !required) return undefined;
  if (typeof v !== 'string' || v.length === 0) throw new ExchangeInfoError(`${path}.${key}`, `must be a non-empty string, got ${JSON.stringify(v)}`);
  return v;
}

function decimalField(o: Obj, key: string, path: string, required: boolean): string | undefined {
  const v = str(o, key, path, required);
  if (v !== undefined && !/^\d+(\.\d*)?$|^\.\d+$/.test(v)) throw new ExchangeInfoError(`${path}.${key}`, `must be a non-negative decimal string, got ${JSON.stringify(v)}`);
  return v;
}

function statedPrecision(o: Obj, keys: readonly string[], path: string): number | undefined {
  for (const k of keys) {
    const v = o[k];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 18) throw new ExchangeInfoError(`${path}.${k}`, `must be an integer in 0..18, got ${JSON.stringify(v)}`);
    return v;
  }
  return undefined;
}

/**
 * Units of a decimal at a precision as a safe number. Bounds finer than the grid are rounded onto it
 * (`ceil` for a minimum, `floor` for a maximum: the same orders pass); a maximum beyond 2^53 units is no bound.
 */
function units(text: string, precision: number, path: string, mode: 'exact' | 'ceil' | 'floor'): number {
  const d = significantDecimals(text);
  const raw = parseDecimalBig(text, Math.max(d, precision))!;
  let b = raw;
  if (d > precision) {
    if (mode === 'exact') throw new ExchangeInfoError(path, `'${text}' is finer than ${precision} decimals`);
    b = divRound(raw, pow10n(d - precision), mode);
  }
  if (b > BIG_MAX) {
    if (mode === 'floor') return MAX;
    throw new ExchangeInfoError(path, `'${text}' is beyond 2^53 units at ${precision} decimals`);
  }
  return Number(b);
}

/**
 * Decodes an exchangeInfo document (the parsed JSON body). Throws `ExchangeInfoError`
 * (`EXCHANGE_INFO_MALFORMED`) naming the JSON path of a malformed field. A symbol without
 * PRICE_FILTER or LOT_SIZE is not an error here: `get` refuses it with `SYMBOL_NO_FILTERS`.
 */
export function parseExchangeInfo(doc: unknown, options: ExchangeInfoParseOptions = {}): ExchangeFilters {
  const root = options.source ?? 'exchangeInfo';
  if (!isObj(doc)) throw new ExchangeInfoError(root, 'the document must be a JSON object');
  const symbols = doc.symbols;
  if (!Array.isArray(symbols)) throw new ExchangeInfoError(`${root}.symbols`, 'missing or not an array');
  const futures = typeof doc.futuresType === 'string';
  const out = new ExchangeFilters(futures ? 'BINANCE_FUTURES' : 'BINANCE', futures);
  const stated = (options.precision ?? 'stated') === 'stated';
  for (let i = 0; i < symbols.length; i++) {
    const sp = `${root}.symbols[${i}]`;
    const s: unknown = symbols[i];
    if (!isObj(s)) throw new ExchangeInfoError(sp, 'must be an object');
    const id = str(s, 'symbol', sp, true)!;
    const baseAsset = str(s, 'baseAsset', sp, true)!;
    const quoteAsset = str(s, 'quoteAsset', sp, true)!;
    const contractType = str(s, 'contractType', sp, false);
    const marginAsset = str(s, 'marginAsset', sp, false);
    const kind: MarketKind = !futures ? 'spot' : (marginAsset ?? quoteAsset) === baseAsset ? 'inverse' : 'linear';
    const expiry = futures ? /_(\d{6})$/.exec(id)?.[1] : undefined;
    let symbol = fromBinanceAssets(baseAsset, quoteAsset, futures ? (contractType ?? 'PERPETUAL') : undefined, marginAsset);
    if (expiry !== undefined) symbol += `-${expiry}`;
    const status = str(s, 'status', sp, false) ?? '';
    const rawFilters = s.filters;
    if (rawFilters !== undefined && !Array.isArray(rawFilters)) throw new ExchangeInfoError(`${sp}.filters`, 'must be an array');
    const byType = new Map<string, { f: Obj; path: string }>();
    const list = (rawFilters ?? []) as unknown[];
    for (let j = 0; j < list.length; j++) {
      const fp = `${sp}.filters[${j}]`;
      const f = list[j];
      if (!isObj(f)) throw new ExchangeInfoError(fp, 'must be an object');
      const t = str(f, 'filterType', fp, true)!;
      byType.set(t, { f, path: fp });
    }
    const pf = byType.get('PRICE_FILTER');
    const lf = byType.get('LOT_SIZE');
    if (pf === undefined || lf === undefined) {
      out.addEntry({ id, symbol, missing: pf === undefined ? (lf === undefined ? 'PRICE_FILTER and LOT_SIZE' : 'PRICE_FILTER') : 'LOT_SIZE' });
      continue;
    }
    const tickSize = decimalField(pf.f, 'tickSize', pf.path, true)!;
    const stepSize = decimalField(lf.f, 'stepSize', lf.path, true)!;
    const gridP = significantDecimals(tickSize);
    const gridS = significantDecimals(stepSize);
    let pricePrecision = gridP;
    let sizePrecision = gridS;
    if (stated) {
      const sp1 = statedPrecision(s, futures ? ['pricePrecision'] : ['quoteAssetPrecision', 'quotePrecision'], sp);
      const ss1 = statedPrecision(s, futures ? ['quantityPrecision'] : ['baseAssetPrecision'], sp);
      if (sp1 !== undefined && sp1 > gridP && sp1 <= 12) pricePrecision = sp1;
      if (ss1 !== undefined && ss1 > gridS && ss1 <= 12) sizePrecision = ss1;
    }
    const tickUnits = units(tickSize, pricePrecision, `${pf.path}.tickSize`, 'exact');
    const lotUnits = units(stepSize, sizePrecision, `${lf.path}.stepSize`, 'exact');
    if (tickUnits <= 0) throw new ExchangeInfoError(`${pf.path}.tickSize`, `must be > 0, got '${tickSize}'`);
    if (lotUnits <= 0) throw new ExchangeInfoError(`${lf.path}.stepSize`, `must be > 0, got '${stepSize}'`);
    const minPrice = decimalField(pf.f, 'minPrice', pf.path, false);
    const maxPrice = decimalField(pf.f, 'maxPrice', pf.path, false);
    const minQty = decimalField(lf.f, 'minQty', lf.path, false);
    const maxQty = decimalField(lf.f, 'maxQty', lf.path, false);
    const minPriceUnits = minPrice === undefined ? 0 : units(minPrice, pricePrecision, `${pf.path}.minPrice`, 'ceil');
    let maxPriceUnits = maxPrice === undefined ? 0 : units(maxPrice, pricePrecision, `${pf.path}.maxPrice`, 'floor');
    if (maxPriceUnits === 0) maxPriceUnits = MAX; // Binance: 0 disables the bound
    const minQtyUnits = Math.max(lotUnits, minQty === undefined ? 0 : units(minQty, sizePrecision, `${lf.path}.minQty`, 'ceil'));
    let maxQtyUnits = maxQty === undefined ? 0 : units(maxQty, sizePrecision, `${lf.path}.maxQty`, 'floor');
    if (maxQtyUnits === 0) maxQtyUnits = MAX;
    let minNotional: string | undefined;
    let applies = true;
    const mn = byType.get('MIN_NOTIONAL') ?? byType.get('NOTIONAL');
    if (mn !== undefined) {
      const key = mn.f.minNotional !== undefined ? 'minNotional' : 'notional';
      minNotional = decimalField(mn.f, key, mn.path, true);
      const a = mn.f.applyToMarket ?? mn.f.applyMinToMarket;
      if (a !== undefined) {
        if (typeof a !== 'boolean') throw new ExchangeInfoError(`${mn.path}.${mn.f.applyToMarket !== undefined ? 'applyToMarket' : 'applyMinToMarket'}`, `must be a boolean, got ${JSON.stringify(a)}`);
        applies = a;
      }
    }
    let minNotionalScaled = 0n;
    if (minNotional !== undefined) {
      // price units x size units are integers at P+S decimals, so p*q >= min <=> p*q >= ceil(min at P+S decimals)
      const d = significantDecimals(minNotional);
      const b = parseDecimalBig(minNotional, d)!;
      const np = pricePrecision + sizePrecision;
      minNotionalScaled = d <= np ? b * pow10n(np - d) : divRound(b, pow10n(d - np), 'ceil');
    }
    out.addEntry({
      id, symbol, kind, baseAsset, quoteAsset, status,
      pricePrecision, tickUnits, minPriceUnits, maxPriceUnits,
      sizePrecision, lotUnits, minQtyUnits, maxQtyUnits,
      minNotional, minNotionalScaled, minNotionalAppliesToMarket: applies,
    });
  }
  return out;
}

/**
 * The `InstrumentSpec` of a symbol: pricePrecision/tickUnits from PRICE_FILTER, sizePrecision/lotUnits
 * from LOT_SIZE, minSizeUnits/maxSizeUnits from minQty/maxQty, currency = quote asset. `symbolName`
 * picks the unified symbol (default) or the Binance id as the instrument's symbol.
 * Example: BTCUSDT spot (tickSize 0.01, stepSize 0.00001, asset precisions 8) -> pricePrecision 8,
 * tickUnits 1,000,000, sizePrecision 8, lotUnits 1,000, minSizeUnits 1,000.
 */
export function toInstrumentSpec(f: SymbolFilters, venue = 'BINANCE', assetClass: AssetClass = 'crypto', symbolName: 'unified' | 'id' = 'unified'): InstrumentSpec {
  const spec: InstrumentSpec = {
    symbol: symbolName === 'unified' ? f.symbol : f.id,
    venue,
    assetClass,
    pricePrecision: f.pricePrecision,
    tickUnits: f.tickUnits,
    sizePrecision: f.sizePrecision,
    lotUnits: f.lotUnits,
    minSizeUnits: f.minQtyUnits,
    currency: f.quoteAsset,
  };
  if (f.maxQtyUnits < MAX) spec.maxSizeUnits = f.maxQtyUnits;
  return spec;
}

/**
 * Checks an order against a symbol's filters, in Binance's order: price (BAD_PRICE outside
 * [minPrice, maxPrice], OFF_TICK_PRICE when (price - minPrice) is not a multiple of tickSize),
 * quantity (BELOW_MIN_SIZE, ABOVE_MAX_SIZE, BAD_LOT when (qty - minQty) is not a multiple of stepSize),
 * then notional (BELOW_MIN_NOTIONAL when price x qty < minNotional; a MARKET order uses
 * `referencePrice` and is skipped without one or when the filter does not apply to market orders).
 * Returns undefined when the order passes. Exact (no floats); allocation-free unless price x qty passes 2^53.
 */
export function checkFilters(f: SymbolFilters, order: FilterOrder): FilterRejectReason | undefined {
  const price = order.price;
  if (price !== undefined) {
    if (!Number.isSafeInteger(price) || price <= 0 || price < f.minPriceUnits || price > f.maxPriceUnits) return 'BAD_PRICE';
    if ((price - f.minPriceUnits) % f.tickUnits !== 0) return 'OFF_TICK_PRICE';
  }
  const q = order.quantity;
  if (!Number.isSafeInteger(q) || q < f.minQtyUnits) return 'BELOW_MIN_SIZE';
  if (q > f.maxQtyUnits) return 'ABOVE_MAX_SIZE';
  if ((q - f.minQtyUnits) % f.lotUnits !== 0) return 'BAD_LOT';
  if (f.minNotionalScaled === 0n) return undefined;
  let p = price;
  if (p === undefined) {
    if (!f.minNotionalAppliesToMarket || order.referencePrice === undefined) return undefined;
    p = order.referencePrice;
  }
  const n = p * q;
  if (Number.isSafeInteger(n) && f.minNotionalScaled <= BIG_MAX) {
    return n < Number(f.minNotionalScaled) ? 'BELOW_MIN_NOTIONAL' : undefined;
  }
  return BigInt(p) * BigInt(q) < f.minNotionalScaled ? 'BELOW_MIN_NOTIONAL' : undefined;
}
