import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gbmBarSource } from '../../src/data/gbm.ts';
import { Rng } from '../../src/core/rng.ts';
import type { BarEvent } from '../../src/market/market-data.ts';
import type { Strategy, StrategyContext, StrategyOrderUpdate } from '../../src/sim/strategy.ts';
import { cryptoRun, H, S, SPOT_INFO, t, bar, events } from './helpers.ts';

const T0 = t('2024-01-05T00:00:00Z'); // a Friday
const SATURDAY = 6;

/** Hourly GBM bars for BTC/USDT from Friday 00:00 to Monday 00:00 (72 bars). */
const gbm = (registry: Parameters<Parameters<typeof cryptoRun>[0]['data']>[0]) => [
  gbmBarSource({ instrument: registry.get('BTC/USDT')!, start: T0, intervalUs: H, count: 72, s0: 45_000, mu: 0, sigma: 0.6, rng: new Rng(3), volume: { mean: 50 } }),
];

test('synthetic run with BINANCE.0 filters: minimum notional, step size, fills on a Saturday', async (t0) => {
  if (!SPOT_INFO) return t0.skip('shared data missing');
  const updates: StrategyOrderUpdate[] = [];
  let sent = false;
  const strategy: Strategy = {
    onBar(ctx: StrategyContext, b: BarEvent) {
      if (sent || new Date(b.time / 1000).getUTCDay() !== SATURDAY) return;
      sent = true;
      const px = Math.round(b.close); // on the 0.01 tick
      ctx.submit({ symbol: 'BTC/USDT', side: 'BUY', quantity: 0.001, price: px, tag: 'ok-notional' }); // ~45 USDT
      ctx.submit({ symbol: 'BTC/USDT', side: 'BUY', quantity: 0.0001, price: px, tag: 'tiny' }); // ~4.5 USDT < 10
      ctx.submit({ symbol: 'BTC/USDT', side: 'BUY', quantity: 0.000015, price: px, tag: 'off-step' }); // step 0.00001
      ctx.submit({ symbol: 'BTC/USDT', side: 'BUY', quantity: 0.01, tag: 'market' });
    },
    onOrderUpdate(_ctx, u) {
      updates.push(u);
    },
  };
  const { run, registry } = await cryptoRun({ crypto: { exchangeInfo: SPOT_INFO, symbols: ['BTC/USDT'] }, data: gbm, strategy });
  const inst = registry.get('BTC/USDT')!;
  assert.deepEqual([inst.pricePrecision, inst.tickUnits, inst.sizePrecision, inst.lotUnits, inst.currency, inst.venue], [8, 1_000_000, 8, 1_000, 'USDT', 'BINANCE']);
  const r = await run();
  const reason = (tag: string) => r.rejected.find((x) => x.orderId === updates.find((u) => u.tag === tag)?.orderId)?.reason;
  assert.equal(reason('tiny'), 'BELOW_MIN_NOTIONAL');
  assert.equal(reason('off-step'), 'BAD_LOT');
  assert.equal(reason('ok-notional'), undefined);
  const market = r.fills.find((f) => f.tag === 'market');
  assert.ok(market, 'the market order fills');
  assert.equal(new Date(market.time / 1000).getUTCDay(), SATURDAY, 'crypto trades 24/7: the fill is on Saturday');
  assert.equal(market.quantity, 0.01);
});

