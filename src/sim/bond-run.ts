import { z } from 'zod';
import { ConfigError, MarketsimError } from '../core/errors.ts';
import { microsFromIso } from '../core/time.ts';
import type { Rng } from '../core/rng.ts';
import type { Instrument, InstrumentRegistry } from '../market/instrument.ts';
import type { EventSource, MarketEvent } from '../market/market-data.ts';
import { Bond } from '../assets/bond/bond.ts';
import { bondInstrumentSpec } from '../assets/bond/dealer-quotes.ts';
import { createCurveModel } from '../assets/bond/dealer-scenario.ts';
import { DealerQuoteSource, isUtcWeekend } from '../assets/bond/dealer-quote-source.ts';
import type { InstrumentRules } from '../market/venue.ts';
import { MacroEventSchedule } from '../assets/bond/dynamics/macro-events.ts';
import type { BondSpecInput } from '../assets/bond/bond-spec.ts';
import { priceFromCurve } from '../assets/bond/curve-pricing.ts';
import { cleanPriceFromYield, yieldFromCleanPrice } from '../assets/bond/price-yield.ts';
import { dayFromIso, microsFromDay } from '../assets/bond/civil-date.ts';
import type { ScheduledCashFlow } from './cash-flows.ts';
import { CREDIT_RATINGS, letterRating, type CreditRating } from '../assets/bond/credit-ratings.ts';
import { CreditSpreadProcess, resolveCreditParams, type CreditParamsInput } from '../assets/bond/credit-spread.ts';
import type { SimulationPlugin } from './simulation.ts';
import { BondDefaultSettlement } from './bond-default.ts';

const US_PER_DAY = 86_400_000_000;
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

/** Per-rating overrides (bp or per year): only the letter grades of the credit scale are keys. */
const perRating = z
  .object(Object.fromEntries(CREDIT_RATINGS.map((r) => [r, z.number().optional()])) as Record<CreditRating, z.ZodOptional<z.ZodNumber>>)
  .strict()
  .optional();

/**
 * The issuer credit block of a corporate bond (docs/bonds.md, "Credit events in a run"): the options of
 * `CreditSpreadProcess` (docs/bond-dynamics.md, "Credit"). Value ranges are checked by
 * `resolveCreditParams`, whose errors name `<entry>.credit.<field>`.
 */
export const bondCreditSchema = z
  .object({
    /** Letter grade on the credit scale (AAA .. CCC); default: the letter grade of `bond.rating`. */
    rating: z.enum(CREDIT_RATINGS).optional(),
    /** Recovery rate R in [0, 1) (default 0.4): a default settles at 100 R per 100 face. */
    recovery: z.number().min(0, 'must be in [0, 1)').lt(1, 'must be in [0, 1)').optional(),
    /** Initial spread, bp (default the rating's long-run spread). */
    initialSpreadBp: z.number().optional(),
    /** Mean reversion of the log spread, per year (default 1). */
    kappa: z.number().optional(),
    /** Volatility of the log spread (default 0.3). */
    sigma: z.number().optional(),
    /** Spread jumps per year (default 0.5), log-jump mean (0.1) and sd (0.15). */
    jumpRate: z.number().optional(),
    jumpMean: z.number().optional(),
    jumpSd: z.number().optional(),
    /** Share of the gap to the new rating's spread jumped at a downgrade (default 0.5). */
    downgradeJump: z.number().optional(),
    /** Long-run spread by rating, bp (defaults `DEFAULT_SPREAD_BP`). */
    spreadBp: perRating,
    /** Downgrade intensity by rating, per year (defaults `DEFAULT_DOWNGRADE_RATE`). */
    downgradeRate: perRating,
  })
  .strict();

/** The credit block after validation. */
export type BondCreditConfig = z.infer<typeof bondCreditSchema>;

/**
 * A bond traded on a dealer venue in a run config (docs/bonds.md, "Bonds in a run"): its terms,
 * the curve model that moves it, scheduled macro events, and the dealer's quoting.
 */
