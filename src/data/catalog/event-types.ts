import type {
  BookDeltaEvent,
  BookSnapshotEvent,
  L3Event,
  MarketEvent,
  NewsEvent,
  OrderFlowEvent,
  StatusEvent,
} from '../../market/market-data.ts';

/** Every normalized event the catalog stores (all the event types of src/market/market-data.ts). */
export type CatalogEvent = MarketEvent | BookDeltaEvent | BookSnapshotEvent | L3Event | StatusEvent | NewsEvent | OrderFlowEvent;

/** The `kind` of a catalog event; also the `type=` partition value. */
export type CatalogEventType = CatalogEvent['kind'];

/** All event types, in the order `data ls` and the docs list them. */
export const CATALOG_EVENT_TYPES: readonly CatalogEventType[] = ['bar', 'quote', 'trade', 'book-delta', 'book-snapshot', 'l3', 'status', 'news', 'order-flow'];

/** The SQL view of each event type in `data query`. */
export const VIEW_NAMES: Readonly<Record<CatalogEventType, string>> = {
  bar: 'bars',
  quote: 'quotes',
  trade: 'trades',
  'book-delta': 'book_deltas',
  'book-snapshot': 'book_snapshots',
  l3: 'l3',
  status: 'status',
  news: 'news',
  'order-flow': 'order_flow',
};

/** True when `s` names an event type. */
export function isCatalogEventType(s: string): s is CatalogEventType {
  return (CATALOG_EVENT_TYPES as readonly string[]).includes(s);
}

/** Venue and symbol of the market-wide partition that holds news (news belongs to no one instrument). */
export const MARKET_WIDE = '_';
