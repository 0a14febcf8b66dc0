import { statSync } from 'node:fs';
import { MarketsimError } from '../../core/errors.ts';
import { loadBarsCsv } from '../../data/bar-csv.ts';
import { openCatalogSource } from '../../data/catalog/index.ts';
import type { EventSource, MarketEvent } from '../../market/market-data.ts';
import { forEachEvent } from '../../data/batch-source.ts';
import type { FactBar } from './series.ts';

/** Options of `loadFactBars`. */
export interface LoadFactBarsOptions {
  /** The symbol to take from a catalog holding several (required then). */
  symbol?: string;
}

/** Drains a source of bar events into `{ time, close, volume }` rows (other events are skipped). */
async function drain(source: EventSource<MarketEvent>, symbol: string | undefined, name: string): Promise<FactBar[]> {
  const bars: FactBar[] = [];
  let seen: string | undefined;
  try {
    await forEachEvent(source, (e) => {
      if (e.kind !== 'bar') return;
      const sym = e.instrument.symbol;
      if (symbol !== undefined && sym !== symbol) return;
      if (seen === undefined) seen = sym;
      else if (sym !== seen) throw new MarketsimError('CLI_INVALID', `${name}: bars of several symbols (${seen}, ${sym}); choose one with --symbol`);
      bars.push({ time: e.time, close: e.close, volume: e.volume });
    });
  } finally {
    source.close();
  }
  return bars;
}

/**
 * Reads 1-minute bars for the stylized-facts suite from a bar CSV file (`loadBarsCsv`, any layout it
 * reads, gzip included) or a catalog directory (`openCatalogSource`, bar events only). Errors name the
 * file (and line, for bad rows); a source without bars is an error.
 */
export async function loadFactBars(path: string, options: LoadFactBarsOptions = {}): Promise<FactBar[]> {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new MarketsimError('CLI_INVALID', `${path}: no such file or catalog directory`);
  }
  let bars: FactBar[];
  if (isDir) {
    const source = await openCatalogSource(path, { types: ['bar'], ...(options.symbol !== undefined ? { symbols: [options.symbol] } : {}) });
    bars = await drain(source, options.symbol, path);
  } else {
    const { source } = await loadBarsCsv(path);
    bars = await drain(source, undefined, path);
  }
  if (bars.length === 0) throw new MarketsimError('CLI_INVALID', `${path}: no bars found`);
  return bars;
}
