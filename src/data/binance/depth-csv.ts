import { basename } from 'node:path';
import { DataError } from '../../core/errors.ts';
import { InstrumentRegistry, type Instrument } from '../../market/instrument.ts';
import type { BookDeltaEvent, BookSnapshotEvent, EventSource } from '../../market/market-data.ts';
import { BatchSource } from '../batch-source.ts';
import { CsvCursor, readTextChunks } from '../csv-reader.ts';
import { explainNumber, parseEpochAt, parseUnitsAt } from '../csv-fields.ts';

/**
 * Order-book CSV files about Binance, streaming:
 *
 * - Binance historical order-book rows (the futures `bookDepth`/`depth` dumps nautilus reads),
 *   header `symbol,timestamp,first_update_id,last_update_id,side,update_type,price,qty,pu`,
 *   side `b`/`a`, update_type `snap` or `set`, qty 0 = delete, timestamp in ms. Consecutive rows with
 *   the same update_type, last_update_id and timestamp form one batch: a `snap` batch becomes one
 *   `BookSnapshotEvent` (sequence = last_update_id), a `set` batch one `BookDeltaEvent` per row
 *   (sequence = last_update_id, `last` on the batch's final row).
 * - Tardis.dev `book_snapshot_N` CSVs: `exchange,symbol,timestamp,local_timestamp` then
 *   `asks[i].price, asks[i].amount, bids[i].price, bids[i].amount` for i = 0..N-1 (µs timestamps;
 *   empty cells = no level). Each row becomes a `BookSnapshotEvent` with sequence 0 at `timestamp`
 *   (exchange time; `tardisTime: 'local'` uses local_timestamp).
 *
 * Prices and sizes are exact integer units; without an instrument a first pass finds the precisions.
 */

/** Options of the order-book CSV loaders. */
export interface DepthCsvOptions {
  instrument?: Instrument;
  /** Symbol of an inferred instrument (default: the `symbol` column of the first row). */
  symbol?: string;
  pricePrecision?: number;
  sizePrecision?: number;
  registry?: InstrumentRegistry;
  /** Venue of an inferred instrument (default `BINANCE_FUTURES`). */
  venue?: string;
  /** Tardis: which time stamps a snapshot (default `exchange`). */
  tardisTime?: 'exchange' | 'local';
  highWaterMark?: number;
}

const DEPTH_HEADER = ['symbol', 'timestamp', 'first_update_id', 'last_update_id', 'side', 'update_type', 'price', 'qty', 'pu'];

function sigDecimals(s: string, a: number, b: number): number {
  while (b > a && s.charCodeAt(b - 1) === 32) b--;
  const dot = s.indexOf('.', a);
  if (dot < 0 || dot >= b) return 0;
  while (b > dot + 1 && s.charCodeAt(b - 1) === 48) b--;
  return b - dot - 1;
}

function units(c: CsvCursor, col: number, precision: number, file: string, field: string): number {
  const n = parseUnitsAt(c.text, c.start[col]!, c.end[col]!, precision);
  if (!(n >= 0)) throw new DataError(file, c.line, field, n < 0 ? `negative value '${c.field(col)}'` : explainNumber(c.field(col), precision));
  return n;
}

function intField(c: CsvCursor, col: number, file: string, field: string): number {
  const n = parseUnitsAt(c.text, c.start[col]!, c.end[col]!, 0);
  if (!Number.isSafeInteger(n)) throw new DataError(file, c.line, field, `expected an integer, got '${c.field(col)}'`);
  return n;
}

/** Price/size column indexes of a header: for the depth rows (7, 8) or every Tardis `.price`/`.amount` column. */
interface Scan {
  symbol: string;
  price: number;
  size: number;
}

async function scan(path: string, priceCols: (h: string[]) => number[], sizeCols: (h: string[]) => number[], symbolCol: number, highWaterMark?: number): Promise<Scan> {
  const c = new CsvCursor();
  let header: string[] | undefined;
  let pc: number[] = [];
  let sc: number[] = [];
  let symbol = '';
  let mp = 0;
  let ms = 0;
  for await (const chunk of readTextChunks(path, { highWaterMark })) {
    c.load(chunk);
    while (c.next()) {
      if (!header) {
        header = c.fields().map((f) => f.trim());
        pc = priceCols(header);
        sc = sizeCols(header);
        continue;
      }
      if (!symbol) symbol = c.field(symbolCol).trim();
      for (const k of pc) if (k < c.count) mp = Math.max(mp, sigDecimals(c.text, c.start[k]!, c.end[k]!));
      for (const k of sc) if (k < c.count) ms = Math.max(ms, sigDecimals(c.text, c.start[k]!, c.end[k]!));
    }
  }
  return { symbol: symbol || basename(path).split(/[-_.]/)[0]!, price: mp, size: ms };
}

