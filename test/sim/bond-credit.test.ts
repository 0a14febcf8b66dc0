import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, InstrumentRegistry, Rng, Simulation, type NewsEvent, type StatusEvent, type Strategy, type StrategyOrderUpdate } from '../../src/index.ts';
import { openBondRun, bondSourceSchema, type BondSourceConfig } from '../../src/sim/bond-run.ts';
import { parseRunConfig } from '../../src/sim/run-config.ts';
import type { CreditNewsEvent } from '../../src/assets/bond/credit-events.ts';
import type { BondDefaultReport } from '../../src/sim/bond-default.ts';

const cash = (dollars: number) => ({ kind: 'cash' as const, currency: 'USD', cashPrecision: 2, startingCash: dollars * 100 });

/**
 * A distressed corporate (B+, downgraded to CCC at 20 a year, CCC spread 5,000 bp, recovery 0.4: a
 * hazard of about 0.37 a year after the downgrade). With seed 7 the issuer is downgraded on 2026-11-05
 * and defaults on 2027-01-15 (found by running seeds 1-30: seeds 2 and 7 default in the window).
 */
const ENTRY = {
  symbol: 'ACME29',
  kind: 'corporate',
  coupon: 6,
  issue: '2024-03-01',
  maturity: '2029-03-01',
  rating: 'B+',
  start: '2026-11-02T14:00:00Z',
  end: '2027-01-29T21:00:00Z',
  intervalMinutes: 240,
  credit: { recovery: 0.4, downgradeRate: { B: 20 }, spreadBp: { CCC: 5000 }, initialSpreadBp: 600 },
};
const SEED = 7;

function entry(over: Record<string, unknown> = {}): BondSourceConfig['bond'] {
  return bondSourceSchema.parse({ bond: { ...ENTRY, ...over } }).bond;
}

interface Seen {
  news: CreditNewsEvent[];
  positionAtNews: number[];
  statuses: StatusEvent[];
  updates: StrategyOrderUpdate[];
  openAtStop: number[];
  lastQuoteTime: number;
}

/** Buys $100,000 face on the first quote, rests a buy far below, and after the default tries to buy again. */
async function runHeld(seed: number) {
  const reg = new InstrumentRegistry();
  const run = openBondRun(entry(), reg, new Rng(seed), 'data.0.bond');
  const seen: Seen = { news: [], positionAtNews: [], statuses: [], updates: [], openAtStop: [], lastQuoteTime: NaN };
  let quotes = 0;
  const strat: Strategy = {
    onQuote(ctx, q) {
      seen.lastQuoteTime = q.time;
      if (++quotes === 1) {
        ctx.submit({ symbol: 'ACME29', side: 'BUY', quantity: 100_000, tag: 'entry' });
        ctx.submit({ symbol: 'ACME29', side: 'BUY', quantity: 10_000, price: 20, tag: 'resting' });
      }
    },
    onNews(ctx, n: NewsEvent) {
      const c = (n as CreditNewsEvent).credit;
      if (c !== undefined) {
        seen.news.push(n as CreditNewsEvent);
        seen.positionAtNews.push(ctx.position('ACME29'));
      }
    },
    onStatus(ctx, s) {
      seen.statuses.push(s);
      // the dealer quoted a bid and ask before the default: a market order now would fill there if accepted
      ctx.submit({ symbol: 'ACME29', side: 'BUY', quantity: 10_000, tag: 'after-default' });
    },
    onOrderUpdate(_ctx, u) {
      seen.updates.push(u);
    },
    onStop(ctx) {
      seen.openAtStop = ctx.openOrders('ACME29');
    },
  };
  assert.ok(run.plugin, 'a credit block gives a plugin');
  const sim = new Simulation({
    instruments: reg,
    sources: [run.source],
    strategy: strat,
    seed,
    keepJournal: true,
    account: cash(1_000_000),
    accrued: { ACME29: run.accrued },
    cashFlows: run.cashFlows,
    plugins: [run.plugin],
    venue: { rules: (inst) => (inst.symbol === 'ACME29' ? run.rules : undefined) },
  });
  const result = await sim.run();
  return { run, sim, result, seen };
}

