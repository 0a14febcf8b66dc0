import { ConfigError } from '../../core/errors.ts';
import { pow10 } from '../../core/fixed-point.ts';
import type { ExchangeCalendar } from './calendar.ts';

/**
 * Stock borrow for short sales: which symbols can be borrowed (an easy/hard-to-borrow list with a
 * daily locate limit, as Regulation SHO Rule 203(b) requires a locate before a short sale) and the
 * borrow fee that accrues on open shorts. docs/equities.md, "Short selling".
 */

/** ETB: easy to borrow (no locate limit); HTB: hard to borrow (limited shares per day); NONE: not borrowable. */
export type BorrowStatus = 'ETB' | 'HTB' | 'NONE';

/** One line of the borrow list. */
export interface BorrowEntry {
  symbol: string;
  status: BorrowStatus;
  /** Shares that can be located per day (required for HTB; ETB is unlimited unless given). */
  available?: number;
  /** Annual borrow fee rate as a fraction (0.0025 = 0.25% a year). */
  rate?: number;
}

/** Defaults for symbols not on the list. */
export interface BorrowDefaults {
  status: BorrowStatus;
  /** Annual rate of ETB names (default 0.0025, a typical general-collateral fee). */
  etbRate: number;
  /** Annual rate of HTB names without their own rate (default 0.10). */
  htbRate: number;
}

/** Why a locate was refused. */
export type LocateRejection = 'NO_BORROW' | 'LOCATE_LIMIT';

const DEFAULTS: BorrowDefaults = { status: 'ETB', etbRate: 0.0025, htbRate: 0.1 };

/**
 * The borrow list of a run and the shares located today. `locate` is called for the short part of
 * each sell order; located shares count against the symbol's daily limit until `resetDay()` (call it
 * at each session start). Example: HTB with 500 available: locate 300 -> ok, locate 300 -> LOCATE_LIMIT.
 */
export class BorrowBook {
  private readonly entries = new Map<string, Required<BorrowEntry>>();
  private readonly locatedToday = new Map<string, number>();
  private readonly defaults: BorrowDefaults;

  constructor(entries: readonly BorrowEntry[] = [], defaults: Partial<BorrowDefaults> = {}) {
    this.defaults = { ...DEFAULTS, ...defaults };
    const issues: { path: string; message: string }[] = [];
    entries.forEach((e, i) => {
      const p = `borrow[${i}]`;
      if (!e.symbol) issues.push({ path: `${p}.symbol`, message: 'symbol is required' });
      if (!['ETB', 'HTB', 'NONE'].includes(e.status)) issues.push({ path: `${p}.status`, message: `expected ETB, HTB or NONE, got ${JSON.stringify(e.status)}` });
      if (e.available !== undefined && !(e.available >= 0 && (Number.isSafeInteger(e.available) || e.available === Infinity))) issues.push({ path: `${p}.available`, message: `expected a whole number of shares >= 0, got ${e.available}` });
      if (e.rate !== undefined && !(e.rate >= 0 && Number.isFinite(e.rate))) issues.push({ path: `${p}.rate`, message: `expected an annual rate >= 0 (0.05 = 5%), got ${e.rate}` });
      if (e.status === 'HTB' && e.available === undefined) issues.push({ path: `${p}.available`, message: 'a hard-to-borrow symbol needs the shares available per day' });
      if (this.entries.has(e.symbol)) issues.push({ path: `${p}.symbol`, message: `${e.symbol} is listed twice` });
      this.entries.set(e.symbol, {
        symbol: e.symbol,
        status: e.status,
        available: e.available ?? (e.status === 'HTB' ? 0 : e.status === 'NONE' ? 0 : Infinity),
        rate: e.rate ?? (e.status === 'HTB' ? this.defaults.htbRate : this.defaults.etbRate),
      });
    });
    if (issues.length > 0) throw new ConfigError(issues, 'borrow list');
  }

  /** Borrow status of a symbol. */
  status(symbol: string): BorrowStatus {
    return this.entries.get(symbol)?.status ?? this.defaults.status;
  }

  /** Annual fee rate of a symbol. */
  rate(symbol: string): number {
    const e = this.entries.get(symbol);
    if (e) return e.rate;
    return this.defaults.status === 'HTB' ? this.defaults.htbRate : this.defaults.etbRate;
  }

  /** Shares still locatable today (Infinity for ETB). */
  remaining(symbol: string): number {
    const e = this.entries.get(symbol);
    const status = e?.status ?? this.defaults.status;
    if (status === 'NONE') return 0;
    const cap = e ? e.available : status === 'ETB' ? Infinity : 0;
    return cap - (this.locatedToday.get(symbol) ?? 0);
  }

  /** Locates `shares` for a short sale: undefined when granted (and counted), else the reason. */
  locate(symbol: string, shares: number): LocateRejection | undefined {
    if (this.status(symbol) === 'NONE') return 'NO_BORROW';
    if (shares <= 0) return undefined;
    if (shares > this.remaining(symbol)) return 'LOCATE_LIMIT';
    this.locatedToday.set(symbol, (this.locatedToday.get(symbol) ?? 0) + shares);
    return undefined;
  }

  /** A new trading day: the daily locate limits start again. */
  resetDay(): void {
    this.locatedToday.clear();
  }
}

/**
 * Borrow fee for one accrual, in cash minor units (rounded half up): |shares| * close * rate / 360 *
 * days. Stock-loan fees are quoted as an annual rate on an actual/360 basis and accrue every calendar
 * day on the position's value at the close; `days` is the calendar days the accrual covers.
 * Example: short 1,000 at 50.00, 3% a year, 1 day -> 50,000 * 0.03 / 360 = 4.1666 -> 417 cents.
 */
export function borrowFee(shares: number, closePrice: number, annualRate: number, days = 1, cashPrecision = 2, dayCount = 360): number {
  const fee = (Math.abs(shares) * closePrice * annualRate * days) / dayCount;
  return Math.floor(fee * pow10(cashPrecision) + 0.5 + 1e-9);
}

/**
 * Calendar days an accrual at the close of session `date` covers: until the next session's date
 * (1 on most days, 3 on a Friday, 4 before a Monday holiday), so that every calendar day is charged once;
 * 0 when `date` is not a session.
 */
export function borrowAccrualDays(calendar: ExchangeCalendar, date: string): number {
  const s = calendar.session(date);
  if (!s) return 0;
  return calendar.currentOrNextSession(s.afterHoursClose).day - s.day;
}
