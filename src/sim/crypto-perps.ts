import { ConfigError, MarketsimError } from '../core/errors.ts';
import type { Scheduled } from '../core/event-queue.ts';
import { isoFromMicros } from '../core/time.ts';
import type { Instrument } from '../market/instrument.ts';
import type { MarketEvent } from '../market/market-data.ts';
import type { Order, RejectReason } from '../market/order.ts';
import type { InstrumentRules, RulesView } from '../market/venue.ts';
import { formatUnits, parseDecimalBig } from '../assets/crypto/int.ts';
import { MarginTiers, type LeverageBracket } from '../assets/crypto/margin-tiers.ts';
import { FundingRate, IndexPrice, MarkPrice, premiumIndex, type FundingOptions, type MarkPriceOptions } from '../assets/crypto/perp-prices.ts';
import { LiquidationEngine, PerpAccount, type MarginMode } from '../assets/crypto/perp-account.ts';
import type { CryptoInstrumentRules } from '../assets/crypto/rules.ts';
import type { FillReport, Simulation, SimulationPlugin } from './simulation.ts';

/** One perpetual contract of a run. */
export interface PerpContractSetup {
  /** The perpetual's symbol (`BTC/USDT:USDT`), an instrument of the run. */
  symbol: string;
  /** The spot symbol whose last price is the index (`BTC/USDT`), an instrument of the run. */
  index: string;
  leverage: number;
  marginMode: MarginMode;
  brackets: readonly LeverageBracket[];
  /** The contract's grid (the instrument's precisions). */
  pricePrecision: number;
  sizePrecision: number;
}

/** Options of `PerpetualsPlugin`. */
export interface PerpetualsOptions {
  contracts: readonly PerpContractSetup[];
  funding?: FundingOptions;
  mark?: MarkPriceOptions;
  /** Seconds between premium-index samples (default 60). */
  premiumSampleSeconds?: number;
  /** Index prices older than this are not used (seconds, default 86,400). */
  indexMaxAgeSeconds?: number;
  /** Insurance fund at the start, decimal in the account currency (default 0). */
  insuranceFund?: string;
  /** The run's instruments (looked up by symbol when their data first arrives). */
  registry: { get(symbol: string): Instrument | undefined };
}

/** One funding payment, in the report. */
export interface FundingRecord {
  time: string;
  symbol: string;
  /** Funding rate (fraction). */
  rate: number;
  /** Mark price used (decimal). */
  mark: number;
  /** Position (decimal, signed). */
  size: number;
  /** Received (> 0) or paid (< 0), account currency (decimal string, exact). */
  amount: string;
}

interface ContractState {
  setup: PerpContractSetup;
  perpInst: Instrument | undefined;
  indexInst: Instrument | undefined;
  funding: FundingRate;
  mark: MarkPrice;
  index: IndexPrice;
  bid: number;
  ask: number;
  markUnits: number;
  lastRate: number;
  indexSeen: boolean;
}

const SEC = 1_000_000;

class Recurring implements Scheduled {
  seq = 0;
  readonly recurring = true;
  constructor(public time: number, private readonly every: number, private readonly queue: { push(s: Scheduled): void }, private readonly run: (now: number) => void) {}
  fire(now: number): void {
    this.run(now);
    this.time = now + this.every;
    this.queue.push(this);
  }
}

/**
 * Perpetual futures in a run (docs/crypto.md, "Crypto rules in a run"). The plugin keeps a
 * `PerpAccount` that mirrors the strategy's fills in the contracts (same price and size units as the
 * instruments, margin units = the account's cash units) and:
 * - index: the last price of the contract's spot symbol (converted to the contract's price units);
 * - mark: `MarkPrice` from the index and the contract's best bid/ask (quotes) or last price (bars and trades);
 * - funding: premium samples every `premiumSampleSeconds` (impact bid/ask = the contract's touch), and at
 *   every funding time (00:00, 08:00, 16:00 UTC by default) the rate `FundingRate.settle()` applied to the
 *   position at the mark: posted to the account as FUNDING (longs pay when the rate is positive);
 * - margin at arrival (`PerpInstrumentRules`): an order that opens must be allowed by the brackets at the
 *   position's new notional (rejected LEVERAGE_TOO_HIGH) and its initial margin ceil(N / leverage) must be
 *   available (rejected INSUFFICIENT_FUNDS);
 * - liquidation: after each mark, when the margin balance is below the bracket's maintenance margin the
 *   plugin sends a reduce-only market order (tag `perp-liquidation`) for the account's position; at its
 *   fill `LiquidationEngine.liquidate` closes the contract at the bankruptcy price and the account is
 *   charged an ADJUSTMENT of what goes to the insurance fund (so the account loses the margin at stake,
 *   plus the order's fee); a close beyond the bankruptcy price is paid from the fund.
 * Needs a margin account (`account.kind: margin`) in the contracts' settlement currency.
 */
