/**
 * A multi-asset portfolio held at target weights of equity, in one reporting currency. Built in as
 * `target-weights`; `npm start` runs it on AAPL, BTC-USD and US10Y (examples/multi-asset.yaml).
 *
 * It tracks each symbol's last price (bar close, quote mid, trade price) and, every `everyMinutes` of
 * virtual time, brings any position whose weight drifted more than `band` from its target back to the
 * target, in whole lots, with market orders. A symbol the venue would refuse right now (outside its
 * session, halted, venue down: `ctx.tradingBlock`) is skipped until the next check, so the strategy
 * never fights the asset's rules. Sells go first, so their cash pays for the buys.
 */
import { z } from 'zod';
import { defineStrategy, type Instrument, type Strategy, type StrategyContext } from '../src/index.ts';

export default defineStrategy({
  name: 'target-weights',
  description: 'Holds symbols at target weights of equity, rebalancing when a weight drifts outside a band.',
  params: z
    .object({
      /** Target weight of each symbol (fractions of equity; the rest stays in cash). */
      weights: z.record(z.coerce.number().min(0).max(1)).refine((w) => Object.values(w).reduce((a, b) => a + b, 0) <= 1, 'weights must sum to at most 1'),
      /** Minutes between checks. */
      everyMinutes: z.coerce.number().positive().default(60),
      /** Allowed drift of a weight before it is traded back, as a fraction of equity. */
      band: z.coerce.number().min(0).max(1).default(0.02),
    })
    .strict(),
  create(p): Strategy {
    const last = new Map<string, { price: number; instrument: Instrument }>();
    const symbols = Object.keys(p.weights);
    let timer = false;
    const seen = (ctx: StrategyContext, i: Instrument, price: number) => {
      if (price > 0 && Number.isFinite(price)) last.set(i.symbol, { price, instrument: i });
      // the clock starts at the first event: the first check is one period after it
      if (!timer) {
        timer = true;
        ctx.setInterval(p.everyMinutes * 60_000_000, 'rebalance');
      }
    };
    const rebalance = (ctx: StrategyContext) => {
      const equity = ctx.equity;
      const plan: { symbol: string; delta: number; instrument: Instrument }[] = [];
      for (const symbol of symbols) {
        const l = last.get(symbol);
        if (!l || ctx.tradingBlock(symbol) !== undefined || ctx.openOrders(symbol).length > 0) continue;
        const unitValue = l.price * l.instrument.multiplier;
        const have = ctx.position(symbol) * unitValue;
        const want = p.weights[symbol]! * equity;
        if (Math.abs(have - want) <= p.band * equity) continue;
        const lot = l.instrument.lotSize;
        const target = Math.floor(want / unitValue / lot) * lot;
        const delta = Number((target - ctx.position(symbol)).toFixed(l.instrument.sizePrecision));
        if (delta !== 0) plan.push({ symbol, delta, instrument: l.instrument });
      }
      plan.sort((a, b) => a.delta - b.delta); // sells first
      for (const x of plan) {
        ctx.submit({ symbol: x.symbol, side: x.delta > 0 ? 'BUY' : 'SELL', quantity: Math.abs(x.delta), tag: 'rebalance' });
      }
    };
    return {
      onBar(ctx, bar) {
        seen(ctx, bar.instrument, bar.close);
      },
      onQuote(ctx, q) {
        seen(ctx, q.instrument, (q.bidPrice + q.askPrice) / 2);
      },
      onTrade(ctx, t) {
        seen(ctx, t.instrument, t.price);
      },
      onTimer(ctx) {
        rebalance(ctx);
      },
    };
  },
});
