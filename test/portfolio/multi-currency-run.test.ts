import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchSource } from '../../src/data/batch-source.ts';
import { InstrumentRegistry, type Instrument } from '../../src/market/instrument.ts';
import type { MarketEvent } from '../../src/market/market-data.ts';
import { MakerTakerFees } from '../../src/market/fees.ts';
import { Simulation, type SimulationOptions } from '../../src/sim/simulation.ts';
import type { Strategy, StrategyContext } from '../../src/sim/strategy.ts';
import type { Account } from '../../src/sim/account.ts';

const MIN = 60_000_000;
const T0 = Date.UTC(2026, 0, 5, 15) * 1000;

function bar(inst: Instrument, i: number, open: number, close = open): MarketEvent {
  return { kind: 'bar', time: T0 + i * MIN, instrument: inst, open, high: Math.max(open, close), low: Math.min(open, close), close, volume: 1_000_000 };
}
function quote(inst: Instrument, i: number, bid: number, ask: number): MarketEvent {
  return { kind: 'quote', time: T0 + i * MIN, instrument: inst, bidPrice: bid, bidSize: 1_000_000, askPrice: ask, askSize: 1_000_000 };
}

function instruments() {
  const reg = new InstrumentRegistry();
  const spy = reg.add({ symbol: 'SPY', pricePrecision: 2, assetClass: 'equity' });
  const btc = reg.add({ symbol: 'BTC/USDT', venue: 'BINANCE', currency: 'USDT', pricePrecision: 2, sizePrecision: 4, assetClass: 'crypto' });
  const fx = reg.add({ symbol: 'USDT/USD', pricePrecision: 4, assetClass: 'fx' });
  const sap = reg.add({ symbol: 'SAP', currency: 'EUR', pricePrecision: 2, assetClass: 'equity' });
  return { reg, spy, btc, fx, sap };
}

/** Ledger invariant of one account: startingCash + sum(ledger) === cash, exactly. */
function ledgerBalances(a: Account): boolean {
  let s = a.startingCash;
  for (const e of a.ledger) s += e.amount;
  return s === a.cash;
}

const usd = (cents: number) => ({ kind: 'cash' as const, currency: 'USD', cashPrecision: 2, startingCash: cents });

