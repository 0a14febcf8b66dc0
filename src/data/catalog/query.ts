import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { CATALOG_EVENT_TYPES, VIEW_NAMES, type CatalogEventType } from './event-types.ts';
import { CatalogError, readManifest, type CatalogManifest } from './manifest.ts';
import { selectRuns } from './reader.ts';
import { ident, literal, SCHEMAS } from './schema.ts';

/**
 * SQL over a catalog and the partition listing. Each event type is a view (`bars`, `quotes`,
 * `trades`, `book_deltas`, `book_snapshots`, `l3`, `status`, `news`, `order_flow`) with the columns
 * `venue, symbol, date, time, ts, seq` and then the type's own columns (docs/catalog.md); types
 * without data are empty views with the same columns. `instruments` is a table of the specs.
 * Views read the files the manifest lists, so a missing file is reported before DuckDB runs.
 */

/** An open DuckDB connection with the catalog's views. Close it when done. */
export interface CatalogDb {
  connection: DuckDBConnection;
  close(): void;
}

/** The SELECT of one type's view over the given files (or an empty one). */
function viewSql(type: CatalogEventType, files: string[]): string {
  const cols = SCHEMAS[type].columns.map((c) => ident(c.name));
  if (files.length === 0) {
    const empty = SCHEMAS[type].columns.map((c) => `NULL::${c.sql} AS ${ident(c.name)}`);
    return `SELECT NULL::VARCHAR AS venue, NULL::VARCHAR AS symbol, NULL::DATE AS date, NULL::BIGINT AS time, NULL::TIMESTAMP AS ts, NULL::BIGINT AS seq${empty.length ? ', ' + empty.join(', ') : ''} WHERE false`;
  }
  const list = `[${files.map(literal).join(', ')}]`;
  return `SELECT venue, symbol, date, time, make_timestamp(time) AS ts, seq, ${cols.join(', ')} FROM read_parquet(${list}, hive_partitioning = true, hive_types = {'venue': VARCHAR, 'symbol': VARCHAR, 'type': VARCHAR, 'date': DATE})`;
}

/** Opens DuckDB on a catalog with one view per event type and an `instruments` table. */
export async function openCatalogDb(dir: string): Promise<CatalogDb> {
  const abs = resolve(dir);
  const m = readManifest(abs);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const close = (): void => {
    connection.closeSync();
    instance.closeSync();
  };
  try {
    for (const type of CATALOG_EVENT_TYPES) {
      const files = m.runs.filter((r) => r.type === type).flatMap((r) => r.files.map((f) => join(abs, f.path)));
      const missing = files.find((f) => !existsSync(f));
      if (missing) throw new CatalogError('CATALOG_MISSING_FILE', `${missing}: partition file is missing (listed in the catalog manifest)`, missing);
      await connection.run(`CREATE VIEW ${VIEW_NAMES[type]} AS ${viewSql(type, files)}`);
    }
    await connection.run(
      `CREATE TABLE instruments (symbol VARCHAR, venue VARCHAR, asset_class VARCHAR, price_precision INTEGER, tick_units BIGINT, size_precision INTEGER, lot_units BIGINT, currency VARCHAR, multiplier DOUBLE)`,
    );
    for (const s of m.instruments) {
      await connection.run(
        `INSERT INTO instruments VALUES (${literal(s.symbol)}, ${literal(s.venue ?? 'SIM')}, ${literal(s.assetClass ?? 'other')}, ${s.pricePrecision}, ${s.tickUnits ?? 1}, ${s.sizePrecision ?? 0}, ${s.lotUnits ?? 1}, ${literal(s.currency ?? 'USD')}, ${s.multiplier ?? 1})`,
      );
    }
  } catch (err) {
    close();
    throw err;
  }
  return { connection, close };
}

/** A query result: column names and rows of JSON-safe values (BIGINT as number when safe, else string; dates and timestamps as strings). */
export interface QueryResult {
  columns: string[];
  rows: (string | number | boolean | null | unknown[] | Record<string, unknown>)[][];
}

function jsonSafe(x: unknown): QueryResult['rows'][number][number] {
  if (x === null || x === undefined) return null;
  if (typeof x === 'bigint') return Number.isSafeInteger(Number(x)) ? Number(x) : x.toString();
  if (typeof x === 'number' || typeof x === 'boolean' || typeof x === 'string') return x;
  if (Array.isArray(x)) return x.map(jsonSafe);
  if (typeof x === 'object') {
    const items = (x as { items?: unknown }).items;
    if (Array.isArray(items)) return items.map(jsonSafe);
    return String(x);
  }
  return String(x);
}

/** Runs one SQL statement over the catalog's views. DuckDB errors become `CatalogError` (CATALOG_QUERY). */
export async function queryCatalog(dir: string, sql: string): Promise<QueryResult> {
  const db = await openCatalogDb(dir);
  try {
    let reader;
    try {
      reader = await db.connection.runAndReadAll(sql);
    } catch (err) {
      const msg = ((err as Error).message ?? String(err)).split('\n')[0];
      throw new CatalogError('CATALOG_QUERY', `query failed: ${msg} (views: ${CATALOG_EVENT_TYPES.map((t) => VIEW_NAMES[t]).join(', ')}, instruments)`);
    }
    const columns = reader.deduplicatedColumnNames();
    const rows = reader.getRows().map((r) => r.map(jsonSafe));
    return { columns, rows };
  } finally {
    db.close();
  }
}

/** One line of `data ls`: the files of one (venue, symbol, type). */
export interface PartitionSummary {
  venue: string;
  symbol: string;
  type: CatalogEventType;
  firstDate: string;
  lastDate: string;
  files: number;
  rows: number;
  firstTime: number;
  lastTime: number;
}

/** The partitions of a catalog grouped by (venue, symbol, type), optionally filtered by symbol and type (validated). */
export function listPartitions(dir: string, filter: { symbols?: readonly string[]; types?: readonly string[] } = {}): PartitionSummary[] {
  const m: CatalogManifest = readManifest(resolve(dir));
  const groups = new Map<string, PartitionSummary>();
  for (const { run, files } of selectRuns(m, filter)) {
    const key = `${run.venue}\u0000${run.symbol}\u0000${run.type}`;
    let g = groups.get(key);
    if (!g) {
      g = { venue: run.venue, symbol: run.symbol, type: run.type, firstDate: '9999-12-31', lastDate: '0000-01-01', files: 0, rows: 0, firstTime: Infinity, lastTime: -Infinity };
      groups.set(key, g);
    }
    for (const { file } of files) {
      g.files++;
      g.rows += file.rows;
      if (file.date < g.firstDate) g.firstDate = file.date;
      if (file.date > g.lastDate) g.lastDate = file.date;
      g.firstTime = Math.min(g.firstTime, file.minTime);
      g.lastTime = Math.max(g.lastTime, file.maxTime);
    }
  }
  const order = (t: CatalogEventType): number => CATALOG_EVENT_TYPES.indexOf(t);
  return [...groups.values()].sort((a, b) => a.venue.localeCompare(b.venue) || a.symbol.localeCompare(b.symbol) || order(a.type) - order(b.type));
}
