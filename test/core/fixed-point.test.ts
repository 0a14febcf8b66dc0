import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decimalPlaces, floorDiv, formatScaled, fromScaled, parseScaled, pow10, toScaled } from '../../src/core/fixed-point.ts';

test('parseScaled: exact decimals at a precision', () => {
  assert.equal(parseScaled('37.779999', 6), 37_779_999);
  assert.equal(parseScaled('37.78', 6), 37_780_000);
  assert.equal(parseScaled('37', 2), 3_700);
  assert.equal(parseScaled('0.01', 2), 1);
  assert.equal(parseScaled('.5', 1), 5);
  assert.equal(parseScaled('5.', 1), 50);
  assert.equal(parseScaled('  12.5 ', 2), 1_250, 'surrounding blanks are trimmed');
  assert.equal(parseScaled('+3.25', 2), 325);
  assert.equal(parseScaled('007.10', 2), 710);
});

test('parseScaled: trailing zeros beyond the precision are fine, other extra decimals are not', () => {
  assert.equal(parseScaled('37.780000000', 2), 3_778);
  assert.equal(parseScaled('1.000', 0), 1);
  assert.ok(Number.isNaN(parseScaled('37.781', 2)));
  assert.ok(Number.isNaN(parseScaled('0.0000001', 6)));
  assert.ok(Number.isNaN(parseScaled('1.05', 1)));
});

test('parseScaled: negative numbers', () => {
  assert.equal(parseScaled('-37.779999', 6), -37_779_999);
  assert.equal(parseScaled('-0.05', 2), -5);
  assert.equal(parseScaled('-1', 3), -1_000);
});

test('parseScaled: invalid text is NaN', () => {
  for (const t of ['', '   ', 'abc', '1.2.3', '1,5', '--1', '-', '.', '1 2', '0x10', 'NaN', 'Infinity', '12a', '1e400']) {
    assert.ok(Number.isNaN(parseScaled(t, 2)), `${JSON.stringify(t)} should be NaN`);
  }
});

test('parseScaled: values beyond 2^53 units are NaN (not silently rounded)', () => {
  assert.equal(parseScaled('9007199254.740991', 6), 9_007_199_254_740_991);
  assert.ok(Number.isNaN(parseScaled('9007199254.740993', 6)));
});

test('parseScaled: exponent notation is accepted when on the grid', () => {
  assert.equal(parseScaled('1e-3', 3), 1);
  assert.equal(parseScaled('3.778E1', 2), 3_778);
  assert.ok(Number.isNaN(parseScaled('1e-3', 2)));
});

test('decimalPlaces: counts digits after the point, exponent aware', () => {
  assert.equal(decimalPlaces('37.780'), 3);
  assert.equal(decimalPlaces('37'), 0);
  assert.equal(decimalPlaces('1e-3'), 3);
  assert.equal(decimalPlaces('1.5e-3'), 4);
  assert.equal(decimalPlaces('1.5e3'), 0);
});

test('toScaled / fromScaled: on-grid doubles convert exactly, off-grid ones are NaN', () => {
  assert.equal(toScaled(37.779999, 6), 37_779_999);
  assert.equal(toScaled(0.1 + 0.2, 1), 3, 'float noise below 1e-9 units is tolerated');
  assert.equal(toScaled(-2.5, 1), -25);
  assert.ok(Number.isNaN(toScaled(0.125, 2)));
  assert.ok(Number.isNaN(toScaled(NaN, 2)));
  assert.ok(Number.isNaN(toScaled(Infinity, 2)));
  assert.equal(fromScaled(37_779_999, 6), 37.779999);
  assert.equal(fromScaled(-5, 2), -0.05);
});

test('formatScaled: exactly `precision` decimals, sign and leading zeros', () => {
  assert.equal(formatScaled(37_779_999, 6), '37.779999');
  assert.equal(formatScaled(3_778, 2), '37.78');
  assert.equal(formatScaled(5, 2), '0.05');
  assert.equal(formatScaled(-5, 2), '-0.05');
  assert.equal(formatScaled(0, 3), '0.000');
  assert.equal(formatScaled(-1_000, 3), '-1.000');
  assert.equal(formatScaled(42, 0), '42');
  assert.equal(formatScaled(Number.MAX_SAFE_INTEGER, 6), '9007199254.740991');
});

