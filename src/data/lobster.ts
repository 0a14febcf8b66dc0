import { InstrumentRegistry, type Instrument, type InstrumentSpec } from '../market/instrument.ts';
import type { BookSnapshotEvent, L3Action, L3Event, MarketStatus, StatusEvent, TradeEvent } from '../market/market-data.ts';
import type { Side } from '../market/order.ts';
import { DataError } from '../core/errors.ts';
import { BatchSource } from './batch-source.ts';
import { LOBSTER_PRICE_PRECISION, LobsterType, lobsterDayStartUs, lobsterSymbol, type LobsterTimeOptions } from './lobster-format.ts';
import { readLobsterBookBlocks, readLobsterMessageBlocks, type LobsterMessageBlock, type LobsterReadOptions } from './lobster-parse.ts';

/**
 * LOBSTER loaders (docs/lobster.md): message files become normalized events, order-book files
 * become book snapshots. Everything streams (one chunk of the file in memory) and names file:line
 * on bad input. The exact book reconstruction is in `lobster-reconstruct.ts`.
 *
 * Conversion of one message row (price units are USD x 10000, the instrument's pricePrecision 4):
 * - type 1 -> L3 `add`; 2 -> `cancel` (partial); 3 -> `delete`; 4 -> `execute` plus a trade;
 * - type 5 -> L3 `hidden-execute` plus a trade; 6 (cross trade) -> a trade only;
 * - type 7 -> a status event: price -1 HALT, 0 QUOTING, 1 RESUME.
 * The L3 side is the resting order's side (direction 1 = BUY, -1 = SELL); a trade's aggressor is
 * the opposite side (executing a sell limit order is a buyer-initiated trade). Cross trades have
 * no aggressor.
 *
 * Time: LOBSTER gives seconds after midnight with up to 9 decimals, in New York time for the NASDAQ
 * samples. Events carry integer UTC microseconds: local midnight of the file's date (from the name,
 * or `date`) in `timeZone` (default America/New_York; or a fixed `utcOffsetMinutes`) plus the time
 * rounded half up to the microsecond. Several messages may share a microsecond; the stream keeps
 * the file order, and `sequence` (the 0-based message row) breaks ties.
 */

/** A normalized LOBSTER event with its place in the file. */
export type LobsterEvent = (L3Event | TradeEvent | StatusEvent) & {
  /** 0-based message row: the tie-breaker among events of one microsecond (a trade shares its execution's). */
  sequence: number;
};

/** A book snapshot of one order-book row, with its row number. */
export type LobsterSnapshotEvent = BookSnapshotEvent;

/** Options of the LOBSTER event loaders. */
export interface LobsterEventOptions extends LobsterReadOptions, LobsterTimeOptions {
  /** The instrument (default: one made in `registry` with the symbol from the file name, pricePrecision 4). */
  instrument?: Instrument;
  /** Symbol of the made instrument (default: from the file name, e.g. `AAPL`). */
  symbol?: string;
  /** Registry that makes the instrument (default: a new one). */
  registry?: InstrumentRegistry;
}

/**
 * The instrument of a LOBSTER file: `options.instrument`, or an equity on NASDAQ in USD with price
 * precision 4 (LOBSTER prices are USD x 10000), size precision 0, tick 1 unit (hidden executions
 * can be at sub-penny midpoints).
 */
export function lobsterInstrument(path: string, options: LobsterEventOptions = {}): Instrument {
  if (options.instrument) {
    if (options.instrument.pricePrecision !== LOBSTER_PRICE_PRECISION || options.instrument.sizePrecision !== 0) {
      throw new RangeError(`instrument ${options.instrument.symbol} must have pricePrecision 4 and sizePrecision 0 for LOBSTER files (it has ${options.instrument.pricePrecision} and ${options.instrument.sizePrecision})`);
    }
    return options.instrument;
  }
  const spec: InstrumentSpec = { symbol: options.symbol ?? lobsterSymbol(path), venue: 'NASDAQ', assetClass: 'equity', currency: 'USD', pricePrecision: LOBSTER_PRICE_PRECISION, sizePrecision: 0 };
  return (options.registry ?? new InstrumentRegistry()).add(spec);
}

const L3_ACTIONS: readonly (L3Action | undefined)[] = [undefined, 'add', 'cancel', 'delete', 'execute', 'hidden-execute'];
const HALT_STATUS: Record<number, MarketStatus> = { [-1]: 'HALT', 0: 'QUOTING', 1: 'RESUME' };

/**
 * Converts rows `[from, to)` of a message block into events, appending to `out`. `dayStartUs` is
 * UTC microseconds of local midnight (`lobsterDayStartUs`).
 */
