import { DataError } from '../core/errors.ts';
import type { Instrument } from '../market/instrument.ts';
import type { BarEvent, EventSource } from '../market/market-data.ts';
import { BarBytePath, type BarByteLayout, type BarClock, type BarFieldColumns } from './bar-bytes.ts';
import { BarReplayPath, RecordingScan, type BarRecord } from './bar-record.ts';
import { DirectScan } from './bar-direct-scan.ts';
import { barSplitPossible } from './bar-split.ts';
import { BarArray, BarBatchSource, BarColumnBatch, type BarSink } from './bar-batch-source.ts';
import { DEFAULT_HIGH_WATER_MARK, type CsvCursor } from './csv-reader.ts';
import type { TimeFormat } from './csv-fields.ts';
import type { WholeFile } from './csv-bytes.ts';
import {
  checkTick,
  newLoadStats,
  readCsvSinks,
  readUnits,
  resolveColumn,
  resolveInstrument,
  resolveInstrumentAndBytes,
  resolveTimeColumns,
  symbolFromPath,
  TimeReader,
  type ColumnRef,
  type CsvLayout,
  type CsvOptions,
  type InstrumentOptions,
  type LoadStats,
  type ByteRowPath,
  type PrecisionColumns,
  type RowDecoder,
} from './csv-table.ts';

/**
 * Bar (OHLCV) CSV loader. Reads Yahoo Finance files (`Date,Open,High,Low,Close,Adj Close,Volume`),
 * backtrader's files (`Date,Open,High,Low,Close,Volume,OpenInterest`, including the minute files
 * whose rows carry `date,time,...` under a header without `Time`, and `Datetime` ISO stamps), and any
 * other layout through a column map. Prices are parsed exactly into integer units of the
 * instrument and carried as `instrument.price(units)`; see docs/data.md.
 */

/** Where each bar field is. Unnamed fields are found by header name (`open`/`o`, ...). */
export interface BarColumns {
  /** The timestamp, or the date when `timeOfDay` is separate. */
  time?: ColumnRef;
  /** A separate time-of-day column (`09:01:00`), added to the date in `time`. */
  timeOfDay?: ColumnRef;
  open?: ColumnRef;
  high?: ColumnRef;
  low?: ColumnRef;
  close?: ColumnRef;
  /** Optional: volume is 0 when the file has none. */
  volume?: ColumnRef;
  /** Adjusted close (used only with `adjusted: 'adj-close'`). */
  adjClose?: ColumnRef;
}

/** Options of the bar loaders. */
export interface BarCsvOptions extends CsvOptions, InstrumentOptions {
  /** Column map; by default columns are found by header name, or by position (time, O, H, L, C, V) without a header. */
  columns?: BarColumns;
  /** `raw` (default): prices as written. `adj-close`: O, H, L, C scaled by AdjClose/Close, rounded to the tick grid. */
  adjusted?: 'raw' | 'adj-close';
  /** Check high >= low and low <= open, close <= high (default true). */
  validateRange?: boolean;
  /**
   * Parse the second half of a file read whole on the parse worker thread when the machine has a
   * second core (default true; see bar-split.ts). The bars, counts and errors are the same either way.
   */
  parallel?: boolean;
}

const ALIASES = {
  open: ['open', 'o', 'openprice'],
  high: ['high', 'h', 'highprice'],
  low: ['low', 'l', 'lowprice'],
  close: ['close', 'c', 'closeprice', 'last'],
  volume: ['volume', 'vol', 'v', 'qty'],
  adjClose: ['adjclose', 'adjustedclose'],
} as const;

function resolveBarColumns(layout: CsvLayout, options: BarCsvOptions): BarFieldColumns {
  const cols = options.columns ?? {};
  const { time, tod } = resolveTimeColumns(layout, cols.time, cols.timeOfDay);
  const base = tod >= 0 ? tod + 1 : time + 1; // positions of O, H, L, C, V without a header
  const adjusted = (options.adjusted ?? 'raw') === 'adj-close';
  return {
    time,
    tod,
    open: resolveColumn(layout, 'open', cols.open, ALIASES.open, base, true),
    high: resolveColumn(layout, 'high', cols.high, ALIASES.high, base + 1, true),
    low: resolveColumn(layout, 'low', cols.low, ALIASES.low, base + 2, true),
    close: resolveColumn(layout, 'close', cols.close, ALIASES.close, base + 3, true),
    volume: resolveColumn(layout, 'volume', cols.volume, ALIASES.volume, base + 4, false),
    adjClose: adjusted ? resolveColumn(layout, 'adjClose', cols.adjClose, ALIASES.adjClose, -1, true) : -1,
  };
}

