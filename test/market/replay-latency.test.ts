/**
 * Recorded (time-dependent) latency: linear interpolation between recorded rows, the CSV format and
 * its errors (file:line and column), and the adapters to and from `LatencyModel`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Rng } from '../../src/core/rng.ts';
import { ConstantLatency, UniformLatency } from '../../src/market/latency.ts';
import { RecordedLatency, TimedLatencyAdapter, parseLatencyCsv, readLatencyCsv, untimed } from '../../src/market/replay/index.ts';
import { DataError } from '../../src/core/errors.ts';

test('recorded latency: linear between rows, flat before the first and after the last', () => {
  // the example of docs/queue-models.md
  const m = new RecordedLatency([1000, 2000, 4000], [200, 400, 100]);
  assert.equal(m.delayAt(1000), 200);
  assert.equal(m.delayAt(1250), 250);
  assert.equal(m.delayAt(1999), 400);
  assert.equal(m.delayAt(2000), 400);
  assert.equal(m.delayAt(3000), 250);
  assert.equal(m.delayAt(500), 200);
  assert.equal(m.delayAt(9000), 100);
  // out-of-order queries use the binary search, in-order ones the cached row: same answers
  const times = [3999, 1001, 2500, 1000, 4000, 2001];
  const fresh = times.map((t) => new RecordedLatency([1000, 2000, 4000], [200, 400, 100]).delayAt(t));
  assert.deepEqual(times.map((t) => m.delayAt(t)), fresh);
  assert.deepEqual(fresh, [100, 200, 325, 200, 100, 400]);
});

test('recorded latency: a time recorded twice takes its last row', () => {
  const m = new RecordedLatency([0, 100, 100, 200], [10, 20, 50, 50]);
  assert.equal(m.delayAt(50), 15);
  assert.equal(m.delayAt(100), 50);
  assert.equal(m.delayAt(150), 50);
  assert.throws(() => new RecordedLatency([0, 1], [1]), /2 times but 1 delays/);
  assert.throws(() => new RecordedLatency([], []), /at least one row/);
  assert.throws(() => new RecordedLatency([5, 4], [1, 1]), /row 1: time 4 is before the previous row's 5/);
  assert.throws(() => new RecordedLatency([5], [-1]), /delay -1 must be a finite number >= 0/);
});

test('latency CSV: header-named columns, any order; entry, response and market-data latencies', () => {
  const rec = parseLatencyCsv('response_us,time_us,entry_us\n300,1000,150.5\n\n500,2000,250.5\n', 'lat.csv');
  assert.equal(rec.rows, 2);
  assert.equal(rec.entry!.delayAt(1500), 201); // 200.5 rounds half up
  assert.equal(rec.response!.delayAt(1500), 400);
  assert.equal(rec.marketData, undefined);
  assert.equal(rec.entry!.source, 'lat.csv entry_us');
  const feed = parseLatencyCsv('time_us,feed_us\n0,5\n', 'f.csv');
  assert.equal(feed.marketData!.delayAt(123), 5);
  assert.equal(feed.entry, undefined);
});

test('latency CSV: errors name the file, the line and the column', () => {
  const bad = (text: string, re: RegExp): void => {
    assert.throws(
      () => parseLatencyCsv(text, 'lat.csv'),
      (e: unknown) => e instanceof DataError && re.test(e.message),
    );
  };
  bad('time_us,entry_us\n1000,150\n900,100\n', /^lat\.csv:3 field time_us: time 900 is before the time 1000 of line 2: rows must be sorted by time/);
  bad('time_us,entry_us\n1000,150\n2000\n', /^lat\.csv:3: expected 2 columns \(time_us,entry_us\), got 1: "2000"/);
  bad('time_us,entry_us\n1000,abc\n', /^lat\.csv:2 field entry_us: "abc" is not a number/);
  bad('time_us,entry_us\n1000,\n', /^lat\.csv:2 field entry_us: "" is not a number/);
  bad('time_us,entry_us\n1000,-5\n', /^lat\.csv:2 field entry_us: latency -5 us is negative/);
  bad('time_us,entry_us\n1000.5,5\n', /^lat\.csv:2 field time_us: "1000.5" is not a non-negative integer/);
  bad('time_us,entry_ms\n1,1\n', /^lat\.csv:1 field entry_ms: unknown column/);
  bad('time_us,entry_us,entry_us\n', /^lat\.csv:1 field entry_us: column given twice/);
  bad('entry_us,response_us\n1,1\n', /^lat\.csv:1: the header needs a time_us column/);
  bad('time_us\n1\n', /^lat\.csv:1: the header needs at least one of/);
  bad('', /^lat\.csv:1: empty latency file/);
  bad('time_us,entry_us\n', /^lat\.csv:2: no latency rows after the header/);
});

test('latency CSV: read from a file, plain or gzip', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marketsim-latency-'));
  try {
    const text = 'time_us,entry_us,response_us\n1700000000000000,100,200\n1700000001000000,300,400\n';
    writeFileSync(join(dir, 'lat.csv'), text);
    writeFileSync(join(dir, 'lat.csv.gz'), gzipSync(text));
    for (const f of ['lat.csv', 'lat.csv.gz']) {
      const rec = await readLatencyCsv(join(dir, f));
      assert.equal(rec.rows, 2);
      assert.equal(rec.entry!.delayAt(1700000000500000), 200);
      assert.equal(rec.response!.delayAt(1700000000250000), 250);
    }
    writeFileSync(join(dir, 'bad.csv'), 'time_us,entry_us\n5,1\n4,1\n');
    await assert.rejects(readLatencyCsv(join(dir, 'bad.csv')), /bad\.csv:3 field time_us/);
    await assert.rejects(readLatencyCsv(join(dir, 'missing.csv')), /missing\.csv:0: cannot read file \(ENOENT\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('adapters: a timed latency as a LatencyModel reads the clock; a LatencyModel as a timed one ignores time', () => {
  const clock = { now: 1000 };
  const m = new TimedLatencyAdapter(new RecordedLatency([1000, 2000], [200, 400]), () => clock.now);
  assert.equal(m.delay(), 200);
  clock.now = 1500;
  assert.equal(m.delay(), 300);
  assert.equal(untimed(new ConstantLatency(42)).delayAt(123456), 42);
  // a seeded random model keeps its own stream: same seed, same draws, whatever the times asked
  const a = untimed(new UniformLatency(10, 20, new Rng(7, 'latency')));
  const b = new UniformLatency(10, 20, new Rng(7, 'latency'));
  assert.deepEqual([a.delayAt(5), a.delayAt(1), a.delayAt(99)], [b.delay(), b.delay(), b.delay()]);
});
