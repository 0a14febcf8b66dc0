import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { DataError } from '../../src/core/errors.ts';
import { Instrument } from '../../src/market/instrument.ts';
import { SourceState, type BarEvent } from '../../src/market/market-data.ts';
import { inferBarInstrument, loadBarsCsv, readBarBatches, type BarCsvOptions } from '../../src/data/bar-csv.ts';
import { newLoadStats, type LoadStats } from '../../src/data/csv-table.ts';
import { barFastPathRows } from '../../src/data/bar-bytes.ts';
import { forEachEvent } from '../../src/data/batch-source.ts';
import { sharedData, tmpDir, tmpFile } from './helpers.ts';

/**
 * The byte fast path (bar-bytes.ts, csv-scan-bytes.ts, the single read of csv-bytes.ts) against the
 * reference text path (`fastPath: false`): the same events, batches, precision, stats and errors
 * (message, line, field), on random bar files full of bad rows and on every backtrader data file.
 */

const RUNS = process.env.MARKETSIM_LONG ? 2000 : 250;

type Tuple = [number, number, number, number, number, number, string, number, number];

interface Outcome {
  precision: string;
  batches: number[];
  events: Tuple[];
  stats: string;
  error: string;
  loaded: Tuple[];
  loadedStats: string;
  loadError: string;
}

function tuple(e: BarEvent): Tuple {
  return [e.time, e.open, e.high, e.low, e.close, e.volume, e.instrument.symbol, e.instrument.pricePrecision, e.instrument.sizePrecision];
}

function describeError(err: unknown): string {
  if (err instanceof DataError) return `DataError ${err.line} ${err.field} ${err.message}`;
  if (err instanceof Error) return `${err.name} ${err.message}`;
  return String(err);
}

function describeStats(s: LoadStats): string {
  return JSON.stringify({ read: s.rowsRead, skipped: s.rowsSkipped, errors: s.errors.map(describeError) });
}

/** Everything observable of loading `path` with `options`, through the fast or the reference path. */
async function outcome(path: string, options: BarCsvOptions, fastPath: boolean): Promise<Outcome> {
  const opts: BarCsvOptions = { ...options, fastPath };
  const out: Outcome = { precision: '', batches: [], events: [], stats: '', error: '', loaded: [], loadedStats: '', loadError: '' };
  let inst: Instrument | undefined;
  try {
    inst = await inferBarInstrument(path, opts);
    out.precision = `${inst.pricePrecision}/${inst.sizePrecision}`;
  } catch (err) {
    out.precision = describeError(err);
  }
  const stats = newLoadStats();
  try {
    for await (const batch of readBarBatches(path, { ...opts, instrument: inst ?? new Instrument(0, { symbol: 'X', pricePrecision: 2 }), stats })) {
      out.batches.push(batch.length);
      for (const e of batch) out.events.push(tuple(e));
    }
  } catch (err) {
    out.error = describeError(err);
  }
  out.stats = describeStats(stats);
  const loadStats = newLoadStats();
  try {
    const { source } = await loadBarsCsv(path, { ...opts, stats: loadStats });
    for (;;) {
      const s = source.advance();
      if (s === SourceState.Ready) out.loaded.push(tuple(source.current));
      else if (s === SourceState.Wait) await source.refill();
      else break;
    }
  } catch (err) {
    out.loadError = describeError(err);
  }
  out.loadedStats = describeStats(loadStats);
  return out;
}

async function assertSame(path: string, options: BarCsvOptions): Promise<Outcome> {
  const fast = await outcome(path, options, true);
  const ref = await outcome(path, options, false);
  assert.deepStrictEqual(fast, ref);
  return fast;
}

// ---------------------------------------------------------------------------------------------
// Random files

type Layout = 'backtrader' | 'yahoo' | 'minute' | 'dateTimeCols' | 'iso' | 'space' | 'epoch-s' | 'epoch-ms' | 'epoch-ns' | 'compact' | 'noheader';
const LAYOUTS: Layout[] = ['backtrader', 'yahoo', 'minute', 'dateTimeCols', 'iso', 'space', 'epoch-s', 'epoch-ms', 'epoch-ns', 'compact', 'noheader'];

