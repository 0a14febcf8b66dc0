import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BINANCE_BTCUSDT_BRACKETS, MarginTiers } from '../../src/assets/crypto/margin-tiers.ts';
import { FundingRate, IndexPrice, MarkPrice, premiumIndex } from '../../src/assets/crypto/perp-prices.ts';
import { LiquidationEngine, PerpAccount, type PerpContract } from '../../src/assets/crypto/perp-account.ts';
import { MarketsimError } from '../../src/core/errors.ts';

// BTCUSDT perpetual: prices with 2 decimals, sizes with 3, USDT margin at 6 decimals
const tiers = new MarginTiers(BINANCE_BTCUSDT_BRACKETS, 6);
const BTC: PerpContract = { symbol: 'BTC/USDT:USDT', pricePrecision: 2, sizePrecision: 3, tiers };
const USDT = 1_000_000;

test('brackets: Binance BTCUSDT table, maintenance margin, maximum leverage; bad tables refused', () => {
  assert.equal(tiers.maxLeverage(49_999 * USDT), 125);
  assert.equal(tiers.maxLeverage(50_000 * USDT), 100);
  assert.equal(tiers.maxLeverage(8_000_000 * USDT), 20);
  assert.equal(tiers.maxLeverage(1e9 * USDT), 1);
  // 40,000 USDT: 0.4% -> 160 ; 600,000 USDT: 1% - 2,550 = 3,450 ; 50,000 at the boundary: 0.5% - 50 = 200 = 0.4% x 50,000
  assert.equal(tiers.maintenance(40_000 * USDT), 160 * USDT);
  assert.equal(tiers.maintenance(600_000 * USDT), 3_450 * USDT);
  assert.equal(tiers.maintenance(50_000 * USDT), 200 * USDT);
  assert.equal(tiers.maintenance(12_345_678_901), 49_382_716); // ceil(12,345.678901 x 0.004 = 49.382715604)
  assert.equal(tiers.checkLeverage(125, 40_000 * USDT), undefined);
  assert.equal(tiers.checkLeverage(101, 60_000 * USDT), 'LEVERAGE_ABOVE_TIER_MAX');
  const b = [...BINANCE_BTCUSDT_BRACKETS];
  b[1] = { ...b[1]!, maintAmount: 51 };
  assert.throws(() => new MarginTiers(b), (e: unknown) => e instanceof MarketsimError && e.code === 'BRACKETS_INVALID' && /brackets\[1\]: maintAmount 51 breaks continuity \(expected 50\)/.test(e.message));
});

test('funding rate by the clamp rule, worked by hand', () => {
  // impact bid 50,010 / ask 50,020 over an index of 50,000 -> P = 10 / 50,000 = 0.02%
  assert.equal(premiumIndex(5_000_000, 5_001_000, 5_002_000), 0.0002);
  assert.equal(premiumIndex(5_000_000, 4_999_000, 4_999_500), -0.0001);
  assert.equal(premiumIndex(5_000_000, 4_999_000, 5_001_000), 0);
  const f = new FundingRate();
  for (const p of [0.0002, 0.0004, 0.0006]) f.sample(p);
  // weighted (1, 2, 3): (0.0002 + 0.0008 + 0.0018) / 6 = 0.000466667 -> 46,667 rate units
  assert.equal(f.averagePremium(), 46_667);
  // |I - P| = 0.036667% <= 0.05%: F = P + (I - P) = I = 0.01%
  assert.equal(f.settle(), 10_000);
  assert.equal(f.samples, 0);
  f.sample(0.001); // P = 0.1%: F = 0.1% + clamp(-0.09%) = 0.1% - 0.05% = 0.05%
  assert.equal(f.settle(), 50_000);
  f.sample(-0.0003); // P = -0.03%: F = -0.03% + clamp(0.04%) = 0.01%
  assert.equal(f.settle(), 10_000);
  f.sample(-0.002); // F = -0.2% + 0.05% = -0.15%; with a 0.1% cap: -0.1%
  assert.equal(new FundingRate({ cap: 100_000 }).rate(), 10_000);
  const capped = new FundingRate({ cap: 100_000 });
  capped.sample(-0.002);
  assert.equal(capped.rate(), -100_000);
  assert.equal(f.settle(), -150_000);
  const T = Date.UTC(2024, 0, 1, 7, 59) * 1000;
  assert.equal(f.nextFundingTime(T), Date.UTC(2024, 0, 1, 8) * 1000);
  assert.equal(f.nextFundingTime(Date.UTC(2024, 0, 1, 8) * 1000), Date.UTC(2024, 0, 1, 16) * 1000);
});

