import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AssetTable } from '../../src/assets/crypto/assets.ts';
import { Balances } from '../../src/assets/crypto/balances.ts';
import { PriceTable, valueBalances } from '../../src/assets/crypto/valuation.ts';
import { MarketsimError } from '../../src/core/errors.ts';

const code = (c: string) => (e: unknown) => e instanceof MarketsimError && e.code === c;

test('asset table: satoshi precision, exact parse and format, unknown assets refused', () => {
  const a = new AssetTable({ USDT: 8 });
  assert.equal(a.parse('BTC', '0.00000001'), 1);
  assert.equal(a.parse('BTC', '21000000'), 2_100_000_000_000_000);
  assert.equal(a.format('BTC', 2_100_000_000_000_000), '21000000.00000000');
  assert.equal(a.parse('USDT', '1.5'), 150_000_000);
  assert.equal(new AssetTable().parse('USDT', '1.5'), 1_500_000);
  assert.equal(a.parse('USD', '19.99'), 1999);
  assert.throws(() => a.parse('BTC', '0.000000001'), code('AMOUNT_INVALID'));
  assert.throws(() => a.parse('BTC', '1e-8'), code('AMOUNT_INVALID'));
  assert.throws(() => a.precision('DOGE'), code('UNKNOWN_ASSET'));
  assert.throws(() => a.define('doge', 8), code('ASSET_INVALID'));
});

test('balances: deposit, lock, a buy filled from the lock, a fee in BNB, withdrawal refused', () => {
  const assets = new AssetTable();
  const b = new Balances(assets);
  b.deposit('BINANCE', 'USDT', assets.parse('USDT', '1000'));
  b.deposit('BINANCE', 'BNB', assets.parse('BNB', '1'));
  b.lock('BINANCE', 'USDT', assets.parse('USDT', '570.0001'));
  assert.equal(b.available('BINANCE', 'USDT'), 429_999_900);
  assert.equal(b.locked('BINANCE', 'USDT'), 570_000_100);
  // buy 0.01 BTC at 57000.01 = 570.0001 USDT, fee 0.00075 BNB
  b.settleTrade({ venue: 'BINANCE', base: 'BTC', quote: 'USDT', side: 'BUY', baseAmount: 1_000_000, quoteAmount: 570_000_100, fee: 75_000, feeAsset: 'BNB', fromLocked: 570_000_100 });
  assert.equal(b.locked('BINANCE', 'USDT'), 0);
  assert.equal(b.available('BINANCE', 'USDT'), 429_999_900);
  assert.equal(b.available('BINANCE', 'BTC'), 1_000_000);
  assert.equal(b.available('BINANCE', 'BNB'), 99_925_000);
  // sell 0.004 BTC for 228 USDT, fee 0.228 USDT from the proceeds
  b.settleTrade({ venue: 'BINANCE', base: 'BTC', quote: 'USDT', side: 'SELL', baseAmount: 400_000, quoteAmount: 228_000_000, fee: 228_000, feeAsset: 'USDT' });
  assert.equal(b.available('BINANCE', 'BTC'), 600_000);
  assert.equal(b.available('BINANCE', 'USDT'), 429_999_900 + 228_000_000 - 228_000);
  // refusals leave everything unchanged and name venue, asset and amounts
  const before = JSON.stringify(b.rows());
  assert.equal(b.canDebit('BINANCE', 'BTC', 600_001), 'INSUFFICIENT_BALANCE');
  assert.throws(() => b.withdraw('BINANCE', 'BTC', 600_001), (e: unknown) => code('INSUFFICIENT_BALANCE')(e) && /BINANCE: 0\.00600001 BTC exceeds the available balance of 0\.00600000 BTC/.test((e as Error).message));
  assert.throws(() => b.settleTrade({ venue: 'BINANCE', base: 'BTC', quote: 'USDT', side: 'BUY', baseAmount: 1, quoteAmount: 1, fee: 200_000_000, feeAsset: 'BNB' }), code('INSUFFICIENT_BALANCE'));
  assert.throws(() => b.unlock('BINANCE', 'USDT', 1), code('INSUFFICIENT_BALANCE'));
  assert.throws(() => b.deposit('BINANCE', 'BTC', 0.5), code('AMOUNT_INVALID'));
  assert.equal(JSON.stringify(b.rows()), before);
  // pending deposits count in the total, not in available
  b.addPending('KRAKEN', 'BTC', 50_000_000);
  assert.equal(b.available('KRAKEN', 'BTC'), 0);
  assert.equal(b.total('KRAKEN', 'BTC'), 50_000_000);
  assert.equal(b.canDebit('KRAKEN', 'BTC', 1), 'INSUFFICIENT_BALANCE');
  b.confirmPending('KRAKEN', 'BTC', 50_000_000);
  assert.equal(b.available('KRAKEN', 'BTC'), 50_000_000);
  assert.equal(b.totalOf('BTC'), 50_600_000n);
});