const BAD = [
  'nan', 'junk', 'empty', 'neg', 'negzero', 'exp', 'space', 'trailspace', 'plus', 'dot', 'dotend', 'huge', 'manydec', 'highlow', 'openout',
  'ooo', 'fewer', 'more', 'quote', 'quotecomma', 'unterminated', 'blank', 'wsline', 'crline', 'nonascii', 'nonasciiskip', 'cr', 'baddate',
  'badtod', 'zulu', 'offset', 'frac', 'longfrac', 'zero', 'bigvol', 'leadzero', 'midcr', 'emptyfrac', 'todspace',
] as const;
type Bad = (typeof BAD)[number] | 'none';

interface Row {
  dt: number;
  low: number;
  span: number;
  fo: number;
  fcl: number;
  dec: number;
  pad: number;
  vol: number;
  volDec: number;
  bad: Bad;
  col: number;
}

const rowArb: fc.Arbitrary<Row> = fc.record({
  dt: fc.integer({ min: 0, max: 200_000 }),
  low: fc.integer({ min: 0, max: 50_000_000 }),
  span: fc.integer({ min: 0, max: 500_000 }),
  fo: fc.integer({ min: 0, max: 100 }),
  fcl: fc.integer({ min: 0, max: 100 }),
  dec: fc.integer({ min: 0, max: 4 }),
  pad: fc.integer({ min: 0, max: 2 }),
  vol: fc.integer({ min: 0, max: 2_000_000_000 }),
  volDec: fc.integer({ min: 0, max: 2 }),
  bad: fc.oneof({ weight: 12, arbitrary: fc.constant<Bad>('none') }, { weight: 1, arbitrary: fc.constantFrom<Bad>(...BAD) }),
  col: fc.integer({ min: 0, max: 7 }),
});

interface FileSpec {
  layout: Layout;
  rows: Row[];
  delimiter: ',' | ';' | '\t';
  crlf: boolean;
  finalNewline: boolean;
  bom: boolean;
  gzip: boolean;
  onError: 'throw' | 'skip';
  given: 0 | 1 | 2; // inferred instrument, given (tick 1), given (tick 5)
  givenPrecision: number;
  adjusted: boolean;
  validateRange: boolean;
  highWaterMark: number;
  wholeFileMax: number;
  frac: number; // fraction digits of iso times
  /** Every row written with the first row's decimals (as most real files are): the load's direct scan then keeps its columns to the end. */
  sameDecimals: boolean;
}

const specArb: fc.Arbitrary<FileSpec> = fc.record({
  layout: fc.constantFrom(...LAYOUTS),
  rows: fc.array(rowArb, { minLength: 0, maxLength: 60, size: 'large' }),
  delimiter: fc.constantFrom<',' | ';' | '\t'>(',', ',', ',', ';', '\t'),
  crlf: fc.boolean(),
  finalNewline: fc.boolean(),
  bom: fc.boolean(),
  gzip: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  onError: fc.constantFrom<'throw' | 'skip'>('throw', 'skip'),
  given: fc.constantFrom<0 | 1 | 2>(0, 0, 1, 2),
  givenPrecision: fc.integer({ min: 3, max: 6 }),
  adjusted: fc.boolean(),
  validateRange: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  highWaterMark: fc.constantFrom(0, 0, 1, 7, 64, 300, 4096),
  wholeFileMax: fc.constantFrom(-1, -1, 0, 100),
  frac: fc.integer({ min: 0, max: 9 }),
  sameDecimals: fc.boolean(),
});

/** `units` at `dec` decimals, with `pad` extra zeros. */
function decimal(units: number, dec: number, pad: number): string {
  let s = String(units);
  if (dec > 0) {
    s = s.padStart(dec + 1, '0');
    s = `${s.slice(0, -dec)}.${s.slice(-dec)}`;
  }
  if (pad > 0) s += (dec > 0 ? '' : '.') + '0'.repeat(pad);
  return s;
}

const two = (n: number): string => String(n).padStart(2, '0');

function dateOf(sec: number): string {
  return new Date(sec * 1000).toISOString().slice(0, 10);
}

