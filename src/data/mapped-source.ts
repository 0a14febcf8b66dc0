import { SourceState, type EventSource, type MarketEvent } from '../market/market-data.ts';

/**
 * An event source seen through a per-event function that keeps, changes or drops each event
 * (returns the event to deliver, or undefined to drop it). The function must keep times in order.
 * Used for asset rules applied to any data: an exchange's sessions (drop bars outside them) and the
 * ex-dividend price drop of synthetic bars (src/assets/equity/ex-dividend.ts).
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
