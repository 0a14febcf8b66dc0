import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Instrument } from '../../src/market/instrument.ts';
import { Account, type FillInput } from '../../src/sim/account.ts';
import { NotionalConverter } from '../../src/sim/notional.ts';
import { MarketsimError, ConfigError } from '../../src/core/errors.ts';

const EQ6 = new Instrument(0, { symbol: 'EQ6', pricePrecision: 6 });
const EQ2 = new Instrument(1, { symbol: 'EQ2', pricePrecision: 2 });
const ES = new Instrument(2, { symbol: 'ES', pricePrecision: 2, multiplier: 50, assetClass: 'future' });
const BTC = new Instrument(3, { symbol: 'BTC', pricePrecision: 2, sizePrecision: 8, assetClass: 'crypto' });

function fill(instrument: Instrument, side: 'BUY' | 'SELL', price: number, quantity: number, fee = 0, orderId = 1, time = 1_000): FillInput {
  return { time, instrument, side, price, quantity, fee, orderId };
}

function ledgerSum(a: Account): number {
  return a.ledger.reduce((s, e) => s + e.amount, 0);
}

test('cash account: buy 10 @ 37.84 at pricePrecision 6 and cashPrecision 6, with a fee', () => {
  const a = new Account({ kind: 'cash', currency: 'USD', cashPrecision: 6, startingCash: 1_000_000_000 }); // $1000
  const realized = a.applyFill(fill(EQ6, 'BUY', 37_840_000, 10, 1_000_000, 7));
  assert.equal(realized, 0);
  assert.equal(a.cash, 620_600_000); // 1000 - 378.40 - 1.00
  assert.deepEqual(a.ledger, [
    { time: 1_000, kind: 'TRADE', amount: -378_400_000, instrumentSymbol: 'EQ6', orderId: 7 },
    { time: 1_000, kind: 'FEE', amount: -1_000_000, instrumentSymbol: 'EQ6', orderId: 7 },
  ]);
  const p = a.position(EQ6);
  assert.equal(p.quantity, 10);
  assert.equal(p.avgPrice, 37_840_000);
  assert.equal(p.cost, 378_400_000);
  assert.equal(p.unrealizedPnl, 0);
  assert.equal(a.equity, 999_000_000);
  assert.equal(a.totalFees, 1_000_000);
  assert.equal(a.formatCash(a.cash), '620.600000');
  assert.equal(a.cashDecimal(a.cash), 620.6);
  a.mark(EQ6, 38_000_000);
  assert.equal(a.position(EQ6).unrealizedPnl, 1_600_000);
  assert.equal(a.equity, 1_000_600_000);
});

test('cash account: partial closes with prices like 37.490002 realize exact PnL', () => {
  const a = new Account({ kind: 'cash', currency: 'USD', cashPrecision: 6, startingCash: 1_000_000_000 });
  a.applyFill(fill(EQ6, 'BUY', 37_840_000, 10, 1_000_000));
  // sell 4 @ 37.490002: (37.490002 - 37.84) * 4 = -1.399992
  assert.equal(a.applyFill(fill(EQ6, 'SELL', 37_490_002, 4)), -1_399_992);
  assert.equal(a.position(EQ6).quantity, 6);
  assert.equal(a.position(EQ6).cost, 227_040_000);
  assert.equal(a.position(EQ6).avgPrice, 37_840_000);
  // sell 6 @ 38.123457: (38.123457 - 37.84) * 6 = 1.700742
  assert.equal(a.applyFill(fill(EQ6, 'SELL', 38_123_457, 6)), 1_700_742);
  const p = a.position(EQ6);
  assert.equal(p.quantity, 0);
  assert.equal(p.realizedPnl, 300_750);
  assert.equal(p.avgPrice, 0);
  assert.equal(a.cash, 999_300_750); // 1000 - 1.00 fee + 0.300750
  assert.equal(a.cash, a.startingCash + ledgerSum(a));
  assert.equal(a.equity, a.cash);
});

test('average price is the exact VWAP of the opening fills', () => {
  const a = new Account({ kind: 'cash', currency: 'USD', cashPrecision: 6, startingCash: 1_000_000_000 });
  a.applyFill(fill(EQ6, 'BUY', 37_490_002, 1));
  a.applyFill(fill(EQ6, 'BUY', 37_490_003, 2));
  assert.equal(a.position(EQ6).avgPrice, 112_470_008 / 3);
  a.applyFill(fill(EQ6, 'SELL', 37_500_000, 1)); // reductions keep the average
  assert.equal(a.position(EQ6).avgPrice, 112_470_008 / 3);
});

