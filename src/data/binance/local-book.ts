import { LevelBook } from './level-book.ts';

/**
 * A local order book kept in sync with Binance's diff depth stream, by Binance's documented rules
 * ("How to manage a local order book correctly"):
 *
 * - spot (and binance.us): drop every event with `u <= lastUpdateId` (of the snapshot); the first
 *   event kept must have `U <= lastUpdateId + 1 <= u`; after that each event's `U` must equal the
 *   previous event's `u + 1`.
 * - USD-M futures: drop every event with `u < lastUpdateId`; the first event kept must have
 *   `U <= lastUpdateId <= u`; after that each event's `pu` must equal the previous event's `u`.
 *
 * Events that arrive before the first snapshot are buffered and replayed through these rules when
 * it arrives (as Binance tells clients to do). An event that breaks the chain is a GAP: the book is
 * flagged out of sync (`inSync` false, its levels are kept for inspection but no longer updated), a
 * resync is requested through the listener, and every later event is buffered (at most `maxBuffer`,
 * the oldest dropped beyond that and counted) until the next snapshot, which rebuilds the book and
 * replays the buffer through the rules. Sizes and prices are integer units; size 0 removes a level.
 */

/** Which rule set applies. */
export type BookMarket = 'spot' | 'futures';

/** One depth event with its levels in integer units. */
export interface UnitDiff {
  /** `U`: first update id of the event. */
  firstId: number;
  /** `u`: final update id of the event. */
  lastId: number;
  /** `pu` (futures): final update id of the previous event; NaN for spot. */
  prevLastId: number;
  bidPrices: number[];
  bidSizes: number[];
  askPrices: number[];
  askSizes: number[];
  /** Frame (line) number in the source, for reports. */
  frame: number;
  /** Event time, microseconds. */
  time: number;
}

/** Counters of one symbol's book. */
export interface BookCounters {
  /** Diffs applied to the book. */
  applied: number;
  /** Diffs dropped as already contained in the book (`u <= lastUpdateId` spot, `u < lastUpdateId` futures, or older than the last applied event). */
  droppedStale: number;
  /** Chain breaks found (each raises a resync request). */
  gaps: number;
  /** Books rebuilt from a snapshot after a gap. */
  resyncs: number;
  /** Snapshots applied. */
  snapshots: number;
  /** Diffs buffered while waiting for a snapshot (total over the run). */
  buffered: number;
  /** Buffered diffs dropped because the buffer was full. */
  droppedOverflow: number;
}

/** What happened to a diff handed to `applyDiff`. */
export const DiffOutcome = { Applied: 0, Stale: 1, Buffered: 2, Gap: 3 } as const;
export type DiffOutcome = (typeof DiffOutcome)[keyof typeof DiffOutcome];

/** A chain break: where and what. */
export interface GapInfo {
  /** Frame (line) number of the event that broke the chain. */
  frame: number;
  /** What the rules expected, e.g. `U = 1001` or `pu = 5005` or `U <= 1001 <= u`. */
  expected: string;
  /** What the event had. */
  got: string;
}

/** Receives what the book does while replaying (optional). */
export interface BookSyncListener {
  /** A diff was applied (also for buffered diffs replayed after a snapshot). */
  applied?(diff: UnitDiff): void;
  /** A gap was found: the book is out of sync until the next snapshot. */
  gap?(info: GapInfo, diff: UnitDiff): void;
}

/** Sync state of a `LocalOrderBook`. */
export type SyncState = 'no-snapshot' | 'awaiting-first' | 'synced' | 'out-of-sync';

/** Options of `LocalOrderBook`. */
export interface LocalBookOptions {
  /** Most diffs kept while waiting for a snapshot (default 100,000). */
  maxBuffer?: number;
  listener?: BookSyncListener;
}

/** One symbol's local book (see the module comment for the rules). */
export class LocalOrderBook {
  readonly market: BookMarket;
  readonly book = new LevelBook();
  readonly counters: BookCounters = { applied: 0, droppedStale: 0, gaps: 0, resyncs: 0, snapshots: 0, buffered: 0, droppedOverflow: 0 };
  /** Current state. */
  state: SyncState = 'no-snapshot';
  /** Update id the book reflects: the snapshot's `lastUpdateId`, then the `u` of the last applied diff. */
  lastUpdateId = NaN;
  /** The last gap found, if any. */
  lastGap: GapInfo | undefined;
  private buffer: UnitDiff[] = [];
  private readonly maxBuffer: number;
  private readonly listener: BookSyncListener | undefined;

