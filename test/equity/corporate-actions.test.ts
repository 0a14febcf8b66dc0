import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Instrument } from '../../src/market/instrument.ts';
import { DataError } from '../../src/core/errors.ts';
import { loadCorporateActions, parseCorporateActions, parseSplitRatio, type CashDividendAction, type SplitAction } from '../../src/assets/equity/corporate-actions.ts';
import { adjustOrderForDividend, adjustOrderForSplit, splitPosition } from '../../src/assets/equity/splits.ts';
import { dividendEntitlement, exDividendPrice } from '../../src/assets/equity/dividends.ts';

const xyz = new Instrument(0, { symbol: 'XYZ', assetClass: 'equity', pricePrecision: 2 });

const FILE = `# corporate actions of the examples
date,symbol,type,value,pay_date
2024-06-10,XYZ,SPLIT,2,
2024-07-01,ABC,SPLIT,1:10,
2024-08-12,XYZ,CASH_DIVIDEND,0.24,2024-08-30
2024-09-03,DEF,SPLIT,1.5,
2024-09-03,DEF,CASH_DIVIDEND,0.125,2024-09-20
`;

test('corporate-action file: splits as exact ratios, dividends with ex and pay dates', () => {
  const actions = parseCorporateActions(FILE, 'ca.csv');
  assert.equal(actions.length, 5);
  const [split, reverse, div, threeForTwo] = actions as [SplitAction, SplitAction, CashDividendAction, SplitAction];
  assert.deepEqual([split.type, split.symbol, split.date, split.ratioNew, split.ratioOld, split.ratio, split.line], ['SPLIT', 'XYZ', '2024-06-10', 2, 1, 2, 3]);
  assert.deepEqual([reverse.ratioNew, reverse.ratioOld], [1, 10]);
  assert.deepEqual([threeForTwo.ratioNew, threeForTwo.ratioOld], [3, 2]);
  assert.deepEqual([div.type, div.amount, div.amountMicros, div.payDate], ['CASH_DIVIDEND', 0.24, 240_000, '2024-08-30']);
  assert.deepEqual(parseSplitRatio('0.1'), { ratioNew: 1, ratioOld: 10 });
  assert.deepEqual(parseSplitRatio('4:2'), { ratioNew: 2, ratioOld: 1 });
  assert.equal(parseSplitRatio('two'), undefined);
});

