import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.ts';
import { ConfigError } from '../../src/core/errors.ts';
import { Instrument } from '../../src/market/instrument.ts';
import { MacroEventSchedule, usMacroCalendar, MACRO_KIND_DEFAULTS } from '../../src/assets/bond/dynamics/macro-events.ts';
import { DynamicNelsonSiegel } from '../../src/assets/bond/dynamics/dynamic-nelson-siegel.ts';
import { NewsSimulator } from '../../src/data/synthetic/news-sim.ts';
import type { NewsEvent } from '../../src/market/market-data.ts';

const T0 = Date.UTC(2026, 0, 5) * 1000;
const HOUR = 3_600_000_000;

test('surprises are drawn N(0, sd^2) per kind, seeded, and independent of fixing another event', () => {
  const specs = Array.from({ length: 4000 }, (_, i) => ({ time: T0 + i * HOUR, kind: 'cpi' as const }));
  const a = new MacroEventSchedule(specs, new Rng(9));
  const b = new MacroEventSchedule(specs, new Rng(9));
  assert.deepEqual(a.events.map((e) => e.surpriseBp), b.events.map((e) => e.surpriseBp));
  const xs = a.events.map((e) => e.surpriseBp);
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1));
  assert.ok(Math.abs(mean) < 4 * (6 / Math.sqrt(4000)), `mean ${mean}`);
  assert.ok(Math.abs(sd / MACRO_KIND_DEFAULTS.cpi.surpriseSdBp - 1) < 0.05, `sd ${sd}`);
  const fixed = new MacroEventSchedule([{ ...specs[0]!, surpriseBp: 12 }, ...specs.slice(1)], new Rng(9));
  assert.equal(fixed.events[0]!.surpriseBp, 12);
  assert.deepEqual(fixed.events.slice(1).map((e) => e.surpriseBp), xs.slice(1));
});

test('a rate decision moves the DNS curve: short end by the surprise, long end by 0.3 of it, and makes news', () => {
  const sched = new MacroEventSchedule(
    [
      { time: T0 + 5 * HOUR, kind: 'payrolls' },
      { time: T0 + 2 * HOUR, kind: 'rate-decision', expectedChangeBp: -25, surpriseBp: 20 },
    ],
    new Rng(1),
  );
  assert.deepEqual(sched.events.map((e) => e.kind), ['rate-decision', 'payrolls']); // sorted by time
  const e = sched.events[0]!;
  assert.equal(e.actualChangeBp, -5);
  assert.equal(e.shortMoveBp, 20);
  assert.ok(Math.abs(e.longMoveBp - 6) < 1e-12);
  const dns = new DynamicNelsonSiegel({}, new Rng(2));
  const y0 = dns.zeroYield(0);
  const yL = dns.zeroYield(500);
  sched.apply(dns, 0);
  assert.ok(Math.abs(dns.zeroYield(0) - y0 - 0.002) < 1e-15);
  assert.ok(Math.abs(dns.zeroYield(500) - yL - 0.0006) < 2e-5);
  const n = sched.news(0);
  assert.equal(n.kind, 'news');
  assert.equal(n.time, T0 + 2 * HOUR);
  assert.equal(n.instrument, undefined);
  assert.deepEqual(n.symbols, []);
  assert.equal(n.headline, 'Rate decision: policy rate -5.0 bp (expected -25.0 bp), surprise +20.0 bp');
  assert.ok(n.sentiment < 0 && n.sentiment >= -1, 'hawkish surprise is negative news');
  assert.equal(n.importance, 0.9);
  assert.equal(n.macro, e);
  assert.match(sched.news(1).headline, /^Payrolls release: surprise [+-]\d+\.\d bp \((hawkish|dovish)\)$/);
});

test('toScheduledNews feeds the news simulator, which emits the headlines at the event times', async () => {
  const ins = new Instrument(0, { symbol: 'US10Y', pricePrecision: 8 });
  const sched = new MacroEventSchedule([{ time: T0 + 3 * HOUR, kind: 'cpi', surpriseBp: -4 }], new Rng(1));
  const sim = new NewsSimulator({ instruments: [ins], start: T0, end: T0 + 24 * HOUR, rng: new Rng(3), ratePerDay: 0, scheduled: sched.toScheduledNews() });
  const events: NewsEvent[] = [];
  for (const batch of sim.batches()) for (const e of batch) if (e.kind === 'news') events.push(e);
  assert.equal(events.length, 1);
  assert.equal(events[0]!.time, T0 + 3 * HOUR);
  assert.equal(events[0]!.headline, 'CPI release: surprise -4.0 bp (dovish)');
});

test('usMacroCalendar: payrolls on the first Friday, CPI on the 13th or next weekday, 13:30 UTC', () => {
  const start = Date.UTC(2026, 0, 1) * 1000;
  const end = Date.UTC(2026, 3, 1) * 1000;
  const fomc = Date.UTC(2026, 0, 28, 19, 0) * 1000;
  const specs = usMacroCalendar({ start, end, rateDecisions: [fomc], expectedChangesBp: [0] });
  const iso = (s: { time: number; kind: string }): string => `${s.kind}@${new Date(s.time / 1000).toISOString()}`;
  assert.deepEqual(specs.map(iso), [
    'payrolls@2026-01-02T13:30:00.000Z',
    'cpi@2026-01-13T13:30:00.000Z',
    'rate-decision@2026-01-28T19:00:00.000Z',
    'payrolls@2026-02-06T13:30:00.000Z',
    'cpi@2026-02-13T13:30:00.000Z',
    'payrolls@2026-03-06T13:30:00.000Z',
    'cpi@2026-03-13T13:30:00.000Z',
  ]);
  // Dec 13, 2026 is a Sunday: CPI moves to Monday the 14th.
  const dec = usMacroCalendar({ start: Date.UTC(2026, 11, 1) * 1000, end: Date.UTC(2027, 0, 1) * 1000, payrolls: false });
  assert.deepEqual(dec.map(iso), ['cpi@2026-12-14T13:30:00.000Z']);
});

test('bad schedules throw ConfigError naming the event and field', () => {
  assert.throws(
    () => new MacroEventSchedule([{ time: T0, kind: 'gdp' as 'cpi' }, { time: 1.5, kind: 'cpi' }], new Rng(1)),
    (e: unknown) => e instanceof ConfigError && /macroEvents\[0\]\.kind/.test(e.message) && /macroEvents\[1\]\.time/.test(e.message),
  );
  assert.throws(() => new MacroEventSchedule([{ time: T0, kind: 'cpi', expectedChangeBp: 25 }], new Rng(1)), /only rate decisions/);
  assert.throws(() => new MacroEventSchedule([{ time: T0, kind: 'cpi', surpriseSdBp: -1 }], new Rng(1)), /surpriseSdBp: must be >= 0/);
});
