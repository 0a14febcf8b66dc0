import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { DuckDBInstance } from '@duckdb/node-api';
import { Rng } from '../../src/core/rng.ts';
import { EventLoop } from '../../src/core/event-loop.ts';
import { EventQueue } from '../../src/core/event-queue.ts';
import { VirtualClock } from '../../src/core/clock.ts';
import { InstrumentRegistry } from '../../src/market/instrument.ts';
import type { EventSource } from '../../src/market/market-data.ts';
import { loadBarsCsv } from '../../src/data/bar-csv.ts';
import { loadQuotesCsv, loadTradesCsv } from '../../src/data/tick-csv.ts';
import {
  CatalogWriter,
  copyEvent,
  eventStreamHash,
  EventStreamHasher,
  importSources,
  listPartitions,
  openCatalogSource,
  queryCatalog,
  readManifest,
  type CatalogEvent,
} from '../../src/data/catalog/index.ts';
import { registerDataCommand } from '../../src/cli/data-command.ts';
import { backtraderFile, drain, tmpDir } from './helpers.ts';

/** A fresh catalog directory. */
function catalogDir(): string {
  return mkdtempSync(join(tmpDir(), 'cat-'));
}

/** Writes a quote CSV of `n` random-walk quotes (several at the same microsecond) and returns its path. */
function quoteFile(name: string, n: number, seed: number, t0: number): string {
  const rng = new Rng(seed, 'quotes');
  let mid = 10_000; // cents
  let t = t0;
  const lines = ['time,bid,bid_size,ask,ask_size'];
  for (let i = 0; i < n; i++) {
    if (rng.next() < 0.7) t += 1_000_000 * (1 + rng.int(60)); // whole seconds: files share timestamps
    mid += rng.int(5) - 2;
    const spread = 1 + rng.int(3);
    lines.push(`${t},${(mid / 100).toFixed(2)},${1 + rng.int(900)},${((mid + spread) / 100).toFixed(2)},${1 + rng.int(900)}`);
  }
  const path = join(tmpDir(), name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

const sourceHash = (s: EventSource<CatalogEvent>): Promise<{ sha256: string; events: number }> => eventStreamHash(s);

test('round trip: orcl-2014 bars, the minute file and ticksample trades replay with the same stream hash and the same events', async (t) => {
  const orcl = backtraderFile('orcl-2014.txt');
  const minute = backtraderFile('2006-01-02-volume-min-001.txt');
  const ticks = backtraderFile('ticksample.csv');
  if (!orcl || !minute || !ticks) return t.skip('shared data missing');
  const dir = catalogDir();
  const results = await importSources(dir, [`bars[symbol=ORCL]:${orcl}`, `bars[symbol=MIN]:${minute}`, `trades[symbol=TICK,time=Datetime,price=Close,size=Volume]:${ticks}`]);
  assert.deepEqual(
    results.map((r) => r.events),
    [252, 30_889, 135],
  );

  const direct = await sourceHash((await loadBarsCsv(orcl, { symbol: 'ORCL' })).source);
  const replay = await sourceHash(await openCatalogSource(dir, { symbols: ['ORCL'] }));
  assert.equal(direct.events, 252);
  assert.deepEqual(replay, direct);

  const directMin = await sourceHash((await loadBarsCsv(minute, { symbol: 'MIN' })).source);
  const replayMin = await sourceHash(await openCatalogSource(dir, { symbols: ['MIN'], types: ['bar'] }));
  assert.equal(directMin.events, 30_889);
  assert.deepEqual(replayMin, directMin);

  const tradeOpts = { symbol: 'TICK', columns: { time: 'Datetime', price: 'Close', size: 'Volume' } };
  const directTicks = await drain((await loadTradesCsv(ticks, tradeOpts)).source);
  const replayTicks = await drain(await openCatalogSource(dir, { types: ['trade'] }));
  assert.equal(replayTicks.length, 135);
  // field by field: same doubles, same instrument units
  for (let i = 0; i < directTicks.length; i++) {
    const a = directTicks[i]!;
    const b = replayTicks[i]! as typeof a;
    assert.equal(b.time, a.time);
    assert.equal(b.price, a.price);
    assert.equal(b.size, a.size);
    assert.equal(b.aggressor, a.aggressor);
    assert.equal(b.instrument.priceUnits(b.price), a.instrument.priceUnits(a.price));
    assert.equal(b.instrument.pricePrecision, a.instrument.pricePrecision);
  }

  // the manifest keeps full instrument specs; the replay registry rebuilds them
  const m = readManifest(dir);
  assert.deepEqual(
    m.instruments.map((s) => [s.symbol, s.pricePrecision, s.sizePrecision]),
    [
      ['ORCL', 6, 0],
      ['MIN', 2, 0],
      ['TICK', 2, 0],
    ],
  );
  // auto partition span: daily bars of a year and 135 ticks go to one file per year, the minute bars to one per month
  assert.deepEqual(
    listPartitions(dir).map((p) => [p.symbol, p.type, p.firstDate, p.lastDate, p.files, p.rows]),
    [
      ['MIN', 'bar', '2006-01-01', '2006-02-01', 2, 30_889],
      ['ORCL', 'bar', '2014-01-01', '2014-01-01', 1, 252],
      ['TICK', 'trade', '2015-01-01', '2015-01-01', 1, 135],
    ],
  );
  // a time window: [from, to)
  const from = Date.UTC(2014, 5, 1) * 1000;
  const to = Date.UTC(2014, 6, 1) * 1000;
  const june = await drain(await openCatalogSource(dir, { symbols: ['ORCL'], from, to }));
  const all = await drain((await loadBarsCsv(orcl, { symbol: 'ORCL' })).source);
  assert.deepEqual(
    june.map((e) => e.time),
    all.filter((e) => e.time >= from && e.time < to).map((e) => e.time),
  );
  assert.equal(june.length, 21);
});

test('round trip with day partitions: a generated quote file replays identically across many files', async () => {
  const path = quoteFile('quotes-gen.csv', 20_000, 7, Date.UTC(2020, 0, 1) * 1000);
  const dir = catalogDir();
  const writer = await CatalogWriter.open(dir, { partition: 'day', maxRunRows: 7_000 });
  const { source } = await loadQuotesCsv(path, { symbol: 'GEN', registry: writer.registry });
  const res = await writer.write(`quotes:${path}`, source);
  await writer.close();
  assert.equal(res.events, 20_000);
  const m = readManifest(dir);
  assert.ok(m.runs.length >= 3, 'maxRunRows splits the source into several runs');
  assert.ok(res.files > 5, 'one file per day and run');
  const direct = await sourceHash((await loadQuotesCsv(path, { symbol: 'GEN' })).source);
  const replay = await sourceHash(await openCatalogSource(dir));
  assert.equal(direct.events, 20_000);
  assert.deepEqual(replay, direct);
  // files use Parquet version 2 encodings: times and seqs delta-packed (parquetCopyOptions)
  const file = join(dir, m.runs[0]!.files[0]!.path);
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  const meta = await conn.runAndReadAll(`SELECT path_in_schema, encodings FROM parquet_metadata('${file}') WHERE row_group_id = 0`);
  const enc = Object.fromEntries(meta.getRows().map(([col, e]) => [String(col), String(e)]));
  assert.equal(enc.time, 'DELTA_BINARY_PACKED');
  assert.equal(enc.seq, 'DELTA_BINARY_PACKED');
  conn.closeSync();
  inst.closeSync();
  // replays share one DuckDB instance: several at once, interleaved, each gives the whole stream
  const [a, b] = await Promise.all([sourceHash(await openCatalogSource(dir)), sourceHash(await openCatalogSource(dir, { threads: 1 }))]);
  assert.deepEqual(a, direct);
  assert.deepEqual(b, direct);
});

test('multi-symbol import replays in exact (time, seq) order: the same stream as the engine merging the source files', async () => {
  const t0 = Date.UTC(2021, 2, 1) * 1000;
  const qa = quoteFile('qa.csv', 3_000, 1, t0);
  const qb = quoteFile('qb.csv', 3_000, 2, t0);
  const qc = quoteFile('qc.csv', 2_000, 3, t0 + 1);
  const dir = catalogDir();
  await importSources(dir, [`quotes[symbol=A]:${qa}`, `quotes[symbol=B]:${qb}`, `quotes[symbol=C,venue=X]:${qc}`], { partition: 'day' });

  // the engine's own k-way merge of the files (ties: earlier source first)
  const reg = new InstrumentRegistry();
  const loop = new EventLoop<CatalogEvent>(new VirtualClock(0), new EventQueue(), {
    onData: (e) => merged.add(e),
  });
  const merged = new EventStreamHasher();
  loop.addSource((await loadQuotesCsv(qa, { symbol: 'A', registry: reg })).source);
  loop.addSource((await loadQuotesCsv(qb, { symbol: 'B', registry: reg })).source);
  loop.addSource((await loadQuotesCsv(qc, { symbol: 'C', registry: reg, instrumentSpec: { venue: 'X' } })).source);
  assert.equal(await loop.run(), 'done');
  const direct = { sha256: merged.digest(), events: merged.events };
  assert.equal(direct.events, 8_000);

  const replayed = await drain(await openCatalogSource(dir));
  let ties = 0;
  for (let i = 1; i < replayed.length; i++) {
    assert.ok(replayed[i]!.time >= replayed[i - 1]!.time, `event ${i} goes back in time`);
    if (replayed[i]!.time === replayed[i - 1]!.time && replayed[i]!.instrument !== replayed[i - 1]!.instrument) ties++;
  }
  assert.ok(ties > 0, 'the files share timestamps, so ties between symbols are exercised');
  assert.deepEqual(await sourceHash(await openCatalogSource(dir)), direct);
  // a symbol filter keeps that symbol's own order
  const onlyB = await drain(await openCatalogSource(dir, { symbols: ['B'] }));
  assert.equal(onlyB.length, 3_000);
  assert.ok(onlyB.every((e) => e.instrument?.symbol === 'B'));
});

test('every event type of market-data.ts is storable and replays field for field', async () => {
  const dir = catalogDir();
  const writer = await CatalogWriter.open(dir);
  const reg = writer.registry;
  const eq = reg.add({ symbol: 'EQ', pricePrecision: 2, sizePrecision: 0, venue: 'NASDAQ' });
  const bt = reg.add({ symbol: 'BTC-USDT', pricePrecision: 2, sizePrecision: 5, venue: 'BINANCE', assetClass: 'crypto', tickUnits: 1, lotUnits: 1, currency: 'USDT' });
  const t = Date.UTC(2022, 5, 1) * 1000;
  const events: CatalogEvent[] = [
    { kind: 'status', time: t, instrument: eq, status: 'OPEN', reason: 'session "open"' },
    { kind: 'book-snapshot', time: t, instrument: bt, bidPrices: [3000000, 2999999], bidSizes: [150000, 2], askPrices: [3000001], askSizes: [7], sequence: 1001 },
    { kind: 'book-delta', time: t + 1, instrument: bt, side: 'SELL', price: 3000001, size: 0, sequence: 1002, last: false },
    { kind: 'book-delta', time: t + 1, instrument: bt, side: 'BUY', price: 3000000, size: 9, sequence: 1002, last: true },
    { kind: 'l3', time: t + 2, instrument: eq, action: 'add', orderId: 15818974, side: 'BUY', price: 58530, size: 100 },
    { kind: 'l3', time: t + 3, instrument: eq, action: 'cancel', orderId: 15818974, side: 'BUY', price: 58530, size: 40 },
    { kind: 'l3', time: t + 4, instrument: eq, action: 'execute', orderId: 15818974, side: 'BUY', price: 58530, size: 60 },
    { kind: 'l3', time: t + 4, instrument: eq, action: 'hidden-execute', orderId: 0, side: 'SELL', price: 58531, size: 5 },
    { kind: 'l3', time: t + 5, instrument: eq, action: 'delete', orderId: 7, side: 'SELL', price: 58540, size: 1 },
    { kind: 'trade', time: t + 4, instrument: eq, price: 585.3, size: 60, aggressor: 'SELL' },
    { kind: 'trade', time: t + 5, instrument: bt, price: 30000.01, size: 0.00001, aggressor: undefined },
    { kind: 'quote', time: t + 6, instrument: eq, bidPrice: 585.29, bidSize: 100, askPrice: 585.31, askSize: 300 },
    { kind: 'bar', time: t + 60_000_000, instrument: eq, open: 585.3, high: 586, low: 585, close: 585.5, volume: 12_345 },
    { kind: 'status', time: t + 7, instrument: eq, status: 'HALT', reason: 'LOBSTER type 7' },
    { kind: 'news', time: t + 8, instrument: eq, symbols: ['EQ', 'ZZZ'], headline: 'EQ, ZZZ "merge"', source: 'wire', sentiment: 0.25, importance: NaN },
    { kind: 'news', time: t + 9, instrument: undefined, symbols: [], headline: 'Macro', source: 'fed', sentiment: NaN, importance: 1 },
    { kind: 'order-flow', time: t + 60_000_000, instrument: eq, intervalUs: 60_000_000, buyVolume: 160, sellVolume: 60, imbalance: 100 / 220, trades: 3 },
    { kind: 'order-flow', time: t + 120_000_000, instrument: bt, intervalUs: 60_000_000, buyVolume: 0, sellVolume: 0, imbalance: NaN, trades: 0 },
  ];
  // the writer needs time order per (type, instrument); the whole list is replayed in (time, seq) order
  const ordered = events.map((e, i) => ({ e, i })).sort((a, b) => a.e.time - b.e.time || a.i - b.i).map((x) => x.e);
  await writer.write('synthetic', [ordered]);
  await writer.close();
  const replayed = (await drain(await openCatalogSource(dir))).map(copyEvent);
  assert.equal(replayed.length, events.length);
  for (let i = 0; i < ordered.length; i++) {
    const a = ordered[i]!;
    const b = replayed[i]!;
    assert.equal(b.kind, a.kind, `event ${i}`);
    assert.equal(b.instrument?.symbol, a.instrument?.symbol, `event ${i} instrument`);
    assert.deepEqual({ ...b, instrument: undefined }, { ...a, instrument: undefined }, `event ${i} (${a.kind})`);
  }
  const h = new EventStreamHasher();
  for (const e of ordered) h.add(e);
  assert.deepEqual(await sourceHash(await openCatalogSource(dir)), { sha256: h.digest(), events: events.length });
  // the replayed instruments carry the full specs
  const btc = replayed.find((e) => e.instrument?.symbol === 'BTC-USDT')!.instrument!;
  assert.deepEqual([btc.venue, btc.assetClass, btc.sizePrecision, btc.currency], ['BINANCE', 'crypto', 5, 'USDT']);
  // type filter and news symbol filter
  const l3 = await drain(await openCatalogSource(dir, { types: ['l3'] }));
  assert.deepEqual(
    l3.map((e) => (e.kind === 'l3' ? e.action : '')),
    ['add', 'cancel', 'execute', 'hidden-execute', 'delete'],
  );
  const newsEq = await drain(await openCatalogSource(dir, { types: ['news'], symbols: ['EQ'] }));
  assert.deepEqual(
    newsEq.map((e) => (e.kind === 'news' ? e.headline : '')),
    ['EQ, ZZZ "merge"'],
  );
  // SQL views over every type
  const q = await queryCatalog(dir, "SELECT (SELECT count(*) FROM l3) AS l3, (SELECT count(*) FROM book_deltas) AS deltas, (SELECT count(*) FROM news WHERE list_contains(symbols, 'EQ')) AS news, (SELECT sum(trades) FROM order_flow) AS flow, (SELECT len(bid_prices) FROM book_snapshots) AS levels, (SELECT count(*) FROM status) AS st, (SELECT count(*) FROM quotes) AS q");
  assert.deepEqual(q.rows, [[5, 2, 1, 3, 2, 2, 1]]);
});

test('CLI: data import, ls and query through commander', async (t) => {
  const orcl = backtraderFile('orcl-2014.txt');
  if (!orcl) return t.skip('shared data missing');
  const dir = catalogDir();
  const out: string[] = [];
  const run = async (args: string[]): Promise<string> => {
    out.length = 0;
    const program = new Command().exitOverride();
    registerDataCommand(program, (text) => out.push(text));
    await program.parseAsync(args, { from: 'user' });
    return out.join('');
  };
  const quotes = quoteFile('cli-quotes.csv', 500, 11, Date.UTC(2014, 0, 2) * 1000);
  const imported = await run(['data', 'import', `bars:${orcl}`, `quotes:${quotes}`, '--catalog', dir, '--symbol', 'ORCL', '--venue', 'NYSE']);
  assert.match(imported, /imported 252 events \(252 bar\) in 1 files/);
  assert.match(imported, /imported 500 events \(500 quote\)/);
  const ls = await run(['data', 'ls', '--catalog', dir]);
  const lines = ls.trim().split('\n');
  assert.match(lines[0]!, /^venue\s+symbol\s+type\s+from\s+to\s+files\s+rows/);
  assert.match(lines[1]!, /^NYSE\s+ORCL\s+bar\s+2014-01-01\s+2014-01-01\s+1\s+252\s+2014-01-02T00:00:00.000Z\s+2014-12-31T00:00:00.000Z$/);
  assert.match(lines[2]!, /^NYSE\s+ORCL\s+quote\s+.*\s+500\s+/);
  const csv = await run(['data', 'query', '--catalog', dir, "SELECT symbol, venue, count(*) AS n, max(close) AS hi, min(date) AS d FROM bars GROUP BY ALL"]);
  assert.equal(csv, 'symbol,venue,n,hi,d\nORCL,NYSE,252,46.23,2014-01-01\n');
  const json = JSON.parse(await run(['data', 'query', '--catalog', dir, 'SELECT time, close FROM bars ORDER BY time LIMIT 2', '--json'])) as { time: number; close: number }[];
  assert.deepEqual(json, [
    { time: Date.UTC(2014, 0, 2) * 1000, close: 37.84 },
    { time: Date.UTC(2014, 0, 3) * 1000, close: 37.619999 },
  ]);
  const lsJson = JSON.parse(await run(['data', 'ls', '--catalog', dir, '--type', 'quote', '--json'])) as { rows: number }[];
  assert.deepEqual(
    lsJson.map((p) => p.rows),
    [500],
  );
  // a second import appends; its events sort after the first import's at equal times
  await run(['data', 'import', `bars:${orcl}`, '--catalog', dir, '--symbol', 'ORCL', '--venue', 'NYSE']);
  const after = JSON.parse(await run(['data', 'query', '--catalog', dir, 'SELECT count(*) AS n, count(DISTINCT seq) AS s FROM bars', '--json'])) as { n: number; s: number }[];
  assert.deepEqual(after, [{ n: 504, s: 504 }]);
  assert.ok(readFileSync(join(dir, 'catalog.json'), 'utf8').includes('"nextSeq": 1004'));
});
