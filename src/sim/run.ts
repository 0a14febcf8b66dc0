import { resolve } from 'node:path';
import { microsFromIso } from '../core/time.ts';
import { ConfigError } from '../core/errors.ts';
import { Rng } from '../core/rng.ts';
import type { WallClock } from '../core/wall-clock.ts';
import { InstrumentRegistry, type Instrument, type InstrumentSpec } from '../market/instrument.ts';
import type { BarEvent, EventSource, MarketEvent } from '../market/market-data.ts';
import { ConstantLatency, LogNormalLatency, NormalLatency, UniformLatency, type LatencyModel } from '../market/latency.ts';
import { MakerTakerFees } from '../market/fees.ts';
import { loadBarsCsv } from '../data/bar-csv.ts';
import { loadQuotesCsv, loadTradesCsv } from '../data/tick-csv.ts';
import { gbmBarSource, gbmQuotes } from '../data/gbm.ts';
import { BatchSource, forEachEvent } from '../data/batch-source.ts';
import { openSyntheticPreset } from '../data/synthetic/presets.ts';
import { NewsSimulator } from '../data/synthetic/news-sim.ts';
import { openTickPreset } from '../data/synthetic/tick-presets.ts';
import { BookFlowSource } from '../data/synthetic/book-flow-source.ts';
import { openCatalogSource, openSourceSpec, parseSourceSpec, type CatalogEvent } from '../data/catalog/index.ts';
import {
  L3FifoQueueModel,
  LogProbQueueFunc,
  LogProbQueueFunc2,
  PowerProbQueueFunc,
  PowerProbQueueFunc2,
  PowerProbQueueFunc3,
  ProbQueueModel,
  RiskAverseQueueModel,
  readLatencyCsv,
  type QueueModel,
  type TimedLatencyModel,
} from '../market/replay/index.ts';
import { MappedSource } from '../data/mapped-source.ts';
import { exDividendDrop } from '../assets/equity/ex-dividend.ts';
import { calendar as exchangeCalendar } from '../assets/equity/calendar.ts';
import type { NewsInput } from '../data/synthetic/news-overlay.ts';
import { openBondRun } from './bond-run.ts';
import { buildCryptoRun } from './crypto-run.ts';
import { portfolioOptionsFromConfig } from './portfolio.ts';
import { buildEquityRun, equityCorporateActions } from '../assets/equity/equity-config.ts';
import { adjustBars } from '../assets/equity/adjust.ts';
import type { InstrumentRules } from '../market/venue.ts';
import type { ScheduledCashFlow } from './cash-flows.ts';
import { computeStatistics, type Statistics } from './statistics.ts';
import { roundTrips, type RoundTrip } from './round-trips.ts';
import { Simulation, type SimulationPlugin, type SimulationResult } from './simulation.ts';
import { createStrategy, loadStrategyDefinition } from './strategy-loader.ts';
import type { LatencyConfig, RunConfig } from './run-config.ts';

/** A finished run: its config, the raw result, the statistics and the closed round trips. */
export interface RunReport {
  config: RunConfig;
  instruments: readonly Instrument[];
  result: SimulationResult;
  stats: Statistics;
  trades: RoundTrip[];
}

/** Options of `runConfig` that are not part of the config. */
export interface RunOptions {
  /** Folder that relative paths in the config resolve against (default: the working directory). */
  baseDir?: string;
  /** Progress callback (events processed, virtual time). */
  onProgress?: (events: number, time: number) => void;
  wallClock?: WallClock;
  keepJournal?: boolean;
}

/**
 * Runs a validated config: loads data (files stream; synthetic sources generate on the fly), builds the
 * instruments, the strategy with its validated params, the account, the venue models and latencies,
 * runs the simulation and computes statistics.
 */
