import { basename } from 'node:path';
import { DataError } from '../core/errors.ts';
import { Instrument, InstrumentRegistry, type InstrumentSpec } from '../market/instrument.ts';
import { isAscii } from 'node:buffer';
import { CsvCursor, decodeText, readByteChunks, readTextChunks } from './csv-reader.ts';
import { fileLineChunks, readWholeFile, wholeLineChunks, type WholeFile } from './csv-bytes.ts';
import { PrecisionBytes, type ByteScan } from './csv-scan-bytes.ts';
import {
  decimalsAt,
  detectTimeFormat,
  explainNumber,
  looksLikeTimeOfDay,
  parseTimeOfDayAt,
  parseUnitsAt,
  TIME_FORMATS,
  timeParser,
  type TimeFormat,
  type TimeParser,
} from './csv-fields.ts';

/**
 * The machinery shared by the CSV loaders (bars, trades, quotes): header and column resolution, the
 * split date/time layout, time parsing, the error policy (`throw` or `skip` with counted, kept
 * errors), the streaming batch loop, and the fast first pass that finds the price precision.
 * A loader only supplies a `RowDecoder` that turns one row into one event, and optionally a
 * `ByteRowPath` that decodes rows straight from the bytes (lines it does not vouch for go through the
 * `RowDecoder`, so both give the same events, stats and errors; `fastPath: false` forces the text path).
 */

/** A column given by header name (matched ignoring case, spaces, `_`, `-` and `.`) or 0-based index. */
export type ColumnRef = string | number;

/** What happens to a bad row: `throw` stops with a `DataError`; `skip` drops the row and counts it. */
export type OnError = 'throw' | 'skip';

/** Counts of a load, filled in as the stream is read. `errors` keeps the first `MAX_KEPT_ERRORS`. */
export interface LoadStats {
  /** Data rows read (header and blank lines excluded). */
  rowsRead: number;
  /** Rows rejected in `skip` mode (`rowsRead - rowsSkipped` events were yielded). */
  rowsSkipped: number;
  /** The first errors of skipped rows, at most `MAX_KEPT_ERRORS`. */
  errors: DataError[];
}

/** How many skipped-row errors `LoadStats.errors` keeps. */
export const MAX_KEPT_ERRORS = 100;

/** A fresh, zeroed `LoadStats`. */
export function newLoadStats(): LoadStats {
  return { rowsRead: 0, rowsSkipped: 0, errors: [] };
}

/** Options every CSV loader takes. */
export interface CsvOptions {
  /** Field delimiter, one character (default `,`). */
  delimiter?: string;
  /** Whether the first non-blank line is a header (default true). Without one, columns are by index. */
  header?: boolean;
  /** How the time column is written (default `auto`: detected from the first data row). */
  timeFormat?: TimeFormat;
  /** Bad rows: `throw` (default) or `skip` (counted in `stats`). */
  onError?: OnError;
  /** Filled in while reading; pass your own object to watch a load. */
  stats?: LoadStats;
  /** Bytes per read (default 1 MiB); a batch holds the rows of one chunk. */
  highWaterMark?: number;
  /** Gunzip the file (default: when its name ends in `.gz`). */
  gzip?: boolean;
  /**
   * Files up to this many bytes (after gunzip) are read in one go instead of streamed (default
   * 16 MiB, `DEFAULT_WHOLE_FILE_MAX`); `loadBarsCsv` then shares the bytes between the precision scan
   * and the parse. Larger files stream in `highWaterMark` chunks. 0 always streams.
   */
  wholeFileMax?: number;
  /**
   * Parse rows straight from the bytes where the loader has a fast path (default true). `false`
   * forces the reference text path (streamed chunks, `CsvCursor`), which gives the same events,
   * stats and errors; tests compare the two.
   */
  fastPath?: boolean;
}

