import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { z } from 'zod';
import { DataError, MarketsimError } from '../core/errors.ts';
import { microsFromIso } from '../core/time.ts';
import { parseIsoAt } from '../data/csv-fields.ts';
import type { RunSummary } from '../cli/output.ts';
import { numberField, readCsvFile, type CsvFile, type CsvRow } from './csv-file.ts';

/** The equity curve of a run (equity.csv): times in microseconds, values in the account currency. */
export interface EquitySeries {
  time: number[];
  equity: number[];
  exposure: number[];
}

/** One fill (fills.csv), time in microseconds. */
export interface FillRow {
  time: number;
  orderId: number;
  symbol: string;
  side: 'BUY' | 'SELL';
  price: number;
  quantity: number;
  fee: number;
  liquidity: string;
  tag: string;
}

/** One instrument's mark price and signed position value over time (prices.csv). */
export interface PriceSeries {
  time: number[];
  price: number[];
  value: number[];
}

/** One instrument of the run (instruments.csv): asset class and PnL at the end (account currency). */
export interface InstrumentRow {
  symbol: string;
  assetClass: string;
  currency: string;
  quantity: number;
  realizedPnl: number;
  unrealizedPnl: number;
  fees: number;
}

/** Everything the report reads from a run's output folder. Optional files are undefined when absent. */
export interface RunFolder {
  dir: string;
  /** The folder's name, used as the run's name. */
  name: string;
  summary: RunSummary;
  equity: EquitySeries;
  fills: FillRow[];
  /** orders.csv as read (every column kept as text). */
  orders: CsvFile | undefined;
  /** Per symbol, in order of first appearance (prices.csv; absent for runs written before it existed). */
  prices: Map<string, PriceSeries> | undefined;
  /** instruments.csv, or symbols seen in the fills and positions with asset class `unknown` and no PnL when absent. */
  instruments: InstrumentRow[];
  /** True when instruments.csv was present (PnL by instrument is known). */
  hasInstrumentPnl: boolean;
  /** run.json's `config` (the validated run config), when present. */
  config: Record<string, unknown> | undefined;
}

const num = z.number();
const numOrNull = z.number().nullable();
const summarySchema = z
  .object({
    finalValue: num,
    cash: num,
    startingCash: num,
    positions: z.record(num),
    fills: z.array(z.object({ time: z.string(), symbol: z.string(), side: z.enum(['BUY', 'SELL']), price: num, quantity: num, fee: num, orderId: num }).passthrough()),
    rejected: z.array(z.object({ time: z.string(), symbol: z.string(), side: z.string(), quantity: numOrNull, reason: z.string(), orderId: num }).passthrough()),
    stats: z.record(numOrNull),
    trades: z.array(
      z.object({ symbol: z.string(), side: z.string(), entryTime: z.string(), exitTime: z.string(), quantity: num, entryPrice: num, exitPrice: num, pnl: num }).passthrough(),
    ),
    journalHash: z.string(),
    events: num,
    seed: num,
    startTime: z.string().nullable(),
    endTime: z.string().nullable(),
  })
  .passthrough();

function readJson(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new DataError(path, 1, undefined, `not valid JSON: ${(e as Error).message}`);
  }
}

