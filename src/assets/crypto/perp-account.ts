import { MarketsimError } from '../../core/errors.ts';
import { RATE_ONE } from './fee-tiers.ts';
import { bigToSafe, divRound, mulDiv, pow10n } from './int.ts';
import type { MarginTiers } from './margin-tiers.ts';

/**
 * A USDⓈ-M (linear) perpetual-futures account, Binance one-way mode: one position per contract,
 * isolated or cross margin with a leverage per contract, maintenance margin from the contract's
 * brackets, funding payments, liquidation checks, liquidation and bankruptcy prices.
 * Units: prices in the contract's price units, sizes in size units, money in base units of the margin
 * asset (USDT at precision 6 by default). Every money amount is an exact integer; notional =
 * round(price x size x 10^m / 10^(p + s)), half away from zero. Liquidation and bankruptcy prices are
 * reported as (fractional) price units for information; the money moved at liquidation is exact.
 * Formulas and a worked example: docs/crypto.md.
 */

/** A perpetual contract's grid and brackets. */
export interface PerpContract {
  /** Unified symbol, e.g. `BTC/USDT:USDT`. */
  symbol: string;
  pricePrecision: number;
  sizePrecision: number;
  tiers: MarginTiers;
}

/** Margin mode of a position. */
export type MarginMode = 'isolated' | 'cross';

/** Why a trade or a setting is refused. */
export type PerpRejectReason = 'LEVERAGE_ABOVE_TIER_MAX' | 'INSUFFICIENT_MARGIN' | 'POSITION_OPEN';

/** A position as seen from outside. */
export interface PerpPositionView {
  readonly symbol: string;
  readonly mode: MarginMode;
  readonly leverage: number;
  /** Signed size units (> 0 long). */
  readonly size: number;
  /** Cost of the open size at entry, margin units (>= 0). */
  readonly entryNotional: number;
  /** Isolated margin (isolated mode), margin units. */
  readonly isolatedMargin: number;
  readonly realizedPnl: number;
  /** Funding received (> 0) or paid (< 0) so far, margin units. */
  readonly funding: number;
  /** Last mark, price units (NaN before the first). */
  readonly mark: number;
}

class Position implements PerpPositionView {
  size = 0;
  entryNotional = 0;
  isolatedMargin = 0;
  realizedPnl = 0;
  funding = 0;
  mark = NaN;
  constructor(readonly contract: PerpContract, public mode: MarginMode, public leverage: number) {}
  get symbol(): string {
    return this.contract.symbol;
  }
}

/** Result of `PerpAccount.trade`. */
export type PerpTradeResult = { ok: true; realized: number } | { ok: false; reason: PerpRejectReason; message: string };

/** A perpetual-futures margin account (see the module comment). */
export class PerpAccount {
  readonly marginAsset: string;
  readonly marginPrecision: number;
  private walletBalance: number;
  private readonly pos = new Map<string, Position>();

  /** `wallet`: starting cross wallet balance, margin units. */
  constructor(o: { marginAsset: string; marginPrecision: number; wallet: number }) {
    if (!Number.isSafeInteger(o.wallet) || o.wallet < 0) throw new MarketsimError('CONFIG_INVALID', `PerpAccount: wallet must be a non-negative safe integer of margin units, got ${o.wallet}`);
    this.marginAsset = o.marginAsset;
    this.marginPrecision = o.marginPrecision;
    this.walletBalance = o.wallet;
  }

  /** Cross wallet balance (deposits, realized PnL, fees and cross funding), margin units; isolated margins are apart. */
  get wallet(): number {
    return this.walletBalance;
  }

  /** Registers a contract with its margin mode and leverage (default cross, 20x); throws when leverage exceeds the first bracket's maximum. */
  addContract(c: PerpContract, mode: MarginMode = 'cross', leverage = 20): void {
    if (c.tiers.marginPrecision !== this.marginPrecision) throw new MarketsimError('CONFIG_INVALID', `${c.symbol}: tiers use margin precision ${c.tiers.marginPrecision}, the account ${this.marginPrecision}`);
    if (c.tiers.checkLeverage(leverage, 0) !== undefined) throw new MarketsimError('LEVERAGE_ABOVE_TIER_MAX', `${c.symbol}: leverage ${leverage} exceeds the maximum ${c.tiers.maxLeverage(0)} (or is not an integer >= 1)`);
    this.pos.set(c.symbol, new Position(c, mode, leverage));
  }

  /** The position of a contract; throws `UNKNOWN_INSTRUMENT`. */
  position(symbol: string): PerpPositionView {
    return this.get(symbol);
  }

