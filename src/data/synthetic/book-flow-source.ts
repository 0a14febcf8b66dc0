import { ConfigError, MarketsimError } from '../../core/errors.ts';
import type { Scheduled } from '../../core/event-queue.ts';
import { Rng } from '../../core/rng.ts';
import type { Instrument } from '../../market/instrument.ts';
import { SourceState, type EventSource, type QuoteEvent, type TradeEvent } from '../../market/market-data.ts';
import type { MatchingEngine } from '../../market/matching-engine.ts';
import { Order, type Side } from '../../market/order.ts';
import { resolveLobFlowParams, type LobFlowParams, type ResolvedLobFlow } from './lob-flow.ts';

/**
 * The Cont-Stoikov-Talreja order flow driving a venue's own order book (a `liquidity: book` instrument), so
 * a strategy trades against the synthetic book and its orders move the price (docs/models.md, "CST flow
 * against the strategy"). The rules are those of `LobFlowModel`:
 *
 * - a limit order at distance i = 1..K from the OPPOSITE best quote, rate lambda(i) per side;
 * - a market order, rate mu per side;
 * - a cancel of a resting lot at distance i from the opposite best, rate theta(i) per lot, by thinning: a
 *   uniformly chosen resting lot (of anyone) is a candidate at rate thetaMax per lot and is accepted with
 *   probability theta(i) / thetaMax when it belongs to the flow (owner 0); the strategy's orders are never
 *   canceled by the flow (a candidate on them is rejected), so they only wait in the queues;
 * - flow orders that drift beyond K ticks from the opposite best are removed.
 *
 * Differences from the standalone model, because the book is shared: the best quotes include the
 * strategy's orders; each event's type is drawn with the rates at its time, but its waiting time with the
 * rates after the previous flow event (a strategy order in between changes the next event's intensity only
 * from the following event on).
 *
 * Mechanics: the source must be `attach`ed to the venue and the simulation's event queue before the run.
 * `advance()` draws the next event time t and schedules the event on the queue at t (engine events at a
 * time run before data events at that time); the event enters the book through `venue.submitFlow` (or
 * `venue.cancel`), then the source's data event at t reports what happened: a `TradeEvent` when a market
 * order traded (price = the last fill's price, size = the filled total, aggressor = its side), else a
 * `QuoteEvent` with the new top of book (NaN price and size 0 for an empty side).
 */

/** What the source needs from a venue (`SimulatedVenue` has it). */
export interface BookFlowVenue {
  engine(instrument: Instrument): MatchingEngine | undefined;
  submitFlow(order: Order, now: number): void;
  cancel(orderId: number, now: number): void;
}

/** What the source needs from the simulation's event queue. */
export interface BookFlowQueue {
  push(item: Scheduled): void;
}

/** Options of a `BookFlowSource`. */
export interface BookFlowOptions extends Omit<LobFlowParams, 'observer' | 'startTime'> {
  /** Time of the first event (the book is seeded then), integer microseconds. */
  start: number;
  /** End (exclusive), integer microseconds. */
  end: number;
  /** Seed of the flow's random stream. */
  seed: number;
}

/** Flow order ids start here, far above any strategy order id. */
const FLOW_ID_BASE = 2 ** 50;
const U32 = 2.3283064365386963e-10;

class FlowEvent implements Scheduled {
  seq = 0;
  time = 0;
  constructor(private readonly src: BookFlowSource) {}
  fire(now: number): void {
    this.src.apply(now);
  }
}

/** A CST order flow source trading in a venue's book. */
export class BookFlowSource implements EventSource<QuoteEvent | TradeEvent> {
  readonly name: string;
  private cur: QuoteEvent | TradeEvent;
  private readonly quote: QuoteEvent;
  private readonly trade: TradeEvent;
  private readonly p: ResolvedLobFlow;
  private readonly rng: Rng;
  private readonly thetaMax: number;
  private venue: BookFlowVenue | undefined;
  private queue: BookFlowQueue | undefined;
  private engine: MatchingEngine | undefined;
  private readonly ev: FlowEvent;
  private t = 0.5;
  private n = 0;
  private nextId = FLOW_ID_BASE;
  private closed = false;
  /** Counts of applied events, by kind. */
  readonly counts = { adds: 0, markets: 0, cancels: 0, rejectedCancels: 0, pruned: 0 };

