import { createHash } from 'node:crypto';
import type { Instrument } from '../../market/instrument.ts';
import type { EventSource } from '../../market/market-data.ts';
import { forEachEvent } from '../batch-source.ts';
import type { CatalogEvent } from './event-types.ts';

/**
 * The event stream hash: SHA-256 over one canonical text line per event (each ending in `\n`),
 * preceded, the first time an instrument appears, by a line with its full spec. Two streams hash
 * the same exactly when they carry the same events in the same order with the same instruments
 * (same units): numbers are written in JavaScript's shortest round-trip form (`String(x)`, so two
 * doubles print the same only when they are the same double; `NaN` for NaN), strings as JSON.
 * Line formats (fields separated by `|`; docs/catalog.md):
 *
 *     instrument|VENUE|SYMBOL|assetClass|pricePrecision|tickUnits|sizePrecision|lotUnits|currency|multiplier
 *     bar|time|VENUE|SYMBOL|open|high|low|close|volume
 *     quote|time|VENUE|SYMBOL|bidPrice|bidSize|askPrice|askSize
 *     trade|time|VENUE|SYMBOL|price|size|BUY/SELL/-
 *     book-delta|time|VENUE|SYMBOL|side|price|size|sequence|1/0
 *     book-snapshot|time|VENUE|SYMBOL|sequence|bidPrices|bidSizes|askPrices|askSizes   (lists comma-separated)
 *     l3|time|VENUE|SYMBOL|action|orderId|side|price|size
 *     status|time|VENUE|SYMBOL|status|"reason"
 *     news|time|VENUE|SYMBOL|["symbols"]|"headline"|"source"|sentiment|importance   (VENUE|SYMBOL: - when no instrument)
 *     order-flow|time|VENUE|SYMBOL|intervalUs|buyVolume|sellVolume|imbalance|trades
 */

const num = (x: number): string => (Object.is(x, -0) ? '-0' : String(x));

function instrumentLine(i: Instrument): string {
  return `instrument|${i.venue}|${i.symbol}|${i.assetClass}|${i.pricePrecision}|${i.tickUnits}|${i.sizePrecision}|${i.lotUnits}|${i.currency}|${num(i.multiplier)}\n`;
}

/** The canonical line of one event (without the instrument line), ending in `\n`. */
export function canonicalEventLine(e: CatalogEvent): string {
  const who = e.instrument ? `${e.instrument.venue}|${e.instrument.symbol}` : '-|-';
  const head = `${e.kind}|${num(e.time)}|${who}|`;
  switch (e.kind) {
    case 'bar':
      return `${head}${num(e.open)}|${num(e.high)}|${num(e.low)}|${num(e.close)}|${num(e.volume)}\n`;
    case 'quote':
      return `${head}${num(e.bidPrice)}|${num(e.bidSize)}|${num(e.askPrice)}|${num(e.askSize)}\n`;
    case 'trade':
      return `${head}${num(e.price)}|${num(e.size)}|${e.aggressor ?? '-'}\n`;
    case 'book-delta':
      return `${head}${e.side}|${num(e.price)}|${num(e.size)}|${num(e.sequence)}|${e.last ? 1 : 0}\n`;
    case 'book-snapshot':
      return `${head}${num(e.sequence)}|${e.bidPrices.map(num).join(',')}|${e.bidSizes.map(num).join(',')}|${e.askPrices.map(num).join(',')}|${e.askSizes.map(num).join(',')}\n`;
    case 'l3':
      return `${head}${e.action}|${num(e.orderId)}|${e.side}|${num(e.price)}|${num(e.size)}\n`;
    case 'status':
      return `${head}${e.status}|${JSON.stringify(e.reason)}\n`;
    case 'news':
      return `${head}${JSON.stringify(e.symbols)}|${JSON.stringify(e.headline)}|${JSON.stringify(e.source)}|${num(e.sentiment)}|${num(e.importance)}\n`;
    case 'order-flow':
      return `${head}${num(e.intervalUs)}|${num(e.buyVolume)}|${num(e.sellVolume)}|${num(e.imbalance)}|${num(e.trades)}\n`;
  }
}

/** Incremental event stream hash: `add` events in order, then `digest`. */
export class EventStreamHasher {
  private readonly hash = createHash('sha256');
  private readonly seen = new Set<Instrument>();
  private buf = '';
  /** Events added so far. */
  events = 0;

  add(e: CatalogEvent): void {
    const inst = e.instrument;
    if (inst && !this.seen.has(inst)) {
      this.seen.add(inst);
      this.buf += instrumentLine(inst);
    }
    this.buf += canonicalEventLine(e);
    this.events++;
    if (this.buf.length > 1 << 16) {
      this.hash.update(this.buf);
      this.buf = '';
    }
  }

  /** The hex SHA-256 of everything added. */
  digest(): string {
    this.hash.update(this.buf);
    this.buf = '';
    return this.hash.digest('hex');
  }
}

/** Pulls a source to its end (awaiting refills) and returns its event stream hash and event count. Closes the source. */
export async function eventStreamHash(source: EventSource<CatalogEvent>): Promise<{ sha256: string; events: number }> {
  const h = new EventStreamHasher();
  try {
    await forEachEvent(source, (e) => h.add(e));
  } finally {
    source.close();
  }
  return { sha256: h.digest(), events: h.events };
}

/** A deep copy of an event (sources reuse their event objects; copy what you keep). */
export function copyEvent<E extends CatalogEvent>(e: E): E {
  const c = { ...e };
  if (c.kind === 'book-snapshot') {
    c.bidPrices = [...c.bidPrices];
    c.bidSizes = [...c.bidSizes];
    c.askPrices = [...c.askPrices];
    c.askSizes = [...c.askSizes];
  } else if (c.kind === 'news') c.symbols = [...c.symbols];
  return c;
}
