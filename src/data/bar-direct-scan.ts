import { Instrument, type InstrumentSpec } from '../market/instrument.ts';
import { BarColumnBatch } from './bar-batch-source.ts';
import { BarBytePath, countFastRows, R_CLOSE, R_HIGH, R_LOW, R_OPEN, R_VOLUME, type BarByteLayout, type BarRecorder } from './bar-bytes.ts';
import type { BarRecord, RecordingScan } from './bar-record.ts';
import type { ByteScan } from './csv-scan-bytes.ts';
import { BarSplit } from './bar-split.ts';

/**
 * The optimistic first pass of a fused load (see bar-record.ts for the fused load): most bar files
 * write every price with the same number of decimals, so the precision the whole-file scan would
 * find is usually the first data row's. This pass guesses it from the first row and parses the rows
 * straight into final columns with the byte fast path (`BarBytePath.run`, every check included) at
 * that precision. If it takes every line of the file, the guess was the scan's answer (no row has
 * more decimals, and the first row has that many), so the scan's counts are known and the bars are
 * already parsed: the load then hands out these columns and parses nothing more.
 *
 * At the first line it cannot take (more decimals than the first row, a row the fast path does not
 * vouch for, a last line without a newline), or when a chunk is scanned as text without it (a quote
 * byte in the chunk: `missed`), it gives up: the columns go back to the pool and every
 * line seen so far is scanned again by the recording scan, which then goes on as if it had been there
 * from the start. Its counts and record are then exactly the recording scan's.
 *
 * With a second core, the second half of the lines is parsed on the parse worker meanwhile
 * (bar-split.ts): at the cut this scan takes the worker's rows (`tail`) and is `complete`, or walks
 * on from the cut itself.
 */
export class DirectScan implements ByteScan {
  price = 0;
  size = 0;
  rows = 0;
  /** All the bars, while every line so far was taken at the guessed precision. */
  columns: BarColumnBatch | undefined;
  /** Rows in `columns` after each chunk: the parse would make one batch of each chunk's rows. */
  readonly chunkEnds: number[] = [];
  /** The rows after `columns`' (from the cut to the end of the file), when the parse worker parsed them. */
  tail: BarColumnBatch | undefined;
  /** True once every line of the file is parsed (the worker's part taken): the scan stops there. */
  complete = false;
  /** The instrument the columns were parsed for (the guessed precisions), once the first row was read. */
  guess: Instrument | undefined;
  private direct: BarBytePath | undefined;
  /** The time of the last row the direct path took (the fast path's clock). */
  private readonly clock = { lastTime: -Infinity };
  /** The worker's part, while it runs. */
  private split: BarSplit | undefined;
  private fallback: RecordingScan | undefined;
  /** The chunks scanned so far (views of the file's bytes), to scan again if the guess fails. */
  private readonly seen: { buf: Buffer; from: number }[] = [];
  /** Rows the direct path took (and counted as fast-path rows). */
  private taken = 0;
  /** The scanner's counts when this scan started (the recording scan starts again from them). */
  private before = { price: 0, size: 0, rows: 0 };

  constructor(
    private readonly layout: BarByteLayout,
    private readonly spec: Omit<InstrumentSpec, 'pricePrecision' | 'sizePrecision'>,
    private readonly makeFallback: () => RecordingScan,
    /** The whole file's bytes (every chunk is a view of them). */
    private readonly file: Buffer,
    /** Whether the second half may be parsed on the parse worker. */
    private readonly parallel: boolean,
  ) {
    // room for lines of 40 bytes (a bar row is rarely shorter), grown if need be
    this.columns = new BarColumnBatch(Math.max(1024, Math.ceil(file.length / 40)));
  }

  /** The recording scan's record, when the guess failed. */
  get record(): BarRecord | undefined {
    return this.fallback?.record;
  }

