import type { StatusEvent } from '../../market/market-data.ts';
import type { OrderType, TimeInForce } from '../../market/order.ts';
import { haltedOrderDecision, haltOrderPolicy, type HaltOrderDecision, type HaltOrderPolicy, type HaltRejectReason } from './halt-policy.ts';

/**
 * Who halted an instrument. LULD: a Limit Up-Limit Down trading pause. MWCB: a market-wide circuit
 * breaker halt (applies to every instrument). NEWS: a news-pending halt (synthetic news simulator or a
 * replayed status whose reason starts with "news pending"). REGULATORY: any other halt from data
 * (replayed HALT/QUOTING status events, e.g. LOBSTER type-7 messages) or set by hand.
 */
export type HaltSource = 'LULD' | 'MWCB' | 'NEWS' | 'REGULATORY';

/** Bit of each source in `HaltState.sources(id)`. */
export const HaltSourceBit: Readonly<Record<HaltSource, number>> = Object.freeze({ LULD: 1, MWCB: 2, NEWS: 4, REGULATORY: 8 });

/** TRADING; HALTED; QUOTING (halted, quotes allowed before the resumption: a replayed QUOTING status); CLOSED_FOR_DAY (level 3). */
export type HaltPhase = 'TRADING' | 'HALTED' | 'QUOTING' | 'CLOSED_FOR_DAY';

/**
 * Receives overall transitions. `instrumentId` -1 means every instrument (a market-wide halt, its end, or
 * the level 3 closure): on a market-wide resume, each instrument for which `isHalted` is now false resumes.
 */
export interface HaltListener {
  /** The instrument became halted (it was trading). `source` is the source that did it. */
  halted?(instrumentId: number, time: number, source: HaltSource, reason: string): void;
  /** Every source of the instrument cleared: the venue runs the reopening auction, then trading resumes. */
  resumed?(instrumentId: number, time: number): void;
  /** Level 3: the market is closed for the rest of the day. */
  closedForDay?(time: number, reason: string): void;
}

/** Options of a `HaltState`. */
export interface HaltStateOptions {
  /** Order policy during halts (defaults in halt-policy.ts). */
  policy?: Partial<HaltOrderPolicy>;
  listener?: HaltListener;
}

const DATA_SOURCES = HaltSourceBit.NEWS | HaltSourceBit.REGULATORY;

/**
 * Merges the halt sources of every instrument (by `Instrument.id`) and answers whether it is halted and
 * what to do with a new order. An instrument is halted while any source holds it, or while a market-wide
 * halt or a level 3 closure is in force. Per-instrument queries are O(1) array reads with no allocation.
 */
export class HaltState {
  readonly policy: HaltOrderPolicy;
  private readonly listener: HaltListener;
  private readonly src: number[] = [];
  private readonly why: string[] = [];
  private readonly quoting: boolean[] = [];
  private marketWide = false;
  private marketReason = '';
  private closed = false;

  constructor(options: HaltStateOptions = {}) {
    this.policy = haltOrderPolicy(options.policy);
    this.listener = options.listener ?? {};
  }

  /** True when the instrument may not trade now. */
  isHalted(instrumentId: number): boolean {
    return this.closed || this.marketWide || (this.src[instrumentId] ?? 0) !== 0;
  }

  /** Bit set of the instrument's own sources (`HaltSourceBit`), plus MWCB while a market-wide halt runs. */
  sources(instrumentId: number): number {
    return (this.src[instrumentId] ?? 0) | (this.marketWide || this.closed ? HaltSourceBit.MWCB : 0);
  }

  /** The instrument's phase. */
  phase(instrumentId: number): HaltPhase {
    if (this.closed) return 'CLOSED_FOR_DAY';
    if (!this.isHalted(instrumentId)) return 'TRADING';
    return this.quoting[instrumentId] === true && !this.marketWide ? 'QUOTING' : 'HALTED';
  }

  /** The reason text of the latest halt that applies (market-wide first), '' when trading. */
  reason(instrumentId: number): string {
    if (this.closed || this.marketWide) return this.marketReason;
    return (this.src[instrumentId] ?? 0) !== 0 ? this.why[instrumentId] ?? '' : '';
  }

  /** True after a level 3 circuit breaker until `startDay`. */
  get closedForDay(): boolean {
    return this.closed;
  }

  /** True while a market-wide (level 1 or 2) halt runs. */
  get marketWideHalt(): boolean {
    return this.marketWide;
  }

  /**
   * What to do with a new order for this instrument: ACCEPT when it trades; otherwise the policy
   * (QUEUE for the reopening auction, or REJECT with `rejectReason`). After a level 3 closure: REJECT.
   */
  orderDecision(instrumentId: number, type: OrderType, tif: TimeInForce = 'DAY'): HaltOrderDecision {
    if (this.closed) return 'REJECT';
    if (!this.isHalted(instrumentId)) return 'ACCEPT';
    return haltedOrderDecision(this.policy, type, tif);
  }

