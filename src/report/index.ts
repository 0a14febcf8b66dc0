/** The visual report of a run (docs/report.md): read an output folder, build the page, write it. */
export { writeReport, renderReport, loadReportAssets, REPORT_FILE } from './write-report.ts';
export { readRunFolder, readSummary, type RunFolder, type EquitySeries, type FillRow, type PriceSeries, type InstrumentRow } from './run-folder.ts';
export { buildReportModel, assetClassColor, ASSET_CLASS_COLORS, MAX_MARKERS, type ReportModel, type ChartData, type PriceChart, type ChartMarker, type ExposureSeries, type PnlRow } from './report-model.ts';
export { renderReportHtml, MAX_TABLE_ROWS, type ReportAssets } from './html.ts';
export { downsample, drawdown, bucketSeconds, bucketTime, stepAt, MAX_POINTS, type ChartSeries, type BucketRule } from './chart-series.ts';
export { formatNumber, formatDuration, escapeHtml, STAT_FORMATS, type NumberFormat } from './format.ts';
export { findChromium, requireChromium, CHROMIUM_CANDIDATES } from './chromium.ts';
