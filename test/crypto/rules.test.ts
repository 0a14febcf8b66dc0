import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExchangeInfo, toInstrumentSpec } from '../../src/assets/crypto/filters.ts';
import { CryptoInstrumentRules, faultTransition } from '../../src/assets/crypto/rules.ts';
import { buildFaultSchedule, VenueFaultState } from '../../src/assets/crypto/faults.ts';
import { Instrument } from '../../src/market/instrument.ts';
import { Order, type OrderRequest } from '../../src/market/order.ts';
import { MarketsimError } from '../../src/core/errors.ts';

const doc = {
  futuresType: 'U_MARGINED',
  symbols: [
    {
      symbol: 'BTCUSDT', baseAsset: 'BTC', quoteAsset: 'USDT', marginAsset: 'USDT', contractType: 'PERPETUAL', pricePrecision: 2, quantityPrecision: 3,
      filters: [
        { filterType: 'PRICE_FILTER', tickSize: '0.10', minPrice: '556.80', maxPrice: '4529764' },
        { filterType: 'LOT_SIZE', stepSize: '0.001', minQty: '0.001', maxQty: '1000' },
        { filterType: 'MIN_NOTIONAL', notional: '100' },
      ],
    },
  ],
};

test('crypto instrument rules: exchange filters at arrival (limit, market at the touch, stop at its trigger)', () => {
  const f = parseExchangeInfo(doc).get('BTC/USDT:USDT');
  const inst = new Instrument(0, toInstrumentSpec(f, 'BINANCE_FUTURES', 'future'));
  assert.equal(inst.symbol, 'BTC/USDT:USDT');
  const rules = new CryptoInstrumentRules(f, inst);
  const view = { bestBid: 4_999_990, bestAsk: 5_000_000, position: 0 };
  const order = (r: Partial<OrderRequest>) => new Order(1, { instrument: inst, side: 'BUY', type: 'LIMIT', quantity: 2, price: 5_000_000, ...r });
  // minimum notional 100 USDT: 0.002 BTC at 50,000.00 = 100 (passes), at 49,999.90 = 99.9998 (refused)
  assert.equal(rules.check(order({}), 0, view), undefined);
  assert.equal(rules.check(order({ price: 4_999_990 }), 0, view), 'BELOW_MIN_NOTIONAL');
  assert.equal(rules.check(order({ price: 5_000_001 }), 0, view), 'OFF_TICK_PRICE');
  assert.equal(rules.check(order({ price: 50_000 }), 0, view), 'BAD_PRICE'); // below minPrice 556.80
  // market orders at the touch they would take: a BUY at the ask (100.00), a SELL at the bid (99.9998)
  assert.equal(rules.check(order({ type: 'MARKET', price: undefined }), 0, view), undefined);
  assert.equal(rules.check(order({ type: 'MARKET', side: 'SELL', price: undefined }), 0, view), 'BELOW_MIN_NOTIONAL');
  assert.equal(rules.check(order({ type: 'MARKET', quantity: 1, price: undefined }), 0, { bestBid: NaN, bestAsk: NaN, position: 0 }), undefined); // no touch: no notional check
  assert.equal(rules.check(order({ type: 'STOP', quantity: 2, price: undefined, triggerPrice: 6_000_000 }), 0, view), undefined);
  const other = new Instrument(1, { symbol: 'BTC/USDT:USDT', pricePrecision: 8, sizePrecision: 3 });
  assert.throws(() => new CryptoInstrumentRules(f, other), (e: unknown) => e instanceof MarketsimError && e.code === 'INSTRUMENT_CONFLICT');
});

test('fault transitions: OUTAGE on the first open window, RESUME when the last closes', () => {
  const T0 = Date.UTC(2024, 0, 1) * 1000;
  const S = 1_000_000;
  const ev = buildFaultSchedule(
    [{ venue: 'V', maintenance: [{ start: T0 + 100 * S, durationSeconds: 100 }, { start: T0 + 150 * S, durationSeconds: 100 }, { start: T0 + 250 * S, durationSeconds: 10 }] }],
    T0,
    T0 + 1000 * S,
    1,
  );
  const st = new VenueFaultState();
  const out = ev.map((e) => [(e.time - T0) / S, e.kind, faultTransition(st, e)]);
  assert.deepEqual(out, [
    [100, 'MAINTENANCE_START', 'OUTAGE'],
    [150, 'MAINTENANCE_START', undefined],
    [200, 'MAINTENANCE_END', undefined],
    [250, 'MAINTENANCE_END', 'RESUME'], // the END sorts before the START at the same time
    [250, 'MAINTENANCE_START', 'OUTAGE'],
    [260, 'MAINTENANCE_END', 'RESUME'],
  ]);
});