/** Where the fused load keeps its scan (made when the file is read whole): its columns or its record. */
interface FusedLoad {
  scan: DirectScan | undefined;
}

function barPrecisionColumns(path: string, options: BarCsvOptions, fused?: FusedLoad): (layout: CsvLayout, first: CsvCursor) => PrecisionColumns {
  return (layout, first) => {
    const b = resolveBarColumns(layout, options);
    const cols: PrecisionColumns = { price: [b.open, b.high, b.low, b.close], size: b.volume >= 0 ? [b.volume] : [] };
    if (fused !== undefined) {
      cols.byteScan = (standard, file) => {
        let format: Exclude<TimeFormat, 'auto'>;
        try {
          format = new TimeReader(path, b.time, b.tod, options.timeFormat ?? 'auto', first, layout).format;
        } catch {
          return standard; // the parse reports it
        }
        const spec = barByteLayout(layout, b, options, format);
        const walker = spec && BarBytePath.create(spec, undefined, { lastTime: -Infinity });
        if (spec === undefined || walker === undefined) return standard;
        const instrumentSpec = { ...options.instrumentSpec, symbol: options.symbol ?? symbolFromPath(path) };
        fused.scan = new DirectScan(spec, instrumentSpec, () => new RecordingScan(standard, spec, walker, file.length), file, options.parallel !== false);
        return fused.scan;
      };
    }
    return cols;
  };
}

/** The byte fast path's view of a file's layout; undefined when it has none (non-ASCII delimiter). */
function barByteLayout(layout: CsvLayout, k: BarFieldColumns, options: BarCsvOptions, format: Exclude<TimeFormat, 'auto'>): BarByteLayout | undefined {
  const delimiter = (options.delimiter ?? ',').charCodeAt(0);
  if (delimiter >= 128) return undefined;
  return { ...k, delimiter, fieldCount: layout.fieldCount, format, validate: options.validateRange ?? true };
}

/** One row to one `BarEvent`, with all the checks (the reference path; `bytePath` is the fast one). */
class BarDecoder implements RowDecoder<BarEvent, BarSink>, BarClock {
  /** Time of the last accepted row (shared with the byte fast path). */
  lastTime = -Infinity;
  private readonly p: number;
  private readonly sp: number;
  private readonly tickCheck: boolean;
  private readonly validate: boolean;

  constructor(
    private readonly file: string,
    private readonly inst: Instrument,
    private readonly cols: BarFieldColumns,
    private readonly time: TimeReader,
    private readonly layout: CsvLayout,
    private readonly options: BarCsvOptions,
    private readonly record: BarRecord | undefined,
  ) {
    this.p = inst.pricePrecision;
    this.sp = inst.sizePrecision;
    this.tickCheck = inst.tickUnits !== 1;
    this.validate = options.validateRange ?? true;
  }

