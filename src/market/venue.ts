import type { EventQueue, Scheduled } from '../core/event-queue.ts';
import { MarketsimError } from '../core/errors.ts';
import { US_PER_DAY } from '../core/time.ts';
import type { Instrument } from './instrument.ts';
import type { BarEvent, MarketEvent, StatusEvent } from './market-data.ts';
import type { CancelReason, Order, RejectReason } from './order.ts';
import { validateOrder } from './order-validation.ts';
import { noFees, type FeeModel, type Liquidity as FillLiquidity } from './fees.ts';
import { barFillPrice, defaultDataFillOptions, quoteFillPrice, tradeFillPrice, type DataFillOptions } from './fill-model.ts';
import type { Fill, OrderUpdate, VenueAccount } from './venue-types.ts';
import { MatchingEngine, type MatchListener } from './matching-engine.ts';
import { ReplayBook, type SubmitOutcome } from './replay/replay-book.ts';
import { RiskAverseQueueModel } from './replay/queue-models.ts';
import type { QueueModel } from './replay/queue-model.ts';
import { opposite, type SelfTradePrevention, type Side } from './order.ts';
import { IdMap } from './id-map.ts';
import { truncate } from '../core/arrays.ts';

/** Options of a simulated venue. */
export interface VenueOptions {
  name?: string;
  fees?: FeeModel;
  fill?: Partial<DataFillOptions>;
  /** Whether the instrument trades at `time` (sessions, halts); closed -> orders rejected MARKET_CLOSED. Default: always open. */
  isOpen?: (instrument: Instrument, time: number) => boolean;
  /** Self-trade prevention in order books (default CANCEL_TAKER). */
  stp?: SelfTradePrevention;
  /** Called after every change of an order book (book-mode instruments), with the engine that changed. */
  onBookChange?: (engine: MatchingEngine, time: number) => void;
  /** Queue position model of resting orders in replayed books (default: risk-averse). */
  queueModel?: QueueModel;
  /**
   * What an OUTAGE status does to resting orders: `keep` them (default; they cannot fill until RESUME)
   * or `cancel` them with reason VENUE_OUTAGE. New orders are rejected VENUE_OUTAGE either way.
   */
  outagePolicy?: 'keep' | 'cancel';
  /**
   * An asset class's order rules for an instrument, or undefined for none (docs/order-lifecycle.md,
   * "Asset rules"): sessions, when DAY orders expire, extra checks such as the equity tick rule or
   * the short-sale rules.
   */
  rules?: (instrument: Instrument) => InstrumentRules | undefined;
  /**
   * Status events the venue makes itself (an instrument's rules halting or resuming it: a LULD pause,
   * a circuit breaker, a reopening), for the caller to deliver like the data's status events.
   */
  onStatus?: (e: StatusEvent) => void;
  /**
   * A split took effect (an instrument's rules, corporate actions): the accounts adjust their positions.
   * Ratio new:old in lowest terms; `cashPrice` (price units, post-split) values a fractional share paid in cash.
   */
  onSplit?: (instrument: Instrument, ratioNew: number, ratioOld: number, cashPrice: number, time: number) => void;
  /**
   * A periodic charge on short positions (equity borrow fees at each close): the accounts charge
   * `feeFor(quantity, cashPrecision)` cash units (>= 0) for a short of `quantity` size units (< 0).
   */
  onShortFee?: (instrument: Instrument, time: number, feeFor: (quantity: number, cashPrecision: number) => number) => void;
}

/** What an instrument's rules see of the venue when they check an order. */
export interface RulesView {
  /** Best bid (price units) of the instrument now, NaN when unknown. */
  bestBid: number;
  /** Best ask (price units), NaN when unknown. */
  bestAsk: number;
  /** The owner's position (size units, signed). */
  position: number;
}

/**
 * An asset class's order rules for one instrument (all optional). The first three answer questions;
 * the others let rules with a life of their own (equity sessions, auctions, halts, corporate actions:
 * src/assets/equity/equity-rules.ts) follow the market and act on the venue through a `RulesHost`.
 */
export interface InstrumentRules {
  /** Whether orders are accepted at `time`; `extended` when the order opts in to extended hours. */
  isOpen?(time: number, extended: boolean): boolean;
  /** When a DAY order accepted at `time` expires (default: the end of its UTC day); `order` when known. */
  dayEnd?(time: number, order?: Order): number;
  /** Extra checks at arrival, after the generic ones: a rejection reason or undefined. May reprice a limit order (a price band). */
  check?(order: Order, time: number, view: RulesView): RejectReason | undefined;
  /** True when the instrument runs auctions: orders with `auction` set are held for them (else rejected INVALID_AUCTION_ORDER). */
  readonly auctions?: boolean;
  /** Called once when the venue lists the instrument, with the host through which the rules act on the venue. */
  attach?(host: RulesHost): void;
  /**
   * A bar, quote, trade or status event of the instrument, before the venue uses it. For a status event,
   * returning true means the rules handled it (the venue then skips its own HALT/RESUME handling).
   */
  onData?(e: MarketEvent): boolean | void;
  /** After a book-mode or replayed book changed: best bid, best ask and last trade, price units (NaN unknown). */
  onBook?(time: number, bid: number, ask: number, last: number): void;
  /** A timer asked for with `RulesHost.schedule` is due. */
  onTimer?(now: number): void;
  /** An order arriving while the instrument is HALTED: 'QUEUE' holds it for the reopening auction; else the rejection reason. Default HALTED. */
  onHaltedOrder?(order: Order, time: number): RejectReason | 'QUEUE';
}

/**
 * What an instrument's rules may do at the venue (one host per listed instrument, cold path). Orders
 * "held" wait for an auction (on-open, on-close, queued during a halt) and never trade continuously;
 * "resting" orders are the continuous ones (data-mode working orders, or the book's resting limit
 * orders; none for replayed books, whose queues belong to the replay).
 */
export interface RulesHost {
  readonly instrument: Instrument;
  readonly liquidity: LiquiditySource;
  /** Calls the rules' `onTimer(time)` at `time` (once per distinct time). */
  schedule(time: number): void;
  /**
   * Sets the instrument's trading status (HALT and QUOTING block orders and fills, RESUME ends it) and,
   * unless `publish` is false (a status the data already carries), publishes it through `VenueOptions.onStatus`.
   */
  status(status: 'HALT' | 'QUOTING' | 'RESUME', reason: string, time: number, publish?: boolean): void;
  /** True while a HALT or QUOTING status blocks the instrument. */
  readonly halted: boolean;
  /** Orders waiting for an auction, in priority order (a fresh array). */
  heldOrders(): Order[];
  /** Open continuous orders (a fresh array); in a book, its resting limit orders of every owner, best price first. */
  restingOrders(): Order[];
  /** Books an auction execution of `quantity` at `price` for a held or resting order (funds are checked as for any fill). */
  fillAt(order: Order, price: number, quantity: number, time: number): void;
  /** After an auction: the last price of a book-mode instrument becomes `price` (stops may fire). */
  auctionPrint(price: number, time: number): void;
  /** A held order joins continuous trading (a limit order left after a reopening auction). */
  release(order: Order, time: number): void;
  /** Cancels an open order (held or resting) with `reason`. */
  cancelOrder(order: Order, reason: CancelReason, time: number): void;
  /** New open size (size units), limit price and trigger (price units, NaN none) of an open order: a MODIFIED update. */
  adjustOrder(order: Order, leaves: number, price: number, triggerPrice: number, time: number): void;
  /** Expires the DAY orders whose end has come (data and replay liquidity; books expire their own). */
  expireDayOrders(time: number): void;
  /** Last price (price units, NaN unknown), best bid and ask (NaN unknown). */
  lastPrice(): number;
  bestBid(): number;
  bestAsk(): number;
  /** A split takes effect for the accounts (`VenueOptions.onSplit`). */
  split(ratioNew: number, ratioOld: number, cashPrice: number, time: number): void;
  /** A fee on short positions (`VenueOptions.onShortFee`). */
  shortFee(time: number, feeFor: (quantity: number, cashPrecision: number) => number): void;
}

