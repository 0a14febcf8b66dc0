import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/core/errors.ts';
import { Rng } from '../../src/core/rng.ts';
import { Instrument } from '../../src/market/instrument.ts';
import { SourceState, type NewsEvent, type StatusEvent } from '../../src/market/market-data.ts';
import {
  DAY_US,
  MINUTE_US,
  NewsImpactModel,
  NewsImpactState,
  NewsSimulator,
  betaDraw,
  clippedNormalMean,
  type NewsSimEvent,
  type NewsSimOptions,
} from '../../src/data/synthetic/news-sim.ts';

const A = new Instrument(0, { symbol: 'AAA', pricePrecision: 2 });
const B = new Instrument(1, { symbol: 'BBB', pricePrecision: 2 });
const C = new Instrument(2, { symbol: 'CCC', pricePrecision: 2 });
const START = 1_700_000_000_000_000;

async function drain(sim: NewsSimulator): Promise<NewsSimEvent[]> {
  const src = sim.source();
  const out: NewsSimEvent[] = [];
  for (;;) {
    const s = src.advance();
    if (s === SourceState.Ready) out.push(src.current);
    else if (s === SourceState.Wait) await src.refill();
    else break;
  }
  return out;
}

function sim(over: Partial<NewsSimOptions> = {}): NewsSimulator {
  return new NewsSimulator({ instruments: [A, B, C], start: START, end: START + 200 * DAY_US, rng: new Rng(7), ratePerDay: 3, batchSize: 100, ...over });
}

const news = (ev: NewsSimEvent[]): NewsEvent[] => ev.filter((e): e is NewsEvent => e.kind === 'news');
const status = (ev: NewsSimEvent[]): StatusEvent[] => ev.filter((e): e is StatusEvent => e.kind === 'status');

test('same seed gives the same stream; another seed a different one', async () => {
  const a = await drain(sim());
  const b = await drain(sim());
  const c = await drain(sim({ rng: new Rng(8) }));
  assert.deepEqual(a, b);
  assert.notDeepEqual(news(a).map((e) => e.time), news(c).map((e) => e.time));
});

test('events are in time order with integer times, and the source checks it', async () => {
  const ev = await drain(sim({ scheduled: [{ time: START + 5 * DAY_US, kind: 'macro' }] }));
  assert.ok(ev.length > 1000);
  for (let i = 1; i < ev.length; i++) assert.ok(ev[i]!.time >= ev[i - 1]!.time, `event ${i} goes back`);
  for (const e of ev) assert.ok(Number.isInteger(e.time));
});

test('Poisson counts per symbol match ratePerDay within 4 standard deviations', async () => {
  const days = 2000;
  const rate = 3;
  const ev = news(await drain(sim({ end: START + days * DAY_US, ratePerDay: rate })));
  const expected = days * rate;
  for (const sym of ['AAA', 'BBB', 'CCC']) {
    const n = ev.filter((e) => e.symbols[0] === sym).length;
    assert.ok(Math.abs(n - expected) < 4 * Math.sqrt(expected), `${sym}: ${n} vs ${expected}`);
  }
  // Daily counts: Poisson dispersion (variance / mean near 1).
  const counts = new Array<number>(days).fill(0);
  for (const e of ev) if (e.symbols[0] === 'AAA') counts[Math.floor((e.time - START) / DAY_US)]!++;
  const mean = counts.reduce((s, x) => s + x, 0) / days;
  const v = counts.reduce((s, x) => s + (x - mean) ** 2, 0) / (days - 1);
  assert.ok(Math.abs(v / mean - 1) < 0.15, `dispersion ${v / mean}`);
});

test('adding a symbol does not change the news of the others', async () => {
  const two = news(await drain(sim({ instruments: [A, B] }))).filter((e) => e.symbols[0] === 'AAA');
  const three = news(await drain(sim())).filter((e) => e.symbols[0] === 'AAA');
  assert.deepEqual(two, three);
});