/** How the instrument of a file is chosen when none is given. */
export interface InstrumentOptions {
  /** The instrument; when given, prices finer than its grid are errors. */
  instrument?: Instrument;
  /** Symbol of an inferred instrument (default: the file name without extensions). */
  symbol?: string;
  /** Price precision of an inferred instrument (default: the most decimals seen in the price columns, found by a first pass). */
  pricePrecision?: number;
  /** Size precision of an inferred instrument (default: from the first pass; 0 when `pricePrecision` is given and skips it). */
  sizePrecision?: number;
  /** Other fields of an inferred instrument (asset class, venue, currency...). */
  instrumentSpec?: Partial<Omit<InstrumentSpec, 'symbol' | 'pricePrecision' | 'sizePrecision'>>;
  /** Registry that makes the inferred instrument (default: a new one). An existing symbol is reused as is. */
  registry?: InstrumentRegistry;
}

/** The header and field count of a file, after the split date/time fix. */
export interface CsvLayout {
  /** The file path, for errors. */
  readonly file: string;
  /** Header names (with `Time` inserted when the rows carry a time column the header lacks), or undefined. */
  readonly header: readonly string[] | undefined;
  /** Line of the header (0 when none). */
  readonly headerLine: number;
  /** Fields every data row must have. */
  readonly fieldCount: number;
  /** True when the rows carry one more column than the header, a time of day after the date. */
  readonly splitTime: boolean;
}

/**
 * Where the events of one chunk go: an array (the default), or a container of the loader's own (the
 * bar loader's columns, `BarColumnBatch`), which its byte fast path fills without making objects.
 */
export interface RowSink<E> {
  push(event: E): void;
  readonly length: number;
}

/** Turns the current row of a cursor into one event, or throws a `DataError` naming the field. */
export interface RowDecoder<E, S extends RowSink<E> = E[]> {
  decode(c: CsvCursor): E;
  /** The decoder's byte fast path, when it has one for this file (asked once, after the first data row). */
  bytePath?(): ByteRowPath<E, S> | undefined;
}

/**
 * A fast path that decodes rows straight from the bytes of a whole-line chunk. It must vouch for
 * every row it consumes (the event is exactly what the decoder would give); it stops before any line
 * it cannot vouch for, which then goes through `RowDecoder.decode` with all its checks and errors.
 * It shares the decoder's state (the time of the previous row).
 */
export interface ByteRowPath<E, S extends RowSink<E> = E[]> {
  /** Line number of the last line consumed; set by the caller before `run`, advanced by it. */
  line: number;
  /** Data rows consumed by the last `run`. */
  rows: number;
  /**
   * Decodes the lines of `b` from offset `pos` (a line start), pushing one event per data row into
   * `out` and skipping blank lines; returns the offset of the first line it did not consume
   * (`b.length` when it consumed them all).
   */
  run(b: Buffer, pos: number, out: S): number;
}

/** Makes the decoder of a file once its layout and first data row are known (may throw a `DataError`). */
export type DecoderFactory<E, S extends RowSink<E> = E[]> = (layout: CsvLayout, first: CsvCursor) => RowDecoder<E, S>;

function normalize(name: string): string {
  return name.toLowerCase().replace(/[\s_.\-]+/g, '');
}

/**
 * The index of a column. `ref` wins; otherwise the first header name among `aliases`; without a
 * header, `fallbackIndex`. Returns -1 for an absent optional column; throws a `DataError` (at the
 * header line) for an absent required one.
 */
export function resolveColumn(
  layout: CsvLayout,
  field: string,
  ref: ColumnRef | undefined,
  aliases: readonly string[],
  fallbackIndex: number,
  required: boolean,
): number {
  const where = layout.headerLine;
  if (typeof ref === 'number') {
    if (!Number.isInteger(ref) || ref < 0 || ref >= layout.fieldCount) {
      throw new DataError(layout.file, where, field, `column index ${ref} is out of range 0..${layout.fieldCount - 1}`);
    }
    return ref;
  }
  const header = layout.header;
  if (ref !== undefined) {
    if (!header) throw new DataError(layout.file, where, field, `column '${ref}' is given by name but the file has no header; use a 0-based index`);
    const want = normalize(ref);
    const i = header.findIndex((h) => normalize(h) === want);
    if (i < 0) throw new DataError(layout.file, where, field, `column '${ref}' not found in header (${header.join(', ')})`);
    return i;
  }
  if (header) {
    for (const alias of aliases) {
      const i = header.findIndex((h) => normalize(h) === alias);
      if (i >= 0) return i;
    }
    if (required) throw new DataError(layout.file, where, field, `no ${field} column in header (${header.join(', ')}); name it in options.columns`);
    return -1;
  }
  if (fallbackIndex >= 0 && fallbackIndex < layout.fieldCount) return fallbackIndex;
  if (required) throw new DataError(layout.file, where, field, `no ${field} column (the file has no header); give its index in options.columns`);
  return -1;
}

