import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { sharedFile } from '../helpers/shared-data.ts';
import { tmpFile } from './helpers.ts';
import { DataError } from '../../src/core/errors.ts';
import { LobsterBookParser, LobsterMessageParser, loadLobsterBook, readLobsterBookBlocks, reconstructLobster } from '../../src/data/lobster.ts';
import { LobsterBookReader } from '../../src/data/lobster-book-stream.ts';
import { bookParseWorker, bookParseWorkerReady } from '../../src/data/lobster-book-worker.ts';

/**
 * The parallel path of the end-to-end reconstruction (order-book chunks parsed on a worker thread,
 * the fast byte loops, the cold paths behind them) gives exactly what the sequential parsers give:
 * the same rows, the same counts, the same `DataError` at the same line.
 */

const DAY = '2012-06-21_34200000_57600000';
const full = (sym: string, kind: 'message' | 'orderbook', n: number) => sharedFile(`data/lobster/full-day-gz/${sym}_${DAY}_${kind}_${n}.csv.gz`);
const prefix = (kind: 'message' | 'orderbook') => sharedFile(`data/lobster/prefix-first20000/GOOG_${DAY}_${kind}_10_first20000.csv`);

/** FNV-1a over the rows of a block stream, with the row count. */
function hasher(): { add: (data: Int32Array, rows: number, nf: number) => void; value: () => string } {
  let h = 0x811c9dc5;
  let n = 0;
  return {
    add(data, rows, nf) {
      for (let i = 0; i < rows * nf; i++) h = Math.imul(h ^ data[i]!, 0x01000193);
      n += rows;
    },
    value: () => `${n}:${h >>> 0}`,
  };
}

async function parallelHash(path: string, levels: number, parseWorker: boolean, highWaterMark?: number, readOnWorker = true): Promise<string> {
  const h = hasher();
  const r = new LobsterBookReader(path, levels, { parseWorker, readOnWorker, ...(highWaterMark ? { highWaterMark } : {}) });
  let expectRow = 0;
  for (;;) {
    const b = await r.next();
    if (!b) break;
    assert.equal(b.firstRow, expectRow);
    expectRow += b.length;
    h.add(b.data, b.length, 4 * levels);
    r.release(b);
  }
  return h.value();
}

async function sequentialHash(path: string, levels: number): Promise<string> {
  const h = hasher();
  for await (const b of readLobsterBookBlocks(path, levels)) h.add(b.data, b.length, 4 * levels);
  return h.value();
}

test('parallel order-book reader: the same rows as the sequential reader, with and without the worker (GOOG level 10 day)', async (t) => {
  const o = full('GOOG', 'orderbook', 10);
  if (!o) return t.skip('shared LOBSTER data missing');
  const hasWorker = await bookParseWorkerReady();
  assert.equal(hasWorker, availableParallelism() > 1);
  const before = bookParseWorker()?.chunksParsed ?? 0;
  const seq = await sequentialHash(o, 10);
  assert.match(seq, /^147916:/);
  assert.equal(await parallelHash(o, 10, true), seq); // the worker reads, gunzips and parses the file
  if (hasWorker) assert.ok(bookParseWorker()!.chunksParsed > before, 'the worker parsed chunks');
  const mid = bookParseWorker()?.chunksParsed ?? 0;
  assert.equal(await parallelHash(o, 10, true, undefined, false), seq); // this thread reads, the worker parses chunks
  if (hasWorker) assert.ok(bookParseWorker()!.chunksParsed > mid, 'the worker parsed chunks sent to it');
  assert.equal(await parallelHash(o, 10, false), seq);
  // small chunks: many carried partial lines, on both paths
  assert.equal(await parallelHash(o, 10, true, 48 * 1024 + 7), seq);
  assert.equal(await parallelHash(o, 10, true, 48 * 1024 + 7, false), seq);
});

test('end to end with and without the parse worker: identical results (GOOG level 5 and AAPL level 1 days)', async (t) => {
  await bookParseWorkerReady();
  for (const [sym, n] of [['GOOG', 5], ['AAPL', 1]] as const) {
    const m = full(sym, 'message', n);
    const o = full(sym, 'orderbook', n);
    if (!m || !o) return t.skip('shared LOBSTER data missing');
    const a = await reconstructLobster(m, o, n);
    const b = await reconstructLobster(m, o, n, { parseWorker: false });
    assert.deepEqual({ ...a, seconds: 0, messagesPerSecond: 0 }, { ...b, seconds: 0, messagesPerSecond: 0 });
    assert.equal(a.mismatched, 0);
  }
});