export class PerpetualsPlugin implements SimulationPlugin {
  readonly name = 'crypto-perpetuals';
  private sim: Simulation | undefined;
  private account: PerpAccount | undefined;
  private engine: LiquidationEngine | undefined;
  private readonly states: ContractState[] = [];
  private readonly bySymbol = new Map<string, ContractState[]>();
  private readonly fundingLog: FundingRecord[] = [];
  private readonly liquidationOrders = new Map<number, ContractState>();
  private started = false;
  private warnedIndex = false;
  private scale = 1;

  constructor(private readonly o: PerpetualsOptions) {
    for (const c of o.contracts) {
      const st: ContractState = {
        setup: c,
        perpInst: undefined,
        indexInst: undefined,
        funding: new FundingRate(o.funding ?? {}),
        mark: new MarkPrice({ ...(o.mark ?? {}), ...(o.funding?.intervalHours !== undefined ? { intervalHours: o.funding.intervalHours } : {}) }),
        index: new IndexPrice({ [c.index]: 1 }, o.indexMaxAgeSeconds ?? 86_400, 1),
        bid: NaN,
        ask: NaN,
        markUnits: NaN,
        lastRate: 0,
        indexSeen: false,
      };
      this.states.push(st);
      for (const s of [c.symbol, c.index]) {
        let l = this.bySymbol.get(s);
        if (l === undefined) this.bySymbol.set(s, (l = []));
        l.push(st);
      }
    }
  }

  /** The mirrored perpetual account (after `attach`). */
  get perpAccount(): PerpAccount {
    if (this.account === undefined) throw new MarketsimError('ENGINE_STATE', 'PerpetualsPlugin: not attached to a simulation');
    return this.account;
  }

  /** The liquidation engine with its insurance fund (after `attach`). */
  get liquidations(): LiquidationEngine {
    if (this.engine === undefined) throw new MarketsimError('ENGINE_STATE', 'PerpetualsPlugin: not attached to a simulation');
    return this.engine;
  }

  /** The current mark of a contract (price units), NaN before the first. */
  markOf(symbol: string): number {
    return this.states.find((s) => s.setup.symbol === symbol)?.markUnits ?? NaN;
  }

  /** Builds the `PerpAccount` (margin in the account's cash units, wallet = the account's cash) and the insurance fund. */
  attach(sim: Simulation): void {
    const acct = sim.account;
    if (acct.kind !== 'margin') throw new ConfigError([{ path: 'account.kind', message: `crypto.perpetuals needs a margin account (got ${acct.kind})` }]);
    this.sim = sim;
    const p = acct.cashPrecision;
    this.scale = 10 ** p;
    this.account = new PerpAccount({ marginAsset: acct.currency, marginPrecision: p, wallet: acct.cash });
    this.o.contracts.forEach((c, k) => {
      try {
        this.account!.addContract({ symbol: c.symbol, pricePrecision: c.pricePrecision, sizePrecision: c.sizePrecision, tiers: new MarginTiers(c.brackets, p) }, c.marginMode, c.leverage);
      } catch (err) {
        const field = err instanceof MarketsimError && err.code === 'LEVERAGE_ABOVE_TIER_MAX' ? 'leverage' : 'brackets';
        throw new ConfigError([{ path: `crypto.perpetuals.contracts.${k}.${field}`, message: (err as Error).message }]);
      }
    });
    const fund = parseDecimalBig(this.o.insuranceFund ?? '0', p);
    if (fund === undefined || fund > BigInt(Number.MAX_SAFE_INTEGER)) throw new ConfigError([{ path: 'crypto.perpetuals.insuranceFund', message: `'${this.o.insuranceFund}' must be a decimal with at most ${p} decimals (the account's cash precision)` }]);
    this.engine = new LiquidationEngine(Number(fund));
  }

  /** Index, mark and liquidation checks after each event of a contract or its index symbol. */
  onData(e: MarketEvent): void {
    if (!this.started) this.start(e.time);
    const inst = e.instrument;
    if (inst === undefined) return;
    const list = this.bySymbol.get(inst.symbol);
    if (list === undefined) return;
    const venue = this.sim!.venue;
    for (const st of list) {
      if (inst.symbol === st.setup.index) {
        st.indexInst = inst;
        const last = venue.lastPrice(inst);
        if (last === last && last > 0) {
          const d = st.setup.pricePrecision - inst.pricePrecision;
          const px = d >= 0 ? last * 10 ** d : Math.round(last / 10 ** -d);
          if (px > 0) {
            st.index.update(st.setup.index, px, e.time);
            st.indexSeen = true;
          }
        }
      }
      if (inst.symbol === st.setup.symbol) {
        st.perpInst = inst;
        if (e.kind === 'quote') {
          st.bid = Math.round(e.bidPrice * inst.priceScale);
          st.ask = Math.round(e.askPrice * inst.priceScale);
        } else if (e.kind === 'bar' || e.kind === 'trade') {
          const last = venue.lastPrice(inst);
          if (last === last) st.bid = st.ask = last;
        }
      }
      this.updateMark(st, e.time);
    }
  }