test('pow10: exact powers for 0..22, out of range throws', () => {
  assert.equal(pow10(0), 1);
  assert.equal(pow10(6), 1_000_000);
  assert.equal(pow10(22), 1e22);
  assert.throws(() => pow10(23), RangeError);
  assert.throws(() => pow10(-1), RangeError);
});

/** A random decimal string: up to 15 significant digits, precision 0..15 (the documented exact range). */
const decimalArb = fc
  .record({
    precision: fc.integer({ min: 0, max: 15 }),
    digits: fc.integer({ min: 1, max: 15 }),
    raw: fc.bigInt({ min: 0n, max: 10n ** 15n - 1n }),
    neg: fc.boolean(),
  })
  .map(({ precision, digits, raw, neg }) => {
    const v = Number(raw % 10n ** BigInt(digits));
    const n = neg && v !== 0 ? -v : v;
    return { n, precision, text: formatScaled(n, precision) };
  });

test('fixed point round trip: decimal -> units -> double equals parseFloat, and back to the same units (fast-check)', () => {
  fc.assert(
    fc.property(decimalArb, ({ n, precision, text }) => {
      assert.equal(parseScaled(text, precision), n);
      const x = fromScaled(n, precision);
      assert.equal(x, parseFloat(text), `${text}: ${x} vs parseFloat ${parseFloat(text)}`);
      assert.equal(toScaled(x, precision), n);
      assert.equal(formatScaled(parseScaled(text, precision), precision), text);
    }),
    { numRuns: 5_000 },
  );
});

test('fixed point round trip holds for every safe integer count of units at precision 2 and 6 (fast-check)', () => {
  fc.assert(
    fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom(0, 2, 6), (n, p) => {
      const text = formatScaled(n, p);
      assert.equal(parseScaled(text, p), n);
      assert.equal(fromScaled(n, p), parseFloat(text));
    }),
    { numRuns: 3_000 },
  );
});

test('floorDiv: floors toward -Infinity for a positive divisor, exact on large safe integers (vs BigInt)', () => {
  assert.equal(floorDiv(7, 2), 3);
  assert.equal(floorDiv(-7, 2), -4);
  assert.equal(floorDiv(-6, 3), -2);
  assert.equal(floorDiv(0, 5), 0);
  assert.equal(floorDiv(Number.MAX_SAFE_INTEGER, 1), Number.MAX_SAFE_INTEGER);
  assert.equal(floorDiv(Number.MAX_SAFE_INTEGER, 10), 900_719_925_474_099);
  assert.equal(floorDiv(-Number.MAX_SAFE_INTEGER, 10), -900_719_925_474_100);
  // 2^53 - 1 over 3: the double quotient 3002399751580330.333.. rounds; the result must not
  assert.equal(floorDiv(Number.MAX_SAFE_INTEGER, 3), 3_002_399_751_580_330);
  const bigFloor = (a: bigint, b: bigint): bigint => {
    const q = a / b;
    return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
  };
  fc.assert(
    fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), fc.boolean(), (a, bAbs, neg) => {
      const b = neg ? -bAbs : bAbs;
      assert.equal(floorDiv(a, b), Number(bigFloor(BigInt(a), BigInt(b))), `floorDiv(${a}, ${b})`);
    }),
    { numRuns: 5_000 },
  );
  // small divisors near 2^53, where a / b rounds
  fc.assert(
    fc.property(fc.integer({ min: 2 ** 52, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 1, max: 1000 }), fc.boolean(), (a, b, neg) => {
      const x = neg ? -Math.min(a, Number.MAX_SAFE_INTEGER - b) : a;
      assert.equal(floorDiv(x, b), Number(bigFloor(BigInt(x), BigInt(b))), `floorDiv(${x}, ${b})`);
    }),
    { numRuns: 5_000 },
  );
});

test('floorDiv: negative divisors and negative dividends near -2^53', () => {
  assert.equal(floorDiv(7, -2), -4);
  assert.equal(floorDiv(-7, -2), 3);
  assert.equal(floorDiv(-9_007_199_254_740_989, 7), -1_286_742_750_677_285);
});