function todOf(sec: number): string {
  return new Date(sec * 1000).toISOString().slice(11, 19);
}

const T0 = Date.UTC(2006, 0, 2) / 1000;

/** Renders a spec into file text and loader options. */
function render(spec: FileSpec): { text: string; options: BarCsvOptions } {
  const lay = spec.layout;
  const d = spec.delimiter;
  const lines: string[] = [];
  let header: string[] | undefined;
  switch (lay) {
    case 'backtrader':
    case 'minute':
    case 'compact':
      header = ['Date', 'Open', 'High', 'Low', 'Close', 'Volume', 'OpenInterest'];
      break;
    case 'yahoo':
      header = ['Date', 'Open', 'High', 'Low', 'Close', 'Adj Close', 'Volume'];
      break;
    case 'dateTimeCols':
      header = ['Date', 'Time', 'Open', 'High', 'Low', 'Close', 'Volume'];
      break;
    case 'iso':
    case 'space':
      header = ['Datetime', 'Open', 'High', 'Low', 'Close', 'Volume', 'OpenInterest'];
      break;
    case 'epoch-s':
    case 'epoch-ms':
    case 'epoch-ns':
      header = ['time', 'open', 'high', 'low', 'close', 'volume'];
      break;
    case 'noheader':
      header = undefined;
  }
  if (header) lines.push(header.join(d));
  let sec = T0;
  for (const r of spec.rows) {
    const daily = lay === 'backtrader' || lay === 'yahoo' || lay === 'compact' || lay === 'noheader';
    sec += daily ? Math.floor(r.dt / 50_000) * 86_400 : r.dt;
    let t = sec;
    if (r.bad === 'ooo') t -= daily ? 86_400 * 3 : 7_200;
    // on a tick of 5 units when the given instrument has one (most rows; the rest are off the grid)
    const g = spec.given === 2 && r.col !== 7 ? 5 : 1;
    const low = r.low - (r.low % g);
    const high = low + r.span - (r.span % g);
    const open = low + Math.floor((r.span * r.fo) / 100 / g) * g;
    const close = low + Math.floor((r.span * r.fcl) / 100 / g) * g;
    const first = spec.rows[0]!;
    const px = (u: number): string => (spec.sameDecimals ? decimal(u, first.dec, first.pad) : decimal(u, r.dec, r.pad));
    let o = px(open);
    let h = px(high);
    let l = px(low);
    const c = px(close);
    const v = decimal(r.vol, r.volDec, 0);
    if (r.bad === 'highlow' && high > low) [h, l] = [l, h];
    if (r.bad === 'openout') o = px(high + 1 + r.span);
    let fields: string[];
    const frac = spec.frac > 0 ? '.' + '123456789'.slice(0, spec.frac) : '';
    switch (lay) {
      case 'backtrader':
        fields = [dateOf(t), o, h, l, c, v, '0'];
        break;
      case 'compact':
        fields = [dateOf(t).replaceAll('-', ''), o, h, l, c, v, '0'];
        break;
      case 'noheader':
        fields = [dateOf(t), o, h, l, c, v];
        break;
      case 'yahoo':
        fields = [dateOf(t), o, h, l, c, px(Math.max(g, close - ((close >> 3) - ((close >> 3) % g)))), v];
        break;
      case 'minute':
        fields = [dateOf(t), todOf(t), o, h, l, c, v, '0'];
        break;
      case 'dateTimeCols':
        fields = [dateOf(t), todOf(t).slice(0, r.col % 2 === 0 ? 8 : 5), o, h, l, c, v];
        break;
      case 'iso':
        fields = [`${dateOf(t)}T${todOf(t)}${frac}`, o, h, l, c, v, '0'];
        break;
      case 'space':
        fields = [`${dateOf(t)} ${todOf(t)}`, o, h, l, c, v, '0'];
        break;
      case 'epoch-s':
        fields = [String(t), o, h, l, c, v];
        break;
      case 'epoch-ms':
        fields = [String(t * 1000 + (r.col * 37) % 1000), o, h, l, c, v];
        break;
      case 'epoch-ns':
        fields = [String(BigInt(t) * 1_000_000_000n + BigInt(r.vol % 1_000_000_000)), o, h, l, c, v];
        break;
    }
    const k = 1 + (r.col % (fields.length - 1)); // a field other than the time
    const lastCol = fields.length - 1;
    switch (r.bad) {
      case 'nan':
        fields[k] = 'NaN';
        break;
      case 'junk':
        fields[k] = '1x' + fields[k];
        break;
      case 'empty':
        fields[k] = '';
        break;
      case 'neg':
        fields[k] = '-' + fields[k];
        break;
      case 'negzero':
        fields[k] = '-0';
        break;
      case 'exp':
        fields[k] = '1.5e2';
        break;
      case 'space':
        fields[k] = ' ' + fields[k];
        break;
      case 'trailspace':
        fields[k] = fields[k] + ' ';
        break;
      case 'plus':
        fields[k] = '+' + fields[k];
        break;
      case 'dot':
        fields[k] = '.5';
        break;
      case 'dotend':
        fields[k] = '5.';
        break;
      case 'huge':
        fields[k] = '1234567890123456.5';
        break;
      case 'manydec':
        fields[k] = fields[k] + (fields[k]!.includes('.') ? '' : '.') + '1234567';
        break;
      case 'fewer':
        fields.pop();
        break;
      case 'more':
        fields.push('0');
        break;
      case 'quote':
        fields[k] = `"${fields[k]}"`;
        break;
      case 'quotecomma':
        fields[lastCol] = `"1${d}2"`;
        break;
      case 'unterminated':
        fields[k] = `"${fields[k]}`;
        break;
      case 'nonascii':
        fields[k] = fields[k] + 'é';
        break;
      case 'nonasciiskip':
        fields[lastCol] = 'ü' + fields[lastCol];
        break;
      case 'cr':
        fields[k] = fields[k] + '\r';
        break;
      case 'midcr':
        fields[lastCol] = fields[lastCol] + '\r\r';
        break;
      case 'baddate':
        fields[0] = fields[0]!.replace(/^(\d{4})-?\d\d-?\d\d/, (m, y: string) => (m.includes('-') ? `${y}-02-30` : `${y}0230`));
        break;
      case 'badtod':
        if (lay === 'minute' || lay === 'dateTimeCols') fields[1] = '25:00:00';
        else fields[0] = fields[0]!.replace(/\d\d:/, '24:');
        break;
      case 'zulu':
        fields[0] = fields[0] + 'Z';
        break;
      case 'offset':
        fields[0] = fields[0] + '+01:00';
        break;
      case 'frac':
        if (lay === 'minute' || lay === 'dateTimeCols') fields[1] = fields[1] + '.5';
        else fields[0] = fields[0] + '.000001';
        break;
      case 'emptyfrac':
        if (lay === 'minute' || lay === 'dateTimeCols') fields[1] = fields[1] + '.';
        else fields[0] = fields[0] + '.';
        break;
      case 'todspace':
        if (lay === 'minute' || lay === 'dateTimeCols') fields[1] = fields[1] + ' ';
        else fields[0] = fields[0] + ' ';
        break;
      case 'longfrac':
        fields[0] = fields[0] + '.1234567890';
        break;
      case 'zero':
        fields[k] = '0';
        break;
      case 'bigvol':
        fields[fields.length - (lay === 'yahoo' ? 1 : lay === 'noheader' || lay.startsWith('epoch') || lay === 'dateTimeCols' ? 1 : 2)] = '123456789012345678';
        break;
      case 'leadzero':
        fields[k] = '000' + fields[k];
        break;
    }
    if (r.bad === 'blank') lines.push('');
    if (r.bad === 'wsline') lines.push(' ');
    if (r.bad === 'crline') lines.push('\r');
    lines.push(fields.join(d));
  }
  const nl = spec.crlf ? '\r\n' : '\n';
  let text = lines.join(nl) + (spec.finalNewline ? nl : '');
  if (spec.bom) text = '\ufeff' + text;
  const options: BarCsvOptions = { onError: spec.onError, delimiter: d, validateRange: spec.validateRange };
  if (spec.layout === 'noheader') options.header = false;
  if (spec.layout === 'space' && spec.frac % 2 === 1) options.timeFormat = 'YYYY-MM-DD HH:mm:ss';
  if (spec.layout === 'yahoo' && spec.adjusted) options.adjusted = 'adj-close';
  if (spec.given > 0) options.instrument = new Instrument(0, { symbol: 'GIVEN', pricePrecision: spec.givenPrecision, tickUnits: spec.given === 2 ? 5 : 1, sizePrecision: 2 });
  if (spec.highWaterMark > 0) options.highWaterMark = spec.highWaterMark;
  if (spec.wholeFileMax >= 0) options.wholeFileMax = spec.wholeFileMax;
  return { text, options };
}