  /** All positions (flat ones included). */
  positions(): PerpPositionView[] {
    return [...this.pos.values()];
  }

  /** Notional of `qty` size units at `price` price units, margin units (rounded half away from zero). */
  notional(symbol: string, price: number, qty: number): number {
    const c = this.get(symbol).contract;
    return this.notionalOf(c, price, qty);
  }

  /**
   * Sets the leverage; refused with LEVERAGE_ABOVE_TIER_MAX when above the bracket maximum for the
   * current position's notional at its mark (or at entry when unmarked).
   */
  setLeverage(symbol: string, leverage: number): PerpRejectReason | undefined {
    const p = this.get(symbol);
    const n = p.size === 0 ? 0 : p.mark === p.mark ? this.notionalOf(p.contract, p.mark, Math.abs(p.size)) : p.entryNotional;
    const r = p.contract.tiers.checkLeverage(leverage, n);
    if (r === undefined) p.leverage = leverage;
    return r;
  }

  /** Sets the margin mode; refused with POSITION_OPEN unless flat. */
  setMarginMode(symbol: string, mode: MarginMode): PerpRejectReason | undefined {
    const p = this.get(symbol);
    if (p.size !== 0) return 'POSITION_OPEN';
    p.mode = mode;
    return undefined;
  }

  /** Sets the mark price (price units). */
  mark(symbol: string, price: number): void {
    if (!(price > 0) || !Number.isSafeInteger(price)) throw new MarketsimError('MARK_INVALID', `PerpAccount.mark (${symbol}): price must be a positive safe integer of price units, got ${price}`);
    this.get(symbol).mark = price;
  }

  /** Unrealized PnL at the mark, margin units (0 when flat or unmarked). */
  unrealizedPnl(symbol: string): number {
    return this.upnl(this.get(symbol));
  }

  /** Maintenance margin of the position at its mark, margin units. */
  maintenanceMargin(symbol: string): number {
    const p = this.get(symbol);
    if (p.size === 0) return 0;
    return p.contract.tiers.maintenance(this.markNotional(p));
  }

  /** Margin balance: isolated -> isolated margin + uPnL; cross -> wallet + uPnL of all cross positions. */
  marginBalance(symbol: string): number {
    const p = this.get(symbol);
    if (p.mode === 'isolated') return p.isolatedMargin + this.upnl(p);
    return this.crossMarginBalance();
  }

  /** wallet + sum of cross uPnL. */
  crossMarginBalance(): number {
    let s = this.walletBalance;
    for (const p of this.pos.values()) if (p.mode === 'cross') s += this.upnl(p);
    return s;
  }

  /** Sum of the cross positions' maintenance margins. */
  crossMaintenance(): number {
    let s = 0;
    for (const p of this.pos.values()) if (p.mode === 'cross' && p.size !== 0) s += p.contract.tiers.maintenance(this.markNotional(p));
    return s;
  }

  /** Free to open cross positions or to move into isolated margin: wallet + cross uPnL - cross initial margin at the marks. */
  available(): number {
    let s = this.walletBalance;
    for (const p of this.pos.values()) {
      if (p.mode !== 'cross' || p.size === 0) continue;
      s += this.upnl(p) - this.initial(this.markNotional(p), p.leverage);
    }
    return s;
  }