test('notional rounding half away from zero when cashPrecision < price+size precision', () => {
  const c = new NotionalConverter(EQ6, 2);
  assert.equal(c.notional(37_490_002, 3), 11_247); // 112.470006 -> 112.47
  assert.equal(c.notional(5_000, 1), 1); // 0.005 -> 0.01
  assert.equal(c.notional(4_999, 1), 0); // 0.004999 -> 0.00
  assert.equal(c.notional(5_000, -1), -1); // half away from zero for negatives
  assert.equal(Object.is(c.notional(4_999, -1), 0), true); // no -0
  const es = new NotionalConverter(ES, 2);
  assert.equal(es.exact, true);
  assert.equal(es.notional(400_000, 2), 40_000_000); // 2 x 4000.00 x 50 = $400,000.00
  const frac = new NotionalConverter(new Instrument(9, { symbol: 'MINI', pricePrecision: 2, multiplier: 0.1 }), 2);
  assert.equal(frac.notional(12_345, 1), 1_235); // 123.45 * 0.1 = 12.345 -> 12.35
});

test('ledger stores the rounded amount: cash changes by exactly the sum of entries', () => {
  const a = new Account({ kind: 'cash', currency: 'USD', cashPrecision: 2, startingCash: 100_000 });
  a.applyFill(fill(EQ6, 'BUY', 37_490_002, 3, 1)); // 112.470006 -> 11247 cents
  assert.equal(a.ledger[0]!.amount, -11_247);
  assert.equal(a.cash, 100_000 - 11_247 - 1);
  assert.equal(a.cash, a.startingCash + ledgerSum(a));
});

test('rounding of a partial close stays in the cost basis; total realized is exact when flat', () => {
  const a = new Account({ kind: 'cash', currency: 'USD', cashPrecision: 2, startingCash: 10_000 });
  a.applyFill(fill(EQ2, 'BUY', 1, 1)); // 0.01
  a.applyFill(fill(EQ2, 'BUY', 2, 2)); // 0.04 -> cost 5 cents for 3 shares, avg 0.01667
  // sell 1 @ 0.02: removed cost round(5/3) = 2, realized 0 (exact 0.00333 rounds to 0)
  assert.equal(a.applyFill(fill(EQ2, 'SELL', 2, 1)), 0);
  assert.equal(a.position(EQ2).cost, 3);
  // sell 2 @ 0.02: proceeds 4, realized 4 - 3 = 1
  assert.equal(a.applyFill(fill(EQ2, 'SELL', 2, 2)), 1);
  assert.equal(a.position(EQ2).realizedPnl, 1); // = 6 - 5, sells minus buys
  assert.equal(a.cash, 10_001);
});

test('crypto sizes: 8 size decimals, BigInt intermediate beyond 2^53', () => {
  const a = new Account({ kind: 'cash', currency: 'USD', cashPrecision: 2, startingCash: 5_000_000_000 }); // $50M
  // 1000 BTC @ 30000.00: 3_000_000 * 100_000_000_000 = 3e17 > 2^53 before scaling
  a.applyFill(fill(BTC, 'BUY', 3_000_000, 100_000_000_000));
  assert.equal(a.cash, 5_000_000_000 - 3_000_000_000);
  // 0.00012345 BTC @ 30000.01 = 3.7035... -> 370 cents
  a.applyFill(fill(BTC, 'SELL', 3_000_001, 12_345));
  assert.equal(a.ledger[1]!.amount, 370);
  assert.equal(a.cash, a.startingCash + ledgerSum(a));
});

test('overflow beyond Number.MAX_SAFE_INTEGER cash units is a clear error and changes nothing', () => {
  const a = new Account({ kind: 'cash', currency: 'USD', cashPrecision: 6, startingCash: 1_000 });
  assert.throws(
    () => a.applyFill(fill(EQ2, 'BUY', 9_000_000_000_000, 100_000)),
    (e: unknown) => e instanceof MarketsimError && e.code === 'CASH_OVERFLOW' && /EQ2/.test(e.message),
  );
  assert.equal(a.cash, 1_000);
  assert.equal(a.ledger.length, 0);
  assert.equal(a.position(EQ2).quantity, 0);
});

