import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError, MarketsimError } from '../core/errors.ts';
import { microsFromIso } from '../core/time.ts';
import type { Rng } from '../core/rng.ts';
import type { Instrument, InstrumentRegistry } from '../market/instrument.ts';
import type { EventSource, MarketEvent } from '../market/market-data.ts';
import type { FeeModel } from '../market/fees.ts';
import type { InstrumentRules } from '../market/venue.ts';
import { readRecordingInfo } from '../data/binance/recording.ts';
import { parseExchangeInfo, toInstrumentSpec, type ExchangeFilters, type SymbolFilters } from '../assets/crypto/filters.ts';
import { CryptoInstrumentRules } from '../assets/crypto/rules.ts';
import { FeeTierTable, RollingVolume, TieredFees, RATE_ONE } from '../assets/crypto/fee-tiers.ts';
import { BINANCE_BTCUSDT_BRACKETS, type LeverageBracket } from '../assets/crypto/margin-tiers.ts';
import type { RestingOrderPolicy } from '../assets/crypto/faults.ts';
import { parseCryptoConfig, type CryptoConfig, type CryptoConfigInput } from './crypto-config.ts';
import { CryptoFeePlugin, tierFromConfig } from './crypto-fees.ts';
import { CryptoDataOverlay, FaultStatusSource, planFaults, type FaultPlan } from './crypto-faults.ts';
import { CryptoTransferPlugin } from './crypto-transfers.ts';
import { PerpetualsPlugin, PerpInstrumentRules } from './crypto-perps.ts';
import type { SimulationPlugin } from './simulation.ts';

/**
 * What a `crypto:` block adds to a run (docs/crypto.md, "Crypto rules in a run"): pass `rules`,
 * `fees` and `outagePolicy` to the venue (`VenueOptions`), add `sources` to the run's sources, wrap
 * every data source with `wrapSource` (outages stop its data, flash crashes move it), and add
 * `plugins` to `SimulationOptions.plugins`.
 */
export interface CryptoRun {
  /** The exchangeInfo documents, searched in order. */
  filters: readonly ExchangeFilters[];
  /** Instruments built (or checked) from the filters for `crypto.symbols`, in order. */
  instruments: Instrument[];
  /** `VenueOptions.rules`: filters (and margin checks for perpetuals) for the crypto instruments, undefined for the others. */
  rules: (instrument: Instrument) => InstrumentRules | undefined;
  /** `VenueOptions.fees`: tiered maker/taker fees (undefined without `crypto.fees`). */
  fees: FeeModel | undefined;
  /** `VenueOptions.outagePolicy`. */
  outagePolicy: RestingOrderPolicy;
  /** Extra sources: the OUTAGE/RESUME status events of the faults (empty without faults). */
  sources: EventSource<MarketEvent>[];
  /** Wraps a data source: outages drop its bars, quotes and trades; flash crashes scale its prices and add the crash's trade prints. */
  wrapSource(source: EventSource<MarketEvent>): EventSource<MarketEvent>;
  /** Plugins for `SimulationOptions.plugins`: fees, transfers, perpetuals (the ones configured). */
  plugins: SimulationPlugin[];
  /** The planned fault schedule. */
  faults: FaultPlan;
  /** The plugins by kind, for API use (a strategy requesting transfers, a test reading the perpetual account). */
  feePlugin: CryptoFeePlugin | undefined;
  transferPlugin: CryptoTransferPlugin | undefined;
  perpetualsPlugin: PerpetualsPlugin | undefined;
}

/** Reads an exchangeInfo document: a JSON file, or a cryptofeed recording's `.0` file (its first line). */
async function loadExchangeInfo(path: string, field: string, precision: 'stated' | 'grid'): Promise<ExchangeFilters> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError([{ path: field, message: `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` }]);
  }
  let doc: unknown;
  const source = path.split('/').pop() ?? path;
  if (text.trimStart().startsWith('{')) {
    try {
      doc = JSON.parse(text);
    } catch (err) {
      throw new ConfigError([{ path: field, message: `${path} is not JSON: ${(err as Error).message}` }]);
    }
  } else doc = (await readRecordingInfo(path)).exchangeInfo;
  return parseExchangeInfo(doc, { source, precision });
}