test('scheduled events appear at their exact times with their symbols', async () => {
  const t1 = START + 3 * DAY_US + 123;
  const t2 = START + 1 * DAY_US + 7;
  const ev = await drain(
    sim({
      ratePerDay: 0,
      end: START + 10 * DAY_US,
      scheduled: [
        { time: t1, kind: 'earnings', symbols: ['BBB'], headline: 'BBB Q3' },
        { time: t2, kind: 'macro' },
      ],
    }),
  );
  const n = news(ev);
  assert.equal(n.length, 2);
  assert.equal(n[0]!.time, t2);
  assert.deepEqual(n[0]!.symbols, []);
  assert.equal(n[0]!.instrument, undefined);
  assert.equal(n[1]!.time, t1);
  assert.deepEqual(n[1]!.symbols, ['BBB']);
  assert.equal(n[1]!.instrument, B);
  assert.equal(n[1]!.headline, 'BBB Q3');
});

test('sentiment and importance stay in range with the documented means', async () => {
  const ev = news(await drain(sim({ end: START + 1000 * DAY_US, sentiment: { mean: 0.3, sd: 0.6 }, importance: { a: 2, b: 8 } })));
  assert.ok(ev.length > 5000);
  let ss = 0;
  let si = 0;
  for (const e of ev) {
    assert.ok(e.sentiment >= -1 && e.sentiment <= 1);
    assert.ok(e.importance >= 0 && e.importance <= 1);
    ss += e.sentiment;
    si += e.importance;
  }
  const n = ev.length;
  const ms = clippedNormalMean(0.3, 0.6);
  assert.ok(ms < 0.3 && ms > 0.2, `clipped mean ${ms}`); // clipping pulls the mean toward 0
  assert.ok(Math.abs(ss / n - ms) < 4 * (0.6 / Math.sqrt(n)), `sentiment mean ${ss / n} vs ${ms}`);
  // Beta(2, 8): mean 0.2, sd sqrt(ab / ((a+b)^2 (a+b+1))) = 0.1206
  assert.ok(Math.abs(si / n - 0.2) < 4 * (0.1206 / Math.sqrt(n)), `importance mean ${si / n}`);
});

test('scheduled items are more important (Beta(6, 4), mean 0.6)', async () => {
  const scheduled = Array.from({ length: 3000 }, (_, i) => ({ time: START + i * MINUTE_US * 30, kind: 'earnings' as const, symbols: ['AAA'] }));
  const ev = news(await drain(sim({ ratePerDay: 0, scheduled })));
  assert.equal(ev.length, 3000);
  const m = ev.reduce((s, e) => s + e.importance, 0) / ev.length;
  // sd of Beta(6, 4) = sqrt(24 / (100 * 11)) = 0.1477
  assert.ok(Math.abs(m - 0.6) < 4 * (0.1477 / Math.sqrt(3000)), `mean ${m}`);
});

test('beta draws have the right mean and variance, also for shapes below 1', () => {
  const rng = new Rng(3);
  for (const [a, b] of [[0.5, 0.5], [2, 8], [6, 4]] as const) {
    let s = 0;
    let s2 = 0;
    const n = 40000;
    for (let i = 0; i < n; i++) {
      const x = betaDraw(rng, a, b);
      assert.ok(x >= 0 && x <= 1);
      s += x;
      s2 += x * x;
    }
    const mean = a / (a + b);
    const v = (a * b) / ((a + b) ** 2 * (a + b + 1));
    assert.ok(Math.abs(s / n - mean) < 4 * Math.sqrt(v / n), `Beta(${a},${b}) mean ${s / n}`);
    assert.ok(Math.abs(s2 / n - (s / n) ** 2 - v) < 0.05 * v, `Beta(${a},${b}) var`);
  }
});

