import type { L3Action } from '../market-data.ts';
import { collectFill, type L3QueueModel, type QueueEntry, type QueueModel } from './queue-model.ts';

/**
 * Risk-averse L2 queue model. Assumption: our order advances ONLY when trades occur at its price;
 * a cancel is always assumed to come from behind us. The one exception: the queue ahead of us can never
 * be longer than the whole level, so a size decrease below our front caps it.
 * - newOrder: front = level size
 * - onTrade(t): front -= t
 * - onDepth(prev, new): front = min(front, new)
 * - filled: when front <= -lot, floor(-front / lot) lots (hftbacktest's `RiskAdverseQueueModel`).
 */
export class RiskAverseQueueModel implements QueueModel {
  readonly name = 'risk-averse';
  newOrder(q: QueueEntry, levelSize: number): void {
    q.front = levelSize;
    q.cumTrade = 0;
  }
  onTrade(q: QueueEntry, tradeSize: number): void {
    q.front -= tradeSize;
  }
  onDepth(q: QueueEntry, _prevSize: number, newSize: number): void {
    if (newSize < q.front) q.front = newSize;
  }
  filled(q: QueueEntry): number {
    return collectFill(q);
  }
}

/**
 * The probability that a size decrease at our level came from BEHIND our order, given the size
 * `front` ahead of us and `back` behind us (size units). One method, so each variant is a few lines.
 */
export interface QueueProbability {
  readonly name: string;
  prob(front: number, back: number): number;
}

/**
 * Probabilistic L2 queue model (hftbacktest's `ProbQueueModel`, after rigtorp.se/2013/06/08 and
 * quant.stackexchange 3782). Assumption: trades at our price move us forward by their size; a size
 * decrease not explained by trades is a cancel, which came from behind us with probability
 * `p = prob(front, back)` and from ahead of us otherwise. To avoid counting a trade twice (the trade
 * print and the depth update it causes), trade sizes seen since the last depth change are subtracted
 * from the next decrease.
 * - newOrder: front = level size, cumTrade = 0
 * - onTrade(t): front -= t; cumTrade += t
 * - onDepth(prev, new): chg = prev - new - cumTrade; cumTrade = 0;
 *     chg < 0 (the level grew): front = min(front, new);
 *     else back = prev - front, p = prob(front, back) (1 when not finite),
 *     front = min(front - (1 - p) chg + min(back - p chg, 0), new)
 * - filled: when front <= -lot, floor(-front / lot) lots, then front = 0.
 * The `min(back - p chg, 0)` term moves us by the part of the cancel that cannot have come from behind.
 */
export class ProbQueueModel implements QueueModel {
  readonly name: string;
  constructor(readonly probability: QueueProbability) {
    this.name = `prob(${probability.name})`;
  }
  newOrder(q: QueueEntry, levelSize: number): void {
    q.front = levelSize;
    q.cumTrade = 0;
  }
  onTrade(q: QueueEntry, tradeSize: number): void {
    q.front -= tradeSize;
    q.cumTrade += tradeSize;
  }
  onDepth(q: QueueEntry, prevSize: number, newSize: number): void {
    const chg = prevSize - newSize - q.cumTrade;
    q.cumTrade = 0;
    if (chg < 0) {
      if (newSize < q.front) q.front = newSize;
      return;
    }
    const front = q.front;
    const back = prevSize - front;
    let p = this.probability.prob(front, back);
    if (!Number.isFinite(p)) p = 1;
    const est = front - (1 - p) * chg + Math.min(back - p * chg, 0);
    q.front = est < newSize ? est : newSize;
  }
  filled(q: QueueEntry): number {
    return collectFill(q);
  }
}

function checkExponent(n: number): number {
  if (!(n > 0 && Number.isFinite(n))) throw new RangeError(`queue probability exponent must be > 0, got ${n}`);
  return n;
}

