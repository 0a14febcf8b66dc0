/**
 * An agent-based market in the style of ABIDES (Byrd, Hybinette and Balch, "ABIDES: Towards High-Fidelity
 * Market Simulation for AI Research", 2019): many agents trade one instrument through the real
 * `MatchingEngine`. A deterministic discrete-event scheduler (the core `EventQueue`, ties broken by the
 * order events were scheduled) runs agent wakeups and messages:
 *
 * - agent -> exchange: orders, cancels and spread queries arrive after the agent's latency (`AgentLink`);
 * - exchange -> agent: fills, cancel/reject reports, spread answers and (when subscribed) top-of-book
 *   changes arrive after the agent's latency too;
 * - the exchange processes a message at its arrival time; its trades, L1 changes (and optionally L2 level
 *   changes) are recorded as normalized market events stamped with that time.
 *
 * Messages are pooled objects (no closure per event); engine `Order`s are recycled. The same config and
 * seed give the identical event tape. Nothing reaches the exchange at or after the close.
 */
import { MarketsimError } from '../../../core/errors.ts';
import { EventQueue, type Scheduled } from '../../../core/event-queue.ts';
import { Rng } from '../../../core/rng.ts';
import { Instrument } from '../../../market/instrument.ts';
import type { BookDeltaEvent, MarketEvent, QuoteEvent, TradeEvent } from '../../../market/market-data.ts';
import { MatchingEngine, type MatchListener } from '../../../market/matching-engine.ts';
import { Order, type CancelReason, type RejectReason, type Side } from '../../../market/order.ts';
import { validateMarketConfig, type AgentMarketConfig, type ResolvedMarketConfig } from './config.ts';
import { AgentLink, lightLatencyUs } from './latency.ts';
import { AdaptiveMarketMaker } from './market-maker.ts';
import { MomentumAgent } from './momentum-agent.ts';
import { NoiseAgent } from './noise-agent.ts';
import { SparseMeanRevertingOracle } from './oracle.ts';
import { OrderSizeModel } from './order-size.ts';
import type { Agent, AgentContext, AgentFill, AgentOrderUpdate, QuoteSnapshot, SpreadSnapshot } from './types.ts';
import { ValueAgent } from './value-agent.ts';
import { truncate } from '../../../core/arrays.ts';

const K_WAKE = 0;
const K_SUBMIT = 1;
const K_CANCEL = 2;
const K_QUERY = 3;
const K_FILL = 4;
const K_DONE = 5;
const K_SPREAD = 6;
const K_QUOTE = 7;

/** A scheduled message or wakeup (pooled). */
class Msg implements Scheduled {
  time = 0;
  seq = 0;
  kind = 0;
  slot: AgentSlot | null = null;
  orderId = 0;
  buy = false;
  price = NaN;
  qty = 0;
  leaves = 0;
  taker = false;
  exTime = 0;
  bid = NaN;
  bidSize = 0;
  ask = NaN;
  askSize = 0;
  last = NaN;
  buyVol = 0;
  sellVol = 0;
  lookback = 0;
  rejected = false;
  reason = '';
  constructor(private readonly market: AgentMarket) {}
  fire(): void {
    this.market.dispatch(this);
  }
}

/** An order as its agent knows it (pooled). */
class OpenOrder {
  buy = false;
  price = NaN;
  leaves = 0;
}

/** One agent's context: its view of its orders and position, its link to the exchange. */
class AgentSlot implements AgentContext {
  now = 0;
  position = 0;
  cash = 0;
  openBuy = 0;
  openSell = 0;
  subscribed = false;
  readonly orders = new Map<number, OpenOrder>();
  readonly spread: SpreadSnapshot = { time: 0, bid: NaN, bidSize: 0, ask: NaN, askSize: 0, last: NaN, buyVolume: 0, sellVolume: 0 };
  readonly fill: AgentFill = { time: 0, orderId: 0, side: 'BUY', price: 0, size: 0, leaves: 0, taker: false };
  readonly update: AgentOrderUpdate = { time: 0, orderId: 0, status: 'CANCELED', reason: '', closed: 0 };
  readonly quote: QuoteSnapshot = { time: 0, bid: NaN, bidSize: 0, ask: NaN, askSize: 0 };