/** Header names that mean a timestamp (or a date), in order of preference. */
export const TIME_ALIASES = ['datetime', 'timestamp', 'ts', 'time', 'date', 't'] as const;

/**
 * Parses the time of a row: one column in `format` (detected from the first row when `auto`), or a
 * date column plus a time-of-day column (`09:01:00`). Throws a `DataError` naming the field.
 */
export class TimeReader {
  /** The format in use (`auto` resolved from the first data row). */
  readonly format: Exclude<TimeFormat, 'auto'>;
  private readonly parse: TimeParser;
  private readonly timeName: string;
  private readonly todName: string;

  constructor(
    private readonly file: string,
    private readonly col: number,
    private readonly todCol: number,
    format: TimeFormat,
    first: CsvCursor,
    layout: CsvLayout,
  ) {
    if (!TIME_FORMATS.includes(format)) {
      throw new DataError(file, layout.headerLine, 'time', `unknown timeFormat '${format}' (expected one of ${TIME_FORMATS.join(', ')})`);
    }
    this.timeName = layout.header?.[col] ?? `#${col}`;
    this.todName = todCol >= 0 ? (layout.header?.[todCol] ?? `#${todCol}`) : '';
    let f = format;
    if (f === 'auto') {
      const sample = first.field(col);
      const d = detectTimeFormat(sample);
      if (!d) throw new DataError(file, first.line, 'time', `cannot tell the time format of '${sample}' in column ${this.timeName}; set options.timeFormat`);
      f = d;
    }
    this.format = f;
    this.parse = timeParser(f);
  }

  /** Microseconds since the epoch of the cursor's row. */
  read(c: CsvCursor): number {
    const t = this.parse(c.text, c.start[this.col]!, c.end[this.col]!);
    if (t !== t) throw new DataError(this.file, c.line, 'time', `unparsable date/time '${c.field(this.col)}' in column ${this.timeName}`);
    if (this.todCol < 0) return t;
    const tod = parseTimeOfDayAt(c.text, c.start[this.todCol]!, c.end[this.todCol]!);
    if (tod !== tod) throw new DataError(this.file, c.line, 'timeOfDay', `unparsable time of day '${c.field(this.todCol)}' in column ${this.todName} (expected HH:mm[:ss[.ffffff]])`);
    return t + tod;
  }
}

/** Finds the time column (and a separate time-of-day column when the header has both `Date` and `Time`). */
export function resolveTimeColumns(layout: CsvLayout, timeRef: ColumnRef | undefined, todRef: ColumnRef | undefined): { time: number; tod: number } {
  if (timeRef !== undefined) {
    const time = resolveColumn(layout, 'time', timeRef, TIME_ALIASES, 0, true);
    const tod = todRef === undefined ? -1 : resolveColumn(layout, 'timeOfDay', todRef, [], -1, true);
    return { time, tod };
  }
  if (todRef !== undefined) {
    return { time: resolveColumn(layout, 'time', undefined, ['date'], 0, true), tod: resolveColumn(layout, 'timeOfDay', todRef, [], -1, true) };
  }
  const date = resolveColumn(layout, 'time', undefined, ['date'], -1, false);
  const tim = resolveColumn(layout, 'time', undefined, ['time'], -1, false);
  if (date >= 0 && tim >= 0 && date !== tim) return { time: date, tod: tim };
  return { time: resolveColumn(layout, 'time', undefined, TIME_ALIASES, 0, true), tod: -1 };
}

/**
 * Reads a price or size field into integer units at `precision`, or throws a `DataError` naming the
 * field and saying why (not a number, not finite, finer than the precision).
 */
export function readUnits(c: CsvCursor, col: number, precision: number, file: string, field: string): number {
  const u = parseUnitsAt(c.text, c.start[col]!, c.end[col]!, precision);
  if (u !== u) throw new DataError(file, c.line, field, explainNumber(c.field(col), precision));
  return u;
}

