import { ConfigError } from '../../core/errors.ts';
import type { Rng } from '../../core/rng.ts';
import type { Instrument } from '../../market/instrument.ts';
import type { EventSource, NewsEvent, QuoteEvent, StatusEvent, TradeEvent } from '../../market/market-data.ts';
import { BatchSource } from '../batch-source.ts';
import { YEAR_US } from '../gbm.ts';
import { HawkesThinning } from './hawkes.ts';
import { NewsOverlay, type NewsInput } from './news-overlay.ts';
import { NewsImpactModel } from './news-sim.ts';
import type { PathStepper } from './simulate.ts';

/**
 * Microstructure from a latent price path: L1 quotes on the tick grid and trade prints at the quote
 * (Roll's bid-ask bounce), Hawkes or Poisson trade arrivals, heavy-tailed sizes in whole lots,
 * autocorrelated trade signs, and a spread and activity that rise with recent volatility.
 * Equations and defaults: docs/models.md, section "Microstructure".
 *
 * Time runs on a grid of `gridUs`. At each grid point k the latent price L_k is sampled, and
 *
 *     r_k = ln(L_k / L_(k-1)),   v_k = lambda v_(k-1) + (1 - lambda) r_k^2,   v_0 = sigma_ref^2 gridUs / yearUs
 *     lambda = 2^(-gridUs / volHalfLifeUs),   R_k = sqrt(v_k / v_0)                (volatility ratio)
 *     spread_k (ticks) = max(minSpreadTicks, round(L / tick * baseSpreadBps 1e-4 * R_k^spreadVolElasticity))
 *     activity m_k = min(maxActivity, R_k^volumeVolElasticity)     (multiplies the trade baseline mu)
 *
 * hold over [t_k, t_(k+1)). Quotes update at the times of a Poisson process of rate `quoteRate`
 * per second (and once at `start`): bid = round(L/tick - spread/2) ticks (at least one tick),
 * ask = bid + spread. Each trade prints at the last quote: the ask for a buy, the bid for a sell.
 */

/**
 * The latent (efficient) price: a stepper from simulate.ts advanced once per `stepUs` (build it with
 * dt = stepUs / yearUs; the price is exp(x), piecewise constant between steps), or a function of time
 * (microseconds) returning a price > 0.
 */
export type LatentPrice = { stepper: PathStepper; stepUs: number } | ((timeUs: number) => number);

/** Trade arrivals: a Poisson process, or a Hawkes process with an exponential kernel (see `HawkesThinning`). */
export type TradeArrivals = { kind: 'poisson'; rate: number } | { kind: 'hawkes'; mu: number; branchingRatio: number; decay: number };