  constructor(
    readonly id: number,
    readonly agent: Agent,
    readonly rng: Rng,
    readonly link: AgentLink,
    private readonly market: AgentMarket,
  ) {}

  get instrument(): Instrument {
    return this.market.instrument;
  }
  get openTime(): number {
    return this.market.openTime;
  }
  get closeTime(): number {
    return this.market.closeTime;
  }
  get openOrderCount(): number {
    return this.orders.size;
  }

  placeLimit(side: Side, price: number, quantity: number): number {
    return this.market.sendOrder(this, side, price, quantity);
  }
  placeMarket(side: Side, quantity: number): number {
    return this.market.sendOrder(this, side, NaN, quantity);
  }
  cancel(orderId: number): void {
    this.market.sendCancel(this, orderId);
  }
  cancelAll(): void {
    for (const id of this.orders.keys()) this.market.sendCancel(this, id);
  }
  querySpread(lookbackUs = 0): void {
    this.market.sendQuery(this, lookbackUs);
  }
  wakeAt(time: number): void {
    this.market.scheduleWake(this, time);
  }
  subscribeQuotes(): void {
    this.market.subscribe(this);
  }
  observeFundamental(varianceN: number): number {
    const r = this.market.oracle.advance(this.now);
    return varianceN > 0 ? Math.round(r + Math.sqrt(varianceN) * this.rng.normal()) : r;
  }
}

/** Counts of what happened in a market so far. */
export interface AgentMarketCounters {
  /** Scheduled events processed (wakeups and messages). */
  events: number;
  /** Orders that reached the exchange. */
  orders: number;
  /** Cancels that reached the exchange. */
  cancels: number;
  /** Trades (maker/taker matches). */
  trades: number;
  /** Traded volume, size units. */
  volume: number;
  /** Top-of-book changes. */
  quotes: number;
}

/** What each agent group is, by id range. */
export interface AgentRoster {
  noise: readonly [number, number];
  value: readonly [number, number];
  marketMakers: readonly [number, number];
  momentum: readonly [number, number];
  user: readonly [number, number];
}

/** The default instrument: ABIDES's ticker ABM, quoted to the cent, whole shares. */
export function defaultAgentInstrument(): Instrument {
  return new Instrument(0, { symbol: 'ABM', assetClass: 'equity', pricePrecision: 2, sizePrecision: 0 });
}

/**
 * The agent-based market of one session. Build it, then `runDay()` (or `step()` / `runUntil(t)` for finer
 * control) and read the recorded events with `takeEvents()`. Agent ids: noise traders first, then value
 * traders, market makers, momentum traders (ABIDES's RMSC04 order), then user agents.
 */