export async function runConfig(config: RunConfig, options: RunOptions = {}): Promise<RunReport> {
  const baseDir = options.baseDir ?? process.cwd();
  const registry = new InstrumentRegistry();
  const rng = new Rng(config.seed);
  // the strategy first: a wrong name or parameter fails before any data is read
  const def = await loadStrategyDefinition(config.strategy.name, baseDir);
  const strategy = createStrategy(def, config.strategy.params);
  // crypto rules before the data: the listed symbols are registered on their exchange filters' grid
  const crypto = config.crypto ? await buildCryptoRun(config.crypto, registry, rng, baseDir) : undefined;
  // fault statuses first: at equal times the venue goes down before that instant's data
  const sources: EventSource<MarketEvent>[] = crypto ? [...crypto.sources] : [];
  const bookFlows: BookFlowSource[] = [];
  const extras: RunExtras = { rules: {}, plugins: [], cashFlows: [], accrued: {}, yieldPricing: {} };
  for (let i = 0; i < config.data.length; i++) {
    const source = await openSource(config, i, registry, rng, baseDir, bookFlows, extras);
    sources.push(crypto ? crypto.wrapSource(source) : source);
  }
  const equity = config.equity ? await buildEquityRun(config.equity, registry, { baseDir }) : undefined;
  if (equity) extras.cashFlows.push(...equity.cashFlows);
  const liquidity = bookFlowLiquidity(config, bookFlows);
  const latencies: Record<string, LatencyModel | TimedLatencyModel> = {};
  for (const k of ['marketData', 'orderEntry', 'response'] as const) {
    const c = config.latency[k];
    if (c) latencies[k] = await latencyModel(c, latencyRngFor(rng, k), baseDir, k);
  }
  const instruments = registry.all();
  // crypto: satoshi (and Binance's 8-decimal USDT) cash units by default, 90M units of cash in a safe integer
  const cashPrecision = config.account.cashPrecision ?? (crypto ? 8 : defaultCashPrecision(instruments));
  const cashScale = 10 ** cashPrecision;
  const toCash = (x: number | undefined) => (x === undefined ? undefined : Math.round(x * cashScale));
  const fees = config.venue.fees;
  if (fees && crypto?.fees) throw new ConfigError([{ path: 'venue.fees', message: 'crypto.fees sets the venue fees: give venue.fees or crypto.fees, not both' }]);
  const sim = new Simulation({
    instruments: registry,
    sources,
    strategy,
    seed: config.seed,
    pacing: config.pacing,
    historySize: config.historySize,
    liquidity,
    keepJournal: options.keepJournal ?? false,
    ...(extras.cashFlows.length > 0 ? { cashFlows: extras.cashFlows } : {}),
    ...(Object.keys(extras.accrued).length > 0 ? { accrued: extras.accrued } : {}),
    ...(Object.keys(extras.yieldPricing).length > 0 ? { yieldPricing: extras.yieldPricing } : {}),
    ...(options.wallClock ? { wallClock: options.wallClock } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    account: {
      kind: config.account.kind,
      currency: config.account.currency,
      cashPrecision,
      startingCash: Math.round(config.account.cash * cashScale),
      ...(config.account.leverage !== undefined ? { leverage: config.account.leverage } : {}),
      ...(config.account.initialMarginRate !== undefined ? { initialMarginRate: config.account.initialMarginRate } : {}),
      ...(config.account.maintenanceMarginRate !== undefined ? { maintenanceMarginRate: config.account.maintenanceMarginRate } : {}),
    },
    ...(config.account.balances !== undefined || config.account.rates !== undefined ? { portfolio: portfolioOptionsFromConfig(config.account, instruments) } : {}),
    venue: {
      name: config.venue.name ?? 'SIM',
      ...(Object.keys(extras.rules).length > 0 || equity || crypto ? { rules: (inst: Instrument) => extras.rules[inst.symbol] ?? equity?.rules(inst) ?? crypto?.rules(inst) } : {}),
      ...(crypto ? { outagePolicy: crypto.outagePolicy } : {}),
      ...(crypto?.fees
        ? { fees: crypto.fees }
        : fees
        ? {
            fees: new MakerTakerFees({
              makerRate: fees.makerRate ?? 0,
              takerRate: fees.takerRate ?? 0,
              perOrder: toCash(fees.perOrder) ?? 0,
              minimum: toCash(fees.minimum) ?? 0,
            }),
          }
        : {}),
      ...(config.venue.fill ? { fill: stripUndefined(config.venue.fill) } : {}),
      ...(config.venue.queueModel ? { queueModel: queueModel(config.venue.queueModel) } : {}),
    },
    latency: latencies,
    ...((crypto?.plugins.length ?? 0) + extras.plugins.length > 0 ? { plugins: [...(crypto?.plugins ?? []), ...extras.plugins] } : {}),
  });
  for (const f of bookFlows) f.attach(sim.venue, sim.queue);
  const result = await sim.run();
  const multiplier = new Map(instruments.map((i) => [i.symbol, i.multiplier]));
  const trades = roundTrips(result.fills, (s) => multiplier.get(s) ?? 1);
  const stats = computeStatistics({
    times: result.equity.time,
    equity: result.equity.value,
    grossExposure: result.equity.exposure,
    trades,
    tradedNotional: result.tradedNotional,
    // several accounts: the portfolio's first value in the reporting currency
    startValue: config.account.balances?.length ? (result.equity.value[0] ?? config.account.cash) : config.account.cash,
  });
  return { config, instruments, result, stats, trades };
}

/** The smallest cash precision that books every fill exactly (price digits + size digits), at least 2, at most 10. */
export function defaultCashPrecision(instruments: readonly Instrument[]): number {
  let p = 2;
  for (const i of instruments) p = Math.max(p, i.pricePrecision + i.sizePrecision);
  return Math.min(p, 10);
}

/** The config's liquidity with 'book' for every bookFlow symbol (a ConfigError if the config says otherwise). */
function bookFlowLiquidity(config: RunConfig, flows: readonly BookFlowSource[]): RunConfig['liquidity'] {
  const out = { ...config.liquidity };
  for (const f of flows) {
    const sym = f.instrument.symbol;
    const given = config.liquidity[sym];
    if (given !== undefined && given !== 'book') throw new ConfigError([{ path: `liquidity.${sym}`, message: `must be 'book' (or omitted): a bookFlow source trades in ${sym}'s order book` }]);
    out[sym] = 'book';
  }
  return out;
}

/** A bar transform applied to bars only (news and status events pass through). */
function withBars(f: (e: BarEvent) => BarEvent): (e: MarketEvent) => MarketEvent {
  return (e) => (e.kind === 'bar' ? f(e) : e);
}

/** The news of a synthetic generator's config entry as the generator takes them. */
function newsInputOf(n: NonNullable<Extract<RunConfig['data'][number], { preset: string }>['news']>, symbol: string, path: string): NewsInput {
  return {
    ...(n.ratePerDay !== undefined ? { ratePerDay: n.ratePerDay } : {}),
    ...(n.impact ? { impact: stripUndefined(n.impact) } : {}),
    ...(n.scheduled
      ? {
          scheduled: n.scheduled.map((e, k) => ({
            time: configTime(e.time, `${path}.scheduled.${k}.time`),
            kind: e.kind,
            symbols: [symbol],
            ...(e.headline ? { headline: e.headline } : {}),
            ...(e.sentiment !== undefined ? { sentiment: e.sentiment } : {}),
            ...(e.importance !== undefined ? { importance: e.importance } : {}),
          })),
        }
      : {}),
  };
}

/** What data entries add to a run besides their events: bond cash flows, accrued interest, yield pricing. */
interface RunExtras {
  /** Venue rules by symbol (a bond dealer's hours ...). */
  rules: Record<string, InstrumentRules>;
  /** Simulation plugins of data entries (a bond's default settlement). */
  plugins: SimulationPlugin[];
  cashFlows: ScheduledCashFlow[];
  accrued: Record<string, (time: number) => number>;
  yieldPricing: Record<string, (yieldPercent: number, time: number) => number>;
}

async function openSource(config: RunConfig, index: number, registry: InstrumentRegistry, rng: Rng, baseDir: string, bookFlows: BookFlowSource[] = [], extras: RunExtras = { rules: {}, plugins: [], cashFlows: [], accrued: {}, yieldPricing: {} }): Promise<EventSource<MarketEvent>> {
  const d = config.data[index]!;
  if ('tickPreset' in d) {
    const instrument = registry.add({ symbol: d.symbol, pricePrecision: 2, sizePrecision: 0, assetClass: 'equity' });
    const news = d.news ? newsInputOf(d.news, d.symbol, `data.${index}.news`) : undefined;
    return openTickPreset({
      preset: d.tickPreset,
      kind: d.kind,
      symbol: d.symbol,
      days: d.days,
      seed: config.seed,
      instrument,
      ...(d.start !== undefined ? { start: d.start } : {}),
      ...(d.minutes !== undefined ? { sessionMinutes: d.minutes } : {}),
      ...(d.s0 !== undefined ? { s0: d.s0 } : {}),
      ...(news ? { news } : {}),
    }).source as EventSource<MarketEvent>;
  }
  if ('bookFlow' in d) {
    const b = d.bookFlow;
    const instrument = registry.add({ symbol: b.symbol, pricePrecision: b.pricePrecision ?? 2, sizePrecision: b.sizePrecision ?? 0 });
    const { start, end, s0, ...rest } = b;
    const { symbol: _symbol, pricePrecision: _pp, sizePrecision: _sp, ...params } = rest;
    const flow = new BookFlowSource(instrument, {
      ...stripUndefined(params),
      start: configTime(start, `data.${index}.bookFlow.start`),
      end: configTime(end, `data.${index}.bookFlow.end`),
      initialPrice: Math.max(1, Math.round((s0 * instrument.priceScale) / instrument.tickUnits)) * instrument.tickUnits,
      seed: rng.fork(`book-flow/${b.symbol}`).nextU32(),
    });
    bookFlows.push(flow);
    return flow as EventSource<MarketEvent>;
  }
  if ('spec' in d) {
    const parsed = parseSourceSpec(d.spec);
    parsed.path = resolve(baseDir, parsed.path);
    const input = await openSourceSpec(parsed, registry);
    return ('advance' in input ? input : new BatchSource<CatalogEvent>(d.spec, input as AsyncIterable<CatalogEvent[]>)) as EventSource<MarketEvent>;
  }
  if ('newsSim' in d) {
    const n = d.newsSim;
    const at = (text: string, key: string) => configTime(text, `data.${index}.newsSim.${key}`);
    const instruments = n.symbols.map((sym, k) => {
      const inst = registry.get(sym);
      if (!inst) throw new ConfigError([{ path: `data.${index}.newsSim.symbols.${k}`, message: `unknown symbol ${JSON.stringify(sym)}: define it in an earlier data entry` }]);
      return inst;
    });
    const sim = new NewsSimulator({
      instruments,
      start: at(n.start, 'start'),
      end: at(n.end, 'end'),
      rng: rng.fork('news'),
      ...(n.ratePerDay !== undefined ? { ratePerDay: n.ratePerDay } : {}),
      ...(n.scheduled
        ? {
            scheduled: n.scheduled.map((e, k) => ({
              time: at(e.time, `scheduled.${k}.time`),
              kind: e.kind,
              ...(e.symbols ? { symbols: e.symbols } : {}),
              ...(e.headline ? { headline: e.headline } : {}),
              ...(e.sentiment !== undefined ? { sentiment: e.sentiment } : {}),
              ...(e.importance !== undefined ? { importance: e.importance } : {}),
            })),
          }
        : {}),
    });
    return sim.source() as EventSource<MarketEvent>;
  }
  if ('preset' in d) {
    const assetClass = d.assetClass ?? 'equity';
    if (d.calendar !== undefined && assetClass !== 'equity') throw new ConfigError([{ path: `data.${index}.calendar`, message: `an exchange calendar applies to equities; ${d.symbol} is ${assetClass} (24/7)` }]);
    const instrument = registry.add({
      symbol: d.symbol,
      pricePrecision: d.pricePrecision ?? 2,
      sizePrecision: d.sizePrecision ?? 0,
      assetClass,
      ...(d.lotUnits !== undefined ? { lotUnits: d.lotUnits } : {}),
      ...(d.minSizeUnits !== undefined ? { minSizeUnits: d.minSizeUnits } : {}),
      ...(d.currency !== undefined ? { currency: d.currency } : {}),
      ...(d.venue !== undefined ? { venue: d.venue } : {}),
    });
    const source = openSyntheticPreset({
      preset: d.preset,
      symbol: d.symbol,
      days: d.days,
      seed: config.seed,
      instrument,
      ...(d.start !== undefined ? { start: d.start } : {}),
      ...(d.s0 !== undefined ? { s0: d.s0 } : {}),
      ...(d.news ? { news: newsInputOf(d.news, d.symbol, `data.${index}.news`) } : {}),
    }).source as EventSource<MarketEvent>;
    // a synthetic path has no dividends in it: the equity block's cash dividends drop its price on each ex-date
    const exchange = d.calendar ?? config.equity?.exchange ?? 'XNYS';
    const dividends = (config.equity?.corporateActions ?? [])
      .filter((a) => a.symbol === d.symbol && a.type === 'CASH_DIVIDEND')
      .map((a) => ({ exTime: exchangeCalendar(exchange).session(a.date)?.open ?? configTime(`${a.date}T00:00:00Z`, `equity.corporateActions`), amount: Number(a.value) }));
    const dropped = dividends.length > 0 ? new MappedSource(source, withBars(exDividendDrop(dividends))) : source;
    if (d.calendar === undefined) return dropped;
    // the generator's sessions are weekdays 09:30-16:00 New York: the calendar drops holidays and the bars after an early close
    const cal = exchangeCalendar(d.calendar);
    return new MappedSource(dropped, (e) => (e.kind !== 'bar' || cal.isOpen(e.time) ? e : undefined));
  }
  if ('bond' in d) {
    const b = openBondRun(d.bond, registry, rng, `data.${index}.bond`);
    extras.cashFlows.push(...b.cashFlows);
    extras.accrued[d.bond.symbol] = b.accrued;
    extras.yieldPricing[d.bond.symbol] = b.priceFromYield;
    extras.rules[d.bond.symbol] = b.rules;
    if (b.plugin) extras.plugins.push(b.plugin);
    return b.source;
  }
  if ('catalog' in d) {
    const from = d.from === undefined ? undefined : configTime(d.from, `data.${index}.from`);
    const to = d.to === undefined ? undefined : configTime(d.to, `data.${index}.to`);
    return (await openCatalogSource(resolve(baseDir, d.catalog), {
      registry,
      ...(d.symbols ? { symbols: d.symbols } : {}),
      ...(d.types ? { types: d.types } : {}),
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
    })) as EventSource<MarketEvent>;
  }
  const spec: Partial<InstrumentSpec> = {};
  for (const k of ['tickUnits', 'lotUnits', 'minSizeUnits', 'maxSizeUnits', 'currency', 'multiplier', 'assetClass'] as const) {
    if (d[k] !== undefined) (spec as Record<string, unknown>)[k] = d[k];
  }
  if ('file' in d) {
    const path = resolve(baseDir, d.file);
    const common = {
      registry,
      instrumentSpec: spec,
      ...(d.symbol !== undefined ? { symbol: d.symbol } : {}),
      ...(d.pricePrecision !== undefined ? { pricePrecision: d.pricePrecision } : {}),
      ...(d.sizePrecision !== undefined ? { sizePrecision: d.sizePrecision } : {}),
      ...(d.delimiter !== undefined ? { delimiter: d.delimiter } : {}),
      ...(d.timeFormat !== undefined ? { timeFormat: d.timeFormat } : {}),
      ...(d.onError !== undefined ? { onError: d.onError } : {}),
    };
    const columns = d.columns as Record<string, string | number> | undefined;
    if (d.kind === 'bars' && (d.adjusted === 'split' || d.adjusted === 'total-return')) {
      // back-adjusted with the equity block's corporate actions (docs/equities.md, "Adjusted bars"): the
      // whole file is read first, as total-return factors need the close before each ex-date
      if (!config.equity) throw new ConfigError([{ path: `data.${index}.adjusted`, message: `${d.adjusted} adjustment needs the corporate actions of an equity: block` }]);
      const raw = (await loadBarsCsv(path, { ...common, ...(columns ? { columns } : {}) })).source;
      const bars: BarEvent[] = [];
      try {
        await forEachEvent(raw, (b) => bars.push({ ...b })); // a copy: the source rewrites one event object
      } finally {
        raw.close();
      }
      const actions = await equityCorporateActions(config.equity, baseDir);
      return new BatchSource<BarEvent>(`${d.file} (${d.adjusted})`, [adjustBars(bars, actions, d.adjusted)]) as EventSource<MarketEvent>;
    }
    if (d.kind === 'bars') return (await loadBarsCsv(path, { ...common, ...(columns ? { columns } : {}), ...(d.adjusted === 'raw' || d.adjusted === 'adj-close' ? { adjusted: d.adjusted } : {}) })).source;
    if (d.kind === 'trades') return (await loadTradesCsv(path, { ...common, ...(columns ? { columns } : {}) })).source as EventSource<MarketEvent>;
    return (await loadQuotesCsv(path, { ...common, ...(columns ? { columns } : {}) })).source as EventSource<MarketEvent>;
  }
  const start = configTime(d.start, `data.${index}.start`);
  const instrument = registry.add({ ...spec, symbol: d.symbol, pricePrecision: d.pricePrecision ?? 2, sizePrecision: d.sizePrecision ?? 0 });
  const genRng = rng.fork(`data/${d.symbol}`);
  const base = { instrument, start, intervalUs: d.intervalUs, count: d.count, s0: d.s0, mu: d.mu, sigma: d.sigma, rng: genRng };
  if (d.kind === 'bars') return gbmBarSource({ ...base, ...(d.volume !== undefined ? { volume: { mean: d.volume } } : {}) }) as EventSource<MarketEvent>;
  return new BatchSource(`gbm:${d.symbol}`, gbmQuotes({ ...base, ...(d.spreadTicks !== undefined ? { spreadTicks: d.spreadTicks } : {}) })) as EventSource<MarketEvent>;
}

/** Microseconds of an ISO 8601 time in a config, or a ConfigError naming its path. */
function configTime(text: string, path: string): number {
  const t = microsFromIso(text);
  if (Number.isNaN(t)) throw new ConfigError([{ path, message: `not an ISO 8601 time: ${JSON.stringify(text)}` }]);
  return t;
}

function latencyRngFor(rng: Rng, k: string): Rng {
  return rng.fork('latency').fork(k === 'marketData' ? 'market-data' : k === 'orderEntry' ? 'order-entry' : 'response');
}

/** The queue model named in a config. */
function queueModel(c: NonNullable<RunConfig['venue']['queueModel']>): QueueModel {
  if (c.type === 'risk-averse') return new RiskAverseQueueModel();
  if (c.type === 'l3-fifo') return new L3FifoQueueModel();
  const n = c.n ?? 2;
  switch (c.func ?? 'power') {
    case 'power':
      return new ProbQueueModel(new PowerProbQueueFunc(n));
    case 'power2':
      return new ProbQueueModel(new PowerProbQueueFunc2(n));
    case 'power3':
      return new ProbQueueModel(new PowerProbQueueFunc3(n));
    case 'log':
      return new ProbQueueModel(new LogProbQueueFunc());
    case 'log2':
      return new ProbQueueModel(new LogProbQueueFunc2());
  }
}

async function latencyModel(c: LatencyConfig, rng: Rng, baseDir: string, which: string): Promise<LatencyModel | TimedLatencyModel> {
  if (c.type === 'file') {
    const rec = await readLatencyCsv(resolve(baseDir, c.path));
    const col = c.column ?? (which === 'orderEntry' ? 'entry' : which === 'response' ? 'response' : 'feed');
    const m = col === 'entry' ? rec.entry : col === 'response' ? rec.response : rec.marketData;
    if (!m) throw new ConfigError([{ path: `latency.${which}.column`, message: `${c.path} has no ${col}_us column` }]);
    return m;
  }
  switch (c.type) {
    case 'constant':
      return new ConstantLatency(c.us);
    case 'uniform':
      return new UniformLatency(c.minUs, c.maxUs, rng);
    case 'normal':
      return new NormalLatency(c.meanUs, c.stdUs, rng, c.minUs ?? 0);
    case 'lognormal':
      return new LogNormalLatency(c.medianUs, c.sigma, rng, c.minUs ?? 0);
  }
}

function stripUndefined<T extends object>(o: T): { [K in keyof T]-?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]-?: Exclude<T[K], undefined> };
}
