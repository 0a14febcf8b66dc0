/**
 * Indicator throughput: an SMA 10/30 crossover (two SMAs and a CrossOver per bar) over
 * pre-generated closes, against a naive baseline that recomputes each window's sum on every bar,
 * measured in the same process. Also the same with `exact: true` (fsum windows, bit-exact with
 * backtrader). Run alone with `node --import tsx bench/indicators.ts`.
 */
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/core/rng.ts';
import { CrossOver, SMA } from '../src/sim/indicators/index.ts';
import { opsPerSecond, type BenchFigure } from './figure.ts';

const BARS = 200_000;
const FAST = 10;
const SLOW = 30;

/** A geometric random walk of closes from a fixed seed. */
function makeCloses(n: number): Float64Array {
  const rng = new Rng(20240101, 'bench/indicators');
  const out = new Float64Array(n);
  let p = 100;
  for (let i = 0; i < n; i++) {
    p *= 1 + 0.01 * rng.normal();
    out[i] = Math.round(p * 100) / 100;
  }
  return out;
}

/** Streaming: two SMAs and a CrossOver; returns the number of crosses (to check and to keep the work). */
function streaming(closes: Float64Array, exact: boolean): number {
  const fast = new SMA(FAST, { exact });
  const slow = new SMA(SLOW, { exact });
  const cross = new CrossOver();
  let crosses = 0;
  for (let i = 0; i < closes.length; i++) {
    const c = closes[i]!;
    if (cross.update(fast.update(c), slow.update(c)) !== 0) crosses++;
  }
  return crosses;
}

/** Baseline: the mean of each window summed from scratch on every bar, same crossing rule. */
function naive(closes: Float64Array): number {
  let crosses = 0;
  let nzd = NaN;
  for (let i = SLOW - 1; i < closes.length; i++) {
    let sf = 0;
    for (let k = i - FAST + 1; k <= i; k++) sf += closes[k]!;
    let ss = 0;
    for (let k = i - SLOW + 1; k <= i; k++) ss += closes[k]!;
    const d = sf / FAST - ss / SLOW;
    if (nzd !== nzd) nzd = d;
    else {
      if ((nzd < 0 && d > 0) || (nzd > 0 && d < 0)) crosses++;
      if (d !== 0) nzd = d;
    }
  }
  return crosses;
}

/** The indicator figures for `npm run bench`. */
export async function run(): Promise<BenchFigure[]> {
  const closes = makeCloses(BARS);
  // Guard that the benchmark measures working code: the compensated and the exact streaming SMAs give
  // the same signals. (The naive baseline's plain sums leave rounding noise where the two means are
  // equal, so it signals a few extra "crosses": not comparable bit for bit.)
  const plainCrosses = streaming(closes, false);
  const exactCrosses = streaming(closes, true);
  if (plainCrosses !== exactCrosses) throw new Error(`bench/indicators: ${plainCrosses} crosses (compensated) vs ${exactCrosses} (exact)`);
  const baseline = opsPerSecond(() => (naive(closes), BARS));
  const plain = opsPerSecond(() => (streaming(closes, false), BARS));
  const exact = opsPerSecond(() => (streaming(closes, true), BARS));
  const target = 10_000_000;
  const targetExact = 3_000_000;
  return [
    {
      name: 'SMA 10/30 + CrossOver indicator updates',
      value: plain,
      unit: 'bars/s',
      target: `>= ${target.toLocaleString('en-US')} bars/s`,
      pass: plain >= target,
      baselineName: 'naive: both windows re-summed every bar',
      baselineValue: baseline,
    },
    {
      name: 'SMA 10/30 exact (fsum) + CrossOver indicator updates',
      value: exact,
      unit: 'bars/s',
      target: `>= ${targetExact.toLocaleString('en-US')} bars/s`,
      pass: exact >= targetExact,
      baselineName: 'naive: both windows re-summed every bar',
      baselineValue: baseline,
    },
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const f of await run()) console.log(f);
}
