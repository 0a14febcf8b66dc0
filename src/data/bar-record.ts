import { pow10 } from '../core/fixed-point.ts';
import { scratchBuffers } from '../core/buffer-pool.ts';
import type { Instrument } from '../market/instrument.ts';
import type { BarEvent } from '../market/market-data.ts';
import { BarBytePath, countFastRows, R_ADJ, R_CLOSE, R_HIGH, R_LOW, R_OPEN, R_VOLUME, type BarByteLayout, type BarClock, type BarRecorder } from './bar-bytes.ts';
import type { ByteScan, PrecisionBytes } from './csv-scan-bytes.ts';
import type { ByteRowPath } from './csv-table.ts';
import type { BarSink } from './bar-batch-source.ts';

/**
 * The fused load of a small bar file: `loadBarsCsv` must know the price precision (the most decimals
 * in the file) before it makes the first event, which takes a scan of the whole file before the
 * parse. For a file read in one go, the scan's first pass already reads each plain row with the bar
 * fast path (`BarBytePath.record`) and keeps its time and its numbers as written (digits and decimal
 * count) in a `BarRecord`; lines it does not take are scanned as usual. The parse then replays the
 * record (`BarReplayPath`): it scales the numbers to the precision found, makes the checks the
 * reference decoder makes, in order (2^53 limit, tick grid, low <= open, close <= high, time
 * order, adjusting) and makes the events, so each byte is parsed once. Any row the replay cannot
 * vouch for goes to the reference decoder, as with the byte fast path.
 */

/** Most rows a record keeps (about 70 bytes each, some 37 MB); a longer file is parsed the usual way. */
const MAX_ROWS = 1 << 19;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
/** Numbers per row: open, high, low, close, adjusted close, volume. */
const W = 6;
/** Bytes per row of a record: time and numbers (float64), start and end (int32), decimals (uint8). */
const ROW_BYTES = 8 * (1 + W) + 4 + 4 + W;

/** The rows of the first pass: offsets in the file buffer, time, and numbers as written. */
export class BarRecord implements BarRecorder {
  /** Rows kept. */
  count = 0;
  /** True when a row did not fit (the record is then not used). */
  full = false;
  /** Most decimals of an open/high/low/close, and of a volume, over the rows kept. */
  price = 0;
  size = 0;
  start!: Int32Array;
  end!: Int32Array;
  time!: Float64Array;
  digits!: Float64Array;
  decimals!: Uint8Array;
  /** The pooled memory under the five arrays (undefined once released). */
  private memory: ArrayBuffer | undefined;

  constructor(
    private readonly hasVolume: boolean,
    capacity = 1024,
  ) {
    this.place(capacity);
  }

  /** Lays the five arrays for `capacity` rows over one buffer from the pool (contents undefined). */
  private place(capacity: number): void {
    const memory = scratchBuffers.take(capacity * ROW_BYTES);
    this.memory = memory;
    this.time = new Float64Array(memory, 0, capacity);
    this.digits = new Float64Array(memory, capacity * 8, capacity * W);
    this.start = new Int32Array(memory, capacity * 8 * (1 + W), capacity);
    this.end = new Int32Array(memory, capacity * (8 * (1 + W) + 4), capacity);
    this.decimals = new Uint8Array(memory, capacity * (8 * (1 + W) + 8), capacity * W);
  }

  /** Gives the memory back to the pool once the replay is done (the record is empty afterwards). */
  release(): void {
    if (this.memory === undefined) return;
    scratchBuffers.give(this.memory);
    this.memory = undefined;
    this.count = 0;
    this.place(0);
  }

  add(start: number, end: number, time: number, values: Float64Array, decimals: Uint8Array): boolean {
    const k = this.count;
    if (k === this.start.length && !this.grow()) return false;
    this.count = k + 1;
    this.start[k] = start;
    this.end[k] = end;
    this.time[k] = time;
    const j = k * W;
    const M = this.digits;
    const D = this.decimals;
    M[j] = values[R_OPEN]!;
    M[j + 1] = values[R_HIGH]!;
    M[j + 2] = values[R_LOW]!;
    M[j + 3] = values[R_CLOSE]!;
    M[j + 4] = values[R_ADJ]!;
    M[j + 5] = values[R_VOLUME]!;
    const o = decimals[R_OPEN]!;
    const h = decimals[R_HIGH]!;
    const l = decimals[R_LOW]!;
    const c = decimals[R_CLOSE]!;
    D[j] = o;
    D[j + 1] = h;
    D[j + 2] = l;
    D[j + 3] = c;
    D[j + 4] = decimals[R_ADJ]!;
    D[j + 5] = decimals[R_VOLUME]!;
    let p = this.price;
    if (o > p) p = o;
    if (h > p) p = h;
    if (l > p) p = l;
    if (c > p) p = c;
    this.price = p;
    if (this.hasVolume && D[j + 5]! > this.size) this.size = D[j + 5]!;
    return true;
  }

  private grow(): boolean {
    const n = Math.max(1024, this.start.length * 2);
    if (n > MAX_ROWS) {
      this.full = true;
      return false;
    }
    const { start, end, time, digits, decimals, memory } = this;
    this.place(n);
    this.start.set(start);
    this.end.set(end);
    this.time.set(time);
    this.digits.set(digits);
    this.decimals.set(decimals);
    if (memory !== undefined) scratchBuffers.give(memory);
    return true;
  }
}

/**
 * The precision scan's byte pass that also fills a `BarRecord`: rows the bar fast path takes are
 * recorded and counted here; every other line goes to the standard scan's line walker, so the
 * counts are the standard scan's.
 */
