import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sharedFile } from '../helpers/shared-data.ts';
import { checkFilters, parseExchangeInfo, toInstrumentSpec, ExchangeInfoError } from '../../src/assets/crypto/filters.ts';
import { formatSymbol, fromBinanceAssets, fromBinanceId, parseSymbol, toBinanceId } from '../../src/assets/crypto/symbols.ts';
import { Instrument } from '../../src/market/instrument.ts';
import { MarketsimError } from '../../src/core/errors.ts';

/** The JSON body of a cryptofeed recording's first line (`URL -> time: {...}`). */
function exchangeInfoOf(rel: string): unknown {
  const p = sharedFile(rel);
  if (p === undefined) return undefined;
  const line = readFileSync(p, 'utf8').split('\n')[0]!;
  return JSON.parse(line.slice(line.indexOf(': {') + 2));
}

const spotDoc = exchangeInfoOf('data/binance/cryptofeed-sample_data/BINANCE.0');
const futDoc = exchangeInfoOf('data/binance/cryptofeed-sample_data/BINANCE_FUTURES.0');

test('unified symbols: parse, format and Binance ids', () => {
  assert.deepEqual(parseSymbol('BTC/USDT'), { base: 'BTC', quote: 'USDT', kind: 'spot' });
  assert.deepEqual(parseSymbol('BTC/USDT:USDT'), { base: 'BTC', quote: 'USDT', settle: 'USDT', kind: 'linear' });
  assert.deepEqual(parseSymbol('BTC/USD:BTC'), { base: 'BTC', quote: 'USD', settle: 'BTC', kind: 'inverse' });
  assert.equal(parseSymbol('BTC/USDT:USDT-211231').expiry, '211231');
  for (const s of ['BTC/USDT', 'BTC/USDT:USDT', 'BTC/USD:BTC', 'ETH/USDT:USDT-211231', '1000SHIB/USDT:USDT']) assert.equal(formatSymbol(parseSymbol(s)), s);
  assert.equal(toBinanceId('BTC/USDT'), 'BTCUSDT');
  assert.equal(toBinanceId('BTC/USDT:USDT'), 'BTCUSDT');
  assert.equal(toBinanceId('BTC/USD:BTC'), 'BTCUSD_PERP');
  assert.equal(toBinanceId('BTC/USDT:USDT-211231'), 'BTCUSDT_211231');
  assert.equal(fromBinanceId('BTCUSDT'), 'BTC/USDT');
  assert.equal(fromBinanceId('ETHBTC'), 'ETH/BTC');
  assert.equal(fromBinanceId('BTCUSDT', 'linear'), 'BTC/USDT:USDT');
  assert.equal(fromBinanceId('BTCUSD_PERP'), 'BTC/USD:BTC');
  assert.equal(fromBinanceId('BTCUSDT_211231', 'linear'), 'BTC/USDT:USDT-211231');
  assert.equal(fromBinanceAssets('BTC', 'USD', 'PERPETUAL', 'BTC'), 'BTC/USD:BTC');
  for (const bad of ['BTCUSDT', 'BTC/', 'btc/usdt', 'BTC/USDT:ETH', 'BTC/USDT:USDT-2112']) {
    assert.throws(() => parseSymbol(bad), (e: unknown) => e instanceof MarketsimError && e.code === 'SYMBOL_INVALID' && e.message.includes(bad));
  }
  assert.throws(() => fromBinanceId('XYZQQQ'), /no known quote asset/);
});

test('spot exchangeInfo (BINANCE.0): BTCUSDT filters and instrument spec', { skip: spotDoc === undefined }, () => {
  const fx = parseExchangeInfo(spotDoc);
  assert.equal(fx.all().length, 1695);
  const f = fx.get('BTC/USDT');
  assert.equal(fx.get('BTCUSDT'), f);
  // tickSize 0.01, stepSize 0.00001 written with 8 decimals: precision 8
  assert.equal(f.pricePrecision, 8);
  assert.equal(f.tickUnits, 1_000_000);
  assert.equal(f.minPriceUnits, 1_000_000);
  assert.equal(f.maxPriceUnits, 100_000_000_000_000);
  assert.equal(f.sizePrecision, 8);
  assert.equal(f.lotUnits, 1_000);
  assert.equal(f.minQtyUnits, 1_000);
  assert.equal(f.maxQtyUnits, 900_000_000_000);
  assert.equal(f.minNotional, '10.00000000');
  assert.equal(f.minNotionalScaled, 10n * 10n ** 16n);
  const spec = toInstrumentSpec(f);
  assert.deepEqual(spec, {
    symbol: 'BTC/USDT', venue: 'BINANCE', assetClass: 'crypto', pricePrecision: 8, tickUnits: 1_000_000,
    sizePrecision: 8, lotUnits: 1_000, minSizeUnits: 1_000, maxSizeUnits: 900_000_000_000, currency: 'USDT',
  });
  const inst = new Instrument(0, spec);
  const px = inst.parsePrice('57000.01');
  const q = inst.sizeUnits(0.001);
  assert.equal(checkFilters(f, { price: px, quantity: q }), undefined); // 57.00001 USDT >= 10
  assert.equal(checkFilters(f, { price: px + 1, quantity: q }), 'OFF_TICK_PRICE');
  assert.equal(checkFilters(f, { price: inst.parsePrice('1000000.01'), quantity: q }), 'BAD_PRICE');
  assert.equal(checkFilters(f, { price: px, quantity: q + 1 }), 'BAD_LOT');
  assert.equal(checkFilters(f, { price: px, quantity: 999 }), 'BELOW_MIN_SIZE');
  assert.equal(checkFilters(f, { price: px, quantity: 900_000_001_000 }), 'ABOVE_MAX_SIZE');
  // 0.00017 BTC at 57000.01 = 9.6900017 < 10 ; 0.00018 -> 10.2600018
  assert.equal(checkFilters(f, { price: px, quantity: inst.sizeUnits(0.00017) }), 'BELOW_MIN_NOTIONAL');
  assert.equal(checkFilters(f, { price: px, quantity: inst.sizeUnits(0.00018) }), undefined);
  // exactly 10: 0.0002 at 50000 -> passes (>=)
  assert.equal(checkFilters(f, { price: inst.parsePrice('50000'), quantity: inst.sizeUnits(0.0002) }), undefined);
  assert.equal(checkFilters(f, { price: inst.parsePrice('49999.99'), quantity: inst.sizeUnits(0.0002) }), 'BELOW_MIN_NOTIONAL');
  // market orders: checked at the reference price only when given (applyToMarket true)
  assert.equal(checkFilters(f, { quantity: inst.sizeUnits(0.00017) }), undefined);
  assert.equal(checkFilters(f, { quantity: inst.sizeUnits(0.00017), referencePrice: px }), 'BELOW_MIN_NOTIONAL');
  // grid precision
  const g = parseExchangeInfo(spotDoc, { precision: 'grid' }).get('BTCUSDT');
  assert.equal(g.pricePrecision, 2);
  assert.equal(g.tickUnits, 1);
  assert.equal(g.sizePrecision, 5);
  assert.equal(g.minNotionalScaled, 10n * 10n ** 7n);
});

