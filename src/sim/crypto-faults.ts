import { ConfigError, MarketsimError } from '../core/errors.ts';
import { microsFromIso } from '../core/time.ts';
import type { Rng } from '../core/rng.ts';
import type { Instrument } from '../market/instrument.ts';
import { SourceState, type EventSource, type MarketEvent, type MarketStatus, type StatusEvent } from '../market/market-data.ts';
import { buildFaultSchedule, VenueFaultState, type FaultEvent, type FaultEventKind, type RestingOrderPolicy } from '../assets/crypto/faults.ts';
import { faultTransition } from '../assets/crypto/rules.ts';
import type { CryptoFaultConfig } from './crypto-config.ts';

/**
 * Venue faults in a run (docs/crypto.md, "Crypto rules in a run"): the fault entries of a `crypto:`
 * block become one sorted `FaultEvent` schedule; its transitions become OUTAGE/RESUME status events
 * for every crypto instrument (`FaultStatusSource`: the venue rejects orders with VENUE_OUTAGE and
 * applies its outage policy, the strategy sees the status), and a data overlay
 * (`CryptoDataOverlay`) stops the venue's bars, quotes and trades during the windows and plays the
 * flash crashes on the data: prices scaled by the crash path, sizes by the liquidity left, and one
 * trade print at every point of the path so stop orders (and liquidations) cascade through the venue.
 */

/** A change of the venue's state: OUTAGE when it goes down, RESUME when the last window closes. */
export interface FaultTransition {
  time: number;
  status: Extract<MarketStatus, 'OUTAGE' | 'RESUME'>;
  /** `maintenance` or `outage` (the kind of window that opened it), `end of maintenance` ... */
  reason: string;
}

/** One point of a flash crash path for a symbol: the factor applies from `time` on. */
export interface CrashPoint {
  time: number;
  symbol: string;
  kind: FaultEventKind;
  /** Price relative to the data (1 = unchanged). */
  priceFactor: number;
  /** Share of the data's sizes kept (1 = all). */
  liquidityFactor: number;
}

/** The faults of a run, planned once before it starts. */
export interface FaultPlan {
  /** Every fault event, in schedule order. */
  events: FaultEvent[];
  transitions: FaultTransition[];
  /** Down windows [start, end) of the venue (end Infinity when a window never closes). */
  down: { start: number; end: number }[];
  /** Flash-crash points of every symbol, in time order. */
  crashPoints: CrashPoint[];
  /** What outages do to resting orders. */
  restingOrders: RestingOrderPolicy;
}

const SEC = 1_000_000;

function at(text: string): number {
  return microsFromIso(text);
}

/**
 * Plans the fault entries of a `crypto:` block for the venue: explicit maintenance and outage windows,
 * recurring maintenance and random outages over their [from, to), flash crashes. Random outages draw
 * from `rng.fork('faults/K')` (K the entry's index), so each entry's draws do not depend on the others.
 * Ties at equal times: window ends before starts, then entry order. Errors name `crypto.faults.K.field`.
 */
