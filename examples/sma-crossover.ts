/**
 * The classic SMA crossover, built in as `sma-crossover`. Its semantics are backtrader's, so its
 * fills equal backtrader's to the cent (see docs/strategy-api.md and the conformance test):
 * - fast and slow simple moving averages of the close, summed exactly (like Python's math.fsum);
 * - a cross is signalled with backtrader's rule (the last non-zero difference changes sign);
 * - flat and crossing up: BUY at market; long and crossing down: SELL the whole position;
 *   at most one order in flight; long only;
 * - sizing `fixed:N` (N units), `all-in` (floor(cash / close)) or `percent:P` (floor(cash / close * P / 100)).
 */
import { z } from 'zod';
import { defineStrategy, SMA, CrossOver, type Strategy } from '../src/index.ts';

/** `fixed:10`, `all-in` or `percent:95`. */
const sizing = z
  .string()
  .regex(/^(fixed:\d+(\.\d+)?|all-in|percent:\d+(\.\d+)?)$/, 'expected fixed:N, all-in or percent:P')
  .refine((s) => !s.startsWith('percent:') || (Number(s.slice(8)) > 0 && Number(s.slice(8)) <= 100), 'percent must be in (0, 100]')
  .refine((s) => !s.startsWith('fixed:') || Number(s.slice(6)) > 0, 'fixed size must be positive');

export const params = z
  .object({
    fast: z.coerce.number().int().positive().default(10),
    slow: z.coerce.number().int().positive().default(30),
    sizing: sizing.default('fixed:10'),
  })
  .strict()
  .refine((p) => p.fast < p.slow, { message: 'fast must be shorter than slow', path: ['fast'] });

export default defineStrategy({
  name: 'sma-crossover',
  description: 'Long-only SMA crossover (backtrader semantics): buy on a cross up, sell all on a cross down.',
  params,
  create(p): Strategy {
    const state = new Map<string, { fast: SMA; slow: SMA; cross: CrossOver; busy: boolean }>();
    return {
      onBar(ctx, bar) {
        const symbol = bar.instrument.symbol;
        let s = state.get(symbol);
        if (!s) state.set(symbol, (s = { fast: new SMA(p.fast, { exact: true }), slow: new SMA(p.slow, { exact: true }), cross: new CrossOver(), busy: false }));
        const signal = s.cross.update(s.fast.update(bar.close), s.slow.update(bar.close));
        if (s.busy || signal === 0) return;
        const position = ctx.position(symbol);
        if (position === 0 && signal > 0) {
          const size = sizeFor(p.sizing, ctx.cash, bar.close);
          if (size > 0) {
            ctx.submit({ symbol, side: 'BUY', quantity: size, tag: 'entry' });
            s.busy = true;
          }
        } else if (position > 0 && signal < 0) {
          ctx.submit({ symbol, side: 'SELL', quantity: position, tag: 'exit' });
          s.busy = true;
        }
      },
      onOrderUpdate(_ctx, u) {
        if (u.status === 'FILLED' || u.status === 'CANCELED' || u.status === 'EXPIRED' || u.status === 'REJECTED') {
          const s = state.get(u.symbol);
          if (s) s.busy = false;
        }
      },
    };
  },
});

/** Order size for a sizing rule, computed in doubles exactly as backtrader's sizers do. */
function sizeFor(rule: string, cash: number, close: number): number {
  if (rule.startsWith('fixed:')) return Number(rule.slice(6));
  if (rule === 'all-in') return Math.floor(cash / close);
  return Math.floor((cash / close) * (Number(rule.slice(8)) / 100));
}