  constructor(
    readonly instrument: Instrument,
    private readonly o: BookFlowOptions,
  ) {
    this.p = resolveLobFlowParams(instrument, { ...o, startTime: o.start });
    if (!(Number.isSafeInteger(o.end) && o.end > o.start)) throw new ConfigError([{ path: 'bookFlow.end', message: `must be an integer time after start (${o.start}), got ${o.end}` }], 'BookFlowSource');
    this.rng = new Rng(o.seed, `book-flow/${instrument.symbol}`);
    let tm = 0;
    for (let i = 0; i < this.p.K; i++) tm = Math.max(tm, this.p.theta[i]!);
    this.thetaMax = tm;
    this.name = `synthetic-book-flow:${instrument.symbol}`;
    this.quote = { kind: 'quote', time: o.start, instrument, bidPrice: NaN, bidSize: 0, askPrice: NaN, askSize: 0 };
    this.trade = { kind: 'trade', time: o.start, instrument, price: NaN, size: 0, aggressor: undefined };
    this.cur = this.quote;
    this.ev = new FlowEvent(this);
    this.t = o.start;
  }

  /** Connects the source to the venue holding the instrument's book and to the simulation's queue. */
  attach(venue: BookFlowVenue, queue: BookFlowQueue): void {
    const engine = venue.engine(this.instrument);
    if (!engine) throw new MarketsimError('NOT_A_BOOK', `${this.instrument.symbol} has no order book at the venue: give it liquidity 'book' to trade against the synthetic flow`);
    this.venue = venue;
    this.queue = queue;
    this.engine = engine;
  }

  get current(): QuoteEvent | TradeEvent {
    return this.cur;
  }

  /** Draws the next event time and schedules the event; Ready, or End at `end`. */
  advance(): SourceState {
    if (this.closed) return SourceState.End;
    if (!this.queue) throw new MarketsimError('ENGINE_STATE', `${this.name}: attach() it to the venue and event queue before the run`);
    if (this.n > 0) {
      const total = this.totalRate();
      this.t += Math.round((-Math.log((this.rng.nextU32() + 0.5) * U32) / total) * 1e6);
      if (this.t >= this.o.end) return SourceState.End;
    }
    this.n++;
    this.quote.time = this.t;
    this.trade.time = this.t;
    this.ev.time = this.t;
    this.queue.push(this.ev);
    return SourceState.Ready;
  }

  refill(): Promise<void> {
    return Promise.resolve();
  }

  close(): void {
    this.closed = true;
  }

  /** Total event rate in the book now (per second). */
  private totalRate(): number {
    return 2 * this.p.total + 2 * this.p.mu + this.thetaMax * (this.windowLots('BUY') + this.windowLots('SELL'));
  }

  /** Lots resting on `side` within K ticks of the opposite best. */
  private windowLots(side: Side): number {
    const book = this.engine!.book;
    const ref = this.ref(side === 'BUY' ? 'SELL' : 'BUY');
    const K = this.p.K * this.p.tick;
    let lots = 0;
    for (let j = 0; j < book.levelCount(side); j++) {
      const d = side === 'BUY' ? ref - book.levelPrice(side, j) : book.levelPrice(side, j) - ref;
      if (d > K) break;
      lots += book.levelSize(side, j);
    }
    return lots / this.instrument.lotUnits;
  }

  /** Best price of `side`, or a one-tick fallback from the other side, or the initial quotes. */
  private ref(side: Side): number {
    const book = this.engine!.book;
    const tick = this.p.tick;
    if (side === 'BUY') {
      const b = book.bestBid();
      if (b === b) return b;
      const a = book.bestAsk();
      return a === a ? a - tick : this.p.p0 - tick;
    }
    const a = book.bestAsk();
    if (a === a) return a;
    const b = book.bestBid();
    return b === b ? b + tick : this.p.p0 + tick;
  }

