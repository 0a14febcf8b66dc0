import type { Instrument } from '../market/instrument.ts';
import type { Side } from '../market/order.ts';
import type { ReplayBook } from '../market/replay/replay-book.ts';
import type { BookView } from './strategy.ts';

/** What a book view reads, in integer units: the matching engine's `OrderBook` has it; replayed books are adapted. */
export interface LevelSource {
  bestBid(): number;
  bestAsk(): number;
  levelCount(side: Side): number;
  levelPrice(side: Side, index: number): number;
  levelSize(side: Side, index: number): number;
}

/** A replayed book as a `LevelSource` (sizes as the data gives them, before what our orders took). */
export class ReplayLevels implements LevelSource {
  constructor(private readonly book: ReplayBook) {}
  bestBid(): number {
    return this.book.bestBid();
  }
  bestAsk(): number {
    return this.book.bestAsk();
  }
  levelCount(side: Side): number {
    return (side === 'BUY' ? this.book.bids : this.book.asks).depth;
  }
  levelPrice(side: Side, index: number): number {
    return (side === 'BUY' ? this.book.bids : this.book.asks).at(index)?.price ?? NaN;
  }
  levelSize(side: Side, index: number): number {
    return (side === 'BUY' ? this.book.bids : this.book.asks).at(index)?.size ?? NaN;
  }
}

/** The live book as a strategy sees it, in decimals, without copying (valid during the hook call). */
export class LiveBookView implements BookView {
  time = 0;
  constructor(readonly instrument: Instrument, private readonly book: LevelSource) {}
  bestBid(): number {
    return this.instrument.price(this.book.bestBid());
  }
  bestAsk(): number {
    return this.instrument.price(this.book.bestAsk());
  }
  levelCount(side: Side): number {
    return this.book.levelCount(side);
  }
  levelPrice(side: Side, index: number): number {
    return this.instrument.price(this.book.levelPrice(side, index));
  }
  levelSize(side: Side, index: number): number {
    return this.instrument.size(this.book.levelSize(side, index));
  }
}

/** A copy of the top `depth` levels of each side, taken when the book changed (for delivery after latency). */
export class SnapshotBookView implements BookView {
  private readonly prices: Record<Side, number[]> = { BUY: [], SELL: [] };
  private readonly sizes: Record<Side, number[]> = { BUY: [], SELL: [] };
  constructor(readonly instrument: Instrument, book: LevelSource, readonly time: number, depth: number) {
    for (const side of ['BUY', 'SELL'] as const) {
      const n = Math.min(depth, book.levelCount(side));
      for (let i = 0; i < n; i++) {
        this.prices[side].push(instrument.price(book.levelPrice(side, i)));
        this.sizes[side].push(instrument.size(book.levelSize(side, i)));
      }
    }
  }
  bestBid(): number {
    return this.prices.BUY[0] ?? NaN;
  }
  bestAsk(): number {
    return this.prices.SELL[0] ?? NaN;
  }
  levelCount(side: Side): number {
    return this.prices[side].length;
  }
  levelPrice(side: Side, index: number): number {
    return this.prices[side][index] ?? NaN;
  }
  levelSize(side: Side, index: number): number {
    return this.sizes[side][index] ?? NaN;
  }
}
