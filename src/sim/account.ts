import type { Instrument } from '../market/instrument.ts';
import type { RejectReason, Side } from '../market/order.ts';
import { formatScaled, fromScaled } from '../core/fixed-point.ts';
import { ConfigError, MarketsimError } from '../core/errors.ts';
import { NotionalConverter } from './notional.ts';
import { Position, newFillPlan, type PositionView } from './position.ts';
import { Ledger, type CashFlowKind, type LedgerEntry } from './ledger.ts';
import { MarginPolicy, type MarginEvent, type MarginOptions, type MarginStatus } from './margin.ts';
import { splitPosition } from '../assets/equity/splits.ts';

export type { PositionView } from './position.ts';
export type { LedgerEntry, LedgerKind, CashFlowKind } from './ledger.ts';
export type { MarginEvent, MarginStatus } from './margin.ts';

/**
 * Account kinds (docs/accounts.md):
 * - `cash`: no borrowing. A buy pays notional + fee from cash, a sell receives notional - fee;
 *   equity = cash + value of the positions at their marks. Short selling is refused by `canFill`.
 * - `margin`: futures-style. Trades move cash only by realized PnL and fees; open positions hold
 *   initial margin; equity = cash + unrealized PnL. Positions may be long or short and flip in one fill.
 */
export type AccountKind = 'cash' | 'margin';

/** Options of an `Account`. Money in cash units (integers of 10^-cashPrecision of `currency`). */
export interface AccountOptions extends MarginOptions {
  kind: AccountKind;
  /** Currency code; every instrument traded must have the same `currency` (no FX conversion). */
  currency: string;
  /** Decimal digits of a cash unit (2 for cents), 0..15. */
  cashPrecision: number;
  /** Starting cash in cash units (a non-negative safe integer). */
  startingCash: number;
}

/** One fill to book. Prices and sizes in the instrument's units, money in the account's cash units. */
export interface FillInput {
  /** Integer microseconds since the epoch. */
  time: number;
  instrument: Instrument;
  side: Side;
  /** Price units (a safe integer). */
  price: number;
  /** Size units, > 0. */
  quantity: number;
  /** Fee in cash units (a negative fee is a rebate). */
  fee: number;
  orderId: number;
}

/** An order the engine should send to close a position on liquidation. */
export interface LiquidationOrder {
  readonly instrument: Instrument;
  readonly side: Side;
  /** Size units, > 0. */
  readonly quantity: number;
}

const POSTABLE: ReadonlySet<string> = new Set<CashFlowKind>(['FUNDING', 'INTEREST', 'ADJUSTMENT', 'DIVIDEND', 'COUPON', 'BORROW_FEE', 'NETWORK_FEE']);

const MARGIN_FIELDS = ['leverage', 'initialMarginRate', 'maintenanceMarginRate', 'liquidationFactor'] as const;

/**
 * A trading account with an exact cash ledger: positions per instrument, cash in integer cash
 * units, and the invariant `startingCash + sum(ledger amounts) === cash`.
 *
 * Example (cash account, cashPrecision 6, instrument with pricePrecision 6):
 * buy 10 @ 37.84 with a fee of 1.00 -> cash -= 378.400000 + 1.000000; ledger TRADE -378400000,
 * FEE -1000000 (cash units).
 */
export class Account {
  readonly kind: AccountKind;
  readonly currency: string;
  readonly cashPrecision: number;
  readonly startingCash: number;
  /** Margin rules (margin accounts only). */
  readonly margin: MarginPolicy | undefined;

  private balance: number;
  private fees = 0;
  private readonly book = new Ledger();
  private readonly byId: (Position | undefined)[] = [];
  private readonly list: Position[] = [];
  /** Accrued interest per size unit of each instrument now, in price units (bonds; 0 otherwise), by instrument id. */
  private readonly accruedById: number[] = [];
  private readonly scratch = newFillPlan();
  private readonly events: MarginEvent[] = [];
  private lastStatus: MarginStatus = 'OK';

