import { listValue, type DuckDBValue } from '@duckdb/node-api';
import type { Instrument, InstrumentRegistry } from '../../market/instrument.ts';
import type { L3Action, MarketStatus } from '../../market/market-data.ts';
import type { Side } from '../../market/order.ts';
import type { CatalogEvent, CatalogEventType } from './event-types.ts';

/**
 * One Parquet table schema per event type. Every file starts with `time BIGINT` (microseconds since
 * the epoch, UTC) and `seq BIGINT` (catalog-wide import order), then the event's own fields, one
 * column each, in the representation the event carries: decimal doubles for bar/quote/trade prices
 * and sizes, integer units (BIGINT) for book and L3 prices and sizes. Sides, aggressors and L3
 * actions are small integer codes (see docs/catalog.md). Absent scores are NULL.
 */

/** A column of an event table (after `time` and `seq`). */
export interface ColumnDef {
  name: string;
  /** Parquet/DuckDB type of the column in the files. */
  sql: 'DOUBLE' | 'BIGINT' | 'TINYINT' | 'BOOLEAN' | 'VARCHAR' | 'BIGINT[]' | 'VARCHAR[]';
  /** True when NULL may appear (it stands for NaN). */
  nullable?: boolean;
}

/** What a replay stream needs to rebuild events of one type. */
export interface ReadContext {
  instrument: Instrument | undefined;
  registry: InstrumentRegistry;
}

/** The schema and (de)serialization of one event type. */
export interface EventSchema {
  type: CatalogEventType;
  columns: readonly ColumnDef[];
  /** Appends the event's column values (staging representation: numbers as DOUBLE) to `out[k]`. */
  stage(e: CatalogEvent, out: DuckDBValue[][]): void;
  /** A fresh reusable event for replay. */
  blank(ctx: ReadContext): CatalogEvent;
  /**
   * Fills `e` from row `i`: `f[k]` holds column k as doubles (numeric columns) and `v[k]` its
   * values (VARCHAR and list columns).
   */
  fill(e: CatalogEvent, f: readonly Float64Array[], v: readonly (readonly DuckDBValue[])[], i: number, ctx: ReadContext): void;
}

/** Side code: 1 = BUY (bid), -1 = SELL (ask), 0 = unknown. */
export function sideCode(side: Side | undefined): number {
  return side === 'BUY' ? 1 : side === 'SELL' ? -1 : 0;
}

/** L3 action codes, the same numbers LOBSTER uses for message types 1-5. */
export const L3_ACTION_CODES: Readonly<Record<L3Action, number>> = { add: 1, cancel: 2, delete: 3, execute: 4, 'hidden-execute': 5 };
const L3_ACTIONS: readonly L3Action[] = ['add', 'add', 'cancel', 'delete', 'execute', 'hidden-execute'];

const nan = (x: number): DuckDBValue => (x === x ? x : null);

function nums(v: DuckDBValue): number[] {
  const items = (v as { items?: readonly unknown[] } | null)?.items ?? [];
  return items.map((x) => Number(x));
}

function strs(v: DuckDBValue): string[] {
  const items = (v as { items?: readonly unknown[] } | null)?.items ?? [];
  return items.map((x) => String(x));
}

const BAR: EventSchema = {
  type: 'bar',
  columns: [
    { name: 'open', sql: 'DOUBLE' },
    { name: 'high', sql: 'DOUBLE' },
    { name: 'low', sql: 'DOUBLE' },
    { name: 'close', sql: 'DOUBLE' },
    { name: 'volume', sql: 'DOUBLE' },
  ],
  stage(e, out) {
    if (e.kind !== 'bar') return;
    out[0]!.push(e.open);
    out[1]!.push(e.high);
    out[2]!.push(e.low);
    out[3]!.push(e.close);
    out[4]!.push(e.volume);
  },
  blank: (ctx) => ({ kind: 'bar', time: 0, instrument: ctx.instrument!, open: 0, high: 0, low: 0, close: 0, volume: 0 }),
  fill(e, f, _v, i) {
    const b = e as Extract<CatalogEvent, { kind: 'bar' }>;
    b.open = f[0]![i]!;
    b.high = f[1]![i]!;
    b.low = f[2]![i]!;
    b.close = f[3]![i]!;
    b.volume = f[4]![i]!;
  },
};

const QUOTE: EventSchema = {
  type: 'quote',
  columns: [
    { name: 'bid_price', sql: 'DOUBLE' },
    { name: 'bid_size', sql: 'DOUBLE' },
    { name: 'ask_price', sql: 'DOUBLE' },
    { name: 'ask_size', sql: 'DOUBLE' },
  ],
  stage(e, out) {
    if (e.kind !== 'quote') return;
    out[0]!.push(e.bidPrice);
    out[1]!.push(e.bidSize);
    out[2]!.push(e.askPrice);
    out[3]!.push(e.askSize);
  },
  blank: (ctx) => ({ kind: 'quote', time: 0, instrument: ctx.instrument!, bidPrice: 0, bidSize: 0, askPrice: 0, askSize: 0 }),
  fill(e, f, _v, i) {
    const q = e as Extract<CatalogEvent, { kind: 'quote' }>;
    q.bidPrice = f[0]![i]!;
    q.bidSize = f[1]![i]!;
    q.askPrice = f[2]![i]!;
    q.askSize = f[3]![i]!;
  },
};

