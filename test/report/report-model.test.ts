import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { parseRunConfig } from '../../src/sim/run-config.ts';
import { runConfig, type RunReport } from '../../src/sim/run.ts';
import { writeRunOutputs } from '../../src/cli/output.ts';
import { bucketSeconds, bucketTime, downsample, drawdown, stepAt } from '../../src/report/chart-series.ts';
import { formatNumber } from '../../src/report/format.ts';
import { readRunFolder } from '../../src/report/run-folder.ts';
import { buildReportModel } from '../../src/report/report-model.ts';
import { renderReport } from '../../src/report/write-report.ts';
import { registerReportCommand } from '../../src/cli/report-command.ts';

mkdirSync('out', { recursive: true });
const tmp = mkdtempSync(join('out', 'test-report-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

const DAY = 86_400_000_000;

/** A small two-asset run: 120 daily bars of an equity and a crypto pair, rebalanced every 5 bars. */
async function smallRun(): Promise<RunReport> {
  const gbm = (symbol: string, assetClass: string, s0: number, extra: Record<string, unknown> = {}) => ({
    synthetic: 'gbm',
    symbol,
    assetClass,
    kind: 'bars',
    start: '2024-01-01T21:00:00Z',
    intervalUs: DAY,
    count: 120,
    s0,
    mu: 0.1,
    sigma: 0.4,
    volume: 100000,
    ...extra,
  });
  const config = parseRunConfig(
    {
      seed: 3,
      data: [gbm('EQ', 'equity', 100), gbm('COIN', 'crypto', 20000, { sizePrecision: 4 })],
      strategy: { name: 'rebalance', params: { weight: 0.4, everyBars: 5, sma: 5 } },
      account: { cash: 100000, currency: 'USD' },
      venue: { fees: { takerRate: 0.001, makerRate: 0.001 } },
    },
    'test',
  );
  return runConfig(config);
}

const report = await smallRun();
const dir = join(tmp, 'small');
writeRunOutputs(dir, report);

test('downsample keeps one point per bucket: the last value, or the lowest for drawdowns', () => {
  const t = [0, 500_000, 1_000_000, 2_000_000, 2_900_000, 10_000_000].map((x) => x + 1_700_000_000_000_000);
  const v = [1, 2, 3, 4, -1, 6];
  // 1 s buckets: the two samples of the first second collapse to the later one
  assert.deepEqual(downsample(t, v, 1), { t: [1_700_000_000, 1_700_000_001, 1_700_000_002, 1_700_000_010], v: [2, 3, -1, 6] });
  const byMin = downsample(t, v, 5, 'min');
  assert.deepEqual(byMin.v, [-1, 6]);
  assert.deepEqual(byMin.t, [1_700_000_002, 1_700_000_010]);
  // strictly increasing times, as lightweight-charts requires
  const s = downsample(t, v, 2);
  for (let i = 1; i < s.t.length; i++) assert.ok(s.t[i]! > s.t[i - 1]!);
  assert.equal(bucketTime(byMin, t[1]!, 5), 1_700_000_002);
  assert.equal(bucketTime(byMin, t[5]!, 5), 1_700_000_010);
  assert.equal(bucketTime(byMin, t[5]! + 60_000_000, 5), undefined);
  assert.equal(bucketSeconds(0, 9_999_000_000, 100), 100);
  assert.equal(bucketSeconds(0, 10_000_000, 3000), 1);
});

test('drawdown is equity over the running peak minus one; stepAt forward-fills onto a grid', () => {
  assert.deepEqual(drawdown([100, 110, 99, 121, 110]), [0, 0, 99 / 110 - 1, 0, 110 / 121 - 1]);
  assert.deepEqual(Array.from(stepAt([1, 2, 3, 5, 9], [2, 4, 5], [10, 20, 30])), [0, 10, 10, 30, 30]);
});

test('formatNumber: percent of a fraction, grouped money, n/a for null and non-finite, durations', () => {
  assert.equal(formatNumber(0.123456, 'percent'), '12.35%');
  assert.equal(formatNumber(1234567.891, 'money'), '1,234,567.89');
  assert.equal(formatNumber(null, 'ratio'), 'n/a');
  assert.equal(formatNumber(Number.NaN, 'money'), 'n/a');
  assert.equal(formatNumber(3 * DAY + 4 * 3_600_000_000, 'duration'), '3d 4h');
  assert.equal(formatNumber(126.62000000000002, 'price'), '126.62');
});

test('the run records each instrument: its position values plus cash give the final value, its PnL sums to the run PnL', () => {
  const r = report.result;
  assert.deepEqual(
    r.instrumentSeries.map((s) => [s.symbol, s.assetClass]),
    [
      ['EQ', 'equity'],
      ['COIN', 'crypto'],
    ],
  );
  assert.ok(r.fills.length > 4, 'the strategy traded');
  let value = 0;
  let net = 0;
  for (const s of r.instrumentSeries) {
    assert.equal(s.time.length, s.price.length);
    for (let i = 1; i < s.time.length; i++) assert.ok(s.time[i]! > s.time[i - 1]!, `${s.symbol} times increase`);
    value += s.value[s.value.length - 1]!;
    net += s.realizedPnl + s.unrealizedPnl - s.fees;
    assert.equal(s.quantity, r.positions[s.symbol] ?? 0);
  }
  assert.ok(Math.abs(r.cash + value - r.finalValue) < 1e-6, `cash ${r.cash} + positions ${value} = ${r.finalValue}`);
  assert.ok(Math.abs(net - (r.finalValue - report.config.account.cash)) < 1e-6);
  // the series has a sample at each fill of its instrument (so the exposure chart sees every trade)
  const eq = r.instrumentSeries[0]!;
  for (const f of r.fills.filter((x) => x.symbol === 'EQ')) {
    const i = Array.from(eq.time).lastIndexOf(f.time);
    assert.ok(i >= 0, `a sample at the fill time ${f.time}`);
  }
});

test('the report model: exposure per class adds up to the gross exposure, PnL rows match instruments.csv', () => {
  const folder = readRunFolder(dir);
  const m = buildReportModel(folder);
  assert.deepEqual(m.assetClasses, ['equity', 'crypto']);
  assert.equal(m.charts.exposureMode, 'stacked');
  assert.equal(m.charts.prices.length, 2);
  const eqFills = report.result.fills.filter((f) => f.symbol === 'EQ').length;
  assert.equal(m.charts.prices[0]!.fillCount, eqFills);
  assert.equal(m.charts.prices[0]!.markers.length, eqFills);
  // long-only: the stacked classes equal gross exposure / equity at every (daily, undownsampled) point
  const e = folder.equity;
  const last = e.time.length - 1;
  const total = m.charts.exposure.reduce((a, x) => a + x.series.v[x.series.v.length - 1]!, 0);
  assert.ok(Math.abs(total - (e.exposure[last]! / e.equity[last]!) * 100) < 1e-6);
  assert.ok(Math.abs(m.otherPnl) < 1e-6, 'no unattributed cash flows in a run without dividends');
  assert.equal(m.charts.equity.t.length, e.time.length);
  assert.ok(m.charts.drawdown.v.every((x) => x <= 0));
});

test('the HTML is self-contained, deterministic and carries summary.json values in data-field attributes', () => {
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  assert.equal(renderReport(dir), html, 'rebuilding gives the same bytes');
  // no external resources: no script src, and outside the inlined scripts no link, src, url() or @import
  assert.equal(/<script[^>]*\ssrc=/i.test(html), false, 'a script with src');
  const markup = html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '');
  for (const bad of [/<link\b/i, /\ssrc=/i, /url\(/i, /@import/i]) assert.equal(bad.test(markup), false, `markup matches ${bad}`);
  assert.equal((html.match(/<script\b/g) ?? []).length, 3, 'data, library, page script');
  assert.match(html, /TradingView Lightweight Charts/);
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
  const fields = new Map<string, string>();
  for (const m of html.matchAll(/data-field="([^"]+)" data-value="([^"]*)"/g)) fields.set(m[1]!, m[2]!.replace(/&quot;/g, '"'));
  for (const [k, v] of Object.entries(summary.stats)) assert.equal(fields.get(`stats.${k}`), JSON.stringify(v), `stats.${k}`);
  assert.equal(fields.get('finalValue'), JSON.stringify(summary.finalValue));
  assert.equal(fields.get('fills.length'), String(summary.fills.length));
  assert.equal(fields.get('journalHash'), JSON.stringify(summary.journalHash));
});

test('marketsim report DIR rebuilds report.html; bad folders are errors naming the file and line', async () => {
  const copy = join(tmp, 'copy');
  mkdirSync(copy);
  for (const f of ['summary.json', 'equity.csv', 'fills.csv', 'orders.csv', 'prices.csv', 'instruments.csv', 'run.json']) writeFileSync(join(copy, f), readFileSync(join(dir, f)));
  const out: string[] = [];
  const program = new Command().exitOverride();
  registerReportCommand(program, (t) => out.push(t));
  await program.parseAsync(['node', 'marketsim', 'report', copy, '--json']);
  const path = JSON.parse(out[0]!).report as string;
  assert.ok(path.endsWith(join('copy', 'report.html')));
  const html = readFileSync(path, 'utf8');
  assert.match(html, /run-name">copy</);

  await assert.rejects(program.parseAsync(['node', 'marketsim', 'report', join(tmp, 'nope')]), /nope: no such folder/);
  const lines = readFileSync(join(copy, 'equity.csv'), 'utf8').split('\n');
  lines[3] = '2024-01-03T21:00:00.000Z,abc,0';
  writeFileSync(join(copy, 'equity.csv'), lines.join('\n'));
  await assert.rejects(program.parseAsync(['node', 'marketsim', 'report', copy]), /equity\.csv:4 field equity: expected a number, got "abc"/);
  writeFileSync(join(copy, 'equity.csv'), 'time,equity\n');
  await assert.rejects(program.parseAsync(['node', 'marketsim', 'report', copy]), /equity\.csv:1 field gross_exposure: missing column/);
  writeFileSync(join(copy, 'summary.json'), JSON.stringify({ ...JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')), finalValue: 'x' }));
  await assert.rejects(program.parseAsync(['node', 'marketsim', 'report', copy]), /summary\.json: field finalValue: Expected number/);
});

test('an output folder written before prices.csv existed still gives a report (gross exposure only)', () => {
  const old = join(tmp, 'old');
  mkdirSync(old);
  for (const f of ['summary.json', 'equity.csv', 'fills.csv', 'orders.csv']) writeFileSync(join(old, f), readFileSync(join(dir, f)));
  const m = buildReportModel(readRunFolder(old));
  assert.equal(m.charts.prices.length, 0);
  assert.deepEqual(m.charts.exposure.map((e) => e.assetClass), ['all (gross)']);
  assert.match(renderReport(old), /has no prices\.csv/);
});
