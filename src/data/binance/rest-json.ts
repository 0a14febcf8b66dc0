import { readFile } from 'node:fs/promises';
import { DataError } from '../../core/errors.ts';
import type { Instrument, InstrumentSpec } from '../../market/instrument.ts';
import type { BarEvent, BookSnapshotEvent, TradeEvent } from '../../market/market-data.ts';
import { significantDecimals } from './decimal.ts';
import { decodeDepthSnapshot, decodeFrame, type RawLevel } from './frames.ts';
import { priceUnits, sizeUnits, levelUnits } from './units.ts';

/**
 * Binance REST responses and single websocket payloads saved as JSON files (the nautilus fixtures):
 * `GET /api/v3/depth` -> `BookSnapshotEvent`; `/api/v3/aggTrades` and `/api/v3/trades` ->
 * `TradeEvent`s (aggressor SELL when the buyer is the maker); `/api/v3/klines` -> `BarEvent`s
 * (stamped at the open time, or close time + 1 ms with `stamp: 'close'`); a websocket aggTrade or
 * trade payload -> one `TradeEvent`. Errors are `DataError`s naming the file and the JSON path of the
 * field (line 0: JSON documents have no row lines).
 */

/** Which REST response a document is. */
export type RestKind = 'depth' | 'aggTrades' | 'trades' | 'klines';

type Obj = Record<string, unknown>;

/** Guesses the kind of a parsed REST document from its shape, or undefined. */
export function restKindOf(doc: unknown): RestKind | undefined {
  if (typeof doc === 'object' && doc !== null && !Array.isArray(doc) && 'lastUpdateId' in doc) return 'depth';
  if (!Array.isArray(doc) || doc.length === 0) return undefined;
  const first = doc[0] as unknown;
  if (Array.isArray(first)) return 'klines';
  if (typeof first === 'object' && first !== null) {
    if ('a' in first && 'f' in first) return 'aggTrades';
    if ('id' in first && 'isBuyerMaker' in first) return 'trades';
  }
  return undefined;
}

/** Price and size decimal strings of a REST document (for inferring an instrument). */
function decimalsOf(doc: unknown, kind: RestKind): { price: number; size: number } {
  let price = 0;
  let size = 0;
  const p = (s: unknown): void => {
    if (typeof s === 'string') price = Math.max(price, significantDecimals(s));
  };
  const q = (s: unknown): void => {
    if (typeof s === 'string') size = Math.max(size, significantDecimals(s));
  };
  if (kind === 'depth') {
    const d = doc as { bids?: RawLevel[]; asks?: RawLevel[] };
    for (const l of [...(d.bids ?? []), ...(d.asks ?? [])]) {
      p(l[0]);
      q(l[1]);
    }
  } else if (kind === 'klines') {
    for (const k of doc as unknown[][]) {
      for (let i = 1; i <= 4; i++) p(k[i]);
      q(k[5]);
    }
  } else {
    for (const t of doc as Obj[]) {
      p(t.p ?? t.price);
      q(t.q ?? t.qty);
    }
  }
  return { price, size };
}

/** An instrument spec with the precisions seen in a REST document (most significant decimals). */
export function inferRestSpec(symbol: string, doc: unknown, kind: RestKind = restKindOf(doc) ?? 'trades'): InstrumentSpec {
  const d = decimalsOf(doc, kind);
  return { symbol, venue: 'BINANCE', assetClass: 'crypto', pricePrecision: d.price, sizePrecision: d.size };
}

function fail(file: string, field: string, message: string): never {
  throw new DataError(file, 0, field, message);
}

function ms(v: unknown, file: string, field: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) fail(file, field, `expected a millisecond time, got ${JSON.stringify(v)}`);
  return v * 1000;
}

/** A depth response as a snapshot (time: `E` when present, else `time`). */
export function restDepthSnapshot(doc: unknown, inst: Instrument, time: number, file = 'depth'): BookSnapshotEvent {
  const body = decodeDepthSnapshot(doc, file, 0);
  const s: BookSnapshotEvent = { kind: 'book-snapshot', time: Number.isFinite(body.eventTime) ? body.eventTime * 1000 : time, instrument: inst, bidPrices: [], bidSizes: [], askPrices: [], askSizes: [], sequence: body.lastUpdateId };
  levelUnits(inst, body.bids, s.bidPrices, s.bidSizes, file, 0, 'bids');
  levelUnits(inst, body.asks, s.askPrices, s.askSizes, file, 0, 'asks');
  return s;
}

