import { SourceState, type BarEvent, type EventSource, type MarketEvent } from '../market/market-data.ts';

/**
 * An event source seen through a per-event function that keeps, changes or drops each event
 * (returns the event to deliver, or undefined to drop it). The function must keep times in order.
 * Used for asset rules applied to any data: an exchange's sessions (drop bars outside them) and the
 * ex-dividend price drop of synthetic bars.
 */
export class MappedSource<E extends { time: number }> implements EventSource<E> {
  readonly name: string;
  current!: E;

  constructor(
    private readonly inner: EventSource<E>,
    private readonly map: (event: E) => E | undefined,
    name?: string,
  ) {
    this.name = name ?? inner.name;
  }

  advance(): SourceState {
    for (;;) {
      const s = this.inner.advance();
      if (s !== SourceState.Ready) return s;
      const e = this.map(this.inner.current);
      if (e !== undefined) {
        this.current = e;
        return SourceState.Ready;
      }
    }
  }

  refill(): Promise<void> {
    return this.inner.refill();
  }

  close(): void {
    this.inner.close();
  }
}

/** Keeps the events of an instrument only while `isOpen(time)` (for bars: the bar's start time). */
export function sessionFilter<E extends MarketEvent>(isOpen: (time: number) => boolean): (e: E) => E | undefined {
  return (e) => (isOpen(e.time) ? e : undefined);
}

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
      if (lastClose > d.amount) factor *= (lastClose - d.amount) / lastClose;
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