/** Throws a `DataError` when price units are off a tick grid coarser than one unit. */
export function checkTick(units: number, inst: Instrument, c: CsvCursor, col: number, file: string, field: string): void {
  if (units % inst.tickUnits !== 0) {
    throw new DataError(file, c.line, field, `'${c.field(col)}' is off the tick grid (tick size ${inst.tickSize})`);
  }
}

function makeLayout(file: string, header: string[] | undefined, headerLine: number, first: CsvCursor): CsvLayout {
  if (header && first.count === header.length + 1 && header.length >= 2 && looksLikeTimeOfDay(first.field(1)) && normalize(header[1]!) !== 'time') {
    // rows carry `date,time,...` under a header that names only `Date` (backtrader's minute files)
    const fixed = [header[0]!, 'Time', ...header.slice(1)];
    return { file, header: fixed, headerLine, fieldCount: fixed.length, splitTime: true };
  }
  return { file, header, headerLine, fieldCount: header ? header.length : first.count, splitTime: false };
}

/**
 * The synchronous part of `readCsvBatches`: parses the rows of one chunk into events. Kept out of
 * the async generator so the hot loop is a plain function the JIT optimizes fully.
 */
class ChunkParser<E, S extends RowSink<E>> {
  private readonly cursor: CsvCursor;
  private readonly stats: LoadStats;
  private readonly skip: boolean;
  private readonly hasHeader: boolean;
  private readonly useBytePath: boolean;
  private header: string[] | undefined;
  private headerLine = 0;
  private layout: CsvLayout | undefined;
  private decoder: RowDecoder<E, S> | undefined;
  private fast: ByteRowPath<E, S> | undefined;
  private fieldCount = -1;

  constructor(
    private readonly path: string,
    options: CsvOptions,
    private readonly factory: DecoderFactory<E, S>,
    private readonly newSink: () => S,
  ) {
    this.cursor = new CsvCursor(options.delimiter ?? ',');
    this.stats = options.stats ?? newLoadStats();
    this.skip = (options.onError ?? 'throw') === 'skip';
    this.hasHeader = options.header ?? true;
    this.useBytePath = options.fastPath ?? true;
  }

  /** Parses the rows of a text chunk (the reference path). */
  parse(text: string): S {
    const out = this.newSink();
    this.parseInto(text, out);
    return out;
  }

  /**
   * Parses the rows of a whole-line byte chunk: through the decoder's byte fast path when it has
   * one, with each line the fast path does not vouch for (and the header and first data row) parsed
   * alone by the reference path; without a fast path, the chunk is decoded and parsed as text.
   */
  parseBytes(b: Buffer): S {
    const out = this.newSink();
    const c = this.cursor;
    const len = b.length;
    let p = 0;
    while (p < len) {
      const fast = this.fast;
      if (fast !== undefined) {
        fast.line = c.line;
        p = fast.run(b, p, out);
        c.line = fast.line;
        this.stats.rowsRead += fast.rows;
        if (p >= len) break;
      } else if (this.decoder !== undefined) {
        this.parseInto(decodeText(p === 0 ? b : b.subarray(p)), out);
        break;
      }
      let nl = b.indexOf(10, p);
      nl = nl < 0 ? len : nl + 1;
      this.parseInto(decodeText(b.subarray(p, nl)), out);
      p = nl;
    }
    return out;
  }

  private parseInto(text: string, out: S): void {
    const c = this.cursor;
    c.load(text);
    const stats = this.stats;
    while (c.next()) {
      if (this.fieldCount < 0 && this.first()) continue;
      stats.rowsRead++;
      if (c.count !== this.fieldCount || c.badQuote >= 0) {
        this.bad(shapeError(c, this.layout!));
        continue;
      }
      try {
        out.push(this.decoder!.decode(c));
      } catch (err) {
        this.bad(err);
      }
    }
  }

