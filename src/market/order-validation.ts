import type { Order, RejectReason } from './order.ts';

/**
 * Static checks of a new order against its instrument's grid and its own fields, in this order:
 * size (finite positive integer units), lot, minimum and maximum size, prices (present when the type
 * needs them, positive, on the tick grid), trigger, GTD expiry in the future.
 * Returns the first reason found, or undefined when the order is well formed.
 */
export function validateOrder(order: Order, now: number): RejectReason | undefined {
  const inst = order.instrument;
  const q = order.quantity;
  if (!Number.isFinite(q) || !Number.isInteger(q) || q <= 0) return 'BAD_SIZE';
  if (q % inst.lotUnits !== 0) return 'BAD_LOT';
  if (q < inst.minSizeUnits) return 'BELOW_MIN_SIZE';
  if (q > inst.maxSizeUnits) return 'ABOVE_MAX_SIZE';
  const needsPrice = order.type === 'LIMIT' || order.type === 'STOP_LIMIT';
  if (needsPrice) {
    const p = order.price;
    if (p !== p) return 'MISSING_PRICE';
    if (!Number.isFinite(p) || !Number.isInteger(p) || p <= 0) return p <= 0 ? 'BAD_PRICE' : 'OFF_TICK_PRICE';
    if (p % inst.tickUnits !== 0) return 'OFF_TICK_PRICE';
  }
  if (order.type === 'STOP' || order.type === 'STOP_LIMIT') {
    const s = order.triggerPrice;
    if (s !== s) return 'MISSING_TRIGGER';
    if (!Number.isFinite(s) || !Number.isInteger(s) || s <= 0) return s <= 0 ? 'BAD_PRICE' : 'OFF_TICK_PRICE';
    if (s % inst.tickUnits !== 0) return 'OFF_TICK_PRICE';
  }
  if (order.tif === 'GTD' && !(order.expireTime > now)) return 'BAD_EXPIRE_TIME';
  if (order.postOnly && order.type !== 'LIMIT') return 'POST_ONLY_WOULD_CROSS';
  return undefined;
}
