import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Bond } from '../../src/assets/bond/bond.ts';
import { dayFromIso, isoFromDay } from '../../src/assets/bond/civil-date.ts';
import { BondInputError } from '../../src/assets/bond/errors.ts';
import { cleanPriceFromYield, dirtyPriceFromYield, yieldFromCleanPrice, yieldFromDirtyPrice } from '../../src/assets/bond/price-yield.ts';
import { analyticsFromCleanPrice, analyticsFromYield } from '../../src/assets/bond/risk.ts';
import { treasury10YearNote } from '../../src/assets/bond/instruments.ts';

const near = (actual: number, expected: number, tol: number, what = '') =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what} ${actual} vs ${expected} (tol ${tol})`);

// Worked examples from Microsoft's documentation of Excel's bond functions
// (support.microsoft.com: PRICE, YIELD, DURATION, MDURATION, COUPDAYBS, COUPDAYS, COUPDAYSNC).
test('Excel PRICE example: 5.75% 2017-11-15, settle 2008-02-15, yield 6.5%, 30/360 -> 94.6343616213221', () => {
  const b = Bond.from({ kind: 'corporate', rating: 'A', coupon: 0.0575, issue: '2007-11-15', maturity: '2017-11-15', dayCount: '30/360' });
  near(cleanPriceFromYield(b, 0.065, '2008-02-15'), 94.6343616213221, 1e-10, 'PRICE');
});

test('Excel YIELD example: 5.75% 2016-11-15 at 95.04287, settle 2008-02-15, 30/360 -> 6.5%', () => {
  const b = Bond.from({ kind: 'corporate', rating: 'A', coupon: 0.0575, issue: '2007-11-15', maturity: '2016-11-15', dayCount: '30/360' });
  // the price is printed to 5 decimals, so the yield is 6.5% to about 1e-7
  near(yieldFromCleanPrice(b, 95.04287, '2008-02-15'), 0.065, 1e-7, 'YIELD');
});

test('Excel DURATION / MDURATION example: 8% 2016-01-01, settle 2008-01-01, yield 9%, ACT/ACT -> 5.993775 / 5.73567', () => {
  const b = Bond.from({ coupon: 0.08, issue: '2006-01-01', maturity: '2016-01-01' });
  const a = analyticsFromYield(b, 0.09, '2008-01-01');
  near(a.macaulayDuration, 5.993775, 5e-7, 'DURATION');
  near(a.modifiedDuration, 5.73567, 5e-6, 'MDURATION');
});

test('Excel COUPDAYBS / COUPDAYS / COUPDAYSNC example: settle 2007-01-25, maturity 2008-11-15 -> 71, 181, 110 days', () => {
  const b = Bond.from({ coupon: 0.05, issue: '2006-11-15', maturity: '2008-11-15' });
  const s = dayFromIso('2007-01-25');
  const i = b.periodIndex(s);
  assert.equal(s - b.previousCouponDate(s), 71);
  assert.equal(b.nextCouponDate(s) - b.previousCouponDate(s), 181);
  assert.equal(b.nextCouponDate(s) - s, 110);
  // 31 CFR 356 Appendix B I.A.2: accrued = half-year's interest * days / days in the half-year
  near(b.accruedInterest(s), 2.5 * (71 / 181), 1e-14, 'accrued');
  near(b.periodsToCoupon(i, s), 110 / 181, 1e-14, 'w');
});

test('street convention at par: yield = coupon prices at 100 on a coupon date; the 10-year note constructor', () => {
  const note = treasury10YearNote('2025-11-15', 0.04);
  assert.equal(note.spec.symbol, 'US10Y');
  assert.equal(note.spec.maturity, '2035-11-15');
  assert.equal(note.periods.length, 20);
  assert.ok(note.couponAmounts.every((c) => c === 2));
  near(cleanPriceFromYield(note, 0.04, '2026-05-15'), 100, 1e-12, 'par');
  near(cleanPriceFromYield(note, 0.04, '2025-11-15'), 100, 1e-12, 'par at issue');
  near(yieldFromCleanPrice(note, 100, '2030-11-15'), 0.04, 1e-14, 'par yield');
  // cash flows: 20 coupons of 2 per 100, payment on business days, principal with the last
  const cf = note.cashflows('2035-06-01');
  assert.deepEqual(cf, [{ paymentDate: '2035-11-15', couponDate: '2035-11-15', interest: 2, principal: 100, amount: 102 }]);
  assert.equal(note.cashflows().find((c) => c.couponDate === '2026-11-15')!.paymentDate, '2026-11-16');
});

test('accrued interest across a coupon date: grows to a half coupon, drops to 0; the clean price does not jump', () => {
  const note = treasury10YearNote('2025-11-15', 0.045);
  const before = dayFromIso('2026-05-14');
  const on = dayFromIso('2026-05-15');
  near(note.accruedInterest(before), 2.25 * (180 / 181), 1e-13, 'day before');
  assert.equal(note.accruedInterest(on), 0);
  near(note.accruedInterest('2026-05-16'), 2.25 / 184, 1e-15, 'day after'); // May 15 - Nov 15 has 184 days
  const y = 0.043;
  const cleanJump = cleanPriceFromYield(note, y, on) - cleanPriceFromYield(note, y, before);
  const dirtyJump = dirtyPriceFromYield(note, y, on) - dirtyPriceFromYield(note, y, before);
  assert.ok(Math.abs(cleanJump) < 0.002, `clean jump ${cleanJump}`);
  near(dirtyJump, -2.25 + (101 * 0.043) / 365, 0.002, 'dirty price drops by the coupon, less a day of carry');
});

test('duration, convexity and DV01 agree with finite differences of the price', () => {
  const note = treasury10YearNote('2025-11-15', 0.0425);
  const s = '2026-11-25';
  const y = 0.041;
  const a = analyticsFromYield(note, y, s);
  const h = 1e-5;
  const up = dirtyPriceFromYield(note, y + h, s);
  const dn = dirtyPriceFromYield(note, y - h, s);
  near(a.modifiedDuration, -(up - dn) / (2 * h) / a.dirtyPrice, 1e-6, 'modified');
  near(a.convexity, (up - 2 * a.dirtyPrice + dn) / (h * h) / a.dirtyPrice, 1e-3, 'convexity');
  near(a.dv01, (dn - up) / (2 * h) * 1e-4, 1e-9, 'dv01');
  near(a.macaulayDuration, a.modifiedDuration * (1 + y / 2), 1e-12, 'macaulay');
  // simple last period (SIFMA / Excel money-market convention) for a bond inside its final period
  const last = Bond.from({ kind: 'corporate', rating: 'AA', coupon: 0.06, issue: '2020-03-01', maturity: '2026-09-01', dayCount: '30/360', lastPeriod: 'simple' });
  const al = analyticsFromYield(last, 0.05, '2026-06-01');
  const w = 90 / 180;
  near(al.dirtyPrice, 103 / (1 + (w * 0.05) / 2), 1e-12, 'simple last period');
  near(al.macaulayDuration, w / 2, 1e-14, 'macaulay simple');
  const up2 = dirtyPriceFromYield(last, 0.05 + h, '2026-06-01');
  const dn2 = dirtyPriceFromYield(last, 0.05 - h, '2026-06-01');
  near(al.modifiedDuration, -(up2 - dn2) / (2 * h) / al.dirtyPrice, 1e-8, 'modified simple');
  near(al.convexity, (up2 - 2 * al.dirtyPrice + dn2) / (h * h) / al.dirtyPrice, 1e-3, 'convexity simple');
});

test('property: price -> yield -> price and yield -> price -> yield round trips within 1e-10', () => {
  const base = dayFromIso('2020-01-01');
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 1500 }), // coupon in basis points
      fc.integer({ min: 1, max: 60 }), // half-years to maturity from the anchor
      fc.integer({ min: 0, max: 3000 }), // days after issue to settle (capped below maturity)
      fc.double({ min: -0.01, max: 0.2, noNaN: true }),
      fc.constantFrom<'ACT/ACT' | '30/360' | 'ACT/360' | 'ACT/365F'>('ACT/ACT', '30/360', 'ACT/360', 'ACT/365F'),
      fc.constantFrom<1 | 2 | 4 | 12>(1, 2, 4, 12),
      (bp, halfYears, settleAfter, y, dayCount, frequency) => {
        const issue = isoFromDay(base + 17);
        const maturity = isoFromDay(base + 17 + Math.round(halfYears * 182.6) + 3);
        const b = Bond.from({ kind: 'corporate', rating: 'BBB', coupon: bp / 10000, issue, maturity, dayCount, frequency });
        const settle = Math.min(base + 17 + settleAfter, b.maturity - 1);
        const clean = cleanPriceFromYield(b, y, settle);
        const y2 = yieldFromCleanPrice(b, clean, settle);
        const clean2 = cleanPriceFromYield(b, y2, settle);
        assert.ok(Math.abs(clean2 - clean) <= 1e-10, `price round trip ${clean} -> ${y2} -> ${clean2}`);
        assert.ok(Math.abs(y2 - y) <= 1e-10, `yield round trip ${y} -> ${clean} -> ${y2}`);
        const dirty = dirtyPriceFromYield(b, y, settle);
        assert.ok(Math.abs(yieldFromDirtyPrice(b, dirty, settle) - y) <= 1e-10);
      },
    ),
    { numRuns: 250, seed: 20261125 },
  );
});

test('analytics from a clean price reproduce the price and the yield', () => {
  const note = treasury10YearNote('2025-11-15', 0.0425);
  const a = analyticsFromCleanPrice(note, 101.25, '2026-11-25');
  assert.equal(a.cleanPrice, 101.25);
  near(cleanPriceFromYield(note, a.yield, '2026-11-25'), 101.25, 1e-10, 'round trip');
});

test('bad input: maturity before settlement, settle before issue, NaN yield, yield <= -f, bad prices', () => {
  const note = treasury10YearNote('2025-11-15', 0.04);
  const isBond = (re: RegExp) => (e: unknown) => e instanceof BondInputError && e.code === 'BOND_INPUT' && re.test(e.message);
  assert.throws(() => cleanPriceFromYield(note, 0.04, '2035-11-15'), isBond(/^settle: maturity 2035-11-15 must be after settlement 2035-11-15/));
  assert.throws(() => cleanPriceFromYield(note, 0.04, '2036-01-02'), isBond(/maturity 2035-11-15 must be after settlement 2036-01-02/));
  assert.throws(() => cleanPriceFromYield(note, 0.04, '2025-11-01'), isBond(/before the issue/));
  assert.throws(() => cleanPriceFromYield(note, NaN, '2026-01-02'), isBond(/^yield: expected a finite number, got NaN/));
  assert.throws(() => cleanPriceFromYield(note, -2, '2026-01-02'), isBond(/^yield: must be greater than -2/));
  assert.throws(() => yieldFromCleanPrice(note, NaN, '2026-01-02'), isBond(/^price: expected a finite price > 0/));
  assert.throws(() => yieldFromCleanPrice(note, -5, '2026-01-02'), isBond(/^price/));
  assert.throws(() => cleanPriceFromYield(note, 0.04, '2026-02-30'), isBond(/^settle: not a calendar date/));
  assert.throws(() => Bond.from({ coupon: 0.04, issue: '2035-11-15', maturity: '2025-11-15' }), (e: unknown) => e instanceof Error && /bond\.maturity: maturity 2025-11-15 must be after the issue date 2035-11-15/.test(e.message));
  assert.throws(() => Bond.from({ kind: 'corporate', coupon: 0.04, issue: '2025-11-15', maturity: '2035-11-15' }), /bond\.rating: a corporate bond needs an issuer rating/);
  assert.throws(() => Bond.from({ coupon: 4.25, issue: '2025-11-15', maturity: '2035-11-15' }), /bond\.coupon: coupon is a fraction/);
  assert.throws(() => Bond.from({ coupon: 0.04, issue: '2025-11-15', maturity: '2035-11-15', frequency: 3 as 2 }), /bond\.frequency/);
});