  /** Header or first data row; true when the row was the header. */
  private first(): boolean {
    const c = this.cursor;
    if (this.hasHeader && this.header === undefined) {
      this.header = c.fields().map((h) => h.trim());
      this.headerLine = c.line;
      return true;
    }
    this.layout = makeLayout(this.path, this.header, this.headerLine, c);
    this.decoder = this.factory(this.layout, c);
    this.fieldCount = this.layout.fieldCount;
    if (this.useBytePath) this.fast = this.decoder.bytePath?.();
    return false;
  }

  /** Records a bad row in `skip` mode, or rethrows. Non-data errors always propagate. */
  private bad(err: unknown): void {
    if (!this.skip || !(err instanceof DataError)) throw err;
    this.stats.rowsSkipped++;
    if (this.stats.errors.length < MAX_KEPT_ERRORS) this.stats.errors.push(err);
  }
}

/** The error for a row of the wrong shape (field count, quotes). */
function shapeError(c: CsvCursor, layout: CsvLayout): DataError {
  if (c.badQuote >= 0) {
    return new DataError(layout.file, c.line, layout.header?.[c.badQuote] ?? `#${c.badQuote}`, 'unterminated quoted field (quoted fields spanning lines are not supported)');
  }
  return new DataError(layout.file, c.line, undefined, `wrong column count: expected ${layout.fieldCount} fields, found ${c.count}`);
}

/**
 * Streams a CSV file as batches of events: one array per chunk read (never an empty one), so memory
 * holds one chunk and one batch whatever the file size (a small file, up to `wholeFileMax`, is read
 * in one go and cut into the same chunks). The decoder is made on the first data row. `whole` is the
 * file's bytes when the caller already read them (`resolveInstrumentAndBytes`); the generator
 * releases them when it ends (done, failed or stopped early).
 */
export function readCsvBatches<E>(path: string, options: CsvOptions, factory: DecoderFactory<E>, whole?: WholeFile): AsyncGenerator<E[]> {
  return readCsvSinks<E, E[]>(path, options, factory, () => [], whole);
}

/**
 * `readCsvBatches` into sinks of the loader's own: `newSink` is called once per chunk, and each
 * non-empty sink is yielded. It may hand back the same container, emptied, each time, when the
 * consumer is done with a batch before it asks for the next (as `BarBatchSource` is).
 */
export async function* readCsvSinks<E, S extends RowSink<E>>(path: string, options: CsvOptions, factory: DecoderFactory<E, S>, newSink: () => S, whole?: WholeFile): AsyncGenerator<S> {
  const parser = new ChunkParser<E, S>(path, options, factory, newSink);
  if (options.fastPath === false) {
    whole?.release();
    for await (const text of readTextChunks(path, options)) {
      const out = parser.parse(text);
      if (out.length > 0) yield out;
    }
    return;
  }
  for await (const buf of fileLineChunks(path, options, whole)) {
    const out = parser.parseBytes(buf);
    if (out.length > 0) yield out;
  }
}

/** Which columns hold prices and sizes, for the precision scan. */
export interface PrecisionColumns {
  price: readonly number[];
  size: readonly number[];
  /**
   * A loader's own byte scan built on the standard one, which must count exactly what it counts
   * (the bar loader also records the rows there, to parse a small file once: bar-record.ts). Used
   * only when the file was read in one go.
   */
  byteScan?: (standard: PrecisionBytes, file: Buffer) => ByteScan;
}

/** Result of `scanPrecision`. */
export interface PrecisionScan {
  /** Most decimals seen in a price column. */
  price: number;
  /** Most decimals seen in a size column. */
  size: number;
  /** Data rows scanned. */
  rows: number;
}

/**
 * The fast first pass: streams the file once and returns the most decimals written in the price and
 * size columns (`37.840000` counts 6). Constant memory. Rows of the wrong shape are ignored here (the
 * real pass reports them).
 */
export async function scanPrecision(
  path: string,
  options: CsvOptions,
  pick: (layout: CsvLayout, first: CsvCursor) => PrecisionColumns,
  whole?: WholeFile,
): Promise<PrecisionScan> {
  const scanner = new PrecisionScanner(path, options, pick, whole);
  if (whole !== undefined) {
    for (const buf of wholeLineChunks(whole, options.highWaterMark)) {
      scanner.scanChunk(buf);
      if (scanner.complete) break; // a loader's scan took the rest of the file (bar-split.ts)
    }
  }
  else for await (const buf of readByteChunks(path, options)) scanner.scanChunk(buf);
  return { price: Math.min(scanner.price, 15), size: Math.min(scanner.size, 15), rows: scanner.rows };
}

