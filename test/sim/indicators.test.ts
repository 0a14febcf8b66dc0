import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { fsum } from '../../src/core/fsum.ts';
import { MarketsimError } from '../../src/core/errors.ts';
import { ATR, BollingerBands, CrossOver, EMA, MACD, RollingWindow, RSI, SMA, VWAP } from '../../src/sim/indicators/index.ts';

/** |a - b| <= tol * max(1, |b|), and NaN matches NaN. */
function near(a: number, b: number, tol = 1e-12, what = ''): void {
  if (Number.isNaN(b)) {
    assert.ok(Number.isNaN(a), `${what}: expected NaN, got ${a}`);
    return;
  }
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} != ${b} (tol ${tol})`);
}

function feed(ind: { update(x: number): number }, xs: readonly number[]): number[] {
  return xs.map((x) => ind.update(x));
}

// ---------------------------------------------------------------- hand-worked values

test('RollingWindow: newest at 0, evicts the oldest, bounds checked', () => {
  const w = new RollingWindow(3);
  assert.equal(w.value, NaN);
  assert.ok(Number.isNaN(w.push(1)));
  w.push(2);
  assert.equal(w.full, false);
  w.push(3);
  assert.equal(w.full, true);
  assert.equal(w.push(4), 1); // window [2, 3, 4]: 1 fell out
  assert.equal(w.get(0), 4);
  assert.equal(w.get(1), 3);
  assert.equal(w.get(2), 2);
  assert.equal(w.oldest, 2);
  assert.deepEqual(w.toArray(), [2, 3, 4]);
  assert.throws(() => w.get(3), /RollingWindow.get\(3\)/);
  assert.throws(() => w.get(-1), MarketsimError);
  w.reset();
  assert.equal(w.length, 0);
  assert.throws(() => new RollingWindow(0), /capacity must be an integer >= 1, got 0/);
});

test('SMA(3) by hand', () => {
  // [1,2,3] -> 6/3 = 2; [2,3,4] -> 3; [3,4,5] -> 4
  const s = new SMA(3);
  assert.deepEqual(feed(s, [1, 2, 3, 4, 5]), [NaN, NaN, 2, 3, 4]);
  assert.equal(s.ready, true);
  s.reset();
  assert.equal(s.ready, false);
  assert.ok(Number.isNaN(s.value));
});

test('SMA exact: fsum(window) / period where a plain running sum is wrong', () => {
  // window [1e16, 1, 1]: plain (1e16 + 1) + 1 = 1e16 (each +1 is a tie, ulp(1e16) = 2, rounds to even);
  // exact sum 10000000000000002, / 3 = 3333333333333334 (correctly rounded quotient).
  const s = new SMA(3, { exact: true });
  assert.equal(feed(s, [1e16, 1, 1])[2], 10000000000000002 / 3);
  assert.equal(s.value, 3333333333333334);
  // next window [1, 1, 0.1]: fsum = 2.1 exactly rounded, / 3
  assert.equal(s.update(0.1), fsum([1, 1, 0.1]) / 3);
  // [0.1] * 10: fsum is 1.0, so the mean is exactly 0.1 (plain summation gives 0.9999999999999999 / 10).
  const t = new SMA(10, { exact: true });
  for (let i = 0; i < 10; i++) t.update(0.1);
  assert.equal(t.value, 0.1);
});

test('EMA(3) by hand: alpha = 2 / 4 = 0.5, seeded with the SMA of the first 3', () => {
  // seed (2 + 4 + 6) / 3 = 4; then 4 * 0.5 + 8 * 0.5 = 6; then 6 * 0.5 + 3 * 0.5 = 4.5
  const e = new EMA(3);
  assert.equal(e.alpha, 0.5);
  assert.deepEqual(feed(e, [2, 4, 6, 8, 3]), [NaN, NaN, 4, 6, 4.5]);
  // Wilder alpha = 1/3 on [3, 6, 9, 12]: seed 6; 6 * (2/3) + 12 * (1/3) = 8
  const w = new EMA(3, { alpha: 1 / 3 });
  near(feed(w, [3, 6, 9, 12])[3]!, 8, 1e-15);
  assert.throws(() => new EMA(3, { alpha: 0 }), /alpha must be in/);
});

test('RSI(3) by hand (Wilder smoothing, seeded with the mean of the first 3 moves)', () => {
  // closes 10, 11, 12, 11, 13, 12 -> moves +1, +1, -1, +2, -1
  // after 3 moves: avgUp = (1+1+0)/3 = 2/3, avgDown = (0+0+1)/3 = 1/3, rs = 2, rsi = 100 - 100/3
  // +2: avgUp = 2/3 * 2/3 + 2/3 = 10/9, avgDown = 1/3 * 2/3 = 2/9, rs = 5, rsi = 100 - 100/6
  // -1: avgUp = 10/9 * 2/3 = 20/27, avgDown = 2/9 * 2/3 + 1/3 = 13/27, rs = 20/13, rsi = 100 - 1300/33
  const r = new RSI(3);
  const out = feed(r, [10, 11, 12, 11, 13, 12]);
  assert.deepEqual(out.slice(0, 3), [NaN, NaN, NaN]);
  near(out[3]!, 100 - 100 / 3, 1e-14, 'rsi[3]');
  near(out[4]!, 100 - 100 / 6, 1e-14, 'rsi[4]');
  near(out[5]!, 100 - 1300 / 33, 1e-14, 'rsi[5]');
  near(r.averageGain, 20 / 27, 1e-14);
  near(r.averageLoss, 13 / 27, 1e-14);
  // only gains: avgDown = 0 -> 100; flat: both 0 -> 50
  assert.equal(feed(new RSI(2), [1, 2, 3]).at(-1), 100);
  assert.equal(feed(new RSI(2), [5, 5, 5]).at(-1), 50);
  // only losses: avgUp = 0, rs = 0 -> 0
  assert.equal(feed(new RSI(2), [3, 2, 1]).at(-1), 0);
});

test('MACD(2, 3, 2) by hand', () => {
  // fast alpha 2/3: seed (1+2)/2 = 3/2; 3/2 * 1/3 + 4 * 2/3 = 19/6; 19/6 * 1/3 + 8 * 2/3 = 115/18
  // slow alpha 1/2: seed (1+2+4)/3 = 7/3; 7/3 * 1/2 + 8 * 1/2 = 31/6 = 93/18
  // macd: 19/6 - 14/6 = 5/6 at the 3rd value; 115/18 - 93/18 = 11/9 at the 4th
  // signal (period 2): seed (5/6 + 11/9) / 2 = 37/36; histogram 11/9 - 37/36 = 7/36
  const m = new MACD(2, 3, 2);
  const out = feed(m, [1, 2, 4, 8]);
  assert.ok(Number.isNaN(out[1]!));
  near(out[2]!, 5 / 6, 1e-14, 'macd[2]');
  assert.equal(m.ready, true);
  near(out[3]!, 11 / 9, 1e-14, 'macd[3]');
  near(m.signal, 37 / 36, 1e-14, 'signal');
  near(m.histogram, 7 / 36, 1e-14, 'histogram');
  assert.throws(() => new MACD(26, 12), /fast \(26\) must be less than slow \(12\)/);
  // default 12/26/9: macd defined at the 26th value, signal at the 34th
  const d = new MACD();
  for (let i = 1; i <= 33; i++) d.update(i);
  assert.equal(d.ready, false);
  assert.ok(Number.isFinite(d.macd));
  d.update(34);
  assert.equal(d.ready, true);
});

test('Bollinger(3, k=2) by hand: population standard deviation, exact moments', () => {
  // [1,2,3]: S = 6, Q = 14, n Q - S^2 = 42 - 36 = 6, variance 6 / 9 = 2/3, sd sqrt(2/3)
  // [2,3,7]: S = 12, Q = 62, 186 - 144 = 42, variance 42 / 9 = 14/3, sd sqrt(14/3)
  const b = new BollingerBands(3, { k: 2 });
  assert.deepEqual(feed(b, [1, 2, 3]), [NaN, NaN, 2]);
  assert.equal(b.stdDev, Math.sqrt(6 / 9));
  assert.equal(b.upper, 2 + 2 * Math.sqrt(6 / 9));
  assert.equal(b.lower, 2 - 2 * Math.sqrt(6 / 9));
  assert.equal(b.update(7), 4);
  assert.equal(b.stdDev, Math.sqrt(42 / 9));
  // a flat window has sd exactly 0, even right after a large move (no cancellation residue)
  const c = new BollingerBands(4);
  feed(c, [1e8, 3.3e7, 0.1, 0.1, 0.1, 0.1]);
  assert.equal(c.stdDev, 0);
  assert.equal(c.upper, 0.1);
  // the middle band is fsum(window) / period: [1e16, 1, 1] -> 10000000000000002 / 3
  const d = new BollingerBands(3);
  assert.equal(feed(d, [1e16, 1, 1])[2], 10000000000000002 / 3);
});

test('ATR(3) by hand', () => {
  // bar1 (10, 8, 9): no previous close, no TR
  // bar2 (11, 9, 10), pc 9: max(11, 9) - min(9, 9) = 2
  // bar3 (12, 10, 11), pc 10: 12 - 10 = 2
  // bar4 (11, 7, 8), pc 11: 11 - 7 = 4  -> seed ATR = (2 + 2 + 4) / 3 = 8/3
  // bar5 (15, 12, 14), pc 8 (gap up): 15 - 8 = 7 -> ATR = 8/3 * 2/3 + 7 * 1/3 = 37/9
  const a = new ATR(3);
  assert.ok(Number.isNaN(a.update(10, 8, 9)));
  assert.ok(Number.isNaN(a.trueRange));
  a.update(11, 9, 10);
  assert.equal(a.trueRange, 2);
  assert.ok(Number.isNaN(a.update(12, 10, 11)));
  near(a.update(11, 7, 8), 8 / 3, 1e-15, 'seed');
  assert.equal(a.ready, true);
  near(a.update(15, 12, 14), 37 / 9, 1e-15, 'atr[5]');
  assert.equal(a.trueRange, 7);
  assert.throws(() => a.update(1, 2, 1.5), /ATR\(3\)\.update: low must not exceed high \(1\), got 2/);
});

test('VWAP by hand, with sessions', () => {
  // (10 * 100 + 11 * 300) / 400 = 4300 / 400 = 10.75; a zero-volume print changes nothing
  const v = new VWAP();
  assert.ok(Number.isNaN(v.value));
  v.update(10, 100);
  assert.equal(v.update(11, 300), 10.75);
  assert.equal(v.update(9, 0), 10.75);
  assert.equal(v.volume, 400);
  v.resetSession();
  assert.equal(v.ready, false);
  assert.equal(v.update(20, 5), 20);
  assert.throws(() => v.update(20, -1), /VWAP.update: volume must be a finite number >= 0, got -1/);
});

test("CrossOver follows backtrader's last-non-zero-difference rule", () => {
  // d = a - b: (NaN), -1, 0, 2, 0, 0, -3, -1, 1
  // NaN: not started; -1: seeds nzd = -1, 0; 0: no cross (nzd stays -1); 2: nzd -1 < 0 and 2 > 0 -> +1;
  // 0, 0: nothing (nzd 2); -3: nzd 2 > 0 and -3 < 0 -> -1; -1: 0; 1: nzd -1 -> +1
  const c = new CrossOver();
  const ds = [NaN, -1, 0, 2, 0, 0, -3, -1, 1];
  const out = ds.map((d) => c.update(10 + d, 10));
  assert.deepEqual(out, [NaN, 0, 0, 1, 0, 0, -1, 0, 1]);
  // touching and going back is no cross: -1, 0, -1
  const t = new CrossOver();
  assert.deepEqual([-1, 0, -1].map((d) => t.update(d, 0)), [0, 0, 0]);
  // a zero first difference seeds nzd = 0, so the next non-zero difference is not a cross
  const z = new CrossOver();
  assert.deepEqual([0, 1, -1].map((d) => z.update(d, 0)), [0, 0, -1]);
  assert.throws(() => z.update(Infinity, 0), /CrossOver.update: a must be a number or NaN/);
});

test('bad input names the indicator and the field', () => {
  assert.throws(() => new SMA(10).update(NaN), (e: unknown) => e instanceof MarketsimError && e.code === 'INDICATOR_INPUT' && e.message === 'SMA(10).update: x must be a finite number, got NaN');
  assert.throws(() => new SMA(2.5), /SMA: period must be an integer >= 1, got 2.5/);
  assert.throws(() => new ATR().update(1, NaN, 1), /ATR\(14\)\.update: low must be a finite number, got NaN/);
  assert.throws(() => new RSI().update(Infinity), /RSI\(14\)/);
});

// ---------------------------------------------------------------- streaming == batch (properties)

/** Prices: a random walk around `base`, so cancellation issues would show. */
const priceSeries = (minLength: number, maxLength: number) =>
  fc
    .tuple(
      fc.constantFrom(1, 100, 1e5, 1e8),
      fc.array(fc.double({ min: -0.05, max: 0.05, noNaN: true }), { minLength, maxLength, size: 'max' }),
    )
    .map(([base, steps]) => {
      let p = base;
      return steps.map((s) => (p = Math.max(1e-6 * base, p * (1 + s))));
    });

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

test('SMA streaming equals batch recomputation (plain within 1e-12, exact bit for bit)', () => {
  fc.assert(
    fc.property(priceSeries(1, 200), fc.integer({ min: 1, max: 40 }), (xs, n) => {
      const plain = new SMA(n);
      const exact = new SMA(n, { exact: true });
      for (let i = 0; i < xs.length; i++) {
        const a = plain.update(xs[i]!);
        const b = exact.update(xs[i]!);
        if (i < n - 1) {
          assert.ok(Number.isNaN(a) && Number.isNaN(b));
          continue;
        }
        const window = xs.slice(i - n + 1, i + 1);
        near(a, mean(window), 1e-12, `sma[${i}]`);
        assert.equal(b, fsum(window) / n);
      }
    }),
    { numRuns: 300 },
  );
});

test('SMA exact on whole numbers (the integer fast path): fsum(window) / period bit for bit, near 2^53 and mixed with fractions', () => {
  const big = 2 ** 53;
  const value = fc.oneof(
    fc.integer({ min: -1_000_000, max: 1_000_000 }),
    fc.integer({ min: 0, max: 2 ** 20 }).map((k) => big - k), // sums cross 2^53: must leave the fast path
    fc.integer({ min: 0, max: 2 ** 20 }).map((k) => -big + k),
    fc.integer({ min: -1000, max: 1000 }).map((k) => k + 0.25 * ((k & 3) + 1)), // fractions in between
    fc.constantFrom(0, -0, 2 ** 60, -(2 ** 60)),
  );
  // 2^53 - 1 + 2 = 2^53 + 1 rounds to 2^53: the sum must carry the lost 1 into the next window
  const edge = new SMA(2, { exact: true });
  edge.update(big - 1);
  edge.update(2);
  assert.equal(edge.update(3), 2.5);
  fc.assert(
    fc.property(fc.array(value, { minLength: 1, maxLength: 120, size: 'max' }), fc.integer({ min: 1, max: 12 }), (xs, n) => {
      const exact = new SMA(n, { exact: true });
      for (let i = 0; i < xs.length; i++) {
        const b = exact.update(xs[i]!);
        if (i < n - 1) continue;
        assert.equal(b, fsum(xs.slice(i - n + 1, i + 1)) / n, `sma[${i}]`);
      }
    }),
    { numRuns: 500 },
  );
});

/** Batch EMA: seed fsum(first n)/n, then prev * (1 - alpha) + x * alpha. */
function batchEma(xs: readonly number[], n: number, alpha = 2 / (n + 1)): number[] {
  const out = xs.map(() => NaN);
  if (xs.length < n) return out;
  let prev = fsum(xs.slice(0, n)) / n;
  out[n - 1] = prev;
  for (let i = n; i < xs.length; i++) out[i] = prev = prev * (1 - alpha) + xs[i]! * alpha;
  return out;
}

test('EMA and MACD streaming equal batch recomputation', () => {
  fc.assert(
    fc.property(priceSeries(1, 150), fc.integer({ min: 1, max: 30 }), (xs, n) => {
      assert.deepEqual(feed(new EMA(n), xs), batchEma(xs, n));
      // MACD(n, n + 5, 4) = composition of batch EMAs
      const fast = batchEma(xs, n);
      const slow = batchEma(xs, n + 5);
      const line = xs.map((_, i) => fast[i]! - slow[i]!);
      const defined = line.slice(n + 4);
      const sig = [...line.slice(0, n + 4).map(() => NaN), ...batchEma(defined, 4)];
      const m = new MACD(n, n + 5, 4);
      for (let i = 0; i < xs.length; i++) {
        assert.deepEqual(m.update(xs[i]!), line[i]);
        assert.deepEqual(m.signal, sig[i]);
        assert.deepEqual(m.histogram, Number.isNaN(sig[i]!) ? NaN : line[i]! - sig[i]!);
      }
    }),
    { numRuns: 300 },
  );
});

test('RSI streaming equals a batch recomputation (Wilder sums written out)', () => {
  fc.assert(
    fc.property(priceSeries(2, 150), fc.integer({ min: 1, max: 20 }), (xs, n) => {
      const r = new RSI(n);
      const ups = xs.slice(1).map((x, i) => Math.max(x - xs[i]!, 0));
      const downs = xs.slice(1).map((x, i) => Math.max(xs[i]! - x, 0));
      const au = batchEma(ups, n, 1 / n);
      const ad = batchEma(downs, n, 1 / n);
      for (let i = 0; i < xs.length; i++) {
        const got = r.update(xs[i]!);
        if (i < n) {
          assert.ok(Number.isNaN(got));
          continue;
        }
        const u = au[i - 1]!;
        const d = ad[i - 1]!;
        const want = d === 0 ? (u > 0 ? 100 : 50) : (100 * u) / (u + d); // = 100 - 100 / (1 + u/d)
        near(got, want, 1e-10, `rsi[${i}]`);
        assert.ok(got >= 0 && got <= 100);
      }
    }),
    { numRuns: 300 },
  );
});

test('Bollinger streaming equals two-pass batch over the window', () => {
  fc.assert(
    fc.property(priceSeries(1, 200), fc.integer({ min: 1, max: 30 }), fc.double({ min: 0, max: 4, noNaN: true }), (xs, n, k) => {
      const b = new BollingerBands(n, { k });
      for (let i = 0; i < xs.length; i++) {
        b.update(xs[i]!);
        if (i < n - 1) {
          assert.equal(b.ready, false);
          continue;
        }
        const w = xs.slice(i - n + 1, i + 1);
        const m = mean(w);
        const sd = Math.sqrt(w.reduce((a, x) => a + (x - m) ** 2, 0) / n);
        // our sd is exact to a few ulps; the two-pass reference itself errs by ~ulp(price level)
        const level = Math.max(...w);
        assert.ok(Math.abs(b.stdDev - sd) <= 4 * Number.EPSILON * level, `sd[${i}]: ${b.stdDev} vs ${sd}`);
        assert.equal(b.middle, fsum(w) / n);
        near(b.upper, m + k * sd, 1e-12 * (1 + k) * level, `upper[${i}]`);
      }
    }),
    { numRuns: 300 },
  );
});

test('ATR streaming equals batch recomputation', () => {
  fc.assert(
    fc.property(priceSeries(1, 150), fc.array(fc.double({ min: 0, max: 0.03, noNaN: true }), { minLength: 150, maxLength: 150 }), fc.integer({ min: 1, max: 20 }), (closes, spread, n) => {
      const bars = closes.map((c, i) => ({ high: c * (1 + spread[i]!), low: c * (1 - spread[(i + 7) % 150]!), close: c }));
      const tr = bars.slice(1).map((b, i) => Math.max(b.high - b.low, Math.abs(b.high - bars[i]!.close), Math.abs(b.low - bars[i]!.close)));
      const atr = batchEma(tr, n, 1 / n);
      const a = new ATR(n);
      bars.forEach((b, i) => {
        const got = a.update(b.high, b.low, b.close);
        assert.deepEqual(got, i === 0 ? NaN : atr[i - 1]);
      });
    }),
    { numRuns: 300 },
  );
});

test('VWAP streaming equals batch sum(p v) / sum(v)', () => {
  fc.assert(
    fc.property(priceSeries(1, 100), fc.array(fc.integer({ min: 0, max: 1e6 }), { minLength: 100, maxLength: 100 }), (ps, vs) => {
      const v = new VWAP();
      ps.forEach((p, i) => {
        const got = v.update(p, vs[i]!);
        const pv = fsum(ps.slice(0, i + 1).map((q, j) => q * vs[j]!));
        const vol = fsum(vs.slice(0, i + 1));
        near(got, vol === 0 ? NaN : pv / vol, 1e-12, `vwap[${i}]`);
      });
    }),
    { numRuns: 200 },
  );
});

test('CrossOver streaming equals the batch nzd rule; RollingWindow equals slicing', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -3, max: 3 }), { maxLength: 80, size: 'max' }), fc.integer({ min: 1, max: 10 }), (ds, cap) => {
      // batch: nzd[0] = d[0]; nzd[t] = d[t] || nzd[t-1]; cross[t] = sign rule on nzd[t-1], d[t]
      const nzd: number[] = [];
      const want = ds.map((d, t) => {
        if (t === 0) {
          nzd.push(d);
          return 0;
        }
        const p = nzd[t - 1]!;
        nzd.push(d !== 0 ? d : p);
        return p < 0 && d > 0 ? 1 : p > 0 && d < 0 ? -1 : 0;
      });
      const c = new CrossOver();
      assert.deepEqual(ds.map((d) => c.update(d, 0)), want);
      const w = new RollingWindow(cap);
      ds.forEach((d, t) => {
        w.push(d);
        const hist = ds.slice(Math.max(0, t - cap + 1), t + 1).reverse();
        assert.equal(w.length, hist.length);
        hist.forEach((x, i) => assert.equal(w.get(i), x));
      });
    }),
    { numRuns: 300 },
  );
});

// ---------------------------------------------------------------- conformance with backtrader's own output

const here = fileURLToPath(new URL('.', import.meta.url));
const shared = `${here}../../../shared`;

for (const name of ['orcl-2014', '2006-day-001']) {
  test(`SMA 10/30 exact + CrossOver reproduce backtrader's bars for ${name} bit for bit`, (t) => {
    const data = `${shared}/data/backtrader/datas/${name}.txt`;
    const oracle = `${shared}/oracles/backtrader/${name}_fixed10_bars.csv`;
    if (!existsSync(data) || !existsSync(oracle)) {
      if (process.env.CI === 'true') assert.fail(`missing ${data} or ${oracle}`);
      t.skip('shared data not present');
      return;
    }
    const rows = readFileSync(data, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const fast = new SMA(10, { exact: true });
    const slow = new SMA(30, { exact: true });
    const cross = new CrossOver();
    const byDate = new Map<string, string[]>();
    for (const r of rows) {
      const close = Number(r[4]);
      const a = fast.update(close);
      const b = slow.update(close);
      const c = cross.update(a, b);
      byDate.set(r[0]!, [String(a), String(b), String(c)]);
    }
    const expected = readFileSync(oracle, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    assert.ok(expected.length > 200);
    for (const e of expected) {
      const got = byDate.get(e[0]!);
      assert.ok(got, `${name}: no bar ${e[0]}`);
      // Python's repr and JS's String both print the shortest round-tripping decimal.
      assert.deepEqual(got, [e[3], e[4], String(Number(e[5]))], `${name} ${e[0]}: first differing bar`);
    }
  });
}

