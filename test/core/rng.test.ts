import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, fnv1a } from '../../src/core/rng.ts';

// ------------------------------------------------------------------ an independent reference (BigInt)

const M32 = (1n << 32n) - 1n;
const u32 = (x: bigint): bigint => x & M32;
const rotl = (x: bigint, k: bigint): bigint => u32((x << k) | (x >> (32n - k)));

/** xoshiro128** (Blackman & Vigna) written from the reference C code, with BigInt arithmetic. */
function* xoshiro128ss(state: [bigint, bigint, bigint, bigint]): Generator<number> {
  const s = state.slice() as bigint[];
  for (;;) {
    const result = u32(rotl(u32(s[1]! * 5n), 7n) * 9n);
    const t = u32(s[1]! << 9n);
    s[2] = s[2]! ^ s[0]!;
    s[3] = s[3]! ^ s[1]!;
    s[1] = s[1]! ^ s[2]!;
    s[0] = s[0]! ^ s[3]!;
    s[2] = s[2]! ^ t;
    s[3] = rotl(s[3]!, 11n);
    yield Number(result);
  }
}

/** 32-bit FNV-1a over UTF-16 code units, BigInt reference. */
function fnv1aRef(text: string): bigint {
  let h = 0x811c9dc5n;
  for (let i = 0; i < text.length; i++) h = u32((h ^ BigInt(text.charCodeAt(i))) * 0x01000193n);
  return h;
}

/** The documented seeding: SplitMix32 over FNV-1a(`${seed}/${stream}`), four outputs. */
function seededState(seed: number, stream: string): [bigint, bigint, bigint, bigint] {
  let h = fnv1aRef(`${seed}/${stream}`);
  const next = (): bigint => {
    h = u32(h + 0x9e3779b9n);
    let z = h;
    z = u32((z ^ (z >> 16n)) * 0x85ebca6bn);
    z = u32((z ^ (z >> 13n)) * 0xc2b2ae35n);
    return z ^ (z >> 16n);
  };
  return [next(), next(), next(), next()];
}

function setState(rng: Rng, s: [number, number, number, number]): void {
  const r = rng as unknown as Record<'s0' | 's1' | 's2' | 's3', number>;
  [r.s0, r.s1, r.s2, r.s3] = s.map((x) => x | 0) as [number, number, number, number];
}

function draws(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => rng.next());
}

// ------------------------------------------------------------------ known answers

test('fnv1a: the published 32-bit FNV-1a test vectors', () => {
  assert.equal(fnv1a(''), 0x811c9dc5);
  assert.equal(fnv1a('a'), 0xe40c292c);
  assert.equal(fnv1a('foobar'), 0xbf9cf968);
  assert.equal(fnv1a('42/root'), Number(fnv1aRef('42/root')));
});

test('Rng: xoshiro128** from state {1, 2, 3, 4} gives the reference outputs', () => {
  // The same vector as the reference implementation's test (e.g. rand_xoshiro's Xoshiro128StarStar).
  const want = [11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804];
  const ref = xoshiro128ss([1n, 2n, 3n, 4n]);
  assert.deepEqual(Array.from({ length: 10 }, () => ref.next().value as number), want);
  const rng = new Rng(0);
  setState(rng, [1, 2, 3, 4]);
  assert.deepEqual(Array.from({ length: 10 }, () => rng.nextU32()), want);
});

test('Rng: seeding is SplitMix32 over FNV-1a of "seed/stream", and 1000 outputs match the BigInt reference', () => {
  for (const [seed, stream] of [
    [42, 'root'],
    [0, 'root/latency'],
    [-7.5, 'root/gbm/AAPL'],
  ] as const) {
    const rng = new Rng(seed, stream);
    const ref = xoshiro128ss(seededState(seed, stream));
    for (let i = 0; i < 1000; i++) assert.equal(rng.nextU32(), ref.next().value, `seed ${seed} stream ${stream} output ${i}`);
  }
});

test('Rng: next() is a 53-bit double made of two outputs (27 high bits, 26 low bits)', () => {
  const a = new Rng(9, 's');
  const b = new Rng(9, 's');
  for (let i = 0; i < 1000; i++) {
    const x = a.next();
    const hi = b.nextU32() >>> 5;
    const lo = b.nextU32() >>> 6;
    assert.equal(x, (hi * 2 ** 26 + lo) / 2 ** 53);
    assert.ok(x >= 0 && x < 1);
  }
});

// ------------------------------------------------------------------ determinism and streams