test('an outage rejects orders VENUE_OUTAGE, cancels resting orders (cancel policy) and stops the data', async (t0) => {
  if (!SPOT_INFO) return t0.skip('shared data missing');
  const statuses: string[] = [];
  const barTimes: number[] = [];
  const ids: Record<string, number> = {};
  const strategy: Strategy = {
    onBar(ctx, b) {
      barTimes.push(b.time);
      if (ids.resting === undefined) ids.resting = ctx.submit({ symbol: 'BTC/USDT', side: 'BUY', quantity: 0.001, price: 20_000, tag: 'resting' });
      if (b.time === t('2024-01-06T13:00:00Z')) ids.after = ctx.submit({ symbol: 'BTC/USDT', side: 'BUY', quantity: 0.001, tag: 'after' });
    },
    onStatus(ctx, s) {
      statuses.push(`${(s.time - T0) / H}h ${s.status} ${s.reason}`);
      if (s.status === 'OUTAGE') ids.during = ctx.submit({ symbol: 'BTC/USDT', side: 'BUY', quantity: 0.001, tag: 'during' });
      assert.equal(ctx.tradingBlock('BTC/USDT'), s.status === 'OUTAGE' ? 'VENUE_OUTAGE' : undefined);
    },
  };
  const { run } = await cryptoRun({
    crypto: { exchangeInfo: SPOT_INFO, symbols: ['BTC/USDT'], restingOrders: 'cancel', faults: [{ type: 'outage', start: '2024-01-06T12:00:00Z', durationSeconds: 3600 }] },
    data: gbm,
    strategy,
  });
  const r = await run();
  assert.deepEqual(statuses, ['36h OUTAGE outage', '37h RESUME end of outage']);
  assert.equal(r.rejected.find((x) => x.orderId === ids.during)?.reason, 'VENUE_OUTAGE');
  const resting = r.orders.find((o) => o.id === ids.resting)!;
  assert.equal(resting.status, 'CANCELED');
  assert.equal(resting.cancelReason, 'VENUE_OUTAGE');
  assert.ok(!barTimes.includes(t('2024-01-06T12:00:00Z')), 'no market data during the outage');
  assert.ok(barTimes.includes(t('2024-01-06T13:00:00Z')));
  assert.equal(r.fills.filter((f) => f.orderId === ids.after).length, 1, 'orders fill again after RESUME');
});

test('tiered fees: the taker rate drops from VIP2 to VIP3 the day after the 30-day volume crosses 20M', async (t0) => {
  if (!SPOT_INFO) return t0.skip('shared data missing');
  const strategy: Strategy = {
    onBar(ctx, b) {
      if (b.time === T0) ctx.submit({ symbol: 'BTC/USDT', side: 'BUY', quantity: 0.5, tag: 'day0' });
      if (b.time === T0 + 12 * H) ctx.submit({ symbol: 'BTC/USDT', side: 'SELL', quantity: 0.2, tag: 'day0-later' });
      if (b.time === T0 + 25 * H) ctx.submit({ symbol: 'BTC/USDT', side: 'SELL', quantity: 0.3, tag: 'day1' });
    },
  };
  const { run, crypto } = await cryptoRun({
    crypto: { exchangeInfo: SPOT_INFO, symbols: ['BTC/USDT'], fees: { tiers: 'binance-spot', thirtyDayVolume: 19_990_000 } },
    account: { startingCash: 100_000 * 1e8 },
    data: (reg) => [events('bars', Array.from({ length: 30 }, (_, i) => bar(reg.get('BTC/USDT')!, T0 + i * H, 50_000 + i)))],
    strategy,
  });
  const r = await run();
  const fill = (tag: string) => r.fills.find((f) => f.tag === tag)!;
  // exact fee in cash units (1e-8 USDT): round(price units x size units / 10^8 x rate / 1e8)
  const fee = (f: { price: number; quantity: number }, rate: bigint) => {
    const n = BigInt(Math.round(f.price * 1e8)) * BigInt(Math.round(f.quantity * 1e8)) / 10n ** 8n; // exact: price has 2 decimals
    return Number((n * rate + 50_000_000n) / 100_000_000n) / 1e8;
  };
  // day 0: 19.99M before the run (VIP2, taker 0.1%); the 0.5 BTC buy at 50,001 (25,000.5 USDT) takes the
  // volume past 20M, but Binance counts complete days: VIP2 all day 0, VIP3 (taker 0.06%) from day 1
  assert.equal(fill('day0').price, 50_001);
  assert.equal(fill('day0').fee, fee(fill('day0'), 100_000n));
  assert.equal(fill('day0').fee, 25.0005);
  assert.equal(fill('day0-later').fee, fee(fill('day0-later'), 100_000n));
  assert.equal(fill('day1').fee, fee(fill('day1'), 60_000n));
  assert.equal(fill('day1').fee, 9.00468); // 0.3 x 50,026 x 0.06%
  const rep = r.plugins['crypto-fees'] as { tierAtEnd: string; byTier: Record<string, { fills: number }> };
  assert.equal(rep.tierAtEnd, 'VIP3');
  assert.deepEqual(Object.fromEntries(Object.entries(rep.byTier).map(([k, v]) => [k, v.fills])), { VIP2: 2, VIP3: 1 });
  assert.equal(crypto.feePlugin!.volume(T0 + 29 * H), 20_025_003.1);
});

