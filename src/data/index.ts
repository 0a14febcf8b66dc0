/**
 * The data ring: historical loaders (CSV bars, trades, quotes; streaming, exact decimals) and
 * synthetic generators (GBM). See docs/data.md.
 */
export { BatchSource } from './batch-source.ts';
export { BarBatchSource, BarColumnBatch, type BarSink } from './bar-batch-source.ts';
export { CsvCursor, DEFAULT_HIGH_WATER_MARK, openByteStream, readTextChunks, type TextChunkOptions } from './csv-reader.ts';
export {
  daysFromCivil,
  decimalsAt,
  detectTimeFormat,
  explainNumber,
  parseCompactDateAt,
  parseEpochAt,
  parseIsoAt,
  parseTimeOfDayAt,
  parseUnitsAt,
  TIME_FORMATS,
  timeParser,
  type TimeFormat,
  type TimeParser,
} from './csv-fields.ts';
export {
  MAX_KEPT_ERRORS,
  newLoadStats,
  readCsvBatches,
  resolveColumn,
  scanPrecision,
  symbolFromPath,
  type ColumnRef,
  type CsvLayout,
  type CsvOptions,
  type DecoderFactory,
  type InstrumentOptions,
  type LoadStats,
  type OnError,
  type PrecisionScan,
  type RowDecoder,
} from './csv-table.ts';
export { inferBarInstrument, loadBarsCsv, readBarBatches, type BarColumns, type BarCsvOptions, type LoadedBars } from './bar-csv.ts';
export {
  inferQuoteInstrument,
  inferTradeInstrument,
  loadQuotesCsv,
  loadTradesCsv,
  readQuoteBatches,
  readTradeBatches,
  type LoadedEvents,
  type QuoteColumns,
  type QuoteCsvOptions,
  type TradeColumns,
  type TradeCsvOptions,
} from './tick-csv.ts';
export { gbmBars, gbmBarSource, gbmQuotes, GbmQuoteSource, YEAR_US, type GbmBarOptions, type GbmOptions, type GbmQuoteOptions } from './gbm.ts';
