import { DataError } from '../../core/errors.ts';

/**
 * Decoding of Binance websocket payloads (spot, binance.us and USD-M futures): a combined-stream
 * frame `{"stream": "...", "data": {...}}` or a bare event object. Numbers that Binance sends as
 * strings (prices, quantities) stay strings here; they become integer units later, with the
 * instrument's precision. Every error is a `DataError` naming the file, the frame (line) number and
 * the field.
 */

/** A price level as Binance writes it: `[price, quantity]` decimal strings. */
export type RawLevel = readonly [string, string];

/** A `depthUpdate` (diff depth stream) event. */
export interface DepthFrame {
  type: 'depth';
  symbol: string;
  /** Event time `E`, milliseconds, or NaN when absent. */
  eventTime: number;
  /** First update id in the event (`U`). */
  firstId: number;
  /** Final update id in the event (`u`). */
  lastId: number;
  /** Futures: final update id of the previous event (`pu`); NaN for spot. */
  prevLastId: number;
  bids: readonly RawLevel[];
  asks: readonly RawLevel[];
}

/** A `bookTicker` event (best bid and ask, real time). */
export interface BookTickerFrame {
  type: 'bookTicker';
  symbol: string;
  /** Order book update id `u`. */
  updateId: number;
  /** Event time `E` in ms (futures), or NaN (spot streams send none). */
  eventTime: number;
  bidPrice: string;
  bidQty: string;
  askPrice: string;
  askQty: string;
}

/** An `aggTrade` or `trade` event. */
export interface TradeFrame {
  type: 'aggTrade' | 'trade';
  symbol: string;
  /** Event time `E`, ms, or NaN. */
  eventTime: number;
  /** Trade time `T`, ms. */
  tradeTime: number;
  /** Aggregate trade id `a` or trade id `t`. */
  id: number;
  price: string;
  qty: string;
  /** `m`: the buyer was the maker, so the aggressor (taker) sold. */
  buyerMaker: boolean;
}

/** A `kline` event (partial until `closed`). */
export interface KlineFrame {
  type: 'kline';
  symbol: string;
  /** Event time `E`, ms, or NaN. */
  eventTime: number;
  interval: string;
  /** Open time `k.t` and close time `k.T` (last millisecond of the bar), ms. */
  openTime: number;
  closeTime: number;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
  /** `k.x`: the bar is final. */
  closed: boolean;
}

/** Any other event (subscription replies, unknown streams): counted and skipped by the replay. */
export interface OtherFrame {
  type: 'other';
  /** The stream name or the event type, for reports. */
  name: string;
}

/** A decoded websocket payload. */
export type BinanceFrame = DepthFrame | BookTickerFrame | TradeFrame | KlineFrame | OtherFrame;

type Obj = Record<string, unknown>;

function fail(file: string, line: number, field: string, message: string): never {
  throw new DataError(file, line, field, message);
}

function reqString(o: Obj, key: string, file: string, line: number, prefix: string): string {
  const v = o[key];
  if (typeof v !== 'string') fail(file, line, prefix + key, `expected a string, got ${JSON.stringify(v) ?? 'nothing'}`);
  return v;
}

function reqId(o: Obj, key: string, file: string, line: number, prefix: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) fail(file, line, prefix + key, `expected an integer id, got ${JSON.stringify(v) ?? 'nothing'}`);
  return v;
}

function optTime(o: Obj, key: string, file: string, line: number, prefix: string): number {
  const v = o[key];
  if (v === undefined) return NaN;
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) fail(file, line, prefix + key, `expected a millisecond time, got ${JSON.stringify(v)}`);
  return v;
}

function levels(o: Obj, key: string, file: string, line: number, prefix: string): RawLevel[] {
  const v = o[key];
  if (!Array.isArray(v)) fail(file, line, prefix + key, 'expected an array of [price, quantity] levels');
  for (let i = 0; i < v.length; i++) {
    const l = v[i] as unknown;
    if (!Array.isArray(l) || l.length < 2 || typeof l[0] !== 'string' || typeof l[1] !== 'string') {
      fail(file, line, `${prefix}${key}[${i}]`, `expected ["price", "quantity"], got ${JSON.stringify(l)}`);
    }
  }
  return v as RawLevel[];
}

/**
 * Parses the JSON text of one frame. `file` and `line` name the frame in errors (frame N is line N
 * of the recording). Throws a `DataError` when the text is not JSON or a field has the wrong type.
 */
export function parseFrameText(text: string, file: string, line: number): BinanceFrame {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new DataError(file, line, undefined, `frame does not parse as JSON (${(err as Error).message})`);
  }
  return decodeFrame(doc, file, line);
}

