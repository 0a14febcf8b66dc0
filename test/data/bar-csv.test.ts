import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { DataError } from '../../src/core/errors.ts';
import { parseScaled } from '../../src/core/fixed-point.ts';
import { Instrument, InstrumentRegistry } from '../../src/market/instrument.ts';
import { SourceState, type BarEvent } from '../../src/market/market-data.ts';
import { inferBarInstrument, loadBarsCsv, readBarBatches, type BarCsvOptions } from '../../src/data/bar-csv.ts';
import { MAX_KEPT_ERRORS, newLoadStats } from '../../src/data/csv-table.ts';
import { backtraderFile, collect, drain, tmpDir, tmpFile } from './helpers.ts';
import { join } from 'node:path';

const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number => Date.UTC(y, mo - 1, d, h, mi, s, ms) * 1000;

async function loadAll(path: string, options: BarCsvOptions = {}): Promise<{ bars: BarEvent[]; instrument: Instrument }> {
  const { instrument, source } = await loadBarsCsv(path, options);
  return { bars: await drain(source), instrument };
}

/** Expects the load to fail with a DataError at file:line naming the field. */
async function expectError(path: string, line: number, field: string | undefined, pattern: RegExp, options: BarCsvOptions = {}): Promise<void> {
  await assert.rejects(loadAll(path, options), (e: unknown) => {
    assert.ok(e instanceof DataError, `expected a DataError, got ${String(e)}`);
    assert.equal(e.line, line);
    assert.equal(e.field, field);
    assert.ok(e.message.startsWith(`${path}:${line}${field ? ` field ${field}` : ''}: `), e.message);
    assert.match(e.message, pattern);
    return true;
  });
}

const HDR = 'Date,Open,High,Low,Close,Volume\n';

test('Yahoo daily file orcl-2014.txt: 252 bars, precision inferred as 6, exact first and last bars', async (t) => {
  const p = backtraderFile('orcl-2014.txt');
  if (!p) return t.skip('orcl-2014.txt missing');
  const { bars, instrument } = await loadAll(p);
  assert.equal(bars.length, 252);
  assert.equal(instrument.symbol, 'orcl-2014');
  assert.equal(instrument.pricePrecision, 6);
  assert.deepEqual({ ...bars[0], instrument: undefined }, { kind: 'bar', time: utc(2014, 1, 2), instrument: undefined, open: 37.779999, high: 38.029999, low: 37.549999, close: 37.84, volume: 18162100 });
  assert.deepEqual({ ...bars.at(-1), instrument: undefined }, { kind: 'bar', time: utc(2014, 12, 31), instrument: undefined, open: 45.450001, high: 45.560001, low: 44.970001, close: 44.970001, volume: 13269200 });
  assert.equal(bars[0]!.instrument, instrument);
});

test('exact decimals: every price of orcl-2014 and nvda survives text -> units -> double -> units', async (t) => {
  for (const name of ['orcl-2014.txt', 'nvda-1999-2014.txt']) {
    const p = backtraderFile(name);
    if (!p) return t.skip(`${name} missing`);
    const { bars, instrument } = await loadAll(p);
    const lines = readFileSync(p, 'utf8').trim().split('\n').slice(1);
    assert.equal(bars.length, lines.length);
    lines.forEach((line, i) => {
      const f = line.trim().split(',');
      const b = bars[i]!;
      const got = [b.open, b.high, b.low, b.close];
      for (let k = 0; k < 4; k++) {
        assert.equal(got[k], Number(f[k + 1]), `${name} row ${i + 2} col ${k + 1}`);
        assert.equal(instrument.priceUnits(got[k]!), parseScaled(f[k + 1]!, 6));
      }
    });
    if (name.startsWith('nvda')) {
      assert.equal(bars[0]!.high, 1.953125);
      assert.equal(instrument.priceUnits(bars[0]!.high), 1953125);
      assert.equal(bars.length, 4012);
    } else {
      assert.equal(instrument.priceUnits(bars[0]!.open), 37779999);
    }
  }
});