export function planFaults(faults: readonly CryptoFaultConfig[], venue: string, restingOrders: RestingOrderPolicy, rng: Rng): FaultPlan {
  const all: { e: Omit<FaultEvent, 'seq'>; k: number; i: number }[] = [];
  const push = (k: number, list: readonly Omit<FaultEvent, 'seq'>[]) => list.forEach((e, i) => all.push({ e, k, i }));
  faults.forEach((f, k) => {
    const path = `crypto.faults.${k}`;
    const fail = (field: string, message: string): never => {
      throw new ConfigError([{ path: `${path}.${field}`, message }]);
    };
    try {
      if (f.type === 'maintenance' || f.type === 'outage') {
        const start = at(f.start);
        const end = f.end !== undefined ? at(f.end) : start + Math.round((f.type === 'maintenance' ? f.durationMinutes! * 60 : f.durationSeconds!) * SEC);
        if (!(end > start)) fail('end', 'must be after start');
        const kind = f.type === 'maintenance' ? 'MAINTENANCE' : 'OUTAGE';
        push(k, [
          { time: start, venue, kind: `${kind}_START`, policy: restingOrders },
          { time: end, venue, kind: `${kind}_END` },
        ]);
      } else if (f.type === 'recurring-maintenance') {
        const from = at(f.from);
        const to = at(f.to);
        if (!(to >= from)) fail('to', 'must not be before from');
        push(k, buildFaultSchedule([{ venue, restingOrders, recurringMaintenance: { periodHours: f.periodHours, offsetHours: f.offsetHours, durationMinutes: f.durationMinutes } }], from, to, rng.fork(`faults/${k}`)));
      } else if (f.type === 'random-outages') {
        const from = at(f.from);
        const to = at(f.to);
        if (!(to >= from)) fail('to', 'must not be before from');
        push(k, buildFaultSchedule([{ venue, restingOrders, outages: { perDay: f.perDay, duration: f.duration } }], from, to, rng.fork(`faults/${k}`)));
      } else {
        const time = at(f.start);
        const spec = { time, symbol: f.symbol, drop: f.drop, dropSeconds: f.dropSeconds, holdSeconds: f.holdSeconds, recoverySeconds: f.recoverySeconds, recovered: f.recovered, liquidityFactor: f.liquidityFactor, steps: f.steps };
        push(k, buildFaultSchedule([{ venue, flashCrashes: [spec] }], time, time + 1, rng.fork(`faults/${k}`)));
      }
    } catch (err) {
      if (err instanceof MarketsimError && err.code === 'FAULT_CONFIG_INVALID') {
        const field = /^faults\.[^.]+\.(?:[a-zA-Z]+\[\d+\]\.)?([^:]+):/.exec(err.message)?.[1] ?? '';
        throw new ConfigError([{ path: field ? `${path}.${field}` : path, message: err.message }]);
      }
      throw err;
    }
  });
  const rank = (kind: FaultEventKind): number => (kind === 'MAINTENANCE_END' || kind === 'OUTAGE_END' ? 0 : 1);
  all.sort((a, b) => a.e.time - b.e.time || rank(a.e.kind) - rank(b.e.kind) || a.k - b.k || a.i - b.i);
  const events: FaultEvent[] = all.map(({ e }, seq) => ({ ...e, seq }));
  const state = new VenueFaultState();
  const transitions: FaultTransition[] = [];
  const down: { start: number; end: number }[] = [];
  const crashPoints: CrashPoint[] = [];
  for (const e of events) {
    const s = faultTransition(state, e);
    if (s === 'OUTAGE') {
      transitions.push({ time: e.time, status: 'OUTAGE', reason: e.kind === 'MAINTENANCE_START' ? 'maintenance' : 'outage' });
      down.push({ start: e.time, end: Infinity });
    } else if (s === 'RESUME') {
      transitions.push({ time: e.time, status: 'RESUME', reason: e.kind === 'MAINTENANCE_END' ? 'end of maintenance' : 'end of outage' });
      down[down.length - 1]!.end = e.time;
    }
    if (e.symbol !== undefined) crashPoints.push({ time: e.time, symbol: e.symbol, kind: e.kind, priceFactor: e.priceFactor ?? 1, liquidityFactor: e.liquidityFactor ?? 1 });
  }
  return { events, transitions, down, crashPoints, restingOrders };
}

/**
 * The fault transitions as status events: at each transition, one `StatusEvent` per instrument that
 * `instruments()` returns when the source prepares it (the run's crypto instruments known by then, in
 * registry order). Status reason: `maintenance`, `outage`, `end of maintenance`, `end of outage`.
 */
export class FaultStatusSource implements EventSource<StatusEvent> {
  readonly name = 'crypto-faults';
  current!: StatusEvent;
  private t = -1;
  private pending: readonly Instrument[] = [];
  private j = 0;

