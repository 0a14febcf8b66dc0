import { stringify as toYaml } from 'yaml';
import { isoFromMicros } from '../core/time.ts';
import { escapeHtml as esc, formatNumber, STAT_FORMATS, type NumberFormat } from './format.ts';
import { assetClassColor, type ReportModel } from './report-model.ts';
import type { RunFolder } from './run-folder.ts';

/** The scripts and style the page inlines (read by `writeReport`; passed in so rendering is pure). */
export interface ReportAssets {
  /** lightweight-charts' standalone build (defines `window.LightweightCharts`). */
  chartsLibrary: string;
  /** The page script that draws the charts and sorts the tables. */
  pageScript: string;
  css: string;
}

/** Most rows shown per table (the CSV files in the folder hold them all). */
export const MAX_TABLE_ROWS = 5000;

/** A number cell tied to a summary.json field: `data-field` is its path, `data-value` its exact JSON value. */
function fieldValue(path: string, x: number | null | undefined, format: NumberFormat): string {
  const raw = x === undefined ? 'null' : JSON.stringify(x);
  return `<span class="num" data-field="${esc(path)}" data-value="${esc(raw)}" data-format="${format}">${esc(formatNumber(x, format))}</span>`;
}

/** `2023-01-22T21:00:00.000Z` as `2023-01-22 21:00:00` (milliseconds kept when not zero). */
export function shortTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.000Z$/, '').replace(/Z$/, '');
}

/** A cell of a sortable table: shown text, sort key (numbers sort numerically), CSS class. */
interface Cell {
  text: string;
  sort?: number | string;
  cls?: string;
}

function numCell(x: number, format: NumberFormat = 'number', cls = ''): Cell {
  return { text: formatNumber(x, format), sort: Number.isFinite(x) ? x : '', cls: `r ${cls}`.trim() };
}

function sideCell(side: string): Cell {
  return { text: side, cls: side === 'BUY' ? 'buy' : side === 'SELL' ? 'sell' : '' };
}

function table(id: string, headers: { label: string; numeric?: boolean }[], rows: Cell[][], total: number, file: string): string {
  const head = headers.map((h) => `<th class="${h.numeric ? 'r' : ''}" data-type="${h.numeric ? 'num' : 'text'}">${esc(h.label)}</th>`).join('');
  const body = rows
    .map(
      (r) =>
        '<tr>' +
        r
          .map((c) => {
            const sort = c.sort === undefined ? '' : ` data-v="${esc(String(c.sort))}"`;
            return `<td${c.cls ? ` class="${c.cls}"` : ''}${sort}>${esc(c.text)}</td>`;
          })
          .join('') +
        '</tr>',
    )
    .join('\n');
  const note = total > rows.length ? `<p class="note">Showing the first ${rows.length} of ${total} rows; ${esc(file)} holds them all.</p>` : '';
  const empty = total === 0 ? `<p class="note">None.</p>` : '';
  return `${note}<div class="table-wrap"><table class="sortable" id="${id}" data-rows="${total}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>${empty}`;
}