test('USD and USDT accounts: fills in both, equity samples equal the hand computation exactly, ledgers balance', async () => {
  const { reg, spy, btc, fx, sap } = instruments();
  const events: MarketEvent[] = [
    quote(fx, 0, 0.9998, 1.0), // mid 0.9999
    bar(spy, 0, 500),
    bar(btc, 0, 30_000),
    bar(sap, 0, 200),
    quote(fx, 1, 0.9996, 0.9999), // mid 0.99975 (exact, not floored to 0.9997)
    bar(spy, 1, 501, 502),
    bar(btc, 1, 30_010, 30_100),
    bar(sap, 1, 201),
    quote(fx, 2, 1.0001, 1.0003), // mid 1.0002
    bar(spy, 2, 505),
    bar(btc, 2, 29_980, 29_950),
  ];
  const seen: Record<string, number> = {};
  const errors: string[] = [];
  const strat: Strategy = {
    onBar(ctx: StrategyContext, b) {
      const sym = b.instrument.symbol;
      if (b.time === T0 && sym === 'BTC/USDT') {
        ctx.submit({ symbol: 'SPY', side: 'BUY', quantity: 10 });
        ctx.submit({ symbol: 'BTC/USDT', side: 'BUY', quantity: 0.1 });
        ctx.submit({ symbol: 'SAP', side: 'BUY', quantity: 1, tag: 'eur' });
      }
      if (b.time === T0 + MIN && sym === 'BTC/USDT') {
        seen.usdt = ctx.balance('USDT');
        seen.usdtAtBinance = ctx.balance('USDT', 'BINANCE');
        seen.usdCash = ctx.balance('USD');
        seen.equity1 = ctx.equity;
        seen.cash1 = ctx.cash;
        seen.btcPos = ctx.position('BTC/USDT');
        try {
          ctx.balance('EUR');
        } catch (e) {
          errors.push((e as Error).message);
        }
        ctx.submit({ symbol: 'BTC/USDT', side: 'SELL', quantity: 0.05 });
      }
      if (b.time === T0 + 2 * MIN && sym === 'BTC/USDT') seen.equity2 = ctx.equity;
    },
  };
  const sim = new Simulation({
    instruments: reg,
    sources: [new BatchSource('b', [events])],
    strategy: strat,
    account: usd(1_000_000),
    portfolio: { balances: [{ venue: 'BINANCE', currency: 'USDT', cashPrecision: 6, startingCash: 5_000_000_000 }] },
    venue: { fees: new MakerTakerFees({ takerRate: 0.001 }) },
  });
  const r = await sim.run();

  // fills: SPY in the USD account, BTC/USDT in the USDT account (fees in each account's cash units)
  assert.deepEqual(
    r.fills.map((f) => [f.symbol, f.side, f.price, f.quantity, f.fee]),
    [
      ['SPY', 'BUY', 501, 10, 5.01],
      ['BTC/USDT', 'BUY', 30_010, 0.1, 3.001],
      ['BTC/USDT', 'SELL', 29_980, 0.05, 1.499],
    ],
  );
  // the EUR instrument has no account: refused as before
  assert.deepEqual(r.rejected.map((x) => [x.symbol, x.reason]), [['SAP', 'CURRENCY_MISMATCH']]);

  // hand computation (reporting USD, cents):
  // T0:      10,000.00 + 5,000 USDT x 0.9999 = 14,999.50
  // T0+1m:   USD  cash 10,000 - 5,010 - 5.01 = 4,984.99, SPY 10 x 502 = 5,020 -> 10,004.99
  //          USDT cash 5,000 - 3,001 - 3.001 = 1,995.999, BTC 0.1 x 30,100 = 3,010 -> 5,005.999
  //          5,005.999 x 0.99975 = 5,004.74750025 -> total 15,009.73750025 -> 15,009.74 (rounded once)
  // T0+2m:   USD  4,984.99 + 10 x 505 = 10,034.99
  //          USDT 1,995.999 + 1,499 - 1.499 = 3,493.5 cash, 0.05 x 29,950 = 1,497.5 -> 4,991
  //          4,991 x 1.0002 = 4,991.9982 -> total 15,026.9882 -> 15,026.99
  assert.deepEqual([...r.equity.time], [T0, T0 + MIN, T0 + 2 * MIN]);
  assert.deepEqual([...r.equity.value], [14_999.5, 15_009.74, 15_026.99]);
  // exposure: |positions| converted: T0+2m: 5,050 + 1,497.5 x 1.0002 = 6,547.79975 -> 6,547.80
  assert.equal(r.equity.exposure[2], 6_547.8);
  assert.equal(r.finalValue, 15_026.99);
  // cash in USD: 4,984.99 + 3,493.5 x 1.0002 = 8,479.18870 -> 8,479.19
  assert.equal(r.cash, 8_479.19);
  assert.equal(seen.equity1, 15_009.74);
  assert.equal(seen.equity2, 15_026.99);
  // 4,984.99 + 1,995.999 x 0.99975 = 6,980.48950025 -> 6,980.49
  assert.equal(seen.cash1, 6_980.49);
  assert.equal(seen.usdt, 1_995.999);
  assert.equal(seen.usdtAtBinance, 1_995.999);
  assert.equal(seen.usdCash, 4_984.99);
  assert.equal(seen.btcPos, 0.1);
  assert.equal(errors.length, 1);
  assert.match(errors[0]!, /no EUR account; the accounts are SIM:USD, BINANCE:USDT/);

  // per-account balances with their values in USD
  assert.deepEqual(
    r.balances.map((b) => [b.venue, b.currency, b.cash, b.equity, b.rate, b.valueInReporting]),
    [
      ['SIM', 'USD', 4_984.99, 10_034.99, '1', 10_034.99],
      ['BINANCE', 'USDT', 3_493.5, 4_991, '1.0002', 4_992],
    ],
  );
  assert.deepEqual(r.positions, { SPY: 10, 'BTC/USDT': 0.05 });
  // instrument series of BTC/USDT are in USDT now (left out before)
  const s = r.instrumentSeries.find((x) => x.symbol === 'BTC/USDT')!;
  assert.equal(s.value[s.value.length - 1], 1_497.5);

  // the ledger of each account balances exactly
  const usdt = sim.portfolio.account('USDT', 'BINANCE')!;
  assert.ok(ledgerBalances(sim.account));
  assert.ok(ledgerBalances(usdt));
  assert.deepEqual(
    usdt.ledger.map((e) => [e.kind, e.amount]),
    [
      ['TRADE', -3_001_000_000],
      ['FEE', -3_001_000],
      ['TRADE', 1_499_000_000],
      ['FEE', -1_499_000],
    ],
  );
  assert.equal(usdt.cash, 3_493_500_000);
  // the exact value before the one rounding: 15,026.9882 USD = 1,502,698.82 cents
  const ex = sim.portfolio.exactValue();
  assert.equal(ex.num * 50n, ex.den * 75_134_941n);
});

