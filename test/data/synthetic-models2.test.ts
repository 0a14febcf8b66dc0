import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.ts';
import { ConfigError } from '../../src/core/errors.ts';
import { StandardizedStudentT } from '../../src/data/synthetic/student-t.ts';
import { DEFAULT_GARCH, DEFAULT_GJR_GARCH, GarchStepper, garchUnconditionalVariance, type GarchParams } from '../../src/data/synthetic/garch.ts';
import { DEFAULT_REGIMES, RegimeSwitchingStepper, stationaryDistribution } from '../../src/data/synthetic/regime.ts';
import { DEFAULT_OU, OuStepper, ouStationaryVariance } from '../../src/data/synthetic/ou.ts';
import { CorrelatedGbmStepper, CorrelatedNormals, DEFAULT_CORRELATED_GBM, cholesky } from '../../src/data/synthetic/correlated.ts';
import { DEFAULT_SEASONALITY, IntradaySeasonality } from '../../src/data/synthetic/seasonality.ts';
import { MOMENT_CHECK_GARCH, checkModelMoments } from '../../src/data/synthetic/moments-check.ts';

/** Streaming mean, variance and raw kurtosis. */
class Moments {
  n = 0;
  s1 = 0;
  s2 = 0;
  s3 = 0;
  s4 = 0;
  add(x: number): void {
    this.n++;
    this.s1 += x;
    const x2 = x * x;
    this.s2 += x2;
    this.s3 += x2 * x;
    this.s4 += x2 * x2;
  }
  get mean(): number {
    return this.s1 / this.n;
  }
  get variance(): number {
    return this.s2 / this.n - this.mean ** 2;
  }
  get kurtosis(): number {
    const m = this.mean;
    const n = this.n;
    const m4 = this.s4 / n - 4 * m * (this.s3 / n) + 6 * m * m * (this.s2 / n) - 3 * m ** 4;
    return m4 / this.variance ** 2;
  }
}

function issuePaths(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
    return e.issues.map((i) => i.path);
  }
  assert.fail('expected a ConfigError');
}

test('standardized Student-t draws have mean 0, variance 1 and kurtosis 3 + 6/(nu - 4)', () => {
  for (const nu of [10, 3.5]) {
    const t = new StandardizedStudentT(nu);
    const rng = new Rng(3, `t-${nu}`);
    const m = new Moments();
    for (let i = 0; i < 400_000; i++) m.add(t.draw(rng));
    assert.ok(Math.abs(m.mean) < 0.01, `nu ${nu} mean ${m.mean}`);
    // nu = 3.5 has infinite fourth moment: the variance still converges, more slowly
    assert.ok(Math.abs(m.variance - 1) < (nu > 4 ? 0.015 : 0.06), `nu ${nu} variance ${m.variance}`);
    if (nu === 10) assert.ok(Math.abs(m.kurtosis - 4) < 0.25, `kurtosis ${m.kurtosis}`);
  }
  assert.deepEqual(issuePaths(() => new StandardizedStudentT(2, 'garch')), ['garch.nu']);
  assert.deepEqual(issuePaths(() => new StandardizedStudentT(NaN)), ['studentT.nu']);
});

test('GJR-GARCH-t: sample variance = omega / (1 - alpha - beta - gamma/2), kurtosis > 3, leverage', () => {
  const p: GarchParams = { mu: 0.0002, omega: 1e-5, alpha: 0.1, gamma: 0.05, beta: 0.8, nu: 8 };
  const st = new GarchStepper(p, new Rng(11, 'gjr'));
  const m = new Moments();
  let negNext = 0;
  let posNext = 0;
  let nNeg = 0;
  let nPos = 0;
  for (let i = 0; i < 1_000_000; i++) {
    const r = st.step();
    m.add(r);
    if (st.eps < 0) {
      negNext += st.forecast;
      nNeg++;
    } else {
      posNext += st.forecast;
      nPos++;
    }
  }
  const target = garchUnconditionalVariance(p);
  assert.ok(Math.abs(target - 1e-5 / 0.075) < 1e-18);
  assert.ok(Math.abs(m.variance / target - 1) < 0.03, `variance ${m.variance} vs ${target}`);
  assert.ok(Math.abs(m.mean - p.mu) < 3 * Math.sqrt(target / 1e6), `mean ${m.mean}`);
  assert.ok(m.kurtosis > 3.5, `kurtosis ${m.kurtosis}`);
  // gamma > 0: after a negative shock the next variance is higher on average
  assert.ok(negNext / nNeg > posNext / nPos);
});