/**
 * Where an instrument's liquidity comes from: `data` (recorded or synthetic bars, quotes and trades;
 * orders filled by the fill rules) or `book` (an L3 order book: orders match each other through the
 * matching engine with price-time priority) or `replay` (a book replayed from L2/L3 data: our orders
 * walk it and wait in its queues, docs/queue-models.md, without ever being inserted into the data).
 */
export type LiquiditySource = 'data' | 'book' | 'replay';

interface InstrumentState {
  instrument: Instrument;
  /** Working orders in priority (acceptance) order. */
  working: Order[];
  lastKind: 'bar' | 'quote' | 'trade' | undefined;
  lastTime: number;
  lastClose: number;
  bid: number;
  ask: number;
  bidSize: number;
  askSize: number;
  /** Why the instrument cannot trade now (a HALT or OUTAGE status), or undefined when it trades. */
  block: 'HALTED' | 'VENUE_OUTAGE' | undefined;
  /** The asset class's order rules, if any. */
  rules: InstrumentRules | undefined;
  /** Orders held for an auction (see `RulesHost`), in priority order. */
  held: Order[];
  liquidity: LiquiditySource;
  /** Data liquidity with no data hook in its rules: a bar only moves the last price and fills working orders (the fast path of `onMarketEvent`). */
  plainData: boolean;
}

/** Links between orders: OCO groups and bracket parents. */
interface Contingency {
  oco: Order[] | undefined;
  /** Set while a book cancels this order because an OCO sibling filled (reported as reason OCO). */
  ocoCancel?: boolean;
  /** Children of a bracket entry, held until the entry is done. */
  children: Order[] | undefined;
}

class BookExpiry implements Scheduled {
  seq = 0;
  constructor(public time: number, readonly engine: MatchingEngine, readonly venue: SimulatedVenue) {}
  fire(now: number): void {
    this.venue.expireBook(this.engine, now);
  }
}

class RulesTimer implements Scheduled {
  seq = 0;
  constructor(public time: number, readonly rules: InstrumentRules, readonly pending: Set<number>) {}
  fire(now: number): void {
    this.pending.delete(this.time);
    this.rules.onTimer?.(now);
  }
}

class GtdExpiry implements Scheduled {
  seq = 0;
  constructor(public time: number, readonly order: Order, readonly venue: SimulatedVenue) {}
  fire(now: number): void {
    this.venue.expireIfOpen(this.order, now);
  }
}

/**
 * A simulated exchange for orders matched against recorded or synthetic market data (bars, quotes,
 * trades): the venue's "data" mode. It owns the working orders, validates them, applies the fill
 * rules of `fill-model.ts`, charges fees, asks the owner's account whether a fill can be paid for,
 * handles time in force, OCO and bracket orders, and reports every state change as an `OrderUpdate`.
 * It never talks to a strategy directly: the simulation delivers updates through the response latency.
 *
 * Rules: docs/order-lifecycle.md and docs/fill-rules.md.
 */
export class SimulatedVenue {
  readonly name: string;
  private readonly fees: FeeModel;
  private readonly fill: DataFillOptions;
  private readonly isOpen: (instrument: Instrument, time: number) => boolean;
  private readonly states: InstrumentState[] = [];
  private readonly ordersById = new IdMap<Order>(64);
  private readonly links = new Map<number, Contingency>();
  /** Expiry time of each working DAY order (data and replay liquidity), set when first seen. */
  private readonly dayEnds = new Map<number, number>();
  private prioritySeq = 0;
  /** Replayed books of replay-mode instruments, by instrument id. */
  private readonly replays: (ReplayBook | undefined)[] = [];
  private readonly queueModel: QueueModel;
  /** Matching engines of book-mode instruments, by instrument id. */
  private readonly engines: (MatchingEngine | undefined)[] = [];
  private readonly bookListener: MatchListener;
  private readonly onBookChange: ((engine: MatchingEngine, time: number) => void) | undefined;
  private readonly stp: SelfTradePrevention;
  private readonly outagePolicy: 'keep' | 'cancel';
  private readonly rulesFor: ((instrument: Instrument) => InstrumentRules | undefined) | undefined;
  private readonly rulesView: RulesView = { bestBid: NaN, bestAsk: NaN, position: 0 };
  /** Actions deferred until the running engine call returns (the engine forbids re-entry). */
  private readonly deferred: (() => void)[] = [];
  private inEngine = false;
  /** Cash reserved by open book-mode BUY orders, per owner, cash units. */
  private readonly reserved = new Map<number, number>();
  /** Book expiry timers already scheduled, by time (one per engine and time). */
  private readonly bookExpiries = new Set<string>();
  /** Ids of orders held for an auction. */
  private readonly heldIds = new Set<number>();
  /** Set while the venue takes a book order out for an auction fill and puts it back (no CANCELED/ACCEPTED updates). */
  private pulling = false;
  /** Reason to report for the next engine cancel the venue itself asks for. */
  private cancelAs: CancelReason | undefined;
  private readonly onStatusOut: ((e: StatusEvent) => void) | undefined;
  private readonly onSplit: VenueOptions['onSplit'];
  private readonly onShortFee: VenueOptions['onShortFee'];

  constructor(
    private readonly queue: EventQueue,
    private readonly emit: (update: OrderUpdate) => void,
    private readonly accountFor: (owner: number) => VenueAccount | undefined,
    options: VenueOptions = {},
  ) {
    this.name = options.name ?? 'SIM';
    this.fees = options.fees ?? noFees;
    this.fill = { ...defaultDataFillOptions, ...options.fill };
    if (!(this.fill.volumeShare > 0)) throw new RangeError(`fill.volumeShare must be > 0, got ${this.fill.volumeShare}`);
    if (!(this.fill.slippageTicks >= 0)) throw new RangeError(`fill.slippageTicks must be >= 0`);
    this.isOpen = options.isOpen ?? (() => true);
    this.stp = options.stp ?? 'CANCEL_TAKER';
    this.outagePolicy = options.outagePolicy ?? 'keep';
    this.rulesFor = options.rules;
    this.queueModel = options.queueModel ?? new RiskAverseQueueModel();
    this.onBookChange = options.onBookChange;
    this.onStatusOut = options.onStatus;
    this.onSplit = options.onSplit;
    this.onShortFee = options.onShortFee;
    this.bookListener = this.makeBookListener();
  }

