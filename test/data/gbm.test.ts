import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/core/errors.ts';
import { Rng } from '../../src/core/rng.ts';
import { Instrument } from '../../src/market/instrument.ts';
import { SourceState, type BarEvent, type QuoteEvent } from '../../src/market/market-data.ts';
import { gbmBars, gbmBarSource, gbmQuotes, GbmQuoteSource, YEAR_US, type GbmBarOptions, type GbmQuoteOptions } from '../../src/data/gbm.ts';
import { collect, drain } from './helpers.ts';

const cents = new Instrument(0, { symbol: 'GBM', pricePrecision: 2 });
const fine = new Instrument(1, { symbol: 'FINE', pricePrecision: 8 });
const nickels = new Instrument(2, { symbol: 'NK', pricePrecision: 2, tickUnits: 5 });
const DAY = 86_400_000_000;
const START = Date.UTC(2024, 0, 1) * 1000;

function barOpts(over: Partial<GbmBarOptions> = {}): GbmBarOptions {
  return { instrument: cents, start: START, intervalUs: 60_000_000, count: 1000, s0: 100, mu: 0.05, sigma: 0.3, rng: new Rng(42), ...over };
}
function quoteOpts(over: Partial<GbmQuoteOptions> = {}): GbmQuoteOptions {
  return { instrument: cents, start: START, intervalUs: 1_000_000, count: 1000, s0: 100, mu: 0, sigma: 0.5, spreadTicks: 2, rng: new Rng(7), ...over };
}
const strip = <E extends { instrument: unknown }>(e: E): E => ({ ...e, instrument: undefined });

test('gbmBars: same seed gives the same bars, another seed differs', async () => {
  const a = await collect(gbmBars(barOpts()));
  const b = await collect(gbmBars(barOpts()));
  const c = await collect(gbmBars(barOpts({ rng: new Rng(43) })));
  assert.equal(a.length, 1000);
  assert.deepEqual(a.map(strip), b.map(strip));
  assert.notDeepEqual(a.map((x) => x.close), c.map((x) => x.close));
});

test('gbmBars: times, on-grid OHLC, consistent ranges, continuity, batches', async () => {
  for (const inst of [cents, nickels]) {
    const batches = [...gbmBars(barOpts({ instrument: inst, count: 10_000, sigma: 0.8, batchSize: 1024 }))];
    assert.deepEqual(batches.map((b) => b.length), [...Array(9).fill(1024), 10_000 - 9 * 1024]);
    const bars = batches.flat();
    bars.forEach((x: BarEvent, i) => {
      assert.equal(x.time, START + i * 60_000_000);
      assert.equal(x.instrument, inst);
      for (const p of [x.open, x.high, x.low, x.close]) {
        const u = inst.priceUnits(p);
        assert.ok(Number.isInteger(u) && inst.onTick(u) && u >= inst.tickUnits, `${p} on the grid`);
        assert.equal(p, inst.price(u), 'the double is the correctly rounded grid value');
      }
      assert.ok(x.high >= Math.max(x.open, x.close) && x.low <= Math.min(x.open, x.close), `bar ${i} range`);
      if (i > 0) assert.equal(x.open, bars[i - 1]!.close, 'opens at the previous close');
    });
    assert.ok(bars.some((x) => x.high > Math.max(x.open, x.close)), 'sub-steps make wicks');
  }
});

test('gbmBars: first bar opens at s0; sigma 0 gives the pure drift path', async () => {
  const bars = await collect(gbmBars(barOpts({ instrument: fine, sigma: 0, mu: 0.1, count: 365, intervalUs: DAY, substeps: 4 })));
  assert.equal(bars[0]!.open, 100);
  const expected = 100 * Math.exp(0.1 * (365 * DAY) / YEAR_US);
  assert.ok(Math.abs(bars.at(-1)!.close - expected) < 1e-6, `${bars.at(-1)!.close} vs ${expected}`);
});