test('GARCH(1,1) with normal innovations still has fat tails; defaults give 1% daily volatility', () => {
  const st = new GarchStepper({ ...DEFAULT_GARCH, nu: Infinity, alpha: 0.1, beta: 0.85 }, new Rng(2, 'garch-n'));
  const m = new Moments();
  for (let i = 0; i < 300_000; i++) m.add(st.step());
  assert.ok(m.kurtosis > 3.2, `kurtosis ${m.kurtosis}`);
  assert.ok(Math.abs(Math.sqrt(garchUnconditionalVariance(DEFAULT_GJR_GARCH)) - 0.01) < 1e-12);
  assert.ok(Math.abs(Math.sqrt(garchUnconditionalVariance(DEFAULT_GARCH)) - 0.01) < 1e-12);
});

test('GARCH: same seed, same returns; bad parameters name the field', () => {
  const a = new GarchStepper(DEFAULT_GJR_GARCH, new Rng(5, 'g'));
  const b = new GarchStepper(DEFAULT_GJR_GARCH, new Rng(5, 'g'));
  for (let i = 0; i < 1000; i++) assert.equal(a.step(), b.step());
  assert.deepEqual(issuePaths(() => new GarchStepper({ ...DEFAULT_GARCH, omega: 0, alpha: -0.1 }, new Rng(1))), ['garch.omega', 'garch.alpha']);
  assert.deepEqual(issuePaths(() => new GarchStepper({ ...DEFAULT_GARCH, nu: 1.5 }, new Rng(1))), ['garch.nu']);
  assert.deepEqual(issuePaths(() => new GarchStepper({ ...DEFAULT_GARCH, beta: NaN, nu: 2 }, new Rng(1))), ['garch.beta', 'garch.nu']);
  try {
    new GarchStepper({ ...DEFAULT_GJR_GARCH, alpha: 0.1, beta: 0.9, gamma: 0.1 }, new Rng(1));
    assert.fail('expected an error');
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /not covariance stationary: alpha \+ beta \+ gamma\/2 = 1\.05/);
  }
});

test('regime switching: time in each regime matches the stationary vector; per-regime volatility', () => {
  const pi = stationaryDistribution(DEFAULT_REGIMES.transition);
  // pi P = pi and sums to 1
  let total = 0;
  for (let j = 0; j < 3; j++) {
    let s = 0;
    for (let i = 0; i < 3; i++) s += pi[i]! * DEFAULT_REGIMES.transition[i]![j]!;
    assert.ok(Math.abs(s - pi[j]!) < 1e-14);
    total += pi[j]!;
  }
  assert.ok(Math.abs(total - 1) < 1e-14);
  const dt = 1 / 252;
  const st = new RegimeSwitchingStepper(DEFAULT_REGIMES, dt, new Rng(21, 'regime'));
  const counts = [0, 0, 0];
  const mom = [new Moments(), new Moments(), new Moments()];
  const trans = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  const n = 1_000_000;
  let prev = -1;
  for (let i = 0; i < n; i++) {
    const r = st.step();
    counts[st.regime]!++;
    mom[st.regime]!.add(r);
    if (prev >= 0) trans[prev * 3 + st.regime]!++;
    prev = st.regime;
  }
  for (let i = 0; i < 3; i++) {
    assert.ok(Math.abs(counts[i]! / n - pi[i]!) < 0.02, `regime ${i}: ${counts[i]! / n} vs ${pi[i]}`);
    const sig = DEFAULT_REGIMES.regimes[i]!.sigma;
    assert.ok(Math.abs(mom[i]!.variance / (sig * sig * dt) - 1) < 0.05, `regime ${i} variance`);
    const rowTotal = trans[i * 3]! + trans[i * 3 + 1]! + trans[i * 3 + 2]!;
    assert.ok(Math.abs(trans[i * 3 + i]! / rowTotal - DEFAULT_REGIMES.transition[i]![i]!) < 0.01, `stay probability of regime ${i}`);
  }
});