/** Options of `microstructureBatches` and `microstructureSource`. Rates are per second. */
export interface MicrostructureOptions {
  instrument: Instrument;
  latent: LatentPrice;
  /** First event time, integer microseconds since the epoch. */
  start: number;
  /** End (exclusive), integer microseconds, or Infinity for an endless stream. */
  end: number;
  /** The random stream (forked into 'quotes', 'trades', 'signs', 'sizes'). */
  rng: Rng;
  /** Grid of the volatility estimate (default 1 s; with a stepper, always its `stepUs`). */
  gridUs?: number;
  /** Annualised reference volatility sigma_ref: at it the spread is the base spread and activity is 1 (default 0.2). */
  referenceVol?: number;
  /** Half-life of the EWMA of squared grid returns, microseconds (default 60 s). */
  volHalfLifeUs?: number;
  /** Spread at the reference volatility, basis points of the price (default 5). */
  baseSpreadBps?: number;
  /** Minimum spread in ticks, integer >= 1 (default 1). */
  minSpreadTicks?: number;
  /** Exponent of the volatility ratio in the spread (default 1). */
  spreadVolElasticity?: number;
  /** Quote updates per second, Poisson (default 2). */
  quoteRate?: number;
  /** Trade arrivals (default Hawkes mu 0.5/s, branching ratio 0.7, decay 1/s). */
  trades?: TradeArrivals;
  /** Exponent of the volatility ratio in the trade baseline intensity (default 1; 0 turns it off). */
  volumeVolElasticity?: number;
  /** Cap of the activity multiplier (default 10). */
  maxActivity?: number;
  /** Lag-1 autocorrelation rho of the Markov trade-sign chain, in (-1, 1) (default 0.5). */
  signAutocorrelation?: number;
  /** Pareto tail index alpha of trade and quote sizes, > 1 (default 1.5). */
  sizeTailIndex?: number;
  /** Minimum trade size in lots, integer >= 1 (default 1). */
  minTradeLots?: number;
  /** Maximum trade size in lots (default 10^6). */
  maxTradeLots?: number;
  /** Minimum quoted size at each side in lots, integer >= 1 (default 10). */
  minQuoteLots?: number;
  /** Microseconds in a year (default `YEAR_US`). */
  yearUs?: number;
  /** Events per batch (default 4096). */
  batchSize?: number;
  /** Source name (default `synthetic-microstructure:SYMBOL`). */
  name?: string;
  /**
   * News moving the prices (docs/models.md, "News in the price generators"): simulated over [start, end)
   * from `rng.fork('news')`, or given as events. The stream then also carries the news items and the
   * HALT/RESUME status events; nothing trades or quotes while halted.
   */
  news?: NewsInput;
}

/** The events a microstructure source emits (news and status only with `news`). */
export type MicroEvent = QuoteEvent | TradeEvent | NewsEvent | StatusEvent;

type Issue = { path: string; message: string };

/** Options after validation, with every default filled in (`stepper` or `fn` is set, not both). */
export interface ResolvedMicrostructure {
  instrument: Instrument;
  stepper: PathStepper | null;
  fn: ((timeUs: number) => number) | null;
  start: number;
  end: number;
  rng: Rng;
  gridUs: number;
  referenceVol: number;
  volHalfLifeUs: number;
  baseSpreadBps: number;
  minSpreadTicks: number;
  spreadVolElasticity: number;
  quoteRate: number;
  mu: number;
  branchingRatio: number;
  decay: number;
  volumeVolElasticity: number;
  maxActivity: number;
  signAutocorrelation: number;
  sizeTailIndex: number;
  minTradeLots: number;
  maxTradeLots: number;
  minQuoteLots: number;
  yearUs: number;
  batchSize: number;
  name: string;
  news: NewsInput | null;
}

function num(issues: Issue[], path: string, v: unknown, dflt: number, ok: (x: number) => boolean, rule: string): number {
  const x = v === undefined ? dflt : v;
  if (typeof x !== 'number' || !ok(x)) {
    issues.push({ path, message: `must be ${rule}, got ${JSON.stringify(x) ?? String(x)}` });
    return dflt;
  }
  return x;
}

const pos = (x: number): boolean => Number.isFinite(x) && x > 0;
const nonneg = (x: number): boolean => Number.isFinite(x) && x >= 0;
const posInt = (x: number): boolean => Number.isSafeInteger(x) && x >= 1;

