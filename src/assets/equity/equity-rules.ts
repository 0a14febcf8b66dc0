import type { Instrument } from '../../market/instrument.ts';
import type { MarketEvent } from '../../market/market-data.ts';
import type { Order, RejectReason } from '../../market/order.ts';
import type { InstrumentRules, RulesHost, RulesView } from '../../market/venue.ts';
import { AuctionBook } from './auction-book.ts';
import { borrowAccrualDays, borrowFee } from './borrow.ts';
import type { CircuitBreaker } from './circuit-breaker.ts';
import type { CashDividendAction, SplitAction } from './corporate-actions.ts';
import { luldHaltListener } from './halt-wiring.ts';
import { LuldMonitor } from './luld.ts';
import type { Session } from './sessions.ts';
import { checkShortSale, ShortSaleRestriction, shortQuantity } from './short-selling.ts';
import { adjustOrderForDividend, adjustOrderForSplit, type OrderAdjustment } from './splits.ts';
import { dayOrderExpiry, isOnEquityTick } from './tick-rules.ts';
import type { EquityMarket } from './equity-market.ts';

/**
 * The equity rules of one instrument at a simulated venue (the venue's `InstrumentRules`; rules and
 * worked examples: docs/equities.md, "Equity rules in a run"). Sessions from the exchange calendar,
 * DAY expiry at the close, Rule 612 ticks, short sales (locate, Rule 201), LULD bands and pauses, halts
 * with their order policy and reopening auctions, opening and closing auctions, corporate actions on
 * the ex-date and borrow fees at each close.
 *
 * Auction prices: with data liquidity (bars, quotes, trades; and replayed books) an auction executes at
 * the official print: the opening auction at the first print of the regular session (a bar's open, a
 * trade, or a quote's mid), the closing auction at the session's last print, a reopening at the first
 * print after the pause; auction orders fill whole at that price when it satisfies their limit. With
 * book liquidity the venue's orders of every owner uncross through an `AuctionBook` together with the
 * book's resting limit orders.
 */
export class EquityRules implements InstrumentRules {
  readonly instrument: Instrument;
  readonly auctions = true;
  /** The LULD monitor (undefined when LULD is off). */
  readonly luld: LuldMonitor | undefined;
  /** Rule 201 state. */
  readonly ssr = new ShortSaleRestriction();
  private host: RulesHost | undefined;
  private readonly market: EquityMarket;
  /** The session in progress (the last one started), undefined before the first. */
  private session: Session | undefined;
  /** Time after which `roll` looks for the next session. */
  private nextRoll = -Infinity;
  /** Official close of the previous session, price units (NaN unknown). */
  private prevClose = NaN;
  /** Last print of the regular session in progress, price units (NaN none yet). */
  private lastRegular = NaN;
  private openDone = false;
  private closeDone = false;
  /** Data liquidity: the opening auction waits for the first regular print. */
  private openPending = false;
  /** Data liquidity: the reopening auction waits for the next print. */
  private reopenPending = false;
  /** A reopening is due (deferred out of the halt listeners to a timer). */
  private reopenDue = false;
  /** Whether the reopening's RESUME is published (false when the data carried the halt and its RESUME). */
  private reopenPublish = true;
  private lastBid = NaN;
  private lastAsk = NaN;
  private lastBook = NaN;

  constructor(market: EquityMarket, instrument: Instrument) {
    this.market = market;
    this.instrument = instrument;
    const tier = market.luldTier(instrument.symbol);
    const lo = market.options.luld;
    this.luld =
      tier === undefined
        ? undefined
        : new LuldMonitor(
            { ...(lo ? lo.options : {}), tier, priceScale: instrument.priceScale, symbol: instrument.symbol, ...(lo && lo.bandPolicy ? { bandPolicy: lo.bandPolicy } : {}) },
            luldHaltListener(market.halts, instrument.id),
          );
  }

  /** The official close of the last finished session (price units, NaN unknown). */
  get previousClose(): number {
    return this.prevClose;
  }

  // ------------------------------------------------------------------ InstrumentRules

  attach(host: RulesHost): void {
    this.host = host;
  }