test('regime switching: a transition matrix that is not stochastic names the entry', () => {
  const bad = { ...DEFAULT_REGIMES, transition: [[0.99, 0.009, 0.001], [0.03, 0.96, 0.02], [0.05, 1.2, -0.25]] };
  assert.deepEqual(issuePaths(() => new RegimeSwitchingStepper(bad, 1 / 252, new Rng(1))), ['regime.transition[1]', 'regime.transition[2][1]', 'regime.transition[2][2]']);
  assert.deepEqual(issuePaths(() => new RegimeSwitchingStepper({ ...DEFAULT_REGIMES, transition: [[1, 0], [0, 1]] }, 1, new Rng(1))), ['regime.transition']);
  assert.deepEqual(
    issuePaths(() => new RegimeSwitchingStepper({ regimes: [{ name: 'x', mu: 0, sigma: -1 }], transition: [[1]] }, 0, new Rng(1))),
    ['regime.regimes[0].sigma'],
  );
  assert.deepEqual(issuePaths(() => new RegimeSwitchingStepper(DEFAULT_REGIMES, 0, new Rng(1))), ['regime.dt']);
});

test('OU exact scheme: stationary mean m and variance s^2/(2 kappa), lag-1 autocorrelation e^(-kappa dt)', () => {
  const p = { x0: 1.5, kappa: 2, mean: 1.5, sigma: 0.4 };
  const dt = 0.05;
  const st = new OuStepper(p, dt, new Rng(8, 'ou'));
  const m = new Moments();
  let prev = st.x;
  let cross = 0;
  const n = 1_000_000;
  for (let i = 0; i < n; i++) {
    const x = st.step();
    m.add(x);
    cross += (x - p.mean) * (prev - p.mean);
    prev = x;
  }
  const v = ouStationaryVariance(p);
  assert.ok(Math.abs(v - 0.04) < 1e-15);
  assert.ok(Math.abs(m.mean - p.mean) < 0.005, `mean ${m.mean}`);
  assert.ok(Math.abs(m.variance / v - 1) < 0.03, `variance ${m.variance} vs ${v}`);
  assert.ok(Math.abs(cross / n / m.variance - Math.exp(-p.kappa * dt)) < 0.005);
  // a huge step is a draw from the stationary law, whatever the start
  const far = new OuStepper({ ...p, x0: 100 }, 50, new Rng(9, 'ou-far'));
  const m2 = new Moments();
  for (let i = 0; i < 200_000; i++) m2.add(far.step());
  assert.ok(Math.abs(m2.mean - p.mean) < 0.003 && Math.abs(m2.variance / v - 1) < 0.02);
  assert.deepEqual(issuePaths(() => new OuStepper({ ...DEFAULT_OU, kappa: 0, sigma: -1 }, 1, new Rng(1))), ['ou.kappa', 'ou.sigma']);
});

test('correlated assets: sample correlations and volatilities match the inputs', () => {
  const dt = 1 / 252;
  const st = new CorrelatedGbmStepper(DEFAULT_CORRELATED_GBM, dt, new Rng(4, 'corr'));
  const n = 300_000;
  const k = 3;
  const sum = new Float64Array(k);
  const prod = new Float64Array(k * k);
  for (let t = 0; t < n; t++) {
    st.step();
    for (let i = 0; i < k; i++) {
      sum[i]! += st.r[i]!;
      for (let j = 0; j <= i; j++) prod[i * k + j]! += st.r[i]! * st.r[j]!;
    }
  }
  const cov = (i: number, j: number): number => prod[i * k + j]! / n - (sum[i]! / n) * (sum[j]! / n);
  for (let i = 0; i < k; i++) {
    const s = DEFAULT_CORRELATED_GBM.sigma[i]!;
    assert.ok(Math.abs(cov(i, i) / (s * s * dt) - 1) < 0.015, `variance of asset ${i}`);
    for (let j = 0; j < i; j++) {
      const c = cov(i, j) / Math.sqrt(cov(i, i) * cov(j, j));
      assert.ok(Math.abs(c - DEFAULT_CORRELATED_GBM.correlation[i]![j]!) < 0.01, `corr(${i}, ${j}) = ${c}`);
    }
  }
});