test('a single-currency run is unchanged: same equity, cash and one balance row', async () => {
  const { reg, spy } = instruments();
  const events: MarketEvent[] = [bar(spy, 0, 500), bar(spy, 1, 501, 502), bar(spy, 2, 505)];
  const strat: Strategy = {
    onBar(ctx, b) {
      if (b.time === T0) ctx.submit({ symbol: 'SPY', side: 'BUY', quantity: 10 });
      assert.equal(ctx.balance('USD'), ctx.cash);
    },
  };
  const base: SimulationOptions = { instruments: reg, sources: [new BatchSource('b', [events])], strategy: strat, account: usd(1_000_000), keepJournal: true };
  const a = await new Simulation(base).run();
  assert.deepEqual([...a.equity.value], [10_000, 10_010, 10_040]);
  assert.equal(a.finalValue, 10_040);
  assert.equal(a.cash, 4_990);
  assert.deepEqual(a.balances, [
    { venue: 'SIM', currency: 'USD', kind: 'cash', primary: true, startingCash: 10_000, cash: 4_990, equity: 10_040, rate: '1', valueInReporting: 10_040, marginEvents: [] },
  ]);
  // an empty portfolio section changes nothing, down to the journal hash
  const b = await new Simulation({ ...base, sources: [new BatchSource('b', [events])], portfolio: { balances: [] } }).run();
  assert.equal(b.journalHash, a.journalHash);
  assert.deepEqual([...b.equity.value], [...a.equity.value]);
});

test('a missing exchange rate is a clear error naming the currency; a fixed rate replaces the stream', async () => {
  const { reg, btc } = instruments();
  const events = (): MarketEvent[] => [bar(btc, 0, 30_000), bar(btc, 1, 30_000, 30_090)];
  const strat: Strategy = {
    onBar(ctx, b) {
      if (b.time === T0) ctx.submit({ symbol: 'BTC/USDT', side: 'BUY', quantity: 0.1 });
    },
  };
  const opts = (rates?: Record<string, string>): SimulationOptions => ({
    instruments: reg,
    sources: [new BatchSource('b', [events()])],
    strategy: strat,
    account: usd(1_000_000),
    portfolio: { balances: [{ venue: 'BINANCE', currency: 'USDT', cashPrecision: 6, startingCash: 5_000_000_000 }], ...(rates ? { rates } : {}) },
  });
  await assert.rejects(new Simulation(opts()).run(), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'FX_RATE_MISSING');
    assert.match(e.message, /no exchange rate of USDT in USD \(the BINANCE USDT account\)/);
    assert.match(e.message, /USDT\/USD/);
    assert.match(e.message, /account\.rates\.USDT/);
    return true;
  });
  // a strategy asking for the equity gets the same error at once
  const asking: Strategy = {
    onBar(ctx) {
      void ctx.equity;
    },
  };
  await assert.rejects(new Simulation({ ...opts(), strategy: asking }).run(), /FX_RATE_MISSING|no exchange rate of USDT in USD/);
  // a pegged USDT: 1 USDT = 1 USD; USD 10,000 + USDT (5,000 - 0.1 x 30,000 + 0.1 x 30,090 = 5,009)
  const r = await new Simulation(opts({ USDT: '1' })).run();
  assert.equal(r.finalValue, 15_009);
  assert.deepEqual([...r.equity.value], [15_000, 15_009]);
});

