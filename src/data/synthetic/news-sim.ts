import { ConfigError } from '../../core/errors.ts';
import { gammaDraw } from '../../core/random-variates.ts';
import { checkNumber } from '../../core/param-check.ts';
import type { Rng } from '../../core/rng.ts';
import type { Instrument } from '../../market/instrument.ts';
import type { NewsEvent, StatusEvent } from '../../market/market-data.ts';
import { BatchSource } from '../batch-source.ts';
import { normCdf } from './normal.ts';

/**
 * Synthetic news: arrivals, marks (sentiment, importance) and the impact of each item on prices.
 * See docs/models.md, section "News simulator", for the formulas and defaults.
 *
 * Arrivals. Unscheduled news of each symbol is a homogeneous Poisson process of `ratePerDay`
 * items per 24-hour day of calendar time (inter-arrival times exponential with mean
 * DAY_US / ratePerDay), one independent process (and random stream) per symbol. Scheduled items
 * (earnings of one symbol, macro releases) come from a list and are emitted at exactly their times.
 *
 * Marks. sentiment = clip(N(mean, sd^2), -1, 1) (a clipped normal; its mean is
 * `clippedNormalMean(mean, sd)`); importance ~ Beta(a, b) with mean a / (a + b). Unscheduled items
 * default to sentiment N(0, 0.35^2) and importance Beta(2, 8) (mean 0.2); scheduled items to
 * N(0, 0.5^2) and Beta(6, 4) (mean 0.6): they move prices more and halt more often.
 *
 * Halts. An item that names symbols and whose importance is >= `impact.haltThreshold` halts each
 * instrument it names: a StatusEvent HALT just before the news (same time) and RESUME `haltMinutes`
 * later. A halt arriving while the instrument is halted extends the halt (no second HALT).
 * Market-wide items (a macro release without symbols: `symbols` empty) never halt.
 */

/** Microseconds in a 24-hour day: the unit of `ratePerDay`. */
export const DAY_US = 86_400_000_000;
/** Microseconds in a minute. */
export const MINUTE_US = 60_000_000;

/** A scheduled item: an earnings release of one symbol, or a macro release (all symbols by default). */
export interface ScheduledNews {
  /** Microseconds since the epoch (integer, within [start, end)). */
  time: number;
  kind: 'earnings' | 'macro';
  /**
   * Earnings: the symbols concerned (at least one). Macro: omitted or empty means market-wide (the
   * NewsEvent has no symbols and no instrument, concerns every symbol and never halts); given, the
   * release concerns (and may halt) just those symbols.
   */
  symbols?: readonly string[];
  /** Headline (default: generated from the kind and symbols). */
  headline?: string;
  /** Sentiment in [-1, 1] instead of a draw (the draw is still taken, so other items keep their values). */
  sentiment?: number;
  /** Importance in [0, 1] instead of a draw (an earnings item at or above the halt threshold halts its symbols). */
  importance?: number;
}

/** A clipped normal N(mean, sd^2) restricted to [-1, 1] by clipping. */
export interface SentimentDist {
  mean: number;
  sd: number;
}

/** A Beta(a, b) distribution (a, b > 0), mean a / (a + b). */
export interface BetaDist {
  a: number;
  b: number;
}

/** Parameters of the impact model (all optional in options; defaults in `DEFAULT_NEWS_IMPACT`). */
export interface NewsImpactParams {
  /** Total log-return of an item with |sentiment| = importance = 1 (move = jumpScale * sentiment * importance). */
  jumpScale: number;
  /** Share of the total move spread as a drift over `driftMinutes` (0: all of it is a jump). In [0, 1]. */
  driftShare: number;
  /** Duration of the drift in minutes (> 0). */
  driftMinutes: number;
  /** Peak extra volatility at importance 1: volMultiplier = 1 + volSpike * importance at the news time. */
  volSpike: number;
  /** Half-life of the volatility spike in minutes (> 0). */
  volHalfLifeMinutes: number;
  /** Peak extra spread at importance 1. */
  spreadSpike: number;
  /** Half-life of the spread widening in minutes (> 0). */
  spreadHalfLifeMinutes: number;
  /** Peak extra volume at importance 1. */
  volumeSpike: number;
  /** Half-life of the volume surge in minutes (> 0). */
  volumeHalfLifeMinutes: number;
  /** Importance at or above which an item naming symbols halts them (>= 0; above 1 never halts). */
  haltThreshold: number;
  /** Length of a news-pending halt in minutes (> 0). */
  haltMinutes: number;
}

