import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { DataError } from '../../src/core/errors.ts';
import { SourceState } from '../../src/market/market-data.ts';
import { CatalogWriter, copyEvent, eventStreamHash, openCatalogSource, readManifest, type CatalogEvent } from '../../src/data/catalog/index.ts';
import { isRawNumericType, readDoubles } from '../../src/data/catalog/columns.ts';
import { literal } from '../../src/data/catalog/schema.ts';
import { tmpDir } from './helpers.ts';

const T0 = Date.UTC(2023, 0, 2) * 1000;

/** A catalog with `n` trades of A (one file) and, when `withB`, `n` quotes of B at the same times. */
async function tradeCatalog(n: number, withB = false): Promise<string> {
  const dir = mkdtempSync(join(tmpDir(), 'catrep-'));
  const w = await CatalogWriter.open(dir, { partition: 'year' });
  const a = w.registry.add({ symbol: 'A', pricePrecision: 2 });
  const trades: CatalogEvent[] = [];
  for (let i = 0; i < n; i++) trades.push({ kind: 'trade', time: T0 + i * 1000, instrument: a, price: 10 + (i % 97) / 100, size: 1 + (i % 13), aggressor: i % 3 === 0 ? 'BUY' : i % 3 === 1 ? 'SELL' : undefined });
  await w.write('trades', [trades]);
  if (withB) {
    const b = w.registry.add({ symbol: 'B', pricePrecision: 2 });
    const quotes: CatalogEvent[] = [];
    for (let i = 0; i < n; i++) quotes.push({ kind: 'quote', time: T0 + i * 1000, instrument: b, bidPrice: 5, bidSize: i, askPrice: 5.01, askSize: 1 });
    await w.write('quotes', [quotes]);
  }
  await w.close();
  return dir;
}

/** The trade file of symbol A. */
function tradeFile(dir: string): string {
  const run = readManifest(dir).runs.find((r) => r.type === 'trade' && r.symbol === 'A')!;
  return join(dir, run.files[0]!.path);
}

/** Rewrites a Parquet file with DuckDB SQL over its rows (`t`). */
async function rewrite(file: string, select: string): Promise<void> {
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  await conn.run(`COPY (${select.replaceAll('{t}', `read_parquet(${literal(file)})`)}) TO ${literal(file + '.new')} (FORMAT parquet)`);
  conn.closeSync();
  inst.closeSync();
  renameSync(file + '.new', file);
}

/** Replays `dir`, returning the events delivered before an error (and the error). */
async function replayUntilError(dir: string, types?: string[]): Promise<{ events: number; err: unknown }> {
  const src = await openCatalogSource(dir, types ? { types } : {});
  let events = 0;
  try {
    for (;;) {
      const st = src.advance();
      if (st === SourceState.Ready) events++;
      else if (st === SourceState.Wait) await src.refill();
      else break;
    }
  } catch (err) {
    return { events, err };
  } finally {
    src.close();
  }
  return { events, err: undefined };
}

