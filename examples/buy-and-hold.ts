/** Buys with `fraction` of the cash left, in each instrument on its first bar or quote, then holds. Built in as `buy-and-hold`. */
import { z } from 'zod';
import { defineStrategy, type Strategy } from '../src/index.ts';

export default defineStrategy({
  name: 'buy-and-hold',
  description: 'Buy on the first price of each instrument with a fraction of the cash left, then hold.',
  params: z.object({ fraction: z.coerce.number().positive().max(1).default(0.95) }).strict(),
  create(p): Strategy {
    const bought = new Set<string>();
    const buy = (ctx: Parameters<NonNullable<Strategy['onBar']>>[0], symbol: string, price: number) => {
      if (bought.has(symbol)) return;
      bought.add(symbol);
      const qty = Math.floor((ctx.cash * p.fraction) / price);
      if (qty > 0) ctx.submit({ symbol, side: 'BUY', quantity: qty });
    };
    return {
      onBar: (ctx, bar) => buy(ctx, bar.instrument.symbol, bar.close),
      onQuote: (ctx, q) => buy(ctx, q.instrument.symbol, q.askPrice),
    };
  },
});