  /** Lists an instrument at this venue. */
  addInstrument(instrument: Instrument, liquidity: LiquiditySource = 'data'): void {
    if (this.states[instrument.id]) return;
    const rules = this.rulesFor?.(instrument);
    const dayEnd = rules?.dayEnd;
    // every per-instrument table gets an explicit entry: reads past an array's end are slow in V8
    for (let i = this.engines.length; i <= instrument.id; i++) this.engines.push(undefined);
    for (let i = this.replays.length; i <= instrument.id; i++) this.replays.push(undefined);
    if (liquidity === 'replay') {
      this.replays[instrument.id] = new ReplayBook(instrument, (o, px, qty, liq, time) => this.execute(o, px, qty, liq, time), {
        queueModel: this.queueModel,
        bookFills: false,
        onOversizedRemoval: 'clamp',
      });
    }
    if (liquidity === 'book') {
      this.engines[instrument.id] = new MatchingEngine(instrument, this.bookListener, {
        stp: this.stp,
        reduceOnlyCapacity: (owner: number, side: Side) => {
          const pos = this.accountFor(owner)?.positionQuantity(instrument) ?? 0;
          return reduceRoom(pos, side);
        },
        ...(dayEnd !== undefined ? { dayEnd: (t: number) => dayEnd.call(rules, t) } : {}),
      });
    }
    this.states[instrument.id] = {
      instrument,
      working: [],
      lastKind: undefined,
      lastTime: -Infinity,
      lastClose: NaN,
      bid: NaN,
      ask: NaN,
      bidSize: 0,
      askSize: 0,
      block: undefined,
      rules,
      held: [],
      liquidity,
      plainData: liquidity === 'data' && rules?.onData === undefined,
    };
    if (rules?.attach !== undefined) rules.attach(this.makeHost(this.states[instrument.id]!));
  }

  /** The replayed book of a replay-mode instrument. */
  replayBook(instrument: Instrument): ReplayBook | undefined {
    return this.replays[instrument.id];
  }

  /** The matching engine (and its order book) of a book-mode instrument. */
  engine(instrument: Instrument): MatchingEngine | undefined {
    return this.engines[instrument.id];
  }

  /**
   * The order with this id (any state), if the venue has seen it. Anonymous flow orders (owner 0,
   * `submitFlow`) are forgotten once finished, so a long simulated order flow does not fill memory.
   */
  order(id: number): Order | undefined {
    return this.ordersById.get(id);
  }

  // ---------------------------------------------------------------- commands (at arrival time)

  /** An order reaches the venue. */
  submit(order: Order, now: number): void {
    if (this.ordersById.has(order.id)) {
      this.reject(order, 'DUPLICATE_ORDER_ID', now);
      return;
    }
    this.ordersById.set(order.id, order);
    const st = this.states[order.instrument.id];
    if (!st || st.instrument !== order.instrument) return this.reject(order, 'UNKNOWN_INSTRUMENT', now);
    const bad = validateOrder(order, now);
    if (bad) return this.reject(order, bad, now);
    if (!this.isOpen(order.instrument, now)) return this.reject(order, 'MARKET_CLOSED', now);
    const rules = st.rules;
    let hold = order.auction !== undefined;
    if (hold && rules?.auctions !== true) return this.reject(order, 'INVALID_AUCTION_ORDER', now);
    if (st.block !== undefined) {
      const d = st.block === 'HALTED' && rules?.onHaltedOrder !== undefined ? rules.onHaltedOrder(order, now) : st.block;
      if (d !== 'QUEUE') return this.reject(order, d, now);
      hold = true;
    }
    const acct = this.accountFor(order.owner);
    if (!acct) return this.reject(order, 'INSUFFICIENT_FUNDS', now);
    if (rules !== undefined) {
      // auction orders may be entered outside the session: the rules' check decides
      if (rules.isOpen !== undefined && order.auction === undefined && !rules.isOpen(now, order.extendedHours)) return this.reject(order, 'MARKET_CLOSED', now);
      if (rules.check !== undefined) {
        const view = this.rulesView;
        view.bestBid = this.bestOf(st, 'BUY');
        view.bestAsk = this.bestOf(st, 'SELL');
        view.position = acct.positionQuantity(order.instrument);
        const bad = rules.check(order, now, view);
        if (bad !== undefined) return this.reject(order, bad, now);
      }
    }
    if (hold) return this.holdOrder(st, order, now);
    const engine = this.engines[order.instrument.id];
    if (engine) return this.submitToBook(engine, order, acct, now);
    if (order.reduceOnly) {
      const pos = acct.positionQuantity(order.instrument);
      if (pos === 0 || (pos > 0) === (order.side === 'BUY')) return this.reject(order, 'REDUCE_ONLY_WOULD_INCREASE', now);
    }
    const replay = this.replays[order.instrument.id];
    if (order.postOnly && (replay ? replay.wouldTake(order) : this.wouldTakeNow(st, order))) return this.reject(order, 'POST_ONLY_WOULD_CROSS', now);
    order.status = 'ACCEPTED';
    order.acceptTime = now;
    order.priority = ++this.prioritySeq;
    this.update('ACCEPTED', order, now);
    if (order.tif === 'GTD') this.queue.push(new GtdExpiry(order.expireTime, order, this));
    st.working.push(order);
    this.onArrival(st, order, now);
  }

  /**
   * Submits orders that cancel each other: the first fill of any one cancels the others (reason OCO).
   * Each is validated on its own; a rejected one leaves the others standing.
   */
  submitOco(orders: Order[], now: number): void {
    const group = orders.slice();
    for (const o of group) this.link(o).oco = group;
    for (const o of group) if (!o.isDone) this.submit(o, now);
  }

  /**
   * A bracket: the entry works now; `children` (usually a take-profit LIMIT and a stop-loss STOP on
   * the opposite side, linked OCO) are held and go live only when the entry is done: after a complete
   * fill, or after a cancel or expiry that left it partly filled, sized to what the entry filled.
   * An entry that ends with no fill cancels the children (PARENT_CANCELED).
   */
  submitBracket(entry: Order, children: Order[], now: number): void {
    this.link(entry).children = children;
    for (const c of children) {
      if (children.length > 1) this.link(c).oco = children;
      this.ordersById.set(c.id, c);
    }
    this.submit(entry, now);
  }

  /** Cancels an open order (reason USER). */
  cancel(orderId: number, now: number): void {
    const order = this.ordersById.get(orderId);
    if (!order) return this.requestRejected(undefined, orderId, 'cancel', 'UNKNOWN_ORDER', now);
    if (order.isDone || order.status === 'PENDING') return this.requestRejected(order, orderId, 'cancel', 'ORDER_NOT_OPEN', now);
    if (this.heldIds.has(orderId)) return this.close(order, 'CANCELED', 'USER', now);
    const engine = this.engines[order.instrument.id];
    if (engine) return this.inBook(engine, now, () => void engine.cancel(orderId, now));
    this.close(order, 'CANCELED', 'USER', now);
  }

