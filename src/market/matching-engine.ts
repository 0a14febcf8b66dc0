import { MarketsimError } from '../core/errors.ts';
import { US_PER_DAY } from '../core/time.ts';
import { DoneIds } from './done-ids.ts';
import { ExpiryHeap } from './expiry-heap.ts';
import type { Instrument } from './instrument.ts';
import { OrderBook } from './order-book.ts';
import type { CancelReason, Order, RejectReason, SelfTradePrevention, Side } from './order.ts';
import { StopBook } from './stop-book.ts';

/**
 * Receives everything the engine does, synchronously, in the order it happens. The order objects
 * passed are the engine's live objects: read them during the call, copy what you keep. A listener
 * must not call back into the same engine (submit/cancel/modify/expire/onExternalTrade) from inside a
 * callback: the engine throws `MarketsimError('REENTRANT_CALL')`; defer such calls through the event queue.
 */
export interface MatchListener {
  /** A new order passed validation and entered the engine (status ACCEPTED). */
  accepted(order: Order, time: number): void;
  /** An order was refused (status REJECTED, `rejectReason` set). Also used for a triggered stop that cannot proceed. */
  rejected(order: Order, reason: RejectReason, time: number): void;
  /** One match: both orders already updated (filled, status). maker is the resting order. price in price units, size in size units. */
  fill(taker: Order, maker: Order, price: number, size: number, time: number): void;
  /** An open order left the engine without filling completely (status CANCELED, `cancelReason` set). */
  canceled(order: Order, reason: CancelReason, time: number): void;
  /** A DAY or GTD order reached its expiry (status EXPIRED). */
  expired(order: Order, time: number): void;
  /** A modify was applied (the order already carries its new price/quantity/priority). */
  modified(order: Order, time: number): void;
  /** A cancel or modify that could not be done (unknown id, order already done, invalid new values). */
  requestRejected(orderId: number, action: 'cancel' | 'modify', reason: RejectReason, time: number): void;
  /** A stop order fired: it now behaves as MARKET (STOP) or LIMIT (STOP_LIMIT), with a new priority. */
  triggered(order: Order, time: number): void;
}

/** Options of a `MatchingEngine`. */
export interface MatchingEngineOptions {
  /** Self-trade prevention; default 'CANCEL_TAKER'. Owner 0 (anonymous flow) never self-trades. */
  stp?: SelfTradePrevention;
  /** Largest size an owner may trade on `side` with reduceOnly (e.g. the size of its opposite position); default: reduce-only orders are rejected. */
  reduceOnlyCapacity?: (owner: number, side: Side) => number;
  /** Close of the current DAY session in microseconds (DAY orders expire at it); default: end of the UTC day of acceptance. */
  dayEnd?: (time: number) => number;
  /**
   * How many finished order ids the engine remembers so that a cancel or modify of a finished order
   * is refused with ORDER_NOT_OPEN rather than UNKNOWN_ORDER (default 65,536; 0 disables).
   */
  rememberDone?: number;
}

function endOfUtcDay(time: number): number {
  return Math.floor(time / US_PER_DAY) * US_PER_DAY + US_PER_DAY;
}

function noCapacity(): number {
  return 0;
}

/**
 * A price-time-priority matching engine for one instrument. Every rule, with a worked example, is in
 * docs/matching.md. In short: validate, then match against the book at the makers' prices (best price
 * first, then acceptance order), then rest, cancel or expire the remainder according to type and time in
 * force; stops wait in a separate `StopBook` until a trade price reaches their trigger.
 *
 * The hot path (submit/cancel/modify of plain orders, each match) is synchronous and allocates nothing:
 * orders are linked into the book intrusively, level objects are recycled, and the listener receives the
 * live `Order` objects.
 */
