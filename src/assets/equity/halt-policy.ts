import { ConfigError } from '../../core/errors.ts';
import type { OrderType, TimeInForce } from '../../market/order.ts';

/**
 * What a venue does with orders that arrive while an instrument is halted (docs/equity-halts.md
 * section 4). Resting orders are not affected: they stay on the book and take part in the reopening
 * auction; cancels are always accepted.
 */

/** ACCEPT: not halted, proceed. QUEUE: hold for the reopening auction. REJECT: refuse (see `HaltRejectReason`). */
export type HaltOrderDecision = 'ACCEPT' | 'QUEUE' | 'REJECT';

/** Why an order was refused during a halt: HALTED (a halt or pause) or MARKET_CLOSED (level 3 circuit breaker). */
export type HaltRejectReason = 'HALTED' | 'MARKET_CLOSED';

/**
 * The configurable part. Defaults: limit orders QUEUE (they join the reopening auction, as on NYSE and
 * Nasdaq, which accept orders during a halt for the reopening), market orders REJECT (a market order has
 * no price protection in a reopening after news), stop orders REJECT (a stop cannot take part in an auction).
 * IOC and FOK orders are always rejected: they would have to execute now, and nothing executes in a halt.
 */
export interface HaltOrderPolicy {
  limitOrders: 'QUEUE' | 'REJECT';
  marketOrders: 'QUEUE' | 'REJECT';
  /** QUEUE for a stop means: held by the venue and submitted to the continuous book after the reopening. */
  stopOrders: 'QUEUE' | 'REJECT';
}

/** The default policy. */
export const defaultHaltOrderPolicy: Readonly<HaltOrderPolicy> = Object.freeze({ limitOrders: 'QUEUE', marketOrders: 'REJECT', stopOrders: 'REJECT' });

/** Validates a partial policy (from a run config) and fills in the defaults; errors name the field path. */
export function haltOrderPolicy(partial: Partial<HaltOrderPolicy> = {}, path = 'halts.orderPolicy'): HaltOrderPolicy {
  const p = { ...defaultHaltOrderPolicy, ...partial };
  const issues: { path: string; message: string }[] = [];
  for (const k of ['limitOrders', 'marketOrders', 'stopOrders'] as const) {
    if (p[k] !== 'QUEUE' && p[k] !== 'REJECT') issues.push({ path: `${path}.${k}`, message: `must be 'QUEUE' or 'REJECT', got ${JSON.stringify(p[k])}` });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return p;
}

/** The decision for a new order of `type`/`tif` at a halted instrument (not closed for the day). */
export function haltedOrderDecision(policy: HaltOrderPolicy, type: OrderType, tif: TimeInForce): HaltOrderDecision {
  if (tif === 'IOC' || tif === 'FOK') return 'REJECT';
  switch (type) {
    case 'LIMIT':
      return policy.limitOrders;
    case 'MARKET':
      return policy.marketOrders;
    case 'STOP':
    case 'STOP_LIMIT':
      return policy.stopOrders;
  }
}
