/** One line of `npm run bench`: a measured figure, its target, and a baseline measured in the same process. */
export interface BenchFigure {
  /** What was measured, e.g. `matching engine mixed ops`. */
  name: string;
  /** The measured value. */
  value: number;
  /** Unit of `value`, e.g. `ops/s`, `us`, `MiB`. */
  unit: string;
  /** The target in words, e.g. `>= 5,000,000 ops/s`. */
  target: string;
  /** True when the target is met. */
  pass: boolean;
  /** What the baseline is, e.g. `same loop with one await per op`. */
  baselineName: string;
  /** The baseline's value in the same unit. */
  baselineValue: number;
}

/** Runs `fn` for at least `minMs` after `warmupMs` of warm-up and returns operations per second. */
export function opsPerSecond(fn: () => number, minMs = 400, warmupMs = 150): number {
  const warmEnd = performance.now() + warmupMs;
  while (performance.now() < warmEnd) fn();
  return roundRate(fn, minMs);
}

/** Operations per second of one timed round: repeats `fn` (which returns its operation count) for at least `minMs`. */
export function roundRate(fn: () => number, minMs: number): number {
  let ops = 0;
  const t0 = performance.now();
  let t1 = t0;
  while (t1 - t0 < minMs) {
    ops += fn();
    t1 = performance.now();
  }
  return (ops * 1000) / (t1 - t0);
}

/**
 * The largest value `run` returns (a rate) over repeated runs: `warmup` runs that do not count, then
 * measured runs until `budgetMs` has passed since the first run, at least `minRuns` of them. On a
 * shared machine other processes only ever slow a run down, so the best run is the code's speed.
 */
export async function bestWithin(budgetMs: number, warmup: number, minRuns: number, run: () => number | Promise<number>): Promise<number> {
  const until = performance.now() + budgetMs;
  let best = 0;
  for (let k = 0; k < warmup + minRuns || performance.now() < until; k++) {
    const v = await run();
    if (k >= warmup) best = Math.max(best, v);
  }
  return best;
}
