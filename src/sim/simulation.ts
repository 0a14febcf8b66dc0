import { VirtualClock, type Pacing } from '../core/clock.ts';
import { EventLoop, type RunStop } from '../core/event-loop.ts';
import { EventQueue, type Scheduled } from '../core/event-queue.ts';
import { MarketsimError } from '../core/errors.ts';
import { Rng } from '../core/rng.ts';
import type { WallClock } from '../core/wall-clock.ts';
import type { AssetClass, Instrument, InstrumentRegistry } from '../market/instrument.ts';
import type { BarEvent, EventSource, MarketEvent, StatusEvent } from '../market/market-data.ts';
import { Order, opposite, type OrderRequest, type Side } from '../market/order.ts';
import { zeroLatency, type LatencyModel } from '../market/latency.ts';
import { SimulatedVenue, type LiquiditySource, type VenueOptions } from '../market/venue.ts';
import { IdMap } from '../market/id-map.ts';
import type { MatchingEngine } from '../market/matching-engine.ts';
import { LiveBookView, ReplayLevels, SnapshotBookView, type LevelSource } from './book-view.ts';
import { TimedLatencyAdapter, type TimedLatencyModel } from '../market/replay/recorded-latency.ts';
import type { ReplayBook } from '../market/replay/replay-book.ts';
import type { OrderUpdate, VenueAccount, Fill } from '../market/venue-types.ts';
import { Journal } from '../observe/journal.ts';
import { CashFlowSchedule, type CashFlowRecord, type ScheduledCashFlow } from './cash-flows.ts';
import { Account, type AccountOptions, type LedgerEntry, type LiquidationOrder, type MarginStatus } from './account.ts';
import { Portfolio, type BalanceReport, type MarginDesk, type PortfolioEntry, type PortfolioOptions } from './portfolio.ts';
import { BarHistory } from './bar-history.ts';
import { TimeSeries2 } from './time-series.ts';
import type { BracketIds, BracketRequest, Strategy, StrategyContext, StrategyOrderUpdate, SubmitRequest, TimerEvent } from './strategy.ts';

/** The three latencies of DESIGN.md: market data to strategy, order entry to venue, venue response to strategy. */
export interface LatencyOptions {
  marketData?: LatencyModel | TimedLatencyModel;
  orderEntry?: LatencyModel | TimedLatencyModel;
  response?: LatencyModel | TimedLatencyModel;
}

/** Everything a simulation run is made of. */
export interface SimulationOptions {
  instruments: InstrumentRegistry;
  sources: EventSource<MarketEvent>[];
  strategy: Strategy;
  account: AccountOptions;
  /**
   * More accounts, one per (venue, currency), and fixed exchange rates: the run's account is then the
   * reporting currency's, and values are converted exactly (docs/accounts.md, "Multi-currency and
   * multi-venue portfolios").
   */
  portfolio?: PortfolioOptions;
  venue?: VenueOptions;
  latency?: LatencyOptions;
  seed?: number;
  pacing?: Pacing;
  /** Virtual start time (default: the first event's time). */
  startTime?: number;
  /** Bars kept per symbol in `ctx.history` (default 256). */
  historySize?: number;
  /** Minimum spacing of equity samples for quote and trade data, microseconds (default 60 s). Bars always sample. */
  equitySampleUs?: number;
  /**
   * Where each instrument's liquidity comes from, by symbol: `data` (default: orders fill against the
   * recorded or synthetic bars/quotes/trades) or `book` (an L3 order book with a matching engine; other
   * participants' orders enter it through `venue.submitFlow`).
   */
  liquidity?: Record<string, LiquiditySource>;
  /** Keep journal lines in memory (default false; the hash is always computed). */
  keepJournal?: boolean;
  /** Wall clock for paced runs (tests inject a fake one). */
  wallClock?: WallClock;
  /** Called after every data event with the events processed so far (for progress bars); keep it cheap. */
  onProgress?: (events: number, time: number) => void;
  /** Dividends and coupons paid to holders (docs/accounts.md). */
  cashFlows?: readonly ScheduledCashFlow[];
  /**
   * Accrued interest of one unit of size of a bond at a time, as a decimal price (per 100 face when
   * the bond is quoted per 100), by symbol. Fills then book ACCRUED_INTEREST and equity counts it.
   */
  accrued?: Record<string, (time: number) => number>;
  /**
   * Asset models that live beside the venue and the account (perpetual funding, liquidation engines,
   * blockchain transfers, corporate actions): see `SimulationPlugin`.
   */
  plugins?: readonly SimulationPlugin[];
  /** Clean price (decimal) of a yield in percent at a time, by symbol: instruments that take orders in yield (bonds). */
  yieldPricing?: Record<string, (yieldPercent: number, time: number) => number>;
}

/**
 * A model that runs inside a simulation beside the venue and the account (docs/architecture: "Asset
 * plugins"). Every hook is optional and synchronous. A plugin schedules its own timed work on
 * `sim.queue` (objects implementing `Scheduled`), books cash through `sim.account.post`, reads prices
 * with `sim.venue.lastPrice`, sends venue orders with `sim.sendVenueOrder`, and reports through
 * `sim.log` and its own `report()`.
 */
export interface SimulationPlugin {
  /** A name for logs and the result's `plugins` section. */
  readonly name: string;
  /** Called once when the simulation is built (before any event). */
  attach?(sim: Simulation): void;
  /** After each data event reached the venue and the account's marks (before the strategy sees it). */
  onData?(e: MarketEvent): void;
  /** After each of our fills was booked. */
  onFill?(fill: FillReport): void;
  /** What the plugin has to say in the result (JSON-serializable). */
  report?(): unknown;
}

/** One of our fills, in decimals, as reports print it. */
export interface FillReport {
  time: number;
  orderId: number;
  symbol: string;
  side: Side;
  price: number;
  quantity: number;
  fee: number;
  liquidity: 'MAKER' | 'TAKER';
  tag: string;
}

/** An order refused by the venue, in decimals. */
export interface RejectionReport {
  time: number;
  orderId: number;
  symbol: string;
  side: Side;
  quantity: number;
  reason: string;
}

/**
 * One instrument's mark price and signed position value over time (for reports), and its PnL at the
 * end, in decimals (price in the instrument's quote, money in the account currency). Sampled at the
 * instrument's own data events (every bar; at most one sample per `equitySampleUs` for quotes and
 * trades), at each of our fills, and at the end of the run. Instruments quoted in another currency
 * than the account's are left out.
 */
