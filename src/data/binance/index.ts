/**
 * Binance data: exchangeInfo -> instrument specs, the cryptofeed recording replay with an exact
 * local order book (Binance's sync rules), the bookTicker comparison, data.binance.vision CSVs,
 * historical order-book rows, Tardis snapshots and REST/WS JSON payloads. See docs/binance.md.
 */
export { parseStep, significantDecimals, unitsOf, maxDecimalsOfLevels, type Step } from './decimal.ts';
export { instrumentSpecsFromExchangeInfo, symbolInfosFromExchangeInfo, type BinanceSymbolInfo, type ExchangeInfoOptions } from './exchange-info.ts';
export {
  decodeDepthSnapshot,
  decodeFrame,
  parseFrameText,
  type BinanceFrame,
  type BookTickerFrame,
  type DepthFrame,
  type DepthSnapshotBody,
  type KlineFrame,
  type OtherFrame,
  type RawLevel,
  type TradeFrame,
} from './frames.ts';
export { LevelBook, LevelSide } from './level-book.ts';
export {
  DiffOutcome,
  LocalOrderBook,
  type BookCounters,
  type BookMarket,
  type BookSyncListener,
  type GapInfo,
  type LocalBookOptions,
  type SyncState,
  type UnitDiff,
} from './local-book.ts';
export {
  parseHttpLine,
  parseWsHeader,
  parseWsLine,
  readLines,
  readRecordingInfo,
  recordingFiles,
  symbolOfUrl,
  type HttpRecord,
  type RecordingInfo,
  type TextLine,
  type WsRecord,
} from './recording.ts';
export {
  BinanceRecordingReplay,
  type RecordingEvent,
  type RecordingObserver,
  type RecordingReplayOptions,
  type RecordingStats,
  type ResyncRecord,
} from './recording-replay.ts';
export { checkBookTickers, TickerCheckCollector, type TickerCheckCounts, type TickerCheckReport, type TickerMismatch } from './bookticker-check.ts';
export { levelUnits, priceUnits, sizeUnits } from './units.ts';
export {
  inferVisionInstrument,
  loadVisionCsv,
  readKlineBatches,
  readVisionTradeBatches,
  visionKindOfPath,
  visionSymbolOfPath,
  type LoadedVision,
  type VisionCsvOptions,
  type VisionKind,
} from './vision-csv.ts';
export {
  inferDepthRowsInstrument,
  inferTardisInstrument,
  loadDepthRowsCsv,
  loadTardisSnapshotsCsv,
  readDepthRowBatches,
  readTardisSnapshotBatches,
  type DepthCsvOptions,
} from './depth-csv.ts';
export { inferRestSpec, readJsonFile, restDepthSnapshot, restKindOf, restKlines, restTrades, wsTrade, type RestKind } from './rest-json.ts';
