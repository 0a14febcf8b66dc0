/**
 * Adaptive POV market maker (abides-markets `AdaptiveMarketMakerAgent`, a Chakraborty-Kearns ladder whose
 * level size follows the traded volume). At each wakeup (first at the open, then after exponential gaps of
 * mean `meanWakeUs`) it cancels all its orders and asks for the spread and the volume traded over the last
 * `meanWakeUs`; FIFO latency means the answer arrives after the cancels are confirmed. On the answer
 * (all in ticks):
 *
 *     mid = floor((bid + ask) / 2)                       (the last known mid when a side is empty)
 *     adaptive window: w = spreadAlpha * (ask - bid) + (1 - spreadAlpha) * w        (w starts at initialSpread)
 *     level spacing: g = max(1, round(levelSpacing * w))
 *     trade imbalance: m = 2 buyVolume / (buyVolume + sellVolume) - 1 (0 with no volume)
 *     centre: c = mid + floor(priceSkew * m)
 *     bids at c - floor(w / 2) - i g, asks at c + ceil(w / 2) + i g, i = 0 .. numTicks - 1
 *     size per level: q = round(pov * (buyVolume + sellVolume)) lots, at least minOrderSize; with skewBeta > 0
 *       the sell share is p = 1 / (1 + e^(-skewBeta * position)): sell ceil(p q), buy floor((1 - p) q)
 *
 * Inventory limit (ours; ABIDES has none): levels are sent innermost first and only while
 * position + open buys (resp. -position + open sells) stays <= maxInventory, counted from the agent's own
 * view, which over-counts the true exposure (cancels and fills are confirmed late), so the true |position|
 * never exceeds maxInventory. Book imbalance (ABIDES's `BookImbalance` subscription): when the top-of-book
 * imbalance |bidSize - askSize| / (bidSize + askSize) rises to `minImbalance` or more, it requotes at once.
 */
import type { Agent, AgentContext, QuoteSnapshot, SpreadSnapshot } from './types.ts';
import type { MarketMakerParams } from './params.ts';

/** One adaptive market maker. */
export class AdaptiveMarketMaker implements Agent {
  readonly name = 'market-maker';
  /** Spread estimate (the window), ticks. */
  window: number;
  private lastMid = NaN;
  private awaiting = false;
  private imbalanced = false;

  constructor(private readonly params: MarketMakerParams) {
    this.window = params.windowSize === 'adaptive' ? params.initialSpread : params.windowSize;
  }

  start(ctx: AgentContext): void {
    if (this.params.minImbalance < 1) ctx.subscribeQuotes();
    ctx.wakeAt(ctx.openTime);
  }

  wakeup(ctx: AgentContext): void {
    ctx.wakeAt(ctx.now + Math.round(ctx.rng.exponential(1 / this.params.meanWakeUs)));
    this.requote(ctx);
  }

  private requote(ctx: AgentContext): void {
    if (this.awaiting) return;
    this.awaiting = true;
    ctx.cancelAll();
    ctx.querySpread(this.params.meanWakeUs);
  }

  onMarketData(ctx: AgentContext, q: QuoteSnapshot): void {
    const total = q.bidSize + q.askSize;
    if (total <= 0) return;
    const imb = Math.abs(q.bidSize - q.askSize) / total;
    if (imb >= this.params.minImbalance) {
      if (!this.imbalanced) {
        this.imbalanced = true;
        this.requote(ctx);
      }
    } else this.imbalanced = false;
  }

  onSpread(ctx: AgentContext, s: SpreadSnapshot): void {
    if (!this.awaiting) return;
    this.awaiting = false;
    const p = this.params;
    const inst = ctx.instrument;
    const tick = inst.tickUnits;
    const lot = inst.lotUnits;
    if (s.bid === s.bid && s.ask === s.ask) {
      this.lastMid = Math.floor((s.bid + s.ask) / 2 / tick);
      if (p.windowSize === 'adaptive') this.window = p.spreadAlpha * ((s.ask - s.bid) / tick) + (1 - p.spreadAlpha) * this.window;
    }
    const mid = this.lastMid;
    if (mid !== mid) return;
    const w = this.window;
    const gap = Math.max(1, Math.round(p.levelSpacing * w));
    const vol = s.buyVolume + s.sellVolume;
    const imbalance = vol > 0 ? (2 * s.buyVolume) / vol - 1 : 0;
    const centre = mid + Math.floor(p.priceSkew * imbalance);
    const topBid = centre - Math.floor(w / 2);
    let lowAsk = centre + Math.ceil(w / 2);
    if (lowAsk <= topBid) lowAsk = topBid + 1;
    const q = Math.round((p.pov * vol) / lot);
    let buyLots: number;
    let sellLots: number;
    if (p.skewBeta === 0) buyLots = sellLots = q;
    else {
      const pSell = 1 / (1 + Math.exp(-p.skewBeta * (ctx.position / lot)));
      sellLots = Math.ceil(pSell * q);
      buyLots = Math.floor((1 - pSell) * q);
    }
    if (buyLots < p.minOrderSize) buyLots = p.minOrderSize;
    if (sellLots < p.minOrderSize) sellLots = p.minOrderSize;
    const limit = p.maxInventory;
    let longRoom = limit === Infinity ? Infinity : limit - (ctx.position + ctx.openBuy) / lot;
    let shortRoom = limit === Infinity ? Infinity : limit - (ctx.openSell - ctx.position) / lot;
    for (let i = 0; i < p.numTicks; i++) {
      const price = (topBid - i * gap) * tick;
      const lots = Math.floor(buyLots < longRoom ? buyLots : longRoom);
      if (lots < 1 || price <= 0) break;
      ctx.placeLimit('BUY', price, lots * lot);
      longRoom -= lots;
    }
    for (let i = 0; i < p.numTicks; i++) {
      const lots = Math.floor(sellLots < shortRoom ? sellLots : shortRoom);
      if (lots < 1) break;
      ctx.placeLimit('SELL', (lowAsk + i * gap) * tick, lots * lot);
      shortRoom -= lots;
    }
  }
}
