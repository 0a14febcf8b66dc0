import { existsSync } from 'node:fs';
import { join } from 'node:path';
import duckdb from '@duckdb/node-bindings';
import type { DuckDBConnection, DuckDBDataChunk, DuckDBResult, DuckDBValue } from '@duckdb/node-api';
import { DataError } from '../../core/errors.ts';
import { SourceState } from '../../market/market-data.ts';
import { isRawNumericType, readDoubles } from './columns.ts';
import type { CatalogEvent } from './event-types.ts';
import { CatalogError, type CatalogFile, type CatalogRun } from './manifest.ts';
import { ident, isNumericColumn, literal, type EventSchema, type ReadContext } from './schema.ts';

/**
 * One run of a catalog replay, read file after file with DuckDB streaming queries, 2,048-row chunk
 * by chunk; the next chunk is fetched (on DuckDB's side) while the current one is read and
 * consumed, and the next file's query is started on a second connection as soon as the current
 * one is open (starting a query costs DuckDB 3-5 ms: it reads the file's footer and fills its
 * result buffer, which the replay would otherwise wait for at every file boundary). Numeric
 * columns are read in their stored type straight from the vectors' bytes (columns.ts) into
 * reusable per-column buffers; the (time, seq) order of a chunk is checked in one
 * pass when it is taken. Memory holds about two chunks per run, flat however long the history.
 *
 * Checks: a file missing from disk, a file DuckDB cannot read and a file whose rows differ from the
 * manifest's count are `CatalogError`s naming the file; rows out of (time, seq) order are a
 * `DataError` naming the file, raised when the offending row is reached.
 */

/** An opened file: its streaming result and, per result column, its DuckDB type id when read as doubles (-1: values). */
interface OpenFile {
  result: DuckDBResult;
  types: number[];
}

/** A selected file of a run, with the SQL filter of the selection (`''` or ` WHERE ...`). */
export interface SelectedFile {
  file: CatalogFile;
  where: string;
}

/** Rows per DuckDB chunk (the vector size). */
const CHUNK_ROWS = duckdb.vector_size();

/** A DuckDB error about a file, as a `CatalogError` naming the file. */
function fileError(file: string, err: unknown): CatalogError {
  const msg = (err as Error)?.message ?? String(err);
  return new CatalogError('CATALOG_CORRUPT', `${file}: cannot read Parquet file (${msg.split('\n')[0]})`, file);
}

/** One run of the replay; see the module comment. */
export class RunStream {
  /** The reusable event the current row is loaded into. */
  readonly ev: CatalogEvent;
  /** Seq of the current row (read only when several runs merge; the merge orders by (ev.time, seq)). */
  seq = 0;
  /**
   * The current chunk's columns as doubles: time, seq (when read), then one per numeric event
   * column (empty for the others). Each is either the matching reusable buffer below or a view of
   * the binding's copy of a DOUBLE vector (columns.ts).
   */
  private t: Float64Array;
  private s: Float64Array;
  private readonly f: Float64Array[];
  /** Reusable conversion buffers behind `t`, `s` and `f`. */
  private readonly tBuf: Float64Array;
  private readonly sBuf: Float64Array;
  private readonly fBuf: Float64Array[];
  /** Values of the non-numeric event columns (strings, lists) of the current chunk. */
  private readonly v: DuckDBValue[][];
  /** Per result column of the current file: its DuckDB type id when read as doubles, -1 for values. */
  private types: number[] = [];
  /** Rows in the current chunk, index of the next row. */
  private n = 0;
  private i = 0;
  /** (time, seq) of the last row checked (seq: the row number when not read). */
  private lastTime = -Infinity;
  private lastSeq = -Infinity;
  /** Index in the current chunk of the first row out of order, -1 when none. */
  private bad = -1;
  private badPrev: [number, number] = [0, 0];

  private fileIdx = -1;
  /** The streaming result of the file being read. */
  private result: DuckDBResult | undefined;
  /** The next file's query, started ahead (see the class comment); its error is raised when the replay reaches it. */
  private opening: Promise<OpenFile> | undefined;
  private pending: Promise<void> | undefined;
  private hasNext = false;
  private nextChunk: DuckDBDataChunk | null = null;
  private nextErr: unknown = undefined;
  private rowsInFile = 0;
  private ended = false;
  private readonly numeric: boolean[];
  /** Index of the first event column in the result (after time, and seq when read). */
  private readonly base: number;
  private readonly fill: EventSchema['fill'];
  private readonly cols: string[];