/** Defaults of the impact model (illustrative magnitudes for a liquid stock, not an estimate). */
export const DEFAULT_NEWS_IMPACT: Readonly<NewsImpactParams> = Object.freeze({
  jumpScale: 0.05,
  driftShare: 0.2,
  driftMinutes: 15,
  volSpike: 3,
  volHalfLifeMinutes: 10,
  spreadSpike: 2,
  spreadHalfLifeMinutes: 5,
  volumeSpike: 4,
  volumeHalfLifeMinutes: 15,
  haltThreshold: 0.9,
  haltMinutes: 5,
});

/** Options of `NewsSimulator`. */
export interface NewsSimOptions {
  /** The instruments news can be about (their symbols are the universe; distinct). */
  instruments: readonly Instrument[];
  /** First time of the window, microseconds (integer). */
  start: number;
  /** End of the window (exclusive, integer > start). RESUME events may fall after it. */
  end: number;
  /** The random stream (forked per symbol: `news/arrivals/SYM`, `news/marks/SYM`, `news/scheduled`). */
  rng: Rng;
  /** Unscheduled items per symbol per 24-hour day (>= 0, default 2). */
  ratePerDay?: number;
  /** Scheduled items (any order; sorted stably by time). */
  scheduled?: readonly ScheduledNews[];
  /** Sentiment of unscheduled items (default { mean: 0, sd: 0.35 }). */
  sentiment?: SentimentDist;
  /** Importance of unscheduled items (default Beta(2, 8)). */
  importance?: BetaDist;
  /** Sentiment of scheduled items (default { mean: 0, sd: 0.5 }). */
  scheduledSentiment?: SentimentDist;
  /** Importance of scheduled items (default Beta(6, 4)). */
  scheduledImportance?: BetaDist;
  /** Impact parameters (halt threshold and length are taken from here). */
  impact?: Partial<NewsImpactParams>;
  /** Events per batch (default 1024). */
  batchSize?: number;
  /** Source name (default 'synthetic-news'). */
  name?: string;
}

/** Events of the simulator's stream. */
export type NewsSimEvent = NewsEvent | StatusEvent;

type Issue = { path: string; message: string };

const num = checkNumber;

/** Validates and completes impact parameters; throws ConfigError naming `path.field`. */
export function resolveImpactParams(p: Partial<NewsImpactParams> = {}, path = 'newsImpact'): NewsImpactParams {
  const r: NewsImpactParams = { ...DEFAULT_NEWS_IMPACT, ...p };
  const issues: Issue[] = [];
  num(issues, `${path}.jumpScale`, r.jumpScale, 'nonnegative');
  num(issues, `${path}.driftShare`, r.driftShare, 'unit');
  num(issues, `${path}.driftMinutes`, r.driftMinutes, 'positive');
  num(issues, `${path}.volSpike`, r.volSpike, 'nonnegative');
  num(issues, `${path}.volHalfLifeMinutes`, r.volHalfLifeMinutes, 'positive');
  num(issues, `${path}.spreadSpike`, r.spreadSpike, 'nonnegative');
  num(issues, `${path}.spreadHalfLifeMinutes`, r.spreadHalfLifeMinutes, 'positive');
  num(issues, `${path}.volumeSpike`, r.volumeSpike, 'nonnegative');
  num(issues, `${path}.volumeHalfLifeMinutes`, r.volumeHalfLifeMinutes, 'positive');
  num(issues, `${path}.haltThreshold`, r.haltThreshold, 'nonnegative');
  num(issues, `${path}.haltMinutes`, r.haltMinutes, 'positive');
  if (issues.length > 0) throw new ConfigError(issues, 'news impact parameters');
  return r;
}

