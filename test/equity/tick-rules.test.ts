import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Instrument } from '../../src/market/instrument.ts';
import { calendar } from '../../src/assets/equity/calendar.ts';
import { dayOrderExpiry, equityTickSize, equityTickUnits, isOnEquityTick, lotKind, roundToEquityTick } from '../../src/assets/equity/tick-rules.ts';
import { MarketsimError } from '../../src/core/errors.ts';
import { isoFromMicros, microsFromIso } from '../../src/core/time.ts';

const px4 = new Instrument(0, { symbol: 'XYZ', assetClass: 'equity', pricePrecision: 4 });
const px2 = new Instrument(1, { symbol: 'ABC', assetClass: 'equity', pricePrecision: 2 });

test('Rule 612 tick size: one cent at or above $1.00, $0.0001 below', () => {
  assert.equal(equityTickSize(1), 0.01);
  assert.equal(equityTickSize(250.37), 0.01);
  assert.equal(equityTickSize(0.9999), 0.0001);
  assert.equal(equityTickSize(0.05), 0.0001);
  assert.equal(equityTickUnits(10_000, px4), 100); // $1.0000 at 4 decimals: 100 units per cent
  assert.equal(equityTickUnits(9_999, px4), 1);
  assert.equal(equityTickUnits(50, px2), 1); // a cent-quoted instrument cannot go finer than a cent
});

test('isOnEquityTick: sub-penny prices only below $1.00', () => {
  assert.equal(isOnEquityTick(10_050, px4), false); // 1.0050
  assert.equal(isOnEquityTick(10_100, px4), true); // 1.0100
  assert.equal(isOnEquityTick(9_999, px4), true); // 0.9999
  assert.equal(isOnEquityTick(5_001, px4), true); // 0.5001
  assert.equal(isOnEquityTick(2_500_050, px4), false); // 250.0050
  assert.equal(isOnEquityTick(0, px4), false);
  assert.equal(isOnEquityTick(-100, px4), false);
  assert.equal(isOnEquityTick(12_345, px2), true); // 123.45
});

test('roundToEquityTick rounds to the grid of the price, up across $1.00', () => {
  assert.equal(roundToEquityTick(10_050, px4, 'down'), 10_000);
  assert.equal(roundToEquityTick(10_050, px4, 'up'), 10_100);
  assert.equal(roundToEquityTick(9_999, px4, 'up'), 9_999);
  assert.equal(roundToEquityTick(250_055, px4, 'down'), 250_000);
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 5_000_000 }), fc.constantFrom<'down' | 'up'>('down', 'up'), (p, dir) => {
      const r = roundToEquityTick(p, px4, dir);
      assert.ok(isOnEquityTick(r, px4), `${p} ${dir} -> ${r}`);
      assert.ok(dir === 'down' ? r <= p : r >= p);
      assert.ok(Math.abs(r - p) < equityTickUnits(Math.max(r, p), px4));
    }),
  );
});

test('lotKind: round, odd and mixed lots; bad sizes are errors', () => {
  assert.equal(lotKind(100), 'round');
  assert.equal(lotKind(2_000), 'round');
  assert.equal(lotKind(1), 'odd');
  assert.equal(lotKind(99), 'odd');
  assert.equal(lotKind(150), 'mixed');
  assert.equal(lotKind(10, 10), 'round');
  for (const bad of [0, -100, 1.5, NaN]) assert.throws(() => lotKind(bad), (e: unknown) => e instanceof MarketsimError && e.code === 'BAD_SIZE');
});

test('dayOrderExpiry: the close of the session in progress or the next one', () => {
  const cal = calendar('XNYS');
  const at = (iso: string) => isoFromMicros(dayOrderExpiry(cal, microsFromIso(iso)));
  assert.equal(at('2026-11-27T15:00:00Z'), '2026-11-27T18:00:00.000Z'); // half day: 13:00 New York
  assert.equal(at('2026-11-27T10:00:00Z'), '2026-11-27T18:00:00.000Z'); // pre-market: that day's close
  assert.equal(at('2026-11-26T15:00:00Z'), '2026-11-27T18:00:00.000Z'); // Thanksgiving: the next session
  assert.equal(at('2026-11-27T18:00:00Z'), '2026-11-30T21:00:00.000Z'); // at the close: the next session's
  assert.equal(at('2026-11-28T15:00:00Z'), '2026-11-30T21:00:00.000Z'); // Saturday
  assert.equal(isoFromMicros(dayOrderExpiry(cal, microsFromIso('2026-11-27T19:00:00Z'), { extended: true })), '2026-11-27T22:00:00.000Z');
});