test('index and mark prices', () => {
  const idx = new IndexPrice({ BINANCE: 2, COINBASE: 1, KRAKEN: 1 }, 60, 0.05);
  const t = 1_700_000_000_000_000;
  idx.update('BINANCE', 5_000_000, t);
  idx.update('COINBASE', 5_001_000, t);
  idx.update('KRAKEN', 5_003_000, t);
  assert.equal(idx.value(t), 5_001_000); // (2 x 50,000 + 50,010 + 50,030) / 4 = 50,010
  idx.update('KRAKEN', 6_000_000, t); // 20% off the median: ignored
  assert.equal(idx.value(t), Math.round((2 * 5_000_000 + 5_001_000) / 3));
  assert.equal(idx.value(t + 60_000_000), Math.round((2 * 5_000_000 + 5_001_000) / 3));
  assert.throws(() => idx.value(t + 60_000_001), (e: unknown) => e instanceof MarketsimError && e.code === 'INDEX_UNAVAILABLE');
  // mark, ema mode: basis 10.00 constant -> index + 10.00
  const m = new MarkPrice({ mode: 'ema' });
  assert.equal(m.update(t, 5_000_000, 5_000_900, 5_001_100, 0, NaN), 5_001_000);
  // the basis falls to 0: after one time constant the EMA keeps e^-1 of it: 1000 x 0.36788 = 367.88
  assert.equal(m.update(t + 300_000_000, 5_000_000, 4_999_900, 5_000_100, 0, NaN), 5_000_368);
  // median mode at 04:00 UTC (4 h to funding), F = 0.01%: P1 = 50,000 x (1 + 0.0001 x 0.5) = 50,002.50;
  // P2 = index + basis = 50,010; last = 50,001 -> median 50,002.50
  const mm = new MarkPrice();
  const t4 = Date.UTC(2024, 0, 1, 4) * 1000;
  assert.equal(mm.update(t4, 5_000_000, 5_000_900, 5_001_100, 10_000, 5_000_100), 5_000_250);
  assert.equal(mm.update(t4, 5_000_000, 5_000_900, 5_001_100, 10_000, 5_000_500), 5_000_500); // last between them
});

test('worked example: a funding payment (long pays, short receives)', () => {
  const a = new PerpAccount({ marginAsset: 'USDT', marginPrecision: 6, wallet: 10_000 * USDT });
  const b = new PerpAccount({ marginAsset: 'USDT', marginPrecision: 6, wallet: 10_000 * USDT });
  a.addContract(BTC, 'cross', 20);
  b.addContract(BTC, 'isolated', 20);
  assert.deepEqual(a.trade(0, BTC.symbol, 'BUY', 2_000, 5_000_000, 0), { ok: true, realized: 0 }); // long 2 BTC at 50,000
  assert.deepEqual(b.trade(0, BTC.symbol, 'SELL', 2_000, 5_000_000, 0), { ok: true, realized: 0 });
  assert.equal(b.position(BTC.symbol).isolatedMargin, 5_000 * USDT); // 100,000 / 20
  assert.equal(b.wallet, 5_000 * USDT);
  // mark 50,000.00, rate 0.01%: 100,000 USDT x 0.0001 = 10 USDT
  assert.equal(a.applyFunding(BTC.symbol, 5_000_000, 10_000), -10 * USDT);
  assert.equal(b.applyFunding(BTC.symbol, 5_000_000, 10_000), 10 * USDT);
  assert.equal(a.wallet, 9_990 * USDT); // cross: from the wallet
  assert.equal(b.position(BTC.symbol).isolatedMargin, 5_010 * USDT); // isolated: into the isolated margin
  // negative rate -0.0375%, mark 50,123.45: 2 x 50,123.45 x 0.000375 = 37.5925875 -> 37.592588 (half away)
  assert.equal(a.applyFunding(BTC.symbol, 5_012_345, -37_500), 37_592_588);
  assert.equal(a.position(BTC.symbol).funding, -10 * USDT + 37_592_588);
});