export interface InstrumentSeries {
  symbol: string;
  assetClass: AssetClass;
  time: Float64Array;
  price: Float64Array;
  /** Signed market value of the position at `price` (0 when flat). */
  value: Float64Array;
  /** Position at the end, in size decimals. */
  quantity: number;
  /** Realized PnL before fees. */
  realizedPnl: number;
  unrealizedPnl: number;
  fees: number;
}

/** What a run produced. */
export interface SimulationResult {
  startTime: number;
  endTime: number;
  events: number;
  fills: FillReport[];
  rejected: RejectionReport[];
  orders: Order[];
  /** Equity samples (decimal, account currency). */
  equity: { time: Float64Array; value: Float64Array; exposure: Float64Array };
  finalValue: number;
  cash: number;
  positions: Record<string, number>;
  tradedNotional: number;
  journalHash: string;
  journalLines: readonly string[];
  logs: string[];
  /** Margin calls and liquidations (margin accounts). */
  marginEvents: readonly { time: number; status: string; equity: number; maintenanceMargin: number }[];
  /** Per instrument: marks and position values over time, PnL at the end (see `InstrumentSeries`). */
  instrumentSeries: InstrumentSeries[];
  /** Dividends and coupons with the position of record and the cash moved (cash units). */
  cashFlows: readonly CashFlowRecord[];
  /** Each plugin's `report()`, by plugin name. */
  plugins: Record<string, unknown>;
  /** Every account of the portfolio (the run's account first) with its value in the reporting currency. */
  balances: BalanceReport[];
  /** The run's account's cash ledger (amounts in cash units) and its balances in cash units: startingCashUnits + sum(ledger) === cashUnits. */
  ledger: readonly LedgerEntry[];
  startingCashUnits: number;
  cashUnits: number;
}

/** Adapts the sim ring's Account to what the venue needs: each instrument's fills go to its account in the portfolio. */
class VenueAccountAdapter implements VenueAccount {
  constructor(readonly account: Account, private readonly portfolio: Portfolio) {}
  canFill(instrument: Instrument, side: Side, price: number, quantity: number, fee: number) {
    // no account in the instrument's currency (at its venue or the run's): refused (docs/accounts.md, "Multi-currency and multi-venue portfolios")
    const a = this.portfolio.accountFor(instrument);
    if (a === undefined) return 'CURRENCY_MISMATCH' as const;
    return a.canFill(instrument, side, price, quantity, fee);
  }
  applyFill(fill: Fill): void {
    const a = this.portfolio.accountFor(fill.instrument) ?? this.account;
    a.applyFill({ time: fill.time, instrument: fill.instrument, side: fill.side, price: fill.price, quantity: fill.quantity, fee: fill.fee, orderId: fill.orderId });
  }
  notional(instrument: Instrument, price: number, quantity: number): number {
    // no account to value it in: 0, and `canFill` refuses the fill CURRENCY_MISMATCH right after
    const a = this.portfolio.accountFor(instrument);
    return a === undefined ? 0 : a.notional(instrument, price, quantity);
  }
  positionQuantity(instrument: Instrument): number {
    const a = this.portfolio.accountFor(instrument);
    return a === undefined ? 0 : a.position(instrument).quantity;
  }
}

class OrderArrival implements Scheduled {
  seq = 0;
  constructor(public time: number, private readonly run: (now: number) => void) {}
  fire(now: number): void {
    this.run(now);
  }
}

/** A new order reaching the venue (the common case of `OrderArrival`, with no closure). */
class OrderSubmission implements Scheduled {
  seq = 0;
  constructor(public time: number, private readonly venue: SimulatedVenue, private readonly order: Order) {}
  fire(now: number): void {
    this.venue.submit(this.order, now);
  }
}

class Delivery implements Scheduled {
  seq = 0;
  constructor(public time: number, private readonly sim: Simulation, private readonly update: OrderUpdate) {}
  fire(): void {
    this.sim.deliverUpdate(this.update);
  }
}

class MarketDataDelivery implements Scheduled {
  seq = 0;
  constructor(public time: number, private readonly sim: Simulation, private readonly event: MarketEvent) {}
  fire(): void {
    this.sim.deliverMarketData(this.event);
  }
}

class Timer implements Scheduled {
  seq = 0;
  canceled = false;
  readonly recurring: boolean;
  constructor(public time: number, readonly id: number, readonly name: string, readonly everyUs: number, private readonly sim: Simulation) {
    this.recurring = everyUs > 0;
  }
  fire(now: number): void {
    if (this.canceled) return;
    this.sim.fireTimer(this, now);
  }
}

/**
 * One simulation run: a virtual clock and event loop, the data sources, a simulated venue, one
 * strategy with its account, the three latency models, and the journal. `run()` processes events
 * until the data ends (or `runUntil(t)` up to a time) and returns the result.
 */
