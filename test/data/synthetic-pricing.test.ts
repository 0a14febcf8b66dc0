import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normCdf } from '../../src/data/synthetic/normal.ts';
import { gaussLegendre } from '../../src/data/synthetic/quadrature.ts';
import { DEFAULT_BATES, DEFAULT_HESTON, DEFAULT_MERTON, fellerHolds, type HestonParams } from '../../src/data/synthetic/params.ts';
import {
  batesPrice,
  blackScholes,
  bsCharFn,
  fourierPrice,
  gbmPrice,
  hestonCharFn,
  hestonPrice,
  mertonFourierPrice,
  mertonPrice,
} from '../../src/data/synthetic/pricing.ts';
import { ConfigError } from '../../src/core/errors.ts';

const close = (a: number, b: number, tol: number, what = '') => assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b} (diff ${a - b}, tol ${tol})`);

test('normCdf matches known values to 1e-14 (absolute), 1e-7 relative in the far tail', () => {
  close(normCdf(0), 0.5, 1e-15);
  close(normCdf(1), 0.841344746068543, 1e-14);
  close(normCdf(-2), 0.0227501319481792, 1e-15);
  close(normCdf(1.96), 0.97500210485178, 1e-14);
  close(normCdf(-8), 6.22096057427178e-16, 6.3e-23);
});

test('Gauss-Legendre rule integrates polynomials of degree 2n-1 exactly', () => {
  const { nodes, weights } = gaussLegendre(8);
  let s = 0;
  for (let i = 0; i < 8; i++) s += weights[i]! * nodes[i]! ** 14;
  close(s, 2 / 15, 1e-14);
});

test('Black-Scholes matches textbook values', () => {
  // Hull: S=42, K=40, r=10%, sigma=20%, T=0.5: call 4.76, put 0.81.
  close(blackScholes('call', 42, 40, 0.5, 0.1, 0, 0.2), 4.759422392871532, 1e-12);
  close(blackScholes('put', 42, 40, 0.5, 0.1, 0, 0.2), 0.8085993729000922, 1e-12);
  close(blackScholes('call', 100, 100, 1, 0.05, 0, 0.2), 10.450583572185565, 1e-12);
});

test('Black-Scholes by the Fourier route agrees to 1e-9', () => {
  for (const K of [70, 100, 140]) close(fourierPrice('call', bsCharFn(0.25, 0.5), 100, K, 0.5, 0.03, 0.01, 0.25 * 0.25 * 0.5), blackScholes('call', 100, K, 0.5, 0.03, 0.01, 0.25), 1e-9, `K=${K}`);
});

test('Heston matches Lewis (2001) high-precision values to 1e-9', () => {
  const p: HestonParams = { s0: 100, r: 0.01, q: 0.02, kappa: 4, theta: 0.25, sigma: 1, rho: -0.5, v0: 0.04 };
  const calls: [number, number][] = [
    [80, 26.774758743998854],
    [90, 20.93334900059671],
    [100, 16.070154917028834],
    [110, 12.132211516709845],
    [120, 9.024913483457836],
  ];
  for (const [K, c] of calls) close(hestonPrice('call', p, K, 1), c, 1e-9, `K=${K}`);
});

test('Heston matches the Fang-Oosterlee (2008) reference 5.785155450 (Feller broken) to its published precision', () => {
  const p: HestonParams = { s0: 100, r: 0, q: 0, kappa: 1.5768, theta: 0.0398, sigma: 0.5751, rho: -0.5711, v0: 0.0175 };
  assert.equal(fellerHolds(p), false);
  // The published value comes from Carr-Madan with N = 2^17; it is good to about 2e-8.
  close(hestonPrice('call', p, 100, 1), 5.78515545, 3e-8);
});

test('Heston integration is converged: a finer rule agrees to 1e-10', () => {
  for (const T of [0.05, 1, 5]) {
    for (const K of [80, 100, 125]) close(hestonPrice('call', DEFAULT_HESTON, K, T), hestonPrice('call', DEFAULT_HESTON, K, T, { points: 64, width: 0.25 }), 1e-10, `T=${T} K=${K}`);
  }
});

test('Heston characteristic function is 1 at u = 0 and at u = -i (martingale)', () => {
  const phi = hestonCharFn(DEFAULT_HESTON, 2);
  const a0 = phi({ re: 0, im: 0 });
  close(a0.re, 1, 1e-14);
  const a1 = phi({ re: 1, im: 0 });
  close(a1.re, 1, 1e-12);
  close(a1.im, 0, 1e-12);
});

test('Heston tends to Black-Scholes with vol sqrt(theta) as sigma -> 0 with v0 = theta', () => {
  const base = { s0: 100, r: 0.03, q: 0, kappa: 2, theta: 0.04, v0: 0.04, rho: -0.5 };
  const gap = (sigma: number) => Math.abs(hestonPrice('call', { ...base, sigma }, 105, 1) - blackScholes('call', 100, 105, 1, 0.03, 0, 0.2));
  const g1 = gap(1e-2);
  const g2 = gap(1e-3);
  assert.ok(g2 < 1e-3, `gap ${g2}`);
  assert.ok(g2 < g1 / 5, `gap must shrink: ${g1} -> ${g2}`);
});

test('Merton with zero jump intensity equals Black-Scholes', () => {
  const p = { ...DEFAULT_MERTON, lambda: 0 };
  for (const K of [80, 100, 120]) {
    close(mertonPrice('call', p, K, 1), blackScholes('call', 100, K, 1, p.r, p.q, p.sigma), 1e-14);
    close(mertonPrice('put', p, K, 1), blackScholes('put', 100, K, 1, p.r, p.q, p.sigma), 1e-14);
  }
});

test('Merton series agrees with the Fourier price to 1e-9', () => {
  for (const T of [0.25, 1, 3]) for (const K of [80, 100, 120]) close(mertonPrice('call', DEFAULT_MERTON, K, T), mertonFourierPrice('call', DEFAULT_MERTON, K, T), 1e-9, `T=${T} K=${K}`);
});

test('Bates with zero jumps equals Heston', () => {
  const p = { ...DEFAULT_BATES, lambda: 0 };
  for (const K of [80, 100, 120]) close(batesPrice('call', p, K, 0.5), hestonPrice('call', p, K, 0.5), 1e-13);
});

test('Bates jumps move the price (the jump part is not ignored)', () => {
  assert.ok(Math.abs(batesPrice('put', DEFAULT_BATES, 80, 1) - hestonPrice('put', DEFAULT_BATES, 80, 1)) > 1e-3);
});

test('put-call parity holds for every pricer', () => {
  const T = 0.75;
  const fwd = (p: { s0: number; r: number; q: number }, K: number) => p.s0 * Math.exp(-p.q * T) - K * Math.exp(-p.r * T);
  const gbm = { s0: 100, r: 0.04, q: 0.01, sigma: 0.3 };
  const merton = { ...DEFAULT_MERTON, q: 0.01 };
  const heston = { ...DEFAULT_HESTON, q: 0.01 };
  const bates = { ...DEFAULT_BATES, q: 0.01 };
  for (const K of [80, 95, 100, 110, 120]) {
    close(gbmPrice('call', gbm, K, T) - gbmPrice('put', gbm, K, T), fwd(gbm, K), 1e-12, 'gbm');
    close(mertonPrice('call', merton, K, T) - mertonPrice('put', merton, K, T), fwd(merton, K), 1e-10, 'merton');
    close(hestonPrice('call', heston, K, T) - hestonPrice('put', heston, K, T), fwd(heston, K), 1e-12, 'heston');
    close(batesPrice('call', bates, K, T) - batesPrice('put', bates, K, T), fwd(bates, K), 1e-12, 'bates');
  }
});

test('bad parameters are rejected with an error naming the field', () => {
  assert.throws(() => hestonPrice('call', { ...DEFAULT_HESTON, rho: 1.5 }, 100, 1), (e: unknown) => e instanceof ConfigError && /heston\.rho/.test(e.message));
  assert.throws(() => mertonPrice('call', { ...DEFAULT_MERTON, lambda: -1 }, 100, 1), (e: unknown) => e instanceof ConfigError && /merton\.lambda/.test(e.message));
  assert.throws(() => gbmPrice('call', { s0: 100, r: 0, q: 0, sigma: Number.NaN }, 100, 1), (e: unknown) => e instanceof ConfigError && /gbm\.sigma/.test(e.message));
  assert.throws(() => batesPrice('call', DEFAULT_BATES, 100, 0), (e: unknown) => e instanceof ConfigError && /option\.maturity/.test(e.message));
});