function strategyText(config: Record<string, unknown> | undefined): string {
  const st = config?.strategy as { name?: unknown; params?: Record<string, unknown> } | undefined;
  if (!st || typeof st.name !== 'string') return '';
  const params = st.params && typeof st.params === 'object' ? Object.entries(st.params).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`) : [];
  return params.length > 0 ? `${st.name} (${params.join(', ')})` : st.name;
}

function header(m: ReportModel): string {
  const f = m.folder;
  const s = f.summary;
  const account = f.config?.account as { currency?: unknown; kind?: unknown } | undefined;
  const currency = typeof account?.currency === 'string' ? account.currency : '';
  const strategy = strategyText(f.config);
  const chips = f.instruments
    .map((i) => `<span class="chip" data-symbol="${esc(i.symbol)}" data-asset-class="${esc(i.assetClass)}"><i style="background:${assetClassColor(i.assetClass)}"></i>${esc(i.symbol)} <small>${esc(i.assetClass)}</small></span>`)
    .join('');
  const meta = [
    strategy ? `strategy <b>${esc(strategy)}</b>` : '',
    `seed <b data-field="seed" data-value="${s.seed}">${s.seed}</b>`,
    `period <b>${esc(s.startTime ? shortTime(s.startTime) : '-')}</b> to <b>${esc(s.endTime ? shortTime(s.endTime) : '-')}</b> UTC`,
    `<b>${esc(formatNumber(s.events, 'count'))}</b> events`,
    currency ? `account <b>${esc(String(account?.kind ?? ''))} ${esc(currency)}</b>` : '',
  ]
    .filter((x) => x !== '')
    .join(' · ');
  const st = s.stats;
  const cards: [string, string, number | null | undefined, NumberFormat, string?][] = [
    ['Final value', 'finalValue', s.finalValue, 'money'],
    ['Start value', 'startingCash', s.startingCash, 'money'],
    ['Total return', 'stats.totalReturn', st.totalReturn, 'percent', 'signed'],
    ['CAGR', 'stats.cagr', st.cagr, 'percent', 'signed'],
    ['Sharpe', 'stats.sharpe', st.sharpe, 'ratio'],
    ['Max drawdown', 'stats.maxDrawdown', st.maxDrawdown, 'percent'],
    ['Volatility', 'stats.annualVolatility', st.annualVolatility, 'percent'],
    ['Cash', 'cash', s.cash, 'money'],
    ['Fills', 'fills.length', s.fills.length, 'count'],
    ['Rejected', 'rejected.length', s.rejected.length, 'count'],
    ['Closed trades', 'trades.length', s.trades.length, 'count'],
    ['Win rate', 'stats.winRate', st.winRate, 'percent'],
  ];
  const cardHtml = cards
    .map(([label, path, x, format, signed]) => {
      const tone = signed && typeof x === 'number' ? (x > 0 ? ' up' : x < 0 ? ' down' : '') : '';
      return `<div class="card${tone}"><div class="label">${esc(label)}</div><div class="value">${fieldValue(path, x, format)}</div></div>`;
    })
    .join('');
  const config = f.config ? `<details class="config"><summary>Run configuration</summary><pre>${esc(toYaml(f.config))}</pre></details>` : '';
  return `<header>
<h1>marketsim report <span class="run-name">${esc(f.name)}</span></h1>
<p class="meta">${meta}</p>
<div class="chips">${chips}</div>
</header>
<section class="cards" id="key-numbers">${cardHtml}</section>
<p class="hash">journal hash <code data-field="journalHash" data-value="${esc(JSON.stringify(s.journalHash))}">${esc(s.journalHash)}</code></p>
${config}`;
}

function chartBox(id: string, key: string, colors: string[], cls = ''): string {
  return `<div class="chart ${cls}" id="${id}" data-chart="${esc(key)}" data-colors="${esc(JSON.stringify(colors))}"></div>`;
}

function priceSection(m: ReportModel): string {
  const c = m.charts;
  if (m.folder.prices === undefined) return `<section id="prices"><h2>Prices and fills</h2><p class="note">This output folder has no prices.csv (written by marketsim since the report exists): rerun to see the instruments' prices.</p></section>`;
  const cards = c.prices
    .map((p, i) => {
      const colors = [p.color];
      if (p.markers.some((x) => x.side === 'BUY')) colors.push(c.colors.buy);
      if (p.markers.some((x) => x.side === 'SELL')) colors.push(c.colors.sell);
      const capped = p.markers.length < p.fillCount ? ` (first ${p.markers.length} marked)` : '';
      return `<div class="panel"><div class="panel-head"><span class="sym">${esc(p.symbol)}</span><span class="chip small"><i style="background:${p.color}"></i>${esc(p.assetClass)}</span><span class="legend"><span class="buy">▲ buy</span> <span class="sell">▼ sell</span> · ${p.fillCount} fills${capped}</span></div>${chartBox(`chart-price-${i}`, `price:${p.symbol}`, colors)}</div>`;
    })
    .join('\n');
  return `<section id="prices"><h2>Prices and fills</h2><div class="grid">${cards}</div></section>`;
}

function exposureSection(m: ReportModel): string {
  const c = m.charts;
  const legend = c.exposure.map((e) => `<span class="chip small"><i style="background:${e.color}"></i>${esc(e.assetClass)}</span>`).join('');
  const how = c.exposureMode === 'stacked' ? 'stacked market value of the positions per asset class, as a percent of equity' : 'net market value of the positions per asset class (short positions below zero), as a percent of equity';
  return `<section id="exposure"><h2>Exposure by asset class</h2><p class="note">${esc(how)}.</p><div class="legend-row">${legend}</div>${chartBox('chart-exposure', 'exposure', c.exposure.map((e) => e.color))}</section>`;
}

