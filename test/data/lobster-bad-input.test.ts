import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { sharedFile } from '../helpers/shared-data.ts';
import { collect, tmpFile } from './helpers.ts';
import { DataError } from '../../src/core/errors.ts';
import { readLobsterBatches, reconstructLobster } from '../../src/data/lobster.ts';

const DAY = '2012-06-21_34200000_57600000';
const aapl = (kind: 'message' | 'orderbook') => sharedFile(`data/lobster/aapl-level10-first999/AAPL_${DAY}_${kind}_10.csv`);

/** Asserts a DataError at `file`:`line` (and `field`) whose message matches `re`. */
async function rejectsAt(p: Promise<unknown>, file: string, line: number, field: string | undefined, re: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof DataError, `expected a DataError, got ${String(e)}`);
    assert.equal(e.file, file);
    assert.equal(e.line, line);
    assert.equal(e.field, field);
    assert.match(e.message, re);
    assert.ok(e.message.startsWith(`${file}:${line}`), e.message);
    return true;
  });
}

/** The first `n` lines of a shared file with line `k` (1-based) replaced by `edit(line)`. */
function edited(src: string, name: string, n: number, k: number, edit: (line: string) => string): string {
  const lines = readFileSync(src, 'utf8').split('\n').slice(0, n);
  lines[k - 1] = edit(lines[k - 1]!);
  return tmpFile(name, lines.join('\n') + '\n');
}

test('bad input: a truncated .gz file is a DataError naming the file and the first line it could not read', async (t) => {
  const src = sharedFile(`data/lobster/full-day-gz/GOOG_${DAY}_message_1.csv.gz`);
  const ob = sharedFile(`data/lobster/full-day-gz/GOOG_${DAY}_orderbook_1.csv.gz`);
  if (!src || !ob) return t.skip('shared LOBSTER data missing');
  const bytes = readFileSync(src);
  const cut = tmpFile(`GOOG_${DAY}_message_1.csv.gz`, bytes.subarray(0, bytes.length >> 1));
  await assert.rejects(reconstructLobster(cut, ob, 1), (e: unknown) => {
    assert.ok(e instanceof DataError);
    assert.equal(e.file, cut);
    assert.ok(e.line > 1000 && e.line < 49_482, `line ${e.line}`);
    assert.match(e.message, /truncated or corrupt gzip data \(unexpected end of file\)/);
    return true;
  });
  // the event loader reports the same place
  await assert.rejects(collect(readLobsterBatches(cut)), /truncated or corrupt gzip/);
});

test('bad input: a row with the wrong column count (message and order-book files)', async (t) => {
  const m = aapl('message');
  const o = aapl('orderbook');
  if (!m || !o) return t.skip('shared LOBSTER data missing');
  const badM = edited(m, `AAPL_${DAY}_message_10.csv`, 50, 30, (l) => l.split(',').slice(0, 5).join(','));
  await rejectsAt(reconstructLobster(badM, o, 10), badM, 30, undefined, /expected 6 comma-separated fields, found 5/);
  const badO = edited(o, `AAPL_${DAY}_orderbook_10.csv`, 50, 12, (l) => l + ',100');
  await rejectsAt(reconstructLobster(m, badO, 10), badO, 12, undefined, /expected 40 comma-separated fields, found 41/);
  // the wrong --levels for a file is the same error on line 1
  await rejectsAt(reconstructLobster(m, o, 5), o, 1, undefined, /expected 20 comma-separated fields, found 40/);
});

