import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/core/errors.ts';
import { CouponBondPricer } from '../../src/assets/bond/dynamics/coupon-bond-pricer.ts';
import { YEAR_US } from '../../src/assets/bond/dynamics/curve-dynamics.ts';

const us = (y: number, m: number, d: number): number => Date.UTC(y, m - 1, d) * 1000;
const flat = (r: number) => ({ discount: (tau: number) => Math.exp(-r * tau) });

test('coupon dates step back from maturity by whole months, with the end-of-month rule', () => {
  const iso = (t: number): string => new Date(t / 1000).toISOString().slice(0, 10);
  const nov15 = new CouponBondPricer({ couponRate: 0.0425, maturity: us(2036, 11, 15) });
  assert.deepEqual([0, 1, 2, 3].map((k) => iso(nov15.couponDate(k))), ['2036-11-15', '2036-05-15', '2035-11-15', '2035-05-15']);
  const feb = new CouponBondPricer({ couponRate: 0.04, maturity: us(2031, 2, 28) }); // Feb 28 2031 is a month end
  assert.deepEqual([0, 1, 2, 3].map((k) => iso(feb.couponDate(k))), ['2031-02-28', '2030-08-31', '2030-02-28', '2029-08-31']);
  const aug31 = new CouponBondPricer({ couponRate: 0.04, maturity: us(2030, 8, 31), frequency: 4 });
  assert.deepEqual([1, 2, 3].map((k) => iso(aug31.couponDate(k))), ['2030-05-31', '2030-02-28', '2029-11-30']);
});

test('accrued interest is ACT/ACT (ICMA) and dirty = sum of discounted cash flows', () => {
  const p = new CouponBondPricer({ couponRate: 0.05, maturity: us(2028, 11, 15) });
  // 2026-08-15: 92 days into the 184-day period 2026-05-15 .. 2026-11-15.
  const t = us(2026, 8, 15);
  p.price(flat(0.04), t);
  assert.ok(Math.abs(p.accrued - (2.5 * 92) / 184) < 1e-12, `${p.accrued}`);
  const cfs = [us(2026, 11, 15), us(2027, 5, 15), us(2027, 11, 15), us(2028, 5, 15), us(2028, 11, 15)];
  const dirty = cfs.reduce((s, c, i) => s + (i === cfs.length - 1 ? 102.5 : 2.5) * Math.exp((-0.04 * (c - t)) / YEAR_US), 0);
  assert.ok(Math.abs(p.dirty - dirty) < 1e-10);
  assert.ok(Math.abs(p.clean - (dirty - p.accrued)) < 1e-12);
  // On a coupon date nothing has accrued.
  p.price(flat(0.04), us(2027, 5, 15));
  assert.equal(p.accrued, 0);
});

test('pricing at or after maturity, and bad bonds, are errors', () => {
  const p = new CouponBondPricer({ couponRate: 0.05, maturity: us(2028, 11, 15) });
  assert.throws(() => p.price(flat(0.04), us(2028, 11, 15)), /bond matured/);
  assert.throws(() => new CouponBondPricer({ couponRate: -0.01, maturity: us(2030, 1, 1) }), (e: unknown) => e instanceof ConfigError && /bond\.couponRate/.test(e.message));
  assert.throws(() => new CouponBondPricer({ couponRate: 0.01, maturity: us(2030, 1, 1), frequency: 3 as 2 }), /bond\.frequency/);
});
