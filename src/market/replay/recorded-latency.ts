import { DataError } from '../../core/errors.ts';
import { CsvCursor, readTextChunks } from '../../data/csv-reader.ts';
import type { LatencyModel } from '../latency.ts';

/**
 * A latency that depends on when the message is sent: the delay in integer microseconds (>= 0) of a
 * message sent at virtual time `time` (microseconds). `LatencyModel.delay()` takes no time; wrap a
 * timed model with `TimedLatencyAdapter` to use it there, or wrap a plain model with `untimed`.
 */
export interface TimedLatencyModel {
  delayAt(time: number): number;
}

/**
 * A latency read from a recording: rows of (time, delay) sorted by time. Assumption: between two
 * recorded rows the latency moves linearly (hftbacktest's `IntpOrderLatency`); before the first row it is
 * the first row's value, after the last row the last row's value. At a time recorded more than once, the
 * last row with that time counts. The result is rounded to the microsecond.
 *
 * Example: rows (1000 us, 200 us) and (2000 us, 400 us): a message sent at 1250 us takes 250 us;
 * at 500 us it takes 200 us; at 9000 us it takes 400 us.
 */
export class RecordedLatency implements TimedLatencyModel {
  /** Row times, microseconds, non-decreasing. */
  readonly times: Float64Array;
  /** Row delays, microseconds, >= 0. */
  readonly delays: Float64Array;
  /** Where the rows came from (`file column`), for reports. */
  readonly source: string;
  private cursor = 0;

  constructor(times: ArrayLike<number>, delays: ArrayLike<number>, source = 'recorded latency') {
    if (times.length !== delays.length) throw new RangeError(`${source}: ${times.length} times but ${delays.length} delays`);
    if (times.length === 0) throw new RangeError(`${source}: a recorded latency needs at least one row`);
    this.times = Float64Array.from(times);
    this.delays = Float64Array.from(delays);
    this.source = source;
    for (let i = 0; i < this.times.length; i++) {
      if (!Number.isFinite(this.times[i]!)) throw new RangeError(`${source}: row ${i}: time ${this.times[i]} is not finite`);
      if (i > 0 && this.times[i]! < this.times[i - 1]!) throw new RangeError(`${source}: row ${i}: time ${this.times[i]} is before the previous row's ${this.times[i - 1]}`);
      if (!(this.delays[i]! >= 0 && Number.isFinite(this.delays[i]!))) throw new RangeError(`${source}: row ${i}: delay ${this.delays[i]} must be a finite number >= 0`);
    }
  }

  /** Number of rows. */
  get rows(): number {
    return this.times.length;
  }

  /** The interpolated delay of a message sent at `time`, integer microseconds. */
  delayAt(time: number): number {
    const t = this.times;
    const n = t.length;
    if (!(time >= t[0]!)) return Math.round(this.delays[0]!);
    if (time >= t[n - 1]!) return Math.round(this.delays[n - 1]!);
    // i: the last row with t[i] <= time (so t[i + 1] > time); simulations ask in time order, so try the cached row first
    let i = this.cursor;
    if (!(t[i]! <= time && t[i + 1]! > time)) {
      let lo = 0;
      let hi = n - 1; // t[lo] <= time < t[hi]
      while (hi - lo > 1) {
        const mid = (lo + hi) >>> 1;
        if (t[mid]! <= time) lo = mid;
        else hi = mid;
      }
      i = lo;
      this.cursor = i;
    }
    const t0 = t[i]!;
    const d0 = this.delays[i]!;
    return Math.round(d0 + ((this.delays[i + 1]! - d0) * (time - t0)) / (t[i + 1]! - t0));
  }
}

/** Uses a timed latency where a `LatencyModel` is expected: the delay at the time `now()` returns (the virtual clock). */
export class TimedLatencyAdapter implements LatencyModel {
  constructor(readonly model: TimedLatencyModel, private readonly now: () => number) {}
  delay(): number {
    return this.model.delayAt(this.now());
  }
}

/** Uses a plain (constant or seeded random) `LatencyModel` where a timed one is expected; the time is ignored. */
export function untimed(model: LatencyModel): TimedLatencyModel {
  return { delayAt: () => model.delay() };
}

/** The latencies of one recording file: any of order entry, response and market data. */
export interface LatencyRecording {
  file: string;
  /** Number of data rows. */
  rows: number;
  /** Strategy -> venue (column `entry_us`). */
  entry: RecordedLatency | undefined;
  /** Venue -> strategy, order responses (column `response_us`). */
  response: RecordedLatency | undefined;
  /** Venue -> strategy, market data (column `feed_us`). */
  marketData: RecordedLatency | undefined;
}

