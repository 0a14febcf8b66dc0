import { z } from 'zod';
import { ConfigError, MarketsimError } from '../core/errors.ts';
import type { Instrument } from '../market/instrument.ts';
import type { MarketEvent } from '../market/market-data.ts';
import { DEFAULT_ASSET_PRECISIONS } from '../assets/crypto/assets.ts';
import { Account, type AccountKind, type AccountOptions, type LiquidationOrder, type MarginStatus } from './account.ts';
import { FxRates, addRational, formatRational, rational, roundRational, type Rational } from './fx-rates.ts';

/**
 * A portfolio of accounts, one per (venue, currency), valued in one reporting currency
 * (docs/accounts.md, "Multi-currency and multi-venue portfolios").
 *
 * The primary account is the reporting currency's account at the run's venue (`Simulation.account`);
 * the others come from `PortfolioOptions.balances`, each an `Account` with its own kind and margin
 * rules (per-venue margin). A fill of an instrument goes to the account of (instrument.venue,
 * instrument.currency), else to the account of (run venue, instrument.currency), else it is refused
 * `CURRENCY_MISMATCH`. Values in the reporting currency are exact: each account's integer amount is
 * multiplied by its exact rate (`FxRates`) as a BigInt fraction, the fractions are summed, and the sum
 * is rounded once, half away from zero, to the reporting currency's cash units.
 */

/** One more account of a portfolio. Money in cash units of `currency` (integers of 10^-cashPrecision). */
export interface BalanceOptions {
  /** Venue of the account (default: the run's venue). */
  venue?: string;
  currency: string;
  /** 'cash' (default) or 'margin', with the margin fields of `AccountOptions`. */
  kind?: AccountKind;
  cashPrecision: number;
  /** Starting cash in cash units (a non-negative safe integer). */
  startingCash: number;
  leverage?: number;
  initialMarginRate?: number;
  maintenanceMarginRate?: number;
  liquidationFactor?: number;
}

/** The accounts beside the primary one, and fixed exchange rates. */
export interface PortfolioOptions {
  balances?: readonly BalanceOptions[];
  /** Fixed rates of pegged currencies into the reporting currency (`{ USDT: '1' }`); they win over pair prices. */
  rates?: Readonly<Record<string, string | number>>;
}

/** One account of a portfolio with its key. */
export interface PortfolioEntry {
  readonly venue: string;
  readonly currency: string;
  readonly account: Account;
  /** True for the reporting currency's account at the run's venue. */
  readonly primary: boolean;
}

/** One row of `SimulationResult.balances`: money in decimals of `currency`, `valueInReporting` in the reporting currency. */
export interface BalanceReport {
  venue: string;
  currency: string;
  kind: AccountKind;
  primary: boolean;
  startingCash: number;
  cash: number;
  /** Cash plus positions at their marks (cash account) or plus unrealized PnL (margin account). */
  equity: number;
  /** One unit of `currency` in the reporting currency (decimal string, up to 10 decimals), or null when no rate was needed nor known. */
  rate: string | null;
  /** `equity` converted and rounded once to the reporting currency's cash units (each row on its own). */
  valueInReporting: number;
  /** Margin calls and liquidations of this account. */
  marginEvents: { time: number; status: string; equity: number; maintenanceMargin: number }[];
}

/** What the engine does on a margin status change of a non-primary account (see `Portfolio.checkMargins`). */
export interface MarginDesk {
  /** A status change to MARGIN_CALL or LIQUIDATE (or back to OK) of `entry`'s account: journal and log it. */
  marginStatusChanged(entry: PortfolioEntry, status: MarginStatus, time: number): void;
  /** Sends an order closing one position of `entry`'s account at market; returns the order. */
  liquidate(entry: PortfolioEntry, order: LiquidationOrder, time: number): { readonly isDone: boolean };
}

/** Margin state of a non-primary margin account. */
interface MarginWatch {
  entry: PortfolioEntry;
  status: MarginStatus;
  liquidation: { readonly isDone: boolean }[];
}

const WHAT_EQUITY = 0;
const WHAT_CASH = 1;
const WHAT_EXPOSURE = 2;

