import { MarketsimError } from '../../core/errors.ts';
import { US_PER_MINUTE, US_PER_SECOND } from '../../core/time.ts';
import type { Side } from '../../market/order.ts';

/**
 * Limit Up-Limit Down (the "Plan to Address Extraordinary Market Volatility", as amended through its
 * Eighteenth Amendment, effective 2019). Rules, sources and a worked example: docs/equity-halts.md
 * section 2. Prices are integer price units of 10^-pricePrecision (`priceScale` = 10^pricePrecision);
 * times are microseconds.
 */

/** Tier 1: S&P 500, Russell 1000 and selected ETPs. Tier 2: every other NMS stock. */
export type LuldTier = 1 | 2;

/**
 * CLOSED: outside the regular session (before `onOpen`, after the close). NORMAL: bands in force.
 * LIMIT_STATE: the best offer sits on the upper band (or the best bid on the lower band); trading goes on
 * within the bands. HALTED: a 5-minute trading pause. REOPENING: the pause is over and the stock waits
 * for its reopening auction (`reopen`).
 */
export type LuldState = 'CLOSED' | 'NORMAL' | 'LIMIT_STATE' | 'HALTED' | 'REOPENING';

/** Which band a limit state (or the pause that follows it) is at. */
export type LuldLimitSide = 'UP' | 'DOWN' | 'NONE';

/** What to do with an order's limit price given the bands (see `LuldMonitor.orderAction`). */
export type LuldOrderAction = 'ACCEPT' | 'REPRICE' | 'REJECT';

/**
 * How orders priced through a band are treated. REPRICE (default): a buy priced above the upper band is
 * repriced to the upper band, a sell priced below the lower band to the lower band (as NYSE Rule 7.11 and
 * Nasdaq's price band repricing do). REJECT: such orders are refused (reason OUTSIDE_PRICE_BAND).
 */
export type LuldBandPolicy = 'REPRICE' | 'REJECT';

/** Receives the monitor's output synchronously. Do not call back into the monitor from a callback. */
export interface LuldListener {
  /** New price bands (price units): after the open, a 1% reference move, a limit-state exit, a doubling change, a reopening. */
  bands?(time: number, reference: number, lower: number, upper: number): void;
  /** A state change; `side` is the band of a limit state or pause, 'NONE' otherwise. */
  state?(time: number, from: LuldState, to: LuldState, side: LuldLimitSide): void;
}

/** Options of a `LuldMonitor`. Durations in microseconds; the defaults are the Plan's. */
export interface LuldOptions {
  tier: LuldTier;
  /** 10^pricePrecision of the instrument (100 for cents); must be a positive integer. */
  priceScale: number;
  /** Symbol for error messages. */
  symbol?: string;
  /** Orders priced through a band: 'REPRICE' (default) or 'REJECT'. */
  bandPolicy?: LuldBandPolicy;
  /** Limit state length before a pause (default 15 s). */
  limitStateUs?: number;
  /** Trading pause length (default 5 min). */
  pauseUs?: number;
  /** Reference price averaging window (default 5 min). */
  windowUs?: number;
  /** A new reference price stays in effect at least this long (default 30 s). */
  minReferenceAgeUs?: number;
  /** Bands are doubled this long before the close (default 25 min) for tier 1 and tier 2 at or below $3.00. */
  closingDoubleUs?: number;
  /** Before the Eighteenth Amendment bands were also doubled in the first 15 minutes; set to 15 min to replay such dates (default 0: off). */
  openingDoubleUs?: number;
  /** A pause starting this close to the close does not reopen: the stock stays paused into the closing auction (default 10 min). */
  noReopenBeforeCloseUs?: number;
}

/**
 * Band half-width in price units (may be fractional) for a reference price, per Appendix A of the Plan:
 * previous close above $3.00: 5% (tier 1) or 10% (tier 2); $0.75 to $3.00: 20%; below $0.75: the lesser
 * of $0.15 and 75%. The percentage bucket comes from the previous close; the width applies to the
 * reference price. `doubled` multiplies the width by 2.
 */
export function luldBandWidth(tier: LuldTier, previousClose: number, reference: number, priceScale: number, doubled: boolean): number {
  let w: number;
  if (previousClose > 3 * priceScale) w = (reference * (tier === 1 ? 5 : 10)) / 100;
  else if (previousClose >= 0.75 * priceScale) w = (reference * 20) / 100;
  else w = Math.min(0.15 * priceScale, (reference * 75) / 100);
  return doubled ? 2 * w : w;
}

