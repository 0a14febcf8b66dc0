import type { Rng } from '../core/rng.ts';

/**
 * A latency model: the delay in microseconds of one message. Three are used, each separate:
 * market data (venue -> strategy), order entry (strategy -> venue) and response (venue -> strategy).
 * Random models draw from their own seeded stream, so their draws never shift another component's.
 */
export interface LatencyModel {
  /** Delay of the next message, integer microseconds >= 0. */
  delay(): number;
}

/** Every message takes exactly `us` microseconds. */
export class ConstantLatency implements LatencyModel {
  constructor(readonly us: number) {
    if (!(us >= 0 && Number.isFinite(us))) throw new RangeError(`latency must be >= 0 us, got ${us}`);
  }
  delay(): number {
    return Math.round(this.us);
  }
}

/** Uniform on [minUs, maxUs]. */
export class UniformLatency implements LatencyModel {
  constructor(readonly minUs: number, readonly maxUs: number, private readonly rng: Rng) {
    if (!(minUs >= 0 && maxUs >= minUs)) throw new RangeError(`uniform latency needs 0 <= min <= max, got ${minUs}, ${maxUs}`);
  }
  delay(): number {
    return Math.round(this.rng.uniform(this.minUs, this.maxUs));
  }
}

/**
 * Log-normal latency: `exp(mu + sigma Z)` with `mu`, `sigma` chosen so that the median is `medianUs`;
 * heavy right tail as measured network latencies have. Optionally floored at `minUs`.
 */
export class LogNormalLatency implements LatencyModel {
  private readonly mu: number;
  constructor(readonly medianUs: number, readonly sigma: number, private readonly rng: Rng, readonly minUs = 0) {
    if (!(medianUs > 0 && sigma >= 0)) throw new RangeError(`lognormal latency needs median > 0 and sigma >= 0`);
    this.mu = Math.log(medianUs);
  }
  delay(): number {
    return Math.max(this.minUs, Math.round(Math.exp(this.mu + this.sigma * this.rng.normal())));
  }
}

/** Normal latency truncated at `minUs` (default 0). */
export class NormalLatency implements LatencyModel {
  constructor(readonly meanUs: number, readonly stdUs: number, private readonly rng: Rng, readonly minUs = 0) {
    if (!(meanUs >= 0 && stdUs >= 0)) throw new RangeError(`normal latency needs mean >= 0 and std >= 0`);
  }
  delay(): number {
    return Math.max(this.minUs, Math.round(this.meanUs + this.stdUs * this.rng.normal()));
  }
}

/** Zero latency. */
export const zeroLatency: LatencyModel = { delay: () => 0 };