export const bondSourceSchema = z
  .object({
    bond: z
      .object({
        symbol: z.string().min(1),
        kind: z.enum(['note', 'bond', 'corporate', 'zero']).default('note'),
        /** Annual coupon in percent (4.25 for a 4.25% note). */
        coupon: z.number().min(0).max(100),
        issue: isoDate,
        maturity: isoDate,
        rating: z.string().optional(),
        /** Quote grid: 1/32 to 1/256 of a point. */
        tick: z.union([z.literal(32), z.literal(64), z.literal(128), z.literal(256)]).default(256),
        /** Quotes from `start` to `end` (ISO 8601), every `intervalMinutes`, weekdays only. */
        start: z.string(),
        end: z.string(),
        intervalMinutes: z.number().positive().default(15),
        curve: z
          .object({
            model: z.enum(['dynamic-nelson-siegel', 'vasicek', 'cir', 'hull-white']).default('dynamic-nelson-siegel'),
            params: z.record(z.number()).optional(),
          })
          .strict()
          .default({}),
        /** Scheduled macro events that move the curve: rate decisions, CPI and payroll releases. */
        macro: z
          .array(
            z
              .object({
                time: z.string(),
                kind: z.enum(['rate-decision', 'cpi', 'payrolls']),
                expectedChangeBp: z.number().optional(),
                surpriseBp: z.number().optional(),
              })
              .strict(),
          )
          .default([]),
        /** Issuer credit (corporate bonds only): spread, downgrades and default, settled at recovery. */
        credit: bondCreditSchema.optional(),
      })
      .strict(),
  })
  .strict();

/** A bond entry of a run config after validation. */
export type BondSourceConfig = z.infer<typeof bondSourceSchema>;

/** What a bond entry adds to a run. */
export interface BondRun {
  instrument: Instrument;
  bond: Bond;
  source: EventSource<MarketEvent>;
  /** Accrued interest per 100 face for a trade at a time (settled T+1). */
  accrued: (time: number) => number;
  /** Coupons (and the principal at maturity) inside the quote window, per unit of size (one dollar of face). */
  cashFlows: ScheduledCashFlow[];
  /** Clean price per 100 of a yield (percent, street convention) for a trade at a time. */
  priceFromYield: (yieldPercent: number, time: number) => number;
  /** Yield in percent of a clean price for a trade at a time. */
  yieldFromPrice: (cleanPrice: number, time: number) => number;
  /** The dealer venue's hours: orders only on weekdays (UTC) inside the quote window, like its quotes. */
  rules: InstrumentRules;
  /** The issuer's credit process (with a `credit` block). */
  credit?: CreditSpreadProcess;
  /**
   * Settles a position at recovery when the issuer defaults (with a `credit` block): add it to the
   * simulation's `plugins` (src/sim/bond-default.ts).
   */
  plugin?: SimulationPlugin;
}

/** The credit process of a `credit` block, its errors naming `path` (the block's path). */
export function creditProcessOf(credit: BondCreditConfig, bondRating: string | undefined, rng: Rng, path: string): CreditSpreadProcess {
  const rating = credit.rating ?? (bondRating === undefined ? undefined : letterRating(bondRating));
  if (rating === undefined) {
    const why = bondRating === undefined ? 'the bond has no rating' : `the bond's rating ${JSON.stringify(bondRating)} has no letter grade on the credit scale`;
    throw new ConfigError([{ path: `${path}.rating`, message: `required: ${why}; give one of ${CREDIT_RATINGS.join(', ')}` }]);
  }
  const input: CreditParamsInput = { rating };
  for (const [k, v] of Object.entries(credit)) if (k !== 'rating' && v !== undefined) (input as Record<string, unknown>)[k] = v;
  // validate with this path (the process's own check would say `credit.<field>`)
  resolveCreditParams(input, path);
  return new CreditSpreadProcess(input, rng);
}

/** Microseconds of an ISO time in a config, or a ConfigError naming its path. */
function at(text: string, path: string): number {
  const t = microsFromIso(text);
  if (Number.isNaN(t)) throw new ConfigError([{ path, message: `not an ISO 8601 time: ${JSON.stringify(text)}` }]);
  return t;
}

/**
 * Builds a bond entry: registers the instrument (prices per 100, size in dollars of face, lots of
 * $1,000, ticks of 1/`tick`), opens its dealer quote source priced off the curve model with this
 * module's bond maths (so quotes, accrued interest and coupons agree), and lists its coupon flows.
 */
