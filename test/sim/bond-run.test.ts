import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InstrumentRegistry, Rng, Simulation, type QuoteEvent, type Strategy } from '../../src/index.ts';
import { openBondRun, bondSourceSchema } from '../../src/sim/bond-run.ts';

const cash = (units: number) => ({ kind: 'cash' as const, currency: 'USD', cashPrecision: 2, startingCash: units * 100 });

function us10y(start: string, end: string) {
  return bondSourceSchema.parse({
    bond: { symbol: 'US10Y', coupon: 4.25, issue: '2025-11-15', maturity: '2035-11-15', start, end, intervalMinutes: 60, macro: [{ time: '2026-11-18T19:00:00Z', kind: 'rate-decision', expectedChangeBp: 0, surpriseBp: -25 }] },
  }).bond;
}

test('a bond on its dealer venue: a buy in yield fills at the ask, pays the accrued interest of its T+1 settlement, and the coupon is paid', async () => {
  const reg = new InstrumentRegistry();
  const run = openBondRun(us10y('2026-11-09T14:00:00Z', '2026-11-20T21:00:00Z'), reg, new Rng(3), 'data.0');
  const quotes: QuoteEvent[] = [];
  let sentYield = NaN;
  let limit = NaN;
  const strat: Strategy = {
    onQuote(ctx, q) {
      quotes.push({ ...q });
      if (quotes.length === 3) {
        // a limit 5 bp below the ask's yield: price above the ask, so it fills at the ask
        sentYield = run.yieldFromPrice(q.askPrice, q.time) - 0.05;
        limit = run.priceFromYield(sentYield, q.time);
        ctx.submit({ symbol: 'US10Y', side: 'BUY', quantity: 100_000, yield: sentYield, tag: 'in-yield' });
      }
    },
  };
  const sim = new Simulation({
    instruments: reg,
    sources: [run.source],
    strategy: strat,
    account: cash(1_000_000),
    accrued: { US10Y: run.accrued },
    cashFlows: run.cashFlows,
    yieldPricing: { US10Y: run.priceFromYield },
  });
  const r = await sim.run();
  assert.equal(r.fills.length, 1);
  const f = r.fills[0]!;
  const q = quotes[2]!;
  assert.ok(limit > q.askPrice, `limit ${limit} above the ask ${q.askPrice}`);
  assert.equal(f.price, q.askPrice, 'filled at the dealer ask');
  const ledger = sim.account.ledger;
  // accrued interest per 100 face for settlement T+1, times $100,000 face / 100
  const accrued = run.accrued(f.time);
  assert.ok(accrued > 0);
  assert.deepEqual(ledger.filter((e) => e.kind === 'ACCRUED_INTEREST').map((e) => e.amount), [-Math.round(accrued * 1000 * 100)]);
  // the November 15 2026 coupon (a Sunday: paid Monday the 16th) was inside the window and paid 2.125 per 100
  assert.deepEqual(run.cashFlows.map((c) => new Date(c.payTime / 1000).toISOString().slice(0, 10)), ['2026-11-16']);
  const coupons = ledger.filter((e) => e.kind === 'COUPON');
  assert.deepEqual(coupons.map((e) => e.amount), [212_500]);
  // the rate decision came through as news
  assert.equal(sim.account.startingCash + ledger.reduce((s, e) => s + e.amount, 0), sim.account.cash);
});

test('quotes sit on the 1/256 grid around the model price; an order in yield for a stock is a clear error', async () => {
  const reg = new InstrumentRegistry();
  const run = openBondRun(us10y('2026-11-02T14:00:00Z', '2026-11-04T21:00:00Z'), reg, new Rng(1), 'data.0');
  reg.add({ symbol: 'AAPL', pricePrecision: 2 });
  let err: unknown;
  const grid: boolean[] = [];
  const strat: Strategy = {
    onQuote(ctx, q) {
      grid.push(Number.isInteger(q.bidPrice * 256) && Number.isInteger(q.askPrice * 256) && q.bidPrice < q.askPrice);
      if (err === undefined) {
        try {
          ctx.submit({ symbol: 'AAPL', side: 'BUY', quantity: 1, yield: 4 });
        } catch (e) {
          err = e;
        }
      }
    },
  };
  await new Simulation({ instruments: reg, sources: [run.source], strategy: strat, account: cash(1_000), yieldPricing: { US10Y: run.priceFromYield } }).run();
  assert.ok(grid.length > 10 && grid.every(Boolean));
  assert.match(String(err), /AAPL is quoted only in price/);
});
