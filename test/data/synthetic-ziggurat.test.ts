/** The ziggurat normal sampler (Marsaglia and Tsang 2000) used by the GBM generators. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.ts';
import { ZigguratNormal } from '../../src/data/synthetic/ziggurat.ts';
import { normCdf } from '../../src/data/synthetic/normal.ts';

const N = 200_000;

function sample(seed: number, n = N): Float64Array {
  const z = new ZigguratNormal(new Rng(seed, 'ziggurat-test'));
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = z.next();
  return xs;
}

test('ziggurat: mean 0, variance 1, excess kurtosis 0 within 4 standard errors (N = 200k)', () => {
  for (const seed of [1, 2]) {
    const xs = sample(seed);
    let m = 0;
    for (const x of xs) m += x;
    m /= N;
    let m2 = 0;
    let m4 = 0;
    for (const x of xs) {
      const d = x - m;
      m2 += d * d;
      m4 += d * d * d * d;
    }
    m2 /= N;
    m4 /= N;
    const kurt = m4 / (m2 * m2) - 3;
    assert.ok(Math.abs(m) < 4 / Math.sqrt(N), `mean ${m}`);
    assert.ok(Math.abs(m2 - 1) < 4 * Math.sqrt(2 / N), `variance ${m2}`);
    assert.ok(Math.abs(kurt) < 4 * Math.sqrt(24 / N), `excess kurtosis ${kurt}`);
  }
});

test('ziggurat: Kolmogorov-Smirnov against the normal CDF passes at the 1% level (N = 200k), tails included', () => {
  const xs = sample(3).sort();
  let d = 0;
  for (let i = 0; i < N; i++) {
    const c = normCdf(xs[i]!);
    d = Math.max(d, c - i / N, (i + 1) / N - c);
  }
  assert.ok(d < 1.628 / Math.sqrt(N), `KS D = ${d}`);
  // the base layer's tail beyond r = 3.4426 and the wedges: counts match the normal's mass
  for (const [a, b] of [[3.4426, Infinity], [2, 3.4426], [0.5, 1]] as const) {
    const p = 2 * (normCdf(b) - normCdf(a));
    const k = xs.filter((x) => Math.abs(x) >= a && Math.abs(x) < b).length;
    assert.ok(Math.abs(k - N * p) < 4 * Math.sqrt(N * p), `|x| in [${a}, ${b}): ${k} vs ${(N * p).toFixed(1)}`);
  }
});

test('ziggurat: seeded and deterministic; fill() gives exactly the values of successive next() calls', () => {
  assert.deepEqual(sample(7, 1000), sample(7, 1000));
  assert.notDeepEqual(sample(7, 1000), sample(8, 1000));
  const z = new ZigguratNormal(new Rng(9, 'fill'));
  const buf = new Float64Array(5000);
  z.fill(buf.subarray(0, 2500));
  z.fill(buf.subarray(2500));
  const one = new ZigguratNormal(new Rng(9, 'fill'));
  for (let i = 0; i < buf.length; i++) assert.equal(buf[i], one.next());
});

test('ziggurat: consecutive draws are uncorrelated and the sign is independent of the magnitude', () => {
  const xs = sample(11);
  let c = 0;
  let pos = 0;
  let posBig = 0;
  let big = 0;
  for (let i = 1; i < N; i++) c += xs[i]! * xs[i - 1]!;
  for (const x of xs) {
    if (x > 0) pos++;
    if (Math.abs(x) > 2) {
      big++;
      if (x > 0) posBig++;
    }
  }
  assert.ok(Math.abs(c / N) < 4 / Math.sqrt(N), `lag-1 autocorrelation ${c / N}`);
  assert.ok(Math.abs(pos / N - 0.5) < 4 * Math.sqrt(0.25 / N));
  assert.ok(Math.abs(posBig / big - 0.5) < 4 * Math.sqrt(0.25 / big), `${posBig} of ${big} large draws positive`);
});