export function openBondRun(c: BondSourceConfig['bond'], registry: InstrumentRegistry, rng: Rng, path: string): BondRun {
  const start = at(c.start, `${path}.start`);
  const end = at(c.end, `${path}.end`);
  if (!(end > start)) throw new ConfigError([{ path: `${path}.end`, message: 'must be after start' }]);
  // the rating is checked against the notched scale by the bond's own schema (errors name `bond.rating`)
  const bond = Bond.from({ kind: c.kind, coupon: c.coupon / 100, issue: c.issue, maturity: c.maturity, symbol: c.symbol, ...(c.rating !== undefined ? { rating: c.rating } : {}) } as BondSpecInput, path);
  const instrument = registry.add(bondInstrumentSpec(c.symbol, c.tick));
  const settle = (time: number) => bond.settlementDate(Math.floor(time / US_PER_DAY));
  const params = c.curve.params ?? {};
  const curveKey = c.curve.model === 'dynamic-nelson-siegel' ? 'dns' : c.curve.model === 'hull-white' ? 'hullWhite' : c.curve.model;
  const own = rng.fork(`bond/${c.symbol}`);
  const curve = createCurveModel({ model: c.curve.model, [curveKey]: params }, own.fork('curve'));
  const macroSpecs = c.macro.map((m, k) => ({
    time: at(m.time, `${path}.macro.${k}.time`),
    kind: m.kind,
    ...(m.expectedChangeBp !== undefined ? { expectedChangeBp: m.expectedChangeBp } : {}),
    ...(m.surpriseBp !== undefined ? { surpriseBp: m.surpriseBp } : {}),
  }));
  let credit: CreditSpreadProcess | undefined;
  if (c.credit !== undefined) {
    if (c.kind !== 'corporate') throw new ConfigError([{ path: `${path}.credit`, message: `only for kind corporate (this bond is a ${c.kind})` }]);
    credit = creditProcessOf(c.credit, c.rating, own.fork('credit'), `${path}.credit`);
  }
  // without a credit process, a corporate bond's rating still widens the dealer's quotes
  const quoteRating = c.kind === 'corporate' && c.rating !== undefined ? letterRating(c.rating) : undefined;
  const dealerSource = new DealerQuoteSource({
    instrument,
    curve,
    bond: { couponRate: c.coupon / 100, maturity: microsFromDay(dayFromIso(c.maturity, `${path}.maturity`)), frequency: 2 },
    price: (d, t) => priceFromCurve(bond, d, settle(t)).cleanPrice,
    ...(macroSpecs.length > 0 ? { macro: new MacroEventSchedule(macroSpecs, own.fork('macro')) } : {}),
    start,
    end,
    intervalUs: Math.round(c.intervalMinutes * 60_000_000),
    ...(credit ? { credit } : quoteRating !== undefined ? { rating: quoteRating } : {}),
  });
  const source = dealerSource as unknown as EventSource<MarketEvent>;
  /** The default's time (Infinity while none): the dealer stops quoting, accrued interest stops. */
  const defaultTime = (): number => {
    const ev = dealerSource.creditEvents;
    const last = ev.length > 0 ? ev[ev.length - 1]! : undefined;
    return last !== undefined && last.type === 'default' ? last.time : Infinity;
  };
  const cashFlows: ScheduledCashFlow[] = [];
  for (const f of bond.cashflows()) {
    const pay = microsFromDay(dayFromIso(f.paymentDate, 'paymentDate'));
    if (pay < start || pay >= end) continue;
    // holders of record on the coupon date; amounts are per 100 face in `cashflows()`, here per dollar
    const record = Math.min(pay, microsFromDay(dayFromIso(f.couponDate, 'couponDate')));
    cashFlows.push({ kind: 'COUPON', symbol: c.symbol, recordTime: record, payTime: pay, perUnit: (f.interest + f.principal) / bond.spec.face });
  }
  return {
    instrument,
    bond,
    source,
    cashFlows,
    accrued: credit ? (time) => (time >= defaultTime() ? 0 : bond.accruedInterest(settle(time))) : (time) => bond.accruedInterest(settle(time)),
    // after a default the dealer no longer takes orders (MARKET_CLOSED)
    rules: { isOpen: credit ? (time) => time >= start && time < end && !isUtcWeekend(time) && time < defaultTime() : (time) => time >= start && time < end && !isUtcWeekend(time) },
    ...(credit ? { credit, plugin: new BondDefaultSettlement(instrument, cashFlows) } : {}),
    priceFromYield: (y, time) => cleanPriceFromYield(bond, y / 100, settle(time)),
    yieldFromPrice: (p, time) => 100 * yieldFromCleanPrice(bond, p, settle(time)),
  };
}

/** An order in yield for an instrument that has no yield conversion: the error names the symbol. */
export function yieldNotSupported(symbol: string): MarketsimError {
  return new MarketsimError('YIELD_NOT_SUPPORTED', `${symbol} is quoted only in price: orders in yield need a bond instrument`);
}