test('bad fills and bad options name the place', () => {
  const a = new Account({ kind: 'cash', currency: 'USD', cashPrecision: 2, startingCash: 1_000 });
  assert.throws(() => a.applyFill(fill(EQ2, 'BUY', 100, 0, 0, 42)), /order 42, EQ2\): quantity must be a positive/);
  assert.throws(() => a.applyFill(fill(EQ2, 'BUY', 100.5, 1, 0, 43)), /order 43, EQ2\): price/);
  assert.throws(() => a.applyFill(fill(EQ2, 'BUY', 100, 1, 0.5, 44)), /order 44, EQ2\): fee/);
  const eur = new Instrument(5, { symbol: 'SAP', pricePrecision: 2, currency: 'EUR' });
  assert.throws(() => a.applyFill(fill(eur, 'BUY', 100, 1)), (e: unknown) => e instanceof MarketsimError && e.code === 'CURRENCY_MISMATCH');
  assert.throws(() => new Account({ kind: 'cash', currency: 'USD', cashPrecision: 2, startingCash: -1 }), (e: unknown) => e instanceof ConfigError && e.issues[0]!.path === 'startingCash');
  assert.throws(() => new Account({ kind: 'cash', currency: 'USD', cashPrecision: 2, startingCash: 0, leverage: 2 }), (e: unknown) => e instanceof ConfigError && e.issues[0]!.path === 'leverage');
  assert.throws(
    () => new Account({ kind: 'margin', currency: 'USD', cashPrecision: 2, startingCash: 0, leverage: 10, initialMarginRate: 0.2 }),
    (e: unknown) => e instanceof ConfigError && e.issues[0]!.path === 'initialMarginRate',
  );
  assert.throws(
    () => new Account({ kind: 'margin', currency: 'USD', cashPrecision: 2, startingCash: 0, initialMarginRate: 0.1, maintenanceMarginRate: 0.2 }),
    (e: unknown) => e instanceof ConfigError && e.issues[0]!.path === 'maintenanceMarginRate',
  );
});

test('cash account canFill: insufficient funds and no short selling', () => {
  const a = new Account({ kind: 'cash', currency: 'USD', cashPrecision: 2, startingCash: 100_000 }); // $1000
  assert.equal(a.canFill(EQ2, 'BUY', 10_000, 10, 0), undefined); // exactly $1000
  assert.equal(a.canFill(EQ2, 'BUY', 10_000, 10, 1), 'INSUFFICIENT_FUNDS'); // + 1 cent fee
  assert.equal(a.canFill(EQ2, 'SELL', 10_000, 1, 0), 'INSUFFICIENT_FUNDS'); // would open a short
  a.applyFill(fill(EQ2, 'BUY', 10_000, 10));
  assert.equal(a.cash, 0);
  assert.equal(a.canFill(EQ2, 'SELL', 10_000, 10, 0), undefined);
  assert.equal(a.canFill(EQ2, 'SELL', 10_000, 11, 0), 'INSUFFICIENT_FUNDS');
  assert.equal(a.canFill(EQ2, 'SELL', 1, 1, 2), 'INSUFFICIENT_FUNDS'); // fee above proceeds and cash
  assert.equal(a.canFill(EQ2, 'SELL', 1, 1, 1), undefined);
});

test('maxAffordable: exact integer answer in lots, with and without fees', () => {
  const a = new Account({ kind: 'cash', currency: 'USD', cashPrecision: 2, startingCash: 100_000 });
  assert.equal(a.maxAffordable(EQ2, 3_784), 26); // floor(1000 / 37.84) = 26
  assert.equal(a.maxAffordable(new Instrument(10, { symbol: 'LOT5', pricePrecision: 2, lotUnits: 5 }), 3_784), 25);
  assert.equal(a.maxAffordable(EQ2, 3_784, 0.01), 26); // 983.84 + 9.84 fee
  assert.equal(a.maxAffordable(EQ2, 3_784, 0.02), 25); // 983.84 + 19.68 > 1000
  const c = new Account({ kind: 'cash', currency: 'USD', cashPrecision: 2, startingCash: 10_000 }); // $100
  // 333_349 sat @ 30000.00 = 100.0047 -> books 10000 cents; 333_350 sat books 10001
  assert.equal(c.maxAffordable(BTC, 3_000_000), 333_349);
  assert.equal(c.canFill(BTC, 'BUY', 3_000_000, 333_349, 0), undefined);
  assert.equal(c.canFill(BTC, 'BUY', 3_000_000, 333_350, 0), 'INSUFFICIENT_FUNDS');
  const exact = new Account({ kind: 'cash', currency: 'USD', cashPrecision: 10, startingCash: 1_000_000_000_000 }); // $100
  assert.equal(exact.maxAffordable(BTC, 3_000_000), 333_333); // floor(100 / 30000 BTC) in satoshi
  const m = new Account({ kind: 'margin', currency: 'USD', cashPrecision: 2, startingCash: 1_000_000, leverage: 10 });
  assert.equal(m.maxAffordable(ES, 100_000), 2); // $10,000 / ($50,000 * 0.1)
});