test('gbmBars: volume constant or exponential on the lot grid, without changing the price path', async () => {
  const plain = await collect(gbmBars(barOpts({ count: 200 })));
  const constant = await collect(gbmBars(barOpts({ count: 200, volume: 500 })));
  const random = await collect(gbmBars(barOpts({ count: 2000, volume: { mean: 1000 } })));
  assert.deepEqual(constant.map((x) => x.close), plain.map((x) => x.close));
  assert.ok(constant.every((x) => x.volume === 500));
  assert.deepEqual(random.slice(0, 200).map((x) => x.close), plain.map((x) => x.close));
  assert.ok(random.every((x) => Number.isInteger(x.volume) && x.volume >= 0));
  const mean = random.reduce((s, x) => s + x.volume, 0) / random.length;
  assert.ok(Math.abs(mean - 1000) < 4 * (1000 / Math.sqrt(2000)), `mean volume ${mean}`);
});

/** Sample mean and variance of log returns of a price series. */
function logReturnStats(closes: number[]): { mean: number; variance: number; n: number } {
  const r: number[] = [];
  for (let i = 1; i < closes.length; i++) r.push(Math.log(closes[i]! / closes[i - 1]!));
  const mean = r.reduce((s, x) => s + x, 0) / r.length;
  const variance = r.reduce((s, x) => s + (x - mean) ** 2, 0) / (r.length - 1);
  return { mean, variance, n: r.length };
}

test('gbmBars: log returns have mean (mu - sigma^2/2) dt and variance sigma^2 dt (within 4 standard errors)', async () => {
  // 60 independent two-year daily paths: enough total time to see the Ito term, short enough that
  // no path runs into the price floor or the 2^53 ceiling
  const mu = 0.4;
  const sigma = 1.2;
  const returns: number[] = [];
  for (let seed = 1; seed <= 60; seed++) {
    const bars = await collect(gbmBars(barOpts({ instrument: fine, intervalUs: DAY, count: 731, s0: 1000, mu, sigma, substeps: 2, rng: new Rng(seed) })));
    const closes = [bars[0]!.open, ...bars.map((b) => b.close)];
    for (let i = 1; i < closes.length; i++) returns.push(Math.log(closes[i]! / closes[i - 1]!));
  }
  const n = returns.length;
  const mean = returns.reduce((a, x) => a + x, 0) / n;
  const variance = returns.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
  const dt = DAY / YEAR_US;
  const wantMean = (mu - sigma ** 2 / 2) * dt;
  const wantVar = sigma ** 2 * dt;
  const seMean = Math.sqrt(wantVar / n);
  const seVar = wantVar * Math.sqrt(2 / (n - 1));
  assert.ok(Math.abs(mean - wantMean) < 4 * seMean, `mean ${mean} vs ${wantMean} (se ${seMean})`);
  assert.ok(Math.abs(variance - wantVar) < 4 * seVar, `variance ${variance} vs ${wantVar} (se ${seVar})`);
  // the Ito term matters: the naive mean mu*dt is far outside
  assert.ok(Math.abs(mean - mu * dt) > 4 * seMean, `naive ${mu * dt} should be rejected`);
});

test('gbmQuotes: on-grid bid/ask with the exact spread; log returns of the mid match the model', async () => {
  const n = 50_000;
  const q = await collect(gbmQuotes(quoteOpts({ instrument: fine, count: n + 1, s0: 500, mu: 0.2, sigma: 0.6, spreadTicks: 3, intervalUs: 3_600_000_000 })));
  assert.equal(q.length, n + 1);
  q.forEach((x: QuoteEvent, i) => {
    assert.equal(x.time, START + i * 3_600_000_000);
    const b = fine.priceUnits(x.bidPrice);
    const a = fine.priceUnits(x.askPrice);
    assert.ok(Number.isInteger(b) && Number.isInteger(a));
    assert.equal(a - b, 3);
    assert.equal(x.bidSize, 100);
    assert.equal(x.askSize, 100);
  });
  assert.ok(Math.abs((q[0]!.bidPrice + q[0]!.askPrice) / 2 - 500) <= 1e-8);
  const dt = 3_600_000_000 / YEAR_US;
  const s = logReturnStats(q.map((x) => (x.bidPrice + x.askPrice) / 2));
  const wantVar = 0.36 * dt;
  assert.ok(Math.abs(s.mean - (0.2 - 0.18) * dt) < 4 * Math.sqrt(wantVar / s.n));
  assert.ok(Math.abs(s.variance - wantVar) < 4 * wantVar * Math.sqrt(2 / (s.n - 1)));
});

