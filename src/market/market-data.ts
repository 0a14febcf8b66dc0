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

/** Any market data event. */
export type MarketEvent = BarEvent | QuoteEvent | TradeEvent;

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