const COLUMNS = ['time_us', 'entry_us', 'response_us', 'feed_us'] as const;
type Column = (typeof COLUMNS)[number];

/**
 * Parses a latency recording (CSV). Format (docs/queue-models.md):
 * a header naming `time_us` and at least one of `entry_us`, `response_us`, `feed_us`, in any order,
 * then one row per measurement: `time_us` the virtual time the message was sent (integer microseconds
 * since the epoch, non-decreasing down the file), the others the measured delays in microseconds
 * (decimals allowed, >= 0). Blank lines are skipped. Errors name the file, line and column.
 */
export function parseLatencyCsv(text: string, file: string): LatencyRecording {
  const p = new LatencyParser(file);
  p.chunk(text);
  return p.finish();
}

/** Reads a latency recording file (`.gz` is gunzipped); see `parseLatencyCsv` for the format. */
export async function readLatencyCsv(path: string): Promise<LatencyRecording> {
  const p = new LatencyParser(path);
  for await (const chunk of readTextChunks(path)) p.chunk(chunk);
  return p.finish();
}

class LatencyParser {
  private readonly cur = new CsvCursor();
  private header: Column[] | undefined;
  private readonly cols = new Map<Column, number[]>();
  private prevTime = -Infinity;
  private prevLine = 0;
  private lastLine = 0;
  constructor(private readonly file: string) {}

  chunk(text: string): void {
    const cur = this.cur;
    cur.load(text);
    while (cur.next()) {
      this.lastLine = cur.line;
      if (cur.badQuote >= 0) throw new DataError(this.file, cur.line, undefined, 'unclosed quote');
      if (this.header === undefined) {
        this.readHeader();
        continue;
      }
      const h = this.header;
      if (cur.count !== h.length) throw new DataError(this.file, cur.line, undefined, `expected ${h.length} columns (${h.join(',')}), got ${cur.count}: "${cur.rowText()}"`);
      for (let i = 0; i < h.length; i++) {
        const name = h[i]!;
        const raw = cur.field(i).trim();
        const v = raw === '' ? NaN : Number(raw);
        if (!Number.isFinite(v)) throw new DataError(this.file, cur.line, name, `"${raw}" is not a number`);
        if (name === 'time_us') {
          if (!Number.isSafeInteger(v) || v < 0) throw new DataError(this.file, cur.line, name, `"${raw}" is not a non-negative integer of microseconds`);
          if (v < this.prevTime) throw new DataError(this.file, cur.line, name, `time ${raw} is before the time ${this.prevTime} of line ${this.prevLine}: rows must be sorted by time`);
          this.prevTime = v;
          this.prevLine = cur.line;
        } else if (v < 0) throw new DataError(this.file, cur.line, name, `latency ${raw} us is negative`);
        this.cols.get(name)!.push(v);
      }
    }
  }

  private readHeader(): void {
    const cur = this.cur;
    const names = cur.fields().map((f) => f.trim().toLowerCase());
    const seen = new Set<string>();
    for (const n of names) {
      if (!(COLUMNS as readonly string[]).includes(n)) throw new DataError(this.file, cur.line, n, `unknown column; expected time_us and any of entry_us, response_us, feed_us`);
      if (seen.has(n)) throw new DataError(this.file, cur.line, n, 'column given twice');
      seen.add(n);
    }
    if (!seen.has('time_us')) throw new DataError(this.file, cur.line, undefined, 'the header needs a time_us column');
    if (seen.size < 2) throw new DataError(this.file, cur.line, undefined, 'the header needs at least one of entry_us, response_us, feed_us');
    this.header = names as Column[];
    for (const n of this.header) this.cols.set(n, []);
  }

  finish(): LatencyRecording {
    if (this.header === undefined) throw new DataError(this.file, 1, undefined, 'empty latency file: expected a header time_us,entry_us,response_us');
    const times = this.cols.get('time_us')!;
    if (times.length === 0) throw new DataError(this.file, this.lastLine + 1, undefined, 'no latency rows after the header');
    const model = (c: Column): RecordedLatency | undefined => {
      const d = this.cols.get(c);
      return d === undefined ? undefined : new RecordedLatency(times, d, `${this.file} ${c}`);
    };
    return { file: this.file, rows: times.length, entry: model('entry_us'), response: model('response_us'), marketData: model('feed_us') };
  }
}