/** How much of a chunk the scan decodes first to find the header and first data row. */
const HEAD_BYTES = 4096;

/**
 * The synchronous part of `scanPrecision` (one chunk at a time). Rows up to the first data row go
 * through a `CsvCursor` (header, layout); after that, chunks without a quote byte are scanned as
 * bytes (no decoding, no strings), which counts exactly what the cursor path counts.
 */
class PrecisionScanner {
  price = 0;
  size = 0;
  rows = 0;
  private readonly cursor: CsvCursor;
  private readonly hasHeader: boolean;
  private readonly delimByte: number;
  private header: string[] | undefined;
  private headerLine = 0;
  private fieldCount = -1;
  private priceCols: Int32Array = new Int32Array(0);
  private sizeCols: Int32Array = new Int32Array(0);
  private bytes: ByteScan | undefined;
  private makeByteScan: ((standard: PrecisionBytes, file: Buffer) => ByteScan) | undefined;
  private readonly fast: boolean;

  constructor(
    private readonly path: string,
    options: CsvOptions,
    private readonly pick: (layout: CsvLayout, first: CsvCursor) => PrecisionColumns,
    private readonly wholeFile: WholeFile | undefined,
  ) {
    const delimiter = options.delimiter ?? ',';
    this.cursor = new CsvCursor(delimiter);
    this.hasHeader = options.header ?? true;
    this.fast = options.fastPath ?? true;
    const code = delimiter.charCodeAt(0);
    this.delimByte = code < 128 ? code : -1; // a non-ASCII delimiter takes the text path
  }

  /** The byte scan: the counts so far move into it, and back at the end (`finish`). */
  private scanBytes(buf: Buffer, from: number): void {
    let sb = this.bytes;
    if (sb === undefined) {
      const standard = new PrecisionBytes(this.delimByte, this.fieldCount, this.priceCols, this.sizeCols, this.fast);
      // a loader's own scan only over a file read whole (its record points into those bytes)
      const whole = this.wholeFile;
      sb = this.fast && whole !== undefined && this.makeByteScan ? this.makeByteScan(standard, whole.bytes) : standard;
      this.bytes = sb;
    }
    sb.price = this.price;
    sb.size = this.size;
    sb.rows = this.rows;
    sb.scan(buf, from);
    this.price = sb.price;
    this.size = sb.size;
    this.rows = sb.rows;
  }

  /** True once the byte scan took every line of the file, the chunks not scanned yet included. */
  get complete(): boolean {
    return this.bytes?.complete === true;
  }

  /** Scans one chunk of whole lines. */
  scanChunk(buf: Buffer): void {
    const bytesOk = this.delimByte >= 0 && buf.indexOf(34) < 0;
    if (bytesOk && this.fieldCount >= 0) {
      this.scanBytes(buf, 0);
      return;
    }
    this.bytes?.missed?.(); // this chunk's lines are scanned as text: the byte scan never sees them
    let from = 0;
    if (bytesOk && buf.length > HEAD_BYTES) {
      // the header and first row are near the start: decode a few KiB, not the whole chunk
      const nl = buf.lastIndexOf(10, HEAD_BYTES - 1);
      const head = buf.subarray(0, nl + 1);
      if (nl >= 0 && isAscii(head)) {
        const rest = this.scan(head.toString('latin1'), true);
        if (rest >= 0) {
          this.scanBytes(buf, rest);
          return;
        }
        from = nl + 1;
      }
    }
    const tail = from === 0 ? buf : buf.subarray(from);
    const ascii = isAscii(tail);
    const text = ascii ? tail.toString('latin1') : tail.toString('utf8');
    const rest = this.scan(text, bytesOk && ascii);
    if (rest >= 0) this.scanBytes(buf, from + rest); // ASCII: text offsets are byte offsets
  }

