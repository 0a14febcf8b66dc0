import { z } from 'zod';
import { ConfigError } from '../../core/errors.ts';
import { BUSINESS_DAY_RULES, CALENDAR_NAMES, type BusinessDayRule, type CalendarName } from './business-days.ts';
import { addMonths, dayFromIso, isoFromDay } from './civil-date.ts';
import { DAY_COUNTS, parseDayCount, type DayCount } from './day-count.ts';
import type { Frequency } from './schedule.ts';

/**
 * Kinds of bond this module prices. `bill`: a Treasury bill (no coupon, quoted on a discount basis,
 * see money-market.ts); `note` / `bond`: Treasury notes (2-10 years) and bonds (20-30 years);
 * `corporate`: a fixed-coupon corporate bond with an issuer rating; `zero`: a zero-coupon bond
 * (e.g. a STRIPS). Agency MBS pass-throughs live in mbs*.ts.
 */
export type BondKind = 'bill' | 'note' | 'bond' | 'corporate' | 'zero';

/** All bond kinds. */
export const BOND_KINDS: readonly BondKind[] = ['bill', 'note', 'bond', 'corporate', 'zero'];

/** How prices are quoted: Treasury 32nds (`99-16+`) or decimals (`99.515625`). */
export type QuoteStyle = '32nds' | 'decimal';

/** Issuer credit ratings (S&P / Fitch letter scale), best first. */
export const RATINGS = ['AAA', 'AA+', 'AA', 'AA-', 'A+', 'A', 'A-', 'BBB+', 'BBB', 'BBB-', 'BB+', 'BB', 'BB-', 'B+', 'B', 'B-', 'CCC+', 'CCC', 'CCC-', 'CC', 'C', 'D'] as const;

/** One rating of `RATINGS`. */
export type Rating = (typeof RATINGS)[number];

/** How the last coupon period discounts: compound (31 CFR 356 Appendix B, the default) or simple interest (SIFMA / Excel money-market convention). */
export type LastPeriodConvention = 'compound' | 'simple';

/**
 * A fixed-coupon bond, fully specified. Rates are decimal fractions (`coupon: 0.0425` is 4.25%),
 * dates are `YYYY-MM-DD`, prices everywhere are per 100 of face.
 */
export interface BondSpec {
  /** Ticker-like name (`US10Y`, `T 4.25 11/15/35`); optional. */
  symbol?: string | undefined;
  kind: BondKind;
  /** Issuer name (corporates). */
  issuer?: string | undefined;
  /** Issuer rating (corporates). */
  rating?: Rating | undefined;
  /** Annual coupon rate as a fraction (0 for bills and zeros). */
  coupon: number;
  /** Issue (dated) date: interest accrues from here. */
  issue: string;
  maturity: string;
  /** First coupon date when it is not the first date of the maturity's cycle after issue (long first coupon). */
  firstCoupon?: string | undefined;
  /** Coupons per year (for zeros and bills: the compounding frequency of the yield). */
  frequency: Frequency;
  dayCount: DayCount;
  /** Face (principal) of one bond in currency units, for cash-flow amounts (prices stay per 100). */
  face: number;
  /** Business-day calendar of settlement and payment dates. */
  calendar: CalendarName;
  /** Business-day rule of payment dates. */
  businessDay: BusinessDayRule;
  /** Settlement lag in business days (T+1 for Treasuries and, since May 2024, US corporates). */
  settlementLag: number;
  quoteStyle: QuoteStyle;
  /** End-of-month rule of the coupon schedule. */
  eom: boolean;
  /** Accrue on adjusted payment dates (default false: on unadjusted coupon dates). */
  adjustAccrual: boolean;
  lastPeriod: LastPeriodConvention;
}

const isoDate = z.string().refine((s) => {
  try {
    dayFromIso(s);
    return true;
  } catch {
    return false;
  }
}, 'expected a calendar date YYYY-MM-DD');

const dayCountSchema = z.string().transform((s, ctx) => {
  try {
    return parseDayCount(s);
  } catch {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `unknown day count ${JSON.stringify(s)} (expected one of ${DAY_COUNTS.join(', ')})` });
    return z.NEVER;
  }
});