test('a bad order-book row deep in a multi-chunk file: the same DataError (file, line, field) on the worker path and the sequential one', async (t) => {
  const m = prefix('message');
  const o = prefix('orderbook');
  if (!m || !o) return t.skip('shared LOBSTER data missing');
  await bookParseWorkerReady();
  const lines = readFileSync(o, 'latin1').split('\n');
  const edits: [string, (l: string) => string, string | undefined, RegExp][] = [
    ['a size of 0 at a real price', (l) => l.replace(/^(\d+),(\d+),/, '$1,0,'), 'askSize1', /size 0 of a level at price/],
    ['a missing column', (l) => l.split(',').slice(0, 39).join(','), undefined, /expected 40 comma-separated fields, found 39/],
    ['the empty-ask marker with a size', (l) => l.replace(/^(\d+),/, '9999999999,'), 'askSize1', /empty-level marker but the size is/],
    ['a non-numeric field', (l) => l.replace(/,(\d+)$/, ',12x'), 'bidSize10', /'12x' is not an integer/],
  ];
  for (const [what, edit, field, re] of edits) {
    const bad = lines.slice();
    bad[14_999] = edit(bad[14_999]!);
    const file = tmpFile(`GOOG_${DAY}_orderbook_10.csv`, bad.join('\n'));
    const errors: DataError[] = [];
    for (const run of [
      () => reconstructLobster(m, file, 10, { highWaterMark: 64 * 1024 }),
      () => reconstructLobster(m, file, 10, { highWaterMark: 64 * 1024, parseWorker: false }),
      () => loadLobsterBook(file, 10),
    ]) {
      await assert.rejects(run(), (e: unknown) => {
        assert.ok(e instanceof DataError, `${what}: ${String(e)}`);
        errors.push(e);
        return true;
      });
    }
    for (const e of errors) {
      assert.equal(e.file, file, what);
      assert.equal(e.line, 15_000, what);
      assert.equal(e.field, field, what);
      assert.match(e.message, re, what);
      assert.equal(e.message, errors[0]!.message, what);
    }
  }
});

test('order-book rows the fast loop leaves to the full rules: leading zeros, markers, CRLF, no final newline, blank lines at the end', async () => {
  const text = [
    '1010000,0100,990000,20,1020000,5,9999999999,0,-9999999999,0',
    '01010000,100,0990000,20,9999999999,0,-9999999999,0',
    '1010000,100,990000,20,1020000,5,980000,7',
  ];
  const expected = [
    [1010000, 100, 990000, 20, 1020000, 5, 0, 0],
    [1010000, 100, 990000, 20, 0, 0, 0, 0],
    [1010000, 100, 990000, 20, 1020000, 5, 980000, 7],
  ];
  // (the first row has 10 fields: with 2 levels its 7th field, 9999999999, is refused first, see below)
  const good = text.slice(1);
  for (const [name, body] of [
    ['lf', good.join('\n') + '\n'],
    ['crlf', good.join('\r\n') + '\r\n'],
    ['no final newline', good.join('\n')],
    ['blank lines at the end', good.join('\n') + '\n\n\n'],
  ] as const) {
    const file = tmpFile(`X_${DAY}_orderbook_2.csv`, body);
    const seq = await loadLobsterBook(file, 2);
    assert.equal(seq.length, 2, name);
    assert.deepEqual(Array.from(seq.data.subarray(0, 16)), expected.slice(1).flat(), name);
    for (const readOnWorker of [true, false]) {
      const r = new LobsterBookReader(file, 2, { readOnWorker });
      const rows: number[] = [];
      for (let b = await r.next(); b; b = await r.next()) rows.push(...b.data.subarray(0, 8 * b.length));
      assert.deepEqual(rows, expected.slice(1).flat(), `${name}, readOnWorker ${readOnWorker}`);
    }
  }
  const p = new LobsterBookParser('x', 2);
  const bytes = Buffer.from(['1010000,0100,990000,20,1020000,5,980000,7', '0001010000,100,990000,20,9999999999,0,-9999999999,0', ''].join('\n'));
  const blk = p.parse(bytes, bytes.length);
  assert.deepEqual(Array.from(blk.data.subarray(0, 16)), [...expected[2]!.slice(0, 1), 100, ...expected[2]!.slice(2), 1010000, 100, 990000, 20, 0, 0, 0, 0]);
  const wrong = tmpFile(`X_${DAY}_orderbook_2.csv`, text.join('\n') + '\n');
  await assert.rejects(loadLobsterBook(wrong, 2), /:1 field bidPrice2: price 9999999999 is the empty-level marker of the other side/);
  // a blank line inside the file is refused at that line, also when the rows after it are in a later chunk
  const inside = tmpFile(`X_${DAY}_orderbook_2.csv`, [good[0], '', ...Array(5000).fill(good[1])].join('\n') + '\n');
  for (const parseWorker of [true, false]) {
    const r = new LobsterBookReader(inside, 2, { parseWorker, highWaterMark: 16 * 1024 });
    await assert.rejects(
      (async () => {
        while (await r.next());
      })(),
      /:2: blank line inside the file/,
    );
  }
});