test('exact SMA: the double-double fast path and its fallback to partials both equal fsum(window) / n', async () => {
  const fc = (await import('fast-check')).default;
  const { fsum } = await import('../../src/core/fsum.ts');
  const { SMA } = await import('../../src/sim/indicators/sma.ts');
  const value = fc.oneof(
    fc.double({ min: 1, max: 1e4, noNaN: true }), // prices: the fast path
    fc.integer({ min: 1, max: 10_000_000 }).map((n) => n / 1e6),
    fc.double({ min: -1e300, max: 1e300, noNaN: true, noDefaultInfinity: true }), // wide spans: the fallback
    fc.constantFrom(1e-300, 3e200, -0.1, 0.1, 0.3),
  );
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 12 }), fc.array(value, { minLength: 1, maxLength: 80, size: 'max' }), (n, xs) => {
      const s = new SMA(n, { exact: true });
      for (let i = 0; i < xs.length; i++) {
        const got = s.update(xs[i]!);
        if (i + 1 >= n) {
          const want = fsum(xs.slice(i + 1 - n, i + 1)) / n;
          if (!Object.is(got, want) && !(got === want)) throw new Error(`window ending ${i}: ${got} vs ${want}`);
        }
      }
    }),
    { numRuns: 3_000 },
  );
});