test('a withdrawal leaves with its network fee at once and arrives after confirmations; a deposit is unavailable until confirmed', async (t0) => {
  if (!SPOT_INFO) return t0.skip('shared data missing');
  const cash: Record<string, number> = {};
  const strategy: Strategy = {
    onStart(ctx) {
      for (const [name, dt] of [['before-credit', 7300], ['after-credit', 7400]] as const) ctx.setTimer(T0 + dt * S, name);
    },
    onTimer(ctx, e) {
      cash[e.name] = ctx.cash;
    },
  };
  const { run, crypto, sim } = await cryptoRun({
    crypto: {
      exchangeInfo: SPOT_INFO,
      symbols: ['BTC/USDT'],
      transfers: {
        chains: { TRON: { blockSeconds: 60, confirmations: 3, fees: { USDT: '1' }, spikesPerDay: 0 } },
        locations: { BINANCE: { processingSeconds: 300 } },
        balances: { KRAKEN: { USDT: '5000' } },
        requests: [
          { time: '2024-01-05T01:00:00Z', from: 'BINANCE', to: 'KRAKEN', asset: 'USDT', chain: 'TRON', amount: '1000' },
          { time: '2024-01-05T01:30:00Z', from: 'BINANCE', to: 'KRAKEN', asset: 'USDT', chain: 'TRON', amount: '1000000' },
          { time: '2024-01-05T02:00:00Z', from: 'KRAKEN', to: 'BINANCE', asset: 'USDT', chain: 'TRON', amount: '2000' },
          { time: '2024-01-05T02:35:00Z', from: 'BINANCE', to: 'KRAKEN', asset: 'USDT', chain: 'TRON', amount: '10' },
        ],
      },
      faults: [{ type: 'outage', start: '2024-01-05T02:30:00Z', end: '2024-01-05T02:40:00Z' }],
    },
    data: (reg) => [events('bars', Array.from({ length: 4 }, (_, i) => bar(reg.get('BTC/USDT')!, T0 + i * H, 50_000)))],
    strategy,
  });
  const r = await run();
  // blocks every 60 s from the first event (T0): the withdrawal is broadcast at 01:05 (300 s processing),
  // mined in the block of 01:06 (pending at KRAKEN), credited at the third block, 01:08
  const rep = r.plugins['crypto-transfers'] as {
    transfers: { amount: string; fee: string; net: string; seen: string; credited: string; state: string }[];
    refused: { reason: string; message: string }[];
    balances: { location: string; asset: string; available: string; pending: string }[];
    networkFees: Record<string, string>;
  };
  assert.deepEqual(
    rep.transfers.map((x) => [x.amount, x.fee, x.net, x.seen, x.credited, x.state]),
    [
      ['1000.00000000', '1.00000000', '999.00000000', '2024-01-05T01:06:00.000Z', '2024-01-05T01:08:00.000Z', 'CREDITED'],
      ['2000.00000000', '1.00000000', '1999.00000000', '2024-01-05T02:01:00.000Z', '2024-01-05T02:03:00.000Z', 'CREDITED'],
    ],
  );
  // 1,000,000 USDT > the free cash; no withdrawals while the venue is down
  assert.deepEqual(rep.refused.map((x) => x.reason), ['INSUFFICIENT_BALANCE', 'LOCATION_UNAVAILABLE']);
  assert.match(rep.refused[0]!.message, /1000000\.00000000 USDT exceeds the free cash of 9000\.00000000 USDT at BINANCE/);
  assert.equal(rep.balances.find((b) => b.location === 'KRAKEN' && b.asset === 'USDT')!.available, '3999.00000000'); // 5000 + 999 - 2000
  assert.deepEqual(rep.networkFees, { USDT: '2.00000000' });
  // the account: WITHDRAWAL of the net amount and NETWORK_FEE at the request, DEPOSIT only when confirmed
  const flows = sim.account.ledger.map((e) => [(e.time - T0) / S, e.kind, e.amount / 1e8]);
  assert.deepEqual(flows, [
    [3600, 'WITHDRAWAL', -999],
    [3600, 'NETWORK_FEE', -1],
    [7380, 'DEPOSIT', 1999],
  ]);
  assert.equal(cash['before-credit'], 9_000, 'seen on chain at 02:01 but not confirmed: not in the account');
  assert.equal(cash['after-credit'], 10_999);
  assert.equal(crypto.transferPlugin!.balances.pending('BINANCE', 'USDT'), 0);
});
