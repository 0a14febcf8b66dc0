/**
 * The contract every rate model of this folder meets, so a bond pricer, a macro-event schedule and a
 * dealer quote source can run on any of them (Vasicek, CIR, Hull-White, dynamic Nelson-Siegel).
 * Time is in years (model time since the start), rates are continuously compounded decimals
 * (0.045 = 4.5%), shocks are in basis points.
 */
export interface Discounting {
  /** Discount factor P(t, t + tau) of the current state, tau >= 0 in years. */
  discount(tau: number): number;
}

/**
 * A rate model whose state evolves: the discount curve at the current model time, stepped forward,
 * shocked by macro events.
 */
export interface CurveDynamics extends Discounting {
  /** Model name for reports ('vasicek', 'cir', 'hull-white', 'dynamic-nelson-siegel'). */
  readonly name: string;
  /** Model time in years since the start (the sum of the `step` lengths). */
  readonly time: number;
  /** Advances the state by dt > 0 years (exact transition where the model has one). Allocates nothing. */
  step(dt: number): void;
  /** Discount factor P(t, t + tau) of the current state, tau >= 0 in years. */
  discount(tau: number): number;
  /** Continuously compounded zero yield for tau years: -ln P(t, t + tau) / tau (the short rate at tau = 0). */
  zeroYield(tau: number): number;
  /**
   * Applies a curve shock in basis points: the short end moves by `shortBp`, the long end by `longBp`.
   * One-factor short-rate models move the short rate by `shortBp` and ignore `longBp` (their long end
   * follows from the model: a move of shortBp * B(tau) / tau at maturity tau).
   */
  shock(shortBp: number, longBp: number): void;
  /** Back to the initial state at time 0 (the random stream is not rewound). */
  reset(): void;
}

/** A one-factor short-rate model's simulator: the curve plus the short rate and its running integral. */
export interface ShortRateSimulator extends CurveDynamics {
  /** The short rate r(t). */
  readonly rate: number;
  /** The integral of r over [0, t] (exact for Vasicek and Hull-White, trapezoid for CIR). */
  readonly integral: number;
}

/** Days per year used to turn microseconds into model years (Julian year; documented in docs/bond-dynamics.md). */
export const DAYS_PER_YEAR = 365.25;
/** Microseconds per model year (365.25 days). */
export const YEAR_US = DAYS_PER_YEAR * 86_400_000_000;
