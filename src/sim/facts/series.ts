import { MarketsimError } from '../../core/errors.ts';

/**
 * The 1-minute grid of the stylized-facts suite (docs/stylized-facts.md): bars grouped into trading
 * days (local calendar days in a time zone), each day a gap-free run of minutes from its first bar to
 * its last. A minute with no bar carries the last close with zero volume; overnight returns are never
 * formed (each day starts afresh).
 */

/** One input bar: time in microseconds since the epoch, close price, volume. */
export interface FactBar {
  time: number;
  close: number;
  volume: number;
}

/** One trading day on the minute grid. */
export interface MinuteDay {
  /** Local day number (days since 1970-01-01 in the time zone). */
  day: number;
  /** Local minute of day (0..1439) of the first grid point. */
  start: number;
  /** Close at each grid minute (carried forward over minutes without a bar). */
  closes: Float64Array;
  /** Volume at each grid minute (0 where no bar). */
  volumes: Float64Array;
  /** 1 where a bar was present, 0 where the close was carried. */
  hasBar: Uint8Array;
}

const MINUTE_US = 60_000_000;

/** Offset (microseconds to add to UTC) of a time zone at a UTC instant, cached per UTC hour. */
export class ZoneOffset {
  private readonly cache = new Map<number, number>();
  private readonly fmt: Intl.DateTimeFormat | undefined;

  /** `zone`: 'UTC' (default) or an IANA name such as 'Europe/Berlin'; throws a clear error when unknown. */
  constructor(readonly zone = 'UTC') {
    if (zone === 'UTC') return;
    try {
      this.fmt = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    } catch {
      throw new MarketsimError('CLI_INVALID', `timezone: unknown time zone '${zone}' (use UTC or an IANA name such as Europe/Berlin)`);
    }
  }

  /** Microseconds to add to a UTC time to get local wall-clock time. */
  offsetUs(timeUs: number): number {
    if (!this.fmt) return 0;
    const hour = Math.floor(timeUs / 3_600_000_000);
    let off = this.cache.get(hour);
    if (off === undefined) {
      const ms = hour * 3_600_000;
      const p: Record<string, number> = {};
      for (const part of this.fmt.formatToParts(new Date(ms))) if (part.type !== 'literal') p[part.type] = Number(part.value);
      const local = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
      off = (local - ms) * 1000;
      this.cache.set(hour, off);
    }
    return off;
  }
}

/**
 * Groups bars into local trading days on a 1-minute grid. Bars must be in time order (an error names
 * the bar index otherwise); a later bar in the same minute replaces the earlier one. Prices must be > 0.
 */
export function minuteDays(bars: readonly FactBar[], zone: ZoneOffset = new ZoneOffset()): MinuteDay[] {
  const days: MinuteDay[] = [];
  let i = 0;
  let last = -Infinity;
  const n = bars.length;
  // local minute numbers of all bars
  const mins = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const b = bars[j]!;
    if (!Number.isFinite(b.time)) throw new MarketsimError('FACTS_INPUT', `bar ${j}: time is not a finite number (${b.time})`);
    if (b.time < last) throw new MarketsimError('FACTS_INPUT', `bar ${j}: time goes back (${b.time} after ${last})`);
    if (!(b.close > 0 && Number.isFinite(b.close))) throw new MarketsimError('FACTS_INPUT', `bar ${j}: close must be a finite price > 0, got ${b.close}`);
    if (!(b.volume >= 0)) throw new MarketsimError('FACTS_INPUT', `bar ${j}: volume must be >= 0, got ${b.volume}`);
    last = b.time;
    mins[j] = Math.floor((b.time + zone.offsetUs(b.time)) / MINUTE_US);
  }
  while (i < n) {
    const day = Math.floor(mins[i]! / 1440);
    let j = i;
    while (j < n && Math.floor(mins[j]! / 1440) === day) j++;
    const first = mins[i]!;
    const len = mins[j - 1]! - first + 1;
    const closes = new Float64Array(len);
    const volumes = new Float64Array(len);
    const hasBar = new Uint8Array(len);
    for (let k = i; k < j; k++) {
      const p = mins[k]! - first;
      closes[p] = bars[k]!.close;
      volumes[p] = bars[k]!.volume;
      hasBar[p] = 1;
    }
    for (let p = 1; p < len; p++) if (!hasBar[p]) closes[p] = closes[p - 1]!;
    days.push({ day, start: first - day * 1440, closes, volumes, hasBar });
    i = j;
  }
  return days;
}

/** Per-day 1-minute log returns, with the local minute of day of each return's end and its volume. */
export interface DayReturns {
  r: Float64Array;
  /** Minute of day of each return (the minute whose close ends it). */
  slot: Int32Array;
  /** Volume of the minute ending each return. */
  vol: Float64Array;
}

/** Log returns within each day from `closes` (or a replacement close array per day, e.g. jittered). */
export function dayReturns(days: readonly MinuteDay[], closes?: readonly Float64Array[]): DayReturns[] {
  const out: DayReturns[] = [];
  for (let d = 0; d < days.length; d++) {
    const day = days[d]!;
    const c = closes ? closes[d]! : day.closes;
    const n = Math.max(0, c.length - 1);
    const r = new Float64Array(n);
    const slot = new Int32Array(n);
    const vol = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      r[t] = Math.log(c[t + 1]! / c[t]!);
      slot[t] = day.start + t + 1;
      vol[t] = day.volumes[t + 1]!;
    }
    out.push({ r, slot, vol });
  }
  return out;
}

/**
 * Divides each value by the average of its minute of day over all days, smoothed over +-`half`
 * minutes (the mean of the per-minute averages of the minutes present in the window). A value whose
 * smoothed average is 0 becomes 0.
 */
export function deseasonalize(values: readonly Float64Array[], slots: readonly Int32Array[], half = 7, abs = true): Float64Array[] {
  const sum = new Float64Array(1440);
  const cnt = new Float64Array(1440);
  for (let d = 0; d < values.length; d++) {
    const v = values[d]!;
    const s = slots[d]!;
    for (let t = 0; t < v.length; t++) {
      sum[s[t]!] += abs ? Math.abs(v[t]!) : v[t]!;
      cnt[s[t]!]! += 1;
    }
  }
  const smooth = new Float64Array(1440);
  for (let m = 0; m < 1440; m++) {
    let a = 0;
    let k = 0;
    for (let q = Math.max(0, m - half); q <= Math.min(1439, m + half); q++) {
      if (cnt[q]! > 0) {
        a += sum[q]! / cnt[q]!;
        k++;
      }
    }
    smooth[m] = k > 0 ? a / k : 0;
  }
  return values.map((v, d) => {
    const s = slots[d]!;
    const o = new Float64Array(v.length);
    for (let t = 0; t < v.length; t++) {
      const w = smooth[s[t]!]!;
      o[t] = w > 0 ? v[t]! / w : 0;
    }
    return o;
  });
}

/** All days' values in one array (days in order). */
export function concat(values: readonly Float64Array[]): Float64Array {
  let n = 0;
  for (const v of values) n += v.length;
  const o = new Float64Array(n);
  let i = 0;
  for (const v of values) {
    o.set(v, i);
    i += v.length;
  }
  return o;
}
