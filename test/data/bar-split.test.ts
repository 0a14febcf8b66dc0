import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DataError } from '../../src/core/errors.ts';
import { SourceState } from '../../src/market/market-data.ts';
import { loadBarsCsv, type BarCsvOptions } from '../../src/data/bar-csv.ts';
import { newLoadStats } from '../../src/data/csv-table.ts';
import { barSplitStats, SPLIT_MIN_BYTES } from '../../src/data/bar-split.ts';
import { bookParseWorker, bookParseWorkerReady } from '../../src/data/lobster-book-worker.ts';
import { backtraderFile, tmpFile } from './helpers.ts';

/**
 * A bar file parsed on two threads (bar-split.ts) against the same file on one (`parallel: false`):
 * the same bars, counts and errors, whether the worker's half is taken or dropped (a row it cannot
 * take, time going back at the cut, a quote, a last line without a newline) or taken back.
 */

interface Outcome {
  instrument: string;
  bars: string[];
  stats: string;
  error: string;
}

async function load(path: string, options: BarCsvOptions): Promise<Outcome> {
  const out: Outcome = { instrument: '', bars: [], stats: '', error: '' };
  const stats = newLoadStats();
  try {
    const { instrument, source } = await loadBarsCsv(path, { ...options, stats });
    out.instrument = `${instrument.symbol} ${instrument.pricePrecision}/${instrument.sizePrecision}`;
    for (;;) {
      const s = source.advance();
      if (s === SourceState.Ready) {
        const b = source.current;
        out.bars.push(`${b.time},${b.open},${b.high},${b.low},${b.close},${b.volume}`);
      } else if (s === SourceState.Wait) await source.refill();
      else break;
    }
  } catch (err) {
    out.error = err instanceof DataError ? `DataError ${err.line} ${err.field} ${err.message}` : String(err);
  }
  out.stats = JSON.stringify({ read: stats.rowsRead, skipped: stats.rowsSkipped, errors: stats.errors.map((e) => e.message) });
  return out;
}

/** Loads `path` on two threads and on one, asserts the outcomes are equal, and returns the split counters' change. */
async function assertSame(path: string, options: BarCsvOptions = {}): Promise<{ onWorker: number; takenBack: number; dropped: number; outcome: Outcome }> {
  const before = barSplitStats();
  const two = await load(path, options);
  const after = barSplitStats();
  const one = await load(path, { ...options, parallel: false });
  assert.deepEqual(two, one);
  assert.deepEqual(barSplitStats(), after, 'parallel: false never splits');
  return { onWorker: after.onWorker - before.onWorker, takenBack: after.takenBack - before.takenBack, dropped: after.dropped - before.dropped, outcome: two };
}

/**
 * `assertSame` until the worker's half was taken (a busy machine may leave the worker idle past the
 * cut, and the load then takes the job back: the same outcome, but the worker's rows untested), at
 * most 50 tries.
 */
