/**
 * Test helpers for the matching engine: a listener that records every call both as a compact text
 * line (for exact assertions in unit tests) and as a snapshot record (for the replay property), a
 * rebuild of the L3 book from the recorded events, and an L3 dump for comparisons.
 */
import { Instrument } from '../../src/market/instrument.ts';
import type { MatchListener } from '../../src/market/matching-engine.ts';
import { OrderBook } from '../../src/market/order-book.ts';
import { Order, type CancelReason, type OrderRequest, type OrderType, type RejectReason, type Side, type TimeInForce } from '../../src/market/order.ts';

/** A snapshot of one listener call (the order's fields copied at the time of the call). */
export interface Recorded {
  kind: 'accepted' | 'rejected' | 'fill' | 'canceled' | 'expired' | 'modified' | 'requestRejected' | 'triggered';
  id: number;
  time: number;
  side?: Side;
  type?: OrderType;
  tif?: TimeInForce;
  price?: number;
  quantity?: number;
  priority?: number;
  makerId?: number;
  size?: number;
  reason?: string;
}

/** Records every listener call. `log` holds one text line per call, e.g. `fill 2<-1 3@100`. */
export class Recorder implements MatchListener {
  readonly log: string[] = [];
  readonly events: Recorded[] = [];
  /** Sum of fill sizes by side of the order (taker and maker both counted). */
  buyFilled = 0;
  sellFilled = 0;
  /** Sum of price * size per order, rebuilt from fills. */
  readonly notional = new Map<Order, number>();

  accepted(o: Order, time: number): void {
    this.log.push(`accepted ${o.id}`);
    this.events.push({ kind: 'accepted', id: o.id, time, side: o.side, type: o.type, tif: o.tif, price: o.price, quantity: o.quantity, priority: o.priority });
  }
  rejected(o: Order, reason: RejectReason, time: number): void {
    this.log.push(`rejected ${o.id} ${reason}`);
    // `priority` is set only when the order had been accepted (a triggered stop rejected at trigger)
    this.events.push({ kind: 'rejected', id: o.id, time, reason, priority: o.acceptTime === o.acceptTime ? o.priority : undefined });
  }
  fill(taker: Order, maker: Order, price: number, size: number, time: number): void {
    this.log.push(`fill ${taker.id}<-${maker.id} ${size}@${price}`);
    this.events.push({ kind: 'fill', id: taker.id, makerId: maker.id, time, price, size });
    for (const o of [taker, maker]) {
      if (o.side === 'BUY') this.buyFilled += size;
      else this.sellFilled += size;
      this.notional.set(o, (this.notional.get(o) ?? 0) + price * size);
    }
  }
  canceled(o: Order, reason: CancelReason, time: number): void {
    this.log.push(`canceled ${o.id} ${reason}`);
    this.events.push({ kind: 'canceled', id: o.id, time, reason });
  }
  expired(o: Order, time: number): void {
    this.log.push(`expired ${o.id}`);
    this.events.push({ kind: 'expired', id: o.id, time });
  }
  modified(o: Order, time: number): void {
    this.log.push(`modified ${o.id}`);
    this.events.push({ kind: 'modified', id: o.id, time, price: o.price, quantity: o.quantity, priority: o.priority });
  }
  requestRejected(id: number, action: 'cancel' | 'modify', reason: RejectReason, time: number): void {
    this.log.push(`${action}-rejected ${id} ${reason}`);
    this.events.push({ kind: 'requestRejected', id, time, reason: `${action} ${reason}` });
  }
  triggered(o: Order, time: number): void {
    this.log.push(`triggered ${o.id}`);
    this.events.push({ kind: 'triggered', id: o.id, time, side: o.side, type: o.type, tif: o.tif, price: o.price, quantity: o.quantity, priority: o.priority });
  }
  /** Returns the lines logged so far and clears them. */
  take(): string[] {
    return this.log.splice(0, this.log.length);
  }
}

