/**
 * Noise trader (abides-markets `NoiseAgent`). It wakes once, at a time uniform in [open - leadUs, close]
 * (a time before the open becomes the open), asks for the spread, and on the answer picks a side with
 * probability 1/2 and sends a limit order of a size from `OrderSizeModel` at the opposite best price (a buy
 * at the ask, a sell at the bid): marketable when the quote still stands when it arrives, resting otherwise.
 * No order when that side of the book is empty or the size drawn is 0. It never cancels.
 */
import type { Agent, AgentContext, SpreadSnapshot } from './types.ts';
import type { NoiseParams } from './params.ts';
import type { OrderSizeModel } from './order-size.ts';

/** One noise trader. */
export class NoiseAgent implements Agent {
  readonly name = 'noise';
  constructor(
    private readonly params: NoiseParams,
    private readonly sizes: OrderSizeModel,
  ) {}

  start(ctx: AgentContext): void {
    const from = ctx.openTime - this.params.leadUs;
    const t = from + Math.floor(ctx.rng.next() * (ctx.closeTime - from));
    ctx.wakeAt(t > ctx.openTime ? t : ctx.openTime);
  }

  wakeup(ctx: AgentContext): void {
    ctx.querySpread(0);
  }

  onSpread(ctx: AgentContext, s: SpreadSnapshot): void {
    const buy = ctx.rng.nextU32() >= 2147483648;
    const lots = this.sizes.sample(ctx.rng);
    if (lots <= 0) return;
    const qty = lots * ctx.instrument.lotUnits;
    if (buy) {
      if (s.ask === s.ask) ctx.placeLimit('BUY', s.ask, qty);
    } else if (s.bid === s.bid) ctx.placeLimit('SELL', s.bid, qty);
  }
}
