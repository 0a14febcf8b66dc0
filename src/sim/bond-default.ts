import type { Instrument } from '../market/instrument.ts';
import type { MarketEvent } from '../market/market-data.ts';
import type { Side } from '../market/order.ts';
import type { CreditEvent, CreditNewsEvent } from '../assets/bond/credit-events.ts';
import type { ScheduledCashFlow } from './cash-flows.ts';
import type { Simulation, SimulationPlugin } from './simulation.ts';

/**
 * Settles a position in a corporate bond at recovery when its issuer defaults (docs/bonds.md,
 * "Credit events in a run"), as a `SimulationPlugin` beside the venue and the account.
 *
 * The bond's dealer source emits the default as a `CreditNewsEvent` (with `credit.type === 'default'`),
 * then a StatusEvent CLOSE at the same time, and quotes no more. On that news, before the strategy
 * sees it, this plugin:
 * 1. sets the bond's accrued-interest mark to 0 (a defaulted bond trades flat: no accrued interest);
 * 2. closes the strategy's position (long or short) at the settlement price `100 R` per 100 face
 *    (clean, rounded to the instrument's price units), booked with `Account.applyFill` as one TRADE
 *    ledger entry with `orderId` `DEFAULT_SETTLEMENT_ORDER_ID` (0) and no fee;
 * 3. voids the coupons (and principal) not yet paid (their `perUnit` becomes 0): the issuer pays no more;
 * 4. journals `time|DEFAULT_SETTLEMENT|symbol|side|price units|size units` (part of the journal hash)
 *    and logs one line.
 * It cancels no order: the bond's venue rules take no new order from the default on (MARKET_CLOSED)
 * and no quote comes after it, so resting orders stay open without filling.
 */

/** The order id of a settlement fill in the ledger (no venue order has id 0). */
export const DEFAULT_SETTLEMENT_ORDER_ID = 0;

/** One settled position, in decimals (cash in the account's currency). */
export interface DefaultSettlement {
  /** Microseconds since the epoch (the default's time). */
  time: number;
  symbol: string;
  /** The closing side: SELL for a long, BUY for a short. */
  side: Side;
  /** Face amount closed (> 0). */
  quantity: number;
  /** Clean price per 100 face (100 R). */
  price: number;
  /** Cash moved by the settlement (> 0 for a long, < 0 for a short). */
  cash: number;
}

/** What the plugin reports in `SimulationResult.plugins['bond-default:<symbol>']`. */
export interface BondDefaultReport {
  symbol: string;
  /** Downgrades and the default seen in the run, in order. */
  events: { time: number; type: CreditEvent['type']; fromRating: string; toRating: string; spreadBp: number }[];
  /** The default's time, or null when the issuer did not default in the run. */
  defaultTime: number | null;
  /** The settlement, or null (no default, or no position at the default). */
  settlement: DefaultSettlement | null;
}

/** The plugin (see the module comment). One per defaultable bond. */
export class BondDefaultSettlement implements SimulationPlugin {
  readonly name: string;
  private sim: Simulation | undefined;
  private readonly events: BondDefaultReport['events'] = [];
  private defaultTime: number | null = null;
  private settlement: DefaultSettlement | null = null;

  /**
   * @param instrument the bond
   * @param cashFlows its scheduled coupons (the objects given to the simulation): those paid after the
   *   default are voided
   */
  constructor(
    readonly instrument: Instrument,
    private readonly cashFlows: readonly ScheduledCashFlow[] = [],
  ) {
    this.name = `bond-default:${instrument.symbol}`;
  }

  attach(sim: Simulation): void {
    this.sim = sim;
  }

  onData(e: MarketEvent): void {
    if (e.kind !== 'news' || e.instrument !== this.instrument) return;
    const credit = (e as Partial<CreditNewsEvent>).credit;
    if (credit === undefined || credit.kind !== 'credit') return;
    this.events.push({ time: credit.time, type: credit.type, fromRating: credit.fromRating, toRating: credit.toRating, spreadBp: credit.spreadBp });
    if (credit.type === 'default' && this.defaultTime === null) this.settle(credit);
  }

  /** The settlement so far (null before a default or without a position). */
  get settled(): DefaultSettlement | null {
    return this.settlement;
  }

  report(): BondDefaultReport {
    return { symbol: this.instrument.symbol, events: this.events, defaultTime: this.defaultTime, settlement: this.settlement };
  }

  private settle(credit: CreditEvent): void {
    const sim = this.sim;
    const inst = this.instrument;
    const time = credit.time;
    this.defaultTime = time;
    for (const f of this.cashFlows) {
      if (f.symbol === inst.symbol && f.payTime > time) (f as { perUnit: number }).perUnit = 0;
    }
    if (sim === undefined) return;
    const acct = sim.portfolio.accountFor(inst);
    if (acct === undefined) return;
    acct.markAccrued(inst, 0);
    const price = Math.round(credit.settlementPrice * inst.priceScale);
    const q = acct.position(inst).quantity;
    if (q !== 0) {
      const side: Side = q > 0 ? 'SELL' : 'BUY';
      const quantity = q > 0 ? q : -q;
      const before = acct.cash;
      acct.applyFill({ time, instrument: inst, side, price, quantity, fee: 0, orderId: DEFAULT_SETTLEMENT_ORDER_ID });
      const cash = acct.cashDecimal(acct.cash - before);
      this.settlement = { time, symbol: inst.symbol, side, quantity: inst.size(quantity), price: inst.price(price), cash };
      sim.journal.record(`${time}|DEFAULT_SETTLEMENT|${inst.symbol}|${side}|${price}|${quantity}`);
      sim.log(`${time} ${inst.symbol} defaulted: ${side} ${inst.size(quantity)} settled at recovery ${inst.price(price)} per 100 (cash ${cash})`);
    } else {
      sim.journal.record(`${time}|DEFAULT_SETTLEMENT|${inst.symbol}|FLAT|${price}|0`);
      sim.log(`${time} ${inst.symbol} defaulted: no position to settle`);
    }
    acct.mark(inst, price);
  }
}
