import { ConfigError, MarketsimError } from '../core/errors.ts';
import type { Scheduled } from '../core/event-queue.ts';
import { isoFromMicros } from '../core/time.ts';
import type { Rng } from '../core/rng.ts';
import type { MarketEvent } from '../market/market-data.ts';
import { AssetTable, DEFAULT_ASSET_PRECISIONS } from '../assets/crypto/assets.ts';
import { Balances } from '../assets/crypto/balances.ts';
import { DEFAULT_CHAINS, validateChain, type BlockTimeSpec, type ChainSpec } from '../assets/crypto/chains.ts';
import { TransferEngine, type LocationRules, type Transfer, type TransferRejectReason } from '../assets/crypto/transfers.ts';
import type { Simulation, SimulationPlugin } from './simulation.ts';

/** A chain as a config gives it: overrides of a default chain, or a new chain (decimal fees per asset). */
export interface ChainConfig {
  blockSeconds?: number;
  blockMeanSeconds?: number;
  slotSeconds?: number;
  missProbability?: number;
  confirmations?: number;
  fees?: Readonly<Record<string, number | string>>;
  spikesPerDay?: number;
  spikeMeanMinutes?: number;
  minMultiplier?: number;
  maxMultiplier?: number;
}

/** A transfer to request: `time` in microseconds (default: now), `amount` a decimal of the asset. */
export interface TransferOrder {
  time?: number;
  from: string;
  to: string;
  asset: string;
  chain: string;
  amount: number | string;
}

/** Options of `CryptoTransferPlugin`. */
export interface CryptoTransferOptions {
  /** The run's venue as a location: its balance of the account currency is the account's cash. */
  venue: string;
  /** Chains by name (overrides of `DEFAULT_CHAINS` or new ones). */
  chains?: Readonly<Record<string, ChainConfig>>;
  locations?: Readonly<Record<string, LocationRules>>;
  /** Starting balances of other locations: location -> asset -> decimal amount. */
  balances?: Readonly<Record<string, Readonly<Record<string, number | string>>>>;
  /** Asset precisions beyond the defaults. */
  assets?: Readonly<Record<string, number>>;
  /** Transfers requested at their times. */
  requests?: readonly TransferOrder[];
  /** Seed stream of block times and fee spikes. */
  rng: Rng;
}

/** A refused transfer, in the report. */
export interface RefusedTransfer {
  time: string;
  from: string;
  to: string;
  asset: string;
  amount: string;
  reason: TransferRejectReason | 'UNSUPPORTED_ASSET';
  message: string;
}

/** The outcome of `CryptoTransferPlugin.request`. */
export type TransferOutcome = { ok: true; transfer: Transfer } | { ok: false; reason: RefusedTransfer['reason']; message: string };

class Wake implements Scheduled {
  seq = 0;
  constructor(public time: number, private readonly plugin: CryptoTransferPlugin) {}
  fire(now: number): void {
    this.plugin.wake(now);
  }
}

class RequestAt implements Scheduled {
  seq = 0;
  constructor(public time: number, private readonly plugin: CryptoTransferPlugin, private readonly order: TransferOrder) {}
  fire(now: number): void {
    this.plugin.request({ ...this.order, time: now });
  }
}

const MAX = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Blockchain deposits and withdrawals in a run (docs/crypto.md, "Crypto rules in a run"), with the
 * `TransferEngine` on the simulation's event queue. Locations are the run's venue (`venue`) and any
 * other venues or wallets, whose balances the plugin holds in its own `Balances`. What the
 * single-currency `Account` can represent:
 * - a withdrawal of the account currency from the run's venue: at the request, the net amount leaves
 *   the account as WITHDRAWAL and the network fee as NETWORK_FEE (together the gross amount), refused
 *   with INSUFFICIENT_BALANCE beyond the free cash; the net amount reaches the destination's balance
 *   as pending when the including block is mined and available after the confirmations;
 * - a deposit of the account currency into the run's venue: taken from the source location at the
 *   request (the network fee comes out of the amount), pending at the venue when seen, and credited
 *   to the account as DEPOSIT only when confirmed (unavailable to trade until then);
 * - transfers between other locations, of any asset: in the plugin's balances only;
 * - another asset in or out of the run's venue (BTC held as a position) is refused UNSUPPORTED_ASSET:
 *   the account holds instrument positions, not wallets of assets.
 * The venue refuses withdrawals (LOCATION_UNAVAILABLE) while an OUTAGE status is in force for it.
 * Cash amounts of the account currency use the account's cash precision as the asset's precision.
 */
