import { DataError } from '../core/errors.ts';
import { openLobsterStream } from './lobster-stream.ts';
import { EMPTY_ASK_PRICE, EMPTY_BID_PRICE } from './lobster-format.ts';
import { parseBookRows, type BookChunkRows } from './lobster-book-rows.ts';
import { parseMessageRows } from './lobster-message-rows.ts';
import { bookParseWorker } from './lobster-book-worker.ts';

/**
 * Streaming parsers of LOBSTER message and order-book files (plain or `.gz`) into typed-array
 * blocks: the bytes are read chunk by chunk and parsed in place (no strings, no per-row objects),
 * which keeps the end-to-end reconstruction above a million messages a second. Every malformed row
 * is a `DataError` naming the file, the 1-based line and the field. The files have no header; line
 * `k` is row `k - 1`. Blank lines are allowed only at the end of a file.
 */

/** A block of consecutive message rows (columns of the message file). */
export interface LobsterMessageBlock {
  /** Rows in this block (the arrays may be longer). */
  length: number;
  /** 0-based index of the block's first row in the file (its line is `firstRow + 1`). */
  firstRow: number;
  /** Microseconds after local midnight, rounded half up from LOBSTER's up-to-9 decimals. */
  timeUs: Float64Array;
  /** Message type 1..7 (`LobsterType`). */
  type: Uint8Array;
  orderId: Float64Array;
  /** Shares. */
  size: Float64Array;
  /** USD x 10000 (type 7: -1, 0 or 1). */
  price: Float64Array;
  /** 1 buy limit order, -1 sell limit order. */
  direction: Int8Array;
}

/** A block of consecutive order-book rows: `4 * levels` numbers per row (askPrice, askSize, bidPrice, bidSize per level). */
export interface LobsterBookBlock {
  length: number;
  /** 0-based index of the block's first row in the file (its line is `firstRow + 1`). */
  firstRow: number;
  levels: number;
  /**
   * Row `r` starts at `r * 4 * levels`. An empty slot (the file's +-9999999999 marker with size 0)
   * is stored as price 0, size 0. Int32 halves the memory the comparison streams through, so prices
   * must stay below 2^31 units ($214,748.3647); a larger price is a `DataError`.
   */
  data: Int32Array;
}

/** Options of the block readers. */
export interface LobsterReadOptions {
  /** Bytes per read (default 1 MiB). */
  highWaterMark?: number;
  /** Gunzip; default when the path ends in `.gz`. */
  gzip?: boolean;
}

/** Names of the message columns, for errors. */
export const MESSAGE_FIELDS = ['time', 'type', 'orderId', 'size', 'price', 'direction'] as const;

/** Name of order-book column `i` (0-based): `askPrice1`, `askSize1`, `bidPrice1`, `bidSize1`, `askPrice2`... */
export function bookFieldName(i: number): string {
  const names = ['askPrice', 'askSize', 'bidPrice', 'bidSize'];
  return `${names[i & 3]}${(i >> 2) + 1}`;
}

// ---------------------------------------------------------------------------------------------
// Byte-level field readers. `at` is a module register: the position after the last field read.

let at = 0;

/** Integer at `p`: optional '-', 1..15 digits. NaN when malformed. Sets `at` to the first byte after it. */
function intAt(buf: Uint8Array, p: number): number {
  let neg = false;
  if (buf[p] === 45) {
    neg = true;
    p++;
  }
  const s = p;
  let n = 0;
  for (;;) {
    const c = buf[p]! - 48;
    if (!(c >= 0 && c <= 9)) break;
    n = n * 10 + c;
    p++;
  }
  at = p;
  if (p === s || p - s > 15) return NaN;
  return neg ? -n : n;
}

/**
 * Seconds after midnight with up to 12 decimals at `p`, as microseconds rounded half up (on the
 * 7th decimal). NaN when malformed. Sets `at`.
 */
