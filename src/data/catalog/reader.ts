import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBDataChunk, type DuckDBResult, type DuckDBValue } from '@duckdb/node-api';
import { DataError } from '../../core/errors.ts';
import type { InstrumentRegistry } from '../../market/instrument.ts';
import { SourceState, type EventSource } from '../../market/market-data.ts';
import { CATALOG_EVENT_TYPES, isCatalogEventType, type CatalogEvent, type CatalogEventType } from './event-types.ts';
import { CatalogError, catalogRegistry, readManifest, type CatalogFile, type CatalogManifest, type CatalogRun } from './manifest.ts';
import { ident, isNumericColumn, literal, SCHEMAS, type EventSchema, type ReadContext } from './schema.ts';

/**
 * Replay from a catalog: an `EventSource<CatalogEvent>` that streams the selected runs chunk by
 * chunk (DuckDB streaming results, 2048 rows per chunk, the next chunk of every run fetched while
 * the current one is consumed) and merges them in exact (time, seq) order. A replay of a single run
 * does not read the `seq` column (the file order is the seq order; times are still checked): each
 * column read costs about as much as the events' own fields, see docs/catalog.md. Memory holds about two
 * chunks per run, whatever the length of the history. Columns are read in bulk as typed arrays
 * (numbers cast to DOUBLE by DuckDB, exact below 2^53) into one reusable event object per run:
 * copy what you keep (see `copyEvent`).
 *
 * Checks: a selected file missing from disk is an error before any event; a file DuckDB cannot read
 * (corrupt, truncated) is an error naming it; a file that yields a different row count than the
 * manifest recorded is an error naming it; events of a run out of (time, seq) order are an error.
 */

/** Selection and tuning of a catalog replay. */
export interface CatalogSourceOptions {
  /** Only these symbols (news: items mentioning one of them). Unknown symbols are an error. */
  symbols?: readonly string[];
  /** Only these event types (default all). Unknown type names are an error. */
  types?: readonly string[];
  /** First time, microseconds, inclusive. */
  from?: number;
  /** End time, microseconds, exclusive. */
  to?: number;
  /** Registry to resolve instruments in (default a new one); a symbol it holds must have the catalog's spec. */
  registry?: InstrumentRegistry;
  /** DuckDB worker threads (default: DuckDB's choice, the number of cores). */
  threads?: number;
}

/** A DuckDB error about a file, as a `CatalogError` naming the file. */
function fileError(file: string, err: unknown): CatalogError {
  const msg = (err as Error).message ?? String(err);
  return new CatalogError('CATALOG_CORRUPT', `${file}: cannot read Parquet file (${msg.split('\n')[0]})`, file);
}

/** The numeric columns of a chunk as doubles. */
function doubles(chunk: DuckDBDataChunk, c: number): Float64Array {
  const v = chunk.getColumnVector(c) as unknown as { items?: unknown };
  if (v.items instanceof Float64Array) return v.items;
  const vals = chunk.getColumnValues(c);
  return Float64Array.from(vals, (x) => (x === null ? NaN : Number(x)));
}

/** One run, read file after file. */
class RunStream {
  readonly ev: CatalogEvent;
  time = 0;
  seq = 0;
  /** Row arrays of the current chunk: time, seq, then the schema's numeric columns (by schema index). */
  private f: Float64Array[] = [];
  private v: DuckDBValue[][] = [];
  private t: Float64Array = new Float64Array(0);
  private s: Float64Array = new Float64Array(0);
  private n = 0;
  private i = 0;
  private fileIdx = -1;
  private result: DuckDBResult | undefined;
  private pending: Promise<void> | undefined;
  private hasNext = false;
  private nextChunk: DuckDBDataChunk | null = null;
  private nextErr: unknown = undefined;
  private rowsInFile = 0;
  private ended = false;
  private lastTime = -Infinity;
  private lastSeq = -Infinity;
  private readonly numeric: boolean[];
  /** Index of the first event column in the chunk (after time, and seq when read). */
  private readonly base: number;
  private readonly fill: EventSchema['fill'];