/**
 * The impact of one news item (pure; times in microseconds). For t >= time, with dt = t - time:
 *
 *     volMultiplier(t)    = 1 + volSpike    * importance * 2^(-dt / volHalfLife)
 *     spreadMultiplier(t) = 1 + spreadSpike * importance * 2^(-dt / spreadHalfLife)
 *     volumeMultiplier(t) = 1 + volumeSpike * importance * 2^(-dt / volumeHalfLife)
 *
 * and 1 before `time`. The price moves by `jump` (a log-return at `time`) plus `driftPerMinute`
 * (log-return per minute) during `driftMinutes` minutes after it.
 */
export class NewsImpact {
  constructor(
    /** The news time (microseconds). */
    readonly time: number,
    /** Log-return applied at `time`: (1 - driftShare) * jumpScale * sentiment * importance. */
    readonly jump: number,
    /** Log-return per minute during the drift: driftShare * jumpScale * sentiment * importance / driftMinutes. */
    readonly driftPerMinute: number,
    /** Duration of the drift in minutes. */
    readonly driftMinutes: number,
    /** Extra volatility at `time` (volSpike * importance). */
    readonly volExcess: number,
    /** Half-life of the volatility excess, microseconds. */
    readonly volHalfLifeUs: number,
    /** Extra spread at `time`. */
    readonly spreadExcess: number,
    readonly spreadHalfLifeUs: number,
    /** Extra volume at `time`. */
    readonly volumeExcess: number,
    readonly volumeHalfLifeUs: number,
    /** Minutes of news-pending halt (0: no halt). */
    readonly haltMinutes: number,
  ) {}

  /** Multiplier of the volatility at time t (1 before the news). */
  volMultiplier(t: number): number {
    return t < this.time ? 1 : 1 + this.volExcess * Math.pow(2, -(t - this.time) / this.volHalfLifeUs);
  }

  /** Multiplier of the spread at time t. */
  spreadMultiplier(t: number): number {
    return t < this.time ? 1 : 1 + this.spreadExcess * Math.pow(2, -(t - this.time) / this.spreadHalfLifeUs);
  }

  /** Multiplier of the traded volume (or arrival rate) at time t. */
  volumeMultiplier(t: number): number {
    return t < this.time ? 1 : 1 + this.volumeExcess * Math.pow(2, -(t - this.time) / this.volumeHalfLifeUs);
  }
}

/**
 * The impact model: maps a news item to its `NewsImpact`. Pure (no randomness, no state): price
 * generators call `impact(news)` for each item concerning their instrument. Items with NaN
 * sentiment or importance (archived news without them) have no price move and no spike.
 */
export class NewsImpactModel {
  readonly params: NewsImpactParams;

  constructor(params: Partial<NewsImpactParams> = {}) {
    this.params = resolveImpactParams(params);
  }

  /** The impact of one item. Market-wide items (`symbols` empty) never halt. */
  impact(news: NewsEvent): NewsImpact {
    const p = this.params;
    const s = news.sentiment === news.sentiment ? news.sentiment : 0;
    const imp = news.importance === news.importance ? news.importance : 0;
    const move = p.jumpScale * s * imp;
    const halt = news.symbols.length > 0 && imp >= p.haltThreshold ? p.haltMinutes : 0;
    return new NewsImpact(
      news.time,
      (1 - p.driftShare) * move,
      (p.driftShare * move) / p.driftMinutes,
      p.driftMinutes,
      p.volSpike * imp,
      p.volHalfLifeMinutes * MINUTE_US,
      p.spreadSpike * imp,
      p.spreadHalfLifeMinutes * MINUTE_US,
      p.volumeSpike * imp,
      p.volumeHalfLifeMinutes * MINUTE_US,
      halt,
    );
  }
}