export class Simulation {
  readonly clock: VirtualClock;
  readonly queue = new EventQueue();
  readonly loop: EventLoop<MarketEvent>;
  readonly venue: SimulatedVenue;
  readonly account: Account;
  /** Every account of the run, by (venue, currency), valued in `account`'s currency (docs/accounts.md). */
  readonly portfolio: Portfolio;
  readonly journal: Journal;
  readonly rng: Rng;
  private readonly strategy: Strategy;
  private readonly ctx: StrategyContext;
  private readonly instruments: InstrumentRegistry;
  private readonly mdLatency: LatencyModel;
  private readonly oeLatency: LatencyModel;
  private readonly respLatency: LatencyModel;
  /** Bar history per instrument id. */
  private readonly histories: (BarHistory | undefined)[] = [];
  private readonly historySize: number;
  private readonly equitySampleUs: number;
  private readonly onProgress: ((events: number, time: number) => void) | undefined;
  private readonly fills: FillReport[] = [];
  private readonly rejected: RejectionReport[] = [];
  private readonly orders: Order[] = [];
  /** Ids of the orders not yet done (an `IdMap`: a `Set` reallocates its table as orders come and go). */
  private readonly open = new IdMap<true>(64);
  private readonly timers = new Map<number, Timer>();
  private readonly logs: string[] = [];
  private readonly equitySeries = new TimeSeries2();
  /** Mark price and position value (raw units) per instrument id, for `instrumentSeries`. */
  private readonly markSeries: (TimeSeries2 | undefined)[] = [];
  private readonly lastMarkSample: number[] = [];
  private readonly bookViews: (LiveBookView | undefined)[] = [];
  private readonly liquidity: Record<string, LiquiditySource>;
  /** Instruments listed at the venue, by id (sources may register instruments while they stream). */
  private readonly listed: boolean[] = [];
  private tradedNotional = 0;
  private readonly isMargin: boolean;
  /** More than one account: values go through exchange rates, pair instruments feed them. */
  private readonly multi: boolean;
  /** Non-primary margin accounts exist (checked by `portfolio.checkMargins`). */
  private readonly otherMargin: boolean;
  private readonly marginDesk: MarginDesk;
  /** The first time an equity sample was left out for want of an exchange rate (NaN: never). */
  private rateGapSince = NaN;
  /** Liquidation orders still working (no new liquidation while any is open). */
  private liquidation: Order[] = [];
  private marginStatus = 'OK';
  private nextOrderId = 1;
  private lastArrival = -Infinity;
  private nextTimerId = 1;
  private started = false;
  private result: SimulationResult | undefined;
  private firstTime = NaN;
  private readonly cashFlows: CashFlowSchedule | undefined;
  /** Accrued-interest functions by instrument id (bonds). */
  private readonly accrued: (((time: number) => number) | undefined)[] = [];
  private readonly accruedBySymbol: Record<string, (time: number) => number>;
  private readonly yieldPricing: Record<string, (yieldPercent: number, time: number) => number>;
  private readonly plugins: readonly SimulationPlugin[];
  private readonly dataPlugins: readonly SimulationPlugin[];
  private readonly fillPlugins: readonly SimulationPlugin[];

  constructor(opts: SimulationOptions) {
    this.accruedBySymbol = opts.accrued ?? {};
    this.yieldPricing = opts.yieldPricing ?? {};
    this.instruments = opts.instruments;
    this.rng = new Rng(opts.seed ?? 0);
    this.clock = new VirtualClock(opts.startTime ?? 0, opts.pacing ?? { mode: 'jump' });
    this.journal = new Journal(opts.keepJournal ?? false);
    this.account = new Account(opts.account);
    this.isMargin = this.account.kind === 'margin';
    this.portfolio = new Portfolio(this.account, opts.venue?.name ?? 'SIM', opts.portfolio);
    this.multi = this.portfolio.multi;
    this.otherMargin = this.portfolio.hasOtherMargin;
    this.marginDesk = {
      marginStatusChanged: (e, status, time) => this.otherMarginStatus(e, status, time),
      liquidate: (e, l, time) => this.sendLiquidation(e, l, time),
    };
    const adapter = new VenueAccountAdapter(this.account, this.portfolio);
    this.venue = new SimulatedVenue(this.queue, (u) => this.onVenueUpdate(u), (owner) => (owner === 1 ? adapter : undefined), {
      ...opts.venue,
      onBookChange: (engine, time) => this.onBookChange(engine, time),
      onStatus: (e) => this.onVenueStatus(e),
      onSplit: (inst, n, d, cashPrice, time) => this.onSplit(inst, n, d, cashPrice, time),
      onShortFee: (inst, time, feeFor) => this.onShortFee(inst, time, feeFor),
    });
    this.liquidity = opts.liquidity ?? {};
    for (const inst of opts.instruments.all()) this.list(inst);
    this.strategy = opts.strategy;
    // time-dependent models (a recorded latency file) read the virtual clock
    const timed = (m: LatencyModel | TimedLatencyModel | undefined): LatencyModel =>
      m === undefined ? zeroLatency : 'delayAt' in m ? new TimedLatencyAdapter(m, () => this.clock.now) : m;
    this.mdLatency = timed(opts.latency?.marketData);
    this.oeLatency = timed(opts.latency?.orderEntry);
    this.respLatency = timed(opts.latency?.response);
    this.historySize = opts.historySize ?? 256;
    this.equitySampleUs = opts.equitySampleUs ?? 60_000_000;
    this.onProgress = opts.onProgress;
    this.loop = new EventLoop<MarketEvent>(this.clock, this.queue, this, opts.wallClock);
    for (const s of opts.sources) this.loop.addSource(s);
    if (opts.startTime === undefined) this.clock.now = -Infinity;
    this.ctx = this.makeContext();
    this.plugins = opts.plugins ?? [];
    this.dataPlugins = this.plugins.filter((p) => p.onData !== undefined);
    this.fillPlugins = this.plugins.filter((p) => p.onFill !== undefined);
    for (const p of this.plugins) p.attach?.(this);
    if (opts.cashFlows && opts.cashFlows.length > 0) {
      this.cashFlows = new CashFlowSchedule(opts.cashFlows, this.account, opts.instruments);
      this.cashFlows.schedule(this.queue);
    }
  }

  private bindAccrued(inst: Instrument): void {
    const f = this.accruedBySymbol[inst.symbol];
    if (f === undefined) return;
    for (let i = this.accrued.length; i <= inst.id; i++) this.accrued.push(undefined);
    this.accrued[inst.id] = f;
  }

  /** Runs to the end of the data (or `until`, inclusive); can be called again to continue. */
  async runUntil(until: number): Promise<RunStop> {
    if (!this.started) {
      this.started = true;
      this.strategy.onStart?.(this.ctx);
    }
    return this.loop.run(until);
  }

  /** Runs everything and returns the result. */
  async run(): Promise<SimulationResult> {
    try {
      await this.runUntil(Infinity);
    } finally {
      this.loop.close();
    }
    return this.finish();
  }

