import type { BarEvent } from '../../market/market-data.ts';
import { dividendFactor } from './dividends.ts';

/** A cash dividend's effect on prices: from `exTime` on, prices fall by `amount` (in price, decimal). */
export interface ExDividend {
  /** First moment of the ex-date (its session open), microseconds. */
  exTime: number;
  /** Dividend per share, decimal. */
  amount: number;
}

/**
 * The ex-date price drop of synthetic bars: bars from a dividend's ex time on are scaled by
 * (P - D) / P, P being the last close before the ex time, and rounded to the instrument's tick grid,
 * so a price path generated without dividends looks like a dividend-paying stock's (docs/equities.md).
 * Factors of several dividends multiply. Returns bars with new price fields (the input is not changed).
 */
export function exDividendDrop(dividends: readonly ExDividend[]): (e: BarEvent) => BarEvent {
  const list = [...dividends].sort((a, b) => a.exTime - b.exTime);
  let next = 0;
  let factor = 1;
  let lastClose = NaN;
  return (e) => {
    while (next < list.length && e.time >= list[next]!.exTime) {
      const d = list[next++]!;
      // the last close before the ex time, in today's (already adjusted) prices
      if (lastClose > d.amount) factor *= dividendFactor(lastClose, d.amount);
    }
    if (factor === 1) {
      lastClose = e.close;
      return e;
    }
    const inst = e.instrument;
    const tick = inst.tickUnits;
    const scale = inst.priceScale;
    const adj = (p: number) => (Math.max(1, Math.round((p * factor * scale) / tick)) * tick) / scale;
    const out: BarEvent = { ...e, open: adj(e.open), high: adj(e.high), low: adj(e.low), close: adj(e.close) };
    lastClose = out.close;
    return out;
  };
}
