import { DataError } from '../core/errors.ts';
import { InstrumentRegistry, type Instrument, type InstrumentSpec } from '../market/instrument.ts';
import type { OrderFlowEvent, TradeEvent } from '../market/market-data.ts';
import { BatchSource } from './batch-source.ts';
import { CsvCursor, readTextChunks } from './csv-reader.ts';
import { detectTimeFormat, timeParser, TIME_FORMATS, type TimeFormat, type TimeParser } from './csv-fields.ts';
import { symbolFromPath } from './csv-table.ts';

/**
 * Order-flow records: per-interval buyer- and seller-initiated volume, imbalance and trade count.
 *
 * Two ways in: `readOrderFlowBatches` reads a CSV of records (`time, symbol?, buy_volume,
 * sell_volume, imbalance?, trades`), and `orderFlowFromTrades` aggregates a stream of trades into
 * records per fixed interval. In both, `time` is the END of the interval (the record is known only
 * when the interval closes) and `intervalUs` its length. See docs/events.md.
 */

/** Column names of an order-flow CSV (matched ignoring case, spaces, `_` and `-`). */
export interface OrderFlowColumns {
  time?: string;
  symbol?: string;
  buyVolume?: string;
  sellVolume?: string;
  imbalance?: string;
  trades?: string;
  intervalUs?: string;
}

/** Options of `readOrderFlowBatches`. */
export interface OrderFlowCsvOptions {
  /** Instrument of every row when the file has no symbol column. */
  instrument?: Instrument;
  /** Symbol of every row when the file has no symbol column and no instrument is given (default: the file name). */
  symbol?: string;
  /** Where symbols are looked up; an unknown symbol is added with `instrumentSpec` (default precision 2, size precision 0). */
  registry?: InstrumentRegistry;
  /** Spec fields of instruments this loader adds to the registry. */
  instrumentSpec?: Partial<Omit<InstrumentSpec, 'symbol'>>;
  /** Interval length in microseconds when the file has no `interval_us` column (default 0: unknown). */
  intervalUs?: number;
  /** How times are written (default `auto`). */
  timeFormat?: TimeFormat;
  columns?: OrderFlowColumns;
  delimiter?: string;
  highWaterMark?: number;
}

const ALIASES: Record<keyof OrderFlowColumns, readonly string[]> = {
  time: ['time', 'timestamp', 'datetime', 'date', 'ts'],
  symbol: ['symbol', 'ticker', 'instrument'],
  buyVolume: ['buyvolume', 'buyvol', 'buy'],
  sellVolume: ['sellvolume', 'sellvol', 'sell'],
  imbalance: ['imbalance', 'ofi', 'orderflowimbalance'],
  trades: ['trades', 'tradecount', 'count', 'ntrades'],
  intervalUs: ['intervalus', 'interval'],
};

function norm(s: string): string {
  return s.toLowerCase().replace(/[\s_.\-]+/g, '');
}

/** `(buy - sell) / (buy + sell)`, NaN when both are zero. */
export function flowImbalance(buy: number, sell: number): number {
  const total = buy + sell;
  return total > 0 ? (buy - sell) / total : NaN;
}

/**
 * Streams an order-flow CSV as batches of `OrderFlowEvent`. Volumes must be finite and >= 0,
 * `trades` a non-negative integer, `imbalance` (when given) a finite number, else computed with
 * `flowImbalance`. Times must not go back. Errors name file:line and field.
 */
