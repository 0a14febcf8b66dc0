import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.ts';
import { ConfigError } from '../../src/core/errors.ts';
import { VasicekSimulator, vasicekZeroBond, resolveVasicek } from '../../src/assets/bond/dynamics/vasicek.ts';
import { CirSimulator, cirZeroBond, cirMoments, resolveCir } from '../../src/assets/bond/dynamics/cir.ts';
import { HullWhiteModel, HullWhiteSimulator, flatCurve } from '../../src/assets/bond/dynamics/hull-white.ts';
import { monteCarloZeroBonds } from '../../src/assets/bond/dynamics/zero-bond-mc.ts';

const MATURITIES = [1, 2, 5, 10];

test('Vasicek: Monte Carlo P(0,T) with exact (r, int r) matches the closed form within 3 SE', () => {
  // Larger volatility than the default so the price has real dispersion to test.
  const params = resolveVasicek({ a: 0.3, b: 0.05, sigma: 0.03, r0: 0.02 });
  const sim = new VasicekSimulator(params, new Rng(7, 'vasicek-mc'));
  const est = monteCarloZeroBonds(sim, { maturities: MATURITIES, paths: 20_000, dt: 0.25 });
  MATURITIES.forEach((T, i) => {
    const exact = vasicekZeroBond(params, T, params.r0);
    const e = est[i]!;
    assert.ok(e.standardError > 0);
    assert.ok(Math.abs(e.price - exact) < 3 * e.standardError, `T=${T}: MC ${e.price} +- ${e.standardError} vs ${exact}`);
  });
});

test('Vasicek closed form: P(0) = 1, tends to the textbook limit, and matches a hand value', () => {
  const p = resolveVasicek({ a: 0.1, b: 0.05, sigma: 0.01, r0: 0.04 });
  assert.equal(vasicekZeroBond(p, 0, 0.04), 1);
  // Hand computation: B = (1 - e^-0.5)/0.1 = 3.934693402873666,
  // lnA = (0.05 - 0.0001/0.02)(B - 5) - 0.0001 B^2 / 0.4 = -0.0479388..., P = exp(lnA - 0.04 B).
  const B = (1 - Math.exp(-0.5)) / 0.1;
  const lnA = (0.05 - 0.0001 / 0.02) * (B - 5) - (0.0001 * B * B) / 0.4;
  assert.ok(Math.abs(vasicekZeroBond(p, 5, 0.04) - Math.exp(lnA - 0.04 * B)) < 1e-15);
  // With sigma = 0 and r0 = b the curve is flat at b.
  const flat = resolveVasicek({ a: 0.5, b: 0.03, sigma: 0, r0: 0.03 });
  assert.ok(Math.abs(vasicekZeroBond(flat, 7, 0.03) - Math.exp(-0.21)) < 1e-14);
});

test('CIR: exact transition has the conditional mean and variance of CIR (1985), both sampler branches', () => {
  // sigma 0.05: d = 4ab/sigma^2 = 14.4 > 1 (normal + gamma); sigma 0.2: d = 0.9 <= 1 (Poisson mixture:
  // Poisson mean 2.9 by inversion at h = 0.5, mean 78 by PTRS at h = 1/52).
  for (const [sigma, h] of [[0.05, 0.5], [0.2, 0.5], [0.2, 1 / 52]] as const) {
    const p = resolveCir({ a: 0.2, b: 0.045, sigma, r0: 0.03 });
    const rng = new Rng(11, `cir-moments-${sigma}-${h}`);
    const n = 40_000;
    let s = 0;
    let s2 = 0;
    const sim = new CirSimulator(p, rng);
    for (let i = 0; i < n; i++) {
      sim.reset();
      sim.step(h);
      s += sim.rate;
      s2 += sim.rate * sim.rate;
      assert.ok(sim.rate >= 0);
    }
    const mean = s / n;
    const variance = s2 / n - mean * mean;
    const m = cirMoments(p, p.r0, h);
    const seMean = Math.sqrt(m.variance / n);
    assert.ok(Math.abs(mean - m.mean) < 4 * seMean, `sigma ${sigma}: mean ${mean} vs ${m.mean}`);
    // Variance: relative error of a sample variance is about sqrt(2/n) for light tails; allow 5%.
    assert.ok(Math.abs(variance / m.variance - 1) < 0.05, `sigma ${sigma}: variance ${variance} vs ${m.variance}`);
  }
});