/** Reads and checks summary.json; a wrong field is an error naming its path. */
export function readSummary(path: string): RunSummary {
  const parsed = summarySchema.safeParse(readJson(path));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new MarketsimError('REPORT_INPUT', `${path}: field ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data as unknown as RunSummary;
}

function timeField(file: CsvFile, row: CsvRow, column: string): number {
  const text = row.values[column] ?? '';
  // the fast parser of the data ring first (the run's own ISO times), the general one for anything else
  const fast = parseIsoAt(text, 0, text.length);
  const t = fast === fast ? fast : microsFromIso(text);
  if (Number.isNaN(t)) throw new DataError(file.path, row.line, column, `not an ISO 8601 time: ${JSON.stringify(row.values[column] ?? '')}`);
  return t;
}

function readEquity(path: string): EquitySeries {
  const f = readCsvFile(path, ['time', 'equity', 'gross_exposure']);
  const out: EquitySeries = { time: [], equity: [], exposure: [] };
  for (const r of f.rows) {
    const t = timeField(f, r, 'time');
    if (out.time.length > 0 && t < out.time[out.time.length - 1]!) throw new DataError(path, r.line, 'time', 'times must not decrease');
    out.time.push(t);
    out.equity.push(numberField(f, r, 'equity'));
    out.exposure.push(numberField(f, r, 'gross_exposure'));
  }
  return out;
}

function readFills(path: string): FillRow[] {
  const f = readCsvFile(path, ['time', 'order_id', 'symbol', 'side', 'price', 'quantity', 'fee']);
  return f.rows.map((r) => {
    const side = r.values.side;
    if (side !== 'BUY' && side !== 'SELL') throw new DataError(path, r.line, 'side', `expected BUY or SELL, got ${JSON.stringify(side)}`);
    return {
      time: timeField(f, r, 'time'),
      orderId: numberField(f, r, 'order_id'),
      symbol: r.values.symbol ?? '',
      side,
      price: numberField(f, r, 'price'),
      quantity: numberField(f, r, 'quantity'),
      fee: numberField(f, r, 'fee'),
      liquidity: r.values.liquidity ?? '',
      tag: r.values.tag ?? '',
    };
  });
}

function readPrices(path: string): Map<string, PriceSeries> {
  const f = readCsvFile(path, ['time', 'symbol', 'price', 'position_value']);
  const out = new Map<string, PriceSeries>();
  for (const r of f.rows) {
    const sym = r.values.symbol ?? '';
    let s = out.get(sym);
    if (s === undefined) out.set(sym, (s = { time: [], price: [], value: [] }));
    const t = timeField(f, r, 'time');
    if (s.time.length > 0 && t < s.time[s.time.length - 1]!) throw new DataError(path, r.line, 'time', `times of ${sym} must not decrease`);
    s.time.push(t);
    s.price.push(numberField(f, r, 'price'));
    s.value.push(numberField(f, r, 'position_value'));
  }
  return out;
}

function readInstruments(path: string): InstrumentRow[] {
  const f = readCsvFile(path, ['symbol', 'asset_class', 'quantity', 'realized_pnl', 'unrealized_pnl', 'fees']);
  return f.rows.map((r) => ({
    symbol: r.values.symbol ?? '',
    assetClass: r.values.asset_class || 'other',
    currency: r.values.currency ?? '',
    quantity: numberField(f, r, 'quantity'),
    realizedPnl: numberField(f, r, 'realized_pnl'),
    unrealizedPnl: numberField(f, r, 'unrealized_pnl'),
    fees: numberField(f, r, 'fees'),
  }));
}

/**
 * Reads a run's output folder (what `writeRunOutputs` writes). summary.json and equity.csv are
 * required; fills.csv, orders.csv, prices.csv, instruments.csv and run.json are read when present.
 * A missing folder or required file, and any malformed field, is an error naming the file (and line).
 */
export function readRunFolder(dir: string): RunFolder {
  const root = resolve(dir);
  if (!existsSync(root)) throw new MarketsimError('REPORT_INPUT', `${root}: no such folder`);
  const path = (name: string) => join(root, name);
  for (const required of ['summary.json', 'equity.csv']) {
    if (!existsSync(path(required))) throw new MarketsimError('REPORT_INPUT', `${path(required)}: missing (is ${root} the output folder of a run?)`);
  }
  const summary = readSummary(path('summary.json'));
  const equity = readEquity(path('equity.csv'));
  const fills = existsSync(path('fills.csv')) ? readFills(path('fills.csv')) : [];
  const orders = existsSync(path('orders.csv')) ? readCsvFile(path('orders.csv'), ['order_id', 'symbol', 'side', 'status']) : undefined;
  const prices = existsSync(path('prices.csv')) ? readPrices(path('prices.csv')) : undefined;
  const hasInstrumentPnl = existsSync(path('instruments.csv'));
  let instruments: InstrumentRow[];
  if (hasInstrumentPnl) instruments = readInstruments(path('instruments.csv'));
  else {
    const symbols = new Set<string>([...(prices?.keys() ?? []), ...fills.map((f) => f.symbol), ...Object.keys(summary.positions)]);
    instruments = [...symbols].map((symbol) => ({ symbol, assetClass: 'unknown', currency: '', quantity: summary.positions[symbol] ?? 0, realizedPnl: NaN, unrealizedPnl: NaN, fees: NaN }));
  }
  let config: Record<string, unknown> | undefined;
  if (existsSync(path('run.json'))) {
    const run = readJson(path('run.json')) as { config?: unknown };
    if (run && typeof run.config === 'object' && run.config !== null) config = run.config as Record<string, unknown>;
  }
  return { dir: root, name: basename(root), summary, equity, fills, orders, prices, instruments, hasInstrumentPnl, config };
}