  /**
   * Books a fill (one-way mode). Increasing: the added notional's initial margin ceil(N / leverage) must
   * be available (isolated: it moves from the wallet into the isolated margin), and the leverage must be
   * allowed for the position's new notional. Reducing: realized PnL = side x (exit notional - entry
   * share) goes to the wallet, with the released share of isolated margin. The fee is charged to the wallet.
   * `force` books a fill the venue has already executed even when the checks fail (a simulation mirroring
   * its account: the liquidation check then deals with the shortfall); the isolated margin taken is then
   * at most what is available (never below zero).
   */
  trade(time: number, symbol: string, side: 'BUY' | 'SELL', qty: number, price: number, fee: number, force = false): PerpTradeResult {
    const p = this.get(symbol);
    if (!Number.isSafeInteger(qty) || qty <= 0 || !Number.isSafeInteger(price) || price <= 0 || !Number.isSafeInteger(fee)) {
      throw new MarketsimError('FILL_INVALID', `PerpAccount.trade (${symbol} at ${time}): qty and price must be positive safe integers, fee a safe integer; got ${qty}, ${price}, ${fee}`);
    }
    const sign = side === 'BUY' ? 1 : -1;
    const closing = p.size !== 0 && Math.sign(p.size) !== sign ? Math.min(qty, Math.abs(p.size)) : 0;
    const opening = qty - closing;
    // checks for the opening part first (nothing changes on refusal)
    let im = 0;
    if (opening > 0) {
      const remainingEntry = closing === Math.abs(p.size) ? 0 : p.entryNotional;
      const newNotional = remainingEntry + this.notionalOf(p.contract, price, opening);
      const r = p.contract.tiers.checkLeverage(p.leverage, newNotional);
      if (r !== undefined && !force) {
        return { ok: false, reason: r, message: `${symbol}: leverage ${p.leverage} exceeds the maximum ${p.contract.tiers.maxLeverage(newNotional)} for a notional of ${this.fmt(newNotional)} ${this.marginAsset}` };
      }
      im = this.initial(this.notionalOf(p.contract, price, opening), p.leverage);
      const free = this.available() - fee;
      if (im > free) {
        if (!force) return { ok: false, reason: 'INSUFFICIENT_MARGIN', message: `${symbol}: initial margin ${this.fmt(im)} ${this.marginAsset} exceeds the available ${this.fmt(Math.max(0, free))}` };
        if (p.mode === 'isolated') im = Math.max(0, Math.min(im, this.available()));
      }
    }
    let realized = 0;
    if (closing > 0) {
      const abs = Math.abs(p.size);
      const entryPart = mulDiv(p.entryNotional, closing, abs);
      const exit = this.notionalOf(p.contract, price, closing);
      realized = p.size > 0 ? exit - entryPart : entryPart - exit;
      p.entryNotional -= entryPart;
      if (p.mode === 'isolated') {
        const released = mulDiv(p.isolatedMargin, closing, abs);
        p.isolatedMargin -= released;
        this.walletBalance += released;
      }
      p.size += sign * closing;
      p.realizedPnl += realized;
      this.walletBalance += realized;
      if (p.size === 0) {
        this.walletBalance += p.isolatedMargin;
        p.isolatedMargin = 0;
        p.entryNotional = 0;
      }
    }
    if (opening > 0) {
      p.entryNotional += this.notionalOf(p.contract, price, opening);
      p.size += sign * opening;
      if (p.mode === 'isolated') {
        this.walletBalance -= im;
        p.isolatedMargin += im;
      }
    }
    this.walletBalance -= fee;
    if (p.mark !== p.mark) p.mark = price;
    return { ok: true, realized };
  }

  /**
   * Whether an order of `qty` size units at `price` (price units) could be booked now, without changing
   * anything: the opening part (beyond what closes the current position) must be allowed by the
   * brackets at the position's new notional (LEVERAGE_ABOVE_TIER_MAX) and its initial margin
   * ceil(N / leverage) plus `fee` must be available (INSUFFICIENT_MARGIN). A reducing order always passes.
   */
  checkOpen(symbol: string, side: 'BUY' | 'SELL', qty: number, price: number, fee = 0): PerpRejectReason | undefined {
    const p = this.get(symbol);
    const sign = side === 'BUY' ? 1 : -1;
    const closing = p.size !== 0 && Math.sign(p.size) !== sign ? Math.min(qty, Math.abs(p.size)) : 0;
    const opening = qty - closing;
    if (opening <= 0) return undefined;
    const remainingEntry = closing === Math.abs(p.size) ? 0 : p.entryNotional;
    const added = this.notionalOf(p.contract, price, opening);
    const r = p.contract.tiers.checkLeverage(p.leverage, remainingEntry + added);
    if (r !== undefined) return r;
    return this.initial(added, p.leverage) > this.available() - fee ? 'INSUFFICIENT_MARGIN' : undefined;
  }

  /** Moves `amount` margin units from the wallet into an isolated position's margin (refused beyond `available()`). */
  addIsolatedMargin(symbol: string, amount: number): PerpRejectReason | undefined {
    const p = this.get(symbol);
    if (p.mode !== 'isolated' || p.size === 0) throw new MarketsimError('POSITION_INVALID', `${symbol}: margin can be added to an open isolated position only`);
    if (!Number.isSafeInteger(amount) || amount <= 0) throw new MarketsimError('AMOUNT_INVALID', `${symbol}: amount must be a positive safe integer, got ${amount}`);
    if (amount > this.available()) return 'INSUFFICIENT_MARGIN';
    this.walletBalance -= amount;
    p.isolatedMargin += amount;
    return undefined;
  }

