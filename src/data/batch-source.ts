import { DataError } from '../core/errors.ts';
import { SourceState, type EventSource } from '../market/market-data.ts';

/**
 * The pulling half that batch sources share: the current batch and the position in it, `refill()`
 * (the next batch from the producer, or done) and `close()` (stops the producer early). `empty` is
 * what the batch is when there is none (before the first refill and after the last). A subclass
 * reads `batch` and `index` in its own `advance()`.
 */
export abstract class BatchPuller<B> {
  protected batch: B;
  protected index = 0;
  protected done = false;

  constructor(
    private readonly iterator: AsyncIterator<B>,
    private readonly empty: B,
  ) {
    this.batch = empty;
  }

  async refill(): Promise<void> {
    const r = await this.iterator.next();
    if (r.done) {
      this.done = true;
      this.batch = this.empty;
    } else this.batch = r.value;
    this.index = 0;
  }

  close(): void {
    this.done = true;
    this.batch = this.empty;
    void this.iterator.return?.();
  }
}

/**
 * Turns an async iterable of event batches (what streaming loaders yield: one array per chunk read)
 * into a pull `EventSource`. Memory holds one batch at a time. It checks that time never goes back
 * and reports the source's own location for an out-of-order event through `locate`.
 */
export class BatchSource<E extends { time: number }> extends BatchPuller<E[]> implements EventSource<E> {
  readonly name: string;
  current!: E;
  private lastTime = -Infinity;

  constructor(
    name: string,
    batches: AsyncIterable<E[]> | Iterable<E[]>,
    private readonly locate: (event: E) => { file: string; line: number } | undefined = () => undefined,
  ) {
    super(
      (batches as AsyncIterable<E[]>)[Symbol.asyncIterator]
        ? (batches as AsyncIterable<E[]>)[Symbol.asyncIterator]()
        : toAsync((batches as Iterable<E[]>)[Symbol.iterator]()),
      [],
    );
    this.name = name;
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
