import { ConfigError } from '../../core/errors.ts';
import type { Instrument } from '../../market/instrument.ts';
import { SourceState, type EventSource, type NewsEvent, type QuoteEvent, type StatusEvent } from '../../market/market-data.ts';
import { creditEventOf, creditEventToNews, type CreditEvent } from './credit-events.ts';
import type { BondRating } from './credit-ratings.ts';
import { CreditStep, SpreadCurve, type CreditSpreadProcess } from './credit-spread.ts';
import { DealerQuoteModel, type DealerQuote, type DealerQuoteOptions } from './dealer-quotes.ts';
import { CouponBondPricer, type FixedCouponBond } from './dynamics/coupon-bond-pricer.ts';
import { YEAR_US, type CurveDynamics, type Discounting } from './dynamics/curve-dynamics.ts';
import type { MacroEventSchedule } from './dynamics/macro-events.ts';

/**
 * Dealer quotes for one bond over time, as a synchronous `EventSource` of QuoteEvent, NewsEvent and
 * StatusEvent, driven by a curve model (Vasicek, CIR, Hull-White or dynamic Nelson-Siegel), an
 * optional macro-event schedule and an optional credit process.
 *
 * - Quotes every `intervalUs` from `start` (inclusive) to `end` (exclusive), weekdays only by default;
 *   the curve steps by the elapsed time (weekends included) before each quote.
 * - A macro event at time t: the curve moves by its surprise, its NewsEvent is emitted at t, and a
 *   fresh quote follows at the same t. Dealers widen after news: the half-spread is multiplied by
 *   1 + eventSpreadSpike * 2^(-(t - t_event) / half-life) (defaults 1 and 30 minutes).
 * - With a credit process (corporate bonds): the model price discounts at the curve plus the issuer's
 *   spread; a downgrade emits a NewsEvent (`CreditNewsEvent`, with `credit`) before the quote; a
 *   default emits the NewsEvent, then a StatusEvent CLOSE whose reason names the settlement price
 *   (recovery * 100), and the source ends. `creditEvents` lists them for the ledger.
 * - Ties at one time: macro news first, then the quote. Macro events before `start` are ignored;
 *   one on a weekend (with weekdaysOnly) moves the curve and makes news, and the next weekday quote shows it.
 *
 * The QuoteEvent object is reused between quotes (copy what you keep). Sizes are decimal face amounts.
 */

/** What the source emits. */
export type DealerSourceEvent = QuoteEvent | NewsEvent | StatusEvent;

/** Options of `DealerQuoteSource`. */
export interface DealerQuoteSourceOptions {
  /** The bond's instrument; its price grid must contain the dealer's tick grid. */
  instrument: Instrument;
  /** The risk-free curve model (advanced by this source; do not share it with another source). */
  curve: CurveDynamics;
  /** The bond (coupon, maturity, frequency). */
  bond: FixedCouponBond;
  /** Model clean price per 100 at time t off a discounting (default: `CouponBondPricer` on `bond`). */
  price?: (discounting: Discounting, timeUs: number) => number;
  /** Rating for the spread table when there is no credit process (default 'GOVT'). */
  rating?: BondRating;
  /** Issuer credit process (corporate bonds): spread, downgrades, default. */
  credit?: CreditSpreadProcess;
  /** The dealer model or its options (default: `new DealerQuoteModel()`, 1/256 ticks). */
  dealer?: DealerQuoteModel | DealerQuoteOptions;
  /** Scheduled macro events. */
  macro?: MacroEventSchedule;
  /** Window, integer microseconds: [start, end). */
  start: number;
  end: number;
  /** Quote interval, integer microseconds > 0. */
  intervalUs: number;
  /** Skip Saturdays and Sundays (UTC), default true. */
  weekdaysOnly?: boolean;
  /** Bid and ask size, decimal face amount (default 1,000,000). */
  quoteSize?: number;
  /** Extra half-spread right after a macro event, as a multiple (default 1: twice as wide). */
  eventSpreadSpike?: number;
  /** Half-life of that widening, minutes (default 30). */
  eventSpreadHalfLifeMinutes?: number;
  /** Source name (default `dealer:<symbol>`). */
  name?: string;
}

const DAY_US = 86_400_000_000;

