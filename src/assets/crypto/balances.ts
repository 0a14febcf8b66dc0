import { MarketsimError } from '../../core/errors.ts';
import type { AssetTable } from './assets.ts';

/**
 * Multi-asset wallet balances per venue (or wallet), in integer base units of each asset
 * (see `AssetTable`): BTC in satoshis, USDT in 1e-6 or 1e-8, USD in cents.
 *
 * Each (venue, asset) holds three buckets:
 * - `available`: free to trade or withdraw;
 * - `locked`: reserved by resting orders (`lock`/`unlock`; a fill can draw from it);
 * - `pending`: deposits seen on chain but not yet confirmed (`addPending`/`confirmPending`):
 *   counted in the total, never spendable.
 *
 * Exactness: every bucket is a safe integer (checked on each change; `BALANCE_OVERFLOW` otherwise):
 * with precision 8 one bucket holds up to 90,071,992.54740991 units of the asset; USDT at precision 6
 * up to 9,007,199,254 USDT. Sums over venues and values in a reporting currency can pass 2^53 and are
 * computed in BigInt (`totalOf`, `valuation.ts`). Hot-path methods by slot (`slot`, `creditSlot`,
 * `debitSlot`) allocate nothing.
 */

/** Why a debit is refused. */
export type BalanceRejectReason = 'INSUFFICIENT_BALANCE';

/** One trade to settle in a venue's balances (amounts in base units of their assets, > 0 except fee >= 0). */
export interface TradeSettlement {
  venue: string;
  /** Base asset (`BTC` of `BTC/USDT`). */
  base: string;
  /** Quote asset (`USDT`). */
  quote: string;
  /** BUY pays `quoteAmount` of quote and receives `baseAmount` of base; SELL the reverse. */
  side: 'BUY' | 'SELL';
  baseAmount: number;
  quoteAmount: number;
  /** Fee in base units of `feeAsset` (0 for none). A fee in the received asset is taken from the proceeds. */
  fee: number;
  feeAsset: string;
  /** Part of the paid amount drawn from `locked` (a resting order's reservation); the rest from available. Default 0. */
  fromLocked?: number;
}

/** A snapshot row of `Balances.rows()`. */
export interface BalanceRow {
  venue: string;
  asset: string;
  available: number;
  locked: number;
  pending: number;
}

const MAX = Number.MAX_SAFE_INTEGER;

/** Multi-asset, multi-venue balances (see the module comment for the buckets and exactness). */
export class Balances {
  readonly assets: AssetTable;
  private readonly slots = new Map<string, number>();
  private readonly venueOf: string[] = [];
  private readonly assetOf: string[] = [];
  private readonly avail: number[] = [];
  private readonly lockd: number[] = [];
  private readonly pend: number[] = [];

  constructor(assets: AssetTable) {
    this.assets = assets;
  }

  /** The dense slot id of (venue, asset), created on first use (the asset must be in the asset table). */
  slot(venue: string, asset: string): number {
    const key = `${venue}\u0000${asset}`;
    let s = this.slots.get(key);
    if (s === undefined) {
      this.assets.precision(asset); // throws UNKNOWN_ASSET
      if (typeof venue !== 'string' || venue.length === 0) throw new MarketsimError('VENUE_INVALID', `Balances: venue must be a non-empty string, got ${String(venue)}`);
      s = this.avail.length;
      this.slots.set(key, s);
      this.venueOf.push(venue);
      this.assetOf.push(asset);
      this.avail.push(0);
      this.lockd.push(0);
      this.pend.push(0);
    }
    return s;
  }