  /** Validates the options; a `ConfigError` names each bad field. */
  constructor(o: AccountOptions) {
    const issues: { path: string; message: string }[] = [];
    if (o.kind !== 'cash' && o.kind !== 'margin') issues.push({ path: 'kind', message: `must be 'cash' or 'margin', got ${String(o.kind)}` });
    if (typeof o.currency !== 'string' || o.currency.length === 0) issues.push({ path: 'currency', message: 'must be a non-empty string' });
    if (!Number.isInteger(o.cashPrecision) || o.cashPrecision < 0 || o.cashPrecision > 15) {
      issues.push({ path: 'cashPrecision', message: `must be an integer in 0..15, got ${o.cashPrecision}` });
    }
    if (!Number.isSafeInteger(o.startingCash) || o.startingCash < 0) {
      issues.push({ path: 'startingCash', message: `must be a non-negative safe integer of cash units, got ${o.startingCash}` });
    }
    let margin: MarginPolicy | undefined;
    if (o.kind === 'cash') {
      for (const f of MARGIN_FIELDS) if (o[f] !== undefined) issues.push({ path: f, message: 'applies to margin accounts only' });
    } else if (o.kind === 'margin') {
      try {
        margin = new MarginPolicy(o);
      } catch (e) {
        const msg = (e as Error).message;
        const field = MARGIN_FIELDS.find((f) => msg.startsWith(f)) ?? '';
        issues.push({ path: field, message: msg });
      }
    }
    if (issues.length > 0) throw new ConfigError(issues, 'Account options');
    this.kind = o.kind;
    this.currency = o.currency;
    this.cashPrecision = o.cashPrecision;
    this.startingCash = o.startingCash;
    this.balance = o.startingCash;
    this.margin = margin;
  }

  // ---------------------------------------------------------------- accessors

  /** Cash in cash units. */
  get cash(): number {
    return this.balance;
  }
  /** The ledger entries, in posting order. */
  get ledger(): readonly LedgerEntry[] {
    return this.book.entries;
  }
  /** Sum of all fees booked, cash units (rebates count negative). */
  get totalFees(): number {
    return this.fees;
  }
  /** Realized PnL over all positions, cash units, before fees. */
  get realizedPnl(): number {
    let s = 0;
    for (let i = 0; i < this.list.length; i++) s += this.list[i]!.realizedPnl;
    return s;
  }
  /** Unrealized PnL over all positions at their marks, cash units. */
  get unrealizedPnl(): number {
    let s = 0;
    for (let i = 0; i < this.list.length; i++) s += this.list[i]!.unrealizedPnl;
    return s;
  }
  /**
   * Equity in cash units. Cash account: cash + sum(marketValue). Margin account: cash +
   * sum(unrealized PnL) (cash there holds deposits, realized PnL, fees and other flows only).
   */
  get equity(): number {
    let s = this.balance;
    if (this.kind === 'cash') for (let i = 0; i < this.list.length; i++) s += this.list[i]!.marketValue;
    else for (let i = 0; i < this.list.length; i++) s += this.list[i]!.unrealizedPnl;
    return s + this.accruedValue;
  }
  /** Accrued interest of the open bond positions at their current accrued marks, cash units (signed). */
  get accruedValue(): number {
    const a = this.accruedById;
    if (a.length === 0) return 0; // no bond marked: no read past the end of an empty array on every equity sample
    let s = 0;
    for (let i = 0; i < this.list.length; i++) {
      const p = this.list[i]!;
      const acc = a[p.instrument.id];
      if (acc !== undefined && acc !== 0 && p.quantity !== 0) s += this.accruedCash(p, acc, p.quantity);
    }
    return s;
  }
  /** Sum of |position value| at the marks, cash units. */
  get grossExposure(): number {
    let s = 0;
    for (let i = 0; i < this.list.length; i++) {
      const p = this.list[i]!;
      if (p.quantity !== 0) s += Math.abs(p.marketValue);
    }
    return s;
  }
  /** Initial margin of the open positions at their marks (0 for cash accounts), cash units. */
  get marginUsed(): number {
    const m = this.margin;
    if (m === undefined) return 0;
    let s = 0;
    for (let i = 0; i < this.list.length; i++) s += this.checked(m.initial(this.list[i]!.marketValue), 'margin');
    return s;
  }
  /** Maintenance margin of the open positions at their marks (0 for cash accounts), cash units. */
  get maintenanceMargin(): number {
    const m = this.margin;
    if (m === undefined) return 0;
    let s = 0;
    for (let i = 0; i < this.list.length; i++) s += this.checked(m.maintenance(this.list[i]!.marketValue), 'margin');
    return s;
  }
  /** Margin account: equity - marginUsed. Cash account: cash. */
  get freeMargin(): number {
    return this.kind === 'cash' ? this.balance : this.equity - this.marginUsed;
  }
  /** Margin calls and liquidations recorded by `checkMargin`, oldest first. */
  get marginEvents(): readonly MarginEvent[] {
    return this.events;
  }

