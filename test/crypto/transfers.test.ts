import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AssetTable } from '../../src/assets/crypto/assets.ts';
import { Balances } from '../../src/assets/crypto/balances.ts';
import { BlockClock, DEFAULT_CHAINS, FeeMarket, type ChainSpec } from '../../src/assets/crypto/chains.ts';
import { TransferEngine } from '../../src/assets/crypto/transfers.ts';
import { Rng } from '../../src/core/rng.ts';
import { MarketsimError } from '../../src/core/errors.ts';

const S = 1_000_000;
const T0 = Date.UTC(2024, 0, 1) * 1000;
const calm = { spikesPerDay: 0, spikeMeanMinutes: 1, minMultiplier: 1, maxMultiplier: 1 };

test('worked example: a BTC withdrawal with 3 confirmations on fixed 600 s blocks', () => {
  const assets = new AssetTable();
  const bal = new Balances(assets);
  bal.deposit('BINANCE', 'BTC', assets.parse('BTC', '1'));
  const chains: Record<string, ChainSpec> = {
    BTC: { name: 'BTC', blockTime: { kind: 'fixed', seconds: 600 }, feeMarket: calm, confirmations: 2, baseFees: { BTC: 20_000 } },
  };
  const eng = new TransferEngine(bal, { genesis: T0, seed: 1, chains, locations: { BINANCE: { processingSeconds: 300 }, KRAKEN: { confirmations: { BTC: 3 } } } });
  // blocks at T0 + 600 s, 1200 s, 1800 s ...; request at +100 s, broadcast at +400 s (300 s review),
  // included in block 1 (+600 s, seen), 3 confirmations -> block 3 (+1800 s, credited)
  const r = eng.request({ time: T0 + 100 * S, from: 'BINANCE', to: 'KRAKEN', asset: 'BTC', chain: 'BTC', amount: 50_000_000 });
  assert.ok(r.ok);
  const t = r.transfer;
  assert.equal(t.fee, 20_000);
  assert.equal(t.net, 49_980_000);
  assert.equal(t.broadcastTime, T0 + 400 * S);
  assert.equal(t.height, 1);
  assert.equal(t.seenTime, T0 + 600 * S);
  assert.equal(t.creditTime, T0 + 1800 * S);
  assert.equal(bal.available('BINANCE', 'BTC'), 50_000_000); // debited at once
  assert.equal(eng.inFlight('BTC'), 49_980_000);
  assert.equal(eng.nextEventTime(), T0 + 600 * S);
  assert.deepEqual(eng.advanceTo(T0 + 599 * S), []);
  const seen = eng.advanceTo(T0 + 600 * S);
  assert.deepEqual(seen.map((e) => [e.kind, e.time]), [['DEPOSIT_SEEN', T0 + 600 * S]]);
  assert.equal(bal.pending('KRAKEN', 'BTC'), 49_980_000);
  assert.equal(bal.available('KRAKEN', 'BTC'), 0); // unavailable until confirmed
  assert.equal(bal.canDebit('KRAKEN', 'BTC', 1), 'INSUFFICIENT_BALANCE');
  assert.equal(eng.nextEventTime(), T0 + 1800 * S);
  assert.deepEqual(eng.advanceTo(T0 + 1799 * S), []);
  const credited = eng.advanceTo(T0 + 1800 * S);
  assert.deepEqual(credited.map((e) => [e.kind, e.time]), [['DEPOSIT_CREDITED', T0 + 1800 * S]]);
  assert.equal(bal.available('KRAKEN', 'BTC'), 49_980_000);
  assert.equal(bal.pending('KRAKEN', 'BTC'), 0);
  assert.equal(t.state, 'CREDITED');
  assert.equal(eng.nextEventTime(), Infinity);
  // conservation: 1 BTC = balances + fees
  assert.equal(bal.totalOf('BTC') + BigInt(eng.feesPaid('BTC')), 100_000_000n);

  // refusals: larger than the balance, unsupported network, fee above amount, venue unavailable
  const big = eng.request({ time: T0 + 2000 * S, from: 'BINANCE', to: 'KRAKEN', asset: 'BTC', chain: 'BTC', amount: 50_000_001 });
  assert.deepEqual(big.ok ? undefined : [big.reason, big.message], [
    'INSUFFICIENT_BALANCE',
    'transfer of BTC from BINANCE to KRAKEN on BTC: 0.50000001 BTC exceeds the available balance of 0.50000000 BTC at BINANCE',
  ]);
  const usdt = eng.request({ time: T0 + 2000 * S, from: 'BINANCE', to: 'KRAKEN', asset: 'USDT', chain: 'BTC', amount: 1 });
  assert.equal(usdt.ok ? '' : usdt.reason, 'UNSUPPORTED_NETWORK');
  const dust = eng.request({ time: T0 + 2000 * S, from: 'BINANCE', to: 'KRAKEN', asset: 'BTC', chain: 'BTC', amount: 20_000 });
  assert.equal(dust.ok ? '' : dust.reason, 'BELOW_NETWORK_FEE');
  eng.setAvailable('BINANCE', false);
  const down = eng.request({ time: T0 + 2000 * S, from: 'BINANCE', to: 'KRAKEN', asset: 'BTC', chain: 'BTC', amount: 1_000_000 });
  assert.equal(down.ok ? '' : down.reason, 'LOCATION_UNAVAILABLE');
  assert.equal(bal.available('BINANCE', 'BTC'), 50_000_000); // refusals change nothing
  assert.throws(() => eng.request({ time: T0, from: 'KRAKEN', to: 'BINANCE', asset: 'BTC', chain: 'BTC', amount: 1 }), (e: unknown) => e instanceof MarketsimError && e.code === 'TIME_BACKWARDS');
});

