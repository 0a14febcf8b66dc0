import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../../src/core/errors.ts';
import { Rng } from '../../src/core/rng.ts';
import { zodIssues } from '../../src/sim/run-config.ts';
import { cryptoConfigSchema, parseCryptoConfig } from '../../src/sim/crypto-config.ts';
import { planFaults } from '../../src/sim/crypto-faults.ts';
import type { Strategy } from '../../src/sim/strategy.ts';
import { bar, cryptoRun, events, H, S, SPOT_INFO, t } from './helpers.ts';

const YAML = `
crypto:
  exchangeInfo: ../shared/data/binance/cryptofeed-sample_data/BINANCE.0
  symbols: [BTC/USDT]
  fees: { tiers: binance-spot, thirtyDayVolume: 2500000, feeToken: { asset: BNB, balance: "0.5", price: 300 } }
  restingOrders: cancel
  faults:
    - { type: maintenance, start: "2024-01-10T06:00:00Z", durationMinutes: 30 }
    - { type: random-outages, perDay: 0.5, duration: { kind: exponential, meanSeconds: 600 }, from: "2024-01-01", to: "2024-02-01" }
    - { type: flash-crash, symbol: BTC/USDT, start: "2024-01-15T03:00:00Z", drop: 0.3, dropSeconds: 120, recoverySeconds: 1800 }
  transfers:
    chains: { TRON: { confirmations: 19 } }
    requests: [{ time: "2024-01-02T00:00:00Z", from: BINANCE, to: WALLET, asset: USDT, chain: TRON, amount: 100 }]
`;

test('a crypto block of a run config: defaults applied, every section validated', () => {
  const c = parseCryptoConfig((parseYaml(YAML) as { crypto: unknown }).crypto);
  assert.equal(c.venue, 'BINANCE');
  assert.equal(c.precision, 'stated');
  assert.equal(c.fees!.window, 'daily');
  assert.equal(c.fees!.feeToken!.discount, 0.25);
  assert.equal(c.faults.length, 3);
  assert.deepEqual(c.transfers!.requests[0]!.amount, 100);
  assert.equal(c.perpetuals, undefined);
});

test('config errors name their path, in the crypto block and inside a run config schema', () => {
  const bad = (doc: unknown): string[] => {
    try {
      parseCryptoConfig(doc);
      return [];
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      return err.issues.map((i) => `${i.path}: ${i.message}`);
    }
  };
  assert.deepEqual(bad({ exchangeInfo: 'x', nope: 1 }), ['crypto: unknown key "nope"']);
  assert.match(bad({ exchangeInfo: 'x', faults: [{ type: 'flash-crash', symbol: 'BTC/USDT', start: '2024-01-01', drop: 1.5, dropSeconds: 1, recoverySeconds: 1 }] })[0]!, /^crypto\.faults\.0\.drop: /);
  assert.match(bad({ exchangeInfo: 'x', transfers: { requests: [{ time: 'yesterday', from: 'A', to: 'B', asset: 'USDT', chain: 'TRON', amount: 1 }] } })[0]!, /^crypto\.transfers\.requests\.0\.time: not an ISO 8601 time/);
  assert.match(bad({ exchangeInfo: 'x', perpetuals: { contracts: [{ symbol: 'BTC/USDT:USDT', index: 'BTC/USDT', marginMode: 'portfolio' }] } })[0]!, /^crypto\.perpetuals\.contracts\.0\.marginMode: /);
  assert.match(bad({ exchangeInfo: 'x', fees: { tiers: [{ name: 'A', minVolume: 0, maker: 0.000000001, taker: 0.001 }] } })[0]!, /^crypto\.fees\.tiers\.0\.maker: must be a multiple of 1e-8/);
  // the lead's run config adds `crypto: cryptoConfigSchema.optional()`: paths come out the same
  const run = z.object({ crypto: cryptoConfigSchema.optional() }).strict();
  const r = run.safeParse({ crypto: { exchangeInfo: 'x', fees: { feeToken: { asset: 'BNB', balance: 1 } } } });
  assert.ok(!r.success);
  assert.deepEqual(zodIssues(r.error), [{ path: 'crypto.fees.feeToken', message: 'give exactly one of price and priceSymbol' }]);
});

test('fault plan: overlapping windows give one OUTAGE/RESUME pair; random outages are seeded', () => {
  const c = parseCryptoConfig({
    exchangeInfo: 'x',
    faults: [
      { type: 'maintenance', start: '2024-01-01T00:00:00Z', durationMinutes: 60 },
      { type: 'outage', start: '2024-01-01T00:30:00Z', end: '2024-01-01T02:00:00Z' },
      { type: 'random-outages', perDay: 4, duration: { kind: 'fixed', seconds: 60 }, from: '2024-01-02', to: '2024-01-03' },
    ],
  });
  const a = planFaults(c.faults, 'BINANCE', 'keep', new Rng(1));
  const b = planFaults(c.faults, 'BINANCE', 'keep', new Rng(1));
  assert.deepEqual(a, b);
  assert.deepEqual(a.transitions.slice(0, 2), [
    { time: t('2024-01-01T00:00:00Z'), status: 'OUTAGE', reason: 'maintenance' },
    { time: t('2024-01-01T02:00:00Z'), status: 'RESUME', reason: 'end of outage' },
  ]);
  const random = a.down.slice(1);
  assert.ok(random.length > 0 && random.every((w) => w.end - w.start === 60 * S && w.start >= t('2024-01-02')));
  assert.notDeepEqual(planFaults(c.faults, 'BINANCE', 'keep', new Rng(2)).down, a.down);
});

test('fees paid in the fee token while it lasts (25% off at a fixed price), in USDT after', async (t0) => {
  if (!SPOT_INFO) return t0.skip('shared data missing');
  const T0 = t('2024-01-05T00:00:00Z');
  const strategy: Strategy = {
    onBar(ctx, b) {
      if (b.time === T0 || b.time === T0 + H) ctx.submit({ symbol: 'BTC/USDT', side: 'BUY', quantity: 0.01, tag: `buy${(b.time - T0) / H}` });
    },
  };
  const { run } = await cryptoRun({
    crypto: { exchangeInfo: SPOT_INFO, symbols: ['BTC/USDT'], fees: { feeToken: { asset: 'BNB', balance: '0.002', price: 300 } } },
    data: (reg) => [events('bars', [0, 1, 2].map((i) => bar(reg.get('BTC/USDT')!, T0 + i * H, 50_000)))],
    strategy,
  });
  const r = await run();
  // 0.01 x 50,000 = 500 USDT at VIP0 taker 0.1% = 0.5 USDT, 25% off = 0.375 USDT = 0.00125 BNB at 300
  assert.deepEqual(r.fills.map((f) => [f.tag, f.fee]), [
    ['buy0', 0],
    ['buy1', 0.5], // 0.00075 BNB left < 0.00125: paid in USDT
  ]);
  assert.deepEqual((r.plugins['crypto-fees'] as { feeToken: unknown }).feeToken, { asset: 'BNB', spent: '0.00125000', left: '0.00075000' });
});