  /** The position in `instrument` (flat, with zeros, when never traded). */
  position(instrument: Instrument): PositionView {
    return this.positionFor(instrument);
  }

  /** Positions that have had at least one fill (flat ones included, for their realized PnL), in order of first fill. */
  *positions(): IterableIterator<PositionView> {
    for (const p of this.list) if (p.fillCount > 0) yield p;
  }

  // ---------------------------------------------------------------- conversions

  /** Cash units of `quantity` size units at `price` price units (see `NotionalConverter`). */
  notional(instrument: Instrument, price: number, quantity: number): number {
    return this.positionFor(instrument).converter.notional(price, quantity);
  }
  /** Cash units as a decimal number (for reports). */
  cashDecimal(units: number): number {
    return fromScaled(units, this.cashPrecision);
  }
  /** Cash units as a decimal string with exactly `cashPrecision` decimals (for reports). */
  formatCash(units: number): string {
    return formatScaled(units, this.cashPrecision);
  }

  // ---------------------------------------------------------------- trading

  /**
   * Books a fill: updates the position, cash and ledger, and returns the fill's realized PnL
   * (cash units, before fees). Ledger: one TRADE entry (always) and one FEE entry (when fee != 0).
   * Does not check funds: the venue calls `canFill` first. Throws a `MarketsimError` naming the
   * order and field on bad input, or `CASH_OVERFLOW`; the account is unchanged when it throws.
   */
  applyFill(f: FillInput): number {
    this.validateFill(f);
    const pos = this.positionFor(f.instrument);
    const sign = f.side === 'BUY' ? 1 : -1;
    const notional = pos.converter.notional(f.price, f.quantity);
    const plan = this.scratch;
    pos.plan(sign, f.price, f.quantity, notional, plan);
    const flow = sign > 0 ? 0 - notional : notional;
    const tradeAmount = this.kind === 'cash' ? flow : plan.realized;
    const acc = this.accruedById[f.instrument.id];
    const accrued = acc === undefined || acc === 0 ? 0 : sign > 0 ? 0 - this.accruedCash(pos, acc, f.quantity) : this.accruedCash(pos, acc, f.quantity);
    const newCash = this.balance + tradeAmount + accrued - f.fee;
    if (!Number.isSafeInteger(newCash) || !Number.isSafeInteger(plan.cost) || !Number.isSafeInteger(pos.realizedPnl + plan.realized)) {
      throw new MarketsimError('CASH_OVERFLOW', `Account.applyFill (order ${f.orderId}, ${f.instrument.symbol}): cash or PnL exceeds Number.MAX_SAFE_INTEGER cash units`);
    }
    pos.commit(plan, f.price);
    pos.fees += f.fee;
    pos.fillCount++;
    this.balance = newCash;
    this.fees += f.fee;
    this.book.append(f.time, 'TRADE', tradeAmount, f.instrument.symbol, f.orderId);
    if (accrued !== 0) this.book.append(f.time, 'ACCRUED_INTEREST', accrued, f.instrument.symbol, f.orderId);
    if (f.fee !== 0) this.book.append(f.time, 'FEE', 0 - f.fee, f.instrument.symbol, f.orderId);
    return plan.realized;
  }