  constructor(
    private readonly dir: string,
    private readonly run: CatalogRun,
    private readonly files: readonly { file: CatalogFile; where: string }[],
    private readonly conn: DuckDBConnection,
    private readonly schema: EventSchema,
    private readonly ctx: ReadContext,
    /** Read the seq column (needed to merge several runs); a lone run is ordered by its file and only its times are checked. */
    private readonly withSeq: boolean,
  ) {
    this.ev = schema.blank(ctx);
    this.numeric = schema.columns.map(isNumericColumn);
    this.fill = schema.fill;
    this.base = withSeq ? 2 : 1;
    if (!withSeq) this.lastSeq = -1; // rows are numbered 0, 1, 2... in file order
  }

  get name(): string {
    const f = this.files[Math.max(0, this.fileIdx)];
    return f ? join(this.dir, f.file.path) : `${this.run.type} ${this.run.symbol}`;
  }

  /** Loads the next row into `ev`: Ready, End, or Wait (call `refill`). */
  step(): SourceState {
    if (this.i >= this.n) {
      if (this.ended) return SourceState.End;
      if (!this.hasNext) return SourceState.Wait;
      if (!this.take()) return this.ended ? SourceState.End : SourceState.Wait;
    }
    const i = this.i++;
    const t = this.t[i]!;
    const s = this.withSeq ? this.s[i]! : this.lastSeq + 1;
    if (t < this.lastTime || (t === this.lastTime && s <= this.lastSeq)) {
      throw new DataError(this.name, 0, 'time', `row out of (time, seq) order: (${t}, ${s}) after (${this.lastTime}, ${this.lastSeq})`);
    }
    this.lastTime = t;
    this.lastSeq = s;
    this.time = t;
    this.seq = s;
    const ev = this.ev;
    ev.time = t;
    this.fill(ev, this.f, this.v, i, this.ctx);
    return SourceState.Ready;
  }

  /** Makes the prefetched chunk current; false when the file ended (a new file must be opened). */
  private take(): boolean {
    this.hasNext = false;
    if (this.nextErr !== undefined) throw fileError(this.name, this.nextErr);
    const chunk = this.nextChunk;
    this.nextChunk = null;
    if (chunk === null || chunk.rowCount === 0) {
      this.endFile();
      return false;
    }
    const cols = this.schema.columns;
    const f: Float64Array[] = [];
    const v: DuckDBValue[][] = [];
    for (let k = 0; k < cols.length; k++) {
      if (this.numeric[k]) {
        f.push(doubles(chunk, k + this.base));
        v.push([]);
      } else {
        f.push(new Float64Array(0));
        v.push(chunk.getColumnValues(k + this.base));
      }
    }
    this.t = doubles(chunk, 0);
    if (this.withSeq) this.s = doubles(chunk, 1);
    this.f = f;
    this.v = v;
    this.n = chunk.rowCount;
    this.i = 0;
    this.rowsInFile += this.n;
    this.prefetch();
    return true;
  }

  private endFile(): void {
    const cur = this.files[this.fileIdx];
    if (cur && cur.where === '' && this.rowsInFile !== cur.file.rows) {
      throw new CatalogError(
        'CATALOG_CORRUPT',
        `${join(this.dir, cur.file.path)}: holds ${this.rowsInFile} rows but the catalog manifest recorded ${cur.file.rows} (file replaced or damaged)`,
        join(this.dir, cur.file.path),
      );
    }
    this.result = undefined;
    if (this.fileIdx + 1 >= this.files.length) this.ended = true;
  }