/** Validates the options; throws a `ConfigError` naming every bad field. */
export function resolveMicrostructure(o: MicrostructureOptions): ResolvedMicrostructure {
  const issues: Issue[] = [];
  if (!o || typeof o !== 'object') throw new ConfigError([{ path: '', message: 'options are required' }], 'microstructure');
  if (!o.instrument || typeof o.instrument.price !== 'function') issues.push({ path: 'instrument', message: 'is required' });
  if (!o.rng || typeof o.rng.exponential !== 'function') issues.push({ path: 'rng', message: 'must be an Rng' });
  let stepper: PathStepper | null = null;
  let fn: ((t: number) => number) | null = null;
  let gridDefault = 1_000_000;
  if (typeof o.latent === 'function') fn = o.latent;
  else if (o.latent && typeof o.latent === 'object' && o.latent.stepper && typeof o.latent.stepper.step === 'function') {
    stepper = o.latent.stepper;
    if (!posInt(o.latent.stepUs)) issues.push({ path: 'latent.stepUs', message: `must be a positive integer number of microseconds, got ${o.latent.stepUs}` });
    else gridDefault = o.latent.stepUs;
    if (o.gridUs !== undefined && o.gridUs !== o.latent.stepUs) issues.push({ path: 'gridUs', message: `must equal latent.stepUs with a stepper, got ${o.gridUs}` });
  } else issues.push({ path: 'latent', message: 'must be a function of time or { stepper, stepUs }' });
  if (!Number.isSafeInteger(o.start)) issues.push({ path: 'start', message: `must be an integer number of microseconds, got ${o.start}` });
  if (!((Number.isSafeInteger(o.end) || o.end === Infinity) && o.end >= o.start)) issues.push({ path: 'end', message: `must be an integer >= start or Infinity, got ${o.end}` });
  const gridUs = num(issues, 'gridUs', stepper ? gridDefault : o.gridUs, gridDefault, posInt, 'a positive integer');
  const referenceVol = num(issues, 'referenceVol', o.referenceVol, 0.2, pos, 'a finite number > 0');
  const volHalfLifeUs = num(issues, 'volHalfLifeUs', o.volHalfLifeUs, 60_000_000, pos, 'a finite number > 0');
  const baseSpreadBps = num(issues, 'baseSpreadBps', o.baseSpreadBps, 5, nonneg, 'a finite number >= 0');
  const minSpreadTicks = num(issues, 'minSpreadTicks', o.minSpreadTicks, 1, posInt, 'an integer >= 1');
  const spreadVolElasticity = num(issues, 'spreadVolElasticity', o.spreadVolElasticity, 1, nonneg, 'a finite number >= 0');
  const quoteRate = num(issues, 'quoteRate', o.quoteRate, 2, pos, 'a finite number > 0');
  const tr = o.trades ?? { kind: 'hawkes', mu: 0.5, branchingRatio: 0.7, decay: 1 };
  let mu = 0.5;
  let branchingRatio = 0;
  let decay = 1;
  if (tr.kind === 'poisson') mu = num(issues, 'trades.rate', tr.rate, 1, pos, 'a finite number > 0');
  else if (tr.kind === 'hawkes') {
    mu = num(issues, 'trades.mu', tr.mu, 0.5, pos, 'a finite number > 0');
    branchingRatio = num(issues, 'trades.branchingRatio', tr.branchingRatio, 0, (x) => x >= 0 && x < 1, 'in [0, 1) (a stationary Hawkes process)');
    decay = num(issues, 'trades.decay', tr.decay, 1, pos, 'a finite number > 0');
  } else issues.push({ path: 'trades.kind', message: `must be 'poisson' or 'hawkes', got ${JSON.stringify((tr as { kind: unknown }).kind)}` });
  const volumeVolElasticity = num(issues, 'volumeVolElasticity', o.volumeVolElasticity, 1, nonneg, 'a finite number >= 0');
  const maxActivity = num(issues, 'maxActivity', o.maxActivity, 10, pos, 'a finite number > 0');
  const signAutocorrelation = num(issues, 'signAutocorrelation', o.signAutocorrelation, 0.5, (x) => x > -1 && x < 1, 'in (-1, 1)');
  const sizeTailIndex = num(issues, 'sizeTailIndex', o.sizeTailIndex, 1.5, (x) => Number.isFinite(x) && x > 1, 'a finite number > 1');
  const minTradeLots = num(issues, 'minTradeLots', o.minTradeLots, 1, posInt, 'an integer >= 1');
  const maxTradeLots = num(issues, 'maxTradeLots', o.maxTradeLots, 1_000_000, (x) => posInt(x) && x >= minTradeLots, 'an integer >= minTradeLots');
  const minQuoteLots = num(issues, 'minQuoteLots', o.minQuoteLots, 10, posInt, 'an integer >= 1');
  const yearUs = num(issues, 'yearUs', o.yearUs, YEAR_US, pos, 'a finite number > 0');
  const batchSize = num(issues, 'batchSize', o.batchSize, 4096, posInt, 'an integer >= 1');
  if (o.news !== undefined && o.news.events === undefined && o.end === Infinity) issues.push({ path: 'news', message: 'simulated news needs a finite end' });
  if (issues.length > 0) throw new ConfigError(issues, 'microstructure');
  if (o.news) new NewsImpactModel(o.news.impact ?? {}); // validates the impact parameters (ConfigError)
  return {
    instrument: o.instrument, stepper, fn, start: o.start, end: o.end, rng: o.rng, gridUs, referenceVol, volHalfLifeUs, baseSpreadBps,
    minSpreadTicks, spreadVolElasticity, quoteRate, mu, branchingRatio, decay, volumeVolElasticity, maxActivity, signAutocorrelation,
    sizeTailIndex, minTradeLots, maxTradeLots, minQuoteLots, yearUs, batchSize, name: o.name ?? `synthetic-microstructure:${o.instrument.symbol}`,
    news: o.news ?? null,
  };
}

