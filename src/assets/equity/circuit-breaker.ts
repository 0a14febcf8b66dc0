import { MarketsimError } from '../../core/errors.ts';
import { US_PER_MINUTE } from '../../core/time.ts';

/**
 * Market-wide circuit breakers (NYSE Rule 7.12, Nasdaq Rule 4121 and the other exchanges' identical
 * rules, in force since 2013): declines of the S&P 500 from the previous day's close. Level 1 (7%) and
 * Level 2 (13%) halt all trading for 15 minutes when they occur before 3:25 p.m. (12:25 p.m. on an early
 * close day: 35 minutes before the close), and do not halt at or after it; Level 3 (20%) closes the
 * market for the rest of the day at any time. Each level halts at most once a day. Details and worked
 * examples: docs/equity-halts.md section 3.
 */

/**
 * NORMAL: trading. HALTED: a level 1 or 2 halt is running. CLOSED_FOR_DAY: level 3 was reached.
 * CLOSED: outside the regular session (before `startDay`/the open, after the close).
 */
export type CircuitBreakerState = 'CLOSED' | 'NORMAL' | 'HALTED' | 'CLOSED_FOR_DAY';

/** Receives the breaker's transitions synchronously. */
export interface CircuitBreakerListener {
  /**
   * A state change. `level` is the level that caused it (1, 2, 3; 0 for the open, the resumption
   * after a halt and the close); `until` the end of a halt (NaN otherwise).
   */
  change(time: number, from: CircuitBreakerState, to: CircuitBreakerState, level: number, until: number): void;
  /** A level 1 or 2 decline at or after the cutoff: no halt (reported once per level). */
  noHalt?(time: number, level: number): void;
}

/** Options; the defaults are the rule's. */
export interface CircuitBreakerOptions {
  /** Decline thresholds in percent for levels 1, 2 and 3 (default [7, 13, 20]). */
  levelsPct?: readonly [number, number, number];
  /** Halt length for levels 1 and 2 (default 15 min). */
  haltUs?: number;
  /** Levels 1 and 2 halt only before close - this (default 35 min: 15:25 for a 16:00 close). */
  cutoffBeforeCloseUs?: number;
}

/**
 * Watches a reference index (the S&P 500) during the regular session. Feed `startDay`, then index values
 * with `onIndex(time, value)` in time order; call `advance(now)` at `nextDeadline()` so a halt ends on time
 * without data. Triggers compare `value * 100 <= previousClose * (100 - pct)`, so a decline of exactly 7%
 * triggers level 1.
 */
export class CircuitBreaker {
  private readonly pct: readonly [number, number, number];
  private readonly haltUs: number;
  private readonly cutoffUs: number;
  private readonly listener: CircuitBreakerListener | undefined;
  private openUs = NaN;
  private closeUs = NaN;
  private prev = NaN;
  private st: CircuitBreakerState = 'CLOSED';
  private haltEndUs = NaN;
  private activeLevel = 0;
  /** Bit i set: level i+1 already used today (halted, or passed after the cutoff). */
  private used = 0;
  /** True once the session of the current day has closed. */
  private dayOver = false;

  constructor(listener?: CircuitBreakerListener, options: CircuitBreakerOptions = {}) {
    const pct = options.levelsPct ?? [7, 13, 20];
    if (!(pct.length === 3 && pct[0] > 0 && pct[0] < pct[1] && pct[1] < pct[2] && pct[2] < 100)) {
      throw new MarketsimError('CONFIG_INVALID', `circuit breaker levelsPct must be three increasing percentages in (0, 100), got ${JSON.stringify(pct)}`);
    }
    this.pct = [pct[0], pct[1], pct[2]];
    this.haltUs = options.haltUs ?? 15 * US_PER_MINUTE;
    this.cutoffUs = options.cutoffBeforeCloseUs ?? 35 * US_PER_MINUTE;
    if (!(Number.isInteger(this.haltUs) && this.haltUs > 0)) throw new MarketsimError('CONFIG_INVALID', `circuit breaker haltUs must be a positive integer, got ${this.haltUs}`);
    if (!(Number.isInteger(this.cutoffUs) && this.cutoffUs >= 0)) throw new MarketsimError('CONFIG_INVALID', `circuit breaker cutoffBeforeCloseUs must be a non-negative integer, got ${this.cutoffUs}`);
    this.listener = listener;
  }