function pnlSection(m: ReportModel): string {
  if (!m.folder.hasInstrumentPnl) return `<section id="pnl"><h2>PnL by instrument</h2><p class="note">This output folder has no instruments.csv: rerun to see the PnL per instrument.</p></section>`;
  const max = Math.max(1e-12, ...m.pnl.map((r) => Math.abs(r.netPnl)), Number.isFinite(m.otherPnl) ? Math.abs(m.otherPnl) : 0);
  const bar = (x: number) => {
    const w = Math.min(50, (Math.abs(x) / max) * 50);
    return `<td class="barcell"><div class="bar ${x >= 0 ? 'pos' : 'neg'}" style="${x >= 0 ? 'left:50%' : `left:${(50 - w).toFixed(2)}%`};width:${w.toFixed(2)}%"></div></td>`;
  };
  const row = (cells: string[], x: number, attrs = '') => `<tr${attrs}>${cells.join('')}${bar(x)}</tr>`;
  const money = (x: number, cls = '') => `<td class="r ${cls}" data-v="${x}">${esc(formatNumber(x, 'money'))}</td>`;
  const tone = (x: number) => (x > 0 ? 'up' : x < 0 ? 'down' : '');
  const rows = m.pnl.map((r) =>
    row(
      [
        `<td>${esc(r.symbol)}</td>`,
        `<td><span class="chip small"><i style="background:${assetClassColor(r.assetClass)}"></i>${esc(r.assetClass)}</span></td>`,
        `<td class="r" data-v="${r.quantity}">${esc(String(r.quantity))}</td>`,
        money(r.realizedPnl),
        money(r.unrealizedPnl),
        money(r.fees),
        money(r.netPnl, tone(r.netPnl)),
      ],
      r.netPnl,
      ` data-symbol="${esc(r.symbol)}" data-net="${r.netPnl}"`,
    ),
  );
  const s = m.folder.summary;
  const total = s.finalValue - s.startingCash;
  const foot: string[] = [];
  if (Number.isFinite(m.otherPnl) && Math.abs(m.otherPnl) >= 0.005) {
    foot.push(row([`<td colspan="6">Other cash flows (dividends, coupons, accrued interest, funding)</td>`, money(m.otherPnl, tone(m.otherPnl))], m.otherPnl));
  }
  foot.push(`<tr class="total"><td colspan="6">Total (final value - start value)</td>${money(total, tone(total))}<td></td></tr>`);
  return `<section id="pnl"><h2>PnL by instrument</h2><div class="table-wrap"><table class="sortable" id="table-pnl"><thead><tr><th data-type="text">Instrument</th><th data-type="text">Class</th><th class="r" data-type="num">Position</th><th class="r" data-type="num">Realized</th><th class="r" data-type="num">Unrealized</th><th class="r" data-type="num">Fees</th><th class="r" data-type="num">Net PnL</th><th class="barhead"></th></tr></thead><tbody>${rows.join('\n')}</tbody><tfoot>${foot.join('')}</tfoot></table></div></section>`;
}

function statsSection(f: RunFolder): string {
  const rows = Object.entries(f.summary.stats).map(([k, v]) => {
    const spec = STAT_FORMATS[k] ?? { label: k, format: 'number' as NumberFormat };
    return `<tr><th>${esc(spec.label)}</th><td class="r">${fieldValue(`stats.${k}`, v, spec.format)}</td></tr>`;
  });
  const half = Math.ceil(rows.length / 2);
  return `<section id="statistics"><h2>Statistics</h2><div class="stats"><table class="kv">${rows.slice(0, half).join('')}</table><table class="kv">${rows.slice(half).join('')}</table></div><p class="note">Definitions: docs/statistics.md.</p></section>`;
}

function tradesSection(f: RunFolder): string {
  const all = f.summary.trades;
  const rows = all.slice(0, MAX_TABLE_ROWS).map((t) => [
    { text: t.symbol },
    sideCell(t.side),
    { text: shortTime(t.entryTime), sort: t.entryTime },
    { text: shortTime(t.exitTime), sort: t.exitTime },
    numCell(t.quantity, 'price'),
    numCell(t.entryPrice, 'price'),
    numCell(t.exitPrice, 'price'),
    numCell(t.pnl, 'money', t.pnl > 0 ? 'up' : t.pnl < 0 ? 'down' : ''),
  ]);
  const headers = [{ label: 'Symbol' }, { label: 'Side' }, { label: 'Entry' }, { label: 'Exit' }, { label: 'Quantity', numeric: true }, { label: 'Entry price', numeric: true }, { label: 'Exit price', numeric: true }, { label: 'PnL', numeric: true }];
  return `<section id="trades"><h2>Closed trades <small>${all.length}</small></h2>${table('table-trades', headers, rows, all.length, 'summary.json')}</section>`;
}