  isOpen(time: number, extended: boolean): boolean {
    this.roll(time);
    return this.market.calendar.isOpen(time, { extended: extended && this.market.extendedHours });
  }

  dayEnd(time: number, order?: Order): number {
    return dayOrderExpiry(this.market.calendar, time, { extended: order?.extendedHours === true && this.market.extendedHours });
  }

  check(order: Order, time: number, view: RulesView): RejectReason | undefined {
    this.roll(time);
    const inst = this.instrument;
    if (order.auction !== undefined) {
      const bad = order.type !== 'MARKET' && order.type !== 'LIMIT';
      if (bad || order.tif === 'IOC' || order.tif === 'FOK' || order.postOnly) return 'INVALID_AUCTION_ORDER';
    }
    if (order.price === order.price && !isOnEquityTick(order.price, inst)) return 'OFF_TICK_PRICE';
    if (order.triggerPrice === order.triggerPrice && !isOnEquityTick(order.triggerPrice, inst)) return 'OFF_TICK_PRICE';
    const luld = this.luld;
    if (luld !== undefined && order.auction === undefined && order.type === 'LIMIT') {
      const a = luld.orderAction(order.side, order.price);
      if (a === 'REJECT') return 'OUTSIDE_PRICE_BAND';
      if (a === 'REPRICE') order.price = luld.repricedTo;
    }
    if (order.side === 'SELL') {
      const short = shortQuantity(view.position, order.quantity);
      if (short > 0) {
        const ssr = checkShortSale({ side: 'SELL', type: order.type, price: order.price, shortSale: true }, view.bestBid, this.ssr);
        if (ssr !== undefined) return ssr;
        const bad = this.market.borrow.locate(inst.symbol, Math.ceil(short / inst.sizeScale));
        if (bad !== undefined) return bad;
      }
    }
    return undefined;
  }

  onHaltedOrder(order: Order, time: number): RejectReason | 'QUEUE' {
    this.roll(time);
    const halts = this.market.halts;
    if (halts.closedForDay) return 'MARKET_CLOSED';
    if (order.auction !== undefined) return 'QUEUE';
    const d = halts.orderDecision(this.instrument.id, order.type, order.tif);
    // halted by the venue's generic state only (e.g. a status the halt state does not know): queue limits
    if (d === 'ACCEPT') return order.type === 'LIMIT' && order.tif !== 'IOC' && order.tif !== 'FOK' ? 'QUEUE' : 'HALTED';
    return d === 'QUEUE' ? 'QUEUE' : halts.rejectReason();
  }

  onData(e: MarketEvent): boolean {
    const t = e.time;
    this.roll(t);
    const inst = this.instrument;
    if (e.kind === 'status') {
      if (e.status !== 'HALT' && e.status !== 'QUOTING' && e.status !== 'RESUME') return false;
      const m = this.market;
      m.fromData = true;
      try {
        m.halts.applyStatus(e);
      } finally {
        m.fromData = false;
      }
      if (e.status === 'QUOTING' && m.halts.isHalted(inst.id)) this.host?.status('QUOTING', e.reason, t, false);
      return true;
    }
    let print: number;
    let lo: number;
    let hi: number;
    if (e.kind === 'bar') {
      print = Math.round(e.open * inst.priceScale);
      lo = Math.round(e.low * inst.priceScale);
      hi = Math.round(e.high * inst.priceScale);
    } else if (e.kind === 'trade') {
      print = lo = hi = Math.round(e.price * inst.priceScale);
    } else if (e.kind === 'quote') {
      const b = Math.round(e.bidPrice * inst.priceScale);
      const a = Math.round(e.askPrice * inst.priceScale);
      print = lo = hi = b > 0 && a > 0 ? Math.floor((a + b) / 2) : NaN;
    } else return false;
    const s = this.session;
    const regular = s !== undefined && t >= s.open && t < s.close;
    if (!regular) return false;
    // the print that opens or reopens the stock is the auction's price: it sets the LULD reference, not a window trade
    let auctionPrint = false;
    if (print > 0) {
      if (this.openPending) {
        this.finishOpen(t, print);
        auctionPrint = true;
      }
      if (this.reopenPending) {
        this.finishReopen(t, print);
        auctionPrint = true;
      }
    }
    const last = e.kind === 'bar' ? Math.round(e.close * inst.priceScale) : print;
    if (last > 0) this.lastRegular = last;
    if (e.kind !== 'quote' && lo > 0) this.ssr.onPrice(t, lo);
    const luld = this.luld;
    if (luld !== undefined) {
      if (e.kind === 'quote') luld.onQuote(t, Math.round(e.bidPrice * inst.priceScale) || NaN, Math.round(e.askPrice * inst.priceScale) || NaN);
      else if (last > 0 && !(auctionPrint && e.kind === 'trade')) {
        luld.onTrade(t, last);
        if (e.kind === 'bar') {
          // a bar has no quotes: touching a band counts as a quote on it for the bar's minute
          const up = luld.upper;
          const down = luld.lower;
          luld.onQuote(t, lo <= down ? down : NaN, hi >= up ? up : NaN);
        }
      }
      this.scheduleLuld();
    }
    return false;
  }

