import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MarketsimError } from '../../src/core/errors.ts';
import { Instrument } from '../../src/market/instrument.ts';
import { SourceState } from '../../src/market/market-data.ts';
import {
  CatalogError,
  CatalogWriter,
  eventStreamHash,
  importSources,
  listPartitions,
  openCatalogSource,
  parseSourceSpec,
  queryCatalog,
  readManifest,
  registerCatalogSource,
  type CatalogEvent,
} from '../../src/data/catalog/index.ts';
import { tmpDir } from './helpers.ts';

const DAY = 86_400_000_000;
const T0 = Date.UTC(2023, 0, 2) * 1000;

/** A catalog with trades of A over three days (one file per day) and quotes of B; returns its directory. */
async function smallCatalog(): Promise<string> {
  const dir = mkdtempSync(join(tmpDir(), 'caterr-'));
  const w = await CatalogWriter.open(dir, { partition: 'day' });
  const a = w.registry.add({ symbol: 'A', pricePrecision: 2 });
  const b = w.registry.add({ symbol: 'B', pricePrecision: 2 });
  const trades: CatalogEvent[] = [];
  for (let i = 0; i < 3000; i++) trades.push({ kind: 'trade', time: T0 + Math.floor((i * DAY) / 1000), instrument: a, price: 10 + (i % 7) / 100, size: 1 + (i % 5), aggressor: i % 2 ? 'BUY' : 'SELL' });
  await w.write('trades', [trades]);
  const quotes: CatalogEvent[] = [{ kind: 'quote', time: T0, instrument: b, bidPrice: 1, bidSize: 1, askPrice: 1.01, askSize: 2 }];
  await w.write('quotes', [quotes]);
  await w.close();
  return dir;
}

function tradeFiles(dir: string): string[] {
  return readManifest(dir)
    .runs.filter((r) => r.type === 'trade')
    .flatMap((r) => r.files.map((f) => join(dir, f.path)));
}

