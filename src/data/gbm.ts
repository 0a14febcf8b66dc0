import { ConfigError } from '../core/errors.ts';
import type { Rng } from '../core/rng.ts';
import type { Instrument } from '../market/instrument.ts';
import { SourceState, type BarEvent, type EventSource, type QuoteEvent } from '../market/market-data.ts';
import { BatchSource } from './batch-source.ts';
import { ZigguratNormal } from './synthetic/ziggurat.ts';

/**
 * Seeded geometric Brownian motion (GBM) market data: bars and quotes on the instrument's tick grid.
 *
 * The latent price follows the exact GBM scheme (no discretisation error in law):
 *
 *     S(t + dt) = S(t) * exp((mu - sigma^2 / 2) * dt + sigma * sqrt(dt) * Z),   Z ~ N(0, 1)
 *
 * with `dt` in years: `intervalUs / yearUs`, `yearUs` = 365.25 days of microseconds by default.
 * `mu` is the annual drift of E[S] (E[S(t)] = S0 e^(mu t)) and `sigma` the annual volatility. Log
 * returns over one interval are N((mu - sigma^2/2) dt, sigma^2 dt). Normals come from a ziggurat sampler
 * over `rng`'s 32-bit stream (`ZigguratNormal`, Marsaglia and Tsang 2000: about one 32-bit draw per normal
 * and no logarithm, 5x faster than `rng.normal()`), so the same seed gives the same events.
 * Published prices are rounded to the nearest tick (at least
 * one tick); the latent path is never rounded, so rounding does not feed back.
 */

/** Microseconds in a year of 365.25 days: the default `yearUs`. */
export const YEAR_US = 365.25 * 86_400_000_000;

/** Options shared by the GBM generators. */
export interface GbmOptions {
  /** The instrument whose tick grid the prices are rounded to. */
  instrument: Instrument;
  /** Time of the first event, microseconds since the epoch (integer). */
  start: number;
  /** Microseconds between events (positive integer). */
  intervalUs: number;
  /** Number of events (bars or quotes): an integer >= 0 (`GbmQuoteSource` also takes Infinity). */
  count: number;
  /** Initial price (> 0). */
  s0: number;
  /** Annual drift (finite). */
  mu: number;
  /** Annual volatility (>= 0). */
  sigma: number;
  /** The random stream. */
  rng: Rng;
  /** Microseconds in a year for `dt` (default `YEAR_US`). */
  yearUs?: number;
  /** Events per batch of the batch generators (default 4096). */
  batchSize?: number;
}

/** Options of `gbmBars`. */
export interface GbmBarOptions extends GbmOptions {
  /** GBM sub-steps per bar: OHLC are the first, max, min and last of the k+1 path points (default 16). */
  substeps?: number;
  /**
   * Bar volume (decimal): a constant, or `{ mean }` for exponential draws rounded to whole lots and
   * drawn from `rng.fork('volume')` (so the price path is the same with or without volume). Default 0.
   */
  volume?: number | { mean: number };
}

/** Options of `gbmQuotes` and `GbmQuoteSource`. */
export interface GbmQuoteOptions extends GbmOptions {
  /** Spread in ticks, a positive integer (default 1). The bid is the tick nearest to S - spread/2. */
  spreadTicks?: number;
  /** Bid and ask size (decimal, on the size grid; default 100 lots). */
  size?: number;
}

type Issues = { path: string; message: string }[];

