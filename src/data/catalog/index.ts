/**
 * The Parquet catalog: import normalized events (`CatalogWriter`, `importSources`, source kinds in
 * `sources.ts`), list and query them with SQL (`listPartitions`, `queryCatalog`, `openCatalogDb`),
 * replay them in exact (time, seq) order (`openCatalogSource`), and compare streams
 * (`eventStreamHash`). See docs/catalog.md.
 */
export { CATALOG_EVENT_TYPES, isCatalogEventType, MARKET_WIDE, VIEW_NAMES, type CatalogEvent, type CatalogEventType } from './event-types.ts';
export {
  CatalogError,
  catalogRegistry,
  MANIFEST_FILE,
  readManifest,
  specOf,
  type CatalogFile,
  type CatalogManifest,
  type CatalogRun,
} from './manifest.ts';
export { L3_ACTION_CODES, SCHEMAS, sideCode, type ColumnDef, type EventSchema } from './schema.ts';
export {
  catalogSourceKinds,
  openSourceSpec,
  parseIntervalUs,
  parseSourceSpec,
  registerCatalogSource,
  type CatalogEventInput,
  type CatalogSourceContext,
  type CatalogSourceOpener,
  type SourceSpec,
} from './sources.ts';
export { CatalogWriter, importSources, partitionSegment, type CatalogWriterOptions, type ImportResult, type ImportSourcesOptions } from './writer.ts';
export { CatalogSource, openCatalogSource, selectRuns, type CatalogSourceOptions } from './reader.ts';
export { listPartitions, openCatalogDb, queryCatalog, type CatalogDb, type PartitionSummary, type QueryResult } from './query.ts';
export { canonicalEventLine, copyEvent, eventStreamHash, EventStreamHasher } from './hash.ts';
import './more-sources.ts';
