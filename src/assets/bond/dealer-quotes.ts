import { ConfigError } from '../../core/errors.ts';
import type { InstrumentSpec } from '../../market/instrument.ts';
import type { BondRating } from './credit-ratings.ts';

/**
 * A dealer's two-sided quote around a model price.
 *
 * Half-spread h (price points per 100 face) = base(T) * ratingMultiplier(rating) * widen / 32, where
 * base(T) (in 32nds) is piecewise linear in the years to maturity T through the knots below (flat
 * beyond the last), so it is strictly increasing in T, and the multiplier strictly increases down the
 * rating scale. The quote is on the tick grid 1 / tickDenominator (32, 64, 128 or 256):
 *
 *     bid = floor((P - h) D) / D,   ask = ceil((P + h) D) / D,   D = tickDenominator
 *
 * so bid <= P - h < P < P + h <= ask (h > 0): the bid is rounded down and the ask up, never inside
 * the model spread.
 *
 * Default table (32nds of a point, illustrative; the shape - wider for longer maturities and lower
 * ratings - is the one documented for Treasuries by Fleming 2003, "Measuring Treasury market
 * liquidity", FRBNY Economic Policy Review, and for corporates by Edwards, Harris and Piwowar 2007,
 * "Corporate bond market transaction costs and transparency", Journal of Finance 62):
 *
 *     maturity (years)   0      2      5      10     30
 *     GOVT half-spread   1/16   1/8    1/4    3/8    3/4      (32nds)
 *
 *     rating multiplier  GOVT 1, AAA 2, AA 2.5, A 3, BBB 4, BB 8, B 12, CCC 24
 *
 * e.g. a 10-year Treasury quotes 3/8 of a 32nd either side (about 1.2 cents per 100), a 10-year BBB
 * corporate 1.5/32 either side.
 */

/** Tick denominators a dealer can quote on (1/32 or finer). */
export type TickDenominator = 32 | 64 | 128 | 256;

/** Options of `DealerQuoteModel`. */
export interface DealerQuoteOptions {
  /** Tick grid 1 / tickDenominator (default 256: an eighth of a 32nd, how on-the-run notes trade). */
  tickDenominator?: TickDenominator;
  /** Knots [years, half-spread in 32nds] of the GOVT half-spread, years strictly increasing from 0, spreads strictly increasing and > 0. */
  maturityKnots?: readonly (readonly [number, number])[];
  /** Multiplier per rating (strictly increasing from GOVT to CCC). */
  ratingMultiplier?: Partial<Record<BondRating, number>>;
}

/** Default knots of the GOVT half-spread: [years, 32nds]. */
export const DEFAULT_MATURITY_KNOTS: readonly (readonly [number, number])[] = Object.freeze([
  Object.freeze([0, 1 / 16] as const),
  Object.freeze([2, 1 / 8] as const),
  Object.freeze([5, 1 / 4] as const),
  Object.freeze([10, 3 / 8] as const),
  Object.freeze([30, 3 / 4] as const),
]);

/** Rating scale of quoting, best first. */
export const BOND_RATINGS: readonly BondRating[] = Object.freeze(['GOVT', 'AAA', 'AA', 'A', 'BBB', 'BB', 'B', 'CCC']);

/** Default rating multipliers. */
export const DEFAULT_RATING_MULTIPLIER: Readonly<Record<BondRating, number>> = Object.freeze({
  GOVT: 1,
  AAA: 2,
  AA: 2.5,
  A: 3,
  BBB: 4,
  BB: 8,
  B: 12,
  CCC: 24,
});

/** A quote (reused by `quote` when passed back in). Prices per 100 face. */
export interface DealerQuote {
  bid: number;
  ask: number;
  /** bid * tickDenominator and ask * tickDenominator (integers). */
  bidTicks: number;
  askTicks: number;
  /** The model price quoted around and the half-spread used (price points). */
  model: number;
  halfSpread: number;
}

/** Quotes bid and ask around a model price (see the module comment). */
export class DealerQuoteModel {
  readonly tickDenominator: TickDenominator;
  readonly knots: readonly (readonly [number, number])[];
  readonly ratingMultiplier: Readonly<Record<BondRating, number>>;