  /** Mirrors a fill of a contract into the `PerpAccount`; a liquidation order's fill runs the liquidation. */
  onFill(fill: FillReport): void {
    const list = this.bySymbol.get(fill.symbol);
    if (list === undefined) return;
    const st = list.find((s) => s.setup.symbol === fill.symbol);
    if (st === undefined) return;
    const sim = this.sim!;
    const inst = st.perpInst ?? this.o.registry.get(fill.symbol);
    if (inst === undefined) return;
    st.perpInst = inst;
    const price = Math.round(fill.price * inst.priceScale);
    const qty = Math.round(fill.quantity * inst.sizeScale);
    const acct = this.account!;
    if (this.liquidationOrders.has(fill.orderId)) {
      if (acct.position(st.setup.symbol).size === 0) return; // a later fill of the same liquidation
      const rep = this.engine!.liquidate(fill.time, acct, st.setup.symbol, price);
      if (rep.insuranceDelta !== 0) sim.account.post('ADJUSTMENT', -rep.insuranceDelta, fill.time, inst);
      sim.log(
        `${fill.time} perp liquidation ${st.setup.symbol}: closed at ${fill.price} (bankruptcy ${(rep.bankruptcyPrice / inst.priceScale).toFixed(inst.pricePrecision)}), margin lost ${this.fmt(rep.marginLost)}, insurance fund ${rep.insuranceDelta >= 0 ? '+' : ''}${this.fmt(rep.insuranceDelta)}`,
      );
      return;
    }
    const fee = Math.round(fill.fee * this.scale);
    acct.trade(fill.time, st.setup.symbol, fill.side, qty, price, fee, true);
    if (st.markUnits !== st.markUnits) st.markUnits = price;
  }

  /**
   * The margin checks at arrival for an order of a contract (see `PerpInstrumentRules`): undefined when
   * it may be booked, LEVERAGE_TOO_HIGH or INSUFFICIENT_FUNDS otherwise. The price is the limit price, a
   * stop's trigger, or for a market order the touch it would take (else the mark); unknown -> no check.
   */
  checkOrder(symbol: string, order: Order, view: RulesView): RejectReason | undefined {
    const acct = this.account;
    if (acct === undefined) return undefined;
    let px = order.type === 'LIMIT' || order.type === 'STOP_LIMIT' ? order.price : order.type === 'STOP' ? order.triggerPrice : order.side === 'BUY' ? view.bestAsk : view.bestBid;
    if (px !== px) px = this.markOf(symbol);
    if (!(px > 0) || !Number.isSafeInteger(px) || !Number.isSafeInteger(order.quantity) || order.quantity <= 0) return undefined;
    const r = acct.checkOpen(symbol, order.side, order.quantity, px);
    if (r === 'LEVERAGE_ABOVE_TIER_MAX') return 'LEVERAGE_TOO_HIGH';
    if (r === 'INSUFFICIENT_MARGIN') return 'INSUFFICIENT_FUNDS';
    return undefined;
  }

  /** Funding payments, liquidations, the insurance fund and the positions at the end (decimals). */
  report(): unknown {
    const acct = this.account;
    const eng = this.engine;
    if (acct === undefined || eng === undefined) return {};
    return {
      funding: this.fundingLog,
      liquidations: eng.reports.map((r) => {
        const st = this.states.find((s) => s.setup.symbol === r.symbol)!;
        const ps = 10 ** st.setup.pricePrecision;
        return { time: isoFromMicros(r.time), symbol: r.symbol, execPrice: r.execPrice / ps, bankruptcyPrice: r.bankruptcyPrice / ps, marginLost: this.fmt(r.marginLost), insuranceDelta: this.fmt(r.insuranceDelta), shortfall: this.fmt(r.shortfall) };
      }),
      insuranceFund: this.fmt(eng.insuranceFund),
      wallet: this.fmt(acct.wallet),
      positions: acct.positions().map((p) => ({
        symbol: p.symbol,
        mode: p.mode,
        leverage: p.leverage,
        size: p.size / 10 ** this.states.find((s) => s.setup.symbol === p.symbol)!.setup.sizePrecision,
        isolatedMargin: this.fmt(p.isolatedMargin),
        realizedPnl: this.fmt(p.realizedPnl),
        funding: this.fmt(p.funding),
      })),
    };
  }