test('bad input: price 9999999999 outside an empty-level slot (non-zero size), and other bad slots', async (t) => {
  const m = aapl('message');
  const o = aapl('orderbook');
  if (!m || !o) return t.skip('shared LOBSTER data missing');
  const withField = (k: number, v: string) => (l: string) => {
    const f = l.split(',');
    f[k] = v;
    return f.join(',');
  };
  const marker = edited(o, `AAPL_${DAY}_orderbook_10.csv`, 60, 20, withField(36, '9999999999'));
  await rejectsAt(reconstructLobster(m, marker, 10), marker, 20, 'askSize10', /price 9999999999 is the empty-level marker but the size is \d+ \(not an empty slot\)/);
  const wrongSide = edited(o, `AAPL_${DAY}_orderbook_10.csv`, 60, 21, withField(2, '9999999999'));
  await rejectsAt(reconstructLobster(m, wrongSide, 10), wrongSide, 21, 'bidPrice1', /empty-level marker of the other side/);
  const hole = edited(o, `AAPL_${DAY}_orderbook_10.csv`, 60, 22, (l) => {
    const f = l.split(',');
    f[8] = '9999999999';
    f[9] = '0';
    return f.join(',');
  });
  await rejectsAt(reconstructLobster(m, hole, 10), hole, 22, 'askPrice4', /ask level 4 at price \d+ follows an empty slot/);
  const unsorted = edited(o, `AAPL_${DAY}_orderbook_10.csv`, 60, 23, withField(6, '9000000'));
  await rejectsAt(reconstructLobster(m, unsorted, 10), unsorted, 23, 'bidPrice2', /bid level 2 price 9000000 is not below level 1/);
  const zeroSize = edited(o, `AAPL_${DAY}_orderbook_10.csv`, 60, 24, withField(1, '0'));
  await rejectsAt(reconstructLobster(m, zeroSize, 10), zeroSize, 24, 'askSize1', /ask size 0 of a level at price \d+ is not positive/);
  const msgMarker = edited(m, `AAPL_${DAY}_message_10.csv`, 60, 25, withField(4, '9999999999'));
  await rejectsAt(reconstructLobster(msgMarker, o, 10), msgMarker, 25, 'price', /price 9999999999 of a type-\d message is the empty-level marker/);
});

test('bad input: non-numeric fields name the field', async (t) => {
  const m = aapl('message');
  const o = aapl('orderbook');
  if (!m || !o) return t.skip('shared LOBSTER data missing');
  const cases: [number, string, string, RegExp][] = [
    [0, '34200.0x1', 'time', /'34200.0x1' is not a time in seconds after midnight/],
    [2, 'abc', 'orderId', /'abc' is not an integer/],
    [3, '1.5', 'size', /'1.5' is not an integer/],
    [5, '', 'direction', /'' is not an integer/],
  ];
  for (const [k, v, field, re] of cases) {
    const bad = edited(m, `AAPL_${DAY}_message_10.csv`, 40, 7, (l) => {
      const f = l.split(',');
      f[k] = v;
      return f.join(',');
    });
    await rejectsAt(reconstructLobster(bad, o, 10), bad, 7, field, re);
    await rejectsAt(collect(readLobsterBatches(bad)), bad, 7, field, re);
  }
  const badO = edited(o, `AAPL_${DAY}_orderbook_10.csv`, 40, 9, (l) => l.replace(/^\d+/, 'NaN'));
  await rejectsAt(reconstructLobster(m, badO, 10), badO, 9, 'askPrice1', /'NaN' is not an integer/);
});

test('bad input: message values (type, direction, halt price, time going back)', async (t) => {
  const m = aapl('message');
  const o = aapl('orderbook');
  if (!m || !o) return t.skip('shared LOBSTER data missing');
  const set = (k: number, v: string) => (l: string) => {
    const f = l.split(',');
    f[k] = v;
    return f.join(',');
  };
  const type8 = edited(m, `AAPL_${DAY}_message_10.csv`, 20, 5, set(1, '8'));
  await rejectsAt(reconstructLobster(type8, o, 10), type8, 5, 'type', /unknown message type 8/);
  const dir0 = edited(m, `AAPL_${DAY}_message_10.csv`, 20, 6, set(5, '0'));
  await rejectsAt(reconstructLobster(dir0, o, 10), dir0, 6, 'direction', /direction 0 is not 1 \(buy\) or -1 \(sell\)/);
  const halt = edited(m, `AAPL_${DAY}_message_10.csv`, 20, 7, () => '34200.05,7,0,0,2,-1');
  await rejectsAt(reconstructLobster(halt, o, 10), halt, 7, 'price', /type 7\) with price 2/);
  const back = edited(m, `AAPL_${DAY}_message_10.csv`, 20, 8, set(0, '34199.5'));
  await rejectsAt(reconstructLobster(back, o, 10), back, 8, 'time', /time goes back/);
});

