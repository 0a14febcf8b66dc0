import { LevelBook, type LevelSide } from './level-book.ts';
import type { UnitDiff } from './local-book.ts';
import { BinanceRecordingReplay, type RecordingObserver, type RecordingReplayOptions } from './recording-replay.ts';

/**
 * Checks the local book against the bookTicker stream. bookTicker is real time (one frame per
 * change of the best levels, stamped with the book update id `u_t`), while the diff depth stream
 * comes in 100 ms batches covering update ids `[U, u]`; so a bookTicker id rarely falls on a batch
 * boundary, and the book state at `u_t` is usually not observable. The comparison, per symbol, in
 * update-id order (not arrival order):
 *
 * 1. Take the book after the last applied diff whose `u <= u_t` (the snapshot itself when none),
 *    and `D`, the first applied diff with `u > u_t`.
 * 2. EXACT: the book's best bid price and size and best ask price and size equal the ticker's.
 * 3. EXPLAINED: not exact, `D` exists with `U <= u_t` (the ticker's update is inside D's batch),
 *    and each side is consistent with updates inside D: every book level better than the ticker's
 *    price was touched by D (it may have gone by `u_t`), and the book's size at the ticker's price
 *    equals the ticker's size or D touched that price (it may have changed by `u_t`).
 * 4. UNEXPLAINED: anything else (a real disagreement). BEFORE-SNAPSHOT: `u_t` below the snapshot's
 *    lastUpdateId (no book state to compare with). AFTER-LAST-DIFF: not exact and no later diff
 *    was recorded, so nothing can explain or refute the difference.
 */

/** Result counts of one symbol (or a total). */
export interface TickerCheckCounts {
  tickers: number;
  exact: number;
  explained: number;
  unexplained: number;
  beforeSnapshot: number;
  afterLastDiff: number;
}

/** A ticker the book could not explain. */
export interface TickerMismatch {
  symbol: string;
  frame: number;
  updateId: number;
  ticker: [number, number, number, number];
  book: [number, number, number, number];
}

/** What `checkBookTickers` returns. */
export interface TickerCheckReport {
  total: TickerCheckCounts;
  bySymbol: Record<string, TickerCheckCounts>;
  /** The first 20 unexplained tickers. */
  mismatches: TickerMismatch[];
}

interface Ticker {
  u: number;
  bp: number;
  bq: number;
  ap: number;
  aq: number;
  frame: number;
}

class SymbolLog {
  snapshotId = NaN;
  bids: [number, number][] = [];
  asks: [number, number][] = [];
  diffs: UnitDiff[] = [];
  tickers: Ticker[] = [];
}

function zero(): TickerCheckCounts {
  return { tickers: 0, exact: 0, explained: 0, unexplained: 0, beforeSnapshot: 0, afterLastDiff: 0 };
}

/** Collects snapshots, applied diffs and tickers per symbol through a replay's observer hooks. */
export class TickerCheckCollector implements RecordingObserver {
  readonly logs = new Map<string, SymbolLog>();

  private log(symbol: string): SymbolLog {
    let l = this.logs.get(symbol);
    if (!l) {
      l = new SymbolLog();
      this.logs.set(symbol, l);
    }
    return l;
  }

  snapshot(symbol: string, lastUpdateId: number, bp: readonly number[], bs: readonly number[], ap: readonly number[], as: readonly number[]): void {
    const l = this.log(symbol);
    l.snapshotId = lastUpdateId; // a later snapshot (resync) starts a new segment
    l.bids = bp.map((p, i) => [p, bs[i]!]);
    l.asks = ap.map((p, i) => [p, as[i]!]);
    l.diffs = [];
  }

  applied(symbol: string, diff: UnitDiff): void {
    this.log(symbol).diffs.push(diff);
  }

  ticker(symbol: string, updateId: number, bp: number, bq: number, ap: number, aq: number, frame: number): void {
    this.log(symbol).tickers.push({ u: updateId, bp, bq, ap, aq, frame });
  }

  /** Runs the comparison (see the module comment). */
  report(): TickerCheckReport {
    const total = zero();
    const bySymbol: Record<string, TickerCheckCounts> = {};
    const mismatches: TickerMismatch[] = [];
    for (const [symbol, l] of this.logs) {
      const c = zero();
      bySymbol[symbol] = c;
      const book = new LevelBook();
      for (const [p, s] of l.bids) book.bids.set(p, s);
      for (const [p, s] of l.asks) book.asks.set(p, s);
      const tickers = [...l.tickers].sort((a, b) => a.u - b.u || a.frame - b.frame);
      let i = 0;
      for (const t of tickers) {
        c.tickers++;
        if (!(t.u >= l.snapshotId)) {
          c.beforeSnapshot++;
          continue;
        }
        while (i < l.diffs.length && l.diffs[i]!.lastId <= t.u) applyDiff(book, l.diffs[i++]!);
        const b = book;
        if (b.bids.bestPrice() === t.bp && b.bids.bestSize() === t.bq && b.asks.bestPrice() === t.ap && b.asks.bestSize() === t.aq) {
          c.exact++;
          continue;
        }
        const next = l.diffs[i];
        if (next === undefined) {
          c.afterLastDiff++;
          continue;
        }
        if (next.firstId <= t.u && sideExplained(b.bids, t.bp, t.bq, next.bidPrices) && sideExplained(b.asks, t.ap, t.aq, next.askPrices)) {
          c.explained++;
          continue;
        }
        c.unexplained++;
        if (mismatches.length < 20) {
          mismatches.push({ symbol, frame: t.frame, updateId: t.u, ticker: [t.bp, t.bq, t.ap, t.aq], book: [b.bids.bestPrice(), b.bids.bestSize(), b.asks.bestPrice(), b.asks.bestSize()] });
        }
      }
      for (const k of Object.keys(total) as (keyof TickerCheckCounts)[]) total[k] += c[k];
    }
    return { total, bySymbol, mismatches };
  }
}

function applyDiff(book: LevelBook, d: UnitDiff): void {
  for (let k = 0; k < d.bidPrices.length; k++) book.bids.set(d.bidPrices[k]!, d.bidSizes[k]!);
  for (let k = 0; k < d.askPrices.length; k++) book.asks.set(d.askPrices[k]!, d.askSizes[k]!);
}

/** Rule 3 for one side: levels better than the ticker's were touched, and its size matches or was touched. */
function sideExplained(side: LevelSide, price: number, size: number, touched: readonly number[]): boolean {
  for (let k = 0; k < side.count; k++) {
    const p = side.priceAt(k);
    if (!side.better(p, price)) break;
    if (!touched.includes(p)) return false;
  }
  return side.sizeOf(price) === size || touched.includes(price);
}

/** Replays a recording session with the collector attached and returns the comparison report. */
export async function checkBookTickers(prefix: string, options: RecordingReplayOptions = {}): Promise<{ report: TickerCheckReport; replay: BinanceRecordingReplay }> {
  const collector = new TickerCheckCollector();
  const replay = await BinanceRecordingReplay.open(prefix, { ...options, observer: collector });
  for await (const batch of replay.batches()) void batch;
  return { report: collector.report(), replay };
}
