import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.ts';
import { ConfigError } from '../../src/core/errors.ts';
import { CreditSpreadProcess, CreditStep, SpreadCurve } from '../../src/assets/bond/credit-spread.ts';
import { creditEventToNews, simulateCredit } from '../../src/assets/bond/credit-events.ts';
import { CREDIT_RATINGS, DEFAULT_SPREAD_BP, letterRating } from '../../src/assets/bond/credit-ratings.ts';
import { YEAR_US } from '../../src/assets/bond/dynamics/curve-dynamics.ts';

const NO_DOWNGRADES = Object.fromEntries(CREDIT_RATINGS.map((r) => [r, 0]));

test('constant spread: P(default by T) = 1 - exp(-lambda T), lambda = s / (1 - R), within 3 SE', () => {
  const proc = new CreditSpreadProcess({ rating: 'BB', recovery: 0.4, sigma: 0, jumpRate: 0, downgradeRate: NO_DOWNGRADES }, new Rng(1, 'credit-const'));
  const lambda = 0.022 / 0.6;
  assert.ok(Math.abs(proc.hazard - lambda) < 1e-15);
  const N = 20_000;
  const horizons = [1, 5, 10];
  const counts = [0, 0, 0];
  for (let i = 0; i < N; i++) {
    proc.reset();
    for (let k = 0; k < 40; k++) proc.step(0.25); // a constant hazard is integrated exactly at any step
    horizons.forEach((T, j) => {
      if (proc.defaulted && proc.defaultTime <= T) counts[j]!++;
    });
  }
  horizons.forEach((T, j) => {
    const p = 1 - Math.exp(-lambda * T);
    const se = Math.sqrt((p * (1 - p)) / N);
    const hat = counts[j]! / N;
    assert.ok(Math.abs(hat - p) < 3 * se, `T=${T}: ${hat} vs ${p} (se ${se})`);
  });
});

test('stochastic spread with jumps: default frequency = E[1 - exp(-int lambda)] within 3 SE', () => {
  const proc = new CreditSpreadProcess({ rating: 'B', sigma: 0.5, jumpRate: 2, jumpMean: 0.2, jumpSd: 0.2, downgradeRate: NO_DOWNGRADES }, new Rng(2, 'credit-stoch'));
  const N = 10_000;
  let sumD = 0;
  let sumD2 = 0;
  let freq = 0;
  for (let i = 0; i < N; i++) {
    proc.reset();
    for (let k = 0; k < 60; k++) proc.step(1 / 12);
    const ind = proc.defaulted ? 1 : 0;
    freq += ind;
    const d = ind - (1 - Math.exp(-proc.cumulativeHazard));
    sumD += d;
    sumD2 += d * d;
  }
  const mean = sumD / N;
  const se = Math.sqrt((sumD2 / N - mean * mean) / N);
  assert.ok(freq / N > 0.1, 'a B issuer defaults often enough over 5 years for the test to have power');
  assert.ok(Math.abs(mean) < 3 * se, `difference ${mean} (se ${se})`);
});

test('log-spread OU with jumps: stationary mean ln(sBar) and variance sigma^2/(2k) + rate E[J^2]/(2k)', () => {
  for (const jumps of [false, true]) {
    const proc = new CreditSpreadProcess(
      { rating: 'BBB', kappa: 2, sigma: 0.4, jumpRate: jumps ? 3 : 0, jumpMean: 0.15, jumpSd: 0.1, downgradeRate: NO_DOWNGRADES, recovery: 0.4 },
      new Rng(3, `credit-ou-${jumps}`),
    );
    const { mean, variance } = proc.stationaryLogMoments();
    assert.ok(Math.abs(mean - Math.log(DEFAULT_SPREAD_BP.BBB)) < 1e-12);
    const N = 20_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < N; i++) {
      proc.reset();
      for (let k = 0; k < 8; k++) proc.step(0.75); // 6 years = 12 / kappa: memory e^-12
      s += proc.logSpread;
      s2 += proc.logSpread * proc.logSpread;
    }
    const m = s / N;
    const v = s2 / N - m * m;
    assert.ok(Math.abs(m - mean) < 4 * Math.sqrt(variance / N), `jumps=${jumps}: mean ${m} vs ${mean}`);
    assert.ok(Math.abs(v / variance - 1) < 0.06, `jumps=${jumps}: variance ${v} vs ${variance}`);
  }
});

