/**
 * A limit order flow model in the style of Cont, Stoikov and Talreja (2010), "A stochastic model for
 * order book dynamics", Operations Research 58(3), 549-563, running on the real `MatchingEngine`.
 *
 * Events form a continuous-time Markov chain. Per side (buy and sell alike):
 * - a limit order arrives at distance i ticks (1..K) from the OPPOSITE best quote at rate lambda(i)
 *   (default the power law k / i^alpha), so a buy rests at bestAsk - i ticks and never crosses;
 * - a market order arrives at rate mu;
 * - each resting lot at distance i (1..K) from the opposite best is canceled at rate theta(i): a level is
 *   chosen with probability proportional to theta(i) * size (in lots) and its newest order is canceled
 *   (simulated exactly by thinning a rate thetaMax * resting lots, so no per-event walk of the book).
 * The waiting time is exponential with the total rate; the event is chosen by rate. Every event is
 * applied to the engine, so the book, trades and quotes are always consistent. Orders that drift beyond
 * K ticks from the opposite best leave the model's window and are removed (counted in `pruned`).
 * Assumption: all flow is anonymous (owner 0); the model's orders are GTC; `Order` objects are recycled
 * through a pool, so an observer must copy what it keeps.
 */
import { ConfigError } from '../../core/errors.ts';
import { Rng } from '../../core/rng.ts';
import type { Instrument } from '../../market/instrument.ts';
import { MatchingEngine, type MatchListener } from '../../market/matching-engine.ts';
import { Order, type CancelReason, type RejectReason, type Side } from '../../market/order.ts';

/** Parameters of a `LobFlowModel`. Rates are per second; sizes in lots of the instrument. */
export interface LobFlowParams {
  /** Number of price levels K modeled on each side (default 10). */
  levels?: number;
  /** Power-law scale k of lambda(i) = k / i^alpha (default `CST_K` = 1.92, CST 2010). */
  k?: number;
  /** Power-law exponent alpha (default 0.52, CST 2010). */
  alpha?: number;
  /** Explicit limit-order rates lambda(1..K) per side; overrides k and alpha. */
  lambda?: readonly number[];
  /** Market order rate mu per side (default 0.94, CST 2010). */
  mu?: number;
  /** Cancel rate per resting lot at distance i: one number for every level or K numbers (default `CST_THETA`, its last value repeated beyond level 5). */
  theta?: number | readonly number[];
  /** Order size distribution: 'fixed' (always `meanLots`) or 'geometric' on 1, 2, ... with mean `meanLots` (default 'fixed'). */
  sizeDist?: 'fixed' | 'geometric';
  /** Mean (or fixed) order size in lots (default 1; an integer when fixed). */
  meanLots?: number;
  /** Initial mid price in price units (default 10,000 ticks); bid and ask start one tick either side. */
  initialPrice?: number;
  /** Levels seeded on each side at start (default min(5, levels)), each with `seedOrders` orders. */
  seedLevels?: number;
  /** Orders per seeded level (default 2). */
  seedOrders?: number;
  /** Start time, integer microseconds (default 0). */
  startTime?: number;
  /** Receives every engine callback after the model's own bookkeeping (orders are pooled: copy what you keep). */
  observer?: MatchListener;
}

/**
 * Cont, Stoikov and Talreja (2010), Table 2 (Sony on the Tokyo Stock Exchange, rates per second, sizes in
 * units of the average order size): the empirical limit-order arrival rates lambda(1..5), which the paper
 * summarises by the power law lambda(i) = k / i^alpha with k = 1.92 and alpha = 0.52 (our default for every
 * level), and the market-order rate mu = 0.94.
 */
