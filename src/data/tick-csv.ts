import { DataError } from '../core/errors.ts';
import type { Instrument } from '../market/instrument.ts';
import type { QuoteEvent, TradeEvent } from '../market/market-data.ts';
import type { Side } from '../market/order.ts';
import { BatchSource } from './batch-source.ts';
import type { CsvCursor } from './csv-reader.ts';
import {
  checkTick,
  newLoadStats,
  readCsvBatches,
  readUnits,
  resolveColumn,
  resolveInstrument,
  resolveTimeColumns,
  TimeReader,
  type ColumnRef,
  type CsvLayout,
  type CsvOptions,
  type InstrumentOptions,
  type LoadStats,
  type PrecisionColumns,
  type RowDecoder,
} from './csv-table.ts';

/**
 * Trade and quote CSV loaders: the same streaming, exact parsing and error rules as the bar loader
 * (docs/data.md). Trades: time, price, size and an optional aggressor side. Quotes: time, bid,
 * bid size, ask, ask size; a crossed or locked quote (bid >= ask) is an error unless `allowCrossed`.
 */

/** Where each trade field is. Unnamed fields are found by header name. */
export interface TradeColumns {
  time?: ColumnRef;
  timeOfDay?: ColumnRef;
  price?: ColumnRef;
  size?: ColumnRef;
  /** Optional aggressor side: buy/sell, b/s, 1/-1, bid/ask (`bid` = seller hit the bid = SELL); empty = unknown. */
  side?: ColumnRef;
}

/** Options of `readTradeBatches`. */
export interface TradeCsvOptions extends CsvOptions, InstrumentOptions {
  columns?: TradeColumns;
}

/** Where each quote field is. Unnamed fields are found by header name. */
export interface QuoteColumns {
  time?: ColumnRef;
  timeOfDay?: ColumnRef;
  bid?: ColumnRef;
  bidSize?: ColumnRef;
  ask?: ColumnRef;
  askSize?: ColumnRef;
}

/** Options of `readQuoteBatches`. */
export interface QuoteCsvOptions extends CsvOptions, InstrumentOptions {
  columns?: QuoteColumns;
  /** Accept bid >= ask (default false: a crossed or locked quote is an error). */
  allowCrossed?: boolean;
}

const TRADE_ALIASES = {
  price: ['price', 'px', 'p', 'tradeprice', 'last'],
  size: ['size', 'qty', 'quantity', 'volume', 'amount', 'sz', 'q', 'tradesize'],
  side: ['side', 'aggressor', 'aggressorside', 'takerside', 'direction'],
} as const;

const QUOTE_ALIASES = {
  bid: ['bid', 'bidprice', 'bidpx', 'bp', 'bestbid'],
  bidSize: ['bidsize', 'bidqty', 'bidsz', 'bs', 'bq', 'bidvolume', 'bidamount'],
  ask: ['ask', 'askprice', 'askpx', 'ap', 'bestask', 'offer'],
  askSize: ['asksize', 'askqty', 'asksz', 'as', 'aq', 'askvolume', 'askamount', 'offersize'],
} as const;

/** Spellings of an aggressor side. `bid`/`ask` name the side that was hit (hitting the bid is a sell). */
const SIDES = new Map<string, Side | undefined>([
  ['', undefined],
  ['buy', 'BUY'],
  ['b', 'BUY'],
  ['1', 'BUY'],
  ['+1', 'BUY'],
  ['ask', 'BUY'],
  ['sell', 'SELL'],
  ['s', 'SELL'],
  ['-1', 'SELL'],
  ['bid', 'SELL'],
]);

/** The aggressor side of a field, undefined when empty; throws on anything else. */
function parseSide(c: CsvCursor, col: number, file: string): Side | undefined {
  const raw = c.field(col);
  let side = SIDES.get(raw);
  if (side === undefined && !SIDES.has(raw)) {
    const norm = raw.trim().toLowerCase();
    side = SIDES.get(norm);
    if (side === undefined && !SIDES.has(norm)) {
      throw new DataError(file, c.line, 'side', `unknown side '${raw}' (expected buy/sell, b/s, 1/-1, bid/ask or empty)`);
    }
  }
  return side;
}

interface TradeLayout {
  time: number;
  tod: number;
  price: number;
  size: number;
  side: number;
}

