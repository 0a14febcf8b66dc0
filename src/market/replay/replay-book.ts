import { MarketsimError } from '../../core/errors.ts';
import type { Liquidity } from '../fees.ts';
import { IdMap } from '../id-map.ts';
import type { Instrument } from '../instrument.ts';
import type { BookDeltaEvent, BookSnapshotEvent, L3Event, TradeEvent } from '../market-data.ts';
import type { Order, Side } from '../order.ts';
import { L2Side, type L2Level } from './l2-side.ts';
import { isL3QueueModel, type L3QueueModel, type QueueEntry, type QueueModel } from './queue-model.ts';
import { RiskAverseQueueModel } from './queue-models.ts';
import { truncate } from '../../core/arrays.ts';

/** The data events a replayed book consumes (book events in integer units, trades in decimals). */
export type ReplayEvent = BookDeltaEvent | BookSnapshotEvent | L3Event | TradeEvent;

/**
 * Called for every fill of one of our orders: price and size in integer units, MAKER for a resting
 * order, TAKER for an order that took liquidity on arrival, and the data time of the fill.
 */
export type ReplayFillListener = (order: Order, priceUnits: number, sizeUnits: number, liquidity: Liquidity, time: number) => void;

/**
 * What `submit` did with an order:
 * - FILLED: filled completely on arrival;
 * - RESTING: rests in the book (possibly after a partial fill), waiting in its queue;
 * - REMAINDER: a MARKET (or triggered STOP), IOC or FOK order took what it could and has leaves that
 *   do not rest: the caller closes them (IOC_REMAINDER, or NO_LIQUIDITY for a market order that got nothing);
 * - FOK_NOT_FILLABLE: a FOK order that could not fill completely; nothing was taken;
 * - POST_ONLY_WOULD_CROSS: a post-only order that would take liquidity; nothing was taken;
 * - CLOSED: the fill listener closed the order while it was filling (e.g. a refused fill).
 */
export type SubmitOutcome = 'FILLED' | 'RESTING' | 'REMAINDER' | 'FOK_NOT_FILLABLE' | 'POST_ONLY_WOULD_CROSS' | 'CLOSED';

/** Options of a `ReplayBook`. */
export interface ReplayBookOptions {
  /** Queue position model of resting orders (default `RiskAverseQueueModel`). */
  queueModel?: QueueModel;
  /**
   * True (default): the book books each fill on the `Order` itself (`filled`, `filledNotional`,
   * `status`, as `bookFill` does) before calling the listener. False: the listener books it (the venue's
   * own execution path, which may also refuse it); the book then reads `order.filled` back to learn how
   * much was really filled, and takes only that from the replayed liquidity.
   */
  bookFills?: boolean;
  /**
   * What an L3 cancel, delete or execution larger than its level does. `'error'` (default): raises a
   * `REPLAY_BAD_EVENT` error naming the order id. `'clamp'`: the documented recovery for data that does
   * not see the whole book (a LOBSTER level-N file without its order-book corrections): the level is
   * removed and `clampedEvents` counts the event.
   */
  onOversizedRemoval?: 'error' | 'clamp';
}

/**
 * Books a fill on an order exactly as the simulated venue does: `filled` and `filledNotional` grow,
 * `status` becomes FILLED when nothing is left, else PARTIALLY_FILLED
 * (so `quantity = filled + closedQuantity + leaves` holds).
 */
export function bookFill(order: Order, priceUnits: number, sizeUnits: number): void {
  order.filled += sizeUnits;
  order.filledNotional += priceUnits * sizeUnits;
  order.status = order.filled === order.quantity - order.closedQuantity ? 'FILLED' : 'PARTIALLY_FILLED';
}

