import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addBusinessDays, adjustBusinessDay, businessCalendar, easterSunday, usFederalHolidays } from '../../src/assets/bond/business-days.ts';
import { addMonths, dayFromIso, isoFromDay } from '../../src/assets/bond/civil-date.ts';
import { days30360, parseDayCount, yearFraction } from '../../src/assets/bond/day-count.ts';
import { couponSchedule } from '../../src/assets/bond/schedule.ts';
import { Bond } from '../../src/assets/bond/bond.ts';
import { BondInputError } from '../../src/assets/bond/errors.ts';

const d = (s: string) => dayFromIso(s);
const iso = (x: number) => isoFromDay(x);
const gov = businessCalendar('US-GOV');

test('US federal holidays of 2026 as the Federal Reserve observes them (Saturday July 4 not moved)', () => {
  const h = usFederalHolidays(2026).map((x) => `${iso(x.day)} ${x.name}`);
  assert.deepEqual(h, [
    "2026-01-01 New Year's Day",
    '2026-01-19 Martin Luther King Jr. Day',
    "2026-02-16 Washington's Birthday",
    '2026-05-25 Memorial Day',
    '2026-06-19 Juneteenth National Independence Day',
    '2026-09-07 Labor Day',
    '2026-10-12 Columbus Day',
    '2026-11-11 Veterans Day',
    '2026-11-26 Thanksgiving Day',
    '2026-12-25 Christmas Day',
  ]);
  // Sunday holiday moves to Monday: July 4, 2027 is a Sunday
  assert.ok(usFederalHolidays(2027).some((x) => iso(x.day) === '2027-07-05'));
  // SIFMA: Saturday July 4, 2026 observed Friday July 3, and Good Friday (Easter 2026-04-05) is closed
  const sifma = businessCalendar('US-SIFMA');
  assert.equal(sifma.isBusinessDay(d('2026-07-03')), false);
  assert.equal(gov.isBusinessDay(d('2026-07-03')), true);
  assert.equal(iso(easterSunday(2026)), '2026-04-05');
  assert.equal(iso(easterSunday(2024)), '2024-03-31');
  assert.equal(iso(easterSunday(2025)), '2025-04-20');
  assert.equal(sifma.isBusinessDay(d('2026-04-03')), false);
  assert.equal(gov.isBusinessDay(d('2026-04-03')), true);
});

test('T+1 settlement skips weekends and holidays', () => {
  assert.equal(iso(addBusinessDays(d('2026-11-25'), 1, gov)), '2026-11-27'); // Thanksgiving on the 26th
  assert.equal(iso(addBusinessDays(d('2026-11-27'), 1, gov)), '2026-11-30'); // Friday -> Monday
  assert.equal(iso(addBusinessDays(d('2026-12-24'), 1, gov)), '2026-12-28'); // Christmas Friday
  const note = Bond.from({ coupon: 0.04, issue: '2025-11-15', maturity: '2035-11-15' });
  assert.equal(iso(note.settlementDate('2026-01-16')), '2026-01-20'); // Friday, then MLK Monday
});

test('business-day rules: following, modified following, preceding', () => {
  assert.equal(iso(adjustBusinessDay(d('2026-11-15'), 'following', gov)), '2026-11-16'); // Sunday
  assert.equal(iso(adjustBusinessDay(d('2026-05-31'), 'following', gov)), '2026-06-01');
  assert.equal(iso(adjustBusinessDay(d('2026-05-31'), 'modified-following', gov)), '2026-05-29');
  assert.equal(iso(adjustBusinessDay(d('2026-05-31'), 'preceding', gov)), '2026-05-29');
  assert.equal(iso(adjustBusinessDay(d('2026-05-31'), 'unadjusted', gov)), '2026-05-31');
});