test('worked example: isolated liquidation at the hand-computed price, closed at the bankruptcy price, insurance fund', () => {
  const a = new PerpAccount({ marginAsset: 'USDT', marginPrecision: 6, wallet: 10_000 * USDT });
  a.addContract(BTC, 'isolated', 20);
  // long 1 BTC at 50,000.00, 20x: initial margin 2,500 USDT
  assert.ok(a.trade(0, BTC.symbol, 'BUY', 1_000, 5_000_000, 0).ok);
  assert.equal(a.position(BTC.symbol).isolatedMargin, 2_500 * USDT);
  // LP = (WB + cum - Q x EP) / (Q x MMR - Q) = (2,500 + 0 - 50,000) / (0.004 - 1) = 47,690.7630522...
  // (bracket 1: the notional at LP, 47,690.76, is under 50,000)
  const lp = a.liquidationPrice(BTC.symbol);
  assert.ok(Math.abs(lp - 4_769_076.30522) < 1e-3, `LP ${lp}`);
  // BP = EP - WB / Q = 50,000 - 2,500 = 47,500
  assert.equal(a.bankruptcyPrice(BTC.symbol), 4_750_000);
  // at 47,690.77: margin balance 190.77 >= maintenance ceil(190.76308) = 190.763080 -> safe
  a.mark(BTC.symbol, 4_769_077);
  assert.equal(a.marginBalance(BTC.symbol), 190_770_000);
  assert.equal(a.maintenanceMargin(BTC.symbol), 190_763_080);
  assert.equal(a.shouldLiquidate(BTC.symbol), false);
  // at 47,690.76: 190.76 < 190.76304 -> liquidate
  a.mark(BTC.symbol, 4_769_076);
  assert.equal(a.shouldLiquidate(BTC.symbol), true);
  const eng = new LiquidationEngine(1_000 * USDT);
  const rep = eng.liquidate(1, a, BTC.symbol, 4_769_076);
  // the trader loses the 2,500 margin (closed at 47,500); the fund gets (47,690.76 - 47,500) x 1 = 190.76
  assert.equal(rep.marginLost, 2_500 * USDT);
  assert.equal(rep.insuranceDelta, 190_760_000);
  assert.equal(rep.bankruptcyPrice, 4_750_000);
  assert.equal(eng.insuranceFund, 1_190_760_000);
  assert.equal(a.position(BTC.symbol).size, 0);
  assert.equal(a.position(BTC.symbol).isolatedMargin, 0);
  assert.equal(a.position(BTC.symbol).realizedPnl, -2_500 * USDT);
  assert.equal(a.wallet, 7_500 * USDT); // the rest of the wallet is untouched
  // a gap through the bankruptcy price: short 1 BTC at 50,000, 50x (1,000 margin); BP = 51,000; fill at 51,200 -> fund pays 200
  const s = new PerpAccount({ marginAsset: 'USDT', marginPrecision: 6, wallet: 1_000 * USDT });
  s.addContract(BTC, 'isolated', 50);
  assert.ok(s.trade(2, BTC.symbol, 'SELL', 1_000, 5_000_000, 0).ok);
  assert.equal(s.bankruptcyPrice(BTC.symbol), 5_100_000);
  const r2 = eng.liquidate(3, s, BTC.symbol, 5_120_000);
  assert.equal(r2.insuranceDelta, -200 * USDT);
  assert.equal(eng.insuranceFund, 990_760_000);
  assert.equal(r2.shortfall, 0);
});

test('cross liquidation: the wallet is the margin; LP by the cross formula', () => {
  const a = new PerpAccount({ marginAsset: 'USDT', marginPrecision: 6, wallet: 1_000 * USDT });
  a.addContract(BTC, 'cross', 100);
  assert.ok(a.trade(0, BTC.symbol, 'BUY', 1_000, 5_000_000, 0).ok); // IM 500
  // LP = (1,000 - 0 + 0 + 0 - 50,000) / (0.004 - 1) = 49,196.7871...
  assert.ok(Math.abs(a.liquidationPrice(BTC.symbol) - 4_919_678.7149) < 1e-3);
  assert.ok(Math.abs(a.bankruptcyPrice(BTC.symbol) - 4_900_000) < 1e-6);
  a.mark(BTC.symbol, 4_919_679);
  assert.equal(a.shouldLiquidate(BTC.symbol), false);
  a.mark(BTC.symbol, 4_919_678);
  assert.equal(a.shouldLiquidate(BTC.symbol), true);
  const eng = new LiquidationEngine(0);
  const rep = eng.liquidate(1, a, BTC.symbol, 4_919_678);
  assert.equal(rep.insuranceDelta, 196_780_000); // 49,196.78 - 49,000
  assert.equal(a.wallet, 0);
  // a fill below the bankruptcy price with an empty fund: shortfall for auto-deleveraging
  const b = new PerpAccount({ marginAsset: 'USDT', marginPrecision: 6, wallet: 1_000 * USDT });
  b.addContract(BTC, 'cross', 100);
  assert.ok(b.trade(0, BTC.symbol, 'BUY', 1_000, 5_000_000, 0).ok);
  const empty = new LiquidationEngine(0);
  assert.equal(empty.liquidate(2, b, BTC.symbol, 4_890_000).shortfall, 100 * USDT);
  assert.equal(empty.insuranceFund, 0);
});