export class AgentMarket implements MatchListener {
  /** The instrument traded. */
  readonly instrument: Instrument;
  /** The real matching engine (its `book` is the market's L3 book). */
  readonly engine: MatchingEngine;
  /** The fundamental value process the value traders observe. */
  readonly oracle: SparseMeanRevertingOracle;
  /** Open and close of the session, microseconds. */
  readonly openTime: number;
  readonly closeTime: number;
  /** The validated configuration, defaults filled in. */
  readonly config: ResolvedMarketConfig;
  /** Agent id ranges [from, to) of each group. */
  readonly roster: AgentRoster;
  private readonly queue = new EventQueue();
  private readonly slots: AgentSlot[] = [];
  private readonly subscribers: AgentSlot[] = [];
  private readonly msgPool: Msg[] = [];
  private readonly orderPool: Order[] = [];
  private readonly openPool: OpenOrder[] = [];
  private readonly truePosition: Float64Array;
  private events: MarketEvent[] = [];
  private readonly recordQuotes: boolean;
  private readonly recordL2: boolean;
  private nextOrderId = 1;
  private taker: Order | null = null;
  private nowT: number;
  // trade history for transacted-volume queries
  private tradeTimes = new Float64Array(1024);
  private cumBuy = new Float64Array(1025);
  private cumSell = new Float64Array(1025);
  private nTrades = 0;
  // last published top of book
  private qBid = NaN;
  private qBidSize = 0;
  private qAsk = NaN;
  private qAskSize = 0;
  // L2 levels touched by the current exchange operation
  private readonly touchedBuy: boolean[] = [];
  private readonly touchedPrice: number[] = [];
  private readonly counts: AgentMarketCounters = { events: 0, orders: 0, cancels: 0, trades: 0, volume: 0, quotes: 0 };

  /** Validates `config` (ConfigError naming each bad field), builds the agents and schedules their start. */
  constructor(config: AgentMarketConfig) {
    const c = validateMarketConfig(config);
    this.config = c;
    this.instrument = config.instrument ?? defaultAgentInstrument();
    this.engine = new MatchingEngine(this.instrument, this, { rememberDone: 0 });
    this.openTime = c.openTime;
    this.closeTime = c.openTime + c.durationUs;
    this.nowT = c.openTime;
    this.recordQuotes = c.quotes;
    this.recordL2 = c.l2;
    const root = config.rng ?? new Rng(c.seed, 'agents');
    if (c.oracle instanceof SparseMeanRevertingOracle) {
      this.oracle = c.oracle;
      this.oracle.skipTo(this.openTime);
    } else this.oracle = new SparseMeanRevertingOracle(c.oracle, this.openTime, root.fork('oracle'));
    const rBar = this.oracle.params.rBar;
    const sizes = new OrderSizeModel();
    const exPos = root.fork('exchange').next() * c.latency.lineMeters;
    const agents: Agent[] = [];
    const mark = (): number => agents.length;
    const n0 = mark();
    for (let i = 0; i < c.noise.count; i++) agents.push(new NoiseAgent(c.noise, sizes));
    const v0 = mark();
    for (let i = 0; i < c.value.count; i++) agents.push(new ValueAgent(c.value, rBar, sizes));
    const m0 = mark();
    for (let i = 0; i < c.marketMakers.count; i++) agents.push(new AdaptiveMarketMaker(c.marketMakers));
    const t0 = mark();
    for (let i = 0; i < c.momentum.count; i++) agents.push(new MomentumAgent(c.momentum, sizes));
    const u0 = mark();
    for (const u of c.userAgents) agents.push(u.agent);
    const end = mark();
    this.roster = { noise: [n0, v0], value: [v0, m0], marketMakers: [m0, t0], momentum: [t0, u0], user: [u0, end] };
    for (let id = 0; id < agents.length; id++) {
      const latRng = root.fork(`latency:${id}`);
      const user = id >= u0 ? c.userAgents[id - u0]! : undefined;
      const base = user?.latencyUs ?? lightLatencyUs(latRng.next() * c.latency.lineMeters, exPos);
      const link = new AgentLink(base, c.latency, user?.jitter ?? true, latRng);
      this.slots.push(new AgentSlot(id, agents[id]!, root.fork(`agent:${id}`), link, this));
    }
    this.truePosition = new Float64Array(agents.length);
    for (const s of this.slots) {
      s.now = this.openTime;
      if (s.agent.start) s.agent.start(s);
      else s.wakeAt(this.openTime);
    }
  }

  /** Number of agents. */
  get agentCount(): number {
    return this.slots.length;
  }

  /** Current virtual time, microseconds. */
  get time(): number {
    return this.nowT;
  }

  /** Counters so far (a fresh object). */
  get counters(): AgentMarketCounters {
    return { ...this.counts };
  }

