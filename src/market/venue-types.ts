import type { Instrument } from './instrument.ts';
import type { CancelReason, Order, OrderStatus, RejectReason, Side } from './order.ts';
import type { Liquidity } from './fees.ts';

/** One execution of one of our orders. Prices and sizes in integer units; fee in cash units. */
export interface Fill {
  time: number;
  orderId: number;
  owner: number;
  instrument: Instrument;
  side: Side;
  /** Price units. */
  price: number;
  /** Size units. */
  quantity: number;
  /** Cash units of the account (may be negative for a rebate). */
  fee: number;
  liquidity: Liquidity;
  tag: string;
}

/** What happened to an order. */
export type OrderEventKind = 'ACCEPTED' | 'REJECTED' | 'FILL' | 'CANCELED' | 'EXPIRED' | 'MODIFIED' | 'TRIGGERED' | 'REQUEST_REJECTED';

/**
 * An order event as the venue emits it, with a snapshot of the order at that moment
 * (the `order` object itself keeps changing afterwards).
 */
export interface OrderUpdate {
  kind: OrderEventKind;
  time: number;
  order: Order;
  status: OrderStatus;
  /** Filled so far (size units) at the time of the event. */
  filled: number;
  /** The fill, for kind FILL. */
  fill?: Fill;
  /** Why, for REJECTED, CANCELED and REQUEST_REJECTED. */
  reason?: RejectReason | CancelReason;
  /** For REQUEST_REJECTED: which request. */
  request?: 'cancel' | 'modify';
}

/**
 * The account the venue checks and books fills against (implemented by the sim ring's Account).
 * Amounts in cash units; prices and sizes in instrument units.
 */
export interface VenueAccount {
  /** Reason to refuse this fill (e.g. INSUFFICIENT_FUNDS), or undefined to allow it. */
  canFill(instrument: Instrument, side: Side, price: number, quantity: number, fee: number): RejectReason | undefined;
  /** Books a fill. */
  applyFill(fill: Fill): void;
  /** Value of price * quantity in cash units (for fees). */
  notional(instrument: Instrument, price: number, quantity: number): number;
  /** Signed position in size units. */
  positionQuantity(instrument: Instrument): number;
}