test('leverage above the tier maximum is refused; margin checks; realized PnL on close', () => {
  const a = new PerpAccount({ marginAsset: 'USDT', marginPrecision: 6, wallet: 10_000 * USDT });
  assert.throws(() => a.addContract(BTC, 'cross', 150), (e: unknown) => e instanceof MarketsimError && e.code === 'LEVERAGE_ABOVE_TIER_MAX');
  a.addContract(BTC, 'cross', 125);
  assert.equal(a.setLeverage(BTC.symbol, 126), 'LEVERAGE_ABOVE_TIER_MAX');
  // 1.2 BTC at 50,000 = 60,000 USDT: bracket 2 allows 100x at most
  const r = a.trade(0, BTC.symbol, 'BUY', 1_200, 5_000_000, 0);
  assert.equal(r.ok ? '' : r.reason, 'LEVERAGE_ABOVE_TIER_MAX');
  assert.match(r.ok ? '' : r.message, /leverage 125 exceeds the maximum 100 for a notional of 60000\.000000 USDT/);
  assert.ok(a.trade(0, BTC.symbol, 'BUY', 900, 5_000_000, 0).ok); // 45,000 at 125x
  assert.equal(a.setLeverage(BTC.symbol, 100), undefined);
  assert.equal(a.setMarginMode(BTC.symbol, 'isolated'), 'POSITION_OPEN');
  // too big for the wallet: 100 BTC at 50,000 at 100x needs... bracket 3 max 50x -> refused by leverage first
  assert.equal(a.setLeverage(BTC.symbol, 20), undefined);
  const big = a.trade(1, BTC.symbol, 'BUY', 10_000, 5_000_000, 0); // +500,000 USDT at 20x = 25,000 IM > 10,000
  assert.equal(big.ok ? '' : big.reason, 'INSUFFICIENT_MARGIN');
  // sell 0.9 BTC at 51,000: realized (51,000 - 50,000) x 0.9 = 900, fee 18 USDT
  assert.deepEqual(a.trade(2, BTC.symbol, 'SELL', 900, 5_100_000, 18 * USDT), { ok: true, realized: 900 * USDT });
  assert.equal(a.wallet, (10_000 + 900 - 18) * USDT);
  assert.equal(a.position(BTC.symbol).size, 0);
});

test('property: between two counterparties, trades and funding move money only between them, exactly', () => {
  const step = fc.oneof(
    fc.record({ k: fc.constant('trade' as const), buy: fc.boolean(), qty: fc.integer({ min: 1, max: 500 }), price: fc.integer({ min: 1_000_000, max: 9_000_000 }) }),
    fc.record({ k: fc.constant('funding' as const), mark: fc.integer({ min: 1_000_000, max: 9_000_000 }), rate: fc.integer({ min: -300_000, max: 300_000 }) }),
  );
  fc.assert(
    fc.property(fc.array(step, { maxLength: 40, size: 'max' }), fc.boolean(), (steps, isolated) => {
      const mode = isolated ? 'isolated' : 'cross';
      const a = new PerpAccount({ marginAsset: 'USDT', marginPrecision: 6, wallet: 1e9 * USDT });
      const b = new PerpAccount({ marginAsset: 'USDT', marginPrecision: 6, wallet: 1e9 * USDT });
      a.addContract(BTC, mode, 1);
      b.addContract(BTC, mode, 1);
      const money = (x: PerpAccount) => x.wallet + x.position(BTC.symbol).isolatedMargin;
      let last = 5_000_000;
      for (const s of steps) {
        if (s.k === 'trade') {
          const ra = a.trade(0, BTC.symbol, s.buy ? 'BUY' : 'SELL', s.qty, s.price, 0);
          const rb = b.trade(0, BTC.symbol, s.buy ? 'SELL' : 'BUY', s.qty, s.price, 0);
          assert.equal(ra.ok, rb.ok);
          if (ra.ok && rb.ok) {
            assert.equal(ra.realized + rb.realized, 0);
            last = s.price;
          }
        } else {
          assert.equal(a.applyFunding(BTC.symbol, s.mark, s.rate) + b.applyFunding(BTC.symbol, s.mark, s.rate), 0);
        }
        assert.equal(a.position(BTC.symbol).size + b.position(BTC.symbol).size, 0);
        assert.equal(money(a) + money(b), 2e9 * USDT);
      }
      // close both at the last price: all money is back in the wallets, still conserved
      const sz = a.position(BTC.symbol).size;
      if (sz !== 0) {
        assert.ok(a.trade(0, BTC.symbol, sz > 0 ? 'SELL' : 'BUY', Math.abs(sz), last, 0).ok);
        assert.ok(b.trade(0, BTC.symbol, sz > 0 ? 'BUY' : 'SELL', Math.abs(sz), last, 0).ok);
      }
      assert.equal(a.position(BTC.symbol).isolatedMargin, 0);
      assert.equal(a.wallet + b.wallet, 2e9 * USDT);
    }),
    { numRuns: 200, seed: 7 },
  );
});