test('raw column reads convert every stored integer and float type exactly (BIGINT beyond 2^32, negatives)', async () => {
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  const big = [0, 1, -1, 2 ** 31, -(2 ** 31) - 1, 2 ** 32 + 5, -(2 ** 40) + 3, 1_700_000_000_123_456, -(2 ** 53) + 1, 2 ** 53 - 1];
  const types = ['BIGINT', 'INTEGER', 'SMALLINT', 'TINYINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'BOOLEAN', 'FLOAT', 'DOUBLE'];
  for (const type of types) {
    const fits = (x: number): boolean => {
      switch (type) {
        case 'INTEGER':
          return Math.abs(x) < 2 ** 31;
        case 'SMALLINT':
          return Math.abs(x) < 2 ** 15;
        case 'TINYINT':
          return Math.abs(x) < 2 ** 7;
        case 'UTINYINT':
          return x >= 0 && x < 256;
        case 'USMALLINT':
          return x >= 0 && x < 2 ** 16;
        case 'UINTEGER':
          return x >= 0 && x < 2 ** 32;
        case 'BOOLEAN':
          return x === 0 || x === 1;
        default:
          return true;
      }
    };
    const vals = big.filter(fits);
    // 3,000 rows: more than one chunk
    const res = await conn.run(`SELECT v::${type} AS v, v::${type}::DOUBLE AS d FROM (SELECT unnest([${vals.join(', ')}]::DOUBLE[]) AS v), range(300) ORDER BY range, v`);
    assert.ok(isRawNumericType(res.columnTypeId(0)), type);
    for (let k = 0; k < res.chunkCount; k++) {
      const chunk = res.getChunk(k);
      const n = chunk.rowCount;
      const out = new Float64Array(n + 3).fill(-7);
      const got = readDoubles(chunk.chunk, 0, res.columnTypeId(0), n, out);
      const want = chunk.getColumnValues(1).map(Number);
      assert.deepEqual([...got.subarray(0, n)], want, `${type} chunk ${k}`);
      if (type === 'DOUBLE') assert.notEqual(got, out, 'a DOUBLE column is a view of the copied vector, not copied again');
      else {
        assert.equal(got, out, `${type} is converted into the given buffer`);
        assert.deepEqual([...out.subarray(n)], [-7, -7, -7], 'nothing written past the rows');
      }
    }
  }
  assert.equal(isRawNumericType(17), false, 'VARCHAR (type id 17) is read as values');
  conn.closeSync();
  inst.closeSync();
});

test('a row out of order inside a chunk is raised exactly when it is reached, naming the file (one run and merged runs)', async () => {
  const dir = await tradeCatalog(5000, true);
  const file = tradeFile(dir);
  // row 3000 (inside the second chunk) goes back in time
  await rewrite(file, `SELECT CASE WHEN seq - (SELECT min(seq) FROM {t}) = 3000 THEN time - 10000000 ELSE time END AS time, seq, price, size, aggressor FROM {t} ORDER BY seq`);
  const one = await replayUntilError(dir, ['trade']);
  assert.ok(one.err instanceof DataError, String(one.err));
  assert.equal(one.events, 3000, 'every row before the bad one is delivered');
  assert.equal(one.err.file, file);
  assert.match(one.err.message, /row out of \(time, seq\) order: \(\d+, 3000\) after \(\d+, 2999\)/);
  // merged with the quotes of B: the trades stream reads seq
  const both = await replayUntilError(dir);
  assert.ok(both.err instanceof DataError, String(both.err));
  assert.equal(both.err.file, file);
  assert.ok(both.events >= 3000 && both.events < 10_000, `events before the error: ${both.events}`);
});

test('a file whose columns have other numeric types (DECIMAL, INTEGER, DOUBLE aggressor) replays the same events', async () => {
  const dir = await tradeCatalog(4500);
  const before = await eventStreamHash(await openCatalogSource(dir));
  const file = tradeFile(dir);
  await rewrite(file, 'SELECT time, seq, price::DECIMAL(18, 2) AS price, size::INTEGER AS size, aggressor::DOUBLE AS aggressor FROM {t} ORDER BY seq');
  const after = await eventStreamHash(await openCatalogSource(dir));
  assert.deepEqual(after, before);
  assert.equal(after.events, 4500);
});

test('more DuckDB threads replay the same stream; closing mid-replay (a fetch in flight) is safe and the catalog reopens', async () => {
  const dir = await tradeCatalog(9000, true);
  const base = await eventStreamHash(await openCatalogSource(dir));
  assert.equal(base.events, 18_000);
  assert.deepEqual(await eventStreamHash(await openCatalogSource(dir, { threads: 2 })), base);
  // stop after 2,100 events: the next chunk is being fetched when close() is called
  const src = await openCatalogSource(dir);
  const seen: CatalogEvent[] = [];
  while (seen.length < 2100) {
    const st = src.advance();
    if (st === SourceState.Ready) seen.push(copyEvent(src.current));
    else if (st === SourceState.Wait) await src.refill();
    else break;
  }
  src.close();
  src.close(); // idempotent
  assert.equal(seen.length, 2100);
  assert.ok(seen.every((e, i) => i === 0 || e.time >= seen[i - 1]!.time));
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(await eventStreamHash(await openCatalogSource(dir)), base);
});