/** Decodes a parsed payload: a combined-stream `{stream, data}` wrapper or a bare event object. */
export function decodeFrame(doc: unknown, file: string, line: number): BinanceFrame {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) fail(file, line, '(frame)', 'expected a JSON object');
  let o = doc as Obj;
  let stream = '';
  let prefix = '';
  if (typeof o.stream === 'string' && typeof o.data === 'object' && o.data !== null) {
    stream = o.stream;
    o = o.data as Obj;
    prefix = 'data.';
  }
  const e = o.e;
  if (e === 'depthUpdate') {
    return {
      type: 'depth',
      symbol: reqString(o, 's', file, line, prefix),
      eventTime: optTime(o, 'E', file, line, prefix),
      firstId: reqId(o, 'U', file, line, prefix),
      lastId: reqId(o, 'u', file, line, prefix),
      prevLastId: o.pu === undefined ? NaN : reqId(o, 'pu', file, line, prefix),
      bids: levels(o, 'b', file, line, prefix),
      asks: levels(o, 'a', file, line, prefix),
    };
  }
  if (e === 'bookTicker' || (e === undefined && (stream.endsWith('@bookTicker') || (o.u !== undefined && o.b !== undefined && o.A !== undefined)))) {
    return {
      type: 'bookTicker',
      symbol: reqString(o, 's', file, line, prefix),
      updateId: reqId(o, 'u', file, line, prefix),
      eventTime: optTime(o, 'E', file, line, prefix),
      bidPrice: reqString(o, 'b', file, line, prefix),
      bidQty: reqString(o, 'B', file, line, prefix),
      askPrice: reqString(o, 'a', file, line, prefix),
      askQty: reqString(o, 'A', file, line, prefix),
    };
  }
  if (e === 'aggTrade' || e === 'trade') {
    const m = o.m;
    if (typeof m !== 'boolean') fail(file, line, prefix + 'm', `expected true or false, got ${JSON.stringify(m)}`);
    return {
      type: e,
      symbol: reqString(o, 's', file, line, prefix),
      eventTime: optTime(o, 'E', file, line, prefix),
      tradeTime: reqId(o, 'T', file, line, prefix),
      id: reqId(o, e === 'aggTrade' ? 'a' : 't', file, line, prefix),
      price: reqString(o, 'p', file, line, prefix),
      qty: reqString(o, 'q', file, line, prefix),
      buyerMaker: m,
    };
  }
  if (e === 'kline') {
    const k = o.k;
    if (typeof k !== 'object' || k === null) fail(file, line, prefix + 'k', 'expected the kline object');
    const ko = k as Obj;
    const kp = prefix + 'k.';
    const x = ko.x;
    if (typeof x !== 'boolean') fail(file, line, kp + 'x', `expected true or false, got ${JSON.stringify(x)}`);
    return {
      type: 'kline',
      symbol: reqString(o, 's', file, line, prefix),
      eventTime: optTime(o, 'E', file, line, prefix),
      interval: reqString(ko, 'i', file, line, kp),
      openTime: reqId(ko, 't', file, line, kp),
      closeTime: reqId(ko, 'T', file, line, kp),
      open: reqString(ko, 'o', file, line, kp),
      high: reqString(ko, 'h', file, line, kp),
      low: reqString(ko, 'l', file, line, kp),
      close: reqString(ko, 'c', file, line, kp),
      volume: reqString(ko, 'v', file, line, kp),
      closed: x,
    };
  }
  return { type: 'other', name: stream || (typeof e === 'string' ? e : '(unknown)') };
}

/** A REST depth snapshot body `{"lastUpdateId": ..., "bids": [...], "asks": [...]}` (futures add `E` and `T`). */
export interface DepthSnapshotBody {
  lastUpdateId: number;
  /** Futures: message output time `E`, ms; NaN for spot. */
  eventTime: number;
  bids: readonly RawLevel[];
  asks: readonly RawLevel[];
}

/** Decodes a parsed REST depth snapshot body; errors name `file:line` and the field. */
export function decodeDepthSnapshot(doc: unknown, file: string, line: number): DepthSnapshotBody {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) fail(file, line, '(body)', 'expected a JSON object');
  const o = doc as Obj;
  return {
    lastUpdateId: reqId(o, 'lastUpdateId', file, line, ''),
    eventTime: optTime(o, 'E', file, line, ''),
    bids: levels(o, 'bids', file, line, ''),
    asks: levels(o, 'asks', file, line, ''),
  };
}