let fileNo = 0;

async function loadAndCount(path: string): Promise<{ bars: number }> {
  const { source } = await loadBarsCsv(path);
  let bars = 0;
  await forEachEvent(source, () => bars++);
  return { bars };
}

test('random bar files with bad rows of every kind: the fast path matches the reference path exactly', async () => {
  await fc.assert(
    fc.asyncProperty(specArb, async (spec) => {
      const { text, options } = render(spec);
      const name = `fast-${fileNo++}.csv${spec.gzip ? '.gz' : ''}`;
      const path = tmpFile(name, spec.gzip ? gzipSync(Buffer.from(text, 'utf8')) : Buffer.from(text, 'utf8'));
      await assertSame(path, options);
    }),
    { numRuns: RUNS, seed: 20261125 },
  );
});

test('files of mostly good rows: the fast path takes them and matches the reference path', async () => {
  const good = rowArb.map((r): Row => ({ ...r, bad: 'none' }));
  const before = barFastPathRows();
  let total = 0;
  await fc.assert(
    fc.asyncProperty(specArb, fc.array(good, { minLength: 1, maxLength: 200, size: 'medium' }), async (spec, rows) => {
      const { text, options } = render({ ...spec, rows: [...rows, ...spec.rows.slice(0, 3)] });
      const path = tmpFile(`good-${fileNo++}.csv`, Buffer.from(text, 'utf8'));
      const got = await assertSame(path, options);
      total += got.events.length + got.loaded.length;
    }),
    { numRuns: Math.ceil(RUNS / 2), seed: 7 },
  );
  const fast = barFastPathRows() - before;
  assert.ok(fast > total / 2, `the fast path decoded ${fast} of ${total} rows`);
});