test('a defaulting corporate held by a strategy: downgrade and default news reach onNews, the position settles at recovery, the ledger balances', async () => {
  const { run, sim, result, seen } = await runHeld(SEED);
  // news: the downgrade, then the default
  assert.deepEqual(
    seen.news.map((n) => [n.credit.type, n.credit.fromRating, n.credit.toRating, new Date(n.time / 1000).toISOString().slice(0, 10)]),
    [
      ['downgrade', 'B', 'CCC', '2026-11-05'],
      ['default', 'CCC', 'CCC', '2027-01-15'],
    ],
  );
  const tDefault = seen.news[1]!.time;
  assert.equal(seen.news[1]!.credit.settlementPrice, 40);
  // the position was held at the downgrade and already settled when the strategy heard of the default
  assert.deepEqual(seen.positionAtNews, [100_000, 0]);
  assert.equal(result.positions.ACME29, undefined, 'flat at the end');
  // the status CLOSE (trading stop) follows at the same time, and no quote comes after the default
  assert.equal(seen.statuses.length, 1);
  assert.equal(seen.statuses[0]!.status, 'CLOSE');
  assert.equal(seen.statuses[0]!.time, tDefault);
  assert.ok(seen.lastQuoteTime < tDefault);
  // the buy after the default is refused; the resting buy is still open and never filled
  const after = seen.updates.filter((u) => u.tag === 'after-default');
  assert.deepEqual(after.map((u) => [u.kind, u.reason]), [['REJECTED', 'MARKET_CLOSED']]);
  assert.equal(seen.openAtStop.length, 1);
  assert.equal(result.fills.length, 1, 'only the entry filled at the venue');
  assert.equal(result.fills[0]!.tag, 'entry');
  // ledger: the settlement TRADE at 40 per 100 on $100,000 face = $40,000.00, order id 0, no accrued interest
  const ledger = sim.account.ledger;
  const settle = ledger.filter((e) => e.time === tDefault);
  assert.deepEqual(settle, [{ time: tDefault, kind: 'TRADE', amount: 4_000_000, instrumentSymbol: 'ACME29', orderId: 0 }]);
  assert.equal(run.accrued(tDefault), 0, 'a defaulted bond accrues nothing');
  assert.equal(sim.account.startingCash + ledger.reduce((s, e) => s + e.amount, 0), sim.account.cash);
  // the plugin's report
  const rep = result.plugins['bond-default:ACME29'] as BondDefaultReport;
  assert.equal(rep.defaultTime, tDefault);
  assert.deepEqual(rep.settlement, { time: tDefault, symbol: 'ACME29', side: 'SELL', quantity: 100_000, price: 40, cash: 40_000 });
  assert.deepEqual(rep.events.map((e) => e.type), ['downgrade', 'default']);
  // the entry bought at the ask (above 40): the position lost money, realized at the settlement
  const entryFill = result.fills[0]!;
  const accruedPaid = ledger.filter((e) => e.kind === 'ACCRUED_INTEREST').reduce((s, e) => s + e.amount, 0);
  assert.equal(sim.account.cash, 100_000_000 - Math.round(entryFill.price * 1000 * 100) + accruedPaid + 4_000_000);
  // the settlement is in the journal (and so in its hash): time|DEFAULT_SETTLEMENT|symbol|side|price units|size units
  assert.ok(result.journalLines.includes(`${tDefault}|DEFAULT_SETTLEMENT|ACME29|SELL|4000000000|100000`), 'journaled');
});

