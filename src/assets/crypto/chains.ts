import { MarketsimError } from '../../core/errors.ts';
import type { Rng } from '../../core/rng.ts';

/**
 * Blockchains for transfers: block times drawn per chain and a network fee that follows a fee market.
 * Both are lazy, seeded sequences in time order, so the same seed gives the same blocks and fees
 * whatever the order of queries (after the last `prune`).
 */

const SEC = 1_000_000;

/** How a chain's block intervals are drawn. */
export type BlockTimeSpec =
  /** Proof of work: intervals exponential with the given mean (Bitcoin: 600 s). */
  | { kind: 'exponential'; meanSeconds: number }
  /** Slots of fixed length, each missed (no block) with `missProbability` (Ethereum: 12 s slots, about 1% missed). */
  | { kind: 'slots'; slotSeconds: number; missProbability: number }
  /** Fixed intervals (TRON: 3 s; also worked examples). */
  | { kind: 'fixed'; seconds: number };

/**
 * The fee market: fee = baseFee x level(t). The level is 1, times the largest multiplier of the
 * congestion spikes active at t. Spikes start as a Poisson process (`spikesPerDay`), last an
 * exponential time (mean `spikeMeanMinutes`) and have a multiplier uniform in [minMultiplier, maxMultiplier].
 */
export interface FeeMarketSpec {
  spikesPerDay: number;
  spikeMeanMinutes: number;
  minMultiplier: number;
  maxMultiplier: number;
}

/** A chain: block times, fee market, default confirmations, and the base network fee per asset (base units). */
export interface ChainSpec {
  name: string;
  blockTime: BlockTimeSpec;
  feeMarket: FeeMarketSpec;
  /** Confirmations a venue requires by default (the block including the transaction counts as 1). */
  confirmations: number;
  /** Base network (withdrawal) fee per asset moved on this chain, in the asset's base units. */
  baseFees: Readonly<Record<string, number>>;
}

/**
 * Default chains. Block times: Bitcoin exponential with mean 600 s (the difficulty target); Ethereum
 * 12 s proof-of-stake slots with ~1% missed; TRON 3 s blocks. Confirmations and base fees are
 * illustrative defaults in the range venues publish (Binance: BTC 0.0002 BTC, ETH 0.0016 ETH, USDT on
 * TRON 1 USDT; BTC credited after 1-2 confirmations, Ethereum after a few dozen slots). Configure
 * them for a study. Base fees assume the default asset precisions (BTC/ETH 8, USDT 6).
 */
export const DEFAULT_CHAINS: Readonly<Record<string, ChainSpec>> = {
  BTC: {
    name: 'BTC',
    blockTime: { kind: 'exponential', meanSeconds: 600 },
    feeMarket: { spikesPerDay: 0.5, spikeMeanMinutes: 180, minMultiplier: 2, maxMultiplier: 10 },
    confirmations: 2,
    baseFees: { BTC: 20_000 },
  },
  ETH: {
    name: 'ETH',
    blockTime: { kind: 'slots', slotSeconds: 12, missProbability: 0.01 },
    feeMarket: { spikesPerDay: 1, spikeMeanMinutes: 60, minMultiplier: 2, maxMultiplier: 20 },
    confirmations: 12,
    baseFees: { ETH: 160_000, USDT: 4_000_000, USDC: 4_000_000 },
  },
  TRON: {
    name: 'TRON',
    blockTime: { kind: 'fixed', seconds: 3 },
    feeMarket: { spikesPerDay: 0.2, spikeMeanMinutes: 30, minMultiplier: 1.5, maxMultiplier: 3 },
    confirmations: 20,
    baseFees: { USDT: 1_000_000, TRX: 1_000_000 },
  },
};

/** Validates a chain spec; `CHAIN_INVALID` naming the chain and field. */
export function validateChain(c: ChainSpec): void {
  const bad = (field: string, msg: string): never => {
    throw new MarketsimError('CHAIN_INVALID', `chain ${c.name}: ${field} ${msg}`);
  };
  const b = c.blockTime;
  if (b.kind === 'exponential') {
    if (!(b.meanSeconds > 0)) bad('blockTime.meanSeconds', 'must be > 0');
  } else if (b.kind === 'slots') {
    if (!(b.slotSeconds > 0)) bad('blockTime.slotSeconds', 'must be > 0');
    if (!(b.missProbability >= 0 && b.missProbability < 1)) bad('blockTime.missProbability', 'must be in [0, 1)');
  } else if (b.kind === 'fixed') {
    if (!(b.seconds > 0)) bad('blockTime.seconds', 'must be > 0');
  } else bad('blockTime.kind', `must be exponential, slots or fixed, got ${String((b as { kind: unknown }).kind)}`);
  const f = c.feeMarket;
  if (!(f.spikesPerDay >= 0)) bad('feeMarket.spikesPerDay', 'must be >= 0');
  if (!(f.spikeMeanMinutes > 0)) bad('feeMarket.spikeMeanMinutes', 'must be > 0');
  if (!(f.minMultiplier >= 1 && f.maxMultiplier >= f.minMultiplier)) bad('feeMarket', 'needs 1 <= minMultiplier <= maxMultiplier');
  if (!Number.isInteger(c.confirmations) || c.confirmations < 1) bad('confirmations', 'must be an integer >= 1');
  for (const [a, v] of Object.entries(c.baseFees)) if (!Number.isSafeInteger(v) || v < 0) bad(`baseFees.${a}`, 'must be a non-negative safe integer of base units');
}