const specSchema = z
  .object({
    symbol: z.string().min(1).optional(),
    kind: z.enum(BOND_KINDS as [BondKind, ...BondKind[]]).default('note'),
    issuer: z.string().min(1).optional(),
    rating: z.enum(RATINGS).optional(),
    coupon: z.number().finite().min(0).max(1, 'coupon is a fraction (0.0425 for 4.25%), at most 1').optional(),
    issue: isoDate,
    maturity: isoDate,
    firstCoupon: isoDate.optional(),
    frequency: z.union([z.literal(1), z.literal(2), z.literal(4), z.literal(12)]).default(2),
    dayCount: dayCountSchema.optional(),
    face: z.number().finite().positive().default(100),
    calendar: z.enum(CALENDAR_NAMES as [CalendarName, ...CalendarName[]]).default('US-GOV'),
    businessDay: z.enum(BUSINESS_DAY_RULES as [BusinessDayRule, ...BusinessDayRule[]]).default('following'),
    settlementLag: z.number().int().min(0).max(30).default(1),
    quoteStyle: z.enum(['32nds', 'decimal']).optional(),
    eom: z.boolean().default(true),
    adjustAccrual: z.boolean().default(false),
    lastPeriod: z.enum(['compound', 'simple']).default('compound'),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (dayFromIso(s.maturity) <= dayFromIso(s.issue)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['maturity'], message: `maturity ${s.maturity} must be after the issue date ${s.issue}` });
    if ((s.kind === 'bill' || s.kind === 'zero') && s.coupon !== undefined && s.coupon !== 0) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['coupon'], message: `a ${s.kind} pays no coupon (got ${s.coupon})` });
    if ((s.kind === 'note' || s.kind === 'bond' || s.kind === 'corporate') && s.coupon === undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['coupon'], message: `a ${s.kind} needs a coupon rate` });
    if (s.kind === 'corporate' && s.rating === undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['rating'], message: `a corporate bond needs an issuer rating (${RATINGS.join(', ')})` });
  });

/** The input form of a `BondSpec`: everything but `issue` and `maturity` (and `coupon` for notes, bonds and corporates) has a default. */
export type BondSpecInput = z.input<typeof specSchema>;

/**
 * Validates a bond description and fills the defaults: kind `note`, semi-annual, ACT/ACT for
 * Treasuries and zeros, 30/360 for corporates, ACT/360 for bills, face 100, calendar `US-GOV`,
 * `following`, T+1, 32nds for Treasury notes and bonds (decimal otherwise), end-of-month rule on, compound last period.
 * Throws a ConfigError naming each bad field (`bond.maturity: ...`).
 */
export function parseBondSpec(input: unknown, source = 'bond'): BondSpec {
  const r = specSchema.safeParse(input);
  if (!r.success) {
    throw new ConfigError(
      r.error.issues.map((i) => ({ path: [source, ...i.path].join('.'), message: i.message })),
      source,
    );
  }
  const s = r.data;
  const treasury = s.kind === 'note' || s.kind === 'bond'; // bills are quoted by discount rate
  const dayCount: DayCount = s.dayCount ?? (s.kind === 'corporate' ? '30/360' : s.kind === 'bill' ? 'ACT/360' : 'ACT/ACT');
  return {
    symbol: s.symbol,
    kind: s.kind,
    issuer: s.issuer,
    rating: s.rating,
    coupon: s.coupon ?? 0,
    issue: s.issue,
    maturity: s.maturity,
    firstCoupon: s.firstCoupon,
    frequency: s.frequency,
    dayCount,
    face: s.face,
    calendar: s.calendar,
    businessDay: s.businessDay,
    settlementLag: s.settlementLag,
    quoteStyle: s.quoteStyle ?? (treasury ? '32nds' : 'decimal'),
    eom: s.eom,
    adjustAccrual: s.adjustAccrual,
    lastPeriod: s.lastPeriod,
  };
}

/** A maturity date `years` after a date (end-of-month kept). */
export function yearsAfter(date: string, years: number): string {
  return isoFromDay(addMonths(dayFromIso(date), Math.round(years * 12), true));
}
