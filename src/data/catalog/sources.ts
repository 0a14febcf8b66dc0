import { MarketsimError } from '../../core/errors.ts';
import type { InstrumentRegistry } from '../../market/instrument.ts';
import type { EventSource } from '../../market/market-data.ts';
import { loadBarsCsv, type BarColumns } from '../bar-csv.ts';
import type { TimeFormat } from '../csv-fields.ts';
import type { CsvOptions, InstrumentOptions } from '../csv-table.ts';
import { readNewsBatches } from '../news.ts';
import { orderFlowFromTrades, readOrderFlowBatches } from '../order-flow.ts';
import { inferTradeInstrument, loadQuotesCsv, loadTradesCsv, readTradeBatches, type QuoteColumns, type TradeColumns } from '../tick-csv.ts';
import type { CatalogEvent } from './event-types.ts';

/**
 * Source specs of `marketsim data import` and the registry of source kinds.
 *
 * A spec is `KIND:PATH` or `KIND[key=value,key=value]:PATH`, e.g. `bars:orcl-2014.txt`,
 * `trades[time=Datetime,price=Close,size=Volume,symbol=TICK]:ticksample.csv`. Options in brackets
 * override the command's global options (`--symbol`, `--venue`, ...) for that source only. A kind
 * maps to an opener registered with `registerCatalogSource`; loaders of other formats plug in with
 * one line each, e.g. `registerCatalogSource('lobster', (path, ctx) => openLobster(path, ctx))`.
 */

/** Events as an opener returns them: batches (arrays are read once, then dropped) or a pull source. */
export type CatalogEventInput = AsyncIterable<readonly CatalogEvent[]> | Iterable<readonly CatalogEvent[]> | EventSource<CatalogEvent>;

/** What an opener gets: the catalog's instrument registry (reuse it so units agree) and the options. */
export interface CatalogSourceContext {
  /** The catalog's instruments; add new ones here (a symbol already present is reused as is). */
  registry: InstrumentRegistry;
  /** Global options merged with the spec's bracket options (bracket wins). Keys as written. */
  options: Readonly<Record<string, string>>;
}

/** Opens one source file for import. */
export type CatalogSourceOpener = (path: string, ctx: CatalogSourceContext) => Promise<CatalogEventInput>;

/** A parsed source spec. */
export interface SourceSpec {
  kind: string;
  path: string;
  options: Record<string, string>;
  /** The spec as written. */
  text: string;
}

interface Registered {
  opener: CatalogSourceOpener;
  description: string;
}

const REGISTRY = new Map<string, Registered>();

/**
 * Registers (or replaces) the opener of a source kind. `kind` is lowercase letters, digits and `-`.
 * Example: `registerCatalogSource('binance-depth', (path, ctx) => openDepth(path, ctx.registry))`.
 */
export function registerCatalogSource(kind: string, opener: CatalogSourceOpener, description = ''): void {
  if (!/^[a-z][a-z0-9-]*$/.test(kind)) throw new RangeError(`source kind '${kind}' must be lowercase letters, digits and '-'`);
  REGISTRY.set(kind, { opener, description });
}

/** The registered kinds with their descriptions, sorted by name. */
export function catalogSourceKinds(): { kind: string; description: string }[] {
  return [...REGISTRY.entries()].map(([kind, r]) => ({ kind, description: r.description })).sort((a, b) => a.kind.localeCompare(b.kind));
}

/** Parses `KIND:PATH` or `KIND[k=v,...]:PATH`; throws a `MarketsimError` (SOURCE_SPEC) saying what is wrong. */
export function parseSourceSpec(text: string): SourceSpec {
  const m = /^([a-z][a-z0-9-]*)(?:\[([^\]]*)\])?:(.+)$/.exec(text);
  if (!m) throw new MarketsimError('SOURCE_SPEC', `bad source '${text}': expected KIND:PATH or KIND[key=value,...]:PATH (kinds: ${[...REGISTRY.keys()].sort().join(', ')})`);
  const options: Record<string, string> = {};
  if (m[2] !== undefined && m[2].trim() !== '') {
    for (const part of m[2].split(',')) {
      const eq = part.indexOf('=');
      if (eq <= 0) throw new MarketsimError('SOURCE_SPEC', `bad source '${text}': option '${part}' is not key=value`);
      options[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
    }
  }
  return { kind: m[1]!, path: m[3]!, options, text };
}

/** Opens a parsed spec with its registered opener. Unknown kinds are an error listing the known ones. */
export async function openSourceSpec(spec: SourceSpec, registry: InstrumentRegistry, globalOptions: Readonly<Record<string, string>> = {}): Promise<CatalogEventInput> {
  const r = REGISTRY.get(spec.kind);
  if (!r) throw new MarketsimError('SOURCE_SPEC', `unknown source kind '${spec.kind}' in '${spec.text}' (known: ${[...REGISTRY.keys()].sort().join(', ')})`);
  return r.opener(spec.path, { registry, options: { ...globalOptions, ...spec.options } });
}

// ---------------------------------------------------------------------------------------------
// Built-in kinds: generic bar, trade and quote CSVs, news archives, order-flow records.

function int(o: Readonly<Record<string, string>>, key: string): number | undefined {
  const v = o[key];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new MarketsimError('SOURCE_SPEC', `option ${key}=${v} is not an integer`);
  return n;
}