/** The first document that lists `symbol` with its filters, or undefined. */
function findFilters(docs: readonly ExchangeFilters[], symbol: string): { doc: ExchangeFilters; filters: SymbolFilters } | undefined {
  for (const doc of docs) if (doc.has(symbol)) return { doc, filters: doc.get(symbol) };
  return undefined;
}

/** Why no document gives `symbol` filters (the first document's error: UNKNOWN_SYMBOL or SYMBOL_NO_FILTERS). */
function whyMissing(docs: readonly ExchangeFilters[], symbol: string): string {
  for (const doc of docs) {
    try {
      doc.get(symbol);
    } catch (err) {
      if (err instanceof MarketsimError && err.code === 'SYMBOL_NO_FILTERS') return err.message;
    }
  }
  return `no exchangeInfo document lists '${symbol}' (unified 'BTC/USDT', 'BTC/USDT:USDT' or Binance id 'BTCUSDT')`;
}

function rateUnits(x: number): number {
  return Math.round(x * RATE_ONE);
}

/** Microseconds of a validated ISO time. */
function us(text: string): number {
  return microsFromIso(text);
}

/**
 * Builds the crypto rules of a run from a validated `crypto:` block (or validates `input` first when
 * given raw). Call it BEFORE opening the data sources: it registers the listed `symbols` in `registry`
 * on the filters' grid, so synthetic sources that name them (gbm, presets) reuse these instruments and
 * replayed Binance data finds them. Without `symbols`, every instrument of asset class crypto or future
 * that a document lists gets the rules when the venue lists it; one with another grid is an error.
 * Relative paths resolve against `baseDir`. Errors are `ConfigError`s naming `crypto.<path>`.
 */
