import { MarketsimError } from '../../core/errors.ts';
import { US_PER_DAY, US_PER_HOUR } from '../../core/time.ts';
import { dayFromMicros } from '../../core/civil-date.ts';
import { SourceState, type BarEvent, type EventSource } from '../../market/market-data.ts';
import type { CorporateAction } from './corporate-actions.ts';
import { dividendFactor } from './dividends.ts';

/**
 * Historical bars read raw, split-adjusted or total-return adjusted, by backward adjustment (the
 * CRSP / Yahoo convention): the latest prices stay as traded and every bar before an ex-date is
 * multiplied by that event's factor, so returns across the event are what a holder earned.
 *
 * - split new:old: prices * old/new, volumes * new/old (split and total-return modes);
 * - cash dividend D on ex-date E with previous close P (the raw close of the last bar before E):
 *   prices * (P - D) / P (total-return mode only); volumes unchanged.
 *
 * A bar belongs to a trading day through `dayOf` (default: its UTC date, right for daily bars stamped
 * at midnight UTC and for US regular-session intraday bars; `newYorkDay` for bars stamped in
 * extended hours). It is "before" an ex-date when its day is earlier.
 */

/** How bars are adjusted. */
export type AdjustmentMode = 'raw' | 'split' | 'total-return';

/** Piecewise-constant factors: bars on a day before `days[i]` (and on or after `days[i-1]`) get `price[i]`, `volume[i]`. */
export interface AdjustmentSchedule {
  mode: AdjustmentMode;
  /** Distinct ex-dates (civil day numbers), ascending. */
  days: number[];
  /** Cumulative price factor for bars before `days[i]`; one more entry (1) for bars on or after the last. */
  price: number[];
  /** Cumulative volume factor, same layout. */
  volume: number[];
}

/** The civil day of a bar time: its UTC date. */
export const utcDay: (timeUs: number) => number = dayFromMicros;

/** The New York trading date of an instant between 04:00 and 24:00 New York time (UTC date of t - 6h). */
export function newYorkDay(timeUs: number): number {
  return Math.floor((timeUs - 6 * US_PER_HOUR) / US_PER_DAY);
}

/**
 * Builds the factors of `actions` (one symbol, any order) for a mode. `closeBefore(day)` gives the raw
 * close of the last bar before an ex-date (needed for dividends in total-return mode); undefined means
 * there is no bar before it, so the factor never applies.
 */
export function adjustmentSchedule(actions: readonly CorporateAction[], mode: AdjustmentMode, closeBefore: (day: number) => number | undefined = () => undefined): AdjustmentSchedule {
  const perDay = new Map<number, { p: number; v: number }>();
  if (mode !== 'raw') {
    for (const a of actions) {
      let p = 1;
      let v = 1;
      if (a.type === 'SPLIT') {
        p = a.ratioOld / a.ratioNew;
        v = a.ratioNew / a.ratioOld;
      } else if (mode === 'total-return') {
        const prev = closeBefore(a.day);
        if (prev === undefined) continue;
        try {
          p = dividendFactor(prev, a.amount);
        } catch (e) {
          throw new MarketsimError('CORPORATE_ACTION_INVALID', `${a.file}:${a.line}: ${a.symbol} dividend on ${a.date}: ${(e as Error).message}`);
        }
      } else continue;
      const cur = perDay.get(a.day) ?? { p: 1, v: 1 };
      cur.p *= p;
      cur.v *= v;
      perDay.set(a.day, cur);
    }
  }
  const days = [...perDay.keys()].sort((x, y) => x - y);
  const price = new Array<number>(days.length + 1);
  const volume = new Array<number>(days.length + 1);
  price[days.length] = 1;
  volume[days.length] = 1;
  for (let i = days.length - 1; i >= 0; i--) {
    const f = perDay.get(days[i]!)!;
    price[i] = price[i + 1]! * f.p;
    volume[i] = volume[i + 1]! * f.v;
  }
  return { mode, days, price, volume };
}

/** Index into a schedule's factors for a bar day. */
function segment(s: AdjustmentSchedule, day: number): number {
  let i = 0;
  while (i < s.days.length && s.days[i]! <= day) i++;
  return i;
}

/** Options of `adjustBars`. */
export interface AdjustOptions {
  /** Trading day of a bar time (default `utcDay`). */
  dayOf?: (timeUs: number) => number;
  /** Round adjusted prices to this many decimals (default: no rounding). */
  decimals?: number;
}

function roundTo(x: number, decimals: number | undefined): number {
  if (decimals === undefined) return x;
  const m = 10 ** decimals;
  return Math.round(x * m) / m;
}

/**
 * Adjusted copies of a time-ordered bar array for `actions` of the bars' symbol (the actions of other
 * symbols are ignored). Raw mode returns plain copies.
 * Example (docs/equities.md): closes 122, 124 | 2-for-1 split | 63, 64 | dividend 1.00 | 63.5 ->
 * total-return closes 60.046875, 61.03125, 62.015625, 63, 63.5.
 */
export function adjustBars(bars: readonly BarEvent[], actions: readonly CorporateAction[], mode: AdjustmentMode, options: AdjustOptions = {}): BarEvent[] {
  if (bars.length === 0) return [];
  const symbol = bars[0]!.instrument.symbol;
  const dayOf = options.dayOf ?? utcDay;
  const mine = actions.filter((a) => a.symbol === symbol);
  const days = bars.map((b) => dayOf(b.time));
  const closeBefore = (exDay: number): number | undefined => {
    let lo = 0;
    let hi = days.length; // first bar with day >= exDay
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (days[mid]! < exDay) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? undefined : bars[lo - 1]!.close;
  };
  const sched = adjustmentSchedule(mine, mode, closeBefore);
  return bars.map((b, i) => {
    const k = segment(sched, days[i]!);
    const f = sched.price[k]!;
    const v = sched.volume[k]!;
    return { ...b, open: roundTo(b.open * f, options.decimals), high: roundTo(b.high * f, options.decimals), low: roundTo(b.low * f, options.decimals), close: roundTo(b.close * f, options.decimals), volume: b.volume * v };
  });
}

/**
 * A streaming `EventSource<BarEvent>` that adjusts the bars of another source with a precomputed
 * schedule (`adjustmentSchedule`; for total-return mode the previous closes come from a first pass
 * or a daily file). Allocation-free per bar: `current` is one reused object, copy what you keep.
 */
export class AdjustedBarSource implements EventSource<BarEvent> {
  readonly name: string;
  readonly current: BarEvent;
  private k = 0;

  constructor(
    private readonly inner: EventSource<BarEvent>,
    private readonly schedule: AdjustmentSchedule,
    private readonly dayOf: (timeUs: number) => number = utcDay,
  ) {
    this.name = `${inner.name} (${schedule.mode})`;
    this.current = { kind: 'bar', time: 0, instrument: undefined as never, open: 0, high: 0, low: 0, close: 0, volume: 0 };
  }

  advance(): SourceState {
    const st = this.inner.advance();
    if (st !== SourceState.Ready) return st;
    const b = this.inner.current;
    const day = this.dayOf(b.time);
    const s = this.schedule;
    while (this.k < s.days.length && s.days[this.k]! <= day) this.k++;
    const f = s.price[this.k]!;
    const c = this.current;
    c.time = b.time;
    c.instrument = b.instrument;
    c.open = b.open * f;
    c.high = b.high * f;
    c.low = b.low * f;
    c.close = b.close * f;
    c.volume = b.volume * s.volume[this.k]!;
    return st;
  }

  refill(): Promise<void> {
    return this.inner.refill();
  }

  close(): void {
    this.inner.close();
  }
}
