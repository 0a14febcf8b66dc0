import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Instrument } from '../../src/market/instrument.ts';
import type { BarEvent } from '../../src/market/market-data.ts';
import { SourceState } from '../../src/market/market-data.ts';
import { BatchSource } from '../../src/data/batch-source.ts';
import { microsFromIso } from '../../src/core/time.ts';
import { MarketsimError } from '../../src/core/errors.ts';
import { parseCorporateActions } from '../../src/assets/equity/corporate-actions.ts';
import { AdjustedBarSource, adjustBars, adjustmentSchedule, newYorkDay } from '../../src/assets/equity/adjust.ts';
import { dividendFactor } from '../../src/assets/equity/dividends.ts';

const xyz = new Instrument(0, { symbol: 'XYZ', assetClass: 'equity', pricePrecision: 2 });

const bar = (date: string, o: number, h: number, l: number, c: number, v: number): BarEvent => ({ kind: 'bar', time: microsFromIso(date), instrument: xyz, open: o, high: h, low: l, close: c, volume: v });

/** Daily bars stamped at midnight UTC: a 2-for-1 split on 03-06, then a 1.00 dividend on 03-08 (previous close 64). */
const RAW = [
  bar('2024-03-04', 120, 124, 118, 122, 1000),
  bar('2024-03-05', 122, 126, 120, 124, 1500),
  bar('2024-03-06', 62, 64, 61, 63, 3000),
  bar('2024-03-07', 63, 65, 62, 64, 2800),
  bar('2024-03-08', 63, 64, 62, 63.5, 2000),
];

const ACTIONS = parseCorporateActions(`date,symbol,type,value,pay_date
2024-03-06,XYZ,SPLIT,2,
2024-03-06,OTHER,SPLIT,10,
2024-03-08,XYZ,CASH_DIVIDEND,1.00,2024-03-22
`);

const ohlcv = (bars: BarEvent[]) => bars.map((b) => [b.open, b.high, b.low, b.close, b.volume]);

test('hand-computed adjusted series: raw, split-adjusted and total-return (CRSP factor (P-D)/P)', () => {
  assert.deepEqual(ohlcv(adjustBars(RAW, ACTIONS, 'raw')), ohlcv(RAW));
  // split: bars before 03-06 halve in price and double in volume
  assert.deepEqual(ohlcv(adjustBars(RAW, ACTIONS, 'split')), [
    [60, 62, 59, 61, 2000],
    [61, 63, 60, 62, 3000],
    [62, 64, 61, 63, 3000],
    [63, 65, 62, 64, 2800],
    [63, 64, 62, 63.5, 2000],
  ]);
  // total return: dividend factor (64 - 1) / 64 = 0.984375 on every bar before 03-08, times 1/2 before 03-06
  assert.equal(dividendFactor(64, 1), 0.984375);
  assert.deepEqual(ohlcv(adjustBars(RAW, ACTIONS, 'total-return')), [
    [59.0625, 61.03125, 58.078125, 60.046875, 2000],
    [60.046875, 62.015625, 59.0625, 61.03125, 3000],
    [61.03125, 63, 60.046875, 62.015625, 3000],
    [62.015625, 63.984375, 61.03125, 63, 2800],
    [63, 64, 62, 63.5, 2000],
  ]);
  // the total return from the first close to the last equals the holder's: 2 shares after the split, plus the dividend
  const tr = adjustBars(RAW, ACTIONS, 'total-return');
  assert.equal(tr[4]!.close / tr[0]!.close, ((63.5 * 2) / 122) * (64 / 63));
});

test('rounded output for decimal factors; a dividend not below the previous close is an error', () => {
  const acts = parseCorporateActions('date,symbol,type,value,pay_date\n2024-03-07,XYZ,CASH_DIVIDEND,0.50,2024-03-20\n');
  // only a dividend: factor (63 - 0.5) / 63 = 0.9920634... on the bars before 03-07, e.g. 122 -> 121.0317
  const out = adjustBars(RAW, acts, 'total-return', { decimals: 4 });
  assert.deepEqual(out.map((b) => b.close), [121.0317, 123.0159, 62.5, 64, 63.5]);
  const huge = parseCorporateActions('date,symbol,type,value,pay_date\n2024-03-07,XYZ,CASH_DIVIDEND,70,2024-03-20\n', 'big.csv');
  assert.throws(() => adjustBars(RAW, huge, 'total-return'), (e: unknown) => e instanceof MarketsimError && /big\.csv:2: XYZ dividend on 2024-03-07: dividend 70 must be below the previous close 63/.test(e.message));
  // split mode ignores dividends entirely, so the same file is fine there
  assert.deepEqual(adjustBars(RAW, huge, 'split').map((b) => b.close), RAW.map((b) => b.close));
});

test('streaming AdjustedBarSource gives the same series as adjustBars', async () => {
  // previous closes from a first pass (here: the same array)
  const sched = adjustmentSchedule(ACTIONS.filter((a) => a.symbol === 'XYZ'), 'total-return', (exDay) => {
    let last: number | undefined;
    for (const b of RAW) if (Math.floor(b.time / 86_400_000_000) < exDay) last = b.close;
    return last;
  });
  const src = new AdjustedBarSource(new BatchSource<BarEvent>('raw', [RAW.slice(0, 2), RAW.slice(2)]), sched);
  const got: number[][] = [];
  for (;;) {
    const st = src.advance();
    if (st === SourceState.End) break;
    if (st === SourceState.Wait) {
      await src.refill();
      continue;
    }
    const b = src.current;
    got.push([b.open, b.high, b.low, b.close, b.volume]);
  }
  assert.deepEqual(got, ohlcv(adjustBars(RAW, ACTIONS, 'total-return')));
  assert.match(src.name, /total-return/);
});

test('newYorkDay puts a bar at 19:59 New York (after-hours, next UTC day) on its trading date', () => {
  const t = microsFromIso('2024-03-06T00:59:00Z'); // 2024-03-05 19:59 EST
  assert.equal(newYorkDay(t), Math.floor(microsFromIso('2024-03-05') / 86_400_000_000));
  const late = [bar('2024-03-05', 122, 126, 120, 124, 1500)];
  late[0]!.time = t;
  // by UTC date this bar would be on the split's ex-date and stay unadjusted; by New York date it is before it
  assert.equal(adjustBars(late, ACTIONS, 'split')[0]!.close, 124);
  assert.equal(adjustBars(late, ACTIONS, 'split', { dayOf: newYorkDay })[0]!.close, 62);
});