  /**
   * Whether the account can take this fill now; the venue calls it at fill time.
   * - cash account, BUY: 'INSUFFICIENT_FUNDS' when notional + fee > cash.
   * - cash account, SELL: 'INSUFFICIENT_FUNDS' when it would open or increase a short (no
   *   borrowing) or when fee > cash + notional.
   * - margin account: a fill that only reduces or closes a position is always accepted. Otherwise,
   *   with this instrument valued at the fill price and the others at their marks,
   *   'INSUFFICIENT_FUNDS' when initial margin after the fill > equity after the fill (and its fee).
   */
  canFill(instrument: Instrument, side: Side, price: number, quantity: number, fee: number): RejectReason | undefined {
    const pos = this.positionFor(instrument);
    const notional = pos.converter.notional(price, quantity);
    if (this.kind === 'cash') {
      const acc = this.accruedById[instrument.id];
      const accrued = acc === undefined || acc === 0 ? 0 : this.accruedCash(pos, acc, quantity);
      if (side === 'BUY') return notional + accrued + fee > this.balance ? 'INSUFFICIENT_FUNDS' : undefined;
      if (pos.quantity - quantity < 0) return 'INSUFFICIENT_FUNDS';
      return fee > this.balance + notional ? 'INSUFFICIENT_FUNDS' : undefined;
    }
    const q = pos.quantity;
    const sign = side === 'BUY' ? 1 : -1;
    const opens = q === 0 || (q > 0) === (sign > 0) || quantity > (q > 0 ? q : -q);
    if (!opens) return undefined;
    const m = this.margin!;
    const plan = this.scratch;
    pos.plan(sign, price, quantity, notional, plan);
    const newValue = pos.converter.notional(price, plan.quantity);
    let equity = this.balance + plan.realized - fee + (newValue - plan.cost);
    let im = this.checked(m.initial(newValue), 'margin');
    for (let i = 0; i < this.list.length; i++) {
      const p = this.list[i]!;
      if (p === pos) continue;
      equity += p.marketValue - p.cost;
      im += this.checked(m.initial(p.marketValue), 'margin');
    }
    return im > equity ? 'INSUFFICIENT_FUNDS' : undefined;
  }

  /**
   * Largest BUY quantity (size units, a multiple of lotUnits, possibly 0) the account can pay for
   * at `price` (> 0, price units): cash account: notional + fee <= cash; margin account: initial
   * margin + fee <= freeMargin (ignoring any short it would reduce). The fee is estimated as
   * ceil(notional * feeRate) (default 0); the venue's fee model decides the actual fee.
   * Exact: with feeRate 0 on a cash account the answer is floor(cash / (price * multiplier)) in
   * lots (using the same rounded notional the fill will book).
   */
  maxAffordable(instrument: Instrument, price: number, feeRate = 0): number {
    if (!Number.isSafeInteger(price) || price <= 0) throw new RangeError(`Account.maxAffordable (${instrument.symbol}): price must be a positive safe integer of price units, got ${price}`);
    if (!(feeRate >= 0) || !Number.isFinite(feeRate)) throw new RangeError(`Account.maxAffordable (${instrument.symbol}): feeRate must be a finite number >= 0, got ${feeRate}`);
    const conv = this.positionFor(instrument).converter;
    const m = this.margin;
    const budget = m === undefined ? this.balance : this.freeMargin;
    if (budget <= 0) return 0;
    // notional affordable before fees, as an exact bound: N <= budget (cash) or ceil(N * r) <= budget (margin)
    const B = BigInt(budget);
    const nMax = m === undefined ? B : (B * BigInt(m.initialRate.den)) / BigInt(m.initialRate.num);
    // notional(q) rounds half away from zero, so q * price * up / down < nMax + 1/2
    const qBound = ((2n * nMax + 1n) * BigInt(conv.down)) / (2n * BigInt(price) * BigInt(conv.up));
    const lot = instrument.lotUnits;
    let lo = 0;
    let hi = Number(qBound / BigInt(lot) > BigInt(Number.MAX_SAFE_INTEGER) ? BigInt(Math.floor(Number.MAX_SAFE_INTEGER / lot)) : qBound / BigInt(lot));
    while (lo < hi) {
      const mid = lo + Math.ceil((hi - lo) / 2);
      if (this.affordable(conv, price, mid * lot, feeRate, budget)) lo = mid;
      else hi = mid - 1;
    }
    return lo * lot;
  }

