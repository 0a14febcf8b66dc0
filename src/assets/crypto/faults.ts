import { MarketsimError } from '../../core/errors.ts';
import { Rng } from '../../core/rng.ts';

/**
 * Venue faults as timed events: scheduled maintenance, random outages and scripted flash crashes.
 * `buildFaultSchedule` turns a config into a sorted list of `FaultEvent`s over [from, to); the engine
 * puts them on its event queue, maps them onto status events and venue rejections, and calls the
 * flash-crash hooks. `VenueFaultState` follows the events and answers "is the venue up?".
 * Deterministic: outages draw from `Rng` streams forked per venue.
 */

/** What a fault event does. */
export type FaultEventKind =
  | 'MAINTENANCE_START'
  | 'MAINTENANCE_END'
  | 'OUTAGE_START'
  | 'OUTAGE_END'
  /** Liquidity withdrawn from the book (`liquidityFactor` of depth kept); the price path starts. */
  | 'FLASH_CRASH_START'
  /** A point of the price path: the reference price times `priceFactor`; stops and liquidations at that level should fire (cascade). */
  | 'FLASH_CRASH_PRICE'
  /** The lowest point (priceFactor = 1 - drop); recovery starts after `holdSeconds`. */
  | 'FLASH_CRASH_BOTTOM'
  /** Recovery done; liquidity restored. */
  | 'FLASH_CRASH_END';

/** What happens to resting orders when a venue goes down. */
export type RestingOrderPolicy = 'keep' | 'cancel';

/** One timed fault event. */
export interface FaultEvent {
  /** Microseconds since the epoch. */
  time: number;
  /** Ties at equal times keep this order (schedule order). */
  seq: number;
  venue: string;
  kind: FaultEventKind;
  /** START events of outages and maintenance: what the venue does with resting orders. */
  policy?: RestingOrderPolicy;
  /** Flash crash: the instrument. */
  symbol?: string;
  /** Flash crash: price relative to the pre-crash reference price (1 = unchanged). */
  priceFactor?: number;
  /** Flash crash: fraction of the book's depth kept (1 = all). */
  liquidityFactor?: number;
}

/** A random duration. */
export type DurationSpec = { kind: 'fixed'; seconds: number } | { kind: 'exponential'; meanSeconds: number } | { kind: 'lognormal'; medianSeconds: number; sigma: number };

/** A scripted flash crash. */
export interface FlashCrashSpec {
  /** Start time, microseconds. */
  time: number;
  symbol: string;
  /** Fall as a fraction of the reference price (0.2 = down 20%). */
  drop: number;
  /** Seconds from the start to the bottom. */
  dropSeconds: number;
  /** Seconds at the bottom (default 0). */
  holdSeconds?: number;
  /** Seconds of recovery (minutes, typically). */
  recoverySeconds: number;
  /** Fraction of the drop recovered (default 1: back to the reference price). */
  recovered?: number;
  /** Book depth kept during the crash (default 0.1). */
  liquidityFactor?: number;
  /** Price points on the way down and on the way up (default 10 each). */
  steps?: number;
}

/** Fault config of one venue. */
export interface VenueFaultConfig {
  venue: string;
  /** Resting orders during outages and maintenance (default `keep`). */
  restingOrders?: RestingOrderPolicy;
  /** Maintenance windows: start (microseconds) and duration in seconds. */
  maintenance?: readonly { start: number; durationSeconds: number }[];
  /** Recurring maintenance: every `periodHours` from `offsetHours` after the epoch (e.g. weekly: 168 h), lasting `durationMinutes`. */
  recurringMaintenance?: { periodHours: number; offsetHours: number; durationMinutes: number };
  /** Random outages: a Poisson process of `perDay` starts, each lasting `duration`. */
  outages?: { perDay: number; duration: DurationSpec };
  flashCrashes?: readonly FlashCrashSpec[];
}

const SEC = 1_000_000;

function bad(venue: string, field: string, msg: string): never {
  throw new MarketsimError('FAULT_CONFIG_INVALID', `faults.${venue}.${field}: ${msg}`);
}