/** One of our orders resting in a replayed book, with its queue state (a `QueueEntry`). */
export class RestingOrder implements QueueEntry {
  readonly order: Order;
  readonly side: Side;
  /** Limit price, price units. */
  readonly price: number;
  readonly lot: number;
  front = 0;
  cumTrade = 0;
  /** Number of venue (L3) adds the book had seen when we arrived: venue orders added later are behind us. */
  seq = 0;
  /** False once filled, canceled or closed (removed from the book at the end of the current call). */
  active = true;
  /** Scratch: the data's size at our price before a snapshot. */
  prevSize = 0;
  constructor(order: Order, price: number, lot: number) {
    this.order = order;
    this.side = order.side;
    this.price = price;
    this.lot = lot;
  }
}

/** A venue order of the L3 data, tracked only for the L3 FIFO model (which needs to know who is ahead). */
class VenueOrder {
  constructor(public size: number, public seq: number) {}
}

/**
 * The market's book as replayed from data, for one instrument, with OUR orders simulated on top of it.
 * Our orders are never inserted into the replayed data; the data never reacts to them (no market impact).
 * Rules (docs/queue-models.md, each with a worked example that is a test in test/market/replay-book.test.ts):
 *
 * 1. The book: L2 levels per side in integer units, set by `book-delta` (the level's size is replaced)
 *    and `book-snapshot` (everything is replaced), or changed by L3 events (add +size; cancel, delete,
 *    execute -size; hidden executions leave the book unchanged).
 * 2. Taking: a MARKET order or a marketable LIMIT walks the opposite side from the best level and takes
 *    whole lots at each level's price, as TAKER, up to its limit. What it takes is recorded as the level's
 *    `consumed` size and cannot be taken again by any of our orders until the DATA sets that level again:
 *    a delta for that price replaces the size and clears consumption; a snapshot clears it everywhere; a
 *    level that disappears loses it. L3 adds leave consumption as it is (new orders behind are available);
 *    an L3 decrease keeps consumption but never above the new size (the removed size is assumed to be
 *    untaken size first).
 * 3. Resting: the remainder of a LIMIT order (not IOC/FOK) rests at its price. Its queue model starts it
 *    behind the data's size at that price (less what we took there) and moves it on trades and depth
 *    changes at that price; a fill the model reports is a MAKER fill at our limit.
 * 4. Crossing: when the data shows opposite liquidity at or through our resting limit (an ask at or
 *    below our buy limit), that liquidity would have traded with us first: we fill at OUR limit, as
 *    MAKER, up to the crossing size still available (best priced opposite levels first, our best priced
 *    orders first), and that size counts as consumed.
 * 5. Trade-through: a trade (or L3 execution) on our side at a price worse than our limit (a sell
 *    hitting bids below our buy limit) would have hit us first: we fill at our limit, as MAKER. One
 *    print's size is shared: our orders through it first (best price first), then our orders at its
 *    price through the queue model, never more in total than the print's size.
 * 6. Trades: a `trade` event's passive side is the opposite of its aggressor; with no aggressor it is
 *    inferred from the book (at or above the best ask: buyer-initiated; at or below the best bid:
 *    seller-initiated; strictly inside the spread: ignored). Once the book has seen an L3 event, trade
 *    events are ignored: L3 executions are the trades (a trade event then duplicates one, or reports a
 *    hidden execution that was never in the visible queue).
 *
 * Our STOP orders are the caller's to trigger: a STOP given to `submit` works as MARKET, a STOP_LIMIT as
 * LIMIT. Time in force, expiry, funds and fees stay with the caller (the venue); the book reports fills
 * through the listener and what became of each submission through `SubmitOutcome`.
 *
 * Cost: data events touch one level (O(1) at the top of book) and look at our orders only when some of
 * ours are at or through that price; no allocation per event.
 */
