import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.ts';
import { gammaDraw, poissonDraw, noncentralChiSquareDraw, logGamma } from '../../src/assets/bond/dynamics/random.ts';

function moments(n: number, draw: () => number): { mean: number; variance: number } {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    s += x;
    s2 += x * x;
  }
  const mean = s / n;
  return { mean, variance: (s2 - n * mean * mean) / (n - 1) };
}

test('logGamma matches ln((n-1)!) and ln Gamma(1/2) = ln sqrt(pi)', () => {
  let f = 0;
  for (let n = 1; n <= 30; n++) {
    assert.ok(Math.abs(logGamma(n) - f) < 1e-12 * Math.max(1, f), `n=${n}`);
    f += Math.log(n);
  }
  assert.ok(Math.abs(logGamma(0.5) - 0.5 * Math.log(Math.PI)) < 1e-13);
});

test('Poisson draws have mean and variance equal to the mean (inversion and PTRS branches)', () => {
  const rng = new Rng(1, 'poisson');
  const n = 50_000;
  for (const mu of [0.3, 4, 12, 80, 2500]) {
    const m = moments(n, () => poissonDraw(rng, mu));
    assert.ok(Math.abs(m.mean - mu) < 4 * Math.sqrt(mu / n), `mu=${mu}: mean ${m.mean}`);
    assert.ok(Math.abs(m.variance / mu - 1) < 0.04, `mu=${mu}: variance ${m.variance}`);
  }
  // Integer outputs.
  for (let i = 0; i < 100; i++) assert.ok(Number.isInteger(poissonDraw(rng, 33.3)));
  assert.equal(poissonDraw(rng, 0), 0);
  assert.throws(() => poissonDraw(rng, -1), /Poisson mean/);
});

test('Gamma(shape) draws have mean = variance = shape (Marsaglia-Tsang, with the shape < 1 boost)', () => {
  const rng = new Rng(2, 'gamma');
  const n = 50_000;
  for (const k of [0.3, 1, 2.5, 40]) {
    const m = moments(n, () => gammaDraw(rng, k));
    assert.ok(Math.abs(m.mean - k) < 4 * Math.sqrt(k / n), `k=${k}: mean ${m.mean}`);
    assert.ok(Math.abs(m.variance / k - 1) < 0.06, `k=${k}: variance ${m.variance}`);
  }
  assert.throws(() => gammaDraw(rng, 0), /shape/);
});

test('noncentral chi-square draws have mean d + nc and variance 2(d + 2 nc)', () => {
  const rng = new Rng(3, 'ncx2');
  const n = 50_000;
  for (const [d, nc] of [[0.6, 3], [0.9, 150], [5, 0], [14, 40]] as const) {
    const m = moments(n, () => noncentralChiSquareDraw(rng, d, nc));
    const v = 2 * (d + 2 * nc);
    assert.ok(Math.abs(m.mean - (d + nc)) < 4 * Math.sqrt(v / n), `d=${d} nc=${nc}: mean ${m.mean}`);
    assert.ok(Math.abs(m.variance / v - 1) < 0.06, `d=${d} nc=${nc}: variance ${m.variance}`);
  }
});
