import { DataError } from '../core/errors.ts';
import type { InstrumentRegistry } from '../market/instrument.ts';
import type { NewsEvent } from '../market/market-data.ts';
import { BatchSource } from './batch-source.ts';
import { CsvCursor, readTextChunks } from './csv-reader.ts';
import { detectTimeFormat, timeParser, TIME_FORMATS, type TimeFormat, type TimeParser } from './csv-fields.ts';

/**
 * News archive loader: CSV or JSON Lines, streamed chunk by chunk into `NewsEvent` batches.
 *
 * Fields: `time` (ISO 8601 or epoch s/ms/us/ns, detected from the first row unless `timeFormat`
 * is given), `symbols` (CSV: `AAPL|MSFT`, separator configurable; JSONL: an array of strings or one
 * string), `headline` (non-empty), `source`, optional `sentiment` in [-1, 1] and `importance` in
 * [0, 1] (empty or absent: NaN). Symbols are kept as written; `instrument` is the first symbol the
 * given `InstrumentRegistry` knows, or undefined. Times must not go back. Every bad row raises a
 * `DataError` with file:line and field. See docs/events.md.
 */

/** Column names of a news CSV (matched ignoring case, spaces, `_` and `-`). */
export interface NewsColumns {
  time?: string;
  symbols?: string;
  headline?: string;
  source?: string;
  sentiment?: string;
  importance?: string;
}

/** Options of `readNewsBatches`. */
export interface NewsOptions {
  /** `csv`, `jsonl`, or `auto` (default: `jsonl` for `.jsonl`/`.ndjson`/`.json`, with or without `.gz`; else `csv`). */
  format?: 'auto' | 'csv' | 'jsonl';
  /** Resolves `instrument` (the first known symbol); without one every event's instrument is undefined. */
  registry?: InstrumentRegistry;
  /** How times are written (default `auto`: detected from the first row). */
  timeFormat?: TimeFormat;
  /** CSV column names when they differ from the defaults. */
  columns?: NewsColumns;
  /** Separator of the CSV `symbols` field (default `|`). */
  symbolSeparator?: string;
  /** CSV field delimiter (default `,`). */
  delimiter?: string;
  /** Bytes per read (default 1 MiB). */
  highWaterMark?: number;
}

const ALIASES: Record<keyof NewsColumns, readonly string[]> = {
  time: ['time', 'timestamp', 'datetime', 'date', 'ts', 'publishedat', 'published'],
  symbols: ['symbols', 'symbol', 'tickers', 'ticker'],
  headline: ['headline', 'title'],
  source: ['source', 'provider', 'publisher'],
  sentiment: ['sentiment', 'score'],
  importance: ['importance', 'relevance'],
};

function norm(s: string): string {
  return s.toLowerCase().replace(/[\s_.\-]+/g, '');
}

/** The news format of a path under `auto`. */
export function newsFormatOf(path: string): 'csv' | 'jsonl' {
  return /\.(jsonl|ndjson|json)(\.gz)?$/i.test(path) ? 'jsonl' : 'csv';
}

/** Checks an optional score: NaN when absent, else a finite number in [lo, hi]. */
function score(raw: unknown, lo: number, hi: number, file: string, line: number, field: string): number {
  if (raw === undefined || raw === null || raw === '') return NaN;
  const x = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw.trim()) : NaN;
  if (!Number.isFinite(x)) throw new DataError(file, line, field, `'${String(raw)}' is not a finite number`);
  if (x < lo || x > hi) throw new DataError(file, line, field, `${x} is out of range [${lo}, ${hi}]`);
  return x;
}

/** Builds events, checking order and resolving the instrument. */
class NewsBuilder {
  private lastTime = -Infinity;
  private parse: TimeParser | undefined;

  constructor(
    private readonly file: string,
    private readonly registry: InstrumentRegistry | undefined,
    private readonly format: TimeFormat,
  ) {
    if (!TIME_FORMATS.includes(format)) throw new DataError(file, 0, 'time', `unknown timeFormat '${format}' (expected one of ${TIME_FORMATS.join(', ')})`);
  }

  time(text: string, line: number): number {
    if (this.parse === undefined) {
      const f = this.format === 'auto' ? detectTimeFormat(text) : this.format;
      if (!f) throw new DataError(this.file, line, 'time', `cannot tell the time format of '${text}'; set timeFormat`);
      this.parse = timeParser(f);
    }
    let t = this.parse(text, 0, text.length);
    if (t !== t && this.format === 'auto') {
      // JSON Lines may mix epoch numbers and ISO strings: detect again for this value
      const f = detectTimeFormat(text);
      if (f) t = timeParser(f)(text, 0, text.length);
    }
    if (t !== t) throw new DataError(this.file, line, 'time', `unparsable date/time '${text}'`);
    if (t < this.lastTime) throw new DataError(this.file, line, 'time', `out of order: '${text}' is earlier than the previous row`);
    this.lastTime = t;
    return t;
  }

  event(time: number, symbols: string[], headline: string, source: string, sentiment: number, importance: number): NewsEvent {
    let instrument;
    if (this.registry) {
      for (const s of symbols) {
        instrument = this.registry.get(s);
        if (instrument) break;
      }
    }
    return { kind: 'news', time, instrument, symbols, headline, source, sentiment, importance };
  }
}

