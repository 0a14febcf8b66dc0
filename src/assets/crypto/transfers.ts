import { MarketsimError } from '../../core/errors.ts';
import { Rng } from '../../core/rng.ts';
import type { Balances } from './balances.ts';
import { BlockClock, DEFAULT_CHAINS, FeeMarket, validateChain, type ChainSpec } from './chains.ts';

/**
 * Blockchain deposits and withdrawals between venues and wallets (locations of `Balances`).
 *
 * A transfer requested at time t from `from` to `to`:
 * 1. the amount leaves `from`'s available balance at once (refused with INSUFFICIENT_BALANCE if it exceeds it);
 * 2. `from` processes it for `processingSeconds` (the venue's withdrawal review), then broadcasts it;
 * 3. it is included in the chain's first block after the broadcast (height h, time `seenTime`): the net
 *    amount (amount - network fee) appears at `to` as pending (counted, not spendable);
 * 4. at block h + N - 1 (`N` confirmations required by `to` for that chain; the including block is the
 *    first) the net amount becomes available at `to` (`creditTime`).
 * The network fee = round(chain base fee of the asset x fee-market level at the broadcast time).
 * The engine returns both times so the caller can put them on its event queue, and applies them in
 * `advanceTo(time)`. Deterministic: block times and fees come from `Rng` streams forked per chain.
 */

/** Why a transfer is refused. */
export type TransferRejectReason = 'INSUFFICIENT_BALANCE' | 'UNSUPPORTED_NETWORK' | 'BELOW_NETWORK_FEE' | 'BAD_AMOUNT' | 'SAME_LOCATION' | 'LOCATION_UNAVAILABLE';

/** Transfer rules of one venue or wallet. */
export interface LocationRules {
  /** Seconds between a withdrawal request and its broadcast (default 0). */
  processingSeconds?: number;
  /** Confirmations required to credit a deposit, per chain (default: the chain's `confirmations`). */
  confirmations?: Readonly<Record<string, number>>;
}

/** Options of `TransferEngine`. */
export interface TransferEngineOptions {
  /** Run start (microseconds): chain histories start here. */
  genesis: number;
  /** Seed of the block-time and fee streams (or an `Rng` to fork from). */
  seed: number | Rng;
  /** Chains by name (default `DEFAULT_CHAINS`). */
  chains?: Readonly<Record<string, ChainSpec>>;
  /** Rules per location; `default` applies to locations not listed. */
  locations?: Readonly<Record<string, LocationRules>>;
}

/** A transfer request. */
export interface TransferRequest {
  /** Request time, microseconds (non-decreasing across requests). */
  time: number;
  from: string;
  to: string;
  asset: string;
  chain: string;
  /** Gross amount debited from `from`, base units; the recipient gets amount - fee. */
  amount: number;
}

/** A scheduled transfer. */
export interface Transfer {
  readonly id: number;
  readonly from: string;
  readonly to: string;
  readonly asset: string;
  readonly chain: string;
  readonly amount: number;
  /** Network fee, base units of `asset`. */
  readonly fee: number;
  /** amount - fee. */
  readonly net: number;
  readonly requestTime: number;
  readonly broadcastTime: number;
  /** Height and time of the including block (the deposit is seen, pending). */
  readonly height: number;
  readonly seenTime: number;
  /** Confirmations required by `to`. */
  readonly confirmations: number;
  /** Time the net amount becomes available at `to`. */
  readonly creditTime: number;
  /** IN_FLIGHT (debited, not yet in a block), PENDING (seen, unconfirmed), CREDITED. */
  state: 'IN_FLIGHT' | 'PENDING' | 'CREDITED';
}

/** The answer to a request: the scheduled transfer, or a refusal with its reason and a message. */
export type TransferResult = { ok: true; transfer: Transfer } | { ok: false; reason: TransferRejectReason; message: string };

/** A state change applied by `advanceTo`. */
export interface TransferEvent {
  time: number;
  kind: 'DEPOSIT_SEEN' | 'DEPOSIT_CREDITED';
  transfer: Transfer;
}

const SEC = 1_000_000;