test('a valid quoted field in any chunk of a file read whole: every row loads, as on the reference path', async () => {
  // plain rows with the first row's decimals (so the load's direct scan keeps its columns) and a few
  // rows with a quoted field: a chunk with a quote byte is scanned as text, which the direct scan
  // never sees; it must give up rather than hand out its columns without that chunk's rows
  const good = rowArb.map((r): Row => ({ ...r, bad: 'none' }));
  await fc.assert(
    fc.asyncProperty(
      specArb,
      fc.array(good, { minLength: 2, maxLength: 80, size: 'max' }),
      fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
      fc.constantFrom(1, 64, 300),
      async (spec, rows, at, highWaterMark) => {
        const marked = rows.map((r, i) => (i > 0 && at.some((a) => a % rows.length === i) ? { ...r, bad: 'quote' as const } : r));
        const { text, options } = render({ ...spec, rows: marked, sameDecimals: true, given: 0, gzip: false, wholeFileMax: -1, highWaterMark });
        const path = tmpFile(`quoted-${fileNo++}.csv`, Buffer.from(text, 'utf8'));
        await assertSame(path, options);
      },
    ),
    { numRuns: Math.ceil(RUNS / 2), seed: 11 },
  );
  // the same with the default 1 MiB chunks: a quoted field in the second MiB of a 1.6 MB file
  const lines = ['Date,Open,High,Low,Close,Volume,OpenInterest'];
  for (let i = 0; i < 40_000; i++) lines.push(`${dateOf(T0 + i * 86_400)},10.00,11.00,9.00,10.50,100,${i === 30_000 ? '"0"' : '0'}`);
  const path = tmpFile(`quoted-big-${fileNo++}.csv`, lines.join('\n') + '\n');
  const { source } = await loadBarsCsv(path);
  let bars = 0;
  await forEachEvent(source, () => bars++);
  assert.equal(bars, 40_000);
});