/** The grid bands are rounded to: $0.01 for a reference of $1.00 or more, $0.0001 below (at least one unit). */
export function luldBandIncrement(reference: number, priceScale: number): number {
  return Math.max(1, Math.round(priceScale / (reference >= priceScale ? 100 : 10_000)));
}

/** Whether the closing doubling applies: tier 1 always, tier 2 when the previous close is $3.00 or less. */
export function luldDoublesAtClose(tier: LuldTier, previousClose: number, priceScale: number): boolean {
  return tier === 1 || previousClose <= 3 * priceScale;
}

/**
 * Watches one stock's trades and quotes during the regular session and applies Limit Up-Limit Down:
 * reference price and bands, limit states, 5-minute pauses and the reopening. It decides nothing about
 * orders by itself beyond `orderAction`; the venue asks it and maps its events to status events.
 *
 * Feed it in time order: `startDay`, `onOpen` (with the opening auction price), then `onTrade` and
 * `onQuote`; call `advance(now)` at `nextDeadline()` (schedule a timer) so that a limit state turns
 * into a pause after exactly 15 s even when no data arrives. Deadlines due at or before an event's time
 * are processed before the event. Allocation-free per event once its trade window has grown.
 */
export class LuldMonitor {
  /** Tier 1 or 2. */
  readonly tier: LuldTier;
  /** 10^pricePrecision of the instrument. */
  readonly priceScale: number;
  /** Symbol used in error messages. */
  readonly symbol: string;
  /** Treatment of limit orders priced through a band. */
  readonly bandPolicy: LuldBandPolicy;
  private readonly limitStateUs: number;
  private readonly pauseUs: number;
  private readonly windowUs: number;
  private readonly minRefAgeUs: number;
  private readonly closingDoubleUs: number;
  private readonly openingDoubleUs: number;
  private readonly noReopenUs: number;
  private readonly listener: LuldListener;

  private openUs = NaN;
  private closeUs = NaN;
  private prevClose = NaN;
  private st: LuldState = 'CLOSED';
  private side: LuldLimitSide = 'NONE';
  private ref = NaN;
  private refSince = NaN;
  private lo = NaN;
  private hi = NaN;
  private bandsDoubled = false;
  /** When the bands were last computed (or a doubling boundary last checked). */
  private bandsTime = -Infinity;
  private limitSince = NaN;
  private pauseEndUs = NaN;
  private pendingRefCheck = false;
  private reopenedCount = 0;
  private pausesCount = 0;
  // trade window: ring buffer of (time, price)
  private wTime = new Float64Array(64);
  private wPrice = new Float64Array(64);
  private wHead = 0;
  private wLen = 0;
  private wSum = 0;
  /** Price a REPRICE action moved the order to (valid after `orderAction` returned REPRICE). */
  repricedTo = NaN;

  constructor(options: LuldOptions, listener: LuldListener = {}) {
    const name = options.symbol ?? 'LULD';
    const bad = (field: string, v: unknown): never => {
      throw new MarketsimError('CONFIG_INVALID', `${name}: LULD option ${field} is invalid: ${String(v)}`);
    };
    if (options.tier !== 1 && options.tier !== 2) bad('tier (1 or 2)', options.tier);
    if (!(Number.isInteger(options.priceScale) && options.priceScale > 0)) bad('priceScale', options.priceScale);
    this.tier = options.tier;
    this.priceScale = options.priceScale;
    this.symbol = name;
    this.bandPolicy = options.bandPolicy ?? 'REPRICE';
    if (this.bandPolicy !== 'REPRICE' && this.bandPolicy !== 'REJECT') bad('bandPolicy', this.bandPolicy);
    const dur = (field: keyof LuldOptions, v: number | undefined, def: number): number => {
      const x = v ?? def;
      if (!(Number.isInteger(x) && x >= 0)) bad(field, x);
      return x;
    };
    this.limitStateUs = dur('limitStateUs', options.limitStateUs, 15 * US_PER_SECOND);
    this.pauseUs = dur('pauseUs', options.pauseUs, 5 * US_PER_MINUTE);
    this.windowUs = dur('windowUs', options.windowUs, 5 * US_PER_MINUTE);
    this.minRefAgeUs = dur('minReferenceAgeUs', options.minReferenceAgeUs, 30 * US_PER_SECOND);
    this.closingDoubleUs = dur('closingDoubleUs', options.closingDoubleUs, 25 * US_PER_MINUTE);
    this.openingDoubleUs = dur('openingDoubleUs', options.openingDoubleUs, 0);
    this.noReopenUs = dur('noReopenBeforeCloseUs', options.noReopenBeforeCloseUs, 10 * US_PER_MINUTE);
    this.listener = listener;
  }

