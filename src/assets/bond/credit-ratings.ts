/**
 * Rating scale and the per-rating defaults of the credit model (src/assets/bond/credit-spread.ts)
 * and the dealer spreads (src/assets/bond/dealer-quotes.ts).
 *
 * Spreads (bp over Treasuries) are round numbers of the order of the ICE BofA US corporate
 * option-adjusted spreads by rating published on FRED (series BAMLC0A1CAAA, BAMLC0A2CAA,
 * BAMLC0A3CA, BAMLC0A4CBBB, BAMLH0A1HYBB, BAMLH0A2HYB, BAMLH0A3HYC) in 2024-2025; illustrative,
 * not a calibration. Downgrade intensities are round numbers of the order of the one-notch-or-more
 * one-year downgrade frequencies in S&P's annual global corporate default and rating transition
 * studies (illustrative). Default itself comes from the hazard rate, not from these.
 */

/** Credit ratings, best first (letter grades without notches). */
export const CREDIT_RATINGS = ['AAA', 'AA', 'A', 'BBB', 'BB', 'B', 'CCC'] as const;
/** A credit rating. */
export type CreditRating = (typeof CREDIT_RATINGS)[number];
/** A bond's rating for quoting: a government bond or a credit rating. */
export type BondRating = 'GOVT' | CreditRating;

/** Long-run spread by rating, bp. */
export const DEFAULT_SPREAD_BP: Readonly<Record<CreditRating, number>> = Object.freeze({
  AAA: 40,
  AA: 55,
  A: 80,
  BBB: 120,
  BB: 220,
  B: 350,
  CCC: 850,
});

/** Downgrade intensity by rating, per year (a one-notch downgrade arrives as a Poisson event). */
export const DEFAULT_DOWNGRADE_RATE: Readonly<Record<CreditRating, number>> = Object.freeze({
  AAA: 0.08,
  AA: 0.08,
  A: 0.06,
  BBB: 0.05,
  BB: 0.08,
  B: 0.06,
  CCC: 0,
});

/** Index of a rating on the scale (AAA = 0 .. CCC = 6), -1 for an unknown text. */
export function ratingIndex(r: string): number {
  return (CREDIT_RATINGS as readonly string[]).indexOf(r);
}

/** True for a known credit rating. */
export function isCreditRating(r: unknown): r is CreditRating {
  return typeof r === 'string' && ratingIndex(r) >= 0;
}

/** The rating one notch below (CCC stays CCC). */
export function downgradeOf(r: CreditRating): CreditRating {
  const i = ratingIndex(r);
  return CREDIT_RATINGS[Math.min(CREDIT_RATINGS.length - 1, i + 1)]!;
}

/**
 * The letter grade of a notched rating ('AA+' -> 'AA', 'BBB-' -> 'BBB'; 'CCC+', 'CC' and 'C' -> 'CCC'),
 * undefined for 'D' (in default) or an unknown text.
 */
export function letterRating(notched: string): CreditRating | undefined {
  const s = notched.trim().toUpperCase().replace(/[+-]$/, '');
  if (s === 'CC' || s === 'C') return 'CCC';
  return isCreditRating(s) ? s : undefined;
}