  /**
   * Modifies an open order: new limit price, trigger and/or total quantity (NaN keeps the value). A
   * price or trigger change or a size increase loses time priority; a size decrease keeps it. A new
   * quantity at or below what is already filled is refused. After a price or trigger change the order
   * is matched against the current quote like a new arrival (a post-only order that would then take
   * is refused with POST_ONLY_WOULD_CROSS).
   */
  modify(orderId: number, newPrice: number, newQuantity: number, now: number, newTrigger = NaN): void {
    const order = this.ordersById.get(orderId);
    if (!order) return this.requestRejected(undefined, orderId, 'modify', 'UNKNOWN_ORDER', now);
    if (order.isDone || order.status === 'PENDING') return this.requestRejected(order, orderId, 'modify', 'ORDER_NOT_OPEN', now);
    if (this.heldIds.has(orderId)) return this.requestRejected(order, orderId, 'modify', 'INVALID_AUCTION_ORDER', now);
    const engine = this.engines[order.instrument.id];
    if (engine) {
      // in a book, an untriggered STOP's price is its trigger (docs/matching.md)
      const p = order.type === 'STOP' ? newTrigger : newPrice;
      return this.inBook(engine, now, () => void engine.modify(orderId, p, newQuantity, now));
    }
    const price = newPrice === newPrice ? newPrice : order.price;
    const trigger = newTrigger === newTrigger ? newTrigger : order.triggerPrice;
    const qty = newQuantity === newQuantity ? newQuantity : order.quantity;
    const inst = order.instrument;
    if (newPrice === newPrice && (order.type === 'MARKET' || order.type === 'STOP')) return this.requestRejected(order, orderId, 'modify', 'BAD_PRICE', now);
    if (newTrigger === newTrigger && (order.type === 'MARKET' || order.type === 'LIMIT')) return this.requestRejected(order, orderId, 'modify', 'BAD_PRICE', now);
    if (!Number.isInteger(qty) || qty <= order.filled + order.closedQuantity) return this.requestRejected(order, orderId, 'modify', 'BAD_SIZE', now);
    if (qty % inst.lotUnits !== 0) return this.requestRejected(order, orderId, 'modify', 'BAD_LOT', now);
    if (qty > inst.maxSizeUnits) return this.requestRejected(order, orderId, 'modify', 'ABOVE_MAX_SIZE', now);
    for (const p of [price, trigger]) {
      if (p === p && (!Number.isInteger(p) || p <= 0 || p % inst.tickUnits !== 0)) return this.requestRejected(order, orderId, 'modify', p <= 0 ? 'BAD_PRICE' : 'OFF_TICK_PRICE', now);
    }
    // NaN-aware: an order without a price or trigger keeps NaN there, and NaN !== NaN
    const repriced = (newPrice === newPrice && newPrice !== order.price) || (newTrigger === newTrigger && newTrigger !== order.triggerPrice);
    const st = this.states[inst.id]!;
    if (repriced && order.postOnly && st.lastKind === 'quote' && (order.side === 'BUY' ? st.ask <= price : st.bid >= price)) {
      return this.requestRejected(order, orderId, 'modify', 'POST_ONLY_WOULD_CROSS', now);
    }
    const losesPriority = repriced || qty > order.quantity;
    order.price = price;
    order.triggerPrice = trigger;
    order.quantity = qty;
    if (losesPriority) {
      order.priority = ++this.prioritySeq;
      const i = st.working.indexOf(order);
      if (i >= 0) {
        st.working.splice(i, 1);
        st.working.push(order);
      }
    }
    this.update('MODIFIED', order, now);
    // a repriced order may take the standing quote, unless the instrument is halted, down or closed
    if (repriced && st.lastKind === 'quote' && st.lastTime <= now && st.block === undefined && this.isOpen(st.instrument, now) && (st.rules?.isOpen?.(now, order.extendedHours) ?? true)) {
      this.fillOnQuote(st, now, true, order);
    }
  }

  /** Expires an order whose GTD time has come, if it is still open. */
  expireIfOpen(order: Order, now: number): void {
    // a held GTD order released into a book since: the engine expires it itself
    if (this.engines[order.instrument.id] !== undefined && !this.heldIds.has(order.id)) return;
    if (!order.isDone && order.status !== 'PENDING') this.close(order, 'EXPIRED', undefined, now);
  }

  // ---------------------------------------------------------------- market data

  /** Applies one market data event: expires, triggers and fills working orders of its instrument. */
  onMarketEvent(e: MarketEvent): void {
    const inst0 = e.instrument;
    if (inst0 === undefined) return;
    const st = this.states[inst0.id];
    if (!st) return;
    // the common case first: a bar of data liquidity whose rules have no data hook
    if (e.kind === 'bar' && st.plainData && st.block === undefined) return this.dataBar(st, e);
    const rules = st.rules;
    if (rules !== undefined && rules.onData !== undefined && (e.kind === 'bar' || e.kind === 'quote' || e.kind === 'trade' || e.kind === 'status')) {
      if (rules.onData(e) === true && e.kind === 'status') return;
    }
    if (e.kind === 'status') return this.onStatus(st, e.status, e.time);
    const replay = this.replays[inst0.id];
    if (replay !== undefined) return this.onReplayEvent(st, replay, e);
    const engine = this.engines[inst0.id];
    if (engine !== undefined) {
      // the book is the liquidity: recorded trade prints only trigger its stops
      if (e.kind === 'trade') {
        const p = Math.round(e.price * e.instrument.priceScale);
        st.lastClose = p;
        const seq = engine.sequence;
        this.inBook(engine, e.time, () => engine.onExternalTrade(p, e.time), false);
        // the book changed only if a stop fired (it then gets a new priority)
        if (engine.sequence !== seq) this.onBookChange?.(engine, e.time);
      }
      return;
    }
    if (e.kind !== 'bar' && e.kind !== 'quote' && e.kind !== 'trade') return; // book events, status, news: no data fills
    if (st.block !== undefined) return; // halted or down: no data fills until RESUME (replayed books keep applying their data)
    if (e.kind === 'bar') return this.dataBar(st, e);
    const inst = inst0;
    st.lastTime = e.time;
    st.lastKind = e.kind;
    if (e.kind === 'quote') {
      st.bid = Math.round(e.bidPrice * inst.priceScale);
      st.ask = Math.round(e.askPrice * inst.priceScale);
      st.bidSize = Math.round(e.bidSize * inst.sizeScale);
      st.askSize = Math.round(e.askSize * inst.sizeScale);
      st.lastClose = Math.floor((st.bid + st.ask) / 2); // mid, rounded down to a price unit
      if (st.working.length > 0) this.fillOnQuote(st, e.time, false, undefined);
    } else if (e.kind === 'trade') {
      const p = Math.round(e.price * inst.priceScale);
      st.lastClose = p;
      if (st.working.length > 0) this.fillOnTrade(st, e.time, p, e.size, false, undefined);
    }
  }

  /** A bar of data liquidity: the last price, then fills of the working orders by the bar rules. */
  private dataBar(st: InstrumentState, e: BarEvent): void {
    const ps = e.instrument.priceScale;
    st.lastTime = e.time;
    st.lastKind = 'bar';
    st.lastClose = Math.round(e.close * ps);
    if (st.working.length > 0) this.fillOnBar(st, e.time, Math.round(e.open * ps), Math.round(e.high * ps), Math.round(e.low * ps), e.volume);
  }

  /**
   * Whether the venue accepts orders for `instrument` at `time`: undefined when it does, else the
   * rejection reason (MARKET_CLOSED outside its sessions, HALTED, VENUE_OUTAGE).
   */
  tradingBlock(instrument: Instrument, time: number): RejectReason | undefined {
    const st = this.states[instrument.id];
    if (!st || st.instrument !== instrument) return 'UNKNOWN_INSTRUMENT';
    if (!this.isOpen(instrument, time)) return 'MARKET_CLOSED';
    if (st.rules?.isOpen !== undefined && !st.rules.isOpen(time, false)) return 'MARKET_CLOSED';
    return st.block;
  }

  /** Best bid (side BUY) or ask (SELL) of an instrument in price units: its book, replayed book or last quote; NaN when unknown. */
  private bestOf(st: InstrumentState, side: Side): number {
    const id = st.instrument.id;
    const engine = this.engines[id];
    if (engine !== undefined) return side === 'BUY' ? engine.book.bestBid() : engine.book.bestAsk();
    const replay = this.replays[id];
    if (replay !== undefined) return side === 'BUY' ? replay.bestBid() : replay.bestAsk();
    return side === 'BUY' ? st.bid : st.ask;
  }