  /** The agent with this id. */
  agent(id: number): Agent {
    return this.slotOf(id).agent;
  }

  /** The context of the agent with this id (its own view: position, open orders). */
  context(id: number): AgentContext {
    return this.slotOf(id);
  }

  /** The agent's true position at the exchange now (fills applied as they happen), size units. */
  exchangePosition(id: number): number {
    this.slotOf(id);
    return this.truePosition[id]!;
  }

  /** Base latency of the agent to the exchange, microseconds (before jitter and rounding). */
  latencyUs(id: number): number {
    return this.slotOf(id).link.baseUs;
  }

  private slotOf(id: number): AgentSlot {
    const s = this.slots[id];
    if (s === undefined) throw new MarketsimError('BAD_INPUT', `AgentMarket: no agent with id ${id} (ids 0..${this.slots.length - 1})`);
    return s;
  }

  /** Processes the next scheduled event before the close. Returns false when there is none. */
  step(): boolean {
    const q = this.queue;
    if (!(q.peekTime() < this.closeTime)) return false;
    const m = q.pop() as Msg;
    this.nowT = m.time;
    m.fire();
    return true;
  }

  /** Processes every event before `time` (and before the close); the clock then reads min(time, close). */
  runUntil(time: number): void {
    const end = time < this.closeTime ? time : this.closeTime;
    const q = this.queue;
    while (q.peekTime() < end) {
      const m = q.pop() as Msg;
      this.nowT = m.time;
      m.fire();
    }
    if (end > this.nowT) this.nowT = end;
  }

  /** Runs the whole session to the close and returns every event recorded (and clears the buffer). */
  runDay(): MarketEvent[] {
    this.runUntil(this.closeTime);
    return this.takeEvents();
  }

  /** The events recorded since the last call (trades, quotes, book deltas, in time order). */
  takeEvents(): MarketEvent[] {
    const e = this.events;
    this.events = [];
    return e;
  }

  // ------------------------------------------------------------------ sending (agent side)

  private msg(kind: number, slot: AgentSlot): Msg {
    const m = this.msgPool.pop() ?? new Msg(this);
    m.kind = kind;
    m.slot = slot;
    return m;
  }

  private release(m: Msg): void {
    m.slot = null;
    this.msgPool.push(m);
  }

  /** Schedules `m` at `time` unless that is at or after the close. */
  private post(m: Msg, time: number): void {
    if (time >= this.closeTime) {
      this.release(m);
      return;
    }
    m.time = time;
    this.queue.push(m);
  }

  /** @internal */
  sendOrder(s: AgentSlot, side: Side, price: number, quantity: number): number {
    if (side !== 'BUY' && side !== 'SELL') throw new MarketsimError('BAD_INPUT', `agent ${s.agent.name} (#${s.id}): side must be 'BUY' or 'SELL', got ${String(side)}`);
    const id = this.nextOrderId++;
    const buy = side === 'BUY';
    const known = Number.isSafeInteger(quantity) && quantity > 0 ? quantity : 0;
    const rec = this.openPool.pop() ?? new OpenOrder();
    rec.buy = buy;
    rec.price = price;
    rec.leaves = known;
    s.orders.set(id, rec);
    if (buy) s.openBuy += known;
    else s.openSell += known;
    const m = this.msg(K_SUBMIT, s);
    m.orderId = id;
    m.buy = buy;
    m.price = price;
    m.qty = quantity;
    this.post(m, s.link.send(s.now));
    return id;
  }

  /** @internal */
  sendCancel(s: AgentSlot, orderId: number): void {
    const m = this.msg(K_CANCEL, s);
    m.orderId = orderId;
    this.post(m, s.link.send(s.now));
  }

  /** @internal */
  sendQuery(s: AgentSlot, lookbackUs: number): void {
    const m = this.msg(K_QUERY, s);
    m.lookback = lookbackUs > 0 ? lookbackUs : 0;
    this.post(m, s.link.send(s.now));
  }