test('futures exchangeInfo (BINANCE_FUTURES.0): BTCUSDT perpetual', { skip: futDoc === undefined }, () => {
  const fx = parseExchangeInfo(futDoc);
  assert.equal(fx.venue, 'BINANCE_FUTURES');
  const f = fx.get('BTC/USDT:USDT');
  assert.equal(f.id, 'BTCUSDT');
  assert.equal(f.kind, 'linear');
  assert.equal(f.pricePrecision, 2);
  assert.equal(f.tickUnits, 1);
  assert.equal(f.minPriceUnits, 55_672);
  assert.equal(f.sizePrecision, 3);
  assert.equal(f.lotUnits, 1);
  assert.equal(f.minNotional, '5');
  assert.equal(fx.instrumentSpec('BTCUSDT').assetClass, 'future');
  // 0.001 BTC at 4999.99 = 4.99999 < 5
  assert.equal(checkFilters(f, { price: 499_999, quantity: 1 }), 'BELOW_MIN_NOTIONAL');
  assert.equal(checkFilters(f, { price: 500_000, quantity: 1 }), undefined);
  assert.equal(checkFilters(f, { price: 55_671, quantity: 100 }), 'BAD_PRICE');
});

test('errors: malformed document names the JSON path; a symbol without filters is refused', () => {
  const sym = (filters: unknown[]) => ({ symbols: [{ symbol: 'BTCUSDT', baseAsset: 'BTC', quoteAsset: 'USDT', filters }] });
  const pf = { filterType: 'PRICE_FILTER', tickSize: '0.01', minPrice: '0.01', maxPrice: '0' };
  const lf = { filterType: 'LOT_SIZE', stepSize: '0.001', minQty: '0.001', maxQty: '100' };
  const ok = parseExchangeInfo(sym([pf, lf]));
  assert.equal(ok.get('BTCUSDT').maxPriceUnits, Number.MAX_SAFE_INTEGER); // maxPrice 0 disables
  assert.equal(ok.get('BTCUSDT').minNotional, undefined);
  const bad = (doc: unknown, path: string) =>
    assert.throws(() => parseExchangeInfo(doc, { source: 'info.json' }), (e: unknown) => e instanceof ExchangeInfoError && e.code === 'EXCHANGE_INFO_MALFORMED' && e.path === path);
  bad([], 'info.json');
  bad({}, 'info.json.symbols');
  bad(sym([{ ...pf, tickSize: 'abc' }, lf]), 'info.json.symbols[0].filters[0].tickSize');
  bad(sym([pf, { ...lf, stepSize: 1 }]), 'info.json.symbols[0].filters[1].stepSize');
  bad(sym([pf, { ...lf, stepSize: '0' }]), 'info.json.symbols[0].filters[1].stepSize');
  bad(sym([pf, { ...lf, minQty: '1e-3' }]), 'info.json.symbols[0].filters[1].minQty');
  // bounds finer than the grid are rounded onto it (min up, max down): the same orders pass
  const fine = parseExchangeInfo(sym([{ ...pf, maxPrice: '100.005' }, { ...lf, minQty: '0.0015' }])).get('BTCUSDT');
  assert.equal(fine.maxPriceUnits, 10_000);
  assert.equal(fine.minQtyUnits, 2);
  bad(sym([pf, lf, { filterType: 'MIN_NOTIONAL', minNotional: '-1' }]), 'info.json.symbols[0].filters[2].minNotional');
  bad({ symbols: [{ symbol: 'X', quoteAsset: 'USDT' }] }, 'info.json.symbols[0].baseAsset');
  bad(sym([{ tickSize: '1' }]), 'info.json.symbols[0].filters[0].filterType');
  const nf = parseExchangeInfo(sym([pf]));
  assert.equal(nf.has('BTCUSDT'), false);
  assert.throws(() => nf.get('BTC/USDT'), (e: unknown) => e instanceof MarketsimError && e.code === 'SYMBOL_NO_FILTERS' && /BTCUSDT.*LOT_SIZE/.test(e.message));
  assert.throws(() => nf.get('ETHUSDT'), (e: unknown) => e instanceof MarketsimError && e.code === 'UNKNOWN_SYMBOL');
});
