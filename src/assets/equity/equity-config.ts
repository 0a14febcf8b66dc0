import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, DataError, MarketsimError } from '../../core/errors.ts';
import type { InstrumentRegistry } from '../../market/instrument.ts';
import type { InstrumentRules } from '../../market/venue.ts';
import type { ExchangeCalendar } from './calendar.ts';
import { loadCorporateActions, parseCorporateActions, type CorporateAction } from './corporate-actions.ts';
import { EquityMarket, type EquityMarketOptions } from './equity-market.ts';

/**
 * The `equity:` block of a run config (docs/equities.md, "Equity rules in a run") and the builder that
 * turns it into what a simulation needs: the venue's `rules`, the dividends as scheduled cash flows,
 * and the `EquityMarket` itself (for inspection). Errors name the config path.
 */

const corporateActionItem = z
  .object({
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected an ex-date YYYY-MM-DD'),
    symbol: z.string().min(1),
    type: z.enum(['SPLIT', 'CASH_DIVIDEND']),
    /** SPLIT: ratio new:old (`2`, `0.1`, `'3:2'`); CASH_DIVIDEND: dollars per share. */
    value: z.union([z.number().positive(), z.string().min(1)]),
    payDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a pay date YYYY-MM-DD').optional(),
  })
  .strict();

const borrowItem = z
  .object({
    symbol: z.string().min(1),
    status: z.enum(['ETB', 'HTB', 'NONE']),
    available: z.number().int().nonnegative().optional(),
    rate: z.number().nonnegative().optional(),
  })
  .strict();

const queueOrReject = z.enum(['QUEUE', 'REJECT']);

/** The zod schema of the `equity:` block (all fields optional; defaults in the docs). */
export const equityConfigSchema = z
  .object({
    /** Exchange calendar: XNYS (default) or XNAS. */
    exchange: z.enum(['XNYS', 'XNAS']).default('XNYS'),
    /** Symbols under the rules (default: every instrument with assetClass equity). */
    symbols: z.array(z.string().min(1)).optional(),
    /** Pre-market and after-hours sessions for orders that opt in (`extendedHours: true`); default true. */
    extendedHours: z.boolean().default(true),
    /** Corporate actions inline. */
    corporateActions: z.array(corporateActionItem).optional(),
    /** A corporate-action CSV file (date,symbol,type,value,pay_date), relative to the config's folder. */
    corporateActionsFile: z.string().min(1).optional(),
    /** Resting orders on a reverse split: cancel (default, FINRA 5330) or adjust. */
    reverseSplits: z.enum(['cancel', 'adjust']).default('cancel'),
    borrow: z
      .object({
        /** Status of symbols not listed (default ETB). */
        default: z.enum(['ETB', 'HTB', 'NONE']).optional(),
        etbRate: z.number().nonnegative().optional(),
        htbRate: z.number().nonnegative().optional(),
        list: z.array(borrowItem).default([]),
      })
      .strict()
      .optional(),
    /** Limit Up-Limit Down; `false` turns it off. */
    luld: z
      .union([
        z.literal(false),
        z
          .object({
            tier1: z.array(z.string().min(1)).default([]),
            bandPolicy: z.enum(['REPRICE', 'REJECT']).default('REPRICE'),
          })
          .strict(),
      ])
      .default({}),
    /** Market-wide circuit breaker on an index symbol present in the data (its bars, trades or quotes). */
    circuitBreaker: z
      .object({
        index: z.string().min(1),
        /** The index's close before the first day of data (default: the first value seen). */
        previousClose: z.number().positive().optional(),
        levelsPct: z.tuple([z.number(), z.number(), z.number()]).optional(),
        haltMinutes: z.number().positive().optional(),
      })
      .strict()
      .optional(),
    halts: z
      .object({
        orderPolicy: z.object({ limitOrders: queueOrReject, marketOrders: queueOrReject, stopOrders: queueOrReject }).partial().strict().default({}),
      })
      .strict()
      .optional(),
  })
  .strict();

/** The `equity:` block as written (before defaults). */
export type EquityConfigInput = z.input<typeof equityConfigSchema>;
/** The `equity:` block after validation and defaults. */
export type EquityConfig = z.output<typeof equityConfigSchema>;

/**
 * A dividend to holders of record, in the shape of the simulation's `ScheduledCashFlow`
 * (src/sim/cash-flows.ts; declared here because the assets ring does not import the sim ring).
 */
export interface EquityCashFlow {
  kind: 'DIVIDEND';
  symbol: string;
  /** When the holder of record is fixed, microseconds. */
  recordTime: number;
  /** When the cash moves, microseconds. */
  payTime: number;
  /** Dollars per share. */
  perUnit: number;
}

/** What `buildEquityRun` returns: spread `rules` into `VenueOptions` and `cashFlows` into `SimulationOptions`. */
export interface EquityRun {
  market: EquityMarket;
  /** `VenueOptions.rules`. */
  rules: (instrument: Parameters<EquityMarket['rules']>[0]) => InstrumentRules | undefined;
  /** Cash dividends of the registry's symbols as scheduled cash flows (record: ex-date start, pay: pay-date open). */
  cashFlows: EquityCashFlow[];
  /** The corporate actions in force. */
  actions: CorporateAction[];
}

/** Options of `buildEquityRun`. */
export interface BuildEquityRunOptions {
  /** Folder `corporateActionsFile` resolves against (default: the working directory). */
  baseDir?: string;
  /** Only dividends with an ex-date start at or after this time (microseconds) become cash flows. */
  from?: number;
  /** Only dividends with an ex-date start at or before this time become cash flows. */
  to?: number;
  /** Path prefix of error messages (default `equity`). */
  path?: string;
}