export class ReplayBook {
  readonly instrument: Instrument;
  /** The data's bid levels (best = highest, last). */
  readonly bids = new L2Side(true);
  /** The data's ask levels (best = lowest, last). */
  readonly asks = new L2Side(false);
  readonly queueModel: QueueModel;
  private readonly l3Model: L3QueueModel | undefined;
  private readonly venueOrders: IdMap<VenueOrder> | undefined;
  /** Records of venue orders that left the book, reused (no allocation per L3 add in steady state). */
  private readonly freeVenueOrders: VenueOrder[] = [];
  private readonly onFill: ReplayFillListener;
  private readonly bookFills: boolean;
  private readonly lot: number;
  /** Our resting buys, best (highest) price first, then arrival order. */
  private readonly userBids: RestingOrder[] = [];
  /** Our resting sells, best (lowest) price first, then arrival order. */
  private readonly userAsks: RestingOrder[] = [];
  private readonly resting = new Map<number, RestingOrder>();
  /** Orders that started resting during a listener callback; inserted when the outer call ends. */
  private readonly pending: RestingOrder[] = [];
  private addSeq = 0;
  private l3Seen = false;
  private depth = 0;
  private dirty = false;
  /** Size of the print being shared out (trade-through and queue fills of one trade or execution). */
  private printLeft = 0;
  private readonly clampRemovals: boolean;
  /** L3 removals larger than their level that were clamped (`onOversizedRemoval: 'clamp'`). */
  clampedEvents = 0;

  constructor(instrument: Instrument, onFill: ReplayFillListener, options: ReplayBookOptions = {}) {
    this.instrument = instrument;
    this.onFill = onFill;
    this.queueModel = options.queueModel ?? new RiskAverseQueueModel();
    this.l3Model = isL3QueueModel(this.queueModel) ? this.queueModel : undefined;
    this.venueOrders = this.l3Model ? new IdMap<VenueOrder>() : undefined;
    this.bookFills = options.bookFills ?? true;
    this.lot = instrument.lotUnits;
    this.clampRemovals = options.onOversizedRemoval === 'clamp';
  }

  // ------------------------------------------------------------------------------------ views

  /** Best bid price in units, NaN when the bid side is empty. */
  bestBid(): number {
    const l = this.bids.best();
    return l === null ? NaN : l.price;
  }
  /** Best ask price in units, NaN when the ask side is empty. */
  bestAsk(): number {
    const l = this.asks.best();
    return l === null ? NaN : l.price;
  }
  /** The data's size at a price (size units, 0 when no level). */
  sizeAt(side: Side, price: number): number {
    return (side === 'BUY' ? this.bids : this.asks).sizeAt(price);
  }
  /** What our orders have taken at a level and cannot take again until the data sets it (size units). */
  consumedAt(side: Side, price: number): number {
    const l = (side === 'BUY' ? this.bids : this.asks).find(price);
    return l === null ? 0 : l.consumed;
  }
  /** What our orders can still take at a level: size - consumed (size units). */
  availableAt(side: Side, price: number): number {
    const l = (side === 'BUY' ? this.bids : this.asks).find(price);
    return l === null ? 0 : l.size - l.consumed;
  }
  /** The queue ahead of one of our resting orders (size units; an estimate for L2 models), NaN when it does not rest here. */
  queueAhead(orderId: number): number {
    const r = this.resting.get(orderId);
    return r === undefined ? NaN : r.front;
  }
  /**
   * True when `order` would take liquidity if it arrived now (a MARKET or STOP order, or a limit
   * with whole lots available at or through its price): the post-only check a venue makes before accepting.
   */
  wouldTake(order: Order): boolean {
    const buy = order.side === 'BUY';
    const market = order.type === 'MARKET' || order.type === 'STOP';
    const limit = market ? (buy ? Infinity : -Infinity) : order.price;
    return this.takeable(buy ? this.asks : this.bids, buy, limit, 1) > 0;
  }
  /** True when our order rests in this book. */
  isResting(orderId: number): boolean {
    return this.resting.has(orderId);
  }
  /** Number of our orders resting here. */
  get restingCount(): number {
    return this.resting.size;
  }
  /** True once an L3 event has been applied (trade events are then ignored; see rule 6). */
  get isL3(): boolean {
    return this.l3Seen;
  }