export class CryptoTransferPlugin implements SimulationPlugin {
  readonly name = 'crypto-transfers';
  private sim: Simulation | undefined;
  private engine: TransferEngine | undefined;
  private balancesRef: Balances | undefined;
  private currency = '';
  private readonly refused: RefusedTransfer[] = [];
  private readonly credited: { time: number; transfer: Transfer }[] = [];
  private readonly log: string[] = [];
  private nextWake = Infinity;
  private venueDown = false;

  constructor(private readonly o: CryptoTransferOptions) {}

  /** The balances of every location (after `attach`). */
  get balances(): Balances {
    if (this.balancesRef === undefined) throw new MarketsimError('ENGINE_STATE', 'CryptoTransferPlugin: not attached to a simulation');
    return this.balancesRef;
  }

  /** Builds the asset table (the account currency at the account's cash precision), the balances and the chains; schedules the configured requests. */
  attach(sim: Simulation): void {
    this.sim = sim;
    const acct = sim.account;
    this.currency = acct.currency;
    const assets = new AssetTable({ ...(this.o.assets ?? {}) });
    if (!assets.has(acct.currency) || assets.precision(acct.currency) !== acct.cashPrecision) assets.define(acct.currency, acct.cashPrecision);
    const balances = new Balances(assets);
    this.balancesRef = balances;
    for (const [loc, row] of Object.entries(this.o.balances ?? {})) {
      for (const [asset, amt] of Object.entries(row)) {
        const path = `crypto.transfers.balances.${loc}.${asset}`;
        if (loc === this.o.venue && asset === acct.currency) throw new ConfigError([{ path, message: `the ${asset} balance at ${loc}, the run's venue, is the account's cash (account.cash)` }]);
        const units = this.units(assets, asset, amt, path);
        if (units > 0) balances.deposit(loc, asset, units);
      }
    }
    for (const r of this.o.requests ?? []) {
      if (r.time === undefined) continue;
      sim.queue.push(new RequestAt(r.time, this, r));
    }
  }

  /** Tracks the venue's OUTAGE/RESUME statuses (withdrawals from the run's venue while it is down are refused LOCATION_UNAVAILABLE). */
  onData(e: MarketEvent): void {
    if (this.engine === undefined) this.start(e.time);
    if (e.kind !== 'status') return; // the run's venue: OUTAGE/RESUME of any of its instruments
    if (e.status === 'OUTAGE' && !this.venueDown) {
      this.venueDown = true;
      this.engine!.setAvailable(this.o.venue, false);
    } else if ((e.status === 'RESUME' || e.status === 'OPEN') && this.venueDown) {
      this.venueDown = false;
      this.engine!.setAvailable(this.o.venue, true);
    }
  }