async function assertSameOnWorker(path: string): Promise<Outcome> {
  for (let i = 0; i < 50; i++) {
    const r = await assertSame(path);
    if (r.onWorker === 1) return r.outcome;
    assert.equal(r.onWorker + r.takenBack, 1, 'a clean file splits (or is taken back)');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail('the worker never parsed its half');
}

/** Minute bars from 2006-01-02 09:00, `rows` of them, prices with `dec` decimals. */
function minuteRows(rows: number, dec: number, seed: number): string[] {
  const out: string[] = [];
  let p = 3600 * 10 ** dec + seed;
  for (let i = 0; i < rows; i++) {
    const t = 9 * 60 + i;
    const day = 2 + Math.floor(t / 1440);
    const m = t % 1440;
    const date = `2006-01-${String(day).padStart(2, '0')}`;
    const tod = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00`;
    p += ((i * 7919 + seed) % 11) - 5;
    const f = (u: number) => (dec === 0 ? String(u) : `${Math.floor(u / 10 ** dec)}.${String(u % 10 ** dec).padStart(dec, '0')}`);
    out.push(`${date},${tod},${f(p)},${f(p + 3)},${f(p - 2)},${f(p + 1)},${100 + (i % 977)},0`);
  }
  return out;
}

const HEADER = 'Date,Open,High,Low,Close,Volume,OpenInterest';

/** What a property run puts near the middle of a file (where the cut falls). */
type Twist = 'none' | 'more-decimals' | 'time-back' | 'quote' | 'bad-row' | 'blank-lines' | 'crlf' | 'no-final-newline';

function render(rows: string[], twist: Twist, at: number, dec: number): string {
  const r = rows.slice();
  switch (twist) {
    case 'more-decimals':
      r[at] = r[at]!.replace(/,(\d+)(\.\d+)?,/, (_m, i: string, f: string | undefined) => `,${i}${f ?? '.'}${'0'.repeat(dec === 0 ? 2 : 1)}1,`);
      break;
    case 'time-back':
      r[at] = r[at - 1]!.replace('2006-01-', '2005-12-');
      break;
    case 'quote':
      r[at] = r[at]!.replace(/,0$/, ',"0"');
      break;
    case 'bad-row':
      r[at] = r[at]!.replace(/,(\d+)/, ',x$1');
      break;
    case 'blank-lines':
      r.splice(at, 0, '', '');
      break;
    default:
      break;
  }
  const eol = twist === 'crlf' ? '\r\n' : '\n';
  const text = [HEADER, ...r].join(eol) + eol;
  return twist === 'no-final-newline' ? text.slice(0, -eol.length) : text;
}

test('files around the cut, clean or with a twist there: two threads load exactly what one thread loads', async (t) => {
  if (!(await bookParseWorkerReady())) return t.skip('no parse worker (single core)');
  const twists: Twist[] = ['none', 'more-decimals', 'time-back', 'quote', 'bad-row', 'blank-lines', 'crlf', 'no-final-newline'];
  let split = 0;
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...twists), fc.integer({ min: -40, max: 40 }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 999 }), async (twist, offset, dec, seed) => {
      // about 330-400 KiB: above the split threshold, the cut near row 3,000
      const rows = minuteRows(6000 + (seed % 500), dec, seed);
      const path = tmpFile(`split-${twist}-${dec}-${seed}.csv`, render(rows, twist, 3000 + offset, dec));
      const r = await assertSame(path);
      split += r.onWorker;
      if (twist === 'none' || twist === 'blank-lines' || twist === 'crlf') {
        assert.equal(r.onWorker + r.takenBack, 1, 'a clean file splits');
        assert.equal(r.outcome.error, '');
      }
    }),
    { numRuns: 60, seed: 42 },
  );
  assert.ok(split > 0, 'some loads took the worker part');
});

test('time going back exactly at the cut: the worker part is dropped and the error names the line', async (t) => {
  if (!(await bookParseWorkerReady())) return t.skip('no parse worker (single core)');
  const rows = minuteRows(6000, 2, 7);
  const text = [HEADER, ...rows].join('\n') + '\n';
  // the cut: the first line start at or after the middle of the lines after the first data row
  const firstRow = text.indexOf('\n', text.indexOf('\n') + 1) + 1;
  const cut = text.lastIndexOf('\n', firstRow + ((text.length - firstRow) >> 1)) + 1;
  const cutRow = text.slice(0, cut).split('\n').length - 2; // index in `rows` of the first line of the worker's part
  const back = rows.slice();
  back[cutRow] = back[cutRow - 1]!.replace('2006-01-', '2005-12-');
  assert.equal(Buffer.byteLength(back.join('\n')), Buffer.byteLength(rows.join('\n')), 'same cut');
  const path = tmpFile('split-back-at-cut.csv', [HEADER, ...back].join('\n') + '\n');
  const r = await assertSame(path);
  // (on a busy machine the load may take the half back before the worker starts it: the same outcome)
  assert.equal(r.dropped + r.takenBack, 1, 'the worker part was dropped (or never parsed)');
  assert.match(r.outcome.error, new RegExp(`^DataError ${cutRow + 2} time `));
  assert.ok(r.outcome.bars.length <= cutRow, 'no bar from the bad row on');
});

test('a small file parses on one thread; a large one on two, and the worker part is what one thread makes', async (t) => {
  if (!(await bookParseWorkerReady())) return t.skip('no parse worker (single core)');
  const small = tmpFile('split-small.csv', [HEADER, ...minuteRows(1000, 2, 3)].join('\n') + '\n');
  assert.ok(Buffer.byteLength([HEADER, ...minuteRows(1000, 2, 3)].join('\n')) < SPLIT_MIN_BYTES);
  assert.equal((await assertSame(small)).onWorker, 0);
  const large = tmpFile('split-large.csv', [HEADER, ...minuteRows(20_000, 2, 3)].join('\n') + '\n');
  const r = await assertSameOnWorker(large);
  assert.equal(r.bars.length, 20_000);
  assert.equal(r.error, '');
});

test('rows far shorter than the first: the worker runs out of columns, its half is dropped, the same bars', async (t) => {
  if (!(await bookParseWorkerReady())) return t.skip('no parse worker (single core)');
  // the columns are sized for rows down to half the first row's length: a long first row, then short ones
  const rows = ['1136214000,100.000000000000,100.000000000000,100.000000000000,100.000000000000,1000000000000'];
  for (let i = 1; i < 30_000; i++) rows.push(`${1136214000 + 60 * i},1,2,1,1,${i % 10}`);
  const path = tmpFile('split-short-rows.csv', ['Time,Open,High,Low,Close,Volume', ...rows].join('\n') + '\n');
  const r = await assertSame(path, { timeFormat: 'epoch-s', validateRange: false });
  assert.equal(r.onWorker, 0, 'never taken');
  assert.equal(r.dropped + r.takenBack, 1);
  assert.equal(r.outcome.error, '');
  assert.equal(r.outcome.bars.length, 30_000);
});

test('a worker busy with other work: the load takes its half back, with the same bars', async (t) => {
  if (!(await bookParseWorkerReady())) return t.skip('no parse worker (single core)');
  const path = tmpFile('split-busy.csv', [HEADER, ...minuteRows(8000, 2, 5)].join('\n') + '\n');
  const seq = await load(path, { parallel: false });
  // a long chunk parse keeps the worker's thread busy (about 2 million rows of 4 numbers)
  const line = Buffer.from('5858000,100,5857000,200\n');
  const text = Buffer.alloc(line.length * 2_000_000);
  for (let o = 0; o < text.length; o += line.length) line.copy(text, o);
  const busy = bookParseWorker()!.parse(new Uint8Array(text.buffer, text.byteOffset, text.length), text.length, 4, null);
  const before = barSplitStats();
  const par = await load(path, {});
  assert.equal((await busy).rows, 2_000_000);
  assert.deepEqual(par, seq);
  assert.equal(barSplitStats().takenBack, before.takenBack + 1, 'the half was taken back');
  // and the worker takes a later load's half (once done with what the long parse left it: a GC, say)
  await assertSameOnWorker(path);
});

test('the backtrader minute file loads the same on two threads', async (t) => {
  const path = backtraderFile('2006-01-02-volume-min-001.txt');
  if (path === undefined) return t.skip('no shared data');
  if (!(await bookParseWorkerReady())) return t.skip('no parse worker (single core)');
  const r = await assertSameOnWorker(path);
  assert.equal(r.bars.length, 30_889);
});