  // ------------------------------------------------------------------------------------ data

  /** Applies one data event of this instrument. */
  onEvent(e: ReplayEvent): void {
    switch (e.kind) {
      case 'book-delta':
        return this.applyDelta(e);
      case 'book-snapshot':
        return this.applySnapshot(e);
      case 'l3':
        return this.applyL3(e);
      case 'trade':
        return this.applyTrade(e);
    }
  }

  /** L2: sets the level's size (0 removes it) and clears what we had taken there. */
  applyDelta(e: BookDeltaEvent): void {
    this.checkInstrument(e.instrument, e.time);
    if (!Number.isSafeInteger(e.price)) throw this.bad(e.time, `book-delta price ${e.price} is not an integer of price units`);
    if (!Number.isSafeInteger(e.size) || e.size < 0) throw this.bad(e.time, `book-delta size ${e.size} at price ${e.price} is not a non-negative integer of size units`);
    this.depth++;
    try {
      const prev = (e.side === 'BUY' ? this.bids : this.asks).set(e.price, e.size);
      this.depthChanged(e.side, e.price, prev, e.size, e.time);
      if (e.size > 0) this.crossUsers(e.side === 'BUY' ? 'SELL' : 'BUY', e.time);
    } finally {
      this.leave();
    }
  }

  /** L2: replaces the whole book; all consumption is cleared. Our queues see the size change at their price. */
  applySnapshot(e: BookSnapshotEvent): void {
    this.checkInstrument(e.instrument, e.time);
    if (e.bidPrices.length !== e.bidSizes.length || e.askPrices.length !== e.askSizes.length) {
      throw this.bad(e.time, `book-snapshot has ${e.bidPrices.length} bid prices but ${e.bidSizes.length} sizes, ${e.askPrices.length} ask prices but ${e.askSizes.length} sizes`);
    }
    checkLevels(this, e.time, 'bid', e.bidPrices, e.bidSizes);
    checkLevels(this, e.time, 'ask', e.askPrices, e.askSizes);
    this.depth++;
    try {
      this.recordPrev(this.userBids, this.bids);
      this.recordPrev(this.userAsks, this.asks);
      this.bids.clear();
      this.asks.clear();
      for (let i = 0; i < e.bidPrices.length; i++) if (e.bidSizes[i]! > 0) this.bids.set(e.bidPrices[i]!, e.bidSizes[i]!);
      for (let i = 0; i < e.askPrices.length; i++) if (e.askSizes[i]! > 0) this.asks.set(e.askPrices[i]!, e.askSizes[i]!);
      this.snapshotDepth(this.userBids, this.bids, e.time);
      this.snapshotDepth(this.userAsks, this.asks, e.time);
      this.crossUsers('BUY', e.time);
      this.crossUsers('SELL', e.time);
    } finally {
      this.leave();
    }
  }