export const CST_LAMBDA: readonly number[] = [1.85, 1.51, 1.09, 0.88, 0.77];
/** CST 2010's power-law fit of lambda(i): k. */
export const CST_K = 1.92;
/** CST 2010's power-law fit of lambda(i): alpha. */
export const CST_ALPHA = 0.52;
/** CST 2010's market order rate mu (per second, per side). */
export const CST_MU = 0.94;
/**
 * Cancel rates theta(i) per resting order per second. i = 1..5 are CST 2010's Table 2 estimates
 * (0.71, 0.81, 0.68, 0.56, 0.47). Beyond level 5 the value of level 5 is used: the estimates for deeper
 * levels could not be checked against the paper's text (see docs/models.md), so we do not invent a decay.
 */
export const CST_THETA: readonly number[] = [0.71, 0.81, 0.68, 0.56, 0.47];

/** Event counters of a `LobFlowModel`. */
export interface LobFlowCounters {
  /** Limit orders submitted. */
  adds: number;
  /** Cancels of resting orders chosen by the model (theta events). */
  cancels: number;
  /** Market orders submitted. */
  markets: number;
  /** Fills (maker/taker matches) reported by the engine. */
  trades: number;
  /** Orders removed because they left the K-tick window. */
  pruned: number;
  /** Market orders that found no liquidity on the opposite side (fully or in part). */
  unfilledMarkets: number;
}

/** `LobFlowParams` validated, with every default filled in. */
export interface ResolvedLobFlow {
  K: number;
  k: number;
  alpha: number;
  lambda: Float64Array;
  theta: Float64Array;
  mu: number;
  /** Sum of lambda(1..K). */
  total: number;
  sizeDist: 'fixed' | 'geometric';
  meanLots: number;
  /** Initial mid, price units. */
  p0: number;
  seedLevels: number;
  seedOrders: number;
  startTime: number;
  /** instrument.tickUnits. */
  tick: number;
}

