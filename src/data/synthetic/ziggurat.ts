import type { Rng } from '../../core/rng.ts';

/**
 * Standard normal draws by the ziggurat method of Marsaglia and Tsang (2000), "The Ziggurat Method for
 * Generating Random Variables", Journal of Statistical Software 5(8), with 128 layers (r = 3.442619855899,
 * layer area v = 9.91256303526217e-3), built on the 32-bit outputs of our seeded `Rng`.
 *
 * One 32-bit draw u gives the layer i (its low 7 bits) and a signed 25-bit position j (its high 25 bits,
 * so layer and position use disjoint bits: Doornik (2005) showed that reusing the same bits for both, as
 * the original code does, biases the tails). x = j * w[i] is accepted at once when |j| < k[i] (about 98.8%
 * of draws: one 32-bit draw per normal, no logarithm); otherwise the wedge test f(x) vs a uniform between
 * f(x_i) and f(x_(i-1)) decides, and the base layer samples the tail beyond r exactly (Marsaglia 1964).
 * The law is exactly N(0, 1) up to the 2^-24 resolution of the position within a layer.
 */

const R = 3.442619855899;
const V = 9.91256303526217e-3;
/** Scale of the signed 25-bit position: |j| < 2^24. */
const M = 16777216;
const U32 = 2.3283064365386963e-10;

const K = new Int32Array(128);
const W = new Float64Array(128);
const F = new Float64Array(128);
{
  let dn = R;
  let tn = dn;
  const q = V / Math.exp(-0.5 * dn * dn);
  K[0] = Math.floor((dn / q) * M);
  K[1] = 0;
  W[0] = q / M;
  W[127] = dn / M;
  F[0] = 1;
  F[127] = Math.exp(-0.5 * dn * dn);
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(V / dn + Math.exp(-0.5 * dn * dn)));
    K[i + 1] = Math.floor((dn / tn) * M);
    tn = dn;
    F[i] = Math.exp(-0.5 * dn * dn);
    W[i] = dn / M;
  }
}

/** A fast standard normal sampler over an `Rng`'s 32-bit stream (see the module comment). */
export class ZigguratNormal {
  constructor(private readonly rng: Rng) {}

  /** One N(0, 1) draw. */
  next(): number {
    const u = this.rng.nextU32();
    const i = u & 127;
    const j = (u | 0) >> 7;
    if ((j < 0 ? -j : j) < K[i]!) return j * W[i]!;
    return this.slow(i, j);
  }

  /**
   * Fills `out` with N(0, 1) draws: the same values, in the same order, as `out.length` calls of `next()`.
   * A tight loop over a typed array is about twice as fast as a call per draw from inside another object.
   */
  fill(out: Float64Array): void {
    const rng = this.rng;
    for (let n = 0; n < out.length; n++) {
      const u = rng.nextU32();
      const i = u & 127;
      const j = (u | 0) >> 7;
      out[n] = (j < 0 ? -j : j) < K[i]! ? j * W[i]! : this.slow(i, j);
    }
  }

  /** The rare path: the base layer's tail, or the wedge test, then a fresh draw. */
  private slow(i: number, j: number): number {
    const rng = this.rng;
    for (;;) {
      if (i === 0) {
        // the tail beyond R: x = -ln(U1)/R, accepted when -2 ln(U2) > x^2
        let x: number;
        let y: number;
        do {
          x = -Math.log((rng.nextU32() + 0.5) * U32) / R;
          y = -Math.log((rng.nextU32() + 0.5) * U32);
        } while (y + y < x * x);
        return j > 0 ? R + x : -R - x;
      }
      const x = j * W[i]!;
      if (F[i]! + (rng.nextU32() + 0.5) * U32 * (F[i - 1]! - F[i]!) < Math.exp(-0.5 * x * x)) return x;
      const u = rng.nextU32();
      i = u & 127;
      j = (u | 0) >> 7;
      if ((j < 0 ? -j : j) < K[i]!) return j * W[i]!;
    }
  }
}