/** A portfolio of per-(venue, currency) accounts valued in the primary account's currency (see the module comment). */
export class Portfolio {
  /** The reporting currency's account at the run's venue. */
  readonly primary: Account;
  /** The run's venue (the primary account's venue, and the default venue of other balances). */
  readonly venue: string;
  /** The reporting currency (the primary account's). */
  readonly reporting: string;
  /** Exchange rates into the reporting currency. */
  readonly fx: FxRates;
  private readonly list: PortfolioEntry[] = [];
  private readonly byKey = new Map<string, PortfolioEntry>();
  /** Per instrument id: its account, null when none (CURRENCY_MISMATCH), undefined before routing. */
  private readonly routes: (Account | null | undefined)[] = [];
  private readonly watches: MarginWatch[] = [];
  private readonly scale: bigint;

  /** Validates `options`; a `ConfigError` names each bad field as `balances.<i>.<field>` or `rates.<currency>`. */
  constructor(primary: Account, venue: string, options: PortfolioOptions = {}) {
    if (typeof venue !== 'string' || venue.length === 0) throw new ConfigError([{ path: 'venue', message: 'must be a non-empty string' }], 'Portfolio options');
    this.primary = primary;
    this.venue = venue;
    this.reporting = primary.currency;
    this.scale = 10n ** BigInt(primary.cashPrecision);
    const main: PortfolioEntry = { venue, currency: primary.currency, account: primary, primary: true };
    this.list.push(main);
    this.byKey.set(key(venue, primary.currency), main);
    const issues: { path: string; message: string }[] = [];
    const balances = options.balances ?? [];
    for (let i = 0; i < balances.length; i++) {
      const b = balances[i]!;
      const v = b.venue ?? venue;
      const at = `balances.${i}`;
      if (typeof v !== 'string' || v.length === 0) {
        issues.push({ path: `${at}.venue`, message: 'must be a non-empty string' });
        continue;
      }
      const k = key(v, b.currency);
      if (this.byKey.has(k)) {
        const other = this.byKey.get(k)!;
        issues.push({
          path: `${at}.currency`,
          message: other.primary ? `${b.currency} at ${v} is the primary account (set the account's own cash instead)` : `a second ${b.currency} account at ${v} (one account per venue and currency)`,
        });
        continue;
      }
      const { venue: _venue, kind, ...rest } = b;
      const opts: AccountOptions = { ...rest, kind: kind ?? 'cash' };
      try {
        const e: PortfolioEntry = { venue: v, currency: b.currency, account: new Account(opts), primary: false };
        this.list.push(e);
        this.byKey.set(k, e);
        if (e.account.kind === 'margin') this.watches.push({ entry: e, status: 'OK', liquidation: [] });
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        for (const is of err.issues) issues.push({ path: `${at}.${is.path === 'startingCash' ? 'cash' : is.path}`, message: is.message });
      }
    }
    let fx: FxRates | undefined;
    try {
      fx = new FxRates(this.reporting, options.rates ?? {});
    } catch (err) {
      if (!(err instanceof MarketsimError)) throw err;
      const m = /^(rates\.[^:]+): (.*)$/s.exec(err.message);
      issues.push({ path: m ? m[1]! : 'rates', message: m ? m[2]! : err.message });
    }
    if (issues.length > 0 || fx === undefined) throw new ConfigError(issues, 'Portfolio options');
    this.fx = fx;
  }

  /** True when the portfolio holds more than the primary account (values then go through exchange rates). */
  get multi(): boolean {
    return this.list.length > 1;
  }

  /** Every account, the primary first, then in configuration order. */
  entries(): readonly PortfolioEntry[] {
    return this.list;
  }

  /** The account of (`venue`, `currency`); without `venue`: the run venue's, else the only one in `currency`. */
  account(currency: string, venue?: string): Account | undefined {
    if (venue !== undefined) return this.byKey.get(key(venue, currency))?.account;
    const here = this.byKey.get(key(this.venue, currency));
    if (here !== undefined) return here.account;
    let found: Account | undefined;
    for (const e of this.list) {
      if (e.currency !== currency) continue;
      if (found !== undefined) return undefined;
      found = e.account;
    }
    return found;
  }

