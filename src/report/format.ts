/** How a number is shown in the report. */
export type NumberFormat = 'money' | 'percent' | 'ratio' | 'count' | 'duration' | 'number' | 'price';

/** Label and format of each statistic (docs/statistics.md); a field not listed shows its key, as a number. */
export const STAT_FORMATS: Readonly<Record<string, { label: string; format: NumberFormat }>> = {
  startValue: { label: 'Start value', format: 'money' },
  endValue: { label: 'End value', format: 'money' },
  totalReturn: { label: 'Total return', format: 'percent' },
  cagr: { label: 'CAGR', format: 'percent' },
  annualVolatility: { label: 'Annual volatility', format: 'percent' },
  sharpe: { label: 'Sharpe ratio', format: 'ratio' },
  sortino: { label: 'Sortino ratio', format: 'ratio' },
  maxDrawdown: { label: 'Max drawdown', format: 'percent' },
  maxDrawdownDuration: { label: 'Max drawdown duration', format: 'duration' },
  calmar: { label: 'Calmar ratio', format: 'ratio' },
  winRate: { label: 'Win rate', format: 'percent' },
  profitFactor: { label: 'Profit factor', format: 'ratio' },
  exposure: { label: 'Time in market', format: 'percent' },
  turnover: { label: 'Turnover', format: 'ratio' },
  tradeCount: { label: 'Closed trades', format: 'count' },
  averageTrade: { label: 'Average trade PnL', format: 'money' },
  averageTradeReturn: { label: 'Average trade return', format: 'percent' },
  periodsPerYear: { label: 'Periods per year', format: 'number' },
  years: { label: 'Years', format: 'number' },
  periods: { label: 'Periods', format: 'count' },
};

const grouped = (digits: number) => new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: true });
const money = grouped(2);
const ratio = grouped(2);
const count = grouped(0);

/** A duration in microseconds as days and hours (`12d 4h`), or hours and minutes, or seconds. */
export function formatDuration(us: number): string {
  const s = us / 1e6;
  if (s >= 86400) {
    const d = Math.floor(s / 86400);
    const h = Math.floor((s - d * 86400) / 3600);
    return h > 0 ? `${d}d ${h}h` : `${d}d`;
  }
  if (s >= 3600) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m ${Math.floor(s % 60)}s`;
  return `${Number(s.toFixed(3))}s`;
}

/**
 * The text of a number in the report: null and non-finite values show `n/a`; percent takes a
 * fraction (0.1234 shows `12.34%`); money and ratios two decimals with thousands separators.
 */
export function formatNumber(x: number | null | undefined, format: NumberFormat): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  switch (format) {
    case 'money':
      return money.format(x);
    case 'percent':
      return `${(x * 100).toFixed(2)}%`;
    case 'ratio':
      return ratio.format(x);
    case 'count':
      return count.format(x);
    case 'duration':
      return formatDuration(x);
    case 'price':
      // decimals as written, without binary noise (126.62000000000002 shows 126.62)
      return String(Number(x.toPrecision(12)));
    case 'number':
      return Number.isInteger(x) ? count.format(x) : Number(x.toPrecision(6)).toString();
  }
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}
