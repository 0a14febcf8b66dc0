import { pow10, powersOfTen } from '../core/fixed-point.ts';
import type { Instrument } from '../market/instrument.ts';
import type { BarEvent } from '../market/market-data.ts';
import { daysFromCivil, type TimeFormat } from './csv-fields.ts';
import type { ByteRowPath } from './csv-table.ts';
import type { BarSink } from './bar-batch-source.ts';

/**
 * The byte fast path of the bar loader: decodes rows straight from a whole-line chunk of bytes, with
 * no string per chunk, row or field. It only consumes rows it can vouch for: plain ASCII fields
 * (digits and one `.`; no sign, space, exponent or quote), the right field count, at most the
 * instrument's decimals, at most 2^53 units, dates `YYYY-MM-DD` (the day number is reused while
 * the date stays the same), times `HH:mm[:ss[.f]]`, ISO date-times without an offset, `YYYYMMDD`
 * and integer epochs, and every check the reference decoder makes (tick grid, low <= open, close <=
 * high, time order) passing. It stops before any other line, which the reference path
 * (`CsvCursor` + the bar decoder) then parses alone, so events, stats and errors (messages and line
 * numbers) are exactly the reference path's. See docs/data.md.
 */

/** The 0-based columns of a bar file's fields (-1 for an absent optional one). */
export interface BarFieldColumns {
  /** The time (or date) column. */
  time: number;
  /** The time-of-day column, or -1. */
  tod: number;
  open: number;
  high: number;
  low: number;
  close: number;
  /** The volume column, or -1 (volume 0). */
  volume: number;
  /** The adjusted close column when adjusting, else -1. */
  adjClose: number;
}

/** Where the bar fields are and what is checked, for the byte fast path. */
export interface BarByteLayout extends BarFieldColumns {
  /** The delimiter byte (ASCII). */
  delimiter: number;
  /** Fields every row must have. */
  fieldCount: number;
  /** How the time column is written. */
  format: Exclude<TimeFormat, 'auto'>;
  /** Whether low <= open, close <= high is checked. */
  validate: boolean;
}

/** The state the fast path shares with the reference decoder: the time of the last accepted row. */
export interface BarClock {
  lastTime: number;
}

const US_PER_DAY = 86_400_000_000;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

const F_ISO = 0; // date, or date + T/space + time of day, optional Z
const F_DATE = 1; // exactly YYYY-MM-DD
const F_DATETIME = 2; // exactly YYYY-MM-DD HH:mm:ss
const F_COMPACT = 3; // YYYYMMDD
const F_EPOCH = 4; // integer epoch digits

function formatCode(f: Exclude<TimeFormat, 'auto'>): number {
  switch (f) {
    case 'iso':
      return F_ISO;
    case 'YYYY-MM-DD':
      return F_DATE;
    case 'YYYY-MM-DD HH:mm:ss':
      return F_DATETIME;
    case 'YYYYMMDD':
      return F_COMPACT;
    default:
      return F_EPOCH;
  }
}

function epochUnitDigits(f: Exclude<TimeFormat, 'auto'>): number {
  return f === 'epoch-s' ? 0 : f === 'epoch-ms' ? 3 : f === 'epoch-us' ? 6 : 9;
}

/**
 * The date written as 4 year digits at `i`, 2 month digits at `i + m` and 2 day digits at `i + d`, as
 * the number YYYYMMDD; -1 when one of them is not a digit. (The calendar check is `day`'s.)
 */
