import type { Command } from 'commander';
import { MarketsimError } from '../core/errors.ts';
import { Bond } from '../assets/bond/bond.ts';
import { BOND_KINDS, RATINGS, type BondKind, type BondSpecInput, type Rating } from '../assets/bond/bond-spec.ts';
import { dayFromIso, isoFromDay } from '../assets/bond/civil-date.ts';
import { parseDayCount } from '../assets/bond/day-count.ts';
import { parsePrice, formatPrice32 } from '../assets/bond/quote-32nds.ts';
import { analyticsFromCleanPrice, analyticsFromYield, type BondAnalytics } from '../assets/bond/risk.ts';
import { cycleDate, type Frequency } from '../assets/bond/schedule.ts';
import { billBondEquivalentYield, billDiscountFromPrice, billMoneyMarketYield, billYearDays } from '../assets/bond/money-market.ts';

/** Flags of `marketsim bond`. */
export interface BondFlags {
  coupon?: string;
  maturity: string;
  settle?: string;
  tradeDate?: string;
  yield?: string;
  price?: string;
  issue?: string;
  dayCount?: string;
  frequency?: string;
  kind?: string;
  rating?: string;
  lastPeriod?: string;
  json?: boolean;
}

/** The JSON document of `marketsim bond --json`: prices per 100 face, yield and coupon in percent. */
export interface BondReport extends BondAnalytics {
  instrument: { kind: BondKind; coupon: number; issue: string; maturity: string; frequency: number; dayCount: string; quoteStyle: string; rating?: string };
  settle: string;
  /** Clean price in 32nds (Treasuries), rounded to the nearest 1/256. */
  cleanPrice32?: string;
  previousCoupon: string;
  nextCoupon: string;
  /** Bills only (percent): discount rate, investment rate (bond-equivalent) and money-market yield. */
  bill?: { days: number; discountRate: number; investmentRate: number; moneyMarketYield: number };
}

function bad(flag: string, message: string): never {
  throw new MarketsimError('CLI_INVALID', `${flag}: ${message}`);
}

function percent(flag: string, text: string | undefined): number {
  const x = Number(text);
  if (text === undefined || text.trim() === '' || !Number.isFinite(x)) bad(flag, `expected a number in percent (4.25), got ${JSON.stringify(text)}`);
  return x;
}

/**
 * The action of `marketsim bond`: builds the bond (a US Treasury note by default), solves price or
 * yield and prints the analytics (docs/bonds.md). Yield and coupon are in percent on the command line.
 */
