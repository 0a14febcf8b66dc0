import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatPrice, formatPrice32, parsePrice, parsePrice32 } from '../../src/assets/bond/quote-32nds.ts';
import {
  billBondEquivalentYield,
  billDiscountFromPrice,
  billMoneyMarketYield,
  billPriceFromBondEquivalentYield,
  billPriceFromDiscount,
  billYearDays,
} from '../../src/assets/bond/money-market.ts';
import { BondInputError } from '../../src/assets/bond/errors.ts';
import { dayFromIso } from '../../src/assets/bond/civil-date.ts';

const near = (a: number, b: number, tol: number, what = '') => assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b}`);

test('32nds quotes: 99-16+ = 99 + 16.5/32, 99-162 = 99 + 16.25/32, 101-08, eighths 0..7', () => {
  assert.equal(parsePrice32('99-16+'), 99 + 16.5 / 32);
  assert.equal(parsePrice32('99-164'), 99 + 16.5 / 32);
  assert.equal(parsePrice32('99-162'), 99 + 16.25 / 32);
  assert.equal(parsePrice32('99-166'), 99 + 16.75 / 32);
  assert.equal(parsePrice32('99-161'), 99 + 16.125 / 32);
  assert.equal(parsePrice32('101-08'), 101.25);
  assert.equal(parsePrice32('100-00'), 100);
  assert.equal(parsePrice32('99-31+'), 99 + 31.5 / 32);
  assert.equal(formatPrice32(99.515625), '99-16+');
  assert.equal(formatPrice32(99.515625, { plus: false }), '99-164');
  assert.equal(formatPrice32(99 + 16.25 / 32), '99-162');
  assert.equal(formatPrice32(101.25), '101-08');
  assert.equal(formatPrice32(99.999999), '100-00'); // rounds to the nearest 1/256
  assert.equal(formatPrice32(101.11550470936038), '101-036'); // 101 + 3.75/32 is the nearest 1/256
  assert.throws(() => formatPrice32(101.1155, { exact: true }), /not a multiple of 1\/256/);
  // decimal both ways
  assert.equal(parsePrice('99.515625'), 99.515625);
  assert.equal(parsePrice('99-16+'), 99.515625);
  assert.equal(formatPrice(99.515625, 'decimal'), '99.515625');
  assert.equal(formatPrice(99.515625, '32nds'), '99-16+');
});

test('property: every 1/256 price formats and parses back exactly', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 256 * 200 }), (units) => {
      const p = units / 256;
      assert.equal(parsePrice32(formatPrice32(p)), p);
    }),
    { numRuns: 500, seed: 7 },
  );
});

test('bad 32nds quotes get clear errors', () => {
  const err = (re: RegExp) => (e: unknown) => e instanceof BondInputError && re.test(e.message);
  assert.throws(() => parsePrice32('99-33'), err(/^price: "99-33": 33 32nds is not below 32/));
  assert.throws(() => parsePrice32('99-32'), err(/32nds is not below 32/));
  assert.throws(() => parsePrice32('99-1'), err(/"99-1" is ambiguous: 32nds take two digits \(write 99-01/));
  assert.throws(() => parsePrice32('99-1+'), err(/ambiguous/));
  assert.throws(() => parsePrice32('99-168'), err(/eighths of a 32nd and must be 0\.\.7/));
  assert.throws(() => parsePrice32('99-16++'), err(/two digits of 32nds/));
  assert.throws(() => parsePrice32('99.5'), err(/expected a 32nds quote/));
  assert.throws(() => parsePrice32('-99-16'), err(/expected a 32nds quote/));
  assert.throws(() => parsePrice('abc', '--price'), err(/^--price: expected a decimal price/));
  assert.throws(() => parsePrice('NaN'), err(/expected a decimal price/));
  assert.throws(() => parsePrice('0'), err(/expected a price > 0/));
  assert.throws(() => formatPrice32(NaN), err(/finite price/));
});

test('bills: TreasuryDirect 91-day example (discount 4.975%, price 98.742431, investment rate 5.108%)', () => {
  // TreasuryDirect auction results as quoted at joetaxpayer.com/question2.html: 91-day bill,
  // discount rate 4.975 %, investment rate 5.108 %, price per $100 98.742431.
  near(billPriceFromDiscount(0.04975, 91), 98.742431, 5e-7, 'price');
  near(billDiscountFromPrice(98.742431, 91), 0.04975, 5e-8, 'discount');
  near(billBondEquivalentYield(98.742431, 91), 0.05108, 5e-6, 'investment rate');
});

test('bills: Excel TBILLPRICE / TBILLYIELD / TBILLEQ examples', () => {
  // support.microsoft.com TBILLPRICE: settle 2008-03-31, maturity 2008-06-01 (62 days), discount 9% -> 98.45
  const days = dayFromIso('2008-06-01') - dayFromIso('2008-03-31');
  assert.equal(days, 62);
  near(billPriceFromDiscount(0.09, days), 98.45, 1e-12, 'TBILLPRICE');
  // TBILLYIELD (money-market yield) of 98.45 over 62 days -> 9.1417% (Excel prints 9.14%)
  near(billMoneyMarketYield(98.45, days), 0.091417, 5e-7, 'TBILLYIELD');
  // TBILLEQ with discount 9.14% -> 9.4151% (Excel prints 9.42%): 365 d / (360 - d days)
  near(billBondEquivalentYield(billPriceFromDiscount(0.0914, days), days), (365 * 0.0914) / (360 - 0.0914 * 62), 1e-15, 'TBILLEQ formula');
  near(billBondEquivalentYield(billPriceFromDiscount(0.0914, days), days), 0.094151, 5e-7, 'TBILLEQ');
  // MESCIUS documentation of TBILLEQ: ("3/31/2003", "6/1/2003", 0.0532) -> 0.054437659
  near(billBondEquivalentYield(billPriceFromDiscount(0.0532, 62), 62), 0.054437659, 5e-10, 'TBILLEQ 2003');
});

test('bills longer than half a year: the quadratic investment rate solves P (1 + i/2)(1 + (t/Y - 1/2) i) = 100', () => {
  for (const [price, days] of [[95.5, 364], [99.1, 280], [97.25, 183]] as const) {
    const i = billBondEquivalentYield(price, days);
    near(price * (1 + i / 2) * (1 + (days / 365 - 0.5) * i), 100, 1e-10, `${days} days`);
    near(billPriceFromBondEquivalentYield(i, days), price, 1e-10, 'inverse');
  }
  // continuity at the half year: 182 days (simple) and 183 days (quadratic) differ by about one day's yield
  const a = billBondEquivalentYield(97.5, 182);
  const b = billBondEquivalentYield(97.5, 183);
  assert.ok(a > b && a - b < 0.001);
  assert.equal(billYearDays('2027-03-01'), 366); // Feb 29, 2028 within a year
  assert.equal(billYearDays('2026-03-01'), 365);
  assert.throws(() => billBondEquivalentYield(99, 0), /days: expected a whole number of days > 0/);
  assert.throws(() => billBondEquivalentYield(NaN, 91), /price: expected a finite price > 0/);
  assert.throws(() => billPriceFromDiscount(NaN, 91), /discountRate: expected a finite number/);
});