export class MatchingEngine {
  /** The one instrument this engine matches (orders for another are rejected UNKNOWN_INSTRUMENT). */
  readonly instrument: Instrument;
  /** The L3 book of resting (limit and triggered stop-limit) orders. */
  readonly book: OrderBook = new OrderBook();
  /** Untriggered STOP and STOP_LIMIT orders. */
  readonly stops: StopBook = new StopBook();
  private readonly listener: MatchListener;
  private readonly stp: SelfTradePrevention;
  private readonly stpActive: boolean;
  private readonly capacity: (owner: number, side: Side) => number;
  private readonly dayEnd: (time: number) => number;
  private readonly expiries = new ExpiryHeap();
  private readonly done: DoneIds;
  /** instrument.tickUnits and lotUnits, cached. */
  private readonly tick: number;
  private readonly lot: number;
  private last = NaN;
  private seq = 0;
  /** Highest and lowest trade prices since the last stop evaluation (-Inf/+Inf: none). */
  private trigHigh = -Infinity;
  private trigLow = Infinity;
  private busy = false;

  constructor(instrument: Instrument, listener: MatchListener, options: MatchingEngineOptions = {}) {
    this.instrument = instrument;
    this.listener = listener;
    this.tick = instrument.tickUnits;
    this.lot = instrument.lotUnits;
    this.stp = options.stp ?? 'CANCEL_TAKER';
    this.stpActive = this.stp !== 'NONE';
    this.capacity = options.reduceOnlyCapacity ?? noCapacity;
    this.dayEnd = options.dayEnd ?? endOfUtcDay;
    const remember = options.rememberDone ?? 65_536;
    if (!(remember >= 0) || !Number.isInteger(remember)) {
      throw new MarketsimError('CONFIG_INVALID', `MatchingEngine(${instrument.symbol}): options.rememberDone must be a non-negative integer, got ${remember}`);
    }
    this.done = new DoneIds(remember);
  }

  /** Last trade price in price units (NaN before the first trade). Includes prints passed to `onExternalTrade`. */
  get lastPrice(): number {
    return this.last;
  }

  /** The last priority handed out (priorities are 1, 2, 3, ... in acceptance / re-prioritization order). */
  get sequence(): number {
    return this.seq;
  }

  // ------------------------------------------------------------------ public operations

  /** Validates the order, then accepts/matches/rests/rejects it, calling the listener. `order` must be fresh (status PENDING). */
  submit(order: Order, time: number): void {
    this.enter('submit', time);
    try {
      if (this.expiries.peekTime() <= time) this.expireDue(time);
      this.submitInner(order, time);
    } finally {
      this.busy = false;
    }
  }

  /** Cancels an open order by id in O(1). Returns false (after `requestRejected`) for an unknown or finished order. */
  cancel(orderId: number, time: number): boolean {
    this.enter('cancel', time);
    try {
      if (this.expiries.peekTime() <= time) this.expireDue(time);
      let o = this.book.remove(orderId);
      if (o === undefined) {
        o = this.stops.get(orderId);
        if (o === undefined) {
          this.listener.requestRejected(orderId, 'cancel', this.done.has(orderId) ? 'ORDER_NOT_OPEN' : 'UNKNOWN_ORDER', time);
          return false;
        }
        this.stops.removeOrder(o);
      }
      this.close(o, 'USER', time);
      return true;
    } finally {
      this.busy = false;
    }
  }

  /**
   * Changes an open order. newPrice/newQuantity in units; NaN keeps the current value. newQuantity is
   * the new TOTAL quantity (including what is already filled). For an untriggered STOP, newPrice moves
   * its trigger price (it has no limit price); for STOP_LIMIT it is the limit price.
   * A price change or a size increase loses priority; a size decrease keeps it. Returns false (after
   * `requestRejected`) when refused; the order is then unchanged.
   */
  modify(orderId: number, newPrice: number, newQuantity: number, time: number): boolean {
    this.enter('modify', time);
    try {
      if (this.expiries.peekTime() <= time) this.expireDue(time);
      const ok = this.modifyInner(orderId, newPrice, newQuantity, time);
      this.runStops(time);
      return ok;
    } finally {
      this.busy = false;
    }
  }

  /** Expires DAY and GTD orders whose time has come (time >= expiry); call it as time advances. */
  expire(time: number): void {
    this.enter('expire', time);
    try {
      this.expireDue(time);
    } finally {
      this.busy = false;
    }
  }