function checkCommon(o: GbmOptions, issues: Issues, allowInfiniteCount: boolean): void {
  if (!o.instrument) issues.push({ path: 'instrument', message: 'is required' });
  if (!o.rng || typeof o.rng.nextU32 !== 'function') issues.push({ path: 'rng', message: 'must be an Rng' });
  if (!Number.isSafeInteger(o.start)) issues.push({ path: 'start', message: `must be an integer number of microseconds, got ${o.start}` });
  if (!(Number.isSafeInteger(o.intervalUs) && o.intervalUs > 0)) issues.push({ path: 'intervalUs', message: `must be a positive integer, got ${o.intervalUs}` });
  const countOk = (Number.isSafeInteger(o.count) && o.count >= 0) || (allowInfiniteCount && o.count === Infinity);
  if (!countOk) issues.push({ path: 'count', message: `must be an integer >= 0${allowInfiniteCount ? ' or Infinity' : ''}, got ${o.count}` });
  else if (Number.isFinite(o.count) && Number.isSafeInteger(o.start) && Number.isSafeInteger(o.intervalUs) && !Number.isSafeInteger(o.start + o.count * o.intervalUs)) {
    issues.push({ path: 'count', message: 'start + count * intervalUs is beyond 2^53 microseconds' });
  }
  if (!(Number.isFinite(o.s0) && o.s0 > 0)) issues.push({ path: 's0', message: `must be a finite number > 0, got ${o.s0}` });
  if (!Number.isFinite(o.mu)) issues.push({ path: 'mu', message: `must be finite, got ${o.mu}` });
  if (!(Number.isFinite(o.sigma) && o.sigma >= 0)) issues.push({ path: 'sigma', message: `must be finite and >= 0, got ${o.sigma}` });
  if (o.yearUs !== undefined && !(Number.isFinite(o.yearUs) && o.yearUs > 0)) issues.push({ path: 'yearUs', message: `must be > 0, got ${o.yearUs}` });
  if (o.batchSize !== undefined && !(Number.isSafeInteger(o.batchSize) && o.batchSize > 0)) issues.push({ path: 'batchSize', message: `must be a positive integer, got ${o.batchSize}` });
}

function throwIf(issues: Issues, what: string): void {
  if (issues.length > 0) throw new ConfigError(issues, what);
}

/** Precomputed step constants: drift and volatility of one log step of `dt` years. */
function stepConstants(o: GbmOptions, steps: number): { drift: number; vol: number } {
  const dt = o.intervalUs / (o.yearUs ?? YEAR_US) / steps;
  return { drift: (o.mu - 0.5 * o.sigma * o.sigma) * dt, vol: o.sigma * Math.sqrt(dt) };
}

/** Nearest tick count of a latent price (at least one tick); throws when the path overflowed. */
function toTicks(s: number, ticksPerPrice: number, maxTicks: number): number {
  const n = Math.round(s * ticksPerPrice);
  if (n < 1) return 1;
  if (!(n <= maxTicks)) throw new RangeError(`GBM price path overflowed (${s}); lower sigma or mu`);
  return n;
}

/**
 * Streams GBM bars as batches (a synchronous iterable; wrap it in `BatchSource` or use
 * `gbmBarSource`). Bar i starts at `start + i * intervalUs`, opens at the previous close (`s0` for the
 * first) and runs `substeps` exact GBM steps of `dt / substeps`; OHLC are the first, highest, lowest
 * and last points rounded to the tick grid, so high >= max(open, close) and low <= min(open, close).
 * Options are validated up front (`ConfigError` naming each bad option).
 */
export function gbmBars(options: GbmBarOptions): IterableIterator<BarEvent[]> {
  const issues: Issues = [];
  checkCommon(options, issues, false);
  const k = options.substeps ?? 16;
  if (!(Number.isSafeInteger(k) && k >= 1)) issues.push({ path: 'substeps', message: `must be a positive integer, got ${k}` });
  const vol = options.volume ?? 0;
  const inst = options.instrument;
  if (typeof vol === 'number') {
    if (!(vol >= 0) || (inst && Number.isNaN(inst.sizeUnits(vol)))) issues.push({ path: 'volume', message: `must be >= 0 and on the size grid, got ${vol}` });
  } else if (!(Number.isFinite(vol.mean) && vol.mean > 0)) issues.push({ path: 'volume.mean', message: `must be > 0, got ${vol.mean}` });
  throwIf(issues, 'gbmBars options');
  return barGenerator(options, k);
}

