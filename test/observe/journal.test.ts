import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Journal } from '../../src/index.ts';

test('journal hash is the SHA-256 of the lines joined by newlines, however many and however long', () => {
  for (const n of [0, 1, 7, 5_000]) {
    const j = new Journal(true);
    const lines: string[] = [];
    for (let i = 0; i < n; i++) {
      const line = `${i}|FILL|${i * 7}|XYZ|BUY|${'x'.repeat(i % 97)}`;
      lines.push(line);
      j.record(line);
    }
    const expected = createHash('sha256').update(lines.map((l) => l + '\n').join('')).digest('hex');
    assert.equal(j.hash(), expected);
    assert.equal(j.count, n);
    assert.deepEqual(j.lines(), lines);
  }
});

test('journal hash changes with any change of one line, and can keep growing after a read', () => {
  const a = new Journal();
  const b = new Journal();
  for (let i = 0; i < 100; i++) {
    a.record(`line ${i}`);
    b.record(i === 50 ? 'line 50 ' : `line ${i}`);
  }
  assert.notEqual(a.hash(), b.hash());
  const h = a.hash();
  a.record('more');
  assert.notEqual(a.hash(), h);
});

test('order events hash as 16 little-endian float64 fields each, strings as FNV-1a codes', async () => {
  const { fnv1a } = await import('../../src/index.ts');
  const j = new Journal(true);
  const rows: [number, string, number, string][] = [];
  for (let i = 0; i < 1_500; i++) rows.push([1_000 + i, i % 3 ? 'FILL' : 'ACCEPTED', i, i % 2 ? 'AAA' : 'BBB']);
  for (const [t, k, id, sym] of rows) j.event(t, k, id, sym, 'BUY', 'LIMIT', 100, NaN, 10, 5, 'PARTIALLY_FILLED', '', 100, 5, 1, 'MAKER');
  const f = new Float64Array(rows.length * 16);
  rows.forEach(([t, k, id, sym], r) => {
    f.set([t, fnv1a(k), id, fnv1a(sym), fnv1a('BUY'), fnv1a('LIMIT'), 100, NaN, 10, 5, fnv1a('PARTIALLY_FILLED'), fnv1a(''), 100, 5, 1, fnv1a('MAKER')], r * 16);
  });
  const expected = createHash('sha256').update(new Uint8Array(f.buffer)).digest('hex');
  assert.equal(j.hash(), expected);
  assert.equal(j.lines().length, 1_500);
  assert.equal(j.lines()[1], '1001|FILL|1|AAA|BUY|LIMIT|100|NaN|10|5|PARTIALLY_FILLED||100|5|1|MAKER');
  const k = new Journal();
  for (const [t, kk, id, sym] of rows) k.event(t, kk, id, sym, 'BUY', 'LIMIT', 100, NaN, 10, id === 700 ? 6 : 5, 'PARTIALLY_FILLED', '', 100, 5, 1, 'MAKER');
  assert.notEqual(k.hash(), j.hash());
});