  /** Like `account`, but throws `ACCOUNT_UNKNOWN` naming the key and listing the accounts (or `ACCOUNT_AMBIGUOUS`). */
  requireAccount(currency: string, venue?: string): Account {
    const a = this.account(currency, venue);
    if (a !== undefined) return a;
    const all = this.list.map((e) => `${e.venue}:${e.currency}`).join(', ');
    if (venue === undefined && this.list.filter((e) => e.currency === currency).length > 1) {
      throw new MarketsimError('ACCOUNT_AMBIGUOUS', `several ${currency} accounts (${all}) and none at ${this.venue}: name the venue`);
    }
    throw new MarketsimError('ACCOUNT_UNKNOWN', `no ${currency} account${venue !== undefined ? ` at ${venue}` : ''}; the accounts are ${all}`);
  }

  /** Registers an instrument the run lists (pair instruments feed the exchange rates) and routes it. */
  addInstrument(inst: Instrument): void {
    for (let i = this.routes.length; i <= inst.id; i++) this.routes.push(undefined);
    this.fx.addInstrument(inst);
    this.route(inst);
  }

  /**
   * The account that books `inst`'s fills and marks (hot path: an array read once routed):
   * (inst.venue, inst.currency), else (run venue, inst.currency), else undefined (`CURRENCY_MISMATCH`).
   */
  accountFor(inst: Instrument): Account | undefined {
    const r = inst.id < this.routes.length ? this.routes[inst.id] : undefined;
    if (r !== undefined) return r === null ? undefined : r;
    return this.route(inst);
  }

  /** Feeds a data event of a pair instrument to the rates (hot path; `lastPrice` is the venue's, price units). */
  onMarketData(e: MarketEvent, lastPrice: number): void {
    const inst = e.instrument;
    if (inst !== undefined && this.fx.isPair(inst)) this.fx.observe(inst, e, lastPrice);
  }

  // ---------------------------------------------------------------- values

  /** Equity of every account in reporting cash units, exact sum rounded once; throws `FX_RATE_MISSING`. */
  value(): number {
    return this.total(WHAT_EQUITY, true);
  }
  /** Cash of every account in reporting cash units (exact sum rounded once); throws `FX_RATE_MISSING`. */
  cashValue(): number {
    return this.total(WHAT_CASH, true);
  }
  /** Gross exposure (|position values|) of every account in reporting cash units; throws `FX_RATE_MISSING`. */
  exposureValue(): number {
    return this.total(WHAT_EXPOSURE, true);
  }
  /** `value()`, or NaN while a needed rate is missing (the engine skips an equity sample then). */
  tryValue(): number {
    return this.total(WHAT_EQUITY, false);
  }
  /** `exposureValue()`, or NaN while a needed rate is missing. */
  tryExposureValue(): number {
    return this.total(WHAT_EXPOSURE, false);
  }

  /**
   * The exact equity of every account in reporting cash units, as a reduced fraction (before the one
   * rounding of `value()`): sum over accounts of equity * rate * 10^reportingPrecision / 10^accountPrecision.
   */
  exactValue(): Rational {
    return this.exact(WHAT_EQUITY, true, this.fx.rates())!;
  }

  /** The first currency whose rate is needed now (an account with non-zero equity or exposure) and missing, or undefined. */
  missingRate(): string | undefined {
    if (!this.multi) return undefined;
    const rates = this.fx.rates();
    for (const e of this.list) {
      if (rates.has(e.currency)) continue;
      if (e.account.equity !== 0 || e.account.cash !== 0 || e.account.grossExposure !== 0) return e.currency;
    }
    return undefined;
  }