test('valuation: per venue and total in a reporting currency, exact; a missing price is an error', () => {
  const assets = new AssetTable();
  const b = new Balances(assets);
  b.deposit('BINANCE', 'BTC', 12_345_678); // 0.12345678 BTC
  b.deposit('BINANCE', 'USDT', 1_000_000); // 1 USDT
  b.deposit('COINBASE', 'USD', 150); // $1.50
  b.deposit('COINBASE', 'BTC', 1); // 1 sat
  const p = new PriceTable('USD');
  p.set('BTC', '57000.01');
  p.set('USDT', '0.9998');
  // BTC: 0.12345679 * 57000.01 = 7037.0382420679... ; USDT 0.9998 ; USD 1.50
  const all = valueBalances(b, p);
  // 0.12345679 BTC * 57000.01 = 7037.0382645679; + 0.9998 + 1.50 = 7039.5380645679 USD = 703953.80645679 cents
  assert.equal((all.exact.num * 10n ** 8n) / all.exact.den, 70395380645679n);
  assert.equal(all.total, 703_954n); // 7039.5380... -> 7039.54
  assert.equal(all.text, '7039.54');
  assert.equal(valueBalances(b, p, 'COINBASE').total, 150n); // 1.50 + 0.00057 -> 1.50
  const q = new PriceTable('USD');
  q.set('BTC', '57000');
  assert.throws(() => valueBalances(b, q), (e: unknown) => code('PRICE_MISSING')(e) && /USDT in USD/.test((e as Error).message));
  // sums beyond 2^53 stay exact
  const big = new Balances(assets);
  for (let i = 0; i < 10; i++) big.deposit(`V${i}`, 'BTC', 2_000_000_000_000_000); // 20M BTC each
  p.set('BTC', '100000');
  assert.equal(big.totalOf('BTC'), 20_000_000_000_000_000n);
  assert.equal(valueBalances(big, p).total, (20_000_000_000_000_000n / 10n ** 8n) * 100_000n * 100n);
});

type Op =
  | { k: 'deposit'; v: number; a: number; amt: number }
  | { k: 'withdraw'; v: number; a: number; amt: number }
  | { k: 'lock'; v: number; a: number; amt: number }
  | { k: 'unlock'; v: number; a: number; amt: number }
  | { k: 'trade'; v: number; buy: boolean; lots: number; fee: number; feeAsset: number; locked: boolean }
  | { k: 'pending'; v: number; a: number; amt: number; confirm: boolean };