/**
 * The active impacts on one instrument. Several impacts add their excesses:
 * volMultiplier(t) = 1 + sum_i volExcess_i 2^(-(t - t_i) / h_i) over impacts with t_i <= t (likewise
 * spread and volume), and driftPerMinute(t) = sum of the drifts in progress. Queries are O(active)
 * and allocate nothing (parallel Float64Arrays). `prune(t)` drops impacts whose excesses have all
 * fallen below `epsilon` and whose drift is over; `add` calls it when the arrays are full.
 */
export class NewsImpactState {
  private n = 0;
  private cap: number;
  private t0: Float64Array;
  private vol: Float64Array;
  private volH: Float64Array;
  private spr: Float64Array;
  private sprH: Float64Array;
  private vlm: Float64Array;
  private vlmH: Float64Array;
  private drift: Float64Array;
  private driftEnd: Float64Array;
  /** An excess below this is treated as gone by `prune` (default 1e-6). */
  readonly epsilon: number;

  constructor(capacity = 16, epsilon = 1e-6) {
    this.cap = Math.max(1, capacity | 0);
    this.epsilon = epsilon;
    this.t0 = new Float64Array(this.cap);
    this.vol = new Float64Array(this.cap);
    this.volH = new Float64Array(this.cap);
    this.spr = new Float64Array(this.cap);
    this.sprH = new Float64Array(this.cap);
    this.vlm = new Float64Array(this.cap);
    this.vlmH = new Float64Array(this.cap);
    this.drift = new Float64Array(this.cap);
    this.driftEnd = new Float64Array(this.cap);
  }

  /** Number of impacts held. */
  get active(): number {
    return this.n;
  }

  /** Adds an impact (prunes at its time first when full, grows the arrays if still full). */
  add(impact: NewsImpact): void {
    if (this.n === this.cap) this.prune(impact.time);
    if (this.n === this.cap) this.grow();
    const i = this.n++;
    this.t0[i] = impact.time;
    this.vol[i] = impact.volExcess;
    this.volH[i] = impact.volHalfLifeUs;
    this.spr[i] = impact.spreadExcess;
    this.sprH[i] = impact.spreadHalfLifeUs;
    this.vlm[i] = impact.volumeExcess;
    this.vlmH[i] = impact.volumeHalfLifeUs;
    this.drift[i] = impact.driftPerMinute;
    this.driftEnd[i] = impact.time + impact.driftMinutes * MINUTE_US;
  }

  /** Volatility multiplier at t. */
  volMultiplier(t: number): number {
    return 1 + this.sum(t, this.vol, this.volH);
  }

  /** Spread multiplier at t. */
  spreadMultiplier(t: number): number {
    return 1 + this.sum(t, this.spr, this.sprH);
  }

  /** Volume multiplier at t. */
  volumeMultiplier(t: number): number {
    return 1 + this.sum(t, this.vlm, this.vlmH);
  }

  /** Sum of the drifts (log-return per minute) in progress at t: t_i <= t < t_i + driftMinutes. */
  driftPerMinute(t: number): number {
    let s = 0;
    for (let i = 0; i < this.n; i++) if (this.t0[i]! <= t && t < this.driftEnd[i]!) s += this.drift[i]!;
    return s;
  }

  /** Drops impacts that are over at time t (all excesses < epsilon and drift finished). */
  prune(t: number): void {
    let w = 0;
    for (let i = 0; i < this.n; i++) {
      const dt = t - this.t0[i]!;
      const alive =
        dt < 0 ||
        t < this.driftEnd[i]! ||
        this.vol[i]! * Math.pow(2, -dt / this.volH[i]!) >= this.epsilon ||
        this.spr[i]! * Math.pow(2, -dt / this.sprH[i]!) >= this.epsilon ||
        this.vlm[i]! * Math.pow(2, -dt / this.vlmH[i]!) >= this.epsilon;
      if (alive) {
        if (w !== i) this.move(i, w);
        w++;
      }
    }
    this.n = w;
  }

  /** Forgets every impact. */
  clear(): void {
    this.n = 0;
  }