  decode(c: CsvCursor): BarEvent {
    const f = this.file;
    const k = this.cols;
    const t = this.time.read(c);
    let o = readUnits(c, k.open, this.p, f, 'open');
    let h = readUnits(c, k.high, this.p, f, 'high');
    let l = readUnits(c, k.low, this.p, f, 'low');
    let cl = readUnits(c, k.close, this.p, f, 'close');
    const v = k.volume >= 0 ? readUnits(c, k.volume, this.sp, f, 'volume') : 0;
    if (o < 0) this.negative(c, k.open, 'open');
    if (h < 0) this.negative(c, k.high, 'high');
    if (l < 0) this.negative(c, k.low, 'low');
    if (cl < 0) this.negative(c, k.close, 'close');
    if (v < 0) this.negative(c, k.volume, 'volume');
    if (this.tickCheck) {
      checkTick(o, this.inst, c, k.open, f, 'open');
      checkTick(h, this.inst, c, k.high, f, 'high');
      checkTick(l, this.inst, c, k.low, f, 'low');
      checkTick(cl, this.inst, c, k.close, f, 'close');
    }
    if (this.validate) {
      if (h < l) throw new DataError(f, c.line, 'high', `high ${c.field(k.high)} is below low ${c.field(k.low)}`);
      if (o < l || o > h) throw new DataError(f, c.line, 'open', `open ${c.field(k.open)} is outside [low ${c.field(k.low)}, high ${c.field(k.high)}]`);
      if (cl < l || cl > h) throw new DataError(f, c.line, 'close', `close ${c.field(k.close)} is outside [low ${c.field(k.low)}, high ${c.field(k.high)}]`);
    }
    if (t < this.lastTime) {
      throw new DataError(f, c.line, 'time', `out of order: '${c.field(k.time)}' is earlier than the previous row`);
    }
    if (k.adjClose >= 0) {
      const adj = readUnits(c, k.adjClose, this.p, f, 'adjClose');
      if (adj <= 0 || cl <= 0) throw new DataError(f, c.line, adj <= 0 ? 'adjClose' : 'close', `adjusting needs positive close and adjusted close, got ${c.field(k.close)} and ${c.field(k.adjClose)}`);
      const tick = this.inst.tickUnits;
      const r = adj / cl / tick;
      o = Math.round(o * r) * tick;
      h = Math.round(h * r) * tick;
      l = Math.round(l * r) * tick;
      cl = Math.round(adj / tick) * tick;
    }
    this.lastTime = t;
    const inst = this.inst;
    return { kind: 'bar', time: t, instrument: inst, open: inst.price(o), high: inst.price(h), low: inst.price(l), close: inst.price(cl), volume: inst.size(v) };
  }

  /** The byte fast path (`bar-bytes.ts`), or the replay of a fused load (`bar-record.ts`). */
  bytePath(): ByteRowPath<BarEvent, BarSink> | undefined {
    const spec = barByteLayout(this.layout, this.cols, this.options, this.time.format);
    if (spec === undefined) return undefined;
    const bytes = BarBytePath.create(spec, this.inst, this);
    return this.record !== undefined && bytes !== undefined ? new BarReplayPath(this.record, this.inst, this, spec, bytes) : bytes;
  }

  private negative(c: CsvCursor, col: number, field: string): never {
    throw new DataError(this.file, c.line, field, `negative ${field === 'volume' ? 'volume' : 'price'} ${c.field(col)}`);
  }
}

/**
 * Streams the bars of a CSV file (gzip when `.gz`) as batches, one array per chunk read, checked row
 * by row (see docs/data.md for the rules). The instrument must be given: use `loadBarsCsv` to infer it.
 */
export async function* readBarBatches(path: string, options: BarCsvOptions & { instrument: Instrument }): AsyncGenerator<BarEvent[]> {
  const inst = options.instrument;
  for await (const sink of readBars(path, options, undefined, undefined, () => new BarArray(inst))) yield sink.events;
}

/** The bars of a file into sinks of one kind: objects (`BarArray`) or columns (`BarColumnBatch`). */
function readBars<S extends BarSink>(path: string, options: BarCsvOptions & { instrument: Instrument }, whole: WholeFile | undefined, record: BarRecord | undefined, newSink: () => S): AsyncGenerator<S> {
  const inst = options.instrument;
  return readCsvSinks<BarEvent, S>(
    path,
    options,
    (layout, first) => {
      const cols = resolveBarColumns(layout, options);
      const time = new TimeReader(path, cols.time, cols.tod, options.timeFormat ?? 'auto', first, layout);
      return new BarDecoder(path, inst, cols, time, layout, options, record);
    },
    newSink,
    whole,
  );
}

/**
 * The instrument a bar file would be loaded with: `options.instrument`, or one inferred from the data
 * (symbol from the options or the file name; precision from the options or a first streaming pass).
 */
export function inferBarInstrument(path: string, options: BarCsvOptions = {}): Promise<Instrument> {
  return resolveInstrument(path, options, barPrecisionColumns(path, options));
}