  private prefetch(): void {
    const res = this.result!;
    this.pending = res.fetchChunk().then(
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

  /** Waits for the next chunk, opening the next file when the current one ended. */
  async refill(): Promise<void> {
    if (this.ended || this.hasNext) return;
    if (this.result === undefined) {
      this.fileIdx++;
      const { file, where } = this.files[this.fileIdx]!;
      const abs = join(this.dir, file.path);
      if (!existsSync(abs)) throw new CatalogError('CATALOG_MISSING_FILE', `${abs}: partition file is missing (listed in the catalog manifest)`, abs);
      const cols = ['time', ...(this.withSeq ? ['seq'] : []), ...this.schema.columns.map((c) => c.name)];
      const exprs = cols.map((name, k) => {
        const c = k < this.base ? undefined : this.schema.columns[k - this.base]!;
        if (c && !isNumericColumn(c)) return ident(name);
        return c?.nullable ? `coalesce(${ident(name)}::DOUBLE, 'NaN'::DOUBLE)` : `${ident(name)}::DOUBLE`;
      });
      this.rowsInFile = 0;
      try {
        this.result = await this.conn.stream(`SELECT ${exprs.join(', ')} FROM read_parquet(${literal(abs)})${where}`);
      } catch (err) {
        throw fileError(abs, err);
      }
      this.prefetch();
    }
    await this.pending;
  }
}

/**
 * The merged replay source. Streams are kept in a binary heap by (time, seq); `advance()` moves the
 * stream whose event was handed out last, synchronously when its next row or prefetched chunk is
 * there, else it says Wait and `refill()` awaits the chunk.
 */
export class CatalogSource implements EventSource<CatalogEvent> {
  readonly name: string;
  current!: CatalogEvent;
  /** The instruments of the replay (the catalog's, in the given registry when one was passed). */
  readonly registry: InstrumentRegistry;
  private heap: RunStream[] = [];
  private waiting: RunStream[];
  private emitted = false;
  private closed = false;

  /** @internal use `openCatalogSource`. */
  constructor(
    name: string,
    registry: InstrumentRegistry,
    streams: RunStream[],
    private readonly instance: DuckDBInstance,
    private readonly conns: DuckDBConnection[],
  ) {
    this.name = name;
    this.registry = registry;
    this.waiting = streams;
  }

  advance(): SourceState {
    const heap = this.heap;
    if (this.emitted) {
      this.emitted = false;
      const top = heap[0]!;
      const st = top.step();
      if (st === SourceState.Ready) this.siftDown(0);
      else {
        const last = heap.pop()!;
        if (heap.length > 0) {
          heap[0] = last;
          this.siftDown(0);
        }
        if (st === SourceState.Wait) this.waiting.push(top);
      }
    }
    if (this.waiting.length > 0) {
      const w = this.waiting;
      for (let k = w.length - 1; k >= 0; k--) {
        const s = w[k]!;
        const st = s.step();
        if (st === SourceState.Wait) continue;
        w[k] = w[w.length - 1]!;
        w.pop();
        if (st === SourceState.Ready) this.push(s);
      }
      if (w.length > 0) return SourceState.Wait;
    }
    if (heap.length === 0) return SourceState.End;
    this.current = heap[0]!.ev;
    this.emitted = true;
    return SourceState.Ready;
  }

  async refill(): Promise<void> {
    if (this.waiting.length === 1) await this.waiting[0]!.refill();
    else await Promise.all(this.waiting.map((s) => s.refill()));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.heap = [];
    this.waiting = [];
    for (const c of this.conns) c.closeSync();
    this.instance.closeSync();
  }

  private less(a: RunStream, b: RunStream): boolean {
    return a.time < b.time || (a.time === b.time && a.seq < b.seq);
  }

  private push(s: RunStream): void {
    const h = this.heap;
    let i = h.length;
    h.push(s);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(s, h[p]!)) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = s;
  }

  private siftDown(i: number): void {
    const h = this.heap;
    const n = h.length;
    if (n <= 1) return;
    const s = h[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      let c = l;
      if (l + 1 < n && this.less(h[l + 1]!, h[l]!)) c = l + 1;
      if (!this.less(h[c]!, s)) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = s;
  }
}

/** The runs and files a selection reads, validated against the manifest (shared with `data ls`). */
export function selectRuns(
  m: CatalogManifest,
  options: Pick<CatalogSourceOptions, 'symbols' | 'types' | 'from' | 'to'>,
): { run: CatalogRun; files: { file: CatalogFile; where: string }[] }[] {
  const types = options.types ?? CATALOG_EVENT_TYPES;
  for (const t of types) {
    if (!isCatalogEventType(t)) throw new CatalogError('CATALOG_FILTER', `unknown event type '${t}' (known: ${CATALOG_EVENT_TYPES.join(', ')})`);
  }
  const symbols = options.symbols;
  if (symbols) {
    const known = new Set(m.instruments.map((i) => i.symbol));
    for (const s of symbols) {
      if (!known.has(s)) throw new CatalogError('CATALOG_FILTER', `unknown symbol '${s}' (the catalog has: ${[...known].sort().join(', ') || 'none'})`);
    }
  }
  const from = options.from ?? -Infinity;
  const to = options.to ?? Infinity;
  if (from > to) throw new CatalogError('CATALOG_FILTER', `from ${from} is after to ${to}`);
  const out: { run: CatalogRun; files: { file: CatalogFile; where: string }[] }[] = [];
  for (const run of m.runs) {
    if (!types.includes(run.type)) continue;
    const isNews = run.type === 'news';
    if (symbols && !isNews && !symbols.includes(run.symbol)) continue;
    const files: { file: CatalogFile; where: string }[] = [];
    for (const file of run.files) {
      if (file.maxTime < from || file.minTime >= to) continue;
      const conds: string[] = [];
      if (file.minTime < from) conds.push(`time >= ${from}`);
      if (file.maxTime >= to) conds.push(`time < ${to}`);
      if (symbols && isNews) conds.push(`list_has_any(symbols, [${symbols.map(literal).join(', ')}])`);
      files.push({ file, where: conds.length > 0 ? ` WHERE ${conds.join(' AND ')}` : '' });
    }
    if (files.length > 0) out.push({ run, files });
  }
  return out;
}

/**
 * Opens a replay of the catalog in `dir`: the selected events of every run, merged in exact
 * (time, seq) order, as an `EventSource`. Call `close()` when done (the engine does).
 */
export async function openCatalogSource(dir: string, options: CatalogSourceOptions = {}): Promise<CatalogSource> {
  const abs = resolve(dir);
  const m = readManifest(abs);
  const registry = catalogRegistry(m, options.registry);
  const selected = selectRuns(m, options);
  const missing = selected.flatMap((s) => s.files.map((f) => join(abs, f.file.path))).filter((p) => !existsSync(p));
  if (missing.length > 0) {
    throw new CatalogError('CATALOG_MISSING_FILE', `${missing[0]}: partition file is missing${missing.length > 1 ? ` (and ${missing.length - 1} more)` : ''} (listed in the catalog manifest)`, missing[0]);
  }
  const instance = await DuckDBInstance.create(':memory:', options.threads ? { threads: String(options.threads) } : {});
  const conns: DuckDBConnection[] = [];
  const streams: RunStream[] = [];
  try {
    for (const { run, files } of selected) {
      const conn = await instance.connect();
      conns.push(conn);
      const ctx: ReadContext = { instrument: registry.get(run.symbol), registry };
      if (run.type !== 'news' && !ctx.instrument) throw new CatalogError('CATALOG_CORRUPT', `run ${run.run}: instrument ${run.symbol} is not in the catalog manifest`);
      streams.push(new RunStream(abs, run, files, conn, SCHEMAS[run.type as CatalogEventType], ctx, selected.length > 1));
    }
  } catch (err) {
    for (const c of conns) c.closeSync();
    instance.closeSync();
    throw err;
  }
  return new CatalogSource(abs, registry, streams, instance, conns);
}