  /**
   * Trading states (docs/order-lifecycle.md, "Halts and outages"): HALT (and QUOTING, the quote-only
   * period before a reopening) block new orders with HALTED and stop fills; OUTAGE blocks them with
   * VENUE_OUTAGE and, under the `cancel` outage policy, cancels resting orders; RESUME and OPEN end both.
   * Resting orders stay working through a halt, as on NYSE and Nasdaq.
   */
  private onStatus(st: InstrumentState, status: string, now: number): void {
    if (status === 'HALT' || status === 'QUOTING') st.block = 'HALTED';
    else if (status === 'RESUME' || status === 'OPEN') st.block = undefined;
    else if (status === 'OUTAGE') {
      st.block = 'VENUE_OUTAGE';
      if (this.outagePolicy === 'cancel') {
        for (const o of st.working.slice()) if (!o.isDone) this.close(o, 'CANCELED', 'VENUE_OUTAGE', now);
      }
    }
  }

  /** Last known price of an instrument in price units (bar close, quote mid or last trade), NaN if none. */
  lastPrice(instrument: Instrument): number {
    const id = instrument.id;
    // data liquidity (the common case) first, in a body small enough for the JIT to inline
    const st = this.states[id];
    if (st !== undefined && st.plainData) return st.lastClose;
    if (this.replays[id] === undefined && this.engines[id] === undefined) return st?.lastClose ?? NaN;
    return this.bookPrice(instrument);
  }

  /** `lastPrice` of an instrument traded in a replayed book or a matching engine. */
  private bookPrice(instrument: Instrument): number {
    const replay = this.replays[instrument.id];
    if (replay !== undefined) {
      const b = replay.bestBid();
      const a = replay.bestAsk();
      if (b === b && a === a) return Math.floor((a + b) / 2);
      return this.states[instrument.id]?.lastClose ?? NaN;
    }
    const engine = this.engines[instrument.id]!;
    const last = engine.lastPrice;
    if (last === last) return last;
    const b = engine.book.bestBid();
    const a = engine.book.bestAsk();
    return b === b && a === a ? Math.floor((a + b) / 2) : b === b ? b : a;
  }

  // ---------------------------------------------------------------- internals

  private onArrival(st: InstrumentState, order: Order, now: number): void {
    const replay = this.replays[order.instrument.id];
    if (replay) {
      // stops wait in the venue until a trade print reaches them
      if (order.type === 'MARKET' || order.type === 'LIMIT') this.toReplay(replay, order, now);
      this.compact(st);
      return;
    }
    if (order.type === 'MARKET' && this.fill.marketFill === 'same-close' && st.lastKind === 'bar' && st.lastTime === now) {
      this.execute(order, st.lastClose, order.leaves, 'TAKER', now);
      if (!order.isDone && (order.tif === 'IOC' || order.tif === 'FOK')) this.close(order, 'CANCELED', 'IOC_REMAINDER', now);
      this.compact(st);
      return;
    }
    if (st.lastKind === 'quote' && st.lastTime <= now) this.fillOnQuote(st, now, true, order);
  }

  private wouldTakeNow(st: InstrumentState, order: Order): boolean {
    if (st.lastKind !== 'quote') return false;
    return order.side === 'BUY' ? st.ask <= order.price : st.bid >= order.price;
  }

  /** Checks DAY expiry for one working order at a data event; true when it expired. */
  private dayExpired(order: Order, time: number): boolean {
    if (order.tif !== 'DAY') return false;
    const end = this.dayEnds.get(order.id);
    if (end === undefined) {
      const rules = this.states[order.instrument.id]?.rules;
      // without session rules the day is that of the first data event the order meets (daily bars: the
      // next session); with them, the session in force at acceptance (an order first seen by data after
      // that session's close expires at once)
      const at = rules?.dayEnd !== undefined && order.acceptTime === order.acceptTime ? order.acceptTime : time;
      const end = rules?.dayEnd !== undefined ? rules.dayEnd(at, order) : Math.floor(at / US_PER_DAY) * US_PER_DAY + US_PER_DAY;
      this.dayEnds.set(order.id, end);
      if (time < end) return false;
      this.close(order, 'EXPIRED', undefined, time);
      return true;
    }
    if (time >= end) {
      this.close(order, 'EXPIRED', undefined, time);
      return true;
    }
    return false;
  }

  private slipUnits(inst: Instrument): number {
    return this.fill.slippageTicks * inst.tickUnits;
  }

  private fillOnBar(st: InstrumentState, time: number, o: number, h: number, l: number, volume: number): void {
    const inst = st.instrument;
    let capLeft = this.volumeCap(inst, volume);
    const slip = this.slipUnits(inst);
    const list = st.working.slice();
    for (const order of list) {
      if (order.isDone || order.acceptTime >= time) continue;
      if (this.dayExpired(order, time)) continue;
      const wasTriggered = order.triggered;
      const px = barFillPrice(order, o, h, l, slip);
      if (order.triggered !== wasTriggered) this.update('TRIGGERED', order, time);
      if (px !== px) {
        this.firstChanceOver(order, time);
        continue;
      }
      const liq: FillLiquidity = order.type === 'LIMIT' && px !== o ? 'MAKER' : 'TAKER';
      capLeft = this.fillCapped(order, px, capLeft, liq, time);
    }
    this.compact(st);
  }

  private fillOnQuote(st: InstrumentState, time: number, arriving: boolean, only: Order | undefined): void {
    const inst = st.instrument;
    const spreadSlip = this.fill.slippageSpreadFraction > 0 ? Math.ceil((this.fill.slippageSpreadFraction * (st.ask - st.bid)) / inst.tickUnits) * inst.tickUnits : 0;
    const slip = this.slipUnits(inst) + spreadSlip;
    const list = only ? [only] : st.working.slice();
    for (const order of list) {
      if (order.isDone) continue;
      if (!arriving && this.dayExpired(order, time)) continue;
      const wasTriggered = order.triggered;
      const px = quoteFillPrice(order, st.bid, st.ask, slip, arriving);
      if (order.triggered !== wasTriggered) this.update('TRIGGERED', order, time);
      if (px !== px) {
        this.firstChanceOver(order, time);
        continue;
      }
      const liq: FillLiquidity = arriving || order.type !== 'LIMIT' ? 'TAKER' : 'MAKER';
      const cap = this.fill.quoteSizeCap && liq === 'TAKER' ? (order.side === 'BUY' ? st.askSize : st.bidSize) : Infinity;
      this.fillCapped(order, px, cap, liq, time);
    }
    this.compact(st);
  }

  private fillOnTrade(st: InstrumentState, time: number, p: number, size: number, arriving: boolean, only: Order | undefined): void {
    const inst = st.instrument;
    let capLeft = this.volumeCap(inst, size);
    const slip = this.slipUnits(inst);
    const through = this.fill.tradeLimitFill === 'through';
    const list = only ? [only] : st.working.slice();
    for (const order of list) {
      if (order.isDone || order.acceptTime > time) continue;
      if (this.dayExpired(order, time)) continue;
      const wasTriggered = order.triggered;
      const px = tradeFillPrice(order, p, slip, arriving, through);
      if (order.triggered !== wasTriggered) this.update('TRIGGERED', order, time);
      if (px !== px) {
        this.firstChanceOver(order, time);
        continue;
      }
      capLeft = this.fillCapped(order, px, capLeft, order.type === 'LIMIT' && !arriving ? 'MAKER' : 'TAKER', time);
    }
    this.compact(st);
  }

  private volumeCap(inst: Instrument, volume: number): number {
    if (this.fill.volumeShare === Infinity) return Infinity;
    const units = Math.floor(volume * inst.sizeScale * this.fill.volumeShare);
    return units - (units % inst.lotUnits);
  }

