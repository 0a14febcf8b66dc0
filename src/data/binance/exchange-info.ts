import type { AssetClass, InstrumentSpec } from '../../market/instrument.ts';
import { parseStep, unitsOf } from './decimal.ts';

/**
 * Instrument specifications from a Binance `exchangeInfo` document (spot `/api/v3/exchangeInfo`,
 * USD-M futures `/fapi/v1/exchangeInfo`, binance.us). The grid comes from the symbol's filters:
 * `PRICE_FILTER.tickSize` and `LOT_SIZE.stepSize` give the tick and the lot, but the precisions are
 * the ones Binance WRITES prices and quantities in, which can be finer than the current grid: resting
 * orders placed before a tick or lot change stay in the book (the NKNUSDT spot snapshot has a bid at
 * 0.25974 with tickSize 0.0001, and a size of 11979.3 with stepSize 1). So `pricePrecision` is
 * `quoteAssetPrecision`/`quotePrecision` (spot) or `pricePrecision` (futures) and `sizePrecision` is
 * `baseAssetPrecision` (spot) or `quantityPrecision` (futures); the tick or step decimals when they
 * are finer or when the document gives none. `tickUnits`/`lotUnits` are the tick and step in those
 * units; `minQty`/`maxQty` give the size bounds. Loaders therefore do not reject off-tick book prices.
 * `MIN_NOTIONAL.minNotional` (spot), `MIN_NOTIONAL.notional` (futures) or `NOTIONAL.minNotional`
 * (newer spot) is kept beside the spec, since `InstrumentSpec` has no notional field.
 * Example: NKNUSDT spot with tickSize "0.00010000", stepSize "1.00000000" and asset precisions 8 ->
 * pricePrecision 8, tickUnits 10000, sizePrecision 8, lotUnits 100000000, minNotional "10.00000000".
 * SUSHIUSDT futures (tickSize "0.0010", pricePrecision 4, stepSize "1", quantityPrecision 0) ->
 * pricePrecision 4, tickUnits 10, sizePrecision 0, lotUnits 1.
 */

/** One symbol of an exchangeInfo document with its filters decoded. */
export interface BinanceSymbolInfo {
  /** The instrument spec (symbol, venue, grid, size bounds, quote currency). */
  spec: InstrumentSpec;
  /** The minimum order notional as written by Binance (decimal string in the quote asset), or undefined. */
  minNotional: string | undefined;
  /** `tickSize` and `stepSize` as written. */
  tickSize: string;
  stepSize: string;
  baseAsset: string;
  quoteAsset: string;
  /** `TRADING`, `BREAK`, ... */
  status: string;
  /** Futures: `PERPETUAL`, `CURRENT_QUARTER`...; undefined for spot. */
  contractType: string | undefined;
  /** The precisions Binance states beside the filters (futures `pricePrecision`/`quantityPrecision`), when present. */
  statedPricePrecision: number | undefined;
  statedQuantityPrecision: number | undefined;
}

/** Options of `symbolInfosFromExchangeInfo`. */
export interface ExchangeInfoOptions {
  /** Venue name of the specs (default `BINANCE`, or `BINANCE_FUTURES` when the document has `futuresType`). */
  venue?: string;
  /** Keep only these symbols (default all). */
  symbols?: readonly string[];
  /** Asset class (default `crypto` for spot, `future` for futures documents). */
  assetClass?: AssetClass;
}

interface RawFilter {
  filterType?: unknown;
  tickSize?: unknown;
  stepSize?: unknown;
  minQty?: unknown;
  maxQty?: unknown;
  minNotional?: unknown;
  notional?: unknown;
}

interface RawSymbol {
  symbol?: unknown;
  status?: unknown;
  baseAsset?: unknown;
  quoteAsset?: unknown;
  contractType?: unknown;
  pricePrecision?: unknown;
  quantityPrecision?: unknown;
  baseAssetPrecision?: unknown;
  quotePrecision?: unknown;
  quoteAssetPrecision?: unknown;
  filters?: unknown;
}

