import { basename } from 'node:path';
import { DataError } from '../../core/errors.ts';
import { InstrumentRegistry, type Instrument, type InstrumentSpec } from '../../market/instrument.ts';
import type { BarEvent, EventSource, TradeEvent } from '../../market/market-data.ts';
import { BatchSource } from '../batch-source.ts';
import { CsvCursor, readTextChunks } from '../csv-reader.ts';
import { explainNumber, parseEpochAt, parseUnitsAt } from '../csv-fields.ts';

/**
 * data.binance.vision CSV files (spot and futures daily/monthly dumps), streaming, with or without a
 * header row, plain or `.gz`:
 *
 * - klines, 12 columns: open_time, open, high, low, close, volume, close_time, quote_volume, trades,
 *   taker_buy_base, taker_buy_quote, ignore -> `BarEvent`, stamped at the OPEN time by default
 *   (`stamp: 'close'`: at close_time + 1 ms, the bar's exclusive end, e.g. 00:01:00.000 for the
 *   00:00 minute; use it when a bar must not be seen before it is complete);
 * - aggTrades: agg_id, price, qty, first_id, last_id, transact_time, is_buyer_maker[, is_best_match];
 * - trades: id, price, qty, quote_qty, time, is_buyer_maker[, is_best_match] -> `TradeEvent` with
 *   aggressor SELL when is_buyer_maker is true (the taker sold into a resting bid), else BUY.
 *
 * Timestamps are integer epochs; their unit follows from each value's magnitude (16 digits or more:
 * microseconds, as in the spot files since 2025; otherwise milliseconds). Prices and sizes are
 * parsed exactly into integer units; without an instrument, a first pass finds the most significant
 * decimals of the price and size columns (trailing zeros ignored). Errors name file:line and field;
 * time must not go back.
 */

/** Which file layout. */
export type VisionKind = 'klines' | 'aggTrades' | 'trades';

/** Options of the data.binance.vision loaders. */
export interface VisionCsvOptions {
  /** The instrument; when absent one is inferred (see `inferVisionInstrument`). */
  instrument?: Instrument;
  /** Symbol of an inferred instrument (default: the file name's first part, `ADABTC-1m-2021-11-27.csv` -> `ADABTC`). */
  symbol?: string;
  /** Precisions of an inferred instrument (default: found by a first pass). */
  pricePrecision?: number;
  sizePrecision?: number;
  /** Other fields of an inferred instrument. */
  instrumentSpec?: Partial<Omit<InstrumentSpec, 'symbol' | 'pricePrecision' | 'sizePrecision'>>;
  /** Registry that makes the inferred instrument (default: a new one). */
  registry?: InstrumentRegistry;
  /** Klines: stamp bars at their open time (default) or at close_time + 1 ms. */
  stamp?: 'open' | 'close';
  /** Bytes per read (default 1 MiB). */
  highWaterMark?: number;
}

const COLUMNS: Record<VisionKind, { min: number; max: number; price: number[]; size: number[]; names: string }> = {
  klines: { min: 11, max: 12, price: [1, 2, 3, 4], size: [5], names: 'open_time,open,high,low,close,volume,close_time,quote_volume,trades,taker_buy_base,taker_buy_quote[,ignore]' },
  aggTrades: { min: 7, max: 8, price: [1], size: [2], names: 'agg_id,price,qty,first_id,last_id,transact_time,is_buyer_maker[,is_best_match]' },
  trades: { min: 6, max: 7, price: [1], size: [2], names: 'id,price,qty,quote_qty,time,is_buyer_maker[,is_best_match]' },
};

/** The layout named by a data.binance.vision file name (`BTCUSDT-aggTrades-2024-01-01.csv` -> aggTrades), or undefined. */
export function visionKindOfPath(path: string): VisionKind | undefined {
  const name = basename(path);
  if (/-aggTrades-/i.test(name)) return 'aggTrades';
  if (/-trades-/i.test(name)) return 'trades';
  if (/-\d+[smhdwM]-/.test(name)) return 'klines';
  return undefined;
}