  /** Fills up to `cap` of the order at `px`; returns the cap left. Applies IOC/FOK rules. */
  private fillCapped(order: Order, px: number, cap: number, liq: FillLiquidity, time: number): number {
    let qty = order.leaves;
    if (qty > cap) {
      if (order.tif === 'FOK') {
        this.close(order, 'CANCELED', 'IOC_REMAINDER', time, 'FOK_NOT_FILLABLE');
        return cap;
      }
      qty = cap;
    }
    if (qty > 0) this.execute(order, px, qty, liq, time);
    if (!order.isDone && (order.tif === 'IOC' || order.tif === 'FOK')) this.close(order, 'CANCELED', 'IOC_REMAINDER', time);
    return cap - qty;
  }

  /** IOC and FOK orders have one chance: the first data event after arrival. */
  private firstChanceOver(order: Order, time: number): void {
    if (order.tif === 'IOC') this.close(order, 'CANCELED', 'IOC_REMAINDER', time);
    else if (order.tif === 'FOK') this.close(order, 'CANCELED', 'IOC_REMAINDER', time, 'FOK_NOT_FILLABLE');
  }

  private execute(order: Order, px: number, qtyIn: number, liq: FillLiquidity, time: number): void {
    const acct = this.accountFor(order.owner);
    if (!acct) throw new MarketsimError('NO_ACCOUNT', `order ${order.id}: no account for owner ${order.owner}`);
    const inst = order.instrument;
    let qty = qtyIn;
    if (order.reduceOnly) {
      const pos = acct.positionQuantity(inst);
      const room = reduceRoom(pos, order.side);
      if (room === 0) return this.close(order, 'CANCELED', 'REDUCE_ONLY', time);
      if (qty > room) qty = room;
    }
    const notional = acct.notional(inst, px, qty);
    const fee = this.fees.fee(inst, notional, liq, order.filled === 0);
    const refuse = acct.canFill(inst, order.side, px, qty, fee);
    if (refuse) {
      if (order.filled === 0) return this.reject(order, refuse, time, true);
      return this.close(order, 'CANCELED', 'INSUFFICIENT_FUNDS', time);
    }
    order.filled += qty;
    order.filledNotional += px * qty;
    order.status = order.filled === order.quantity - order.closedQuantity ? 'FILLED' : 'PARTIALLY_FILLED';
    const fill: Fill = { time, orderId: order.id, owner: order.owner, instrument: inst, side: order.side, price: px, quantity: qty, fee, liquidity: liq, tag: order.tag };
    acct.applyFill(fill);
    this.update('FILL', order, time, undefined, fill);
    this.cancelOcoSiblings(order, time);
    if (order.status === 'FILLED') this.releaseChildren(order, time);
    else if (order.reduceOnly && qty < qtyIn) this.close(order, 'CANCELED', 'REDUCE_ONLY', time);
  }

  /**
   * After a fill of an OCO member: every sibling is canceled with reason OCO, including one still
   * PENDING (later in the group, or a bracket child not yet released): it must never go live.
   */
  private cancelOcoSiblings(order: Order, time: number): void {
    const link = this.links.get(order.id);
    if (!link?.oco) return;
    const group = link.oco;
    link.oco = undefined;
    for (const other of group) {
      if (other === order || other.isDone) continue;
      const engine = this.engines[other.instrument.id];
      if (engine && other.status !== 'PENDING') {
        this.link(other).ocoCancel = true;
        this.inBook(engine, time, () => void engine.cancel(other.id, time));
      } else this.close(other, 'CANCELED', 'OCO', time);
    }
  }

  /** @internal Expires due DAY/GTD orders of a book (scheduled at their expiry). */
  expireBook(engine: MatchingEngine, now: number): void {
    this.bookExpiries.delete(`${engine.instrument.id}@${now}`);
    this.inBook(engine, now, () => engine.expire(now));
  }

  // ---------------------------------------------------------------- replayed books

  /** A book, trade or other event of a replay-mode instrument: DAY expiry, stop triggers, then the book. */
  private onReplayEvent(st: InstrumentState, replay: ReplayBook, e: MarketEvent): void {
    st.lastTime = e.time;
    st.lastKind = e.kind === 'bar' || e.kind === 'quote' || e.kind === 'trade' ? e.kind : st.lastKind;
    if (st.working.length > 0) {
      for (const o of st.working.slice()) if (!o.isDone) this.dayExpired(o, e.time);
    }
    if (e.kind === 'trade') {
      const p = Math.round(e.price * e.instrument.priceScale);
      st.lastClose = p;
      if (st.working.length > 0) this.triggerReplayStops(st, replay, p, e.time);
    }
    if (e.kind === 'book-delta' || e.kind === 'book-snapshot' || e.kind === 'l3' || e.kind === 'trade') replay.onEvent(e);
    this.compact(st);
    const rules = st.rules;
    if (rules !== undefined && rules.onBook !== undefined) rules.onBook(e.time, replay.bestBid(), replay.bestAsk(), st.lastClose);
  }

  /** Stops of a replay instrument trigger on trade prints (buy: at or above the trigger; sell: at or below). */
  private triggerReplayStops(st: InstrumentState, replay: ReplayBook, p: number, time: number): void {
    for (const o of st.working.slice()) {
      if (o.isDone || o.triggered || (o.type !== 'STOP' && o.type !== 'STOP_LIMIT')) continue;
      if (!(o.side === 'BUY' ? p >= o.triggerPrice : p <= o.triggerPrice)) continue;
      o.triggered = true;
      this.update('TRIGGERED', o, time);
      this.toReplay(replay, o, time);
    }
  }

  /** Sends an order into the replayed book and closes what must not rest. */
  private toReplay(replay: ReplayBook, order: Order, now: number): void {
    const outcome: SubmitOutcome = replay.submit(order, now);
    if (order.isDone) return;
    if (outcome === 'REMAINDER') this.close(order, 'CANCELED', order.filled === 0 && order.type !== 'LIMIT' && order.type !== 'STOP_LIMIT' ? 'NO_LIQUIDITY' : 'IOC_REMAINDER', now);
    else if (outcome === 'FOK_NOT_FILLABLE') this.close(order, 'CANCELED', 'IOC_REMAINDER', now, 'FOK_NOT_FILLABLE');
    else if (outcome === 'POST_ONLY_WOULD_CROSS') this.close(order, 'CANCELED', 'IOC_REMAINDER', now, 'POST_ONLY_WOULD_CROSS');
  }

  // ---------------------------------------------------------------- order books

  /**
   * A book-mode order from an owner with an account: funds are checked at acceptance against the cash
   * left after what the owner's open BUY orders reserve (limit price times open size; a market order at
   * the worst price it would reach in the book now), then the matching engine takes over.
   */
  private submitToBook(engine: MatchingEngine, order: Order, acct: VenueAccount, now: number): void {
    const px = order.type === 'LIMIT' || order.type === 'STOP_LIMIT' ? order.price : order.type === 'STOP' ? order.triggerPrice : this.sweepPrice(engine, order);
    if (px === px) {
      const reserved = order.side === 'BUY' ? this.reserved.get(order.owner) ?? 0 : 0;
      const refuse = acct.canFill(order.instrument, order.side, px, order.quantity, reserved);
      if (refuse) return this.reject(order, refuse, now);
    }
    this.inBook(engine, now, () => engine.submit(order, now));
  }

  /**
   * Anonymous liquidity (owner 0: other participants, replayed or simulated order flow) entering a book.
   * No account, no funds check; its fills are not booked anywhere.
   */
  submitFlow(order: Order, now: number): void {
    const engine = this.engines[order.instrument.id];
    if (!engine) throw new MarketsimError('NOT_A_BOOK', `${order.instrument.symbol} has no order book at venue ${this.name}`);
    order.owner = 0;
    this.ordersById.set(order.id, order);
    this.inBook(engine, now, () => engine.submit(order, now));
  }

