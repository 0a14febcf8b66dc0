import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { CsvCursor, readTextChunks } from '../../src/data/csv-reader.ts';
import { DataError } from '../../src/core/errors.ts';
import { tmpFile } from './helpers.ts';

function rows(text: string, delimiter = ','): { line: number; fields: string[] }[] {
  const c = new CsvCursor(delimiter);
  c.load(text);
  const out: { line: number; fields: string[] }[] = [];
  while (c.next()) out.push({ line: c.line, fields: c.fields() });
  return out;
}

test('CsvCursor splits rows and fields, counting physical lines (blank and CRLF included)', () => {
  const got = rows('a,b,c\r\n\r\n1,2,3\n\n4,,6\n7,8,');
  assert.deepEqual(got, [
    { line: 1, fields: ['a', 'b', 'c'] },
    { line: 3, fields: ['1', '2', '3'] },
    { line: 5, fields: ['4', '', '6'] },
    { line: 6, fields: ['7', '8', ''] },
  ]);
});

test('CsvCursor understands quoted fields within a line and another delimiter', () => {
  assert.deepEqual(rows('"a,b","say ""hi""",3\n'), [{ line: 1, fields: ['a,b', 'say "hi"', '3'] }]);
  assert.deepEqual(rows('x;"1.5";y\n', ';'), [{ line: 1, fields: ['x', '1.5', 'y'] }]);
  const c = new CsvCursor();
  c.load('1,"open\n2,3\n');
  assert.ok(c.next());
  assert.equal(c.badQuote, 1, 'an unterminated quote is flagged, not read across lines');
  assert.throws(() => new CsvCursor('"'), RangeError);
});

test('CsvCursor keeps field offsets into the chunk, so parsers read in place', () => {
  const c = new CsvCursor();
  c.load('hdr\n10,20\n');
  c.next();
  c.next();
  assert.equal(c.line, 2);
  assert.equal(c.text.slice(c.start[1]!, c.end[1]!), '20');
  assert.equal(c.rowText(), '10,20');
});

test('readTextChunks yields whole lines only, whatever the chunk size, and drops a BOM', async () => {
  const lines = Array.from({ length: 500 }, (_, i) => `${i},${'x'.repeat(i % 37)}`);
  const text = '\uFEFF' + lines.join('\n'); // no final newline
  const p = tmpFile('chunks.csv', text);
  const chunks: string[] = [];
  for await (const ch of readTextChunks(p, { highWaterMark: 64 })) chunks.push(ch);
  assert.ok(chunks.length > 10, 'many chunks with a 64-byte read size');
  for (const ch of chunks.slice(0, -1)) assert.ok(ch.endsWith('\n'), 'every chunk but the last ends a line');
  assert.equal(chunks.join(''), lines.join('\n'));
  // a cursor over the chunks numbers lines as one file
  const c = new CsvCursor();
  let n = 0;
  for (const ch of chunks) {
    c.load(ch);
    while (c.next()) {
      n++;
      assert.equal(c.field(0), String(c.line - 1));
    }
  }
  assert.equal(n, 500);
});

test('readTextChunks handles multi-byte UTF-8 split across reads', async () => {
  const text = Array.from({ length: 200 }, (_, i) => `é€${i},ü`).join('\n') + '\n';
  const p = tmpFile('utf8.csv', text);
  let got = '';
  for await (const ch of readTextChunks(p, { highWaterMark: 7 })) got += ch;
  assert.equal(got, text);
});

test('readTextChunks gunzips .gz files', async () => {
  const text = Array.from({ length: 1000 }, (_, i) => `${i},${i * 2}`).join('\n') + '\n';
  const p = tmpFile('data.csv.gz', gzipSync(text));
  let got = '';
  for await (const ch of readTextChunks(p, { highWaterMark: 256 })) got += ch;
  assert.equal(got, text);
});

test('readTextChunks names the file when it cannot be read', async () => {
  const missing = tmpFile('x', '') + '-missing.csv';
  await assert.rejects(async () => {
    for await (const _ of readTextChunks(missing)) void _;
  }, (e: unknown) => e instanceof DataError && e.message.includes(missing) && /ENOENT/.test(e.message));
  const corrupt = tmpFile('corrupt.csv.gz', Buffer.from('not gzip at all'));
  await assert.rejects(async () => {
    for await (const _ of readTextChunks(corrupt)) void _;
  }, (e: unknown) => e instanceof DataError && e.message.includes(corrupt));
});
