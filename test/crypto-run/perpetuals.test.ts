import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InstrumentRegistry } from '../../src/market/instrument.ts';
import type { QuoteEvent } from '../../src/market/market-data.ts';
import type { Strategy } from '../../src/sim/strategy.ts';
import type { CryptoConfigInput } from '../../src/sim/crypto-config.ts';
import { cryptoRun, events, FUTURES_INFO, H, quote, S, SPOT_INFO, t } from './helpers.ts';

const T0 = t('2024-01-05T00:00:00Z'); // a funding time (00:00 UTC)
const PERP = 'BTC/USDT:USDT';
const SPOT = 'BTC/USDT';
const MARGIN = { kind: 'margin' as const, leverage: 100, startingCash: 10_000 * 1e8 };

const perpCrypto = (extra: Partial<NonNullable<CryptoConfigInput['perpetuals']>> = {}, more: Partial<CryptoConfigInput> = {}): CryptoConfigInput => ({
  exchangeInfo: [SPOT_INFO!, FUTURES_INFO!],
  symbols: [SPOT, PERP],
  perpetuals: { contracts: [{ symbol: PERP, index: SPOT }], marginMode: 'isolated', leverage: 10, ...extra },
  ...more,
});

/** Spot and perpetual quotes every 10 minutes for `hours`, at the given (bid, ask) pairs. */
function flatQuotes(reg: InstrumentRegistry, hours: number, spot: [number, number], perp: [number, number]): QuoteEvent[] {
  const out: QuoteEvent[] = [];
  for (let m = 0; m <= hours * 60; m += 10) {
    out.push(quote(reg.get(SPOT)!, T0 + m * 60 * S, spot[0], spot[1]));
    out.push(quote(reg.get(PERP)!, T0 + m * 60 * S, perp[0], perp[1]));
  }
  return out;
}

const buyOnce = (quantity: number): Strategy => {
  let done = false;
  return {
    onQuote(ctx, q) {
      if (done || q.instrument.symbol !== PERP) return;
      done = true;
      ctx.submit({ symbol: PERP, side: 'BUY', quantity, tag: 'open' });
    },
  };
};

test('funding at 08:00 UTC: premium 0 gives the interest rate 0.01%; the long pays |size| x mark x F', async (t0) => {
  if (!SPOT_INFO || !FUTURES_INFO) return t0.skip('shared data missing');
  const { run, sim, registry } = await cryptoRun({
    crypto: perpCrypto(),
    data: (reg) => [events('quotes', flatQuotes(reg, 9, [49_999.5, 50_000.5], [49_999, 50_001]))],
    strategy: buyOnce(0.5),
    account: MARGIN,
  });
  const perp = registry.get(PERP)!;
  assert.deepEqual([perp.pricePrecision, perp.sizePrecision, perp.tickUnits, perp.lotUnits, perp.assetClass, perp.venue], [2, 3, 1, 1, 'future', 'BINANCE_FUTURES']);
  const r = await run();
  assert.equal(r.fills[0]!.price, 50_001);
  // index = spot mid 50,000; impact bid 49,999 < index < impact ask 50,001 -> P = 0 -> F = 0 + clamp(0.01% - 0) = 0.01%;
  // mark = median(index x (1 + 0), index + basis EMA 0, last 50,000) = 50,000; 0.5 x 50,000 x 0.0001 = 2.5 USDT
  const funding = sim.account.ledger.filter((e) => e.kind === 'FUNDING');
  assert.deepEqual(funding.map((e) => [(e.time - T0) / H, e.amount, e.instrumentSymbol]), [[8, -250_000_000, PERP]]);
  const rep = r.plugins['crypto-perpetuals'] as { funding: { rate: number; mark: number; size: number; amount: string }[]; positions: { isolatedMargin: string; funding: string }[] };
  assert.deepEqual(rep.funding.map((f) => [f.rate, f.mark, f.size, f.amount]), [[0.0001, 50_000, 0.5, '-2.50000000']]);
  // isolated: initial margin ceil(25,000.5 / 10) = 2,500.05, less the funding paid
  assert.equal(rep.positions[0]!.isolatedMargin, '2497.55000000');
  assert.equal(sim.account.cash, 10_000 * 1e8 - 250_000_000);
});

test('funding with a premium: P = 0.2% -> F = 0.2% + clamp(-0.19%) = 0.15%, paid by the long at the median mark', async (t0) => {
  if (!SPOT_INFO || !FUTURES_INFO) return t0.skip('shared data missing');
  const { run, sim } = await cryptoRun({
    crypto: perpCrypto(),
    data: (reg) => [events('quotes', flatQuotes(reg, 9, [49_999.5, 50_000.5], [50_100, 50_102]))],
    strategy: buyOnce(0.5),
    account: MARGIN,
  });
  await run();
  // premium = (impact bid 50,100 - index 50,000) / 50,000 = 0.002; F = 0.002 + max(-0.0005, 0.0001 - 0.002) = 0.0015
  // mark = median(P1 = 50,000 (no funding yet), P2 = 50,000 + basis 101, last 50,101) = 50,101
  // payment = 0.5 x 50,101 x 0.0015 = 37.57575 USDT
  const funding = sim.account.ledger.filter((e) => e.kind === 'FUNDING');
  assert.deepEqual(funding.map((e) => e.amount), [-3_757_575_000]);
});