test('the long Yahoo files load whole: orcl 5,036, yhoo 4,713 bars', async (t) => {
  for (const [name, n] of [['orcl-1995-2014.txt', 5036], ['yhoo-1996-2014.txt', 4713]] as const) {
    const p = backtraderFile(name);
    if (!p) return t.skip(`${name} missing`);
    const { bars } = await loadAll(p);
    assert.equal(bars.length, n, name);
    for (let i = 1; i < bars.length; i++) assert.ok(bars[i]!.time > bars[i - 1]!.time);
  }
});

test("adjusted: 'adj-close' scales OHLC by AdjClose/Close, on the grid; raw is the default", async (t) => {
  const p = backtraderFile('orcl-2014.txt');
  if (!p) return t.skip('orcl-2014.txt missing');
  const { bars, instrument } = await loadAll(p, { adjusted: 'adj-close' });
  const b = bars[0]!;
  assert.equal(b.close, 35.166069);
  const r = 35.166069 / 37.84;
  assert.equal(b.open, Math.round(37.779999 * r * 1e6) / 1e6);
  assert.equal(b.high, Math.round(38.029999 * r * 1e6) / 1e6);
  assert.equal(b.low, Math.round(37.549999 * r * 1e6) / 1e6);
  for (const x of bars) {
    for (const v of [x.open, x.high, x.low, x.close]) assert.ok(!Number.isNaN(instrument.priceUnits(v)), 'on the grid');
    assert.ok(x.low <= Math.min(x.open, x.close) && x.high >= Math.max(x.open, x.close));
  }
  assert.equal(bars.at(-1)!.close, 42.303135);
  assert.equal(bars.at(-1)!.volume, 13269200, 'volume is not adjusted');
});

test('backtrader daily 2006-day-001.txt: 255 bars with OpenInterest ignored', async (t) => {
  const p = backtraderFile('2006-day-001.txt');
  if (!p) return t.skip('2006-day-001.txt missing');
  const { bars, instrument } = await loadAll(p);
  assert.equal(bars.length, 255);
  assert.equal(instrument.pricePrecision, 2);
  assert.deepEqual([bars[0]!.time, bars[0]!.open, bars[0]!.high, bars[0]!.low, bars[0]!.close, bars[0]!.volume], [utc(2006, 1, 2), 3578.73, 3605.95, 3578.73, 3604.33, 0]);
  const last = bars.at(-1)!;
  assert.deepEqual([last.time, last.open, last.high, last.low, last.close], [utc(2006, 12, 29), 4130.12, 4142.01, 4119.94, 4119.94]);
});

test('backtrader minute file: rows carry date and time under a header without Time (CRLF): 30,889 bars', async (t) => {
  const p = backtraderFile('2006-01-02-volume-min-001.txt');
  if (!p) return t.skip('minute file missing');
  const { bars, instrument } = await loadAll(p);
  assert.equal(bars.length, 30889);
  assert.equal(instrument.pricePrecision, 2);
  assert.deepEqual([bars[0]!.time, bars[0]!.open, bars[0]!.high, bars[0]!.low, bars[0]!.close, bars[0]!.volume], [utc(2006, 1, 2, 9, 1), 3602, 3603, 3597, 3599, 5699]);
  assert.equal(bars[1]!.time - bars[0]!.time, 60_000_000);
  const last = bars.at(-1)!;
  assert.deepEqual([last.time, last.open, last.high, last.low, last.close, last.volume], [utc(2006, 2, 27, 22, 0), 3840, 3840, 3838, 3838, 327]);
});

test('ticksample.csv read as bars: 135 rows with millisecond ISO stamps', async (t) => {
  const p = backtraderFile('ticksample.csv');
  if (!p) return t.skip('ticksample.csv missing');
  const { bars } = await loadAll(p);
  assert.equal(bars.length, 135);
  assert.equal(bars[0]!.time, utc(2015, 9, 23, 20, 57, 42, 146));
  assert.equal(bars[0]!.close, 3067);
  assert.equal(bars[0]!.volume, 180);
  assert.equal(bars.at(-1)!.time, utc(2015, 9, 23, 21, 0, 0, 238));
  assert.equal(bars.at(-1)!.close, 3069);
});

