import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { isAscii } from 'node:buffer';
import { DataError } from '../core/errors.ts';

/**
 * Streaming CSV reading, by hand, for the hot path of historical loaders.
 *
 * `readTextChunks` reads a file (gzip when it ends in `.gz`) chunk by chunk and yields strings that
 * hold whole lines only (the partial last line of a chunk is carried into the next one), so memory
 * holds one chunk at a time whatever the file size. `CsvCursor` walks the rows of such a string
 * without slicing: it records each field's start and end offsets in reusable typed arrays, and the
 * parsers in `csv-fields.ts` read numbers and dates straight from those offsets. Line numbers are
 * 1-based and count every physical line (header and blank lines included), as an editor shows them.
 *
 * Quoted fields (`"a,b"`, `"say ""hi"""`) are understood within one line; a quoted field that spans
 * lines is reported as an error (none of the market data layouts we read need it).
 */

/** Default chunk size: 1 MiB. */
export const DEFAULT_HIGH_WATER_MARK = 1 << 20;

/** Options of `readTextChunks`. */
export interface TextChunkOptions {
  /** Bytes per read (default 1 MiB). A batch of events holds at most the rows of one chunk. */
  highWaterMark?: number;
  /** Gunzip the stream; default: when the path ends in `.gz`. */
  gzip?: boolean;
}

/** Opens a file as a byte stream, gunzipping `.gz` files. */
export function openByteStream(path: string, options: TextChunkOptions = {}): Readable {
  const highWaterMark = options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK;
  const raw = createReadStream(path, { highWaterMark });
  const gzip = options.gzip ?? path.endsWith('.gz');
  if (!gzip) return raw;
  const gunzip = createGunzip({ chunkSize: Math.max(16 * 1024, highWaterMark) });
  raw.on('error', (err) => gunzip.destroy(err));
  raw.pipe(gunzip);
  return gunzip;
}

/** Decodes whole-line UTF-8 bytes; pure ASCII (the usual case) takes the fast one-byte path. */
export function decodeText(buf: Buffer): string {
  return isAscii(buf) ? buf.toString('latin1') : buf.toString('utf8');
}

/**
 * Yields the bytes of a file in chunks of whole lines (each chunk ends just after a newline, except
 * the last one when the file has no final newline). Lines are cut at newline bytes, which never occur
 * inside a multi-byte UTF-8 character. A leading byte order mark is dropped. Read errors (missing
 * file, corrupt gzip) become a `DataError` naming the file.
 */
export async function* readByteChunks(path: string, options: TextChunkOptions = {}): AsyncGenerator<Buffer> {
  const stream = openByteStream(path, options);
  let carry: Buffer | undefined;
  let first = true;
  try {
    for await (const piece of stream as AsyncIterable<Buffer>) {
      let buf = carry ? Buffer.concat([carry, piece]) : piece;
      if (first && buf.length > 0) {
        if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
        first = false;
      }
      const lastNl = buf.lastIndexOf(10);
      if (lastNl < 0) {
        carry = buf; // a line longer than a chunk: keep reading
        continue;
      }
      carry = lastNl + 1 < buf.length ? Buffer.from(buf.subarray(lastNl + 1)) : undefined;
      yield buf.subarray(0, lastNl + 1);
    }
  } catch (err) {
    if (err instanceof DataError) throw err;
    const e = err as NodeJS.ErrnoException;
    throw Object.assign(new DataError(path, 0, undefined, `cannot read file (${e.code ?? e.message})`), { cause: err });
  } finally {
    stream.destroy();
  }
  if (carry && carry.length > 0) yield carry;
}

/**
 * Yields the text of a file in chunks of whole lines (`readByteChunks`, decoded). Decoding needs no
 * state since chunks end at newline bytes.
 */
export async function* readTextChunks(path: string, options: TextChunkOptions = {}): AsyncGenerator<string> {
  for await (const buf of readByteChunks(path, options)) yield decodeText(buf);
}

const QUOTE = 34;
const CR = 13;

/**
 * A cursor over the rows of whole-line text chunks. Reuse one cursor for a whole file: `load()` each
 * chunk, then call `next()` until it returns false; the line number carries over between chunks.
 * Blank lines are skipped (but counted). After `next()` returns true, field `i` of the row is
 * `text.slice(start[i], end[i])` (inside the quotes for a quoted field); `field(i)` returns it as a
 * string (unescaping `""`), the parsers read it in place.
 */
