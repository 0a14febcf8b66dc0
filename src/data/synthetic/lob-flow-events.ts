import type { Instrument } from '../../market/instrument.ts';
import type { MatchListener } from '../../market/matching-engine.ts';
import type { BookDeltaEvent, QuoteEvent, TradeEvent } from '../../market/market-data.ts';
import type { CancelReason, Order, RejectReason, Side } from '../../market/order.ts';
import { LobFlowModel, type LobFlowParams } from './lob-flow.ts';
import { truncate } from '../../core/arrays.ts';

/**
 * The Cont-Stoikov-Talreja order flow (`LobFlowModel`) as market data events: L2 book deltas (the new
 * total size of every level an event touched), trade prints (one per maker fill, at the maker's price,
 * aggressor = the market order's side) and L1 quotes (when the top of book changed and both sides are
 * quoted). Book deltas carry price and size UNITS (like every book event); trades and quotes decimals.
 */

/** What `lobFlowEvents` emits. */
export type LobFlowEventKind = 'book' | 'trades' | 'quotes' | 'quotes+trades';

/** Options of `lobFlowEvents`. */
export interface LobFlowEventOptions {
  instrument: Instrument;
  /** Seed of the model's random stream. */
  seed: number;
  /** Model parameters (`startTime` is the session start; `observer` is not allowed here). */
  params?: Omit<LobFlowParams, 'observer'>;
  /** End of the session, integer microseconds (exclusive): the last event is the last one before it. */
  end: number;
  kind: LobFlowEventKind;
  /** Book kind: at `end`, emit size-0 deltas for every level left, so the next session starts from an empty book (default true). */
  clearAtEnd?: boolean;
  /** Events per batch (default 4096). */
  batchSize?: number;
}

/** Records what each model event touched (the model's orders are pooled: only numbers are kept). */
class Touches implements MatchListener {
  sides: Side[] = [];
  prices: number[] = [];
  tradePrice: number[] = [];
  tradeSize: number[] = [];
  tradeSide: Side[] = [];
  private touch(side: Side, price: number): void {
    if (price !== price) return;
    for (let i = 0; i < this.prices.length; i++) if (this.prices[i] === price && this.sides[i] === side) return;
    this.sides.push(side);
    this.prices.push(price);
  }
  accepted(order: Order): void {
    if (order.type === 'LIMIT') this.touch(order.side, order.price);
  }
  rejected(_o: Order, _r: RejectReason): void {}
  fill(taker: Order, maker: Order, price: number, size: number): void {
    this.touch(maker.side, price);
    this.tradePrice.push(price);
    this.tradeSize.push(size);
    this.tradeSide.push(taker.side);
  }
  canceled(order: Order, _r: CancelReason): void {
    if (order.type === 'LIMIT') this.touch(order.side, order.price);
  }
  expired(order: Order): void {
    this.touch(order.side, order.price);
  }
  modified(): void {}
  requestRejected(): void {}
  triggered(): void {}
  clear(): void {
    truncate(this.sides, 0);
    truncate(this.prices, 0);
    truncate(this.tradePrice, 0);
    truncate(this.tradeSize, 0);
    truncate(this.tradeSide, 0);
  }
}

/**
 * Runs one session of the CST flow from `params.startTime` to `end` and streams its events as batches.
 * The model's seeded book appears as deltas at the start time. Deterministic for a seed.
 * Also returns (through `result`) the last mid in price units once the generator is exhausted.
 */
export function* lobFlowEvents(o: LobFlowEventOptions, result: { lastMid: number } = { lastMid: NaN }): Generator<(BookDeltaEvent | TradeEvent | QuoteEvent)[]> {
  const inst = o.instrument;
  const touches = new Touches();
  const model = new LobFlowModel(inst, o.seed, { ...o.params, observer: touches });
  const book = model.engine.book;
  const batchSize = o.batchSize ?? 4096;
  let batch: (BookDeltaEvent | TradeEvent | QuoteEvent)[] = [];
  let seq = 0;
  let qb = NaN;
  let qbs = 0;
  let qa = NaN;
  let qas = 0;
  let time = model.time;
  for (;;) {
    if (time >= o.end) break;
    seq++;
    if (o.kind === 'book') {
      const n = touches.prices.length;
      for (let i = 0; i < n; i++) {
        const side = touches.sides[i]!;
        const price = touches.prices[i]!;
        batch.push({ kind: 'book-delta', time, instrument: inst, side, price, size: book.sizeAt(side, price), sequence: seq, last: i === n - 1 });
      }
    } else {
      if (o.kind !== 'quotes') {
        for (let i = 0; i < touches.tradePrice.length; i++) {
          batch.push({ kind: 'trade', time, instrument: inst, price: inst.price(touches.tradePrice[i]!), size: inst.size(touches.tradeSize[i]!), aggressor: touches.tradeSide[i]! });
        }
      }
    }
    if (o.kind === 'quotes' || o.kind === 'quotes+trades') {
      const b = book.bestBid();
      const a = book.bestAsk();
      const bs = book.bestBidSize();
      const as = book.bestAskSize();
      if (b === b && a === a && (b !== qb || a !== qa || bs !== qbs || as !== qas)) {
        batch.push({ kind: 'quote', time, instrument: inst, bidPrice: inst.price(b), bidSize: inst.size(bs), askPrice: inst.price(a), askSize: inst.size(as) });
      }
      qb = b;
      qa = a;
      qbs = bs;
      qas = as;
    }
    touches.clear();
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
    time = model.step();
  }
  const b = book.bestBid();
  const a = book.bestAsk();
  result.lastMid = b === b && a === a ? Math.round((a + b) / 2 / inst.tickUnits) * inst.tickUnits : b === b ? b : a;
  if (o.kind === 'book' && (o.clearAtEnd ?? true)) {
    // the session closes: every level left is removed at `end`, one atomic batch
    const out: BookDeltaEvent[] = [];
    seq++;
    // levels the last (unreported, at or after `end`) event emptied are known downstream: remove them too
    for (let i = 0; i < touches.prices.length; i++) {
      const side = touches.sides[i]!;
      const price = touches.prices[i]!;
      if (book.sizeAt(side, price) === 0) out.push({ kind: 'book-delta', time: o.end, instrument: inst, side, price, size: 0, sequence: seq, last: false });
    }
    for (const side of ['BUY', 'SELL'] as const) {
      for (let i = 0; i < book.levelCount(side); i++) out.push({ kind: 'book-delta', time: o.end, instrument: inst, side, price: book.levelPrice(side, i), size: 0, sequence: seq, last: false });
    }
    if (out.length > 0) out[out.length - 1]!.last = true;
    batch.push(...out);
  }
  if (batch.length > 0) yield batch;
}