function timeAt(buf: Uint8Array, p: number): number {
  const s = p;
  let sec = 0;
  for (;;) {
    const c = buf[p]! - 48;
    if (!(c >= 0 && c <= 9)) break;
    sec = sec * 10 + c;
    p++;
  }
  if (p === s || p - s > 9) {
    at = p;
    return NaN;
  }
  let us = 0;
  if (buf[p] === 46) {
    p++;
    const f = p;
    let round = 0;
    for (;;) {
      const c = buf[p]! - 48;
      if (!(c >= 0 && c <= 9)) break;
      const k = p - f;
      if (k < 6) us = us * 10 + c;
      else if (k === 6) round = c >= 5 ? 1 : 0;
      p++;
    }
    const k = p - f;
    if (k === 0 || k > 12) {
      at = p;
      return NaN;
    }
    if (k < 6) us *= POW10[6 - k]!;
    us += round;
  }
  at = p;
  return sec * 1_000_000 + us;
}

const POW10 = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000];

/** The text of the line starting at `p` (cold path, for errors). */
function lineText(buf: Uint8Array, p: number, end: number): string {
  let e = p;
  while (e < end && buf[e] !== 10) e++;
  if (e > p && buf[e - 1] === 13) e--;
  return Buffer.from(buf.buffer, buf.byteOffset + p, e - p).toString('latin1');
}

/** Explains why a line did not parse: wrong field count or the first non-numeric field. */
function malformed(file: string, line: number, text: string, names: (i: number) => string, expected: number, isTime: (i: number) => boolean): DataError {
  const fields = text.split(',');
  if (fields.length !== expected) {
    return new DataError(file, line, undefined, `expected ${expected} comma-separated fields, found ${fields.length}: '${text.length > 120 ? text.slice(0, 120) + '...' : text}'`);
  }
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const ok = isTime(i) ? /^\d{1,9}(\.\d{1,12})?$/.test(f) : /^-?\d{1,15}$/.test(f);
    if (!ok) return new DataError(file, line, names(i), `'${f}' is not ${isTime(i) ? 'a time in seconds after midnight' : 'an integer'}`);
  }
  return new DataError(file, line, undefined, `malformed row '${text}'`);
}

// ---------------------------------------------------------------------------------------------
// Message rows

/** Parses message rows chunk after chunk, keeping the line count and the last time across chunks. */
export class LobsterMessageParser {
  /** Lines consumed so far (1-based line of the last row read). */
  line = 0;
  /** Rows parsed so far. */
  rows = 0;
  private lastTime = -Infinity;
  private blankLine = 0;
  private readonly stop = new Int32Array(1);
  private readonly lastTimeCell = new Float64Array(1);

  constructor(readonly file: string) {}

  /**
   * Parses the whole lines of `buf[0, end)` (the last one may lack its newline): the usual rows in
   * the fast loop (`parseMessageRows`), any other line here with the full rules.
   */
  parse(buf: Uint8Array, end: number): LobsterMessageBlock {
    let cap = ((end / 32) | 0) + 16;
    let b = newMessageBlock(cap, this.rows);
    let r = 0;
    let p = 0;
    let line = this.line;
    let last = this.lastTime;
    const file = this.file;
    // the fast loop runs over whole lines (it relies on a newline after every line it reads)
    const fastEnd = end > 0 && buf[end - 1] === 10 ? end : buf.lastIndexOf(10, end - 1) + 1;
    const stop = this.stop;
    const lastTime = this.lastTimeCell;
    while (p < end) {
      if (this.blankLine === 0 && p < fastEnd) {
        lastTime[0] = last;
        const n = parseMessageRows(buf, p, fastEnd, b, r, cap - r, stop, lastTime);
        last = lastTime[0]!;
        r += n;
        line += n;
        p = stop[0]!;
        if (p >= end) break;
      }
      if (r === cap) {
        cap *= 2;
        b = growMessageBlock(b, cap);
        continue;
      }
      // one line the fast loop did not take: the full rules (type 7, unusual fields, errors)
      line++;
      const c0 = buf[p];
      if (c0 === 10 || (c0 === 13 && buf[p + 1] === 10)) {
        if (this.blankLine === 0) this.blankLine = line;
        p += c0 === 10 ? 1 : 2;
        continue;
      }
      if (this.blankLine !== 0) throw new DataError(file, this.blankLine, undefined, 'blank line inside the file (rows must be consecutive lines)');
      const start = p;
      const t = timeAt(buf, p);
      let ok = t === t && buf[at] === 44;
      const type = ok ? intAt(buf, at + 1) : NaN;
      ok = ok && type === type && buf[at] === 44;
      const id = ok ? intAt(buf, at + 1) : NaN;
      ok = ok && id === id && buf[at] === 44;
      const size = ok ? intAt(buf, at + 1) : NaN;
      ok = ok && size === size && buf[at] === 44;
      const price = ok ? intAt(buf, at + 1) : NaN;
      ok = ok && price === price && buf[at] === 44;
      const dir = ok ? intAt(buf, at + 1) : NaN;
      ok = ok && dir === dir;
      if (ok) {
        if (buf[at] === 13) at++;
        if (at < end && buf[at] !== 10) ok = false;
      }
      if (!ok) throw malformed(file, line, lineText(buf, start, end), (i) => MESSAGE_FIELDS[i] ?? `#${i + 1}`, 6, (i) => i === 0);
      p = at + 1;
      if (t < last) throw new DataError(file, line, 'time', `time goes back (${t / 1e6} s after ${last / 1e6} s)`);
      last = t;
      checkMessage(file, line, type, id, size, price, dir);
      b.timeUs[r] = t;
      b.type[r] = type;
      b.orderId[r] = id;
      b.size[r] = size;
      b.price[r] = price;
      b.direction[r] = dir;
      r++;
    }
    this.line = line;
    this.lastTime = last;
    this.rows += r;
    b.length = r;
    return b;
  }
}