  /** Available base units. */
  available(venue: string, asset: string): number {
    return this.avail[this.slot(venue, asset)]!;
  }
  /** Locked base units. */
  locked(venue: string, asset: string): number {
    return this.lockd[this.slot(venue, asset)]!;
  }
  /** Pending (unconfirmed) base units. */
  pending(venue: string, asset: string): number {
    return this.pend[this.slot(venue, asset)]!;
  }
  /** available + locked + pending, base units. */
  total(venue: string, asset: string): number {
    const s = this.slot(venue, asset);
    return this.avail[s]! + this.lockd[s]! + this.pend[s]!;
  }
  /** Sum of `total` over every venue, exact (BigInt). */
  totalOf(asset: string): bigint {
    let t = 0n;
    for (let s = 0; s < this.avail.length; s++) if (this.assetOf[s] === asset) t += BigInt(this.avail[s]! + this.lockd[s]! + this.pend[s]!);
    return t;
  }
  /** Every (venue, asset) ever touched, in creation order. */
  rows(): BalanceRow[] {
    const out: BalanceRow[] = [];
    for (let s = 0; s < this.avail.length; s++) out.push({ venue: this.venueOf[s]!, asset: this.assetOf[s]!, available: this.avail[s]!, locked: this.lockd[s]!, pending: this.pend[s]! });
    return out;
  }

  /** 'INSUFFICIENT_BALANCE' when `amount` exceeds the available balance, else undefined. */
  canDebit(venue: string, asset: string, amount: number): BalanceRejectReason | undefined {
    return amount > this.avail[this.slot(venue, asset)]! ? 'INSUFFICIENT_BALANCE' : undefined;
  }

  /** Credits `amount` (> 0) to available (an external deposit, or a confirmed transfer). */
  deposit(venue: string, asset: string, amount: number): void {
    this.creditSlot(this.slot(venue, asset), amount);
  }
  /** Debits `amount` (> 0) from available; throws `INSUFFICIENT_BALANCE` naming venue, asset and both amounts. */
  withdraw(venue: string, asset: string, amount: number): void {
    this.debitSlot(this.slot(venue, asset), amount);
  }
  /** Moves `amount` from available to locked (a resting order's reservation). */
  lock(venue: string, asset: string, amount: number): void {
    const s = this.slot(venue, asset);
    this.debitSlot(s, amount);
    this.lockd[s] = this.checked(this.lockd[s]! + amount, s);
  }
  /** Moves `amount` from locked back to available; throws `INSUFFICIENT_BALANCE` when more than locked. */
  unlock(venue: string, asset: string, amount: number): void {
    const s = this.slot(venue, asset);
    this.amount(amount, s);
    if (amount > this.lockd[s]!) throw this.short(s, amount, this.lockd[s]!, 'locked');
    this.lockd[s] = this.lockd[s]! - amount;
    this.avail[s] = this.checked(this.avail[s]! + amount, s);
  }
  /** Adds an unconfirmed incoming amount (counted in the total, not spendable). */
  addPending(venue: string, asset: string, amount: number): void {
    const s = this.slot(venue, asset);
    this.amount(amount, s);
    this.pend[s] = this.checked(this.pend[s]! + amount, s);
  }
  /** Moves a confirmed amount from pending to available. */
  confirmPending(venue: string, asset: string, amount: number): void {
    const s = this.slot(venue, asset);
    this.amount(amount, s);
    if (amount > this.pend[s]!) throw this.short(s, amount, this.pend[s]!, 'pending');
    this.pend[s] = this.pend[s]! - amount;
    this.avail[s] = this.checked(this.avail[s]! + amount, s);
  }

  /** Credits available by slot (hot path). */
  creditSlot(s: number, amount: number): void {
    this.amount(amount, s);
    this.avail[s] = this.checked(this.avail[s]! + amount, s);
  }
  /** Debits available by slot (hot path); throws `INSUFFICIENT_BALANCE`. */
  debitSlot(s: number, amount: number): void {
    this.amount(amount, s);
    if (amount > this.avail[s]!) throw this.short(s, amount, this.avail[s]!, 'available');
    this.avail[s] = this.avail[s]! - amount;
  }