function* barGenerator(o: GbmBarOptions, k: number): Generator<BarEvent[]> {
  const inst = o.instrument;
  const rng = o.rng;
  const { drift, vol } = stepConstants(o, k);
  const tu = inst.tickUnits;
  const scale = inst.priceScale;
  const ticksPerPrice = scale / tu;
  const maxTicks = Math.floor(Number.MAX_SAFE_INTEGER / tu);
  const batchSize = o.batchSize ?? 4096;
  const v = o.volume ?? 0;
  const constVolume = typeof v === 'number' ? v : 0;
  const volRng = typeof v === 'number' ? undefined : rng.fork('volume');
  const z = new ZigguratNormal(rng);
  const lotScale = inst.sizeScale / inst.lotUnits;
  const meanVolume = typeof v === 'number' ? 0 : v.mean;
  let s = o.s0;
  let t = o.start;
  let batch: BarEvent[] = [];
  for (let i = 0; i < o.count; i++) {
    const open = s;
    let hi = s;
    let lo = s;
    for (let j = 0; j < k; j++) {
      s *= Math.exp(drift + vol * z.next());
      if (s > hi) hi = s;
      if (s < lo) lo = s;
    }
    const volume = volRng ? inst.size(Math.round(volRng.exponential(1 / meanVolume) * lotScale) * inst.lotUnits) : constVolume;
    batch.push({
      kind: 'bar',
      time: t,
      instrument: inst,
      open: (toTicks(open, ticksPerPrice, maxTicks) * tu) / scale,
      high: (toTicks(hi, ticksPerPrice, maxTicks) * tu) / scale,
      low: (toTicks(lo, ticksPerPrice, maxTicks) * tu) / scale,
      close: (toTicks(s, ticksPerPrice, maxTicks) * tu) / scale,
      volume,
    });
    t += o.intervalUs;
    if (batch.length === batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

function checkQuote(o: GbmQuoteOptions, issues: Issues): { spread: number; size: number } {
  const spread = o.spreadTicks ?? 1;
  if (!(Number.isSafeInteger(spread) && spread >= 1)) issues.push({ path: 'spreadTicks', message: `must be a positive integer, got ${spread}` });
  const inst = o.instrument;
  const size = o.size ?? (inst ? inst.size(100 * inst.lotUnits) : 0);
  if (!(size > 0) || (inst && Number.isNaN(inst.sizeUnits(size)))) issues.push({ path: 'size', message: `must be > 0 and on the size grid, got ${o.size}` });
  return { spread, size };
}

/**
 * Streams GBM quotes as batches (a synchronous iterable). Quote i is at `start + i * intervalUs`; the
 * latent price starts at `s0` and takes one exact GBM step of `dt` before each later quote. The bid is
 * the tick nearest to `S - spreadTicks/2` ticks (at least one tick) and the ask is `spreadTicks` above.
 * Same numbers as `GbmQuoteSource` for the same rng.
 */
export function gbmQuotes(options: GbmQuoteOptions): IterableIterator<QuoteEvent[]> {
  const issues: Issues = [];
  checkCommon(options, issues, false);
  checkQuote(options, issues);
  throwIf(issues, 'gbmQuotes options');
  return quoteGenerator(options);
}

function* quoteGenerator(o: GbmQuoteOptions): Generator<QuoteEvent[]> {
  const src = new GbmQuoteSource(o);
  const batchSize = o.batchSize ?? 4096;
  let batch: QuoteEvent[] = [];
  while (src.advance() === SourceState.Ready) {
    const q = src.current;
    batch.push({ kind: 'quote', time: q.time, instrument: q.instrument, bidPrice: q.bidPrice, bidSize: q.bidSize, askPrice: q.askPrice, askSize: q.askSize });
    if (batch.length === batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * A zero-allocation GBM quote source for benchmarks and long synthetic runs: `advance()` takes one
 * GBM step and rewrites the one reusable `current` event in place (copy what you keep). Never waits.
 * `count` may be Infinity. `gbmQuotes` is this source with each event copied into batches.
 *
 * The normals are drawn from `rng` in blocks of 256 (the values are those of successive draws): do not
 * share the rng with other code if you need the stream to be independent of that block size.
 *
 * Speed: the latent price is kept as its logarithm (`log S += (mu - sigma^2/2) dt + sigma sqrt(dt) Z`,
 * the same exact scheme), and when a step is small against a tick the source keeps the log-price
 * interval in which the bid stays the same tick, so most steps cost one normal draw, one add and two
 * comparisons, and `exp` runs only when the bid changes. (At the exact edge of a tick the two ways of
 * rounding can differ by one ulp; the rule is "the tick nearest to S - spread/2, compared in log space".)
 */
export class GbmQuoteSource implements EventSource<QuoteEvent> {
  readonly name: string;
  readonly current: QuoteEvent;
  private readonly z: ZigguratNormal;
  /** Normals drawn ahead in blocks (`ZigguratNormal.fill`), consumed one per step. */
  private readonly zs = new Float64Array(256);
  private zi = 256;
  // Numeric fields start as numbers (not undefined, as a declaration without initializer does under
  // ES2022 class fields): V8 then keeps them as unboxed doubles, and a store allocates nothing.
  private readonly drift: number = 0;
  private readonly vol: number = 0;
  private readonly ticksPerPrice: number = 0;
  private readonly halfSpread: number = 0;
  private readonly spread: number = 0;
  private readonly tickUnits: number = 0;
  private readonly scale: number = 0;
  private readonly maxTicks: number = 0;
  private readonly interval: number = 0;
  /** Number of events to make: `count`, or 0 once closed. */
  private limit: number = 0.5;
  /** True when steps are small against a tick: keep the bid's log interval instead of exp per step. */
  private readonly banded: boolean = false;
  private logS = 0.5;
  private lower = Infinity;
  private upper = -Infinity;
  private i = 0;
  private t = 0.5;

  /** Validates like `gbmQuotes` (`ConfigError` naming each bad option). */
  constructor(options: GbmQuoteOptions) {
    const issues: Issues = [];
    checkCommon(options, issues, true);
    const { spread, size } = checkQuote(options, issues);
    throwIf(issues, 'GbmQuoteSource options');
    const inst = options.instrument;
    this.name = `gbm:${inst.symbol}`;
    this.z = new ZigguratNormal(options.rng);
    const { drift, vol } = stepConstants(options, 1);
    this.drift = drift;
    this.vol = vol;
    this.tickUnits = inst.tickUnits;
    this.scale = inst.priceScale;
    this.ticksPerPrice = inst.priceScale / inst.tickUnits;
    this.maxTicks = Math.floor(Number.MAX_SAFE_INTEGER / inst.tickUnits) - spread;
    this.spread = spread;
    this.halfSpread = spread / 2;
    this.interval = options.intervalUs;
    this.limit = options.count;
    this.logS = Math.log(options.s0);
    this.t = options.start;
    // a tick is 1/(S * ticksPerPrice) in log terms; band when a typical step is well inside it
    this.banded = Math.abs(drift) + 3 * vol < 0.25 / (options.s0 * this.ticksPerPrice);
    this.current = { kind: 'quote', time: options.start, instrument: inst, bidPrice: 0, bidSize: size, askPrice: 0, askSize: size };
  }

  /** One GBM step; rewrites `current`. Ready, or End after `count` events (or `close()`). */
  advance(): SourceState {
    const i = this.i;
    if (i >= this.limit) return SourceState.End;
    if (i > 0) {
      if (this.zi === 256) {
        this.z.fill(this.zs);
        this.zi = 0;
      }
      const x = (this.logS += this.drift + this.vol * this.zs[this.zi++]!);
      this.t += this.interval;
      if (x >= this.upper || x < this.lower) this.reprice(x);
    } else this.reprice(this.logS);
    this.current.time = this.t;
    this.i = i + 1;
    return SourceState.Ready;
  }

  /** Sets the bid and ask for log-price `x` and, when banded, the interval where they hold. */
  private reprice(x: number): void {
    let bid = Math.round(Math.exp(x) * this.ticksPerPrice - this.halfSpread);
    if (bid < 1) bid = 1;
    else if (!(bid <= this.maxTicks)) throw new RangeError(`GBM price path overflowed (${Math.exp(x)}); lower sigma or mu`);
    const cur = this.current;
    cur.bidPrice = (bid * this.tickUnits) / this.scale;
    cur.askPrice = ((bid + this.spread) * this.tickUnits) / this.scale;
    if (this.banded) {
      // Math.round(y) === bid for y in [bid - 0.5, bid + 0.5), y = S * ticksPerPrice - halfSpread
      this.lower = bid > 1 ? Math.log((bid - 0.5 + this.halfSpread) / this.ticksPerPrice) : -Infinity;
      this.upper = Math.log((bid + 0.5 + this.halfSpread) / this.ticksPerPrice);
      if (x < this.lower || x >= this.upper) {
        // the log boundary rounded the other way: fall back to a one-step band (exact next time)
        this.lower = x;
        this.upper = x;
      }
    }
  }

  /** Never needed (the source never waits). */
  refill(): Promise<void> {
    return Promise.resolve();
  }

  /** Ends the stream. */
  close(): void {
    this.limit = 0;
  }
}

/** `gbmBars` as an `EventSource<BarEvent>`. */
export function gbmBarSource(options: GbmBarOptions): BatchSource<BarEvent> {
  return new BatchSource<BarEvent>(`gbm:${options.instrument?.symbol}`, gbmBars(options));
}