  /**
   * Applies a funding payment at `mark` (price units) and `rate` (rate units): payment =
   * round(|size| x mark x rate), paid by longs to shorts when the rate is positive (the reverse when
   * negative). Isolated positions pay from / receive into their isolated margin, cross positions the
   * wallet. Returns the signed amount received by this position (margin units).
   */
  applyFunding(symbol: string, mark: number, rate: number): number {
    const p = this.get(symbol);
    if (p.size === 0) return 0;
    const c = p.contract;
    const num = BigInt(Math.abs(p.size)) * BigInt(mark) * BigInt(rate) * pow10n(this.marginPrecision);
    const den = pow10n(c.pricePrecision + c.sizePrecision) * BigInt(RATE_ONE);
    const pay = bigToSafe(divRound(num, den));
    const received = p.size > 0 ? 0 - pay : pay;
    if (p.mode === 'isolated') p.isolatedMargin += received;
    else this.walletBalance += received;
    p.funding += received;
    return received + 0;
  }

  /** True when the position must be liquidated: margin balance < maintenance margin (cross: over all cross positions). */
  shouldLiquidate(symbol: string): boolean {
    const p = this.get(symbol);
    if (p.size === 0) return false;
    if (p.mode === 'isolated') return p.isolatedMargin + this.upnl(p) < p.contract.tiers.maintenance(this.markNotional(p));
    return this.crossMarginBalance() < this.crossMaintenance();
  }

  /**
   * Liquidation price (fractional price units), Binance's one-way formula with the bracket that contains
   * the notional at that price: LP = (WB - TMM + UPNL + cum - side x Q x EP) / (Q x MMR - side x Q),
   * WB = isolated margin (isolated) or wallet (cross), TMM and UPNL = maintenance and uPnL of the other
   * cross positions (0 for isolated), Q size, EP entry price, side +1 long / -1 short. NaN when flat.
   */
  liquidationPrice(symbol: string): number {
    const p = this.get(symbol);
    if (p.size === 0) return NaN;
    const c = p.contract;
    const m = 10 ** this.marginPrecision;
    const side = Math.sign(p.size);
    const q = Math.abs(p.size) / 10 ** c.sizePrecision;
    const ep = p.entryNotional / m / q;
    let wb: number;
    if (p.mode === 'isolated') wb = p.isolatedMargin / m;
    else {
      let tmm = 0;
      let up = 0;
      for (const o of this.pos.values()) {
        if (o === p || o.mode !== 'cross' || o.size === 0) continue;
        tmm += o.contract.tiers.maintenance(this.markNotional(o));
        up += this.upnl(o);
      }
      wb = (this.walletBalance - tmm + up) / m;
    }
    let fallback = NaN;
    for (const b of c.tiers.brackets) {
      const mmr = b.maintRate / RATE_ONE;
      const lp = (wb + b.maintAmount - side * q * ep) / (q * mmr - side * q);
      const n = lp * q;
      if (fallback !== fallback && ep * q >= b.floor && ep * q < b.cap) fallback = lp;
      if (lp > 0 && n >= b.floor && n < b.cap) return lp * 10 ** c.pricePrecision;
    }
    return Math.max(0, fallback) * 10 ** c.pricePrecision;
  }

  /** Bankruptcy price (fractional price units): where the margin balance is 0: EP - side x WB / Q (cross: WB = cross margin balance without this position's uPnL). */
  bankruptcyPrice(symbol: string): number {
    const p = this.get(symbol);
    if (p.size === 0) return NaN;
    const c = p.contract;
    const q = Math.abs(p.size);
    const wb = p.mode === 'isolated' ? p.isolatedMargin : this.crossMarginBalance() - this.upnl(p);
    // price units: (entryNotional - side x wb) / q, converted from margin units
    const scale = 10 ** (c.pricePrecision + c.sizePrecision - this.marginPrecision);
    return ((p.entryNotional - Math.sign(p.size) * wb) * scale) / q;
  }

  /** @internal used by `LiquidationEngine`: the margin at stake (isolated margin, or the wallet for cross) and closes the position(s) at bankruptcy. */
  closeAtBankruptcy(symbol: string, execPrice: number): { margin: number; pnlAtExec: number; closed: { symbol: string; size: number }[] } {
    const p = this.get(symbol);
    const closed: { symbol: string; size: number }[] = [];
    let pnl = 0;
    let margin: number;
    const close = (x: Position, price: number): void => {
      const exit = this.notionalOf(x.contract, price, Math.abs(x.size));
      pnl += x.size > 0 ? exit - x.entryNotional : x.entryNotional - exit;
      closed.push({ symbol: x.symbol, size: x.size });
      x.size = 0;
      x.entryNotional = 0;
    };
    if (p.mode === 'isolated') {
      margin = p.isolatedMargin;
      close(p, execPrice);
      p.realizedPnl -= margin;
      p.isolatedMargin = 0;
    } else {
      margin = this.walletBalance;
      for (const x of this.pos.values()) {
        if (x.mode !== 'cross' || x.size === 0) continue;
        close(x, x === p ? execPrice : x.mark);
      }
      p.realizedPnl -= margin;
      this.walletBalance = 0;
    }
    return { margin, pnlAtExec: pnl, closed };
  }

