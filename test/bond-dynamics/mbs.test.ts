import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ConfigError } from '../../src/core/errors.ts';
import { cprToSmm, smmToCpr, psaCpr, PsaPrepayment, ConstantCpr, RefinancingPrepayment } from '../../src/assets/bond/mbs-prepayment.ts';
import { passThroughCashFlows, type CashFlowRow } from '../../src/assets/bond/mbs-cash-flow.ts';

/*
 * Expected values were computed by hand to the cent in exact decimal arithmetic (Python `decimal`,
 * 50 digits), independently of the code under test, with the rounding convention of
 * docs/bond-dynamics.md: payment, gross interest, net interest and prepayment each rounded half-up
 * to the cent, scheduled principal = payment - gross interest, rounded balance carried forward:
 *
 *   i = wac/12; smm = 1 - exp(ln(1 - cpr)/12); cpr = 0.06 * min(age, 30)/30
 *   mp = round(b i / (1 - (1 + i)^-n)); gi = round(b i); sp = mp - gi (b when n = 1)
 *   ni = round(b * pt/12); pp = round(smm (b - sp)); b' = b - sp - pp
 */

type Row = [number, number, number, number, number, number, number, number];
// month, beginning balance, mortgage payment, net interest, scheduled principal, prepayment, cash flow, ending balance
function check(row: CashFlowRow, e: Row): void {
  const got: Row = [row.month, row.beginningBalance, row.mortgagePayment, row.netInterest, row.scheduledPrincipal, row.prepayment, row.cashFlow, row.endingBalance];
  assert.deepEqual(got, e, `month ${e[0]}`);
}

test('CPR <-> SMM: SMM = 1 - (1 - CPR)^(1/12), and back', () => {
  assert.ok(Math.abs(cprToSmm(0.06) - 0.0051430128) < 1e-10); // the 100 PSA plateau: SMM 0.00514 in Fabozzi's table
  assert.ok(Math.abs(cprToSmm(0.008) - 0.0006691237) < 1e-10); // Fabozzi month 1 (age 4): SMM 0.00067
  fc.assert(fc.property(fc.double({ min: 0, max: 0.99, noNaN: true }), (c) => Math.abs(smmToCpr(cprToSmm(c)) - c) < 1e-12));
  assert.throws(() => cprToSmm(1.5), /CPR must be in \[0, 1\]/);
});

test('PSA: 0.2% CPR in month 1 rising 0.2% a month to 6% at month 30, flat after; x% PSA scales', () => {
  assert.ok(Math.abs(psaCpr(1) - 0.002) < 1e-15);
  assert.ok(Math.abs(psaCpr(2) - 0.004) < 1e-15);
  assert.ok(Math.abs(psaCpr(15) - 0.03) < 1e-15);
  assert.equal(psaCpr(30), 0.06);
  assert.equal(psaCpr(31), 0.06);
  assert.equal(psaCpr(300), 0.06);
  assert.ok(Math.abs(psaCpr(10, 165) - 0.033) < 1e-15);
  assert.equal(psaCpr(0), 0);
  assert.equal(psaCpr(45, 200), 0.12);
  assert.throws(() => psaCpr(40, 2000), /above 100%/);
});