/** The blocks of one chain from `genesis` on: block 1 at genesis + first interval, and so on. */
export class BlockClock {
  readonly spec: BlockTimeSpec;
  private readonly rng: Rng;
  private readonly times: number[] = [];
  private first = 1; // height of times[0]
  private last: number;

  /** `genesis`: time (microseconds) the sequence starts from (the run's start). */
  constructor(spec: BlockTimeSpec, genesis: number, rng: Rng) {
    this.spec = spec;
    this.rng = rng;
    this.last = genesis;
  }

  private nextInterval(): number {
    const s = this.spec;
    if (s.kind === 'fixed') return Math.round(s.seconds * SEC);
    if (s.kind === 'exponential') return Math.max(1, Math.round(this.rng.exponential(1 / s.meanSeconds) * SEC));
    let n = 1;
    while (this.rng.next() < s.missProbability) n++;
    return Math.round(n * s.slotSeconds * SEC);
  }

  private grow(): void {
    this.last += this.nextInterval();
    this.times.push(this.last);
  }

  /** Time (microseconds) of the block at `height` (>= the oldest kept height). */
  timeOf(height: number): number {
    if (height < this.first) throw new MarketsimError('TIME_BACKWARDS', `BlockClock: block ${height} was pruned (oldest kept ${this.first})`);
    while (this.first + this.times.length <= height) this.grow();
    return this.times[height - this.first]!;
  }

  /** Height of the first block strictly after `time`. */
  firstBlockAfter(time: number): number {
    // binary search over the kept blocks, growing as needed
    while (this.times.length === 0 || this.times[this.times.length - 1]! <= time) this.grow();
    if (this.times[0]! > time) {
      if (this.first > 1) throw new MarketsimError('TIME_BACKWARDS', `BlockClock: time ${time} is before the pruned history`);
      return 1;
    }
    let lo = 0;
    let hi = this.times.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (this.times[mid]! > time) hi = mid;
      else lo = mid;
    }
    return this.first + hi;
  }

  /** Forgets blocks before `height` (memory stays bounded over long runs). */
  prune(height: number): void {
    const n = Math.min(height - this.first, this.times.length);
    if (n > 1024) {
      this.times.splice(0, n);
      this.first += n;
    }
  }
}

/** The congestion level of a chain's fees over time (see `FeeMarketSpec`). */
export class FeeMarket {
  readonly spec: FeeMarketSpec;
  private readonly rng: Rng;
  private nextStart: number;
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly mults: number[] = [];

  constructor(spec: FeeMarketSpec, genesis: number, rng: Rng) {
    this.spec = spec;
    this.rng = rng;
    this.nextStart = spec.spikesPerDay > 0 ? genesis + this.gap() : Infinity;
  }

  private gap(): number {
    return Math.max(1, Math.round(this.rng.exponential(this.spec.spikesPerDay / 86_400) * SEC));
  }

  /** The fee multiplier at `time` (>= 1), for any time after the last `prune`. */
  level(time: number): number {
    const s = this.spec;
    while (this.nextStart <= time) {
      const dur = Math.max(1, Math.round(this.rng.exponential(1 / (s.spikeMeanMinutes * 60)) * SEC));
      this.starts.push(this.nextStart);
      this.ends.push(this.nextStart + dur);
      this.mults.push(s.minMultiplier + (s.maxMultiplier - s.minMultiplier) * this.rng.next());
      this.nextStart += this.gap();
    }
    let level = 1;
    for (let i = 0; i < this.starts.length; i++) {
      if (this.starts[i]! <= time && this.ends[i]! > time && this.mults[i]! > level) level = this.mults[i]!;
    }
    return level;
  }

  /** Forgets spikes that ended at or before `time` (later queries must be after it). */
  prune(time: number): void {
    let w = 0;
    for (let i = 0; i < this.starts.length; i++) {
      if (this.ends[i]! > time) {
        this.starts[w] = this.starts[i]!;
        this.ends[w] = this.ends[i]!;
        this.mults[w] = this.mults[i]!;
        w++;
      }
    }
    this.starts.length = w;
    this.ends.length = w;
    this.mults.length = w;
  }

  /** The network fee at `time` for a base fee (base units): round(baseFee x level), at least baseFee. */
  fee(time: number, baseFee: number): number {
    return Math.round(baseFee * this.level(time));
  }
}