  /** Every account's balances and value in the reporting currency (decimals), the primary first; throws `FX_RATE_MISSING`. */
  balances(): BalanceReport[] {
    const rates = this.fx.rates();
    return this.list.map((e) => {
      const a = e.account;
      const r = rates.get(e.currency);
      let value = 0;
      if (a.equity !== 0) {
        if (r === undefined) throw this.fx.missing(e.currency, ` (the ${e.venue} ${e.currency} account)`);
        value = this.toReporting(roundRational(this.converted(a.equity, a.cashPrecision, r)));
      }
      return {
        venue: e.venue,
        currency: e.currency,
        kind: a.kind,
        primary: e.primary,
        startingCash: a.cashDecimal(a.startingCash),
        cash: a.cashDecimal(a.cash),
        equity: a.cashDecimal(a.equity),
        rate: r === undefined ? null : formatRational(r),
        valueInReporting: this.primary.cashDecimal(value),
        marginEvents: a.marginEvents.map((m) => ({ time: m.time, status: m.status, equity: a.cashDecimal(m.equity), maintenanceMargin: a.cashDecimal(m.maintenanceMargin) })),
      };
    });
  }

  // ---------------------------------------------------------------- margin

  /** True when a non-primary account is a margin account (`checkMargins` then has work). */
  get hasOtherMargin(): boolean {
    return this.watches.length > 0;
  }

  /**
   * Checks every non-primary margin account (the primary one is the engine's own): a status change is
   * reported to `desk`; on LIQUIDATE the account's open positions are closed through `desk.liquidate`,
   * and no new liquidation starts for that account while one of its orders is working. Each account is
   * checked on its own: one venue's margin call never touches another account.
   */
  checkMargins(time: number, desk: MarginDesk): void {
    for (let i = 0; i < this.watches.length; i++) {
      const w = this.watches[i]!;
      if (w.liquidation.length > 0) {
        let done = true;
        for (let j = 0; j < w.liquidation.length; j++) if (!w.liquidation[j]!.isDone) done = false;
        if (!done) continue;
        w.liquidation = [];
      }
      const status = w.entry.account.checkMargin(time);
      if (status !== w.status) {
        w.status = status;
        desk.marginStatusChanged(w.entry, status, time);
      }
      if (status !== 'LIQUIDATE') continue;
      for (const l of w.entry.account.positionsToLiquidate()) w.liquidation.push(desk.liquidate(w.entry, l, time));
    }
  }

  // ---------------------------------------------------------------- internals

  private route(inst: Instrument): Account | undefined {
    const e = this.byKey.get(key(inst.venue, inst.currency)) ?? this.byKey.get(key(this.venue, inst.currency));
    const a = e === undefined ? undefined : e.account;
    if (inst.id >= this.routes.length) for (let i = this.routes.length; i <= inst.id; i++) this.routes.push(undefined);
    this.routes[inst.id] = a ?? null;
    return a;
  }

  private total(what: number, strict: boolean): number {
    const p = this.primary;
    if (!this.multi) return what === WHAT_EQUITY ? p.equity : what === WHAT_CASH ? p.cash : p.grossExposure;
    const r = this.exact(what, strict, this.fx.rates());
    return r === undefined ? NaN : this.toReporting(roundRational(r));
  }

  /** The exact sum in reporting cash units, or undefined (when not strict) while a needed rate is missing. */
  private exact(what: number, strict: boolean, rates: Map<string, Rational>): Rational | undefined {
    let sum: Rational = { num: 0n, den: 1n };
    for (let i = 0; i < this.list.length; i++) {
      const e = this.list[i]!;
      const a = e.account;
      const amount = what === WHAT_EQUITY ? a.equity : what === WHAT_CASH ? a.cash : a.grossExposure;
      if (amount === 0) continue;
      const r = rates.get(e.currency);
      if (r === undefined) {
        if (strict) throw this.fx.missing(e.currency, ` (the ${e.venue} ${e.currency} account)`);
        return undefined;
      }
      sum = addRational(sum, this.converted(amount, a.cashPrecision, r));
    }
    return sum;
  }

  /** `amount` cash units at `precision` times `rate`, in reporting cash units, exact. */
  private converted(amount: number, precision: number, rate: Rational): Rational {
    return rational(BigInt(amount) * rate.num * this.scale, rate.den * 10n ** BigInt(precision));
  }

  private toReporting(units: bigint): number {
    const n = Number(units);
    if (!Number.isSafeInteger(n)) throw new MarketsimError('CASH_OVERFLOW', `Portfolio: the value in ${this.reporting} exceeds Number.MAX_SAFE_INTEGER cash units`);
    return n;
  }
}

