import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InstrumentRegistry } from '../../src/market/instrument.ts';
import { Account } from '../../src/sim/account.ts';
import { ConfigError, MarketsimError } from '../../src/core/errors.ts';
import { Portfolio, defaultBalancePrecision, portfolioConfigSchema, portfolioOptionsFromConfig } from '../../src/sim/portfolio.ts';

const usd = (cents: number) => new Account({ kind: 'cash', currency: 'USD', cashPrecision: 2, startingCash: cents });

test('routing: (instrument venue, currency), else (run venue, currency), else no account', () => {
  const reg = new InstrumentRegistry();
  const spy = reg.add({ symbol: 'SPY', venue: 'XNYS', pricePrecision: 2 });
  const btcBin = reg.add({ symbol: 'BTC/USDT', venue: 'BINANCE', currency: 'USDT', pricePrecision: 2, sizePrecision: 6 });
  const btcOkx = reg.add({ symbol: 'BTC-USDT.OKX', venue: 'OKX', currency: 'USDT', pricePrecision: 2, sizePrecision: 6 });
  const sap = reg.add({ symbol: 'SAP', venue: 'XETR', currency: 'EUR', pricePrecision: 2 });
  const p = new Portfolio(usd(100), 'SIM', {
    balances: [
      { venue: 'BINANCE', currency: 'USDT', cashPrecision: 6, startingCash: 1 },
      { currency: 'USDT', cashPrecision: 6, startingCash: 2 },
    ],
  });
  for (const i of reg.all()) p.addInstrument(i);
  assert.equal(p.accountFor(spy), p.primary); // USD: the run venue's USD account
  assert.equal(p.accountFor(btcBin)!.startingCash, 1); // its own venue's USDT account
  assert.equal(p.accountFor(btcOkx)!.startingCash, 2); // no OKX USDT account: the run venue's
  assert.equal(p.accountFor(sap), undefined); // no EUR account anywhere
  assert.equal(p.account('USDT')!.startingCash, 2);
  assert.equal(p.account('USDT', 'BINANCE')!.startingCash, 1);
  assert.equal(p.account('USDT', 'OKX'), undefined);
  assert.throws(() => p.requireAccount('EUR'), (e: unknown) => e instanceof MarketsimError && e.code === 'ACCOUNT_UNKNOWN' && /SIM:USD, BINANCE:USDT, SIM:USDT/.test(e.message));
  assert.deepEqual(
    p.entries().map((e) => [e.venue, e.currency, e.primary]),
    [
      ['SIM', 'USD', true],
      ['BINANCE', 'USDT', false],
      ['SIM', 'USDT', false],
    ],
  );
  // two USDT accounts, none at the run venue: ambiguous without a venue
  const q = new Portfolio(usd(100), 'SIM', {
    balances: [
      { venue: 'A', currency: 'USDT', cashPrecision: 6, startingCash: 1 },
      { venue: 'B', currency: 'USDT', cashPrecision: 6, startingCash: 2 },
    ],
  });
  assert.throws(() => q.requireAccount('USDT'), (e: unknown) => e instanceof MarketsimError && e.code === 'ACCOUNT_AMBIGUOUS');
});

test('the total is the exact sum rounded once; each row is rounded on its own', () => {
  const reg = new InstrumentRegistry();
  const p = new Portfolio(usd(0), 'SIM', {
    balances: [
      { currency: 'EUR', cashPrecision: 2, startingCash: 100 },
      { currency: 'GBP', cashPrecision: 2, startingCash: 100 },
    ],
    rates: { EUR: '1.005', GBP: '1.005' },
  });
  for (const i of reg.all()) p.addInstrument(i);
  // 1.00 EUR x 1.005 + 1.00 GBP x 1.005 = 2.01 USD exactly; each row alone rounds 1.005 up to 1.01
  assert.equal(p.value(), 201);
  assert.deepEqual(p.exactValue(), { num: 201n, den: 1n });
  assert.deepEqual(p.balances().map((r) => r.valueInReporting), [0, 1.01, 1.01]);
  assert.equal(p.cashValue(), 201);
  assert.equal(p.exposureValue(), 0);
});