/**
 * Aggressor by sign code + 1 (-1 sell, 0 unknown, 1 buy). Replay picks it by index, not by
 * branches: the aggressor of consecutive trades is close to random, so a branch mispredicts
 * about every other trade.
 */
const AGGRESSORS: readonly (Side | undefined)[] = ['SELL', undefined, 'BUY'];

const TRADE: EventSchema = {
  type: 'trade',
  columns: [
    { name: 'price', sql: 'DOUBLE' },
    { name: 'size', sql: 'DOUBLE' },
    { name: 'aggressor', sql: 'TINYINT' },
  ],
  stage(e, out) {
    if (e.kind !== 'trade') return;
    out[0]!.push(e.price);
    out[1]!.push(e.size);
    out[2]!.push(sideCode(e.aggressor));
  },
  blank: (ctx) => ({ kind: 'trade', time: 0, instrument: ctx.instrument!, price: 0, size: 0, aggressor: undefined }),
  fill(e, f, _v, i) {
    const t = e as Extract<CatalogEvent, { kind: 'trade' }>;
    t.price = f[0]![i]!;
    t.size = f[1]![i]!;
    const a = f[2]![i]!;
    t.aggressor = AGGRESSORS[+(a > 0) - +(a < 0) + 1];
  },
};

const BOOK_DELTA: EventSchema = {
  type: 'book-delta',
  columns: [
    { name: 'side', sql: 'TINYINT' },
    { name: 'price', sql: 'BIGINT' },
    { name: 'size', sql: 'BIGINT' },
    { name: 'sequence', sql: 'BIGINT' },
    { name: 'last', sql: 'BOOLEAN' },
  ],
  stage(e, out) {
    if (e.kind !== 'book-delta') return;
    out[0]!.push(sideCode(e.side));
    out[1]!.push(e.price);
    out[2]!.push(e.size);
    out[3]!.push(e.sequence);
    out[4]!.push(e.last ? 1 : 0);
  },
  blank: (ctx) => ({ kind: 'book-delta', time: 0, instrument: ctx.instrument!, side: 'BUY', price: 0, size: 0, sequence: 0, last: false }),
  fill(e, f, _v, i) {
    const d = e as Extract<CatalogEvent, { kind: 'book-delta' }>;
    d.side = f[0]![i]! > 0 ? 'BUY' : 'SELL';
    d.price = f[1]![i]!;
    d.size = f[2]![i]!;
    d.sequence = f[3]![i]!;
    d.last = f[4]![i]! !== 0;
  },
};

const BOOK_SNAPSHOT: EventSchema = {
  type: 'book-snapshot',
  columns: [
    { name: 'bid_prices', sql: 'BIGINT[]' },
    { name: 'bid_sizes', sql: 'BIGINT[]' },
    { name: 'ask_prices', sql: 'BIGINT[]' },
    { name: 'ask_sizes', sql: 'BIGINT[]' },
    { name: 'sequence', sql: 'BIGINT' },
  ],
  stage(e, out) {
    if (e.kind !== 'book-snapshot') return;
    out[0]!.push(listValue(e.bidPrices));
    out[1]!.push(listValue(e.bidSizes));
    out[2]!.push(listValue(e.askPrices));
    out[3]!.push(listValue(e.askSizes));
    out[4]!.push(e.sequence);
  },
  blank: (ctx) => ({ kind: 'book-snapshot', time: 0, instrument: ctx.instrument!, bidPrices: [], bidSizes: [], askPrices: [], askSizes: [], sequence: 0 }),
  fill(e, f, v, i) {
    const s = e as Extract<CatalogEvent, { kind: 'book-snapshot' }>;
    s.bidPrices = nums(v[0]![i]!);
    s.bidSizes = nums(v[1]![i]!);
    s.askPrices = nums(v[2]![i]!);
    s.askSizes = nums(v[3]![i]!);
    s.sequence = f[4]![i]!;
  },
};

const L3: EventSchema = {
  type: 'l3',
  columns: [
    { name: 'action', sql: 'TINYINT' },
    { name: 'order_id', sql: 'BIGINT' },
    { name: 'side', sql: 'TINYINT' },
    { name: 'price', sql: 'BIGINT' },
    { name: 'size', sql: 'BIGINT' },
  ],
  stage(e, out) {
    if (e.kind !== 'l3') return;
    out[0]!.push(L3_ACTION_CODES[e.action]);
    out[1]!.push(e.orderId);
    out[2]!.push(sideCode(e.side));
    out[3]!.push(e.price);
    out[4]!.push(e.size);
  },
  blank: (ctx) => ({ kind: 'l3', time: 0, instrument: ctx.instrument!, action: 'add', orderId: 0, side: 'BUY', price: 0, size: 0 }),
  fill(e, f, _v, i) {
    const l = e as Extract<CatalogEvent, { kind: 'l3' }>;
    l.action = L3_ACTIONS[f[0]![i]!] ?? 'add';
    l.orderId = f[1]![i]!;
    l.side = f[2]![i]! > 0 ? 'BUY' : 'SELL';
    l.price = f[3]![i]!;
    l.size = f[4]![i]!;
  },
};