function key(venue: string, currency: string): string {
  return `${venue}\u0000${currency}`;
}

// -------------------------------------------------------------------- run config

/** One entry of `account.balances` in a run config (decimals; `cash` in units of `currency`). */
export const balanceConfigSchema = z
  .object({
    venue: z.string().min(1).optional(),
    currency: z.string().min(1),
    cash: z.number().nonnegative().default(0),
    cashPrecision: z.number().int().min(0).max(15).optional(),
    kind: z.enum(['cash', 'margin']).default('cash'),
    leverage: z.number().positive().optional(),
    initialMarginRate: z.number().positive().max(1).optional(),
    maintenanceMarginRate: z.number().positive().max(1).optional(),
    liquidationFactor: z.number().positive().max(1).optional(),
  })
  .strict();

/**
 * The portfolio fields of a run config's `account` object, to spread into its schema:
 * `balances` (the other accounts) and `rates` (fixed rates of pegged currencies, decimal strings or numbers).
 */
export const portfolioConfigFields = {
  balances: z.array(balanceConfigSchema).optional(),
  rates: z.record(z.union([z.string().regex(/^\d+(\.\d+)?$/, 'expected a positive plain decimal such as "1" or "0.9998"'), z.number().positive()])).optional(),
};

/** The portfolio fields as one schema (`portfolioConfigSchema.parse({ balances: [...], rates: {...} })`). */
export const portfolioConfigSchema = z.object(portfolioConfigFields).strict();

/** The portfolio part of a run config after validation. */
export type PortfolioConfig = z.infer<typeof portfolioConfigSchema>;

/**
 * Cash precision of an extra account when the config gives none: the largest of 2, the asset's usual
 * precision (USDT 6, BTC 8: `DEFAULT_ASSET_PRECISIONS`) and pricePrecision + sizePrecision of each
 * instrument quoted in `currency`, at most 10 (the rule of the primary account, per currency).
 */
export function defaultBalancePrecision(currency: string, instruments: readonly Instrument[]): number {
  let p = Math.max(2, DEFAULT_ASSET_PRECISIONS[currency] ?? 2);
  for (const i of instruments) if (i.currency === currency) p = Math.max(p, i.pricePrecision + i.sizePrecision);
  return Math.min(p, 10);
}

/**
 * `PortfolioOptions` from the validated config fields: decimals to cash units (rounded to the
 * account's cash precision), default precisions from `defaultBalancePrecision`. Errors name
 * `account.balances.<i>.cash` when the cash does not fit in a safe integer.
 */
export function portfolioOptionsFromConfig(cfg: { balances?: PortfolioConfig['balances']; rates?: PortfolioConfig['rates'] }, instruments: readonly Instrument[]): PortfolioOptions {
  const balances: BalanceOptions[] = [];
  const issues: { path: string; message: string }[] = [];
  (cfg.balances ?? []).forEach((b, i) => {
    const cashPrecision = b.cashPrecision ?? defaultBalancePrecision(b.currency, instruments);
    const startingCash = Math.round(b.cash * 10 ** cashPrecision);
    if (!Number.isSafeInteger(startingCash)) issues.push({ path: `account.balances.${i}.cash`, message: `${b.cash} ${b.currency} does not fit in a safe integer of 10^-${cashPrecision} units` });
    balances.push({
      currency: b.currency,
      kind: b.kind,
      cashPrecision,
      startingCash,
      ...(b.venue !== undefined ? { venue: b.venue } : {}),
      ...(b.leverage !== undefined ? { leverage: b.leverage } : {}),
      ...(b.initialMarginRate !== undefined ? { initialMarginRate: b.initialMarginRate } : {}),
      ...(b.maintenanceMarginRate !== undefined ? { maintenanceMarginRate: b.maintenanceMarginRate } : {}),
      ...(b.liquidationFactor !== undefined ? { liquidationFactor: b.liquidationFactor } : {}),
    });
  });
  if (issues.length > 0) throw new ConfigError(issues);
  return { balances, ...(cfg.rates !== undefined ? { rates: cfg.rates } : {}) };
}