  // ------------------------------------------------------------------ read-only state

  /** Current state. */
  get state(): LuldState {
    return this.st;
  }
  /** Band of the current limit state or pause ('NONE' otherwise). */
  get limitSide(): LuldLimitSide {
    return this.side;
  }
  /** Reference price in effect, price units (fractional: an arithmetic mean), NaN when closed. */
  get reference(): number {
    return this.ref;
  }
  /** Lower price band, price units (NaN when closed). */
  get lower(): number {
    return this.lo;
  }
  /** Upper price band, price units (NaN when closed). */
  get upper(): number {
    return this.hi;
  }
  /** When the current pause ends (microseconds), NaN when not paused. */
  get pauseEnd(): number {
    return this.st === 'HALTED' ? this.pauseEndUs : NaN;
  }
  /** When the current limit state started, NaN when not in one. */
  get limitStateSince(): number {
    return this.st === 'LIMIT_STATE' ? this.limitSince : NaN;
  }
  /** Pauses so far today. */
  get pauses(): number {
    return this.pausesCount;
  }
  /** Arithmetic mean of the trade prices in the window ending at the last processed time (NaN when none). */
  get windowMean(): number {
    return this.wLen > 0 ? this.wSum / this.wLen : NaN;
  }

  // ------------------------------------------------------------------ session

  /**
   * A new trading day: regular session [openUs, closeUs) and the previous official close (price units,
   * selects the percentage bucket). The monitor stays CLOSED until `onOpen`.
   */
  startDay(openUs: number, closeUs: number, previousClose: number): void {
    if (!(Number.isFinite(openUs) && Number.isFinite(closeUs) && openUs < closeUs)) {
      throw new MarketsimError('LULD_BAD_SESSION', `${this.symbol}: LULD session must have open < close, got ${openUs}..${closeUs}`);
    }
    if (!(previousClose > 0)) throw new MarketsimError('LULD_BAD_PRICE', `${this.symbol}: LULD previous close must be > 0, got ${previousClose}`);
    this.openUs = openUs;
    this.closeUs = closeUs;
    this.prevClose = previousClose;
    this.st = 'CLOSED';
    this.side = 'NONE';
    this.ref = this.lo = this.hi = NaN;
    this.limitSince = this.pauseEndUs = NaN;
    this.pausesCount = this.reopenedCount = 0;
    this.clearWindow();
  }

  /**
   * The regular session opens (the opening auction printed `openingPrice`, price units): the first
   * reference price. NaN (no opening print) falls back to the previous close.
   */
  onOpen(time: number, openingPrice: number): void {
    if (this.openUs !== this.openUs) throw new MarketsimError('LULD_NO_SESSION', `${this.symbol}: LULD onOpen before startDay`);
    if (this.st !== 'CLOSED') throw new MarketsimError('LULD_ALREADY_OPEN', `${this.symbol}: LULD onOpen while ${this.st}`);
    const from = this.st;
    this.st = 'NORMAL';
    this.side = 'NONE';
    this.clearWindow();
    this.setReference(time, openingPrice > 0 ? openingPrice : this.prevClose);
    this.listener.state?.(time, from, 'NORMAL', 'NONE');
  }

  /**
   * The stock reopens at `price` after a pause, a market-wide halt or a regulatory halt (the reopening
   * auction's price; NaN keeps the previous reference): the reference becomes that price, trades before
   * it leave the window, and the state becomes NORMAL. Valid in REOPENING, NORMAL and LIMIT_STATE.
   */
  reopen(time: number, price: number): void {
    this.advance(time);
    if (this.st !== 'REOPENING' && this.st !== 'NORMAL' && this.st !== 'LIMIT_STATE') {
      throw new MarketsimError('LULD_CANNOT_REOPEN', `${this.symbol}: LULD reopen while ${this.st}`);
    }
    const from = this.st;
    this.st = 'NORMAL';
    this.side = 'NONE';
    this.limitSince = this.pauseEndUs = NaN;
    this.clearWindow();
    if (from === 'REOPENING') this.reopenedCount++;
    this.setReference(time, price > 0 ? price : this.ref);
    if (from !== 'NORMAL') this.listener.state?.(time, from, 'NORMAL', 'NONE');
  }

  // ------------------------------------------------------------------ data

  /** An eligible trade print (regular session, price units). Ignored while CLOSED, HALTED or REOPENING. */
  onTrade(time: number, price: number): void {
    this.advance(time);
    if (this.st !== 'NORMAL' && this.st !== 'LIMIT_STATE') return;
    if (!(price > 0)) return;
    this.push(time, price);
    if (this.st === 'NORMAL') this.checkReference(time);
  }

