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