  /** Stops the strategy and collects the result (called by `run()`; call it yourself after `runUntil`). */
  finish(): SimulationResult {
    if (this.result) return this.result;
    this.strategy.onStop?.(this.ctx);
    const end = { time: this.clock.now };
    this.sampleEquity(end);
    for (const inst of this.instruments.all()) if (inst.id < this.listed.length) this.sampleMark(inst, end, true);
    for (const sym of Object.keys(this.liquidity)) {
      if (!this.instruments.get(sym)) this.logs.push(`warning: liquidity is set for ${sym}, which never appeared in the data`);
    }
    const acct = this.account;
    const positions: Record<string, number> = {};
    for (const inst of this.instruments.all()) {
      const a = this.portfolio.accountFor(inst);
      if (a === undefined) continue;
      const q = a.position(inst).quantity;
      if (q !== 0) positions[inst.symbol] = inst.size(q);
    }
    if (this.rateGapSince === this.rateGapSince) {
      this.logs.push(`warning: equity samples from ${this.rateGapSince} were left out until every exchange rate was known (${this.equitySeries.length > 0 ? 'first sample later' : 'no sample'})`);
    }
    this.result = {
      startTime: this.firstTime,
      endTime: this.clock.now,
      events: this.loop.dataEvents,
      fills: this.fills,
      rejected: this.rejected,
      orders: this.orders,
      equity: this.equitySeries.toDecimals(10 ** acct.cashPrecision),
      finalValue: acct.cashDecimal(this.portfolio.value()),
      cash: acct.cashDecimal(this.portfolio.cashValue()),
      positions,
      tradedNotional: this.tradedNotional,
      journalHash: this.journal.hash(),
      journalLines: this.journal.lines(),
      logs: this.logs,
      marginEvents: this.account.marginEvents.map((m) => ({ time: m.time, status: m.status, equity: acct.cashDecimal(m.equity), maintenanceMargin: acct.cashDecimal(m.maintenanceMargin) })),
      instrumentSeries: this.instrumentSeries(),
      cashFlows: this.cashFlows?.history ?? [],
      ledger: acct.ledger,
      startingCashUnits: acct.startingCash,
      cashUnits: acct.cash,
      plugins: Object.fromEntries(this.plugins.filter((p) => p.report !== undefined).map((p) => [p.name, p.report!()])),
      balances: this.portfolio.balances(),
    };
    // the sample series are read out: their chunks go back to the buffer pool for the next run
    this.equitySeries.release();
    for (const s of this.markSeries) s?.release();
    return this.result;
  }

  // ------------------------------------------------------------------ data path (hot)

  /** @internal The event loop's sink: one data event, through the venue, then to the strategy. */
  onData(e: MarketEvent): void {
    if (this.firstTime !== this.firstTime) this.firstTime = e.time;
    const i0 = e.instrument;
    if (i0 !== undefined && this.listed[i0.id] !== true) this.list(i0);
    this.venue.onMarketEvent(e);
    const inst = e.instrument;
    const acct = inst === undefined ? undefined : this.portfolio.accountFor(inst);
    if (inst !== undefined && acct !== undefined) {
      const last = this.venue.lastPrice(inst);
      if (last === last) acct.mark(inst, last);
      if (inst.id < this.accrued.length) this.markAccruedAt(inst, e.time);
    }
    if (this.multi && inst !== undefined) this.portfolio.onMarketData(e, this.venue.lastPrice(inst));
    if (this.isMargin) this.checkMargin(e.time);
    if (this.otherMargin) this.portfolio.checkMargins(e.time, this.marginDesk);
    const dp = this.dataPlugins;
    for (let i = 0; i < dp.length; i++) dp[i]!.onData!(e);
    // Venue answers caused by this event (fills at the open, with zero response latency) reach the
    // strategy before the event itself, as backtrader notifies orders before next().
    const q = this.queue;
    while (q.peekTime() <= e.time) q.pop()!.fire(e.time);
    const d = this.mdLatency.delay();
    if (d === 0) this.deliverMarketData(e);
    else if ((e.kind === 'book-delta' || e.kind === 'book-snapshot' || e.kind === 'l3') && this.strategy.onBook) {
      // what the strategy sees after the latency is the book as it was now
      const rb = this.venue.replayBook(e.instrument);
      if (rb !== undefined) {
        const snap = new SnapshotBookView(e.instrument, new ReplayLevels(rb), e.time, 20);
        const hook = this.strategy.onBook;
        this.queue.push(new OrderArrival(e.time + d, () => hook.call(this.strategy, this.ctx, snap)));
      }
    } else this.queue.push(new MarketDataDelivery(e.time + d, this, { ...e }));
    if (e.kind === 'bar' || e.time - this.lastSample >= this.equitySampleUs) this.sampleEquity(e);
    if (inst !== undefined) this.sampleMark(inst, e, e.kind === 'bar');
    if (this.onProgress !== undefined) this.onProgress(this.loop.dataEvents, e.time);
  }

  /**
   * Margin accounts: after each mark, a margin call is journaled and logged; below the liquidation
   * level the venue closes every position at market (reduce-only orders tagged `liquidation`, sent by
   * the venue itself, so with no order-entry latency). See docs/accounts.md.
   */
  private checkMargin(time: number): void {
    if (this.liquidation.length > 0) {
      if (this.liquidation.every((o) => o.isDone)) this.liquidation = [];
      else return;
    }
    const status = this.account.checkMargin(time);
    if (status !== this.marginStatus) {
      this.marginStatus = status;
      if (status !== 'OK') {
        this.journal.record(`${time}|${status}|${this.account.equity}|${this.account.maintenanceMargin}`);
        this.logs.push(`${time} ${status}: equity ${this.account.cashDecimal(this.account.equity)} below maintenance margin ${this.account.cashDecimal(this.account.maintenanceMargin)}`);
      }
    }
    if (status !== 'LIQUIDATE') return;
    for (const l of this.account.positionsToLiquidate()) {
      const order = new Order(this.nextOrderId++, { instrument: l.instrument, side: l.side, type: 'MARKET', quantity: l.quantity, tif: 'IOC', reduceOnly: true, owner: 1, tag: 'liquidation' });
      this.orders.push(order);
      this.open.set(order.id, true);
      this.liquidation.push(order);
      this.journal.event(time, 'SUBMIT', order.id, l.instrument.symbol, l.side, 'MARKET', NaN, NaN, l.quantity, 0, 'IOC', 'liquidation', NaN, NaN, NaN, '');
      this.queue.push(new OrderArrival(time, (now) => this.venue.submit(order, now)));
    }
  }