  onBook(time: number, bid: number, ask: number, last: number): void {
    this.roll(time);
    const s = this.session;
    if (s === undefined || time < s.open || time >= s.close) return;
    const host = this.host;
    const luld = this.luld;
    if (host?.liquidity === 'book' && last === last && last !== this.lastBook) {
      this.lastBook = last;
      this.lastRegular = last;
      this.ssr.onPrice(time, last);
      luld?.onTrade(time, last);
    }
    if (luld !== undefined && (!Object.is(bid, this.lastBid) || !Object.is(ask, this.lastAsk))) {
      this.lastBid = bid;
      this.lastAsk = ask;
      luld.onQuote(time, bid, ask);
    }
    if (luld !== undefined) this.scheduleLuld();
  }

  onTimer(now: number): void {
    this.roll(now);
    this.luld?.advance(now);
    const s = this.session;
    if (s !== undefined) {
      if (!this.openDone && now >= s.open && now < s.close) this.openAuction(now);
      if (this.reopenDue) {
        this.reopenDue = false;
        this.startReopen(now);
      }
      if (!this.closeDone && now >= s.close) this.closeAuction(now);
    }
    this.scheduleLuld();
  }

  // ------------------------------------------------------------------ halts (from EquityMarket's HaltState)

  /** @internal The instrument stopped trading (LULD pause, circuit breaker, data halt, level 3). */
  onHalted(time: number, reason: string): void {
    this.reopenDue = false;
    this.reopenPending = false;
    this.host?.status('HALT', reason, time, !this.market.fromData);
  }

  /** @internal Every halt source cleared: the reopening auction runs (deferred to a timer at `time`). */
  onResumed(time: number): void {
    if (this.market.halts.isHalted(this.instrument.id)) return;
    this.reopenPublish = !this.market.fromData;
    this.reopenDue = true;
    this.host?.schedule(time);
  }

  // ------------------------------------------------------------------ sessions

  /** Starts the session containing `time` (extended hours included) when it is a new one. Cheap when nothing changes. */
  private roll(time: number): void {
    if (time < this.nextRoll) return;
    const cal = this.market.calendar;
    const s = cal.currentOrNextSession(time, { extended: true });
    if (time < s.preMarketOpen) {
      this.nextRoll = s.preMarketOpen;
      return;
    }
    this.nextRoll = s.afterHoursClose;
    if (this.session !== undefined && this.session.day === s.day) return;
    this.startSession(s, time);
  }