  /** Next time at which an order would expire (Infinity if none), so the engine can schedule a timer. */
  nextExpiry(): number {
    const heap = this.expiries;
    while (heap.length > 0) {
      const o = heap.peekOrder()!;
      const t = heap.peekTime();
      if (o.expireTime === t && this.isLive(o)) return t;
      heap.pop();
    }
    return Infinity;
  }

  /**
   * A trade printed elsewhere (e.g. replayed market data) at `price` price units: it becomes the last
   * price and fires the stops it reaches, which then match in this engine.
   */
  onExternalTrade(price: number, time: number): void {
    if (!Number.isFinite(price)) {
      throw new MarketsimError('BAD_INPUT', `MatchingEngine(${this.instrument.symbol}).onExternalTrade: price must be a finite number of price units, got ${price}`);
    }
    this.enter('onExternalTrade', time);
    try {
      if (this.expiries.peekTime() <= time) this.expireDue(time);
      this.last = price;
      this.trigHigh = price;
      this.trigLow = price;
      this.runStops(time);
    } finally {
      this.busy = false;
    }
  }

  // ------------------------------------------------------------------ submit

  private submitInner(order: Order, time: number): void {
    const reason = this.validate(order, time);
    if (reason !== undefined) {
      this.reject(order, reason, time, reason !== 'DUPLICATE_ORDER_ID');
      return;
    }
    if (order.tif === 'DAY') {
      const end = this.dayEnd(time);
      if (!(end > time)) {
        this.reject(order, 'MARKET_CLOSED', time, true);
        return;
      }
      order.expireTime = end;
    }
    const type = order.type;
    if (type === 'STOP' || type === 'STOP_LIMIT') {
      this.accept(order, time);
      this.stops.add(order);
      if (order.tif === 'DAY' || order.tif === 'GTD') this.expiries.push(order.expireTime, order);
      const last = this.last;
      if (last === last) {
        this.trigHigh = last;
        this.trigLow = last;
        this.runStops(time);
      }
      return;
    }
    const pre = this.preTrade(order);
    if (pre !== undefined) {
      this.reject(order, pre, time, true);
      return;
    }
    this.accept(order, time);
    this.take(order, time, true);
    this.runStops(time);
  }

  /** First failing check of a new order, or undefined when valid. */
  private validate(o: Order, time: number): RejectReason | undefined {
    const inst = this.instrument;
    if (o.instrument !== inst) return 'UNKNOWN_INSTRUMENT';
    const sizeReason = this.sizeReason(o.quantity);
    if (sizeReason !== undefined) return sizeReason;
    const type = o.type;
    const hasLimit = type === 'LIMIT' || type === 'STOP_LIMIT';
    const isStop = type === 'STOP' || type === 'STOP_LIMIT';
    const p = o.price;
    if (hasLimit) {
      if (!Number.isFinite(p)) return 'MISSING_PRICE';
      if (p <= 0) return 'BAD_PRICE';
      if (this.tick !== 1 && p % this.tick !== 0) return 'OFF_TICK_PRICE';
      if (!Number.isInteger(p)) return 'OFF_TICK_PRICE';
    } else if (p === p) return 'BAD_PRICE'; // a MARKET/STOP order carries no limit price
    const tp = o.triggerPrice;
    if (isStop) {
      if (!Number.isFinite(tp)) return 'MISSING_TRIGGER';
      if (tp <= 0) return 'BAD_PRICE';
      if (tp % inst.tickUnits !== 0 || !Number.isInteger(tp)) return 'OFF_TICK_PRICE';
    } else if (tp === tp) return 'BAD_PRICE'; // a trigger on a non-stop order
    const tif = o.tif;
    if (tif === 'GTD') {
      if (!Number.isFinite(o.expireTime) || !(o.expireTime > time)) return 'BAD_EXPIRE_TIME';
    } else if (o.expireTime === o.expireTime) return 'BAD_EXPIRE_TIME'; // only GTD carries an expiry
    if (o.postOnly && (type === 'MARKET' || type === 'STOP')) return 'POST_ONLY_WOULD_CROSS';
    if (o.reduceOnly && !(o.quantity <= this.capacity(o.owner, o.side))) return 'REDUCE_ONLY_WOULD_INCREASE';
    if (this.book.has(o.id) || (this.stops.size !== 0 && this.stops.get(o.id) !== undefined)) return 'DUPLICATE_ORDER_ID';
    return undefined;
  }