function drawDuration(d: DurationSpec, rng: Rng, venue: string): number {
  let s: number;
  if (d.kind === 'fixed') s = d.seconds;
  else if (d.kind === 'exponential') s = rng.exponential(1 / d.meanSeconds);
  else if (d.kind === 'lognormal') s = d.medianSeconds * Math.exp(d.sigma * rng.normal());
  else bad(venue, 'outages.duration.kind', `must be fixed, exponential or lognormal, got ${String((d as { kind: unknown }).kind)}`);
  return Math.max(1, Math.round(s * SEC));
}

function validate(c: VenueFaultConfig): void {
  const v = c.venue;
  if (typeof v !== 'string' || v.length === 0) throw new MarketsimError('FAULT_CONFIG_INVALID', 'faults: venue must be a non-empty string');
  if (c.restingOrders !== undefined && c.restingOrders !== 'keep' && c.restingOrders !== 'cancel') bad(v, 'restingOrders', `must be keep or cancel, got ${String(c.restingOrders)}`);
  (c.maintenance ?? []).forEach((m, i) => {
    if (!Number.isSafeInteger(m.start)) bad(v, `maintenance[${i}].start`, 'must be integer microseconds');
    if (!(m.durationSeconds > 0)) bad(v, `maintenance[${i}].durationSeconds`, 'must be > 0');
  });
  const r = c.recurringMaintenance;
  if (r !== undefined) {
    if (!(r.periodHours > 0)) bad(v, 'recurringMaintenance.periodHours', 'must be > 0');
    if (!(r.durationMinutes > 0 && r.durationMinutes * 60 < r.periodHours * 3600)) bad(v, 'recurringMaintenance.durationMinutes', 'must be > 0 and shorter than the period');
    if (!(r.offsetHours >= 0)) bad(v, 'recurringMaintenance.offsetHours', 'must be >= 0');
  }
  const o = c.outages;
  if (o !== undefined) {
    if (!(o.perDay >= 0) || !Number.isFinite(o.perDay)) bad(v, 'outages.perDay', 'must be a finite number >= 0');
    const d = o.duration;
    if (d.kind === 'fixed' && !(d.seconds > 0)) bad(v, 'outages.duration.seconds', 'must be > 0');
    if (d.kind === 'exponential' && !(d.meanSeconds > 0)) bad(v, 'outages.duration.meanSeconds', 'must be > 0');
    if (d.kind === 'lognormal' && !(d.medianSeconds > 0 && d.sigma >= 0)) bad(v, 'outages.duration', 'needs medianSeconds > 0 and sigma >= 0');
  }
  (c.flashCrashes ?? []).forEach((f, i) => {
    const p = `flashCrashes[${i}]`;
    if (!Number.isSafeInteger(f.time)) bad(v, `${p}.time`, 'must be integer microseconds');
    if (typeof f.symbol !== 'string' || f.symbol.length === 0) bad(v, `${p}.symbol`, 'must be a non-empty string');
    if (!(f.drop > 0 && f.drop < 1)) bad(v, `${p}.drop`, `must be in (0, 1), got ${f.drop}`);
    if (!(f.dropSeconds > 0)) bad(v, `${p}.dropSeconds`, 'must be > 0');
    if (!(f.recoverySeconds > 0)) bad(v, `${p}.recoverySeconds`, 'must be > 0');
    if (f.holdSeconds !== undefined && !(f.holdSeconds >= 0)) bad(v, `${p}.holdSeconds`, 'must be >= 0');
    if (f.recovered !== undefined && !(f.recovered >= 0 && f.recovered <= 1)) bad(v, `${p}.recovered`, 'must be in [0, 1]');
    if (f.liquidityFactor !== undefined && !(f.liquidityFactor >= 0 && f.liquidityFactor <= 1)) bad(v, `${p}.liquidityFactor`, 'must be in [0, 1]');
    if (f.steps !== undefined && !(Number.isInteger(f.steps) && f.steps >= 1)) bad(v, `${p}.steps`, 'must be an integer >= 1');
  });
}

