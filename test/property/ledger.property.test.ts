import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Instrument } from '../../src/market/instrument.ts';
import { Account, type FillInput } from '../../src/sim/account.ts';

/**
 * Random fill sequences across instruments of different precisions, on cash and margin accounts,
 * at cash precisions that force rounding. Checked after every step:
 * - the ledger balances exactly: startingCash + sum(ledger amounts) === cash;
 * - equity - startingCash - (deposits, withdrawals, funding) === realized + unrealized - fees, exactly;
 * - position quantity === signed sum of fill quantities;
 * - per instrument, realizedPnl - cost === sum of the fills' cash flows, computed by an independent
 *   BigInt reference of the notional (so a fully closed position realized exactly its cash flows);
 * - every TRADE entry of a cash account is -/+ the reference notional;
 * - a partial close on an exact conversion realizes the exact rational PnL within half a cash unit;
 * - a cash account whose fills respect canFill never has negative cash nor a short position;
 * - a margin fill accepted by canFill leaves initial margin <= equity.
 */

// about 29 fills a run: 3,500 runs is over 100,000 random operations in the normal suite
const RUNS = process.env.MARKETSIM_LONG ? 350_000 : 3_500;

const INSTRUMENTS = [
  new Instrument(0, { symbol: 'EQ6', pricePrecision: 6 }), // Yahoo-like stock
  new Instrument(1, { symbol: 'BTC', pricePrecision: 2, sizePrecision: 8, assetClass: 'crypto' }),
  new Instrument(2, { symbol: 'ES', pricePrecision: 2, tickUnits: 25, multiplier: 50, assetClass: 'future' }),
  new Instrument(3, { symbol: 'MINI', pricePrecision: 3, sizePrecision: 1, multiplier: 0.1 }),
] as const;
/** Max price units and max size units per instrument (keeps notionals below ~1e6 currency units). */
const PRICE_MAX = [200_000_000, 10_000_000, 1_000_000, 5_000_000];
const SIZE_MAX = [1_000, 1_000_000_000, 20, 10_000];

type Op =
  | { t: 'fill'; i: number; buy: boolean; p: number; q: number; fee: number }
  | { t: 'mark'; i: number; p: number }
  | { t: 'deposit'; amount: number }
  | { t: 'withdraw'; amount: number }
  | { t: 'funding'; amount: number };

