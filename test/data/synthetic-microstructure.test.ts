import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.ts';
import { ConfigError } from '../../src/core/errors.ts';
import { Instrument } from '../../src/market/instrument.ts';
import { SourceState, type QuoteEvent, type TradeEvent } from '../../src/market/market-data.ts';
import { GbmStepper } from '../../src/data/synthetic/simulate.ts';
import { YEAR_US } from '../../src/data/gbm.ts';
import { HawkesThinning } from '../../src/data/synthetic/hawkes.ts';
import { microstructureBatches, microstructureSource, type MicroEvent, type MicrostructureOptions } from '../../src/data/synthetic/microstructure.ts';

const inst = new Instrument(0, { symbol: 'SYN', pricePrecision: 2, sizePrecision: 0 });
const START = 1_700_000_000_000_000;

function gbmLatent(seed: number, sigma = 0.2): MicrostructureOptions['latent'] {
  const stepUs = 1_000_000;
  return { stepper: new GbmStepper({ s0: 100, r: 0, q: 0, sigma }, stepUs / YEAR_US, new Rng(seed, 'latent')), stepUs };
}

function all(o: MicrostructureOptions): MicroEvent[] {
  const out: MicroEvent[] = [];
  for (const b of microstructureBatches(o)) out.push(...b);
  return out;
}

function base(seed: number, hours = 1): MicrostructureOptions {
  return { instrument: inst, latent: gbmLatent(seed), start: START, end: START + hours * 3_600_000_000, rng: new Rng(seed) };
}

test('microstructure: same seed gives the same events, another seed differs', () => {
  const a = all(base(1));
  const b = all(base(1));
  const c = all(base(2));
  assert.ok(a.length > 1000);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.slice(0, 50), c.slice(0, 50));
});

test('microstructure: quotes on the tick grid with bid < ask, trades at their side of the last quote, time ordered', () => {
  const tickInst = new Instrument(1, { symbol: 'T5', pricePrecision: 2, tickUnits: 5, sizePrecision: 0, lotUnits: 10 });
  const ev = all({ ...base(3), instrument: tickInst, minSpreadTicks: 2 });
  let last: QuoteEvent | undefined;
  let prevTime = -Infinity;
  let quotes = 0;
  let trades = 0;
  for (const e of ev) {
    assert.ok(e.time >= prevTime, 'time order');
    assert.ok(Number.isInteger(e.time) && e.time >= START && e.time < START + 3_600_000_000);
    prevTime = e.time;
    if (e.kind === 'quote') {
      quotes++;
      const b = tickInst.priceUnits(e.bidPrice);
      const a = tickInst.priceUnits(e.askPrice);
      assert.ok(tickInst.onTick(b) && tickInst.onTick(a), `on grid: ${e.bidPrice} ${e.askPrice}`);
      assert.ok(a - b >= 2 * tickInst.tickUnits, 'at least minSpreadTicks apart');
      assert.ok(tickInst.onLot(tickInst.sizeUnits(e.bidSize)) && e.bidSize >= 100);
      last = e;
    } else if (e.kind === 'trade') {
      trades++;
      assert.ok(last, 'a quote precedes every trade');
      assert.equal(e.price, e.aggressor === 'BUY' ? last.askPrice : last.bidPrice);
      assert.ok(tickInst.onLot(tickInst.sizeUnits(e.size)) && e.size >= 10);
    }
  }
  assert.equal(ev[0]!.kind, 'quote');
  assert.equal(ev[0]!.time, START);
  // quote rate 2/s over an hour: 7200 expected (sd ~85)
  assert.ok(Math.abs(quotes - 7200) < 400, `quotes ${quotes}`);
  assert.ok(trades > 1000);
});

test('microstructure: the EventSource delivers the same events in order', async () => {
  const o = { ...base(4), batchSize: 100 };
  const expected = all({ ...base(4), batchSize: 100 });
  const src = microstructureSource(o);
  const got: MicroEvent[] = [];
  for (;;) {
    const s = src.advance();
    if (s === SourceState.Ready) got.push(src.current);
    else if (s === SourceState.Wait) await src.refill();
    else break;
  }
  assert.deepEqual(got, expected);
});

test('hawkes: mean count over a long horizon is mu T / (1 - n)', () => {
  const mu = 2;
  const n = 0.6;
  const T = 20_000;
  const h = new HawkesThinning(mu, n, 3, new Rng(7, 'hawkes'));
  let count = 0;
  for (let k = 1; k <= T; k++) while (h.next(k, 1) === h.t) count++;
  const expected = (mu * T) / (1 - n); // 100000; sd ~ sqrt(mu T) / (1 - n)^1.5 = 790
  assert.ok(Math.abs(count - expected) / expected < 0.03, `count ${count} expected ${expected}`);
  // Poisson case n = 0
  const p = new HawkesThinning(mu, 0, 3, new Rng(8, 'poisson'));
  let c0 = 0;
  while (p.next(T, 1) === p.t) c0++;
  assert.ok(Math.abs(c0 - mu * T) < 4 * Math.sqrt(mu * T), `poisson ${c0}`);
});

test('microstructure: trade count through the generator matches the Hawkes mean (activity off)', () => {
  const ev = all({ ...base(5, 4), volumeVolElasticity: 0, trades: { kind: 'hawkes', mu: 1, branchingRatio: 0.5, decay: 2 } });
  const trades = ev.filter((e) => e.kind === 'trade').length;
  const expected = (1 * 4 * 3600) / 0.5; // 28800; sd ~ 340
  assert.ok(Math.abs(trades - expected) / expected < 0.05, `trades ${trades}`);
});