  /** Current state (after the last processed time). */
  get state(): CircuitBreakerState {
    return this.st;
  }
  /** Level of the running halt or closure (0 when none). */
  get level(): number {
    return this.st === 'HALTED' || this.st === 'CLOSED_FOR_DAY' ? this.activeLevel : 0;
  }
  /** End of the running halt, NaN when not halted. */
  get haltEnd(): number {
    return this.st === 'HALTED' ? this.haltEndUs : NaN;
  }
  /** True when `level` (1, 2, 3) has been used today. */
  triggered(level: 1 | 2 | 3): boolean {
    return (this.used & (1 << (level - 1))) !== 0;
  }
  /** True while trading is stopped by the breaker (a halt or level 3). */
  get halted(): boolean {
    return this.st === 'HALTED' || this.st === 'CLOSED_FOR_DAY';
  }
  /** The index value at which `level` triggers today (NaN before `startDay`). */
  threshold(level: 1 | 2 | 3): number {
    return (this.prev * (100 - this.pct[level - 1]!)) / 100;
  }
  /** Time after which levels 1 and 2 no longer halt (close - 35 min by default). */
  get cutoff(): number {
    return this.closeUs - this.cutoffUs;
  }

  /**
   * A new day: the regular session [openUs, closeUs) and the index's previous close. All levels are
   * available again. The breaker becomes NORMAL at `openUs` (values before it are ignored).
   */
  startDay(openUs: number, closeUs: number, previousClose: number): void {
    if (!(Number.isFinite(openUs) && Number.isFinite(closeUs) && openUs < closeUs)) {
      throw new MarketsimError('MWCB_BAD_SESSION', `circuit breaker session must have open < close, got ${openUs}..${closeUs}`);
    }
    if (!(previousClose > 0 && Number.isFinite(previousClose))) throw new MarketsimError('MWCB_BAD_VALUE', `circuit breaker previous close must be > 0, got ${previousClose}`);
    this.openUs = openUs;
    this.closeUs = closeUs;
    this.prev = previousClose;
    this.st = 'CLOSED';
    this.haltEndUs = NaN;
    this.activeLevel = 0;
    this.used = 0;
    this.dayOver = false;
  }

  /** A value of the reference index. Values outside the session or during a halt trigger nothing. */
  onIndex(time: number, value: number): void {
    if (!(value > 0 && Number.isFinite(value))) throw new MarketsimError('MWCB_BAD_VALUE', `circuit breaker index value must be > 0, got ${value} at ${time}`);
    this.advance(time);
    if (this.st !== 'NORMAL') return;
    let level = 0;
    for (let l = 3; l >= 1; l--) {
      if (value * 100 <= this.prev * (100 - this.pct[l - 1]!)) {
        level = l;
        break;
      }
    }
    if (level === 0) return;
    const bit = 1 << (level - 1);
    if (level === 3) {
      if (this.used & bit) return;
      this.used |= 0b111;
      this.activeLevel = 3;
      this.st = 'CLOSED_FOR_DAY';
      this.listener?.change(time, 'NORMAL', 'CLOSED_FOR_DAY', 3, NaN);
      return;
    }
    if (this.used & bit) return; // this level has had its halt today (or passed after the cutoff)
    // a deeper level consumes the shallower ones: a gap from -6% to -14% is one level 2 halt
    const mask = (bit << 1) - 1;
    this.used |= mask;
    if (time >= this.closeUs - this.cutoffUs) {
      this.listener?.noHalt?.(time, level);
      return;
    }
    this.activeLevel = level;
    this.st = 'HALTED';
    this.haltEndUs = time + this.haltUs;
    this.listener?.change(time, 'NORMAL', 'HALTED', level, this.haltEndUs);
  }

  /** Processes the open, the end of a halt and the close when due at or before `now`, each at its own time. */
  advance(now: number): void {
    for (let guard = 0; guard < 8; guard++) {
      const d = this.nextDeadline();
      if (!(d <= now)) return;
      this.fire(d);
    }
  }

  /** The next time `advance` has something to do (Infinity: nothing). */
  nextDeadline(): number {
    if (this.openUs !== this.openUs) return Infinity;
    switch (this.st) {
      case 'CLOSED':
        return this.dayOver ? Infinity : this.openUs;
      case 'NORMAL':
        return this.closeUs;
      case 'HALTED':
        return Math.min(this.haltEndUs, this.closeUs);
      case 'CLOSED_FOR_DAY':
        return this.closeUs;
    }
  }

  private fire(t: number): void {
    const from = this.st;
    if (from === 'CLOSED') {
      this.st = 'NORMAL';
      this.dayOver = false;
      this.listener?.change(t, from, 'NORMAL', 0, NaN);
      return;
    }
    if (t >= this.closeUs) {
      this.st = 'CLOSED';
      this.dayOver = true;
      this.haltEndUs = NaN;
      this.listener?.change(t, from, 'CLOSED', 0, NaN);
      return;
    }
    if (from === 'HALTED') {
      this.st = 'NORMAL';
      this.haltEndUs = NaN;
      this.listener?.change(t, from, 'NORMAL', 0, NaN);
    }
  }
}
