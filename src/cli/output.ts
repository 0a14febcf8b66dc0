import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isoFromMicros } from '../core/time.ts';
import type { RunReport } from '../sim/run.ts';
import { writeReport } from '../report/write-report.ts';

/**
 * The JSON summary of a run (`--json` output and `summary.json`). Field names are a contract:
 * finalValue, cash, positions, fills, rejected, stats, journalHash (more may be added, none renamed).
 */
export interface RunSummary {
  finalValue: number;
  cash: number;
  startingCash: number;
  positions: Record<string, number>;
  fills: { time: string; symbol: string; side: 'BUY' | 'SELL'; price: number; quantity: number; fee: number; orderId: number }[];
  rejected: { time: string; symbol: string; side: 'BUY' | 'SELL'; quantity: number; reason: string; orderId: number }[];
  stats: Record<string, number | null>;
  trades: { symbol: string; side: string; entryTime: string; exitTime: string; quantity: number; entryPrice: number; exitPrice: number; pnl: number }[];
  journalHash: string;
  events: number;
  seed: number;
  startTime: string | null;
  endTime: string | null;
}

/** Builds the summary document of a run. Non-finite statistics become null. */
export function summarize(report: RunReport): RunSummary {
  const r = report.result;
  const stats: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(report.stats)) stats[k] = typeof v === 'number' && Number.isFinite(v) ? v : null;
  const iso = (t: number) => (Number.isFinite(t) ? isoFromMicros(t) : null);
  return {
    finalValue: r.finalValue,
    cash: r.cash,
    startingCash: report.config.account.cash,
    positions: r.positions,
    fills: r.fills.map((f) => ({ time: isoFromMicros(f.time), symbol: f.symbol, side: f.side, price: f.price, quantity: f.quantity, fee: f.fee, orderId: f.orderId })),
    rejected: r.rejected.map((x) => ({ time: isoFromMicros(x.time), symbol: x.symbol, side: x.side, quantity: x.quantity, reason: x.reason, orderId: x.orderId })),
    stats,
    trades: report.trades.map((t) => ({
      symbol: t.symbol,
      side: t.side,
      entryTime: isoFromMicros(t.entryTime),
      exitTime: isoFromMicros(t.exitTime),
      quantity: t.quantity,
      entryPrice: t.entryPrice,
      exitPrice: t.exitPrice,
      pnl: t.pnl,
    })),
    journalHash: r.journalHash,
    events: r.events,
    seed: report.config.seed,
    startTime: iso(r.startTime),
    endTime: iso(r.endTime),
  };
}

function csvField(v: unknown): string {
  const s = v === undefined || v === null || (typeof v === 'number' && Number.isNaN(v)) ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csv(header: string[], rows: unknown[][]): string {
  return [header.join(','), ...rows.map((r) => r.map(csvField).join(','))].join('\n') + '\n';
}

/**
 * Writes fills.csv, orders.csv, equity.csv and summary.json into `dir` (created if needed), then the
 * files of the visual report: prices.csv (each instrument's mark and position value over time),
 * instruments.csv (asset class and PnL per instrument), run.json (the config and the instruments)
 * and report.html (docs/report.md).
 */
export function writeRunOutputs(dir: string, report: RunReport, summary: RunSummary = summarize(report)): void {
  mkdirSync(dir, { recursive: true });
  const r = report.result;
  writeFileSync(
    join(dir, 'fills.csv'),
    csv(
      ['time', 'order_id', 'symbol', 'side', 'price', 'quantity', 'fee', 'liquidity', 'tag'],
      r.fills.map((f) => [isoFromMicros(f.time), f.orderId, f.symbol, f.side, f.price, f.quantity, f.fee, f.liquidity, f.tag]),
    ),
  );
  writeFileSync(
    join(dir, 'orders.csv'),
    csv(
      ['order_id', 'accept_time', 'symbol', 'side', 'type', 'tif', 'price', 'trigger_price', 'quantity', 'filled', 'avg_price', 'status', 'reason', 'tag'],
      r.orders.map((o) => {
        const inst = o.instrument;
        return [
          o.id,
          Number.isFinite(o.acceptTime) ? isoFromMicros(o.acceptTime) : '',
          inst?.symbol ?? '',
          o.side,
          o.type,
          o.tif,
          inst && o.price === o.price ? inst.price(o.price) : '',
          inst && o.triggerPrice === o.triggerPrice ? inst.price(o.triggerPrice) : '',
          inst ? inst.size(o.quantity) : '',
          inst ? inst.size(o.filled) : '',
          inst && o.filled > 0 ? o.avgPrice / inst.priceScale : '',
          o.status,
          o.rejectReason ?? o.cancelReason ?? '',
          o.tag,
        ];
      }),
    ),
  );
  writeFileSync(
    join(dir, 'equity.csv'),
    csv(
      ['time', 'equity', 'gross_exposure'],
      Array.from(r.equity.time, (t, i) => [isoFromMicros(t), r.equity.value[i], r.equity.exposure[i]]),
    ),
  );
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  writeReportInputs(dir, report);
  writeReport(dir);
}

/** Writes prices.csv, instruments.csv and run.json: what the report needs beyond the files above. */
export function writeReportInputs(dir: string, report: RunReport): void {
  const series = report.result.instrumentSeries;
  const rows: unknown[][] = [];
  for (const s of series) {
    for (let i = 0; i < s.time.length; i++) rows.push([isoFromMicros(s.time[i]!), s.symbol, s.price[i], s.value[i]]);
  }
  writeFileSync(join(dir, 'prices.csv'), csv(['time', 'symbol', 'price', 'position_value'], rows));
  const bySymbol = new Map(series.map((s) => [s.symbol, s]));
  writeFileSync(
    join(dir, 'instruments.csv'),
    csv(
      ['symbol', 'asset_class', 'currency', 'multiplier', 'quantity', 'realized_pnl', 'unrealized_pnl', 'fees'],
      report.instruments.map((i) => {
        const s = bySymbol.get(i.symbol);
        return [i.symbol, i.assetClass, i.currency, i.multiplier, s?.quantity ?? 0, s?.realizedPnl ?? 0, s?.unrealizedPnl ?? 0, s?.fees ?? 0];
      }),
    ),
  );
  const run = {
    config: report.config,
    instruments: report.instruments.map((i) => ({
      symbol: i.symbol,
      assetClass: i.assetClass,
      venue: i.venue,
      currency: i.currency,
      pricePrecision: i.pricePrecision,
      sizePrecision: i.sizePrecision,
      tickSize: i.tickSize,
      lotSize: i.lotSize,
      multiplier: i.multiplier,
    })),
  };
  writeFileSync(join(dir, 'run.json'), JSON.stringify(run, null, 2) + '\n');
}
