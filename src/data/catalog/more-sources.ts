import { registerCatalogSource } from './sources.ts';
import { readLobsterBatches, readLobsterSnapshotBatches } from '../lobster.ts';
import { BinanceRecordingReplay } from '../binance/recording-replay.ts';
import { loadVisionCsv } from '../binance/vision-csv.ts';
import { loadDepthRowsCsv, loadTardisSnapshotsCsv } from '../binance/depth-csv.ts';

/**
 * Catalog sources for the exchange formats, registered on import:
 * - `lobster:MESSAGES_FILE` L3, trade and status events; `lobster-book[orderbook=FILE,levels=N]:MESSAGES_FILE`
 *   the paired order-book file as snapshots;
 * - `binance-recording:PREFIX` a cryptofeed recording (`.../BINANCE`: exchangeInfo, depth snapshots, frames);
 * - `binance-vision:FILE` a data.binance.vision klines, aggTrades or trades CSV;
 * - `binance-depth:FILE` historical order-book rows; `tardis-book:FILE` Tardis book snapshot CSVs.
 * Options: `symbol`, `date`, `timeZone` (LOBSTER).
 */
registerCatalogSource(
  'lobster',
  async (path, ctx) =>
    readLobsterBatches(path, {
      registry: ctx.registry,
      ...(ctx.options.symbol ? { symbol: ctx.options.symbol } : {}),
      ...(ctx.options.date ? { date: ctx.options.date } : {}),
      ...(ctx.options.timeZone ? { timeZone: ctx.options.timeZone } : {}),
    }),
  'LOBSTER message file: L3 order events, trades (visible and hidden executions) and halts',
);

registerCatalogSource(
  'lobster-book',
  async (path, ctx) => {
    const ob = ctx.options.orderbook;
    const levels = Number(ctx.options.levels);
    if (!ob || !(levels >= 1)) throw new RangeError(`lobster-book needs [orderbook=FILE,levels=N] options`);
    return readLobsterSnapshotBatches(path, ob, levels, { registry: ctx.registry, ...(ctx.options.symbol ? { symbol: ctx.options.symbol } : {}) });
  },
  'LOBSTER order-book file (paired with its message file) as book snapshots',
);

registerCatalogSource(
  'binance-recording',
  async (prefix, ctx) => (await BinanceRecordingReplay.open(prefix, { registry: ctx.registry })).source(),
  'cryptofeed Binance recording: depth snapshots and diffs (local book rules), bookTicker, aggTrade, kline',
);

registerCatalogSource(
  'binance-vision',
  async (path, ctx) => (await loadVisionCsv(path, undefined, { registry: ctx.registry, ...(ctx.options.symbol ? { symbol: ctx.options.symbol } : {}) })).source,
  'data.binance.vision klines, aggTrades or trades CSV',
);

registerCatalogSource(
  'binance-depth',
  async (path, ctx) => (await loadDepthRowsCsv(path, { registry: ctx.registry })).source,
  'Binance historical order-book rows (symbol,timestamp,first_update_id,last_update_id,side,update_type,price,qty,pu)',
);

registerCatalogSource(
  'tardis-book',
  async (path, ctx) => (await loadTardisSnapshotsCsv(path, { registry: ctx.registry })).source,
  'Tardis-style book snapshot CSV',
);