test('equity samples before the first rate are left out and logged; later samples are exact', async () => {
  const { reg, btc, fx } = instruments();
  // the rate arrives one minute after the first bar
  const events: MarketEvent[] = [bar(btc, 0, 30_000), quote(fx, 1, 0.9999, 0.9999), bar(btc, 1, 30_000)];
  const r = await new Simulation({
    instruments: reg,
    sources: [new BatchSource('b', [events])],
    strategy: {},
    account: usd(100_000),
    portfolio: { balances: [{ venue: 'BINANCE', currency: 'USDT', cashPrecision: 6, startingCash: 1_000_000_000 }] },
  }).run();
  assert.deepEqual([...r.equity.time], [T0 + MIN]);
  // 1,000.00 + 1,000 x 0.9999 = 1,999.90
  assert.deepEqual([...r.equity.value], [1_999.9]);
  assert.ok(r.logs.some((l) => l.includes(`equity samples from ${T0} were left out`)), r.logs.join('\n'));
});

test('per-venue margin: a liquidation on the USDT venue leaves the USD margin account untouched', async () => {
  const { reg, spy, btc, fx } = instruments();
  const events: MarketEvent[] = [
    quote(fx, 0, 1, 1),
    bar(spy, 0, 500),
    bar(btc, 0, 30_000),
    bar(spy, 1, 500),
    bar(btc, 1, 30_000), // both fills at the open
    bar(spy, 2, 510),
    bar(btc, 2, 27_000), // USDT account: equity 1,000 - 900 = 100 < maintenance 405 x 0.5 -> LIQUIDATE
    bar(spy, 3, 510),
    bar(btc, 3, 27_000), // the liquidation fills at this open
    bar(spy, 4, 511),
    bar(btc, 4, 27_100),
  ];
  const strat: Strategy = {
    onBar(ctx, b) {
      if (b.time === T0 && b.instrument.symbol === 'BTC/USDT') {
        ctx.submit({ symbol: 'SPY', side: 'BUY', quantity: 10 });
        ctx.submit({ symbol: 'BTC/USDT', side: 'BUY', quantity: 0.3 });
      }
    },
  };
  const sim = new Simulation({
    instruments: reg,
    sources: [new BatchSource('b', [events])],
    strategy: strat,
    account: { kind: 'margin', currency: 'USD', cashPrecision: 2, startingCash: 500_000, leverage: 2 },
    portfolio: { balances: [{ venue: 'BINANCE', currency: 'USDT', kind: 'margin', cashPrecision: 6, startingCash: 1_000_000_000, leverage: 10, maintenanceMarginRate: 0.05 }] },
    keepJournal: true,
  });
  const r = await sim.run();
  const usdt = r.balances[1]!;
  assert.deepEqual(usdt.marginEvents.map((m) => [m.time, m.status, m.equity, m.maintenanceMargin]), [[T0 + 2 * MIN, 'LIQUIDATE', 100, 405]]);
  // the USD account: no margin event, its SPY position kept
  assert.deepEqual(r.marginEvents, []);
  assert.deepEqual(r.balances[0]!.marginEvents, []);
  assert.deepEqual(r.positions, { SPY: 10 });
  const liq = r.fills.filter((f) => f.tag === 'liquidation');
  assert.deepEqual(liq.map((f) => [f.symbol, f.side, f.quantity, f.price]), [['BTC/USDT', 'SELL', 0.3, 27_000]]);
  assert.ok(r.journalLines.some((l) => l === `${T0 + 2 * MIN}|LIQUIDATE|BINANCE:USDT|100000000|405000000`), r.journalLines.join('\n'));
  assert.ok(r.logs.some((l) => l.includes('LIQUIDATE (BINANCE USDT)')));
  // USDT: 1,000 - 0.3 x 3,000 = 100 left; USD: 5,000 + 10 x 11 = 5,110 equity
  assert.equal(usdt.cash, 100);
  assert.equal(r.balances[0]!.equity, 5_110);
  assert.equal(r.finalValue, 5_210);
  for (const e of sim.portfolio.entries()) {
    let s = e.account.startingCash;
    for (const l of e.account.ledger) s += l.amount;
    assert.equal(s, e.account.cash, `${e.venue} ${e.currency} ledger`);
  }
});