  /**
   * Requests a transfer now (or at `order.time`, which must not be before the last request): returns
   * the scheduled transfer (with `seenTime` and `creditTime`) or the refusal, which is also logged and
   * reported. Strategies call it through a reference to the plugin (API runs).
   */
  request(order: TransferOrder): TransferOutcome {
    const sim = this.sim;
    if (sim === undefined) throw new MarketsimError('ENGINE_STATE', 'CryptoTransferPlugin: not attached to a simulation');
    const time = order.time ?? sim.clock.now;
    if (this.engine === undefined) this.start(time);
    const balances = this.balances;
    const acct = sim.account;
    const fmt = (asset: string, units: number): string => (balances.assets.has(asset) ? balances.assets.format(asset, units) : String(units));
    const refuse = (reason: RefusedTransfer['reason'], message: string, units: number): TransferOutcome => {
      this.refused.push({ time: isoFromMicros(time), from: order.from, to: order.to, asset: order.asset, amount: fmt(order.asset, units), reason, message });
      this.log.push(`${time} transfer refused ${reason}: ${message}`);
      sim.log(`${time} transfer refused ${reason}: ${message}`);
      return { ok: false, reason, message };
    };
    const fromVenue = order.from === this.o.venue;
    const toVenue = order.to === this.o.venue;
    if ((fromVenue || toVenue) && order.asset !== this.currency) {
      return refuse('UNSUPPORTED_ASSET', `transfer of ${order.asset} ${fromVenue ? 'from' : 'to'} ${this.o.venue}: the run's account holds ${this.currency} cash and instrument positions, not ${order.asset}`, 0);
    }
    if (!balances.assets.has(order.asset)) return refuse('UNSUPPORTED_ASSET', `unknown asset ${order.asset} (give its precision in crypto.transfers.assets)`, 0);
    let units: number;
    try {
      units = this.units(balances.assets, order.asset, order.amount, 'amount');
    } catch (err) {
      return refuse('BAD_AMOUNT', (err as Error).message, 0);
    }
    if (fromVenue) {
      const free = acct.kind === 'cash' ? acct.cash : Math.min(acct.cash, acct.freeMargin);
      if (units > free) {
        return refuse('INSUFFICIENT_BALANCE', `transfer of ${order.asset} from ${order.from} to ${order.to} on ${order.chain}: ${fmt(order.asset, units)} ${order.asset} exceeds the free cash of ${fmt(order.asset, Math.max(0, free))} ${order.asset} at ${order.from}`, units);
      }
      balances.deposit(order.from, order.asset, units);
    }
    const r = this.engine!.request({ time, from: order.from, to: order.to, asset: order.asset, chain: order.chain, amount: units });
    if (!r.ok) {
      if (fromVenue) balances.withdraw(order.from, order.asset, units);
      return refuse(r.reason, r.message, units);
    }
    const t = r.transfer;
    if (fromVenue) {
      acct.withdraw(t.net, time);
      if (t.fee > 0) acct.post('NETWORK_FEE', -t.fee, time);
    }
    const line = `${time} transfer ${t.id}: ${fmt(t.asset, t.amount)} ${t.asset} ${t.from} -> ${t.to} on ${t.chain}, fee ${fmt(t.asset, t.fee)}, seen ${isoFromMicros(t.seenTime)}, credited ${isoFromMicros(t.creditTime)}`;
    this.log.push(line);
    sim.log(line);
    this.arm();
    return { ok: true, transfer: t };
  }

  /** @internal Applies the transfer steps due now (the event queue calls it). */
  wake(now: number): void {
    if (this.nextWake <= now) this.nextWake = Infinity;
    const sim = this.sim!;
    for (const ev of this.engine!.advanceTo(now)) {
      const t = ev.transfer;
      if (ev.kind === 'DEPOSIT_CREDITED') {
        this.credited.push({ time: ev.time, transfer: t });
        if (t.to === this.o.venue) {
          // the confirmed deposit leaves the plugin's balances for the account's cash
          this.balances.withdraw(t.to, t.asset, t.net);
          sim.account.deposit(t.net, ev.time);
        }
      }
      const line = `${ev.time} ${ev.kind} transfer ${t.id}: ${this.balances.assets.format(t.asset, t.net)} ${t.asset} at ${t.to}`;
      this.log.push(line);
      sim.log(line);
    }
    this.arm();
  }

  /** Every transfer, refusals, balances of the other locations and network fees paid (decimals, ISO times). */
  report(): unknown {
    if (this.engine === undefined || this.balancesRef === undefined) return { transfers: [], refused: this.refused, balances: [], networkFees: {} };
    const a = this.balancesRef.assets;
    const fees: Record<string, string> = {};
    const transfers = this.engine.transfers().map((t) => {
      fees[t.asset] = a.format(t.asset, this.engine!.feesPaid(t.asset));
      return {
        id: t.id, from: t.from, to: t.to, asset: t.asset, chain: t.chain,
        amount: a.format(t.asset, t.amount), fee: a.format(t.asset, t.fee), net: a.format(t.asset, t.net),
        requested: isoFromMicros(t.requestTime), broadcast: isoFromMicros(t.broadcastTime), seen: isoFromMicros(t.seenTime), credited: isoFromMicros(t.creditTime),
        confirmations: t.confirmations, state: t.state,
      };
    });
    const balances = this.balancesRef.rows().map((r) => ({ location: r.venue, asset: r.asset, available: a.format(r.asset, r.available), pending: a.format(r.asset, r.pending) }));
    return { transfers, refused: this.refused, balances, networkFees: fees };
  }