test('margin at arrival and liquidation of an over-leveraged isolated long: the trader loses the margin, the fund the rest', async (t0) => {
  if (!SPOT_INFO || !FUTURES_INFO) return t0.skip('shared data missing');
  let step = 0;
  const strategy: Strategy = {
    onQuote(ctx, q) {
      if (q.instrument.symbol !== PERP || step++ > 0) return;
      ctx.submit({ symbol: PERP, side: 'BUY', quantity: 200, tag: 'too-big' }); // 10M notional: bracket max 20x < 50x
      ctx.submit({ symbol: PERP, side: 'BUY', quantity: 20, tag: 'no-margin' }); // 1M notional at 50x: 20,000 > 10,000
      ctx.submit({ symbol: PERP, side: 'BUY', quantity: 1, tag: 'open' });
    },
  };
  // both books move together (index = mark = mid): 50,000 -> 49,200 (safe) -> 49,100 (liquidation)
  const path: [number, number][] = [
    [49_999, 50_000],
    [49_199, 49_201],
    [49_099, 49_101],
    [49_099, 49_101],
  ];
  const { run, sim, crypto } = await cryptoRun({
    crypto: perpCrypto({ leverage: 50, insuranceFund: 1000 }),
    data: (reg) => [events('quotes', path.flatMap(([b, a], i) => [quote(reg.get(SPOT)!, T0 + i * 60 * S, b, a), quote(reg.get(PERP)!, T0 + i * 60 * S, b, a)]))],
    strategy,
    account: MARGIN,
  });
  const r = await run();
  const rejected = Object.fromEntries(r.rejected.map((x) => [r.orders.find((o) => o.id === x.orderId)!.tag, x.reason]));
  assert.deepEqual(rejected, { 'too-big': 'LEVERAGE_TOO_HIGH', 'no-margin': 'INSUFFICIENT_FUNDS' });
  // long 1 BTC at 50,000, 50x isolated: margin 1,000. At 49,200: balance 200 >= maintenance 0.4% x 49,200 = 196.8.
  // At 49,100: balance 100 < 196.4 -> liquidation; the market sell fills at the bid 49,099.
  // Bankruptcy price 50,000 - 1,000 / 1 = 49,000: the fund gets (49,099 - 49,000) x 1 = 99.
  assert.deepEqual(r.fills.map((f) => [f.tag, f.side, f.price, (f.time - T0) / S]), [
    ['open', 'BUY', 50_000, 0],
    ['perp-liquidation', 'SELL', 49_099, 120],
  ]);
  const rep = r.plugins['crypto-perpetuals'] as { liquidations: { bankruptcyPrice: number; execPrice: number; marginLost: string; insuranceDelta: string }[]; insuranceFund: string };
  assert.deepEqual(rep.liquidations.map((l) => [l.bankruptcyPrice, l.execPrice, l.marginLost, l.insuranceDelta]), [[49_000, 49_099, '1000.00000000', '99.00000000']]);
  assert.equal(rep.insuranceFund, '1099.00000000');
  assert.equal(crypto.perpetualsPlugin!.liquidations.insuranceFund, 1099 * 1e8);
  // the account: realized -901 at the fill and -99 to the fund = the 1,000 of margin
  assert.deepEqual(
    sim.account.ledger.filter((e) => e.instrumentSymbol === PERP).map((e) => [e.kind, e.amount / 1e8]),
    [
      ['TRADE', 0],
      ['TRADE', -901],
      ['ADJUSTMENT', -99],
    ],
  );
  assert.equal(sim.account.cash, 9_000 * 1e8);
  assert.equal(r.positions[PERP], undefined);
  assert.equal(crypto.perpetualsPlugin!.perpAccount.wallet, 9_000 * 1e8, 'the PerpAccount agrees with the account');
});