async function instrumentFor(path: string, options: DepthCsvOptions, s: () => Promise<Scan>): Promise<Instrument> {
  if (options.instrument) return options.instrument;
  const registry = options.registry ?? new InstrumentRegistry();
  if (options.symbol && registry.get(options.symbol)) return registry.get(options.symbol)!;
  const sc = options.pricePrecision !== undefined && options.sizePrecision !== undefined && options.symbol ? undefined : await s();
  const symbol = options.symbol ?? sc!.symbol;
  return (
    registry.get(symbol) ??
    registry.add({ symbol, venue: options.venue ?? 'BINANCE_FUTURES', assetClass: 'crypto', pricePrecision: options.pricePrecision ?? sc!.price, sizePrecision: options.sizePrecision ?? sc!.size })
  );
}

/** The instrument of a depth-rows file (given, or inferred by a first pass). */
export function inferDepthRowsInstrument(path: string, options: DepthCsvOptions = {}): Promise<Instrument> {
  return instrumentFor(path, options, () => scan(path, () => [6], () => [7], 0, options.highWaterMark));
}

/** Events of a Binance depth-rows file, in batches (one array per chunk; a batch of rows may straddle two arrays). */
export async function* readDepthRowBatches(path: string, instrument: Instrument, options: DepthCsvOptions = {}): AsyncGenerator<(BookSnapshotEvent | BookDeltaEvent)[]> {
  const c = new CsvCursor();
  const inst = instrument;
  let header = false;
  // the open batch
  let gType = '';
  let gId = NaN;
  let gTime = NaN;
  let snap: BookSnapshotEvent | undefined;
  let pendingDelta: BookDeltaEvent | undefined;
  let lastTime = -Infinity;
  let out: (BookSnapshotEvent | BookDeltaEvent)[] = [];
  const closeGroup = (): void => {
    if (snap) {
      sortSnapshot(snap);
      out.push(snap);
      snap = undefined;
    }
    if (pendingDelta) {
      pendingDelta.last = true;
      out.push(pendingDelta);
      pendingDelta = undefined;
    }
  };
  for await (const chunk of readTextChunks(path, { highWaterMark: options.highWaterMark })) {
    c.load(chunk);
    while (c.next()) {
      if (!header) {
        const h = c.fields().map((f) => f.trim().toLowerCase());
        if (h.slice(0, 8).join(',') !== DEPTH_HEADER.slice(0, 8).join(',')) {
          throw new DataError(path, c.line, undefined, `expected the header ${DEPTH_HEADER.join(',')}, got ${h.join(',')}`);
        }
        header = true;
        continue;
      }
      if (c.count < 8) throw new DataError(path, c.line, undefined, `expected ${DEPTH_HEADER.length} columns, got ${c.count}`);
      const sym = c.field(0).trim();
      if (sym !== inst.symbol) throw new DataError(path, c.line, 'symbol', `unknown symbol '${sym}' (this file is read as ${inst.symbol})`);
      const t = parseEpochAt(c.text, c.start[1]!, c.end[1]!, 3);
      if (!Number.isFinite(t)) throw new DataError(path, c.line, 'timestamp', `'${c.field(1)}' is not a millisecond time`);
      const id = intField(c, 3, path, 'last_update_id');
      const sideText = c.field(4).trim();
      if (sideText !== 'b' && sideText !== 'a') throw new DataError(path, c.line, 'side', `expected b or a, got '${sideText}'`);
      const type = c.field(5).trim();
      if (type !== 'snap' && type !== 'set') throw new DataError(path, c.line, 'update_type', `expected snap or set, got '${type}'`);
      const px = units(c, 6, inst.pricePrecision, path, 'price');
      const q = units(c, 7, inst.sizePrecision, path, 'qty');
      if (t < lastTime) throw new DataError(path, c.line, 'timestamp', `out of order: '${c.field(1)}' is earlier than the previous row`);
      lastTime = t;
      if (type !== gType || id !== gId || t !== gTime) {
        closeGroup();
        gType = type;
        gId = id;
        gTime = t;
      }
      const bid = sideText === 'b';
      if (type === 'snap') {
        snap ??= { kind: 'book-snapshot', time: t, instrument: inst, bidPrices: [], bidSizes: [], askPrices: [], askSizes: [], sequence: id };
        if (q > 0) {
          (bid ? snap.bidPrices : snap.askPrices).push(px);
          (bid ? snap.bidSizes : snap.askSizes).push(q);
        }
      } else {
        if (pendingDelta) out.push(pendingDelta);
        pendingDelta = { kind: 'book-delta', time: t, instrument: inst, side: bid ? 'BUY' : 'SELL', price: px, size: q, sequence: id, last: false };
      }
    }
    if (out.length > 0) {
      yield out;
      out = [];
    }
  }
  closeGroup();
  if (out.length > 0) yield out;
}

/** Sorts a snapshot's levels best first (bids descending, asks ascending). */
function sortSnapshot(s: BookSnapshotEvent): void {
  const order = (prices: number[], sizes: number[], desc: boolean): void => {
    const idx = prices.map((_, i) => i).sort((a, b) => (desc ? prices[b]! - prices[a]! : prices[a]! - prices[b]!));
    const p = idx.map((i) => prices[i]!);
    const q = idx.map((i) => sizes[i]!);
    prices.splice(0, prices.length, ...p);
    sizes.splice(0, sizes.length, ...q);
  };
  order(s.bidPrices, s.bidSizes, true);
  order(s.askPrices, s.askSizes, false);
}