test('halts only for items at or above the threshold, RESUME after haltMinutes', async () => {
  const haltMinutes = 7;
  const ev = await drain(sim({ end: START + 500 * DAY_US, scheduled: [{ time: START + 2 * DAY_US, kind: 'macro' }], impact: { haltThreshold: 0.45, haltMinutes } }));
  const st = status(ev);
  const halts = st.filter((e) => e.status === 'HALT');
  assert.ok(halts.length > 20, `halts ${halts.length}`);
  // Each HALT immediately precedes an important news item about the same instrument at the same time.
  for (let i = 0; i < ev.length; i++) {
    const e = ev[i]!;
    if (e.kind === 'status' && e.status === 'HALT') {
      let j = i + 1;
      while (ev[j]!.kind === 'status') j++;
      const n = ev[j] as NewsEvent;
      assert.equal(n.time, e.time);
      assert.ok(n.importance >= 0.45);
      assert.ok(n.symbols.includes(e.instrument.symbol));
    }
  }
  // Every important item halts its instrument (or finds it already halted); unimportant ones never do.
  const haltedUntil = new Map<string, number>();
  for (const e of ev) {
    if (e.kind === 'status') {
      if (e.status === 'HALT') haltedUntil.set(e.instrument.symbol, e.time);
      else haltedUntil.delete(e.instrument.symbol);
      continue;
    }
    if (e.symbols.length === 0) continue; // market-wide never halts
    const sym = e.symbols[0]!;
    if (e.importance >= 0.45) assert.ok(haltedUntil.has(sym), `item at ${e.time} did not halt`);
  }
  const nonHalting = news(ev).filter((e) => e.importance < 0.45);
  assert.ok(nonHalting.length > 100);
  // Pair each HALT with the next RESUME of its instrument: at least haltMinutes later (extended when
  // another important item came during the halt), exactly haltMinutes after the last important item.
  for (const sym of ['AAA', 'BBB', 'CCC']) {
    const seq = ev.filter((e) => (e.kind === 'status' && e.instrument.symbol === sym) || (e.kind === 'news' && e.symbols.includes(sym) && e.importance >= 0.45));
    let haltAt = -1;
    let lastImportant = -1;
    for (const e of seq) {
      if (e.kind === 'status' && e.status === 'HALT') {
        assert.equal(haltAt, -1, 'HALT while halted');
        haltAt = e.time;
      } else if (e.kind === 'news') {
        lastImportant = e.time;
      } else if (e.kind === 'status' && e.status === 'RESUME') {
        assert.notEqual(haltAt, -1, 'RESUME without HALT');
        assert.ok(e.time - haltAt >= haltMinutes * MINUTE_US);
        assert.equal(e.time, lastImportant + haltMinutes * MINUTE_US);
        haltAt = -1;
      }
    }
    assert.equal(haltAt, -1, `${sym} never resumed`);
  }
});

test('no halts with the default threshold on default unscheduled news over a short window', async () => {
  // Beta(2, 8) exceeds 0.9 with probability about 8e-8: no halts expected in 600 items.
  const ev = await drain(sim({ end: START + 200 * DAY_US, ratePerDay: 1 }));
  assert.ok(news(ev).length > 400);
  assert.equal(status(ev).length, 0);
});

test('impact: jump sign follows sentiment, size scales with importance, drift share', () => {
  const model = new NewsImpactModel({ jumpScale: 0.04, driftShare: 0.25, driftMinutes: 10, haltThreshold: 0.8, haltMinutes: 3 });
  const item = (sentiment: number, importance: number, symbols = ['AAA']): NewsEvent => ({ kind: 'news', time: 1000, instrument: A, symbols, headline: '', source: 's', sentiment, importance });
  const pos = model.impact(item(0.5, 0.5));
  const neg = model.impact(item(-0.5, 0.5));
  const big = model.impact(item(0.5, 1));
  assert.ok(pos.jump > 0 && neg.jump < 0);
  assert.equal(pos.jump, -neg.jump);
  assert.ok(Math.abs(big.jump - 2 * pos.jump) < 1e-15);
  assert.ok(Math.abs(pos.jump - 0.75 * 0.04 * 0.25) < 1e-15);
  assert.ok(Math.abs(pos.driftPerMinute * pos.driftMinutes - 0.25 * 0.04 * 0.25) < 1e-15);
  assert.equal(pos.haltMinutes, 0);
  assert.equal(model.impact(item(0.1, 0.85)).haltMinutes, 3);
  assert.equal(model.impact(item(0.1, 0.85, [])).haltMinutes, 0, 'market-wide items never halt');
  const nan = model.impact(item(NaN, NaN));
  assert.equal(nan.jump, 0);
  assert.equal(nan.volMultiplier(2000), 1);
});