  private start(genesis: number): void {
    if (this.engine !== undefined || !Number.isSafeInteger(genesis)) return;
    this.engine = new TransferEngine(this.balances, { genesis, seed: this.o.rng, chains: this.chains(this.balances.assets), locations: this.o.locations ?? {} });
  }

  private arm(): void {
    const t = this.engine!.nextEventTime();
    if (t < this.nextWake) {
      this.nextWake = t;
      this.sim!.queue.push(new Wake(t, this));
    }
  }

  private units(assets: AssetTable, asset: string, amt: number | string, path: string): number {
    const text = typeof amt === 'number' ? decimalText(amt) : amt;
    try {
      const u = assets.parse(asset, text);
      if (u < 0 || BigInt(u) > MAX) throw new Error('negative');
      return u;
    } catch (err) {
      throw new ConfigError([{ path, message: (err as Error).message }]);
    }
  }

  /** The default chains and the configured ones, fees in base units at the run's asset precisions. */
  private chains(assets: AssetTable): Record<string, ChainSpec> {
    const out: Record<string, ChainSpec> = {};
    for (const [name, c] of Object.entries(DEFAULT_CHAINS)) {
      const baseFees: Record<string, number> = {};
      for (const [asset, units] of Object.entries(c.baseFees)) {
        if (!assets.has(asset)) continue;
        const d = assets.precision(asset) - (DEFAULT_ASSET_PRECISIONS[asset] ?? assets.precision(asset));
        baseFees[asset] = d >= 0 ? units * 10 ** d : Math.round(units / 10 ** -d);
      }
      out[name] = { ...c, baseFees };
    }
    for (const [name, c] of Object.entries(this.o.chains ?? {})) {
      const path = `crypto.transfers.chains.${name}`;
      const base = out[name];
      let blockTime: BlockTimeSpec | undefined = base?.blockTime;
      if (c.blockSeconds !== undefined) blockTime = { kind: 'fixed', seconds: c.blockSeconds };
      else if (c.blockMeanSeconds !== undefined) blockTime = { kind: 'exponential', meanSeconds: c.blockMeanSeconds };
      else if (c.slotSeconds !== undefined) blockTime = { kind: 'slots', slotSeconds: c.slotSeconds, missProbability: c.missProbability ?? 0 };
      if (blockTime === undefined) throw new ConfigError([{ path, message: 'a new chain needs blockSeconds, blockMeanSeconds or slotSeconds' }]);
      const confirmations = c.confirmations ?? base?.confirmations;
      if (confirmations === undefined) throw new ConfigError([{ path: `${path}.confirmations`, message: 'a new chain needs its confirmations' }]);
      const baseFees: Record<string, number> = { ...(base?.baseFees ?? {}) };
      for (const [asset, amt] of Object.entries(c.fees ?? {})) baseFees[asset] = this.units(assets, asset, amt, `${path}.fees.${asset}`);
      const fm = base?.feeMarket ?? { spikesPerDay: 0, spikeMeanMinutes: 60, minMultiplier: 1, maxMultiplier: 1 };
      const spec: ChainSpec = {
        name,
        blockTime,
        confirmations,
        baseFees,
        feeMarket: {
          spikesPerDay: c.spikesPerDay ?? fm.spikesPerDay,
          spikeMeanMinutes: c.spikeMeanMinutes ?? fm.spikeMeanMinutes,
          minMultiplier: c.minMultiplier ?? fm.minMultiplier,
          maxMultiplier: c.maxMultiplier ?? Math.max(fm.maxMultiplier, c.minMultiplier ?? 1),
        },
      };
      try {
        validateChain(spec);
      } catch (err) {
        throw new ConfigError([{ path, message: (err as Error).message }]);
      }
      out[name] = spec;
    }
    return out;
  }
}

/** A decimal number as a plain decimal string (no exponent). */
function decimalText(x: number): string {
  if (!Number.isFinite(x) || x < 0) return String(x);
  const s = String(x);
  if (!/e/i.test(s)) return s;
  return x.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
}
