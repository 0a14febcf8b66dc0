import { existsSync, mkdirSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DOUBLE, DuckDBDataChunk, DuckDBInstance, LIST, VARCHAR, type DuckDBAppender, type DuckDBConnection, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { DataError, MarketsimError } from '../../core/errors.ts';
import { US_PER_DAY, dateFromMicros } from '../../core/time.ts';
import type { Instrument, InstrumentRegistry } from '../../market/instrument.ts';
import { SourceState, type EventSource } from '../../market/market-data.ts';
import { MARKET_WIDE, type CatalogEvent, type CatalogEventType } from './event-types.ts';
import { CatalogError, catalogRegistry, readManifest, sameSpec, specOf, writeManifest, type CatalogFile, type CatalogManifest, type CatalogRun } from './manifest.ts';
import { ident, literal, SCHEMAS, stagingType, type EventSchema } from './schema.ts';
import { openSourceSpec, parseSourceSpec, type CatalogEventInput } from './sources.ts';

/**
 * Writes normalized events into a catalog. Events are staged per run (one event type of one
 * instrument from one source) in an in-memory DuckDB table, then written with DuckDB's `COPY ...
 * (FORMAT parquet)` as one file per UTC partition span (day, month or year; see `partition`), sorted by `seq`:
 * `DIR/venue=V/symbol=S/type=T/date=YYYY-MM-DD/part-RRRRRR.parquet` (V and S URI-encoded, R the
 * run id). Every event gets the next catalog-wide `seq`, so sources imported in one command keep
 * the engine's tie rule (earlier source first at equal times) and later imports sort after
 * earlier ones. The manifest is written last, on `close()`; on `abort()` (or a failed import) the
 * files this writer made are removed, so a catalog never holds files its manifest does not list.
 */

/** Options of a catalog writer. */
export interface CatalogWriterOptions {
  /** A run is closed (written) after this many events and a new one begins (default 2,000,000): bounds staging memory. */
  maxRunRows?: number;
  /** Parquet compression codec (default `snappy`). */
  compression?: 'snappy' | 'zstd' | 'gzip' | 'uncompressed';
  /**
   * Span of one `date=` partition file (default `auto`): `day`, `month` or `year` (the date is the
   * first day of the span, UTC). `auto` picks per run the shortest span that averages at least
   * 10,000 events per file (so daily bars go to one file per year, ticks to one per day).
   */
  partition?: PartitionSpan;
}

/**
 * The `COPY ... TO` options of a partition file with compression `codec`. Parquet format version 2
 * encodings: DELTA_BINARY_PACKED for the integer columns (time, seq: a few bits a row instead of 8
 * bytes; repeating doubles stay dictionary-encoded). Files come out 2.5-5x smaller than with
 * version 1 encodings and DuckDB decodes them 10-30% faster, which is most of a replay's time on
 * DuckDB's side (docs/catalog.md, "Speed"); every current Parquet reader reads them.
 */
export function parquetCopyOptions(codec: string): string {
  return `FORMAT parquet, COMPRESSION ${codec}, PARQUET_VERSION V2`;
}

/** How long a `date=` partition spans. */
export type PartitionSpan = 'auto' | 'day' | 'month' | 'year';

const AUTO_MIN_ROWS = 10_000;

/** SQL giving the start (us) of the span holding `time`. */
function spanStartSql(span: Exclude<PartitionSpan, 'auto'>): string {
  if (span === 'day') return `(floor(time / ${US_PER_DAY}) * ${US_PER_DAY})`;
  return `epoch_us(date_trunc('${span}', make_timestamp(time::BIGINT)))::DOUBLE`;
}

/** What one imported source gave. */
export interface ImportResult {
  source: string;
  events: number;
  byType: Partial<Record<CatalogEventType, number>>;
  files: number;
}

const CHUNK = 2048;

/** A run being staged. */
interface OpenRun {
  run: CatalogRun;
  schema: EventSchema;
  table: string;
  appender: DuckDBAppender;
  types: DuckDBType[];
  /** Column buffers: time, seq, then the schema's columns. */
  cols: DuckDBValue[][];
  /** `cols` without time and seq (the same arrays). */
  fieldCols: DuckDBValue[][];
  buffered: number;
  staged: number;
  lastTime: number;
}

function duckType(sql: string): DuckDBType {
  switch (sql) {
    case 'DOUBLE':
      return DOUBLE;
    case 'VARCHAR':
      return VARCHAR;
    case 'DOUBLE[]':
      return LIST(DOUBLE);
    case 'VARCHAR[]':
      return LIST(VARCHAR);
    default:
      throw new Error(`no staging type ${sql}`);
  }
}

/** Path segment of a partition value: URI-encoded (DuckDB's hive partitioning decodes it). */
export function partitionSegment(key: string, value: string): string {
  return `${key}=${encodeURIComponent(value)}`;
}

/** Writes events into a catalog directory. Open with `CatalogWriter.open`, `write` sources, then `close`. */
export class CatalogWriter {
  private readonly open = new Map<string, OpenRun>();
  private readonly created: string[] = [];
  private readonly known = new Set<Instrument>();
  private tableId = 0;
  private closed = false;

  private constructor(
    readonly dir: string,
    private readonly manifest: CatalogManifest,
    /** The catalog's instruments: pass it to loaders so they reuse the catalog's units. */
    readonly registry: InstrumentRegistry,
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    private readonly maxRunRows: number,
    private readonly compression: string,
    private readonly partition: PartitionSpan,
  ) {}

  /** Opens (or creates) the catalog in `dir`. */
  static async open(dir: string, options: CatalogWriterOptions = {}): Promise<CatalogWriter> {
    const abs = resolve(dir);
    mkdirSync(abs, { recursive: true });
    const manifest = readManifest(abs, true);
    const registry = catalogRegistry(manifest);
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    const maxRunRows = options.maxRunRows ?? 2_000_000;
    if (!(Number.isInteger(maxRunRows) && maxRunRows > 0)) throw new RangeError(`maxRunRows must be a positive integer, got ${maxRunRows}`);
    const partition = options.partition ?? 'auto';
    if (!['auto', 'day', 'month', 'year'].includes(partition)) throw new RangeError(`partition must be auto, day, month or year, got ${partition}`);
    return new CatalogWriter(abs, manifest, registry, instance, conn, maxRunRows, options.compression ?? 'snappy', partition);
  }

  /** Imports every event of one source (batches or a pull source); `name` is recorded in the manifest. */
  async write(name: string, input: CatalogEventInput): Promise<ImportResult> {
    if (this.closed) throw new MarketsimError('CATALOG_STATE', 'catalog writer is closed');
    const result: ImportResult = { source: name, events: 0, byType: {}, files: 0 };
    const filesBefore = this.created.length;
    if (isEventSource(input)) {
      for (;;) {
        const st = input.advance();
        if (st === SourceState.Ready) await this.add(name, input.current, result);
        else if (st === SourceState.Wait) await input.refill();
        else break;
      }
      input.close();
    } else {
      for await (const batch of input as AsyncIterable<readonly CatalogEvent[]>) {
        for (const e of batch) await this.add(name, e, result);
      }
    }
    for (const key of [...this.open.keys()]) await this.finishRun(key);
    result.files = this.created.length - filesBefore;
    return result;
  }

  /** Writes the manifest and releases DuckDB. */
  async close(): Promise<void> {
    if (this.closed) return;
    for (const key of [...this.open.keys()]) await this.finishRun(key);
    writeManifest(this.dir, this.manifest);
    this.release();
  }

  /** Drops everything this writer wrote (files and unfinished runs) and leaves the manifest as it was. */
  abort(): void {
    if (this.closed) return;
    for (const f of this.created) {
      rmSync(join(this.dir, f), { force: true });
      // remove the partition directories this writer left empty
      for (let d = dirname(f); d !== '.' && d !== ''; d = dirname(d)) {
        const abs = join(this.dir, d);
        if (!existsSync(abs) || readdirSync(abs).length > 0) break;
        rmdirSync(abs);
      }
    }
    for (const r of this.open.values()) r.appender.closeSync();
    this.open.clear();
    this.release();
  }

  private release(): void {
    this.closed = true;
    this.conn.closeSync();
    this.instance.closeSync();
  }

  /** Checks (or records) the instrument so the catalog keeps one spec per symbol. */
  private checkInstrument(inst: Instrument, source: string): void {
    if (this.known.has(inst)) return;
    const spec = specOf(inst);
    const have = this.manifest.instruments.find((s) => s.symbol === inst.symbol);
    if (have) {
      if (!sameSpec(have, spec)) {
        throw new CatalogError('CATALOG_INVALID', `${source}: instrument ${inst.symbol} ${JSON.stringify(spec)} differs from the catalog's ${JSON.stringify(have)} (the units would not agree)`);
      }
    } else {
      this.manifest.instruments.push(spec);
      if (!this.registry.get(inst.symbol)) this.registry.add(spec);
    }
    this.known.add(inst);
  }

  private async add(source: string, e: CatalogEvent, result: ImportResult): Promise<void> {
    let venue = MARKET_WIDE;
    let symbol = MARKET_WIDE;
    if (e.kind !== 'news') {
      const inst = e.instrument;
      if (!inst) throw new DataError(source, 0, 'instrument', `a ${e.kind} event at ${e.time} has no instrument`);
      this.checkInstrument(inst, source);
      venue = inst.venue;
      symbol = inst.symbol;
    }
    if (!Number.isSafeInteger(e.time)) throw new DataError(source, 0, 'time', `event ${result.events + 1}: time ${e.time} is not an integer of microseconds`);
    const key = `${e.kind}\u0000${venue}\u0000${symbol}`;
    let r = this.open.get(key);
    if (!r) r = await this.startRun(key, e.kind, venue, symbol, source);
    if (e.time < r.lastTime) {
      throw new DataError(source, 0, 'time', `event ${result.events + 1} (${e.kind} ${symbol}) goes back in time: ${e.time} after ${r.lastTime}`);
    }
    r.lastTime = e.time;
    r.cols[0]!.push(e.time);
    r.cols[1]!.push(this.manifest.nextSeq++);
    r.schema.stage(e, r.fieldCols);
    result.events++;
    result.byType[e.kind] = (result.byType[e.kind] ?? 0) + 1;
    if (++r.buffered === CHUNK) this.flushChunk(r);
    if (r.staged + r.buffered >= this.maxRunRows) await this.finishRun(key);
  }

  private async startRun(key: string, type: CatalogEventType, venue: string, symbol: string, source: string): Promise<OpenRun> {
    const schema = SCHEMAS[type];
    const table = `stage_${this.tableId++}`;
    const defs = [
      { name: 'time', sql: 'DOUBLE' },
      { name: 'seq', sql: 'DOUBLE' },
      ...schema.columns.map((c) => ({ name: c.name, sql: stagingType(c) })),
    ];
    await this.conn.run(`CREATE TABLE ${table} (${defs.map((d) => `${ident(d.name)} ${d.sql}`).join(', ')})`);
    const appender = await this.conn.createAppender(table);
    const run: CatalogRun = { run: this.manifest.nextRun++, type, venue, symbol, source, files: [] };
    const cols: DuckDBValue[][] = defs.map(() => []);
    const r: OpenRun = { run, schema, table, appender, types: defs.map((d) => duckType(d.sql)), cols, fieldCols: cols.slice(2), buffered: 0, staged: 0, lastTime: -Infinity };
    this.open.set(key, r);
    return r;
  }

  private flushChunk(r: OpenRun): void {
    if (r.buffered === 0) return;
    const chunk = DuckDBDataChunk.create(r.types, r.buffered);
    for (let k = 0; k < r.cols.length; k++) {
      chunk.setColumnValues(k, r.cols[k]!);
      r.cols[k]!.length = 0;
    }
    r.appender.appendDataChunk(chunk);
    r.staged += r.buffered;
    r.buffered = 0;
  }

  /** Writes a run's staged events, one Parquet file per partition span (UTC), and records it in the manifest. */
  private async finishRun(key: string): Promise<void> {
    const r = this.open.get(key);
    if (!r) return;
    this.open.delete(key);
    this.flushChunk(r);
    r.appender.closeSync();
    const t = r.table;
    let span = this.partition;
    if (span === 'auto') {
      const counts = await this.conn.runAndReadAll(
        `SELECT count(*)::DOUBLE, count(DISTINCT ${spanStartSql('day')})::DOUBLE, count(DISTINCT ${spanStartSql('month')})::DOUBLE FROM ${t}`,
      );
      const [rows, days, months] = counts.getRows()[0]!.map((x) => Number(x)) as [number, number, number];
      span = rows >= AUTO_MIN_ROWS * days ? 'day' : rows >= AUTO_MIN_ROWS * months ? 'month' : 'year';
    }
    const start = spanStartSql(span);
    const stats = await this.conn.runAndReadAll(
      `SELECT ${start} AS d, count(*)::DOUBLE, min(time), max(time), min(seq), max(seq) FROM ${t} GROUP BY 1 ORDER BY 1`,
    );
    const select = [
      'time::BIGINT AS time',
      'seq::BIGINT AS seq',
      ...r.schema.columns.map((c) => `${ident(c.name)}::${c.sql} AS ${ident(c.name)}`),
    ].join(', ');
    const { type, venue, symbol, run } = r.run;
    for (const row of stats.getRows()) {
      const [d, rows, minTime, maxTime, minSeq, maxSeq] = row.map((x) => Number(x)) as [number, number, number, number, number, number];
      const date = dateFromMicros(d);
      const rel = [partitionSegment('venue', venue), partitionSegment('symbol', symbol), `type=${type}`, `date=${date}`, `part-${String(run).padStart(6, '0')}.parquet`].join('/');
      const abs = join(this.dir, rel);
      mkdirSync(dirname(abs), { recursive: true });
      this.created.push(rel);
      await this.conn.run(
        `COPY (SELECT ${select} FROM ${t} WHERE ${start} = ${d} ORDER BY seq) TO ${literal(abs)} (${parquetCopyOptions(this.compression)})`,
      );
      const file: CatalogFile = { path: rel, date, rows, minTime, maxTime, minSeq, maxSeq };
      r.run.files.push(file);
    }
    await this.conn.run(`DROP TABLE ${t}`);
    if (r.run.files.length > 0) this.manifest.runs.push(r.run);
  }
}

function isEventSource(x: CatalogEventInput): x is EventSource<CatalogEvent> {
  return typeof (x as EventSource<CatalogEvent>).advance === 'function';
}

/** Options of `importSources`. */
export interface ImportSourcesOptions extends CatalogWriterOptions {
  /** Options every source gets (`symbol`, `venue`, `pricePrecision`...); a spec's bracket options win. */
  global?: Readonly<Record<string, string>>;
}

/**
 * Imports source specs (`bars:PATH`, `trades[price=Close]:PATH`, ...) into the catalog in `dir`, in
 * order, as one import: the manifest is updated only when every source succeeded; on an error the
 * files written so far are removed and the error is rethrown.
 */
export async function importSources(dir: string, specs: readonly string[], options: ImportSourcesOptions = {}): Promise<ImportResult[]> {
  const parsed = specs.map(parseSourceSpec);
  const writer = await CatalogWriter.open(dir, options);
  const results: ImportResult[] = [];
  try {
    for (const spec of parsed) {
      const input = await openSourceSpec(spec, writer.registry, options.global ?? {});
      results.push(await writer.write(spec.text, input));
    }
    await writer.close();
  } catch (err) {
    writer.abort();
    throw err;
  }
  return results;
}
