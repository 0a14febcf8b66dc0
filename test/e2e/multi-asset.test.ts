import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { InstrumentRegistry, Rng, SourceState, calendar, parseRunConfig, runConfig, type RunReport } from '../../src/index.ts';
import { openBondRun } from '../../src/sim/bond-run.ts';
import { repoRoot } from '../helpers/shared-data.ts';

const examples = join(repoRoot, 'examples');
const config = parseRunConfig(parseYaml(readFileSync(join(examples, 'multi-asset.yaml'), 'utf8')), 'examples/multi-asset.yaml');

let first: RunReport | undefined;
async function run(): Promise<RunReport> {
  return runConfig(config, { baseDir: examples });
}

test('multi-asset example: two runs give the same journal hash', async () => {
  first = await run();
  const again = await run();
  assert.equal(again.result.journalHash, first.result.journalHash);
  assert.ok(first.result.fills.length > 20, `only ${first.result.fills.length} fills`);
  for (const sym of ['AAPL', 'BTC-USD', 'US10Y']) assert.ok(first.result.fills.some((f) => f.symbol === sym), `no ${sym} fill`);
});

test('multi-asset example: no AAPL fill outside an NYSE session, BTC fills on weekends', async () => {
  const r = (first ??= await run()).result;
  const xnys = calendar('XNYS');
  const aapl = r.fills.filter((f) => f.symbol === 'AAPL');
  for (const f of aapl) assert.ok(xnys.isOpen(f.time), `AAPL fill at ${new Date(f.time / 1000).toISOString()} is outside the session`);
  const weekend = r.fills.filter((f) => f.symbol === 'BTC-USD' && [0, 6].includes(new Date(f.time / 1000).getUTCDay()));
  assert.ok(weekend.length > 0, 'no BTC-USD fill on a Saturday or Sunday');
  // the earnings news halts AAPL for 5 minutes (importance 0.97 >= 0.9): no AAPL fill inside the halt
  const halt = Date.parse('2026-11-12T15:30:00Z') * 1000;
  assert.ok(aapl.every((f) => f.time < halt || f.time >= halt + 5 * 60_000_000));
  // the dividend: 0.26 a share on the position of record at the ex-date open, paid on 2026-11-13
  const div = r.cashFlows.filter((c) => c.kind === 'DIVIDEND');
  assert.equal(div.length, 1);
  assert.ok(div[0]!.quantity > 0);
  const entry = r.ledger.find((l) => l.kind === 'DIVIDEND');
  assert.ok(entry && entry.amount === div[0]!.amount && entry.amount > 0);
  assert.equal(new Date(entry.time / 1000).toISOString().slice(0, 10), '2026-11-13');
  // the BTC venue is down 2026-11-14 03:00-05:00: no BTC fill and no BTC price in that window
  const down = Date.parse('2026-11-14T03:00:00Z') * 1000;
  const inDown = (t: number) => t >= down && t < down + 7_200_000_000;
  assert.ok(r.fills.filter((f) => f.symbol === 'BTC-USD').every((f) => !inDown(f.time)));
  const btc = r.instrumentSeries.find((x) => x.symbol === 'BTC-USD')!;
  assert.ok(btc.time.some((t) => t < down) && btc.time.some((t) => t >= down + 7_200_000_000));
  // (the OUTAGE status itself is sampled at 03:00, at the last price: no new price until 05:00)
  let before = 0;
  while (before + 1 < btc.time.length && btc.time[before + 1]! < down) before++;
  const last = btc.price[before];
  btc.time.forEach((t, i) => {
    if (inDown(t)) assert.equal(btc.price[i], last, 'no BTC-USD price while the venue is down');
  });
  // network fees: the transfers to the cold wallet and back paid them, and the cash came back only when confirmed
  const fees = r.ledger.filter((l) => l.kind === 'NETWORK_FEE');
  assert.ok(fees.length >= 1 && fees.every((l) => l.amount < 0));
  const back = r.ledger.find((l) => l.kind === 'DEPOSIT');
  assert.ok(back && back.time > Date.parse('2026-11-24T15:00:00Z') * 1000, 'the deposit is credited after its confirmations');
  // and no bond fill on a weekend: the dealer is closed
  assert.ok(r.fills.filter((f) => f.symbol === 'US10Y').every((f) => ![0, 6].includes(new Date(f.time / 1000).getUTCDay())));
});

test('multi-asset example: US10Y fills at the dealer quote around the curve price, with accrued interest booked', async () => {
  const r = (first ??= await run()).result;
  // the same dealer quotes, regenerated from the config and seed, with the model (curve) price of each
  const entry = config.data.find((d) => 'bond' in d);
  assert.ok(entry && 'bond' in entry);
  const bond = openBondRun(entry.bond, new InstrumentRegistry(), new Rng(config.seed), 'data.2.bond');
  const quotes: { time: number; bid: number; ask: number; model: number }[] = [];
  const src = bond.source;
  const dealer = src as unknown as { modelPrice: number };
  while (src.advance() === SourceState.Ready) {
    const e = src.current;
    if (e.kind === 'quote') quotes.push({ time: e.time, bid: e.bidPrice, ask: e.askPrice, model: dealer.modelPrice });
  }
  const fills = r.fills.filter((f) => f.symbol === 'US10Y');
  assert.ok(fills.length >= 3);
  for (const f of fills) {
    // the quote in force: an order sent by the hourly timer reaches the venue before the quote of the
    // same instant (timers run before data at equal times), so it takes the latest earlier quote
    const before = quotes.filter((q) => q.time < f.time).at(-1);
    const at = quotes.find((q) => q.time === f.time);
    const q = [before, at].find((c) => c !== undefined && f.price === (f.side === 'BUY' ? c.ask : c.bid));
    assert.ok(q, `US10Y ${f.side} at ${f.price} (${new Date(f.time / 1000).toISOString()}) is not the dealer's ${f.side === 'BUY' ? 'ask' : 'bid'}`);
    assert.ok(q.bid < q.model && q.model < q.ask, 'the model (curve) price lies inside the quote');
    // accrued interest of the T+1 settlement, per 100 face, times face / 100, in cash units
    const entryA = r.ledger.find((l) => l.kind === 'ACCRUED_INTEREST' && l.orderId === f.orderId);
    assert.ok(entryA, `no ACCRUED_INTEREST entry for order ${f.orderId}`);
    const cashScale = 10 ** (r.cashUnits === 0 ? 0 : Math.round(Math.log10(r.startingCashUnits / config.account.cash)));
    // (the account holds the accrued interest in price units of 1e-8: rounded there first)
    const expected = Math.round((Math.round(bond.accrued(f.time) * 1e8) * f.quantity * 0.01 * cashScale) / 1e8);
    assert.equal(entryA.amount, f.side === 'BUY' ? -expected : expected);
  }
  // the November coupon was paid on the position of record
  assert.ok(r.ledger.some((l) => l.kind === 'COUPON' && l.amount > 0));
});

test('multi-asset example: the ledger balances exactly', async () => {
  const r = (first ??= await run()).result;
  let sum = 0;
  for (const l of r.ledger) {
    assert.ok(Number.isSafeInteger(l.amount));
    sum += l.amount;
  }
  assert.equal(r.startingCashUnits + sum, r.cashUnits);
  const kinds = new Set(r.ledger.map((l) => l.kind));
  for (const k of ['TRADE', 'FEE', 'ACCRUED_INTEREST', 'COUPON', 'DIVIDEND', 'WITHDRAWAL', 'DEPOSIT', 'NETWORK_FEE']) assert.ok(kinds.has(k as never), `no ${k} entry`);
});
