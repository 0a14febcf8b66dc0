/**
 * Periodic rebalancing to target weights, with an SMA trend filter per instrument. Built in as
 * `rebalance`; `npm start` runs it on several synthetic instruments.
 * Every `everyBars` bars of an instrument it sets the position so that its value is
 * `weight * equity` when the close is above its SMA, and zero otherwise, in whole lots.
 */
import { z } from 'zod';
import { defineStrategy, SMA, type Strategy } from '../src/index.ts';

export default defineStrategy({
  name: 'rebalance',
  description: 'Equal-weight rebalancing with an SMA trend filter.',
  params: z
    .object({
      weight: z.coerce.number().positive().max(1).default(0.3),
      everyBars: z.coerce.number().int().positive().default(5),
      sma: z.coerce.number().int().positive().default(20),
    })
    .strict(),
  create(p): Strategy {
    const state = new Map<string, { sma: SMA; bars: number }>();
    return {
      onBar(ctx, bar) {
        const symbol = bar.instrument.symbol;
        let s = state.get(symbol);
        if (!s) state.set(symbol, (s = { sma: new SMA(p.sma), bars: 0 }));
        const mean = s.sma.update(bar.close);
        if (++s.bars % p.everyBars !== 0 || !s.sma.ready || ctx.openOrders(symbol).length > 0) return;
        const lot = bar.instrument.lotSize;
        const target = bar.close > mean ? Math.floor((p.weight * ctx.equity) / bar.close / lot) * lot : 0;
        const delta = Number((target - ctx.position(symbol)).toFixed(bar.instrument.sizePrecision));
        if (delta > 0 && delta * bar.close < ctx.cash) ctx.submit({ symbol, side: 'BUY', quantity: delta, tag: 'rebalance' });
        else if (delta < 0) ctx.submit({ symbol, side: 'SELL', quantity: -delta, tag: 'rebalance' });
      },
    };
  },
});