test('CIR: Monte Carlo P(0,T) (exact grid, trapezoid integral) matches the closed form within 3 SE', () => {
  const params = resolveCir({ a: 0.3, b: 0.05, sigma: 0.1, r0: 0.02 });
  const sim = new CirSimulator(params, new Rng(3, 'cir-mc'));
  const est = monteCarloZeroBonds(sim, { maturities: MATURITIES, paths: 8_000, dt: 1 / 52 });
  MATURITIES.forEach((T, i) => {
    const exact = cirZeroBond(params, T, params.r0);
    const e = est[i]!;
    assert.ok(Math.abs(e.price - exact) < 3 * e.standardError, `T=${T}: MC ${e.price} +- ${e.standardError} vs ${exact}`);
  });
});

test('Hull-White: Monte Carlo reproduces the initial curve P(0,T) within 3 SE, and P(0,0,T) given r0 is the curve', () => {
  // A Nelson-Siegel-shaped initial curve (upward sloping), zero rate z(t) = 0.045 - 0.01 (1 - e^(-t/2)) / (t/2).
  const z = (t: number): number => (t === 0 ? 0.035 : 0.045 - (0.01 * (1 - Math.exp(-t / 2))) / (t / 2));
  const curve = (t: number): number => Math.exp(-z(t) * t);
  const model = new HullWhiteModel(curve, { a: 0.2, sigma: 0.02 });
  const sim = new HullWhiteSimulator(model, new Rng(5, 'hw-mc'));
  // The model's own bond price at t = 0 is the input curve (exact fit).
  for (const T of MATURITIES) assert.ok(Math.abs(model.zeroBond(0, T, sim.rate) - curve(T)) < 1e-9);
  const est = monteCarloZeroBonds(sim, { maturities: MATURITIES, paths: 20_000, dt: 0.25 });
  MATURITIES.forEach((T, i) => {
    const e = est[i]!;
    assert.ok(Math.abs(e.price - curve(T)) < 3 * e.standardError, `T=${T}: MC ${e.price} +- ${e.standardError} vs ${curve(T)}`);
  });
  // theta for a flat curve is a * r + sigma^2 (1 - e^(-2at)) / (2a).
  const flat = new HullWhiteModel(flatCurve(0.04), { a: 0.1, sigma: 0.01 });
  assert.ok(Math.abs(flat.theta(3) - (0.1 * 0.04 + (0.0001 * (1 - Math.exp(-0.6))) / 0.2)) < 1e-6);
});

test('rate models: bad parameters throw ConfigError naming the field', () => {
  assert.throws(() => resolveVasicek({ a: -1 }), (e: unknown) => e instanceof ConfigError && /vasicek\.a: must be > 0/.test(e.message));
  assert.throws(() => resolveCir({ sigma: Number.NaN }), (e: unknown) => e instanceof ConfigError && /cir\.sigma/.test(e.message));
  assert.throws(() => resolveCir({ r0: -0.01 }), (e: unknown) => e instanceof ConfigError && /cir\.r0: must be >= 0/.test(e.message));
  assert.throws(() => new HullWhiteModel((t) => Math.exp(-0.03 * t) * 2), /P\(0, 0\) = 1/);
  const sim = new VasicekSimulator({}, new Rng(1));
  assert.throws(() => sim.step(0), /positive finite/);
});

test('simulators are deterministic for a seed and stream', () => {
  const a = new CirSimulator({}, new Rng(42, 'x'));
  const b = new CirSimulator({}, new Rng(42, 'x'));
  for (let i = 0; i < 100; i++) {
    a.step(1 / 252);
    b.step(1 / 252);
  }
  assert.equal(a.rate, b.rate);
  assert.equal(a.integral, b.integral);
});