export class CsvCursor {
  /** The current chunk. */
  text = '';
  /** 1-based line number of the current row. */
  line = 0;
  /** Number of fields of the current row. */
  count = 0;
  /** Field start offsets into `text`. */
  start: Int32Array = new Int32Array(32);
  /** Field end offsets into `text` (exclusive). */
  end: Int32Array = new Int32Array(32);
  /** Index of a field whose quotes are not closed on this line, or -1. */
  badQuote = -1;
  private pos = 0;
  private hasEscapes = false;
  private readonly delimStr: string;

  /** `delimiter` is a single character (default comma). */
  constructor(delimiter = ',') {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
      throw new RangeError(`CSV delimiter must be one character other than a quote or newline, got ${JSON.stringify(delimiter)}`);
    }
    this.delimStr = delimiter;
  }

  /** Starts reading a new chunk of whole lines. */
  load(text: string): void {
    this.text = text;
    this.pos = 0;
  }

  /** Offset in `text` where the next row starts (after `next()` returned true, just past this row's newline). */
  get offset(): number {
    return this.pos;
  }

  /** Moves to the next non-blank row of the chunk; false at the end of the chunk. */
  next(): boolean {
    const t = this.text;
    const len = t.length;
    while (this.pos < len) {
      this.line++;
      const s = this.pos;
      let nl = t.indexOf('\n', s);
      if (nl < 0) nl = len;
      this.pos = nl + 1;
      let e = nl;
      if (e > s && t.charCodeAt(e - 1) === CR) e--;
      if (e === s) continue;
      this.split(s, e);
      return true;
    }
    return false;
  }

  /** Field `i` of the current row as a string (quotes removed, `""` unescaped). */
  field(i: number): string {
    if (i >= this.count) return '';
    const raw = this.text.slice(this.start[i]!, this.end[i]!);
    return this.hasEscapes ? raw.replaceAll('""', '"') : raw;
  }

  /** All fields of the current row as strings (cold path: headers, error messages). */
  fields(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.field(i));
    return out;
  }

  /** The raw text of the current row, for error messages. */
  rowText(): string {
    return this.count === 0 ? '' : this.text.slice(this.lineStartOf(), this.lineEndOf());
  }

  private lineStartOf(): number {
    const i = this.text.lastIndexOf('\n', this.start[0]! - 1);
    return i + 1;
  }

  private lineEndOf(): number {
    let i = this.text.indexOf('\n', this.end[this.count - 1]!);
    if (i < 0) i = this.text.length;
    if (i > 0 && this.text.charCodeAt(i - 1) === CR) i--;
    return i;
  }

  private split(s: number, e: number): void {
    const t = this.text;
    const ds = this.delimStr;
    let n = 0;
    let p = s;
    this.badQuote = -1;
    this.hasEscapes = false;
    for (;;) {
      if (n === this.start.length) this.grow();
      if (p < e && t.charCodeAt(p) === QUOTE) {
        // quoted field: runs to the closing quote; "" is an escaped quote
        let q = p + 1;
        for (;;) {
          q = t.indexOf('"', q);
          if (q < 0 || q >= e) {
            this.badQuote = n;
            this.start[n] = p + 1;
            this.end[n] = e;
            this.count = n + 1;
            return;
          }
          if (q + 1 < e && t.charCodeAt(q + 1) === QUOTE) {
            this.hasEscapes = true;
            q += 2;
            continue;
          }
          break;
        }
        this.start[n] = p + 1;
        this.end[n] = q;
        n++;
        // skip anything between the closing quote and the delimiter
        let k = t.indexOf(this.delimStr, q + 1);
        if (k < 0 || k >= e) {
          this.count = n;
          return;
        }
        p = k + 1;
        continue;
      }
      let k = t.indexOf(ds, p);
      if (k < 0 || k > e) k = e;
      this.start[n] = p;
      this.end[n] = k;
      n++;
      if (k >= e) break;
      p = k + 1;
    }
    this.count = n;
  }

  private grow(): void {
    const size = this.start.length * 2;
    const s = new Int32Array(size);
    s.set(this.start);
    const e = new Int32Array(size);
    e.set(this.end);
    this.start = s;
    this.end = e;
  }
}