  /** L3: one order-by-order message. */
  applyL3(e: L3Event): void {
    this.checkInstrument(e.instrument, e.time);
    if (!Number.isSafeInteger(e.price)) throw this.bad(e.time, `l3 ${e.action} of order ${e.orderId}: price ${e.price} is not an integer of price units`);
    if (!Number.isSafeInteger(e.size) || e.size <= 0) throw this.bad(e.time, `l3 ${e.action} of order ${e.orderId}: size ${e.size} is not a positive integer of size units`);
    this.l3Seen = true;
    this.depth++;
    try {
      const book = e.side === 'BUY' ? this.bids : this.asks;
      const action = e.action;
      if (action === 'add') {
        const vo = this.venueOrders;
        if (vo !== undefined && vo.has(e.orderId)) throw this.bad(e.time, `l3 add of order ${e.orderId}, which is already resting`);
        const prev = book.change(e.price, e.size);
        if (vo !== undefined) {
          const rec = this.freeVenueOrders.length > 0 ? this.freeVenueOrders.pop()! : new VenueOrder(0, 0);
          rec.size = e.size;
          rec.seq = ++this.addSeq;
          vo.set(e.orderId, rec);
        }
        this.l3AtPrice(e, 0, prev, prev + e.size);
        this.crossUsers(e.side === 'BUY' ? 'SELL' : 'BUY', e.time);
        return;
      }
      if (action === 'hidden-execute') {
        this.printLeft = e.size;
        this.tradeThrough(e.side, e.price, e.time);
        return;
      }
      let prev = book.change(e.price, -e.size);
      let next = prev - e.size;
      if (prev < 0) {
        if (!this.clampRemovals) {
          throw this.bad(e.time, `l3 ${action} of order ${e.orderId} for ${e.size} at ${e.side} price ${e.price}, but the level holds only ${book.sizeAt(e.price)}`);
        }
        this.clampedEvents++;
        prev = book.set(e.price, 0);
        next = 0;
      }
      let seq = -1; // unknown venue order: seeded before any of ours, so ahead of all of them
      const vo = this.venueOrders;
      if (vo !== undefined) {
        const o = vo.get(e.orderId);
        if (o !== undefined) {
          seq = o.seq;
          o.size -= e.size;
          if (o.size <= 0 || action === 'delete') {
            vo.delete(e.orderId);
            this.freeVenueOrders.push(o);
          }
        }
      }
      if (action === 'execute') {
        this.printLeft = e.size;
        this.tradeThrough(e.side, e.price, e.time);
      }
      this.l3AtPrice(e, seq, prev, next);
    } finally {
      this.leave();
    }
  }

  /** A trade print: moves the queues at its price on its passive side and fills our orders it trades through. Ignored once L3 events were seen. */
  applyTrade(e: TradeEvent): void {
    this.checkInstrument(e.instrument, e.time);
    const price = this.instrument.priceUnits(e.price);
    const size = this.instrument.sizeUnits(e.size);
    if (!Number.isSafeInteger(price)) throw this.bad(e.time, `trade price ${e.price} is not on the price grid of ${this.instrument.pricePrecision} decimals`);
    if (!Number.isSafeInteger(size) || size < 0) throw this.bad(e.time, `trade size ${e.size} is not a non-negative size on the grid of ${this.instrument.sizePrecision} decimals`);
    if (this.l3Seen) return;
    let passive: Side;
    if (e.aggressor !== undefined) passive = e.aggressor === 'BUY' ? 'SELL' : 'BUY';
    else {
      const ask = this.asks.best();
      const bid = this.bids.best();
      if (ask !== null && price >= ask.price) passive = 'SELL';
      else if (bid !== null && price <= bid.price) passive = 'BUY';
      else return;
    }
    if ((passive === 'BUY' ? this.userBids : this.userAsks).length === 0) return;
    this.depth++;
    try {
      this.printLeft = size;
      this.tradeThrough(passive, price, e.time);
      const users = passive === 'BUY' ? this.userBids : this.userAsks;
      const model = this.queueModel;
      for (let i = 0; i < users.length; i++) {
        const r = users[i]!;
        if (passive === 'BUY' ? r.price < price : r.price > price) break;
        if (r.price !== price || !r.active) continue;
        model.onTrade(r, size);
        this.pay(r, true, e.time);
      }
    } finally {
      this.leave();
    }
  }

  // ------------------------------------------------------------------------------------ our orders