  private sizeReason(q: number): RejectReason | undefined {
    const inst = this.instrument;
    if (!Number.isInteger(q) || q <= 0) return 'BAD_SIZE';
    if (this.lot !== 1 && q % this.lot !== 0) return 'BAD_LOT';
    if (q < inst.minSizeUnits) return 'BELOW_MIN_SIZE';
    if (q > inst.maxSizeUnits) return 'ABOVE_MAX_SIZE';
    return undefined;
  }

  /** Checks that need the book: post-only crossing and FOK fillability. */
  private preTrade(o: Order): RejectReason | undefined {
    if (o.postOnly && this.crosses(o.side, o.price)) return 'POST_ONLY_WOULD_CROSS';
    if (o.tif === 'FOK' && !this.fillable(o)) return 'FOK_NOT_FILLABLE';
    return undefined;
  }

  /** True when a limit order at `price` on `side` would take liquidity now. */
  private crosses(side: Side, price: number): boolean {
    if (side === 'BUY') {
      const l = this.book.bestLevel('SELL');
      return l !== null && l.price <= price;
    }
    const l = this.book.bestLevel('BUY');
    return l !== null && l.price >= price;
  }

  /**
   * True when the order's whole open size could fill now at acceptable prices, excluding liquidity
   * that self-trade prevention would not let it take (a CANCEL_MAKER self order is skipped; with
   * CANCEL_TAKER/CANCEL_BOTH matching would stop at the first self order, so counting stops there).
   */
  private fillable(o: Order): boolean {
    let need = o.leaves;
    const buy = o.side === 'BUY';
    const opp: Side = buy ? 'SELL' : 'BUY';
    const limit = this.isMarketLike(o) ? (buy ? Infinity : -Infinity) : o.price;
    const book = this.book;
    const selfCheck = this.stpActive && o.owner !== 0;
    const n = book.levelCount(opp);
    for (let i = 0; i < n; i++) {
      const level = book.level(opp, i)!;
      if (buy ? level.price > limit : level.price < limit) return false;
      if (!selfCheck) {
        need -= level.size;
        if (need <= 0) return true;
        continue;
      }
      for (let m = level.head; m !== null; m = m.next) {
        if (m.owner === o.owner) {
          if (this.stp === 'CANCEL_MAKER') continue;
          return false;
        }
        need -= m.leaves;
        if (need <= 0) return true;
      }
    }
    return false;
  }

  private isMarketLike(o: Order): boolean {
    return o.type === 'MARKET' || o.type === 'STOP';
  }

  private accept(order: Order, time: number): void {
    order.status = 'ACCEPTED';
    order.acceptTime = time;
    order.priority = ++this.seq;
    this.listener.accepted(order, time);
  }

  /**
   * Matches `order` as a taker, then disposes of the remainder: FILLED, canceled (self-trade, market
   * remainder, IOC/FOK remainder) or rested in the book (`pushExpiry`: first time it becomes live).
   */
  private take(order: Order, time: number, pushExpiry: boolean): void {
    const selfTrade = this.match(order, time);
    if (order.leaves === 0) {
      this.done.add(order.id);
      return;
    }
    if (selfTrade) this.close(order, 'SELF_TRADE', time);
    else if (this.isMarketLike(order)) this.close(order, order.filled === 0 ? 'NO_LIQUIDITY' : 'IOC_REMAINDER', time);
    else if (order.tif === 'IOC' || order.tif === 'FOK') this.close(order, 'IOC_REMAINDER', time);
    else {
      this.book.insert(order, order.leaves);
      if (pushExpiry && (order.tif === 'DAY' || order.tif === 'GTD')) this.expiries.push(order.expireTime, order);
    }
  }

