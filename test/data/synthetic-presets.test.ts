import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ConfigError, MarketsimError } from '../../src/core/errors.ts';
import { InstrumentRegistry } from '../../src/market/instrument.ts';
import type { BarEvent } from '../../src/market/market-data.ts';
import { loadBarsCsv } from '../../src/data/bar-csv.ts';
import { openCatalogSource } from '../../src/data/catalog/index.ts';
import { clippedSecondMoment, openSyntheticPreset, PRESET_NAMES, type PresetName } from '../../src/data/synthetic/presets.ts';
import { sessionStarts } from '../../src/data/synthetic/minute-bars.ts';
import { factsFromBars } from '../../src/sim/facts/facts.ts';
import { csvPathFor, synthAction } from '../../src/cli/synth-command.ts';
import { drain, tmpDir } from './helpers.ts';

async function bars(preset: PresetName, days: number, seed: number, symbol = 'SYN', start?: string): Promise<BarEvent[]> {
  const { source } = openSyntheticPreset({ preset, symbol, days, seed, ...(start ? { start } : {}) });
  return (await drain(source)).filter((e): e is BarEvent => e.kind === 'bar');
}

const strip = (b: readonly BarEvent[]) => b.map((e) => [e.time, e.open, e.high, e.low, e.close, e.volume]);

async function facts(preset: PresetName, seed: number) {
  const b = await bars(preset, 100, seed);
  return factsFromBars(b, { session: { start: 570, end: 960 }, timezone: 'America/New_York' });
}

test('presets are deterministic: same seed same bars; another seed or symbol gives other bars', async () => {
  const a = await bars('realistic', 3, 7);
  const b = await bars('realistic', 3, 7);
  assert.equal(a.length, 3 * 390);
  assert.deepEqual(strip(a), strip(b));
  assert.notDeepEqual(strip(await bars('realistic', 3, 8)).map((x) => x[4]), strip(a).map((x) => x[4]));
  assert.notDeepEqual(strip(await bars('realistic', 3, 7, 'OTHER')).map((x) => x[4]), strip(a).map((x) => x[4]));
});

test('every preset: bars on the tick grid, open = previous close, high/low bracket open and close, whole-lot volume', async () => {
  // agent-based bars are trade OHLCV (open = first trade, volume 0 without trades, $1,000 fundamental): test/agents/bars.test.ts
  for (const preset of PRESET_NAMES.filter((p) => p !== 'agent-based')) {
    const b = await bars(preset, 5, 3);
    assert.equal(b.length, 5 * 390, preset);
    let prevClose = 100;
    for (const e of b) {
      for (const p of [e.open, e.high, e.low, e.close]) {
        const cents = Math.round(p * 100);
        assert.ok(Math.abs(p * 100 - cents) < 1e-6 && cents >= 1, `${preset}: ${p} is not on the 0.01 grid`);
      }
      assert.equal(e.open, prevClose, `${preset}: open must be the previous close`);
      assert.ok(e.high >= Math.max(e.open, e.close) && e.low <= Math.min(e.open, e.close), `${preset}: ${JSON.stringify([e.open, e.high, e.low, e.close])}`);
      assert.ok(Number.isInteger(e.volume) && e.volume >= 1, `${preset}: volume ${e.volume}`);
      prevClose = e.close;
    }
  }
});

test('equity calendar: 09:30-16:00 New York on weekdays (EST and EDT); crypto runs 24/7 with 1440 minutes', async () => {
  // 2024-01-05 is a Friday: the next session is Monday 2024-01-08
  const jan = await bars('gbm', 2, 1, 'SYN', '2024-01-05');
  assert.equal(new Date(jan[0]!.time / 1000).toISOString(), '2024-01-05T14:30:00.000Z');
  assert.equal(new Date(jan[389]!.time / 1000).toISOString(), '2024-01-05T20:59:00.000Z');
  assert.equal(new Date(jan[390]!.time / 1000).toISOString(), '2024-01-08T14:30:00.000Z');
  const jul = sessionStarts(Date.UTC(2024, 6, 1), 1, 'equity');
  assert.equal(new Date(jul[0]! / 1000).toISOString(), '2024-07-01T13:30:00.000Z');
  const btc = new InstrumentRegistry().add({ symbol: 'BTC', assetClass: 'crypto', pricePrecision: 2, sizePrecision: 0 });
  const { source } = openSyntheticPreset({ preset: 'realistic', symbol: 'BTC', days: 2, seed: 1, start: '2024-01-06', instrument: btc });
  const c = await drain(source);
  assert.equal(c.length, 2 * 1440);
  assert.equal(new Date(c[0]!.time / 1000).toISOString(), '2024-01-06T00:00:00.000Z');
  assert.equal(c[1]!.time - c[0]!.time, 60_000_000);
});