  /**
   * One of our orders reaches the book at `time` (after its order-entry latency; the caller has
   * validated it and triggered stops). See `SubmitOutcome` for what can happen.
   */
  submit(order: Order, time: number): SubmitOutcome {
    if (order.instrument !== this.instrument) throw new MarketsimError('REPLAY_WRONG_INSTRUMENT', `order ${order.id} is for ${order.instrument.symbol}, this replay book is ${this.instrument.symbol}`);
    if (this.resting.has(order.id)) throw new MarketsimError('REPLAY_DUPLICATE_ORDER', `order ${order.id} already rests in the ${this.instrument.symbol} replay book`);
    if (!(order.leaves > 0)) throw new MarketsimError('REPLAY_BAD_ORDER', `order ${order.id} has nothing left to fill (leaves ${order.leaves})`);
    const market = order.type === 'MARKET' || order.type === 'STOP';
    if (!market && !Number.isSafeInteger(order.price)) throw new MarketsimError('REPLAY_BAD_ORDER', `order ${order.id}: ${order.type} needs an integer limit price, got ${order.price}`);
    const buy = order.side === 'BUY';
    const limit = market ? (buy ? Infinity : -Infinity) : order.price;
    const opp = buy ? this.asks : this.bids;
    this.depth++;
    try {
      if (order.postOnly && !market && this.takeable(opp, buy, limit, 1) > 0) return 'POST_ONLY_WOULD_CROSS';
      if (order.tif === 'FOK' && this.takeable(opp, buy, limit, order.leaves) < order.leaves) return 'FOK_NOT_FILLABLE';
      this.walk(order, opp, buy, limit, time);
      if (order.isDone) return order.status === 'FILLED' ? 'FILLED' : 'CLOSED';
      if (market || order.tif === 'IOC' || order.tif === 'FOK') return 'REMAINDER';
      const r = new RestingOrder(order, order.price, this.lot);
      r.seq = this.addSeq;
      const own = (buy ? this.bids : this.asks).find(order.price);
      this.queueModel.newOrder(r, own === null ? 0 : own.size - own.consumed);
      this.resting.set(order.id, r);
      if (this.depth > 1) this.pending.push(r);
      else this.insertSorted(r);
      return 'RESTING';
    } finally {
      this.leave();
    }
  }

  /** Takes one of our orders out of the book (the caller books the cancel). False when it was not resting. */
  cancel(orderId: number): boolean {
    const r = this.resting.get(orderId);
    if (r === undefined) return false;
    r.active = false;
    this.resting.delete(orderId);
    this.dirty = true;
    if (this.depth === 0) this.compact();
    const p = this.pending.indexOf(r);
    if (p >= 0) this.pending.splice(p, 1);
    return true;
  }

  // ------------------------------------------------------------------------------------ internals

  private checkInstrument(inst: Instrument, time: number): void {
    if (inst !== this.instrument) throw this.bad(time, `event for ${inst.symbol} given to the ${this.instrument.symbol} replay book`);
  }

  /** A replay error naming the instrument and the data time. */
  bad(time: number, message: string): MarketsimError {
    return new MarketsimError('REPLAY_BAD_EVENT', `${this.instrument.symbol} replay book at time ${time}: ${message}`);
  }

  private lotFloor(x: number): number {
    return x - (x % this.lot);
  }

  /** Size our order could take on arrival, whole lots, counting up to `enough`. */
  private takeable(opp: L2Side, buy: boolean, limit: number, enough: number): number {
    const levels = opp.levels;
    let sum = 0;
    for (let i = levels.length - 1; i >= 0 && sum < enough; i--) {
      const lv = levels[i]!;
      if (buy ? lv.price > limit : lv.price < limit) break;
      sum += this.lotFloor(lv.size - lv.consumed);
    }
    return sum;
  }

  /** Takes liquidity for an arriving order, best level first, as TAKER at each level's price. */
  private walk(order: Order, opp: L2Side, buy: boolean, limit: number, time: number): void {
    const levels = opp.levels;
    for (let i = levels.length - 1; i >= 0; i--) {
      const leaves = order.leaves;
      if (leaves <= 0 || order.isDone) return;
      const lv = levels[i]!;
      if (buy ? lv.price > limit : lv.price < limit) return;
      const avail = this.lotFloor(lv.size - lv.consumed);
      if (avail <= 0) continue;
      if (!this.takeFrom(lv, order, lv.price, avail < leaves ? avail : leaves, 'TAKER', time)) return;
    }
  }