/** The synchronous dealer-quote source (see the module comment). */
export class DealerQuoteSource implements EventSource<DealerSourceEvent> {
  readonly name: string;
  current!: DealerSourceEvent;
  readonly dealer: DealerQuoteModel;
  readonly pricer: CouponBondPricer;
  /** Credit events so far (downgrades, default), for the ledger and reports. */
  readonly creditEvents: CreditEvent[] = [];
  /** Last model (clean) price and the quote around it. */
  modelPrice = NaN;
  readonly lastQuote: DealerQuote = { bid: NaN, ask: NaN, bidTicks: 0, askTicks: 0, model: NaN, halfSpread: NaN };
  private readonly o: DealerQuoteSourceOptions;
  private readonly quoteEvent: QuoteEvent;
  private readonly discounting: Discounting;
  private readonly spreadCurve: SpreadCurve | undefined;
  private readonly priceFn: (d: Discounting, t: number) => number;
  private readonly unitsPerTick: number;
  private readonly spike: number;
  private readonly halfLifeUs: number;
  private nextQuote: number;
  private macroIndex = 0;
  private curveTime: number;
  private lastEventTime = -Infinity;
  private quoteNow = NaN;
  private readonly pending: DealerSourceEvent[] = [];
  private ended = false;

  constructor(options: DealerQuoteSourceOptions) {
    const issues: { path: string; message: string }[] = [];
    const p = 'dealerSource';
    if (!Number.isInteger(options.start)) issues.push({ path: `${p}.start`, message: `must be integer microseconds, got ${options.start}` });
    if (!Number.isInteger(options.end) || !(options.end > options.start)) issues.push({ path: `${p}.end`, message: `must be integer microseconds after start, got ${options.end}` });
    if (!Number.isInteger(options.intervalUs) || !(options.intervalUs > 0)) issues.push({ path: `${p}.intervalUs`, message: `must be a positive integer, got ${options.intervalUs}` });
    if (!(options.bond.maturity > options.start)) issues.push({ path: `${p}.bond.maturity`, message: `must be after start (${options.start}), got ${options.bond.maturity}` });
    const size = options.quoteSize ?? 1_000_000;
    if (!(size > 0) || !Number.isFinite(options.instrument.sizeUnits(size))) issues.push({ path: `${p}.quoteSize`, message: `must be > 0 and on the instrument's size grid, got ${size}` });
    const spike = options.eventSpreadSpike ?? 1;
    if (!(spike >= 0)) issues.push({ path: `${p}.eventSpreadSpike`, message: `must be >= 0, got ${spike}` });
    const hl = options.eventSpreadHalfLifeMinutes ?? 30;
    if (!(hl > 0)) issues.push({ path: `${p}.eventSpreadHalfLifeMinutes`, message: `must be > 0, got ${hl}` });
    this.dealer = options.dealer instanceof DealerQuoteModel ? options.dealer : new DealerQuoteModel(options.dealer ?? {});
    // The instrument's grid must hold every dealer tick: one dealer tick = an integer number of instrument ticks.
    const ins = options.instrument;
    const unitsPerTick = ins.priceUnits(1 / this.dealer.tickDenominator);
    if (!Number.isInteger(unitsPerTick) || unitsPerTick % ins.tickUnits !== 0) {
      issues.push({ path: `${p}.instrument`, message: `${ins.symbol}'s price grid (tick ${ins.tickSize}) cannot hold 1/${this.dealer.tickDenominator}; use bondInstrumentSpec('${ins.symbol}', ${this.dealer.tickDenominator})` });
    }
    if (issues.length > 0) throw new ConfigError(issues, 'dealer quote source');
    this.o = options;
    this.name = options.name ?? `dealer:${ins.symbol}`;
    this.unitsPerTick = unitsPerTick;
    this.pricer = new CouponBondPricer(options.bond);
    this.priceFn = options.price ?? ((d, t) => this.pricer.price(d, t));
    this.spreadCurve = options.credit ? new SpreadCurve(options.curve) : undefined;
    this.discounting = this.spreadCurve ?? options.curve;
    this.spike = spike;
    this.halfLifeUs = hl * 60_000_000;
    this.nextQuote = options.start;
    this.curveTime = options.start;
    if (options.macro) while (this.macroIndex < options.macro.length && options.macro.events[this.macroIndex]!.time < options.start) this.macroIndex++;
    this.quoteEvent = { kind: 'quote', time: 0, instrument: ins, bidPrice: NaN, bidSize: size, askPrice: NaN, askSize: size };
  }