test('a separate Date and Time header pair is joined', async () => {
  const p = tmpFile('split.csv', 'Date,Time,Open,High,Low,Close\n2024-03-01,09:30:00,10.5,11,10,10.75\n2024-03-01,09:31:00.250,10.75,10.75,10.5,10.5\n');
  const { bars } = await loadAll(p);
  assert.deepEqual(bars.map((b) => b.time), [utc(2024, 3, 1, 9, 30), utc(2024, 3, 1, 9, 31, 0, 250)]);
  const bad = tmpFile('split-bad.csv', 'Date,Time,Open,High,Low,Close\n2024-03-01,9h30,10.5,11,10,10.75\n');
  await expectError(bad, 2, 'timeOfDay', /unparsable time of day '9h30' in column Time/);
  assert.equal(bars[0]!.volume, 0, 'no volume column: volume 0');
});

test('generic layouts: column map by name and by index, delimiters, epoch units, compact dates, gzip', async () => {
  const ms = Date.UTC(2024, 0, 2, 14, 30);
  const named = tmpFile('named.csv', `ts;o;h;l;c;v\n${ms};1.5;2;1;1.75;10.5\n${ms + 60000};1.75;1.75;1.25;1.5;3\n`);
  const a = await loadAll(named, { delimiter: ';', timeFormat: 'epoch-ms', columns: { time: 'ts', open: 'o', high: 'h', low: 'l', close: 'c', volume: 'v' } });
  assert.deepEqual(a.bars.map((b) => [b.time, b.open, b.high, b.low, b.close, b.volume]), [
    [ms * 1000, 1.5, 2, 1, 1.75, 10.5],
    [(ms + 60000) * 1000, 1.75, 1.75, 1.25, 1.5, 3],
  ]);
  assert.equal(a.instrument.sizePrecision, 1, 'size precision inferred from the volume column');

  const noHeader = tmpFile('nohdr.csv', '1,20240102,5,6,4,5.5,100\n2,20240103,5.5,7,5,6,200\n');
  const b = await loadAll(noHeader, { header: false, columns: { time: 1, open: 2, high: 3, low: 4, close: 5, volume: 6 } });
  assert.deepEqual(b.bars.map((x) => [x.time, x.close, x.volume]), [[utc(2024, 1, 2), 5.5, 100], [utc(2024, 1, 3), 6, 200]]);

  const positional = tmpFile('pos.csv', '1704205800,5,6,4,5.5\n');
  const c = await loadAll(positional, { header: false });
  assert.deepEqual(c.bars.map((x) => [x.time, x.open, x.high, x.low, x.close]), [[1704205800_000000, 5, 6, 4, 5.5]]);

  const us = tmpFile('us.csv', 'timestamp,open,high,low,close,volume\n1704205800123456,5,6,4,5.5,1\n');
  assert.equal((await loadAll(us)).bars[0]!.time, 1704205800_123456, 'epoch-us detected from 16 digits');

  const spaced = tmpFile('spaced.csv', 'datetime,open,high,low,close\n2024-01-02 14:30:00,5,6,4,5.5\n');
  assert.equal((await loadAll(spaced, { timeFormat: 'YYYY-MM-DD HH:mm:ss' })).bars[0]!.time, utc(2024, 1, 2, 14, 30));

  const gz = tmpFile('bars.csv.gz', gzipSync(HDR + '2024-01-02,1,2,0.5,1.5,7\n'));
  assert.deepEqual((await loadAll(gz)).bars.map((x) => [x.close, x.volume]), [[1.5, 7]]);
  assert.equal((await loadAll(gz)).instrument.symbol, 'bars');

  const quoted = tmpFile('quoted.csv', '"Date","Open","High","Low","Close"\n"2024-01-02","1.25","2","1","1.5"\n');
  assert.deepEqual((await loadAll(quoted)).bars.map((x) => [x.time, x.open]), [[utc(2024, 1, 2), 1.25]]);
});

test('instrument: given one is used; symbol, pricePrecision and registry options shape an inferred one', async () => {
  const p = tmpFile('inst.csv', HDR + '2024-01-02,1.5,2.25,1.25,2,10\n');
  const given = new Instrument(7, { symbol: 'XYZ', pricePrecision: 4 });
  const a = await loadAll(p, { instrument: given });
  assert.equal(a.instrument, given);
  assert.equal(a.bars[0]!.instrument, given);
  const reg = new InstrumentRegistry();
  const b = await loadAll(p, { symbol: 'ABC', pricePrecision: 3, registry: reg, instrumentSpec: { assetClass: 'equity' } });
  assert.equal(b.instrument, reg.get('ABC'));
  assert.equal(b.instrument.pricePrecision, 3);
  assert.equal(b.instrument.assetClass, 'equity');
  assert.equal((await inferBarInstrument(p)).pricePrecision, 2);
  await assert.rejects(inferBarInstrument(p, { pricePrecision: 1.5 }), RangeError);
});