  private sum(t: number, x: Float64Array, h: Float64Array): number {
    let s = 0;
    for (let i = 0; i < this.n; i++) {
      const dt = t - this.t0[i]!;
      if (dt >= 0) s += x[i]! * Math.pow(2, -dt / h[i]!);
    }
    return s;
  }

  private move(from: number, to: number): void {
    this.t0[to] = this.t0[from]!;
    this.vol[to] = this.vol[from]!;
    this.volH[to] = this.volH[from]!;
    this.spr[to] = this.spr[from]!;
    this.sprH[to] = this.sprH[from]!;
    this.vlm[to] = this.vlm[from]!;
    this.vlmH[to] = this.vlmH[from]!;
    this.drift[to] = this.drift[from]!;
    this.driftEnd[to] = this.driftEnd[from]!;
  }

  private grow(): void {
    const cap = this.cap * 2;
    const g = (a: Float64Array): Float64Array => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    this.t0 = g(this.t0);
    this.vol = g(this.vol);
    this.volH = g(this.volH);
    this.spr = g(this.spr);
    this.sprH = g(this.sprH);
    this.vlm = g(this.vlm);
    this.vlmH = g(this.vlmH);
    this.drift = g(this.drift);
    this.driftEnd = g(this.driftEnd);
    this.cap = cap;
  }
}

/** Mean of clip(X, -1, 1) for X ~ N(mean, sd^2): the documented mean of the sentiment. */
export function clippedNormalMean(mean: number, sd: number): number {
  if (sd === 0) return Math.min(1, Math.max(-1, mean));
  const a = (-1 - mean) / sd;
  const b = (1 - mean) / sd;
  const phi = (x: number): number => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
  const Pa = normCdf(a);
  const Pb = normCdf(b);
  // E[X; a<Z<b] + (-1) P(Z<a) + 1 P(Z>b)
  return mean * (Pb - Pa) + sd * (phi(a) - phi(b)) - Pa + (1 - Pb);
}

/** Gamma(shape, 1) draw (Marsaglia and Tsang 2000): src/core/random-variates.ts. */
export { gammaDraw };

/** Beta(a, b) draw as G1 / (G1 + G2) with independent gammas. */
export function betaDraw(rng: Rng, a: number, b: number): number {
  const g1 = gammaDraw(rng, a);
  const g2 = gammaDraw(rng, b);
  return g1 / (g1 + g2);
}

function sentimentDraw(rng: Rng, d: SentimentDist): number {
  const x = d.mean + d.sd * rng.normal();
  return x < -1 ? -1 : x > 1 ? 1 : x;
}

function checkSentiment(issues: Issue[], path: string, d: SentimentDist): void {
  num(issues, `${path}.mean`, d.mean, 'any');
  num(issues, `${path}.sd`, d.sd, 'nonnegative');
}

function checkBeta(issues: Issue[], path: string, d: BetaDist): void {
  num(issues, `${path}.a`, d.a, 'positive');
  num(issues, `${path}.b`, d.b, 'positive');
}

/**
 * Seeded synthetic news with news-pending halts, as a time-ordered stream of NewsEvent and
 * StatusEvent (see the module comment for the model). Ties at one time: RESUME first, then (for
 * each item) its HALT and its NewsEvent, scheduled items before unscheduled ones, unscheduled ones
 * in the order of `instruments`. Every call to `source()` or `batches()` replays the same events.
 */
export class NewsSimulator {
  readonly options: Readonly<NewsSimOptions>;
  readonly impactModel: NewsImpactModel;
  private readonly ratePerDay: number;
  private readonly sentiment: SentimentDist;
  private readonly importance: BetaDist;
  private readonly scheduledSentiment: SentimentDist;
  private readonly scheduledImportance: BetaDist;
  private readonly scheduled: readonly ScheduledNews[];
  private readonly bySymbol: Map<string, Instrument>;
  private readonly batchSize: number;

