import { checkNumber, throwIssues, type Issue } from './checks.ts';

/** A U-shaped curve a + b (x - 0.5)^2 of the session fraction x in [0, 1] (before normalization). */
export interface UShape {
  /** Level at mid-session (> 0). */
  a: number;
  /** Curvature (>= 0; 0 is flat). */
  b: number;
}

/** Intraday seasonality parameters: one U shape for volatility and one for volume. */
export interface SeasonalityParams {
  volatility: UShape;
  volume: UShape;
}

/**
 * Defaults for an equity session: volatility 1 + 4 (x - 0.5)^2 and volume 1 + 8 (x - 0.5)^2. Over a
 * 390-minute session the first 30 minutes then carry about 1.8x the mid-session volatility and 2.6x its
 * volume, and the last 30 minutes the same (the curve is symmetric). The U shape is the one documented
 * by Wood, McInish and Ord (1985), Harris (1986) and Admati and Pfleiderer (1988); these coefficients
 * are illustrative, chosen so that the stylized-facts test 11 (first 30 min >= 1.3x volatility and
 * >= 1.5x volume, last 30 min >= 1.2x volatility) passes with margin. Real open peaks are often higher
 * than close peaks (a J shape), which a symmetric quadratic does not model.
 */
export const DEFAULT_SEASONALITY: SeasonalityParams = { volatility: { a: 1, b: 4 }, volume: { a: 1, b: 8 } };

/** Throws a `ConfigError` naming each bad coefficient (`seasonality.volume.b: must be >= 0`). */
export function validateSeasonality(p: SeasonalityParams, where = 'seasonality'): void {
  const issues: Issue[] = [];
  for (const k of ['volatility', 'volume'] as const) {
    const u = p[k];
    if (!u || typeof u !== 'object') {
      issues.push({ path: `${where}.${k}`, message: 'must be { a, b }' });
      continue;
    }
    checkNumber(issues, `${where}.${k}.a`, u.a, 'positive');
    checkNumber(issues, `${where}.${k}.b`, u.b, 'nonnegative');
  }
  throwIssues(issues, `${where} parameters`);
}

/**
 * Multipliers of volatility and volume over a trading session, normalized to mean 1 over the session
 * (so they reshape activity without changing the daily total): m(x) = (a + b (x - 0.5)^2) / (a + b/12),
 * x the fraction of the session elapsed (a + b/12 is the mean of the curve over [0, 1]). For markets
 * with no session (24/7 crypto) use `IntradaySeasonality.none()`: every multiplier is 1.
 * Volatility multiplies the return's standard deviation, so the mean of the multipliers is 1 but the
 * daily variance grows by mean(m^2) >= 1 (1.05 for the defaults over 390 bins); divide by `sqrt(varianceFactor(bins))`
 * to keep the daily variance.
 */
export class IntradaySeasonality {
  private readonly va: number;
  private readonly vb: number;
  private readonly qa: number;
  private readonly qb: number;

  /** Validates `p`; `null` means no seasonality (all multipliers 1). */
  constructor(p: SeasonalityParams | null = DEFAULT_SEASONALITY) {
    if (p === null) {
      this.va = 1;
      this.vb = 0;
      this.qa = 1;
      this.qb = 0;
      return;
    }
    validateSeasonality(p);
    const nv = p.volatility.a + p.volatility.b / 12;
    const nq = p.volume.a + p.volume.b / 12;
    this.va = p.volatility.a / nv;
    this.vb = p.volatility.b / nv;
    this.qa = p.volume.a / nq;
    this.qb = p.volume.b / nq;
  }

  /** No seasonality: every multiplier is 1 (24/7 markets). */
  static none(): IntradaySeasonality {
    return new IntradaySeasonality(null);
  }

  /** Volatility multiplier at session fraction `x` (clamped to [0, 1]); mean 1 over [0, 1]. */
  volatility(x: number): number {
    const d = clamp(x) - 0.5;
    return this.va + this.vb * d * d;
  }

  /** Volume multiplier at session fraction `x` (clamped to [0, 1]); mean 1 over [0, 1]. */
  volume(x: number): number {
    const d = clamp(x) - 0.5;
    return this.qa + this.qb * d * d;
  }

  /** Volatility multipliers of `bins` equal bins (e.g. 390 minutes), each at its midpoint, rescaled to mean exactly 1. */
  volatilityTable(bins: number): Float64Array {
    return this.table(bins, true);
  }

  /** Volume multipliers of `bins` equal bins, each at its midpoint, rescaled to mean exactly 1. */
  volumeTable(bins: number): Float64Array {
    return this.table(bins, false);
  }

  /** mean(m^2) of `volatilityTable(bins)`: the factor by which the volatility profile scales daily variance. */
  varianceFactor(bins: number): number {
    const t = this.table(bins, true);
    let s = 0;
    for (let i = 0; i < bins; i++) s += t[i]! * t[i]!;
    return s / bins;
  }

  private table(bins: number, vol: boolean): Float64Array {
    const issues: Issue[] = [];
    if (!(Number.isSafeInteger(bins) && bins >= 1)) issues.push({ path: 'bins', message: `must be an integer >= 1, got ${bins}` });
    throwIssues(issues, 'seasonality table');
    const out = new Float64Array(bins);
    let sum = 0;
    for (let i = 0; i < bins; i++) {
      const x = (i + 0.5) / bins;
      sum += out[i] = vol ? this.volatility(x) : this.volume(x);
    }
    const k = bins / sum;
    for (let i = 0; i < bins; i++) out[i]! *= k;
    return out;
  }
}

function clamp(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}
