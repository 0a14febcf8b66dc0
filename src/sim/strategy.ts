import type { ZodType, ZodTypeDef } from 'zod';
import type { Instrument } from '../market/instrument.ts';
import type { BarEvent, NewsEvent, OrderFlowEvent, QuoteEvent, StatusEvent, TradeEvent } from '../market/market-data.ts';
import type { OrderEventKind } from '../market/venue-types.ts';
import type { OrderStatus, OrderType, RejectReason, Side, TimeInForce } from '../market/order.ts';
import type { BarHistory } from './bar-history.ts';

/** An order as a strategy asks for it, in decimal prices and sizes. */
export interface SubmitRequest {
  symbol: string;
  side: Side;
  /** Decimal size (shares, coins, contracts). */
  quantity: number;
  /** Default: LIMIT when `price` or `yield` is given, else MARKET (STOP when only `triggerPrice` is given). */
  type?: OrderType;
  price?: number;
  /**
   * Limit given as a yield in percent instead of a price (bonds only): the venue gets the clean price
   * of that yield at submission, on the tick grid, rounded so it never trades at a worse yield.
   * An instrument quoted only in price throws YIELD_NOT_SUPPORTED.
   */
  yield?: number;
  triggerPrice?: number;
  tif?: TimeInForce;
  /** GTD expiry, microseconds. */
  expireTime?: number;
  postOnly?: boolean;
  reduceOnly?: boolean;
  tag?: string;
  /** May trade in extended hours (equities: pre-market 04:00-09:30 and after-hours 16:00-20:00 New York). */
  extendedHours?: boolean;
  /**
   * An auction-only order: 'OPEN' (market-on-open without `price`, limit-on-open with it) or 'CLOSE'
   * (market-on-close, limit-on-close). It waits for that auction; unfilled, it is canceled AUCTION_UNFILLED.
   */
  auction?: 'OPEN' | 'CLOSE';
}

/** A bracket: an entry and its take-profit limit and/or stop-loss, live only after the entry fills. */
export interface BracketRequest {
  entry: SubmitRequest;
  /** Take-profit limit price (opposite side of the entry). */
  takeProfit?: number;
  /** Stop-loss trigger price (opposite side); with `stopLimit`, a stop-limit at that limit. */
  stopLoss?: number;
  stopLimit?: number;
}

/** Ids of the orders a bracket made. */
export interface BracketIds {
  entry: number;
  takeProfit: number | undefined;
  stopLoss: number | undefined;
}

/** An order event as a strategy receives it (after the response latency), in decimals. */
export interface StrategyOrderUpdate {
  kind: OrderEventKind;
  /** Virtual time the venue produced the event. */
  time: number;
  orderId: number;
  symbol: string;
  side: Side;
  type: OrderType;
  status: OrderStatus;
  /** Decimal quantity of the order and filled so far. */
  quantity: number;
  filled: number;
  /** For FILL: the fill in decimals. */
  fill?: { price: number; quantity: number; fee: number; liquidity: 'MAKER' | 'TAKER' };
  /** For REJECTED, CANCELED, EXPIRED and REQUEST_REJECTED. */
  reason?: string;
  tag: string;
}

/** A timer firing. */
export interface TimerEvent {
  id: number;
  name: string;
  time: number;
}

/** A read-only view of an order book (book-mode instruments), no copy made. */
export interface BookView {
  instrument: Instrument;
  time: number;
  bestBid(): number;
  bestAsk(): number;
  levelCount(side: Side): number;
  levelPrice(side: Side, index: number): number;
  levelSize(side: Side, index: number): number;
}

/**
 * What a strategy can see and do. The same context serves backtests, paced replay and live paper
 * trading. Everything goes through the venue with its latencies: `submit` returns at once with the
 * order id; acceptance and fills arrive later through `onOrderUpdate`.
 */