/** A copy of `buf[0, end)` with a final newline, so the byte loops never read past the last line. */
function withNewline(buf: Uint8Array, end: number): Uint8Array {
  const b = Buffer.allocUnsafe(end + 1);
  b.set(buf.subarray(0, end));
  b[end] = 10;
  return b;
}

/** Value checks of one message row (types, directions, sizes, prices); throws a `DataError`. */
function checkMessage(file: string, line: number, type: number, id: number, size: number, price: number, dir: number): void {
  if (dir !== 1 && dir !== -1) throw new DataError(file, line, 'direction', `direction ${dir} is not 1 (buy) or -1 (sell)`);
  if (type >= 1 && type <= 6) {
    if (price >= EMPTY_ASK_PRICE || price <= 0) {
      const what = price >= EMPTY_ASK_PRICE ? 'the empty-level marker' : 'not positive';
      throw new DataError(file, line, 'price', `price ${price} of a type-${type} message is ${what}`);
    }
    if (size <= 0) throw new DataError(file, line, 'size', `size ${size} of a type-${type} message is not positive`);
    if (type <= 4 && price > MAX_BOOK_PRICE) throw new DataError(file, line, 'price', `price ${price} is beyond 2^31 - 1 units, the largest the book holds`);
    if (type <= 4 && size > MAX_BOOK_PRICE) throw new DataError(file, line, 'size', `size ${size} is beyond 2^31 - 1, the largest the book holds`);
    if (id < 0) throw new DataError(file, line, 'orderId', `negative order id ${id}`);
    if (type <= 4 && id === 0) throw new DataError(file, line, 'orderId', `order id 0 on a type-${type} message`);
    return;
  }
  if (type === 7) {
    if (price !== -1 && price !== 0 && price !== 1) throw new DataError(file, line, 'price', `trading-halt message (type 7) with price ${price} (expected -1 halt, 0 quoting, 1 resume)`);
    return;
  }
  throw new DataError(file, line, 'type', `unknown message type ${type} (expected 1..7)`);
}

/**
 * A message block of `cap` rows, its columns laid over one buffer; with `shared`, a
 * SharedArrayBuffer (a worker can read the columns in place).
 */
function newMessageBlock(cap: number, firstRow: number, shared = false): LobsterMessageBlock {
  const bytes = cap * 34;
  const m = shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  return {
    length: 0,
    firstRow,
    timeUs: new Float64Array(m, 0, cap),
    orderId: new Float64Array(m, cap * 8, cap),
    size: new Float64Array(m, cap * 16, cap),
    price: new Float64Array(m, cap * 24, cap),
    type: new Uint8Array(m, cap * 32, cap),
    direction: new Int8Array(m, cap * 33, cap),
  };
}