test('hand-picked edge cases match the reference path', async () => {
  const H = 'Date,Open,High,Low,Close,Volume,OpenInterest\n';
  const cases: [string, BarCsvOptions][] = [
    [H, {}],
    ['', {}],
    [H + '\n\n', {}],
    [H + '2006-01-02,1,1,1,1,1,0', {}],
    [H + '2006-01-02,1,1,1,1,1,0\r', {}],
    [H + '2006-01-02,1.5,2,1,1,1,0\n2006-01-01,1,1,1,1,1,0\n', { onError: 'skip' }],
    [H + '2006-01-02,09:01:00,1,1,1,1,1,0\n2006-01-02,09:02,1,1,1,1,1,0\n2006-01-02,09:03:00.25,1,1,1,1,1,0\n', {}],
    [H + '2006-01-02,1,1,1,1,1,0\n2006-01-02,1,1,1,1,1\n2006-01-02,1,1,1,1,1,0,0\n', { onError: 'skip' }],
    [H + '2006-01-02,1,1,1,1,1,"0"\n2006-01-02,"1",1,1,1,1,0\n', { onError: 'skip' }],
    [H + '2006-01-02,1,1,1,1,1,0\n   \n\r\n2006-01-03,1,1,1,1,1,0\n', {}],
    [H + '2024-02-29,1,1,1,1,1,0\n2023-02-29,1,1,1,1,1,0\n', { onError: 'skip' }],
    [H + '2006-01-02,999999999999999,999999999999999,1,1,1,0\n', { onError: 'skip' }],
    [H + '2006-01-02,9999999999999.99,9999999999999.99,1,1,1,0\n', { onError: 'skip', pricePrecision: 2 }],
    [H + '2006-01-02,1.25,1.25,1.25,1.25,1,0\n', { pricePrecision: 1, onError: 'skip' }],
    ['Datetime,Open,High,Low,Close,Volume,OpenInterest\n2015-09-23T20:57:42.146,3067.00,3067.00,3067.00,3067.00,180,0\n2015-09-23 20:57:43Z,1,1,1,1,1,0\n2015-09-23t20:57:44.123456789,1,1,1,1,1,0\n2015-09-23T20:57:45+01:00,1,1,1,1,1,0\n', { onError: 'skip' }],
    ['time;open;high;low;close;volume\n1136160000;1;1;1;1;1\n1136160060;1,5;1;1;1;1\n', { delimiter: ';', onError: 'skip' }],
  ];
  for (const [i, [text, options]] of cases.entries()) {
    const path = tmpFile(`edge-${i}.csv`, text);
    await assertSame(path, options);
  }
  // a file that cannot be read: the same error from the single read as from the stream
  const missing = await assertSame(join(tmpDir(), 'no-such-file.csv'), {});
  assert.match(missing.loadError, /cannot read file \(ENOENT\)/);
  assert.match(missing.precision, /cannot read file \(ENOENT\)/);
});

test('every backtrader data file loads the same through both paths', async (t) => {
  const dir = join(sharedData, 'backtrader/datas');
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => statSync(join(dir, n)).isFile());
  } catch {
    if (process.env.CI === 'true') assert.fail(`missing ${dir}`);
    return t.skip('no backtrader data');
  }
  assert.ok(names.length > 0);
  for (const name of names) {
    const path = join(dir, name);
    const before = barFastPathRows();
    const { bars } = await loadAndCount(path);
    // the first data row sets up the layout through the reference path; every other row is fast (and
    // the first too when the scan's guess of the precision holds: bar-direct-scan.ts)
    const fast = barFastPathRows() - before;
    assert.ok(fast === bars || fast === bars - 1, `${name}: every row (but maybe the first) through the fast path: ${fast} of ${bars}`);
    for (const options of [{}, { onError: 'skip' } as const, { highWaterMark: 10_000 }, { wholeFileMax: 0 }]) {
      const got = await assertSame(path, options);
      assert.ok(got.loaded.length > 0 || got.loadError !== '', `${name}: nothing loaded`);
    }
  }
});