  /**
   * A book changed: the strategy's `onBook` sees it after the market-data latency. With zero latency
   * the view is the live book (no copy); otherwise a snapshot of the top 20 levels taken now.
   */
  private onBookChange(engine: MatchingEngine, time: number): void {
    const hook = this.strategy.onBook;
    const last = this.venue.lastPrice(engine.instrument);
    const acct = this.portfolio.accountFor(engine.instrument);
    if (last === last && acct !== undefined) acct.mark(engine.instrument, last);
    if (!hook) return;
    const d = this.mdLatency.delay();
    if (d === 0) return this.deliverBook(engine.instrument, engine.book, time, true);
    const snap = new SnapshotBookView(engine.instrument, engine.book, time, 20);
    this.queue.push(new OrderArrival(time + d, () => hook.call(this.strategy, this.ctx, snap)));
  }

  /** A status the venue made (asset rules: a halt, a resumption): journaled, then delivered like a data status after the market-data latency. */
  private onVenueStatus(e: StatusEvent): void {
    this.journal.record(`${e.time}|STATUS|${e.instrument.symbol}|${e.status}|${e.reason}`);
    this.queue.push(new MarketDataDelivery(e.time + this.mdLatency.delay(), this, e));
  }

  /** A split took effect (asset rules): the account's position is adjusted (docs/equities.md, "Equity rules in a run"). */
  private onSplit(inst: Instrument, ratioNew: number, ratioOld: number, cashPrice: number, time: number): void {
    const acct = this.portfolio.accountFor(inst);
    if (acct === undefined) return;
    const r = acct.applySplit(inst, ratioNew, ratioOld, cashPrice, time);
    this.journal.record(`${time}|SPLIT|${inst.symbol}|${ratioNew}:${ratioOld}|${r.quantity}|${r.cashInLieu}`);
    // the strategy's bar history becomes split-adjusted (a new window: ctx.history returns it from now on)
    const h = inst.id < this.histories.length ? this.histories[inst.id] : undefined;
    if (h !== undefined && h.length > 0) {
      const k = ratioOld / ratioNew;
      const nh = new BarHistory(h.capacity);
      for (let a = h.length - 1; a >= 0; a--) nh.push(h.time(a), h.open(a) * k, h.high(a) * k, h.low(a) * k, h.close(a) * k, h.volume(a) / k);
      nh.count = h.count;
      this.histories[inst.id] = nh;
    }
  }

  /** A fee on shorts (equity borrow fees): posted as BORROW_FEE for a short position. */
  private onShortFee(inst: Instrument, time: number, feeFor: (quantity: number, cashPrecision: number) => number): void {
    const acct = this.portfolio.accountFor(inst);
    if (acct === undefined) return;
    const q = acct.position(inst).quantity;
    if (q >= 0) return;
    const fee = feeFor(q, acct.cashPrecision);
    if (fee > 0) acct.post('BORROW_FEE', -fee, time, inst);
  }

  /** @internal Delivers a market data event to the strategy. */
  deliverMarketData(e: MarketEvent): void {
    if (e.kind === 'bar') {
      let h = this.histories[e.instrument.id];
      if (h === undefined) h = this.historyOf(e.instrument);
      h.pushBar(e);
      const s = this.strategy;
      if (s.onBar) s.onBar(this.ctx, e);
    } else this.deliverOther(e); // kept out of line: the bar path stays small enough to inline
  }

  /** `deliverMarketData` for every kind but bars. */
  private deliverOther(e: Exclude<MarketEvent, BarEvent>): void {
    const s = this.strategy;
    if (e.kind === 'quote') {
      if (s.onQuote) s.onQuote(this.ctx, e);
    } else if (e.kind === 'trade') {
      if (s.onTrade) s.onTrade(this.ctx, e);
    } else if (e.kind === 'news') {
      if (s.onNews) s.onNews(this.ctx, e);
    } else if (e.kind === 'status') {
      if (s.onStatus) s.onStatus(this.ctx, e);
    } else if (e.kind === 'order-flow') {
      if (s.onOrderFlow) s.onOrderFlow(this.ctx, e);
    } else if (s.onBook) {
      // a replayed book changed (delta, snapshot or L3 message)
      const rb = this.venue.replayBook(e.instrument);
      if (rb !== undefined) this.deliverBook(e.instrument, this.replayLevels(rb), e.time, true);
    }
  }

  private readonly replayLevelCache = new Map<ReplayBook, ReplayLevels>();
  private replayLevels(rb: ReplayBook): ReplayLevels {
    let l = this.replayLevelCache.get(rb);
    if (l === undefined) this.replayLevelCache.set(rb, (l = new ReplayLevels(rb)));
    return l;
  }

  /** Hands a book view to `onBook`: live when delivered at once, a top-20 snapshot otherwise. */
  private deliverBook(inst: Instrument, levels: LevelSource, time: number, live: boolean): void {
    const hook = this.strategy.onBook!;
    if (live) {
      let v = this.bookViews[inst.id];
      if (v === undefined) v = this.bookViews[inst.id] = new LiveBookView(inst, levels);
      v.time = time;
      hook.call(this.strategy, this.ctx, v);
    } else hook.call(this.strategy, this.ctx, new SnapshotBookView(inst, levels, time, 20));
  }

  private lastSample = -Infinity;
  /**
   * Samples equity and gross exposure (cash units) at `at.time`; a second sample at the same time
   * replaces the first. (The time comes inside an object, an event or a fill, so that the hot path
   * does not box a timestamp for the call; the same for `sampleMark`.)
   */
  private sampleEquity(at: { readonly time: number }): void {
    const time = at.time;
    if (time !== time || time === -Infinity) return;
    if (this.multi) return this.samplePortfolio(time);
    const acct = this.account;
    if (time === this.lastSample) {
      this.equitySeries.setLast(time, acct.equity, acct.grossExposure);
      return;
    }
    this.lastSample = time;
    this.equitySeries.push(time, acct.equity, acct.grossExposure);
  }

  /**
   * Samples the portfolio's value and gross exposure in the reporting currency (exact, rounded once);
   * left out while an exchange rate it needs is not known yet (logged once, at the end).
   */
  private samplePortfolio(time: number): void {
    const v = this.portfolio.tryValue();
    if (v !== v) {
      if (this.rateGapSince !== this.rateGapSince) this.rateGapSince = time;
      return;
    }
    const x = this.portfolio.tryExposureValue();
    if (time === this.lastSample) {
      this.equitySeries.setLast(time, v, x);
      return;
    }
    this.lastSample = time;
    this.equitySeries.push(time, v, x);
  }