const fillOp = fc.integer({ min: 0, max: INSTRUMENTS.length - 1 }).chain((i) =>
  fc.record({
    t: fc.constant('fill' as const),
    i: fc.constant(i),
    buy: fc.boolean(),
    p: fc.oneof(fc.integer({ min: 1, max: PRICE_MAX[i]! }), fc.integer({ min: 1, max: 1_000 })),
    q: fc.oneof(fc.integer({ min: 1, max: SIZE_MAX[i]! }), fc.integer({ min: 1, max: 10 })),
    fee: fc.oneof(fc.constant(0), fc.integer({ min: -5, max: 5_000 })),
  }),
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fillOp },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('mark' as const), i: fc.integer({ min: 0, max: INSTRUMENTS.length - 1 }), p: fc.integer({ min: 1, max: 10_000_000 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('deposit' as const), amount: fc.integer({ min: 1, max: 1_000_000_000 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('withdraw' as const), amount: fc.integer({ min: 1, max: 1_000_000_000 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('funding' as const), amount: fc.integer({ min: -1_000_000, max: 1_000_000 }) }) },
);

/** Independent reference: round half away from zero of price * qty * multiplier at cash precision. */
function refNotional(inst: Instrument, cashPrecision: number, price: number, qty: number): bigint {
  const [mNum, mDigits] = inst.multiplier === 0.1 ? [1n, 1] : [BigInt(inst.multiplier), 0];
  const num = BigInt(price) * BigInt(qty) * mNum;
  const shift = cashPrecision - inst.pricePrecision - inst.sizePrecision - mDigits;
  if (shift >= 0) return num * 10n ** BigInt(shift);
  const d = 10n ** BigInt(-shift);
  const neg = num < 0n;
  const a = neg ? -num : num;
  let q = a / d;
  if (2n * (a % d) >= d) q += 1n;
  return neg ? -q : q;
}

function exactConversion(inst: Instrument, cashPrecision: number): boolean {
  return cashPrecision - inst.pricePrecision - inst.sizePrecision - (inst.multiplier === 0.1 ? 1 : 0) >= 0;
}

interface Ref {
  qty: number;
  flows: bigint;
  entryRaw: bigint;
  entryQty: bigint;
}

test('ledger property: exact balance, PnL reconciliation and position quantities over random fills', () => {
  fc.assert(
    fc.property(
      fc.constantFrom<'cash' | 'margin'>('cash', 'margin'),
      fc.constantFrom(0, 2, 4, 6, 8),
      fc.integer({ min: 0, max: 1_000_000 }),
      fc.boolean(),
      fc.array(opArb, { minLength: 1, maxLength: 60, size: 'max' }),
      (kind, cashPrecision, startUnits, respectCanFill, ops) => {
        const startingCash = startUnits * 10 ** Math.min(cashPrecision, 6);
        const a =
          kind === 'cash'
            ? new Account({ kind, currency: 'USD', cashPrecision, startingCash })
            : new Account({ kind, currency: 'USD', cashPrecision, startingCash, leverage: 5, maintenanceMarginRate: 0.1 });
        const refs: Ref[] = INSTRUMENTS.map(() => ({ qty: 0, flows: 0n, entryRaw: 0n, entryQty: 0n }));
        let otherFlows = 0;
        let time = 0;
        let orderId = 0;
        for (const op of ops) {
          time += 1_000;
          if (op.t === 'fill') {
            const inst = INSTRUMENTS[op.i]!;
            const side = op.buy ? 'BUY' : 'SELL';
            const verdict = a.canFill(inst, side, op.p, op.q, op.fee);
            if (respectCanFill && verdict !== undefined) continue;
            const ref = refs[op.i]!;
            const before = ref.qty;
            const f: FillInput = { time, instrument: inst, side, price: op.p, quantity: op.q, fee: op.fee, orderId: ++orderId };
            const n = refNotional(inst, cashPrecision, op.p, op.q);
            const flow = op.buy ? -n : n;
            const realized = a.applyFill(f);
            const trade = a.ledger.find((e) => e.orderId === orderId && e.kind === 'TRADE');
            assert.ok(trade, 'a TRADE entry per fill');
            if (kind === 'cash') assert.equal(BigInt(trade.amount), flow, 'TRADE amount = reference notional');
            else assert.equal(trade.amount, realized, 'margin TRADE amount = realized PnL');
            // partial close with an exact conversion: realized within half a cash unit of the rational
            const reduces = before !== 0 && (before > 0) !== op.buy && op.q < Math.abs(before);
            if (reduces && exactConversion(inst, cashPrecision)) {
              const sgn = before > 0 ? 1n : -1n;
              const c = BigInt(op.q);
              const k = refNotional(inst, cashPrecision, 1, 1); // cash units per price unit x size unit
              // exact realized = sgn * (price * c - entryRaw * c / entryQty) * k, as num / den
              const den = ref.entryQty;
              const num = sgn * (BigInt(op.p) * c * den - ref.entryRaw * c) * k;
              const diff = BigInt(realized) * den - num;
              assert.ok(2n * (diff < 0n ? -diff : diff) <= den, `partial close realized ${realized} vs ${num}/${den}`);
            }
            // reference position bookkeeping
            const signed = op.buy ? op.q : -op.q;
            const opens = before === 0 || (before > 0) === op.buy;
            if (opens) {
              ref.entryRaw += BigInt(op.p) * BigInt(op.q);
              ref.entryQty += BigInt(op.q);
            } else if (op.q >= Math.abs(before)) {
              const open = op.q - Math.abs(before);
              ref.entryRaw = BigInt(op.p) * BigInt(open);
              ref.entryQty = BigInt(open);
            }
            ref.qty = before + signed;
            ref.flows += flow;
            if (kind === 'cash' && respectCanFill) {
              assert.ok(a.cash >= 0, `cash ${a.cash} < 0`);
              assert.ok(a.position(inst).quantity >= 0, 'no short in a cash account');
            }
            if (kind === 'margin' && respectCanFill && opens) {
              assert.ok(a.marginUsed <= a.equity, `accepted fill leaves margin ${a.marginUsed} > equity ${a.equity}`);
            }
          } else if (op.t === 'mark') {
            a.mark(INSTRUMENTS[op.i]!, Math.min(op.p, PRICE_MAX[op.i]!));
          } else if (op.t === 'deposit') {
            a.deposit(op.amount, time);
            otherFlows += op.amount;
          } else if (op.t === 'withdraw') {
            const free = kind === 'cash' ? a.cash : Math.min(a.cash, a.freeMargin);
            if (op.amount > free) {
              assert.throws(() => a.withdraw(op.amount, time), /exceeds free cash/);
            } else {
              a.withdraw(op.amount, time);
              otherFlows -= op.amount;
            }
          } else {
            a.post('FUNDING', op.amount, time);
            otherFlows += op.amount;
          }

          // invariants after every step
          const sum = a.ledger.reduce((s, e) => s + BigInt(e.amount), 0n);
          assert.equal(BigInt(a.startingCash) + sum, BigInt(a.cash), 'ledger balances');
          assert.equal(a.equity - a.startingCash - otherFlows, a.realizedPnl + a.unrealizedPnl - a.totalFees, 'equity reconciles');
          for (let i = 0; i < INSTRUMENTS.length; i++) {
            const p = a.position(INSTRUMENTS[i]!);
            const ref = refs[i]!;
            assert.equal(p.quantity, ref.qty, 'quantity = signed sum of fills');
            assert.equal(BigInt(p.realizedPnl - p.cost), ref.flows, 'realized - cost = cash flows of the fills');
            if (ref.qty === 0) assert.equal(p.cost, 0);
            else {
              const vwap = Number(ref.entryRaw) / Number(ref.entryQty);
              // exact (one final rounding) while the sum of price x size stays below 2^53
              if (ref.entryRaw < 2n ** 53n && ref.entryRaw > -(2n ** 53n)) assert.equal(p.avgPrice, vwap, 'avgPrice = VWAP of opening fills');
              else assert.ok(Math.abs(p.avgPrice - vwap) <= Math.abs(vwap) * 1e-12, 'avgPrice ~ VWAP');
            }
          }
        }
      },
    ),
    { numRuns: RUNS, seed: 20240611 },
  );
});
