import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { US_PER_DAY, US_PER_HOUR, US_PER_MINUTE, US_PER_MS, US_PER_SECOND, dateFromMicros, isoFromMicros, microsFromIso } from '../../src/core/time.ts';

test('time units are consistent', () => {
  assert.equal(US_PER_MS, 1_000);
  assert.equal(US_PER_SECOND, 1_000 * US_PER_MS);
  assert.equal(US_PER_MINUTE, 60 * US_PER_SECOND);
  assert.equal(US_PER_HOUR, 60 * US_PER_MINUTE);
  assert.equal(US_PER_DAY, 24 * US_PER_HOUR);
});

test('isoFromMicros: UTC with milliseconds, and microseconds only when not zero', () => {
  assert.equal(isoFromMicros(0), '1970-01-01T00:00:00.000Z');
  assert.equal(isoFromMicros(1_704_067_200_000_000), '2024-01-01T00:00:00.000Z');
  assert.equal(isoFromMicros(1_704_067_200_123_456), '2024-01-01T00:00:00.123456Z');
  assert.equal(isoFromMicros(1_704_067_200_000_001), '2024-01-01T00:00:00.000001Z');
  assert.equal(isoFromMicros(-1), '1969-12-31T23:59:59.999999Z');
});

test('microsFromIso: dates, times, fractions up to microseconds, offsets', () => {
  assert.equal(microsFromIso('2024-01-01'), 1_704_067_200_000_000);
  assert.equal(microsFromIso('2024-01-01T00:00:00Z'), 1_704_067_200_000_000);
  assert.equal(microsFromIso('2024-01-01T00:00:00.5Z'), 1_704_067_200_500_000);
  assert.equal(microsFromIso('2024-01-01T00:00:00.123456Z'), 1_704_067_200_123_456);
  assert.equal(microsFromIso('2024-01-01T00:00:00.1234569Z'), 1_704_067_200_123_456, 'digits past microseconds are cut');
  assert.equal(microsFromIso('2024-01-01T09:30:00'), 1_704_101_400_000_000, 'no zone: UTC');
  assert.equal(microsFromIso('2024-01-01T09:30:00-05:00'), 1_704_119_400_000_000);
  assert.equal(microsFromIso('2024-01-01T09:30:00+0100'), 1_704_097_800_000_000);
  assert.equal(microsFromIso('  2024-01-01  '), 1_704_067_200_000_000);
});

test('microsFromIso: text that is not a date is NaN', () => {
  for (const t of ['', 'yesterday', '2024-13-45', '2024-01-01Tnoon']) assert.ok(Number.isNaN(microsFromIso(t)), JSON.stringify(t));
});

test('dateFromMicros: the UTC calendar date', () => {
  assert.equal(dateFromMicros(1_704_067_200_000_000), '2024-01-01');
  assert.equal(dateFromMicros(1_704_067_200_000_000 + US_PER_DAY - 1), '2024-01-01');
  assert.equal(dateFromMicros(1_704_067_200_000_000 + US_PER_DAY), '2024-01-02');
  assert.equal(dateFromMicros(-1), '1969-12-31');
});

test('isoFromMicros and microsFromIso round trip for any microsecond timestamp 1900..2200 (fast-check)', () => {
  fc.assert(
    fc.property(fc.integer({ min: -2_208_988_800_000_000, max: 7_258_118_400_000_000 }), (t) => {
      assert.equal(microsFromIso(isoFromMicros(t)), t);
    }),
    { numRuns: 2_000 },
  );
});