  constructor(options: NewsSimOptions) {
    const issues: Issue[] = [];
    const w = 'newsSim';
    num(issues, `${w}.start`, options.start, 'integer');
    num(issues, `${w}.end`, options.end, 'integer');
    if (Number.isFinite(options.start) && Number.isFinite(options.end) && !(options.end > options.start)) {
      issues.push({ path: `${w}.end`, message: `must be > start (${options.start}), got ${options.end}` });
    }
    this.ratePerDay = options.ratePerDay ?? 2;
    num(issues, `${w}.ratePerDay`, this.ratePerDay, 'nonnegative');
    this.sentiment = options.sentiment ?? { mean: 0, sd: 0.35 };
    this.importance = options.importance ?? { a: 2, b: 8 };
    this.scheduledSentiment = options.scheduledSentiment ?? { mean: 0, sd: 0.5 };
    this.scheduledImportance = options.scheduledImportance ?? { a: 6, b: 4 };
    checkSentiment(issues, `${w}.sentiment`, this.sentiment);
    checkBeta(issues, `${w}.importance`, this.importance);
    checkSentiment(issues, `${w}.scheduledSentiment`, this.scheduledSentiment);
    checkBeta(issues, `${w}.scheduledImportance`, this.scheduledImportance);
    this.batchSize = options.batchSize ?? 1024;
    num(issues, `${w}.batchSize`, this.batchSize, 'positive');
    num(issues, `${w}.batchSize`, this.batchSize, 'integer');
    this.bySymbol = new Map();
    options.instruments.forEach((ins, i) => {
      if (this.bySymbol.has(ins.symbol)) issues.push({ path: `${w}.instruments[${i}]`, message: `duplicate symbol '${ins.symbol}'` });
      this.bySymbol.set(ins.symbol, ins);
    });
    const sched = options.scheduled ?? [];
    sched.forEach((s, i) => {
      const p = `${w}.scheduled[${i}]`;
      if (typeof s.time !== 'number' || !Number.isInteger(s.time)) issues.push({ path: `${p}.time`, message: `must be an integer time in microseconds, got ${JSON.stringify(s.time)}` });
      else if (s.time < options.start || s.time >= options.end) issues.push({ path: `${p}.time`, message: `${s.time} is outside the window [${options.start}, ${options.end})` });
      if (s.kind !== 'earnings' && s.kind !== 'macro') issues.push({ path: `${p}.kind`, message: `must be 'earnings' or 'macro', got ${JSON.stringify(s.kind)}` });
      const syms = s.symbols ?? [];
      if (s.kind === 'earnings' && syms.length === 0) issues.push({ path: `${p}.symbols`, message: 'earnings need at least one symbol' });
      syms.forEach((sym, j) => {
        if (!this.bySymbol.has(sym)) issues.push({ path: `${p}.symbols[${j}]`, message: `unknown symbol '${sym}'` });
      });
      if (s.sentiment !== undefined && !(s.sentiment >= -1 && s.sentiment <= 1)) issues.push({ path: `${p}.sentiment`, message: `must be in [-1, 1], got ${JSON.stringify(s.sentiment)}` });
      if (s.importance !== undefined && !(s.importance >= 0 && s.importance <= 1)) issues.push({ path: `${p}.importance`, message: `must be in [0, 1], got ${JSON.stringify(s.importance)}` });
    });
    let impact: NewsImpactModel | undefined;
    try {
      impact = new NewsImpactModel(options.impact ?? {});
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      for (const i of e.issues) issues.push({ path: i.path.replace(/^newsImpact/, `${w}.impact`), message: i.message });
    }
    if (issues.length > 0) throw new ConfigError(issues, 'news simulator options');
    this.impactModel = impact!;
    this.options = options;
    // Stable sort by time.
    this.scheduled = sched.map((s, i) => ({ s, i })).sort((x, y) => x.s.time - y.s.time || x.i - y.i).map((x) => x.s);
  }

  /** The stream as a pull EventSource. */
  source(): BatchSource<NewsSimEvent> {
    return new BatchSource<NewsSimEvent>(this.options.name ?? 'synthetic-news', this.batches());
  }