  private startSession(s: Session, time: number): void {
    const prev = this.session;
    this.session = s;
    this.market.startDay(s.day);
    const host = this.host;
    this.openDone = false;
    this.closeDone = false;
    this.openPending = false;
    this.reopenPending = false;
    this.reopenDue = false;
    this.lastBid = this.lastAsk = this.lastBook = NaN;
    if (prev !== undefined && this.lastRegular === this.lastRegular) this.prevClose = this.lastRegular;
    this.lastRegular = NaN;
    for (const a of this.market.actionsOf(this.instrument.symbol)) {
      if (a.day !== s.day) continue;
      if (a.type === 'SPLIT') this.applySplit(a, time);
      else this.applyDividend(a, time);
    }
    this.ssr.startSession(this.prevClose);
    if (host !== undefined) {
      // a pause that ran into the close (or a level 3 closure) ends with the new day
      if (host.halted && !this.market.halts.isHalted(this.instrument.id)) host.status('RESUME', 'new session', time);
      if (s.open > time) host.schedule(s.open);
      else if (time < s.close) this.openAuction(time);
      if (s.close > time) host.schedule(s.close);
      else this.openDone = this.closeDone = true; // first seen after the close: no auctions that day
    }
  }

  /** The opening auction: book liquidity uncrosses now; data liquidity waits for the first regular print. */
  private openAuction(time: number): void {
    this.openDone = true;
    const host = this.host;
    if (host === undefined) return;
    if (host.liquidity !== 'book') {
      this.openPending = true;
      return;
    }
    const ref = this.prevClose === this.prevClose ? this.prevClose : host.lastPrice();
    const price = this.uncross('OPEN', ref, time, false);
    this.finishOpen(time, price);
  }

  /** The opening price is known: data-mode on-open orders fill at it, the rest of them cancel; LULD opens. */
  private finishOpen(time: number, price: number): void {
    this.openPending = false;
    const host = this.host;
    if (host === undefined) return;
    if (host.liquidity !== 'book' && price > 0) this.fillAtPrint('OPEN', price, time, false);
    for (const o of host.heldOrders()) if (o.auction === 'OPEN') host.cancelOrder(o, 'AUCTION_UNFILLED', time);
    const s = this.session!;
    const luld = this.luld;
    const ref = this.prevClose > 0 ? this.prevClose : price;
    luld?.advance(time);
    if (luld !== undefined && ref > 0 && luld.state === 'CLOSED' && time < s.close) {
      luld.startDay(s.open, s.close, ref);
      luld.onOpen(time, price > 0 ? price : ref);
      if (host.halted && !this.market.halts.isHalted(this.instrument.id)) host.status('RESUME', 'opening auction', time);
      this.scheduleLuld();
    }
  }

  /** The closing auction at the close, then DAY expiry and the borrow fee of shorts. */
  private closeAuction(time: number): void {
    this.closeDone = true;
    const host = this.host;
    if (host === undefined) return;
    let price: number;
    if (host.liquidity === 'book') price = this.uncross('CLOSE', host.lastPrice(), time, true);
    else {
      price = this.lastRegular;
      if (price > 0) this.fillAtPrint('CLOSE', price, time, true);
    }
    for (const o of host.heldOrders()) {
      if (o.auction === 'CLOSE' || (o.auction === undefined && o.type !== 'LIMIT')) host.cancelOrder(o, 'AUCTION_UNFILLED', time);
      else if (o.auction === undefined) host.release(o, time);
    }
    const close = price > 0 ? price : this.lastRegular;
    if (close > 0) this.lastRegular = close;
    host.expireDayOrders(time);
    if (close > 0) {
      const s = this.session!;
      const days = borrowAccrualDays(this.market.calendar, s.date);
      const rate = this.market.borrow.rate(this.instrument.symbol);
      const inst = this.instrument;
      const px = close / inst.priceScale;
      if (days > 0 && rate > 0) host.shortFee(time, (q, prec) => borrowFee(Math.abs(q) / inst.sizeScale, px * inst.multiplier, rate, days, prec));
    }
  }

  /** A halt ended: book liquidity uncrosses now; data liquidity waits for the next print. */
  private startReopen(time: number): void {
    const host = this.host;
    if (host === undefined || this.market.halts.isHalted(this.instrument.id)) return;
    const s = this.session;
    if (s === undefined || time < s.open || time >= s.close) {
      if (host.halted) host.status('RESUME', 'halt ended', time, this.reopenPublish);
      return;
    }
    if (host.liquidity !== 'book') {
      this.reopenPending = true;
      return;
    }
    const luld = this.luld;
    const side = luld?.limitSide ?? 'NONE';
    const ref = side === 'UP' ? luld!.upper : side === 'DOWN' ? luld!.lower : host.lastPrice();
    const price = this.uncross(undefined, ref, time, true);
    this.finishReopen(time, price);
  }

