import { decimalsAt } from './csv-fields.ts';

/**
 * The byte path of the precision scan (`scanPrecision` in csv-table.ts), used once the layout is
 * known, for chunks without a quote byte and an ASCII delimiter. It counts, for every non-blank line,
 * a row, and for rows of the right field count the most decimals written in the price and size
 * columns, exactly as the text path counts them.
 *
 * Two walkers give the same counts: `line` splits one line at the delimiter and counts decimals from
 * the end of each field (any field text: spaces, exponents, junk); `run` is the fast walker that
 * reads each line once, field by field, and only takes lines whose price and size fields are plain
 * `digits[.digits]` and whose field count is right, handing any other line to `scanLine`.
 */

/** Decimals of a field given as bytes `[start, end)`; the same count as `decimalsAt` on its text. */
function decimalsInBytes(b: Uint8Array, start: number, end: number): number {
  while (end > start && b[end - 1] === 32) end--;
  for (let i = end - 1; i >= start; i--) {
    const c = b[i]!;
    if (c === 46) return end - 1 - i;
    if (c < 48 || c > 57) return decimalsAt(Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('utf8'), 0, end - start); // rare: exponent or junk
  }
  return 0;
}

const PRICE = 1;
const SIZE = 2;

/** The byte scan of a file once its layout is known: `PrecisionBytes`, or a loader's own built on it. */
export interface ByteScan {
  /** Most decimals seen in a price column so far. */
  price: number;
  /** Most decimals seen in a size column so far. */
  size: number;
  /** Non-blank lines scanned so far. */
  rows: number;
  /** Scans the lines of `buf` from offset `from` (a line start) to its end. */
  scan(buf: Buffer, from: number): void;
  /**
   * A chunk of the file was scanned as text instead (it has a quote byte), so this scan never sees
   * its lines: a loader's own scan must not hand out rows it parsed as if they were the whole file.
   */
  missed?(): void;
  /**
   * True once this scan has taken every line of the file, those of chunks it has not been given yet
   * included (a loader that parsed them on another thread): the caller gives it no more chunks.
   */
  readonly complete?: boolean;
}

/** The byte scan of one file (see the module comment). */
export class PrecisionBytes implements ByteScan {
  /** Most decimals seen in a price column. */
  price = 0;
  /** Most decimals seen in a size column. */
  size = 0;
  /** Non-blank lines after the first data row. */
  rows = 0;
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  /** Per column: PRICE and/or SIZE bits. */
  private readonly roles: Uint8Array;

  constructor(
    private readonly delimiter: number,
    private readonly fieldCount: number,
    private readonly priceCols: Int32Array,
    private readonly sizeCols: Int32Array,
    private readonly fast: boolean,
  ) {
    this.start = new Int32Array(fieldCount);
    this.end = new Int32Array(fieldCount);
    this.roles = new Uint8Array(fieldCount);
    for (const c of priceCols) if (c >= 0 && c < fieldCount) this.roles[c]! |= PRICE;
    for (const c of sizeCols) if (c >= 0 && c < fieldCount) this.roles[c]! |= SIZE;
    // a column out of range never counts (the row has fewer fields): only the line walker handles it
    for (const c of [...priceCols, ...sizeCols]) if (c < 0 || c >= fieldCount) this.fast = false;
  }

  /** Scans the lines of `buf` from offset `from` (a line start) to its end. */
  scan(buf: Buffer, from: number): void {
    const b = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
    let p = from;
    const len = b.length;
    while (p < len) {
      if (this.fast) p = this.run(b, p);
      if (p >= len) break;
      p = this.scanLine(b, p);
    }
  }

  /**
   * The fast walker: takes whole lines from `at` while they are plain (see the module comment) and
   * returns the offset of the first line it did not take (or of the end).
   */
  private run(b: Uint8Array, at: number): number {
    const len = b.length;
    // only lines that end in a newline: a last line without one goes to `scanLine`
    const lim = len > 0 && b[len - 1] === 10 ? len : b.lastIndexOf(10) + 1;
    const d = this.delimiter;
    const fc = this.fieldCount;
    const R = this.roles;
    let price = this.price;
    let size = this.size;
    let rows = this.rows;
    lines: while (at < lim) {
      const c0 = b[at];
      if (c0 === 10 || (c0 === 13 && b[at + 1] === 10)) {
        at += c0 === 10 ? 1 : 2; // blank line
        continue;
      }
      let i = at;
      let rowPrice = price; // committed only when the line is taken
      let rowSize = size;
      for (let f = 0; ; ) {
        const role = R[f]!;
        if (role === 0) {
          let x = b[i];
          while (x !== d && x !== 10) x = b[++i];
        } else {
          let x = b[i]! - 48;
          while (x >>> 0 <= 9) x = b[++i]! - 48;
          if (x === -2) {
            const fs = ++i;
            x = b[i]! - 48;
            while (x >>> 0 <= 9) x = b[++i]! - 48;
            const dec = i - fs;
            if (role & PRICE && dec > rowPrice) rowPrice = dec;
            if (role & SIZE && dec > rowSize) rowSize = dec;
          }
        }
        const x = b[i];
        if (++f === fc) {
          if (x === 10) i++;
          else if (x === 13 && b[i + 1] === 10) i += 2;
          else break lines;
          break;
        }
        if (x !== d) break lines;
        i++;
      }
      price = rowPrice;
      size = rowSize;
      rows++;
      at = i;
    }
    this.price = price;
    this.size = size;
    this.rows = rows;
    return at;
  }

  /**
   * The line walker: scans the one line at `p` (any text), splitting it at the delimiter and
   * counting decimals from the end of each field, and returns the offset of the next line. Public
   * for scans built on this one (bar-record.ts), which hand it the lines they do not take.
   */
  scanLine(b: Uint8Array, p: number): number {
    const len = b.length;
    const d = this.delimiter;
    const fc = this.fieldCount;
    const S = this.start;
    const E = this.end;
    const lineStart = p;
    let n = 0;
    let fs = p;
    let i = p;
    for (; i < len; i++) {
      const ch = b[i]!;
      if (ch === d) {
        if (n < fc) {
          S[n] = fs;
          E[n] = i;
        }
        n++;
        fs = i + 1;
      } else if (ch === 10) break;
    }
    let e = i;
    if (e > lineStart && b[e - 1] === 13) e--;
    if (e === lineStart) return i + 1;
    if (n < fc) {
      S[n] = fs;
      E[n] = e;
    }
    n++;
    this.rows++;
    if (n !== fc) return i + 1;
    const pc = this.priceCols;
    for (let k = 0; k < pc.length; k++) {
      const col = pc[k]!;
      const dec = decimalsInBytes(b, S[col]!, E[col]!);
      if (dec > this.price) this.price = dec;
    }
    const sc = this.sizeCols;
    for (let k = 0; k < sc.length; k++) {
      const col = sc[k]!;
      const dec = decimalsInBytes(b, S[col]!, E[col]!);
      if (dec > this.size) this.size = dec;
    }
    return i + 1;
  }
}
