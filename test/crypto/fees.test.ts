import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BINANCE_SPOT_VIP_TIERS, FeeTierTable, RollingVolume, TieredFees } from '../../src/assets/crypto/fee-tiers.ts';
import { Instrument } from '../../src/market/instrument.ts';
import { MarketsimError } from '../../src/core/errors.ts';

const DAY = 86_400_000_000;
const T0 = Date.UTC(2024, 0, 1) * 1000; // 2024-01-01 00:00 UTC, microseconds

test('tier table: Binance spot VIP0..9 picks the last tier whose bound is reached; bad tables are refused', () => {
  const t = new FeeTierTable();
  assert.equal(t.tiers.length, 10);
  assert.equal(t.tiers[t.tierIndex(0)]!.name, 'VIP0');
  assert.equal(t.tiers[t.tierIndex(999_999)]!.name, 'VIP0');
  assert.equal(t.tiers[t.tierIndex(1_000_000)]!.name, 'VIP1');
  assert.equal(t.tiers[t.tierIndex(25_000_000)]!.name, 'VIP3');
  assert.equal(t.tiers[t.tierIndex(5e9)]!.name, 'VIP9');
  assert.throws(() => new FeeTierTable([]), (e: unknown) => e instanceof MarketsimError && e.code === 'FEE_TIERS_INVALID');
  assert.throws(() => new FeeTierTable([{ name: 'A', minVolume: 10, maker: 1, taker: 1 }]), /first tier must start at minVolume 0/);
  assert.throws(() => new FeeTierTable([BINANCE_SPOT_VIP_TIERS[0]!, { name: 'B', minVolume: 0, maker: 1, taker: 1 }]), /tiers\[1\] \(B\): minVolume must increase/);
  assert.throws(() => new FeeTierTable([{ name: 'A', minVolume: 0, maker: 0.5, taker: 1 }]), /integer rate units/);
});

test('rolling 30-day volume, daily (Binance) and continuous windows', () => {
  const d = new RollingVolume(30, 'daily');
  d.record(T0 + 3_600_000_000, 600_000); // day 0
  d.record(T0 + DAY + 1, 500_000); // day 1
  assert.equal(d.volume(T0 + DAY + 2), 600_000); // today's volume does not count yet
  assert.equal(d.volume(T0 + 2 * DAY), 1_100_000);
  assert.equal(d.volume(T0 + 30 * DAY), 1_100_000); // days 0..29 in the window
  assert.equal(d.volume(T0 + 31 * DAY), 500_000); // day 0 left the window
  assert.equal(d.volume(T0 + 31 * DAY + 5), 500_000);
  assert.equal(d.volume(T0 + 32 * DAY), 0);
  d.record(T0 + 100 * DAY, 7); // long gap: old buckets cleared
  assert.equal(d.volume(T0 + 101 * DAY), 7);
  assert.throws(() => d.record(T0, 1), (e: unknown) => e instanceof MarketsimError && e.code === 'TIME_BACKWARDS');

  const c = new RollingVolume(30, 'continuous');
  c.record(T0, 400);
  c.record(T0 + 10 * DAY, 300);
  assert.equal(c.volume(T0 + 30 * DAY - 1), 700);
  assert.equal(c.volume(T0 + 30 * DAY), 300); // (t - 30d, t]: the first trade is out exactly at +30 d
  assert.equal(c.volume(T0 + 40 * DAY), 0);
});

test('fees worked by hand: quote asset, tier change, BNB with a 25% discount, FeeModel interface', () => {
  // volume in whole USD; USDT quote at precision 6
  const fees = new TieredFees({ feeToken: { asset: 'BNB', precision: 8, discount: 25_000_000 } });
  // VIP0 taker 0.1% of 570.0001 USDT = 0.5700001 -> 570,000 (1e-6 USDT, half away from zero: 0.570000|1)
  const c0 = fees.quoteFee(T0, 'TAKER', 'USDT', 570_000_100);
  assert.deepEqual(c0, { asset: 'USDT', amount: 570_000, rate: 100_000, tier: 'VIP0' });
  // 25,000,000 USD traded on day 0 -> VIP3 from day 1: maker 0.042%, taker 0.06%
  fees.volume.record(T0 + 1, 25_000_000);
  assert.equal(fees.tier(T0 + 2).name, 'VIP0');
  assert.equal(fees.tier(T0 + DAY).name, 'VIP3');
  // maker 0.042% of 10,000 USDT = 4.2 USDT
  assert.equal(fees.quoteFee(T0 + DAY, 'MAKER', 'USDT', 10_000_000_000).amount, 4_200_000);
  // BNB: taker VIP3 0.06% * 0.75 = 0.045%; of 570.0001 USDT = 0.2565000450 USDT; BNB at 400.00 USDT
  // -> 0.000641250112... BNB -> 64,125 (1e-8 BNB)
  const cb = fees.tokenFee(T0 + DAY, 'TAKER', 570_000_100, 6, { units: 40_000, precision: 2 });
  assert.deepEqual(cb, { asset: 'BNB', amount: 64_125, rate: 45_000, tier: 'VIP3' });
  // the same at VIP0 (another model): 0.1% * 0.75 = 0.075% -> 0.427500075 USDT / 400 = 0.00106875019 BNB -> 106,875
  const f0 = new TieredFees({ feeToken: { asset: 'BNB', precision: 8, discount: 25_000_000 }, payInFeeToken: true });
  assert.equal(f0.charge(T0, 'TAKER', 'USDT', 570_000_100, 6, { units: 40_000, precision: 2 }).amount, 106_875);
  assert.throws(() => f0.charge(T0, 'TAKER', 'USDT', 1, 6), (e: unknown) => e instanceof MarketsimError && e.code === 'PRICE_MISSING' && /BNB\/USDT/.test(e.message));
  // FeeModel interface: notional in the account's cash units, tier at setTime
  const inst = new Instrument(0, { symbol: 'BTC/USDT', pricePrecision: 2, sizePrecision: 5, currency: 'USDT' });
  f0.setTime(T0);
  assert.equal(f0.fee(inst, 1_000_000, 'MAKER', true), 1_000); // VIP0 0.1%
  fees.setTime(T0 + DAY);
  assert.equal(fees.fee(inst, 1_000_000, 'MAKER', true), 420); // VIP3 0.042%
  assert.throws(() => new TieredFees({ payInFeeToken: true }), /needs feeToken/);
});