export interface StrategyContext {
  /** Current virtual time, microseconds since the epoch. */
  readonly now: number;
  /**
   * Cash of the strategy's account (decimal, account currency). With several accounts (a multi-currency
   * portfolio): the cash of every account converted to the reporting currency (the run account's).
   */
  readonly cash: number;
  /**
   * Cash plus positions marked at the last price; with several accounts, the portfolio's value in the
   * reporting currency (exact sum rounded once; throws FX_RATE_MISSING while a needed rate is unknown).
   */
  readonly equity: number;
  /**
   * Cash (decimal, in `currency`) of the account of `currency` at `venue` (default: the run's venue, else
   * the only account in that currency). Throws ACCOUNT_UNKNOWN (or ACCOUNT_AMBIGUOUS) listing the accounts.
   */
  balance(currency: string, venue?: string): number;
  instrument(symbol: string): Instrument;
  /** Sends an order; returns its id. */
  submit(req: SubmitRequest): number;
  /** Sends orders that cancel each other on the first fill of any. */
  submitOco(a: SubmitRequest, b: SubmitRequest): [number, number];
  submitBracket(req: BracketRequest): BracketIds;
  cancel(orderId: number): void;
  /** New limit price, trigger or total quantity (decimals). */
  modify(orderId: number, change: { price?: number; triggerPrice?: number; quantity?: number }): void;
  /**
   * Why the venue would refuse an order for `symbol` right now, or undefined when it accepts orders:
   * MARKET_CLOSED (outside the instrument's sessions), HALTED (a halt or a reopening auction's quote
   * period) or VENUE_OUTAGE. What the venue sees when the order arrives after the order-entry
   * latency can differ.
   */
  tradingBlock(symbol: string): RejectReason | undefined;
  /** Signed position (decimal): > 0 long, < 0 short. */
  position(symbol: string): number;
  /** Orders sent and not yet done (pending, accepted, partially filled). */
  openOrders(symbol?: string): number[];
  /** Fires `onTimer` once at virtual time `at`. Returns the timer id. */
  setTimer(at: number, name?: string): number;
  /** Fires `onTimer` every `everyUs` microseconds from `now + everyUs` (or `start`). */
  setInterval(everyUs: number, name?: string, start?: number): number;
  cancelTimer(id: number): void;
  /** The rolling window of recent bars of a symbol (size set by the run's `historySize`). */
  history(symbol: string): BarHistory;
  /** A line for the run log (kept in the result, never printed in the hot path). */
  log(message: string): void;
}

/** Hooks a strategy may implement; all are optional and synchronous. */
export interface Strategy {
  onStart?(ctx: StrategyContext): void;
  onBar?(ctx: StrategyContext, bar: BarEvent): void;
  onQuote?(ctx: StrategyContext, quote: QuoteEvent): void;
  onTrade?(ctx: StrategyContext, trade: TradeEvent): void;
  onBook?(ctx: StrategyContext, book: BookView): void;
  /** A news item (archived or simulated). */
  onNews?(ctx: StrategyContext, news: NewsEvent): void;
  /** A trading status change (halt, resume, session) or a feed resync. */
  onStatus?(ctx: StrategyContext, status: StatusEvent): void;
  /** An order-flow summary (signed volume, imbalance) of an interval. */
  onOrderFlow?(ctx: StrategyContext, flow: OrderFlowEvent): void;
  onOrderUpdate?(ctx: StrategyContext, update: StrategyOrderUpdate): void;
  onTimer?(ctx: StrategyContext, timer: TimerEvent): void;
  onStop?(ctx: StrategyContext): void;
}

/**
 * A named strategy with typed, validated parameters. `params` is a zod schema (with defaults); the
 * CLI's `--param k=v` strings are coerced by it. A user module default-exports one of these.
 */
export interface StrategyDefinition<P = unknown> {
  name: string;
  description?: string;
  params: ZodType<P, ZodTypeDef, unknown>;
  create(params: P): Strategy;
}

/** Identity helper that gives a definition its types. */
export function defineStrategy<P>(def: StrategyDefinition<P>): StrategyDefinition<P> {
  return def;
}