test('Cholesky: L L^T = C; not symmetric, not positive definite and bad entries name the position', () => {
  const C = [
    [1, 0.3, -0.2, 0.1],
    [0.3, 1, 0.4, 0],
    [-0.2, 0.4, 1, 0.25],
    [0.1, 0, 0.25, 1],
  ];
  const L = cholesky(C);
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) {
      let s = 0;
      for (let m = 0; m < 4; m++) s += L[i * 4 + m]! * L[j * 4 + m]!;
      assert.ok(Math.abs(s - C[i]![j]!) < 1e-14);
      if (j > i) assert.equal(L[i * 4 + j], 0);
    }
  }
  assert.deepEqual(issuePaths(() => cholesky([[1, 0.5], [0.4, 1]])), ['correlation[1][0]']);
  const notPd = [
    [1, 0.9, 0.9],
    [0.9, 1, -0.9],
    [0.9, -0.9, 1],
  ];
  try {
    cholesky(notPd);
    assert.fail('expected an error');
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    assert.deepEqual(e.issues.map((i) => i.path), ['correlation[2][2]']);
    assert.match(e.message, /not positive definite/);
  }
  assert.deepEqual(issuePaths(() => cholesky([[1, 1], [1, 1]])), ['correlation[1][1]']);
  assert.deepEqual(issuePaths(() => cholesky([[2, 0], [0, 1]])), ['correlation[0][0]']);
  assert.deepEqual(issuePaths(() => cholesky([[1, 0], [0, 1, 0]])), ['correlation[1]']);
  assert.deepEqual(
    issuePaths(() => new CorrelatedGbmStepper({ ...DEFAULT_CORRELATED_GBM, sigma: [0.2, -0.1, 0.3] }, 1, new Rng(1))),
    ['correlatedGbm.sigma[1]'],
  );
  assert.deepEqual(issuePaths(() => new CorrelatedGbmStepper({ ...DEFAULT_CORRELATED_GBM, correlation: notPd }, 1, new Rng(1))), ['correlatedGbm.correlation[2][2]']);
  // identity: the draws are the independent normals themselves
  const a = new CorrelatedNormals([[1, 0], [0, 1]], new Rng(6, 'id'));
  const ref = new Rng(6, 'id');
  const out = new Float64Array(2);
  a.draw(out);
  assert.deepEqual([...out], [ref.normal(), ref.normal()]);
});

test('intraday seasonality: U shape, mean 1, first and last 30 minutes above the middle; none is flat', () => {
  const s = new IntradaySeasonality(DEFAULT_SEASONALITY);
  const bins = 390;
  for (const table of [s.volatilityTable(bins), s.volumeTable(bins)]) {
    let sum = 0;
    for (const v of table) sum += v;
    assert.ok(Math.abs(sum / bins - 1) < 1e-12);
    const avg = (a: number, b: number): number => {
      let t = 0;
      for (let i = a; i < b; i++) t += table[i]!;
      return t / (b - a);
    };
    const mid = avg(156, 234); // middle fifth of the session
    assert.ok(avg(0, 30) > mid && avg(360, 390) > mid);
    // U shape: falls to the middle then rises
    for (let i = 1; i < 195; i++) assert.ok(table[i]! < table[i - 1]!);
    for (let i = 196; i < 390; i++) assert.ok(table[i]! > table[i - 1]!);
  }
  const vt = s.volatilityTable(bins);
  const qt = s.volumeTable(bins);
  const ratio = (t: Float64Array, a: number, b: number): number => {
    let x = 0;
    let m = 0;
    for (let i = a; i < b; i++) x += t[i]!;
    for (let i = 156; i < 234; i++) m += t[i]!;
    return x / (b - a) / (m / 78);
  };
  assert.ok(ratio(vt, 0, 30) >= 1.3 && ratio(vt, 360, 390) >= 1.2 && ratio(qt, 0, 30) >= 1.5);
  // the continuous curve has mean 1 over [0, 1]
  let integral = 0;
  const N = 100_000;
  for (let i = 0; i < N; i++) integral += s.volatility((i + 0.5) / N);
  assert.ok(Math.abs(integral / N - 1) < 1e-9);
  const none = IntradaySeasonality.none();
  for (const x of [0, 0.1, 0.5, 0.93, 1]) {
    assert.equal(none.volatility(x), 1);
    assert.equal(none.volume(x), 1);
  }
  assert.ok(none.volumeTable(24).every((v) => v === 1));
  // the volatility profile scales the daily variance by mean(m^2)
  let sq = 0;
  for (const v of vt) sq += v * v;
  assert.ok(Math.abs(s.varianceFactor(bins) - sq / bins) < 1e-12 && s.varianceFactor(bins) > 1.04 && s.varianceFactor(bins) < 1.06);
  assert.equal(none.varianceFactor(bins), 1);
  assert.deepEqual(issuePaths(() => new IntradaySeasonality({ volatility: { a: 0, b: 1 }, volume: { a: 1, b: -2 } })), ['seasonality.volatility.a', 'seasonality.volume.b']);
  assert.deepEqual(issuePaths(() => s.volumeTable(0)), ['bins']);
});