function resolveTradeColumns(layout: CsvLayout, options: TradeCsvOptions): TradeLayout {
  const cols = options.columns ?? {};
  const { time, tod } = resolveTimeColumns(layout, cols.time, cols.timeOfDay);
  const base = (tod >= 0 ? tod : time) + 1;
  return {
    time,
    tod,
    price: resolveColumn(layout, 'price', cols.price, TRADE_ALIASES.price, base, true),
    size: resolveColumn(layout, 'size', cols.size, TRADE_ALIASES.size, base + 1, true),
    side: resolveColumn(layout, 'side', cols.side, TRADE_ALIASES.side, base + 2, false),
  };
}

class TradeDecoder implements RowDecoder<TradeEvent> {
  private lastTime = -Infinity;
  private readonly p: number;
  private readonly sp: number;
  private readonly tickCheck: boolean;

  constructor(
    private readonly file: string,
    private readonly inst: Instrument,
    private readonly cols: TradeLayout,
    private readonly time: TimeReader,
  ) {
    this.p = inst.pricePrecision;
    this.sp = inst.sizePrecision;
    this.tickCheck = inst.tickUnits !== 1;
  }

  decode(c: CsvCursor): TradeEvent {
    const f = this.file;
    const k = this.cols;
    const t = this.time.read(c);
    const px = readUnits(c, k.price, this.p, f, 'price');
    const sz = readUnits(c, k.size, this.sp, f, 'size');
    if (px < 0) throw new DataError(f, c.line, 'price', `negative price ${c.field(k.price)}`);
    if (sz < 0) throw new DataError(f, c.line, 'size', `negative size ${c.field(k.size)}`);
    if (this.tickCheck) checkTick(px, this.inst, c, k.price, f, 'price');
    const aggressor = k.side >= 0 ? parseSide(c, k.side, f) : undefined;
    if (t < this.lastTime) throw new DataError(f, c.line, 'time', `out of order: '${c.field(k.time)}' is earlier than the previous row`);
    this.lastTime = t;
    const inst = this.inst;
    return { kind: 'trade', time: t, instrument: inst, price: inst.price(px), size: inst.size(sz), aggressor };
  }
}

interface QuoteLayout {
  time: number;
  tod: number;
  bid: number;
  bidSize: number;
  ask: number;
  askSize: number;
}

function resolveQuoteColumns(layout: CsvLayout, options: QuoteCsvOptions): QuoteLayout {
  const cols = options.columns ?? {};
  const { time, tod } = resolveTimeColumns(layout, cols.time, cols.timeOfDay);
  const base = (tod >= 0 ? tod : time) + 1;
  return {
    time,
    tod,
    bid: resolveColumn(layout, 'bid', cols.bid, QUOTE_ALIASES.bid, base, true),
    bidSize: resolveColumn(layout, 'bidSize', cols.bidSize, QUOTE_ALIASES.bidSize, base + 1, true),
    ask: resolveColumn(layout, 'ask', cols.ask, QUOTE_ALIASES.ask, base + 2, true),
    askSize: resolveColumn(layout, 'askSize', cols.askSize, QUOTE_ALIASES.askSize, base + 3, true),
  };
}

class QuoteDecoder implements RowDecoder<QuoteEvent> {
  private lastTime = -Infinity;
  private readonly p: number;
  private readonly sp: number;
  private readonly tickCheck: boolean;
  private readonly allowCrossed: boolean;

  constructor(
    private readonly file: string,
    private readonly inst: Instrument,
    private readonly cols: QuoteLayout,
    private readonly time: TimeReader,
    options: QuoteCsvOptions,
  ) {
    this.p = inst.pricePrecision;
    this.sp = inst.sizePrecision;
    this.tickCheck = inst.tickUnits !== 1;
    this.allowCrossed = options.allowCrossed ?? false;
  }