function fillsSection(f: RunFolder): string {
  const rows = f.fills.slice(0, MAX_TABLE_ROWS).map((x) => [
    { text: shortTime(isoFromMicros(x.time)), sort: x.time },
    numCell(x.orderId, 'price'),
    { text: x.symbol },
    sideCell(x.side),
    numCell(x.price, 'price'),
    numCell(x.quantity, 'price'),
    numCell(x.fee, 'price'),
    { text: x.liquidity },
    { text: x.tag },
  ]);
  const headers = [{ label: 'Time' }, { label: 'Order', numeric: true }, { label: 'Symbol' }, { label: 'Side' }, { label: 'Price', numeric: true }, { label: 'Quantity', numeric: true }, { label: 'Fee', numeric: true }, { label: 'Liquidity' }, { label: 'Tag' }];
  return `<section id="fills"><h2>Fills <small>${f.fills.length}</small></h2>${table('table-fills', headers, rows, f.fills.length, 'fills.csv')}</section>`;
}

const ORDER_NUMERIC = new Set(['order_id', 'price', 'trigger_price', 'quantity', 'filled', 'avg_price']);

function ordersSection(f: RunFolder): string {
  const o = f.orders;
  if (o === undefined) return `<section id="orders"><h2>Orders</h2><p class="note">No orders.csv in this folder.</p></section>`;
  const rows = o.rows.slice(0, MAX_TABLE_ROWS).map((r) =>
    o.columns.map((c): Cell => {
      const v = r.values[c] ?? '';
      if (c === 'side') return sideCell(v);
      if (c === 'status') return { text: v, cls: `status ${v.toLowerCase()}` };
      if (c.endsWith('_time')) return { text: shortTime(v), sort: v };
      if (ORDER_NUMERIC.has(c)) {
        const x = v === '' ? NaN : Number(v);
        return { text: v, sort: Number.isFinite(x) ? x : '', cls: 'r' };
      }
      return { text: v };
    }),
  );
  const headers = o.columns.map((c) => ({ label: c.replace(/_/g, ' '), numeric: ORDER_NUMERIC.has(c) }));
  return `<section id="orders"><h2>Orders <small>${o.rows.length}</small></h2>${table('table-orders', headers, rows, o.rows.length, 'orders.csv')}</section>`;
}

/** Makes text safe inside an inline `<script>` element. */
function scriptSafe(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/**
 * The whole report as one HTML document: the header and key numbers, the charts (drawn by the
 * inlined lightweight-charts from the embedded JSON), the PnL, statistics, trades, fills and orders
 * tables. No external resources: it opens from disk with no network. Deterministic (no build time
 * in the page), so the same run folder gives the same bytes.
 */
export function renderReportHtml(m: ReportModel, assets: ReportAssets): string {
  const f = m.folder;
  const title = `marketsim report: ${f.name}`;
  const data = JSON.stringify(m.charts).replace(/</g, '\\u003c');
  const nav = [
    ['equity', 'Equity'],
    ['prices', 'Prices'],
    ['exposure', 'Exposure'],
    ['pnl', 'PnL'],
    ['statistics', 'Statistics'],
    ['trades', 'Trades'],
    ['fills', 'Fills'],
    ['orders', 'Orders'],
  ]
    .map(([id, label]) => `<a href="#${id}">${label}</a>`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="marketsim">
<title>${esc(title)}</title>
<style>
${assets.css}
</style>
</head>
<body>
<nav class="top">${nav}</nav>
<main>
${header(m)}
<section id="equity"><h2>Equity and drawdown</h2>${chartBox('chart-equity', 'equity', [m.charts.colors.equity, m.charts.colors.drawdown], 'tall')}</section>
${priceSection(m)}
${exposureSection(m)}
${pnlSection(m)}
${statsSection(f)}
${tradesSection(f)}
${fillsSection(f)}
${ordersSection(f)}
<footer>Written by marketsim from the run folder <code>${esc(f.name)}</code>. Charts: <a href="https://www.tradingview.com/lightweight-charts/">TradingView Lightweight Charts™</a> (Apache-2.0), inlined. Times are UTC.</footer>
</main>
<script type="application/json" id="report-data">${data}</script>
<script>
${scriptSafe(assets.chartsLibrary)}
</script>
<script>
${scriptSafe(assets.pageScript)}
</script>
</body>
</html>
`;
}
