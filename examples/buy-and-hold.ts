/**
 * Buys with `fraction` of the cash left, in each instrument on its first bar or quote, then holds, in
 * whole lots of the instrument (price x multiplier per unit: a bond quoted per 100 with size in dollars of
 * face costs price / 100 a unit). Built in as `buy-and-hold`.
 */
import { z } from 'zod';
import { defineStrategy, type Instrument, type Strategy } from '../src/index.ts';

export default defineStrategy({
  name: 'buy-and-hold',
  description: 'Buy on the first price of each instrument with a fraction of the cash left, then hold.',
  params: z.object({ fraction: z.coerce.number().positive().max(1).default(0.95) }).strict(),
  create(p): Strategy {
    const bought = new Set<string>();
    const buy = (ctx: Parameters<NonNullable<Strategy['onBar']>>[0], inst: Instrument, price: number) => {
      if (bought.has(inst.symbol)) return;
      bought.add(inst.symbol);
      const lot = inst.lotSize;
      const lots = Math.floor((ctx.cash * p.fraction) / (price * inst.multiplier) / lot);
      const qty = Number((lots * lot).toFixed(inst.sizePrecision));
      if (qty > 0) ctx.submit({ symbol: inst.symbol, side: 'BUY', quantity: qty });
    };
    return {
      onBar: (ctx, bar) => buy(ctx, bar.instrument, bar.close),
      onQuote: (ctx, q) => buy(ctx, q.instrument, q.askPrice),
    };
  },
});