test('Rng: the same (seed, stream) gives the same sequence; other seeds or streams differ', () => {
  assert.deepEqual(draws(new Rng(7, 'x'), 100), draws(new Rng(7, 'x'), 100));
  assert.notDeepEqual(draws(new Rng(7, 'x'), 100), draws(new Rng(8, 'x'), 100));
  assert.notDeepEqual(draws(new Rng(7, 'x'), 100), draws(new Rng(7, 'y'), 100));
  const r = new Rng(3);
  assert.equal(r.seed, 3);
  assert.equal(r.stream, 'root');
  assert.equal(r.fork('latency').stream, 'root/latency');
  assert.deepEqual(draws(r.fork('latency'), 20), draws(new Rng(3, 'root/latency'), 20));
});

test('Rng: forking or drawing from one stream never changes another stream', () => {
  const alone = draws(new Rng(11).fork('fills'), 200);
  const root = new Rng(11);
  root.next(); // the parent drawing does not matter
  const other = root.fork('latency');
  draws(other, 5000);
  const fills = root.fork('fills');
  draws(root.fork('news'), 17);
  assert.deepEqual(draws(fills, 200), alone);
  // forking is independent of the parent's position in its own sequence
  const p1 = new Rng(11);
  const p2 = new Rng(11);
  draws(p2, 1000);
  assert.deepEqual(draws(p1.fork('a'), 50), draws(p2.fork('a'), 50));
});

test('Rng: a non-finite seed is refused', () => {
  for (const s of [NaN, Infinity, -Infinity]) assert.throws(() => new Rng(s), /seed must be a finite number/);
});

// ------------------------------------------------------------------ distributions

function moments(xs: Float64Array): { mean: number; variance: number; skew: number; kurtosis: number } {
  const n = xs.length;
  let m = 0;
  for (const x of xs) m += x;
  m /= n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (const x of xs) {
    const d = x - m;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  return { mean: m, variance: m2, skew: m3 / m2 ** 1.5, kurtosis: m4 / (m2 * m2) };
}

const N = 200_000;

test('Rng: uniform next() has mean 1/2 and variance 1/12 (within tolerance), and uniform(a, b) scales it', () => {
  const r = new Rng(123, 'uniform');
  const xs = new Float64Array(N);
  for (let i = 0; i < N; i++) xs[i] = r.next();
  const m = moments(xs);
  assert.ok(Math.abs(m.mean - 0.5) < 0.003, `mean ${m.mean}`);
  assert.ok(Math.abs(m.variance - 1 / 12) < 0.001, `variance ${m.variance}`);
  const ys = new Float64Array(N);
  for (let i = 0; i < N; i++) ys[i] = r.uniform(-2, 6);
  const my = moments(ys);
  assert.ok(Math.abs(my.mean - 2) < 0.03, `uniform(-2, 6) mean ${my.mean}`);
  assert.ok(Math.abs(my.variance - 64 / 12) < 0.06, `uniform(-2, 6) variance ${my.variance}`);
  for (const y of ys) assert.ok(y >= -2 && y < 6);
});

test('Rng: normal() has mean 0, variance 1, skew 0 and kurtosis 3 (within tolerance)', () => {
  const r = new Rng(456, 'normal');
  const xs = new Float64Array(N);
  for (let i = 0; i < N; i++) xs[i] = r.normal();
  const m = moments(xs);
  assert.ok(Math.abs(m.mean) < 0.012, `mean ${m.mean}`);
  assert.ok(Math.abs(m.variance - 1) < 0.015, `variance ${m.variance}`);
  assert.ok(Math.abs(m.skew) < 0.03, `skew ${m.skew}`);
  assert.ok(Math.abs(m.kurtosis - 3) < 0.06, `kurtosis ${m.kurtosis}`);
  // about 68.3% within one standard deviation
  let inside = 0;
  for (const x of xs) if (Math.abs(x) < 1) inside++;
  assert.ok(Math.abs(inside / N - 0.6827) < 0.005, `P(|Z| < 1) = ${inside / N}`);
});

test('Rng: exponential(rate) has mean 1/rate; nextOpen() is never 0', () => {
  const r = new Rng(789, 'exp');
  let s = 0;
  for (let i = 0; i < N; i++) {
    const x = r.exponential(4);
    assert.ok(x > 0 || x === 0);
    s += x;
  }
  assert.ok(Math.abs(s / N - 0.25) < 0.003, `mean ${s / N}`);
  for (let i = 0; i < 10_000; i++) assert.ok(r.nextOpen() > 0);
});

test('Rng: int(n) covers [0, n) evenly (chi-square)', () => {
  const r = new Rng(5, 'int');
  const n = 10;
  const counts = new Array<number>(n).fill(0);
  const draws = 100_000;
  for (let i = 0; i < draws; i++) {
    const k = r.int(n);
    assert.ok(Number.isInteger(k) && k >= 0 && k < n);
    counts[k]!++;
  }
  const e = draws / n;
  const chi2 = counts.reduce((acc, c) => acc + ((c - e) * (c - e)) / e, 0);
  assert.ok(chi2 < 27.9, `chi-square ${chi2} (9 degrees of freedom, p = 0.001 at 27.9)`);
});