test('volatility spike decays with its half-life; spread and volume likewise', () => {
  const model = new NewsImpactModel({ volSpike: 3, volHalfLifeMinutes: 10, spreadSpike: 2, spreadHalfLifeMinutes: 5, volumeSpike: 4, volumeHalfLifeMinutes: 15 });
  const t0 = START;
  const im = model.impact({ kind: 'news', time: t0, instrument: A, symbols: ['AAA'], headline: '', source: 's', sentiment: 0.2, importance: 0.5 });
  assert.equal(im.volMultiplier(t0 - 1), 1);
  assert.equal(im.volMultiplier(t0), 2.5);
  const h = 10 * MINUTE_US;
  assert.ok(Math.abs(im.volMultiplier(t0 + h) - 1 - 0.75) < 1e-12);
  assert.ok(Math.abs(im.volMultiplier(t0 + 3 * h) - 1 - 1.5 / 8) < 1e-12);
  assert.ok(Math.abs(im.spreadMultiplier(t0 + 5 * MINUTE_US) - 1.5) < 1e-12);
  assert.ok(Math.abs(im.volumeMultiplier(t0 + 15 * MINUTE_US) - 2) < 1e-12);
  // Monotone decay towards 1.
  let prev = Infinity;
  for (let k = 0; k < 50; k++) {
    const v = im.volMultiplier(t0 + k * MINUTE_US);
    assert.ok(v < prev && v > 1);
    prev = v;
  }
});

test('NewsImpactState adds excesses, drifts, prunes expired impacts and grows', () => {
  const model = new NewsImpactModel({ volSpike: 1, volHalfLifeMinutes: 1, spreadSpike: 1, spreadHalfLifeMinutes: 1, volumeSpike: 1, volumeHalfLifeMinutes: 1, driftMinutes: 2, driftShare: 0.5 });
  const mk = (time: number, importance: number): NewsEvent => ({ kind: 'news', time, instrument: A, symbols: ['AAA'], headline: '', source: 's', sentiment: 1, importance });
  const state = new NewsImpactState(2);
  const i1 = model.impact(mk(0, 0.4));
  const i2 = model.impact(mk(MINUTE_US, 0.6));
  state.add(i1);
  state.add(i2);
  const t = 2 * MINUTE_US;
  assert.ok(Math.abs(state.volMultiplier(t) - (i1.volMultiplier(t) + i2.volMultiplier(t) - 1)) < 1e-12);
  assert.ok(Math.abs(state.spreadMultiplier(t) - (i1.spreadMultiplier(t) + i2.spreadMultiplier(t) - 1)) < 1e-12);
  assert.ok(Math.abs(state.volumeMultiplier(t) - (i1.volumeMultiplier(t) + i2.volumeMultiplier(t) - 1)) < 1e-12);
  assert.equal(state.volMultiplier(-1), 1);
  // Drifts: i1 over [0, 2 min), i2 over [1, 3 min).
  assert.ok(Math.abs(state.driftPerMinute(1.5 * MINUTE_US) - (i1.driftPerMinute + i2.driftPerMinute)) < 1e-15);
  assert.ok(Math.abs(state.driftPerMinute(2.5 * MINUTE_US) - i2.driftPerMinute) < 1e-15);
  assert.equal(state.driftPerMinute(3 * MINUTE_US), 0);
  // Full at capacity 2: a third add much later prunes both expired impacts first.
  state.add(model.impact(mk(100 * MINUTE_US, 0.5)));
  assert.equal(state.active, 1);
  assert.ok(Math.abs(state.volMultiplier(100 * MINUTE_US) - 1.5) < 1e-12);
  // Growing beyond capacity keeps every live impact.
  for (let k = 0; k < 10; k++) state.add(model.impact(mk(100 * MINUTE_US, 0.1)));
  assert.equal(state.active, 11);
  assert.ok(Math.abs(state.volMultiplier(100 * MINUTE_US) - 2.5) < 1e-12);
  state.clear();
  assert.equal(state.volMultiplier(100 * MINUTE_US), 1);
});