test('bad input: files of different lengths', async (t) => {
  const m = aapl('message');
  const o = aapl('orderbook');
  if (!m || !o) return t.skip('shared LOBSTER data missing');
  const shortO = tmpFile(`AAPL_${DAY}_orderbook_10.csv`, readFileSync(o, 'utf8').split('\n').slice(0, 500).join('\n') + '\n');
  await rejectsAt(reconstructLobster(m, shortO, 10), m, 501, undefined, /the message file has more rows and the order-book file 500/);
  // a blank line in the middle would break the row <-> line pairing
  const blank = tmpFile(`AAPL_${DAY}_message_10.csv`, readFileSync(m, 'utf8').split('\n').slice(0, 10).join('\n\n'));
  await rejectsAt(collect(readLobsterBatches(blank)), blank, 2, undefined, /blank line inside the file/);
});

/** A level-1 day: a seed row, then an execution of a pre-existing (unknown) order larger than its level. */
function overdrawFiles(): { m: string; o: string } {
  const m = tmpFile(
    `OVER_${DAY}_message_1.csv`,
    ['34200.1,1,1,10,1000000,1', '34200.2,4,777,500,1001000,-1', '34200.3,1,2,5,1000000,1'].join('\n') + '\n',
  );
  const o = tmpFile(
    `OVER_${DAY}_orderbook_1.csv.gz`,
    gzipSync(['1001000,100,1000000,10', '1002000,40,1000000,10', '1002000,40,1000000,15'].join('\n') + '\n'),
  );
  return { m, o };
}

test('bad input: an execution of an unknown order id larger than its level is a DataError with file:line and the order id', async () => {
  const { m, o } = overdrawFiles();
  await rejectsAt(reconstructLobster(m, o, 1), m, 2, 'size', /execution of 500 for unknown order id 777 is larger than the ask level at price 1001000 \(100\)/);
});

test('bad input: overdraw "clamp" is a documented recovery: the level goes, the message is counted, the row resyncs', async () => {
  const { m, o } = overdrawFiles();
  const r = await reconstructLobster(m, o, 1, { overdraw: 'clamp' });
  assert.equal(r.clamped, 1);
  assert.equal(r.rows, 2);
  assert.equal(r.resynced, 1); // 1002000 x 40 enters the window after the clamped level is gone
  assert.equal(r.matched, 1);
  assert.equal(r.mismatched, 0);
});

test('bad input: an execution larger than what remains of a known order, a duplicate id, a price change of a known id', async () => {
  const ob = tmpFile(`KNOWN_${DAY}_orderbook_1.csv`, ['1001000,100,1000000,10', '1001000,100,1000000,30', '1001000,100,1000000,0'].join('\n').replace(/,0$/, ',5') + '\n');
  const cases: [string, RegExp][] = [
    ['34200.3,4,5,25,1000000,1', /execution of 25 for order id 5 is larger than its remaining size 20/],
    ['34200.3,1,5,1,1000000,1', /submission of order id 5, which is already live \(20 at 1000000\)/],
    ['34200.3,2,5,1,1000100,1', /order id 5 was submitted at price 1000000 on the bid side, this message says 1000100 on the bid side/],
  ];
  for (const [third, re] of cases) {
    const m = tmpFile(`KNOWN_${DAY}_message_1.csv`, ['34200.1,1,1,10,1000000,1', '34200.2,1,5,20,1000000,1', third].join('\n') + '\n');
    await assert.rejects(reconstructLobster(m, ob, 1), (e: unknown) => {
      assert.ok(e instanceof DataError);
      assert.equal(e.file, m);
      assert.equal(e.line, 3);
      assert.match(e.message, re);
      return true;
    });
  }
});