  private affordable(conv: NotionalConverter, price: number, q: number, feeRate: number, budget: number): boolean {
    const n = conv.notional(price, q);
    const fee = feeRate > 0 ? Math.ceil(n * feeRate) : 0;
    const need = this.margin === undefined ? n : this.checked(this.margin.initial(n), 'margin');
    return need + fee <= budget;
  }

  /** Sets the mark (price units) of `instrument` for unrealized PnL, equity and margin. */
  mark(instrument: Instrument, price: number): void {
    if (!Number.isSafeInteger(price)) throw new MarketsimError('MARK_INVALID', `Account.mark (${instrument.symbol}): price must be a safe integer of price units, got ${price}`);
    this.positionFor(instrument).mark(price);
  }

  /**
   * Sets the accrued interest of one size unit of `instrument` now, in price units (a bond's accrued
   * interest on the same scale as its clean price: per 100 face when prices are per 100). Fills then
   * book ACCRUED_INTEREST (paid on a buy, received on a sale) next to the clean TRADE amount, and
   * equity counts the accrued interest of open positions. Set it to 0 after a coupon is paid.
   */
  markAccrued(instrument: Instrument, accrued: number): void {
    if (!Number.isSafeInteger(accrued) || accrued < 0) throw new MarketsimError('MARK_INVALID', `Account.markAccrued (${instrument.symbol}): accrued must be a non-negative safe integer of price units, got ${accrued}`);
    this.positionFor(instrument);
    for (let i = this.accruedById.length; i <= instrument.id; i++) this.accruedById.push(0);
    this.accruedById[instrument.id] = accrued;
  }

  // ---------------------------------------------------------------- cash movements

  /** Adds `amount` (> 0, cash units) to cash with a DEPOSIT entry. */
  deposit(amount: number, time: number): void {
    this.checkAmount('deposit', amount, time, true);
    this.move(time, 'DEPOSIT', amount, undefined);
  }

  /**
   * Takes `amount` (> 0, cash units) out with a WITHDRAWAL entry. Throws `INSUFFICIENT_FUNDS` when it
   * exceeds free cash: cash for a cash account, min(cash, freeMargin) for a margin account.
   */
  withdraw(amount: number, time: number): void {
    this.checkAmount('withdraw', amount, time, true);
    const free = this.kind === 'cash' ? this.balance : Math.min(this.balance, this.freeMargin);
    if (amount > free) {
      throw new MarketsimError('INSUFFICIENT_FUNDS', `Account.withdraw: ${this.formatCash(amount)} ${this.currency} exceeds free cash ${this.formatCash(Math.max(free, 0))} ${this.currency}`);
    }
    this.move(time, 'WITHDRAWAL', 0 - amount, undefined);
  }

  /**
   * Posts another cash flow (signed cash units): FUNDING (perpetual swaps), INTEREST, ADJUSTMENT,
   * DIVIDEND and COUPON (to holders; negative for shorts), BORROW_FEE, NETWORK_FEE.
   * It moves cash and equity but not realized PnL.
   */
  post(kind: CashFlowKind, amount: number, time: number, instrument?: Instrument): void {
    if (!POSTABLE.has(kind)) {
      throw new MarketsimError('CASH_FLOW_INVALID', `Account.post: kind must be one of ${[...POSTABLE].join(', ')}, got ${String(kind)}`);
    }
    this.checkAmount(`post ${kind}`, amount, time, false);
    this.move(time, kind, amount, instrument?.symbol);
  }

  // ---------------------------------------------------------------- corporate actions