const STATUS: EventSchema = {
  type: 'status',
  columns: [
    { name: 'status', sql: 'VARCHAR' },
    { name: 'reason', sql: 'VARCHAR' },
  ],
  stage(e, out) {
    if (e.kind !== 'status') return;
    out[0]!.push(e.status);
    out[1]!.push(e.reason);
  },
  blank: (ctx) => ({ kind: 'status', time: 0, instrument: ctx.instrument!, status: 'OPEN', reason: '' }),
  fill(e, _f, v, i) {
    const s = e as Extract<CatalogEvent, { kind: 'status' }>;
    s.status = String(v[0]![i]) as MarketStatus;
    s.reason = String(v[1]![i] ?? '');
  },
};

const NEWS: EventSchema = {
  type: 'news',
  columns: [
    { name: 'symbols', sql: 'VARCHAR[]' },
    { name: 'headline', sql: 'VARCHAR' },
    { name: 'source', sql: 'VARCHAR' },
    { name: 'sentiment', sql: 'DOUBLE', nullable: true },
    { name: 'importance', sql: 'DOUBLE', nullable: true },
  ],
  stage(e, out) {
    if (e.kind !== 'news') return;
    out[0]!.push(listValue(e.symbols));
    out[1]!.push(e.headline);
    out[2]!.push(e.source);
    out[3]!.push(nan(e.sentiment));
    out[4]!.push(nan(e.importance));
  },
  blank: () => ({ kind: 'news', time: 0, instrument: undefined, symbols: [], headline: '', source: '', sentiment: NaN, importance: NaN }),
  fill(e, f, v, i, ctx) {
    const n = e as Extract<CatalogEvent, { kind: 'news' }>;
    n.symbols = strs(v[0]![i]!);
    n.headline = String(v[1]![i] ?? '');
    n.source = String(v[2]![i] ?? '');
    n.sentiment = f[3]![i]!;
    n.importance = f[4]![i]!;
    n.instrument = undefined;
    for (const s of n.symbols) {
      n.instrument = ctx.registry.get(s);
      if (n.instrument) break;
    }
  },
};

const ORDER_FLOW: EventSchema = {
  type: 'order-flow',
  columns: [
    { name: 'interval_us', sql: 'BIGINT' },
    { name: 'buy_volume', sql: 'DOUBLE' },
    { name: 'sell_volume', sql: 'DOUBLE' },
    { name: 'imbalance', sql: 'DOUBLE', nullable: true },
    { name: 'trades', sql: 'BIGINT' },
  ],
  stage(e, out) {
    if (e.kind !== 'order-flow') return;
    out[0]!.push(e.intervalUs);
    out[1]!.push(e.buyVolume);
    out[2]!.push(e.sellVolume);
    out[3]!.push(nan(e.imbalance));
    out[4]!.push(e.trades);
  },
  blank: (ctx) => ({ kind: 'order-flow', time: 0, instrument: ctx.instrument!, intervalUs: 0, buyVolume: 0, sellVolume: 0, imbalance: NaN, trades: 0 }),
  fill(e, f, _v, i) {
    const o = e as Extract<CatalogEvent, { kind: 'order-flow' }>;
    o.intervalUs = f[0]![i]!;
    o.buyVolume = f[1]![i]!;
    o.sellVolume = f[2]![i]!;
    o.imbalance = f[3]![i]!;
    o.trades = f[4]![i]!;
  },
};

/** The schema of each event type. */
export const SCHEMAS: Readonly<Record<CatalogEventType, EventSchema>> = {
  bar: BAR,
  quote: QUOTE,
  trade: TRADE,
  'book-delta': BOOK_DELTA,
  'book-snapshot': BOOK_SNAPSHOT,
  l3: L3,
  status: STATUS,
  news: NEWS,
  'order-flow': ORDER_FLOW,
};

/** True for columns replay reads as doubles (numbers and booleans); false for strings and lists. */
export function isNumericColumn(c: ColumnDef): boolean {
  return c.sql === 'DOUBLE' || c.sql === 'BIGINT' || c.sql === 'TINYINT' || c.sql === 'BOOLEAN';
}

/** The staging (in-memory DuckDB) type of a column: numbers travel as DOUBLE, exact below 2^53. */
export function stagingType(c: ColumnDef): string {
  if (isNumericColumn(c)) return 'DOUBLE';
  if (c.sql === 'BIGINT[]') return 'DOUBLE[]';
  return c.sql;
}

/** Quotes an SQL identifier. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes an SQL string literal. */
export function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