  /** The reason to report when `orderDecision` says REJECT: MARKET_CLOSED after level 3, else HALTED. */
  rejectReason(): HaltRejectReason {
    return this.closed ? 'MARKET_CLOSED' : 'HALTED';
  }

  /** Cancels are accepted in every phase (documented policy); the method exists so the venue asks one place. */
  cancelAllowed(): boolean {
    return true;
  }

  // ------------------------------------------------------------------ inputs

  /** Sets or clears one source of one instrument. Calls the listener when the overall state flips. */
  setHalt(instrumentId: number, source: HaltSource, on: boolean, time: number, reason = ''): void {
    if (!(Number.isInteger(instrumentId) && instrumentId >= 0)) throw new RangeError(`HaltState: instrument id must be a non-negative integer, got ${instrumentId}`);
    while (this.src.length <= instrumentId) {
      this.src.push(0);
      this.why.push('');
      this.quoting.push(false);
    }
    const before = this.isHalted(instrumentId);
    const bit = HaltSourceBit[source];
    this.src[instrumentId] = on ? this.src[instrumentId]! | bit : this.src[instrumentId]! & ~bit;
    if (on) this.why[instrumentId] = reason || `${source} halt`;
    if (this.src[instrumentId] === 0) this.quoting[instrumentId] = false;
    const after = this.isHalted(instrumentId);
    if (!before && after) this.listener.halted?.(instrumentId, time, source, this.why[instrumentId]!);
    else if (before && !after) this.listener.resumed?.(instrumentId, time);
  }

  /** Starts or ends a market-wide halt (circuit breaker level 1 or 2). */
  setMarketWide(on: boolean, time: number, reason = ''): void {
    if (on === this.marketWide) return;
    this.marketWide = on;
    if (on) {
      this.marketReason = reason || 'market-wide circuit breaker';
      if (!this.closed) this.listener.halted?.(-1, time, 'MWCB', this.marketReason);
    } else if (!this.closed) this.listener.resumed?.(-1, time);
  }

  /** Level 3: closed for the rest of the day (orders rejected MARKET_CLOSED) until `startDay`. */
  closeForDay(time: number, reason = 'market-wide circuit breaker level 3'): void {
    if (this.closed) return;
    this.closed = true;
    this.marketReason = reason;
    this.listener.closedForDay?.(time, reason);
  }

  /**
   * A new trading day: market-wide halts, the level 3 closure and LULD pauses end (they never outlive
   * the session). News and regulatory halts persist until their RESUME. No listener calls.
   */
  startDay(): void {
    this.closed = false;
    this.marketWide = false;
    this.marketReason = '';
    for (let i = 0; i < this.src.length; i++) {
      this.src[i] = this.src[i]! & ~HaltSourceBit.LULD;
      if (this.src[i] === 0) this.quoting[i] = false;
    }
  }

  /**
   * A replayed or synthetic status event: HALT sets NEWS (reason starting with "news pending") or
   * REGULATORY; QUOTING keeps the instrument halted in the quoting phase (setting REGULATORY if no data
   * halt was active); RESUME clears NEWS and REGULATORY. Session statuses (OPEN, CLOSE, PRE_OPEN,
   * POST_CLOSE) and feed statuses (BOOK_RESYNC, BOOK_SYNCED) are not halts and are ignored. Returns true
   * when the event was a halt status.
   */
  applyStatus(e: StatusEvent): boolean {
    const id = e.instrument.id;
    switch (e.status) {
      case 'HALT': {
        const source: HaltSource = /^news pending/i.test(e.reason) ? 'NEWS' : 'REGULATORY';
        this.setHalt(id, source, true, e.time, e.reason);
        if (this.quoting[id]) this.quoting[id] = false;
        return true;
      }
      case 'QUOTING':
        if (((this.src[id] ?? 0) & DATA_SOURCES) === 0) this.setHalt(id, 'REGULATORY', true, e.time, e.reason);
        this.quoting[id] = true;
        return true;
      case 'RESUME': {
        const cur = this.src[id] ?? 0;
        if ((cur & DATA_SOURCES) === 0) return true;
        // clear both data sources in one step so the listener sees one resume
        const keep = cur & ~DATA_SOURCES;
        if (keep === 0) {
          this.src[id] = HaltSourceBit.REGULATORY;
          this.setHalt(id, 'REGULATORY', false, e.time);
        } else this.src[id] = keep;
        return true;
      }
      default:
        return false;
    }
  }
}
