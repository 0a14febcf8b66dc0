import type { Instrument } from '../../market/instrument.ts';
import type { InstrumentRules } from '../../market/venue.ts';
import { BorrowBook, type BorrowDefaults, type BorrowEntry } from './borrow.ts';
import { calendar, type ExchangeCalendar } from './calendar.ts';
import { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.ts';
import type { CorporateAction } from './corporate-actions.ts';
import { circuitBreakerHaltListener } from './halt-wiring.ts';
import { HaltState } from './halt-state.ts';
import type { HaltOrderPolicy } from './halt-policy.ts';
import type { LuldBandPolicy, LuldOptions } from './luld.ts';
import type { ReverseSplitPolicy } from './splits.ts';
import { EquityRules, IndexRules } from './equity-rules.ts';

/**
 * The equity rules of one run, shared by its instruments (docs/equities.md, "Equity rules in a run"):
 * the exchange calendar, one `HaltState` (LULD pauses, market-wide circuit breakers, data halts), the
 * borrow list, the corporate actions, and an optional `CircuitBreaker` fed by an index symbol. `rules`
 * is the venue's `VenueOptions.rules`: an `EquityRules` for each equity instrument, an `IndexRules` for
 * the circuit breaker's index, undefined for everything else.
 */

/** Options of an `EquityMarket` (the run config's `equity:` block, parsed: equity-config.ts). */
export interface EquityMarketOptions {
  /** Exchange MIC whose calendar applies: XNYS or XNAS (default XNYS). */
  exchange?: string;
  /** Symbols under the rules (default: every instrument with assetClass 'equity'). */
  symbols?: readonly string[];
  /** Whether orders that opt in (`extendedHours`) may trade 04:00-09:30 and 16:00-20:00 (default true). */
  extendedHours?: boolean;
  /** Corporate actions (splits, cash dividends) of the run, any symbols. */
  corporateActions?: readonly CorporateAction[];
  /** What a reverse split does to resting orders (default 'cancel', FINRA Rule 5330). */
  reverseSplits?: ReverseSplitPolicy;
  /** Borrow list and defaults for short sales. */
  borrow?: { entries?: readonly BorrowEntry[]; defaults?: Partial<BorrowDefaults> };
  /** Limit Up-Limit Down: false disables it; `tier1` lists the tier 1 symbols (others are tier 2). */
  luld?: false | { tier1?: readonly string[]; bandPolicy?: LuldBandPolicy; options?: Partial<Omit<LuldOptions, 'tier' | 'priceScale' | 'symbol' | 'bandPolicy'>> };
  /** Market-wide circuit breaker on the values (bars, trades or quote mids) of `index`. */
  circuitBreaker?: { index: string; previousClose?: number; options?: CircuitBreakerOptions };
  /** What happens to orders sent during a halt (halt-policy.ts; default: limits queue, market and stop orders rejected). */
  haltOrderPolicy?: Partial<HaltOrderPolicy>;
}

/** The shared equity state of a run; `rules(instrument)` plugs it into a venue. */
export class EquityMarket {
  readonly calendar: ExchangeCalendar;
  readonly halts: HaltState;
  readonly borrow: BorrowBook;
  readonly circuitBreaker: CircuitBreaker | undefined;
  readonly extendedHours: boolean;
  readonly reverseSplits: ReverseSplitPolicy;
  readonly options: EquityMarketOptions;
  /** Rules of each equity instrument, by instrument id. */
  private readonly byId: (EquityRules | undefined)[] = [];
  private readonly all: EquityRules[] = [];
  private readonly symbols: ReadonlySet<string> | undefined;
  private readonly actionsBySymbol = new Map<string, CorporateAction[]>();
  private readonly tier1: ReadonlySet<string>;
  /** Civil day of the last session the shared state was started for. */
  private day = NaN;
  /** True while a status event from the data is being applied (its halts are not published again). */
  fromData = false;

  constructor(options: EquityMarketOptions = {}) {
    this.options = options;
    this.calendar = calendar(options.exchange ?? 'XNYS');
    this.extendedHours = options.extendedHours ?? true;
    this.reverseSplits = options.reverseSplits ?? 'cancel';
    this.symbols = options.symbols ? new Set(options.symbols) : undefined;
    this.tier1 = new Set(options.luld === false ? [] : (options.luld?.tier1 ?? []));
    for (const a of options.corporateActions ?? []) {
      let list = this.actionsBySymbol.get(a.symbol);
      if (!list) this.actionsBySymbol.set(a.symbol, (list = []));
      list.push(a);
    }
    this.borrow = new BorrowBook(options.borrow?.entries ?? [], options.borrow?.defaults ?? {});
    this.halts = new HaltState({
      ...(options.haltOrderPolicy ? { policy: options.haltOrderPolicy } : {}),
      listener: {
        halted: (id, time, _source, reason) => this.each(id, (r) => r.onHalted(time, reason)),
        resumed: (id, time) => this.each(id, (r) => r.onResumed(time)),
        closedForDay: (time, reason) => this.each(-1, (r) => r.onHalted(time, reason)),
      },
    });
    const cb = options.circuitBreaker;
    this.circuitBreaker = cb ? new CircuitBreaker(circuitBreakerHaltListener(this.halts), cb.options ?? {}) : undefined;
  }

  /** `VenueOptions.rules`: the rules of an instrument, or undefined when the equity rules do not apply to it. */
  rules(instrument: Instrument): InstrumentRules | undefined {
    const cb = this.options.circuitBreaker;
    if (cb && instrument.symbol === cb.index && this.circuitBreaker) return new IndexRules(this, this.circuitBreaker, instrument, cb.previousClose);
    if (this.symbols ? !this.symbols.has(instrument.symbol) : instrument.assetClass !== 'equity') return undefined;
    const r = new EquityRules(this, instrument);
    for (let i = this.byId.length; i <= instrument.id; i++) this.byId.push(undefined);
    this.byId[instrument.id] = r;
    this.all.push(r);
    return r;
  }

  /** The rules of an instrument under this market (after the venue listed it). */
  rulesOf(instrument: Instrument): EquityRules | undefined {
    return this.byId[instrument.id];
  }

  /** LULD tier of a symbol: 1 when listed in `luld.tier1`, else 2; undefined when LULD is off. */
  luldTier(symbol: string): 1 | 2 | undefined {
    if (this.options.luld === false) return undefined;
    return this.tier1.has(symbol) ? 1 : 2;
  }

  /** The corporate actions of a symbol, in date order. */
  actionsOf(symbol: string): readonly CorporateAction[] {
    return this.actionsBySymbol.get(symbol) ?? [];
  }

  /**
   * A new session (civil day `day`) begins for some instrument: once per day, the halt state ends LULD
   * and market-wide halts and the borrow list's daily locates start again.
   */
  startDay(day: number): void {
    if (day === this.day) return;
    this.day = day;
    this.halts.startDay();
    this.borrow.resetDay();
  }

  private each(id: number, f: (r: EquityRules) => void): void {
    if (id >= 0) {
      const r = this.byId[id];
      if (r) f(r);
      return;
    }
    for (const r of this.all) f(r);
  }
}