/** An `EventSource` over a depth-rows file. */
export async function loadDepthRowsCsv(path: string, options: DepthCsvOptions = {}): Promise<{ instrument: Instrument; source: EventSource<BookSnapshotEvent | BookDeltaEvent> }> {
  const instrument = await inferDepthRowsInstrument(path, options);
  return { instrument, source: new BatchSource(path, readDepthRowBatches(path, instrument, options)) };
}

// ---------------------------------------------------------------------------------------------
// Tardis book_snapshot_N

const TARDIS_LEVEL = /^(asks|bids)\[(\d+)\]\.(price|amount)$/;

/** The instrument of a Tardis snapshot file (given, or inferred by a first pass). */
export function inferTardisInstrument(path: string, options: DepthCsvOptions = {}): Promise<Instrument> {
  return instrumentFor(path, options, () =>
    scan(
      path,
      (h) => h.flatMap((n, i) => (/\.price$/.test(n) ? [i] : [])),
      (h) => h.flatMap((n, i) => (/\.amount$/.test(n) ? [i] : [])),
      1,
      options.highWaterMark,
    ),
  );
}

/** Snapshots of a Tardis `book_snapshot_N` file, in batches. */
export async function* readTardisSnapshotBatches(path: string, instrument: Instrument, options: DepthCsvOptions = {}): AsyncGenerator<BookSnapshotEvent[]> {
  const c = new CsvCursor();
  const inst = instrument;
  let cols: { side: 'asks' | 'bids'; level: number; price: number; amount: number }[] | undefined;
  let timeCol = 2;
  let symbolCol = 1;
  let width = 0;
  let lastTime = -Infinity;
  for await (const chunk of readTextChunks(path, { highWaterMark: options.highWaterMark })) {
    c.load(chunk);
    const out: BookSnapshotEvent[] = [];
    while (c.next()) {
      if (!cols) {
        const h = c.fields().map((f) => f.trim());
        width = h.length;
        timeCol = h.indexOf(options.tardisTime === 'local' ? 'local_timestamp' : 'timestamp');
        symbolCol = h.indexOf('symbol');
        if (timeCol < 0 || symbolCol < 0) throw new DataError(path, c.line, undefined, 'expected a Tardis header with symbol, timestamp and local_timestamp');
        const found = new Map<string, { side: 'asks' | 'bids'; level: number; price: number; amount: number }>();
        h.forEach((name, i) => {
          const m = TARDIS_LEVEL.exec(name);
          if (!m) return;
          const key = `${m[1]}${m[2]}`;
          const e = found.get(key) ?? { side: m[1] as 'asks' | 'bids', level: Number(m[2]), price: -1, amount: -1 };
          if (m[3] === 'price') e.price = i;
          else e.amount = i;
          found.set(key, e);
        });
        cols = [...found.values()].sort((a, b) => a.level - b.level);
        for (const e of cols) if (e.price < 0 || e.amount < 0) throw new DataError(path, c.line, `${e.side}[${e.level}]`, 'price or amount column missing');
        continue;
      }
      if (c.count !== width) throw new DataError(path, c.line, undefined, `expected ${width} columns, got ${c.count}`);
      const sym = c.field(symbolCol).trim();
      if (sym !== inst.symbol) throw new DataError(path, c.line, 'symbol', `unknown symbol '${sym}' (this file is read as ${inst.symbol})`);
      const t = parseEpochAt(c.text, c.start[timeCol]!, c.end[timeCol]!, 6);
      if (!Number.isFinite(t)) throw new DataError(path, c.line, 'timestamp', `'${c.field(timeCol)}' is not a microsecond time`);
      if (t < lastTime) throw new DataError(path, c.line, 'timestamp', `out of order: '${c.field(timeCol)}' is earlier than the previous row`);
      lastTime = t;
      const s: BookSnapshotEvent = { kind: 'book-snapshot', time: t, instrument: inst, bidPrices: [], bidSizes: [], askPrices: [], askSizes: [], sequence: 0 };
      for (const e of cols) {
        if (c.start[e.price] === c.end[e.price]) continue; // no level
        const px = units(c, e.price, inst.pricePrecision, path, `${e.side}[${e.level}].price`);
        const q = units(c, e.amount, inst.sizePrecision, path, `${e.side}[${e.level}].amount`);
        (e.side === 'bids' ? s.bidPrices : s.askPrices).push(px);
        (e.side === 'bids' ? s.bidSizes : s.askSizes).push(q);
      }
      out.push(s);
    }
    if (out.length > 0) yield out;
  }
}

/** An `EventSource` over a Tardis snapshot file. */
export async function loadTardisSnapshotsCsv(path: string, options: DepthCsvOptions = {}): Promise<{ instrument: Instrument; source: EventSource<BookSnapshotEvent> }> {
  const instrument = await inferTardisInstrument(path, options);
  return { instrument, source: new BatchSource(path, readTardisSnapshotBatches(path, instrument, options)) };
}
