import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { registerBondCommand, type BondReport } from '../../src/cli/bond-command.ts';
import { treasury10YearNote } from '../../src/assets/bond/instruments.ts';
import { analyticsFromYield } from '../../src/assets/bond/risk.ts';
import { MarketsimError } from '../../src/core/errors.ts';

async function run(args: string[]): Promise<string> {
  let out = '';
  const program = new Command().exitOverride();
  registerBondCommand(program, (t) => (out += t));
  await program.parseAsync(['node', 'marketsim', 'bond', ...args]);
  return out;
}

const near = (a: number, b: number, tol: number, what = '') => assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b}`);

test('marketsim bond --yield --json prints one document with the analytics of the Treasury note', async () => {
  const out = await run(['--coupon', '4.25', '--maturity', '2035-11-15', '--settle', '2026-11-25', '--yield', '4.1', '--json']);
  assert.equal(out.trim().split('\n').length, 1);
  const r = JSON.parse(out) as BondReport;
  for (const k of ['cleanPrice', 'dirtyPrice', 'accruedInterest', 'yield', 'macaulayDuration', 'modifiedDuration', 'convexity', 'dv01'] as const) assert.equal(typeof r[k], 'number', k);
  assert.equal(r.yield, 4.1);
  assert.equal(r.instrument.dayCount, 'ACT/ACT');
  assert.equal(r.previousCoupon, '2026-11-15');
  assert.equal(r.nextCoupon, '2027-05-15');
  // 10 of 181 days of a 2.125 half-coupon
  near(r.accruedInterest, 2.125 * (10 / 181), 1e-14, 'accrued');
  near(r.dirtyPrice - r.accruedInterest, r.cleanPrice, 1e-12, 'clean + accrued');
  // the same numbers as the API (issue defaults to the coupon date before settlement; the schedule is regular)
  const api = analyticsFromYield(treasury10YearNote('2025-11-15', 0.0425), 0.041, '2026-11-25');
  near(r.cleanPrice, api.cleanPrice, 1e-12, 'clean');
  near(r.dv01, api.dv01, 1e-15, 'dv01');
  assert.ok(r.cleanPrice > 100 && r.cleanPrice < 102);
  assert.equal(r.cleanPrice32, '101-036');
});

test('marketsim bond --price 101-08 solves the yield; --price in decimal gives the same', async () => {
  const a = JSON.parse(await run(['--coupon', '4.25', '--maturity', '2035-11-15', '--settle', '2026-11-25', '--price', '101-08', '--json'])) as BondReport;
  const b = JSON.parse(await run(['--coupon', '4.25', '--maturity', '2035-11-15', '--settle', '2026-11-25', '--price', '101.25', '--json'])) as BondReport;
  assert.equal(a.cleanPrice, 101.25);
  assert.equal(a.yield, b.yield);
  const back = JSON.parse(await run(['--coupon', '4.25', '--maturity', '2035-11-15', '--settle', '2026-11-25', '--yield', String(a.yield), '--json'])) as BondReport;
  near(back.cleanPrice, 101.25, 1e-10, 'round trip');
  assert.ok(a.yield > 4.0 && a.yield < 4.1);
});

test('marketsim bond flags: day count, frequency, issue, trade date (T+1), corporate kind, table output', async () => {
  const c = JSON.parse(await run(['--coupon', '5.75', '--maturity', '2017-11-15', '--settle', '2008-02-15', '--yield', '6.5', '--day-count', '30/360', '--kind', 'corporate', '--issue', '2007-11-15', '--json'])) as BondReport;
  near(c.cleanPrice, 94.6343616213221, 1e-10, 'Excel PRICE example');
  assert.equal(c.instrument.rating, 'BBB');
  const q = JSON.parse(await run(['--coupon', '6', '--maturity', '2030-06-15', '--settle', '2026-02-20', '--yield', '5', '--frequency', '4', '--json'])) as BondReport;
  assert.equal(q.nextCoupon, '2026-03-15');
  assert.equal(q.instrument.frequency, 4);
  const t = JSON.parse(await run(['--coupon', '4', '--maturity', '2035-11-15', '--trade-date', '2026-11-25', '--yield', '4', '--json'])) as BondReport;
  assert.equal(t.settle, '2026-11-27'); // Thanksgiving on the 26th
  // a bill: 91 days at 98.742431 -> discount 4.975%, investment rate 5.108% (TreasuryDirect example)
  const bill = JSON.parse(await run(['--kind', 'bill', '--maturity', '2027-02-24', '--settle', '2026-11-25', '--price', '98.742431', '--json'])) as BondReport;
  assert.equal(bill.bill!.days, 91);
  near(bill.bill!.discountRate, 4.975, 5e-6, 'discount');
  near(bill.bill!.investmentRate, 5.108, 5e-4, 'investment rate');
  assert.equal(bill.cleanPrice32, undefined);
  const table = await run(['--coupon', '4.25', '--maturity', '2035-11-15', '--settle', '2026-11-25', '--yield', '4.1']);
  assert.match(table, /clean price\s+101\.115505 {2}\(101-036\)/);
  assert.match(table, /DV01 \(per 100\)\s+0\.0749/);
});

test('marketsim bond bad input: clear errors', async () => {
  const fails = async (args: string[], re: RegExp) => {
    await assert.rejects(run(args), (e: unknown) => e instanceof MarketsimError && re.test(e.message));
  };
  const base = ['--coupon', '4.25', '--maturity', '2035-11-15'];
  await fails([...base, '--settle', '2036-01-05', '--yield', '4'], /--settle: maturity 2035-11-15 must be after settlement 2036-01-05/);
  await fails([...base, '--settle', '2026-11-25', '--price', '99-33'], /--price: "99-33": 33 32nds is not below 32/);
  await fails([...base, '--settle', '2026-11-25', '--price', '99-1'], /--price: "99-1" is ambiguous/);
  await fails([...base, '--settle', '2026-11-25', '--yield', 'NaN'], /--yield: expected a number in percent/);
  await fails([...base, '--settle', '2026-11-25'], /give exactly one of --yield/);
  await fails([...base, '--settle', '2026-11-25', '--yield', '4', '--price', '100'], /give exactly one of --yield/);
  await fails([...base, '--settle', '2026-13-01', '--yield', '4'], /--settle: not a calendar date|--settle: expected a date/);
  await fails([...base, '--settle', '2026-11-25', '--yield', '4', '--day-count', 'BUS/252'], /--day-count: unknown day count/);
  await fails([...base, '--settle', '2026-11-25', '--yield', '4', '--frequency', '3'], /--frequency: expected 1, 2, 4 or 12/);
  await fails([...base, '--settle', '2026-11-25', '--yield', '-250'], /yield: must be greater than -2/);
  await fails(['--maturity', '2035-11-15', '--settle', '2026-11-25', '--yield', '4'], /--coupon: expected a number in percent/);
});
