import type { Instrument } from './instrument.ts';
import type { Side } from './order.ts';

/**
 * Normalized market data events. Times are microseconds since the epoch (UTC).
 * Prices and sizes are decimal doubles that are the correctly rounded image of a value on the
 * instrument's grid (`instrument.price(units)`), so `instrument.priceUnits(x)` recovers the integer
 * exactly; the market ring converts to integers on entry. Event objects handed to strategy hooks may
 * be reused by their source after the hook returns: copy what you keep.
 */
export interface BarEvent {
  kind: 'bar';
  time: number;
  instrument: Instrument;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** Top of book (L1). */
export interface QuoteEvent {
  kind: 'quote';
  time: number;
  instrument: Instrument;
  bidPrice: number;
  bidSize: number;
  askPrice: number;
  askSize: number;
}

/** A trade print. `aggressor` is the taker's side, or undefined when the source does not say. */
export interface TradeEvent {
  kind: 'trade';
  time: number;
  instrument: Instrument;
  price: number;
  size: number;
  aggressor: Side | undefined;
}

/** Any event a source can deliver: prices and trades, book changes, status, news and order flow. */
export type MarketEvent = BarEvent | QuoteEvent | TradeEvent | BookDeltaEvent | BookSnapshotEvent | L3Event | StatusEvent | NewsEvent | OrderFlowEvent;

/**
 * What `EventSource.advance()` says. Ready: `current` holds the next event. End: no more events.
 * Wait: call `refill()` and await it, then advance again (an asynchronous edge: file read, socket).
 */
export const SourceState = { Ready: 0, End: 1, Wait: 2 } as const;
export type SourceState = (typeof SourceState)[keyof typeof SourceState];

/**
 * A time-ordered stream of events, pulled synchronously. Sources are already sorted; the engine
 * k-way merges them. A source must raise an error naming the place (file:line) when its own events
 * go back in time.
 */
export interface EventSource<E extends { time: number } = MarketEvent> {
  /** A name for errors and reports (usually the file path). */
  readonly name: string;
  /** The event made ready by the last `advance()` returning Ready. */
  readonly current: E;
  advance(): SourceState;
  refill(): Promise<void>;
  /** Releases files or sockets early (the engine calls it when a run stops). */
  close(): void;
}

// ---------------------------------------------------------------------------------------------
// Order-book, news, status and order-flow events (historical replay, docs/events.md).
// Book events carry integer price and size UNITS of the instrument (they feed books directly);
// news, status and order-flow events are informational.

/** L2: the total size at one price level of one side is now `size` (size units; 0 removes the level). */
export interface BookDeltaEvent {
  kind: 'book-delta';
  time: number;
  instrument: Instrument;
  side: Side;
  /** Price units. */
  price: number;
  /** Size units; 0 deletes the level. */
  size: number;
  /** Venue sequence (update id) of the batch this delta belongs to, or 0 when the source has none. */
  sequence: number;
  /** True on the last delta of an atomic batch (a book is only consistent after it). */
  last: boolean;
}

/** L2: a whole book (top levels or full depth) replacing everything known before. */
export interface BookSnapshotEvent {
  kind: 'book-snapshot';
  time: number;
  instrument: Instrument;
  /** Best first; price and size units. */
  bidPrices: number[];
  bidSizes: number[];
  askPrices: number[];
  askSizes: number[];
  sequence: number;
}

/** L3 actions: a new order, a partial cancel, a full delete, a visible execution, a hidden execution. */
export type L3Action = 'add' | 'cancel' | 'delete' | 'execute' | 'hidden-execute';

/** L3: one order-by-order message (LOBSTER, ITCH-like feeds). Price and size in units. */
export interface L3Event {
  kind: 'l3';
  time: number;
  instrument: Instrument;
  action: L3Action;
  /** The venue's order id (0 for hidden executions without one). */
  orderId: number;
  /** Side of the resting order the message is about (for executions: the passive side). */
  side: Side;
  /** Price units. */
  price: number;
  /** Size units: added, canceled or executed size. */
  size: number;
}

/**
 * Trading status changes of an instrument. HALT/QUOTING/RESUME are the venue's own trading states;
 * BOOK_RESYNC (our copy of the book lost a message and waits for a snapshot) and BOOK_SYNCED (rebuilt)
 * are about the data feed, not the venue: trading is not halted. OUTAGE: the venue itself is down
 * (maintenance or a fault); RESUME or OPEN ends it.
 */
export type MarketStatus = 'HALT' | 'QUOTING' | 'RESUME' | 'OPEN' | 'CLOSE' | 'PRE_OPEN' | 'POST_CLOSE' | 'BOOK_RESYNC' | 'BOOK_SYNCED' | 'OUTAGE';

export interface StatusEvent {
  kind: 'status';
  time: number;
  instrument: Instrument;
  status: MarketStatus;
  reason: string;
}

/** A news item. `instrument` is the first of `symbols` known to the run (undefined for market-wide news). */
export interface NewsEvent {
  kind: 'news';
  time: number;
  instrument: Instrument | undefined;
  symbols: string[];
  headline: string;
  source: string;
  /** In [-1, 1] when given, else NaN. */
  sentiment: number;
  /** In [0, 1] when given, else NaN. */
  importance: number;
}

/** Order-flow summary of an interval: signed volume and imbalance. */
export interface OrderFlowEvent {
  kind: 'order-flow';
  time: number;
  instrument: Instrument;
  /** Length of the interval ending at `time`, microseconds. */
  intervalUs: number;
  /** Buyer- and seller-initiated volume (decimal sizes). */
  buyVolume: number;
  sellVolume: number;
  /** (buy - sell) / (buy + sell), or an order-flow imbalance given by the source; NaN when empty. */
  imbalance: number;
  trades: number;
}