  advance(): SourceState {
    if (this.pending.length > 0) {
      this.current = this.pending.shift()!;
      return SourceState.Ready;
    }
    if (this.ended) return SourceState.End;
    const o = this.o;
    // A quote right after a macro event, at the event's time.
    const weekdays = o.weekdaysOnly ?? true;
    if (this.quoteNow === this.quoteNow) {
      const t = this.quoteNow;
      this.quoteNow = NaN;
      if (!(weekdays && isUtcWeekend(t))) return this.quoteAt(t);
    }
    while (weekdays && this.nextQuote < o.end && isUtcWeekend(this.nextQuote)) this.nextQuote += o.intervalUs;
    const stop = Math.min(o.end, o.bond.maturity);
    const tq = this.nextQuote < stop ? this.nextQuote : Infinity;
    const macro = o.macro;
    const te = macro && this.macroIndex < macro.length && macro.events[this.macroIndex]!.time < stop ? macro.events[this.macroIndex]!.time : Infinity;
    if (tq === Infinity && te === Infinity) {
      this.ended = true;
      return SourceState.End;
    }
    if (te <= tq) {
      this.advanceCurve(te);
      macro!.apply(o.curve, this.macroIndex);
      this.current = macro!.news(this.macroIndex);
      this.macroIndex++;
      this.lastEventTime = te;
      this.quoteNow = te;
      if (tq === te) this.nextQuote += o.intervalUs; // the re-quote at te replaces the scheduled one
      return SourceState.Ready;
    }
    this.nextQuote += o.intervalUs;
    return this.quoteAt(tq);
  }

  refill(): Promise<void> {
    return Promise.resolve();
  }

  close(): void {
    this.ended = true;
    this.pending.length = 0;
  }

  private advanceCurve(t: number): number {
    const dtUs = t - this.curveTime;
    if (dtUs > 0) {
      this.o.curve.step(dtUs / YEAR_US);
      this.curveTime = t;
    }
    return dtUs;
  }

  private quoteAt(t: number): SourceState {
    const o = this.o;
    const dtUs = this.advanceCurve(t);
    let rating: BondRating = o.rating ?? 'GOVT';
    let news: NewsEvent | undefined;
    const credit = o.credit;
    if (credit) {
      const r = dtUs > 0 ? credit.step(dtUs / YEAR_US) : CreditStep.None;
      const ev = creditEventOf(credit, r, o.instrument.symbol, t);
      if (ev) {
        this.creditEvents.push(ev);
        news = creditEventToNews(ev, o.instrument);
        if (ev.type === 'default') {
          this.ended = true;
          this.current = news;
          this.pending.push({ kind: 'status', time: t, instrument: o.instrument, status: 'CLOSE', reason: `default: settles at recovery ${ev.settlementPrice.toFixed(2)} per 100` });
          return SourceState.Ready;
        }
      }
      rating = credit.rating;
      this.spreadCurve!.spreadBp = credit.spreadBp;
    }
    const model = this.priceFn(this.discounting, t);
    this.modelPrice = model;
    const widen = t >= this.lastEventTime ? 1 + this.spike * Math.pow(2, -(t - this.lastEventTime) / this.halfLifeUs) : 1;
    const q = this.dealer.quote(model, rating, (o.bond.maturity - t) / YEAR_US, widen, this.lastQuote);
    const ins = o.instrument;
    const e = this.quoteEvent;
    e.time = t;
    e.bidPrice = ins.price(q.bidTicks * this.unitsPerTick);
    e.askPrice = ins.price(q.askTicks * this.unitsPerTick);
    if (news) {
      this.current = news;
      this.pending.push(e);
    } else {
      this.current = e;
    }
    return SourceState.Ready;
  }
}

/** True on Saturday and Sunday (UTC) for a time in microseconds. */
export function isUtcWeekend(us: number): boolean {
  const dow = (Math.floor(us / DAY_US) + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
  return dow === 0 || dow === 6;
}