test('property: deposits, trades at the marked price and fees conserve value exactly in base units', () => {
  const ASSETS = ['BTC', 'USDT', 'BNB'];
  const VENUES = ['A', 'B'];
  const amt = fc.integer({ min: 1, max: 5_000_000_000 });
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ k: fc.constant('deposit' as const), v: fc.nat(1), a: fc.nat(2), amt }),
    fc.record({ k: fc.constant('withdraw' as const), v: fc.nat(1), a: fc.nat(2), amt }),
    fc.record({ k: fc.constant('lock' as const), v: fc.nat(1), a: fc.nat(2), amt }),
    fc.record({ k: fc.constant('unlock' as const), v: fc.nat(1), a: fc.nat(2), amt }),
    fc.record({ k: fc.constant('trade' as const), v: fc.nat(1), buy: fc.boolean(), lots: fc.integer({ min: 1, max: 1000 }), fee: fc.nat(100_000), feeAsset: fc.nat(2), locked: fc.boolean() }),
    fc.record({ k: fc.constant('pending' as const), v: fc.nat(1), a: fc.nat(2), amt, confirm: fc.boolean() }),
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 50, size: 'max' }), fc.integer({ min: 1, max: 10_000_000 }), (ops, btcPrice) => {
      const assets = new AssetTable();
      const b = new Balances(assets);
      const prices = new PriceTable('USDT');
      prices.setUnits('BTC', btcPrice, 2); // USDT per BTC, 2 decimals
      prices.setUnits('BNB', 31_234, 2);
      // expected value flows (exact): external in minus out minus fees, as fractions over 10^10
      const DEN = 10n ** 10n;
      const valueOf = (asset: string, n: number) => {
        const v = prices.exactValue(assets, asset, n);
        return (v.num * DEN) / v.den; // exact: den divides 10^10
      };
      let expected = 0n;
      const perAsset = new Map<string, bigint>(ASSETS.map((a) => [a, 0n]));
      for (const o of ops) {
        const venue = VENUES[o.v]!;
        const snap = () => JSON.stringify(b.rows().filter((r) => r.available + r.locked + r.pending !== 0));
        const before = snap();
        try {
          if (o.k === 'deposit') {
            b.deposit(venue, ASSETS[o.a]!, o.amt);
            expected += valueOf(ASSETS[o.a]!, o.amt);
            perAsset.set(ASSETS[o.a]!, perAsset.get(ASSETS[o.a]!)! + BigInt(o.amt));
          } else if (o.k === 'withdraw') {
            b.withdraw(venue, ASSETS[o.a]!, o.amt);
            expected -= valueOf(ASSETS[o.a]!, o.amt);
            perAsset.set(ASSETS[o.a]!, perAsset.get(ASSETS[o.a]!)! - BigInt(o.amt));
          } else if (o.k === 'lock') b.lock(venue, ASSETS[o.a]!, o.amt);
          else if (o.k === 'unlock') b.unlock(venue, ASSETS[o.a]!, o.amt);
          else if (o.k === 'pending') {
            b.addPending(venue, ASSETS[o.a]!, o.amt);
            expected += valueOf(ASSETS[o.a]!, o.amt);
            perAsset.set(ASSETS[o.a]!, perAsset.get(ASSETS[o.a]!)! + BigInt(o.amt));
            if (o.confirm) b.confirmPending(venue, ASSETS[o.a]!, o.amt);
          } else {
            // lots of 0.0001 BTC (10,000 sat): quote = lots * price units exactly (USDT 6 decimals)
            const baseAmount = o.lots * 10_000;
            const quoteAmount = o.lots * btcPrice;
            const paid = o.buy ? 'USDT' : 'BTC';
            const fromLocked = o.locked ? Math.min(b.locked(venue, paid), o.buy ? quoteAmount : baseAmount) : 0;
            const feeAsset = ASSETS[o.feeAsset]!;
            b.settleTrade({ venue, base: 'BTC', quote: 'USDT', side: o.buy ? 'BUY' : 'SELL', baseAmount, quoteAmount, fee: o.fee, feeAsset, fromLocked });
            expected -= valueOf(feeAsset, o.fee);
            const s = o.buy ? 1n : -1n;
            perAsset.set('BTC', perAsset.get('BTC')! + s * BigInt(baseAmount));
            perAsset.set('USDT', perAsset.get('USDT')! - s * BigInt(quoteAmount));
            perAsset.set(feeAsset, perAsset.get(feeAsset)! - BigInt(o.fee));
          }
        } catch (e) {
          if (!(e instanceof MarketsimError) || e.code !== 'INSUFFICIENT_BALANCE') throw e;
          assert.equal(snap(), before); // a refusal changes nothing
        }
        for (const r of b.rows()) assert.ok(r.available >= 0 && r.locked >= 0 && r.pending >= 0);
      }
      const val = valueBalances(b, prices);
      assert.equal((val.exact.num * DEN) / val.exact.den, expected);
      assert.equal((val.exact.num * DEN) % val.exact.den, 0n);
      for (const a of ASSETS) assert.equal(b.totalOf(a), perAsset.get(a));
    }),
    { numRuns: 150, seed: 42 },
  );
});
