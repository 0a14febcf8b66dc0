/**
 * The contract between the agent-based market (`AgentMarket`) and the agents that trade in it: the
 * built-in ABIDES-style agents implement the same `Agent` interface a user strategy implements.
 *
 * Everything an agent learns reaches it through its latency to the exchange (docs/agents.md, "Latency"):
 * answers to its queries, its fills, the end of its orders and, when subscribed, top-of-book changes.
 * Prices and sizes are integer units of the market's instrument (price units, size units).
 */
import type { Rng } from '../../../core/rng.ts';
import type { Instrument } from '../../../market/instrument.ts';
import type { Side } from '../../../market/order.ts';

/**
 * The exchange's answer to `ctx.querySpread(lookbackUs)`, as of `time` (exchange time; the agent reads
 * it later, after its latency). Empty sides have NaN prices and size 0. Reused by the market for each
 * delivery to the same agent: copy what you keep.
 */
export interface SpreadSnapshot {
  /** Exchange time the snapshot was taken, microseconds. */
  time: number;
  /** Best bid, price units (NaN when no bid). */
  bid: number;
  /** Open size at the best bid, size units. */
  bidSize: number;
  /** Best ask, price units (NaN when no ask). */
  ask: number;
  /** Open size at the best ask, size units. */
  askSize: number;
  /** Last trade price, price units (NaN before the first trade of the day). */
  last: number;
  /** Volume of trades with a buying taker during the `lookbackUs` before `time`, size units. */
  buyVolume: number;
  /** Volume of trades with a selling taker during the `lookbackUs` before `time`, size units. */
  sellVolume: number;
}

/** One fill of one of the agent's orders. Reused per delivery: copy what you keep. */
export interface AgentFill {
  /** Exchange time of the match, microseconds. */
  time: number;
  orderId: number;
  side: Side;
  /** Fill price, price units. */
  price: number;
  /** Filled size, size units. */
  size: number;
  /** Size still open on the order after this fill, size units (0 when it is done). */
  leaves: number;
  /** True when the agent's order was the aggressor (taker). */
  taker: boolean;
}

/** An order of the agent left the book without filling completely. Reused per delivery. */
export interface AgentOrderUpdate {
  /** Exchange time, microseconds. */
  time: number;
  orderId: number;
  /** CANCELED (by the agent, a market order's unfilled rest, self-trade prevention) or REJECTED. */
  status: 'CANCELED' | 'REJECTED';
  /** The engine's cancel or reject reason (docs/order-lifecycle.md), e.g. `USER`, `NO_LIQUIDITY`, `BAD_SIZE`. */
  reason: string;
  /** Size that was still open and is now closed, size units. */
  closed: number;
}

/** A top-of-book change (sent to agents that called `ctx.subscribeQuotes()`). Reused per delivery. */
export interface QuoteSnapshot {
  /** Exchange time of the change, microseconds. */
  time: number;
  bid: number;
  bidSize: number;
  ask: number;
  askSize: number;
}

/**
 * What an agent can see and do. One context per agent, passed to every hook; it is the agent's own view,
 * built only from messages that have reached it (so `position` lags the exchange by the agent's latency).
 * Hot path: the methods allocate nothing beyond the market's pooled messages.
 */
export interface AgentContext {
  /** The agent's index in the market (0-based; also its owner id minus 1 at the exchange). */
  readonly id: number;
  /** Current virtual time, microseconds (the time this hook runs at the agent). */
  readonly now: number;
  /** The agent's own random stream (`rng.fork('agent:<id>')` of the day's stream). */
  readonly rng: Rng;
  /** The instrument traded. */
  readonly instrument: Instrument;
  /** Open and close of the session, microseconds. Orders reaching the exchange at or after close are not processed. */
  readonly openTime: number;
  readonly closeTime: number;
  /** Position known to the agent (sum of its fills received so far), size units, signed. */
  readonly position: number;
  /** Cash flow known to the agent: minus the sum of signed price * size of its fills (price units * size units). */
  readonly cash: number;
  /** Open size of its buy / sell orders as the agent knows it (sent and not yet reported done), size units. */
  readonly openBuy: number;
  readonly openSell: number;
  /** Number of its orders the agent believes open. */
  readonly openOrderCount: number;
  /** Sends a GTC limit order (price and size in units); returns its order id. It reaches the exchange after the agent's latency. */
  placeLimit(side: Side, price: number, quantity: number): number;
  /** Sends a market order (its unfilled rest is canceled NO_LIQUIDITY); returns its order id. */
  placeMarket(side: Side, quantity: number): number;
  /** Sends a cancel of one of its orders. */
  cancel(orderId: number): void;
  /** Sends a cancel for every order it believes open (as ABIDES's `cancel_all_orders`). */
  cancelAll(): void;
  /** Asks the exchange for the top of book and the transacted volume of the last `lookbackUs` (default 0); answered through `onSpread`. */
  querySpread(lookbackUs?: number): void;
  /** Schedules a call of `wakeup` at `time` (clamped to now; several pending wakeups are allowed). */
  wakeAt(time: number): void;
  /** Subscribes to top-of-book changes (delivered through `onMarketData` after the agent's latency). */
  subscribeQuotes(): void;
  /**
   * A noisy observation of the fundamental value now: round(N(r_t, varianceN)) in price units, drawn from
   * the agent's stream (ABIDES's `oracle.observe_price`, a privileged channel with no latency).
   */
  observeFundamental(varianceN: number): number;
}

/**
 * An agent of the market. Hooks run synchronously at virtual times; they must not block. A user strategy
 * joins the market by implementing this and being listed in `AgentMarketConfig.userAgents`.
 *
 * Example: a buyer that lifts the offer once a minute.
 *
 *     const buyer: Agent = {
 *       name: 'buyer',
 *       wakeup(ctx) { ctx.placeMarket('BUY', 100); ctx.wakeAt(ctx.now + 60_000_000); },
 *     };
 */
export interface Agent {
  /** A name for reports and errors. */
  readonly name: string;
  /** Called once when the market is built (at the open); schedule the first wakeup here. Default: a wakeup at the open. */
  start?(ctx: AgentContext): void;
  /** A scheduled wakeup. */
  wakeup(ctx: AgentContext): void;
  /** The answer to `ctx.querySpread`. */
  onSpread?(ctx: AgentContext, spread: SpreadSnapshot): void;
  /** A fill of one of its orders (the context's position, cash and open sizes are already updated). */
  onFill?(ctx: AgentContext, fill: AgentFill): void;
  /** One of its orders was canceled or rejected (the context is already updated). */
  onOrderDone?(ctx: AgentContext, update: AgentOrderUpdate): void;
  /** A top-of-book change, after `ctx.subscribeQuotes()`. */
  onMarketData?(ctx: AgentContext, quote: QuoteSnapshot): void;
}
