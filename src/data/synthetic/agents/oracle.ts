/**
 * ABIDES's "sparse mean-reverting oracle" (abides-markets `SparseMeanRevertingOracle`) in microseconds:
 * a fundamental value r_t that follows an Ornstein-Uhlenbeck process, advanced lazily and exactly to each
 * requested time, plus "megashocks" arriving as a Poisson process with a bimodal size (+-N(mean, var)).
 *
 *     r_t' = r_bar + (r_t - r_bar) e^(-kappa d) + sigma sqrt((1 - e^(-2 kappa d)) / (2 kappa)) Z,   d = t' - t (us)
 *     megashock at Poisson times (rate lambda): r += s * N(mean, var),  s = +-1 with probability 1/2
 *     r is rounded to an integer number of price units and kept >= 0
 *
 * Units and the one departure from the ABIDES code are in docs/agents.md ("Fundamental value").
 */
import { Rng } from '../../../core/rng.ts';
import { checkNumber, throwIssues, type Issue } from '../checks.ts';

/** Parameters of the fundamental (price units and microseconds). */
export interface OracleParams {
  /** Long-run mean r_bar, price units (RMSC04: 100,000 cents). */
  rBar: number;
  /** Mean-reversion rate per microsecond (RMSC04: 1.67e-16 per ns = 1.67e-13 per us). */
  kappa: number;
  /** Volatility, price units per sqrt(us) (RMSC04 fund_vol 5e-5 per sqrt(ns) = 1.5811e-3 per sqrt(us)). */
  sigma: number;
  /** Megashock arrival rate per microsecond (RMSC04: 2.77778e-18 per ns = 2.77778e-15 per us). */
  megashockRate: number;
  /** Mean of the megashock size, price units (RMSC04: 1000). */
  megashockMean: number;
  /** Variance of the megashock size, price units squared (RMSC04: 50,000). */
  megashockVar: number;
  /** Initial value, price units (default r_bar). */
  r0?: number;
  /** Extra shocks at fixed times (e.g. for experiments): `value` price units added at `time` us. */
  shocks?: readonly { time: number; value: number }[];
}

/** Validates oracle parameters, pushing issues under `prefix` (e.g. `oracle`). */
export function validateOracle(p: OracleParams, prefix: string, issues: Issue[]): void {
  checkNumber(issues, `${prefix}.rBar`, p.rBar, 'positive');
  checkNumber(issues, `${prefix}.kappa`, p.kappa, 'positive');
  checkNumber(issues, `${prefix}.sigma`, p.sigma, 'nonnegative');
  checkNumber(issues, `${prefix}.megashockRate`, p.megashockRate, 'nonnegative');
  checkNumber(issues, `${prefix}.megashockMean`, p.megashockMean, 'any');
  checkNumber(issues, `${prefix}.megashockVar`, p.megashockVar, 'nonnegative');
  if (p.r0 !== undefined) checkNumber(issues, `${prefix}.r0`, p.r0, 'nonnegative');
  if (p.shocks !== undefined) {
    if (!Array.isArray(p.shocks)) issues.push({ path: `${prefix}.shocks`, message: 'must be an array of { time, value }' });
    else
      p.shocks.forEach((s, i) => {
        checkNumber(issues, `${prefix}.shocks[${i}].time`, s?.time, 'nonnegative');
        checkNumber(issues, `${prefix}.shocks[${i}].value`, s?.value, 'any');
      });
  }
}

/**
 * The fundamental value process. `advance(t)` moves it to time t (never backwards: an earlier t returns the
 * current value) and returns r_t. Its draws come from its own stream, so agents observing it at different
 * times do not change each other's observations; the path depends on the times it is advanced to (as in ABIDES).
 */
export class SparseMeanRevertingOracle {
  /** The parameters (a copy). */
  readonly params: Readonly<OracleParams>;
  private readonly rng: Rng;
  private t: number;
  private r: number;
  private nextShockTime: number;
  private nextShockValue = 0;
  private readonly fixed: { time: number; value: number }[];
  private fixedIndex = 0;
  /** Megashocks applied so far (random and fixed). */
  shockCount = 0;

  /** `startTime` is the first time (us) of the process; `rng` its own stream. Throws ConfigError on bad parameters. */
  constructor(params: OracleParams, startTime: number, rng: Rng) {
    const issues: Issue[] = [];
    validateOracle(params, 'oracle', issues);
    checkNumber(issues, 'oracle.startTime', startTime, 'nonnegative');
    throwIssues(issues, 'SparseMeanRevertingOracle');
    this.params = { ...params };
    this.rng = rng;
    this.t = startTime;
    this.r = Math.round(params.r0 ?? params.rBar);
    this.fixed = [...(params.shocks ?? [])].sort((a, b) => a.time - b.time);
    this.nextShockTime = Infinity;
    this.drawShock(startTime);
  }

  /** Time of the last advance, microseconds. */
  get time(): number {
    return this.t;
  }

  /** The current value (as of `time`), price units. */
  get value(): number {
    return this.r;
  }

  /**
   * Continues the process from a later time without evolving it over the gap (e.g. from one session's close
   * to the next open: trading time only). The pending random megashock is moved by the same gap.
   */
  skipTo(time: number): void {
    if (time <= this.t) return;
    const gap = time - this.t;
    this.nextShockTime += gap;
    this.t = time;
  }

  /** Advances the fundamental to `time` (us) and returns r_time in price units. */
  advance(time: number): number {
    if (time <= this.t) return this.r;
    for (;;) {
      const fixedT = this.fixedIndex < this.fixed.length ? this.fixed[this.fixedIndex]!.time : Infinity;
      const isFixed = fixedT <= this.nextShockTime;
      const shockT = isFixed ? fixedT : this.nextShockTime;
      if (!(shockT <= time)) break;
      if (shockT > this.t) {
        this.step(shockT - this.t);
        this.t = shockT;
      }
      if (isFixed) this.apply(this.fixed[this.fixedIndex++]!.value);
      else {
        this.apply(this.nextShockValue);
        this.drawShock(this.t);
      }
    }
    this.step(time - this.t);
    this.t = time;
    return this.r;
  }

  private apply(v: number): void {
    this.shockCount++;
    const r = Math.round(this.r + v);
    this.r = r > 0 ? r : 0;
  }

  /** Exact OU transition over d microseconds. */
  private step(d: number): void {
    if (d <= 0) return;
    const p = this.params;
    const k = p.kappa;
    const decay = Math.exp(-k * d);
    const sd = p.sigma * Math.sqrt(-Math.expm1(-2 * k * d) / (2 * k));
    const v = Math.round(p.rBar + (this.r - p.rBar) * decay + sd * this.rng.normal());
    this.r = v > 0 ? v : 0;
  }

  private drawShock(from: number): void {
    const p = this.params;
    if (!(p.megashockRate > 0)) {
      this.nextShockTime = Infinity;
      return;
    }
    this.nextShockTime = from + Math.round(this.rng.exponential(p.megashockRate));
    const size = p.megashockMean + Math.sqrt(p.megashockVar) * this.rng.normal();
    this.nextShockValue = this.rng.next() < 0.5 ? size : -size;
  }
}
