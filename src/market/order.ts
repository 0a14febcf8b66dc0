import type { Instrument } from './instrument.ts';

/** Side of an order or a fill. */
export type Side = 'BUY' | 'SELL';
/** Order types. Stop orders rest untriggered until the last trade price reaches `triggerPrice`. */
export type OrderType = 'MARKET' | 'LIMIT' | 'STOP' | 'STOP_LIMIT';
/** Time in force. DAY ends at the session close (or the end of the UTC day without sessions); GTD at `expireTime`. */
export type TimeInForce = 'GTC' | 'DAY' | 'GTD' | 'IOC' | 'FOK';
/**
 * Lifecycle state. Terminal states: FILLED, CANCELED, EXPIRED, REJECTED.
 * PENDING: created, not yet at the venue (in flight through the order-entry latency).
 */
export type OrderStatus = 'PENDING' | 'ACCEPTED' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'EXPIRED' | 'REJECTED';

/** Why an order, a modify or a cancel was refused. Documented in docs/order-lifecycle.md. */
export type RejectReason =
  | 'UNKNOWN_INSTRUMENT'
  | 'OFF_TICK_PRICE'
  | 'BAD_LOT'
  | 'BAD_SIZE'
  | 'BELOW_MIN_SIZE'
  | 'ABOVE_MAX_SIZE'
  | 'BAD_PRICE'
  | 'MISSING_PRICE'
  | 'MISSING_TRIGGER'
  | 'BAD_EXPIRE_TIME'
  | 'INSUFFICIENT_FUNDS'
  | 'POST_ONLY_WOULD_CROSS'
  | 'FOK_NOT_FILLABLE'
  | 'REDUCE_ONLY_WOULD_INCREASE'
  | 'MARKET_CLOSED'
  | 'NO_LIQUIDITY'
  | 'SELF_TRADE'
  | 'UNKNOWN_ORDER'
  | 'ORDER_NOT_OPEN'
  | 'DUPLICATE_ORDER_ID'
  | 'MARGIN_CALL'
  | 'CURRENCY_MISMATCH'
  /** The instrument is halted (LULD pause, circuit breaker, news-pending or regulatory halt). */
  | 'HALTED'
  /** The venue is down (outage or maintenance). */
  | 'VENUE_OUTAGE'
  /** Price times size is below the symbol's minimum notional (crypto filters). */
  | 'BELOW_MIN_NOTIONAL'
  /** A short sale priced at or below the best bid while the alternative uptick rule (SEC Rule 201) is active. */
  | 'SHORT_SALE_RESTRICTED_PRICE'
  /** A market or stop short sale while the alternative uptick rule is active. */
  | 'SHORT_SALE_RESTRICTED_MARKET'
  /** No shares to borrow for a short sale. */
  | 'NO_BORROW'
  /** The short sale exceeds the day's locate limit. */
  | 'LOCATE_LIMIT'
  /** Leverage above the maximum of the position's margin tier. */
  | 'LEVERAGE_TOO_HIGH'
  /** A limit price through the instrument's price band (equity Limit Up-Limit Down, band policy REJECT). */
  | 'OUTSIDE_PRICE_BAND'
  /**
   * An order for an auction (`auction` set) that cannot take part in one: not MARKET or LIMIT, IOC/FOK/GTD,
   * post-only, stop, at an instrument without auctions; or a modify of an order waiting for an auction.
   */
  | 'INVALID_AUCTION_ORDER';

/** Why an open order left the book without filling completely. */
export type CancelReason =
  | 'USER'
  | 'IOC_REMAINDER'
  | 'INSUFFICIENT_FUNDS'
  | 'REDUCE_ONLY'
  | 'SELF_TRADE'
  | 'OCO'
  | 'PARENT_CANCELED'
  | 'NO_LIQUIDITY'
  | 'LIQUIDATION'
  | 'MARKET_CLOSED'
  | 'VENUE_OUTAGE'
  | 'CORPORATE_ACTION'
  /** An auction order (on-open, on-close, or a market order queued during a halt) the auction did not fill. */
  | 'AUCTION_UNFILLED';

/** Which single-price auction an order is for: the opening cross (market/limit-on-open) or the closing cross (market/limit-on-close). */
export type AuctionKind = 'OPEN' | 'CLOSE';

/** Self-trade prevention applied when a taker would match a maker of the same owner. */
export type SelfTradePrevention = 'NONE' | 'CANCEL_TAKER' | 'CANCEL_MAKER' | 'CANCEL_BOTH';

/** What a caller asks for; the venue turns it into an `Order`. Prices and sizes in integer units. */
export interface OrderRequest {
  instrument: Instrument;
  side: Side;
  type: OrderType;
  /** Size in size units (lots * lotUnits). */
  quantity: number;
  /** Limit price in price units (LIMIT, STOP_LIMIT). */
  price?: number;
  /** Trigger price in price units (STOP, STOP_LIMIT). */
  triggerPrice?: number;
  tif?: TimeInForce;
  /** GTD expiry, microseconds. */
  expireTime?: number;
  postOnly?: boolean;
  reduceOnly?: boolean;
  /** Owner (trader/account id) for self-trade prevention and accounting; 0 = anonymous market flow. */
  owner?: number;
  /** Caller's own tag, echoed in events and reports. */
  tag?: string;
  /** The order may trade in extended hours (equities' pre-market and after-hours sessions). */
  extendedHours?: boolean;
  /**
   * An auction-only order: 'OPEN' (market-on-open, limit-on-open) or 'CLOSE' (market-on-close,
   * limit-on-close). It waits for that auction and never trades continuously (docs/equities.md, "Equity rules in a run").
   */
  auction?: AuctionKind;
}