  constructor(
    private readonly transitions: readonly FaultTransition[],
    private readonly instruments: () => readonly Instrument[],
  ) {}

  advance(): SourceState {
    for (;;) {
      if (this.t >= 0 && this.j < this.pending.length) {
        const tr = this.transitions[this.t]!;
        this.current = { kind: 'status', time: tr.time, instrument: this.pending[this.j++]!, status: tr.status, reason: tr.reason };
        return SourceState.Ready;
      }
      if (++this.t >= this.transitions.length) return SourceState.End;
      this.pending = this.instruments();
      this.j = 0;
    }
  }

  refill(): Promise<void> {
    return Promise.resolve();
  }

  close(): void {
    this.t = this.transitions.length;
  }
}

/** What the overlay keeps per symbol: the last raw price and size it saw. */
interface SymbolTrack {
  instrument: Instrument;
  /** Last price of the data (decimal, before any crash factor). */
  lastPrice: number;
  /** Last size (decimal): trade size, mean quote size, or bar volume. */
  lastSize: number;
  /** Index in the symbol's crash points of the next point not yet in force. */
  next: number;
  priceFactor: number;
  liquidityFactor: number;
}

/**
 * A data source seen through the venue's faults (see the module comment). For instruments `covers`
 * accepts: bars, quotes and trades inside a down window are dropped (book, status and news events
 * pass: replayed books keep their state); during and after a flash crash of the symbol, prices are
 * multiplied by the path's factor in force (rounded to the tick, at least one tick) and sizes by the
 * liquidity factor (rounded down to the lot); at every point of the path a trade print at the last data
 * price x factor is inserted (size: the last data size x liquidity, at least one lot; aggressor SELL
 * on the way down, BUY on the way up), so stops trigger at each level. After the END point the final
 * factor (1 - drop x (1 - recovered)) stays: a partial recovery is a lasting level shift of the data.
 * Crash points before the symbol's first event or after the data ends are skipped.
 */
export class CryptoDataOverlay implements EventSource<MarketEvent> {
  readonly name: string;
  current!: MarketEvent;
  private held: MarketEvent | undefined;
  private innerDone = false;
  private point = 0;
  private downIndex = 0;
  private readonly tracks = new Map<string, SymbolTrack>();
  private readonly bySymbol = new Map<string, CrashPoint[]>();

  constructor(
    private readonly inner: EventSource<MarketEvent>,
    private readonly plan: Pick<FaultPlan, 'down' | 'crashPoints'>,
    private readonly covers: (instrument: Instrument) => boolean,
  ) {
    this.name = inner.name;
    for (const p of plan.crashPoints) {
      let l = this.bySymbol.get(p.symbol);
      if (l === undefined) this.bySymbol.set(p.symbol, (l = []));
      l.push(p);
    }
  }

  advance(): SourceState {
    for (;;) {
      if (this.held === undefined && !this.innerDone) {
        const s = this.inner.advance();
        if (s === SourceState.Wait) return s;
        if (s === SourceState.End) this.innerDone = true;
        else this.held = this.inner.current;
      }
      if (this.innerDone) return SourceState.End;
      const e = this.held!;
      const pts = this.plan.crashPoints;
      if (this.point < pts.length && pts[this.point]!.time <= e.time) {
        if (this.inject(pts[this.point++]!)) return SourceState.Ready;
        continue;
      }
      this.held = undefined;
      const out = this.transform(e);
      if (out !== undefined) {
        this.current = out;
        return SourceState.Ready;
      }
    }
  }

  refill(): Promise<void> {
    return this.inner.refill();
  }

  close(): void {
    this.inner.close();
  }

  /** True when the venue is down at `time` (times arrive in order). */
  private isDown(time: number): boolean {
    const d = this.plan.down;
    while (this.downIndex < d.length && d[this.downIndex]!.end <= time) this.downIndex++;
    return this.downIndex < d.length && d[this.downIndex]!.start <= time;
  }