  /**
   * Scans the rows of a text chunk. With `handOff`, stops after the first data row and returns the
   * offset of the next row (for `scanBytes`); otherwise scans the whole chunk and returns -1.
   */
  scan(text: string, handOff = false): number {
    const c = this.cursor;
    c.load(text);
    let price = this.price;
    let size = this.size;
    let rows = this.rows;
    while (c.next()) {
      let firstRow = false;
      if (this.fieldCount < 0) {
        if (this.hasHeader && this.header === undefined) {
          this.header = c.fields().map((h) => h.trim());
          this.headerLine = c.line;
          continue;
        }
        const layout = makeLayout(this.path, this.header, this.headerLine, c);
        const cols = this.pick(layout, c);
        this.priceCols = Int32Array.from(cols.price);
        this.sizeCols = Int32Array.from(cols.size);
        this.makeByteScan = cols.byteScan;
        this.fieldCount = layout.fieldCount;
        firstRow = true;
      }
      rows++;
      if (c.count === this.fieldCount) {
        const s = c.start;
        const e = c.end;
        const pc = this.priceCols;
        for (let i = 0; i < pc.length; i++) {
          const col = pc[i]!;
          const d = decimalsAt(text, s[col]!, e[col]!);
          if (d > price) price = d;
        }
        const sc = this.sizeCols;
        for (let i = 0; i < sc.length; i++) {
          const col = sc[i]!;
          const d = decimalsAt(text, s[col]!, e[col]!);
          if (d > size) size = d;
        }
      }
      if (firstRow && handOff) {
        this.price = price;
        this.size = size;
        this.rows = rows;
        return c.offset;
      }
    }
    this.price = price;
    this.size = size;
    this.rows = rows;
    return -1;
  }

}

/** A symbol from a file name: `data/orcl-2014.txt.gz` -> `orcl-2014`. */
export function symbolFromPath(path: string): string {
  return basename(path).replace(/(\.gz)$/i, '').replace(/\.[^.]*$/, '') || basename(path);
}

/**
 * The instrument of a file: `options.instrument`, or one made in the registry with the symbol from
 * the options or the file name and the precision from the options or from `scanPrecision`.
 */
export async function resolveInstrument(
  path: string,
  options: CsvOptions & InstrumentOptions,
  pick: (layout: CsvLayout, first: CsvCursor) => PrecisionColumns,
): Promise<Instrument> {
  const { instrument, whole } = await resolveInstrumentAndBytes(path, options, pick);
  whole?.release();
  return instrument;
}

/** What `resolveInstrumentAndBytes` returns. */
export interface ResolvedInstrument {
  instrument: Instrument;
  /**
   * The file's bytes when the precision scan read it in one go (small file): the parse can reuse them.
   * The caller owns them: it hands them to `readCsvSinks` (which releases them) or releases them.
   */
  whole: WholeFile | undefined;
}

/**
 * `resolveInstrument`, also handing back the bytes of the precision scan when it read the file in
 * one go, so a loader reads a small file only once.
 */
export async function resolveInstrumentAndBytes(
  path: string,
  options: CsvOptions & InstrumentOptions,
  pick: (layout: CsvLayout, first: CsvCursor) => PrecisionColumns,
): Promise<ResolvedInstrument> {
  if (options.instrument) return { instrument: options.instrument, whole: undefined };
  let whole: WholeFile | undefined;
  let pricePrecision = options.pricePrecision;
  let sizePrecision = options.sizePrecision;
  for (const [name, v] of [['pricePrecision', pricePrecision], ['sizePrecision', sizePrecision]] as const) {
    if (v !== undefined && !(Number.isInteger(v) && v >= 0 && v <= 15)) throw new RangeError(`options.${name} must be an integer in 0..15, got ${v}`);
  }
  try {
    if (pricePrecision === undefined) {
      if (options.fastPath !== false) whole = await readWholeFile(path, options);
      const scan = await scanPrecision(path, options, pick, whole);
      pricePrecision = scan.price;
      sizePrecision ??= scan.size;
    }
    const registry = options.registry ?? new InstrumentRegistry();
    const instrument = registry.add({ ...options.instrumentSpec, symbol: options.symbol ?? symbolFromPath(path), pricePrecision, sizePrecision: sizePrecision ?? 0 });
    return { instrument, whole };
  } catch (err) {
    whole?.release();
    throw err;
  }
}