/**
 * Builds the equity rules of a run from its (validated, or raw) `equity:` block and the instrument
 * registry (after the data sources registered their instruments). Loads `corporateActionsFile`.
 */
export async function buildEquityRun(config: EquityConfigInput | EquityConfig, registry: InstrumentRegistry, options: BuildEquityRunOptions = {}): Promise<EquityRun> {
  const path = options.path ?? 'equity';
  const parsed = equityConfigSchema.safeParse(config);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => ({ path: [path, ...i.path].join('.'), message: i.message })));
  const c = parsed.data;
  const actions = await equityCorporateActions(c, options.baseDir ?? process.cwd(), path);
  const mo: EquityMarketOptions = {
    exchange: c.exchange,
    extendedHours: c.extendedHours,
    corporateActions: actions,
    reverseSplits: c.reverseSplits,
    ...(c.symbols ? { symbols: c.symbols } : {}),
    ...(c.borrow
      ? {
          borrow: {
            entries: c.borrow.list,
            defaults: { ...(c.borrow.default ? { status: c.borrow.default } : {}), ...(c.borrow.etbRate !== undefined ? { etbRate: c.borrow.etbRate } : {}), ...(c.borrow.htbRate !== undefined ? { htbRate: c.borrow.htbRate } : {}) },
          },
        }
      : {}),
    luld: c.luld === false ? false : { tier1: c.luld.tier1, bandPolicy: c.luld.bandPolicy },
    ...(c.circuitBreaker
      ? {
          circuitBreaker: {
            index: c.circuitBreaker.index,
            ...(c.circuitBreaker.previousClose !== undefined ? { previousClose: c.circuitBreaker.previousClose } : {}),
            options: {
              ...(c.circuitBreaker.levelsPct ? { levelsPct: c.circuitBreaker.levelsPct } : {}),
              ...(c.circuitBreaker.haltMinutes !== undefined ? { haltUs: Math.round(c.circuitBreaker.haltMinutes * 60_000_000) } : {}),
            },
          },
        }
      : {}),
    ...(c.halts ? { haltOrderPolicy: c.halts.orderPolicy } : {}),
  };
  let market: EquityMarket;
  try {
    market = new EquityMarket(mo);
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(e.issues.map((i) => ({ path: `${path}.${i.path.replace(/^borrow\[/, 'borrow.list[')}`, message: i.message })));
    // the circuit breaker's own checks (levels, halt length)
    if (e instanceof MarketsimError && e.code === 'CONFIG_INVALID') throw new ConfigError([{ path: `${path}.circuitBreaker`, message: e.message }]);
    throw e;
  }
  return { market, rules: (inst) => market.rules(inst), cashFlows: dividendCashFlows(actions, registry, market.calendar, options.from, options.to), actions };
}

/** Inline corporate actions, validated by the file parser; errors name `path[i].field`. */
/** The corporate actions of an `equity:` block: its file's and its inline ones, by ex-date. */
export async function equityCorporateActions(c: EquityConfig, baseDir: string, path = 'equity'): Promise<CorporateAction[]> {
  const actions: CorporateAction[] = [];
  if (c.corporateActionsFile !== undefined) actions.push(...(await loadCorporateActions(resolve(baseDir, c.corporateActionsFile))));
  if (c.corporateActions !== undefined) actions.push(...inlineActions(c.corporateActions, `${path}.corporateActions`));
  actions.sort((a, b) => a.day - b.day);
  return actions;
}

function inlineActions(items: EquityConfig['corporateActions'] & object, path: string): CorporateAction[] {
  const out: CorporateAction[] = [];
  items.forEach((a, i) => {
    const text = `date,symbol,type,value,pay_date\n${a.date},${a.symbol},${a.type},${String(a.value)},${a.payDate ?? ''}\n`;
    try {
      out.push(...parseCorporateActions(text, `${path}[${i}]`));
    } catch (e) {
      if (e instanceof DataError) throw new ConfigError([{ path: `${path}[${i}]`, message: e.message }]);
      throw e;
    }
  });
  return out;
}

/**
 * Cash dividends as scheduled cash flows: the holder of record is fixed at the start of the ex-date's
 * session (its pre-market open: the position held after the previous close), the cash moves at the
 * regular open of the pay date (or of the next session when the pay date is not one). Symbols not in
 * the registry are left out.
 */
export function dividendCashFlows(actions: readonly CorporateAction[], registry: InstrumentRegistry, cal: ExchangeCalendar, from = -Infinity, to = Infinity): EquityCashFlow[] {
  const out: EquityCashFlow[] = [];
  for (const a of actions) {
    if (a.type !== 'CASH_DIVIDEND' || registry.get(a.symbol) === undefined) continue;
    const ex = sessionOnOrAfter(cal, a.date);
    const recordTime = ex.preMarketOpen;
    if (recordTime < from || recordTime > to) continue;
    const pay = sessionOnOrAfter(cal, a.payDate);
    out.push({ kind: 'DIVIDEND', symbol: a.symbol, recordTime, payTime: Math.max(pay.open, recordTime), perUnit: a.amount });
  }
  return out;
}

function sessionOnOrAfter(cal: ExchangeCalendar, date: string): ReturnType<ExchangeCalendar['currentOrNextSession']> {
  const s = cal.session(date);
  if (s) return s;
  // noon UTC of the date is before any session of that date closes, so the next session is found
  return cal.currentOrNextSession(Date.parse(`${date}T12:00:00Z`) * 1000);
}