test('errors name file:line and field', async () => {
  const f = (name: string, body: string): string => tmpFile(name, HDR + body);
  const good = '2024-01-02,10,11,9,10.5,100\n';
  await expectError(f('cols.csv', good + '2024-01-03,10,11,9,10.5\n'), 3, undefined, /wrong column count: expected 6 fields, found 5/);
  await expectError(f('num.csv', good + '2024-01-03,10,1x1,9,10.5,100\n'), 3, 'high', /'1x1' is not a number/);
  await expectError(f('nan.csv', '2024-01-02,NaN,11,9,10.5,100\n'), 2, 'open', /not a finite number/);
  await expectError(f('inf.csv', '2024-01-02,10,11,9,10.5,Infinity\n'), 2, 'volume', /not a finite number/);
  await expectError(f('empty.csv', '2024-01-02,10,11,,10.5,100\n'), 2, 'low', /empty/);
  await expectError(f('negp.csv', '2024-01-02,10,11,-9,10.5,100\n'), 2, 'low', /negative price -9/);
  await expectError(f('negv.csv', '2024-01-02,10,11,9,10.5,-100\n'), 2, 'volume', /negative volume -100/);
  await expectError(f('hilo.csv', good + good.replace('03', '03') + '2024-01-04,10,9,11,10,1\n'), 4, 'high', /high 9 is below low 11/);
  await expectError(f('open.csv', '2024-01-02,12,11,9,10.5,100\n'), 2, 'open', /open 12 is outside \[low 9, high 11\]/);
  await expectError(f('close.csv', '2024-01-02,10,11,9,8.5,100\n'), 2, 'close', /close 8.5 is outside/);
  await expectError(f('date.csv', good + '2024-02-30,10,11,9,10.5,100\n'), 3, 'time', /unparsable date\/time '2024-02-30' in column Date/);
  await expectError(f('order.csv', '2024-01-03,10,11,9,10.5,100\n2024-01-02,10,11,9,10.5,100\n'), 3, 'time', /out of order/);
  await expectError(tmpFile('quote.csv', HDR + '2024-01-02,"10,11,9,10.5,100\n'), 2, 'Open', /unterminated quoted field/);
  await expectError(tmpFile('nocol.csv', 'Date,Open,High,Low,Volume\n' + '2024-01-02,1,2,1,3\n'), 1, 'close', /no close column in header \(Date, Open, High, Low, Volume\)/);
  await expectError(tmpFile('badmap.csv', HDR + good), 1, 'open', /column 'px' not found in header/, { columns: { open: 'px' } });
  await expectError(tmpFile('badfmt.csv', HDR + '02/01/2024,10,11,9,10.5,100\n'), 2, 'time', /cannot tell the time format/);
  // range checks can be turned off
  const { bars } = await loadAll(f('norange.csv', '2024-01-02,12,11,9,10.5,100\n'), { validateRange: false });
  assert.equal(bars[0]!.open, 12);
});

test('off-grid prices are errors when the instrument is given', async () => {
  const p = tmpFile('grid.csv', HDR + '2024-01-02,10.00,11.05,9.5,10.27,100\n2024-01-03,10.125,11,9,10,1\n');
  const cents = new Instrument(0, { symbol: 'C', pricePrecision: 2 });
  await expectError(p, 3, 'open', /'10.125' is finer than the precision of 2 decimals \(off the grid\)/, { instrument: cents });
  const nickels = new Instrument(1, { symbol: 'N', pricePrecision: 2, tickUnits: 5 });
  await expectError(p, 2, 'close', /'10.27' is off the tick grid \(tick size 0.05\)/, { instrument: nickels });
  const wholeLots = new Instrument(2, { symbol: 'W', pricePrecision: 3 });
  const frac = tmpFile('fracvol.csv', HDR + '2024-01-02,1,1,1,1,0.5\n');
  await expectError(frac, 2, 'volume', /finer than the precision of 0 decimals/, { instrument: wholeLots });
});

