import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InstrumentRegistry } from '../../src/market/instrument.ts';
import type { MarketEvent } from '../../src/market/market-data.ts';
import { FxRates, formatRational, pairOf, parseRate, rational, roundRational } from '../../src/sim/fx-rates.ts';
import { MarketsimError } from '../../src/core/errors.ts';

const reg = new InstrumentRegistry();
const usdtUsd = reg.add({ symbol: 'USDT/USD', pricePrecision: 4, assetClass: 'fx' });
const usdJpy = reg.add({ symbol: 'USD/JPY', currency: 'JPY', pricePrecision: 3, assetClass: 'fx' });
const btcUsdt = reg.add({ symbol: 'BTC/USDT', currency: 'USDT', pricePrecision: 2, sizePrecision: 8, assetClass: 'crypto' });
const eurusd = reg.add({ symbol: 'EURUSD', pricePrecision: 5, assetClass: 'fx' });
const perp = reg.add({ symbol: 'BTC/USDT:USDT', currency: 'USDT', pricePrecision: 1, assetClass: 'crypto' });
const spy = reg.add({ symbol: 'SPY', pricePrecision: 2, assetClass: 'equity' });

const q = (inst: typeof spy, bid: number, ask: number, time = 1): MarketEvent => ({ kind: 'quote', time, instrument: inst, bidPrice: bid, bidSize: 1, askPrice: ask, askSize: 1 });
const b = (inst: typeof spy, close: number, time = 1): MarketEvent => ({ kind: 'bar', time, instrument: inst, open: close, high: close, low: close, close, volume: 1 });

test('pair symbols: BASE/QUOTE spot pairs and six-letter fx symbols; contracts and plain symbols are not pairs', () => {
  assert.deepEqual(pairOf(usdtUsd), { base: 'USDT', quote: 'USD' });
  assert.deepEqual(pairOf(eurusd), { base: 'EUR', quote: 'USD' });
  assert.equal(pairOf(perp), undefined);
  assert.equal(pairOf(spy), undefined);
});

test('a quote gives the exact mid, a bar its close; the inverse pair gives 1 / price', () => {
  const fx = new FxRates('USD');
  for (const i of reg.all()) fx.addInstrument(i);
  assert.equal(fx.rate('USDT'), undefined);
  fx.observe(usdtUsd, q(usdtUsd, 0.9996, 0.9999), NaN);
  // (9996 + 9999) / 20000 = 0.99975 exactly, not the venue's floored 0.9997
  assert.deepEqual(fx.rate('USDT'), rational(19_995n, 20_000n));
  assert.equal(formatRational(fx.rate('USDT')!), '0.99975');
  fx.observe(usdJpy, b(usdJpy, 150.125), NaN);
  // 1 JPY = 1 / 150.125 USD = 1000 / 150125 = 8 / 1201
  assert.deepEqual(fx.rate('JPY'), { num: 8n, den: 1201n });
  // chained: 1 BTC = 30,000.01 USDT x 0.99975 USD
  fx.observe(btcUsdt, b(btcUsdt, 30_000.01), NaN);
  assert.deepEqual(fx.rate('BTC'), rational(3_000_001n * 19_995n, 100n * 20_000n));
  // a six-letter fx pair
  fx.observe(eurusd, q(eurusd, 1.08501, 1.08502), NaN);
  assert.deepEqual(fx.rate('EUR'), rational(217_003n, 200_000n));
  assert.equal(fx.rate('USD')!.num, 1n);
  // a zero or negative price leaves the previous rate
  fx.observe(usdtUsd, q(usdtUsd, 0, 0.9999), NaN);
  assert.deepEqual(fx.rate('USDT'), rational(19_995n, 20_000n));
  assert.deepEqual(
    fx.prices().map((p) => [p.symbol, p.price]),
    [
      ['USDT/USD', '0.99975'],
      ['USD/JPY', '150.125'],
      ['BTC/USDT', '30000.01'],
      ['EURUSD', '1.085015'],
    ],
  );
});

test('fixed rates win over pair prices; the reporting currency is 1', () => {
  const fx = new FxRates('USD', { USDT: '1', EUR: 1.1 });
  fx.addInstrument(usdtUsd);
  fx.observe(usdtUsd, q(usdtUsd, 0.99, 0.99), NaN);
  assert.deepEqual(fx.rate('USDT'), { num: 1n, den: 1n });
  assert.deepEqual(fx.rate('EUR'), { num: 11n, den: 10n });
  assert.throws(() => new FxRates('USD', { USD: '2' }), /USD is the reporting currency, its rate is 1/);
});

test('bad rates and a missing rate are clear errors naming the currency', () => {
  for (const bad of ['0', '-1', 'abc', '1e3', '']) {
    assert.throws(() => parseRate(bad, 'rates.USDT'), (e: unknown) => e instanceof MarketsimError && e.code === 'FX_RATE_INVALID' && e.message.startsWith('rates.USDT:'));
  }
  assert.throws(() => parseRate(Number.NaN, 'rates.X'), /FX|positive plain decimal/);
  const fx = new FxRates('USD');
  assert.throws(
    () => fx.require('USDT'),
    (e: unknown) => e instanceof MarketsimError && e.code === 'FX_RATE_MISSING' && /no exchange rate of USDT in USD: no USDT\/USD or USD\/USDT instrument is in the data/.test(e.message),
  );
  fx.addInstrument(btcUsdt);
  fx.observe(btcUsdt, b(btcUsdt, 30_000), NaN);
  // BTC/USDT has a price but does not lead to USD
  assert.throws(() => fx.require('BTC'), /no exchange rate of BTC in USD: the pairs BTC\/USDT have no price yet or do not lead to USD/);
  assert.throws(() => fx.setPrice(spy, 100), /SPY is not a currency pair/);
  fx.setPrice(usdtUsd, 10_001);
  assert.equal(formatRational(fx.require('BTC')), '30003');
});

test('rounding of a rational is half away from zero', () => {
  assert.equal(roundRational({ num: 5n, den: 2n }), 3n);
  assert.equal(roundRational({ num: -5n, den: 2n }), -3n);
  assert.equal(roundRational({ num: 7n, den: 3n }), 2n);
});