test('a flash crash cascades: spot stops trigger at the crash prints and a 20x perpetual long is liquidated beyond its bankruptcy price', async (t0) => {
  if (!SPOT_INFO || !FUTURES_INFO) return t0.skip('shared data missing');
  let sent = false;
  const spotQuotes: [number, number, number][] = [];
  const strategy: Strategy = {
    onQuote(ctx, q) {
      if (q.instrument.symbol === SPOT && q.time >= t('2024-01-05T00:50:00Z') && q.time <= t('2024-01-05T01:10:00Z')) spotQuotes.push([(q.time - T0) / 60 / S, q.bidPrice, q.bidSize]);
      if (sent || q.instrument.symbol !== PERP) return;
      sent = true;
      ctx.submit({ symbol: SPOT, side: 'BUY', quantity: 0.1, tag: 'spot' });
      ctx.submit({ symbol: SPOT, side: 'SELL', quantity: 0.1, triggerPrice: 45_000, tag: 'stop' });
      ctx.submit({ symbol: PERP, side: 'BUY', quantity: 1, tag: 'perp' });
    },
  };
  const crash = { type: 'flash-crash' as const, start: '2024-01-05T01:00:00Z', drop: 0.2, dropSeconds: 60, holdSeconds: 30, recoverySeconds: 300, steps: 5 };
  const { run, sim } = await cryptoRun({
    crypto: perpCrypto({ leverage: 20, insuranceFund: 10_000 }, { faults: [{ ...crash, symbol: SPOT }, { ...crash, symbol: PERP }] }),
    data: (reg) => [events('quotes', flatQuotes(reg, 2, [49_999.99, 50_000.01], [49_999, 50_001]))],
    strategy,
    account: { ...MARGIN, startingCash: 100_000 * 1e8 },
  });
  const r = await run();
  // the path: 0.96, 0.92, 0.88, 0.84 every 12 s, bottom 0.80 at +60 s: prints at 48,000, 46,000, 44,000 ...
  const stop = r.fills.find((f) => f.tag === 'stop')!;
  assert.equal(stop.price, 44_000); // the first print at or below the 45,000 trigger
  assert.equal((stop.time - t('2024-01-05T01:00:00Z')) / S, 36);
  // perp long 1 at 50,001, 20x: margin 2,500.05, bankruptcy 47,500.95. At +24 s the spot print (the index) falls to
  // 46,000 first: mark = median(46,000, 46,000 + basis EMA, last 48,000) -> margin balance < 0 < maintenance ->
  // liquidation; the market sell fills at the perpetual's own 46,000 print of the same instant: the fund pays 1,500.95
  const liq = r.fills.find((f) => f.tag === 'perp-liquidation')!;
  assert.equal(liq.price, 46_000);
  assert.equal((liq.time - t('2024-01-05T01:00:00Z')) / S, 24);
  const rep = r.plugins['crypto-perpetuals'] as { liquidations: { bankruptcyPrice: number; marginLost: string; insuranceDelta: string }[]; insuranceFund: string };
  assert.deepEqual(rep.liquidations.map((l) => [l.bankruptcyPrice, l.marginLost, l.insuranceDelta]), [[47_500.95, '2500.05000000', '-1500.95000000']]);
  assert.equal(rep.insuranceFund, '8499.05000000');
  const perpFlows = sim.account.ledger.filter((e) => e.instrumentSymbol === PERP).reduce((s, e) => s + e.amount, 0);
  assert.equal(perpFlows, -250_005_000_000, 'the trader loses exactly the margin');
  // liquidity withdrawn at the start (depth x 0.1), restored after the recovery (01:06:30)
  assert.deepEqual(spotQuotes, [
    [50, 49_999.99, 10],
    [60, 49_999.99, 1],
    [70, 49_999.99, 10],
  ]);
  assert.ok(r.logs.some((l) => l.includes('perp liquidation of BTC/USDT:USDT')));
});

test('config errors name their path', async (t0) => {
  if (!SPOT_INFO || !FUTURES_INFO) return t0.skip('shared data missing');
  const attempt = async (c: CryptoConfigInput) => {
    try {
      await cryptoRun({ crypto: c, data: () => [], strategy: {}, account: MARGIN });
      return 'ok';
    } catch (err) {
      return (err as Error).message;
    }
  };
  assert.match(await attempt({ exchangeInfo: SPOT_INFO, symbols: ['BTC/USDT', 'NOPE/USDT'] }), /crypto\.symbols\.1: no exchangeInfo document lists 'NOPE\/USDT'/);
  assert.match(await attempt(perpCrypto({ leverage: 200 })), /crypto\.perpetuals\.contracts\.0\.leverage: leverage 200 exceeds the first bracket's maximum 125/);
  assert.match(await attempt({ exchangeInfo: 'nope.json' }), /crypto\.exchangeInfo: cannot read .*nope\.json: ENOENT/);
  assert.match(await attempt({ exchangeInfo: SPOT_INFO, faults: [{ type: 'outage', start: '2024-01-05T01:00:00Z' }] as never }), /crypto\.faults\.0: give exactly one of end and durationSeconds/);
  assert.match(await attempt({ exchangeInfo: SPOT_INFO, fees: { tiers: [{ name: 'A', minVolume: 10, maker: 0.001, taker: 0.001 }] } }), /crypto\.fees\.tiers: .*first tier must start at minVolume 0/);
  assert.match(await attempt({ ...perpCrypto(), perpetuals: { contracts: [{ symbol: SPOT, index: SPOT }] } }), /crypto\.perpetuals\.contracts\.0\.symbol: BTC\/USDT is a spot symbol/);
  const cash = await (async () => {
    try {
      await cryptoRun({ crypto: perpCrypto(), data: () => [], strategy: {} });
      return 'ok';
    } catch (err) {
      return (err as Error).message;
    }
  })();
  assert.match(cash, /account\.kind: crypto\.perpetuals needs a margin account \(got cash\)/);
});