  /** Fills `qty` of `order` against level `lv` at `price`, marking it consumed first (re-entrancy safe). False when the listener refused part of it. */
  private takeFrom(lv: L2Level, order: Order, price: number, qty: number, liq: Liquidity, time: number): boolean {
    lv.consumed += qty;
    const got = this.fill(order, price, qty, liq, time);
    if (got < qty) {
      lv.consumed -= qty - got;
      return false;
    }
    return true;
  }

  /** Reports a fill; returns how much the order's `filled` really grew. */
  private fill(order: Order, price: number, qty: number, liq: Liquidity, time: number): number {
    const before = order.filled;
    if (this.bookFills) bookFill(order, price, qty);
    this.onFill(order, price, qty, liq, time);
    const got = order.filled - before;
    return got > 0 ? got : 0;
  }

  /** Collects what the queue model says is filled; `capped`: the fill comes out of the current print. */
  private pay(r: RestingOrder, capped: boolean, time: number): void {
    let n = this.queueModel.filled(r);
    if (n > 0 && capped) {
      const left = this.lotFloor(this.printLeft);
      if (n > left) n = left;
    }
    if (n > 0 && r.active && !r.order.isDone) {
      const got = this.fill(r.order, r.price, n, 'MAKER', time);
      if (capped) this.printLeft -= got;
    }
    this.retireIfDone(r);
  }

  private retireIfDone(r: RestingOrder): void {
    if (r.active && (r.order.isDone || r.order.leaves <= 0)) {
      r.active = false;
      this.resting.delete(r.order.id);
      this.dirty = true;
    }
  }

  /** Our orders on `side` at `price` see the data's size there change from `prev` to `next` (an L2 event). */
  private depthChanged(side: Side, price: number, prev: number, next: number, time: number): void {
    const users = side === 'BUY' ? this.userBids : this.userAsks;
    const buy = side === 'BUY';
    const model = this.queueModel;
    for (let i = 0; i < users.length; i++) {
      const r = users[i]!;
      if (buy ? r.price < price : r.price > price) break;
      if (r.price !== price || !r.active) continue;
      model.onDepth(r, prev, next);
      this.pay(r, false, time);
    }
  }

  /** An L3 event at our orders' price: the L3 model sees who it was about, an L2 model a trade and/or a depth change. */
  private l3AtPrice(e: L3Event, venueSeq: number, prev: number, next: number): void {
    const buy = e.side === 'BUY';
    const users = buy ? this.userBids : this.userAsks;
    const price = e.price;
    const l3 = this.l3Model;
    const model = this.queueModel;
    const exec = e.action === 'execute';
    for (let i = 0; i < users.length; i++) {
      const r = users[i]!;
      if (buy ? r.price < price : r.price > price) break;
      if (r.price !== price || !r.active) continue;
      if (l3 !== undefined) {
        // an add is always behind us; a known venue order is ahead when it was added before we arrived
        const ahead = e.action !== 'add' && venueSeq <= r.seq;
        l3.onL3(r, e.action, ahead, e.size);
        this.pay(r, exec, e.time);
      } else {
        if (exec) {
          model.onTrade(r, e.size);
          this.pay(r, true, e.time);
        }
        if (r.active) {
          model.onDepth(r, prev, next);
          this.pay(r, false, e.time);
        }
      }
    }
  }