  constructor(
    private readonly dir: string,
    private readonly run: CatalogRun,
    private readonly files: readonly SelectedFile[],
    /** One connection, or two to open the next file while one is read (files alternate). */
    private readonly conns: readonly DuckDBConnection[],
    private readonly schema: EventSchema,
    private readonly ctx: ReadContext,
    /** Read the seq column (needed to merge several runs); a lone run is ordered by its file and only its times are checked. */
    private readonly withSeq: boolean,
  ) {
    this.ev = schema.blank(ctx);
    this.numeric = schema.columns.map(isNumericColumn);
    this.fill = schema.fill;
    this.base = withSeq ? 2 : 1;
    this.cols = ['time', ...(withSeq ? ['seq'] : []), ...schema.columns.map((c) => c.name)];
    this.t = this.tBuf = new Float64Array(CHUNK_ROWS);
    this.s = this.sBuf = new Float64Array(withSeq ? CHUNK_ROWS : 0);
    this.fBuf = schema.columns.map((c) => new Float64Array(isNumericColumn(c) ? CHUNK_ROWS : 0));
    this.f = this.fBuf.slice();
    this.v = schema.columns.map(() => []);
    if (!withSeq) this.lastSeq = -1; // rows are numbered 0, 1, 2... in file order
  }

  /** The file being read. */
  get name(): string {
    const f = this.files[Math.max(0, this.fileIdx)];
    return f ? join(this.dir, f.file.path) : `${this.run.type} ${this.run.symbol}`;
  }

  /** A fetch or a file's query still running (its connection may be closed only when it is done: closing under it crashes natively). */
  get busy(): Promise<unknown> | undefined {
    const fetching = this.hasNext ? undefined : this.pending;
    if (this.opening === undefined) return fetching;
    return fetching === undefined ? this.opening : Promise.allSettled([fetching, this.opening]);
  }

  /** Loads the next row into `ev`: Ready, End, or Wait (call `refill`). */
  step(): SourceState {
    let i = this.i;
    if (i >= this.n) {
      if (this.ended) return SourceState.End;
      if (!this.hasNext) return SourceState.Wait;
      if (!this.take()) return this.ended ? SourceState.End : SourceState.Wait;
      i = 0;
    }
    if (i === this.bad) this.orderError(i);
    this.i = i + 1;
    const ev = this.ev;
    ev.time = this.t[i]!;
    if (this.withSeq) this.seq = this.s[i]!;
    this.fill(ev, this.f, this.v, i, this.ctx);
    return SourceState.Ready;
  }

  /** Waits for the next chunk, opening the next file when the current one ended. */
  async refill(): Promise<void> {
    if (this.ended || this.hasNext) return;
    if (this.result === undefined) {
      const k = ++this.fileIdx;
      this.rowsInFile = 0;
      const opening = this.opening ?? this.openFile(k);
      this.opening = undefined;
      const { result, types } = await opening;
      this.result = result;
      this.types = types;
      if (k + 1 < this.files.length) {
        this.opening = this.openFile(k + 1);
        this.opening.catch(() => undefined); // raised when the replay reaches that file
      }
      this.prefetch();
    }
    await this.pending;
  }

  /** Starts the query of file `k` on its connection. */
  private async openFile(k: number): Promise<OpenFile> {
    const { file, where } = this.files[k]!;
    const abs = join(this.dir, file.path);
    if (!existsSync(abs)) throw new CatalogError('CATALOG_MISSING_FILE', `${abs}: partition file is missing (listed in the catalog manifest)`, abs);
    return this.open(abs, where, this.conns[k % this.conns.length]!);
  }