async function rejectsCatalog(p: Promise<unknown>, code: string, pattern: RegExp, file?: string): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof CatalogError, `expected CatalogError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.match(err.message, pattern);
    if (file !== undefined) {
      assert.equal(err.file, file);
      assert.ok(err.message.includes(file), 'the message names the file');
    }
    return true;
  });
}

test('a missing partition file is an error naming it, in replay and in queries, never silent loss', async () => {
  const dir = await smallCatalog();
  const files = tradeFiles(dir);
  assert.equal(files.length, 3);
  assert.equal((await eventStreamHash(await openCatalogSource(dir))).events, 3001);
  rmSync(files[1]!);
  await rejectsCatalog(openCatalogSource(dir), 'CATALOG_MISSING_FILE', /partition file is missing/, files[1]);
  await rejectsCatalog(queryCatalog(dir, 'SELECT count(*) FROM trades'), 'CATALOG_MISSING_FILE', /missing/, files[1]);
  // a selection that does not touch the missing file still works
  assert.equal((await eventStreamHash(await openCatalogSource(dir, { symbols: ['B'] }))).events, 1);
});

test('a truncated Parquet file is an error naming it', async () => {
  const dir = await smallCatalog();
  const f = tradeFiles(dir)[2]!;
  truncateSync(f, Math.floor(statSync(f).size / 2));
  const src = await openCatalogSource(dir, { types: ['trade'] });
  await rejectsCatalog(eventStreamHash(src), 'CATALOG_CORRUPT', /cannot read Parquet file/, f);
  await rejectsCatalog(queryCatalog(dir, 'SELECT sum(size) FROM trades'), 'CATALOG_QUERY', /query failed/);
});

test('a damaged later file fails only when the replay reaches it, after every event before it (its query starts ahead)', async () => {
  const dir = await smallCatalog();
  const files = tradeFiles(dir);
  truncateSync(files[2]!, Math.floor(statSync(files[2]!).size / 2));
  for (const threads of [1, 2]) {
    const src = await openCatalogSource(dir, { types: ['trade'], threads });
    let events = 0;
    let last = -Infinity;
    await assert.rejects(
      (async () => {
        try {
          for (;;) {
            const st = src.advance();
            if (st === SourceState.Ready) {
              events++;
              last = src.current.time;
            } else if (st === SourceState.Wait) await src.refill();
            else break;
          }
        } finally {
          src.close();
        }
      })(),
      (err: unknown) => err instanceof CatalogError && err.code === 'CATALOG_CORRUPT' && err.file === files[2],
    );
    assert.equal(events, 2000, 'the two good files are delivered whole before the error');
    assert.equal(last, T0 + Math.floor((1999 * DAY) / 1000));
  }
  // the same catalog reopens and its good files replay (the failed query left nothing behind)
  assert.equal((await eventStreamHash(await openCatalogSource(dir, { types: ['trade'], to: T0 + 2 * DAY }))).events, 2000);
});

test('a file replaced by one with other rows is caught by the manifest row count', async () => {
  const dir = await smallCatalog();
  const [f0, f1] = tradeFiles(dir);
  copyFileSync(f0!, f1!); // same schema, other rows: times go back as well, whichever check fires first names the file
  await assert.rejects(eventStreamHash(await openCatalogSource(dir, { types: ['trade'] })), (err: unknown) => {
    assert.ok(err instanceof MarketsimError);
    assert.ok(err.message.includes(f1!), err.message);
    return true;
  });
  // inside one file: a file with fewer rows than recorded
  const dir2 = await smallCatalog();
  const g = tradeFiles(dir2)[0]!;
  const m = readManifest(dir2);
  m.runs[0]!.files[0]!.rows += 1;
  writeFileSync(join(dir2, 'catalog.json'), JSON.stringify(m));
  await rejectsCatalog(eventStreamHash(await openCatalogSource(dir2, { types: ['trade'] })), 'CATALOG_CORRUPT', /holds 1000 rows but the catalog manifest recorded 1001/, g);
});

test('unknown event types and symbols in filters are clear errors', async () => {
  const dir = await smallCatalog();
  await rejectsCatalog(openCatalogSource(dir, { types: ['trades'] }), 'CATALOG_FILTER', /unknown event type 'trades' \(known: bar, quote, trade/);
  await rejectsCatalog(openCatalogSource(dir, { symbols: ['ZZZ'] }), 'CATALOG_FILTER', /unknown symbol 'ZZZ' \(the catalog has: A, B\)/);
  assert.throws(() => listPartitions(dir, { types: ['candles'] }), /unknown event type 'candles'/);
  await rejectsCatalog(openCatalogSource(dir, { from: 10, to: 5 }), 'CATALOG_FILTER', /from 10 is after to 5/);
  await rejectsCatalog(queryCatalog(dir, 'SELECT * FROM candles'), 'CATALOG_QUERY', /candles.*views: bars, quotes, trades/);
  await rejectsCatalog(openCatalogSource(join(dir, 'nope')), 'CATALOG_INVALID', /not a marketsim catalog/);
});

test('bad source specs, unknown kinds, conflicting instruments and failing sources leave the catalog unchanged', async () => {
  assert.throws(() => parseSourceSpec('orcl.csv'), /expected KIND:PATH/);
  assert.throws(() => parseSourceSpec('bars[symbol]:x.csv'), /not key=value/);
  assert.deepEqual(parseSourceSpec('trades[price=Close, size=Volume]:C:/data/t.csv'), {
    kind: 'trades',
    path: 'C:/data/t.csv',
    options: { price: 'Close', size: 'Volume' },
    text: 'trades[price=Close, size=Volume]:C:/data/t.csv',
  });
  const dir = await smallCatalog();
  const before = readFileSync(join(dir, 'catalog.json'), 'utf8');
  const filesBefore = readdirSync(dir, { recursive: true }).length;
  await assert.rejects(importSources(dir, ['candles:x.csv']), /unknown source kind 'candles'.*known: bars/);
  // an instrument whose spec differs from the catalog's (other precision): the units would not agree
  registerCatalogSource('test-conflict', async () => [[{ kind: 'trade', time: T0, instrument: new Instrument(0, { symbol: 'A', pricePrecision: 4 }), price: 1, size: 1, aggressor: undefined }]]);
  await rejectsCatalog(importSources(dir, ['test-conflict:x']), 'CATALOG_INVALID', /instrument A .* differs from the catalog's/);
  // a source that fails half way: the files of the sources before it are removed too
  const csv = join(tmpDir(), 'half.csv');
  writeFileSync(csv, 'time,price,size\n2023-01-05T00:00:00Z,1.00,1\n2023-01-05T00:00:01Z,oops,1\n');
  await assert.rejects(importSources(dir, [`trades[symbol=C]:${csv.replace('half', 'nothing')}`]), /cannot read file/);
  const good = join(tmpDir(), 'good.csv');
  writeFileSync(good, 'time,price,size\n2023-01-06T00:00:00Z,1.00,1\n');
  await assert.rejects(importSources(dir, [`trades[symbol=D]:${good}`, `trades[symbol=C]:${csv}`]), (err: unknown) => err instanceof MarketsimError && /half\.csv:3 field price/.test(err.message));
  assert.equal(readFileSync(join(dir, 'catalog.json'), 'utf8'), before);
  assert.equal(readdirSync(dir, { recursive: true }).length, filesBefore);
  assert.ok(!existsSync(join(dir, 'venue=SIM', 'symbol=D')) || readdirSync(join(dir, 'venue=SIM', 'symbol=D'), { recursive: true }).every((f) => !String(f).endsWith('.parquet')));
});