  /**
   * Settles a trade atomically: checks every bucket first, then moves the amounts (nothing changes
   * when it throws). BUY: quote -= quoteAmount (first `fromLocked` from locked), base += baseAmount;
   * SELL the reverse. The fee is taken from the received asset's proceeds when `feeAsset` is that asset,
   * else from the available balance of `feeAsset` (the paid asset or a fee token such as BNB).
   * Throws `INSUFFICIENT_BALANCE` naming the venue and asset.
   */
  settleTrade(t: TradeSettlement): void {
    const buy = t.side === 'BUY';
    if (!buy && t.side !== 'SELL') throw new MarketsimError('TRADE_INVALID', `Balances.settleTrade (${t.venue} ${t.base}/${t.quote}): side must be BUY or SELL, got ${String(t.side)}`);
    const paidAsset = buy ? t.quote : t.base;
    const recvAsset = buy ? t.base : t.quote;
    const paid = buy ? t.quoteAmount : t.baseAmount;
    const recv = buy ? t.baseAmount : t.quoteAmount;
    const fromLocked = t.fromLocked ?? 0;
    const ps = this.slot(t.venue, paidAsset);
    const rs = this.slot(t.venue, recvAsset);
    const fs = this.slot(t.venue, t.feeAsset);
    if (ps === rs) throw new MarketsimError('TRADE_INVALID', `Balances.settleTrade: base and quote are both ${t.base}`);
    this.settleSlots(ps, rs, fs, paid, recv, t.fee, fromLocked);
  }

  /**
   * `settleTrade` by slots (hot path, allocation-free unless it throws): pays `paid` from slot `ps`
   * (`fromLocked` of it from locked), receives `recv` into `rs`, charges `fee` to `fs`. Atomic.
   */
  settleSlots(ps: number, rs: number, fs: number, paid: number, recv: number, fee: number, fromLocked: number): void {
    this.amount(paid, ps);
    this.amount(recv, rs);
    if (!Number.isSafeInteger(fee) || fee < 0) throw new MarketsimError('TRADE_INVALID', `Balances.settleTrade (${this.venueOf[fs]} ${this.assetOf[fs]}): fee must be a non-negative safe integer, got ${fee}`);
    if (!Number.isSafeInteger(fromLocked) || fromLocked < 0 || fromLocked > paid) {
      throw new MarketsimError('TRADE_INVALID', `Balances.settleTrade (${this.venueOf[ps]} ${this.assetOf[ps]}): fromLocked must be in 0..${paid}, got ${fromLocked}`);
    }
    // resulting buckets
    const pLocked = this.lockd[ps]! - fromLocked;
    let pAvail = this.avail[ps]! - (paid - fromLocked);
    let rAvail = this.avail[rs]! + recv;
    let fAvail = this.avail[fs]!;
    if (fs === ps) pAvail -= fee;
    else if (fs === rs) rAvail -= fee;
    else fAvail -= fee;
    if (pLocked < 0) throw this.short(ps, fromLocked, this.lockd[ps]!, 'locked');
    if (pAvail < 0) throw this.short(ps, paid - fromLocked + (fs === ps ? fee : 0), this.avail[ps]!, 'available');
    if (rAvail < 0) throw this.short(rs, fee - recv, this.avail[rs]!, 'available');
    if (fAvail < 0) throw this.short(fs, fee, this.avail[fs]!, 'available');
    this.checked(rAvail, rs);
    this.lockd[ps] = pLocked;
    this.avail[ps] = pAvail;
    this.avail[rs] = rAvail;
    if (fs !== ps && fs !== rs) this.avail[fs] = fAvail;
  }

  private amount(amount: number, s: number): void {
    if (!Number.isSafeInteger(amount) || amount < 0) {
      throw new MarketsimError('AMOUNT_INVALID', `Balances (${this.venueOf[s]} ${this.assetOf[s]}): amount must be a non-negative safe integer of base units, got ${amount}`);
    }
  }
  private checked(n: number, s: number): number {
    if (n > MAX) throw new MarketsimError('BALANCE_OVERFLOW', `Balances (${this.venueOf[s]} ${this.assetOf[s]}): balance exceeds Number.MAX_SAFE_INTEGER base units`);
    return n;
  }
  private short(s: number, need: number, have: number, bucket: string): MarketsimError {
    const a = this.assetOf[s]!;
    return new MarketsimError(
      'INSUFFICIENT_BALANCE',
      `${this.venueOf[s]}: ${this.assets.format(a, need)} ${a} exceeds the ${bucket} balance of ${this.assets.format(a, have)} ${a}`,
    );
  }
}
