import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.ts';
import { ConfigError } from '../../src/core/errors.ts';
import { DEFAULT_BATES, DEFAULT_GBM, DEFAULT_HESTON, DEFAULT_MERTON, fellerHolds } from '../../src/data/synthetic/params.ts';
import { GbmStepper, HestonQeStepper, simulateTerminal } from '../../src/data/synthetic/simulate.ts';
import { mcEuropean } from '../../src/data/synthetic/monte-carlo.ts';

function moments(xs: Float64Array): { mean: number; variance: number; skew: number; exKurt: number } {
  const n = xs.length;
  let m = 0;
  for (const x of xs) m += x;
  m /= n;
  let m2 = 0, m3 = 0, m4 = 0;
  for (const x of xs) {
    const d = x - m;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  return { mean: m, variance: m2, skew: m3 / m2 ** 1.5, exKurt: m4 / (m2 * m2) - 3 };
}

test('GBM log returns have the exact mean, variance, skew and kurtosis', () => {
  const p = { s0: 50, r: 0.03, q: 0.01, sigma: 0.35 };
  const dt = 1 / 252;
  const n = 200_000;
  const st = new GbmStepper(p, dt, new Rng(7, 'gbm-moments'));
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = st.x;
    st.step();
    r[i] = st.x - x;
  }
  const m = moments(r);
  const mu = (p.r - p.q - (p.sigma * p.sigma) / 2) * dt;
  const v = p.sigma * p.sigma * dt;
  assert.ok(Math.abs(m.mean - mu) < 4 * Math.sqrt(v / n), `mean ${m.mean} vs ${mu}`);
  assert.ok(Math.abs(m.variance - v) < 4 * v * Math.sqrt(2 / n), `variance ${m.variance} vs ${v}`);
  assert.ok(Math.abs(m.skew) < 4 * Math.sqrt(6 / n), `skew ${m.skew}`);
  assert.ok(Math.abs(m.exKurt) < 4 * Math.sqrt(24 / n), `excess kurtosis ${m.exKurt}`);
});

test('simulations are deterministic by seed and differ across seeds', () => {
  for (const [model, params] of [['gbm', DEFAULT_GBM], ['heston', DEFAULT_HESTON], ['merton', DEFAULT_MERTON], ['bates', DEFAULT_BATES]] as const) {
    const a = simulateTerminal(model, params as never, 1, 8, 1000, new Rng(3, model), true);
    const b = simulateTerminal(model, params as never, 1, 8, 1000, new Rng(3, model), true);
    const c = simulateTerminal(model, params as never, 1, 8, 1000, new Rng(4, model), true);
    assert.deepEqual(a, b, model);
    assert.notDeepEqual(a, c, model);
  }
});

test('antithetic GBM pairs are mirror images in log price', () => {
  const p = DEFAULT_GBM;
  const st = simulateTerminal('gbm', p, 2, 1, 100, new Rng(1), true);
  const centre = 2 * (Math.log(p.s0) + (p.r - p.q - (p.sigma * p.sigma) / 2) * 2);
  for (let i = 0; i < 100; i += 2) assert.ok(Math.abs(Math.log(st[i]!) + Math.log(st[i + 1]!) - centre) < 1e-12);
});

test('Merton with zero jump intensity draws exactly the GBM paths', () => {
  const a = simulateTerminal('merton', { ...DEFAULT_MERTON, lambda: 0 }, 1, 4, 200, new Rng(9), true);
  const b = simulateTerminal('gbm', { s0: 100, r: 0.05, q: 0, sigma: 0.2 }, 1, 4, 200, new Rng(9), true);
  assert.deepEqual(a, b);
});

test('every model is a martingale: E[S_T] = S0 e^((r-q)T) within 4 standard errors', () => {
  const T = 1;
  for (const [model, params, steps] of [['gbm', DEFAULT_GBM, 1], ['heston', DEFAULT_HESTON, 32], ['merton', DEFAULT_MERTON, 1], ['bates', DEFAULT_BATES, 32]] as const) {
    const st = simulateTerminal(model, params as never, T, steps, 40_000, new Rng(11, model), true);
    // E[S_T] = discounted "call with strike 0" scaled back.
    const est = mcEuropean(st, 'call', 1e-12, T, 0, true);
    const expected = params.s0 * Math.exp((params.r - params.q) * T);
    assert.ok(Math.abs(est.price - expected) < 4 * est.se, `${model}: ${est.price} vs ${expected} (se ${est.se})`);
  }
});

test('Heston QE stays non-negative and keeps E[v_T] with the Feller condition broken', () => {
  const p = { ...DEFAULT_HESTON, sigma: 1, v0: 0.01 };
  assert.equal(fellerHolds(p), false);
  const T = 1;
  const steps = 20;
  const n = 40_000;
  const st = new HestonQeStepper(p, T / steps, new Rng(5, 'qe'));
  const vs = new Float64Array(n);
  let zeros = 0;
  for (let i = 0; i < n; i++) {
    st.reset();
    for (let s = 0; s < steps; s++) {
      st.step();
      assert.ok(st.v >= 0 && Number.isFinite(st.v) && Number.isFinite(st.x));
      if (st.v === 0) zeros++;
    }
    vs[i] = st.v;
  }
  const m = moments(vs);
  const expected = p.theta + (p.v0 - p.theta) * Math.exp(-p.kappa * T);
  assert.ok(Math.abs(m.mean - expected) < 4 * Math.sqrt(m.variance / n), `E[v_T] ${m.mean} vs ${expected}`);
  assert.ok(zeros > 0, 'with sigma = 1 the QE scheme must reach zero variance sometimes');
});

test('bad simulation inputs are rejected naming the field', () => {
  const rng = new Rng(1);
  assert.throws(() => simulateTerminal('gbm', DEFAULT_GBM, 1, 0, 10, rng), (e: unknown) => e instanceof ConfigError && /steps/.test(e.message));
  assert.throws(() => simulateTerminal('gbm', DEFAULT_GBM, 1, 1, 11, rng, true), (e: unknown) => e instanceof ConfigError && /paths: must be even/.test(e.message));
  assert.throws(() => simulateTerminal('heston', { ...DEFAULT_HESTON, kappa: -1 }, 1, 1, 10, rng), (e: unknown) => e instanceof ConfigError && /heston\.kappa/.test(e.message));
  assert.throws(() => simulateTerminal('bates', { ...DEFAULT_BATES, deltaJ: -0.1 }, 1, 1, 10, rng), (e: unknown) => e instanceof ConfigError && /bates\.deltaJ/.test(e.message));
  assert.throws(() => new GbmStepper(DEFAULT_GBM, 0, rng), (e: unknown) => e instanceof ConfigError && /gbm\.dt/.test(e.message));
});