export async function* readOrderFlowBatches(path: string, options: OrderFlowCsvOptions = {}): AsyncGenerator<OrderFlowEvent[]> {
  const cursor = new CsvCursor(options.delimiter ?? ',');
  const registry = options.registry ?? new InstrumentRegistry();
  const specDefaults = { pricePrecision: 2, sizePrecision: 0, ...options.instrumentSpec };
  const fixed = options.instrument;
  const format = options.timeFormat ?? 'auto';
  if (!TIME_FORMATS.includes(format)) throw new DataError(path, 0, 'time', `unknown timeFormat '${format}'`);
  let parse: TimeParser | undefined;
  let cols: Record<keyof OrderFlowColumns, number> | undefined;
  let width = 0;
  let lastTime = -Infinity;
  let defaultInst: Instrument | undefined = fixed;
  const instFor = (symbol: string): Instrument => registry.get(symbol) ?? registry.add({ ...specDefaults, symbol });
  const num = (c: CsvCursor, col: number, field: string, required: boolean): number => {
    const raw = col >= 0 ? c.field(col).trim() : '';
    if (raw === '') {
      if (required) throw new DataError(path, c.line, field, 'is empty');
      return NaN;
    }
    const x = Number(raw);
    if (!Number.isFinite(x)) throw new DataError(path, c.line, field, `'${raw}' is not a finite number`);
    return x;
  };
  for await (const text of readTextChunks(path, options.highWaterMark ? { highWaterMark: options.highWaterMark } : {})) {
    cursor.load(text);
    const out: OrderFlowEvent[] = [];
    while (cursor.next()) {
      const c = cursor;
      if (cols === undefined) {
        const header = c.fields().map((h) => norm(h.trim()));
        width = header.length;
        const find = (k: keyof OrderFlowColumns, required: boolean): number => {
          const given = options.columns?.[k];
          for (const n of given !== undefined ? [norm(given)] : ALIASES[k]) {
            const i = header.indexOf(n);
            if (i >= 0) return i;
          }
          if (required) throw new DataError(path, c.line, k, `no ${k} column in header (${c.fields().join(', ')})`);
          return -1;
        };
        cols = {
          time: find('time', true),
          symbol: find('symbol', false),
          buyVolume: find('buyVolume', true),
          sellVolume: find('sellVolume', true),
          imbalance: find('imbalance', false),
          trades: find('trades', true),
          intervalUs: find('intervalUs', false),
        };
        if (cols.symbol < 0 && !defaultInst) defaultInst = instFor(options.symbol ?? symbolFromPath(path));
        continue;
      }
      if (c.badQuote >= 0) throw new DataError(path, c.line, undefined, 'unterminated quoted field');
      if (c.count !== width) throw new DataError(path, c.line, undefined, `wrong column count: expected ${width} fields, found ${c.count}`);
      if (parse === undefined) {
        const sample = c.field(cols.time).trim();
        const f = format === 'auto' ? detectTimeFormat(sample) : format;
        if (!f) throw new DataError(path, c.line, 'time', `cannot tell the time format of '${sample}'; set timeFormat`);
        parse = timeParser(f);
      }
      const t = parse(c.text, c.start[cols.time]!, c.end[cols.time]!);
      if (t !== t) throw new DataError(path, c.line, 'time', `unparsable date/time '${c.field(cols.time)}'`);
      if (t < lastTime) throw new DataError(path, c.line, 'time', `out of order: '${c.field(cols.time)}' is earlier than the previous row`);
      lastTime = t;
      let instrument: Instrument;
      if (cols.symbol >= 0 && !fixed) {
        const sym = c.field(cols.symbol).trim();
        if (sym === '') throw new DataError(path, c.line, 'symbol', 'is empty');
        instrument = instFor(sym);
      } else instrument = defaultInst!;
      const buy = num(c, cols.buyVolume, 'buyVolume', true);
      const sell = num(c, cols.sellVolume, 'sellVolume', true);
      if (buy < 0) throw new DataError(path, c.line, 'buyVolume', `negative volume ${buy}`);
      if (sell < 0) throw new DataError(path, c.line, 'sellVolume', `negative volume ${sell}`);
      const trades = num(c, cols.trades, 'trades', true);
      if (!Number.isSafeInteger(trades) || trades < 0) throw new DataError(path, c.line, 'trades', `'${c.field(cols.trades)}' is not a non-negative integer`);
      const given = num(c, cols.imbalance, 'imbalance', false);
      const interval = cols.intervalUs >= 0 ? num(c, cols.intervalUs, 'intervalUs', true) : (options.intervalUs ?? 0);
      if (!Number.isSafeInteger(interval) || interval < 0) throw new DataError(path, c.line, 'intervalUs', `'${interval}' is not a non-negative integer of microseconds`);
      out.push({ kind: 'order-flow', time: t, instrument, intervalUs: interval, buyVolume: buy, sellVolume: sell, imbalance: given === given ? given : flowImbalance(buy, sell), trades });
    }
    if (out.length > 0) yield out;
  }
}