test('bad options are rejected with errors naming the option', () => {
  assert.throws(() => openSyntheticPreset({ preset: 'nope' as PresetName, symbol: 'A', days: 1, seed: 1 }), (e: unknown) => e instanceof ConfigError && /preset/.test(e.message));
  assert.throws(() => openSyntheticPreset({ preset: 'gbm', symbol: 'A', days: 1, seed: 1, start: '2024-02-30' }), (e: unknown) => e instanceof ConfigError && /start/.test(e.message));
  assert.throws(() => openSyntheticPreset({ preset: 'gbm', symbol: 'A', days: -1, seed: 1 }), (e: unknown) => e instanceof ConfigError && /days/.test(e.message));
  const inst = new InstrumentRegistry().add({ symbol: 'B', pricePrecision: 2 });
  assert.throws(() => openSyntheticPreset({ preset: 'gbm', symbol: 'A', days: 1, seed: 1, instrument: inst }), (e: unknown) => e instanceof ConfigError && /instrument/.test(e.message));
});

test('clipped second moment of the standardized Student-t: 1 without clipping, 0.995 for a normal clipped at 3', () => {
  assert.ok(Math.abs(clippedSecondMoment(5, 200) - 1) < 1e-3);
  assert.ok(Math.abs(clippedSecondMoment(1e9, 3) - 0.99501) < 1e-4);
  assert.ok(clippedSecondMoment(4.5, 2.5) < clippedSecondMoment(4.5, 3));
});

test('synth --out FILE.csv: one file per symbol, read back by loadBarsCsv bar for bar', async () => {
  const out = join(tmpDir(), 'synth.csv');
  let printed = '';
  const res = await synthAction({ preset: 'garch', symbols: 'AAA,BBB', days: '2', seed: '5', out, json: true }, (t) => (printed += t));
  assert.deepEqual(JSON.parse(printed), res);
  assert.deepEqual(res.outputs.map((o) => o.path), [csvPathFor(out, 'AAA', true), csvPathFor(out, 'BBB', true)]);
  assert.equal(csvPathFor('/x/y.csv', 'AAA', true), '/x/y.AAA.csv');
  for (const o of res.outputs) {
    assert.equal(o.bars, 780);
    const { source } = await loadBarsCsv(o.path);
    const read = await drain(source);
    const expected = await bars('garch', 2, 5, o.symbol);
    assert.deepEqual(strip(read), strip(expected));
  }
  assert.notDeepEqual(strip(await bars('garch', 2, 5, 'AAA')), strip(await bars('garch', 2, 5, 'BBB')));
});

test('synth --out DIR: bars land in a catalog, replayed identically', async () => {
  const out = join(tmpDir(), 'synth-catalog');
  const res = await synthAction({ preset: 'realistic', symbols: 'XYZ', days: '1', seed: '9', out }, () => {});
  assert.equal(res.format, 'catalog');
  assert.equal(res.outputs[0]!.bars, 390);
  const src = await openCatalogSource(out, { types: ['bar'] });
  const read = (await drain(src)) as BarEvent[];
  assert.deepEqual(strip(read), strip(await bars('realistic', 1, 9, 'XYZ')));
});

test('synth rejects bad flags with the flag named', async () => {
  const base = { preset: 'gbm', symbols: 'A', days: '1', seed: '1', out: join(tmpDir(), 'bad.csv') };
  for (const [patch, re] of [[{ preset: 'x' }, /--preset/], [{ symbols: 'A,,B' }, /--symbols/], [{ days: '0' }, /--days/], [{ seed: 'abc' }, /--seed/], [{ symbols: 'A,A' }, /duplicate/]] as const) {
    await assert.rejects(synthAction({ ...base, ...patch }, () => {}), (e: unknown) => e instanceof MarketsimError && re.test(e.message));
  }
});

test('stylized facts: gbm (the negative control) fails tests 1, 5, 6, 7, 9 and 10 at three seeds', async () => {
  for (const seed of [1, 2, 3]) {
    const r = await facts('gbm', seed);
    const failed = r.tests.filter((t) => t.pass === false).map((t) => t.id);
    for (const id of [1, 5, 6, 7, 9, 10]) assert.ok(failed.includes(id), `gbm seed ${seed} should fail test ${id}; failed ${failed}`);
  }
});

test('stylized facts: realistic passes all eleven tests at seeds 1, 2 and 3 over 100 trading days', async () => {
  for (const seed of [1, 2, 3]) {
    const r = await facts('realistic', seed);
    assert.equal(r.days, 100);
    const failed = r.tests.filter((t) => t.pass !== true).map((t) => `${t.id} ${JSON.stringify(t.statistics)}`);
    assert.deepEqual(failed, [], `realistic seed ${seed}`);
    assert.equal(r.pass, true);
  }
});