test('bad parameters are ConfigErrors naming the parameter', () => {
  const bad = (over: Partial<NewsSimOptions>, path: string): void => {
    assert.throws(() => sim(over), (e: unknown) => e instanceof ConfigError && e.issues.some((i) => i.path === path), path);
  };
  bad({ ratePerDay: -1 }, 'newsSim.ratePerDay');
  bad({ ratePerDay: NaN }, 'newsSim.ratePerDay');
  bad({ end: START }, 'newsSim.end');
  bad({ start: 1.5 }, 'newsSim.start');
  bad({ importance: { a: 0, b: 1 } }, 'newsSim.importance.a');
  bad({ sentiment: { mean: 0, sd: -1 } }, 'newsSim.sentiment.sd');
  bad({ scheduledImportance: { a: 1, b: -2 } }, 'newsSim.scheduledImportance.b');
  bad({ impact: { volHalfLifeMinutes: 0 } }, 'newsSim.impact.volHalfLifeMinutes');
  bad({ impact: { driftShare: 2 } }, 'newsSim.impact.driftShare');
  bad({ batchSize: 0 }, 'newsSim.batchSize');
  bad({ instruments: [A, A] }, 'newsSim.instruments[1]');
  bad({ scheduled: [{ time: START - 1, kind: 'macro' }] }, 'newsSim.scheduled[0].time');
  bad({ scheduled: [{ time: START, kind: 'earnings' }] }, 'newsSim.scheduled[0].symbols');
  bad({ scheduled: [{ time: START, kind: 'earnings', symbols: ['ZZZ'] }] }, 'newsSim.scheduled[0].symbols[0]');
  assert.throws(() => new NewsImpactModel({ haltMinutes: -1 }), (e: unknown) => e instanceof ConfigError && e.issues[0]!.path === 'newsImpact.haltMinutes');
});

test('an important item during a halt extends it: one HALT, RESUME after the last item', async () => {
  const t = START + DAY_US;
  const scheduled = [
    { time: t, kind: 'earnings' as const, symbols: ['AAA', 'BBB'] },
    { time: t + 2 * MINUTE_US, kind: 'earnings' as const, symbols: ['AAA'] },
    { time: t + 3 * MINUTE_US, kind: 'macro' as const },
  ];
  const ev = await drain(sim({ ratePerDay: 0, end: START + 2 * DAY_US, scheduled, impact: { haltThreshold: 0, haltMinutes: 5 } }));
  const summary = ev.map((e) => (e.kind === 'status' ? `${e.time - t} ${e.status} ${e.instrument.symbol}` : `${e.time - t} news ${e.symbols.join(',')}`));
  assert.deepEqual(summary, [
    '0 HALT AAA',
    '0 HALT BBB',
    '0 news AAA,BBB',
    `${2 * MINUTE_US} news AAA`,
    `${3 * MINUTE_US} news `,
    `${5 * MINUTE_US} RESUME BBB`,
    `${7 * MINUTE_US} RESUME AAA`,
  ]);
});