  /**
   * The national best bid and offer (price units; NaN for an empty side). Enters a limit state when the
   * offer equals the upper band or the bid equals the lower band; leaves it when that quote moves off
   * the band. Ignored while CLOSED, HALTED or REOPENING.
   */
  onQuote(time: number, bid: number, ask: number): void {
    this.advance(time);
    if (this.st === 'NORMAL') {
      this.checkReference(time);
      this.maybeEnterLimit(time, bid, ask);
    } else if (this.st === 'LIMIT_STATE') {
      const still = this.side === 'UP' ? ask === this.hi : bid === this.lo;
      if (still) return;
      // Exit: new bands from the mean of the last window (which includes the limit state's trades)
      this.st = 'NORMAL';
      const side = this.side;
      this.side = 'NONE';
      this.limitSince = NaN;
      this.listener.state?.(time, 'LIMIT_STATE', 'NORMAL', side);
      this.setReference(time, this.wLen > 0 ? this.wSum / this.wLen : this.ref);
      this.maybeEnterLimit(time, bid, ask);
    }
  }

  /**
   * Processes every deadline at or before `now` (in time order, each at its own time): the close, a
   * limit state reaching 15 s, a pause ending, a doubling boundary, a delayed reference update.
   */
  advance(now: number): void {
    for (let guard = 0; guard < 64; guard++) {
      const d = this.nextDeadline();
      if (!(d <= now)) return;
      this.fire(d);
    }
    throw new MarketsimError('LULD_INTERNAL', `${this.symbol}: LULD deadlines did not settle at ${now}`);
  }

  /** The next time `advance` has something to do (Infinity when nothing is scheduled). */
  nextDeadline(): number {
    const st = this.st;
    if (st === 'CLOSED') return Infinity;
    let d = this.closeUs;
    if (st === 'LIMIT_STATE') d = Math.min(d, this.limitSince + this.limitStateUs);
    else if (st === 'HALTED') d = Math.min(d, this.pauseEndUs);
    else if (st === 'NORMAL') {
      const b = this.nextDoublingBoundary();
      if (b < d) d = b;
      if (this.pendingRefCheck) d = Math.min(d, this.refSince + this.minRefAgeUs);
    }
    return d;
  }

  // ------------------------------------------------------------------ orders

  /**
   * What the band policy does with a limit order (price units; NaN for a market order). Only a buy priced
   * above the upper band or a sell priced below the lower band is affected: REPRICE (then `repricedTo`
   * holds the band) or REJECT, per `bandPolicy`. Market orders are ACCEPTed: the venue must not execute
   * them beyond `executableLimit(side)` (see docs). Outside NORMAL/LIMIT_STATE everything is ACCEPTed
   * here (halts are HaltState's business).
   */
  orderAction(side: Side, price: number): LuldOrderAction {
    if ((this.st !== 'NORMAL' && this.st !== 'LIMIT_STATE') || price !== price) return 'ACCEPT';
    const through = side === 'BUY' ? price > this.hi : price < this.lo;
    if (!through) return 'ACCEPT';
    if (this.bandPolicy === 'REJECT') return 'REJECT';
    this.repricedTo = side === 'BUY' ? this.hi : this.lo;
    return 'REPRICE';
  }

  /** The worst price an order on `side` may execute at now: the upper band for buys, the lower for sells (NaN: no band). */
  executableLimit(side: Side): number {
    if (this.st !== 'NORMAL' && this.st !== 'LIMIT_STATE') return NaN;
    return side === 'BUY' ? this.hi : this.lo;
  }

  // ------------------------------------------------------------------ internals

  private fire(t: number): void {
    const st = this.st;
    if (t >= this.closeUs) {
      this.st = 'CLOSED';
      const side = this.side;
      this.side = 'NONE';
      this.ref = this.lo = this.hi = NaN;
      this.limitSince = this.pauseEndUs = NaN;
      this.pendingRefCheck = false;
      this.listener.state?.(t, st, 'CLOSED', side);
      return;
    }
    if (st === 'LIMIT_STATE' && t >= this.limitSince + this.limitStateUs) {
      this.st = 'HALTED';
      this.pausesCount++;
      this.pauseEndUs = t >= this.closeUs - this.noReopenUs ? this.closeUs : t + this.pauseUs;
      this.clearWindow();
      this.listener.state?.(t, 'LIMIT_STATE', 'HALTED', this.side);
      return;
    }
    if (st === 'HALTED' && t >= this.pauseEndUs) {
      this.st = 'REOPENING';
      this.listener.state?.(t, 'HALTED', 'REOPENING', this.side);
      return;
    }
    if (st === 'NORMAL') {
      if (this.doubledAt(t) !== this.bandsDoubled) this.setReference(t, this.ref, true);
      else this.bandsTime = t;
      if (this.pendingRefCheck && t >= this.refSince + this.minRefAgeUs) {
        this.pendingRefCheck = false;
        this.checkReference(t);
      }
    }
  }

