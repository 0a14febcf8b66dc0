/**
 * The cash ledger: an append-only list of signed cash movements in integer cash units.
 * Invariant kept by `Account`: startingCash + sum(entry.amount) === cash, exactly.
 */

/** Kinds of cash movement. */
export type LedgerKind = 'TRADE' | 'FEE' | 'DEPOSIT' | 'WITHDRAWAL' | 'FUNDING' | 'INTEREST' | 'ADJUSTMENT' | 'DIVIDEND' | 'COUPON' | 'ACCRUED_INTEREST' | 'BORROW_FEE' | 'NETWORK_FEE';

/** Kinds a caller may post directly with `Account.post` (trades, fees, deposits and withdrawals have their own methods). */
export type CashFlowKind = 'FUNDING' | 'INTEREST' | 'ADJUSTMENT' | 'DIVIDEND' | 'COUPON' | 'BORROW_FEE' | 'NETWORK_FEE';

/**
 * One cash movement. `amount` is signed cash units (credit > 0, debit < 0).
 * TRADE: for a cash account the fill's -notional (buy) or +notional (sell); for a margin account the
 * realized PnL of the fill (0 for a fill that only opens or increases a position).
 * FEE: -fee (a rebate, i.e. a negative fee, is a credit).
 * ACCRUED_INTEREST: a bond fill's accrued interest, paid on a buy (< 0) and received on a sale (> 0).
 * DIVIDEND, COUPON: paid to long holders (> 0), charged to shorts (< 0). BORROW_FEE: daily stock
 * loan fee of a short. NETWORK_FEE: a blockchain transfer's fee.
 */
export interface LedgerEntry {
  readonly time: number;
  readonly kind: LedgerKind;
  readonly amount: number;
  readonly instrumentSymbol?: string;
  readonly orderId?: number;
}

/** Append-only list of ledger entries with a running exact sum. */
export class Ledger {
  private readonly list: LedgerEntry[] = [];
  private total = 0;

  /** Entries in the order they were posted. */
  get entries(): readonly LedgerEntry[] {
    return this.list;
  }
  /** Sum of all amounts (exact: the caller checks the balance stays a safe integer). */
  get sum(): number {
    return this.total;
  }
  /** Number of entries. */
  get length(): number {
    return this.list.length;
  }

  /** Appends one entry (the caller has validated that amounts and the balance are safe integers). */
  append(time: number, kind: LedgerKind, amount: number, instrumentSymbol?: string, orderId?: number): void {
    if (amount === 0) amount = 0; // no -0 in the ledger
    // fixed object shapes (trade entries carry both keys) keep the hot path monomorphic
    if (instrumentSymbol !== undefined && orderId !== undefined) this.list.push({ time, kind, amount, instrumentSymbol, orderId });
    else if (instrumentSymbol !== undefined) this.list.push({ time, kind, amount, instrumentSymbol });
    else if (orderId !== undefined) this.list.push({ time, kind, amount, orderId });
    else this.list.push({ time, kind, amount });
    this.total += amount;
  }

  /** Sum of the amounts of one kind. */
  sumOf(kind: LedgerKind): number {
    let s = 0;
    for (let i = 0; i < this.list.length; i++) {
      const e = this.list[i]!;
      if (e.kind === kind) s += e.amount;
    }
    return s;
  }
}