export async function buildCryptoRun(config: CryptoConfig | CryptoConfigInput, registry: InstrumentRegistry, rng: Rng, baseDir: string): Promise<CryptoRun> {
  const c = parseCryptoConfig(config);
  const paths = c.exchangeInfo === undefined ? [] : Array.isArray(c.exchangeInfo) ? c.exchangeInfo : [c.exchangeInfo];
  const docs: ExchangeFilters[] = [];
  for (let i = 0; i < paths.length; i++) {
    const field = Array.isArray(c.exchangeInfo) ? `crypto.exchangeInfo.${i}` : 'crypto.exchangeInfo';
    try {
      docs.push(await loadExchangeInfo(resolve(baseDir, paths[i]!), field, c.precision));
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      throw new ConfigError([{ path: field, message: (err as Error).message }]);
    }
  }

  // instruments of the listed symbols, on the filters' grid
  const listed = new Map<string, SymbolFilters>();
  const instruments: Instrument[] = [];
  (c.symbols ?? []).forEach((sym, k) => {
    const found = findFilters(docs, sym);
    if (found === undefined) throw new ConfigError([{ path: `crypto.symbols.${k}`, message: whyMissing(docs, sym) }]);
    const f = found.filters;
    const spec = toInstrumentSpec(f, found.doc.venue, f.kind === 'spot' ? 'crypto' : 'future', sym === f.id ? 'id' : 'unified');
    const existing = registry.get(sym);
    if (existing !== undefined && !sameGrid(existing, f)) {
      throw new ConfigError([
        {
          path: `crypto.symbols.${k}`,
          message: `${sym} is already defined with precisions ${existing.pricePrecision}/${existing.sizePrecision}, tick ${existing.tickUnits}, lot ${existing.lotUnits}; its filters need ${f.pricePrecision}/${f.sizePrecision}, tick ${f.tickUnits}, lot ${f.lotUnits} (build the crypto rules before opening the data)`,
        },
      ]);
    }
    instruments.push(existing ?? registry.add(spec));
    listed.set(sym, f);
  });
  // no documents: no filters (the crypto instruments keep the grid their data gives them)
  const explicit = c.symbols !== undefined || docs.length === 0;
  const filtersFor = (inst: Instrument): SymbolFilters | undefined => {
    if (explicit) return listed.get(inst.symbol);
    if (inst.assetClass !== 'crypto' && inst.assetClass !== 'future') return undefined;
    const found = findFilters(docs, inst.symbol);
    if (found === undefined) throw new MarketsimError('SYMBOL_NO_FILTERS', `crypto.exchangeInfo: ${whyMissing(docs, inst.symbol)} (instrument ${inst.symbol} of asset class ${inst.assetClass}; list the run's crypto symbols in crypto.symbols)`);
    return found.filters;
  };
  const covered = new Map<number, boolean>();
  // the venue's faults hit the instruments with filters or, without documents, every crypto instrument
  const faulted = (inst: Instrument): boolean => (docs.length === 0 && c.symbols === undefined ? inst.assetClass === 'crypto' || inst.assetClass === 'future' : covers(inst));
  const covers = (inst: Instrument): boolean => {
    let v = covered.get(inst.id);
    if (v === undefined) {
      try {
        v = filtersFor(inst) !== undefined;
      } catch {
        v = false;
      }
      covered.set(inst.id, v);
    }
    return v;
  };

  // fees
  let feePlugin: CryptoFeePlugin | undefined;
  if (c.fees !== undefined) {
    const fc = c.fees;
    let table: FeeTierTable;
    try {
      table = fc.tiers === 'binance-spot' ? new FeeTierTable() : new FeeTierTable(fc.tiers.map(tierFromConfig));
    } catch (err) {
      throw new ConfigError([{ path: 'crypto.fees.tiers', message: (err as Error).message }]);
    }
    const tok = fc.feeToken;
    const tiered = new TieredFees({
      table,
      volume: new RollingVolume(30, fc.window),
      rounding: fc.rounding,
      ...(tok !== undefined ? { feeToken: { asset: tok.asset, precision: tok.precision, discount: rateUnits(tok.discount) } } : {}),
    });
    feePlugin = new CryptoFeePlugin({
      tiered,
      thirtyDayVolume: fc.thirtyDayVolume,
      registry,
      ...(tok !== undefined
        ? { token: { balance: String(tok.balance), ...(tok.price !== undefined ? { price: String(tok.price) } : {}), ...(tok.priceSymbol !== undefined ? { priceSymbol: tok.priceSymbol } : {}) } }
        : {}),
    });
  }

  // faults
  const plan = planFaults(c.faults, c.venue, c.restingOrders, rng.fork('crypto/faults'));
  plan.crashPoints.forEach((p) => {
    if (explicit && !listed.has(p.symbol)) {
      const k = c.faults.findIndex((f) => f.type === 'flash-crash' && f.symbol === p.symbol);
      throw new ConfigError([{ path: `crypto.faults.${k}.symbol`, message: `${p.symbol} is not one of crypto.symbols (${[...listed.keys()].join(', ')})` }]);
    }
  });
  const sources: EventSource<MarketEvent>[] = [];
  if (plan.transitions.length > 0) {
    sources.push(new FaultStatusSource(plan.transitions, () => registry.all().filter(faulted)) as unknown as EventSource<MarketEvent>);
  }

  // transfers
  let transferPlugin: CryptoTransferPlugin | undefined;
  if (c.transfers !== undefined) {
    const t = c.transfers;
    transferPlugin = new CryptoTransferPlugin({
      venue: c.venue,
      chains: t.chains,
      locations: t.locations,
      balances: t.balances,
      assets: t.assets,
      requests: t.requests.map((r) => ({ time: us(r.time), from: r.from, to: r.to, asset: r.asset, chain: r.chain, amount: typeof r.amount === 'number' ? r.amount : r.amount })),
      rng: rng.fork('crypto/transfers'),
    });
  }

  // perpetuals
  let perpetualsPlugin: PerpetualsPlugin | undefined;
  const perpSymbols = new Set<string>();
  if (c.perpetuals !== undefined) {
    const pc = c.perpetuals;
    const contracts = pc.contracts.map((k, i) => {
      const path = `crypto.perpetuals.contracts.${i}`;
      const found = findFilters(docs, k.symbol);
      if (found === undefined) throw new ConfigError([{ path: `${path}.symbol`, message: whyMissing(docs, k.symbol) }]);
      if (found.filters.kind === 'spot') throw new ConfigError([{ path: `${path}.symbol`, message: `${k.symbol} is a spot symbol, not a perpetual (write it as BTC/USDT:USDT, from a futures exchangeInfo)` }]);
      if (explicit && !listed.has(k.symbol)) throw new ConfigError([{ path: `${path}.symbol`, message: `${k.symbol} must also be one of crypto.symbols` }]);
      if (explicit && !listed.has(k.index)) throw new ConfigError([{ path: `${path}.index`, message: `${k.index} must also be one of crypto.symbols (its prices are the index)` }]);
      const brackets: readonly LeverageBracket[] =
        k.brackets === 'binance-btcusdt'
          ? BINANCE_BTCUSDT_BRACKETS
          : k.brackets.map((b, j, all) => ({ floor: b.floor, cap: b.cap ?? (j === all.length - 1 ? Infinity : all[j + 1]!.floor), maxLeverage: b.maxLeverage, maintRate: rateUnits(b.maintRate), maintAmount: b.maintAmount }));
      const leverage = k.leverage ?? pc.leverage;
      const maxLev = brackets[0]?.maxLeverage ?? 0;
      if (leverage > maxLev) throw new ConfigError([{ path: `${path}.leverage`, message: `leverage ${leverage} exceeds the first bracket's maximum ${maxLev} (LEVERAGE_ABOVE_TIER_MAX)` }]);
      perpSymbols.add(k.symbol);
      return { symbol: k.symbol, index: k.index, leverage, marginMode: k.marginMode ?? pc.marginMode, brackets, pricePrecision: found.filters.pricePrecision, sizePrecision: found.filters.sizePrecision };
    });
    perpetualsPlugin = new PerpetualsPlugin({
      contracts,
      funding: { intervalHours: pc.fundingIntervalHours, interest: rateUnits(pc.interestRate), clamp: rateUnits(pc.clamp), ...(pc.cap !== undefined ? { cap: rateUnits(pc.cap) } : {}) },
      mark: { mode: pc.mark, emaSeconds: pc.markEmaSeconds },
      premiumSampleSeconds: pc.premiumSampleSeconds,
      indexMaxAgeSeconds: pc.indexMaxAgeSeconds,
      insuranceFund: String(pc.insuranceFund),
      registry,
    });
  }

  const rules = (inst: Instrument): InstrumentRules | undefined => {
    const f = filtersFor(inst);
    if (f === undefined) return undefined;
    let base: CryptoInstrumentRules;
    try {
      base = new CryptoInstrumentRules(f, inst);
    } catch (err) {
      throw new MarketsimError('INSTRUMENT_CONFLICT', `${(err as Error).message}; or list ${inst.symbol} in crypto.symbols so the run builds it from the filters before the data opens`);
    }
    if (perpetualsPlugin !== undefined && perpSymbols.has(inst.symbol)) return new PerpInstrumentRules(base, perpetualsPlugin, inst.symbol);
    return base;
  };

  const plugins: SimulationPlugin[] = [];
  if (feePlugin !== undefined) plugins.push(feePlugin);
  if (transferPlugin !== undefined) plugins.push(transferPlugin);
  if (perpetualsPlugin !== undefined) plugins.push(perpetualsPlugin);
  const overlayNeeded = plan.down.length > 0 || plan.crashPoints.length > 0;
  return {
    filters: docs,
    instruments,
    rules,
    fees: feePlugin,
    outagePolicy: c.restingOrders,
    sources,
    wrapSource: (s) => (overlayNeeded ? new CryptoDataOverlay(s, plan, faulted) : s),
    plugins,
    faults: plan,
    feePlugin,
    transferPlugin,
    perpetualsPlugin,
  };
}

function sameGrid(i: Instrument, f: SymbolFilters): boolean {
  return i.pricePrecision === f.pricePrecision && i.sizePrecision === f.sizePrecision && i.tickUnits === f.tickUnits && i.lotUnits === f.lotUnits;
}