function signs(ev: MicroEvent[]): number[] {
  return ev.filter((e): e is TradeEvent => e.kind === 'trade').map((t) => (t.aggressor === 'BUY' ? 1 : -1));
}

function acf1(x: number[]): number {
  const m = x.reduce((s, v) => s + v, 0) / x.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < x.length; i++) {
    den += (x[i]! - m) ** 2;
    if (i > 0) num += (x[i]! - m) * (x[i - 1]! - m);
  }
  return num / den;
}

test('microstructure: trade-sign autocorrelation at lag 1 is close to the configured value', () => {
  for (const rho of [0.3, 0.7]) {
    const s = signs(all({ ...base(6, 6), signAutocorrelation: rho, trades: { kind: 'poisson', rate: 2 } }));
    assert.ok(s.length > 30_000);
    const a = acf1(s);
    assert.ok(a > 0 && Math.abs(a - rho) < 0.03, `rho ${rho}: acf ${a}`);
  }
});

function rollCheck(rho: number): void {
  const ev = all({ ...base(9, 6), latent: gbmLatent(9, 0.1), signAutocorrelation: rho, baseSpreadBps: 10, spreadVolElasticity: 0, trades: { kind: 'poisson', rate: 2 } });
  let q: QuoteEvent | undefined;
  const prices: number[] = [];
  let spreadSum = 0;
  for (const e of ev) {
    if (e.kind === 'quote') q = e;
    else if (e.kind === 'trade') {
      prices.push(e.price);
      spreadSum += q!.askPrice - q!.bidPrice;
    }
  }
  const avgSpread = spreadSum / prices.length;
  const dp: number[] = [];
  for (let i = 1; i < prices.length; i++) dp.push(prices[i]! - prices[i - 1]!);
  const m = dp.reduce((s, v) => s + v, 0) / dp.length;
  let cov = 0;
  for (let i = 1; i < dp.length; i++) cov += (dp[i]! - m) * (dp[i - 1]! - m);
  cov /= dp.length - 1;
  assert.ok(cov < 0);
  const roll = (2 * Math.sqrt(-cov)) / (1 - rho); // Roll (1984); divided by 1 - rho for autocorrelated signs
  assert.ok(Math.abs(roll - avgSpread) / avgSpread < 0.05, `rho ${rho}: roll ${roll} avg spread ${avgSpread}`);
}

test("microstructure: Roll's estimator on trade prices recovers the average spread", () => {
  rollCheck(0);
});

test("microstructure: Roll's estimator divided by (1 - rho) recovers the spread with autocorrelated signs", () => {
  rollCheck(0.5);
});

test('microstructure: spread and trading activity rise with volatility', () => {
  const stats = (sigma: number): { spread: number; trades: number } => {
    const ev = all({ ...base(10, 2), latent: gbmLatent(10, sigma), trades: { kind: 'poisson', rate: 1 } });
    const qs = ev.filter((e): e is QuoteEvent => e.kind === 'quote');
    return { spread: qs.reduce((s, e) => s + e.askPrice - e.bidPrice, 0) / qs.length, trades: ev.length - qs.length };
  };
  const calm = stats(0.2);
  const wild = stats(0.8);
  assert.ok(wild.spread > 2.5 * calm.spread, `spread ${calm.spread} -> ${wild.spread}`);
  assert.ok(wild.trades > 2.5 * calm.trades, `trades ${calm.trades} -> ${wild.trades}`);
});

test('microstructure: a latent price callback gives quotes around it', () => {
  // latent 50.004 = 5000.4 ticks, spread 1 tick: bid = round(5000.4 - 0.5) = 5000 ticks, ask 5001
  const ev = all({ instrument: inst, latent: () => 50.004, start: START, end: START + 60_000_000, rng: new Rng(1), volumeVolElasticity: 0, spreadVolElasticity: 0, baseSpreadBps: 0 });
  const qs = ev.filter((e): e is QuoteEvent => e.kind === 'quote');
  assert.ok(qs.length > 50);
  for (const q of qs) {
    assert.equal(q.bidPrice, 50);
    assert.equal(q.askPrice, 50.01);
  }
  assert.ok(ev.some((e) => e.kind === 'trade'));
});

test('microstructure: bad parameters are ConfigErrors naming the parameter', () => {
  const bad = (patch: Partial<MicrostructureOptions>, path: string): void => {
    assert.throws(() => microstructureBatches({ ...base(1), ...patch }), (e: unknown) => e instanceof ConfigError && e.issues.some((i) => i.path === path), path);
  };
  bad({ trades: { kind: 'hawkes', mu: 1, branchingRatio: 1, decay: 1 } }, 'trades.branchingRatio');
  bad({ trades: { kind: 'hawkes', mu: -1, branchingRatio: 0.5, decay: 1 } }, 'trades.mu');
  bad({ trades: { kind: 'poisson', rate: 0 } }, 'trades.rate');
  bad({ signAutocorrelation: 1 }, 'signAutocorrelation');
  bad({ sizeTailIndex: 1 }, 'sizeTailIndex');
  bad({ minSpreadTicks: 0 }, 'minSpreadTicks');
  bad({ quoteRate: NaN }, 'quoteRate');
  bad({ end: START - 1 }, 'end');
  bad({ gridUs: 5 }, 'gridUs');
  const it = microstructureBatches({ instrument: inst, latent: () => -1, start: START, end: START + 1_000_000, rng: new Rng(1) });
  assert.throws(() => it.next(), (e: unknown) => e instanceof ConfigError && e.issues[0]!.path === 'latent');
});