test('a value needing a missing rate throws FX_RATE_MISSING; zero balances need no rate', () => {
  const p = new Portfolio(usd(500), 'SIM', { balances: [{ venue: 'BINANCE', currency: 'USDT', cashPrecision: 6, startingCash: 0 }] });
  assert.equal(p.value(), 500);
  assert.equal(p.missingRate(), undefined);
  p.account('USDT')!.deposit(1_000_000, 0);
  assert.equal(p.missingRate(), 'USDT');
  assert.ok(Number.isNaN(p.tryValue()));
  assert.throws(() => p.value(), (e: unknown) => e instanceof MarketsimError && e.code === 'FX_RATE_MISSING' && /USDT in USD \(the BINANCE USDT account\)/.test(e.message));
  assert.throws(() => p.balances(), /FX_RATE_MISSING|no exchange rate of USDT/);
});

test('bad portfolio options: a ConfigError names every field', () => {
  assert.throws(
    () =>
      new Portfolio(usd(0), 'SIM', {
        balances: [
          { currency: 'USD', cashPrecision: 2, startingCash: 0 },
          { venue: 'B', currency: 'USDT', cashPrecision: 6, startingCash: -1 },
          { venue: 'B', currency: 'USDT', cashPrecision: 6, startingCash: 0 },
          { venue: 'C', currency: 'USDT', cashPrecision: 6, startingCash: 0, kind: 'cash', leverage: 5 },
        ],
        rates: { EUR: '-2' },
      }),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.deepEqual(
        e.issues.map((i) => i.path),
        ['balances.0.currency', 'balances.1.cash', 'balances.3.leverage', 'rates.EUR'],
      );
      assert.match(e.issues[0]!.message, /USD at SIM is the primary account/);
      return true;
    },
  );
  assert.throws(
    () =>
      new Portfolio(usd(0), 'SIM', {
        balances: [
          { venue: 'B', currency: 'USDT', cashPrecision: 6, startingCash: 0 },
          { venue: 'B', currency: 'USDT', cashPrecision: 6, startingCash: 0 },
        ],
      }),
    (e: unknown) => e instanceof ConfigError && /a second USDT account at B/.test(e.message),
  );
});

test('run config fragment: validation with paths, decimals to cash units, default precisions', () => {
  const cfg = portfolioConfigSchema.parse({
    balances: [{ venue: 'BINANCE', currency: 'USDT', cash: 5000.5 }, { currency: 'EUR', cash: 100, kind: 'margin', leverage: 5 }],
    rates: { EUR: '1.08', USDC: 1 },
  });
  const reg = new InstrumentRegistry();
  reg.add({ symbol: 'BTC/USDT', currency: 'USDT', pricePrecision: 2, sizePrecision: 5 });
  const opts = portfolioOptionsFromConfig(cfg, reg.all());
  assert.deepEqual(opts, {
    balances: [
      { currency: 'USDT', kind: 'cash', cashPrecision: 7, startingCash: 50_005_000_000, venue: 'BINANCE' },
      { currency: 'EUR', kind: 'margin', cashPrecision: 2, startingCash: 10_000, leverage: 5 },
    ],
    rates: { EUR: '1.08', USDC: 1 },
  });
  assert.equal(defaultBalancePrecision('BTC', []), 8);
  assert.equal(defaultBalancePrecision('XYZ', []), 2);
  const bad = portfolioConfigSchema.safeParse({ balances: [{ currency: 'USDT', cash: -1, colour: 'red' }], rates: { EUR: '1,08' } });
  assert.equal(bad.success, false);
  const paths = bad.error!.issues.map((i) => i.path.join('.')).sort();
  assert.deepEqual(paths, ['balances.0', 'balances.0.cash', 'rates.EUR']);
  // the options build a working portfolio: EUR margin account at 1.08, USDT with no rate yet
  const p = new Portfolio(usd(0), 'SIM', opts);
  assert.throws(() => p.value(), /no exchange rate of USDT in USD/);
  const withPeg = new Portfolio(usd(0), 'SIM', { ...opts, rates: { ...opts.rates, USDT: '1' } });
  // 5,000.5 USDT + 100 EUR x 1.08 = 5,108.50 USD
  assert.equal(withPeg.value(), 510_850);
  assert.equal(withPeg.entries()[2]!.account.kind, 'margin');
});