export function lobsterBlockEvents(block: LobsterMessageBlock, from: number, to: number, instrument: Instrument, dayStartUs: number, out: LobsterEvent[]): void {
  for (let i = from; i < to; i++) {
    const type = block.type[i]!;
    const time = dayStartUs + block.timeUs[i]!;
    const sequence = block.firstRow + i;
    const price = block.price[i]!;
    const size = block.size[i]!;
    const side: Side = block.direction[i] === 1 ? 'BUY' : 'SELL';
    if (type <= LobsterType.HiddenExecute) {
      out.push({ kind: 'l3', time, instrument, action: L3_ACTIONS[type]!, orderId: block.orderId[i]!, side, price, size, sequence });
    }
    if (type === LobsterType.Execute || type === LobsterType.HiddenExecute || type === LobsterType.Cross) {
      const aggressor: Side | undefined = type === LobsterType.Cross ? undefined : side === 'BUY' ? 'SELL' : 'BUY';
      out.push({ kind: 'trade', time, instrument, price: instrument.price(price), size: instrument.size(size), aggressor, sequence });
    } else if (type === LobsterType.Halt) {
      const status = HALT_STATUS[price]!;
      out.push({ kind: 'status', time, instrument, status, reason: `LOBSTER trading-halt message (type 7, price ${price})`, sequence });
    }
  }
}

/**
 * Streams a LOBSTER message file as batches of normalized events (one batch per chunk read).
 * Throws a `DataError` naming file:line on bad input.
 */
export async function* readLobsterBatches(messagesPath: string, options: LobsterEventOptions = {}): AsyncGenerator<LobsterEvent[]> {
  const instrument = lobsterInstrument(messagesPath, options);
  const dayStart = lobsterDayStartUs(messagesPath, options);
  for await (const block of readLobsterMessageBlocks(messagesPath, options)) {
    const out: LobsterEvent[] = [];
    lobsterBlockEvents(block, 0, block.length, instrument, dayStart, out);
    yield out;
  }
}

/** A LOBSTER message file as a pull `EventSource` for the engine's merge (through `BatchSource`). */
export function lobsterSource(messagesPath: string, options: LobsterEventOptions = {}): BatchSource<LobsterEvent> {
  return new BatchSource<LobsterEvent>(messagesPath, readLobsterBatches(messagesPath, options), (e) => ({ file: messagesPath, line: e.sequence + 1 }));
}

/**
 * Streams an order-book file as one `book-snapshot` event per row (top N levels, best first; empty
 * slots left out), timed by the paired message file (row i is the book after message i) and
 * `sequence` = the row index. Throws a `DataError` when the files do not pair row by row.
 */
export async function* readLobsterSnapshotBatches(messagesPath: string, orderbookPath: string, levels: number, options: LobsterEventOptions = {}): AsyncGenerator<LobsterSnapshotEvent[]> {
  const instrument = lobsterInstrument(messagesPath, options);
  const dayStart = lobsterDayStartUs(messagesPath, options);
  const mIt = readLobsterMessageBlocks(messagesPath, options);
  const bIt = readLobsterBookBlocks(orderbookPath, levels, options);
  try {
    let m = await mIt.next();
    let mi = 0;
    for await (const b of bIt) {
      const out: LobsterSnapshotEvent[] = [];
      for (let r = 0; r < b.length; r++) {
        while (!m.done && mi >= m.value.length) {
          m = await mIt.next();
          mi = 0;
        }
        if (m.done) throw new DataError(orderbookPath, b.firstRow + r + 1, undefined, `the order-book file has more rows than the message file ${messagesPath}`);
        const snap: LobsterSnapshotEvent = { kind: 'book-snapshot', time: dayStart + m.value.timeUs[mi]!, instrument, bidPrices: [], bidSizes: [], askPrices: [], askSizes: [], sequence: b.firstRow + r };
        const o = r * 4 * levels;
        for (let k = 0; k < levels; k++) {
          const as = b.data[o + 4 * k + 1]!;
          if (as !== 0) {
            snap.askPrices.push(b.data[o + 4 * k]!);
            snap.askSizes.push(as);
          }
          const bs = b.data[o + 4 * k + 3]!;
          if (bs !== 0) {
            snap.bidPrices.push(b.data[o + 4 * k + 2]!);
            snap.bidSizes.push(bs);
          }
        }
        out.push(snap);
        mi++;
      }
      yield out;
    }
    while (!m.done && mi >= m.value.length) {
      m = await mIt.next();
      mi = 0;
    }
    if (!m.done) throw new DataError(messagesPath, m.value.firstRow + mi + 1, undefined, `the message file has more rows than the order-book file ${orderbookPath}`);
  } finally {
    await Promise.allSettled([mIt.return(undefined), bIt.return(undefined)]);
  }
}

export { reconstructLobster, reconstructLobsterColumns, LobsterReconstructor, type LobsterReconstructionOptions, type LobsterReconstructionResult } from './lobster-reconstruct.ts';
export {
  readLobsterMessageBlocks,
  readLobsterBookBlocks,
  loadLobsterMessages,
  loadLobsterBook,
  LobsterMessageParser,
  LobsterBookParser,
  checkBookRow,
  MAX_BOOK_PRICE,
  type LobsterMessageBlock,
  type LobsterBookBlock,
  type LobsterReadOptions,
} from './lobster-parse.ts';
export {
  LobsterType,
  EMPTY_ASK_PRICE,
  EMPTY_BID_PRICE,
  LOBSTER_PRICE_PRECISION,
  DEFAULT_LOBSTER_TIME_ZONE,
  parseLobsterFileName,
  lobsterDayStartUs,
  lobsterSymbol,
  zoneOffsetMinutes,
  type LobsterFileName,
  type LobsterTimeOptions,
} from './lobster-format.ts';
export { LobsterBook, LevelSide, ApplyCode } from './lobster-book.ts';
export { LobsterOrderMap } from './lobster-orders.ts';