export function bondAction(flags: BondFlags, write: (text: string) => void = (t) => process.stdout.write(t)): BondReport {
  const kind = (flags.kind ?? 'note') as BondKind;
  if (!BOND_KINDS.includes(kind)) bad('--kind', `expected one of ${BOND_KINDS.join(', ')}, got ${JSON.stringify(flags.kind)}`);
  const coupon = kind === 'bill' || kind === 'zero' ? (flags.coupon === undefined ? 0 : percent('--coupon', flags.coupon)) : percent('--coupon', flags.coupon);
  const frequency = flags.frequency === undefined ? 2 : Number(flags.frequency);
  if (![1, 2, 4, 12].includes(frequency)) bad('--frequency', `expected 1, 2, 4 or 12, got ${JSON.stringify(flags.frequency)}`);
  if ((flags.yield === undefined) === (flags.price === undefined)) bad('--yield/--price', 'give exactly one of --yield (percent) or --price (99-16+ or 99.5)');
  const maturity = dayFromIso(flags.maturity, '--maturity');
  let settle: number;
  const specBase: BondSpecInput = { kind, coupon: coupon / 100, maturity: flags.maturity, issue: flags.maturity, frequency: frequency as Frequency };
  if (flags.dayCount !== undefined) specBase.dayCount = parseDayCount(flags.dayCount, '--day-count');
  if (flags.rating !== undefined) {
    if (!(RATINGS as readonly string[]).includes(flags.rating)) bad('--rating', `expected one of ${RATINGS.join(', ')}, got ${JSON.stringify(flags.rating)}`);
    specBase.rating = flags.rating as Rating;
  } else if (kind === 'corporate') specBase.rating = 'BBB';
  if (flags.lastPeriod !== undefined) {
    if (flags.lastPeriod !== 'compound' && flags.lastPeriod !== 'simple') bad('--last-period', `expected compound or simple, got ${JSON.stringify(flags.lastPeriod)}`);
    specBase.lastPeriod = flags.lastPeriod;
  }
  if (flags.settle !== undefined) settle = dayFromIso(flags.settle, '--settle');
  else if (flags.tradeDate !== undefined) {
    const probe = Bond.from({ ...specBase, issue: isoFromDay(maturity - 4000) }, 'bond');
    settle = probe.settlementDate(dayFromIso(flags.tradeDate, '--trade-date'));
  } else bad('--settle', 'give the settlement date (--settle YYYY-MM-DD) or a trade date (--trade-date, settled T+1)');
  if (settle >= maturity) bad('--settle', `maturity ${flags.maturity} must be after settlement ${isoFromDay(settle)}`);
  let issue: string;
  if (flags.issue !== undefined) issue = isoFromDay(dayFromIso(flags.issue, '--issue'));
  else {
    let k = 0;
    let d = maturity;
    while (d > settle) d = cycleDate(maturity, ++k, frequency as Frequency, true);
    issue = isoFromDay(d);
  }
  const bond = Bond.from({ ...specBase, issue }, 'bond');
  let a: BondAnalytics;
  if (flags.yield !== undefined) a = analyticsFromYield(bond, percent('--yield', flags.yield) / 100, settle);
  else a = analyticsFromCleanPrice(bond, parsePrice(flags.price!, '--price'), settle);
  const i = bond.periodIndex(settle);
  const spec = bond.spec;
  const report: BondReport = {
    instrument: { kind, coupon, issue, maturity: spec.maturity, frequency, dayCount: spec.dayCount, quoteStyle: spec.quoteStyle, ...(spec.rating ? { rating: spec.rating } : {}) },
    settle: isoFromDay(settle),
    cleanPrice: a.cleanPrice,
    ...(spec.quoteStyle === '32nds' ? { cleanPrice32: formatPrice32(a.cleanPrice) } : {}),
    dirtyPrice: a.dirtyPrice,
    accruedInterest: a.accruedInterest,
    yield: a.yield * 100,
    macaulayDuration: a.macaulayDuration,
    modifiedDuration: a.modifiedDuration,
    convexity: a.convexity,
    dv01: a.dv01,
    previousCoupon: isoFromDay(bond.periods[i]!.accrualStart),
    nextCoupon: isoFromDay(bond.periods[i]!.couponDate),
  };
  if (kind === 'bill') {
    const days = maturity - settle;
    report.bill = {
      days,
      discountRate: billDiscountFromPrice(a.cleanPrice, days) * 100,
      investmentRate: billBondEquivalentYield(a.cleanPrice, days, billYearDays(settle)) * 100,
      moneyMarketYield: billMoneyMarketYield(a.cleanPrice, days) * 100,
    };
  }
  if (flags.json) write(JSON.stringify(report) + '\n');
  else {
    const r = report;
    write(
      [
        `${kind} ${coupon}% ${spec.maturity} (${spec.dayCount}, ${frequency}/yr) settling ${r.settle}`,
        `  clean price        ${r.cleanPrice.toFixed(6)}${r.cleanPrice32 ? `  (${r.cleanPrice32})` : ''}`,
        `  accrued interest   ${r.accruedInterest.toFixed(6)}  (since ${r.previousCoupon}, next coupon ${r.nextCoupon})`,
        `  dirty price        ${r.dirtyPrice.toFixed(6)}`,
        `  yield              ${r.yield.toFixed(6)}%`,
        `  Macaulay duration  ${r.macaulayDuration.toFixed(6)}`,
        `  modified duration  ${r.modifiedDuration.toFixed(6)}`,
        `  convexity          ${r.convexity.toFixed(6)}`,
        `  DV01 (per 100)     ${r.dv01.toFixed(6)}`,
        ...(r.bill ? [`  bill (${r.bill.days} days)  discount ${r.bill.discountRate.toFixed(6)}%, investment rate ${r.bill.investmentRate.toFixed(6)}%, money-market ${r.bill.moneyMarketYield.toFixed(6)}%`] : []),
      ].join('\n') + '\n',
    );
  }
  return report;
}

/**
 * Adds `marketsim bond --coupon PCT --maturity DATE (--settle DATE | --trade-date DATE)
 * (--yield PCT | --price QUOTE) [--issue DATE] [--day-count DC] [--frequency N] [--kind K] [--json]`.
 */
export function registerBondCommand(program: Command, write?: (text: string) => void): void {
  program
    .command('bond')
    .description('price, yield, accrued interest, duration, convexity and DV01 of a bond (docs/bonds.md)')
    .option('--coupon <pct>', 'annual coupon in percent (4.25)')
    .requiredOption('--maturity <date>', 'maturity date YYYY-MM-DD')
    .option('--settle <date>', 'settlement date YYYY-MM-DD')
    .option('--trade-date <date>', 'trade date; settlement is T+1 US government business days')
    .option('--yield <pct>', 'yield to maturity in percent, compounded --frequency times a year')
    .option('--price <quote>', 'clean price per 100: 32nds (99-16+, 101-08) or decimal (99.515625)')
    .option('--issue <date>', 'issue (dated) date; default: the coupon date on or before settlement (a regular first period)')
    .option('--day-count <dc>', 'ACT/ACT (default for Treasuries), 30/360, ACT/360 or ACT/365F')
    .option('--frequency <n>', 'coupons per year: 1, 2, 4 or 12', '2')
    .option('--kind <kind>', `instrument kind: ${BOND_KINDS.join(', ')}`, 'note')
    .option('--rating <r>', 'issuer rating for --kind corporate (default BBB)')
    .option('--last-period <c>', 'last coupon period discounting: compound (default) or simple')
    .option('--json', 'print one JSON document')
    .action((flags: BondFlags) => {
      bondAction(flags, write);
    });
}
