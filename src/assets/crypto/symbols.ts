import { MarketsimError } from '../../core/errors.ts';

/**
 * Unified symbols in the ccxt style (https://docs.ccxt.com/#/README?id=contract-naming-conventions):
 * - `BTC/USDT`          spot: base BTC, quote USDT;
 * - `BTC/USDT:USDT`     USDT-margined (linear) perpetual: settled in the quote;
 * - `BTC/USD:BTC`       inverse perpetual: settled in the base;
 * - `BTC/USDT:USDT-211231` a dated future expiring 2021-12-31 (YYMMDD).
 * Binance ids: spot and linear perpetuals `BTCUSDT`, inverse perpetuals `BTCUSD_PERP`, dated futures
 * `BTCUSDT_211231` / `BTCUSD_211231`.
 */

/** What a unified symbol trades: spot, a linear (quote-settled) or an inverse (base-settled) contract. */
export type MarketKind = 'spot' | 'linear' | 'inverse';

/** A parsed unified symbol. */
export interface UnifiedSymbol {
  base: string;
  quote: string;
  /** Settlement asset of a contract; undefined for spot. */
  settle?: string;
  /** Expiry of a dated future as YYMMDD; undefined for spot and perpetuals. */
  expiry?: string;
  kind: MarketKind;
}

const ASSET = /^[A-Z0-9]{1,20}$/;

function bad(text: string, why: string): MarketsimError {
  return new MarketsimError('SYMBOL_INVALID', `symbol '${text}': ${why} (expected BASE/QUOTE, BASE/QUOTE:SETTLE or BASE/QUOTE:SETTLE-YYMMDD)`);
}

/** Parses a unified symbol; throws `MarketsimError` `SYMBOL_INVALID` naming the symbol and the problem. */
export function parseSymbol(text: string): UnifiedSymbol {
  if (typeof text !== 'string') throw bad(String(text), 'not a string');
  const slash = text.indexOf('/');
  if (slash < 0) throw bad(text, 'no "/" between base and quote');
  const base = text.slice(0, slash);
  const rest = text.slice(slash + 1);
  const colon = rest.indexOf(':');
  const quote = colon < 0 ? rest : rest.slice(0, colon);
  if (!ASSET.test(base)) throw bad(text, `base '${base}' must be 1-20 upper-case letters or digits`);
  if (!ASSET.test(quote)) throw bad(text, `quote '${quote}' must be 1-20 upper-case letters or digits`);
  if (colon < 0) return { base, quote, kind: 'spot' };
  let settle = rest.slice(colon + 1);
  let expiry: string | undefined;
  const dash = settle.indexOf('-');
  if (dash >= 0) {
    expiry = settle.slice(dash + 1);
    settle = settle.slice(0, dash);
    if (!/^\d{6}$/.test(expiry)) throw bad(text, `expiry '${expiry}' must be YYMMDD`);
  }
  if (!ASSET.test(settle)) throw bad(text, `settle asset '${settle}' must be 1-20 upper-case letters or digits`);
  let kind: MarketKind;
  if (settle === quote) kind = 'linear';
  else if (settle === base) kind = 'inverse';
  else throw bad(text, `settle asset '${settle}' must be the base or the quote`);
  return expiry === undefined ? { base, quote, settle, kind } : { base, quote, settle, expiry, kind };
}

/** Formats a unified symbol (the inverse of `parseSymbol`). */
export function formatSymbol(s: UnifiedSymbol): string {
  if (s.kind === 'spot') return `${s.base}/${s.quote}`;
  const settle = s.settle ?? (s.kind === 'linear' ? s.quote : s.base);
  return `${s.base}/${s.quote}:${settle}${s.expiry !== undefined ? `-${s.expiry}` : ''}`;
}

/** The Binance id of a unified symbol: `BTC/USDT` and `BTC/USDT:USDT` -> `BTCUSDT`, `BTC/USD:BTC` -> `BTCUSD_PERP`. */
export function toBinanceId(symbol: string | UnifiedSymbol): string {
  const s = typeof symbol === 'string' ? parseSymbol(symbol) : symbol;
  const pair = s.base + s.quote;
  if (s.kind === 'spot') return pair;
  if (s.expiry !== undefined) return `${pair}_${s.expiry}`;
  return s.kind === 'inverse' ? `${pair}_PERP` : pair;
}

/**
 * Quote assets tried (longest first) when splitting a bare Binance id such as `ETHBTC` with no
 * exchangeInfo at hand. An exchangeInfo document gives the exact split (`fromBinanceAssets`).
 */
export const DEFAULT_QUOTE_ASSETS: readonly string[] = [
  'FDUSD', 'USDT', 'USDC', 'BUSD', 'TUSD', 'USDP', 'DAI', 'BIDR', 'IDRT', 'BVND', 'BRL', 'EUR', 'GBP', 'TRY', 'RUB', 'UAH', 'AUD', 'NGN', 'ZAR', 'PAX', 'USD', 'BTC', 'ETH', 'BNB', 'XRP', 'TRX', 'DOGE', 'DOT',
];

/** The unified symbol from Binance's own fields (exact): base and quote assets, and for futures the margin asset and contract type. */
export function fromBinanceAssets(baseAsset: string, quoteAsset: string, contractType?: string, marginAsset?: string): string {
  if (contractType === undefined || contractType === '') return `${baseAsset}/${quoteAsset}`;
  const settle = marginAsset ?? quoteAsset;
  return formatSymbol({ base: baseAsset, quote: quoteAsset, settle, kind: settle === baseAsset ? 'inverse' : 'linear' });
}

/**
 * The unified symbol of a Binance id: `BTCUSDT` -> `BTC/USDT` (or `BTC/USDT:USDT` with kind
 * 'linear'), `BTCUSD_PERP` -> `BTC/USD:BTC`, `BTCUSDT_211231` (linear) -> `BTC/USDT:USDT-211231`.
 * The base/quote split uses the longest matching quote of `quotes`; throws `SYMBOL_INVALID` when none matches.
 */
export function fromBinanceId(id: string, kind: MarketKind = 'spot', quotes: readonly string[] = DEFAULT_QUOTE_ASSETS): string {
  const m = /^([A-Z0-9]+?)(?:_(PERP|\d{6}))?$/.exec(id);
  if (m === null) throw new MarketsimError('SYMBOL_INVALID', `Binance id '${id}': expected upper-case letters and digits, optionally _PERP or _YYMMDD`);
  const pair = m[1]!;
  const suffix = m[2];
  if (suffix === 'PERP') kind = 'inverse';
  else if (suffix !== undefined && kind === 'spot') kind = pair.endsWith('USD') ? 'inverse' : 'linear';
  let quote: string | undefined;
  for (const q of quotes) if (pair.length > q.length && pair.endsWith(q) && (quote === undefined || q.length > quote.length)) quote = q;
  if (quote === undefined) throw new MarketsimError('SYMBOL_INVALID', `Binance id '${id}': no known quote asset at its end (known: ${quotes.join(', ')})`);
  const base = pair.slice(0, pair.length - quote.length);
  const expiry = suffix !== undefined && suffix !== 'PERP' ? suffix : undefined;
  if (kind === 'spot') return formatSymbol({ base, quote, kind });
  const settle = kind === 'inverse' ? base : quote;
  return formatSymbol(expiry === undefined ? { base, quote, settle, kind } : { base, quote, settle, expiry, kind });
}
