import { MarketsimError } from '../../core/errors.ts';
import { RATE_ONE } from './fee-tiers.ts';
import { truncate } from '../../core/arrays.ts';

/**
 * Perpetual-futures prices, Binance style (binance.com/en/support/faq "Mark Price and Price Index",
 * "Introduction to Binance Futures Funding Rates"):
 * - index price: a weighted average of spot prices on several venues;
 * - premium index P = [max(0, impact bid - index) - max(0, index - impact ask)] / index, sampled
 *   regularly; the funding uses the weighted average with weights 1, 2, ..., n (later samples count more);
 * - funding rate F = P + clamp(I - P, -0.05%, +0.05%), I = 0.01% per 8-hour interval, optionally capped;
 * - mark price = median(index x (1 + F x time to next funding / interval), index + EMA of the basis,
 *   last price); mode `ema` uses index + EMA of the basis alone.
 * Prices are integer price units of the contract; rates integer rate units of 1e-8.
 */

/** One constituent of an index: a venue's spot price, its weight and the time it was seen. */
interface Constituent {
  weight: number;
  price: number;
  time: number;
}

/**
 * Index price: the weighted average of constituent prices (price units), ignoring those older than
 * `maxAgeSeconds` and those further than `maxDeviation` (a fraction) from the median of the fresh
 * ones; the weights of the rest are renormalized. Rounded half away from zero to a price unit.
 * Throws `INDEX_UNAVAILABLE` when no constituent is usable.
 */
export class IndexPrice {
  private readonly parts = new Map<string, Constituent>();
  readonly maxAge: number;
  readonly maxDeviation: number;
  private readonly scratch: number[] = [];

  constructor(weights: Readonly<Record<string, number>>, maxAgeSeconds = 60, maxDeviation = 0.05) {
    for (const [venue, w] of Object.entries(weights)) {
      if (!(w > 0) || !Number.isFinite(w)) throw new MarketsimError('INDEX_INVALID', `IndexPrice: weight of ${venue} must be > 0, got ${w}`);
      this.parts.set(venue, { weight: w, price: NaN, time: -Infinity });
    }
    if (this.parts.size === 0) throw new MarketsimError('INDEX_INVALID', 'IndexPrice: no constituents');
    this.maxAge = maxAgeSeconds * 1_000_000;
    this.maxDeviation = maxDeviation;
  }

  /** Records a constituent's price (price units) at `time`. */
  update(venue: string, price: number, time: number): void {
    const c = this.parts.get(venue);
    if (c === undefined) throw new MarketsimError('INDEX_INVALID', `IndexPrice: ${venue} is not a constituent`);
    if (!(price > 0)) throw new MarketsimError('PRICE_INVALID', `IndexPrice: price of ${venue} must be > 0, got ${price}`);
    c.price = price;
    c.time = time;
  }

  /** The index at `time` (price units). */
  value(time: number): number {
    const fresh = this.scratch;
    truncate(fresh, 0);
    for (const c of this.parts.values()) if (c.price === c.price && time - c.time <= this.maxAge) fresh.push(c.price);
    if (fresh.length === 0) throw new MarketsimError('INDEX_UNAVAILABLE', `IndexPrice: no constituent price within ${this.maxAge / 1e6} s of ${time}`);
    fresh.sort((a, b) => a - b);
    const m = fresh.length;
    const median = m % 2 ? fresh[(m - 1) / 2]! : (fresh[m / 2 - 1]! + fresh[m / 2]!) / 2;
    let sw = 0;
    let s = 0;
    for (const c of this.parts.values()) {
      if (!(c.price === c.price && time - c.time <= this.maxAge)) continue;
      if (Math.abs(c.price - median) > this.maxDeviation * median) continue;
      sw += c.weight;
      s += c.weight * c.price;
    }
    return Math.round(s / sw);
  }
}

/** The premium index of one sample (a fraction): [max(0, impactBid - index) - max(0, index - impactAsk)] / index. */
export function premiumIndex(index: number, impactBid: number, impactAsk: number): number {
  return (Math.max(0, impactBid - index) - Math.max(0, index - impactAsk)) / index;
}

/** Options of `FundingRate`. */
export interface FundingOptions {
  /** Interest rate per interval, rate units (default 10,000 = 0.01%). */
  interest?: number;
  /** Clamp of (I - P), rate units (default 50,000 = 0.05%). */
  clamp?: number;
  /** Optional cap and floor of the funding rate, rate units (e.g. 300,000 = 0.3%); default none. */
  cap?: number;
  /** Funding interval, hours (default 8: at 00:00, 08:00 and 16:00 UTC). */
  intervalHours?: number;
}