async function* readCsvNews(path: string, options: NewsOptions): AsyncGenerator<NewsEvent[]> {
  const cursor = new CsvCursor(options.delimiter ?? ',');
  const sep = options.symbolSeparator ?? '|';
  const b = new NewsBuilder(path, options.registry, options.timeFormat ?? 'auto');
  let cols: Record<keyof NewsColumns, number> | undefined;
  let width = 0;
  let headerLine = 0;
  for await (const text of readTextChunks(path, options.highWaterMark ? { highWaterMark: options.highWaterMark } : {})) {
    cursor.load(text);
    const out: NewsEvent[] = [];
    while (cursor.next()) {
      const c = cursor;
      if (cols === undefined) {
        const header = c.fields().map((h) => norm(h.trim()));
        headerLine = c.line;
        width = header.length;
        const find = (k: keyof NewsColumns, required: boolean): number => {
          const given = options.columns?.[k];
          const names = given !== undefined ? [norm(given)] : ALIASES[k];
          for (const n of names) {
            const i = header.indexOf(n);
            if (i >= 0) return i;
          }
          if (required) throw new DataError(path, headerLine, k, `no ${k} column in header (${c.fields().join(', ')})`);
          return -1;
        };
        cols = { time: find('time', true), symbols: find('symbols', true), headline: find('headline', true), source: find('source', false), sentiment: find('sentiment', false), importance: find('importance', false) };
        continue;
      }
      if (c.badQuote >= 0) throw new DataError(path, c.line, undefined, 'unterminated quoted field (quoted fields spanning lines are not supported)');
      if (c.count !== width) throw new DataError(path, c.line, undefined, `wrong column count: expected ${width} fields, found ${c.count}`);
      const t = b.time(c.field(cols.time).trim(), c.line);
      const symbols = c.field(cols.symbols).split(sep).map((s) => s.trim()).filter((s) => s.length > 0);
      const headline = c.field(cols.headline).trim();
      if (headline.length === 0) throw new DataError(path, c.line, 'headline', 'is empty');
      const source = cols.source >= 0 ? c.field(cols.source).trim() : '';
      const sentiment = cols.sentiment >= 0 ? score(c.field(cols.sentiment), -1, 1, path, c.line, 'sentiment') : NaN;
      const importance = cols.importance >= 0 ? score(c.field(cols.importance), 0, 1, path, c.line, 'importance') : NaN;
      out.push(b.event(t, symbols, headline, source, sentiment, importance));
    }
    if (out.length > 0) yield out;
  }
}

async function* readJsonlNews(path: string, options: NewsOptions): AsyncGenerator<NewsEvent[]> {
  const b = new NewsBuilder(path, options.registry, options.timeFormat ?? 'auto');
  let line = 0;
  for await (const text of readTextChunks(path, options.highWaterMark ? { highWaterMark: options.highWaterMark } : {})) {
    const out: NewsEvent[] = [];
    let pos = 0;
    while (pos < text.length) {
      let nl = text.indexOf('\n', pos);
      if (nl < 0) nl = text.length;
      const raw = text.slice(pos, nl).trim();
      pos = nl + 1;
      line++;
      if (raw.length === 0) continue;
      let obj: unknown;
      try {
        obj = JSON.parse(raw);
      } catch (err) {
        throw new DataError(path, line, undefined, `not valid JSON (${(err as Error).message})`);
      }
      if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new DataError(path, line, undefined, 'expected a JSON object');
      const o = obj as Record<string, unknown>;
      const tv = o.time ?? o.timestamp;
      if (typeof tv !== 'string' && typeof tv !== 'number') throw new DataError(path, line, 'time', 'missing or not a string/number');
      const t = b.time(String(tv), line);
      const sv = o.symbols ?? o.symbol;
      let symbols: string[];
      if (sv === undefined || sv === null) symbols = [];
      else if (typeof sv === 'string') symbols = sv.split(options.symbolSeparator ?? '|').map((s) => s.trim()).filter((s) => s.length > 0);
      else if (Array.isArray(sv) && sv.every((s) => typeof s === 'string')) symbols = (sv as string[]).map((s) => s.trim()).filter((s) => s.length > 0);
      else throw new DataError(path, line, 'symbols', 'expected an array of strings');
      const headline = o.headline ?? o.title;
      if (typeof headline !== 'string' || headline.trim().length === 0) throw new DataError(path, line, 'headline', 'missing, empty or not a string');
      const source = o.source ?? '';
      if (typeof source !== 'string') throw new DataError(path, line, 'source', 'not a string');
      const sentiment = score(o.sentiment, -1, 1, path, line, 'sentiment');
      const importance = score(o.importance, 0, 1, path, line, 'importance');
      out.push(b.event(t, symbols, headline.trim(), source.trim(), sentiment, importance));
    }
    if (out.length > 0) yield out;
  }
}

/** Streams the news of a CSV or JSON Lines file (gzip when `.gz`) as batches, one per chunk read. */
export function readNewsBatches(path: string, options: NewsOptions = {}): AsyncGenerator<NewsEvent[]> {
  const format = options.format === undefined || options.format === 'auto' ? newsFormatOf(path) : options.format;
  return format === 'jsonl' ? readJsonlNews(path, options) : readCsvNews(path, options);
}

/** Opens a news archive as an `EventSource<NewsEvent>`. */
export function loadNews(path: string, options: NewsOptions = {}): BatchSource<NewsEvent> {
  return new BatchSource<NewsEvent>(path, readNewsBatches(path, options));
}