/** An aggTrades (`a,p,q,f,l,T,m`) or trades (`id,price,qty,quoteQty,time,isBuyerMaker`) response as trades. */
export function restTrades(doc: unknown, inst: Instrument, file = 'trades'): TradeEvent[] {
  if (!Array.isArray(doc)) fail(file, '(body)', 'expected an array of trades');
  const out: TradeEvent[] = [];
  let last = -Infinity;
  doc.forEach((raw: unknown, i) => {
    if (typeof raw !== 'object' || raw === null) fail(file, `[${i}]`, 'expected a trade object');
    const t = raw as Obj;
    const agg = 'a' in t;
    const pk = agg ? 'p' : 'price';
    const qk = agg ? 'q' : 'qty';
    const tk = agg ? 'T' : 'time';
    const mk = agg ? 'm' : 'isBuyerMaker';
    const p = t[pk];
    const q = t[qk];
    if (typeof p !== 'string') fail(file, `[${i}].${pk}`, `expected a decimal string, got ${JSON.stringify(p)}`);
    if (typeof q !== 'string') fail(file, `[${i}].${qk}`, `expected a decimal string, got ${JSON.stringify(q)}`);
    const m = t[mk];
    if (typeof m !== 'boolean') fail(file, `[${i}].${mk}`, `expected true or false, got ${JSON.stringify(m)}`);
    const time = ms(t[tk], file, `[${i}].${tk}`);
    if (time < last) fail(file, `[${i}].${tk}`, 'trades go back in time');
    last = time;
    const px = priceUnits(inst, p, file, 0, `[${i}].${pk}`);
    const sz = sizeUnits(inst, q, file, 0, `[${i}].${qk}`);
    out.push({ kind: 'trade', time, instrument: inst, price: inst.price(px), size: inst.size(sz), aggressor: m ? 'SELL' : 'BUY' });
  });
  return out;
}

/** A klines response (arrays of 12) as bars. */
export function restKlines(doc: unknown, inst: Instrument, stamp: 'open' | 'close' = 'open', file = 'klines'): BarEvent[] {
  if (!Array.isArray(doc)) fail(file, '(body)', 'expected an array of klines');
  return doc.map((raw: unknown, i) => {
    if (!Array.isArray(raw) || raw.length < 7) fail(file, `[${i}]`, 'expected a kline array of 12 fields');
    const s = (k: number, name: string): string => {
      const v = raw[k] as unknown;
      if (typeof v !== 'string') fail(file, `[${i}][${k}]`, `${name}: expected a decimal string, got ${JSON.stringify(v)}`);
      return v;
    };
    const time = stamp === 'close' ? ms(raw[6], file, `[${i}][6]`) + 1000 : ms(raw[0], file, `[${i}][0]`);
    const o = priceUnits(inst, s(1, 'open'), file, 0, `[${i}][1]`);
    const h = priceUnits(inst, s(2, 'high'), file, 0, `[${i}][2]`);
    const l = priceUnits(inst, s(3, 'low'), file, 0, `[${i}][3]`);
    const c = priceUnits(inst, s(4, 'close'), file, 0, `[${i}][4]`);
    const v = sizeUnits(inst, s(5, 'volume'), file, 0, `[${i}][5]`);
    return { kind: 'bar', time, instrument: inst, open: inst.price(o), high: inst.price(h), low: inst.price(l), close: inst.price(c), volume: inst.size(v) } satisfies BarEvent;
  });
}

/** A websocket aggTrade/trade payload (combined-stream or bare) as a trade at `E`. */
export function wsTrade(doc: unknown, inst: Instrument, file = 'frame'): TradeEvent {
  const f = decodeFrame(doc, file, 0);
  if (f.type !== 'aggTrade' && f.type !== 'trade') fail(file, 'e', `expected an aggTrade or trade payload, got ${f.type}`);
  if (f.symbol !== inst.symbol) fail(file, 's', `unknown symbol '${f.symbol}' (expected ${inst.symbol})`);
  const px = priceUnits(inst, f.price, file, 0, 'p');
  const q = sizeUnits(inst, f.qty, file, 0, 'q');
  return { kind: 'trade', time: (Number.isFinite(f.eventTime) ? f.eventTime : f.tradeTime) * 1000, instrument: inst, price: inst.price(px), size: inst.size(q), aggressor: f.buyerMaker ? 'SELL' : 'BUY' };
}

/** Reads and parses a JSON file; a parse error is a `DataError` naming the file. */
export async function readJsonFile(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new DataError(path, 0, undefined, `does not parse as JSON (${(err as Error).message})`);
  }
}
