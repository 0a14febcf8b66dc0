import { bucketSeconds, bucketTime, downsample, drawdown, stepAt, MAX_POINTS, type ChartSeries } from './chart-series.ts';
import type { RunFolder } from './run-folder.ts';

/** Colors of the asset classes (also used for the PnL bars and the price lines). */
export const ASSET_CLASS_COLORS: Readonly<Record<string, string>> = {
  equity: '#4ea1ff',
  crypto: '#f5a623',
  bond: '#7ed321',
  future: '#c77dff',
  fx: '#50e3c2',
  other: '#a0a7b4',
  unknown: '#a0a7b4',
};

/** Marker colors of buys and sells, the equity line and the drawdown area. */
export const COLORS = { buy: '#22c55e', sell: '#ef4444', equity: '#4ea1ff', drawdown: '#ef4444' } as const;

/** The color of an asset class (grey for classes without one). */
export function assetClassColor(assetClass: string): string {
  return ASSET_CLASS_COLORS[assetClass] ?? ASSET_CLASS_COLORS.other!;
}

/** A fill drawn on its instrument's price chart: bucket time (s), fill price, side, quantity. */
export interface ChartMarker {
  t: number;
  p: number;
  side: 'BUY' | 'SELL';
  q: number;
}

/** One instrument's price chart. */
export interface PriceChart {
  symbol: string;
  assetClass: string;
  color: string;
  price: ChartSeries;
  markers: ChartMarker[];
  /** Fills of this instrument in the run (markers may be fewer when capped). */
  fillCount: number;
}

/** Exposure of one asset class over time, signed, as a percent of equity. */
export interface ExposureSeries {
  assetClass: string;
  color: string;
  series: ChartSeries;
}

/** What the page script draws (embedded in the page as JSON). */
export interface ChartData {
  equity: ChartSeries;
  /** Drawdown in percent (<= 0). */
  drawdown: ChartSeries;
  prices: PriceChart[];
  /** `stacked` when no class is ever net short (areas stack to the total), else `lines`. */
  exposureMode: 'stacked' | 'lines';
  exposure: ExposureSeries[];
  colors: typeof COLORS;
}

/** One row of the PnL-by-instrument table (account currency). */
export interface PnlRow {
  symbol: string;
  assetClass: string;
  quantity: number;
  realizedPnl: number;
  unrealizedPnl: number;
  fees: number;
  /** realized + unrealized - fees. */
  netPnl: number;
}

/** The report's content, ready to render. */
export interface ReportModel {
  folder: RunFolder;
  charts: ChartData;
  pnl: PnlRow[];
  /**
   * finalValue - startingCash - sum of the instruments' net PnL: cash flows not attributed to an
   * instrument's trading (dividends, coupons, interest, funding); NaN when PnL per instrument is unknown.
   */
  otherPnl: number;
  /** Asset classes of the run's instruments, in order of first appearance. */
  assetClasses: string[];
}

/** Most markers drawn per price chart (the fills table lists them all). */
export const MAX_MARKERS = 1500;

/** Builds the charts' data and the PnL table from a run's output folder. */
export function buildReportModel(folder: RunFolder, maxPoints = MAX_POINTS): ReportModel {
  const eq = folder.equity;
  const n = eq.time.length;
  const bucket = n > 0 ? bucketSeconds(eq.time[0]!, eq.time[n - 1]!, maxPoints) : 1;
  const equity = downsample(eq.time, eq.equity, bucket, 'last');
  const dd = downsample(
    eq.time,
    drawdown(eq.equity).map((x) => x * 100),
    bucket,
    'min',
  );

  const classOf = new Map(folder.instruments.map((i) => [i.symbol, i.assetClass]));
  const assetClasses: string[] = [];
  for (const i of folder.instruments) if (!assetClasses.includes(i.assetClass)) assetClasses.push(i.assetClass);

  const prices: PriceChart[] = [];
  const fillsBySymbol = new Map<string, RunFolder['fills']>();
  for (const f of folder.fills) {
    let list = fillsBySymbol.get(f.symbol);
    if (list === undefined) fillsBySymbol.set(f.symbol, (list = []));
    list.push(f);
  }
  const classValue = new Map<string, Float64Array>();
  if (folder.prices) {
    for (const [symbol, s] of folder.prices) {
      const assetClass = classOf.get(symbol) ?? 'unknown';
      if (!assetClasses.includes(assetClass)) assetClasses.push(assetClass);
      const m = s.time.length;
      const b = m > 0 ? bucketSeconds(s.time[0]!, s.time[m - 1]!, maxPoints) : 1;
      const price = downsample(s.time, s.price, b, 'last');
      const fills = fillsBySymbol.get(symbol) ?? [];
      const markers: ChartMarker[] = [];
      for (const f of fills) {
        if (markers.length >= MAX_MARKERS) break;
        const t = bucketTime(price, f.time, b);
        if (t !== undefined) markers.push({ t, p: f.price, side: f.side, q: f.quantity });
      }
      // lightweight-charts wants markers sorted by time
      markers.sort((x, y) => x.t - y.t);
      prices.push({ symbol, assetClass, color: assetClassColor(assetClass), price, markers, fillCount: fills.length });
      // signed position value on the equity grid, summed per class
      const v = stepAt(eq.time, s.time, s.value);
      const acc = classValue.get(assetClass);
      if (acc === undefined) classValue.set(assetClass, v);
      else for (let i = 0; i < n; i++) acc[i]! += v[i]!;
    }
  }
  const exposure: ExposureSeries[] = [];
  let short = false;
  if (folder.prices) {
    for (const c of assetClasses) {
      const v = classValue.get(c);
      if (v === undefined) continue;
      const pct = Array.from(v, (x, i) => (eq.equity[i]! !== 0 ? (x / eq.equity[i]!) * 100 : 0));
      if (pct.some((x) => x < -1e-9)) short = true;
      exposure.push({ assetClass: c, color: assetClassColor(c), series: downsample(eq.time, pct, bucket, 'last') });
    }
  } else {
    // older folders: only the gross exposure of the whole account is known
    const pct = eq.exposure.map((x, i) => (eq.equity[i]! !== 0 ? (x / eq.equity[i]!) * 100 : 0));
    exposure.push({ assetClass: 'all (gross)', color: assetClassColor('other'), series: downsample(eq.time, pct, bucket, 'last') });
  }

  const pnl: PnlRow[] = folder.instruments.map((i) => ({
    symbol: i.symbol,
    assetClass: i.assetClass,
    quantity: i.quantity,
    realizedPnl: i.realizedPnl,
    unrealizedPnl: i.unrealizedPnl,
    fees: i.fees,
    netPnl: i.realizedPnl + i.unrealizedPnl - i.fees,
  }));
  const s = folder.summary;
  const otherPnl = folder.hasInstrumentPnl ? s.finalValue - s.startingCash - pnl.reduce((a, r) => a + r.netPnl, 0) : NaN;

  return {
    folder,
    charts: { equity, drawdown: dd, prices, exposureMode: short ? 'lines' : 'stacked', exposure, colors: COLORS },
    pnl,
    otherPnl,
    assetClasses,
  };
}
