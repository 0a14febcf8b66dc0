/**
 * Value trader (abides-markets `ValueAgent`). At each wakeup (first at the open, then after exponential
 * gaps of rate `lambda`) it cancels its open orders and asks for the spread. On the answer it observes the
 * fundamental with noise, obs = round(N(r_t, sigmaN)), and updates its Bayesian (Kalman) estimate:
 *
 *     prior over the time d since its last update:
 *       r' = r_bar + (r - r_bar) e^(-kappa d)
 *       s' = s e^(-2 kappa d) + sigmaS (1 - e^(-2 kappa d)) / (2 kappa)
 *     update with obs (noise variance sigmaN):
 *       r = (sigmaN r' + s' obs) / (sigmaN + s'),   s = sigmaN s' / (sigmaN + s')
 *     forecast at the close T:  r_T = round(r_bar + (r - r_bar) e^(-kappa (T - t)))
 *
 * Then, with a two-sided book (mid = floor((bid + ask) / 2), spread = ask - bid): with probability
 * `percentAggressive` adj = 0, else adj uniform in {0, ..., depthSpread * spread - 1} ticks; if r_T < mid it
 * sells at bid + adj, else buys at ask - adj (adj = 0 crosses the spread; otherwise it rests inside the
 * spread or deeper). With a one-sided or empty book it picks a side at random and places at r_T.
 * Size from `OrderSizeModel`.
 */
import type { Agent, AgentContext, SpreadSnapshot } from './types.ts';
import type { ValueParams } from './params.ts';
import type { OrderSizeModel } from './order-size.ts';

/** One value trader. */
export class ValueAgent implements Agent {
  readonly name = 'value';
  /** Current estimate of the fundamental r_t and its variance. */
  estimate: number;
  variance = 0;
  private lastUpdate = NaN;

  constructor(
    private readonly params: ValueParams,
    private readonly rBar: number,
    private readonly sizes: OrderSizeModel,
  ) {
    this.estimate = rBar;
  }

  start(ctx: AgentContext): void {
    ctx.wakeAt(ctx.openTime);
  }

  wakeup(ctx: AgentContext): void {
    ctx.wakeAt(ctx.now + Math.round(ctx.rng.exponential(this.params.lambda)));
    ctx.cancelAll();
    ctx.querySpread(0);
  }

  /** Observes the fundamental, updates the estimate, and returns the forecast r_T (price units, on the tick grid). */
  forecast(ctx: AgentContext): number {
    const p = this.params;
    const obs = ctx.observeFundamental(p.sigmaN);
    const t = ctx.now;
    const d = this.lastUpdate === this.lastUpdate ? t - this.lastUpdate : t - ctx.openTime;
    const k = p.kappa;
    const decay2 = Math.exp(-2 * k * d);
    const rPrior = this.rBar + (this.estimate - this.rBar) * Math.exp(-k * d);
    const sPrior = this.variance * decay2 + (p.sigmaS * -Math.expm1(-2 * k * d)) / (2 * k);
    const denom = p.sigmaN + sPrior;
    if (denom > 0) {
      this.estimate = (p.sigmaN * rPrior + sPrior * obs) / denom;
      this.variance = (p.sigmaN * sPrior) / denom;
    } else this.estimate = obs;
    this.lastUpdate = t;
    const left = ctx.closeTime - t > 0 ? ctx.closeTime - t : 0;
    const rT = this.rBar + (this.estimate - this.rBar) * Math.exp(-k * left);
    const tick = ctx.instrument.tickUnits;
    return Math.round(rT / tick) * tick;
  }

  onSpread(ctx: AgentContext, s: SpreadSnapshot): void {
    const p = this.params;
    const rng = ctx.rng;
    const rT = this.forecast(ctx);
    const tick = ctx.instrument.tickUnits;
    let buy: boolean;
    let price: number;
    if (s.bid === s.bid && s.ask === s.ask) {
      const mid = Math.floor((s.bid + s.ask) / 2);
      const spreadTicks = Math.round((s.ask - s.bid) / tick);
      const range = Math.floor(p.depthSpread * spreadTicks);
      const adj = rng.next() < p.percentAggressive || range < 1 ? 0 : rng.int(range) * tick;
      if (rT < mid) {
        buy = false;
        price = s.bid + adj;
      } else {
        buy = true;
        price = s.ask - adj;
      }
    } else {
      buy = rng.nextU32() >= 2147483648;
      price = rT;
    }
    const lots = this.sizes.sample(rng);
    if (lots <= 0 || !(price > 0)) return;
    ctx.placeLimit(buy ? 'BUY' : 'SELL', price, lots * ctx.instrument.lotUnits);
  }
}
