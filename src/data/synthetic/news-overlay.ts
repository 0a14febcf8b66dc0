import type { Rng } from '../../core/rng.ts';
import type { Instrument } from '../../market/instrument.ts';
import type { NewsEvent, StatusEvent } from '../../market/market-data.ts';
import { MINUTE_US, NewsImpactModel, NewsImpactState, NewsSimulator, type NewsImpact, type NewsSimEvent, type NewsSimOptions } from './news-sim.ts';

/**
 * News impact applied inside a price generator (docs/models.md, "News in the price generators"). The
 * overlay reads a time-ordered stream of news and status events (from `NewsSimulator`, or given), keeps
 * the items about one instrument, and answers, for a time t:
 *
 *     offset(t)           = sum of jumps with t_i <= t  +  sum of driftPerMinute_i * min(t - t_i, driftMinutes) / 1 min
 *     volMultiplier(t)    = 1 + sum volExcess_i 2^(-(t - t_i)/h_vol)        (and spread, volume alike)
 *     halted              = between a HALT and the next RESUME status event of the instrument
 *
 * A generator adds `offset` to the log price, multiplies its return scale by `volMultiplier`, its spread by
 * `spreadMultiplier` and its activity (trade intensity, volume) by `volumeMultiplier`, and emits nothing
 * tradable while `halted`. Times must be asked in non-decreasing order.
 */

/** Simulated news for one instrument (the `NewsSimulator` options other than instruments, times, rng and batch size). */
export type NewsSimConfig = Omit<NewsSimOptions, 'instruments' | 'start' | 'end' | 'rng' | 'batchSize'>;

/** News for a generator: simulated from a config, or an explicit time-ordered event list or batch stream. */
export type NewsInput = NewsSimConfig & {
  /** Use these events instead of simulating (time-ordered; other instruments' items are ignored). */
  events?: readonly NewsSimEvent[] | Iterable<readonly NewsSimEvent[]>;
};

/** The impact state of one instrument's news, fed by a stream of news and status events. */
export class NewsOverlay {
  readonly model: NewsImpactModel;
  private readonly state = new NewsImpactState();
  private readonly it: Iterator<readonly NewsSimEvent[]>;
  private buf: readonly NewsSimEvent[] = [];
  private pos = 0;
  private done = false;
  /** Jumps (and finished drifts) applied so far, log-return units. */
  private fixed = 0;
  private readonly drifts: NewsImpact[] = [];
  /** True between a HALT and the next RESUME of the instrument. */
  halted = false;

  constructor(
    readonly instrument: Instrument,
    input: NewsInput,
    window: { start: number; end: number; rng: Rng },
  ) {
    this.model = new NewsImpactModel(input.impact ?? {});
    if (input.events !== undefined) {
      const ev = input.events;
      this.it = (Array.isArray(ev) && (ev.length === 0 || !Array.isArray(ev[0])) ? [ev as readonly NewsSimEvent[]] : (ev as Iterable<readonly NewsSimEvent[]>))[Symbol.iterator]();
    } else {
      const sim = new NewsSimulator({
        instruments: [instrument],
        start: window.start,
        end: window.end,
        rng: window.rng,
        impact: input.impact ?? {},
        ...(input.ratePerDay !== undefined ? { ratePerDay: input.ratePerDay } : {}),
        ...(input.scheduled !== undefined ? { scheduled: input.scheduled } : {}),
        ...(input.sentiment !== undefined ? { sentiment: input.sentiment } : {}),
        ...(input.importance !== undefined ? { importance: input.importance } : {}),
        ...(input.scheduledSentiment !== undefined ? { scheduledSentiment: input.scheduledSentiment } : {}),
        ...(input.scheduledImportance !== undefined ? { scheduledImportance: input.scheduledImportance } : {}),
      });
      this.it = sim.batches();
    }
  }

  private concerns(e: NewsSimEvent): boolean {
    if (e.kind === 'status') return e.instrument === this.instrument || e.instrument?.symbol === this.instrument.symbol;
    return e.symbols.length === 0 || e.symbols.includes(this.instrument.symbol);
  }

  /** The next event about the instrument, without consuming it (undefined at the end). */
  peek(): NewsEvent | StatusEvent | undefined {
    for (;;) {
      while (this.pos < this.buf.length) {
        const e = this.buf[this.pos]!;
        if (this.concerns(e)) return e;
        this.pos++;
      }
      if (this.done) return undefined;
      const r = this.it.next();
      if (r.done) {
        this.done = true;
        return undefined;
      }
      this.buf = r.value;
      this.pos = 0;
    }
  }

  /** Time of the next event about the instrument (Infinity when none). */
  nextTime(): number {
    const e = this.peek();
    return e === undefined ? Infinity : e.time;
  }

  /** Consumes the next event and applies it: a news item adds its impact, a HALT/RESUME sets `halted`. */
  take(): NewsEvent | StatusEvent {
    const e = this.peek();
    if (e === undefined) throw new RangeError('NewsOverlay.take: no event left');
    this.pos++;
    if (e.kind === 'status') {
      if (e.status === 'HALT') this.halted = true;
      else if (e.status === 'RESUME') this.halted = false;
      return e;
    }
    const imp = this.model.impact(e);
    this.state.add(imp);
    this.fixed += imp.jump;
    if (imp.driftPerMinute !== 0) this.drifts.push(imp);
    return e;
  }

  /** Cumulative log-price offset at t: jumps applied so far plus the drifts accrued up to t. */
  offset(t: number): number {
    let s = this.fixed;
    for (let i = 0; i < this.drifts.length; i++) {
      const d = this.drifts[i]!;
      const el = Math.min(Math.max(t - d.time, 0), d.driftMinutes * MINUTE_US);
      s += (d.driftPerMinute * el) / MINUTE_US;
      if (el === d.driftMinutes * MINUTE_US) {
        // finished: fold into the fixed part (times only move forward)
        this.fixed += d.driftPerMinute * d.driftMinutes;
        this.drifts.splice(i--, 1);
      }
    }
    return s;
  }

  volMultiplier(t: number): number {
    return this.state.volMultiplier(t);
  }

  spreadMultiplier(t: number): number {
    return this.state.spreadMultiplier(t);
  }

  volumeMultiplier(t: number): number {
    return this.state.volumeMultiplier(t);
  }
}