test('30/360 US with the February end-of-month rules', () => {
  assert.equal(days30360(d('2025-08-31'), d('2026-02-28')), 178); // D1 31 -> 30, D2 28
  assert.equal(days30360(d('2026-02-28'), d('2026-08-31')), 180); // D1 last of Feb -> 30, D2 31 -> 30
  assert.equal(days30360(d('2027-02-28'), d('2028-02-29')), 360); // both last of Feb
  assert.equal(days30360(d('2027-02-28'), d('2028-02-29'), false), 361); // without the EOM rule
  assert.equal(days30360(d('2026-01-15'), d('2026-07-15')), 180);
  assert.equal(days30360(d('2026-01-30'), d('2026-03-31')), 60); // D2 31 with D1 30
  assert.equal(days30360(d('2026-01-29'), d('2026-03-31')), 62); // D2 stays 31 when D1 < 30
  assert.equal(yearFraction('ACT/360', d('2026-01-01'), d('2026-07-01')), 181 / 360);
  assert.equal(yearFraction('ACT/365F', d('2028-01-01'), d('2029-01-01')), 366 / 365);
  assert.equal(parseDayCount('Actual/Actual ICMA'), 'ACT/ACT');
  assert.equal(parseDayCount('30/360 US'), '30/360');
  assert.throws(() => parseDayCount('30E/365'), (e: unknown) => e instanceof BondInputError && /unknown day count/.test(e.message));
  assert.throws(() => yearFraction('ACT/ACT', 0, 10), /reference coupon period/);
});

test('schedule backward from a month-end maturity keeps month ends (EOM rule) and pays on business days', () => {
  // a 2-year note maturing Feb 28, 2030 (31 CFR 356 Table 1: periods ending on the last day of the month)
  const s = couponSchedule({ issue: d('2028-02-29'), maturity: d('2030-02-28'), frequency: 2, eom: true, calendar: gov, businessDay: 'following' });
  assert.deepEqual(s.periods.map((p) => iso(p.couponDate)), ['2028-08-31', '2029-02-28', '2029-08-31', '2030-02-28']);
  assert.ok(s.periods.every((p) => p.regular && p.periods === 1));
  // without the rule the day of month stays 28
  const noEom = couponSchedule({ issue: d('2028-02-28'), maturity: d('2030-02-28'), frequency: 2, eom: false, calendar: gov, businessDay: 'following' });
  assert.deepEqual(noEom.periods.map((p) => iso(p.couponDate)), ['2028-08-28', '2029-02-28', '2029-08-28', '2030-02-28']);
  // Aug 31 minus 6 months is clamped, never drifts: May 31 maturity -> Nov 30 coupons
  assert.equal(iso(addMonths(d('2030-05-31'), -6, true)), '2029-11-30');
  const m = couponSchedule({ issue: d('2026-05-31'), maturity: d('2031-05-31'), frequency: 2, eom: true, calendar: gov, businessDay: 'following' });
  assert.deepEqual(m.periods.slice(0, 3).map((p) => iso(p.couponDate)), ['2026-11-30', '2027-05-31', '2027-11-30']);
  // payment dates move; accrual stays on the coupon date (Treasury practice)
  const t = couponSchedule({ issue: d('2025-11-15'), maturity: d('2035-11-15'), frequency: 2, eom: true, calendar: gov, businessDay: 'following' });
  const nov26 = t.periods.find((p) => iso(p.couponDate) === '2026-11-15')!;
  assert.equal(iso(nov26.paymentDate), '2026-11-16');
  assert.equal(iso(nov26.accrualEnd), '2026-11-15');
  assert.equal(t.periods.length, 20);
});

test('short and long first coupons are measured in notional periods (ACT/ACT ICMA)', () => {
  // issued Dec 1, 2025 on a May/Nov 15 cycle: short first period 165 of 181 days
  const short = Bond.from({ coupon: 0.05, issue: '2025-12-01', maturity: '2030-11-15' });
  assert.equal(short.periods[0]!.regular, false);
  assert.equal(iso(short.periods[0]!.couponDate), '2026-05-15');
  assert.ok(Math.abs(short.couponAmounts[0]! - 2.5 * (165 / 181)) < 1e-12);
  assert.equal(short.couponAmounts[1], 2.5);
  // long first coupon to Nov 15, 2026: 165/181 of the notional period to May 15 plus one full period
  const long = Bond.from({ coupon: 0.05, issue: '2025-12-01', maturity: '2030-11-15', firstCoupon: '2026-11-15' });
  assert.equal(long.periods.length, short.periods.length - 1);
  assert.ok(Math.abs(long.couponAmounts[0]! - 2.5 * (1 + 165 / 181)) < 1e-12);
  // accrued interest inside the long period: through the first notional period, then the second
  assert.ok(Math.abs(long.accruedInterest('2026-05-15') - 2.5 * (165 / 181)) < 1e-12);
  assert.ok(Math.abs(long.accruedInterest('2026-08-15') - 2.5 * (165 / 181 + 92 / 184)) < 1e-12);
  assert.throws(() => Bond.from({ coupon: 0.05, issue: '2025-12-01', maturity: '2030-11-15', firstCoupon: '2026-10-15' }), /not on the coupon cycle/);
});