/** Validates CST flow parameters for `instrument` (ConfigError naming each bad field as `lobFlow.FIELD`). */
export function resolveLobFlowParams(instrument: Instrument, params: LobFlowParams = {}): ResolvedLobFlow {
  const issues: { path: string; message: string }[] = [];
  const bad = (path: string, message: string): void => {
    issues.push({ path: `lobFlow.${path}`, message });
  };
  const K = params.levels ?? 10;
  if (!(Number.isInteger(K) && K >= 1 && K <= 1000)) bad('levels', `must be an integer in 1..1000, got ${K}`);
  const k = params.k ?? CST_K;
  const alpha = params.alpha ?? CST_ALPHA;
  if (!(Number.isFinite(k) && k > 0)) bad('k', `must be > 0, got ${k}`);
  if (!(Number.isFinite(alpha) && alpha >= 0)) bad('alpha', `must be >= 0, got ${alpha}`);
  const mu = params.mu ?? CST_MU;
  if (!(Number.isFinite(mu) && mu >= 0)) bad('mu', `must be >= 0, got ${mu}`);
  const Kv = Number.isInteger(K) && K >= 1 && K <= 1000 ? K : 1;
  const lambda = new Float64Array(Kv);
  if (params.lambda !== undefined) {
    if (params.lambda.length !== Kv) bad('lambda', `must have ${Kv} entries (one per level), got ${params.lambda.length}`);
    for (let i = 0; i < Kv; i++) {
      const v = params.lambda[i] ?? 0;
      if (!(Number.isFinite(v) && v >= 0)) bad(`lambda[${i}]`, `must be >= 0, got ${v}`);
      lambda[i] = v;
    }
  } else {
    for (let i = 0; i < Kv; i++) lambda[i] = k / Math.pow(i + 1, alpha);
  }
  const theta = new Float64Array(Kv);
  const th = params.theta ?? CST_THETA;
  if (typeof th === 'number') {
    if (!(Number.isFinite(th) && th >= 0)) bad('theta', `must be >= 0, got ${th}`);
    theta.fill(th);
  } else {
    if (params.theta !== undefined && th.length !== Kv) bad('theta', `must be one number or ${Kv} entries, got ${th.length}`);
    for (let i = 0; i < Kv; i++) {
      // beyond the table (the default has 5 entries) its last value is used
      const v = th[Math.min(i, th.length - 1)] ?? 0;
      if (!(Number.isFinite(v) && v >= 0)) bad(`theta[${i}]`, `must be >= 0, got ${v}`);
      theta[i] = v;
    }
  }
  const sizeDist = params.sizeDist ?? 'fixed';
  if (sizeDist !== 'fixed' && sizeDist !== 'geometric') bad('sizeDist', `must be 'fixed' or 'geometric', got ${String(sizeDist)}`);
  const meanLots = params.meanLots ?? 1;
  if (!(Number.isFinite(meanLots) && meanLots >= 1)) bad('meanLots', `must be >= 1, got ${meanLots}`);
  else if (sizeDist === 'fixed' && !Number.isInteger(meanLots)) bad('meanLots', `must be an integer with sizeDist 'fixed', got ${meanLots}`);
  const tick = instrument.tickUnits;
  const p0 = params.initialPrice ?? 10_000 * tick;
  if (!(Number.isInteger(p0) && p0 % tick === 0)) bad('initialPrice', `must be an integer multiple of tickUnits ${tick}, got ${p0}`);
  const seedLevels = params.seedLevels ?? Math.min(5, Kv);
  if (!(Number.isInteger(seedLevels) && seedLevels >= 0 && seedLevels <= Kv)) bad('seedLevels', `must be an integer in 0..levels (${Kv}), got ${seedLevels}`);
  else if (p0 - seedLevels * tick <= 0) bad('initialPrice', `must leave room for ${seedLevels} positive bid levels, got ${p0}`);
  const seedOrders = params.seedOrders ?? 2;
  if (!(Number.isInteger(seedOrders) && seedOrders >= 0)) bad('seedOrders', `must be a non-negative integer, got ${seedOrders}`);
  const startTime = params.startTime ?? 0;
  if (!(Number.isInteger(startTime) && startTime >= 0)) bad('startTime', `must be a non-negative integer of microseconds, got ${startTime}`);
  let total = 0;
  for (let i = 0; i < Kv; i++) total += lambda[i]!;
  if (issues.length === 0 && !(2 * total + 2 * mu > 0)) bad('lambda', 'limit and market order rates are all zero: the book could never change');
  if (issues.length > 0) throw new ConfigError(issues, 'LobFlowModel');
  return { K, k, alpha, lambda, theta, mu, total, sizeDist, meanLots, p0, seedLevels, seedOrders, startTime, tick };
}

const NONE = 0;
/** Sizes covered by the geometric lookup table. */
const GEO_TABLE = 32;

/** The model's listener: counts fills, recycles finished orders, forwards to the observer. */
class FlowListener implements MatchListener {
  readonly pool: Order[] = [];
  trades = 0;
  unfilled = 0;
  constructor(private readonly observer: MatchListener | undefined) {}
  accepted(order: Order, time: number): void {
    this.observer?.accepted(order, time);
  }
  rejected(order: Order, reason: RejectReason, time: number): void {
    this.observer?.rejected(order, reason, time);
  }
  /** Size filled from resting BUY / SELL makers since the model last read it. */
  filledBuyMakers = 0;
  filledSellMakers = 0;
  fill(taker: Order, maker: Order, price: number, size: number, time: number): void {
    this.trades++;
    if (maker.side === 'BUY') this.filledBuyMakers += size;
    else this.filledSellMakers += size;
    this.observer?.fill(taker, maker, price, size, time);
    if (maker.status === 'FILLED') this.pool.push(maker);
  }
  canceled(order: Order, reason: CancelReason, time: number): void {
    if (reason === 'NO_LIQUIDITY' || reason === 'IOC_REMAINDER') this.unfilled++;
    this.observer?.canceled(order, reason, time);
    if (reason === 'USER') this.pool.push(order);
  }
  expired(order: Order, time: number): void {
    this.observer?.expired(order, time);
  }
  modified(order: Order, time: number): void {
    this.observer?.modified(order, time);
  }
  requestRejected(orderId: number, action: 'cancel' | 'modify', reason: RejectReason, time: number): void {
    this.observer?.requestRejected(orderId, action, reason, time);
  }
  triggered(order: Order, time: number): void {
    this.observer?.triggered(order, time);
  }
}