test('block clocks: BTC exponential with mean 600 s, ETH 12 s slots, seeded and reproducible', () => {
  const btc = new BlockClock(DEFAULT_CHAINS.BTC!.blockTime, T0, new Rng(7, 'btc'));
  const n = 20_000;
  const mean = (btc.timeOf(n) - T0) / n / S;
  assert.ok(Math.abs(mean - 600) < 600 * 0.03, `mean block time ${mean}`); // sd of the mean ~ 600/sqrt(n) = 4.2 s
  const again = new BlockClock(DEFAULT_CHAINS.BTC!.blockTime, T0, new Rng(7, 'btc'));
  assert.equal(again.firstBlockAfter(btc.timeOf(100)), 101);
  assert.equal(again.timeOf(n), btc.timeOf(n));
  const eth = new BlockClock(DEFAULT_CHAINS.ETH!.blockTime, T0, new Rng(7, 'eth'));
  let missed = 0;
  for (let h = 1; h <= 10_000; h++) {
    const dt = eth.timeOf(h) - eth.timeOf(h - 1 < 1 ? 1 : h - 1);
    if (h > 1) {
      assert.equal(dt % (12 * S), 0);
      missed += dt / (12 * S) - 1;
    }
  }
  assert.ok(missed > 50 && missed < 160, `missed slots ${missed}`); // ~1% of 10,000
  assert.equal(eth.firstBlockAfter(T0), 1);
});

test('fee market: base level with spikes under congestion, seeded', () => {
  const spec = { spikesPerDay: 24, spikeMeanMinutes: 30, minMultiplier: 2, maxMultiplier: 10 };
  const a = new FeeMarket(spec, T0, new Rng(3, 'fees'));
  const b = new FeeMarket(spec, T0, new Rng(3, 'fees'));
  let calmCount = 0;
  let spiked = 0;
  const levels: number[] = [];
  for (let m = 0; m < 10 * 24 * 60; m += 5) {
    const l = a.level(T0 + m * 60 * S);
    levels.push(l);
    if (l === 1) calmCount++;
    else {
      assert.ok(l >= 2 && l <= 10);
      spiked++;
    }
  }
  // spikes cover about 1 - exp(-24/day * 30 min) = 39% of the time
  const frac = spiked / (calmCount + spiked);
  assert.ok(frac > 0.25 && frac < 0.55, `spiked fraction ${frac}`);
  // the same seed gives the same levels, even queried out of order
  for (let m = 10 * 24 * 60 - 5; m >= 0; m -= 5) assert.equal(b.level(T0 + m * 60 * S), levels[m / 5]);
  assert.equal(new FeeMarket(spec, T0, new Rng(3, 'fees')).fee(T0, 20_000) >= 20_000, true);
});

test('transfers are deterministic with a seed and conserve the asset (exponential blocks, fee spikes)', () => {
  const run = (seed: number) => {
    const assets = new AssetTable();
    const bal = new Balances(assets);
    bal.deposit('A', 'BTC', 1_000_000_000);
    bal.deposit('B', 'USDT', 1_000_000_000);
    const eng = new TransferEngine(bal, { genesis: T0, seed });
    const out: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = T0 + i * 900 * S;
      eng.advanceTo(t);
      const r = eng.request({ time: t, from: i % 2 ? 'A' : 'B', to: i % 2 ? 'B' : 'A', asset: i % 2 ? 'BTC' : 'USDT', chain: i % 2 ? 'BTC' : 'TRON', amount: 10_000_000 });
      assert.ok(r.ok);
      out.push(r.transfer.creditTime, r.transfer.fee);
      assert.ok(r.transfer.creditTime > t);
    }
    eng.advanceTo(T0 + 365 * 86_400 * S);
    assert.equal(bal.totalOf('BTC') + BigInt(eng.feesPaid('BTC')), 1_000_000_000n);
    assert.equal(bal.totalOf('USDT') + BigInt(eng.feesPaid('USDT')), 1_000_000_000n);
    assert.equal(eng.transfers().every((t) => t.state === 'CREDITED'), true);
    return out;
  };
  assert.deepEqual(run(11), run(11));
  assert.notDeepEqual(run(11), run(12));
});