  constructor(market: BookMarket, options: LocalBookOptions = {}) {
    this.market = market;
    this.maxBuffer = options.maxBuffer ?? 100_000;
    this.listener = options.listener;
  }

  /** True when the book is a valid image of the venue's book (synced or just rebuilt from a snapshot). */
  get inSync(): boolean {
    return this.state === 'synced' || this.state === 'awaiting-first';
  }

  /** Diffs waiting for a snapshot. */
  get pending(): number {
    return this.buffer.length;
  }

  /**
   * Replaces the book with a snapshot (levels in units, any order; size-0 levels are ignored) taken at
   * `lastUpdateId`, then replays the buffered diffs through the rules.
   */
  applySnapshot(lastUpdateId: number, bidPrices: readonly number[], bidSizes: readonly number[], askPrices: readonly number[], askSizes: readonly number[]): void {
    const b = this.book;
    b.clear();
    for (let i = 0; i < bidPrices.length; i++) b.bids.set(bidPrices[i]!, bidSizes[i]!);
    for (let i = 0; i < askPrices.length; i++) b.asks.set(askPrices[i]!, askSizes[i]!);
    if (this.state === 'out-of-sync') this.counters.resyncs++;
    this.counters.snapshots++;
    this.state = 'awaiting-first';
    this.lastUpdateId = lastUpdateId;
    const queued = this.buffer;
    this.buffer = [];
    for (let i = 0; i < queued.length; i++) {
      const d = queued[i]!;
      if ((this.state as SyncState) === 'out-of-sync') {
        this.buffer.push(d); // a gap inside the buffer: keep the rest for the next snapshot
        continue;
      }
      this.step(d);
    }
  }

  /** Hands one diff to the book: applied, dropped as stale, buffered (no snapshot / out of sync), or a gap. */
  applyDiff(d: UnitDiff): DiffOutcome {
    if (this.state === 'no-snapshot' || this.state === 'out-of-sync') {
      this.enqueue(d);
      return DiffOutcome.Buffered;
    }
    return this.step(d);
  }

  private enqueue(d: UnitDiff): void {
    this.counters.buffered++;
    if (this.buffer.length >= this.maxBuffer) {
      this.buffer.shift();
      this.counters.droppedOverflow++;
    }
    this.buffer.push(d);
  }

  private step(d: UnitDiff): DiffOutcome {
    const last = this.lastUpdateId;
    const U = d.firstId;
    const u = d.lastId;
    if (this.market === 'spot') {
      if (u <= last) return this.stale();
      if (this.state === 'awaiting-first') {
        if (U <= last + 1) return this.apply(d);
        return this.gap(d, `U <= ${last + 1} <= u`, `U = ${U}, u = ${u}`);
      }
      if (U === last + 1) return this.apply(d);
      return this.gap(d, `U = ${last + 1}`, `U = ${U}, u = ${u}`);
    }
    // futures
    if (this.state === 'awaiting-first') {
      if (u < last) return this.stale();
      if (U <= last) return this.apply(d);
      return this.gap(d, `U <= ${last} <= u`, `U = ${U}, u = ${u}`);
    }
    if (d.prevLastId === last) return this.apply(d);
    if (u <= last) return this.stale();
    return this.gap(d, `pu = ${last}`, `pu = ${d.prevLastId}, U = ${U}, u = ${u}`);
  }

  private stale(): DiffOutcome {
    this.counters.droppedStale++;
    return DiffOutcome.Stale;
  }

  private apply(d: UnitDiff): DiffOutcome {
    const b = this.book;
    for (let i = 0; i < d.bidPrices.length; i++) b.bids.set(d.bidPrices[i]!, d.bidSizes[i]!);
    for (let i = 0; i < d.askPrices.length; i++) b.asks.set(d.askPrices[i]!, d.askSizes[i]!);
    this.lastUpdateId = d.lastId;
    this.state = 'synced';
    this.counters.applied++;
    this.listener?.applied?.(d);
    return DiffOutcome.Applied;
  }

  private gap(d: UnitDiff, expected: string, got: string): DiffOutcome {
    this.counters.gaps++;
    this.state = 'out-of-sync';
    const info: GapInfo = { frame: d.frame, expected, got };
    this.lastGap = info;
    this.enqueue(d);
    this.listener?.gap?.(info, d);
    return DiffOutcome.Gap;
  }
}
