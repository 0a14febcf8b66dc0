/**
 * ABIDES's order size model (abides-markets `OrderSizeModel`, used by every RMSC04 background agent):
 * a mixture of a log-normal (weight 0.2, log-mean 2.9, log-sd 1.2: median about 18 shares) and narrow
 * normals (sd 0.15, so they round to exactly) at 100, 200, ..., 1000 shares with weights 0.7, 0.06, 0.004,
 * 0.0329, 0.001, 0.0006, 0.0004, 0.0005, 0.0003, 0.0003. Sizes are rounded to whole lots; a draw of 0 means
 * "no order" (as in ABIDES, which skips orders of size 0).
 */
import type { Rng } from '../../../core/rng.ts';

/** Weights of the 100-share multiples 100..1000 in ABIDES's mixture (after the log-normal's 0.2). */
const ROUND_WEIGHTS = [0.7, 0.06, 0.004, 0.0329, 0.001, 0.0006, 0.0004, 0.0005, 0.0003, 0.0003];
const LOGNORMAL_WEIGHT = 0.2;
const LOG_MEAN = 2.9;
const LOG_SD = 1.2;

/** Draws order sizes in lots from ABIDES's mixture. Stateless: the stream is passed in. */
export class OrderSizeModel {
  /** Cumulative weights of the components (log-normal first). */
  private readonly cdf: Float64Array;

  constructor() {
    this.cdf = new Float64Array(ROUND_WEIGHTS.length + 1);
    let c = LOGNORMAL_WEIGHT;
    this.cdf[0] = c;
    for (let i = 0; i < ROUND_WEIGHTS.length; i++) {
      c += ROUND_WEIGHTS[i]!;
      this.cdf[i + 1] = c;
    }
  }

  /** One size in lots (an integer >= 0). */
  sample(rng: Rng): number {
    const u = rng.next() * this.cdf[this.cdf.length - 1]!;
    if (u < this.cdf[0]!) return Math.round(Math.exp(LOG_MEAN + LOG_SD * rng.normal()));
    const cdf = this.cdf;
    for (let i = 1; i < cdf.length; i++) if (u < cdf[i]!) return 100 * i;
    return 100 * (cdf.length - 1);
  }
}