function growMessageBlock(b: LobsterMessageBlock, cap: number): LobsterMessageBlock {
  const n = newMessageBlock(cap, b.firstRow);
  n.timeUs.set(b.timeUs);
  n.type.set(b.type);
  n.orderId.set(b.orderId);
  n.size.set(b.size);
  n.price.set(b.price);
  n.direction.set(b.direction);
  return n;
}

// ---------------------------------------------------------------------------------------------
// Order-book rows

/** Parses order-book rows of `levels` levels chunk after chunk. */
export class LobsterBookParser {
  line = 0;
  rows = 0;
  private blankLine = 0;
  private readonly fields: number;
  /** `[0]` set by `outOfRange` when a value is refused (so the error names the value, not the format). */
  private readonly scratch: Float64Array;
  private readonly stop = new Int32Array(1);

  constructor(
    readonly file: string,
    readonly levels: number,
  ) {
    if (!(Number.isInteger(levels) && levels >= 1)) throw new RangeError(`levels must be a positive integer, got ${levels}`);
    this.fields = 4 * levels;
    this.scratch = new Float64Array(1);
  }

  /**
   * A field the fast path did not take (cold path): ten or more digits, a sign, or a zero price. An
   * empty-slot marker in its own price column becomes 0 (the empty slot), a value in 1..2^31-1 is
   * stored, anything else is refused (false; `flag[0]` is set so the caller explains).
   */
  private outOfRange(data: Int32Array, o: number, k: number, v: number, flag: Float64Array): boolean {
    const col = k & 3;
    if ((col === 0 && v === EMPTY_ASK_PRICE) || (col === 2 && v === EMPTY_BID_PRICE)) {
      data[o + k] = 0;
      return true;
    }
    if (v > 0 && v <= MAX_BOOK_PRICE) {
      data[o + k] = v; // ten digits (or leading zeros) that still fit
      return true;
    }
    flag[0] = 1;
    return false;
  }

  /**
   * Parses the whole lines of `buf[start, end)` (the last one may lack its newline) into a block.
   * The fast loop (`parseBookRows`) takes the rows it can check completely; a line it stops at goes
   * through `coldLine`, which takes it or throws the `DataError` that explains it.
   */
  parse(buf: Uint8Array, end: number, start = 0): LobsterBookBlock {
    if (end > start && buf[end - 1] !== 10) {
      buf = withNewline(buf.subarray(start), end - start);
      end = end - start + 1;
      start = 0;
    }
    const nf = this.fields;
    let cap = (((end - start) / (nf * 4)) | 0) + 8;
    let data = new Int32Array(cap * nf);
    const stop = this.stop;
    let r = 0;
    let p = start;
    while (p < end) {
      if (this.blankLine === 0) {
        const n = parseBookRows(buf, p, end, nf, data, r, cap - r, stop);
        r += n;
        this.line += n;
        p = stop[0]!;
        if (p >= end) break;
      }
      if (r === cap) {
        cap *= 2;
        const d = new Int32Array(cap * nf);
        d.set(data);
        data = d;
        continue;
      }
      const next = this.coldLine(buf, p, end, data, r * nf);
      if (next < 0) p = -next - 1; // a blank line
      else {
        p = next;
        r++;
      }
    }
    const firstRow = this.rows;
    this.rows += r;
    return { length: r, firstRow, levels: this.levels, data };
  }

  /**
   * Takes, in file order, the rows the fast loop made of the next chunk `bytes[0, len)` (on this
   * thread or on the parse worker): counts their lines, then parses the rest of the chunk (from
   * the first line the fast loop did not take) with `parse`, which takes it or throws the
   * `DataError` naming the line.
   */
  take(chunk: BookChunkRows, bytes: Uint8Array, len: number): LobsterBookBlock {
    const nf = this.fields;
    if (chunk.rows > 0 && this.blankLine !== 0) throw new DataError(this.file, this.blankLine, undefined, 'blank line inside the file (rows must be consecutive lines)');
    const block: LobsterBookBlock = { length: chunk.rows, firstRow: this.rows, levels: this.levels, data: chunk.data };
    this.line += chunk.rows;
    this.rows += chunk.rows;
    if (chunk.stop >= len) return block;
    const rest = this.parse(bytes, len, chunk.stop);
    if (rest.length === 0) return block;
    const data = new Int32Array((block.length + rest.length) * nf);
    data.set(block.data.subarray(0, block.length * nf));
    data.set(rest.data.subarray(0, rest.length * nf), block.length * nf);
    return { length: block.length + rest.length, firstRow: block.firstRow, levels: this.levels, data };
  }

