import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ExactSum, fsum } from '../../src/core/fsum.ts';
import { MarketsimError } from '../../src/core/errors.ts';

// ---- Reference: the exact sum as a BigInt multiple of 2^-1074, rounded to nearest, ties to even.

const view = new DataView(new ArrayBuffer(8));

/** x = m * 2^(e) exactly, with m a BigInt (signed) and e >= -1074. */
function decompose(x: number): { m: bigint; e: number } {
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const sign = hi >>> 31 ? -1n : 1n;
  const biased = (hi >>> 20) & 0x7ff;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased === 0) return { m: sign * frac, e: -1074 };
  return { m: sign * (frac | (1n << 52n)), e: biased - 1075 };
}

/** `x * 2^k` computed in exact steps (each step's result is representable or overflows). */
function ldexp(x: number, k: number): number {
  while (k > 1000) {
    x *= 2 ** 1000;
    k -= 1000;
  }
  while (k < -1000) {
    x *= 2 ** -1000;
    k += 1000;
  }
  return x * 2 ** k;
}

/** The exact sum of finite doubles, rounded once to the nearest double (ties to even). */
function referenceSum(values: readonly number[]): number {
  let s = 0n; // in units of 2^-1074
  for (const x of values) {
    const { m, e } = decompose(x);
    s += m << BigInt(e + 1074);
  }
  if (s === 0n) return 0;
  const neg = s < 0n;
  const a = neg ? -s : s;
  const bits = a.toString(2).length;
  let result: number;
  if (bits <= 53) {
    result = ldexp(Number(a), -1074); // exact: < 2^53 units of 2^-1074 is representable
  } else {
    const shift = bits - 53;
    let q = a >> BigInt(shift);
    const rem = a - (q << BigInt(shift));
    const half = 1n << BigInt(shift - 1);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
    result = ldexp(Number(q), shift - 1074); // q <= 2^53: exact; scaling by 2^k exact (normal range)
  }
  return neg ? -result : result;
}

test('fsum: the examples from Python docs and CPython tests', () => {
  // sum([0.1] * 10) is 0.9999999999999999 in plain float arithmetic; fsum gives 1.0.
  assert.equal(fsum(new Array(10).fill(0.1)), 1.0);
  assert.notEqual(new Array(10).fill(0.1).reduce((a, b) => a + b, 0), 1.0);
  // The large terms cancel exactly, leaving the tiny one.
  assert.equal(fsum([1e100, 1.0, -1e100, 1e-100, 1e50, -1.0, -1e50]), 1e-100);
  // Half-even across partials: 1e16 + 1 is a tie (ulp 2) broken upwards by the 1e-16.
  assert.equal(fsum([1e-16, 1, 1e16]), 10000000000000002);
  // 2^53 + 1 is a tie that rounds to even (2^53); + 1 + 1 makes it exact again.
  assert.equal(fsum([2 ** 53, 1]), 2 ** 53);
  assert.equal(fsum([2 ** 53, 1, 1]), 2 ** 53 + 2);
  // CPython test_math: 1.7976931348623157e+308 - 1e292-ish tie handling.
  assert.equal(fsum([2 ** 1023, -(2 ** 970)]), 2 ** 1023 - 2 ** 970);
  assert.equal(fsum([1.7976931348623157e308, -1.7976931348623157e308, 5e-324]), 5e-324);
  assert.equal(fsum([]), 0);
  assert.equal(fsum([-0.5, 0.5]), 0);
});

test('fsum: specials are counted, intermediate overflow throws', () => {
  assert.equal(fsum([1, Infinity, 2]), Infinity);
  assert.equal(fsum([-Infinity, 1]), -Infinity);
  assert.ok(Number.isNaN(fsum([Infinity, -Infinity])));
  assert.ok(Number.isNaN(fsum([1, NaN])));
  assert.throws(
    () => fsum([1e308, 1e308]),
    (e: unknown) => e instanceof MarketsimError && e.code === 'FSUM_OVERFLOW' && /1e\+308/.test(e.message),
  );
});

test('ExactSum: rolling window removes specials and stays exact', () => {
  const s = new ExactSum();
  s.add(1e16);
  s.add(1);
  s.add(Infinity);
  assert.equal(s.value(), Infinity);
  s.subtract(Infinity); // the Infinity leaves the window
  s.add(NaN);
  assert.ok(Number.isNaN(s.value()));
  s.subtract(NaN);
  s.add(1);
  // Exact: 1e16 + 1 + 1 = 10000000000000002 (plain left-to-right gives 1e16).
  assert.equal(s.value(), 10000000000000002);
  s.subtract(1e16);
  assert.equal(s.value(), 2);
  s.reset();
  assert.equal(s.value(), 0);
  assert.equal(s.partialCount, 0);
  // subtract of a special never added counts as adding its negation
  s.subtract(Infinity);
  assert.equal(s.value(), -Infinity);
});