/** CSV and instrument options shared by the CSV kinds, from string options. */
function csvOptions(o: Readonly<Record<string, string>>, registry: InstrumentRegistry): CsvOptions & InstrumentOptions {
  const spec: NonNullable<InstrumentOptions['instrumentSpec']> = {};
  if (o.venue) spec.venue = o.venue;
  if (o.currency) spec.currency = o.currency;
  if (o.assetClass) spec.assetClass = o.assetClass as NonNullable<typeof spec.assetClass>;
  const tick = int(o, 'tickUnits');
  if (tick !== undefined) spec.tickUnits = tick;
  const lot = int(o, 'lotUnits');
  if (lot !== undefined) spec.lotUnits = lot;
  const out: CsvOptions & InstrumentOptions = { registry, instrumentSpec: spec };
  if (o.symbol) out.symbol = o.symbol;
  const pp = int(o, 'pricePrecision');
  if (pp !== undefined) out.pricePrecision = pp;
  const sp = int(o, 'sizePrecision');
  if (sp !== undefined) out.sizePrecision = sp;
  if (o.timeFormat) out.timeFormat = o.timeFormat as TimeFormat;
  if (o.delimiter) out.delimiter = o.delimiter === 'tab' ? '\t' : o.delimiter;
  if (o.header === 'false') out.header = false;
  return out;
}

/** Column map entries: a number is a 0-based index, anything else a header name. */
function columns<K extends string>(o: Readonly<Record<string, string>>, keys: readonly K[]): Partial<Record<K, string | number>> {
  const out: Partial<Record<K, string | number>> = {};
  for (const k of keys) {
    const v = o[k];
    if (v !== undefined && v !== '') out[k] = /^\d+$/.test(v) ? Number(v) : v;
  }
  return out;
}

/** Parses an interval: `250us`, `100ms`, `5s`, `1m`, `1h`, or a bare number of microseconds. */
export function parseIntervalUs(text: string): number {
  const m = /^(\d+)(us|ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new MarketsimError('SOURCE_SPEC', `bad interval '${text}' (expected e.g. 500ms, 5s, 1m or microseconds)`);
  const mult = { us: 1, ms: 1_000, s: 1_000_000, m: 60_000_000, h: 3_600_000_000 }[(m[2] ?? 'us') as 'us'];
  return Number(m[1]) * mult;
}

registerCatalogSource(
  'bars',
  async (path, ctx) => {
    const o = ctx.options;
    const cols = columns(o, ['time', 'timeOfDay', 'open', 'high', 'low', 'close', 'volume'] as const) as BarColumns;
    return (await loadBarsCsv(path, { ...csvOptions(o, ctx.registry), columns: cols })).source;
  },
  'OHLCV bar CSV (Yahoo, backtrader, any layout through time=,open=,... column options)',
);

registerCatalogSource(
  'trades',
  async (path, ctx) => {
    const o = ctx.options;
    const cols = columns(o, ['time', 'timeOfDay', 'price', 'size', 'side'] as const) as TradeColumns;
    return (await loadTradesCsv(path, { ...csvOptions(o, ctx.registry), columns: cols })).source;
  },
  'trade CSV: time, price, size, optional aggressor side (column options time=,price=,size=,side=)',
);

registerCatalogSource(
  'quotes',
  async (path, ctx) => {
    const o = ctx.options;
    const cols = columns(o, ['time', 'timeOfDay', 'bid', 'bidSize', 'ask', 'askSize'] as const) as QuoteColumns;
    return (await loadQuotesCsv(path, { ...csvOptions(o, ctx.registry), columns: cols, allowCrossed: o.allowCrossed === 'true' })).source;
  },
  'L1 quote CSV: time, bid, bid size, ask, ask size',
);

registerCatalogSource(
  'news',
  async (path, ctx) => {
    const o = ctx.options;
    return readNewsBatches(path, {
      registry: ctx.registry,
      ...(o.format ? { format: o.format as 'csv' | 'jsonl' } : {}),
      ...(o.timeFormat ? { timeFormat: o.timeFormat as TimeFormat } : {}),
      ...(o.symbolSeparator ? { symbolSeparator: o.symbolSeparator } : {}),
    });
  },
  'news archive, CSV or JSON Lines: time, symbols, headline, source, sentiment?, importance?',
);

registerCatalogSource(
  'orderflow',
  async (path, ctx) => {
    const o = ctx.options;
    const spec: Record<string, unknown> = {};
    if (o.venue) spec.venue = o.venue;
    const pp = int(o, 'pricePrecision');
    if (pp !== undefined) spec.pricePrecision = pp;
    const sp = int(o, 'sizePrecision');
    if (sp !== undefined) spec.sizePrecision = sp;
    return readOrderFlowBatches(path, {
      registry: ctx.registry,
      instrumentSpec: spec,
      ...(o.symbol ? { symbol: o.symbol } : {}),
      ...(o.interval ? { intervalUs: parseIntervalUs(o.interval) } : {}),
      ...(o.timeFormat ? { timeFormat: o.timeFormat as TimeFormat } : {}),
    });
  },
  'order-flow records CSV: time, symbol?, buy_volume, sell_volume, imbalance?, trades',
);

registerCatalogSource(
  'orderflow-trades',
  async (path, ctx) => {
    const o = ctx.options;
    if (!o.interval) throw new MarketsimError('SOURCE_SPEC', `orderflow-trades needs an interval option, e.g. orderflow-trades[interval=1m]:${path}`);
    const base = { ...csvOptions(o, ctx.registry), columns: columns(o, ['time', 'timeOfDay', 'price', 'size', 'side'] as const) as TradeColumns };
    const instrument = await inferTradeInstrument(path, base);
    return orderFlowFromTrades(readTradeBatches(path, { ...base, instrument }), parseIntervalUs(o.interval));
  },
  'order flow aggregated from a trade CSV per interval (option interval=1m; tick rule for unsigned trades)',
);