test('Fabozzi $400M pass-through (WAC 8.125%, 7.5%, WAM 357, 100 PSA): months 1-3 and the last month to the cent', () => {
  const rows = passThroughCashFlows({ balance: 400_000_000, wac: 0.08125, passThroughRate: 0.075, wam: 357 }, new PsaPrepayment(100));
  assert.equal(rows.length, 357);
  assert.equal(rows[0]!.ageMonths, 4); // WAM 357 of 360: seasoned three months, CPR 0.8% in month 1
  check(rows[0]!, [1, 400000000, 2975868.24, 2500000, 267534.91, 267470.46, 3035005.37, 399464994.63]);
  check(rows[1]!, [2, 399464994.63, 2973877.02, 2496656.22, 269166.12, 334197.71, 3100020.05, 398861630.8]);
  check(rows[2]!, [3, 398861630.8, 2971387.36, 2492885.19, 270761.73, 400800.07, 3164446.99, 398190069]);
  check(rows[355]!, [356, 1004191.06, 507200.67, 6276.19, 500401.46, 2591, 509268.65, 501198.6]);
  check(rows[356]!, [357, 501198.6, 504592.13, 3132.49, 501198.6, 0, 504331.09, 0]);
  // The published table (Fabozzi, Bond Markets, Analysis and Strategies, exhibit "Monthly cash flow
  // for a $400 million 7.5% pass-through with a WAC of 8.125% and a WAM of 357 months assuming
  // 100 PSA"; its construction is described column by column at
  // https://www.solutioninn.com/study-help/questions/monthly-cash-flow-construction-we-now-show-how-to-construct-26676575),
  // in whole dollars, month 1: payment 2,975,868, net interest 2,500,000, scheduled
  // principal 267,535, prepayment 267,470, cash flow 3,035,005; month 2: balance 399,464,995,
  // payment 2,973,877, interest 2,496,656, scheduled 269,166, prepayment 334,198, cash flow 3,100,020.
  const published = [
    [2975868, 2500000, 267535, 267470, 3035005],
    [2973877, 2496656, 269166, 334198, 3100020],
  ];
  published.forEach((p, k) => {
    const r = rows[k]!;
    [r.mortgagePayment, r.netInterest, r.scheduledPrincipal, r.prepayment, r.cashFlow].forEach((v, j) => assert.ok(Math.abs(v - p[j]!) <= 0.5, `month ${k + 1} column ${j}: ${v} vs ${p[j]}`));
  });
  assert.ok(Math.abs(rows[1]!.beginningBalance - 399464995) <= 0.5);
  const principal = rows.reduce((s, r) => s + Math.round(r.totalPrincipal * 100), 0);
  assert.equal(principal, 400_000_000 * 100);
});

test('small new pool ($100,000, WAC 6%, servicing 0.5%, 12 months, 100 PSA): the whole table to the cent', () => {
  const rows = passThroughCashFlows({ balance: 100_000, wac: 0.06, servicingFee: 0.005, wam: 12, ageMonths: 0 }, new PsaPrepayment());
  const hand: Row[] = [
    [1, 100000, 8606.64, 458.33, 8106.64, 15.33, 8580.3, 91878.03],
    [2, 91878.03, 8605.21, 421.11, 8145.82, 27.96, 8594.89, 83704.25],
    [3, 83704.25, 8602.33, 383.64, 8183.81, 37.86, 8605.31, 75482.58],
    [4, 75482.58, 8598.02, 345.96, 8220.61, 45.01, 8611.58, 67216.96],
    [5, 67216.96, 8592.27, 308.08, 8256.19, 49.36, 8613.63, 58911.41],
    [6, 58911.41, 8585.07, 270.01, 8290.51, 50.9, 8611.42, 50570],
    [7, 50570, 8576.44, 231.78, 8323.59, 49.61, 8604.98, 42196.8],
    [8, 42196.8, 8566.37, 193.4, 8355.39, 45.46, 8594.25, 33795.95],
    [9, 33795.95, 8554.86, 154.9, 8385.88, 38.43, 8579.21, 25371.64],
    [10, 25371.64, 8541.93, 116.29, 8415.07, 28.52, 8559.88, 16928.05],
    [11, 16928.05, 8527.56, 77.59, 8442.92, 15.72, 8536.23, 8469.41],
    [12, 8469.41, 8511.76, 38.82, 8469.41, 0, 8508.23, 0],
  ];
  assert.equal(rows.length, 12);
  rows.forEach((r, k) => check(r, hand[k]!));
  // Servicing = gross interest - net interest.
  assert.ok(Math.abs(rows[0]!.grossInterest - 500) < 1e-9 && Math.abs(rows[0]!.servicingFee - 41.67) < 1e-9);
});