test('corporate-action file errors name file:line and field', async () => {
  const header = 'date,symbol,type,value,pay_date\n';
  const cases: [string, RegExp][] = [
    [`${header}2024-01-02,XYZ,SPLIT,0,\n`, /^f\.csv:2 field value: split ratio must be positive, got 0/],
    [`${header}2024-01-02,XYZ,SPLIT,-2,\n`, /^f\.csv:2 field value: split ratio must be positive/],
    [`${header}2024-01-02,XYZ,SPLIT,0:5,\n`, /f\.csv:2 field value: split ratio must be positive/],
    [`${header}2024-01-02,XYZ,SPLIT,abc,\n`, /f\.csv:2 field value: split ratio must be a positive decimal/],
    [`${header}2024-01-02,XYZ,CASH_DIVIDEND,NaN,2024-01-20\n`, /f\.csv:2 field value: dividend amount must be a positive decimal/],
    [`${header}2024-01-02,XYZ,CASH_DIVIDEND,0.1234567,2024-01-20\n`, /at most 6 decimals/],
    [`${header}2024-01-02,XYZ,CASH_DIVIDEND,0.5,\n`, /f\.csv:2 field pay_date: a dividend needs a pay date/],
    [`${header}2024-01-02,XYZ,CASH_DIVIDEND,0.5,2023-12-20\n`, /f\.csv:2 field pay_date: pay date 2023-12-20 is before the ex-date 2024-01-02/],
    [`${header}2024-01-02,XYZ,SPINOFF,1,\n`, /f\.csv:2 field type: unknown corporate action type "SPINOFF"/],
    [`${header}2024-03-01,XYZ,SPLIT,2,\n\n2024-02-01,XYZ,SPLIT,2,\n`, /f\.csv:4 field date: 2024-02-01 is before 2024-03-01 on an earlier line: rows must be sorted by date/],
    [`${header}2024-02-30,XYZ,SPLIT,2,\n`, /f\.csv:2 field date: expected an ex-date/],
    [`date,symbol,kind,value\n`, /f\.csv:1 field type: header must name the columns/],
    [`${header}2024-01-02,,SPLIT,2,\n`, /f\.csv:2 field symbol: symbol is empty/],
    [`${header}2024-01-02,XYZ,SPLIT,2,2024-01-09\n`, /pay_date is only for CASH_DIVIDEND/],
    ['', /f\.csv:1: empty file/],
  ];
  for (const [text, re] of cases) {
    assert.throws(() => parseCorporateActions(text, 'f.csv'), (e: unknown) => e instanceof DataError && re.test(e.message), `${JSON.stringify(text)} should fail with ${re}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'ca-'));
  const path = join(dir, 'ca.csv');
  writeFileSync(path, FILE);
  assert.equal((await loadCorporateActions(path)).length, 5);
  await assert.rejects(loadCorporateActions(join(dir, 'missing.csv')), (e: unknown) => e instanceof DataError && /cannot read corporate-action file/.test(e.message));
});

test('worked example: a 2-for-1 split with a position and resting orders (FINRA 5330 rounding)', () => {
  const split = parseCorporateActions(FILE)[0] as SplitAction;
  // long 150 @ 80.00 -> 300 @ 40.00, nothing to cash out
  assert.deepEqual(splitPosition({ quantity: 150, avgPrice: 8000 }, split, xyz, 4000), { quantity: 300, avgPrice: 4000, fractionNumerator: 0, cashInLieu: 0 });
  // BUY 100 LIMIT 50.01 -> BUY 200 LIMIT 25.00 (25.005 rounded down: never more aggressive)
  assert.deepEqual(adjustOrderForSplit({ side: 'BUY', type: 'LIMIT', quantity: 100, price: 5001, triggerPrice: NaN }, split, xyz), { action: 'adjust', quantity: 200, price: 2500, triggerPrice: NaN });
  // SELL 150 LIMIT 75.01 -> SELL 300 LIMIT 37.51 (37.505 rounded up)
  assert.deepEqual(adjustOrderForSplit({ side: 'SELL', type: 'LIMIT', quantity: 150, price: 7501, triggerPrice: NaN }, split, xyz), { action: 'adjust', quantity: 300, price: 3751, triggerPrice: NaN });
  // SELL 100 STOP 60.01 -> SELL 200 STOP 30.00; BUY 50 STOP_LIMIT 90.01/90.05 -> 100, trigger 45.01 (45.005 up), limit 45.02 (45.025 down)
  assert.deepEqual(adjustOrderForSplit({ side: 'SELL', type: 'STOP', quantity: 100, price: NaN, triggerPrice: 6001 }, split, xyz), { action: 'adjust', quantity: 200, price: NaN, triggerPrice: 3000 });
  assert.deepEqual(adjustOrderForSplit({ side: 'BUY', type: 'STOP_LIMIT', quantity: 50, price: 9005, triggerPrice: 9001 }, split, xyz), { action: 'adjust', quantity: 100, price: 4502, triggerPrice: 4501 });
});

test('reverse and uneven splits: cash in lieu of fractions; resting orders canceled on a reverse split', () => {
  const [, reverse, , , ] = parseCorporateActions(FILE) as SplitAction[];
  // long 15 @ 30.00, 1-for-10 -> 1 share @ 300.00 and 0.5 share paid at 300.00 = +150.00
  assert.deepEqual(splitPosition({ quantity: 15, avgPrice: 3000 }, reverse!, xyz, 30000), { quantity: 1, avgPrice: 30000, fractionNumerator: 5, cashInLieu: 15000 });
  // short 15: owes the fraction
  assert.deepEqual(splitPosition({ quantity: -15, avgPrice: 3000 }, reverse!, xyz, 30000), { quantity: -1, avgPrice: 30000, fractionNumerator: -5, cashInLieu: -15000 });
  // 3-for-2 on 101 @ 30.00: 151.5 -> 151 @ 20.00 and 0.5 at 20.00 = +10.00
  assert.deepEqual(splitPosition({ quantity: 101, avgPrice: 3000 }, { ratioNew: 3, ratioOld: 2 }, xyz, 2000), { quantity: 151, avgPrice: 2000, fractionNumerator: 1, cashInLieu: 1000 });
  assert.deepEqual(adjustOrderForSplit({ side: 'BUY', type: 'LIMIT', quantity: 100, price: 3000, triggerPrice: NaN }, reverse!, xyz), { action: 'cancel', reason: 'REVERSE_SPLIT' });
  assert.deepEqual(adjustOrderForSplit({ side: 'BUY', type: 'LIMIT', quantity: 100, price: 3000, triggerPrice: NaN }, reverse!, xyz, 'adjust'), { action: 'adjust', quantity: 10, price: 30000, triggerPrice: NaN });
  assert.deepEqual(adjustOrderForSplit({ side: 'BUY', type: 'LIMIT', quantity: 5, price: 3000, triggerPrice: NaN }, reverse!, xyz, 'adjust'), { action: 'cancel', reason: 'SPLIT_SIZE_BELOW_LOT' });
});

test('worked example: a dividend credited to a long and charged to a short on the pay date', () => {
  const div = parseCorporateActions(FILE)[2] as CashDividendAction; // 0.24, ex 2024-08-12, pay 2024-08-30
  const long = dividendEntitlement(div, 300, xyz);
  const short = dividendEntitlement(div, -300, xyz);
  assert.deepEqual([long.cash, short.cash, long.payDate], [7200, -7200, '2024-08-30']);
  assert.equal(dividendEntitlement(div, 0, xyz).cash, 0); // flat: nothing to pay
  // 0.125 * 3 shares = 0.375 -> 38 cents (half away from zero), short -38
  const eighth = parseCorporateActions(FILE)[4] as CashDividendAction;
  assert.deepEqual([dividendEntitlement(eighth, 3, xyz).cash, dividendEntitlement(eighth, -3, xyz).cash], [38, -38]);
  // synthetic ex-date price: 50.00 - 0.125 = 49.875 -> 49.87
  assert.equal(exDividendPrice(5000, eighth, xyz), 4987);
  // FINRA 5330 on a dividend: buy limits and sell stops drop by the amount, sell limits stay
  assert.deepEqual(adjustOrderForDividend({ side: 'BUY', type: 'LIMIT', quantity: 100, price: 4000, triggerPrice: NaN }, eighth, xyz), { action: 'adjust', quantity: 100, price: 3987, triggerPrice: NaN });
  assert.deepEqual(adjustOrderForDividend({ side: 'SELL', type: 'STOP', quantity: 100, price: NaN, triggerPrice: 3000 }, eighth, xyz), { action: 'adjust', quantity: 100, price: NaN, triggerPrice: 2987 });
  assert.equal(adjustOrderForDividend({ side: 'SELL', type: 'LIMIT', quantity: 100, price: 4000, triggerPrice: NaN }, eighth, xyz).action, 'keep');
  assert.equal(adjustOrderForDividend({ side: 'BUY', type: 'LIMIT', quantity: 100, price: 4000, triggerPrice: NaN }, { amountMicros: 5_000 }, xyz).action, 'keep');
});