test('downgrades move the rating one notch and widen the spread; default settles at recovery * 100', () => {
  const proc = new CreditSpreadProcess(
    { rating: 'BBB', sigma: 0, jumpRate: 0, downgradeJump: 1, downgradeRate: { ...NO_DOWNGRADES, BBB: 50 }, recovery: 0.35 },
    new Rng(4, 'credit-down'),
  );
  let r: CreditStep = CreditStep.None;
  for (let i = 0; i < 100 && r !== CreditStep.Downgrade; i++) r = proc.step(1 / 252);
  assert.equal(r, CreditStep.Downgrade);
  assert.equal(proc.previousRating, 'BBB');
  assert.equal(proc.rating, 'BB');
  // downgradeJump 1 with sigma 0 and no jumps: the spread is at the BB level at once.
  assert.ok(Math.abs(proc.spreadBp - DEFAULT_SPREAD_BP.BB) < 1e-9);
  assert.equal(proc.settlementPrice, 35);

  const ccc = new CreditSpreadProcess({ rating: 'CCC', initialSpreadBp: 5000, sigma: 0, jumpRate: 0, downgradeRate: NO_DOWNGRADES }, new Rng(5, 'ccc'));
  const start = Date.UTC(2026, 0, 5) * 1000;
  const path = simulateCredit(ccc, 'XYZ 7% 2031', start, start + 20 * YEAR_US, 86_400_000_000);
  const def = path.events.find((e) => e.type === 'default');
  assert.ok(def, 'a 5000 bp CCC issuer defaults within 20 years on this seed');
  assert.equal(def.settlementPrice, 40);
  assert.equal(path.events.filter((e) => e.type === 'default').length, 1);
  const news = creditEventToNews(def, undefined);
  assert.equal(news.kind, 'news');
  assert.equal(news.sentiment, -1);
  assert.match(news.headline, /defaults; bonds settle at recovery 40\.00 per 100/);
  assert.equal(news.credit, def);
});

test('SpreadCurve discounts at the base curve times exp(-s tau)', () => {
  const base = { discount: (tau: number) => Math.exp(-0.04 * tau) };
  const c = new SpreadCurve(base);
  c.spreadBp = 150;
  assert.ok(Math.abs(c.discount(5) - Math.exp(-0.055 * 5)) < 1e-15);
});

test('credit parameters: bad values throw ConfigError naming the field', () => {
  assert.throws(() => new CreditSpreadProcess({ rating: 'BB', recovery: 1 }, new Rng(1)), (e: unknown) => e instanceof ConfigError && /credit\.recovery: must be in \[0, 1\)/.test(e.message));
  assert.throws(() => new CreditSpreadProcess({ rating: 'D' as 'BB' }, new Rng(1)), (e: unknown) => e instanceof ConfigError && /credit\.rating/.test(e.message));
  assert.throws(() => new CreditSpreadProcess({ rating: 'A', spreadBp: { A: -5 } }, new Rng(1)), /credit\.spreadBp\.A: must be > 0/);
});

test('letterRating maps notched ratings to the letter scale', () => {
  assert.equal(letterRating('AA+'), 'AA');
  assert.equal(letterRating('BBB-'), 'BBB');
  assert.equal(letterRating('CC'), 'CCC');
  assert.equal(letterRating('A'), 'A');
  assert.equal(letterRating('D'), undefined);
  assert.equal(letterRating('Z'), undefined);
});