test('deposit, withdraw and other cash flows go through the ledger', () => {
  const a = new Account({ kind: 'cash', currency: 'USD', cashPrecision: 2, startingCash: 1_000 });
  a.deposit(500, 10);
  a.withdraw(1_500, 20);
  assert.equal(a.cash, 0);
  assert.throws(() => a.withdraw(1, 30), (e: unknown) => e instanceof MarketsimError && e.code === 'INSUFFICIENT_FUNDS' && /0\.01 USD exceeds free cash 0\.00/.test(e.message));
  a.post('INTEREST', 25, 40);
  a.post('ADJUSTMENT', -5, 50);
  assert.equal(a.cash, 20);
  assert.deepEqual(a.ledger.map((e) => [e.kind, e.amount]), [['DEPOSIT', 500], ['WITHDRAWAL', -1_500], ['INTEREST', 25], ['ADJUSTMENT', -5]]);
  assert.equal(a.cash, a.startingCash + ledgerSum(a));
  assert.throws(() => a.deposit(0, 1), /amount must be a positive/);
});

test('margin account: futures-style flip long -> short in one fill', () => {
  const a = new Account({ kind: 'margin', currency: 'USD', cashPrecision: 2, startingCash: 10_000_000, leverage: 10, maintenanceMarginRate: 0.05 });
  a.applyFill(fill(ES, 'BUY', 400_000, 2, 500, 1)); // 2 @ 4000.00, fee $5
  assert.equal(a.cash, 9_999_500); // trades do not move cash, only the fee
  assert.equal(a.position(ES).cost, 40_000_000);
  assert.equal(a.marginUsed, 4_000_000); // 10% of $400,000
  assert.equal(a.maintenanceMargin, 2_000_000);
  const realized = a.applyFill(fill(ES, 'SELL', 401_000, 5, 1_250, 2)); // sell 5 @ 4010.00
  assert.equal(realized, 100_000); // 10 points * $50 * 2 = $1000
  const p = a.position(ES);
  assert.equal(p.quantity, -3);
  assert.equal(p.avgPrice, 401_000);
  assert.equal(p.cost, -60_150_000); // short 3 @ 4010 * 50
  assert.equal(a.cash, 9_999_500 + 100_000 - 1_250);
  assert.deepEqual(a.ledger.map((e) => [e.kind, e.amount]), [['TRADE', 0], ['FEE', -500], ['TRADE', 100_000], ['FEE', -1_250]]);
  assert.equal(a.marginUsed, 6_015_000);
  a.mark(ES, 410_000); // 4100.00: the short loses 90 * 50 * 3 = $13,500
  assert.equal(a.position(ES).unrealizedPnl, -1_350_000);
  assert.equal(a.equity, 10_098_250 - 1_350_000);
  assert.equal(a.freeMargin, a.equity - 6_150_000);
  // covering the short realizes the loss
  assert.equal(a.applyFill(fill(ES, 'BUY', 410_000, 3, 0, 3)), -1_350_000);
  assert.equal(a.cash, 8_748_250);
  assert.equal(a.equity, a.cash);
  assert.equal(a.cash, a.startingCash + ledgerSum(a));
});