  /** Journals and logs a margin status change of a non-primary account (see `Portfolio.checkMargins`). */
  private otherMarginStatus(e: PortfolioEntry, status: MarginStatus, time: number): void {
    if (status === 'OK') return;
    const a = e.account;
    this.journal.record(`${time}|${status}|${e.venue}:${e.currency}|${a.equity}|${a.maintenanceMargin}`);
    this.logs.push(`${time} ${status} (${e.venue} ${e.currency}): equity ${a.cashDecimal(a.equity)} below maintenance margin ${a.cashDecimal(a.maintenanceMargin)}`);
  }

  /** Closes one position of a non-primary margin account at market (a reduce-only IOC order tagged `liquidation`). */
  private sendLiquidation(_e: PortfolioEntry, l: LiquidationOrder, time: number): Order {
    const order = new Order(this.nextOrderId++, { instrument: l.instrument, side: l.side, type: 'MARKET', quantity: l.quantity, tif: 'IOC', reduceOnly: true, owner: 1, tag: 'liquidation' });
    this.orders.push(order);
    this.open.set(order.id, true);
    this.journal.event(time, 'SUBMIT', order.id, l.instrument.symbol, l.side, 'MARKET', NaN, NaN, l.quantity, 0, 'IOC', 'liquidation', NaN, NaN, NaN, '');
    this.queue.push(new OrderArrival(time, (now) => this.venue.submit(order, now)));
    return order;
  }

  /** Samples `inst`'s mark and position value at `at.time`: when `force`, or `equitySampleUs` after its last sample; same time replaces. */
  private sampleMark(inst: Instrument, at: { readonly time: number }, force: boolean): void {
    const time = at.time;
    const last = this.lastMarkSample[inst.id]!;
    if (!(force || time === last || time - last >= this.equitySampleUs)) return;
    const acct = this.portfolio.accountFor(inst);
    if (acct === undefined || time !== time || time === -Infinity) return;
    const p = acct.position(inst);
    const px = p.markPrice;
    if (px !== px) return;
    let s = this.markSeries[inst.id];
    if (s === undefined) s = this.markSeries[inst.id] = new TimeSeries2();
    if (time === last) s.setLast(time, px, p.marketValue);
    else {
      this.lastMarkSample[inst.id] = time;
      s.push(time, px, p.marketValue);
    }
  }

  /** The sampled marks of every instrument, in decimals (cold path, at the end). */
  private instrumentSeries(): InstrumentSeries[] {
    const out: InstrumentSeries[] = [];
    for (const inst of this.instruments.all()) {
      const s = inst.id < this.markSeries.length ? this.markSeries[inst.id] : undefined;
      if (s === undefined) continue;
      const acct = this.portfolio.accountFor(inst) ?? this.account;
      // prices in price units and values in cash units, to decimals (as `cashDecimal` does)
      const raw = s.toDecimals(inst.priceScale, 10 ** acct.cashPrecision);
      const p = acct.position(inst);
      out.push({
        symbol: inst.symbol,
        assetClass: inst.assetClass,
        time: raw.time,
        price: raw.value,
        value: raw.exposure,
        quantity: inst.size(p.quantity),
        realizedPnl: acct.cashDecimal(p.realizedPnl),
        unrealizedPnl: acct.cashDecimal(p.unrealizedPnl),
        fees: acct.cashDecimal(p.fees),
      });
    }
    return out;
  }

  // ------------------------------------------------------------------ orders

  private onVenueUpdate(u: OrderUpdate): void {
    const o = u.order;
    const inst = o.instrument;
    const f = u.fill;
    this.journal.event(u.time, u.kind, o.id, inst?.symbol ?? '', o.side ?? '', o.type ?? '', o.price, o.triggerPrice, o.quantity, u.filled, u.status, u.reason ?? '', f ? f.price : NaN, f ? f.quantity : NaN, f ? f.fee : NaN, f ? f.liquidity : '');
    if (f) {
      const price = inst.price(f.price);
      const qty = inst.size(f.quantity);
      const report: FillReport = { time: f.time, orderId: o.id, symbol: inst.symbol, side: f.side, price, quantity: qty, fee: (this.portfolio.accountFor(inst) ?? this.account).cashDecimal(f.fee), liquidity: f.liquidity, tag: o.tag };
      this.fills.push(report);
      for (const p of this.fillPlugins) p.onFill!(report);
      this.tradedNotional += Math.abs(price * qty * inst.multiplier);
      this.sampleMark(inst, f, true);
    }
    if (u.kind === 'REJECTED') {
      this.rejected.push({ time: u.time, orderId: o.id, symbol: inst.symbol, side: o.side, quantity: inst.size(o.quantity), reason: String(u.reason) });
    }
    if (u.kind !== 'REQUEST_REJECTED' && o.isDone) this.open.delete(o.id);
    const d = this.respLatency.delay();
    this.queue.push(new Delivery(u.time + d, this, u));
  }

  /** @internal Delivers a venue update to the strategy. */
  deliverUpdate(u: OrderUpdate): void {
    const hook = this.strategy.onOrderUpdate;
    if (!hook) return;
    const o = u.order;
    const inst = o.instrument;
    const out: StrategyOrderUpdate = {
      kind: u.kind,
      time: u.time,
      orderId: o.id,
      symbol: inst?.symbol ?? '',
      side: o.side,
      type: o.type,
      status: u.status,
      quantity: inst ? inst.size(o.quantity) : 0,
      filled: inst ? inst.size(u.filled) : 0,
      tag: o.tag ?? '',
    };
    if (u.fill) out.fill = { price: inst.price(u.fill.price), quantity: inst.size(u.fill.quantity), fee: (this.portfolio.accountFor(inst) ?? this.account).cashDecimal(u.fill.fee), liquidity: u.fill.liquidity };
    if (u.reason !== undefined) out.reason = u.reason;
    hook.call(this.strategy, this.ctx, out);
  }

  /** Lists an instrument at the venue with the liquidity the run gives its symbol (default data). */
  private list(inst: Instrument): void {
    // explicit entries up to the id: reads past an array's end are slow in V8
    for (let i = this.listed.length; i <= inst.id; i++) {
      this.listed.push(false);
      this.histories.push(undefined);
      this.bookViews.push(undefined);
      this.markSeries.push(undefined);
      this.lastMarkSample.push(-Infinity);
    }
    this.listed[inst.id] = true;
    this.portfolio.addInstrument(inst);
    this.bindAccrued(inst);
    this.venue.addInstrument(inst, this.liquidity[inst.symbol] ?? 'data');
  }

