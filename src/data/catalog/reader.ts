import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { InstrumentRegistry } from '../../market/instrument.ts';
import { SourceState, type EventSource } from '../../market/market-data.ts';
import { CATALOG_EVENT_TYPES, isCatalogEventType, type CatalogEvent, type CatalogEventType } from './event-types.ts';
import { CatalogError, catalogRegistry, readManifest, type CatalogFile, type CatalogManifest, type CatalogRun } from './manifest.ts';
import { RunStream } from './run-stream.ts';
import { literal, SCHEMAS, type ReadContext } from './schema.ts';

/**
 * Replay from a catalog: an `EventSource<CatalogEvent>` that streams the selected runs chunk by
 * chunk (one `RunStream` per run, run-stream.ts: DuckDB streaming results on a one-thread DuckDB,
 * 2048 rows per chunk, the next chunk of every run fetched while the current one is consumed) and
 * merges them in exact (time, seq) order. A replay of a single run does not read the `seq` column
 * (the file order is the seq order; times are still checked). Memory holds about two chunks per run,
 * whatever the length of the history. Numeric columns are read in their stored type as typed arrays
 * (columns.ts; exact below 2^53) into one reusable event object per run: copy what you keep (see
 * `copyEvent`).
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
  /** DuckDB threads (default 1: the scan runs on the thread that fetches, alongside the consumer). */
  threads?: number;
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
  private readonly streams: readonly RunStream[];
  private heap: RunStream[] = [];
  private waiting: RunStream[];
  private emitted = false;
  private closed = false;

  /** @internal use `openCatalogSource`. */
  constructor(
    name: string,
    registry: InstrumentRegistry,
    streams: RunStream[],
    private readonly conns: DuckDBConnection[],
  ) {
    this.name = name;
    this.registry = registry;
    this.streams = streams;
    this.waiting = [...streams];
  }

  advance(): SourceState {
    const heap = this.heap;
    if (this.emitted) {
      // `emitted` implies no stream is waiting: the common case is one sift (none for a lone stream)
      const top = heap[0]!;
      const st = top.step();
      if (st === SourceState.Ready) {
        if (heap.length > 1) {
          this.siftDown(0);
          this.current = heap[0]!.ev;
        }
        return SourceState.Ready;
      }
      this.emitted = false;
      const last = heap.pop()!;
      if (heap.length > 0) {
        heap[0] = last;
        this.siftDown(0);
      }
      if (st === SourceState.Wait) this.waiting.push(top);
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
    // a fetch in flight must finish before its connection closes (closing under it crashes natively)
    const busy = this.streams.map((s) => s.busy).filter((p): p is Promise<unknown> => p !== undefined);
    this.heap = [];
    this.waiting = [];
    const shut = (): void => {
      for (const c of this.conns) c.closeSync();
    };
    if (busy.length === 0) shut();
    else void Promise.allSettled(busy).then(shut);
  }

  private less(a: RunStream, b: RunStream): boolean {
    const ta = a.ev.time;
    const tb = b.ev.time;
    return ta < tb || (ta === tb && a.seq < b.seq);
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

/** The in-memory DuckDB instances replays run on, by thread count (see `replayInstance`). */
const replayInstances = new Map<number, Promise<DuckDBInstance>>();

/**
 * The in-memory DuckDB instance of `threads` threads that every replay of the process shares (each
 * replay opens its own connections on it and closes them). Creating an instance costs 12-33 ms,
 * as much as streaming a few hundred thousand events, so only the first replay pays it; an
 * instance holds no state between replays (each query reads its Parquet files anew) and lives as
 * long as the process. One thread is the default: a streaming query then runs its scan on the
 * fetching thread, chunk by chunk, alongside the consumer; more threads add a parallel pipeline
 * whose buffering and hand-offs cost more than they give for a scan in file order (measured in
 * docs/catalog.md).
 */
function replayInstance(threads: number): Promise<DuckDBInstance> {
  if (!(Number.isSafeInteger(threads) && threads >= 1)) throw new CatalogError('CATALOG_FILTER', `threads must be a positive integer, got ${threads}`);
  let made = replayInstances.get(threads);
  if (made === undefined) {
    made = DuckDBInstance.create(':memory:', { threads: String(threads) });
    replayInstances.set(threads, made);
    made.catch(() => replayInstances.delete(threads)); // a failed creation is retried by the next replay
  }
  return made;
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
  const instance = await replayInstance(options.threads ?? 1);
  const conns: DuckDBConnection[] = [];
  const streams: RunStream[] = [];
  try {
    for (const { run, files } of selected) {
      // two connections when the run has several files: the next file's query starts while one is read
      const own = [await instance.connect()];
      if (files.length > 1) own.push(await instance.connect());
      conns.push(...own);
      const ctx: ReadContext = { instrument: registry.get(run.symbol), registry };
      if (run.type !== 'news' && !ctx.instrument) throw new CatalogError('CATALOG_CORRUPT', `run ${run.run}: instrument ${run.symbol} is not in the catalog manifest`);
      streams.push(new RunStream(abs, run, files, own, SCHEMAS[run.type as CatalogEventType], ctx, selected.length > 1));
    }
  } catch (err) {
    for (const c of conns) c.closeSync();
    throw err;
  }
  return new CatalogSource(abs, registry, streams, conns);
}
