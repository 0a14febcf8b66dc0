/**
 * Crypto rules as data plus small models (docs/crypto.md): symbol filters from Binance exchangeInfo
 * and unified ccxt-style symbols, multi-asset balances in exact base units with valuation in a
 * reporting currency, tiered maker/taker fees with a fee token, blockchain transfers with a fee market
 * and confirmations, perpetual futures (index, mark, funding, brackets, liquidation, insurance fund)
 * and venue faults (maintenance, outages, flash crashes).
 */
export { formatUnits, parseDecimalBig, type Rounding } from './int.ts';
export { parseSymbol, formatSymbol, toBinanceId, fromBinanceId, fromBinanceAssets, DEFAULT_QUOTE_ASSETS, type MarketKind, type UnifiedSymbol } from './symbols.ts';
export {
  parseExchangeInfo,
  checkFilters,
  toInstrumentSpec,
  ExchangeFilters,
  ExchangeInfoError,
  type ExchangeInfoParseOptions,
  type FilterOrder,
  type FilterRejectReason,
  type SymbolFilters,
} from './filters.ts';
export { AssetTable, DEFAULT_ASSET_PRECISIONS } from './assets.ts';
export { Balances, type BalanceRejectReason, type BalanceRow, type TradeSettlement } from './balances.ts';
export { PriceTable, valueBalances, valueAmounts, type Valuation } from './valuation.ts';
export {
  BINANCE_SPOT_VIP_TIERS,
  FeeTierTable,
  RATE_ONE,
  RollingVolume,
  TieredFees,
  type FeeCharge,
  type FeeTier,
  type TieredFeeOptions,
  type TokenPrice,
} from './fee-tiers.ts';
export { BlockClock, DEFAULT_CHAINS, FeeMarket, validateChain, type BlockTimeSpec, type ChainSpec, type FeeMarketSpec } from './chains.ts';
export {
  TransferEngine,
  type LocationRules,
  type Transfer,
  type TransferEngineOptions,
  type TransferEvent,
  type TransferRejectReason,
  type TransferRequest,
  type TransferResult,
} from './transfers.ts';
export { BINANCE_BTCUSDT_BRACKETS, MarginTiers, type BracketRejectReason, type LeverageBracket } from './margin-tiers.ts';
export { FundingRate, IndexPrice, MarkPrice, premiumIndex, type FundingOptions, type MarkPriceOptions } from './perp-prices.ts';
export {
  LiquidationEngine,
  PerpAccount,
  type LiquidationReport,
  type MarginMode,
  type PerpContract,
  type PerpPositionView,
  type PerpRejectReason,
  type PerpTradeResult,
} from './perp-account.ts';
export {
  buildFaultSchedule,
  playFlashCrashEvent,
  VenueFaultState,
  type DurationSpec,
  type FaultEvent,
  type FaultEventKind,
  type FlashCrashHooks,
  type FlashCrashSpec,
  type RestingOrderPolicy,
  type VenueFaultConfig,
  type VenueRejectReason,
} from './faults.ts';
export { CryptoInstrumentRules, faultTransition } from './rules.ts';