/** What `loadBarsCsv` returns. */
export interface LoadedBars {
  instrument: Instrument;
  /**
   * A pull source over the file, read chunk by chunk as the engine advances. Its `current` bar is one
   * object rewritten at each `advance()`: copy what you keep.
   */
  source: EventSource<BarEvent>;
  /** Counts, filled in as the source is read. */
  stats: LoadStats;
}

/**
 * Opens a bar CSV as an `EventSource<BarEvent>`, inferring the instrument when not given.
 * Example: `const { source } = await loadBarsCsv('orcl-2014.txt')` (precision 6 from the data).
 */
export async function loadBarsCsv(path: string, options: BarCsvOptions = {}): Promise<LoadedBars> {
  // a small file read by the precision scan is parsed from the same bytes (one read), and the rows
  // the scan recorded are replayed rather than parsed again (one parse: bar-record.ts)
  const fused: FusedLoad = { scan: undefined };
  // in shared memory when the parse worker may take half of the file (bar-split.ts)
  const read = options.parallel !== false && barSplitPossible() ? { ...options, sharedMemory: true } : options;
  const { instrument, whole } = await resolveInstrumentAndBytes(path, read, barPrecisionColumns(path, options, fused));
  const scan = fused.scan;
  const stats = options.stats ?? newLoadStats();
  const parsed = scan?.columns;
  const tail = scan?.tail;
  if (whole !== undefined && parsed !== undefined && scan?.guess !== undefined && sameGrid(scan.guess, instrument)) {
    // the scan's guess held: every bar is already in `parsed` (and `tail`: bar-direct-scan.ts)
    whole.release();
    const release = () => {
      parsed.release();
      tail?.release();
    };
    const source = new BarBatchSource(path, instrument, releasing(parsedBatches(parsed, scan.chunkEnds, tail, stats), release));
    return { instrument, source, stats };
  }
  parsed?.release(); // (a registry's existing instrument with another grid: parsed again below)
  tail?.release();
  const record = whole !== undefined && scan?.record !== undefined && !scan.record.full ? scan.record : undefined;
  if (record === undefined) scan?.record?.release();
  // one set of columns, refilled for every chunk: the source is done with a batch before it asks for the next
  // sized for a whole chunk at once (rows of at least ~20 bytes), or for the whole record when smaller
  const chunkRows = Math.ceil((options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK) / 20);
  const columns = new BarColumnBatch(Math.max(1024, Math.min(chunkRows, record !== undefined ? record.count + 1 : chunkRows)));
  const newSink = (): BarColumnBatch => {
    columns.length = 0;
    return columns;
  };
  const batches = releasing(readBars(path, { ...options, instrument, stats }, whole, record, newSink), () => {
    record?.release();
    columns.release();
  });
  const source = new BarBatchSource(path, instrument, batches);
  return { instrument, source, stats };
}

/** Both instruments put prices and sizes on the same grid (so bars parsed for one are the other's). */
function sameGrid(a: Instrument, b: Instrument): boolean {
  return a.pricePrecision === b.pricePrecision && a.sizePrecision === b.sizePrecision && a.tickUnits === b.tickUnits;
}

/**
 * The bars a scan parsed, in the batches the parse would have made (one per chunk; the rows the
 * parse worker parsed, from the cut on, in one), each counted in `stats` when handed out, as the
 * parse counts its rows.
 */
async function* parsedBatches(columns: BarColumnBatch, chunkEnds: readonly number[], tail: BarColumnBatch | undefined, stats: LoadStats): AsyncGenerator<BarColumnBatch> {
  let start = 0;
  for (const end of chunkEnds) {
    if (end === start) continue;
    stats.rowsRead += end - start;
    yield columns.window(start, end);
    start = end;
  }
  if (tail !== undefined && tail.length > 0) {
    stats.rowsRead += tail.length;
    yield tail;
  }
}

/**
 * The batches of `inner`, then `release()` once they are over (done, failed, or stopped early by
 * `return()`): the source reads a batch whole before it asks for the next, so nothing reads the
 * last batch's memory after that.
 */
async function* releasing<S>(inner: AsyncGenerator<S>, release: () => void): AsyncGenerator<S> {
  try {
    yield* inner;
  } finally {
    release();
  }
}