test('GbmQuoteSource reuses one event and produces exactly the gbmQuotes events', async () => {
  const batch = (await collect(gbmQuotes(quoteOpts({ instrument: nickels, count: 5000 })))).map(strip);
  const src = new GbmQuoteSource(quoteOpts({ instrument: nickels, count: 5000 }));
  const first = src.current;
  const seen: QuoteEvent[] = [];
  while (src.advance() === SourceState.Ready) {
    assert.equal(src.current, first, 'same object every time');
    seen.push(strip(src.current));
  }
  assert.deepEqual(seen, batch);
  assert.equal(src.advance(), SourceState.End);
  assert.equal(src.name, 'gbm:NK');
  for (const x of seen) assert.ok(nickels.onTick(nickels.priceUnits(x.bidPrice)) && x.bidPrice >= 0.05);
});

test('GbmQuoteSource: unbounded count, close() ends it, refill resolves', async () => {
  const src = new GbmQuoteSource(quoteOpts({ count: Infinity }));
  for (let i = 0; i < 10_000; i++) assert.equal(src.advance(), SourceState.Ready);
  assert.equal(src.current.time, START + 9_999 * 1_000_000);
  await src.refill();
  src.close();
  assert.equal(src.advance(), SourceState.End);
  assert.throws(() => [...gbmQuotes(quoteOpts({ count: Infinity }))], ConfigError, 'batch generators need a finite count');
});

test('prices never fall below one tick', async () => {
  const q = await collect(gbmQuotes(quoteOpts({ s0: 0.02, mu: -50, sigma: 2, count: 2000, intervalUs: DAY })));
  assert.ok(q.every((x) => x.bidPrice >= 0.01 && Math.round((x.askPrice - x.bidPrice) * 100) === 2));
  const bars = await collect(gbmBars(barOpts({ s0: 0.02, mu: -50, sigma: 2, count: 500, intervalUs: DAY })));
  assert.ok(bars.every((x) => x.low >= 0.01));
});

test('gbmBarSource is an EventSource of the same bars', async () => {
  const viaSource = await drain(gbmBarSource(barOpts({ count: 300 })));
  const direct = await collect(gbmBars(barOpts({ count: 300 })));
  assert.deepEqual(viaSource.map(strip), direct.map(strip));
});

test('options are validated with errors naming each bad option', () => {
  const issues = (f: () => unknown): string[] => {
    try {
      f();
    } catch (e) {
      assert.ok(e instanceof ConfigError, String(e));
      return e.issues.map((i) => i.path);
    }
    assert.fail('expected a ConfigError');
  };
  assert.deepEqual(issues(() => gbmBars(barOpts({ sigma: -0.1, s0: 0, count: -1 }))), ['count', 's0', 'sigma']);
  assert.deepEqual(issues(() => gbmBars(barOpts({ intervalUs: 1.5, substeps: 0, mu: NaN }))), ['intervalUs', 'mu', 'substeps']);
  assert.deepEqual(issues(() => gbmBars(barOpts({ volume: { mean: 0 } }))), ['volume.mean']);
  assert.deepEqual(issues(() => gbmBars(barOpts({ volume: 0.5 }))), ['volume']);
  assert.deepEqual(issues(() => gbmQuotes(quoteOpts({ spreadTicks: 0, size: -1 }))), ['spreadTicks', 'size']);
  assert.deepEqual(issues(() => new GbmQuoteSource(quoteOpts({ start: 0.5, yearUs: 0 }))), ['start', 'yearUs']);
  assert.deepEqual(issues(() => gbmBars(barOpts({ count: 1e12, intervalUs: DAY }))), ['count']);
  assert.match(String((() => { try { gbmBars(barOpts({ sigma: -1 })); } catch (e) { return (e as Error).message; } })()), /gbmBars options is invalid:\n {2}sigma: must be finite and >= 0, got -1/);
});
