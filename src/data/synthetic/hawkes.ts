import type { Rng } from '../../core/rng.ts';

/**
 * A univariate Hawkes process with an exponential kernel, simulated by Ogata's (1981) thinning.
 * Conditional intensity (time in seconds):
 *
 *     lambda(t) = m(t) mu + sum over past events t_i of alpha e^(-beta (t - t_i)),   alpha = n beta
 *
 * where `n` = alpha / beta is the branching ratio (mean number of children of one event; stationary
 * only when n < 1) and m(t) >= 0 a baseline multiplier, held constant between the caller's calls
 * with the same `limit`. With m = 1 the stationary mean count over T seconds is mu T / (1 - n).
 * n = 0 is a Poisson process of rate m mu. Validation is the caller's job (`MicrostructureOptions`).
 * Allocation-free: the state is three numbers.
 */
export class HawkesThinning {
  /** Current time of the simulation (seconds): the last accepted event or rejected candidate. */
  t = 0;
  /** Excitation sum_i alpha e^(-beta (t - t_i)) at time `t`. */
  excitation = 0;
  private readonly alpha: number;

  constructor(
    /** Baseline intensity mu, events per second (> 0). */
    readonly mu: number,
    /** Branching ratio n = alpha / beta, in [0, 1). */
    readonly branchingRatio: number,
    /** Kernel decay beta, per second (> 0). */
    readonly decay: number,
    private readonly rng: Rng,
  ) {
    this.alpha = branchingRatio * decay;
  }

  /** Restarts at time `t0` with no excitation. */
  reset(t0: number): void {
    this.t = t0;
    this.excitation = 0;
  }

  /**
   * The next event time in (t, limit) for baseline multiplier `m`, or NaN when there is none: then
   * `t` is moved to `limit` (the exponential's lack of memory makes restarting there exact). On an
   * event `t` becomes its time and the excitation jumps by alpha.
   */
  next(limit: number, m: number): number {
    const base = m * this.mu;
    for (;;) {
      const bound = base + this.excitation; // intensity only decays until the next event: a valid bound
      const w = bound > 0 ? this.rng.exponential(bound) : Infinity;
      if (this.t + w >= limit) {
        this.excitation *= Math.exp(-this.decay * (limit - this.t));
        this.t = limit;
        return NaN;
      }
      this.t += w;
      this.excitation *= Math.exp(-this.decay * w);
      if (this.rng.next() * bound <= base + this.excitation) {
        this.excitation += this.alpha;
        return this.t;
      }
    }
  }
}
