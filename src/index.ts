/**
 * marketsim's public API. Rings (DESIGN.md): core <- market <- data <- sim <- cli.
 */
// core
export { Rng, fnv1a } from './core/rng.ts';
export { VirtualClock, type Pacing } from './core/clock.ts';
export { EventQueue, type Scheduled } from './core/event-queue.ts';
export { EventLoop, type RunStop } from './core/event-loop.ts';
export { systemWallClock, type WallClock } from './core/wall-clock.ts';
export { MarketsimError, DataError, ConfigError } from './core/errors.ts';
export { pow10, parseScaled, toScaled, fromScaled, formatScaled, decimalPlaces, floorDiv } from './core/fixed-point.ts';
export { ExactSum, fsum } from './core/fsum.ts';
export * from './core/time.ts';
export { BufferPool, scratchBuffers, takeFloat64 } from './core/buffer-pool.ts';
// market
export { Instrument, InstrumentRegistry, type InstrumentSpec, type AssetClass } from './market/instrument.ts';
export {
  Order,
  sideSign,
  opposite,
  type Side,
  type OrderType,
  type TimeInForce,
  type OrderStatus,
  type RejectReason,
  type CancelReason,
  type SelfTradePrevention,
  type OrderRequest,
  type AuctionKind,
} from './market/order.ts';
export {
  SourceState,
  type BarEvent,
  type QuoteEvent,
  type TradeEvent,
  type BookDeltaEvent,
  type BookSnapshotEvent,
  type L3Event,
  type L3Action,
  type StatusEvent,
  type MarketStatus,
  type NewsEvent,
  type OrderFlowEvent,
  type MarketEvent,
  type EventSource,
} from './market/market-data.ts';
export { MakerTakerFees, noFees, type FeeModel, type Liquidity, type MakerTakerFeeOptions } from './market/fees.ts';
export { ConstantLatency, UniformLatency, NormalLatency, LogNormalLatency, zeroLatency, type LatencyModel } from './market/latency.ts';
export { barFillPrice, quoteFillPrice, tradeFillPrice, defaultDataFillOptions, type DataFillOptions } from './market/fill-model.ts';
export { validateOrder } from './market/order-validation.ts';
export { SimulatedVenue, type VenueOptions, type LiquiditySource, type InstrumentRules, type RulesView, type RulesHost } from './market/venue.ts';
export { OrderBook } from './market/order-book.ts';
export { MatchingEngine, type MatchListener, type MatchingEngineOptions } from './market/matching-engine.ts';
export * from './market/replay/index.ts';
export type { Fill, OrderUpdate, OrderEventKind, VenueAccount } from './market/venue-types.ts';
// data
export * from './data/index.ts';
/** Binance: exchangeInfo instruments, recordings, the local order book, data.binance.vision files. */
export * as binance from './data/binance/index.ts';
/** LOBSTER: message and order-book loaders, exact reconstruction. */
export * as lobster from './data/lobster.ts';
/** The Parquet catalog: import, replay, query (DuckDB). */
export * as catalog from './data/catalog/index.ts';
export * from './data/news.ts';
export * from './data/order-flow.ts';
/** Price models, their analytic prices and the Monte Carlo check (docs/models.md). */
export * as models from './data/synthetic/pricing.ts';
export { simulateTerminal, makeStepper, GbmStepper, HestonQeStepper, type PathStepper, type ModelName } from './data/synthetic/simulate.ts';
export { runModelsCheck } from './data/synthetic/models-check.ts';
export { openSyntheticPreset, PRESET_NAMES, type PresetName, type SyntheticPresetOptions } from './data/synthetic/presets.ts';
export { microstructureSource, microstructureBatches, type MicrostructureOptions, type LatentPrice, type TradeArrivals } from './data/synthetic/microstructure.ts';
export { NewsSimulator, NewsImpactModel, NewsImpactState, type NewsSimOptions, type ScheduledNews } from './data/synthetic/news-sim.ts';
export { LobFlowModel, type LobFlowParams, type LobFlowCounters } from './data/synthetic/lob-flow.ts';
// sim
export { Account, type AccountOptions, type AccountKind, type FillInput } from './sim/account.ts';
export { BarHistory } from './sim/bar-history.ts';
export * from './sim/indicators/index.ts';
export { computeStatistics, type Statistics, type StatisticsInput } from './sim/statistics.ts';
export {
  defineStrategy,
  type Strategy,
  type StrategyContext,
  type StrategyDefinition,
  type SubmitRequest,
  type BracketRequest,
  type BracketIds,
  type StrategyOrderUpdate,
  type TimerEvent,
  type BookView,
} from './sim/strategy.ts';
export { Simulation, type SimulationOptions, type SimulationResult, type FillReport, type RejectionReport, type LatencyOptions, type InstrumentSeries, type SimulationPlugin } from './sim/simulation.ts';
export { CashFlowSchedule, type ScheduledCashFlow, type CashFlowRecord } from './sim/cash-flows.ts';
export { MappedSource, sessionFilter } from './data/mapped-source.ts';
export { roundTrips, type RoundTrip } from './sim/round-trips.ts';
export { runConfigSchema, parseRunConfig, type RunConfig, type RunConfigInput } from './sim/run-config.ts';
export { runConfig, defaultCashPrecision, type RunReport, type RunOptions } from './sim/run.ts';
export { loadStrategyDefinition, createStrategy, builtinStrategyNames } from './sim/strategy-loader.ts';
// observe
export { Journal } from './observe/journal.ts';
// assets
export * from './assets/equity/index.ts';
// report
export { writeReport, renderReport, loadReportAssets, REPORT_FILE, readRunFolder, buildReportModel, renderReportHtml, findChromium, requireChromium, type RunFolder, type ReportModel, type ChartData, type ReportAssets } from './report/index.ts';
export { writeReportInputs } from './cli/output.ts';
export { ENGINE_V8_FLAGS, engineV8Flags, applyEngineV8Flags } from './cli/v8-flags.ts';
export * from './assets/bond/index.ts';
export * from './data/synthetic/agents/index.ts';
export * from './assets/crypto/index.ts';
// synthetic markets (issue 5: ticks, book flow, news impact)
export { ZigguratNormal } from './data/synthetic/ziggurat.ts';
export { NewsOverlay, type NewsSimConfig, type NewsInput } from './data/synthetic/news-overlay.ts';
export { openTickPreset, TICK_PRESET_NAMES, TICK_PRESET_KINDS, type TickPresetName, type TickKind, type TickPresetOptions, type TickPreset, type TickPresetEvent } from './data/synthetic/tick-presets.ts';
export { lobFlowEvents, type LobFlowEventOptions, type LobFlowEventKind } from './data/synthetic/lob-flow-events.ts';
export { BookFlowSource, type BookFlowOptions, type BookFlowVenue, type BookFlowQueue } from './data/synthetic/book-flow-source.ts';
export { minuteBarsWithNews } from './data/synthetic/minute-bars.ts';
export { resolveLobFlowParams, type ResolvedLobFlow, CST_K, CST_ALPHA, CST_MU, CST_LAMBDA, CST_THETA } from './data/synthetic/lob-flow.ts';
export { Portfolio, portfolioConfigSchema, portfolioConfigFields, balanceConfigSchema, portfolioOptionsFromConfig, defaultBalancePrecision, type PortfolioOptions, type BalanceOptions, type PortfolioEntry, type BalanceReport, type MarginDesk, type PortfolioConfig } from './sim/portfolio.ts';
export { FxRates, pairOf, parseRate, rational, addRational, mulRational, roundRational, formatRational, type Rational, type CurrencyPair } from './sim/fx-rates.ts';
export { cryptoConfigSchema, parseCryptoConfig, type CryptoConfig, type CryptoConfigInput, type CryptoFaultConfig } from './sim/crypto-config.ts';
export { buildCryptoRun, type CryptoRun } from './sim/crypto-run.ts';
export { CryptoFeePlugin, tierFromConfig, type CryptoFeeOptions } from './sim/crypto-fees.ts';
export { planFaults, FaultStatusSource, CryptoDataOverlay, type FaultPlan, type FaultTransition, type CrashPoint } from './sim/crypto-faults.ts';
export { CryptoTransferPlugin, type CryptoTransferOptions, type TransferOrder, type TransferOutcome, type RefusedTransfer, type ChainConfig } from './sim/crypto-transfers.ts';
export { PerpetualsPlugin, PerpInstrumentRules, type PerpetualsOptions, type PerpContractSetup, type FundingRecord } from './sim/crypto-perps.ts';
export { BondDefaultSettlement, DEFAULT_SETTLEMENT_ORDER_ID, type DefaultSettlement, type BondDefaultReport } from './sim/bond-default.ts';
export { openBondRun, bondSourceSchema, bondCreditSchema, creditProcessOf, type BondCreditConfig, type BondRun, type BondSourceConfig } from './sim/bond-run.ts';