test('margin account canFill: initial margin of the resulting positions vs equity', () => {
  const a = new Account({ kind: 'margin', currency: 'USD', cashPrecision: 2, startingCash: 1_000_000, leverage: 10 }); // $10,000
  assert.equal(a.canFill(ES, 'BUY', 100_000, 2, 0), undefined); // IM $10,000 == equity
  assert.equal(a.canFill(ES, 'BUY', 100_000, 2, 1), 'INSUFFICIENT_FUNDS'); // the fee lowers equity
  assert.equal(a.canFill(ES, 'BUY', 100_000, 3, 0), 'INSUFFICIENT_FUNDS');
  a.applyFill(fill(ES, 'BUY', 100_000, 2));
  assert.equal(a.canFill(ES, 'BUY', 100_000, 1, 0), 'INSUFFICIENT_FUNDS');
  assert.equal(a.canFill(ES, 'SELL', 100_000, 2, 0), undefined); // reducing is always allowed
  assert.equal(a.canFill(ES, 'SELL', 100_000, 4, 0), undefined); // flip to short 2: IM $10,000
  assert.equal(a.canFill(ES, 'SELL', 100_000, 5, 0), 'INSUFFICIENT_FUNDS'); // short 3
  a.mark(ES, 50_000); // deep loss
  assert.equal(a.canFill(ES, 'SELL', 50_000, 2, 0), undefined); // closing is allowed even underwater
});

test('margin call and liquidation thresholds (hand-computed)', () => {
  // $10,000, 10% initial, 5% maintenance, liquidation at half the maintenance margin
  const a = new Account({ kind: 'margin', currency: 'USD', cashPrecision: 2, startingCash: 1_000_000, leverage: 10, maintenanceMarginRate: 0.05, liquidationFactor: 0.5 });
  a.applyFill(fill(ES, 'BUY', 100_000, 2)); // long 2 @ 1000.00, $100,000 notional
  // equity(P) = 100 P - 9,000,000 cents; maintenance(P) = 5 P cents: margin call below P = 947.3684
  a.mark(ES, 94_737);
  assert.equal(a.equity, 473_700);
  assert.equal(a.maintenanceMargin, 473_685);
  assert.equal(a.checkMargin(1), 'OK');
  a.mark(ES, 94_736);
  assert.equal(a.equity, 473_600);
  assert.equal(a.maintenanceMargin, 473_680);
  assert.equal(a.checkMargin(2), 'MARGIN_CALL');
  // liquidation below P = 923.0769: equity < 2.5 P
  a.mark(ES, 92_308);
  assert.equal(a.checkMargin(3), 'MARGIN_CALL'); // 230,800 >= 461,540 / 2
  a.mark(ES, 92_307);
  assert.equal(a.checkMargin(4), 'LIQUIDATE'); // 230,700 < 461,535 / 2
  assert.deepEqual(a.marginEvents, [
    { time: 2, status: 'MARGIN_CALL', equity: 473_600, maintenanceMargin: 473_680, marginUsed: 947_360 },
    { time: 4, status: 'LIQUIDATE', equity: 230_700, maintenanceMargin: 461_535, marginUsed: 923_070 },
  ]);
  assert.deepEqual(a.positionsToLiquidate(), [{ instrument: ES, side: 'SELL', quantity: 2 }]);
  a.applyFill(fill(ES, 'SELL', 92_307, 2, 0, 99, 5));
  assert.equal(a.cash, 230_700);
  assert.equal(a.checkMargin(5), 'OK');
  assert.deepEqual(a.positionsToLiquidate(), []);
});

test('cash accounts are never margin called', () => {
  const a = new Account({ kind: 'cash', currency: 'USD', cashPrecision: 2, startingCash: 100_000 });
  a.applyFill(fill(EQ2, 'BUY', 10_000, 10));
  a.mark(EQ2, 1);
  assert.equal(a.checkMargin(1), 'OK');
  assert.equal(a.marginUsed, 0);
  assert.equal(a.freeMargin, a.cash);
});

test('positions() lists traded instruments only, with views of their state', () => {
  const a = new Account({ kind: 'cash', currency: 'USD', cashPrecision: 6, startingCash: 1_000_000_000 });
  a.mark(EQ2, 100); // a mark alone does not make a position
  a.applyFill(fill(EQ6, 'BUY', 1_000_000, 2));
  a.applyFill(fill(EQ6, 'SELL', 1_000_000, 2));
  const list = [...a.positions()];
  assert.equal(list.length, 1);
  assert.equal(list[0]!.instrument, EQ6);
  assert.equal(list[0]!.quantity, 0);
  assert.equal(list[0]!.fillCount, 2);
});