test('the same seed twice gives the same journal hash; another seed without a default leaves the position open', async () => {
  const a = await runHeld(SEED);
  const b = await runHeld(SEED);
  assert.equal(a.result.journalHash, b.result.journalHash);
  assert.deepEqual(a.sim.account.ledger, b.sim.account.ledger);
  const c = await runHeld(1); // seed 1: a downgrade, no default
  assert.notEqual(c.result.journalHash, a.result.journalHash);
  assert.equal(c.result.positions.ACME29, 100_000);
  const rep = c.result.plugins['bond-default:ACME29'] as BondDefaultReport;
  assert.equal(rep.defaultTime, null);
  assert.equal(rep.settlement, null);
});

test('credit config errors name their path', () => {
  const doc = (credit: unknown) => ({ data: [{ bond: { ...ENTRY, credit } }], strategy: { name: 'buy-and-hold' } });
  const pathsOf = (f: () => unknown): string[] => {
    try {
      f();
    } catch (e) {
      assert.ok(e instanceof ConfigError, String(e));
      return e.issues.map((i) => i.path);
    }
    assert.fail('expected a ConfigError');
  };
  assert.deepEqual(pathsOf(() => parseRunConfig(doc({ recovery: 1.5 }))), ['data.0.bond.credit.recovery']);
  assert.deepEqual(pathsOf(() => parseRunConfig(doc({ recovery: -0.1 }))), ['data.0.bond.credit.recovery']);
  assert.deepEqual(pathsOf(() => parseRunConfig(doc({ rating: 'ZZZ' }))), ['data.0.bond.credit.rating']);
  assert.deepEqual(pathsOf(() => parseRunConfig(doc({ spreadBp: { BBBB: 100 } }))), ['data.0.bond.credit.spreadBp']);
  // value ranges checked when the run opens, with the entry's path
  const open = (over: Record<string, unknown>) => () => openBondRun(entry(over), new InstrumentRegistry(), new Rng(1), 'data.0.bond');
  assert.deepEqual(pathsOf(open({ credit: { kappa: -1 } })), ['data.0.bond.credit.kappa']);
  // a corporate needs an issuer rating (the bond's own check); the credit rating defaults to its letter grade
  assert.deepEqual(pathsOf(open({ rating: undefined, credit: {} })), ['data.0.bond.rating']);
  assert.deepEqual(pathsOf(open({ rating: 'D', credit: {} })), ['data.0.bond.credit.rating']);
  assert.deepEqual(pathsOf(open({ kind: 'note', rating: undefined, credit: { rating: 'BBB' } })), ['data.0.bond.credit']);
});

test('a rated corporate without a credit block quotes wider than the same bond as a government note', async () => {
  const width = (over: Record<string, unknown>) => {
    const reg = new InstrumentRegistry();
    const r = openBondRun(entry({ credit: undefined, ...over }), reg, new Rng(1), 'data.0.bond');
    const s = r.source;
    s.advance();
    const q = s.current;
    assert.equal(q.kind, 'quote');
    return q.kind === 'quote' ? q.askPrice - q.bidPrice : NaN;
  };
  const govt = width({ kind: 'note', rating: undefined });
  const ccc = width({ rating: 'CCC' });
  assert.ok(ccc > govt, `CCC width ${ccc} > government width ${govt}`);
});

test('through a run config: a buy-and-hold position in a defaulting corporate settles at recovery', async () => {
  const { runConfig, parseRunConfig } = await import('../../src/index.ts');
  const c = parseRunConfig({ seed: SEED, data: [{ bond: ENTRY }], strategy: { name: 'buy-and-hold' }, account: { cash: 100_000 } });
  const r = await runConfig(c);
  const report = r.result.plugins['bond-default:ACME29'] as { settlement: { price: number; quantity: number } | null };
  assert.ok(report.settlement, 'the issuer defaulted and the position was settled');
  assert.equal(report.settlement.price, 40);
  assert.equal(r.result.positions.ACME29, undefined, 'flat after the default');
  assert.equal(r.result.startingCashUnits + r.result.ledger.reduce((s, l) => s + l.amount, 0), r.result.cashUnits);
});