/** The symbol of a data.binance.vision file name (`ADABTC-1m-2021-11-27.csv` -> `ADABTC`). */
export function visionSymbolOfPath(path: string): string {
  return basename(path).split('-')[0]!.replace(/\..*$/, '');
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** True when the current row is a header (its first field does not start with a digit). */
function isHeader(c: CsvCursor): boolean {
  const s = c.start[0]!;
  return c.count > 0 && !isDigit(c.text.charCodeAt(s));
}

/** Reads an epoch field whose unit (ms or us) follows from its magnitude. */
function readTime(c: CsvCursor, col: number, file: string, field: string): { us: number; unitUs: number } {
  let a = c.start[col]!;
  let b = c.end[col]!;
  while (a < b && c.text.charCodeAt(a) === 32) a++;
  while (b > a && c.text.charCodeAt(b - 1) === 32) b--;
  const micro = b - a >= 16;
  const us = parseEpochAt(c.text, a, b, micro ? 6 : 3);
  if (!Number.isFinite(us)) throw new DataError(file, c.line, field, `'${c.field(col)}' is not an epoch time in ms or us`);
  return { us, unitUs: micro ? 1 : 1000 };
}

function readUnitsField(c: CsvCursor, col: number, precision: number, file: string, field: string): number {
  const n = parseUnitsAt(c.text, c.start[col]!, c.end[col]!, precision);
  if (!(n >= 0)) throw new DataError(file, c.line, field, n < 0 ? `negative value '${c.field(col)}'` : explainNumber(c.field(col), precision));
  return n;
}

function readBool(c: CsvCursor, col: number, file: string, field: string): boolean {
  const v = c.field(col).trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new DataError(file, c.line, field, `expected True or False, got '${c.field(col)}'`);
}

function checkColumns(c: CsvCursor, kind: VisionKind, file: string): void {
  const k = COLUMNS[kind];
  if (c.count < k.min || c.count > k.max) {
    throw new DataError(file, c.line, undefined, `expected ${k.min === k.max ? k.min : `${k.min} or ${k.max}`} columns (${k.names}) for ${kind}, got ${c.count}`);
  }
}

function sigDecimalsAt(s: string, a: number, b: number): number {
  while (b > a && s.charCodeAt(b - 1) === 32) b--;
  const dot = s.indexOf('.', a);
  if (dot < 0 || dot >= b) return 0;
  while (b > dot + 1 && s.charCodeAt(b - 1) === 48) b--;
  return b - dot - 1;
}

/**
 * Makes the instrument of a file: the given precisions, or a first pass over the file for the most
 * significant decimals of the price and size columns.
 */
export async function inferVisionInstrument(path: string, kind: VisionKind, options: VisionCsvOptions = {}): Promise<Instrument> {
  const registry = options.registry ?? new InstrumentRegistry();
  const symbol = options.symbol ?? visionSymbolOfPath(path);
  const existing = registry.get(symbol);
  if (existing) return existing;
  let pp = options.pricePrecision;
  let sp = options.sizePrecision;
  if (pp === undefined || sp === undefined) {
    let maxP = 0;
    let maxS = 0;
    const c = new CsvCursor();
    const k = COLUMNS[kind];
    for await (const chunk of readTextChunks(path, { highWaterMark: options.highWaterMark })) {
      c.load(chunk);
      while (c.next()) {
        if (isHeader(c)) continue;
        checkColumns(c, kind, path);
        for (const col of k.price) maxP = Math.max(maxP, sigDecimalsAt(c.text, c.start[col]!, c.end[col]!));
        for (const col of k.size) maxS = Math.max(maxS, sigDecimalsAt(c.text, c.start[col]!, c.end[col]!));
      }
    }
    pp ??= maxP;
    sp ??= maxS;
  }
  return registry.add({ venue: 'BINANCE', assetClass: 'crypto', ...options.instrumentSpec, symbol, pricePrecision: pp, sizePrecision: sp });
}

/** Klines as batches of `BarEvent`s (one array per chunk read). */
export async function* readKlineBatches(path: string, instrument: Instrument, options: VisionCsvOptions = {}): AsyncGenerator<BarEvent[]> {
  const c = new CsvCursor();
  const inst = instrument;
  const p = inst.pricePrecision;
  const closeStamp = options.stamp === 'close';
  let last = -Infinity;
  for await (const chunk of readTextChunks(path, { highWaterMark: options.highWaterMark })) {
    c.load(chunk);
    const out: BarEvent[] = [];
    while (c.next()) {
      if (isHeader(c)) continue;
      checkColumns(c, 'klines', path);
      const open = readTime(c, 0, path, 'open_time');
      const o = readUnitsField(c, 1, p, path, 'open');
      const h = readUnitsField(c, 2, p, path, 'high');
      const l = readUnitsField(c, 3, p, path, 'low');
      const cl = readUnitsField(c, 4, p, path, 'close');
      const v = readUnitsField(c, 5, inst.sizePrecision, path, 'volume');
      if (h < o || h < cl || h < l || l > o || l > cl) throw new DataError(path, c.line, 'high', `inconsistent bar: open ${c.field(1)} high ${c.field(2)} low ${c.field(3)} close ${c.field(4)}`);
      let time = open.us;
      if (closeStamp) {
        const close = readTime(c, 6, path, 'close_time');
        time = close.us + close.unitUs;
      }
      if (time < last) throw new DataError(path, c.line, 'open_time', `out of order: '${c.field(0)}' is earlier than the previous row`);
      last = time;
      out.push({ kind: 'bar', time, instrument: inst, open: inst.price(o), high: inst.price(h), low: inst.price(l), close: inst.price(cl), volume: inst.size(v) });
    }
    if (out.length > 0) yield out;
  }
}

/** aggTrades or trades as batches of `TradeEvent`s. */
export async function* readVisionTradeBatches(path: string, kind: 'aggTrades' | 'trades', instrument: Instrument, options: VisionCsvOptions = {}): AsyncGenerator<TradeEvent[]> {
  const c = new CsvCursor();
  const inst = instrument;
  const timeCol = kind === 'aggTrades' ? 5 : 4;
  const makerCol = kind === 'aggTrades' ? 6 : 5;
  const timeName = kind === 'aggTrades' ? 'transact_time' : 'time';
  let last = -Infinity;
  for await (const chunk of readTextChunks(path, { highWaterMark: options.highWaterMark })) {
    c.load(chunk);
    const out: TradeEvent[] = [];
    while (c.next()) {
      if (isHeader(c)) continue;
      checkColumns(c, kind, path);
      const px = readUnitsField(c, 1, inst.pricePrecision, path, 'price');
      const q = readUnitsField(c, 2, inst.sizePrecision, path, 'qty');
      const t = readTime(c, timeCol, path, timeName).us;
      const buyerMaker = readBool(c, makerCol, path, 'is_buyer_maker');
      if (t < last) throw new DataError(path, c.line, timeName, `out of order: '${c.field(timeCol)}' is earlier than the previous row`);
      last = t;
      out.push({ kind: 'trade', time: t, instrument: inst, price: inst.price(px), size: inst.size(q), aggressor: buyerMaker ? 'SELL' : 'BUY' });
    }
    if (out.length > 0) yield out;
  }
}

/** What `loadVisionCsv` returns. */
export interface LoadedVision<E extends { time: number }> {
  instrument: Instrument;
  kind: VisionKind;
  source: EventSource<E>;
}

/**
 * Opens a data.binance.vision file as an `EventSource` (bars for klines, trades otherwise). `kind`
 * defaults to what the file name says.
 */
export async function loadVisionCsv(path: string, kind?: VisionKind, options: VisionCsvOptions = {}): Promise<LoadedVision<BarEvent | TradeEvent>> {
  const k = kind ?? visionKindOfPath(path);
  if (!k) throw new DataError(path, 0, undefined, 'cannot tell the layout from the file name: pass klines, aggTrades or trades');
  const instrument = options.instrument ?? (await inferVisionInstrument(path, k, options));
  const batches: AsyncIterable<(BarEvent | TradeEvent)[]> = k === 'klines' ? readKlineBatches(path, instrument, options) : readVisionTradeBatches(path, k, instrument, options);
  return { instrument, kind: k, source: new BatchSource<BarEvent | TradeEvent>(path, batches) };
}