  /** The reopening price is known: queued orders (and, for data liquidity, resting ones) fill; RESUME. */
  private finishReopen(time: number, price: number): void {
    this.reopenPending = false;
    const host = this.host;
    if (host === undefined) return;
    if (host.liquidity !== 'book' && price > 0) this.fillAtPrint(undefined, price, time, true);
    for (const o of host.heldOrders()) {
      if (o.auction !== undefined) continue;
      if (o.type === 'LIMIT') host.release(o, time);
      else host.cancelOrder(o, 'AUCTION_UNFILLED', time);
    }
    const luld = this.luld;
    if (luld !== undefined && (luld.state === 'REOPENING' || luld.state === 'NORMAL' || luld.state === 'LIMIT_STATE')) luld.reopen(time, price);
    host.status('RESUME', price > 0 ? `reopening auction at ${this.instrument.price(price)}` : 'reopened', time, this.reopenPublish);
    this.reopenPublish = true;
    this.scheduleLuld();
  }

  /** Data liquidity: the held orders of an auction (and, with `resting`, crossing continuous orders) fill whole at `price`. */
  private fillAtPrint(kind: 'OPEN' | 'CLOSE' | undefined, price: number, time: number, resting: boolean): void {
    const host = this.host!;
    const list = host.heldOrders().filter((o) => o.auction === kind || (kind === 'CLOSE' && o.auction === undefined));
    if (resting && kind === undefined) for (const o of host.restingOrders()) if (o.type === 'LIMIT' || o.type === 'MARKET') list.push(o);
    // auction allocation priority: market orders, then the better limit price, then time
    list.sort((a, b) => {
      const am = a.type === 'MARKET';
      if (am !== (b.type === 'MARKET')) return am ? -1 : 1;
      if (!am && a.price !== b.price) return a.side === 'BUY' ? b.price - a.price : a.price - b.price;
      return a.priority - b.priority;
    });
    for (const o of list) {
      if (o.isDone) continue;
      const ok = o.type === 'MARKET' || (o.side === 'BUY' ? o.price >= price : o.price <= price);
      if (ok) host.fillAt(o, price, o.leaves, time);
    }
  }

  /**
   * Book liquidity: uncrosses the held orders of an auction (kind; undefined: the halt-queued ones; with
   * `withQueued` at the close also those) together with the book's resting limit orders. Returns the price (NaN: no cross).
   */
  private uncross(kind: 'OPEN' | 'CLOSE' | undefined, reference: number, time: number, withQueued: boolean): number {
    const host = this.host!;
    const inst = this.instrument;
    const book = new AuctionBook<Order>({ tickUnits: inst.tickUnits, name: `${inst.symbol} ${kind ?? 'reopening'} auction` });
    const byId = new Map<number, Order>();
    for (const o of host.heldOrders()) {
      if (o.auction === kind || (withQueued && o.auction === undefined)) {
        if (o.type !== 'MARKET' && o.type !== 'LIMIT') continue;
        book.add(o, true, o.priority);
        byId.set(o.id, o);
      }
    }
    if (byId.size === 0) return NaN;
    for (const o of host.restingOrders()) {
      if (!(o.price === o.price) || byId.has(o.id) || !(o.leaves > 0)) continue;
      book.add(o, false, o.priority);
      byId.set(o.id, o);
    }
    const r = book.uncross(reference);
    if (!(r.price === r.price)) return NaN;
    for (const [id, q] of r.filled) host.fillAt(byId.get(id)!, r.price, q, time);
    host.auctionPrint(r.price, time);
    this.lastRegular = r.price;
    return r.price;
  }

  private scheduleLuld(): void {
    const d = this.luld?.nextDeadline() ?? Infinity;
    if (d < Infinity) this.host?.schedule(d);
  }

  // ------------------------------------------------------------------ corporate actions

