import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { InstrumentRegistry, type Instrument } from '../../src/market/instrument.ts';
import type { MarketEvent } from '../../src/market/market-data.ts';
import { Account } from '../../src/sim/account.ts';
import { Portfolio } from '../../src/sim/portfolio.ts';

/** Round n / d half away from zero (d > 0), written independently of the library's helpers. */
function roundHalfAway(n: bigint, d: bigint): bigint {
  const neg = n < 0n;
  const a = neg ? -n : n;
  const q = (2n * a + d) / (2n * d);
  return neg ? -q : q;
}

type Op =
  | { kind: 'fill'; inst: number; buy: boolean; ticks: number; lots: number; fee: number }
  | { kind: 'mark'; inst: number; ticks: number }
  | { kind: 'usdt'; units: number }
  | { kind: 'eur'; bid: number; spread: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('fill' as const), inst: fc.integer({ min: 0, max: 2 }), buy: fc.boolean(), ticks: fc.integer({ min: 1, max: 2_000 }), lots: fc.integer({ min: 1, max: 50 }), fee: fc.integer({ min: -5, max: 500 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('mark' as const), inst: fc.integer({ min: 0, max: 2 }), ticks: fc.integer({ min: 1, max: 2_000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('usdt' as const), units: fc.integer({ min: 9_000, max: 11_000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('eur' as const), bid: fc.integer({ min: 90_000, max: 130_000 }), spread: fc.integer({ min: 0, max: 7 }) }) },
);

test('random fills across currencies: every ledger balances and the value is the exact converted sum, rounded once', () => {
  const filled: Record<string, number> = { USD: 0, USDT: 0, EUR: 0 };
  fc.assert(
    fc.property(fc.array(opArb, { minLength: 1, maxLength: 40, size: 'max' }), fc.boolean(), (ops, usdtMargin) => {
      const reg = new InstrumentRegistry();
      const insts: Instrument[] = [
        reg.add({ symbol: 'SPY', pricePrecision: 2 }),
        reg.add({ symbol: 'BTC/USDT', venue: 'BINANCE', currency: 'USDT', pricePrecision: 2, sizePrecision: 4, lotUnits: 10 }),
        reg.add({ symbol: 'FDAX', currency: 'EUR', pricePrecision: 1, multiplier: 25 }),
      ];
      const usdtUsd = reg.add({ symbol: 'USDT/USD', pricePrecision: 4, assetClass: 'fx' });
      const eurUsd = reg.add({ symbol: 'EUR/USD', pricePrecision: 5, assetClass: 'fx' });
      const primary = new Account({ kind: 'cash', currency: 'USD', cashPrecision: 2, startingCash: 10_000_000 });
      const pf = new Portfolio(primary, 'SIM', {
        balances: [
          usdtMargin
            ? { venue: 'BINANCE', currency: 'USDT', kind: 'margin', cashPrecision: 6, startingCash: 5_000_000_000, leverage: 5 }
            : { venue: 'BINANCE', currency: 'USDT', cashPrecision: 6, startingCash: 5_000_000_000 },
          { currency: 'EUR', kind: 'margin', cashPrecision: 2, startingCash: 2_000_000, leverage: 10 },
        ],
      });
      for (const i of reg.all()) pf.addInstrument(i);
      // the rates as exact fractions, kept by the test on its own
      const rate: Record<string, [bigint, bigint]> = { USD: [1n, 1n], USDT: [10_000n, 10_000n], EUR: [216_000n, 200_000n] };
      pf.fx.setPrice(usdtUsd, 10_000);
      pf.fx.setPrice(eurUsd, 108_000);
      let t = 0;
      for (const op of ops) {
        t++;
        if (op.kind === 'usdt') {
          pf.fx.setPrice(usdtUsd, op.units, t);
          rate.USDT = [BigInt(op.units), 10_000n];
        } else if (op.kind === 'eur') {
          const e: MarketEvent = { kind: 'quote', time: t, instrument: eurUsd, bidPrice: op.bid / 1e5, bidSize: 1, askPrice: (op.bid + op.spread) / 1e5, askSize: 1 };
          pf.onMarketData(e, NaN);
          rate.EUR = [BigInt(2 * op.bid + op.spread), 200_000n];
        } else {
          const inst = insts[op.inst]!;
          const acct = pf.accountFor(inst)!;
          const price = op.ticks * inst.tickUnits * (op.inst === 1 ? 100 : 1);
          if (op.kind === 'mark') acct.mark(inst, price);
          else {
            const qty = op.lots * inst.lotUnits;
            const side = op.buy ? 'BUY' : 'SELL';
            if (acct.canFill(inst, side, price, qty, op.fee) === undefined) {
              acct.applyFill({ time: t, instrument: inst, side, price, quantity: qty, fee: op.fee, orderId: t });
              filled[acct.currency]!++;
            }
          }
        }
        // every ledger balances exactly
        for (const e of pf.entries()) {
          let s = e.account.startingCash;
          for (const l of e.account.ledger) s += l.amount;
          assert.equal(s, e.account.cash, `${e.venue} ${e.currency}`);
        }
        // value = round(sum equity_i x rate_i x 10^2 / 10^p_i), one rounding
        let num = 0n;
        let den = 1n;
        for (const e of pf.entries()) {
          const [rn, rd] = rate[e.currency]!;
          const n = BigInt(e.account.equity) * rn * 100n;
          const d = rd * 10n ** BigInt(e.account.cashPrecision);
          num = num * d + n * den;
          den = den * d;
        }
        assert.equal(BigInt(pf.value()), roundHalfAway(num, den));
        // rows rounded on their own stay within half a cent each of the total
        const rows = pf.balances();
        const rowSum = rows.reduce((s, r) => s + Math.round(r.valueInReporting * 100), 0);
        assert.ok(Math.abs(rowSum - pf.value()) <= rows.length / 2, `${rowSum} vs ${pf.value()}`);
      }
    }),
    { numRuns: 150, seed: 20_261_125 },
  );
  // the property was not vacuous: fills were booked in every account
  for (const [c, n] of Object.entries(filled)) assert.ok(n > 50, `${c}: ${n} fills`);
});