/**
 * The CST-style order flow simulator. `step()` draws and applies one event and returns the new time
 * (integer microseconds); `run(n)` applies n events. Hot path: synchronous, no closures or arrays per event.
 */
export class LobFlowModel {
  /** The real matching engine holding the book. */
  readonly engine: MatchingEngine;
  /** The instrument traded. */
  readonly instrument: Instrument;
  /** K, the number of modeled levels per side. */
  readonly levels: number;
  /** lambda(1..K) at index 0..K-1 (per side, per second). */
  readonly lambda: Float64Array;
  /** theta(1..K) at index 0..K-1 (per resting lot, per second). */
  readonly theta: Float64Array;
  /** Market order rate per side, per second. */
  readonly mu: number;
  private readonly lambdaSum: number;
  private readonly invTick: number;
  private readonly lotInv: number;
  /** Largest theta(i): the thinning bound of the cancel rate per lot. */
  private readonly thetaMax: number;
  private restBid = 0;
  private restAsk = 0;
  private readonly listener: FlowListener;
  private readonly rng: Rng;
  private readonly tick: number;
  private readonly lot: number;
  private readonly geometric: boolean;
  private readonly meanLots: number;
  private readonly logQ: number;
  /** Geometric CDF thresholds in 2^32 units for sizes 1..GEO_TABLE (table lookup instead of a log). */
  private readonly geoCdf: Float64Array;
  private nextId = 1;
  // numeric fields written per event start as numbers (not undefined): V8 keeps them unboxed
  private t = 0.5; // seconds since start (double)
  private readonly t0: number = 0;
  private now = 0;
  private refBid = 0;
  private refAsk = 0;
  private nAdds = 0;
  private nCancels = 0;
  private nMarkets = 0;
  private nPruned = 0;

  /** Validates `params` (ConfigError naming the parameter) and seeds the book. */
  constructor(instrument: Instrument, seed: number, params: LobFlowParams = {}) {
    const { K, lambda, theta, mu, total, sizeDist, meanLots, p0, seedLevels, seedOrders, startTime, tick } = resolveLobFlowParams(instrument, params);
    this.instrument = instrument;
    this.levels = K;
    this.lambda = lambda;
    this.theta = theta;
    this.mu = mu;
    this.lambdaSum = total;
    this.rng = new Rng(seed, 'lob-flow');
    this.tick = tick;
    this.invTick = 1 / tick;
    this.lotInv = 1 / instrument.lotUnits;
    let tm = 0;
    for (let i = 0; i < K; i++) if (theta[i]! > tm) tm = theta[i]!;
    this.thetaMax = tm;
    this.lot = instrument.lotUnits;
    this.geometric = sizeDist === 'geometric';
    this.meanLots = meanLots;
    this.logQ = meanLots > 1 ? Math.log(1 - 1 / meanLots) : 0;
    this.geoCdf = new Float64Array(GEO_TABLE);
    if (meanLots > 1) {
      const q = 1 - 1 / meanLots;
      for (let n = 1; n <= GEO_TABLE; n++) this.geoCdf[n - 1] = (1 - Math.pow(q, n)) * 4294967296;
    }
    this.listener = new FlowListener(params.observer);
    this.engine = new MatchingEngine(instrument, this.listener, { rememberDone: 0 });
    this.t = 0;
    this.t0 = startTime;
    this.now = startTime;
    this.refBid = p0 - tick;
    this.refAsk = p0 + tick;
    for (let i = 0; i < seedLevels; i++) {
      for (let j = 0; j < seedOrders; j++) {
        this.submit('BUY', 'LIMIT', p0 - (i + 1) * tick);
        this.submit('SELL', 'LIMIT', p0 + (i + 1) * tick);
      }
    }
  }

