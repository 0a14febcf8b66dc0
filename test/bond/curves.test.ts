import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SvenssonCurve } from '../../src/assets/bond/svensson.ts';
import { NelsonSiegelCurve } from '../../src/assets/bond/nelson-siegel.ts';
import { ZeroCurve } from '../../src/assets/bond/curve.ts';
import { LinearInterpolator, MonotoneCubicInterpolator } from '../../src/assets/bond/interpolation.ts';
import { bootstrapParCurve, tenorYears } from '../../src/assets/bond/bootstrap.ts';
import { priceFromCurve } from '../../src/assets/bond/curve-pricing.ts';
import { Bond } from '../../src/assets/bond/bond.ts';
import { BondInputError } from '../../src/assets/bond/errors.ts';

const near = (a: number, b: number, tol: number, what = '') => assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b}`);

/**
 * One published row of the Federal Reserve's nominal yield curve (Gurkaynak, Sack and Wright 2007,
 * "The U.S. Treasury yield curve: 1961 to the present", table feds200628.csv at
 * federalreserve.gov/data/yield-curve-tables/feds200628.csv), date 2026-03-06, as stored in the public
 * repository pfingold/p14_gurkaynak_sack_wright_2007 (docs/_sources/dataframes/P1/fed_yield_curve_all.md).
 * Yields in percent, printed to 4 decimals.
 */
const GSW_2026_03_06 = {
  BETA0: 0.000118558051341,
  BETA1: 3.65507972187386,
  BETA2: -3.657398577533,
  BETA3: 16.4827863321283,
  TAU1: 5.33457685733225,
  TAU2: 14.4318194852304,
};
const SVENY = [3.5756, 3.554, 3.5758, 3.6294, 3.7053, 3.7961, 3.8958, 4.0, 4.1049, 4.2079, 4.3069, 4.4005, 4.4874, 4.5672, 4.6392, 4.7034, 4.7596, 4.8079, 4.8486, 4.882, 4.9082, 4.9278, 4.941, 4.9482, 4.9499, 4.9464, 4.9382, 4.9256, 4.9089, 4.8885];
const SVENPY = [3.608, 3.5862, 3.6074, 3.659, 3.7312, 3.8162, 3.9081, 4.0022, 4.0953, 4.1849, 4.2693, 4.3475, 4.4188, 4.483, 4.54, 4.5901, 4.6334, 4.6705, 4.7017, 4.7275, 4.7484, 4.7647, 4.777, 4.7856, 4.7909, 4.7933, 4.793, 4.7905, 4.7859, 4.7795];
const SVENF = [3.5277, 3.5586, 3.6942, 3.8939, 4.1275, 4.3729, 4.6143, 4.8405, 5.0442, 5.2209, 5.3682, 5.4852, 5.5722, 5.6302, 5.6609, 5.6661, 5.648, 5.6089, 5.5511, 5.4766, 5.3878, 5.2865, 5.1747, 5.0541, 4.9262, 4.7926, 4.6546, 4.5133, 4.3698, 4.225];
const SVEN1F = { 1: 3.5637, 4: 4.0487, 9: 5.2008 };

test('Svensson curve from the Fed GSW parameters of 2026-03-06 gives the published SVENY, SVENPY, SVENF and SVEN1F to 4 decimals', () => {
  const c = SvenssonCurve.fromGsw(GSW_2026_03_06);
  const half = 0.5e-4 + 1e-9;
  for (let n = 1; n <= 30; n++) {
    near(c.zeroRate(n) * 100, SVENY[n - 1]!, half, `SVENY${n}`);
    near(c.parYield(n, 2) * 100, SVENPY[n - 1]!, half, `SVENPY${n}`);
    near(c.instantaneousForward(n) * 100, SVENF[n - 1]!, half, `SVENF${n}`);
  }
  for (const [n, v] of Object.entries(SVEN1F)) near(c.forwardParYield(Number(n), 1, 2) * 100, v, half, `SVEN1F${n}`);
  // consistency of the derived quantities
  near(c.discount(10), Math.exp(-c.zeroRate(10) * 10), 1e-15, 'discount');
  near(c.forwardRate(9.999, 10.001), c.instantaneousForward(10), 1e-8, 'forward');
  near(c.zeroRateCompounded(10, 2), 2 * (Math.exp(c.zeroRate(10) / 2) - 1), 1e-14, 'semiannual zero');
});

test('Nelson-Siegel: short end beta0 + beta1, long end beta0, forward = d(z t)/dt; NS rows of the GSW table', () => {
  const ns = new NelsonSiegelCurve({ beta0: 0.05, beta1: -0.02, beta2: 0.01, tau: 2 });
  near(ns.zeroRate(0), 0.03, 1e-15, 'z(0)');
  near(ns.instantaneousForward(0), 0.03, 1e-15, 'f(0)');
  near(ns.zeroRate(1e4), 0.05, 1e-5, 'z(inf)');
  const h = 1e-6;
  for (const t of [0.5, 3, 10]) near(ns.instantaneousForward(t), ((t + h) * ns.zeroRate(t + h) - (t - h) * ns.zeroRate(t - h)) / (2 * h), 1e-8, `f(${t})`);
  near(ns.forwardRateSimple(1, 2), ns.discount(1) / ns.discount(2) - 1, 1e-15, 'simple forward');
  // a pre-1980 GSW row is Nelson-Siegel: BETA3 and TAU2 published as -999.99
  const c = SvenssonCurve.fromGsw({ BETA0: 5, BETA1: -2, BETA2: 1, BETA3: -999.99, TAU1: 2, TAU2: -999.99 });
  near(c.zeroRate(7), ns.zeroRate(7), 1e-15, 'NS row');
  assert.throws(() => new NelsonSiegelCurve({ beta0: 0.05, beta1: NaN, beta2: 0, tau: 1 }), /nelsonSiegel\.beta1: expected a finite number/);
  assert.throws(() => new SvenssonCurve({ beta0: 0.05, beta1: 0, beta2: 0, beta3: 0, tau1: 1, tau2: 0 }), /svensson\.tau2: must be > 0/);
});

test('interpolation: linear exact, monotone cubic through the nodes, monotone, C1, flat outside', () => {
  const xs = [0.25, 0.5, 1, 2, 5, 10, 30];
  const ys = [0.052, 0.0515, 0.05, 0.045, 0.044, 0.0441, 0.047];
  const lin = new LinearInterpolator(xs, ys);
  near(lin.value(1.5), 0.0475, 1e-15, 'linear midpoint');
  assert.equal(lin.value(0.1), 0.052);
  assert.equal(lin.value(40), 0.047);
  const mc = new MonotoneCubicInterpolator(xs, ys);
  xs.forEach((x, i) => near(mc.value(x), ys[i]!, 1e-15, `node ${i}`));
  // monotone between nodes: stays within each interval's end values (no overshoot)
  for (let i = 0; i < xs.length - 1; i++) {
    const lo = Math.min(ys[i]!, ys[i + 1]!);
    const hi = Math.max(ys[i]!, ys[i + 1]!);
    let prev = mc.value(xs[i]!);
    for (let k = 1; k <= 50; k++) {
      const v = mc.value(xs[i]! + ((xs[i + 1]! - xs[i]!) * k) / 50);
      assert.ok(v >= lo - 1e-15 && v <= hi + 1e-15, `overshoot in interval ${i}`);
      assert.ok(ys[i + 1]! >= ys[i]! ? v >= prev - 1e-15 : v <= prev + 1e-15, `not monotone in interval ${i}`);
      prev = v;
    }
  }
  // C1: derivative continuous at interior nodes
  for (let i = 1; i < xs.length - 1; i++) near(mc.derivative(xs[i]! - 1e-9), mc.derivative(xs[i]! + 1e-9), 1e-6, `C1 at ${xs[i]}`);
});

test('bad curve input names the index: unsorted tenors, negative tenors, NaN rates', () => {
  const err = (re: RegExp) => (e: unknown) => e instanceof BondInputError && re.test(e.message);
  assert.throws(() => new ZeroCurve([1, 5, 2], [0.04, 0.045, 0.05]), err(/^tenors\[2\]: 2 is not greater than tenors\[1\] = 5/));
  assert.throws(() => new ZeroCurve([-1, 2], [0.04, 0.05]), err(/^tenors\[0\]: must be > 0, got -1/));
  assert.throws(() => new ZeroCurve([1, 2], [0.04, NaN]), err(/^zeroRates\[1\]: expected a finite number, got NaN/));
  assert.throws(() => new ZeroCurve([1, 2], [0.04]), err(/zeroRates: has 1 values for 2 tenors/));
  assert.throws(() => bootstrapParCurve([{ tenor: '2Y', yield: 0.04 }, { tenor: '1Y', yield: 0.04 }]), err(/^quotes\[1\]\.tenor: 1 years is not longer than quotes\[0\]\.tenor = 2 years/));
  assert.throws(() => bootstrapParCurve([{ tenor: '1Y', yield: NaN }]), err(/^quotes\[0\]\.yield: expected a finite number, got NaN/));
  assert.throws(() => bootstrapParCurve([{ tenor: '-3M', yield: 0.04 }]), err(/^quotes\[0\]\.tenor/));
  assert.throws(() => bootstrapParCurve([{ tenor: 2.3, yield: 0.04 }]), err(/whole number of coupon periods/));
  assert.throws(() => new SvenssonCurve({ beta0: 0.04, beta1: 0, beta2: 0, beta3: 0, tau1: 1, tau2: 1 }).discount(-1), err(/^t: expected a time in years >= 0/));
  assert.equal(tenorYears('13W'), 91 / 365);
  assert.equal(tenorYears('6M'), 0.5);
});

test('bootstrap: a flat 4% par curve gives the flat zero rate 2 ln(1.02) from 6 months on', () => {
  const tenors = ['1M', '3M', '6M', '1Y', '2Y', '3Y', '5Y', '7Y', '10Y', '20Y', '30Y'];
  for (const method of ['linear', 'monotone-cubic'] as const) {
    const curve = bootstrapParCurve(tenors.map((tenor) => ({ tenor, yield: 0.04 })), { method });
    for (let i = 2; i < tenors.length; i++) near(curve.zeroRates[i]!, 2 * Math.log(1.02), 1e-12, `${method} ${tenors[i]}`);
    near(curve.zeroRates[0]!, -Math.log(1 / (1 + 0.04 / 12)) * 12, 1e-15, 'bill 1M');
  }
});

test('bootstrap: the Treasury par yield curve of 2024-09-03 and a full curve reprice every quote at par', () => {
  // home.treasury.gov daily par yield curve rates, 2024-09-03: 1M 5.38, 2M 5.31, 3M 5.19, 4M 5.10, 6M 4.80, 1Y 4.35, 2Y 3.88
  const real = [
    ['1M', 5.38], ['2M', 5.31], ['3M', 5.19], ['4M', 5.1], ['6M', 4.8], ['1Y', 4.35], ['2Y', 3.88],
  ] as const;
  // a full illustrative curve (not a published one) for the long end
  const full = [...real, ['3Y', 3.75], ['5Y', 3.7], ['7Y', 3.8], ['10Y', 3.9], ['20Y', 4.3], ['30Y', 4.2]] as const;
  for (const quotes of [real, full]) {
    for (const method of ['linear', 'monotone-cubic'] as const) {
      const curve = bootstrapParCurve(quotes.map(([tenor, y]) => ({ tenor, yield: y / 100 })), { method });
      for (const [tenor, y] of quotes) {
        const T = tenorYears(tenor);
        const yy = y / 100;
        if (T <= 0.5) near(curve.discount(T), 1 / (1 + yy * T), 1e-13, `${method} bill ${tenor}`);
        else if (T <= 1) near(curve.discount(T), 1 / ((1 + yy / 2) * (1 + yy * (T - 0.5))), 1e-13, `${method} bill ${tenor}`);
        else near(curve.parYield(T, 2), yy, 1e-12, `${method} par ${tenor}`);
      }
    }
  }
});

test('pricing off a curve: a zero-coupon bond discounts at the curve; a spread is a parallel shift', () => {
  const curve = new ZeroCurve([1, 10], [0.04, 0.04], 'linear');
  const zero = Bond.from({ kind: 'zero', issue: '2026-01-15', maturity: '2031-01-15' }); // a Wednesday
  const p = priceFromCurve(zero, curve, '2026-03-02');
  const t = (zero.maturity - zero.issue - 46) / 365.25;
  near(p.dirtyPrice, 100 * Math.exp(-0.04 * t), 1e-12, 'zero');
  assert.equal(p.accruedInterest, 0);
  near(priceFromCurve(zero, curve, '2026-03-02', { spread: 0.01 }).dirtyPrice, priceFromCurve(zero, curve.shifted(100), '2026-03-02').dirtyPrice, 1e-12, 'spread');
  // a coupon bond off a flat curve at its continuously compounded yield is near its yield price
  const note = Bond.from({ coupon: 0.04, issue: '2026-01-15', maturity: '2036-01-15' });
  const c = priceFromCurve(note, new ZeroCurve([1], [2 * Math.log(1.02)]), '2026-01-15', { yearDays: 365.25 });
  near(c.cleanPrice, 100, 0.05, 'near par');
});
