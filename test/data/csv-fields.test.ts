import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatScaled, parseScaled } from '../../src/core/fixed-point.ts';
import { isoFromMicros, microsFromIso } from '../../src/core/time.ts';
import {
  daysFromCivil,
  decimalsAt,
  detectTimeFormat,
  explainNumber,
  parseCompactDateAt,
  parseEpochAt,
  parseIsoAt,
  parseTimeOfDayAt,
  parseUnitsAt,
  timeParser,
} from '../../src/data/csv-fields.ts';

const units = (s: string, p: number): number => parseUnitsAt(s, 0, s.length, p);
const iso = (s: string): number => parseIsoAt(s, 0, s.length);

test('parseUnitsAt reads decimals exactly into integer units', () => {
  assert.equal(units('37.779999', 6), 37779999);
  assert.equal(units('1.953125', 6), 1953125);
  assert.equal(units('37.84', 6), 37840000);
  assert.equal(units('37.840000', 2), 3784, 'trailing zeros beyond the precision are fine');
  assert.equal(units('-0.5', 2), -50);
  assert.equal(units('+7', 0), 7);
  assert.equal(units('.25', 2), 25);
  assert.equal(units('5.', 1), 50);
  assert.equal(units(' 12.5 ', 1), 125, 'spaces around are trimmed');
  assert.ok(Object.is(units('-0', 2), 0), 'no negative zero');
  assert.equal(units('1.5e-3', 4), 15, 'exponent notation goes through the exact slow path');
});

test('parseUnitsAt rejects what is not a plain finite decimal on the grid', () => {
  for (const bad of ['', ' ', '-', '.', 'abc', '1.2.3', '1,5', 'NaN', 'Infinity', '0x10', '1 2', '--1']) {
    assert.ok(Number.isNaN(units(bad, 4)), `'${bad}' must be rejected`);
  }
  assert.ok(Number.isNaN(units('37.779999', 2)), 'finer than the precision');
  assert.ok(Number.isNaN(units('123456789012', 6)), 'beyond 2^53 units');
});

test('parseUnitsAt reads in place from a slice of a longer string', () => {
  const row = '2014-01-02,37.779999,38.029999';
  assert.equal(parseUnitsAt(row, 11, 20, 6), 37779999);
  assert.equal(parseUnitsAt(row, 21, row.length, 6), 38029999);
});

test('property: parseUnitsAt inverts formatScaled and agrees with parseScaled', () => {
  fc.assert(
    fc.property(fc.integer({ min: -(2 ** 50), max: 2 ** 50 }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 3 }), (n, p, pad) => {
      const text = formatScaled(n, p) + (p > 0 ? '0'.repeat(pad) : '');
      const got = units(text, p);
      assert.equal(got, n);
      assert.equal(got, parseScaled(text, p));
      // the double the event carries is the correctly rounded decimal
      assert.equal(got / 10 ** p, Number(text));
    }),
  );
});

test('property: a digit finer than the precision is off the grid', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 9 }), (n, p, d) => {
      const text = formatScaled(n * 10 + d, p + 1);
      assert.ok(Number.isNaN(units(text, p)));
      assert.equal(units(text, p + 1), n * 10 + d);
    }),
  );
});

test('decimalsAt counts written decimals', () => {
  const d = (s: string): number => decimalsAt(s, 0, s.length);
  assert.equal(d('37.840000'), 6);
  assert.equal(d('3602.00'), 2);
  assert.equal(d('5699'), 0);
  assert.equal(d('.5'), 1);
  assert.equal(d('1.25e-3'), 5);
  assert.equal(d('abc'), 0);
});

test('explainNumber says why a field was rejected', () => {
  assert.match(explainNumber('abc', 2), /'abc' is not a number/);
  assert.match(explainNumber('NaN', 2), /not a finite number/);
  assert.match(explainNumber('-Infinity', 2), /not a finite number/);
  assert.match(explainNumber('1e999', 2), /not a finite number/);
  assert.match(explainNumber('', 2), /empty/);
  assert.match(explainNumber('1.234', 2), /finer than the precision of 2 decimals/);
  assert.match(explainNumber('99999999999999', 6), /too large/);
});

test('daysFromCivil matches Date.UTC over the whole proleptic calendar', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), (y, m, d) => {
      const ref = new Date(0);
      ref.setUTCFullYear(y, m - 1, d);
      ref.setUTCHours(0, 0, 0, 0);
      assert.equal(daysFromCivil(y, m, d) * 86_400_000, ref.getTime());
    }),
  );
});