  /**
   * One line the fast loop did not take (cold path): a blank line (returns minus one minus the
   * position after it), or a row with unusual but valid fields (stored at `data[o...]`; returns the
   * position after the line), or a bad row (throws the `DataError` naming file, line and field).
   */
  private coldLine(buf: Uint8Array, p: number, end: number, data: Int32Array, o: number): number {
    const line = ++this.line;
    const file = this.file;
    const c0 = buf[p];
    if (c0 === 10 || (c0 === 13 && buf[p + 1] === 10)) {
      if (this.blankLine === 0) this.blankLine = line;
      return -(p + (c0 === 10 ? 1 : 2)) - 1;
    }
    if (this.blankLine !== 0) throw new DataError(file, this.blankLine, undefined, 'blank line inside the file (rows must be consecutive lines)');
    const nf = this.fields;
    const tmp = this.scratch;
    const start = p;
    let ok = true;
    for (let k = 0; ; ) {
      let c = buf[p]!;
      const neg = c === 45;
      if (neg) c = buf[++p]!;
      const v = c - 48;
      if (v >>> 0 > 9) {
        ok = false;
        break;
      }
      let x = v;
      p++;
      for (;;) {
        // every line ends with a newline inside buf (see `parse`), so this never reads past it
        const d = buf[p]! - 48;
        if (d >>> 0 > 9) break;
        x = x * 10 + d;
        p++;
      }
      // (no digit-count limit: a value beyond 2^31 - 1 is refused, long or not)
      if (!neg && x <= MAX_BOOK_PRICE && (x !== 0 || (k & 1) === 1)) data[o + k] = x;
      else if (!this.outOfRange(data, o, k, neg ? -x : x, tmp)) {
        ok = false;
        break;
      }
      if (++k === nf) break;
      if (buf[p] !== 44) {
        ok = false;
        break;
      }
      p++;
    }
    if (ok) {
      if (buf[p] === 13) p++;
      if (p < end && buf[p] !== 10) ok = false;
    }
    if (!ok) {
      const text = lineText(buf, start, end);
      const refused = tmp[0] !== 0;
      tmp[0] = 0;
      if (refused) throw bookValueError(file, line, text, nf);
      throw malformed(file, line, text, bookFieldName, nf, () => false);
    }
    if (checkIntRow(data, o, this.levels) !== 0) throw bookValueError(file, line, lineText(buf, start, end), nf);
    return p + 1;
  }
}

/** Largest price or size an order-book row may hold (2^31 - 1 units: the rows are stored as Int32). */
export const MAX_BOOK_PRICE = 2_147_483_647;

/**
 * Checks one order-book row: a slot is a level (price in (0, 9999999999), size > 0) or empty
 * (the side's marker, size 0); empty slots only after the last level; asks strictly rising, bids
 * strictly falling. Returns 0, or 1 + the column of the first problem.
 */
export function checkBookRow(d: Float64Array, o: number, levels: number): number {
  let askEmpty = false;
  let bidEmpty = false;
  let prevAsk = -Infinity;
  let prevBid = Infinity;
  for (let k = 0; k < levels; k++) {
    const i = o + 4 * k;
    const ap = d[i]!;
    const as = d[i + 1]!;
    const bp = d[i + 2]!;
    const bs = d[i + 3]!;
    if (ap === EMPTY_ASK_PRICE) {
      if (as !== 0) return 4 * k + 2;
      askEmpty = true;
    } else if (askEmpty || !(ap > 0 && ap <= MAX_BOOK_PRICE) || ap <= prevAsk) return 4 * k + 1;
    else if (!(as > 0 && as <= MAX_BOOK_PRICE)) return 4 * k + 2;
    else prevAsk = ap;
    if (bp === EMPTY_BID_PRICE) {
      if (bs !== 0) return 4 * k + 4;
      bidEmpty = true;
    } else if (bidEmpty || !(bp > 0 && bp <= MAX_BOOK_PRICE) || bp >= prevBid) return 4 * k + 3;
    else if (!(bs > 0 && bs <= MAX_BOOK_PRICE)) return 4 * k + 4;
    else prevBid = bp;
  }
  return 0;
}