export class RecordingScan implements ByteScan {
  price = 0;
  size = 0;
  rows = 0;
  /** Made on the first data row (the layout comes from it). */
  readonly record: BarRecord;
  private readonly path: BarBytePath;

  constructor(
    private readonly standard: PrecisionBytes,
    layout: BarByteLayout,
    path: BarBytePath,
    fileBytes: number,
  ) {
    // room for lines of 40 bytes (a bar row is rarely shorter), grown if need be
    this.record = new BarRecord(layout.volume >= 0, Math.max(1024, Math.min(MAX_ROWS, Math.ceil(fileBytes / 40))));
    this.path = path;
  }

  scan(buf: Buffer, from: number): void {
    const std = this.standard;
    const rec = this.record;
    std.price = this.price;
    std.size = this.size;
    std.rows = this.rows;
    const b = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
    const len = b.length;
    let p = from;
    while (p < len) {
      if (rec.full) {
        std.scan(buf, p);
        break;
      }
      p = this.path.record(buf, p, rec);
      std.rows += this.path.rows;
      if (p >= len) break;
      p = std.scanLine(b, p);
    }
    this.price = Math.max(std.price, rec.price);
    this.size = Math.max(std.size, rec.size);
    this.rows = std.rows;
  }
}

/**
 * The second pass of a fused load: the parse's fast path that replays the record (see the module
 * comment). Lines not in the record go to the byte fast path, then to the reference path.
 */
export class BarReplayPath implements ByteRowPath<BarEvent, BarSink> {
  line = 0;
  rows = 0;
  /** The next row of the record. */
  private k = 0;

  constructor(
    private readonly rec: BarRecord,
    private readonly inst: Instrument,
    private readonly clock: BarClock,
    private readonly layout: BarByteLayout,
    private readonly bytes: BarBytePath | undefined,
  ) {}

  run(buf: Buffer, pos: number, out: BarSink): number {
    const base = buf.byteOffset;
    const b = new Uint8Array(buf.buffer, base, buf.length);
    const len = b.length;
    const rec = this.rec;
    const n = rec.count;
    const S = rec.start;
    const E = rec.end;
    const TM = rec.time;
    const M = rec.digits;
    const D = rec.decimals;
    const inst = this.inst;
    const P = inst.pricePrecision;
    const SP = inst.sizePrecision;
    const tick = inst.tickUnits;
    const ps = inst.priceScale;
    const ss = inst.sizeScale;
    const validate = this.layout.validate;
    const hasVolume = this.layout.volume >= 0;
    const adjusting = this.layout.adjClose >= 0;
    let k = this.k;
    while (k < n && S[k]! < base + pos) k++; // rows the reference path took
    let last = this.clock.lastTime;
    let line = this.line;
    let rows = 0;
    let replayed = 0;
    let at = pos;
    while (at < len) {
      if (k < n && S[k] === base + at) {
        const j = k * W;
        const fo = D[j]!;
        const fh = D[j + 1]!;
        const fl = D[j + 2]!;
        const fcl = D[j + 3]!;
        if (fo > P || fh > P || fl > P || fcl > P) break;
        // the reference's arithmetic, step by step: the same doubles, and the same 2^53 limit
        let o = M[j]!;
        if (fo < P) o *= pow10(P - fo);
        let h = M[j + 1]!;
        if (fh < P) h *= pow10(P - fh);
        let l = M[j + 2]!;
        if (fl < P) l *= pow10(P - fl);
        let c = M[j + 3]!;
        if (fcl < P) c *= pow10(P - fcl);
        if (o > MAX_SAFE || h > MAX_SAFE || l > MAX_SAFE || c > MAX_SAFE) break;
        let v = 0;
        if (hasVolume) {
          const fv = D[j + 5]!;
          if (fv > SP) break;
          v = M[j + 5]!;
          if (fv < SP) v *= pow10(SP - fv);
          if (v > MAX_SAFE) break;
        }
        const t = TM[k]!;
        if (t < last) break;
        if (tick !== 1 && (o % tick !== 0 || h % tick !== 0 || l % tick !== 0 || c % tick !== 0)) break;
        if (validate && (h < l || o < l || o > h || c < l || c > h)) break;
        if (adjusting) {
          const fa = D[j + 4]!;
          if (fa > P) break;
          let adj = M[j + 4]!;
          if (fa < P) adj *= pow10(P - fa);
          if (adj > MAX_SAFE || adj <= 0 || c <= 0) break;
          const r = adj / c / tick;
          o = Math.round(o * r) * tick;
          h = Math.round(h * r) * tick;
          l = Math.round(l * r) * tick;
          c = Math.round(adj / tick) * tick;
        }
        out.bar(t, o / ps, h / ps, l / ps, c / ps, hasVolume ? v / ss : 0);
        last = t;
        line++;
        rows++;
        replayed++;
        at = E[k]! - base;
        k++;
        continue;
      }
      const c0 = b[at];
      if (c0 === 10 || (c0 === 13 && at + 1 < len && b[at + 1] === 10)) {
        line++; // blank line
        at += c0 === 10 ? 1 : 2;
        continue;
      }
      // a line the first pass did not take (in a chunk with a quote, say): the byte fast path
      const fast = this.bytes;
      if (fast === undefined) break;
      this.clock.lastTime = last;
      fast.line = line;
      const q = fast.run(buf, at, out);
      if (q === at) break;
      line = fast.line;
      rows += fast.rows;
      last = this.clock.lastTime;
      at = q;
      while (k < n && S[k]! < base + at) k++;
    }
    this.clock.lastTime = last;
    this.k = k;
    this.line = line;
    this.rows = rows;
    countFastRows(replayed);
    return at;
  }
}
