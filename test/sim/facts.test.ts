/** Unit tests of the stylized-facts statistics on series whose answers are known. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.ts';
import { MarketsimError } from '../../src/core/errors.ts';
import { acfWithinDays, lagCorrWithinDays, robustT } from '../../src/sim/facts/acf.ts';
import { aggregatedKurtosis, ewmaStandardized, factsFromBars, fano, longMemoryBeta, parseSession } from '../../src/sim/facts/facts.ts';
import { excessKurtosis, ranks, spearman } from '../../src/sim/facts/moments.ts';
import { dayReturns, deseasonalize, minuteDays, ZoneOffset, type FactBar } from '../../src/sim/facts/series.ts';
import { hillIndex, inferTick, jitteredHill } from '../../src/sim/facts/tail.ts';

const MIN = 60_000_000;
const DAY = 1440 * MIN;

function studentT(rng: Rng, nu: number): number {
  let chi = 0;
  for (let i = 0; i < nu; i++) chi += rng.normal() ** 2;
  return rng.normal() / Math.sqrt(chi / nu);
}

test('excess kurtosis: i.i.d. Student-t(10) is near 6/(nu-4) = 1, a normal near 0', () => {
  const rng = new Rng(5);
  const t = new Float64Array(400_000);
  for (let i = 0; i < t.length; i++) t[i] = studentT(rng, 10);
  assert.ok(Math.abs(excessKurtosis(t) - 1) < 0.2, `t(10) kurtosis ${excessKurtosis(t)}`);
  const z = new Float64Array(200_000);
  for (let i = 0; i < z.length; i++) z[i] = rng.normal();
  assert.ok(Math.abs(excessKurtosis(z)) < 0.06, `normal kurtosis ${excessKurtosis(z)}`);
  assert.ok(Number.isNaN(excessKurtosis([1, 1, 1, 1])));
});

test('Hill index: a Pareto tail of index 3 is recovered from its largest 2.5%', () => {
  const rng = new Rng(11);
  const x = new Float64Array(200_000);
  for (let i = 0; i < x.length; i++) x[i] = (rng.next() < 0.5 ? -1 : 1) * rng.nextOpen() ** (-1 / 3);
  const a = hillIndex(x, 0.025);
  assert.ok(Math.abs(a - 3) < 0.15, `Hill ${a}`);
  assert.ok(Number.isNaN(hillIndex([1, 2, 3])));
});

test('ACF: an AR(1) with phi 0.6 has ACF(k) = phi^k; the robust t is small at lags where it is 0', () => {
  const rng = new Rng(3);
  const days: Float64Array[] = [];
  const noise: Float64Array[] = [];
  for (let d = 0; d < 100; d++) {
    const x = new Float64Array(2000);
    const e = new Float64Array(2000);
    let v = rng.normal() / Math.sqrt(1 - 0.36);
    for (let t = 0; t < x.length; t++) {
      v = 0.6 * v + rng.normal();
      x[t] = v;
      e[t] = rng.normal();
    }
    days.push(x);
    noise.push(e);
  }
  const acf = acfWithinDays(days, 5);
  for (let k = 1; k <= 5; k++) assert.ok(Math.abs(acf[k - 1]! - 0.6 ** k) < 0.02, `lag ${k}: ${acf[k - 1]} vs ${0.6 ** k}`);
  const tk = robustT(noise, 10);
  for (const t of tk) assert.ok(Math.abs(t) < 4.5, `noise t ${t}`);
  assert.ok(robustT(days, 1)[0]! > 50);
});

test('ACF uses within-day pairs only', () => {
  // within each day the series alternates (ACF(1) = -1); joined, the boundary would add a positive pair
  const days = [Float64Array.from([1, -1]), Float64Array.from([-1, 1]), Float64Array.from([1, -1])];
  assert.equal(acfWithinDays(days, 1)[0], -1);
  assert.ok(Number.isNaN(acfWithinDays(days, 2)[1]!)); // no within-day pair at lag 2
  // lagged correlation: y at t+1 equals x at t within each day
  const xs = [Float64Array.from([1, 2, 3, 4]), Float64Array.from([5, 1, 7, 2])];
  const ys = [Float64Array.from([0, 1, 2, 3]), Float64Array.from([9, 5, 1, 7])];
  assert.ok(Math.abs(lagCorrWithinDays(xs, ys, 1) - 1) < 1e-12);
});

test('Spearman: average ranks for ties, 1 for any increasing transform', () => {
  assert.deepEqual(Array.from(ranks([3, 1, 2, 2])), [4, 1, 2.5, 2.5]);
  const x = [0.1, 0.5, 0.2, 0.9, 0.4];
  assert.ok(Math.abs(spearman(x, x.map((v) => Math.exp(10 * v))) - 1) < 1e-12);
  assert.ok(Math.abs(spearman(x, x.map((v) => -v)) + 1) < 1e-12);
});

test('long-memory beta: ACF(k) = 0.4 k^-0.3 gives 0.3; non-positive lags are ignored', () => {
  const acf = new Float64Array(390);
  for (let k = 1; k <= 390; k++) acf[k - 1] = k % 7 === 0 ? -0.01 : 0.4 * k ** -0.3;
  assert.ok(Math.abs(longMemoryBeta(acf) - 0.3) < 1e-9);
});

test('Fano factor, EWMA standardization and non-overlapping aggregation', () => {
  assert.equal(fano([0, 0, 0, 4]), 3);
  assert.ok(Number.isNaN(fano([0, 0])));
  // |r| constant: sigma is that constant, so r / sigma = +-1
  const r = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? 0.002 : -0.002));
  const z = ewmaStandardized(r);
  assert.equal(z.length, 200);
  for (const v of z) assert.ok(Math.abs(Math.abs(v) - 1) < 1e-12);
  assert.equal(ewmaStandardized(r.slice(0, 100)).length, 0);
  // 5-minute sums within a day: 12 returns give two blocks (the 2 left over are dropped)
  const four = [{ r: Float64Array.from([1, 1, 1, 1, 1, -1, -1, -1, -1, -1, 9, 9]), slot: new Int32Array(12), vol: new Float64Array(12) }, { r: Float64Array.from([2, 0, 0, 0, 0, -2, 0, 0, 0, 0]), slot: new Int32Array(10), vol: new Float64Array(10) }];
  // blocks: 5, -5, 2, -2 -> m2 = 14.5, m4 = (625*2 + 16*2)/4 = 320.5
  assert.ok(Math.abs(aggregatedKurtosis(four, 5) - (320.5 / 14.5 ** 2 - 3)) < 1e-12);
});

test('minute grid: days by local date, gaps carry the close with zero volume, no overnight return', () => {
  const d0 = Date.UTC(2024, 0, 2) * 1000;
  const bars: FactBar[] = [
    { time: d0 + 600 * MIN, close: 100, volume: 5 },
    { time: d0 + 603 * MIN, close: 101, volume: 7 },
    { time: d0 + DAY + 600 * MIN, close: 110, volume: 1 },
    { time: d0 + DAY + 601 * MIN, close: 110, volume: 2 },
  ];
  const days = minuteDays(bars);
  assert.equal(days.length, 2);
  assert.deepEqual(Array.from(days[0]!.closes), [100, 100, 100, 101]);
  assert.deepEqual(Array.from(days[0]!.volumes), [5, 0, 0, 7]);
  assert.equal(days[0]!.start, 600);
  const ret = dayReturns(days);
  assert.deepEqual(Array.from(ret[0]!.r), [0, 0, Math.log(101 / 100)]);
  assert.deepEqual(Array.from(ret[0]!.slot), [601, 602, 603]);
  assert.deepEqual(Array.from(ret[1]!.r), [0]); // the 101 -> 110 overnight move is dropped
  // in New York both bars fall on the same local dates at 05:00 and 05:03
  const ny = minuteDays(bars, new ZoneOffset('America/New_York'));
  assert.equal(ny[0]!.start, 300);
  assert.throws(() => minuteDays([bars[1]!, bars[0]!]), (e: unknown) => e instanceof MarketsimError && /bar 1: time goes back/.test(e.message));
  assert.throws(() => minuteDays([{ time: d0, close: 0, volume: 1 }]), /bar 0: close must be/);
  assert.throws(() => new ZoneOffset('Nowhere/Land'), /unknown time zone/);
});

test('deseasonalize divides by the smoothed mean |value| of the minute of day', () => {
  // slot 600 has |r| 2 and every other slot |r| 1 on each day; the +-7 window averages 15 slots
  const slots = [Int32Array.from({ length: 40 }, (_, i) => 580 + i), Int32Array.from({ length: 40 }, (_, i) => 580 + i)];
  const vals = slots.map((s) => Float64Array.from(s, (m) => (m === 600 ? -2 : 1)));
  const ds = deseasonalize(vals, slots);
  const i600 = 20;
  assert.ok(Math.abs(ds[0]![i600]! - -2 / (16 / 15)) < 1e-12);
  assert.ok(Math.abs(ds[1]![0]! - 1) < 1e-12); // slot 580: window 573..587 holds 580..587, all 1
});

test('tick inference and the jittered Hill estimate', () => {
  assert.equal(inferTick([3599, 3602, 3597]), 1);
  assert.equal(inferTick([100.01, 100.05]), 0.01);
  assert.equal(inferTick([1.5, 2.0, 3.5]), 0.5);
  const d0 = Date.UTC(2024, 0, 2) * 1000;
  const rng = new Rng(9);
  const bars: FactBar[] = [];
  let p = 1000;
  for (let i = 0; i < 4000; i++) {
    p = Math.max(1, p + Math.round(rng.normal() * 3));
    bars.push({ time: d0 + i * MIN, close: p, volume: 1 });
  }
  const days = minuteDays(bars);
  const h = jitteredHill(days, 1, 20);
  assert.equal(h.values.length, 20);
  assert.equal(new Set(h.values).size, 20); // each seed jitters differently
  assert.deepEqual(jitteredHill(days, 1, 20), h); // and deterministically
  assert.equal(jitteredHill(days, 0).values.length, 1);
});

test('parseSession and too little data', () => {
  assert.deepEqual(parseSession('09:00-17:30'), { start: 540, end: 1050 });
  assert.throws(() => parseSession('17:30-09:00'), /start before end/);
  assert.throws(() => parseSession('9h-17h'), /HH:MM-HH:MM/);
  assert.throws(() => factsFromBars([{ time: 0, close: 1, volume: 0 }]), /too little data/);
});
