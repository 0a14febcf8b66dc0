import { DataError } from '../core/errors.ts';
import { SourceState, type EventSource } from '../market/market-data.ts';

/**
 * Turns an async iterable of event batches (what streaming loaders yield: one array per chunk read)
 * into a pull `EventSource`. Memory holds one batch at a time. It checks that time never goes back
 * and reports the source's own location for an out-of-order event through `locate`.
 */
export class BatchSource<E extends { time: number }> implements EventSource<E> {
  readonly name: string;
  current!: E;
  private batch: E[] = [];
  private index = 0;
  private done = false;
  private lastTime = -Infinity;
  private readonly iterator: AsyncIterator<E[]>;

  constructor(
    name: string,
    batches: AsyncIterable<E[]> | Iterable<E[]>,
    private readonly locate: (event: E) => { file: string; line: number } | undefined = () => undefined,
  ) {
    this.name = name;
    const it = (batches as AsyncIterable<E[]>)[Symbol.asyncIterator]
      ? (batches as AsyncIterable<E[]>)[Symbol.asyncIterator]()
      : toAsync((batches as Iterable<E[]>)[Symbol.iterator]());
    this.iterator = it;
  }

  advance(): SourceState {
    if (this.index < this.batch.length) {
      const e = this.batch[this.index++]!;
      if (e.time < this.lastTime) {
        const where = this.locate(e);
        throw new DataError(where?.file ?? this.name, where?.line ?? 0, 'time', `timestamp goes back in time (${e.time} after ${this.lastTime})`);
      }
      this.lastTime = e.time;
      this.current = e;
      return SourceState.Ready;
    }
    return this.done ? SourceState.End : SourceState.Wait;
  }

  async refill(): Promise<void> {
    const r = await this.iterator.next();
    if (r.done) {
      this.done = true;
      this.batch = [];
    } else {
      this.batch = r.value;
    }
    this.index = 0;
  }

  close(): void {
    this.done = true;
    this.batch = [];
    void this.iterator.return?.();
  }
}

function toAsync<T>(it: Iterator<T>): AsyncIterator<T> {
  return {
    next: async () => it.next(),
    return: async () => it.return?.() ?? { done: true, value: undefined },
  };
}

/**
 * Pulls `source` to its end, awaiting its refills, and calls `each` on every event in order. The
 * callback may throw to stop early; the source is not closed (the caller owns it).
 */
export async function forEachEvent<E extends { time: number }>(source: EventSource<E>, each: (event: E) => void): Promise<void> {
  for (;;) {
    const st = source.advance();
    if (st === SourceState.Ready) each(source.current);
    else if (st === SourceState.Wait) await source.refill();
    else return;
  }
}