  private historyOf(inst: Instrument): BarHistory {
    let h = this.histories[inst.id];
    if (h === undefined) {
      h = new BarHistory(this.historySize);
      this.histories[inst.id] = h;
    }
    return h;
  }

  private instrumentOf(symbol: string): Instrument {
    const inst = this.instruments.get(symbol);
    if (!inst) throw new MarketsimError('UNKNOWN_INSTRUMENT', `unknown symbol ${JSON.stringify(symbol)}; known: ${this.instruments.all().map((i) => i.symbol).join(', ')}`);
    return inst;
  }

  private makeOrder(req: SubmitRequest): Order {
    const inst = this.instruments.get(req.symbol);
    const id = this.nextOrderId++;
    const type = req.type ?? (req.price !== undefined || req.yield !== undefined ? (req.triggerPrice !== undefined ? 'STOP_LIMIT' : 'LIMIT') : req.triggerPrice !== undefined ? 'STOP' : 'MARKET');
    const r: OrderRequest = {
      instrument: inst ?? (undefined as unknown as Instrument),
      side: req.side,
      type,
      quantity: inst ? rawUnits(req.quantity, inst.sizeScale) : NaN,
      tif: req.tif ?? 'GTC',
      postOnly: req.postOnly ?? false,
      reduceOnly: req.reduceOnly ?? false,
      owner: 1,
      tag: req.tag ?? '',
    };
    if (req.extendedHours === true) r.extendedHours = true;
    if (req.auction !== undefined) r.auction = req.auction;
    if (req.price !== undefined) r.price = inst ? rawUnits(req.price, inst.priceScale) : NaN;
    if (req.yield !== undefined && inst) r.price = this.priceOfYield(inst, req);
    if (req.triggerPrice !== undefined) r.triggerPrice = inst ? rawUnits(req.triggerPrice, inst.priceScale) : NaN;
    if (req.expireTime !== undefined) r.expireTime = req.expireTime;
    const order = new Order(id, r);
    this.orders.push(order);
    this.open.set(id, true);
    this.journal.event(this.clock.now, 'SUBMIT', id, req.symbol, req.side, type, r.price ?? NaN, r.triggerPrice ?? NaN, r.quantity, 0, r.tif ?? 'GTC', '', NaN, NaN, NaN, '');
    return order;
  }

  /**
   * The limit price of an order given in yield (bonds): the clean price of that yield now, on the
   * tick grid, rounded so the order never trades at a worse yield (a buy down, a sell up).
   */
  private priceOfYield(inst: Instrument, req: SubmitRequest): number {
    const y = req.yield!;
    if (req.price !== undefined) throw new MarketsimError('BAD_ORDER', `order for ${inst.symbol}: give a price or a yield, not both`);
    const f = this.yieldPricing[inst.symbol];
    if (f === undefined) throw new MarketsimError('YIELD_NOT_SUPPORTED', `order for ${inst.symbol}: ${inst.symbol} is quoted only in price (orders in yield need a bond instrument)`);
    if (!Number.isFinite(y)) throw new MarketsimError('BAD_ORDER', `order for ${inst.symbol}: yield must be a finite percentage, got ${y}`);
    const ticks = (f(y, this.clock.now) * inst.priceScale) / inst.tickUnits;
    return (req.side === 'BUY' ? Math.floor(ticks + 1e-9) : Math.ceil(ticks - 1e-9)) * inst.tickUnits;
  }

  /**
   * The order-entry channel is in order, like a real session: each message takes its own latency draw
   * but never arrives before one sent earlier (so a cancel cannot overtake its order).
   */
  private sendToVenue(run: (now: number) => void): void {
    this.queue.push(new OrderArrival(this.arrivalTime(), run));
  }

  /** When a message sent now reaches the venue (see `sendToVenue`). */
  private arrivalTime(): number {
    const at = Math.max(this.clock.now + this.oeLatency.delay(), this.lastArrival);
    this.lastArrival = at;
    return at;
  }

  private submitOne(req: SubmitRequest): number {
    const order = this.makeOrder(req);
    if (!order.instrument) {
      // unknown symbol: a documented rejection, delivered like any other venue answer
      this.sendToVenue((now) => this.rejectUnknown(order, now));
      return order.id;
    }
    const inst = order.instrument;
    if (inst.id < this.accrued.length && this.accrued[inst.id] !== undefined) {
      // a bond order that fills on arrival books the accrued interest of its own trade time
      this.sendToVenue((now) => {
        this.markAccruedAt(inst, now);
        this.venue.submit(order, now);
      });
    } else this.queue.push(new OrderSubmission(this.arrivalTime(), this.venue, order));
    return order.id;
  }

  /** Sets a bond's accrued-interest mark (in its account) for a trade at `time`. */
  private markAccruedAt(inst: Instrument, time: number): void {
    const acc = inst.id < this.accrued.length ? this.accrued[inst.id] : undefined;
    const acct = this.portfolio.accountFor(inst);
    if (acc !== undefined && acct !== undefined) acct.markAccrued(inst, Math.round(acc(time) * inst.priceScale));
  }

  /**
   * Sends an order on behalf of the venue or a plugin (a liquidation engine, a corporate action), for
   * the strategy's account, with no order-entry latency. Its updates reach the strategy like any
   * other order's. Returns the order.
   */
  sendVenueOrder(instrument: Instrument, side: Side, quantity: number, tag: string, reduceOnly = true): Order {
    const order = new Order(this.nextOrderId++, { instrument, side, type: 'MARKET', quantity, tif: 'IOC', reduceOnly, owner: 1, tag });
    this.orders.push(order);
    this.open.set(order.id, true);
    const now = this.clock.now;
    this.journal.event(now, 'SUBMIT', order.id, instrument.symbol, side, 'MARKET', NaN, NaN, quantity, 0, 'IOC', tag, NaN, NaN, NaN, '');
    this.queue.push(new OrderArrival(now, (t) => this.venue.submit(order, t)));
    return order;
  }

  /** Adds a line to the run's log (kept in the result). */
  log(message: string): void {
    this.logs.push(message);
  }