test('parseIsoAt reads dates, times, fractions and offsets', () => {
  assert.equal(iso('2014-01-02'), Date.UTC(2014, 0, 2) * 1000);
  assert.equal(iso('2006-01-02 09:01:00'), Date.UTC(2006, 0, 2, 9, 1) * 1000);
  assert.equal(iso('2015-09-23T20:57:42.146'), Date.UTC(2015, 8, 23, 20, 57, 42, 146) * 1000);
  assert.equal(iso('2015-09-23T20:57:42.146123Z'), Date.UTC(2015, 8, 23, 20, 57, 42, 146) * 1000 + 123);
  assert.equal(iso('2015-09-23T20:57:42.146123789Z'), Date.UTC(2015, 8, 23, 20, 57, 42, 146) * 1000 + 123, 'nanoseconds truncate');
  assert.equal(iso('2015-09-23T20:57'), Date.UTC(2015, 8, 23, 20, 57) * 1000);
  assert.equal(iso('2015-09-23T20:57:42-05:00'), Date.parse('2015-09-23T20:57:42-05:00') * 1000);
  assert.equal(iso('2015-09-23T20:57:42+0130'), Date.parse('2015-09-23T20:57:42+01:30') * 1000);
  assert.equal(iso('2015-09-23T20:57:42.5+02'), Date.parse('2015-09-23T20:57:42.5+02:00') * 1000);
  assert.equal(iso('1969-12-31T23:59:59'), -1_000_000, 'before the epoch');
  for (const bad of ['2014-13-01', '2014-02-30', '2015-02-29', '2014-1-2', '2014/01/02', '2014-01-02X10:00', '2014-01-02T25:00', '2014-01-02T10:61', '2014-01-02T10:00:00.', 'nope', '']) {
    assert.ok(Number.isNaN(iso(bad)), `'${bad}' must be rejected`);
  }
  assert.equal(iso('2016-02-29'), Date.UTC(2016, 1, 29) * 1000, 'leap day');
});

test('property: parseIsoAt inverts isoFromMicros and agrees with microsFromIso', () => {
  fc.assert(
    fc.property(fc.integer({ min: -2_000_000_000_000_000, max: 4_000_000_000_000_000 }), (t) => {
      const text = isoFromMicros(t);
      assert.equal(iso(text), t);
      assert.equal(iso(text), microsFromIso(text));
    }),
  );
});

test('time of day, compact dates and epochs', () => {
  const tod = (s: string): number => parseTimeOfDayAt(s, 0, s.length);
  assert.equal(tod('09:01:00'), (9 * 3600 + 60) * 1e6);
  assert.equal(tod('23:59'), (23 * 3600 + 59 * 60) * 1e6);
  assert.equal(tod('00:00:01.25'), 1_250_000);
  assert.ok(Number.isNaN(tod('24:00:00')));
  assert.ok(Number.isNaN(tod('9:01')));
  assert.equal(parseCompactDateAt('20140102', 0, 8), Date.UTC(2014, 0, 2) * 1000);
  assert.ok(Number.isNaN(parseCompactDateAt('20141302', 0, 8)));
  const ep = (s: string, u: number): number => parseEpochAt(s, 0, s.length, u);
  assert.equal(ep('1388620800', 0), 1388620800_000000);
  assert.equal(ep('1388620800.123456', 0), 1388620800_123456);
  assert.equal(ep('1388620800123', 3), 1388620800_123000);
  assert.equal(ep('1388620800123.5', 3), 1388620800_123500);
  assert.equal(ep('1388620800123456', 6), 1388620800_123456);
  assert.equal(ep('1388620800123456789', 9), 1388620800_123456, 'ns digits beyond us are truncated, exactly');
  assert.equal(ep('-1.5', 0), -1_500_000);
  assert.ok(Number.isNaN(ep('12a', 0)));
  assert.ok(Number.isNaN(ep('', 0)));
});

test('named formats are strict and auto-detection picks the right one', () => {
  assert.ok(Number.isNaN(timeParser('YYYY-MM-DD')('2014-01-02 10:00:00', 0, 19)));
  assert.equal(timeParser('YYYY-MM-DD HH:mm:ss')('2014-01-02 10:00:00', 0, 19), Date.UTC(2014, 0, 2, 10) * 1000);
  assert.ok(Number.isNaN(timeParser('YYYY-MM-DD HH:mm:ss')('2014-01-02T10:00:00', 0, 19)));
  assert.equal(detectTimeFormat('2014-01-02'), 'iso');
  assert.equal(detectTimeFormat('2015-09-23T20:57:42.146'), 'iso');
  assert.equal(detectTimeFormat('20140102'), 'YYYYMMDD');
  assert.equal(detectTimeFormat('1388620800'), 'epoch-s');
  assert.equal(detectTimeFormat('1388620800.5'), 'epoch-s');
  assert.equal(detectTimeFormat('1388620800123'), 'epoch-ms');
  assert.equal(detectTimeFormat('1388620800123456'), 'epoch-us');
  assert.equal(detectTimeFormat('1388620800123456789'), 'epoch-ns');
  assert.equal(detectTimeFormat('01/02/2014'), undefined);
});