/** The stated precision when it is a sane integer at least as fine as the grid's, else the grid's. */
function writtenPrecision(stated: unknown, grid: number): number {
  return typeof stated === 'number' && Number.isInteger(stated) && stated > grid && stated <= 12 ? stated : grid;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/**
 * Decodes every symbol of an exchangeInfo document (the parsed JSON body). Throws a `RangeError`
 * naming the symbol when its price or lot filter is missing or malformed.
 */
export function symbolInfosFromExchangeInfo(doc: unknown, options: ExchangeInfoOptions = {}): BinanceSymbolInfo[] {
  if (typeof doc !== 'object' || doc === null || !Array.isArray((doc as { symbols?: unknown }).symbols)) {
    throw new RangeError('exchangeInfo: the document has no "symbols" array');
  }
  const futures = typeof (doc as { futuresType?: unknown }).futuresType === 'string';
  const venue = options.venue ?? (futures ? 'BINANCE_FUTURES' : 'BINANCE');
  const assetClass = options.assetClass ?? (futures ? 'future' : 'crypto');
  const want = options.symbols ? new Set(options.symbols) : undefined;
  const out: BinanceSymbolInfo[] = [];
  for (const raw of (doc as { symbols: RawSymbol[] }).symbols) {
    const symbol = str(raw.symbol);
    if (symbol === undefined) throw new RangeError('exchangeInfo: a symbol entry has no "symbol"');
    if (want && !want.has(symbol)) continue;
    const filters = Array.isArray(raw.filters) ? (raw.filters as RawFilter[]) : [];
    const byType = new Map<string, RawFilter>();
    for (const f of filters) if (typeof f.filterType === 'string') byType.set(f.filterType, f);
    const pf = byType.get('PRICE_FILTER');
    const lf = byType.get('LOT_SIZE');
    const tickSize = str(pf?.tickSize);
    const stepSize = str(lf?.stepSize);
    if (tickSize === undefined) throw new RangeError(`exchangeInfo: ${symbol} has no PRICE_FILTER.tickSize`);
    if (stepSize === undefined) throw new RangeError(`exchangeInfo: ${symbol} has no LOT_SIZE.stepSize`);
    const rawTick = parseStep(tickSize);
    const rawStep = parseStep(stepSize);
    const pricePrecision = writtenPrecision(futures ? raw.pricePrecision : (raw.quoteAssetPrecision ?? raw.quotePrecision), rawTick.precision);
    const sizePrecision = writtenPrecision(futures ? raw.quantityPrecision : raw.baseAssetPrecision, rawStep.precision);
    const tick = { precision: pricePrecision, units: unitsOf(tickSize, pricePrecision) };
    const step = { precision: sizePrecision, units: unitsOf(stepSize, sizePrecision) };
    if (tick.units <= 0) throw new RangeError(`exchangeInfo: ${symbol} tickSize '${tickSize}' is not positive`);
    if (step.units <= 0) throw new RangeError(`exchangeInfo: ${symbol} stepSize '${stepSize}' is not positive`);
    const spec: InstrumentSpec = {
      symbol,
      venue,
      assetClass,
      pricePrecision: tick.precision,
      tickUnits: tick.units,
      sizePrecision: step.precision,
      lotUnits: step.units,
      currency: str(raw.quoteAsset) ?? 'USD',
    };
    const minQty = str(lf?.minQty);
    const maxQty = str(lf?.maxQty);
    const minUnits = minQty === undefined ? NaN : unitsOf(minQty, step.precision);
    const maxUnits = maxQty === undefined ? NaN : unitsOf(maxQty, step.precision);
    if (minUnits > 0) spec.minSizeUnits = minUnits;
    if (maxUnits > 0) spec.maxSizeUnits = maxUnits;
    const mn = byType.get('MIN_NOTIONAL') ?? byType.get('NOTIONAL');
    out.push({
      spec,
      minNotional: str(mn?.minNotional) ?? str(mn?.notional),
      tickSize,
      stepSize,
      baseAsset: str(raw.baseAsset) ?? '',
      quoteAsset: str(raw.quoteAsset) ?? '',
      status: str(raw.status) ?? '',
      contractType: str(raw.contractType),
      statedPricePrecision: typeof raw.pricePrecision === 'number' ? raw.pricePrecision : undefined,
      statedQuantityPrecision: typeof raw.quantityPrecision === 'number' ? raw.quantityPrecision : undefined,
    });
  }
  return out;
}

/** The `InstrumentSpec`s of an exchangeInfo document (see `symbolInfosFromExchangeInfo`). */
export function instrumentSpecsFromExchangeInfo(doc: unknown, options: ExchangeInfoOptions = {}): InstrumentSpec[] {
  return symbolInfosFromExchangeInfo(doc, options).map((s) => s.spec);
}