  private rejectUnknown(order: Order, now: number): void {
    order.status = 'REJECTED';
    order.rejectReason = 'UNKNOWN_INSTRUMENT';
    this.open.delete(order.id);
    this.journal.event(now, 'REJECTED', order.id, '', order.side, order.type, NaN, NaN, NaN, 0, 'REJECTED', 'UNKNOWN_INSTRUMENT', NaN, NaN, NaN, '');
    this.rejected.push({ time: now, orderId: order.id, symbol: '', side: order.side, quantity: NaN, reason: 'UNKNOWN_INSTRUMENT' });
    this.queue.push(new Delivery(now + this.respLatency.delay(), this, { kind: 'REJECTED', time: now, order, status: 'REJECTED', filled: 0, reason: 'UNKNOWN_INSTRUMENT' }));
  }

  /** @internal */
  fireTimer(t: Timer, now: number): void {
    if (t.everyUs > 0) {
      t.time = now + t.everyUs;
      this.queue.push(t);
    } else this.timers.delete(t.id);
    const ev: TimerEvent = { id: t.id, name: t.name, time: now };
    this.strategy.onTimer?.(this.ctx, ev);
  }

  private makeContext(): StrategyContext {
    const sim = this;
    const acct = this.account;
    const pf = this.portfolio;
    return {
      get now() {
        return sim.clock.now;
      },
      get cash() {
        return acct.cashDecimal(pf.cashValue());
      },
      get equity() {
        return acct.cashDecimal(pf.value());
      },
      balance: (currency, venue) => {
        const a = pf.requireAccount(currency, venue);
        return a.cashDecimal(a.cash);
      },
      instrument: (symbol) => this.instrumentOf(symbol),
      submit: (req) => this.submitOne(req),
      submitOco: (a, b) => {
        const oa = this.makeOrder(a);
        const ob = this.makeOrder(b);
        this.sendToVenue((now) => this.venue.submitOco([oa, ob], now));
        return [oa.id, ob.id];
      },
      submitBracket: (req: BracketRequest): BracketIds => {
        const entry = this.makeOrder(req.entry);
        const exitSide = opposite(req.entry.side);
        const base = { symbol: req.entry.symbol, side: exitSide, quantity: req.entry.quantity, tif: 'GTC' as const, reduceOnly: false };
        const kids: Order[] = [];
        let tp: number | undefined;
        let sl: number | undefined;
        if (req.takeProfit !== undefined) {
          const o = this.makeOrder({ ...base, type: 'LIMIT', price: req.takeProfit, tag: 'take-profit' });
          kids.push(o);
          tp = o.id;
        }
        if (req.stopLoss !== undefined) {
          const o = this.makeOrder(
            req.stopLimit !== undefined
              ? { ...base, type: 'STOP_LIMIT', triggerPrice: req.stopLoss, price: req.stopLimit, tag: 'stop-loss' }
              : { ...base, type: 'STOP', triggerPrice: req.stopLoss, tag: 'stop-loss' },
          );
          kids.push(o);
          sl = o.id;
        }
        this.sendToVenue((now) => this.venue.submitBracket(entry, kids, now));
        return { entry: entry.id, takeProfit: tp, stopLoss: sl };
      },
      cancel: (orderId) => {
        this.journal.record(`${this.clock.now}|CANCEL_REQUEST|${orderId}`);
        this.sendToVenue((now) => this.venue.cancel(orderId, now));
      },
      modify: (orderId, change) => {
        const o = this.venue.order(orderId) ?? this.orders[orderId - 1];
        const inst = o?.instrument;
        const price = change.price !== undefined && inst ? rawUnits(change.price, inst.priceScale) : NaN;
        const trig = change.triggerPrice !== undefined && inst ? rawUnits(change.triggerPrice, inst.priceScale) : NaN;
        const qty = change.quantity !== undefined && inst ? rawUnits(change.quantity, inst.sizeScale) : NaN;
        this.journal.record(`${this.clock.now}|MODIFY_REQUEST|${orderId}|${price}|${trig}|${qty}`);
        this.sendToVenue((now) => this.venue.modify(orderId, price, qty, now, trig));
      },
      tradingBlock: (symbol) => this.venue.tradingBlock(this.instrumentOf(symbol), this.clock.now),
      position: (symbol) => {
        const inst = this.instrumentOf(symbol);
        const a = pf.accountFor(inst);
        return a === undefined ? 0 : inst.size(a.position(inst).quantity);
      },
      openOrders: (symbol) => {
        const out: number[] = [];
        this.open.forEach((_, id) => {
          if (symbol === undefined || this.orders[id - 1]?.instrument?.symbol === symbol) out.push(id);
        });
        return out.sort((a, b) => a - b);
      },
      setTimer: (at, name = 'timer') => {
        if (!(at >= this.clock.now)) throw new MarketsimError('TIMER_IN_PAST', `timer ${name} at ${at} is before now (${this.clock.now})`);
        const t = new Timer(at, this.nextTimerId++, name, 0, this);
        this.timers.set(t.id, t);
        this.queue.push(t);
        return t.id;
      },
      setInterval: (everyUs, name = 'interval', start) => {
        if (!(everyUs > 0 && Number.isFinite(everyUs))) throw new MarketsimError('BAD_TIMER', `interval ${name} must be > 0 us, got ${everyUs}`);
        const first = start ?? this.clock.now + everyUs;
        const t = new Timer(first, this.nextTimerId++, name, Math.round(everyUs), this);
        this.timers.set(t.id, t);
        this.queue.push(t);
        return t.id;
      },
      cancelTimer: (id) => {
        const t = this.timers.get(id);
        if (t) {
          t.canceled = true;
          this.timers.delete(id);
        }
      },
      history: (symbol) => this.historyOf(this.instrumentOf(symbol)),
      log: (message) => {
        this.logs.push(`${this.clock.now} ${message}`);
      },
    };
  }
}

/**
 * Decimal to integer units at the edge: exact for on-grid values; an off-grid value keeps its
 * fraction so that validation rejects it with OFF_TICK_PRICE / BAD_LOT instead of rounding it silently.
 */
function rawUnits(x: number, scale: number): number {
  if (!Number.isFinite(x)) return NaN;
  const s = x * scale;
  const n = Math.round(s);
  return Math.abs(s - n) <= Math.max(1e-9, Math.abs(s) * 1e-12) ? n : s;
}