  /** The stream as batches of events in time order. */
  *batches(): Generator<NewsSimEvent[]> {
    const o = this.options;
    const ins = o.instruments;
    const n = ins.length;
    const root = o.rng.fork('news');
    const arrivals = ins.map((x) => root.fork(`arrivals/${x.symbol}`));
    const marks = ins.map((x) => root.fork(`marks/${x.symbol}`));
    const schedRng = root.fork('scheduled');
    const meanGap = this.ratePerDay > 0 ? DAY_US / this.ratePerDay : Infinity;
    // Float arrival clocks (no rounding bias); emitted times are floored to integer microseconds.
    const next = new Float64Array(n);
    for (let i = 0; i < n; i++) next[i] = o.start + meanGap * arrivals[i]!.exponential(1);
    const haltEnd = new Float64Array(n); // 0: not halted
    const index = new Map<Instrument, number>();
    ins.forEach((x, i) => index.set(x, i));
    const haltUs = this.impactModel.params.haltMinutes * MINUTE_US;
    const threshold = this.impactModel.params.haltThreshold;
    let si = 0;
    let batch: NewsSimEvent[] = [];

    const emitItem = (time: number, symbols: string[], headline: string, sentiment: number, importance: number): void => {
      const news: NewsEvent = {
        kind: 'news',
        time,
        instrument: symbols.length > 0 ? this.bySymbol.get(symbols[0]!) : undefined,
        symbols,
        headline,
        source: 'synthetic',
        sentiment,
        importance,
      };
      if (symbols.length > 0 && importance >= threshold) {
        for (const sym of symbols) {
          const instrument = this.bySymbol.get(sym)!;
          const k = index.get(instrument)!;
          if (haltEnd[k]! > time) {
            haltEnd[k] = Math.max(haltEnd[k]!, time + haltUs);
          } else {
            haltEnd[k] = time + haltUs;
            batch.push({ kind: 'status', time, instrument, status: 'HALT', reason: `news pending: ${headline}` });
          }
        }
      }
      batch.push(news);
    };

    for (;;) {
      // Candidates: earliest resume, next scheduled item, earliest Poisson arrival.
      let rk = -1;
      let rt = Infinity;
      for (let k = 0; k < n; k++) if (haltEnd[k]! > 0 && haltEnd[k]! < rt) { rt = haltEnd[k]!; rk = k; }
      const st = si < this.scheduled.length ? this.scheduled[si]!.time : Infinity;
      let pk = -1;
      let pt = Infinity;
      for (let k = 0; k < n; k++) if (next[k]! < pt) { pt = next[k]!; pk = k; }
      const pti = pk >= 0 && pt < o.end ? Math.floor(pt) : Infinity;
      const t = Math.min(rt, st, pti);
      if (t === Infinity) break;
      if (rt === t) {
        haltEnd[rk] = 0;
        batch.push({ kind: 'status', time: rt, instrument: ins[rk]!, status: 'RESUME', reason: 'news disseminated' });
      } else if (st === t) {
        const s = this.scheduled[si++]!;
        const syms = s.symbols !== undefined && s.symbols.length > 0 ? [...s.symbols] : [];
        const drawnSentiment = sentimentDraw(schedRng, this.scheduledSentiment);
        const drawnImportance = betaDraw(schedRng, this.scheduledImportance.a, this.scheduledImportance.b);
        const sentiment = s.sentiment ?? drawnSentiment;
        const importance = s.importance ?? drawnImportance;
        const headline = s.headline ?? (s.kind === 'earnings' ? `${syms.join(', ')} earnings release` : 'macro release');
        emitItem(s.time, syms, headline, sentiment, importance);
      } else {
        const sym = ins[pk]!.symbol;
        next[pk] = pt + meanGap * arrivals[pk]!.exponential(1);
        const m = marks[pk]!;
        const sentiment = sentimentDraw(m, this.sentiment);
        const importance = betaDraw(m, this.importance.a, this.importance.b);
        emitItem(pti, [sym], `${sym} news (${sentiment >= 0 ? 'positive' : 'negative'})`, sentiment, importance);
      }
      if (batch.length >= this.batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }
}
