/**
 * Momentum trader (abides-markets `MomentumAgent`, RMSC04 settings). At each wakeup (first at the open,
 * then after exponential gaps of mean `meanWakeUs`) it asks for the spread; on the answer, with a two-sided
 * book it records mid = floor((bid + ask) / 2) in a window of the last `longWindow` mids. Once it has
 * `longWindow` of them it compares the rounded moving averages of the last `shortWindow` and `longWindow`
 * mids: short >= long buys at the ask, short < long sells at the bid (marketable limit orders), size from
 * `OrderSizeModel`. It never cancels. The next wakeup is scheduled when the answer arrives.
 */
import type { Agent, AgentContext, SpreadSnapshot } from './types.ts';
import type { MomentumParams } from './params.ts';
import type { OrderSizeModel } from './order-size.ts';

/** One momentum trader. */
export class MomentumAgent implements Agent {
  readonly name = 'momentum';
  private readonly mids: Float64Array;
  private count = 0;

  constructor(
    private readonly params: MomentumParams,
    private readonly sizes: OrderSizeModel,
  ) {
    this.mids = new Float64Array(params.longWindow);
  }

  start(ctx: AgentContext): void {
    ctx.wakeAt(ctx.openTime);
  }

  wakeup(ctx: AgentContext): void {
    ctx.querySpread(0);
  }

  /** Mean of the last n recorded mids (n <= recorded). */
  private average(n: number): number {
    const w = this.mids.length;
    let sum = 0;
    for (let i = 1; i <= n; i++) sum += this.mids[(this.count - i) % w]!;
    return sum / n;
  }

  onSpread(ctx: AgentContext, s: SpreadSnapshot): void {
    const p = this.params;
    if (s.bid === s.bid && s.ask === s.ask) {
      this.mids[this.count % this.mids.length] = Math.floor((s.bid + s.ask) / 2);
      this.count++;
      if (this.count >= p.longWindow) {
        const lots = this.sizes.sample(ctx.rng);
        if (lots > 0) {
          const short = Math.round(this.average(p.shortWindow));
          const long = Math.round(this.average(p.longWindow));
          const qty = lots * ctx.instrument.lotUnits;
          if (short >= long) ctx.placeLimit('BUY', s.ask, qty);
          else ctx.placeLimit('SELL', s.bid, qty);
        }
      }
    }
    ctx.wakeAt(ctx.now + Math.round(ctx.rng.exponential(1 / p.meanWakeUs)));
  }
}
