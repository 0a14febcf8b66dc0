import { basename } from 'node:path';
import { MarketsimError } from '../core/errors.ts';
import { daysFromCivil } from './csv-fields.ts';

/**
 * The LOBSTER file format (lobsterdata.com, docs/lobster.md): names, message types, empty-level
 * markers, and the conversion of "seconds after midnight" into UTC microseconds.
 */

/** LOBSTER message types (column 2 of a message file). 6 (cross trade) is from LOBSTER's newer readmes. */
export const LobsterType = {
  /** Submission of a new limit order. */
  Add: 1,
  /** Partial cancellation (`size` is the canceled quantity). */
  Cancel: 2,
  /** Total deletion (`size` is the remaining quantity). */
  Delete: 3,
  /** Execution of a visible limit order. */
  Execute: 4,
  /** Execution of a hidden limit order (the visible book does not change). */
  HiddenExecute: 5,
  /** Cross trade (auction); the visible book does not change. */
  Cross: 6,
  /** Trading halt indicator: price -1 halt, 0 quoting, 1 resume. */
  Halt: 7,
} as const;
export type LobsterType = (typeof LobsterType)[keyof typeof LobsterType];

/** Ask price of an empty order-book slot. */
export const EMPTY_ASK_PRICE = 9_999_999_999;
/** Bid price of an empty order-book slot. */
export const EMPTY_BID_PRICE = -9_999_999_999;
/** Price precision of LOBSTER prices (USD x 10000). */
export const LOBSTER_PRICE_PRECISION = 4;
/** Default time zone of LOBSTER's "seconds after midnight" (NASDAQ). */
export const DEFAULT_LOBSTER_TIME_ZONE = 'America/New_York';

/** What a LOBSTER file name says: `AAPL_2012-06-21_34200000_57600000_message_10.csv[.gz]`. */
export interface LobsterFileName {
  symbol: string;
  /** `YYYY-MM-DD`. */
  date: string;
  /** Milliseconds after midnight of the requested window. */
  startMs: number;
  endMs: number;
  kind: 'message' | 'orderbook';
  levels: number;
}

const NAME_RE = /^(.+?)_(\d{4}-\d{2}-\d{2})_(\d+)_(\d+)_(message|orderbook)_(\d+)(?:_[^.]*)?\.csv(?:\.gz)?$/i;

/**
 * Parses a LOBSTER file name (any directory; a suffix after the level such as `_first20000` is
 * allowed); undefined when the name does not follow the pattern.
 */
export function parseLobsterFileName(path: string): LobsterFileName | undefined {
  const m = NAME_RE.exec(basename(path));
  if (!m) return undefined;
  return { symbol: m[1]!, date: m[2]!, startMs: Number(m[3]), endMs: Number(m[4]), kind: m[5]!.toLowerCase() as 'message' | 'orderbook', levels: Number(m[6]) };
}

/** Options that place LOBSTER times on the UTC axis. */
export interface LobsterTimeOptions {
  /** Trading date `YYYY-MM-DD` (default: from the file name). */
  date?: string;
  /** IANA time zone of "seconds after midnight" (default `America/New_York`). */
  timeZone?: string;
  /** Fixed offset of local time from UTC in minutes (EDT: -240); overrides `timeZone`. */
  utcOffsetMinutes?: number;
}

const US_PER_DAY = 86_400_000_000;

/**
 * Offset of `timeZone` from UTC in minutes on `date`, taken at 12:00 UTC (08:00 in New York): one
 * offset per file, since daylight-saving switches happen at 02:00 local time, outside sessions.
 */
export function zoneOffsetMinutes(timeZone: string, date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const instant = Date.UTC(y, m - 1, d, 12, 0, 0);
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  } catch {
    throw new MarketsimError('CONFIG_INVALID', `unknown time zone '${timeZone}'`);
  }
  const parts: Record<string, number> = {};
  for (const p of fmt.formatToParts(new Date(instant))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const local = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return Math.round((local - instant) / 60_000);
}

/**
 * UTC microseconds of local midnight of the file's date: add "seconds after midnight" (as
 * microseconds) to get event times. Throws a `MarketsimError` naming the file when the date is
 * neither in the options nor in the file name.
 */
export function lobsterDayStartUs(path: string, options: LobsterTimeOptions = {}): number {
  const date = options.date ?? parseLobsterFileName(path)?.date;
  if (date === undefined) {
    throw new MarketsimError('CONFIG_INVALID', `${path}: cannot take the trading date from the file name (expected TICKER_YYYY-MM-DD_start_end_message_N.csv); pass the date option`);
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new MarketsimError('CONFIG_INVALID', `date '${date}' is not YYYY-MM-DD`);
  const offset = options.utcOffsetMinutes ?? zoneOffsetMinutes(options.timeZone ?? DEFAULT_LOBSTER_TIME_ZONE, date);
  if (!Number.isInteger(offset) || Math.abs(offset) > 18 * 60) throw new MarketsimError('CONFIG_INVALID', `utcOffsetMinutes must be an integer within +-1080, got ${offset}`);
  return daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3])) * US_PER_DAY - offset * 60_000_000;
}

/** The symbol of a LOBSTER file (from its name, else the name without extensions). */
export function lobsterSymbol(path: string): string {
  return parseLobsterFileName(path)?.symbol ?? basename(path).replace(/\.gz$/i, '').replace(/\.[^.]*$/, '');
}