  private get(symbol: string): Position {
    const p = this.pos.get(symbol);
    if (p === undefined) throw new MarketsimError('UNKNOWN_INSTRUMENT', `PerpAccount: no contract ${symbol} (addContract first)`);
    return p;
  }
  private notionalOf(c: PerpContract, price: number, qty: number): number {
    const d = c.pricePrecision + c.sizePrecision - this.marginPrecision;
    const n = d >= 0 ? mulDiv(price, qty, 10 ** d) : price * qty * 10 ** -d;
    if (!Number.isSafeInteger(n)) throw new MarketsimError('CASH_OVERFLOW', `${c.symbol}: notional of ${qty} at ${price} exceeds 2^53 margin units`);
    return n;
  }
  private markNotional(p: Position): number {
    return p.mark === p.mark ? this.notionalOf(p.contract, p.mark, Math.abs(p.size)) : p.entryNotional;
  }
  private upnl(p: Position): number {
    if (p.size === 0 || p.mark !== p.mark) return 0;
    const n = this.notionalOf(p.contract, p.mark, Math.abs(p.size));
    return p.size > 0 ? n - p.entryNotional : p.entryNotional - n;
  }
  private initial(notional: number, leverage: number): number {
    return mulDiv(notional, 1, leverage, 'ceil');
  }
  private fmt(units: number): string {
    return (units / 10 ** this.marginPrecision).toFixed(this.marginPrecision);
  }
}

/** The result of a liquidation. */
export interface LiquidationReport {
  time: number;
  symbol: string;
  /** Positions closed (signed sizes before the close). */
  closed: { symbol: string; size: number }[];
  /** Price the liquidation order executed at (price units). */
  execPrice: number;
  /** Bankruptcy price before the close (fractional price units). */
  bankruptcyPrice: number;
  /** Margin lost by the trader (isolated margin, or the cross wallet), margin units. */
  marginLost: number;
  /** Paid into (> 0) or out of (< 0) the insurance fund: PnL at the execution price + margin lost = side x (exec - bankruptcy) x Q. */
  insuranceDelta: number;
  /** Part of a negative delta the fund could not cover (auto-deleveraging would take it), margin units. */
  shortfall: number;
}

/**
 * The liquidation engine and insurance fund. The trader's position is closed at the bankruptcy price
 * (the trader loses exactly the margin at stake); the venue executes the close at `execPrice` (the
 * liquidation order's fill, e.g. at or near the liquidation price) and the difference
 * side x (exec - bankruptcy) x Q goes to the insurance fund (or comes out of it when the close fills
 * beyond the bankruptcy price). A deficit the fund cannot cover is reported as `shortfall` (ADL).
 */
export class LiquidationEngine {
  private fund: number;
  private readonly log: LiquidationReport[] = [];

  constructor(insuranceFund = 0) {
    if (!Number.isSafeInteger(insuranceFund) || insuranceFund < 0) throw new MarketsimError('CONFIG_INVALID', `insurance fund must be a non-negative safe integer, got ${insuranceFund}`);
    this.fund = insuranceFund;
  }

  /** The insurance fund balance, margin units. */
  get insuranceFund(): number {
    return this.fund;
  }

  /** Every liquidation so far. */
  get reports(): readonly LiquidationReport[] {
    return this.log;
  }

  /** Liquidates `symbol`'s position (for cross: every cross position, the others at their marks) with the close executed at `execPrice`. */
  liquidate(time: number, account: PerpAccount, symbol: string, execPrice: number): LiquidationReport {
    const bp = account.bankruptcyPrice(symbol);
    if (bp !== bp) throw new MarketsimError('POSITION_INVALID', `LiquidationEngine: ${symbol} has no open position`);
    const r = account.closeAtBankruptcy(symbol, execPrice);
    const delta = r.pnlAtExec + r.margin;
    let shortfall = 0;
    this.fund += delta;
    if (this.fund < 0) {
      shortfall = -this.fund;
      this.fund = 0;
    }
    const rep: LiquidationReport = { time, symbol, closed: r.closed, execPrice, bankruptcyPrice: bp, marginLost: r.margin, insuranceDelta: delta, shortfall };
    this.log.push(rep);
    return rep;
  }
}