  /** Current time, integer microseconds. */
  get time(): number {
    return this.now;
  }

  /** Event counts so far (a fresh object). */
  get counters(): LobFlowCounters {
    return {
      adds: this.nAdds,
      cancels: this.nCancels,
      markets: this.nMarkets,
      trades: this.listener.trades,
      pruned: this.nPruned,
      unfilledMarkets: this.listener.unfilled,
    };
  }

  /**
   * Draws one event, applies it to the engine, and returns the new time (integer microseconds).
   * Cancels are simulated by thinning: candidates arrive at rate thetaMax * (resting lots), a uniformly
   * chosen resting lot at distance d is accepted with probability theta(d) / thetaMax (0 outside 1..K),
   * which gives exactly rate theta(d) per lot; a rejected candidate only advances the clock, and `step`
   * continues until one event has been applied.
   */
  step(): number {
    const L = this.lambdaSum;
    const mu = this.mu;
    const rng = this.rng;
    const lotInv = this.lotInv;
    for (;;) {
      const cBid = this.thetaMax * this.restBid * lotInv;
      const cAsk = this.thetaMax * this.restAsk * lotInv;
      const total = 2 * L + 2 * mu + cBid + cAsk;
      // exponential waiting time from one 32-bit draw, (u + 0.5) / 2^32 in (0, 1): the tail is cut at
      // about 22.9 mean waits (probability 1e-10), which saves half of the generator's work
      this.t -= Math.log((rng.nextU32() + 0.5) * 2.3283064365386963e-10) / total;
      this.now = this.t0 + Math.floor(this.t * 1e6);
      // 32 random bits are plenty to choose among the event kinds
      let u = rng.nextU32() * 2.3283064365386963e-10 * total;
      if (u < 2 * L) {
        this.refresh();
        const buy = u < L;
        if (!buy) u -= L;
        const lam = this.lambda;
        let i = 0;
        const last = lam.length - 1;
        while (i < last && u >= lam[i]!) u -= lam[i++]!;
        const d = (i + 1) * this.tick;
        this.nAdds++;
        if (buy) this.submit('BUY', 'LIMIT', this.refAsk - d);
        else this.submit('SELL', 'LIMIT', this.refBid + d);
        break;
      }
      u -= 2 * L;
      if (u < 2 * mu) {
        this.nMarkets++;
        this.submit(u < mu ? 'BUY' : 'SELL', 'MARKET', NaN);
        break;
      }
      u -= 2 * mu;
      this.refresh();
      if (u < cBid ? this.cancelCandidate('BUY', this.refAsk, u / (this.thetaMax * lotInv)) : this.cancelCandidate('SELL', this.refBid, (u - cBid) / (this.thetaMax * lotInv))) {
        this.nCancels++;
        break;
      }
    }
    this.prune();
    return this.now;
  }

  /** Applies `n` events; returns the time after the last one. */
  run(n: number): number {
    for (let i = 0; i < n; i++) this.step();
    return this.now;
  }

  /** Open size resting on a side as the model tracks it, size units (equals the book's total; for tests). */
  restingSize(side: Side): number {
    return side === 'BUY' ? this.restBid : this.restAsk;
  }

  /** Updates the reference quotes: the best quotes, or the last known / a one-tick fallback when a side is empty. */
  private refresh(): void {
    const book = this.engine.book;
    const bid = book.bestBid();
    const ask = book.bestAsk();
    if (bid === bid) this.refBid = bid;
    if (ask === ask) this.refAsk = ask;
    else if (bid === bid) this.refAsk = bid + this.tick;
    if (bid !== bid && ask === ask) this.refBid = ask - this.tick;
  }