/**
 * Builds every fault event in [from, to) for the venues, sorted by time (ties: maintenance and outage
 * ends before starts, then config order). A window that starts before `to` keeps its END even after `to`.
 * Flash-crash price path: linear in time, `steps` points down (the last is the BOTTOM at 1 - drop), then
 * after the hold `steps` points up to 1 - drop x (1 - recovered), the last being END.
 */
export function buildFaultSchedule(configs: readonly VenueFaultConfig[], from: number, to: number, seed: number | Rng): FaultEvent[] {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || to < from) throw new MarketsimError('FAULT_CONFIG_INVALID', `faults: need integer microseconds with from <= to, got ${from}, ${to}`);
  const root = typeof seed === 'number' ? new Rng(seed, 'faults') : seed.fork('faults');
  const out: Omit<FaultEvent, 'seq'>[] = [];
  for (const c of configs) {
    validate(c);
    const venue = c.venue;
    const policy = c.restingOrders ?? 'keep';
    const window = (kind: 'MAINTENANCE' | 'OUTAGE', start: number, end: number): void => {
      out.push({ time: start, venue, kind: `${kind}_START`, policy });
      out.push({ time: end, venue, kind: `${kind}_END` });
    };
    for (const m of c.maintenance ?? []) if (m.start >= from && m.start < to) window('MAINTENANCE', m.start, m.start + Math.round(m.durationSeconds * SEC));
    const r = c.recurringMaintenance;
    if (r !== undefined) {
      const period = Math.round(r.periodHours * 3600 * SEC);
      const offset = Math.round(r.offsetHours * 3600 * SEC);
      let k = Math.ceil((from - offset) / period);
      for (let t = offset + k * period; t < to; k++, t = offset + k * period) window('MAINTENANCE', t, t + Math.round(r.durationMinutes * 60 * SEC));
    }
    const o = c.outages;
    if (o !== undefined && o.perDay > 0) {
      const rng = root.fork(venue);
      let t = from;
      for (;;) {
        t += Math.max(1, Math.round(rng.exponential(o.perDay / 86_400) * SEC));
        if (t >= to) break;
        const d = drawDuration(o.duration, rng, venue);
        window('OUTAGE', t, t + d);
        t += d; // the next outage starts after this one ends
      }
    }
    for (const f of c.flashCrashes ?? []) {
      if (f.time < from || f.time >= to) continue;
      const steps = f.steps ?? 10;
      const liq = f.liquidityFactor ?? 0.1;
      const bottom = 1 - f.drop;
      const end = 1 - f.drop * (1 - (f.recovered ?? 1));
      const down = f.dropSeconds * SEC;
      const up = f.recoverySeconds * SEC;
      const tb = f.time + Math.round(down);
      const tr = tb + Math.round((f.holdSeconds ?? 0) * SEC);
      out.push({ time: f.time, venue, kind: 'FLASH_CRASH_START', symbol: f.symbol, priceFactor: 1, liquidityFactor: liq });
      for (let i = 1; i < steps; i++) out.push({ time: f.time + Math.round((down * i) / steps), venue, kind: 'FLASH_CRASH_PRICE', symbol: f.symbol, priceFactor: 1 - (f.drop * i) / steps, liquidityFactor: liq });
      out.push({ time: tb, venue, kind: 'FLASH_CRASH_BOTTOM', symbol: f.symbol, priceFactor: bottom, liquidityFactor: liq });
      for (let i = 1; i < steps; i++) {
        const x = i / steps;
        out.push({ time: tr + Math.round(up * x), venue, kind: 'FLASH_CRASH_PRICE', symbol: f.symbol, priceFactor: bottom + (end - bottom) * x, liquidityFactor: liq + (1 - liq) * x });
      }
      out.push({ time: tr + Math.round(up), venue, kind: 'FLASH_CRASH_END', symbol: f.symbol, priceFactor: end, liquidityFactor: 1 });
    }
  }
  const rank = (k: FaultEventKind): number => (k === 'MAINTENANCE_END' || k === 'OUTAGE_END' ? 0 : 1);
  const indexed = out.map((e, i) => ({ e, i }));
  indexed.sort((a, b) => a.e.time - b.e.time || rank(a.e.kind) - rank(b.e.kind) || a.i - b.i);
  return indexed.map(({ e }, seq) => ({ ...e, seq }));
}