/** Lots from a discretized Pareto: floor(min U^(-1/alpha)), capped at `max`. P(lots >= k) ~ (min/k)^alpha. */
function paretoLots(rng: Rng, min: number, alpha: number, max: number): number {
  const x = Math.floor(min * Math.pow(rng.nextOpen(), -1 / alpha));
  return x > max ? max : x;
}

/**
 * Batches of quote and trade events in time order (validated first: `ConfigError` naming the field).
 * Lazy: an endless `end` streams forever. The same options and seed give the same events.
 */
export function microstructureBatches(options: MicrostructureOptions): IterableIterator<MicroEvent[]> {
  return generate(resolveMicrostructure(options));
}

/** The same events as an `EventSource` (a `BatchSource` over `microstructureBatches`). */
export function microstructureSource(options: MicrostructureOptions): EventSource<MicroEvent> {
  const r = resolveMicrostructure(options);
  return new BatchSource<MicroEvent>(r.name, generate(r));
}

function* generate(o: ResolvedMicrostructure): IterableIterator<MicroEvent[]> {
  const inst = o.instrument;
  const qRng = o.rng.fork('quotes');
  const sRng = o.rng.fork('signs');
  const zRng = o.rng.fork('sizes');
  const hawkes = new HawkesThinning(o.mu, o.branchingRatio, o.decay, o.rng.fork('trades'));
  hawkes.reset(0);
  const ov = o.news ? new NewsOverlay(inst, o.news, { start: o.start, end: o.end, rng: o.rng.fork('news') }) : null;
  const ticksPerPrice = inst.priceScale / inst.tickUnits;
  const v0 = (o.referenceVol * o.referenceVol * o.gridUs) / o.yearUs;
  const lam = Math.pow(2, -o.gridUs / o.volHalfLifeUs);
  const stay = (1 + o.signAutocorrelation) / 2;
  const stepper = o.stepper;
  const fn = o.fn;
  const latentAt = (t: number): number => {
    const p = stepper ? Math.exp(stepper.x) : fn!(t);
    if (!(Number.isFinite(p) && p > 0)) throw new ConfigError([{ path: 'latent', message: `price must be finite and > 0, got ${p} at time ${t}` }], o.name);
    return p;
  };
  let batch: MicroEvent[] = [];
  let v = v0;
  let prevLog = Math.log(latentAt(o.start));
  // with news: the model's log price with its increments scaled by the volatility multiplier (the news
  // offset is added on top at each quote); without news the latent price is used as it is
  let baseLog = prevLog;
  let effLog = prevLog;
  let a = o.start;
  let nextQuote = o.start; // one quote at the start, then Poisson
  let bidUnits = 0;
  let askUnits = 0;
  let sign = sRng.next() < 0.5 ? 1 : -1;
  let trades = 0;
  while (a < o.end) {
    const b = Math.min(a + o.gridUs, o.end);
    const ratio = Math.sqrt(v / v0);
    let m = Math.min(o.maxActivity, Math.pow(ratio, o.volumeVolElasticity));
    if (ov) m *= ov.volumeMultiplier(a);
    const spreadRel = o.baseSpreadBps * 1e-4 * Math.pow(ratio, o.spreadVolElasticity);
    const limitSec = (b - o.start) / 1e6;
    let tradeSec = hawkes.next(limitSec, m);
    for (;;) {
      const tradeUs = o.start + tradeSec * 1e6;
      const newsT = ov ? ov.nextTime() : Infinity;
      if (newsT < b && !(newsT > nextQuote) && !(newsT > tradeUs)) {
        const e = ov!.take();
        batch.push(e);
        // a price-moving item or the end of a halt: the quote is refreshed at once
        if (!ov!.halted && (e.kind === 'news' || e.status === 'RESUME') && nextQuote > e.time) nextQuote = e.time;
      } else if (nextQuote < b && !(tradeUs < nextQuote)) {
        const qt = Math.floor(nextQuote);
        if (ov === null || !ov.halted) {
          let lt: number;
          let n: number;
          if (ov === null) {
            lt = latentAt(qt) * ticksPerPrice;
            n = Math.max(o.minSpreadTicks, Math.round(lt * spreadRel));
          } else {
            lt = Math.exp(effLog + ov.offset(qt)) * ticksPerPrice;
            if (!(lt < Number.MAX_SAFE_INTEGER)) throw new ConfigError([{ path: 'latent', message: `price overflowed at time ${qt}` }], o.name);
            n = Math.max(o.minSpreadTicks, Math.round(lt * spreadRel * ov.spreadMultiplier(qt)));
          }
          const bidT = Math.max(1, Math.round(lt - n / 2));
          bidUnits = bidT * inst.tickUnits;
          askUnits = (bidT + n) * inst.tickUnits;
          const q: QuoteEvent = {
            kind: 'quote', time: qt, instrument: inst,
            bidPrice: inst.price(bidUnits), bidSize: inst.size(paretoLots(zRng, o.minQuoteLots, o.sizeTailIndex, o.maxTradeLots) * inst.lotUnits),
            askPrice: inst.price(askUnits), askSize: inst.size(paretoLots(zRng, o.minQuoteLots, o.sizeTailIndex, o.maxTradeLots) * inst.lotUnits),
          };
          batch.push(q);
        }
        nextQuote += qRng.exponential(o.quoteRate) * 1e6;
      } else if (tradeSec === tradeSec) {
        if (ov === null || (!ov.halted && askUnits > 0)) {
          if (trades > 0 && sRng.next() >= stay) sign = -sign;
          trades++;
          const t: TradeEvent = {
            kind: 'trade', time: Math.floor(tradeUs), instrument: inst, price: inst.price(sign > 0 ? askUnits : bidUnits),
            size: inst.size(paretoLots(zRng, o.minTradeLots, o.sizeTailIndex, o.maxTradeLots) * inst.lotUnits), aggressor: sign > 0 ? 'BUY' : 'SELL',
          };
          batch.push(t);
        }
        tradeSec = hawkes.next(limitSec, ov !== null && ov.halted ? 0 : m);
      } else break;
      if (batch.length >= o.batchSize) {
        yield batch;
        batch = [];
      }
    }
    a = b;
    if (a >= o.end) break;
    if (stepper) stepper.step();
    const lg = Math.log(latentAt(a));
    if (ov === null) {
      const r = lg - prevLog;
      prevLog = lg;
      v = lam * v + (1 - lam) * r * r;
    } else {
      // the news jumps and drifts are not fed to the volatility estimate: their spread and activity
      // effects are the impact model's own multipliers; its volatility spike is (through the scaled steps)
      effLog += (lg - baseLog) * ov.volMultiplier(a);
      baseLog = lg;
      const r = effLog - prevLog;
      prevLog = effLog;
      v = lam * v + (1 - lam) * r * r;
    }
  }
  if (batch.length > 0) yield batch;
}
