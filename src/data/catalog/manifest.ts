import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MarketsimError } from '../../core/errors.ts';
import { InstrumentRegistry, type Instrument, type InstrumentSpec } from '../../market/instrument.ts';
import { isCatalogEventType, type CatalogEventType } from './event-types.ts';

/**
 * The catalog manifest `DIR/catalog.json`: the instruments (full specs, so replay rebuilds the same
 * integer units), every run of events and its Parquet files with row counts and time and sequence
 * ranges, and the next free sequence number and run id. Replay and queries read files only through
 * the manifest, so a file that went missing or lost rows is detected, never silently skipped.
 */

/** A catalog problem: missing or corrupt file, bad filter, not a catalog. Names the file or the filter. */
export class CatalogError extends MarketsimError {
  /** The file concerned, when there is one. */
  readonly file: string | undefined;
  constructor(code: 'CATALOG_MISSING_FILE' | 'CATALOG_CORRUPT' | 'CATALOG_FILTER' | 'CATALOG_INVALID' | 'CATALOG_QUERY', message: string, file?: string) {
    super(code, message);
    this.name = 'CatalogError';
    this.file = file;
  }
}

/** One Parquet file: the events of one run on one UTC date. */
export interface CatalogFile {
  /** Path relative to the catalog directory. */
  path: string;
  /** UTC date `YYYY-MM-DD`. */
  date: string;
  rows: number;
  minTime: number;
  maxTime: number;
  minSeq: number;
  maxSeq: number;
}

/**
 * A run: events of one type and one instrument (or the market-wide news partition) from one
 * source of one import, sorted by (time, seq). Files of a run are in date order.
 */
export interface CatalogRun {
  run: number;
  type: CatalogEventType;
  venue: string;
  symbol: string;
  /** The source spec it was imported from. */
  source: string;
  files: CatalogFile[];
}

/** The whole manifest. */
export interface CatalogManifest {
  format: 'marketsim-catalog';
  version: 1;
  nextSeq: number;
  nextRun: number;
  instruments: InstrumentSpec[];
  runs: CatalogRun[];
}

/** Name of the manifest file inside a catalog directory. */
export const MANIFEST_FILE = 'catalog.json';

/** An empty manifest. */
export function emptyManifest(): CatalogManifest {
  return { format: 'marketsim-catalog', version: 1, nextSeq: 0, nextRun: 0, instruments: [], runs: [] };
}

/** Reads `DIR/catalog.json`; with `create`, a missing manifest gives an empty one. */
export function readManifest(dir: string, create = false): CatalogManifest {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) {
    if (create) return emptyManifest();
    throw new CatalogError('CATALOG_INVALID', `${dir} is not a marketsim catalog (no ${MANIFEST_FILE}); create one with 'marketsim data import'`, path);
  }
  let m: CatalogManifest;
  try {
    m = JSON.parse(readFileSync(path, 'utf8')) as CatalogManifest;
  } catch (err) {
    throw new CatalogError('CATALOG_CORRUPT', `${path}: not valid JSON (${(err as Error).message})`, path);
  }
  if (m.format !== 'marketsim-catalog' || m.version !== 1 || !Array.isArray(m.runs) || !Array.isArray(m.instruments)) {
    throw new CatalogError('CATALOG_CORRUPT', `${path}: not a version-1 marketsim catalog manifest`, path);
  }
  for (const r of m.runs) {
    if (!isCatalogEventType(r.type)) throw new CatalogError('CATALOG_CORRUPT', `${path}: run ${r.run} has unknown event type '${r.type}'`, path);
  }
  return m;
}

/** Writes the manifest atomically (temporary file, then rename). */
export function writeManifest(dir: string, m: CatalogManifest): void {
  const path = join(dir, MANIFEST_FILE);
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(m, null, 1) + '\n');
  renameSync(tmp, path);
}

/** The spec of an instrument, every field explicit (what the manifest stores). */
export function specOf(i: Instrument): InstrumentSpec {
  return {
    symbol: i.symbol,
    venue: i.venue,
    assetClass: i.assetClass,
    pricePrecision: i.pricePrecision,
    tickUnits: i.tickUnits,
    sizePrecision: i.sizePrecision,
    lotUnits: i.lotUnits,
    minSizeUnits: i.minSizeUnits,
    maxSizeUnits: i.maxSizeUnits,
    currency: i.currency,
    multiplier: i.multiplier,
  };
}

/** True when two specs give the same instrument (every field equal). */
export function sameSpec(a: InstrumentSpec, b: InstrumentSpec): boolean {
  const keys: (keyof InstrumentSpec)[] = ['symbol', 'venue', 'assetClass', 'pricePrecision', 'tickUnits', 'sizePrecision', 'lotUnits', 'minSizeUnits', 'maxSizeUnits', 'currency', 'multiplier'];
  return keys.every((k) => a[k] === b[k]);
}

/**
 * The instruments of a catalog in a registry (a new one, or `into`, where a symbol already present
 * must have the same spec, or the units would differ).
 */
export function catalogRegistry(m: CatalogManifest, into?: InstrumentRegistry): InstrumentRegistry {
  const reg = into ?? new InstrumentRegistry();
  for (const spec of m.instruments) {
    const have = reg.get(spec.symbol);
    if (have && !sameSpec(specOf(have), spec)) {
      throw new CatalogError('CATALOG_INVALID', `instrument ${spec.symbol}: the registry's spec ${JSON.stringify(specOf(have))} differs from the catalog's ${JSON.stringify(spec)}`);
    }
    reg.add(spec);
  }
  return reg;
}
