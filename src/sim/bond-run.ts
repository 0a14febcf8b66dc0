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

const US_PER_DAY = 86_400_000_000;
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

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
  const source = new DealerQuoteSource({
    instrument,
    curve,
    bond: { couponRate: c.coupon / 100, maturity: microsFromDay(dayFromIso(c.maturity, `${path}.maturity`)), frequency: 2 },
    price: (d, t) => priceFromCurve(bond, d, settle(t)).cleanPrice,
    ...(macroSpecs.length > 0 ? { macro: new MacroEventSchedule(macroSpecs, own.fork('macro')) } : {}),
    start,
    end,
    intervalUs: Math.round(c.intervalMinutes * 60_000_000),
  }) as unknown as EventSource<MarketEvent>;
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
    accrued: (time) => bond.accruedInterest(settle(time)),
    rules: { isOpen: (time) => time >= start && time < end && !isUtcWeekend(time) },
    priceFromYield: (y, time) => cleanPriceFromYield(bond, y / 100, settle(time)),
    yieldFromPrice: (p, time) => 100 * yieldFromCleanPrice(bond, p, settle(time)),
  };
}

/** An order in yield for an instrument that has no yield conversion: the error names the symbol. */
export function yieldNotSupported(symbol: string): MarketsimError {
  return new MarketsimError('YIELD_NOT_SUPPORTED', `${symbol} is quoted only in price: orders in yield need a bond instrument`);
}