  /**
   * Applies a split of ratio `ratioNew:ratioOld` (2:1 is a 2-for-1 split, 1:10 a 1-for-10 reverse split)
   * to the position in `instrument` (docs/equities.md, "Equity rules in a run"): the quantity becomes
   * quantity * new / old truncated toward zero to whole size units, the average price is divided by the
   * ratio (exactly: the entry sums are rescaled), the mark too, and a fractional share is paid in cash at
   * `cashPrice` (price units, post-split) as an ADJUSTMENT ledger entry (+ to a long, - to a short; see
   * `splitPosition`). The fraction's share of the cost basis leaves the position and its gain or loss is
   * realized. Returns the new quantity and the cash in lieu (cash units). A flat position is unchanged.
   */
  applySplit(instrument: Instrument, ratioNew: number, ratioOld: number, cashPrice: number, time: number): { quantity: number; cashInLieu: number } {
    if (!(Number.isSafeInteger(ratioNew) && Number.isSafeInteger(ratioOld) && ratioNew > 0 && ratioOld > 0)) {
      throw new MarketsimError('CORPORATE_ACTION_INVALID', `Account.applySplit (${instrument.symbol}): ratio must be two positive integers new:old, got ${ratioNew}:${ratioOld}`);
    }
    const pos = this.positionFor(instrument);
    const q = pos.quantity;
    if (q === 0) {
      if (pos.markPrice === pos.markPrice) pos.mark(Math.round((pos.markPrice * ratioOld) / ratioNew));
      return { quantity: 0, cashInLieu: 0 };
    }
    const r = splitPosition({ quantity: q, avgPrice: pos.avgPrice }, { ratioNew, ratioOld }, instrument, cashPrice === cashPrice ? cashPrice : 0, this.cashPrecision);
    const absQ = q < 0 ? -q : q;
    // share of the cost basis that leaves with the fraction: cost * fraction / (|q| * new / old)
    const frac = Math.abs(r.fractionNumerator);
    const removed = frac === 0 ? 0 : Math.round((pos.cost * frac) / (absQ * ratioNew));
    const entryRaw = pos.entryRaw * ratioOld;
    const entryQty = pos.entryQty * ratioNew;
    if (!Number.isSafeInteger(entryRaw) || !Number.isSafeInteger(entryQty) || !Number.isSafeInteger(r.quantity)) {
      throw new MarketsimError('CASH_OVERFLOW', `Account.applySplit (${instrument.symbol}): the split ${ratioNew}:${ratioOld} takes the position beyond Number.MAX_SAFE_INTEGER units`);
    }
    const realized = r.cashInLieu - removed;
    pos.quantity = r.quantity;
    pos.cost = r.quantity === 0 ? 0 : pos.cost - removed;
    pos.entryRaw = r.quantity === 0 ? 0 : entryRaw;
    pos.entryQty = r.quantity === 0 ? 0 : entryQty;
    pos.realizedPnl += realized;
    const mark = pos.markPrice;
    if (mark === mark) {
      pos.markPrice = NaN; // forces the value to be recomputed for the new quantity
      pos.mark(Math.round((mark * ratioOld) / ratioNew));
    }
    if (r.cashInLieu !== 0) this.move(time, 'ADJUSTMENT', this.kind === 'cash' ? r.cashInLieu : realized, instrument.symbol);
    return { quantity: r.quantity, cashInLieu: r.cashInLieu };
  }

  // ---------------------------------------------------------------- margin

  /**
   * Evaluates the margin status now (see `MarginPolicy.status`; cash accounts are always 'OK')
   * and records a `MarginEvent` when the status changes to MARGIN_CALL or LIQUIDATE. On LIQUIDATE
   * the engine closes `positionsToLiquidate()` at market.
   */
  checkMargin(time: number): MarginStatus {
    const m = this.margin;
    if (m === undefined) return 'OK';
    const equity = this.equity;
    const maintenance = this.maintenanceMargin;
    let open = false;
    for (let i = 0; i < this.list.length; i++) if (this.list[i]!.quantity !== 0) open = true;
    const status = m.status(equity, maintenance, open);
    if (status !== this.lastStatus && status !== 'OK') {
      this.events.push({ time, status, equity, maintenanceMargin: maintenance, marginUsed: this.marginUsed });
    }
    this.lastStatus = status;
    return status;
  }

