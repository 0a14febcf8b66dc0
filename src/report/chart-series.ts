/**
 * Series as the charts take them: times in whole seconds (lightweight-charts' `UTCTimestamp`),
 * strictly increasing, at most a few thousand points so the page stays small and fast.
 */
export interface ChartSeries {
  /** Seconds since the Unix epoch, strictly increasing. */
  t: number[];
  v: number[];
}

/** How `downsample` picks the value of a bucket: its last sample, or its lowest (for drawdowns). */
export type BucketRule = 'last' | 'min';

/** The default maximum number of points of a chart series. */
export const MAX_POINTS = 3000;

/** Bucket width in seconds for a span so that it holds at most `maxPoints` buckets (at least 1 s). */
export function bucketSeconds(firstUs: number, lastUs: number, maxPoints = MAX_POINTS): number {
  const span = Math.floor(lastUs / 1e6) - Math.floor(firstUs / 1e6);
  return Math.max(1, Math.ceil((span + 1) / maxPoints));
}

/**
 * Reduces samples (times in microseconds, non-decreasing) to one point per bucket of `bucket`
 * seconds: the bucket's last sample or its lowest value (`rule`), at the time of the bucket's last
 * sample (floored to the second). Sub-second samples therefore collapse to one point per second.
 * Non-finite values are skipped.
 */
export function downsample(timeUs: ArrayLike<number>, value: ArrayLike<number>, bucket: number, rule: BucketRule = 'last'): ChartSeries {
  const out: ChartSeries = { t: [], v: [] };
  let key = NaN;
  for (let i = 0; i < timeUs.length; i++) {
    const x = value[i]!;
    if (!Number.isFinite(x)) continue;
    const sec = Math.floor(timeUs[i]! / 1e6);
    const k = Math.floor(sec / bucket);
    const n = out.t.length;
    if (k === key && n > 0) {
      out.t[n - 1] = sec;
      out.v[n - 1] = rule === 'min' ? Math.min(out.v[n - 1]!, x) : x;
    } else {
      key = k;
      out.t.push(sec);
      out.v.push(x);
    }
  }
  return out;
}

/** The time (seconds) of the point of `series` whose bucket holds `timeUs`, or undefined. */
export function bucketTime(series: ChartSeries, timeUs: number, bucket: number): number | undefined {
  const k = Math.floor(Math.floor(timeUs / 1e6) / bucket);
  // binary search for the first point whose bucket is >= k
  let lo = 0;
  let hi = series.t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (Math.floor(series.t[mid]! / bucket) < k) lo = mid + 1;
    else hi = mid;
  }
  return lo < series.t.length && Math.floor(series.t[lo]! / bucket) === k ? series.t[lo] : undefined;
}

/** Drawdown at each point: `equity / running peak - 1` (0 at a new high, negative below it). */
export function drawdown(equity: ArrayLike<number>): number[] {
  const out: number[] = [];
  let peak = -Infinity;
  for (let i = 0; i < equity.length; i++) {
    const e = equity[i]!;
    if (e > peak) peak = e;
    out.push(peak > 0 ? e / peak - 1 : 0);
  }
  return out;
}

/**
 * A step series (times and values, non-decreasing times) sampled at `grid` times: at each grid time,
 * the last value at or before it, 0 before the first. Both inputs sorted, so one pass.
 */
export function stepAt(grid: ArrayLike<number>, time: ArrayLike<number>, value: ArrayLike<number>): Float64Array {
  const out = new Float64Array(grid.length);
  let j = 0;
  let cur = 0;
  for (let i = 0; i < grid.length; i++) {
    const g = grid[i]!;
    while (j < time.length && time[j]! <= g) cur = value[j++]!;
    out[i] = cur;
  }
  return out;
}