/**
 * An order inside the venue. Mutable: the matching engine updates `filled`, `status` and the
 * intrusive list links in place, so matching allocates nothing per event.
 */
export class Order {
  id: number;
  instrument: Instrument;
  side: Side;
  type: OrderType;
  tif: TimeInForce;
  /** Limit price, price units (NaN for MARKET and STOP). */
  price: number;
  /** Stop trigger price, price units (NaN when none). */
  triggerPrice: number;
  /** Total size ever asked for, size units (grows on a size increase, shrinks on a decrease). */
  quantity: number;
  /** Filled so far, size units. */
  filled: number;
  /** Canceled or expired part, size units (set when the order ends without filling fully). */
  closedQuantity: number;
  status: OrderStatus;
  postOnly: boolean;
  reduceOnly: boolean;
  /** May trade in extended hours (see `OrderRequest.extendedHours`). */
  extendedHours: boolean;
  /** The auction an auction-only order is for (see `OrderRequest.auction`), undefined for a continuous order. */
  auction: AuctionKind | undefined;
  expireTime: number;
  owner: number;
  tag: string;
  /** Virtual time the venue accepted it (its priority time), microseconds. */
  acceptTime: number;
  /** Venue sequence number giving price-time priority among equal prices. */
  priority: number;
  /** True once a stop has triggered (it then behaves as MARKET or LIMIT). */
  triggered: boolean;
  /** Reason of the last rejection (REJECTED state) or undefined. */
  rejectReason: RejectReason | undefined;
  /** Reason of the cancel (CANCELED state) or undefined. */
  cancelReason: CancelReason | undefined;
  /** Sum of price * size over fills, in price units * size units (for the average fill price). */
  filledNotional: number;

  // intrusive doubly linked list inside a price level (owned by the order book)
  prev: Order | null = null;
  next: Order | null = null;
  /** The level object holding this order while it rests (owned by the order book). */
  level: unknown = null;

  constructor(id: number, req: OrderRequest) {
    this.id = id;
    this.instrument = req.instrument;
    this.side = req.side;
    this.type = req.type;
    this.tif = req.tif ?? 'GTC';
    this.price = req.price ?? NaN;
    this.triggerPrice = req.triggerPrice ?? NaN;
    this.quantity = req.quantity;
    this.filled = 0;
    this.closedQuantity = 0;
    this.status = 'PENDING';
    this.postOnly = req.postOnly ?? false;
    this.reduceOnly = req.reduceOnly ?? false;
    this.extendedHours = req.extendedHours ?? false;
    this.auction = req.auction;
    this.expireTime = req.expireTime ?? NaN;
    this.owner = req.owner ?? 0;
    this.tag = req.tag ?? '';
    this.acceptTime = NaN;
    this.priority = 0;
    this.triggered = false;
    this.rejectReason = undefined;
    this.cancelReason = undefined;
    this.filledNotional = 0;
  }

  /**
   * Makes a finished order object new again (as the constructor would, with tif GTC and no trigger,
   * expiry or flags), for pools that reuse orders on a hot path. Owner, instrument and tag are kept.
   */
  recycle(id: number, side: Side, type: OrderType, price: number, quantity: number): this {
    this.id = id;
    this.side = side;
    this.type = type;
    this.tif = 'GTC';
    this.price = price;
    this.triggerPrice = NaN;
    this.quantity = quantity;
    this.filled = 0;
    this.closedQuantity = 0;
    this.status = 'PENDING';
    this.postOnly = false;
    this.reduceOnly = false;
    this.extendedHours = false;
    this.auction = undefined;
    this.expireTime = NaN;
    this.acceptTime = NaN;
    this.priority = 0;
    this.triggered = false;
    this.rejectReason = undefined;
    this.cancelReason = undefined;
    this.filledNotional = 0;
    this.prev = null;
    this.next = null;
    this.level = null;
    return this;
  }

  /** Size still open, size units. */
  get leaves(): number {
    return this.quantity - this.filled - this.closedQuantity;
  }
  /** True in FILLED, CANCELED, EXPIRED or REJECTED. */
  get isDone(): boolean {
    const s = this.status;
    return s === 'FILLED' || s === 'CANCELED' || s === 'EXPIRED' || s === 'REJECTED';
  }
  /** Average fill price in price units (NaN before the first fill). */
  get avgPrice(): number {
    return this.filled === 0 ? NaN : this.filledNotional / this.filled;
  }
}

/** +1 for BUY, -1 for SELL. */
export function sideSign(side: Side): 1 | -1 {
  return side === 'BUY' ? 1 : -1;
}

/** The other side. */
export function opposite(side: Side): Side {
  return side === 'BUY' ? 'SELL' : 'BUY';
}