  /** The match loop. Returns true when self-trade prevention stopped the taker. */
  private match(order: Order, time: number): boolean {
    const buy = order.side === 'BUY';
    const opp: Side = buy ? 'SELL' : 'BUY';
    const limit = this.isMarketLike(order) ? (buy ? Infinity : -Infinity) : order.price;
    const book = this.book;
    const listener = this.listener;
    const owner = order.owner;
    const selfCheck = this.stpActive && owner !== 0;
    let leaves = order.leaves;
    while (leaves > 0) {
      const level = book.bestLevel(opp);
      if (level === null) break;
      const px = level.price;
      if (buy ? px > limit : px < limit) break;
      const maker = level.head!;
      if (selfCheck && maker.owner === owner) {
        const stp = this.stp;
        if (stp === 'CANCEL_TAKER') return true;
        book.removeOrder(maker);
        this.close(maker, 'SELF_TRADE', time);
        if (stp === 'CANCEL_BOTH') return true;
        continue;
      }
      const ml = maker.leaves;
      const qty = leaves < ml ? leaves : ml;
      book.fill(maker, qty);
      leaves -= qty;
      order.filled += qty;
      order.filledNotional += px * qty;
      order.status = leaves === 0 ? 'FILLED' : 'PARTIALLY_FILLED';
      this.last = px;
      if (px > this.trigHigh) this.trigHigh = px;
      if (px < this.trigLow) this.trigLow = px;
      if (qty === ml) this.done.add(maker.id);
      listener.fill(order, maker, px, qty, time);
    }
    return false;
  }

  // ------------------------------------------------------------------ stops

  /**
   * Fires every stop reached by a trade price seen since the last evaluation (buy: trigger <= highest
   * trade price, sell: trigger >= lowest), in trigger-price order then acceptance order per side and in
   * acceptance order across sides, until none is left to fire. Each fired stop leaves the stop book for
   * good, so a cascade ends after at most as many steps as there were stops.
   */
  private runStops(time: number): void {
    const stops = this.stops;
    if (stops.size === 0) {
      this.trigHigh = -Infinity;
      this.trigLow = Infinity;
      return;
    }
    while (stops.size > 0 && this.trigHigh >= this.trigLow) {
      const hi = this.trigHigh;
      const lo = this.trigLow;
      const b = stops.nextTriggered('BUY', hi, lo);
      const s = stops.nextTriggered('SELL', hi, lo);
      const o = b === null ? s : s === null ? b : b.priority < s.priority ? b : s;
      if (o === null) break;
      stops.removeOrder(o);
      o.triggered = true;
      o.priority = ++this.seq;
      o.acceptTime = time;
      this.listener.triggered(o, time);
      if (o.reduceOnly && !(o.leaves <= this.capacity(o.owner, o.side))) {
        this.reject(o, 'REDUCE_ONLY_WOULD_INCREASE', time, true);
        continue;
      }
      const pre = this.preTrade(o);
      if (pre !== undefined) {
        this.reject(o, pre, time, true);
        continue;
      }
      this.take(o, time, false);
    }
    this.trigHigh = -Infinity;
    this.trigLow = Infinity;
  }

  // ------------------------------------------------------------------ modify