  /** Our orders on `side` priced better than a print at `price` fill at their limit, sharing `printLeft`. */
  private tradeThrough(side: Side, price: number, time: number): void {
    const buy = side === 'BUY';
    const users = buy ? this.userBids : this.userAsks;
    for (let i = 0; i < users.length; i++) {
      const r = users[i]!;
      if (buy ? r.price <= price : r.price >= price) break;
      if (!r.active || r.order.isDone) continue;
      const left = this.lotFloor(this.printLeft);
      if (left <= 0) return;
      const leaves = r.order.leaves;
      const got = this.fill(r.order, r.price, leaves < left ? leaves : left, 'MAKER', time);
      this.printLeft -= got;
      this.retireIfDone(r);
    }
  }

  /** Our resting orders on `userSide` fill against data liquidity at or through their limit (rule 4). */
  private crossUsers(userSide: Side, time: number): void {
    const buy = userSide === 'BUY';
    const users = buy ? this.userBids : this.userAsks;
    if (users.length === 0) return;
    const levels = (buy ? this.asks : this.bids).levels;
    for (let u = 0; u < users.length; u++) {
      const r = users[u]!;
      if (!r.active || r.order.isDone) continue;
      let i = levels.length - 1;
      if (i < 0 || (buy ? levels[i]!.price > r.price : levels[i]!.price < r.price)) return; // later orders are priced worse
      for (; i >= 0; i--) {
        const lv = levels[i]!;
        if (buy ? lv.price > r.price : lv.price < r.price) break;
        const leaves = r.order.leaves;
        if (leaves <= 0 || r.order.isDone) break;
        const avail = this.lotFloor(lv.size - lv.consumed);
        if (avail <= 0) continue;
        if (!this.takeFrom(lv, r.order, r.price, avail < leaves ? avail : leaves, 'MAKER', time)) break;
      }
      this.retireIfDone(r);
    }
  }

  private recordPrev(users: RestingOrder[], side: L2Side): void {
    for (let i = 0; i < users.length; i++) users[i]!.prevSize = side.sizeAt(users[i]!.price);
  }

  private snapshotDepth(users: RestingOrder[], side: L2Side, time: number): void {
    const model = this.queueModel;
    for (let i = 0; i < users.length; i++) {
      const r = users[i]!;
      if (!r.active) continue;
      const next = side.sizeAt(r.price);
      if (next === r.prevSize) continue;
      model.onDepth(r, r.prevSize, next);
      this.pay(r, false, time);
    }
  }

  private insertSorted(r: RestingOrder): void {
    const buy = r.side === 'BUY';
    const users = buy ? this.userBids : this.userAsks;
    let i = users.length;
    // after every order priced at least as well (stable: arrival order within a price)
    while (i > 0 && (buy ? users[i - 1]!.price < r.price : users[i - 1]!.price > r.price)) i--;
    users.splice(i, 0, r);
  }

  private leave(): void {
    if (--this.depth !== 0) return;
    if (this.pending.length > 0) {
      for (let i = 0; i < this.pending.length; i++) {
        const r = this.pending[i]!;
        if (r.active) this.insertSorted(r);
      }
      truncate(this.pending, 0);
    }
    if (this.dirty) this.compact();
  }

  private compact(): void {
    this.dirty = false;
    this.compactSide(this.userBids);
    this.compactSide(this.userAsks);
  }

  private compactSide(users: RestingOrder[]): void {
    let j = 0;
    for (let i = 0; i < users.length; i++) {
      const r = users[i]!;
      if (r.active && !r.order.isDone) users[j++] = r;
      else if (r.active) {
        r.active = false;
        this.resting.delete(r.order.id);
      }
    }
    truncate(users, j);
  }
}

function checkLevels(book: ReplayBook, time: number, name: string, prices: number[], sizes: number[]): void {
  for (let i = 0; i < prices.length; i++) {
    if (!Number.isSafeInteger(prices[i]) || !Number.isSafeInteger(sizes[i]) || sizes[i]! < 0) {
      throw book.bad(time, `book-snapshot ${name} level ${i}: price ${prices[i]} / size ${sizes[i]} must be integer units with size >= 0`);
    }
  }
}