/**
 * Collects premium-index samples over a funding interval and computes the funding rate:
 * avgP = sum(i x P_i) / sum(i) (i = 1..n), rounded half away from zero to rate units;
 * F = avgP + clamp(I - avgP, -clamp, +clamp), then capped to [-cap, cap] when a cap is set.
 * Example: samples 0.02%, 0.04%, 0.06% -> avgP = 0.046667% -> F = avgP + clamp(-0.036667%) = 0.01%.
 */
export class FundingRate {
  readonly interest: number;
  readonly clamp: number;
  readonly cap: number;
  readonly interval: number;
  private wsum = 0;
  private n = 0;

  constructor(o: FundingOptions = {}) {
    this.interest = o.interest ?? 10_000;
    this.clamp = o.clamp ?? 50_000;
    this.cap = o.cap ?? Infinity;
    this.interval = (o.intervalHours ?? 8) * 3_600_000_000;
    if (!(this.interval > 0) || !Number.isInteger(this.interval)) throw new MarketsimError('FUNDING_INVALID', `FundingRate: intervalHours must give whole microseconds, got ${o.intervalHours}`);
  }

  /** Adds one premium-index sample (a fraction, e.g. from `premiumIndex`). */
  sample(premium: number): void {
    if (!Number.isFinite(premium)) throw new MarketsimError('FUNDING_INVALID', `FundingRate.sample: premium must be finite, got ${premium}`);
    this.n++;
    this.wsum += this.n * premium;
  }

  /** Samples so far in this interval. */
  get samples(): number {
    return this.n;
  }

  /** The weighted average premium of the interval, rate units (0 without samples). */
  averagePremium(): number {
    if (this.n === 0) return 0;
    const avg = this.wsum / ((this.n * (this.n + 1)) / 2);
    const u = avg * RATE_ONE;
    return Math.sign(u) * Math.round(Math.abs(u)) + 0;
  }

  /** The funding rate for the interval (rate units) by the clamp rule; does not reset. */
  rate(): number {
    const p = this.averagePremium();
    const d = Math.min(this.clamp, Math.max(-this.clamp, this.interest - p));
    const f = p + d;
    return Math.min(this.cap, Math.max(-this.cap, f));
  }

  /** Returns the rate and starts a new interval. */
  settle(): number {
    const r = this.rate();
    this.n = 0;
    this.wsum = 0;
    return r;
  }

  /** The next funding time strictly after `time` (multiples of the interval since the epoch: 00:00, 08:00, 16:00 UTC). */
  nextFundingTime(time: number): number {
    return (Math.floor(time / this.interval) + 1) * this.interval;
  }
}

/** Options of `MarkPrice`. */
export interface MarkPriceOptions {
  /** `median` (default, Binance): median(index x (1 + F x tLeft / interval), index + basis EMA, last); `ema`: index + basis EMA. */
  mode?: 'median' | 'ema';
  /** Time constant of the basis EMA, seconds (default 300: Binance's 5-minute basis average). */
  emaSeconds?: number;
  /** Funding interval, hours (default 8). */
  intervalHours?: number;
}

/**
 * Mark price. The basis b = mid - index decays into an EMA: ema += (1 - exp(-dt / tau)) x (b - ema)
 * at each `update` (dt since the previous update). Result in price units, rounded half away from zero.
 */
export class MarkPrice {
  readonly mode: 'median' | 'ema';
  readonly tau: number;
  readonly interval: number;
  private ema = 0;
  private last = -Infinity;

  constructor(o: MarkPriceOptions = {}) {
    this.mode = o.mode ?? 'median';
    this.tau = (o.emaSeconds ?? 300) * 1_000_000;
    this.interval = (o.intervalHours ?? 8) * 3_600_000_000;
  }

  /** The basis EMA now (price units, fractional). */
  get basis(): number {
    return this.ema;
  }

  /**
   * Updates with the index, the contract's best bid and ask (price units), the last funding rate (rate
   * units) and the last trade price (NaN when none: the median is then of the other two), and returns the mark.
   */
  update(time: number, index: number, bid: number, ask: number, lastFundingRate: number, lastPrice: number): number {
    const b = (bid + ask) / 2 - index;
    if (this.last === -Infinity) this.ema = b;
    else if (time > this.last) this.ema += (1 - Math.exp(-(time - this.last) / this.tau)) * (b - this.ema);
    if (time > this.last) this.last = time;
    const p2 = index + this.ema;
    if (this.mode === 'ema') return Math.round(p2);
    const left = this.interval - (time % this.interval);
    const p1 = index * (1 + (lastFundingRate / RATE_ONE) * (left / this.interval));
    let m: number;
    if (lastPrice !== lastPrice) m = (p1 + p2) / 2;
    else m = Math.max(Math.min(p1, p2), Math.min(Math.max(p1, p2), lastPrice));
    return Math.sign(m) * Math.round(Math.abs(m));
  }
}