test("onError 'skip' drops bad rows, counts them and keeps their errors (capped)", async () => {
  const lines: string[] = [];
  for (let i = 0; i < 300; i++) {
    const d = new Date(Date.UTC(2020, 0, 1) + i * 86400000).toISOString().slice(0, 10);
    lines.push(i % 2 === 1 ? `${d},10,11,9,abc,100` : `${d},10,11,9,10.5,100`);
  }
  lines.splice(10, 0, '2019-01-01,10,11,9,10.5,100'); // out of order: skipped, does not move the clock back
  const p = tmpFile('skip.csv', HDR + lines.join('\n') + '\n');
  const stats = newLoadStats();
  const { bars } = await loadAll(p, { onError: 'skip', stats, pricePrecision: 2 });
  assert.equal(stats.rowsRead, 301);
  assert.equal(stats.rowsSkipped, 151);
  assert.equal(bars.length, 150);
  assert.equal(stats.errors.length, MAX_KEPT_ERRORS);
  assert.equal(stats.errors[0]!.line, 3);
  assert.equal(stats.errors[0]!.field, 'close');
  assert.ok(stats.errors.some((e) => e.line === 12 && e.field === 'time'));
  for (let i = 1; i < bars.length; i++) assert.ok(bars[i]!.time > bars[i - 1]!.time);
});

test('loadBarsCsv gives a pull source that reads chunk by chunk and can be closed early', async () => {
  const rows = Array.from({ length: 5000 }, (_, i) => `${1_700_000_000 + i * 60},1,1,1,1,1`).join('\n');
  const p = tmpFile('pull.csv', 'time,open,high,low,close,volume\n' + rows + '\n');
  const { source, stats } = await loadBarsCsv(p, { highWaterMark: 4096 });
  assert.equal(source.name, p);
  assert.equal(source.advance(), SourceState.Wait, 'nothing read before the first refill');
  await source.refill();
  let n = 0;
  while (source.advance() === SourceState.Ready) n++;
  assert.ok(n > 0 && n < 5000, `first batch holds one chunk's rows (${n})`);
  assert.ok(stats.rowsRead < 5000);
  source.close();
  assert.equal(source.advance(), SourceState.End);
});

test('streaming: a ~50 MB file is read in bounded batches', async () => {
  const path = join(tmpDir(), 'big.csv');
  const fd = openSync(path, 'w');
  writeSync(fd, 'Date,Open,High,Low,Close,Volume\n');
  const rows = 800_000;
  const t0 = Date.UTC(2000, 0, 1) / 1000;
  let buf: string[] = [];
  for (let i = 0; i < rows; i++) {
    const base = 100 + (i % 1000) / 100;
    buf.push(`${t0 + i * 60},${base.toFixed(6)},${(base + 1).toFixed(6)},${(base - 1).toFixed(6)},${(base + 0.5).toFixed(6)},${1000 + (i % 97)}`);
    if (buf.length === 10_000) {
      writeSync(fd, buf.join('\n') + '\n');
      buf = [];
    }
  }
  if (buf.length) writeSync(fd, buf.join('\n') + '\n');
  closeSync(fd);
  const size = readFileSync(path).length;
  assert.ok(size > 45e6, `file is ${size} bytes`);
  const inst = new Instrument(0, { symbol: 'BIG', pricePrecision: 6 });
  const hwm = 1 << 20;
  let total = 0;
  let maxBatch = 0;
  let batches = 0;
  let last = -Infinity;
  for await (const batch of readBarBatches(path, { instrument: inst, highWaterMark: hwm })) {
    batches++;
    total += batch.length;
    maxBatch = Math.max(maxBatch, batch.length);
    assert.ok(batch[0]!.time >= last);
    last = batch.at(-1)!.time;
  }
  assert.equal(total, rows);
  const minRowBytes = 50;
  assert.ok(maxBatch <= Math.ceil((2 * hwm) / minRowBytes), `max batch ${maxBatch} is bounded by the chunk size`);
  assert.ok(batches >= Math.floor(size / hwm), `read in ${batches} batches`);
});