test('property: balances never negative, principal sums to the balance, cash flow = interest + principal', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 50_000_000 }),
      fc.double({ min: 0, max: 0.12, noNaN: true }),
      fc.integer({ min: 1, max: 360 }),
      fc.integer({ min: 0, max: 800 }),
      (cents, wac, wam, psa) => {
        const rows = passThroughCashFlows({ balance: cents / 100, wac, servicingFee: wac / 10, wam }, new PsaPrepayment(psa));
        let principal = 0;
        for (const r of rows) {
          if (r.endingBalance < 0 || r.scheduledPrincipal < 0 || r.prepayment < 0) return false;
          const c = (x: number): number => Math.round(x * 100);
          if (c(r.cashFlow) !== c(r.netInterest) + c(r.scheduledPrincipal) + c(r.prepayment)) return false;
          principal += c(r.totalPrincipal);
        }
        return principal === cents && rows[rows.length - 1]!.endingBalance === 0;
      },
    ),
    { numRuns: 150 },
  );
});

test('refinancing model: prepayments rise as mortgage rates fall below the WAC (S-curve), 100 PSA when far out of the money', () => {
  const at = (rate: number): RefinancingPrepayment => new RefinancingPrepayment({ wac: 0.065, mortgageRate: () => rate });
  const cprs = [0.09, 0.07, 0.065, 0.06, 0.055, 0.05, 0.04].map((r) => at(r).cpr(1, 40));
  for (let k = 1; k < cprs.length; k++) assert.ok(cprs[k]! > cprs[k - 1]!, `CPR must rise as the rate falls: ${cprs}`);
  assert.ok(Math.abs(at(0.2).cpr(1, 40) - psaCpr(40)) < 1e-9, 'deep out of the money: turnover only (100 PSA)');
  assert.ok(at(0.03).cpr(1, 40) > 0.45, 'deep in the money: fast prepayments');
  assert.ok(at(0.05).cpr(1, 15) < at(0.05).cpr(1, 30), 'seasoning ramp');
  // The table reacts: a rate drop in month 6 speeds prepayments from month 6 on.
  const model = new RefinancingPrepayment({ wac: 0.065, mortgageRate: (m) => (m < 6 ? 0.07 : 0.045) });
  const rows = passThroughCashFlows({ balance: 1_000_000, wac: 0.065, servicingFee: 0.005, wam: 300 }, model);
  assert.ok(rows[5]!.smm > 5 * rows[4]!.smm);
  assert.throws(() => new RefinancingPrepayment({ wac: 0.065, mortgageRate: () => 0.05, width: 0 }), (e: unknown) => e instanceof ConfigError && /prepayment\.width: must be > 0/.test(e.message));
});

test('bad pools are rejected with the field named', () => {
  const psa = new PsaPrepayment();
  assert.throws(() => passThroughCashFlows({ balance: -5, wac: 0.06, wam: 10 }, psa), (e: unknown) => e instanceof ConfigError && /pool\.balance: must be > 0/.test(e.message));
  assert.throws(() => passThroughCashFlows({ balance: 100.001, wac: 0.06, wam: 10 }, psa), /pool\.balance: must be whole cents/);
  assert.throws(() => passThroughCashFlows({ balance: 100, wac: 0.06, wam: 10.5 }, psa), /pool\.wam: must be an integer/);
  assert.throws(() => passThroughCashFlows({ balance: 100, wac: 0.06, passThroughRate: 0.07, wam: 10 }, psa), /pool\.passThroughRate: must be in \[0, wac\]/);
  assert.throws(() => new ConstantCpr(2), /prepayment\.cpr/);
  assert.equal(new ConstantCpr(0.06).smm(), cprToSmm(0.06));
});
