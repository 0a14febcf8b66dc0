import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { MarketsimError } from '../core/errors.ts';
import { renderReportHtml, type ReportAssets } from './html.ts';
import { buildReportModel } from './report-model.ts';
import { readRunFolder } from './run-folder.ts';

/** The file name of the report inside a run's output folder. */
export const REPORT_FILE = 'report.html';

let cachedAssets: ReportAssets | undefined;

/**
 * The inlined assets: lightweight-charts' standalone production build (from node_modules, read at
 * report-build time, so the page needs no network), the page script and the style sheet.
 */
export function loadReportAssets(): ReportAssets {
  if (cachedAssets) return cachedAssets;
  let chartsLibrary: string;
  try {
    const pkg = createRequire(import.meta.url).resolve('lightweight-charts/package.json');
    chartsLibrary = readFileSync(join(dirname(pkg), 'dist', 'lightweight-charts.standalone.production.js'), 'utf8');
  } catch (e) {
    throw new MarketsimError('REPORT_ASSETS', `cannot read lightweight-charts' standalone build (is the package installed? npm ci): ${(e as Error).message}`);
  }
  const asset = (name: string) => readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');
  cachedAssets = { chartsLibrary, pageScript: asset('report-page.js'), css: asset('report.css') };
  return cachedAssets;
}

/** The report of a run's output folder as an HTML string (see `renderReportHtml`). */
export function renderReport(dir: string): string {
  return renderReportHtml(buildReportModel(readRunFolder(dir)), loadReportAssets());
}

/**
 * Builds the report of a run's output folder and writes it to `out` (default `dir/report.html`).
 * Returns the path written. Errors name the file (and line) that is missing or malformed.
 */
export function writeReport(dir: string, out: string = join(dir, REPORT_FILE)): string {
  writeFileSync(out, renderReport(dir));
  return out;
}
