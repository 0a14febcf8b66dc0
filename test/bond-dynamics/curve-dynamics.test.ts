import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.ts';
import { ConfigError } from '../../src/core/errors.ts';
import { DynamicNelsonSiegel, nelsonSiegelLoadings, DEFAULT_DNS, resolveDns } from '../../src/assets/bond/dynamics/dynamic-nelson-siegel.ts';
import { VasicekSimulator, vasicekZeroBond } from '../../src/assets/bond/dynamics/vasicek.ts';
import { createCurveModel } from '../../src/assets/bond/dealer-scenario.ts';

test('Nelson-Siegel loadings: Diebold-Li lambda 0.0609/month puts the curvature peak near 30 months', () => {
  assert.ok(Math.abs(DEFAULT_DNS.lambda - 0.7308) < 1e-12);
  let best = 0;
  let arg = 0;
  for (let m = 1; m <= 120; m++) {
    const c = nelsonSiegelLoadings(DEFAULT_DNS.lambda, m / 12).curvature;
    if (c > best) {
      best = c;
      arg = m;
    }
  }
  assert.ok(arg >= 29 && arg <= 30, `peak at ${arg} months`);
  const near0 = nelsonSiegelLoadings(DEFAULT_DNS.lambda, 1e-9);
  assert.ok(Math.abs(near0.slope - 1) < 1e-8 && Math.abs(near0.curvature) < 1e-8);
});

test('DNS curve: y(0) = L + S, y(long) -> L, discount = exp(-y tau); shocks move the short and long ends', () => {
  const dns = new DynamicNelsonSiegel({ initial: [0.05, -0.02, 0.01] }, new Rng(1, 'dns'));
  assert.ok(Math.abs(dns.zeroYield(0) - 0.03) < 1e-15);
  assert.ok(Math.abs(dns.zeroYield(1000) - 0.05) < 1e-4);
  assert.ok(Math.abs(dns.discount(7) - Math.exp(-dns.zeroYield(7) * 7)) < 1e-15);
  const y10 = dns.zeroYield(10);
  dns.shock(25, 10);
  assert.ok(Math.abs(dns.zeroYield(0) - 0.0325) < 1e-15);
  assert.ok(Math.abs(dns.zeroYield(1000) - 0.051) < 1e-4);
  const l = nelsonSiegelLoadings(dns.params.lambda, 10);
  assert.ok(Math.abs(dns.zeroYield(10) - y10 - (0.001 + 0.0015 * l.slope)) < 1e-15);
});

test('DNS factors: stationary mean and covariance of the correlated OU (exact steps)', () => {
  const dns = new DynamicNelsonSiegel({}, new Rng(2, 'dns-stationary'));
  const N = 20_000;
  const s = [0, 0, 0];
  const ss = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < N; i++) {
    dns.reset();
    for (let k = 0; k < 8; k++) dns.step(10); // 80 years: kappa_L = 0.12 forgets the start (e^-9.6)
    for (let a = 0; a < 3; a++) {
      s[a]! += dns.factors[a]!;
      for (let b = 0; b < 3; b++) ss[a * 3 + b]! += dns.factors[a]! * dns.factors[b]!;
    }
  }
  const cov = dns.stationaryCovariance();
  for (let a = 0; a < 3; a++) {
    const m = s[a]! / N;
    assert.ok(Math.abs(m - dns.params.mean[a]!) < 4 * Math.sqrt(cov[a * 4]! / N), `mean ${a}: ${m}`);
    for (let b = 0; b < 3; b++) {
      const c = ss[a * 3 + b]! / N - m * (s[b]! / N);
      const scale = Math.sqrt(cov[a * 4]! * cov[b * 4]!);
      assert.ok(Math.abs(c - cov[a * 3 + b]!) < 0.04 * scale, `cov ${a}${b}: ${c} vs ${cov[a * 3 + b]}`);
    }
  }
  // The default level has a 1.5 pp stationary standard deviation.
  assert.ok(Math.abs(Math.sqrt(cov[0]!) - 0.015) < 1e-12);
});

test('DNS and the short-rate models meet the CurveDynamics contract through createCurveModel', () => {
  for (const model of ['dynamic-nelson-siegel', 'vasicek', 'cir', 'hull-white'] as const) {
    const c = createCurveModel({ model }, new Rng(3, model));
    assert.equal(c.name, model);
    for (let i = 0; i < 10; i++) c.step(1 / 52);
    assert.ok(Math.abs(c.time - 10 / 52) < 1e-12);
    const y = c.zeroYield(10);
    assert.ok(Number.isFinite(y) && y > -0.05 && y < 0.2, `${model}: ${y}`);
    assert.ok(Math.abs(c.discount(10) - Math.exp(-10 * y)) < 1e-12);
    const short = c.zeroYield(0);
    c.shock(50, 20);
    assert.ok(Math.abs(c.zeroYield(0) - short - 0.005) < 1e-9, `${model}: short end moves 50 bp`);
    c.reset();
    assert.equal(c.time, 0);
  }
  assert.throws(() => createCurveModel({ model: 'nope' as 'cir' }, new Rng(1)), (e: unknown) => e instanceof ConfigError && /curve\.model/.test(e.message));
});

test('one-factor shock: the long end follows B(tau)/tau (Vasicek)', () => {
  const v = new VasicekSimulator({ a: 0.2 }, new Rng(4));
  const before = v.zeroYield(10);
  v.shock(100, 0);
  const B = (1 - Math.exp(-2)) / 0.2;
  assert.ok(Math.abs(v.zeroYield(10) - before - (0.01 * B) / 10) < 1e-12);
  assert.ok(Math.abs(v.discount(10) - vasicekZeroBond(v.params, 10, v.rate)) < 1e-15);
});

test('DNS: bad parameters throw ConfigError naming the field', () => {
  assert.throws(() => resolveDns({ kappa: [0.1, -1, 1] }), (e: unknown) => e instanceof ConfigError && /dns\.kappa\[1\]: must be > 0/.test(e.message));
  assert.throws(() => resolveDns({ correlation: [0.99, 0.99, -0.99] }), (e: unknown) => e instanceof ConfigError && /dns\.correlation/.test(e.message));
  assert.throws(() => resolveDns({ correlation: [1.5, 0, 0] }), /dns\.correlation\[0\]: must be in \[-1, 1\]/);
  assert.throws(() => resolveDns({ mean: [0.04, 0.01] as unknown as [number, number, number] }), /dns\.mean: expected 3 numbers/);
});