  private maybeEnterLimit(time: number, bid: number, ask: number): void {
    const side: LuldLimitSide = ask === this.hi ? 'UP' : bid === this.lo ? 'DOWN' : 'NONE';
    if (side === 'NONE') return;
    this.st = 'LIMIT_STATE';
    this.side = side;
    this.limitSince = time;
    this.pendingRefCheck = false;
    this.listener.state?.(time, 'NORMAL', 'LIMIT_STATE', side);
  }

  /** In NORMAL: the pro-forma reference (window mean) replaces the reference when it moved by 1% or more and the reference is 30 s old. */
  private checkReference(time: number): void {
    this.evict(time);
    if (this.wLen === 0) return; // no eligible trade in the window: the reference stays
    const pf = this.wSum / this.wLen;
    if (Math.abs(pf - this.ref) * 100 < this.ref) {
      this.pendingRefCheck = false;
      return;
    }
    if (time - this.refSince < this.minRefAgeUs) {
      this.pendingRefCheck = true;
      return;
    }
    this.pendingRefCheck = false;
    this.setReference(time, pf);
  }

  private setReference(time: number, ref: number, keepSince = false): void {
    if (!(ref > 0)) throw new MarketsimError('LULD_BAD_PRICE', `${this.symbol}: LULD reference price must be > 0, got ${ref}`);
    this.ref = ref;
    if (!keepSince) this.refSince = time;
    this.pendingRefCheck = false;
    const doubled = this.doubledAt(time);
    this.bandsDoubled = doubled;
    this.bandsTime = time;
    const w = luldBandWidth(this.tier, this.prevClose, ref, this.priceScale, doubled);
    const inc = luldBandIncrement(ref, this.priceScale);
    this.hi = Math.floor((ref + w) / inc + 0.5) * inc;
    this.lo = Math.max(inc, Math.floor((ref - w) / inc + 0.5) * inc);
    this.listener.bands?.(time, ref, this.lo, this.hi);
  }

  private doubledAt(t: number): boolean {
    if (this.openingDoubleUs > 0 && t < this.openUs + this.openingDoubleUs) return true;
    return this.closingDoubleUs > 0 && t >= this.closeUs - this.closingDoubleUs && luldDoublesAtClose(this.tier, this.prevClose, this.priceScale);
  }

  /** The first time after the bands were last computed at which the doubling may change (Infinity: none). */
  private nextDoublingBoundary(): number {
    let d = Infinity;
    if (this.openingDoubleUs > 0) {
      const t = this.openUs + this.openingDoubleUs;
      if (t > this.bandsTime) d = t;
    }
    if (this.closingDoubleUs > 0) {
      const t = this.closeUs - this.closingDoubleUs;
      if (t > this.bandsTime && t < d) d = t;
    }
    return d;
  }

  private push(time: number, price: number): void {
    this.evict(time);
    const cap = this.wTime.length;
    if (this.wLen === cap) {
      const t = new Float64Array(cap * 2);
      const p = new Float64Array(cap * 2);
      for (let i = 0; i < this.wLen; i++) {
        t[i] = this.wTime[(this.wHead + i) % cap]!;
        p[i] = this.wPrice[(this.wHead + i) % cap]!;
      }
      this.wTime = t;
      this.wPrice = p;
      this.wHead = 0;
    }
    const i = (this.wHead + this.wLen) % this.wTime.length;
    this.wTime[i] = time;
    this.wPrice[i] = price;
    this.wLen++;
    this.wSum += price;
  }

  /** Drops trades at or before `now - window` (the window is (now - 5 min, now]). */
  private evict(now: number): void {
    const cut = now - this.windowUs;
    const cap = this.wTime.length;
    while (this.wLen > 0 && this.wTime[this.wHead]! <= cut) {
      this.wSum -= this.wPrice[this.wHead]!;
      this.wHead = (this.wHead + 1) % cap;
      this.wLen--;
    }
    if (this.wLen === 0) this.wSum = 0; // no drift from repeated add/subtract
  }

  private clearWindow(): void {
    this.wHead = 0;
    this.wLen = 0;
    this.wSum = 0;
    this.pendingRefCheck = false;
  }
}