/** Why an order is refused at a venue that is down. */
export type VenueRejectReason = 'VENUE_OUTAGE';

/**
 * The state of each venue as fault events are applied in order: down while any outage or maintenance
 * window is open (windows may overlap), and the flash crash in progress per symbol.
 */
export class VenueFaultState {
  private readonly down = new Map<string, number>();
  private readonly crash = new Map<string, { priceFactor: number; liquidityFactor: number }>();

  /** Applies one event (in schedule order). Returns the resting-order policy to enforce now (on a START of an outage or maintenance), else undefined. */
  apply(e: FaultEvent): RestingOrderPolicy | undefined {
    switch (e.kind) {
      case 'MAINTENANCE_START':
      case 'OUTAGE_START':
        this.down.set(e.venue, (this.down.get(e.venue) ?? 0) + 1);
        return e.policy ?? 'keep';
      case 'MAINTENANCE_END':
      case 'OUTAGE_END': {
        const n = (this.down.get(e.venue) ?? 0) - 1;
        if (n < 0) throw new MarketsimError('FAULT_ORDER', `VenueFaultState: ${e.kind} at ${e.time} for ${e.venue} without a start`);
        if (n === 0) this.down.delete(e.venue);
        else this.down.set(e.venue, n);
        return undefined;
      }
      case 'FLASH_CRASH_END':
        this.crash.delete(`${e.venue}\u0000${e.symbol}`);
        return undefined;
      default:
        this.crash.set(`${e.venue}\u0000${e.symbol}`, { priceFactor: e.priceFactor ?? 1, liquidityFactor: e.liquidityFactor ?? 1 });
        return undefined;
    }
  }

  /** True while the venue is in an outage or maintenance window. */
  isDown(venue: string): boolean {
    return this.down.has(venue);
  }

  /** 'VENUE_OUTAGE' while the venue is down (orders, modifies and cancels are refused; market data stops), else undefined. */
  rejectReason(venue: string): VenueRejectReason | undefined {
    return this.down.has(venue) ? 'VENUE_OUTAGE' : undefined;
  }

  /** The flash crash in progress for (venue, symbol), or undefined. */
  flashCrash(venue: string, symbol: string): { priceFactor: number; liquidityFactor: number } | undefined {
    return this.crash.get(`${venue}\u0000${symbol}`);
  }
}

/**
 * Hooks the engine implements to play a flash crash: `withdrawLiquidity` scales the book's depth,
 * `movePrice` moves the reference (synthetic generators: their mid; replay: an offset on quotes), and
 * `cascade` runs the stop and liquidation orders triggered at the new level (stops through the stop
 * book, liquidations through `PerpAccount.shouldLiquidate`). Each hook is optional.
 */
export interface FlashCrashHooks {
  withdrawLiquidity?(venue: string, symbol: string, liquidityFactor: number, time: number): void;
  movePrice?(venue: string, symbol: string, priceFactor: number, time: number): void;
  cascade?(venue: string, symbol: string, priceFactor: number, time: number): void;
}

/** Dispatches a flash-crash event to the hooks in the order withdrawLiquidity, movePrice, cascade. Other events are ignored. */
export function playFlashCrashEvent(e: FaultEvent, hooks: FlashCrashHooks): void {
  if (e.kind !== 'FLASH_CRASH_START' && e.kind !== 'FLASH_CRASH_PRICE' && e.kind !== 'FLASH_CRASH_BOTTOM' && e.kind !== 'FLASH_CRASH_END') return;
  const sym = e.symbol ?? '';
  hooks.withdrawLiquidity?.(e.venue, sym, e.liquidityFactor ?? 1, e.time);
  hooks.movePrice?.(e.venue, sym, e.priceFactor ?? 1, e.time);
  if (e.kind !== 'FLASH_CRASH_START') hooks.cascade?.(e.venue, sym, e.priceFactor ?? 1, e.time);
}