  scan(buf: Buffer, from: number): void {
    const fb = this.fallback;
    if (fb !== undefined) {
      // the counts so far (the scanner's, which include chunks scanned as text) go on from here
      fb.price = this.price;
      fb.size = this.size;
      fb.rows = this.rows;
      fb.scan(buf, from);
      this.sync(fb);
      return;
    }
    let at = from;
    let counted = 0; // rows the scanner already counted (the first data row, read by its text scan)
    if (this.seen.length === 0) {
      this.before = { price: this.price, size: this.size, rows: this.rows };
      // the first data row ends just before `from`: the columns start with it
      if (from > 0 && buf[from - 1] === 10) {
        at = buf.lastIndexOf(10, from - 2) + 1;
        counted = 1;
      }
    }
    this.seen.push({ buf, from });
    const direct = this.direct ?? (counted === 1 ? this.start(buf, at) : undefined);
    const columns = this.columns;
    if (direct !== undefined && columns !== undefined) {
      const split = this.split;
      const offset = buf.byteOffset - this.file.byteOffset;
      if (split !== undefined && offset + buf.length > split.cut) {
        // the chunk of the cut: walk up to it, then take the worker's rows, or walk on from it
        const head = buf.subarray(0, split.cut - offset);
        const end = direct.run(head, at, columns);
        this.taken += direct.rows;
        this.rows += direct.rows - counted;
        if (end < head.length || direct.rows < counted) {
          this.giveUp();
          return;
        }
        this.split = undefined;
        const rows = split.join(this.clock.lastTime);
        if (rows !== undefined) {
          countFastRows(rows);
          this.taken += rows;
          this.rows += rows;
          this.tail = split.columns;
          this.chunkEnds.push(columns.length);
          this.complete = true;
          return;
        }
        at = head.length;
        counted = 0;
      }
      const end = direct.run(buf, at, columns);
      this.taken += direct.rows;
      this.rows += direct.rows - counted;
      if (end >= buf.length && direct.rows >= counted) {
        this.chunkEnds.push(columns.length);
        return;
      }
    }
    this.giveUp();
  }

  /** A chunk went to the text scan (a quote byte): the columns lack its rows, so give up (once). */
  missed(): void {
    if (this.fallback === undefined) this.giveUp();
  }

  /** The direct path for the precisions of the first data row at `from`, or undefined when that row is not a plain one. */
  private start(buf: Buffer, from: number): BarBytePath | undefined {
    const probe = BarBytePath.create(this.layout, undefined, { lastTime: -Infinity });
    if (probe === undefined) return undefined;
    const first = new FirstRow();
    probe.record(buf, from, first);
    if (!first.seen) return undefined;
    const price = Math.max(first.decimals[R_OPEN]!, first.decimals[R_HIGH]!, first.decimals[R_LOW]!, first.decimals[R_CLOSE]!);
    const size = this.layout.volume >= 0 ? first.decimals[R_VOLUME]! : 0;
    if (price > 15 || size > 15) return undefined;
    let guess: Instrument;
    try {
      guess = new Instrument(0, { ...this.spec, pricePrecision: price, sizePrecision: size });
    } catch {
      return undefined; // a spec that does not fit these precisions: the usual path reports it
    }
    this.guess = guess;
    this.price = Math.max(this.price, price);
    this.size = Math.max(this.size, size);
    this.direct = BarBytePath.create(this.layout, guess, this.clock);
    if (this.direct !== undefined && this.parallel) {
      const at = buf.byteOffset - this.file.byteOffset + from;
      this.split = BarSplit.start(this.file, at, buf.indexOf(10, from) + 1 - from, this.layout, guess);
    }
    return this.direct;
  }

  /** The guess failed: scan every chunk seen so far again, recording, and go on that way. */
  private giveUp(): void {
    this.split?.abandon();
    this.split = undefined;
    this.tail?.release();
    this.tail = undefined;
    this.complete = false;
    this.columns?.release();
    this.columns = undefined;
    this.guess = undefined;
    countFastRows(-this.taken); // the replay counts them again
    const fb = this.makeFallback();
    this.fallback = fb;
    fb.price = this.before.price;
    fb.size = this.before.size;
    fb.rows = this.before.rows;
    for (const { buf, from } of this.seen) fb.scan(buf, from);
    this.seen.length = 0;
    this.sync(fb);
  }

  private sync(fb: RecordingScan): void {
    this.price = fb.price;
    this.size = fb.size;
    this.rows = fb.rows;
  }
}

/** Takes the first row only, keeping its decimals by role. */
class FirstRow implements BarRecorder {
  seen = false;
  readonly decimals = new Uint8Array(9);
  add(_start: number, _end: number, _time: number, _values: Float64Array, decimals: Uint8Array): boolean {
    if (this.seen) return false;
    this.seen = true;
    this.decimals.set(decimals);
    return true;
  }
}