/** Opens an order-flow CSV as an `EventSource<OrderFlowEvent>`. */
export function loadOrderFlow(path: string, options: OrderFlowCsvOptions = {}): BatchSource<OrderFlowEvent> {
  return new BatchSource<OrderFlowEvent>(path, readOrderFlowBatches(path, options));
}

/** Running sums of one instrument's open interval. */
interface FlowBucket {
  instrument: Instrument;
  bucket: number;
  buyUnits: number;
  sellUnits: number;
  trades: number;
  lastPrice: number;
  lastSign: number;
}

/**
 * Aggregates signed trades into order-flow records per interval of `intervalUs` microseconds,
 * aligned on multiples of `intervalUs` since the epoch: a trade at time t falls in the interval
 * `[k*intervalUs, (k+1)*intervalUs)` with k = floor(t / intervalUs), and that interval's record
 * carries `time = (k+1)*intervalUs`. Only intervals with trades give a record. The aggressor side
 * signs each trade; a trade without one is signed by the tick rule (price above the previous trade
 * of the instrument: buy; below: sell; equal: the previous sign; the very first: unsigned, counted
 * in `trades` only). Volumes are summed exactly in size units. Records of several instruments that
 * close at the same time come in the order the instruments first traded. Trades must come in time
 * order (as every EventSource does).
 */
export async function* orderFlowFromTrades(
  tradeBatches: AsyncIterable<readonly TradeEvent[]> | Iterable<readonly TradeEvent[]>,
  intervalUs: number,
): AsyncGenerator<OrderFlowEvent[]> {
  if (!(Number.isSafeInteger(intervalUs) && intervalUs > 0)) throw new RangeError(`intervalUs must be a positive integer, got ${intervalUs}`);
  const buckets = new Map<Instrument, FlowBucket>();
  const order: FlowBucket[] = [];
  let openBucket = -Infinity;
  let lastTime = -Infinity;
  const close = (out: OrderFlowEvent[]): void => {
    for (const b of order) {
      if (b.bucket !== openBucket || b.trades === 0) continue;
      const inst = b.instrument;
      const buy = inst.size(b.buyUnits);
      const sell = inst.size(b.sellUnits);
      out.push({ kind: 'order-flow', time: (b.bucket + 1) * intervalUs, instrument: inst, intervalUs, buyVolume: buy, sellVolume: sell, imbalance: flowImbalance(b.buyUnits, b.sellUnits), trades: b.trades });
      b.buyUnits = 0;
      b.sellUnits = 0;
      b.trades = 0;
    }
  };
  for await (const batch of tradeBatches as AsyncIterable<readonly TradeEvent[]>) {
    const out: OrderFlowEvent[] = [];
    for (const tr of batch) {
      if (tr.time < lastTime) throw new DataError(tr.instrument.symbol, 0, 'time', `trade at ${tr.time} goes back in time (after ${lastTime})`);
      lastTime = tr.time;
      const k = Math.floor(tr.time / intervalUs);
      if (k !== openBucket) {
        close(out);
        openBucket = k;
      }
      let b = buckets.get(tr.instrument);
      if (!b) {
        b = { instrument: tr.instrument, bucket: k, buyUnits: 0, sellUnits: 0, trades: 0, lastPrice: NaN, lastSign: 0 };
        buckets.set(tr.instrument, b);
        order.push(b);
      }
      b.bucket = k;
      let sign = tr.aggressor === 'BUY' ? 1 : tr.aggressor === 'SELL' ? -1 : 0;
      if (sign === 0) sign = tr.price > b.lastPrice ? 1 : tr.price < b.lastPrice ? -1 : b.lastSign;
      b.lastPrice = tr.price;
      b.lastSign = sign;
      const units = tr.instrument.sizeUnits(tr.size);
      if (units !== units) throw new DataError(tr.instrument.symbol, 0, 'size', `trade size ${tr.size} at ${tr.time} is off the instrument's size grid`);
      if (sign > 0) b.buyUnits += units;
      else if (sign < 0) b.sellUnits += units;
      b.trades++;
    }
    if (out.length > 0) yield out;
  }
  const out: OrderFlowEvent[] = [];
  close(out);
  if (out.length > 0) yield out;
}