  /**
   * A cancel candidate on `side`: `pos` (size units, uniform in [0, resting size)) picks a resting lot;
   * it is accepted with probability theta(d) / thetaMax, and then the newest order of its level is canceled.
   */
  private cancelCandidate(side: Side, ref: number, pos: number): boolean {
    const book = this.engine.book;
    const sign = side === 'BUY' ? 1 : -1;
    for (let j = 0; ; j++) {
      const level = book.level(side, j);
      if (level === null) return false;
      pos -= level.size;
      if (pos >= 0) continue;
      const d = sign * (ref - level.price) * this.invTick;
      if (d < 1 || d > this.levels) return false;
      if (this.rng.nextU32() * 2.3283064365386963e-10 * this.thetaMax >= this.theta[(d - 1) | 0]!) return false;
      this.cancelOrder(level.tail!);
      return true;
    }
  }

  /** Cancels a resting order, keeping the resting-size bookkeeping. */
  private cancelOrder(o: Order): void {
    if (o.side === 'BUY') this.restBid -= o.leaves;
    else this.restAsk -= o.leaves;
    this.engine.cancel(o.id, this.now);
  }

  /** Removes orders that drifted beyond K ticks from the opposite best (worst level first). */
  private prune(): void {
    const book = this.engine.book;
    const K = this.levels * this.tick;
    const ask = book.bestAsk();
    if (ask === ask) {
      for (let n = book.levelCount('BUY'); n > 0; n--) {
        const worst = book.level('BUY', n - 1)!;
        if (ask - worst.price <= K) break;
        while (worst.count > 0 && worst.tail !== null) {
          this.nPruned++;
          this.cancelOrder(worst.tail);
          if (book.levelCount('BUY') < n) break;
        }
      }
    }
    const bid = book.bestBid();
    if (bid === bid) {
      for (let n = book.levelCount('SELL'); n > 0; n--) {
        const worst = book.level('SELL', n - 1)!;
        if (worst.price - bid <= K) break;
        while (worst.count > 0 && worst.tail !== null) {
          this.nPruned++;
          this.cancelOrder(worst.tail);
          if (book.levelCount('SELL') < n) break;
        }
      }
    }
  }

  /** Draws a size in size units. */
  private size(): number {
    if (!this.geometric || this.logQ === 0) return this.meanLots * this.lot;
    const u = this.rng.nextU32();
    const cdf = this.geoCdf;
    for (let n = 0; n < GEO_TABLE; n++) if (u < cdf[n]!) return (n + 1) * this.lot;
    // far tail (probability q^GEO_TABLE): memoryless, so continue with the exact inverse
    return (GEO_TABLE + 1 + Math.floor(Math.log(this.rng.nextOpen()) / this.logQ)) * this.lot;
  }

  /** Takes a pooled (or new) order, submits it, and recycles it when it finished inside the call. */
  private submit(side: Side, type: 'LIMIT' | 'MARKET', price: number): void {
    const id = this.nextId++;
    const qty = this.size();
    let o = this.listener.pool.pop();
    if (o === undefined) {
      o = new Order(id, { instrument: this.instrument, side, type, price: type === 'LIMIT' ? price : undefined, quantity: qty, owner: NONE });
    } else o.recycle(id, side, type, price, qty);
    this.engine.submit(o, this.now);
    if (o.isDone) this.listener.pool.push(o);
    else if (side === 'BUY') this.restBid += o.leaves;
    else this.restAsk += o.leaves;
    const f = this.listener.filledBuyMakers;
    if (f !== 0 || this.listener.filledSellMakers !== 0) {
      this.restBid -= f;
      this.restAsk -= this.listener.filledSellMakers;
      this.listener.filledBuyMakers = 0;
      this.listener.filledSellMakers = 0;
    }
  }
}
