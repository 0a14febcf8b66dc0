import type { Instrument } from '../../market/instrument.ts';
import type { NewsEvent } from '../../market/market-data.ts';
import type { CreditRating } from './credit-ratings.ts';
import { CreditStep, type CreditSpreadProcess } from './credit-spread.ts';
import { YEAR_US } from './dynamics/curve-dynamics.ts';

/**
 * Credit events (downgrades and defaults) as objects the engine can deliver, and as news.
 * A default carries the settlement price (recovery * 100 per 100 face): the lead's ledger settles an
 * open position in the defaulted bond at that price at `time`.
 */

/** A downgrade or a default of one issuer's bond. */
export interface CreditEvent {
  kind: 'credit';
  /** Microseconds since the epoch. */
  time: number;
  /** The bond's symbol. */
  symbol: string;
  type: 'downgrade' | 'default';
  fromRating: CreditRating;
  toRating: CreditRating;
  /** Spread at the event, bp. */
  spreadBp: number;
  /** Recovery rate R. */
  recovery: number;
  /** Defaults: settlement price per 100 face (100 R); NaN for downgrades. */
  settlementPrice: number;
}

/** A NewsEvent carrying its credit event (strategies read `credit` in `onNews` when present). */
export interface CreditNewsEvent extends NewsEvent {
  credit: CreditEvent;
}

/** The headline of a credit event. */
export function creditHeadline(e: CreditEvent): string {
  return e.type === 'default'
    ? `${e.symbol} issuer defaults; bonds settle at recovery ${e.settlementPrice.toFixed(2)} per 100`
    : `${e.symbol} issuer downgraded ${e.fromRating} -> ${e.toRating}; spread ${e.spreadBp.toFixed(0)} bp`;
}

/**
 * The credit event as a NewsEvent about `instrument` (sentiment -1 and importance 1 for a default,
 * -0.5 and 0.6 for a downgrade).
 */
export function creditEventToNews(e: CreditEvent, instrument: Instrument | undefined): CreditNewsEvent {
  const isDefault = e.type === 'default';
  return {
    kind: 'news',
    time: e.time,
    instrument,
    symbols: [e.symbol],
    headline: creditHeadline(e),
    source: 'credit-sim',
    sentiment: isDefault ? -1 : -0.5,
    importance: isDefault ? 1 : 0.6,
    credit: e,
  };
}

/** Builds the event of a step result of a process at time `time` (undefined for `CreditStep.None`). */
export function creditEventOf(process: CreditSpreadProcess, result: CreditStep, symbol: string, time: number): CreditEvent | undefined {
  if (result === CreditStep.None) return undefined;
  const isDefault = result === CreditStep.Default;
  return {
    kind: 'credit',
    time,
    symbol,
    type: isDefault ? 'default' : 'downgrade',
    fromRating: isDefault ? process.rating : process.previousRating,
    toRating: process.rating,
    spreadBp: process.spreadBp,
    recovery: process.params.recovery,
    settlementPrice: isDefault ? process.settlementPrice : NaN,
  };
}

/** Result of `simulateCredit`. */
export interface CreditPath {
  /** Step end times, microseconds. */
  times: number[];
  /** Spread at each time, bp. */
  spreadsBp: number[];
  /** Rating at each time. */
  ratings: CreditRating[];
  /** Downgrades and the default, in time order (a default ends the path's events). */
  events: CreditEvent[];
}

/**
 * Runs a credit process over [start, end) in steps of `stepUs` microseconds (after `reset()`), for
 * reports and tests (allocates per step; the streaming form is `CreditSpreadProcess.step`). A
 * default's event time is the step end, where a run can observe it.
 */
export function simulateCredit(process: CreditSpreadProcess, symbol: string, start: number, end: number, stepUs: number): CreditPath {
  if (!(stepUs > 0) || !Number.isInteger(stepUs)) throw new RangeError(`stepUs must be a positive integer, got ${stepUs}`);
  if (!(end > start)) throw new RangeError(`end (${end}) must be after start (${start})`);
  process.reset();
  const out: CreditPath = { times: [], spreadsBp: [], ratings: [], events: [] };
  for (let t = start + stepUs; t <= end; t += stepUs) {
    const r = process.step(stepUs / YEAR_US);
    out.times.push(t);
    out.spreadsBp.push(process.spreadBp);
    out.ratings.push(process.rating);
    const e = creditEventOf(process, r, symbol, t);
    if (e) out.events.push(e);
  }
  return out;
}
