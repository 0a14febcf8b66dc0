import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseBookChunk } from '../../src/data/lobster-book-rows.ts';
import { LobsterBookParser } from '../../src/data/lobster-parse.ts';

/** One order-book row: per level ask price, ask size, bid price, bid size (0, 0 for an empty slot). */
type Row = number[];

const MAX = 2147483647;

/** Random valid rows of `levels` levels: asks rising, bids falling, empty slots only at a side's end. */
const rowArb = (levels: number): fc.Arbitrary<Row> =>
  fc
    .tuple(
      fc.integer({ min: 0, max: levels }),
      fc.integer({ min: 0, max: levels }),
      fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 2 * levels, maxLength: 2 * levels }),
      fc.array(fc.oneof(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 99_999 }), fc.integer({ min: 1, max: MAX })), { minLength: 2 * levels, maxLength: 2 * levels }),
      fc.integer({ min: 1, max: 90_000_000 }),
    )
    .map(([na, nb, steps, sizes, mid]) => {
      const row: Row = [];
      let ask = mid;
      let bid = mid;
      for (let i = 0; i < levels; i++) {
        ask += steps[2 * i]!;
        bid -= steps[2 * i + 1]!;
        const askOn = i < na;
        const bidOn = i < nb && bid > 0;
        row.push(askOn ? ask : 0, askOn ? sizes[2 * i]! : 0, bidOn ? bid : 0, bidOn ? sizes[2 * i + 1]! : 0);
      }
      // a bid side that ran out of positive prices is empty from there on
      for (let i = 0, off = false; i < levels; i++) {
        if (row[4 * i + 2] === 0) off = true;
        if (off) row[4 * i + 2] = row[4 * i + 3] = 0;
      }
      return row;
    });

/** The row as LOBSTER writes it (empty slots as the markers), with `zeros[k]` leading zeros on field k. */
function rowText(row: Row, zeros: number[], crlf: boolean): string {
  const f = row.map((v, k) => {
    if (v === 0 && (k & 1) === 0) return (k & 3) === 0 ? '9999999999' : '-9999999999';
    return '0'.repeat(zeros[k % zeros.length]!) + String(v);
  });
  return f.join(',') + (crlf ? '\r\n' : '\n');
}

test('order-book fast loop (four bytes at a time) and parser: random valid rows of 1-10 levels read back exactly', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 10 }).chain((levels) =>
        fc.tuple(
          fc.constant(levels),
          fc.array(rowArb(levels), { minLength: 1, maxLength: 30, size: 'max' }),
          fc.array(fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 3 })), { minLength: 1, maxLength: 7, size: 'max' }),
          fc.boolean(),
          fc.string({ unit: fc.constantFrom('1', '7', ',', '\n'), maxLength: 12 }),
          fc.integer({ min: 0, max: 9 }),
        ),
      ),
      ([levels, rows, zeros, crlf, tail, offset]) => {
        const text = rows.map((r) => rowText(r, zeros, crlf)).join('');
        const bytes = new TextEncoder().encode(text);
        // the chunk sits at an offset in a larger buffer followed by stray digits and commas, which must not be read as data
        const tailBytes = new TextEncoder().encode(tail);
        const whole = new Uint8Array(offset + bytes.length + tailBytes.length);
        whole.set(bytes, offset);
        whole.set(tailBytes, offset + bytes.length);
        const buf = whole.subarray(offset, offset + bytes.length + tailBytes.length);
        const nf = 4 * levels;
        const want = rows.flat();
        // the fast loop takes a prefix of the rows, each exactly
        const fast = parseBookChunk(buf, bytes.length, nf, null);
        assert.ok(fast.rows <= rows.length);
        assert.deepEqual([...fast.data.subarray(0, fast.rows * nf)], want.slice(0, fast.rows * nf));
        if (fast.rows === rows.length) assert.equal(fast.stop, bytes.length);
        // fields of at most 9 digits without leading zeros never leave the fast loop
        const plain = zeros.every((z) => z === 0) && want.every((v) => v < 1e9);
        if (plain) assert.equal(fast.rows, rows.length, 'usual rows are all taken by the fast loop');
        // the parser (fast loop + full rules) takes every row
        const parser = new LobsterBookParser('book.csv', levels);
        const block = parser.parse(buf, bytes.length);
        assert.equal(block.length, rows.length);
        assert.deepEqual([...block.data.subarray(0, rows.length * nf)], want);
      },
    ),
    { numRuns: 300 },
  );
});

test('order-book fast loop stops at a line it cannot take, whatever byte spoils it, and the parser names that line', () => {
  fc.assert(
    fc.property(
      fc.array(rowArb(3), { minLength: 2, maxLength: 12, size: 'max' }),
      fc.nat(),
      fc.nat(),
      fc.constantFrom('a', ' ', '.', '+', '\x00', '\xff', ';', '-'),
      (rows, rowPick, colPick, bad) => {
        const lines = rows.map((r) => rowText(r, [0], false));
        const i = rowPick % lines.length;
        const line = lines[i]!;
        const at = colPick % (line.length - 1); // not the newline
        lines[i] = line.slice(0, at) + bad + line.slice(at + 1);
        const bytes = new Uint8Array(Buffer.from(lines.join(''), 'latin1'));
        const fast = parseBookChunk(bytes, bytes.length, 12, null);
        const taken = [...fast.data.subarray(0, fast.rows * 12)];
        const parser = new LobsterBookParser('book.csv', 3);
        let block;
        try {
          block = parser.parse(bytes, bytes.length);
        } catch (err) {
          // refused: the parser names the spoiled line, and the fast loop took none of it
          assert.match((err as Error).message, new RegExp(`^book\\.csv:${i + 1}\\b`), (err as Error).message);
          assert.ok(fast.rows <= i, `the fast loop stopped at or before the spoiled row ${i + 1}, took ${fast.rows}`);
          assert.deepEqual(taken, rows.slice(0, fast.rows).flat());
          return;
        }
        // some spoilings leave a valid row (a '-' over a '-', a digit over a digit): every other row is exact,
        // and whatever the fast loop took is what the full rules read
        assert.equal(block.length, rows.length);
        for (let r = 0; r < rows.length; r++) if (r !== i) assert.deepEqual([...block.data.subarray(r * 12, r * 12 + 12)], rows[r]);
        assert.deepEqual(taken, [...block.data.subarray(0, fast.rows * 12)]);
      },
    ),
    { numRuns: 300 },
  );
});