test('message rows the fast loop leaves to the full rules parse as before: type 7, hidden executions of id 0, CRLF, times, large sizes', () => {
  const lines = [
    '34200,1,11,100,5800000,1', // integer seconds
    '34200.123456789012,5,0,50,5800050,-1', // 12 decimals, rounded half up on the 7th; hidden execution of id 0
    '34200.1234565,4,11,100,5800000,1', // rounds up to ...457
    '34200.2,7,0,0,-1,-1', // halt
    '34200.3,6,0,3000000000,5800000,1', // a cross trade larger than 2^31 - 1
    '34200.3,3,12,+5,5800000,1', // an explicit plus sign is not an integer
  ];
  const p = new LobsterMessageParser('m');
  const ok = Buffer.from(lines.slice(0, 5).join('\r\n') + '\r\n');
  const b = p.parse(ok, ok.length);
  assert.equal(b.length, 5);
  assert.deepEqual(Array.from(b.timeUs.subarray(0, 5)), [34_200_000_000, 34_200_123_457, 34_200_123_457, 34_200_200_000, 34_200_300_000]);
  assert.deepEqual(Array.from(b.type.subarray(0, 5)), [1, 5, 4, 7, 6]);
  assert.deepEqual(Array.from(b.orderId.subarray(0, 5)), [11, 0, 11, 0, 0]);
  assert.deepEqual(Array.from(b.size.subarray(0, 5)), [100, 50, 100, 0, 3_000_000_000]);
  assert.deepEqual(Array.from(b.price.subarray(0, 5)), [5_800_000, 5_800_050, 5_800_000, -1, 5_800_000]);
  assert.deepEqual(Array.from(b.direction.subarray(0, 5)), [1, -1, 1, -1, 1]);
  assert.equal(p.line, 5);
  const bad = Buffer.from(lines[5] + '\n');
  assert.throws(() => p.parse(bad, bad.length), (e: unknown) => e instanceof DataError && e.line === 6 && e.field === 'size');
  const back = new LobsterMessageParser('m');
  const goesBack = Buffer.from(['34200.5,1,1,1,100,1', '34200.4,1,2,1,100,1', ''].join('\n'));
  assert.throws(() => back.parse(goesBack, goesBack.length), (e: unknown) => e instanceof DataError && e.line === 2 && /time goes back/.test(e.message));
});

test('an order-book reader on the worker: a truncated .gz is the same DataError as on this thread, and a reader abandoned after an error does not keep the process alive', async (t) => {
  const o = full('GOOG', 'orderbook', 5);
  if (!o) return t.skip('shared LOBSTER data missing');
  if (!(await bookParseWorkerReady())) return t.skip('one core: no worker');
  const bytes = readFileSync(o);
  const cut = tmpFile(`GOOG_${DAY}_orderbook_5.csv.gz`, bytes.subarray(0, bytes.length >> 1));
  const errors: string[] = [];
  for (const readOnWorker of [true, false]) {
    const r = new LobsterBookReader(cut, 5, { readOnWorker });
    await assert.rejects(
      (async () => {
        for (let b = await r.next(); b; b = await r.next()) r.release(b);
      })(),
      (e: unknown) => {
        assert.ok(e instanceof DataError, String(e));
        assert.match(e.message, /truncated or corrupt gzip data \(unexpected end of file\)/);
        errors.push(e.message);
        return true;
      },
    );
  }
  assert.equal(errors[0], errors[1], 'the same line and message whichever thread read the file');
  // a child process that leaves a reader after its first block (no close): it must still exit
  const script = `import { LobsterBookReader } from ${JSON.stringify(new URL('../../src/data/lobster-book-stream.ts', import.meta.url).href)};
import { bookParseWorkerReady } from ${JSON.stringify(new URL('../../src/data/lobster-book-worker.ts', import.meta.url).href)};
await bookParseWorkerReady();
const r = new LobsterBookReader(${JSON.stringify(o)}, 5, { highWaterMark: 64 * 1024 });
const b = await r.next();
console.log('first block', b.length);`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(child.error, undefined, 'the child exited by itself');
  assert.equal(child.status, 0, child.stderr);
  assert.match(child.stdout, /first block \d+/);
});