  decode(c: CsvCursor): QuoteEvent {
    const f = this.file;
    const k = this.cols;
    const t = this.time.read(c);
    const bid = readUnits(c, k.bid, this.p, f, 'bid');
    const bidSize = readUnits(c, k.bidSize, this.sp, f, 'bidSize');
    const ask = readUnits(c, k.ask, this.p, f, 'ask');
    const askSize = readUnits(c, k.askSize, this.sp, f, 'askSize');
    if (bid < 0) throw new DataError(f, c.line, 'bid', `negative price ${c.field(k.bid)}`);
    if (bidSize < 0) throw new DataError(f, c.line, 'bidSize', `negative size ${c.field(k.bidSize)}`);
    if (ask < 0) throw new DataError(f, c.line, 'ask', `negative price ${c.field(k.ask)}`);
    if (askSize < 0) throw new DataError(f, c.line, 'askSize', `negative size ${c.field(k.askSize)}`);
    if (this.tickCheck) {
      checkTick(bid, this.inst, c, k.bid, f, 'bid');
      checkTick(ask, this.inst, c, k.ask, f, 'ask');
    }
    if (bid >= ask && !this.allowCrossed) {
      throw new DataError(f, c.line, 'ask', `crossed quote: bid ${c.field(k.bid)} >= ask ${c.field(k.ask)} (set allowCrossed to accept)`);
    }
    if (t < this.lastTime) throw new DataError(f, c.line, 'time', `out of order: '${c.field(k.time)}' is earlier than the previous row`);
    this.lastTime = t;
    const inst = this.inst;
    return {
      kind: 'quote',
      time: t,
      instrument: inst,
      bidPrice: inst.price(bid),
      bidSize: inst.size(bidSize),
      askPrice: inst.price(ask),
      askSize: inst.size(askSize),
    };
  }
}

/**
 * Streams the trades of a CSV file as batches (one array per chunk read), checked row by row.
 * Example, backtrader's ticksample.csv read as trades:
 * `readTradeBatches(path, { instrument, columns: { time: 'Datetime', price: 'Close', size: 'Volume' } })`.
 */
export function readTradeBatches(path: string, options: TradeCsvOptions & { instrument: Instrument }): AsyncGenerator<TradeEvent[]> {
  const inst = options.instrument;
  return readCsvBatches<TradeEvent>(path, options, (layout, first) => {
    const cols = resolveTradeColumns(layout, options);
    return new TradeDecoder(path, inst, cols, new TimeReader(path, cols.time, cols.tod, options.timeFormat ?? 'auto', first, layout));
  });
}

/** Streams the quotes (L1) of a CSV file as batches (one array per chunk read), checked row by row. */
export function readQuoteBatches(path: string, options: QuoteCsvOptions & { instrument: Instrument }): AsyncGenerator<QuoteEvent[]> {
  const inst = options.instrument;
  return readCsvBatches<QuoteEvent>(path, options, (layout, first) => {
    const cols = resolveQuoteColumns(layout, options);
    return new QuoteDecoder(path, inst, cols, new TimeReader(path, cols.time, cols.tod, options.timeFormat ?? 'auto', first, layout), options);
  });
}

/** The instrument of a trade file: given, or inferred (symbol from the file name, precision from a first pass). */
export function inferTradeInstrument(path: string, options: TradeCsvOptions = {}): Promise<Instrument> {
  return resolveInstrument(path, options, (layout): PrecisionColumns => {
    const k = resolveTradeColumns(layout, options);
    return { price: [k.price], size: [k.size] };
  });
}

/** The instrument of a quote file: given, or inferred (symbol from the file name, precision from a first pass). */
export function inferQuoteInstrument(path: string, options: QuoteCsvOptions = {}): Promise<Instrument> {
  return resolveInstrument(path, options, (layout): PrecisionColumns => {
    const k = resolveQuoteColumns(layout, options);
    return { price: [k.bid, k.ask], size: [k.bidSize, k.askSize] };
  });
}

/** What `loadTradesCsv` and `loadQuotesCsv` return. */
export interface LoadedEvents<E extends { time: number }> {
  instrument: Instrument;
  source: BatchSource<E>;
  stats: LoadStats;
}

/** Opens a trade CSV as an `EventSource<TradeEvent>`, inferring the instrument when not given. */
export async function loadTradesCsv(path: string, options: TradeCsvOptions = {}): Promise<LoadedEvents<TradeEvent>> {
  const instrument = await inferTradeInstrument(path, options);
  const stats = options.stats ?? newLoadStats();
  return { instrument, stats, source: new BatchSource<TradeEvent>(path, readTradeBatches(path, { ...options, instrument, stats })) };
}

/** Opens a quote CSV as an `EventSource<QuoteEvent>`, inferring the instrument when not given. */
export async function loadQuotesCsv(path: string, options: QuoteCsvOptions = {}): Promise<LoadedEvents<QuoteEvent>> {
  const instrument = await inferQuoteInstrument(path, options);
  const stats = options.stats ?? newLoadStats();
  return { instrument, stats, source: new BatchSource<QuoteEvent>(path, readQuoteBatches(path, { ...options, instrument, stats })) };
}