/**
 * The row check of the parser on the stored Int32 row, where an empty slot is price 0 and a price
 * field of 0 can only come from a marker (raw zero prices are caught here as "price 0 with a size"
 * or by `bookValueError`, which re-reads the text). Returns 0 when the row is valid.
 */
function checkIntRow(d: Int32Array, o: number, levels: number): number {
  let askEmpty = false;
  let bidEmpty = false;
  let prevAsk = 0;
  let prevBid = MAX_BOOK_PRICE + 1;
  const end = o + 4 * levels;
  for (let i = o; i < end; i += 4) {
    const ap = d[i]!;
    const as = d[i + 1]!;
    if (ap === 0 || as === 0) {
      if (ap !== 0 || as !== 0) return 1;
      askEmpty = true;
    } else if (askEmpty || ap <= prevAsk) return 1;
    else prevAsk = ap;
    const bp = d[i + 2]!;
    const bs = d[i + 3]!;
    if (bp === 0 || bs === 0) {
      if (bp !== 0 || bs !== 0) return 1;
      bidEmpty = true;
    } else if (bidEmpty || bp >= prevBid) return 1;
    else prevBid = bp;
  }
  return 0;
}

/** Re-reads a row whose values are wrong and names the first bad field (cold path). */
function bookValueError(file: string, line: number, text: string, nf: number): DataError {
  const fields = text.split(',').map(Number);
  const row = new Float64Array(nf);
  for (let k = 0; k < nf; k++) row[k] = fields[k]!;
  const bad = checkBookRow(row, 0, nf / 4);
  return bad !== 0 ? bookRowError(file, line, row, 0, bad) : new DataError(file, line, undefined, `invalid order-book row '${text}'`);
}

/** The error for the problem `checkBookRow` found (cold path). */
function bookRowError(file: string, line: number, d: Float64Array, o: number, bad: number): DataError {
  const col = bad - 1;
  const k = col >> 2;
  const isAsk = (col & 3) < 2;
  const price = d[o + (col & ~1)]!;
  const size = d[o + (col | 1)]!;
  const side = isAsk ? 'ask' : 'bid';
  const marker = isAsk ? EMPTY_ASK_PRICE : EMPTY_BID_PRICE;
  const field = bookFieldName(col);
  let why: string;
  if (price === marker && size !== 0) why = `price ${price} is the empty-level marker but the size is ${size} (not an empty slot)`;
  else if (price === EMPTY_ASK_PRICE || price === EMPTY_BID_PRICE) why = `price ${price} is the empty-level marker of the other side or carries a size`;
  else if (!(price > 0)) why = `${side} price ${price} is not positive`;
  else if (price > MAX_BOOK_PRICE) why = `${side} price ${price} is beyond 2^31 - 1 units, the largest an order-book row may hold`;
  else if (col & 1) why = size > MAX_BOOK_PRICE ? `${side} size ${size} is beyond 2^31 - 1` : `${side} size ${size} of a level at price ${price} is not positive`;
  else {
    const prev = d[o + (col & ~1) - 4];
    why = prev === marker ? `${side} level ${k + 1} at price ${price} follows an empty slot` : `${side} level ${k + 1} price ${price} is not ${isAsk ? 'above' : 'below'} level ${k} (${prev})`;
  }
  return new DataError(file, line, field, why);
}

// ---------------------------------------------------------------------------------------------
// Streaming

/**
 * Yields buffers holding whole lines (the last one may lack its newline). Read errors (a truncated
 * or corrupt gzip, a missing file) are thrown as they come; the caller names the line.
 */
async function* lineBuffers(path: string, options: LobsterReadOptions): AsyncGenerator<Buffer> {
  const stream = openLobsterStream(path, options);
  let carry: Buffer | undefined;
  try {
    for await (const piece of stream as AsyncIterable<Buffer>) {
      const buf = carry ? Buffer.concat([carry, piece]) : piece;
      const lastNl = buf.lastIndexOf(10);
      if (lastNl < 0) {
        carry = buf;
        continue;
      }
      carry = lastNl + 1 < buf.length ? Buffer.from(buf.subarray(lastNl + 1)) : undefined;
      yield buf.subarray(0, lastNl + 1);
    }
  } finally {
    stream.destroy();
  }
  if (carry && carry.length > 0) yield carry;
}