  /** Makes the prefetched chunk current; false when the file ended (a new file must be opened). */
  private take(): boolean {
    this.hasNext = false;
    if (this.nextErr !== undefined) throw fileError(this.name, this.nextErr);
    const chunk = this.nextChunk;
    this.nextChunk = null;
    const n = chunk === null ? 0 : chunk.rowCount;
    if (chunk === null || n === 0) {
      this.endFile();
      return false;
    }
    this.prefetch(); // DuckDB fetches the next chunk while this one is read and consumed
    const types = this.types;
    const base = this.base;
    const raw = chunk.chunk;
    for (let c = 0; c < types.length; c++) {
      const k = c - base;
      const type = types[c]!;
      if (type < 0) this.v[k] = chunk.getColumnValues(c);
      else if (k >= 0) this.f[k] = readDoubles(raw, c, type, n, this.fBuf[k]!);
      else if (c === 0) this.t = readDoubles(raw, c, type, n, this.tBuf);
      else this.s = readDoubles(raw, c, type, n, this.sBuf);
    }
    this.n = n;
    this.i = 0;
    this.rowsInFile += n;
    this.checkOrder(n);
    return true;
  }

  private endFile(): void {
    const cur = this.files[this.fileIdx];
    if (cur && cur.where === '' && this.rowsInFile !== cur.file.rows) {
      const abs = join(this.dir, cur.file.path);
      throw new CatalogError('CATALOG_CORRUPT', `${abs}: holds ${this.rowsInFile} rows but the catalog manifest recorded ${cur.file.rows} (file replaced or damaged)`, abs);
    }
    this.result = undefined;
    if (this.fileIdx + 1 >= this.files.length) this.ended = true;
  }

  private prefetch(): void {
    this.pending = this.result!.fetchChunk().then(
      (c) => {
        this.nextChunk = c;
        this.hasNext = true;
      },
      (err: unknown) => {
        this.nextErr = err ?? new Error('unknown DuckDB error');
        this.hasNext = true;
      },
    );
  }

  /**
   * Starts the streaming query of one file. Numeric columns are read in their stored type (see
   * columns.ts); nullable ones are coalesced to NaN as DOUBLE. A column of a type columns.ts does not
   * read (e.g. DECIMAL in a file written by another tool) is cast to DOUBLE by a second query.
   */
  private async open(abs: string, where: string, conn: DuckDBConnection): Promise<OpenFile> {
    const numericAt = (k: number): boolean => k < this.base || this.numeric[k - this.base]!;
    const query = async (cast: ReadonlySet<number>): Promise<DuckDBResult> => {
      const exprs = this.cols.map((name, k) => {
        const c = k < this.base ? undefined : this.schema.columns[k - this.base]!;
        if (c && !isNumericColumn(c)) return ident(name);
        if (c?.nullable) return `coalesce(${ident(name)}::DOUBLE, 'NaN'::DOUBLE) AS ${ident(name)}`;
        return cast.has(k) ? `${ident(name)}::DOUBLE AS ${ident(name)}` : ident(name);
      });
      try {
        return await conn.stream(`SELECT ${exprs.join(', ')} FROM read_parquet(${literal(abs)})${where}`);
      } catch (err) {
        throw fileError(abs, err);
      }
    };
    let res = await query(new Set());
    const bad = new Set<number>();
    for (let k = 0; k < this.cols.length; k++) if (numericAt(k) && !isRawNumericType(res.columnTypeId(k))) bad.add(k);
    if (bad.size > 0) res = await query(bad);
    return { result: res, types: this.cols.map((_, k) => (numericAt(k) ? res.columnTypeId(k) : -1)) };
  }

  /** Checks the (time, seq) order of a chunk's rows against each other and the rows before, in one pass. */
  private checkOrder(n: number): void {
    const t = this.t;
    const s = this.s;
    const withSeq = this.withSeq;
    let pt = this.lastTime;
    let ps = this.lastSeq;
    this.bad = -1;
    for (let k = 0; k < n; k++) {
      const tk = t[k]!;
      const sk = withSeq ? s[k]! : ps + 1;
      if (tk < pt || (tk === pt && sk <= ps)) {
        this.bad = k;
        this.badPrev = [pt, ps];
        return;
      }
      pt = tk;
      ps = sk;
    }
    this.lastTime = pt;
    this.lastSeq = ps;
  }

  private orderError(i: number): never {
    const t = this.t[i]!;
    const s = this.withSeq ? this.s[i]! : this.badPrev[1] + 1;
    throw new DataError(this.name, 0, 'time', `row out of (time, seq) order: (${t}, ${s}) after (${this.badPrev[0]}, ${this.badPrev[1]})`);
  }
}
