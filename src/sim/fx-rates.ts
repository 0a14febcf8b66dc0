import { MarketsimError } from '../core/errors.ts';
import type { Instrument } from '../market/instrument.ts';
import type { MarketEvent } from '../market/market-data.ts';
import { divRound, parseDecimalBig, significantDecimals } from '../assets/crypto/int.ts';

/**
 * Exchange rates into one reporting currency, exact (docs/accounts.md, "Multi-currency and
 * multi-venue portfolios").
 *
 * A rate is the price of one whole unit of a currency in whole units of the reporting currency, held
 * as a reduced positive BigInt fraction. Rates come from:
 * - **fixed rates** (pegged assets, `account.rates` in a run config: `{ USDT: '1' }`), which always win;
 * - **pair instruments** the run sees: any instrument whose symbol is `BASE/QUOTE` (spot, no `:`), or an
 *   `fx` instrument with a six-letter symbol (`EURUSD` = EUR/USD). Its current price gives one
 *   `BASE` in `QUOTE`: the exact quote mid `(bid + ask) / 2`, the bar close, the trade price, or the
 *   venue's last price for book events. A pair works both ways (`USD/USDT` gives USDT in USD as 1 / price)
 *   and pairs chain (`BTC/USDT` then `USDT/USD` gives BTC in USD): the shortest chain from the
 *   reporting currency wins, ties going to the pair listed first. A non-positive price is ignored.
 *
 * Not `PriceTable` (src/assets/crypto/valuation.ts): that one holds decimal prices, and an inverse
 * pair's 1 / price or a quote mid is not a decimal of bounded length; fractions keep both exact.
 */

/** An exact positive rational `num / den` (BigInt, reduced, den > 0). */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

/** The two currencies of a pair instrument: one `base` costs `price` units of `quote`. */
export interface CurrencyPair {
  readonly base: string;
  readonly quote: string;
}

const ONE: Rational = { num: 1n, den: 1n };
const PAIR = /^([A-Z0-9]{2,20})\/([A-Z0-9]{2,20})$/;
const FX6 = /^([A-Z]{3})([A-Z]{3})$/;

/** Greatest common divisor of two non-negative BigInts. */
function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/** `num / den` reduced, with a positive denominator. */
export function rational(num: bigint, den: bigint): Rational {
  if (den === 0n) throw new RangeError('rational: zero denominator');
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const g = gcd(num < 0n ? -num : num, den);
  return g > 1n ? { num: num / g, den: den / g } : { num, den };
}

/** a * b, reduced. */
export function mulRational(a: Rational, b: Rational): Rational {
  return rational(a.num * b.num, a.den * b.den);
}

/** a + b, reduced. */
export function addRational(a: Rational, b: Rational): Rational {
  if (a.den === b.den) return rational(a.num + b.num, a.den);
  return rational(a.num * b.den + b.num * a.den, a.den * b.den);
}

/** `r` rounded once to an integer, half away from zero. */
export function roundRational(r: Rational): bigint {
  return divRound(r.num, r.den, 'half');
}

/** `r` as a decimal string with `digits` decimals (rounded half away from zero), for reports. */
export function formatRational(r: Rational, digits = 10): string {
  const scaled = divRound(r.num * 10n ** BigInt(digits), r.den, 'half');
  const neg = scaled < 0n;
  const s = (neg ? -scaled : scaled).toString().padStart(digits + 1, '0');
  const out = digits === 0 ? s : `${s.slice(0, s.length - digits)}.${s.slice(s.length - digits)}`.replace(/\.?0+$/, '');
  return neg ? `-${out}` : out;
}

/**
 * Parses a positive rate given as a decimal string (`'1'`, `'0.9998'`) or a finite number (through its
 * shortest decimal representation) into an exact fraction; throws `MarketsimError` `FX_RATE_INVALID`
 * naming `where`.
 */
export function parseRate(value: string | number, where: string): Rational {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : String(value);
  const digits = /e/i.test(text) ? -1 : significantDecimals(text);
  const units = digits < 0 || digits > 30 ? undefined : parseDecimalBig(text, digits);
  if (units === undefined || units <= 0n) {
    throw new MarketsimError('FX_RATE_INVALID', `${where}: a rate must be a positive plain decimal (e.g. '1' or '0.9998'), got ${JSON.stringify(value)}`);
  }
  return rational(units, 10n ** BigInt(digits));
}