function dateKey(b: Uint8Array, i: number, m: number, d: number): number {
  const y1 = b[i]! - 48;
  const y2 = b[i + 1]! - 48;
  const y3 = b[i + 2]! - 48;
  const y4 = b[i + 3]! - 48;
  const m1 = b[i + m]! - 48;
  const m2 = b[i + m + 1]! - 48;
  const d1 = b[i + d]! - 48;
  const d2 = b[i + d + 1]! - 48;
  if (y1 >>> 0 > 9 || y2 >>> 0 > 9 || y3 >>> 0 > 9 || y4 >>> 0 > 9 || m1 >>> 0 > 9 || m2 >>> 0 > 9 || d1 >>> 0 > 9 || d2 >>> 0 > 9) return -1;
  return ((((y1 * 10 + y2) * 10 + y3) * 10 + y4) * 100 + m1 * 10 + m2) * 100 + d1 * 10 + d2;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/**
 * The common time of day `HH:mm:ss` with no fraction at `i`, as seconds since midnight (a small
 * integer: no allocation, and small enough to inline); -1 for anything else, which `timeOfDay` reads.
 */
function wholeSeconds(b: Uint8Array, i: number): number {
  const h1 = b[i]! - 48;
  const h2 = b[i + 1]! - 48;
  const m1 = b[i + 3]! - 48;
  const m2 = b[i + 4]! - 48;
  const s1 = b[i + 6]! - 48;
  const s2 = b[i + 7]! - 48;
  const next = b[i + 8];
  if (b[i + 2] !== 58 || b[i + 5] !== 58 || h1 >>> 0 > 9 || h2 >>> 0 > 9 || m1 >>> 0 > 9 || m2 >>> 0 > 9 || s1 >>> 0 > 9 || s2 >>> 0 > 9 || next === 46 || (next !== undefined && next - 48 >>> 0 <= 9)) return -1;
  const hh = h1 * 10 + h2;
  const mm = m1 * 10 + m2;
  const ss = s1 * 10 + s2;
  return hh > 23 || mm > 59 || ss > 59 ? -1 : hh * 3600 + mm * 60 + ss;
}

/**
 * `HH:mm`, `HH:mm:ss` or `HH:mm:ss.f` (1-9 fraction digits, truncated to microseconds) starting at
 * `i`, read as far as it goes: writes the microseconds since midnight to `out[0]` and returns the
 * offset just past it, or -1 when it is malformed or out of range. The caller checks what follows.
 */
function timeOfDay(b: Uint8Array, i: number, out: Float64Array): number {
  const h1 = b[i]! - 48;
  const h2 = b[i + 1]! - 48;
  const m1 = b[i + 3]! - 48;
  const m2 = b[i + 4]! - 48;
  if (b[i + 2] !== 58 || h1 >>> 0 > 9 || h2 >>> 0 > 9 || m1 >>> 0 > 9 || m2 >>> 0 > 9) return -1;
  const hh = h1 * 10 + h2;
  const mm = m1 * 10 + m2;
  if (hh > 23 || mm > 59) return -1;
  let us = (hh * 3600 + mm * 60) * 1_000_000;
  i += 5;
  if (b[i] === 58) {
    const s1 = b[i + 1]! - 48;
    const s2 = b[i + 2]! - 48;
    if (s1 >>> 0 > 9 || s2 >>> 0 > 9) return -1;
    const ss = s1 * 10 + s2;
    if (ss > 59) return -1;
    us += ss * 1_000_000;
    i += 3;
    if (b[i] === 46) return fraction(b, i + 1, us, out);
  }
  out[0] = us;
  return i;
}

let fastRows = 0;

/** Rows decoded by the bar fast path in this process so far (a test hook: tests check that it ran). */
export function barFastPathRows(): number {
  return fastRows;
}

/** Counts rows decoded by a fast path (the replay of bar-record.ts counts its own). */
export function countFastRows(n: number): void {
  fastRows += n;
}

/**
 * Where `record` keeps the rows it takes: by role, `values` holds the digits as an integer (time:
 * microseconds) and `decimals` how many of them were decimals. Returns false when full (the walk
 * stops there).
 */
export interface BarRecorder {
  add(start: number, end: number, time: number, values: Float64Array, decimals: Uint8Array): boolean;
}

/** The fraction digits of a time of day from `i` (after the `.`): see `timeOfDay`. */
function fraction(b: Uint8Array, i: number, us: number, out: Float64Array): number {
  const fs = i;
  let frac = 0;
  let x = b[i]! - 48;
  while (x >>> 0 <= 9) {
    if (i - fs < 6) frac = frac * 10 + x;
    x = b[++i]! - 48;
  }
  const k = i - fs;
  if (k === 0 || k > 9) return -1;
  out[0] = us + frac * pow10(6 - (k < 6 ? k : 6));
  return i;
}

// roles of the columns (indexes of `values` and `decimals` in `BarRecorder.add`)
const R_SKIP = 0;
const R_TIME = 1;
const R_TOD = 2;
/** Role of the open column. */
export const R_OPEN = 3;
/** Role of the high column. */
export const R_HIGH = 4;
/** Role of the low column. */
export const R_LOW = 5;
/** Role of the close column. */
export const R_CLOSE = 6;
/** Role of the adjusted close column. */
export const R_ADJ = 7;
/** Role of the volume column (numeric roles are >= R_OPEN; the volume is the only one at size precision). */
export const R_VOLUME = 8;

/** Decodes bar rows from bytes; see the module comment. One per file, made by the bar decoder. */
export class BarBytePath implements ByteRowPath<BarEvent, BarSink> {
  line = 0;
  rows = 0;
  /** The role of each column. */
  private readonly roles: Uint8Array;
  /** Values of the current row by role (units, or microseconds for time and time of day). */
  private readonly v = new Float64Array(9);
  /** Decimals written of the current row's numbers by role (recording only). */
  private readonly frac = new Uint8Array(9);
  private readonly tmp = new Float64Array(1);
  private readonly fmt: number;
  private readonly epochExtra: number;
  private readonly epochDrop: number;
  /** The last date seen as YYYYMMDD, and its midnight in microseconds. */
  private dayKey = -1;
  private dayUs = 0;

  /**
   * Undefined when two roles share a column (the reference path then parses the file). Without an
   * instrument, the path can only `record` (the precision is not known yet).
   */
  static create(k: BarByteLayout, inst: Instrument | undefined, clock: BarClock): BarBytePath | undefined {
    const roles = new Uint8Array(k.fieldCount);
    const cols: [number, number][] = [
      [k.time, R_TIME],
      [k.tod, R_TOD],
      [k.open, R_OPEN],
      [k.high, R_HIGH],
      [k.low, R_LOW],
      [k.close, R_CLOSE],
      [k.adjClose, R_ADJ],
      [k.volume, R_VOLUME],
    ];
    for (const [col, role] of cols) {
      if (col < 0) continue;
      if (col >= k.fieldCount || roles[col] !== R_SKIP) return undefined;
      roles[col] = role;
    }
    return new BarBytePath(k, inst, clock, roles);
  }

  private constructor(
    private readonly k: BarByteLayout,
    private readonly inst: Instrument | undefined,
    private readonly clock: BarClock,
    roles: Uint8Array,
  ) {
    this.roles = roles;
    this.fmt = formatCode(k.format);
    const unit = epochUnitDigits(k.format);
    this.epochExtra = unit < 6 ? 6 - unit : 0;
    this.epochDrop = unit > 6 ? unit - 6 : 0;
  }

  /** Midnight (us) of a date given as YYYYMMDD (digits already checked), or NaN; cached while it repeats. */
  /** Microseconds at midnight UTC of the date `key` (YYYYMMDD), remembered for the next rows; NaN for no such date. */
  private day(key: number): number {
    const yy = Math.floor(key / 10000);
    const mm = Math.floor(key / 100) % 100;
    const dd = key % 100;
    if (mm < 1 || mm > 12 || dd < 1 || dd > daysInMonth(yy, mm)) return NaN;
    const us = daysFromCivil(yy, mm, dd) * US_PER_DAY;
    this.dayKey = key;
    this.dayUs = us;
    return us;
  }

  run(buf: Buffer, pos: number, out: BarSink): number {
    return this.walk(buf, pos, out, undefined);
  }

  /**
   * The first pass of a fused load: reads the lines of `buf` from `pos` as `run` does, but before the
   * precision is known: keeps each plain row's time and its numbers as written (digits and decimal
   * count) in `rec`, with none of the checks that need the precision or the previous row (the replay
   * makes them, see bar-record.ts). Returns the offset of the first line it did not take.
   */
  record(buf: Buffer, pos: number, rec: BarRecorder): number {
    return this.walk(buf, pos, undefined, rec);
  }

  private walk(buf: Buffer, pos: number, out: BarSink | undefined, rec: BarRecorder | undefined): number {
    const b = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
    const base = buf.byteOffset;
    const F = this.frac;
    const len = b.length;
    // only lines that end in a newline: a last line without one goes to the reference path
    const lim = len > 0 && b[len - 1] === 10 ? len : buf.lastIndexOf(10) + 1;
    const k = this.k;
    const d = k.delimiter;
    const fc = k.fieldCount;
    const R = this.roles;
    const V = this.v;
    const T = this.tmp;
    const fmt = this.fmt;
    const inst = this.inst;
    const recording = rec !== undefined || inst === undefined;
    const p = inst === undefined ? 0 : inst.pricePrecision;
    const sp = inst === undefined ? 0 : inst.sizePrecision;
    const tick = inst === undefined ? 1 : inst.tickUnits;
    const ps = inst === undefined ? 1 : inst.priceScale;
    const ss = inst === undefined ? 1 : inst.sizeScale;
    const validate = k.validate;
    const hasTod = k.tod >= 0;
    const hasVolume = k.volume >= 0;
    const adjusting = k.adjClose >= 0;
    let last = this.clock.lastTime;
    let line = this.line;
    let rows = 0;
    let at = pos;
    rows: while (at < lim) {
      const c0 = b[at];
      if (c0 === 10 || (c0 === 13 && b[at + 1] === 10)) {
        line++; // blank line
        at += c0 === 10 ? 1 : 2;
        continue;
      }
      let i = at;
      for (let f = 0; ; ) {
        const role = R[f]!;
        if (role >= R_OPEN) {
          // plain decimal: digits [. digits], at most `prec` decimals, at most 2^53 units
          const prec = role === R_VOLUME ? sp : p;
          const s0 = i;
          let n = 0;
          let x = b[i]! - 48;
          while (x >>> 0 <= 9) {
            n = n * 10 + x;
            x = b[++i]! - 48;
          }
          let digits = i - s0;
          let frac = 0;
          if (x === -2) {
            const fs = ++i;
            x = b[i]! - 48;
            while (x >>> 0 <= 9) {
              n = n * 10 + x;
              x = b[++i]! - 48;
            }
            frac = i - fs;
            if (frac > prec && !recording) break rows;
            digits += frac;
          }
          if (digits === 0) break rows;
          if (recording) F[role] = frac; // the digits as written: scaled by the replay
          else {
            // the reference's arithmetic, step by step: the same double, and the same 2^53 limit
            if (frac < prec) n *= pow10(prec - frac);
            if (n > MAX_SAFE) break rows;
          }
          V[role] = n;
        } else if (role === R_SKIP) {
          let x = b[i];
          while (x !== d && x !== 10) {
            if (x === 34) break rows;
            x = b[++i];
          }
        } else if (role === R_TOD) {
          const sec = wholeSeconds(b, i);
          if (sec >= 0) {
            V[R_TOD] = sec * 1_000_000;
            i += 8;
          } else {
            i = timeOfDay(b, i, T);
            if (i < 0) break rows;
            V[R_TOD] = T[0]!;
          }
        } else if (fmt <= F_DATETIME) {
          // YYYY-MM-DD [T|space|t HH:mm[:ss[.f]] [Z]]
          if (i + 10 >= lim || b[i + 4] !== 45 || b[i + 7] !== 45) break rows;
          const key = dateKey(b, i, 5, 8);
          if (key < 0) break rows;
          const base = key === this.dayKey ? this.dayUs : this.day(key);
          if (base !== base) break rows;
          i += 10;
          const sep = b[i];
          if (fmt === F_DATETIME) {
            if (sep !== 32) break rows;
            const s0 = i + 1;
            i = timeOfDay(b, s0, T);
            if (i - s0 !== 8) break rows;
            V[R_TIME] = base + T[0]! - 0;
          } else if (fmt === F_ISO && (sep === 84 || sep === 32 || sep === 116)) {
            i = timeOfDay(b, i + 1, T);
            if (i < 0) break rows;
            if (b[i] === 90 || b[i] === 122) i++;
            V[R_TIME] = base + T[0]! - 0;
          } else V[R_TIME] = base;
        } else if (fmt === F_COMPACT) {
          if (i + 8 >= lim) break rows;
          const key = dateKey(b, i, 4, 6);
          if (key < 0) break rows;
          const base = key === this.dayKey ? this.dayUs : this.day(key);
          if (base !== base) break rows;
          i += 8;
          V[R_TIME] = base;
        } else {
          // integer epoch: digits only; ns drop their last 3 digits (truncated, as the reference does)
          const s0 = i;
          let x = b[i]! - 48;
          while (x >>> 0 <= 9) x = b[++i]! - 48;
          if (i === s0) break rows;
          let n = 0;
          for (let j = s0, e = i - this.epochDrop; j < e; j++) n = n * 10 + (b[j]! - 48);
          if (this.epochExtra > 0) n *= pow10(this.epochExtra);
          if (n > MAX_SAFE) break rows;
          V[R_TIME] = n;
        }
        // what ends the field: the delimiter, or the end of the line after the last field
        const x = b[i];
        if (++f === fc) {
          if (x === 10) i++;
          else if (x === 13 && b[i + 1] === 10) i += 2;
          else break rows;
          break;
        }
        if (x !== d) break rows;
        i++;
      }
      const t = hasTod ? V[R_TIME]! + V[R_TOD]! : V[R_TIME]!;
      if (recording) {
        if (rec === undefined || !rec.add(base + at, base + i, t, V, F)) break;
        line++;
        rows++;
        at = i;
        continue;
      }
      if (t < last) break;
      let o = V[R_OPEN]!;
      let h = V[R_HIGH]!;
      let l = V[R_LOW]!;
      let c = V[R_CLOSE]!;
      if (tick !== 1 && (o % tick !== 0 || h % tick !== 0 || l % tick !== 0 || c % tick !== 0)) break;
      if (validate && (h < l || o < l || o > h || c < l || c > h)) break;
      if (adjusting) {
        const adj = V[R_ADJ]!;
        if (adj <= 0 || c <= 0) break;
        const r = adj / c / tick;
        o = Math.round(o * r) * tick;
        h = Math.round(h * r) * tick;
        l = Math.round(l * r) * tick;
        c = Math.round(adj / tick) * tick;
      }
      const vol = hasVolume ? V[R_VOLUME]! / ss : 0;
      out!.bar(t, o / ps, h / ps, l / ps, c / ps, vol);
      last = t;
      line++;
      rows++;
      at = i;
    }
    this.line = line;
    this.rows = rows;
    if (!recording) {
      this.clock.lastTime = last;
      fastRows += rows;
    }
    return at;
  }
}

/**
 * The byte fast path as plain JavaScript source, for a worker thread started from source text (the
 * parse worker, lobster-book-worker.ts): it declares `BarBytePath` and every function and constant
 * its walk uses, with this module's own code and values, so a worker parses exactly as this thread.
 */
export function barBytePathSource(): string {
  const constants = { US_PER_DAY, MAX_SAFE, F_ISO, F_DATE, F_DATETIME, F_COMPACT, F_EPOCH, R_SKIP, R_TIME, R_TOD, R_OPEN, R_HIGH, R_LOW, R_CLOSE, R_ADJ, R_VOLUME };
  return [
    ...Object.entries(constants).map(([name, value]) => `const ${name} = ${value};`),
    `const POW10 = ${JSON.stringify(powersOfTen())};`,
    'let fastRows = 0;',
    ...[pow10, daysFromCivil, formatCode, epochUnitDigits, dateKey, daysInMonth, wholeSeconds, timeOfDay, fraction, BarBytePath].map((f) => f.toString()),
  ].join('\n');
}