/** A read error (missing file, truncated or corrupt gzip) as a `DataError` at `nextLine`, the line after the last one parsed. */
export function lobsterReadError(path: string, nextLine: number, err: unknown): DataError {
  const e = err as NodeJS.ErrnoException;
  const gz = e.code === 'Z_BUF_ERROR' || e.code === 'Z_DATA_ERROR' || /unexpected end of file|incorrect header|invalid/i.test(e.message ?? '');
  const what = gz ? `truncated or corrupt gzip data (${e.message})` : `cannot read file (${e.code ?? e.message})`;
  return Object.assign(new DataError(path, nextLine, undefined, what), { cause: err });
}

/**
 * Streams a LOBSTER message file as typed-array blocks (one per chunk read). Memory holds one
 * chunk at a time. Throws a `DataError` naming file:line (and field) on bad input, on time going
 * back, and on a truncated gzip (at the first line it could not read).
 */
export async function* readLobsterMessageBlocks(path: string, options: LobsterReadOptions = {}): AsyncGenerator<LobsterMessageBlock> {
  const parser = new LobsterMessageParser(path);
  const it = lineBuffers(path, options);
  for (;;) {
    let r: IteratorResult<Buffer>;
    try {
      r = await it.next();
    } catch (err) {
      throw lobsterReadError(path, parser.line + 1, err);
    }
    if (r.done) return;
    yield parser.parse(r.value, r.value.length);
  }
}

/** Streams a LOBSTER order-book file of `levels` levels as typed-array blocks (same rules as the message reader). */
export async function* readLobsterBookBlocks(path: string, levels: number, options: LobsterReadOptions = {}): AsyncGenerator<LobsterBookBlock> {
  const parser = new LobsterBookParser(path, levels);
  const it = lineBuffers(path, options);
  for (;;) {
    let r: IteratorResult<Buffer>;
    try {
      r = await it.next();
    } catch (err) {
      throw lobsterReadError(path, parser.line + 1, err);
    }
    if (r.done) return;
    yield parser.parse(r.value, r.value.length);
  }
}

/** A whole message file in memory (one block, on shared memory: `reconstructLobsterColumns` rebuilds one side on the parse worker). */
export async function loadLobsterMessages(path: string, options: LobsterReadOptions = {}): Promise<LobsterMessageBlock> {
  const blocks: LobsterMessageBlock[] = [];
  let n = 0;
  for await (const b of readLobsterMessageBlocks(path, options)) {
    blocks.push(b);
    n += b.length;
  }
  const out = newMessageBlock(n, 0, true);
  let o = 0;
  for (const b of blocks) {
    out.timeUs.set(b.timeUs.subarray(0, b.length), o);
    out.type.set(b.type.subarray(0, b.length), o);
    out.orderId.set(b.orderId.subarray(0, b.length), o);
    out.size.set(b.size.subarray(0, b.length), o);
    out.price.set(b.price.subarray(0, b.length), o);
    out.direction.set(b.direction.subarray(0, b.length), o);
    o += b.length;
  }
  out.length = n;
  return out;
}

/** A whole order-book file in memory (one block, on shared memory, as `loadLobsterMessages`). */
export async function loadLobsterBook(path: string, levels: number, options: LobsterReadOptions = {}): Promise<LobsterBookBlock> {
  bookParseWorker(); // started now, so it is up for the rebuild that usually follows
  const blocks: LobsterBookBlock[] = [];
  let n = 0;
  for await (const b of readLobsterBookBlocks(path, levels, options)) {
    blocks.push(b);
    n += b.length;
  }
  const nf = 4 * levels;
  const data = new Int32Array(new SharedArrayBuffer(n * nf * 4));
  let o = 0;
  for (const b of blocks) {
    data.set(b.data.subarray(0, b.length * nf), o * nf);
    o += b.length;
  }
  return { length: n, firstRow: 0, levels, data };
}
