/** The stylized-facts suite end to end: the real minute file passes all eleven, GBM fails, the CLI reports. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { MarketsimError } from '../../src/core/errors.ts';
import { factsFromBars, type FactsReport } from '../../src/sim/facts/facts.ts';
import { registerFactsCommand } from '../../src/cli/facts-command.ts';
import { sharedFile } from '../helpers/shared-data.ts';
import { Rng } from '../../src/core/rng.ts';
import { gbmBars } from '../../src/data/gbm.ts';
import { Instrument } from '../../src/market/instrument.ts';
import type { FactBar } from '../../src/sim/facts/series.ts';

const DAY_US = 86_400_000_000;
const MINUTE_US = 60_000_000;

/**
 * GBM 1-minute bars (s0 100, sigma 0.3, tick 0.01, exponential volume of mean 1000) over `days`
 * trading days of 390 minutes from 09:31 to 16:00 UTC; each day continues from the previous close
 * with its own forked random stream.
 */
function gbmSessionBars(days: number, seed: number): FactBar[] {
  const instrument = new Instrument(0, { symbol: 'GBM', pricePrecision: 2 });
  const root = new Rng(seed);
  const out: FactBar[] = [];
  let s0 = 100;
  const day0 = Date.UTC(2024, 0, 1) * 1000;
  for (let d = 0; d < days; d++) {
    const start = day0 + d * DAY_US + (9 * 60 + 31) * MINUTE_US;
    for (const batch of gbmBars({ instrument, start, intervalUs: MINUTE_US, count: 390, s0, mu: 0, sigma: 0.3, rng: root.fork(`day-${d}`), volume: { mean: 1000 } })) {
      for (const b of batch) out.push({ time: b.time, close: b.close, volume: b.volume });
    }
    s0 = out[out.length - 1]!.close;
  }
  return out;
}

const REAL = 'data/backtrader/datas/2006-01-02-volume-min-001.txt';

async function cli(args: string[]): Promise<string> {
  let out = '';
  const program = new Command().exitOverride();
  registerFactsCommand(program, (t) => (out += t));
  await program.parseAsync(['node', 'marketsim', 'facts', ...args]);
  return out;
}

function failed(r: FactsReport): number[] {
  return r.tests.filter((t) => t.pass === false).map((t) => t.id);
}

test('the real one-minute futures file passes all eleven tests (session 09:00-17:30)', async (t) => {
  const file = sharedFile(REAL);
  if (!file) return t.skip('shared data missing');
  const doc = JSON.parse(await cli(['--data', file, '--json', '--session', '09:00-17:30', '--timezone', 'UTC'])) as FactsReport;
  assert.deepEqual(failed(doc), [], JSON.stringify(doc.tests));
  assert.equal(doc.pass, true);
  assert.equal(doc.tests.length, 11);
  assert.deepEqual(doc.tests.map((x) => x.id), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  assert.equal(doc.bars, 30_889);
  assert.equal(doc.days, 41);
  assert.equal(doc.tickSize, 1); // the index future trades on whole points
  for (const x of doc.tests) {
    assert.equal(x.pass, true);
    assert.ok(x.threshold.length > 0);
  }
  // figures quoted in docs/stylized-facts.md
  assert.ok(Math.abs(doc.tests[0]!.statistics.excessKurtosis! - 2.662) < 0.001);
  assert.ok(Math.abs(doc.tests[5]!.statistics.beta! - 0.323) < 0.001);
});

test('the real file without a session: test 11 does not apply, the other ten pass; the table says so', async (t) => {
  const file = sharedFile(REAL);
  if (!file) return t.skip('shared data missing');
  const text = await cli(['--data', file]);
  assert.match(text, /41 days/);
  assert.match(text, /11 n\/a {2}intraday seasonality/);
  assert.match(text, / 1 PASS heavy tails/);
  assert.match(text, /all applicable tests pass/);
});

test('GBM over 100 sessions of 390 minutes fails tests 1, 5, 6, 7, 9 and 10 (and the seasonality test)', () => {
  const r = factsFromBars(gbmSessionBars(100, 1), { session: { start: 9 * 60 + 30, end: 16 * 60 } });
  assert.equal(r.days, 100);
  const f = failed(r);
  for (const id of [1, 5, 6, 7, 9, 10, 11]) assert.ok(f.includes(id), `test ${id} should fail on GBM: ${JSON.stringify(r.tests[id - 1])}`);
  assert.equal(r.pass, false);
  assert.ok(Math.abs(r.tests[0]!.statistics.excessKurtosis!) < 0.1); // Gaussian returns
});

test('bad input is an error naming it; failing tests are not', async () => {
  await assert.rejects(cli(['--data', '/no/such/file.csv', '--json']), (e: unknown) => e instanceof MarketsimError && /no such file/.test(e.message));
  const file = sharedFile(REAL);
  if (file) {
    await assert.rejects(cli(['--data', file, '--session', '17:30-09:00']), /session: expected HH:MM-HH:MM/);
    await assert.rejects(cli(['--data', file, '--tick', 'x']), /--tick: expected a number/);
    await assert.rejects(cli(['--data', file, '--timezone', 'Nowhere/Land']), /unknown time zone/);
  }
});