  /** @internal */
  scheduleWake(s: AgentSlot, time: number): void {
    if (time !== time) throw new MarketsimError('BAD_INPUT', `agent ${s.agent.name} (#${s.id}): wakeAt time must be a number of microseconds, got NaN`);
    const m = this.msg(K_WAKE, s);
    this.post(m, time > s.now ? Math.round(time) : s.now);
  }

  /** @internal */
  subscribe(s: AgentSlot): void {
    if (s.subscribed) return;
    s.subscribed = true;
    this.subscribers.push(s);
  }

  // ------------------------------------------------------------------ dispatch

  /** @internal Runs one scheduled message (called by `Msg.fire`). */
  dispatch(m: Msg): void {
    const s = m.slot!;
    const now = this.nowT;
    this.counts.events++;
    switch (m.kind) {
      case K_WAKE:
        s.now = now;
        s.agent.wakeup(s);
        break;
      case K_SUBMIT:
        this.exSubmit(m, s, now);
        break;
      case K_CANCEL:
        this.counts.cancels++;
        this.engine.cancel(m.orderId, now);
        this.afterOp(now);
        break;
      case K_QUERY:
        this.exQuery(m, s, now);
        break;
      case K_FILL:
        s.now = now;
        this.deliverFill(m, s);
        break;
      case K_DONE:
        s.now = now;
        this.deliverDone(m, s);
        break;
      case K_SPREAD: {
        s.now = now;
        const sp = s.spread;
        sp.time = m.exTime;
        sp.bid = m.bid;
        sp.bidSize = m.bidSize;
        sp.ask = m.ask;
        sp.askSize = m.askSize;
        sp.last = m.last;
        sp.buyVolume = m.buyVol;
        sp.sellVolume = m.sellVol;
        this.release(m);
        s.agent.onSpread?.(s, sp);
        return;
      }
      case K_QUOTE: {
        s.now = now;
        const q = s.quote;
        q.time = m.exTime;
        q.bid = m.bid;
        q.bidSize = m.bidSize;
        q.ask = m.ask;
        q.askSize = m.askSize;
        this.release(m);
        s.agent.onMarketData?.(s, q);
        return;
      }
    }
    this.release(m);
  }

  private deliverFill(m: Msg, s: AgentSlot): void {
    const size = m.qty;
    const price = m.price;
    const rec = s.orders.get(m.orderId);
    if (m.buy) {
      s.position += size;
      s.cash -= price * size;
    } else {
      s.position -= size;
      s.cash += price * size;
    }
    if (rec !== undefined) {
      const dec = size < rec.leaves ? size : rec.leaves;
      rec.leaves -= dec;
      if (rec.buy) s.openBuy -= dec;
      else s.openSell -= dec;
      if (m.leaves === 0) {
        if (rec.buy) s.openBuy -= rec.leaves;
        else s.openSell -= rec.leaves;
        s.orders.delete(m.orderId);
        this.openPool.push(rec);
      }
    }
    const f = s.fill;
    f.time = m.exTime;
    f.orderId = m.orderId;
    f.side = m.buy ? 'BUY' : 'SELL';
    f.price = price;
    f.size = size;
    f.leaves = m.leaves;
    f.taker = m.taker;
    s.agent.onFill?.(s, f);
  }

  private deliverDone(m: Msg, s: AgentSlot): void {
    const rec = s.orders.get(m.orderId);
    if (rec !== undefined) {
      if (rec.buy) s.openBuy -= rec.leaves;
      else s.openSell -= rec.leaves;
      s.orders.delete(m.orderId);
      this.openPool.push(rec);
    }
    const u = s.update;
    u.time = m.exTime;
    u.orderId = m.orderId;
    u.status = m.rejected ? 'REJECTED' : 'CANCELED';
    u.reason = m.reason;
    u.closed = m.qty;
    s.agent.onOrderDone?.(s, u);
  }