  constructor(options: DealerQuoteOptions = {}) {
    const issues: { path: string; message: string }[] = [];
    this.tickDenominator = options.tickDenominator ?? 256;
    if (![32, 64, 128, 256].includes(this.tickDenominator)) issues.push({ path: 'dealer.tickDenominator', message: `must be 32, 64, 128 or 256, got ${JSON.stringify(this.tickDenominator)}` });
    this.knots = options.maturityKnots ?? DEFAULT_MATURITY_KNOTS;
    if (this.knots.length < 1 || this.knots[0]![0] !== 0) issues.push({ path: 'dealer.maturityKnots', message: 'must start at 0 years' });
    this.knots.forEach(([y, s], i) => {
      if (!(Number.isFinite(y) && Number.isFinite(s) && s > 0)) issues.push({ path: `dealer.maturityKnots[${i}]`, message: `expected [years, positive 32nds], got [${y}, ${s}]` });
      if (i > 0 && !(y > this.knots[i - 1]![0] && s > this.knots[i - 1]![1])) issues.push({ path: `dealer.maturityKnots[${i}]`, message: 'years and spreads must be strictly increasing' });
    });
    this.ratingMultiplier = { ...DEFAULT_RATING_MULTIPLIER, ...(options.ratingMultiplier ?? {}) };
    BOND_RATINGS.forEach((r, i) => {
      const m = this.ratingMultiplier[r];
      if (!(Number.isFinite(m) && m > 0)) issues.push({ path: `dealer.ratingMultiplier.${r}`, message: `must be > 0, got ${m}` });
      else if (i > 0 && !(m > this.ratingMultiplier[BOND_RATINGS[i - 1]!])) issues.push({ path: `dealer.ratingMultiplier.${r}`, message: `must be greater than ${BOND_RATINGS[i - 1]}'s (${this.ratingMultiplier[BOND_RATINGS[i - 1]!]})` });
    });
    if (issues.length > 0) throw new ConfigError(issues, 'dealer quote model');
  }

  /** The tick size as a price (1 / tickDenominator). */
  get tick(): number {
    return 1 / this.tickDenominator;
  }

  /** Half-spread in price points per 100 for a rating and years to maturity (>= 0), times `widen` (>= 1 usual). */
  halfSpread(rating: BondRating, years: number, widen = 1): number {
    const m = this.ratingMultiplier[rating];
    if (m === undefined) throw new RangeError(`unknown rating '${rating}'`);
    if (!(years >= 0)) throw new RangeError(`years to maturity must be >= 0, got ${years}`);
    if (!(widen > 0)) throw new RangeError(`widening factor must be > 0, got ${widen}`);
    const k = this.knots;
    let base = k[k.length - 1]![1];
    for (let i = 1; i < k.length; i++) {
      const [y1, s1] = k[i]!;
      if (years <= y1) {
        const [y0, s0] = k[i - 1]!;
        base = s0 + ((s1 - s0) * (years - y0)) / (y1 - y0);
        break;
      }
    }
    return (base * m * widen) / 32;
  }

  /**
   * Quotes around `model` (clean price per 100, finite). Writes into `out` when given (no allocation).
   */
  quote(model: number, rating: BondRating, years: number, widen = 1, out?: DealerQuote): DealerQuote {
    if (!Number.isFinite(model)) throw new RangeError(`model price must be finite, got ${model}`);
    const h = this.halfSpread(rating, years, widen);
    const D = this.tickDenominator;
    const bt = Math.floor((model - h) * D);
    const at = Math.ceil((model + h) * D);
    const q = out ?? { bid: 0, ask: 0, bidTicks: 0, askTicks: 0, model: 0, halfSpread: 0 };
    q.bidTicks = bt;
    q.askTicks = at;
    q.bid = bt / D;
    q.ask = at / D;
    q.model = model;
    q.halfSpread = h;
    return q;
  }
}

/**
 * An instrument spec whose price grid is 1 / tickDenominator exactly: pricePrecision k = log2(D)
 * decimals (1 / 2^k has k decimals) and tickUnits 5^k (1/32 = 3125 units of 10^-5). Sizes are face
 * amounts in currency units (sizePrecision 0, lot 1000 face), multiplier 0.01 (price per 100 face).
 */
export function bondInstrumentSpec(symbol: string, tickDenominator: TickDenominator = 256, extra: Partial<InstrumentSpec> = {}): InstrumentSpec {
  const k = Math.round(Math.log2(tickDenominator));
  if (2 ** k !== tickDenominator || k < 5 || k > 8) throw new RangeError(`tickDenominator must be 32, 64, 128 or 256, got ${tickDenominator}`);
  return {
    symbol,
    assetClass: 'bond',
    pricePrecision: k,
    tickUnits: 5 ** k,
    sizePrecision: 0,
    lotUnits: 1000,
    currency: 'USD',
    multiplier: 0.01,
    ...extra,
  };
}