/**
 * `p = back^n / (back^n + front^n)`. n = 1: a cancel is as likely from any unit of the queue ("identity");
 * larger n pushes cancels towards the longer side (n = 2 or 3 are common choices).
 */
export class PowerProbQueueFunc implements QueueProbability {
  readonly name: string;
  constructor(readonly n: number) {
    checkExponent(n);
    this.name = `power(${n})`;
  }
  prob(front: number, back: number): number {
    const b = Math.pow(back, this.n);
    return b / (b + Math.pow(front, this.n));
  }
}

/** `p = back^n / (back + front)^n`: with n > 1, cancels come from behind less often than their share of the queue. */
export class PowerProbQueueFunc2 implements QueueProbability {
  readonly name: string;
  constructor(readonly n: number) {
    checkExponent(n);
    this.name = `power2(${n})`;
  }
  prob(front: number, back: number): number {
    return Math.pow(back, this.n) / Math.pow(back + front, this.n);
  }
}

/** `p = 1 - (front / (front + back))^n`: with n > 1, cancels come from behind more often than their share. */
export class PowerProbQueueFunc3 implements QueueProbability {
  readonly name: string;
  constructor(readonly n: number) {
    checkExponent(n);
    this.name = `power3(${n})`;
  }
  prob(front: number, back: number): number {
    return 1 - Math.pow(front / (front + back), this.n);
  }
}

/** `p = log(1 + back) / (log(1 + back) + log(1 + front))`: the power form with a logarithm, flatter for long queues. */
export class LogProbQueueFunc implements QueueProbability {
  readonly name = 'log';
  prob(front: number, back: number): number {
    const b = Math.log1p(back);
    return b / (b + Math.log1p(front));
  }
}

/** `p = log(1 + back) / log(1 + back + front)`. */
export class LogProbQueueFunc2 implements QueueProbability {
  readonly name = 'log2';
  prob(front: number, back: number): number {
    return Math.log1p(back) / Math.log1p(back + front);
  }
}

/**
 * Exact FIFO queue model from order-by-order (L3) data (hftbacktest's `L3FIFOQueueModel`).
 * Assumption: the venue matches each price level strictly first in, first out. Our order sits behind
 * every order resting at the level when it arrived (`front` = their total size) and ahead of every
 * order added later. Only executions and cancels (partial or full) of orders AHEAD of us move us
 * forward, by their size; adds and anything that happens to orders behind us do not. An execution of
 * an order BEHIND us proves the queue reached us: that size would have hit us first, so it fills us
 * (up to our leaves), even if our count says orders are still ahead (they then must have been hidden
 * from the data, e.g. gone unreported).
 * - newOrder: front = level size
 * - onL3(cancel | delete, ahead): front = max(0, front - size)
 * - onL3(execute, ahead): front = max(0, front - size); onL3(execute, behind): front = min(front, 0) - size
 * - adds and hidden executions: nothing
 * - onTrade: nothing (trades are the L3 executions); onDepth (an L2 correction of an L3 stream, or a
 *   snapshot): front = min(front, new), since the queue ahead cannot exceed the level.
 */
export class L3FifoQueueModel implements L3QueueModel {
  readonly name = 'l3-fifo';
  newOrder(q: QueueEntry, levelSize: number): void {
    q.front = levelSize;
    q.cumTrade = 0;
  }
  onTrade(_q: QueueEntry, _tradeSize: number): void {}
  onDepth(q: QueueEntry, _prevSize: number, newSize: number): void {
    if (newSize < q.front) q.front = newSize;
  }
  onL3(q: QueueEntry, action: L3Action, ahead: boolean, size: number): void {
    if (action === 'add' || action === 'hidden-execute') return;
    if (ahead) {
      const f = q.front - size;
      q.front = f > 0 ? f : 0;
    } else if (action === 'execute') {
      q.front = (q.front < 0 ? q.front : 0) - size;
    }
  }
  filled(q: QueueEntry): number {
    return collectFill(q);
  }
}