/**
 * The currency pair an instrument quotes, or undefined: `BASE/QUOTE` symbols (no `:` contract suffix),
 * or six-letter symbols of `fx` instruments (`EURUSD`).
 */
export function pairOf(inst: Instrument): CurrencyPair | undefined {
  const m = PAIR.exec(inst.symbol);
  if (m !== null) return m[1] === m[2] ? undefined : { base: m[1]!, quote: m[2]! };
  if (inst.assetClass === 'fx') {
    const f = FX6.exec(inst.symbol);
    if (f !== null && f[1] !== f[2]) return { base: f[1]!, quote: f[2]! };
  }
  return undefined;
}

/** Exchange rates into `reporting` from fixed rates and the prices of pair instruments (see the module comment). */
export class FxRates {
  /** The reporting currency (worth 1). */
  readonly reporting: string;
  private readonly fixed = new Map<string, Rational>();
  private readonly pairs: { inst: Instrument; base: string; quote: string }[] = [];
  /** Per instrument id: index into `pairs`, or -1. */
  private readonly pairIndex: number[] = [];
  /** Current price of each pair as `num / den` of a `quote` per `base` (safe integers; NaN until seen), and its time. */
  private readonly priceNum: number[] = [];
  private readonly priceDen: number[] = [];
  private readonly priceTime: number[] = [];

  /** `fixed`: rates of pegged currencies into `reporting` (decimal strings or numbers), checked by `parseRate`. */
  constructor(reporting: string, fixed: Readonly<Record<string, string | number>> = {}) {
    if (typeof reporting !== 'string' || reporting.length === 0) throw new MarketsimError('FX_RATE_INVALID', 'FxRates: the reporting currency must be a non-empty string');
    this.reporting = reporting;
    for (const [cur, v] of Object.entries(fixed)) {
      const r = parseRate(v, `rates.${cur}`);
      if (cur === reporting) {
        if (r.num !== r.den) {
          throw new MarketsimError('FX_RATE_INVALID', `rates.${cur}: ${cur} is the reporting currency, its rate is 1 (got ${JSON.stringify(v)})`);
        }
        continue;
      }
      this.fixed.set(cur, r);
    }
  }

  /** Registers `inst` when it is a pair instrument (see `pairOf`); returns whether it is one. Idempotent. */
  addInstrument(inst: Instrument): boolean {
    for (let i = this.pairIndex.length; i <= inst.id; i++) this.pairIndex.push(-1);
    if (this.pairIndex[inst.id]! >= 0) return true;
    const p = pairOf(inst);
    if (p === undefined) return false;
    this.pairIndex[inst.id] = this.pairs.length;
    this.pairs.push({ inst, base: p.base, quote: p.quote });
    this.priceNum.push(NaN);
    this.priceDen.push(NaN);
    this.priceTime.push(NaN);
    return true;
  }

  /** True when `inst` is a registered pair instrument (hot path: an array read). */
  isPair(inst: Instrument): boolean {
    return inst.id < this.pairIndex.length && this.pairIndex[inst.id]! >= 0;
  }

  /**
   * Takes the current price of a pair instrument from a data event (hot path, allocation-free): a quote's
   * exact mid, a bar's close, a trade's price; for other events `lastPrice` (price units, the venue's).
   * Non-positive or missing prices leave the previous rate.
   */
  observe(inst: Instrument, e: MarketEvent, lastPrice: number): void {
    const k = inst.id < this.pairIndex.length ? this.pairIndex[inst.id]! : -1;
    if (k < 0) return;
    const scale = inst.priceScale;
    let num: number;
    let den = scale;
    if (e.kind === 'quote') {
      num = Math.round(e.bidPrice * scale) + Math.round(e.askPrice * scale);
      den = 2 * scale;
      if (!(e.bidPrice > 0 && e.askPrice > 0)) num = NaN;
    } else if (e.kind === 'bar') num = Math.round(e.close * scale);
    else if (e.kind === 'trade') num = Math.round(e.price * scale);
    else num = lastPrice;
    if (!(num > 0) || !Number.isSafeInteger(num)) return;
    this.priceNum[k] = num;
    this.priceDen[k] = den;
    this.priceTime[k] = e.time;
  }