  /** Worst price a market order would reach to fill its whole size in the book now (NaN if the book is empty). */
  private sweepPrice(engine: MatchingEngine, order: Order): number {
    const side = opposite(order.side);
    const book = engine.book;
    let left = order.quantity;
    let px = NaN;
    for (let i = 0; i < book.levelCount(side) && left > 0; i++) {
      px = book.levelPrice(side, i);
      left -= book.levelSize(side, i);
    }
    return px;
  }

  /** Runs one engine call, then the actions it deferred (OCO, brackets), then the book-change hook. */
  private inBook(engine: MatchingEngine, now: number, call: () => void, notify = true): void {
    if (this.inEngine) {
      this.deferred.push(() => this.inBook(engine, now, call, notify));
      return;
    }
    this.inEngine = true;
    try {
      call();
    } finally {
      this.inEngine = false;
    }
    const next = engine.nextExpiry();
    if (next !== Infinity && next > now) {
      const key = `${engine.instrument.id}@${next}`;
      if (!this.bookExpiries.has(key)) {
        this.bookExpiries.add(key);
        this.queue.push(new BookExpiry(next, engine, this));
      }
    }
    while (this.deferred.length > 0) this.deferred.shift()!();
    if (notify) this.onBookChange?.(engine, now);
    const rules = this.states[engine.instrument.id]?.rules;
    if (rules !== undefined && rules.onBook !== undefined) rules.onBook(now, engine.book.bestBid(), engine.book.bestAsk(), engine.lastPrice);
  }

  private reserve(order: Order, sign: 1 | -1, size: number): void {
    if (order.owner === 0 || order.side !== 'BUY' || !(order.price === order.price) || size === 0) return;
    const acct = this.accountFor(order.owner);
    if (!acct) return;
    this.reserved.set(order.owner, (this.reserved.get(order.owner) ?? 0) + sign * acct.notional(order.instrument, order.price, size));
  }

  private makeBookListener(): MatchListener {
    return {
      accepted: (order, time) => {
        order.acceptTime = time;
        if (!this.ordersById.has(order.id)) this.ordersById.set(order.id, order);
        this.reserve(order, 1, order.leaves);
        if (order.owner !== 0 && !this.pulling) this.update('ACCEPTED', order, time);
      },
      rejected: (order, reason, time) => {
        if (order.owner === 0) return void this.ordersById.delete(order.id);
        this.update('REJECTED', order, time, reason);
        if (this.links.get(order.id)?.children) this.deferred.push(() => this.releaseChildren(order, time));
      },
      fill: (taker, maker, price, size, time) => {
        this.reserve(maker, -1, size);
        this.reserve(taker, -1, size);
        this.bookFill(maker, price, size, 'MAKER', time);
        this.bookFill(taker, price, size, 'TAKER', time);
        if (maker.owner === 0 && maker.status === 'FILLED') this.ordersById.delete(maker.id);
        if (taker.owner === 0 && taker.status === 'FILLED') this.ordersById.delete(taker.id);
      },
      canceled: (order, reason, time) => {
        this.reserve(order, -1, order.closedQuantity);
        if (this.pulling) return; // taken out for an auction, it comes back
        if (order.owner === 0) return void this.ordersById.delete(order.id);
        if (this.cancelAs !== undefined) {
          order.cancelReason = this.cancelAs;
          this.cancelAs = undefined;
        }
        const link = this.links.get(order.id);
        if (link?.ocoCancel) {
          link.ocoCancel = false;
          order.cancelReason = 'OCO';
        }
        this.update('CANCELED', order, time, order.cancelReason ?? reason);
        this.deferred.push(() => this.releaseChildren(order, time));
      },
      expired: (order, time) => {
        this.reserve(order, -1, order.closedQuantity);
        if (order.owner === 0) return void this.ordersById.delete(order.id);
        this.update('EXPIRED', order, time);
        this.deferred.push(() => this.releaseChildren(order, time));
      },
      modified: (order, time) => {
        if (order.owner !== 0) this.update('MODIFIED', order, time);
      },
      requestRejected: (orderId, action, reason, time) => this.requestRejected(this.ordersById.get(orderId), orderId, action, reason, time),
      triggered: (order, time) => {
        if (order.owner !== 0) this.update('TRIGGERED', order, time);
      },
    };
  }

  /** Books one side of a book match for its owner (anonymous flow, owner 0, has no account). */
  private bookFill(order: Order, px: number, qty: number, liq: FillLiquidity, time: number): void {
    if (order.owner === 0) return;
    const acct = this.accountFor(order.owner);
    if (!acct) return;
    const inst = order.instrument;
    const fee = this.fees.fee(inst, acct.notional(inst, px, qty), liq, order.filled === qty);
    const fill: Fill = { time, orderId: order.id, owner: order.owner, instrument: inst, side: order.side, price: px, quantity: qty, fee, liquidity: liq, tag: order.tag };
    acct.applyFill(fill);
    this.update('FILL', order, time, undefined, fill);
    this.deferred.push(() => {
      this.cancelOcoSiblings(order, time);
      if (order.status === 'FILLED') this.releaseChildren(order, time);
    });
  }

  private releaseChildren(entry: Order, time: number): void {
    const link = this.links.get(entry.id);
    const kids = link?.children;
    if (!kids) return;
    link!.children = undefined;
    for (const c of kids) {
      if (c.isDone) continue;
      if (entry.filled === 0) {
        this.close(c, 'CANCELED', 'PARENT_CANCELED', time);
        continue;
      }
      c.quantity = entry.filled;
      this.ordersById.delete(c.id);
      this.submit(c, time);
    }
  }

  private close(order: Order, status: 'CANCELED' | 'EXPIRED', reason: CancelReason | undefined, time: number, rejectReason?: RejectReason): void {
    if (order.isDone) return;
    this.replays[order.instrument.id]?.cancel(order.id);
    const wasPending = order.status === 'PENDING';
    order.closedQuantity = order.quantity - order.filled;
    order.status = status;
    order.cancelReason = reason;
    if (rejectReason) order.rejectReason = rejectReason;
    this.dayEnds.delete(order.id);
    if (this.heldIds.delete(order.id)) this.dropHeld(order);
    this.update(status === 'CANCELED' ? 'CANCELED' : 'EXPIRED', order, time, rejectReason ?? reason);
    if (!wasPending) this.releaseChildren(order, time);
    const link = this.links.get(order.id);
    if (link?.children) this.releaseChildren(order, time);
  }

  private reject(order: Order, reason: RejectReason, time: number, atFill = false): void {
    order.status = 'REJECTED';
    order.rejectReason = reason;
    order.closedQuantity = order.quantity - order.filled;
    this.dayEnds.delete(order.id);
    this.update('REJECTED', order, time, reason);
    if (atFill || this.links.get(order.id)?.children) this.releaseChildren(order, time);
  }

  private requestRejected(order: Order | undefined, orderId: number, request: 'cancel' | 'modify', reason: RejectReason, time: number): void {
    const o = order ?? ({ id: orderId } as Order);
    this.emit({ kind: 'REQUEST_REJECTED', time, order: o, status: order?.status ?? 'REJECTED', filled: order?.filled ?? 0, fill: undefined, reason, request });
  }

  private update(kind: OrderUpdate['kind'], order: Order, time: number, reason?: OrderUpdate['reason'], fill?: Fill): void {
    // one object shape for every update (absent fields undefined): its readers stay monomorphic
    this.emit({ kind, time, order, status: order.status, filled: order.filled, fill, reason, request: undefined });
  }