  // ------------------------------------------------------------------ exchange side

  private exSubmit(m: Msg, s: AgentSlot, now: number): void {
    this.counts.orders++;
    const side: Side = m.buy ? 'BUY' : 'SELL';
    const limit = m.price === m.price;
    let o = this.orderPool.pop();
    if (o === undefined) {
      o = new Order(m.orderId, { instrument: this.instrument, side, type: limit ? 'LIMIT' : 'MARKET', price: limit ? m.price : undefined, quantity: m.qty, owner: s.id + 1 });
    } else {
      o.recycle(m.orderId, side, limit ? 'LIMIT' : 'MARKET', m.price, m.qty);
      o.owner = s.id + 1;
    }
    this.taker = o;
    this.engine.submit(o, now);
    this.taker = null;
    if (o.isDone) this.orderPool.push(o);
    else if (this.recordL2) this.touch(o.side === 'BUY', o.price);
    this.afterOp(now);
  }

  private exQuery(m: Msg, s: AgentSlot, now: number): void {
    const book = this.engine.book;
    const r = this.msg(K_SPREAD, s);
    r.exTime = now;
    r.bid = book.bestBid();
    r.bidSize = book.bestBidSize();
    r.ask = book.bestAsk();
    r.askSize = book.bestAskSize();
    r.last = this.engine.lastPrice;
    r.buyVol = 0;
    r.sellVol = 0;
    const n = this.nTrades;
    if (m.lookback > 0 && n > 0) {
      const from = now - m.lookback;
      // first trade strictly after `from`
      let lo = 0;
      let hi = n;
      const times = this.tradeTimes;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (times[mid]! > from) hi = mid;
        else lo = mid + 1;
      }
      r.buyVol = this.cumBuy[n]! - this.cumBuy[lo]!;
      r.sellVol = this.cumSell[n]! - this.cumSell[lo]!;
    }
    this.post(r, s.link.receive(now));
  }

  private touch(buy: boolean, price: number): void {
    this.touchedBuy.push(buy);
    this.touchedPrice.push(price);
  }

  /** After an exchange operation: publish L2 level changes and an L1 change. */
  private afterOp(now: number): void {
    const book = this.engine.book;
    if (this.recordL2 && this.touchedPrice.length > 0) {
      const tb = this.touchedBuy;
      const tp = this.touchedPrice;
      for (let i = 0; i < tp.length; i++) {
        let seen = false;
        for (let j = 0; j < i; j++) if (tp[j] === tp[i] && tb[j] === tb[i]) seen = true;
        if (seen) continue;
        const side: Side = tb[i] ? 'BUY' : 'SELL';
        const ev: BookDeltaEvent = { kind: 'book-delta', time: now, instrument: this.instrument, side, price: tp[i]!, size: book.sizeAt(side, tp[i]!), sequence: this.counts.events, last: false };
        this.events.push(ev);
      }
      (this.events[this.events.length - 1] as BookDeltaEvent).last = true;
      truncate(tb, 0);
      truncate(tp, 0);
    }
    const bid = book.bestBid();
    const ask = book.bestAsk();
    const bs = book.bestBidSize();
    const as = book.bestAskSize();
    if (bs === this.qBidSize && as === this.qAskSize && (bid === this.qBid || (bid !== bid && this.qBid !== this.qBid)) && (ask === this.qAsk || (ask !== ask && this.qAsk !== this.qAsk))) return;
    this.qBid = bid;
    this.qAsk = ask;
    this.qBidSize = bs;
    this.qAskSize = as;
    this.counts.quotes++;
    if (this.recordQuotes) {
      const inst = this.instrument;
      const q: QuoteEvent = { kind: 'quote', time: now, instrument: inst, bidPrice: inst.price(bid), bidSize: inst.size(bs), askPrice: inst.price(ask), askSize: inst.size(as) };
      this.events.push(q);
    }
    const subs = this.subscribers;
    for (let i = 0; i < subs.length; i++) {
      const s = subs[i]!;
      const m = this.msg(K_QUOTE, s);
      m.exTime = now;
      m.bid = bid;
      m.bidSize = bs;
      m.ask = ask;
      m.askSize = as;
      this.post(m, s.link.receive(now));
    }
  }

  private recordTrade(buyTaker: boolean, size: number, time: number): void {
    const n = this.nTrades;
    if (n === this.tradeTimes.length) {
      const t = new Float64Array(n * 2);
      t.set(this.tradeTimes);
      this.tradeTimes = t;
      const b = new Float64Array(n * 2 + 1);
      b.set(this.cumBuy);
      this.cumBuy = b;
      const s = new Float64Array(n * 2 + 1);
      s.set(this.cumSell);
      this.cumSell = s;
    }
    this.tradeTimes[n] = time;
    this.cumBuy[n + 1] = this.cumBuy[n]! + (buyTaker ? size : 0);
    this.cumSell[n + 1] = this.cumSell[n]! + (buyTaker ? 0 : size);
    this.nTrades = n + 1;
  }

  // ------------------------------------------------------------------ MatchListener (exchange callbacks)

  /** @internal */
  accepted(): void {}

  /** @internal */
  fill(taker: Order, maker: Order, price: number, size: number, time: number): void {
    const buyTaker = taker.side === 'BUY';
    this.counts.trades++;
    this.counts.volume += size;
    this.recordTrade(buyTaker, size, time);
    const inst = this.instrument;
    const tr: TradeEvent = { kind: 'trade', time, instrument: inst, price: inst.price(price), size: inst.size(size), aggressor: taker.side };
    this.events.push(tr);
    const ti = taker.owner - 1;
    const mi = maker.owner - 1;
    this.truePosition[ti] += buyTaker ? size : -size;
    this.truePosition[mi] += buyTaker ? -size : size;
    this.sendFill(this.slots[ti]!, taker, price, size, true, time);
    this.sendFill(this.slots[mi]!, maker, price, size, false, time);
    if (this.recordL2) this.touch(maker.side === 'BUY', price);
    if (maker.status === 'FILLED') this.orderPool.push(maker);
  }

  private sendFill(s: AgentSlot, o: Order, price: number, size: number, taker: boolean, time: number): void {
    const m = this.msg(K_FILL, s);
    m.exTime = time;
    m.orderId = o.id;
    m.buy = o.side === 'BUY';
    m.price = price;
    m.qty = size;
    m.leaves = o.leaves;
    m.taker = taker;
    this.post(m, s.link.receive(time));
  }

  private sendDone(o: Order, rejected: boolean, reason: string, time: number): void {
    const s = this.slots[o.owner - 1]!;
    const m = this.msg(K_DONE, s);
    m.exTime = time;
    m.orderId = o.id;
    m.rejected = rejected;
    m.reason = reason;
    m.qty = o.quantity - o.filled;
    this.post(m, s.link.receive(time));
  }

  /** @internal */
  rejected(order: Order, reason: RejectReason, time: number): void {
    this.sendDone(order, true, reason, time);
    if (order !== this.taker) this.orderPool.push(order);
  }

  /** @internal */
  canceled(order: Order, reason: CancelReason, time: number): void {
    this.sendDone(order, false, reason, time);
    if (order !== this.taker) {
      if (this.recordL2) this.touch(order.side === 'BUY', order.price);
      this.orderPool.push(order);
    }
  }

  /** @internal */
  expired(order: Order, time: number): void {
    this.sendDone(order, false, 'EXPIRED', time);
  }

  /** @internal */
  modified(): void {}

  /** @internal */
  requestRejected(): void {}

  /** @internal */
  triggered(): void {}
}