  /** Ex-date of a split: the accounts' positions, the resting and held orders, and the reference prices. */
  private applySplit(a: SplitAction, time: number): void {
    const n = a.ratioNew;
    const d = a.ratioOld;
    const k = (p: number): number => (p === p ? Math.round((p * d) / n) : p);
    this.prevClose = k(this.prevClose);
    const host = this.host;
    if (host === undefined) return;
    host.split(n, d, this.prevClose === this.prevClose ? this.prevClose : 0, time);
    this.adjustOrders(time, (o) => adjustOrderForSplit(o, a, this.instrument, this.market.reverseSplits));
  }

  /** Ex-date of a cash dividend: resting buy limits and sell stops are lowered by it (the cash itself is a scheduled cash flow). */
  private applyDividend(a: CashDividendAction, time: number): void {
    this.adjustOrders(time, (o) => adjustOrderForDividend(o, a, this.instrument));
  }

  private adjustOrders(time: number, f: (o: { side: Order['side']; type: Order['type']; quantity: number; price: number; triggerPrice: number }) => OrderAdjustment): void {
    const host = this.host!;
    for (const o of [...host.heldOrders(), ...host.restingOrders()]) {
      if (o.isDone || o.owner === 0) continue;
      const adj = f({ side: o.side, type: o.type, quantity: o.leaves, price: o.price, triggerPrice: o.triggerPrice });
      if (adj.action === 'cancel') host.cancelOrder(o, 'CORPORATE_ACTION', time);
      else if (adj.action === 'adjust') host.adjustOrder(o, adj.quantity, adj.price, adj.triggerPrice, time);
    }
  }
}

/**
 * The rules of a reference index (the circuit breaker's `index` symbol): its values (bar closes, trades,
 * quote mids) feed the `CircuitBreaker` during the regular session; the index itself cannot be traded
 * (orders are rejected MARKET_CLOSED). The previous close is the last regular value of the previous
 * session, or `previousClose` from the config on the first day (else the first value of that day).
 */
export class IndexRules implements InstrumentRules {
  private host: RulesHost | undefined;
  private session: Session | undefined;
  private nextRoll = -Infinity;
  private prevClose: number;
  private lastValue = NaN;
  private started = false;

  constructor(
    private readonly market: EquityMarket,
    private readonly breaker: CircuitBreaker,
    readonly instrument: Instrument,
    previousClose?: number,
  ) {
    this.prevClose = previousClose ?? NaN;
  }

  attach(host: RulesHost): void {
    this.host = host;
  }

  isOpen(): boolean {
    return false;
  }

  onData(e: MarketEvent): boolean {
    const t = e.time;
    this.roll(t);
    let v: number;
    if (e.kind === 'bar') v = e.close;
    else if (e.kind === 'trade') v = e.price;
    else if (e.kind === 'quote') v = (e.bidPrice + e.askPrice) / 2;
    else return false;
    const s = this.session;
    if (s === undefined || t < s.open || t >= s.close || !(v > 0)) return false;
    if (!this.started) {
      this.started = true;
      this.breaker.startDay(s.open, s.close, this.prevClose > 0 ? this.prevClose : v);
    }
    this.lastValue = v;
    this.breaker.onIndex(t, v);
    this.schedule();
    return false;
  }

  onTimer(now: number): void {
    this.roll(now);
    this.breaker.advance(now);
    this.schedule();
  }

  private schedule(): void {
    const d = this.breaker.nextDeadline();
    if (d < Infinity) this.host?.schedule(d);
  }

  private roll(time: number): void {
    if (time < this.nextRoll) return;
    const s = this.market.calendar.currentOrNextSession(time, { extended: true });
    if (time < s.preMarketOpen) {
      this.nextRoll = s.preMarketOpen;
      return;
    }
    this.nextRoll = s.afterHoursClose;
    if (this.session !== undefined && this.session.day === s.day) return;
    if (this.session !== undefined && this.lastValue > 0) this.prevClose = this.lastValue;
    this.session = s;
    this.started = false;
    this.market.startDay(s.day);
  }
}