/** Rebuilds the L3 order book from recorded events alone (fresh Order objects), as a downstream consumer would. */
export function rebuildBook(events: readonly Recorded[], instrument: Instrument): OrderBook {
  const book = new OrderBook();
  const pending = new Map<number, Order>(); // accepted, not yet in the book (stops, market/IOC/FOK takers)
  const rests = (type: OrderType | undefined, tif: TimeInForce | undefined): boolean =>
    (type === 'LIMIT' || type === 'STOP_LIMIT') && tif !== 'IOC' && tif !== 'FOK';
  for (const e of events) {
    switch (e.kind) {
      case 'accepted': {
        const o = new Order(e.id, { instrument, side: e.side!, type: e.type!, quantity: e.quantity!, price: e.price, tif: e.tif });
        o.price = e.price!;
        o.priority = e.priority!;
        o.status = 'ACCEPTED';
        if (e.type === 'LIMIT' && rests(e.type, e.tif)) {
          if (!book.add(o)) throw new Error(`replay: accepted ${e.id} could not be added`);
        } else pending.set(e.id, o);
        break;
      }
      case 'triggered': {
        const o = pending.get(e.id);
        if (o === undefined) throw new Error(`replay: triggered ${e.id} unknown`);
        o.priority = e.priority!;
        o.quantity = e.quantity!;
        if (rests(e.type, e.tif)) {
          pending.delete(e.id);
          if (!book.add(o)) throw new Error(`replay: triggered ${e.id} could not be added`);
        }
        break;
      }
      case 'fill': {
        const maker = book.get(e.makerId!);
        if (maker === undefined) throw new Error(`replay: maker ${e.makerId} of a fill is not in the rebuilt book`);
        if (maker.level !== book.bestLevel(maker.side) || book.bestLevel(maker.side)!.head !== maker) {
          throw new Error(`replay: maker ${e.makerId} is not first in queue at the best price`);
        }
        book.fill(maker, e.size!);
        const taker = book.get(e.id);
        if (taker !== undefined) book.fill(taker, e.size!);
        break;
      }
      case 'modified': {
        const o = book.get(e.id);
        if (o === undefined) {
          const p = pending.get(e.id);
          if (p !== undefined) {
            p.quantity = e.quantity!;
            p.priority = e.priority!;
            p.price = e.price!;
          }
          break;
        }
        if (e.priority !== o.priority) {
          book.removeOrder(o);
          o.price = e.price!;
          o.quantity = e.quantity!;
          o.priority = e.priority!;
          book.add(o);
        } else if (e.quantity! < o.quantity) book.reduce(o, o.quantity - e.quantity!);
        break;
      }
      case 'canceled':
      case 'expired':
        book.remove(e.id);
        pending.delete(e.id);
        break;
      case 'rejected':
        // a refused submission (e.g. a duplicate id) says nothing about the open order with that id
        if (e.priority !== undefined) pending.delete(e.id);
        break;
      case 'requestRejected':
        break;
    }
  }
  return book;
}

/** The L3 contents of a book as text: one line per level, `BUY 100 x5 [3:2 7:3]` (id:leaves in queue order). */
export function dumpL3(book: OrderBook): string[] {
  const out: string[] = [];
  for (const side of ['BUY', 'SELL'] as const) {
    for (let i = 0; i < book.levelCount(side); i++) {
      const ids: string[] = [];
      for (let o = book.levelHead(side, i); o !== null; o = o.next) ids.push(`${o.id}:${o.leaves}`);
      out.push(`${side} ${book.levelPrice(side, i)} x${book.levelSize(side, i)} [${ids.join(' ')}]`);
    }
  }
  return out;
}

/** A plain test instrument: price precision 2, tick 1, lot 1. */
export const PLAIN = new Instrument(1, { symbol: 'TEST', pricePrecision: 2 });

/** Makes an order for `PLAIN` (or `req.instrument`). */
export function order(id: number, side: Side, type: OrderType, quantity: number, extra: Partial<OrderRequest> = {}): Order {
  return new Order(id, { instrument: PLAIN, side, type, quantity, ...extra });
}

/** A GTC limit order for `PLAIN`. */
export function limit(id: number, side: Side, price: number, quantity: number, extra: Partial<OrderRequest> = {}): Order {
  return order(id, side, 'LIMIT', quantity, { price, ...extra });
}
