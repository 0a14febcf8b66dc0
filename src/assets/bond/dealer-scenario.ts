import { ConfigError } from '../../core/errors.ts';
import type { Rng } from '../../core/rng.ts';
import type { Instrument } from '../../market/instrument.ts';
import { SourceState, type QuoteEvent } from '../../market/market-data.ts';
import type { CreditSpreadProcess } from './credit-spread.ts';
import type { BondRating } from './credit-ratings.ts';
import { DealerQuoteSource } from './dealer-quote-source.ts';
import type { DealerQuoteOptions } from './dealer-quotes.ts';
import { CirSimulator, type CirParams } from './dynamics/cir.ts';
import type { FixedCouponBond } from './dynamics/coupon-bond-pricer.ts';
import type { CurveDynamics } from './dynamics/curve-dynamics.ts';
import { DynamicNelsonSiegel, type DnsParams } from './dynamics/dynamic-nelson-siegel.ts';
import { HullWhiteModel, HullWhiteSimulator, flatCurve, type InitialCurve, type HullWhiteParams } from './dynamics/hull-white.ts';
import { MacroEventSchedule, type MacroEventSpec } from './dynamics/macro-events.ts';
import { VasicekSimulator, type VasicekParams } from './dynamics/vasicek.ts';

/**
 * One call from config to a running bond market: a curve model, a macro schedule and a dealer
 * quote source for one bond (the multi-asset example's US10Y). Random streams: the curve draws from
 * `rng.fork('curve')`, the macro surprises from `rng.fork('macro')`.
 */

/** Which curve model drives the bond. */
export type CurveModelName = 'dynamic-nelson-siegel' | 'vasicek' | 'cir' | 'hull-white';

/** A curve model choice with its parameters. */
export interface CurveModelConfig {
  model: CurveModelName;
  dns?: Partial<DnsParams>;
  vasicek?: Partial<VasicekParams>;
  cir?: Partial<CirParams>;
  hullWhite?: Partial<HullWhiteParams>;
  /** Hull-White's initial curve P(0, t) (default flat 4% continuously compounded). */
  initialCurve?: InitialCurve;
}

/** Builds the curve model (seeded from `rng`). Throws ConfigError for an unknown model name. */
export function createCurveModel(config: CurveModelConfig, rng: Rng): CurveDynamics {
  switch (config.model) {
    case 'dynamic-nelson-siegel':
      return new DynamicNelsonSiegel(config.dns ?? {}, rng);
    case 'vasicek':
      return new VasicekSimulator(config.vasicek ?? {}, rng);
    case 'cir':
      return new CirSimulator(config.cir ?? {}, rng);
    case 'hull-white':
      return new HullWhiteSimulator(new HullWhiteModel(config.initialCurve ?? flatCurve(0.04), config.hullWhite ?? {}), rng);
    default:
      throw new ConfigError([{ path: 'curve.model', message: `must be one of dynamic-nelson-siegel, vasicek, cir, hull-white; got ${JSON.stringify((config as { model: unknown }).model)}` }], 'curve model');
  }
}

/** Options of `bondDealerSource`. */
export interface BondDealerSourceOptions {
  rng: Rng;
  instrument: Instrument;
  bond: FixedCouponBond;
  start: number;
  end: number;
  intervalUs: number;
  /** Curve model (default dynamic Nelson-Siegel with `DEFAULT_DNS`). */
  curve?: CurveModelConfig;
  /** Macro events (rate decisions, CPI, payrolls). */
  macro?: readonly MacroEventSpec[];
  dealer?: DealerQuoteOptions;
  rating?: BondRating;
  credit?: CreditSpreadProcess;
  weekdaysOnly?: boolean;
  quoteSize?: number;
}

/** A dealer quote source for one bond on a seeded curve with macro events (see the module comment). */
export function bondDealerSource(o: BondDealerSourceOptions): DealerQuoteSource {
  const curve = createCurveModel(o.curve ?? { model: 'dynamic-nelson-siegel' }, o.rng.fork('curve'));
  const macro = o.macro && o.macro.length > 0 ? new MacroEventSchedule(o.macro, o.rng.fork('macro')) : undefined;
  return new DealerQuoteSource({
    instrument: o.instrument,
    curve,
    bond: o.bond,
    ...(macro ? { macro } : {}),
    ...(o.dealer ? { dealer: o.dealer } : {}),
    ...(o.rating ? { rating: o.rating } : {}),
    ...(o.credit ? { credit: o.credit } : {}),
    ...(o.weekdaysOnly !== undefined ? { weekdaysOnly: o.weekdaysOnly } : {}),
    ...(o.quoteSize !== undefined ? { quoteSize: o.quoteSize } : {}),
    start: o.start,
    end: o.end,
    intervalUs: o.intervalUs,
  });
}

/** A dealer price path: quote times with model, bid and ask prices (per 100). */
export interface DealerPath {
  times: number[];
  model: number[];
  bid: number[];
  ask: number[];
  /** Headlines of the news the source emitted, with their times. */
  news: { time: number; headline: string }[];
}

/** Drains a (synchronous) dealer source into arrays, for reports and tests. */
export function collectDealerPath(source: DealerQuoteSource): DealerPath {
  const out: DealerPath = { times: [], model: [], bid: [], ask: [], news: [] };
  for (;;) {
    const s = source.advance();
    if (s !== SourceState.Ready) break;
    const e = source.current;
    if (e.kind === 'quote') {
      out.times.push(e.time);
      out.model.push(source.modelPrice);
      out.bid.push(e.bidPrice);
      out.ask.push(e.askPrice);
    } else if (e.kind === 'news') {
      out.news.push({ time: e.time, headline: e.headline });
    }
  }
  return out;
}

/** Type guard for quote events of a dealer source. */
export function isQuote(e: { kind: string }): e is QuoteEvent {
  return e.kind === 'quote';
}