/** Doubles over a wide range of exponents, plus small integers and subnormals. */
const wideDouble = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 }),
  fc.integer({ min: -1000, max: 1000 }).map((k) => k * 0.1),
  fc.tuple(fc.integer({ min: -(2 ** 30), max: 2 ** 30 }), fc.integer({ min: -1074, max: 900 })).map(([m, e]) => m * 2 ** e),
  // clustered exponents: many carries and exact ties between neighbouring terms
  fc.tuple(fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }), fc.integer({ min: -60, max: 10 })).map(([m, e]) => m * 2 ** e),
  fc.constantFrom(5e-324, -5e-324, 2 ** 53, 1, -1, 1e16, -1e16, 0.1, -0.1),
);

test('fsum equals the BigInt-rational exact sum rounded to nearest (property)', () => {
  fc.assert(
    fc.property(fc.array(wideDouble, { maxLength: 60, size: 'max' }), (xs) => {
      assert.equal(fsum(xs), referenceSum(xs));
    }),
    { numRuns: 3000 },
  );
});

/** The ulp of a normal double x > 0 (a power of two). */
function ulpOf(x: number): number {
  let u = 2 ** (Math.floor(Math.log2(x)) - 52);
  while (x + u === x) u *= 2; // log2 rounding at a power of two
  while (u > 2 ** -1074 && x + u / 2 !== x && x + u / 2 === x + u) u /= 2;
  return u;
}

test('fsum: long sums pushed to within a hair of a rounding midpoint (the compensated fast path must defer)', () => {
  const term = fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
    fc.integer({ min: -(2 ** 40), max: 2 ** 40 }).map((k) => k * 2 ** -30),
  );
  fc.assert(
    fc.property(fc.array(term, { minLength: 1, maxLength: 400, size: 'max' }), fc.integer({ min: 1, max: 60 }), fc.constantFrom(-1, 0, 1), (xs, k, sign) => {
      const r = referenceSum(xs);
      if (!(Math.abs(r) > 1e-200)) return;
      const half = ulpOf(Math.abs(r)) / 2;
      // the exact sum becomes r + half + sign * half * 2^-k: just past, on, or just short of the midpoint
      const ys = [...xs, Math.sign(r) * half, sign * Math.sign(r) * half * 2 ** -k];
      assert.equal(fsum(ys), referenceSum(ys));
      assert.equal(fsum(ys.map((y) => -y)), -referenceSum(ys));
    }),
    { numRuns: 2000 },
  );
});

test('ExactSum as a rolling window equals the exact sum of the window (property)', () => {
  fc.assert(
    fc.property(fc.array(wideDouble, { minLength: 1, maxLength: 120, size: 'max' }), fc.integer({ min: 1, max: 12 }), (xs, w) => {
      const s = new ExactSum();
      for (let i = 0; i < xs.length; i++) {
        s.add(xs[i]!);
        if (i >= w) s.subtract(xs[i - w]!);
        const window = xs.slice(Math.max(0, i - w + 1), i + 1);
        assert.equal(s.value(), referenceSum(window));
      }
    }),
    { numRuns: 500 },
  );
});

test('ExactSum.addProduct adds the exact product (property)', () => {
  const factor = fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e100, max: 1e100 }).filter((x) => x === 0 || Math.abs(x) > 1e-100),
    fc.tuple(fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }), fc.integer({ min: -60, max: 10 })).map(([m, e]) => m * 2 ** e),
  );
  fc.assert(
    fc.property(fc.array(fc.tuple(factor, factor), { maxLength: 20, size: 'max' }), (pairs) => {
      const s = new ExactSum();
      let exact = 0n; // units of 2^-2148
      for (const [a, b] of pairs) {
        s.addProduct(a, b);
        const x = decompose(a);
        const y = decompose(b);
        exact += (x.m * y.m) << BigInt(x.e + y.e + 2148);
      }
      // factors are >= 1e-100 or multiples of 2^-(52+60), so every product is a multiple of 2^-1074:
      // re-express the exact sum as doubles in units of 2^-1074 and round it with the reference.
      const unit = 1n << 1074n;
      assert.equal(exact % unit, 0n);
      {
        const asUnits = exact / unit;
        const parts: number[] = [];
        // split the integer into doubles that sum to it exactly (53-bit chunks)
        let rest = asUnits < 0n ? -asUnits : asUnits;
        let shift = 0;
        while (rest > 0n) {
          const chunk = rest & ((1n << 52n) - 1n);
          parts.push(ldexp(Number(chunk), shift - 1074) * (asUnits < 0n ? -1 : 1));
          rest >>= 52n;
          shift += 52;
        }
        assert.equal(s.value(), referenceSum(parts));
      }
    }),
    { numRuns: 1000 },
  );
});

test('the reference itself: plain cases', () => {
  assert.equal(referenceSum([0.1, 0.2]), 0.30000000000000004); // 0.1 + 0.2 is already correctly rounded
  assert.equal(referenceSum([5e-324, 5e-324]), 1e-323);
  assert.equal(referenceSum([2 ** 53, 1]), 2 ** 53);
  assert.equal(referenceSum([2 ** 53, 3]), 2 ** 53 + 4); // 2^53 + 3 is a tie between +2 and +4: even is +4
});
