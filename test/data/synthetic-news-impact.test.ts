/**
 * News impact inside the price generators (docs/models.md, "News in the price generators"): a big positive
 * item moves the microstructure quotes by the expected jump and drift, widens the spread (decaying), surges
 * trading, and halts: no quotes or trades between HALT and RESUME.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.ts';
import { Instrument } from '../../src/market/instrument.ts';
import type { BarEvent, NewsEvent, QuoteEvent, StatusEvent } from '../../src/market/market-data.ts';
import { minuteBarsWithNews, type MinuteReturnModel } from '../../src/data/synthetic/minute-bars.ts';
import { microstructureBatches, type MicroEvent } from '../../src/data/synthetic/microstructure.ts';
import { DEFAULT_NEWS_IMPACT } from '../../src/data/synthetic/news-sim.ts';

const inst = new Instrument(0, { symbol: 'NWS', pricePrecision: 2, sizePrecision: 0 });
const MIN = 60_000_000;
const START = Date.UTC(2024, 0, 2, 14, 30) * 1000;
const T = START + 30 * MIN;

const item: NewsEvent = { kind: 'news', time: T, instrument: inst, symbols: ['NWS'], headline: 'NWS beats', source: 'test', sentiment: 1, importance: 0.95 };
const halt: StatusEvent = { kind: 'status', time: T, instrument: inst, status: 'HALT', reason: 'news pending' };
const resume: StatusEvent = { kind: 'status', time: T + 5 * MIN, instrument: inst, status: 'RESUME', reason: 'news disseminated' };

function run(events: (NewsEvent | StatusEvent)[], seed = 1): MicroEvent[] {
  const out: MicroEvent[] = [];
  // a constant latent price and a spread and activity that ignore the (zero) volatility isolate the news effects
  const o = { instrument: inst, latent: () => 100, start: START, end: START + 90 * MIN, rng: new Rng(seed, 'news-impact'), spreadVolElasticity: 0, volumeVolElasticity: 0 };
  for (const b of microstructureBatches({ ...o, news: { events } })) out.push(...b);
  return out;
}

const mid = (q: QuoteEvent): number => (q.bidPrice + q.askPrice) / 2;
const quotes = (ev: MicroEvent[], from: number, to: number): QuoteEvent[] => ev.filter((e): e is QuoteEvent => e.kind === 'quote' && e.time >= from && e.time < to);
const trades = (ev: MicroEvent[], from: number, to: number): number => ev.filter((e) => e.kind === 'trade' && e.time >= from && e.time < to).length;

test('a big positive item: a jump of (1 - driftShare) jumpScale s I plus the drift, and nothing trades during the halt', () => {
  const ev = run([halt, item, resume]);
  const p = DEFAULT_NEWS_IMPACT;
  const move = p.jumpScale * 1 * 0.95;
  const jump = (1 - p.driftShare) * move;
  // the stream carries the news and status events at their times
  assert.deepEqual(ev.filter((e) => e.kind !== 'quote' && e.kind !== 'trade').map((e) => [e.kind, e.time]), [['status', T], ['news', T], ['status', T + 5 * MIN]]);
  // before: quoted around 100
  for (const q of quotes(ev, START, T)) assert.ok(Math.abs(mid(q) - 100) <= 0.03, `mid ${mid(q)} before the news`);
  // halted: no quote, no trade in [T, T + 5 min)
  assert.equal(quotes(ev, T, T + 5 * MIN).length, 0);
  assert.equal(trades(ev, T, T + 5 * MIN), 0);
  assert.ok(trades(ev, START, T) > 300 && trades(ev, T + 5 * MIN, T + 10 * MIN) > 100, 'trading before and after the halt');
  // at the resume: a quote at once, at 100 e^(jump + 5 minutes of drift)
  const first = quotes(ev, T + 5 * MIN, T + 6 * MIN)[0]!;
  assert.equal(first.time, T + 5 * MIN);
  const expected = 100 * Math.exp(jump + (p.driftShare * move * 5) / p.driftMinutes);
  assert.ok(Math.abs(mid(first) - expected) <= 0.03, `mid ${mid(first)} vs ${expected.toFixed(3)}`);
  // after the drift: the whole move
  const late = quotes(ev, T + 20 * MIN, T + 60 * MIN);
  assert.ok(late.length > 100);
  for (const q of late) assert.ok(Math.abs(mid(q) - 100 * Math.exp(move)) <= 0.03, `mid ${mid(q)} vs ${(100 * Math.exp(move)).toFixed(3)}`);
});

test('the spread widens with the news and decays back; trading surges after the resume', () => {
  const ev = run([halt, item, resume]);
  const spreadTicks = (q: QuoteEvent): number => Math.round((q.askPrice - q.bidPrice) * 100);
  const avg = (qs: QuoteEvent[]): number => qs.reduce((s, q) => s + spreadTicks(q), 0) / qs.length;
  const before = avg(quotes(ev, START, T));
  const windows = [5, 10, 15, 20, 40].map((m) => avg(quotes(ev, T + m * MIN, T + (m + 2) * MIN)));
  assert.equal(before, 5, '5 bps of 100 = 5 ticks');
  // spread multiplier 1 + spreadSpike I 2^(-dt / 5 min): about 1.95 at the resume
  assert.ok(windows[0]! >= 9, `spread just after the resume ${windows[0]}`);
  for (let i = 1; i < windows.length; i++) assert.ok(windows[i]! <= windows[i - 1]!, `decaying: ${windows.join(', ')}`);
  assert.ok(windows.at(-1)! <= 5.6, `back near the base spread: ${windows.at(-1)}`);
  // volume multiplier 1 + volumeSpike I 2^(-dt / 15 min) is about 4 at the resume
  let busy = 0;
  let calm = 0;
  for (const seed of [1, 2, 3]) {
    const e = seed === 1 ? ev : run([halt, item, resume], seed);
    busy += trades(e, T + 5 * MIN, T + 10 * MIN);
    calm += trades(e, START + 5 * MIN, START + 10 * MIN);
  }
  assert.ok(busy > 2 * calm, `trades after the resume ${busy} vs before ${calm}`);
});

test('without news the stream is unchanged by the news option being absent, and news about another symbol is ignored', () => {
  const other: NewsEvent = { ...item, symbols: ['OTHER'], instrument: undefined };
  const a = run([]).filter((e) => e.kind === 'quote' || e.kind === 'trade');
  const b = run([other]).filter((e) => e.kind === 'quote' || e.kind === 'trade');
  assert.deepEqual(b, a);
  for (const q of quotes(a, START, START + 90 * MIN)) assert.ok(Math.abs(mid(q) - 100) <= 0.03);
});

test('minute bars with news: the jump and drift in the closes, no bars while halted, a gap open at the resume, surging volume', () => {
  const flat: MinuteReturnModel = { sigma: 0, startDay() {}, step: () => 0 };
  const out: (BarEvent | NewsEvent | StatusEvent)[] = [];
  for (const b of minuteBarsWithNews({ instrument: inst, model: flat, volume: { base: 1000, profile: null, response: 0, sigmaRef: 1, noise: 0 }, rng: new Rng(1, 'bars'), days: 1, start: '2024-01-02', calendar: 'equity', s0: 100, news: { events: [halt, item, resume] } })) out.push(...b);
  const bars = out.filter((e): e is BarEvent => e.kind === 'bar');
  assert.equal(bars.length, 390 - 5, 'five halted minutes have no bar');
  for (let i = 1; i < out.length; i++) assert.ok(out[i]!.time >= out[i - 1]!.time, 'time order');
  assert.deepEqual(out.filter((e) => e.kind !== 'bar').map((e) => [e.kind, e.time]), [['status', T], ['news', T], ['status', T + 5 * MIN]]);
  assert.ok(!bars.some((b) => b.time >= T && b.time < T + 5 * MIN));
  const p = DEFAULT_NEWS_IMPACT;
  const move = p.jumpScale * 0.95;
  const before = bars.filter((b) => b.time < T);
  assert.ok(before.every((b) => b.close === 100 && b.volume === 1000));
  const resumed = bars.find((b) => b.time === T + 5 * MIN)!;
  const openAt = 100 * Math.exp((1 - p.driftShare) * move + (p.driftShare * move * 5) / p.driftMinutes);
  assert.equal(resumed.open, Math.round(openAt * 100) / 100);
  assert.equal(resumed.volume, Math.round(1000 * (1 + p.volumeSpike * 0.95 * Math.pow(2, -5 / p.volumeHalfLifeMinutes))));
  assert.equal(bars.at(-1)!.close, Math.round(100 * Math.exp(move) * 100) / 100);
  assert.ok(bars.at(-1)!.volume < 1010, 'the surge decays');
});

test('minute bars with news: returns are scaled by the decaying volatility multiplier, plus the drift', () => {
  const p = DEFAULT_NEWS_IMPACT;
  const small: NewsEvent = { ...item, importance: 0.5 }; // below the halt threshold
  const zigzag: MinuteReturnModel = { sigma: 0.001, startDay() {}, step: (m: number) => (m % 2 === 0 ? 0.001 : -0.001) };
  const bars: BarEvent[] = [];
  for (const b of minuteBarsWithNews({ instrument: inst, model: zigzag, volume: { base: 1000, profile: null, response: 0, sigmaRef: 1, noise: 0 }, rng: new Rng(2, 'bars'), days: 1, start: '2024-01-02', calendar: 'equity', s0: 100, news: { events: [small] } })) {
    for (const e of b) if (e.kind === 'bar') bars.push(e);
  }
  assert.equal(bars.length, 390);
  const move = p.jumpScale * 0.5;
  const driftPerMin = (p.driftShare * move) / p.driftMinutes;
  for (let i = 1; i < bars.length; i++) {
    const t = bars[i]!.time;
    const m = (t - START) / MIN;
    const dt = (t - T) / MIN;
    const volMult = dt >= 0 ? 1 + p.volSpike * 0.5 * Math.pow(2, -dt / p.volHalfLifeMinutes) : 1;
    let expected = (m % 2 === 0 ? 0.001 : -0.001) * volMult;
    if (dt === 0) expected += (1 - p.driftShare) * move; // the jump lands in the news minute's bar
    if (dt >= 0 && dt < p.driftMinutes) expected += driftPerMin;
    const got = Math.log(bars[i]!.close / bars[i - 1]!.close);
    assert.ok(Math.abs(got - expected) < 1.5e-4, `minute ${m}: log return ${got.toFixed(6)} vs ${expected.toFixed(6)}`);
  }
});