  /** Orders that close every open position (opposite side, full quantity), in instrument id order. */
  positionsToLiquidate(): LiquidationOrder[] {
    const out: LiquidationOrder[] = [];
    for (const p of this.list) {
      if (p.quantity === 0) continue;
      out.push({ instrument: p.instrument, side: p.quantity > 0 ? 'SELL' : 'BUY', quantity: Math.abs(p.quantity) });
    }
    out.sort((a, b) => a.instrument.id - b.instrument.id);
    return out;
  }

  // ---------------------------------------------------------------- internals

  private positionFor(instrument: Instrument): Position {
    const p = this.byId[instrument.id];
    if (p !== undefined) {
      if (p.instrument === instrument) return p;
      throw new MarketsimError('INSTRUMENT_CONFLICT', `Account: instrument id ${instrument.id} (${instrument.symbol}) is already used by ${p.instrument.symbol}; use one InstrumentRegistry per account`);
    }
    if (instrument.currency !== this.currency) {
      throw new MarketsimError('CURRENCY_MISMATCH', `Account: ${instrument.symbol} is priced in ${instrument.currency} but the account holds ${this.currency}`);
    }
    const np = new Position(instrument, new NotionalConverter(instrument, this.cashPrecision));
    this.byId[instrument.id] = np;
    this.list.push(np);
    return np;
  }

  private validateFill(f: FillInput): void {
    let bad: string | undefined;
    if (f.instrument === undefined || f.instrument === null) bad = 'instrument is missing';
    else if (!Number.isSafeInteger(f.time)) bad = `time must be integer microseconds, got ${f.time}`;
    else if (f.side !== 'BUY' && f.side !== 'SELL') bad = `side must be BUY or SELL, got ${String(f.side)}`;
    else if (!Number.isSafeInteger(f.price)) bad = `price must be a safe integer of price units, got ${f.price}`;
    else if (!Number.isSafeInteger(f.quantity) || f.quantity <= 0) bad = `quantity must be a positive safe integer of size units, got ${f.quantity}`;
    else if (!Number.isSafeInteger(f.fee)) bad = `fee must be a safe integer of cash units, got ${f.fee}`;
    if (bad !== undefined) throw new MarketsimError('FILL_INVALID', `Account.applyFill (order ${f.orderId}, ${f.instrument?.symbol ?? '?'}): ${bad}`);
  }

  private checkAmount(what: string, amount: number, time: number, positive: boolean): void {
    if (!Number.isSafeInteger(amount) || (positive && amount <= 0)) {
      throw new MarketsimError('CASH_FLOW_INVALID', `Account.${what}: amount must be a ${positive ? 'positive ' : ''}safe integer of cash units, got ${amount}`);
    }
    if (!Number.isSafeInteger(time)) throw new MarketsimError('CASH_FLOW_INVALID', `Account.${what}: time must be integer microseconds, got ${time}`);
  }

  private move(time: number, kind: LedgerEntry['kind'], amount: number, symbol: string | undefined): void {
    const next = this.balance + amount;
    if (!Number.isSafeInteger(next)) throw new MarketsimError('CASH_OVERFLOW', `Account: ${kind} of ${amount} cash units takes cash beyond Number.MAX_SAFE_INTEGER`);
    this.balance = next;
    this.book.append(time, kind, amount, symbol);
  }

  /** Cash units of `quantity` (signed) size units of accrued interest at `acc` price units per unit. */
  private accruedCash(p: Position, acc: number, quantity: number): number {
    return quantity < 0 ? 0 - p.converter.notional(acc, 0 - quantity) : p.converter.notional(acc, quantity);
  }

  private checked(n: number, what: string): number {
    if (n !== n) throw new MarketsimError('CASH_OVERFLOW', `Account: ${what} exceeds Number.MAX_SAFE_INTEGER cash units`);
    return n;
  }
}
