import type { L3Action } from '../market-data.ts';
import type { Order } from '../order.ts';

/**
 * The queue state of one of our orders resting at a price level of a replayed book. The book owns it
 * (`RestingOrder`); a queue model reads and updates `front` and `cumTrade`. Sizes in size units.
 */
export interface QueueEntry {
  /** Our order (read `leaves` to cap a fill). */
  readonly order: Order;
  /** Lot size in size units: fills are whole lots. */
  readonly lot: number;
  /**
   * Size ahead of our order in the level's queue: exact for the L3 FIFO model, an estimate for the L2
   * models (may be fractional). Negative: the queue has moved past us by that much, which is owed to
   * us as a fill (`filled()` pays it out and sets it back to 0).
   */
  front: number;
  /** Trade size seen at our price since the last depth change (the probabilistic model uses it). */
  cumTrade: number;
}

/**
 * A queue position model: where our resting order stands in its level's queue, moved by what the
 * replayed data shows at our price. Four methods, as hftbacktest's `QueueModel`:
 * `newOrder` when our order starts resting, `onTrade` on a trade at our price, `onDepth` when the
 * level's size at our price changes, and `filled` to collect what has filled. Models are stateless
 * (all state lives in the entry), so one instance serves every order of a book.
 */
export interface QueueModel {
  /** Name for reports and errors. */
  readonly name: string;
  /** Our order starts resting behind `levelSize` size units (what the data shows at our price, less what we took there). */
  newOrder(q: QueueEntry, levelSize: number): void;
  /** A trade of `tradeSize` at our price, our side passive. */
  onTrade(q: QueueEntry, tradeSize: number): void;
  /** The data's size at our price went from `prevSize` to `newSize` (0 = level gone). */
  onDepth(q: QueueEntry, prevSize: number, newSize: number): void;
  /**
   * Size units filled now (whole lots, at most `q.order.leaves`), 0 when none. Collecting a fill sets
   * `front` back to 0 (a sub-lot remainder of an estimate is dropped).
   */
  filled(q: QueueEntry): number;
}

/**
 * A queue model that needs order-by-order (L3) data. The book calls `onL3` for every L3 event at our
 * price and side instead of `onTrade` / `onDepth`; `ahead` is true when the venue order the event is
 * about was in the queue before ours (it rested there when we arrived, or its id is unknown: orders
 * seeded from a snapshot predate every order of ours).
 */
export interface L3QueueModel extends QueueModel {
  onL3(q: QueueEntry, action: L3Action, ahead: boolean, size: number): void;
}

/** True when the model consumes L3 events (has `onL3`). */
export function isL3QueueModel(m: QueueModel): m is L3QueueModel {
  return typeof (m as Partial<L3QueueModel>).onL3 === 'function';
}

/**
 * Pays out what the queue owes an entry: when the queue has moved at least one lot past us
 * (`front <= -lot`), `floor(-front / lot) * lot` capped at the order's leaves, and `front = 0`; else 0
 * and `front` is kept (a fraction of a lot waits for more). As hftbacktest's `is_filled`, with a 1e-9
 * lot tolerance against float noise of the probabilistic estimate.
 */
export function collectFill(q: QueueEntry): number {
  const front = q.front;
  if (!(front < 0)) return 0;
  const lot = q.lot;
  const lots = Math.floor(-front / lot + 1e-9);
  if (lots <= 0) return 0;
  q.front = 0;
  const fill = lots * lot;
  const leaves = q.order.leaves;
  return fill < leaves ? fill : leaves;
}