/** Schedules and applies blockchain transfers between locations of one `Balances` (see the module comment). */
export class TransferEngine {
  readonly balances: Balances;
  private readonly chains = new Map<string, { spec: ChainSpec; blocks: BlockClock; fees: FeeMarket }>();
  private readonly rules: Readonly<Record<string, LocationRules>>;
  private readonly queue: Transfer[] = [];
  private readonly all: Transfer[] = [];
  private readonly unavailable = new Set<string>();
  private lastRequest = -Infinity;
  private now = -Infinity;

  constructor(balances: Balances, o: TransferEngineOptions) {
    this.balances = balances;
    const root = typeof o.seed === 'number' ? new Rng(o.seed, 'transfers') : o.seed.fork('transfers');
    for (const [name, spec] of Object.entries(o.chains ?? DEFAULT_CHAINS)) {
      validateChain(spec);
      this.chains.set(name, {
        spec,
        blocks: new BlockClock(spec.blockTime, o.genesis, root.fork(`${name}/blocks`)),
        fees: new FeeMarket(spec.feeMarket, o.genesis, root.fork(`${name}/fees`)),
      });
    }
    this.rules = o.locations ?? {};
  }

  /** Marks a location (venue) as unable to process withdrawals (an outage); requests from it are refused with LOCATION_UNAVAILABLE. */
  setAvailable(location: string, available: boolean): void {
    if (available) this.unavailable.delete(location);
    else this.unavailable.add(location);
  }

  /** The network fee (base units) for moving `asset` on `chain` at `time`; throws `UNSUPPORTED_NETWORK`. */
  networkFee(chain: string, asset: string, time: number): number {
    const c = this.chain(chain);
    const base = c.spec.baseFees[asset];
    if (base === undefined) throw new MarketsimError('UNSUPPORTED_NETWORK', `chain ${chain} does not carry ${asset}`);
    return c.fees.fee(time, base);
  }

  /**
   * Requests a transfer: debits `from` now and schedules the deposit at `to`; returns the transfer with
   * its `seenTime` and `creditTime`, or a refusal (nothing changes then). Throws only on malformed
   * input (time going backwards, unknown chain or asset).
   */
  request(r: TransferRequest): TransferResult {
    if (!Number.isSafeInteger(r.time)) throw new MarketsimError('TIME_INVALID', `TransferEngine.request: time must be integer microseconds, got ${r.time}`);
    if (r.time < this.lastRequest) throw new MarketsimError('TIME_BACKWARDS', `TransferEngine.request: time ${r.time} is before the previous request ${this.lastRequest}`);
    const where = `transfer of ${r.asset} from ${r.from} to ${r.to} on ${r.chain}`;
    if (!Number.isSafeInteger(r.amount) || r.amount <= 0) return { ok: false, reason: 'BAD_AMOUNT', message: `${where}: amount must be a positive safe integer of base units, got ${r.amount}` };
    if (r.from === r.to) return { ok: false, reason: 'SAME_LOCATION', message: `${where}: source and destination are the same` };
    if (this.unavailable.has(r.from)) return { ok: false, reason: 'LOCATION_UNAVAILABLE', message: `${where}: ${r.from} is not processing withdrawals (outage or maintenance)` };
    const c = this.chains.get(r.chain);
    if (c === undefined || c.spec.baseFees[r.asset] === undefined) {
      return { ok: false, reason: 'UNSUPPORTED_NETWORK', message: `${where}: ${c === undefined ? `unknown chain ${r.chain}` : `chain ${r.chain} does not carry ${r.asset}`}` };
    }
    const assets = this.balances.assets;
    if (this.balances.canDebit(r.from, r.asset, r.amount) !== undefined) {
      return {
        ok: false,
        reason: 'INSUFFICIENT_BALANCE',
        message: `${where}: ${assets.format(r.asset, r.amount)} ${r.asset} exceeds the available balance of ${assets.format(r.asset, this.balances.available(r.from, r.asset))} ${r.asset} at ${r.from}`,
      };
    }
    this.lastRequest = r.time;
    const fromRules = this.rules[r.from] ?? this.rules.default ?? {};
    const toRules = this.rules[r.to] ?? this.rules.default ?? {};
    const broadcastTime = r.time + Math.round((fromRules.processingSeconds ?? 0) * SEC);
    const fee = c.fees.fee(broadcastTime, c.spec.baseFees[r.asset]!);
    if (fee >= r.amount) {
      return { ok: false, reason: 'BELOW_NETWORK_FEE', message: `${where}: amount ${assets.format(r.asset, r.amount)} does not cover the network fee ${assets.format(r.asset, fee)} ${r.asset}` };
    }
    const confirmations = toRules.confirmations?.[r.chain] ?? c.spec.confirmations;
    if (!Number.isInteger(confirmations) || confirmations < 1) throw new MarketsimError('CONFIG_INVALID', `transfer rules of ${r.to}: confirmations.${r.chain} must be an integer >= 1, got ${confirmations}`);
    const height = c.blocks.firstBlockAfter(broadcastTime);
    const seenTime = c.blocks.timeOf(height);
    const creditTime = c.blocks.timeOf(height + confirmations - 1);
    this.balances.withdraw(r.from, r.asset, r.amount);
    c.fees.prune(r.time); // later requests broadcast at or after their request time
    c.blocks.prune(c.blocks.firstBlockAfter(r.time) - 1);
    const t: Transfer = {
      id: this.all.length + 1, from: r.from, to: r.to, asset: r.asset, chain: r.chain, amount: r.amount, fee, net: r.amount - fee,
      requestTime: r.time, broadcastTime, height, seenTime, confirmations, creditTime, state: 'IN_FLIGHT',
    };
    this.all.push(t);
    this.queue.push(t);
    return { ok: true, transfer: t };
  }