  private modifyInner(id: number, newPrice: number, newQuantity: number, time: number): boolean {
    const listener = this.listener;
    let order = this.book.get(id);
    const inBook = order !== undefined;
    if (order === undefined) order = this.stops.get(id);
    if (order === undefined) {
      listener.requestRejected(id, 'modify', this.done.has(id) ? 'ORDER_NOT_OPEN' : 'UNKNOWN_ORDER', time);
      return false;
    }
    const o = order;
    // an untriggered STOP has no limit price: newPrice moves its trigger
    const movesTrigger = !inBook && o.type === 'STOP';
    const curPrice = movesTrigger ? o.triggerPrice : o.price;
    let price = curPrice;
    if (newPrice === newPrice) {
      if (!Number.isFinite(newPrice) || newPrice <= 0) return this.refuseModify(id, 'BAD_PRICE', time);
      if (newPrice % this.tick !== 0 || !Number.isInteger(newPrice)) return this.refuseModify(id, 'OFF_TICK_PRICE', time);
      price = newPrice;
    }
    let qty = o.quantity;
    if (newQuantity === newQuantity) {
      const r = this.sizeReason(newQuantity);
      if (r !== undefined) return this.refuseModify(id, r, time);
      if (newQuantity <= o.filled) return this.refuseModify(id, 'BAD_SIZE', time);
      qty = newQuantity;
    }
    if (o.reduceOnly && qty > o.quantity && !(qty - o.filled <= this.capacity(o.owner, o.side))) {
      return this.refuseModify(id, 'REDUCE_ONLY_WOULD_INCREASE', time);
    }
    if (inBook && o.postOnly && price !== curPrice && this.crosses(o.side, price)) {
      return this.refuseModify(id, 'POST_ONLY_WOULD_CROSS', time);
    }
    const losesPriority = price !== curPrice || qty > o.quantity;
    if (!losesPriority) {
      if (qty < o.quantity) {
        if (inBook) this.book.reduce(o, o.quantity - qty);
        else this.stops.reduce(o, o.quantity - qty);
      }
      listener.modified(o, time);
      return true;
    }
    if (inBook) {
      this.book.removeOrder(o);
      o.price = price;
      o.quantity = qty;
      o.priority = ++this.seq;
      o.acceptTime = time;
      listener.modified(o, time);
      this.take(o, time, false);
      return true;
    }
    this.stops.removeOrder(o);
    if (movesTrigger) o.triggerPrice = price;
    else o.price = price;
    o.quantity = qty;
    o.priority = ++this.seq;
    o.acceptTime = time;
    this.stops.add(o);
    listener.modified(o, time);
    const last = this.last;
    if (movesTrigger && last === last) {
      this.trigHigh = last;
      this.trigLow = last;
    }
    return true;
  }

  private refuseModify(id: number, reason: RejectReason, time: number): boolean {
    this.listener.requestRejected(id, 'modify', reason, time);
    return false;
  }

  // ------------------------------------------------------------------ expiry and endings

  private expireDue(time: number): void {
    const heap = this.expiries;
    while (heap.peekTime() <= time) {
      const o = heap.peekOrder()!;
      const t = heap.peekTime();
      heap.pop();
      if (o.expireTime !== t) continue;
      if (this.book.get(o.id) === o) this.book.removeOrder(o);
      else if (this.stops.get(o.id) === o) this.stops.removeOrder(o);
      else continue;
      o.closedQuantity += o.leaves;
      o.status = 'EXPIRED';
      this.done.add(o.id);
      this.listener.expired(o, time);
    }
  }

  private isLive(o: Order): boolean {
    return this.book.get(o.id) === o || this.stops.get(o.id) === o;
  }

  /** Cancels an order already taken out of the book (or never rested). */
  private close(o: Order, reason: CancelReason, time: number): void {
    o.closedQuantity += o.leaves;
    o.status = 'CANCELED';
    o.cancelReason = reason;
    this.done.add(o.id);
    this.listener.canceled(o, reason, time);
  }

  /**
   * Rejects an order that is not (or no longer) in any book: its open size becomes closed (an invalid,
   * e.g. negative or NaN, quantity is left as it is: there is nothing meaningful to close).
   */
  private reject(o: Order, reason: RejectReason, time: number, remember: boolean): void {
    const leaves = o.leaves;
    if (leaves > 0) o.closedQuantity += leaves;
    o.status = 'REJECTED';
    o.rejectReason = reason;
    if (remember) this.done.add(o.id);
    this.listener.rejected(o, reason, time);
  }

  private enter(action: string, time: number): void {
    if (this.busy) {
      throw new MarketsimError(
        'REENTRANT_CALL',
        `MatchingEngine(${this.instrument.symbol}).${action} at ${time} was called from inside a MatchListener callback; defer it (e.g. through the event queue)`,
      );
    }
    if (time !== time) {
      throw new MarketsimError('BAD_INPUT', `MatchingEngine(${this.instrument.symbol}).${action}: time must be a number of microseconds, got NaN`);
    }
    this.busy = true;
  }
}