  private fmt(units: number): string {
    return formatUnits(units, this.account!.marginPrecision);
  }

  /** Schedules the premium sampler and the funding times (recurring: they never keep a run alive). */
  private start(time: number): void {
    if (!Number.isSafeInteger(time)) return;
    this.started = true;
    const sim = this.sim!;
    const every = Math.max(1, Math.round((this.o.premiumSampleSeconds ?? 60) * SEC));
    sim.queue.push(new Recurring(time + every, every, sim.queue, (now) => this.sample(now)));
    for (const st of this.states) {
      sim.queue.push(new Recurring(st.funding.nextFundingTime(time), st.funding.interval, sim.queue, (now) => this.fund(st, now)));
    }
  }

  private indexAt(st: ContractState, time: number): number {
    if (!st.indexSeen) return NaN;
    try {
      return st.index.value(time);
    } catch (err) {
      if (!this.warnedIndex) {
        this.warnedIndex = true;
        this.sim!.log(`${time} warning: ${(err as Error).message} (index of ${st.setup.symbol} from ${st.setup.index})`);
      }
      return NaN;
    }
  }

  private sample(now: number): void {
    for (const st of this.states) {
      const idx = this.indexAt(st, now);
      if (idx !== idx || st.bid !== st.bid || st.ask !== st.ask) continue;
      st.funding.sample(premiumIndex(idx, st.bid, st.ask));
    }
  }

  private fund(st: ContractState, now: number): void {
    const rate = st.funding.settle();
    st.lastRate = rate;
    const acct = this.account!;
    const sym = st.setup.symbol;
    const pos = acct.position(sym);
    if (pos.size === 0 || st.markUnits !== st.markUnits) return;
    const received = acct.applyFunding(sym, st.markUnits, rate);
    const inst = st.perpInst ?? this.o.registry.get(sym);
    if (received !== 0) this.sim!.account.post('FUNDING', received, now, inst);
    this.fundingLog.push({
      time: isoFromMicros(now),
      symbol: sym,
      rate: rate / 100_000_000,
      mark: st.markUnits / 10 ** st.setup.pricePrecision,
      size: pos.size / 10 ** st.setup.sizePrecision,
      amount: this.fmt(received),
    });
  }

  private updateMark(st: ContractState, time: number): void {
    const acct = this.account;
    if (acct === undefined || st.bid !== st.bid || st.ask !== st.ask) return;
    const idx = this.indexAt(st, time);
    if (idx !== idx) return;
    const last = st.perpInst !== undefined ? this.sim!.venue.lastPrice(st.perpInst) : NaN;
    const m = st.mark.update(time, idx, st.bid, st.ask, st.lastRate, last);
    if (!(m > 0)) return;
    st.markUnits = m;
    const sym = st.setup.symbol;
    acct.mark(sym, m);
    this.checkLiquidation(st, time);
  }

  private checkLiquidation(st: ContractState, time: number): void {
    const acct = this.account!;
    const sym = st.setup.symbol;
    for (const [id, s] of this.liquidationOrders) {
      if (s !== st) continue;
      const o = this.sim!.venue.order(id);
      if (o !== undefined && !o.isDone) return; // still working
      this.liquidationOrders.delete(id);
    }
    if (acct.position(sym).size === 0 || !acct.shouldLiquidate(sym)) return;
    const inst = st.perpInst;
    if (inst === undefined) return;
    const q = this.sim!.account.position(inst).quantity;
    if (q === 0) return;
    const order = this.sim!.sendVenueOrder(inst, q > 0 ? 'SELL' : 'BUY', Math.abs(q), 'perp-liquidation');
    this.liquidationOrders.set(order.id, st);
    this.sim!.log(
      `${time} perp liquidation of ${sym}: margin balance ${this.fmt(acct.marginBalance(sym))} below maintenance ${this.fmt(acct.maintenanceMargin(sym))} at mark ${(st.markUnits / 10 ** st.setup.pricePrecision).toFixed(st.setup.pricePrecision)}`,
    );
  }
}

/**
 * The venue rules of a perpetual contract: the symbol's exchange filters (`CryptoInstrumentRules`),
 * then the plugin's margin checks (`PerpetualsPlugin.checkOrder`).
 */
export class PerpInstrumentRules implements InstrumentRules {
  constructor(
    private readonly filters: CryptoInstrumentRules,
    private readonly plugin: PerpetualsPlugin,
    private readonly symbol: string,
  ) {}

  /** Filters first, then margin. */
  check(order: Order, time: number, view: RulesView): RejectReason | undefined {
    const r = this.filters.check(order, time, view);
    if (r !== undefined) return r;
    return this.plugin.checkOrder(this.symbol, order, view);
  }
}