  /** The next time (microseconds) at which a transfer changes state, or Infinity. Put it on the event queue. */
  nextEventTime(): number {
    let t = Infinity;
    for (const x of this.queue) {
      const due = x.state === 'IN_FLIGHT' ? x.seenTime : x.creditTime;
      if (due < t) t = due;
    }
    return t;
  }

  /** Applies every state change due at or before `time`, in time order (ties by transfer id), and returns them. */
  advanceTo(time: number): TransferEvent[] {
    if (time < this.now) throw new MarketsimError('TIME_BACKWARDS', `TransferEngine.advanceTo: time ${time} is before ${this.now}`);
    this.now = time;
    const out: TransferEvent[] = [];
    for (;;) {
      // one state step of the earliest due transfer (ties: lower id first)
      let best: Transfer | undefined;
      let bestDue = Infinity;
      for (const x of this.queue) {
        const due = x.state === 'IN_FLIGHT' ? x.seenTime : x.creditTime;
        if (due <= time && (due < bestDue || (due === bestDue && x.id < best!.id))) {
          best = x;
          bestDue = due;
        }
      }
      if (best === undefined) break;
      if (best.state === 'IN_FLIGHT') {
        this.balances.addPending(best.to, best.asset, best.net);
        best.state = 'PENDING';
        out.push({ time: bestDue, kind: 'DEPOSIT_SEEN', transfer: best });
      } else {
        this.balances.confirmPending(best.to, best.asset, best.net);
        best.state = 'CREDITED';
        this.queue.splice(this.queue.indexOf(best), 1);
        out.push({ time: bestDue, kind: 'DEPOSIT_CREDITED', transfer: best });
      }
    }
    return out;
  }

  /** Every transfer requested, oldest first. */
  transfers(): readonly Transfer[] {
    return this.all;
  }

  /** Base units of `asset` debited but not yet seen at the destination (for conservation checks). */
  inFlight(asset: string): number {
    let s = 0;
    for (const x of this.queue) if (x.asset === asset && x.state === 'IN_FLIGHT') s += x.net;
    return s;
  }

  /** Network fees paid in `asset` so far, base units. */
  feesPaid(asset: string): number {
    let s = 0;
    for (const x of this.all) if (x.asset === asset) s += x.fee;
    return s;
  }

  private chain(name: string): { spec: ChainSpec; blocks: BlockClock; fees: FeeMarket } {
    const c = this.chains.get(name);
    if (c === undefined) throw new MarketsimError('UNSUPPORTED_NETWORK', `unknown chain ${name} (known: ${[...this.chains.keys()].join(', ')})`);
    return c;
  }
}