test('moments check: GBM, OU, GARCH and regime moments match their known values (|z| < 3) and can fail', () => {
  const res = checkModelMoments({ seed: 1 });
  assert.equal(res.pass, true);
  assert.ok(res.maxAbsZ < 3);
  assert.deepEqual(
    res.rows.map((r) => `${r.model}: ${r.statistic}`),
    [
      'gbm: mean of log return',
      'gbm: variance of log return',
      'ou: stationary mean',
      'ou: stationary variance',
      'gjr-garch-t: unconditional variance',
      'regime: share of time in calm',
      'regime: share of time in volatile',
      'regime: share of time in crash',
    ],
  );
  for (const r of res.rows) {
    assert.ok(r.se > 0 && Math.abs(r.z - (r.sample - r.expected) / r.se) < 1e-12);
  }
  assert.ok(Math.abs(res.rows[1]!.expected - 0.04 / 252) < 1e-15);
  // power: the GARCH variance without the gamma/2 term is rejected by far
  const g = res.rows[4]!;
  const wrong = MOMENT_CHECK_GARCH.omega / (1 - MOMENT_CHECK_GARCH.alpha - MOMENT_CHECK_GARCH.beta);
  assert.ok(Math.abs(g.sample - wrong) / g.se > 10);
  // same seed, same numbers
  assert.deepEqual(checkModelMoments({ seed: 1, steps: 20_000, batches: 10 }), checkModelMoments({ seed: 1, steps: 20_000, batches: 10 }));
  assert.deepEqual(issuePaths(() => checkModelMoments({ batches: 1, steps: 3 })), ['batches', 'steps']);
});

test('OU, regime and correlated steppers: same seed, same path; reset restarts the state', () => {
  const ou = [new OuStepper(DEFAULT_OU, 1 / 252, new Rng(3, 'd')), new OuStepper(DEFAULT_OU, 1 / 252, new Rng(3, 'd'))];
  const rs = [new RegimeSwitchingStepper(DEFAULT_REGIMES, 1 / 252, new Rng(3, 'd')), new RegimeSwitchingStepper(DEFAULT_REGIMES, 1 / 252, new Rng(3, 'd'))];
  const cg = [new CorrelatedGbmStepper(DEFAULT_CORRELATED_GBM, 1 / 252, new Rng(3, 'd')), new CorrelatedGbmStepper(DEFAULT_CORRELATED_GBM, 1 / 252, new Rng(3, 'd'))];
  for (let i = 0; i < 2000; i++) {
    assert.equal(ou[0]!.step(), ou[1]!.step());
    assert.equal(rs[0]!.step(), rs[1]!.step());
    assert.equal(rs[0]!.regime, rs[1]!.regime);
    cg[0]!.step();
    cg[1]!.step();
    assert.deepEqual([...cg[0]!.x], [...cg[1]!.x]);
  }
  ou[0]!.reset();
  rs[0]!.reset();
  cg[0]!.reset();
  assert.equal(ou[0]!.x, DEFAULT_OU.x0);
  assert.equal(rs[0]!.x, 0);
  assert.equal(rs[0]!.regime, 0);
  assert.deepEqual([...cg[0]!.x], DEFAULT_CORRELATED_GBM.s0.map(Math.log));
});