  /** @internal Applies the event scheduled at `now` and writes the data event. */
  apply(now: number): void {
    const p = this.p;
    if (this.n === 1) {
      for (let i = 0; i < p.seedLevels; i++) {
        for (let j = 0; j < p.seedOrders; j++) {
          this.submit('BUY', 'LIMIT', p.p0 - (i + 1) * p.tick, now);
          this.submit('SELL', 'LIMIT', p.p0 + (i + 1) * p.tick, now);
        }
      }
      return this.writeQuote();
    }
    const cBid = this.thetaMax * this.windowLots('BUY');
    const cAsk = this.thetaMax * this.windowLots('SELL');
    const L = p.total;
    let u = this.rng.nextU32() * U32 * (2 * L + 2 * p.mu + cBid + cAsk);
    if (u < 2 * L) {
      const buy = u < L;
      if (!buy) u -= L;
      let i = 0;
      while (i < p.K - 1 && u >= p.lambda[i]!) u -= p.lambda[i++]!;
      const d = (i + 1) * p.tick;
      this.counts.adds++;
      if (buy) this.submit('BUY', 'LIMIT', this.ref('SELL') - d, now);
      else this.submit('SELL', 'LIMIT', this.ref('BUY') + d, now);
    } else if ((u -= 2 * L) < 2 * p.mu) {
      this.counts.markets++;
      const side: Side = u < p.mu ? 'BUY' : 'SELL';
      const o = this.submit(side, 'MARKET', NaN, now);
      this.prune(now);
      if (o.filled > 0) {
        const e = this.trade;
        e.price = this.instrument.price(this.engine!.lastPrice);
        e.size = this.instrument.size(o.filled);
        e.aggressor = side;
        this.cur = e;
        return;
      }
    } else {
      u -= 2 * p.mu;
      const side: Side = u < cBid ? 'BUY' : 'SELL';
      const pos = (side === 'BUY' ? u : u - cBid) / this.thetaMax;
      this.cancelCandidate(side, pos * this.instrument.lotUnits, now);
    }
    this.prune(now);
    this.writeQuote();
  }

  private writeQuote(): void {
    const book = this.engine!.book;
    const inst = this.instrument;
    const q = this.quote;
    const b = book.bestBid();
    const a = book.bestAsk();
    q.bidPrice = b === b ? inst.price(b) : NaN;
    q.bidSize = b === b ? inst.size(book.bestBidSize()) : 0;
    q.askPrice = a === a ? inst.price(a) : NaN;
    q.askSize = a === a ? inst.size(book.bestAskSize()) : 0;
    this.cur = q;
  }

  /** A cancel candidate: the resting lot at `pos` (size units from the best of `side`). */
  private cancelCandidate(side: Side, pos: number, now: number): void {
    const book = this.engine!.book;
    const ref = this.ref(side === 'BUY' ? 'SELL' : 'BUY');
    for (let j = 0; j < book.levelCount(side); j++) {
      const size = book.levelSize(side, j);
      if (pos >= size) {
        pos -= size;
        continue;
      }
      const price = book.levelPrice(side, j);
      const d = Math.round((side === 'BUY' ? ref - price : price - ref) / this.p.tick);
      if (d < 1 || d > this.p.K) return;
      for (let o = book.levelHead(side, j); o !== null; o = o.next) {
        if (pos >= o.leaves) {
          pos -= o.leaves;
          continue;
        }
        if (o.owner !== 0) {
          this.counts.rejectedCancels++;
          return;
        }
        if (this.rng.nextU32() * U32 * this.thetaMax >= this.p.theta[d - 1]!) return;
        this.counts.cancels++;
        this.venue!.cancel(o.id, now);
        return;
      }
      return;
    }
  }

  /** Removes flow orders more than K ticks from the opposite best (the strategy's stay). */
  private prune(now: number): void {
    const book = this.engine!.book;
    const K = this.p.K * this.p.tick;
    for (const side of ['BUY', 'SELL'] as const) {
      const ref = this.ref(side === 'BUY' ? 'SELL' : 'BUY');
      for (let j = book.levelCount(side) - 1; j >= 0; j--) {
        const price = book.levelPrice(side, j);
        if ((side === 'BUY' ? ref - price : price - ref) <= K) break;
        const ids: number[] = [];
        for (let o = book.levelHead(side, j); o !== null; o = o.next) if (o.owner === 0) ids.push(o.id);
        for (const id of ids) {
          this.counts.pruned++;
          this.venue!.cancel(id, now);
        }
      }
    }
  }

  private size(): number {
    const p = this.p;
    if (p.sizeDist === 'fixed' || p.meanLots <= 1) return p.meanLots * this.instrument.lotUnits;
    const q = 1 - 1 / p.meanLots;
    return (1 + Math.floor(Math.log(this.rng.nextOpen()) / Math.log(q))) * this.instrument.lotUnits;
  }

  private submit(side: Side, type: 'LIMIT' | 'MARKET', price: number, now: number): Order {
    const o = new Order(this.nextId++, { instrument: this.instrument, side, type, quantity: this.size(), ...(type === 'LIMIT' ? { price } : {}), owner: 0 });
    this.venue!.submitFlow(o, now);
    return o;
  }
}