  /** Sets the price of a pair instrument by hand: `units` price units (> 0) of its quote per base. */
  setPrice(inst: Instrument, units: number, time = NaN): void {
    if (!this.addInstrument(inst)) throw new MarketsimError('FX_RATE_INVALID', `FxRates.setPrice: ${inst.symbol} is not a currency pair (BASE/QUOTE)`);
    if (!Number.isSafeInteger(units) || units <= 0) throw new MarketsimError('FX_RATE_INVALID', `FxRates.setPrice (${inst.symbol}): price must be a positive safe integer of price units, got ${units}`);
    const k = this.pairIndex[inst.id]!;
    this.priceNum[k] = units;
    this.priceDen[k] = inst.priceScale;
    this.priceTime[k] = time;
  }

  /** The fixed rate of `currency`, if configured. */
  fixedRate(currency: string): Rational | undefined {
    return currency === this.reporting ? ONE : this.fixed.get(currency);
  }

  /**
   * Every rate known now (the reporting currency, fixed rates and all currencies reachable through priced
   * pairs), by currency. Breadth-first from the reporting currency and the fixed rates: a currency gets
   * its rate from the shortest chain of pairs; within one step, pairs in the order they were listed.
   */
  rates(): Map<string, Rational> {
    const known = new Map<string, Rational>();
    known.set(this.reporting, ONE);
    for (const [c, r] of this.fixed) known.set(c, r);
    let added = true;
    while (added) {
      added = false;
      const step: [string, Rational][] = [];
      const seen = new Set<string>();
      for (let k = 0; k < this.pairs.length; k++) {
        const n = this.priceNum[k]!;
        if (n !== n) continue;
        const p = this.pairs[k]!;
        const price = rational(BigInt(n), BigInt(this.priceDen[k]!));
        const qb = known.get(p.quote);
        const bb = known.get(p.base);
        if (qb !== undefined && bb === undefined && !seen.has(p.base)) {
          step.push([p.base, mulRational(price, qb)]);
          seen.add(p.base);
        } else if (bb !== undefined && qb === undefined && !seen.has(p.quote)) {
          step.push([p.quote, mulRational({ num: price.den, den: price.num }, bb)]);
          seen.add(p.quote);
        }
      }
      for (const [c, r] of step) known.set(c, r);
      added = step.length > 0;
    }
    return known;
  }

  /** The rate of `currency` into the reporting currency now, or undefined when none is known. */
  rate(currency: string): Rational | undefined {
    const f = this.fixedRate(currency);
    if (f !== undefined) return f;
    return this.rates().get(currency);
  }

  /** The rate of `currency`, or a `MarketsimError` `FX_RATE_MISSING` that names the currency and how to give one. */
  require(currency: string): Rational {
    const r = this.rate(currency);
    if (r === undefined) throw this.missing(currency);
    return r;
  }

  /** The `FX_RATE_MISSING` error for `currency` (names the pairs that could give it and the config key). */
  missing(currency: string, context = ''): MarketsimError {
    const related = this.pairs.filter((p) => p.base === currency || p.quote === currency).map((p) => p.inst.symbol);
    const seen = related.length > 0 ? `the pairs ${related.join(', ')} have no price yet or do not lead to ${this.reporting}` : `no ${currency}/${this.reporting} or ${this.reporting}/${currency} instrument is in the data`;
    return new MarketsimError(
      'FX_RATE_MISSING',
      `no exchange rate of ${currency} in ${this.reporting}${context}: ${seen}; add a ${currency}/${this.reporting} (or ${this.reporting}/${currency}) quote or bar stream before the first valuation, or a fixed rate account.rates.${currency}`,
    );
  }

  /** Every registered pair with its current price (decimal string, or null before the first) and time, for reports. */
  prices(): { symbol: string; base: string; quote: string; price: string | null; time: number }[] {
    return this.pairs.map((p, k) => {
      const n = this.priceNum[k]!;
      return { symbol: p.inst.symbol, base: p.base, quote: p.quote, price: n === n ? formatRational(rational(BigInt(n), BigInt(this.priceDen[k]!))) : null, time: this.priceTime[k]! };
    });
  }
}