  private link(order: Order): Contingency {
    let l = this.links.get(order.id);
    if (!l) {
      l = { oco: undefined, children: undefined };
      this.links.set(order.id, l);
    }
    return l;
  }

  /** Removes a finished or released order from its instrument's held list. */
  private dropHeld(order: Order): void {
    const st = this.states[order.instrument.id];
    if (!st) return;
    const i = st.held.indexOf(order);
    if (i >= 0) st.held.splice(i, 1);
  }

  // ---------------------------------------------------------------- auctions and asset rules

  /** Accepts an order that waits for an auction (on-open, on-close, queued during a halt). */
  private holdOrder(st: InstrumentState, order: Order, now: number): void {
    order.status = 'ACCEPTED';
    order.acceptTime = now;
    order.priority = ++this.prioritySeq;
    this.heldIds.add(order.id);
    st.held.push(order);
    this.update('ACCEPTED', order, now);
    if (order.tif === 'GTD') this.queue.push(new GtdExpiry(order.expireTime, order, this));
  }

  /** Books an auction fill for an order of a book (taken out of the engine, filled, and put back with its rest). */
  private fillBookOrder(engine: MatchingEngine, order: Order, px: number, qty: number, time: number): void {
    const closedBefore = order.closedQuantity;
    this.inBook(engine, time, () => this.quietly(() => void engine.cancel(order.id, time)), false);
    order.status = order.filled > 0 ? 'PARTIALLY_FILLED' : 'ACCEPTED';
    order.closedQuantity = closedBefore;
    order.cancelReason = undefined;
    this.auctionFill(order, px, qty, time);
    if (!order.isDone && order.leaves > 0) this.resubmit(engine, order, time);
  }

  /** Puts an accepted order (back) into a book without a second ACCEPTED update (it loses its time priority). */
  private resubmit(engine: MatchingEngine, order: Order, time: number): void {
    order.status = 'PENDING';
    this.inBook(engine, time, () => this.quietly(() => engine.submit(order, time)));
  }

  /** Runs an engine call whose ACCEPTED and CANCELED callbacks are bookkeeping only (no updates). */
  private quietly(call: () => void): void {
    this.pulling = true;
    try {
      call();
    } finally {
      this.pulling = false;
    }
  }

  /** One auction execution: through the account for owned orders; anonymous flow only counts it. */
  private auctionFill(order: Order, px: number, qty: number, time: number): void {
    if (order.owner !== 0) return this.execute(order, px, qty, 'TAKER', time);
    order.filled += qty;
    order.filledNotional += px * qty;
    order.status = order.filled === order.quantity - order.closedQuantity ? 'FILLED' : 'PARTIALLY_FILLED';
  }

  private makeHost(st: InstrumentState): RulesHost {
    const venue = this;
    const inst = st.instrument;
    const pending = new Set<number>();
    const engineOf = (): MatchingEngine | undefined => venue.engines[inst.id];
    return {
      instrument: inst,
      liquidity: st.liquidity,
      schedule(time: number): void {
        if (!(time < Infinity) || pending.has(time) || st.rules === undefined) return;
        pending.add(time);
        venue.queue.push(new RulesTimer(time, st.rules, pending));
      },
      status(status, reason, time, publish = true): void {
        venue.onStatus(st, status, time);
        if (publish) venue.onStatusOut?.({ kind: 'status', time, instrument: inst, status, reason });
      },
      get halted(): boolean {
        return st.block === 'HALTED';
      },
      heldOrders: () => st.held.filter((o) => !o.isDone),
      restingOrders: (): Order[] => {
        const engine = engineOf();
        if (engine !== undefined) {
          const out: Order[] = [];
          for (const side of ['BUY', 'SELL'] as const) {
            const n = engine.book.levelCount(side);
            for (let i = 0; i < n; i++) for (const o of engine.book.levelOrders(side, i)) out.push(o);
          }
          return out;
        }
        if (st.liquidity === 'replay') return [];
        return st.working.filter((o) => !o.isDone && o.status !== 'PENDING');
      },
      fillAt(order, price, quantity, time): void {
        if (order.isDone || !(quantity > 0)) return;
        const engine = engineOf();
        if (engine !== undefined && !venue.heldIds.has(order.id)) venue.fillBookOrder(engine, order, price, quantity, time);
        else venue.auctionFill(order, price, quantity, time);
        if (order.isDone && venue.heldIds.delete(order.id)) venue.dropHeld(order);
        venue.compact(st);
      },
      auctionPrint(price, time): void {
        st.lastClose = price;
        const engine = engineOf();
        if (engine !== undefined) venue.inBook(engine, time, () => engine.onExternalTrade(price, time));
      },
      release(order, time): void {
        if (!venue.heldIds.delete(order.id) || order.isDone) return;
        venue.dropHeld(order);
        const engine = engineOf();
        if (engine !== undefined) return venue.resubmit(engine, order, time);
        st.working.push(order);
        venue.onArrival(st, order, time);
      },
      cancelOrder(order, reason, time): void {
        if (order.isDone) return;
        const engine = engineOf();
        if (engine !== undefined && !venue.heldIds.has(order.id)) {
          venue.cancelAs = reason;
          venue.inBook(engine, time, () => void engine.cancel(order.id, time));
          venue.cancelAs = undefined;
          return;
        }
        venue.close(order, 'CANCELED', reason, time);
        venue.compact(st);
      },
      adjustOrder(order, leaves, price, triggerPrice, time): void {
        if (order.isDone) return;
        const engine = engineOf();
        const held = venue.heldIds.has(order.id);
        if (!held && (st.liquidity === 'replay' || (engine !== undefined && order.type === 'STOP_LIMIT'))) {
          return this.cancelOrder(order, 'CORPORATE_ACTION', time);
        }
        if (engine !== undefined && !held) {
          const p = order.type === 'STOP' ? triggerPrice : price;
          venue.inBook(engine, time, () => void engine.modify(order.id, p, order.filled + leaves, time));
          return;
        }
        order.quantity = order.filled + order.closedQuantity + leaves;
        order.price = price;
        order.triggerPrice = triggerPrice;
        venue.update('MODIFIED', order, time);
      },
      expireDayOrders(time): void {
        if (engineOf() !== undefined) return;
        for (const o of st.working.slice()) if (!o.isDone && o.status !== 'PENDING') venue.dayExpired(o, time);
        venue.compact(st);
      },
      lastPrice: () => venue.lastPrice(inst),
      bestBid: () => venue.bestOf(st, 'BUY'),
      bestAsk: () => venue.bestOf(st, 'SELL'),
      split(ratioNew, ratioOld, cashPrice, time): void {
        venue.onSplit?.(inst, ratioNew, ratioOld, cashPrice, time);
        // data-mode marks and quotes are pre-split until the next event
        const k = (p: number): number => (p === p ? Math.round((p * ratioOld) / ratioNew) : p);
        st.lastClose = k(st.lastClose);
        st.bid = k(st.bid);
        st.ask = k(st.ask);
      },
      shortFee(time, feeFor): void {
        venue.onShortFee?.(inst, time, feeFor);
      },
    };
  }

  private compact(st: InstrumentState): void {
    const w = st.working;
    let j = 0;
    for (let i = 0; i < w.length; i++) {
      const o = w[i]!;
      if (!o.isDone) w[j++] = o;
    }
    truncate(w, j);
  }
}

/** How much a reduce-only order on `side` may trade against a signed position `pos` (size units). */
function reduceRoom(pos: number, side: Side): number {
  return side === 'BUY' ? Math.max(0, -pos) : Math.max(0, pos);
}