  private track(inst: Instrument): SymbolTrack {
    let t = this.tracks.get(inst.symbol);
    if (t === undefined) this.tracks.set(inst.symbol, (t = { instrument: inst, lastPrice: NaN, lastSize: 0, next: 0, priceFactor: 1, liquidityFactor: 1 }));
    return t;
  }

  /** Brings the symbol's crash factors to `time`. */
  private advanceFactors(t: SymbolTrack, time: number): void {
    const list = this.bySymbol.get(t.instrument.symbol);
    if (list === undefined) return;
    while (t.next < list.length && list[t.next]!.time <= time) {
      const p = list[t.next++]!;
      t.priceFactor = p.priceFactor;
      t.liquidityFactor = p.kind === 'FLASH_CRASH_END' ? 1 : p.liquidityFactor;
    }
  }

  private inject(p: CrashPoint): boolean {
    const t = this.tracks.get(p.symbol);
    if (t === undefined || t.lastPrice !== t.lastPrice) return false;
    const before = t.priceFactor;
    this.advanceFactors(t, p.time);
    if (this.isDown(p.time)) return false;
    const inst = t.instrument;
    const lot = inst.lotUnits;
    const sizeUnits = Math.max(lot, Math.floor((t.lastSize * inst.sizeScale * p.liquidityFactor) / lot) * lot);
    this.current = { kind: 'trade', time: p.time, instrument: inst, price: this.price(inst, t.lastPrice * p.priceFactor), size: inst.size(sizeUnits), aggressor: p.priceFactor < before ? 'SELL' : 'BUY' };
    return true;
  }

  private price(inst: Instrument, x: number): number {
    const tick = inst.tickUnits;
    return Math.max(tick, Math.round((x * inst.priceScale) / tick) * tick) / inst.priceScale;
  }

  private size(inst: Instrument, x: number, f: number): number {
    const lot = inst.lotUnits;
    return inst.size(Math.floor((x * inst.sizeScale * f) / lot + 1e-9) * lot);
  }

  private transform(e: MarketEvent): MarketEvent | undefined {
    if (e.kind !== 'bar' && e.kind !== 'quote' && e.kind !== 'trade') return e;
    const inst = e.instrument;
    if (!this.covers(inst)) return e;
    if (this.isDown(e.time)) return undefined;
    const t = this.track(inst);
    if (e.kind === 'bar') {
      t.lastPrice = e.close;
      t.lastSize = e.volume;
    } else if (e.kind === 'quote') {
      t.lastPrice = (e.bidPrice + e.askPrice) / 2;
      t.lastSize = (e.bidSize + e.askSize) / 2;
    } else {
      t.lastPrice = e.price;
      t.lastSize = e.size;
    }
    this.advanceFactors(t, e.time);
    const f = t.priceFactor;
    const l = t.liquidityFactor;
    if (f === 1 && l === 1) return e;
    if (e.kind === 'bar') {
      return { ...e, open: this.price(inst, e.open * f), high: this.price(inst, e.high * f), low: this.price(inst, e.low * f), close: this.price(inst, e.close * f), volume: this.size(inst, e.volume, l) };
    }
    if (e.kind === 'quote') {
      const bid = this.price(inst, e.bidPrice * f);
      let ask = this.price(inst, e.askPrice * f);
      if (e.askPrice > e.bidPrice && !(ask > bid)) ask = (Math.round(bid * inst.priceScale) + inst.tickUnits) / inst.priceScale; // keep the book uncrossed
      return { ...e, bidPrice: bid, askPrice: ask, bidSize: this.size(inst, e.bidSize, l), askSize: this.size(inst, e.askSize, l) };
    }
    return { ...e, price: this.price(inst, e.price * f), size: this.size(inst, e.size, l) };
  }
}
