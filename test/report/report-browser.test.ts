/**
 * Opens the report of the demo run in real headless Chromium (Debian's `chromium`, driven by
 * playwright-core) and checks that every chart drew its data and that the numbers on the page equal
 * summary.json. Chromium missing is a failure, unless MARKETSIM_SKIP_BROWSER=1 (then skipped).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { chromium, type Browser } from 'playwright-core';
import { parseRunConfig } from '../../src/sim/run-config.ts';
import { runConfig } from '../../src/sim/run.ts';
import { writeRunOutputs } from '../../src/cli/output.ts';
import { findChromium, requireChromium } from '../../src/report/chromium.ts';
import { formatNumber, type NumberFormat } from '../../src/report/format.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const skip = process.env.MARKETSIM_SKIP_BROWSER === '1';

/**
 * In the page: for every `[data-chart]` box, composites its canvases into one image and counts, for
 * each color in `data-colors`, the pixels within 12 per channel of it; also the number of distinct colors.
 */
const CHART_PIXELS = `(() => {
  const out = [];
  for (const box of document.querySelectorAll('[data-chart]')) {
    const r = box.getBoundingClientRect();
    const canvases = [...box.querySelectorAll('canvas')];
    const w = Math.round(r.width), h = Math.round(r.height);
    const c = document.createElement('canvas');
    c.width = w; c.height = h;
    const g = c.getContext('2d');
    for (const cv of canvases) {
      const cr = cv.getBoundingClientRect();
      if (cr.width > 0 && cr.height > 0) g.drawImage(cv, cr.left - r.left, cr.top - r.top, cr.width, cr.height);
    }
    const px = w > 0 && h > 0 ? g.getImageData(0, 0, w, h).data : new Uint8ClampedArray(0);
    const colors = JSON.parse(box.getAttribute('data-colors') || '[]');
    const rgb = colors.map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));
    const counts = colors.map(() => 0);
    const distinct = new Set();
    for (let i = 0; i < px.length; i += 4) {
      if (distinct.size < 5000) distinct.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
      for (let k = 0; k < rgb.length; k++) {
        const [R, G, B] = rgb[k];
        if (Math.abs(px[i] - R) <= 12 && Math.abs(px[i + 1] - G) <= 12 && Math.abs(px[i + 2] - B) <= 12) counts[k]++;
      }
    }
    out.push({ chart: box.getAttribute('data-chart'), canvases: canvases.length, width: w, height: h, colors, counts, distinct: distinct.size });
  }
  return out;
})()`;

/** In the page: every element with a `data-field`: its path, exact JSON value, shown text and format. */
const FIELDS = `[...document.querySelectorAll('[data-field]')].map((e) => ({ field: e.getAttribute('data-field'), value: e.getAttribute('data-value'), text: e.textContent, format: e.getAttribute('data-format') }))`;

/** The value at a summary.json path: `stats.sharpe`, `fills.length`. */
function at(doc: unknown, path: string): unknown {
  let x = doc as Record<string, unknown>;
  for (const k of path.split('.')) x = x[k] as Record<string, unknown>;
  return x;
}

test('the report draws every chart in headless Chromium and shows summary.json numbers exactly', { skip: skip ? 'MARKETSIM_SKIP_BROWSER=1' : false, timeout: 60_000 }, async () => {
  const executablePath = findChromium();
  if (executablePath === undefined) assert.fail(`${(() => { try { requireChromium(); } catch (e) { return (e as Error).message; } return ''; })()} (set MARKETSIM_SKIP_BROWSER=1 to skip this test)`);

  mkdirSync(join(root, 'out'), { recursive: true });
  const tmp = mkdtempSync(join(root, 'out', 'test-report-browser-'));
  const configPath = join(root, 'examples', 'demo.yaml');
  const config = parseRunConfig(parseYaml(readFileSync(configPath, 'utf8')), configPath);
  const report = await runConfig(config, { baseDir: dirname(configPath) });
  const dir = join(tmp, 'demo');
  writeRunOutputs(dir, report);
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));

  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 }, deviceScaleFactor: 1 });
    const errors: string[] = [];
    const remote: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    // the page must need no network: any request that is not the file itself is recorded and refused
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
      remote.push(url);
      return route.abort();
    });
    await page.goto(pathToFileURL(join(dir, 'report.html')).href);
    await page.waitForSelector('html[data-charts-ready="true"], html[data-charts-error]', { timeout: 30_000 });
    assert.equal(await page.getAttribute('html', 'data-charts-error'), null, 'the page script reported an error');
    assert.deepEqual(errors, [], 'page errors');
    assert.deepEqual(remote, [], 'network requests');

    // every chart drew: canvases present, many colors, and each series' own color on screen
    type ChartPixels = { chart: string; canvases: number; width: number; height: number; colors: string[]; counts: number[]; distinct: number };
    let charts: ChartPixels[] = [];
    for (let attempt = 0; attempt < 20; attempt++) {
      charts = (await page.evaluate(CHART_PIXELS)) as ChartPixels[];
      if (charts.every((c) => c.counts.every((n) => n >= 20))) break;
      await page.waitForTimeout(200);
    }
    const symbols = report.instruments.map((i) => i.symbol);
    assert.deepEqual(
      charts.map((c) => c.chart),
      ['equity', ...symbols.map((s) => `price:${s}`), 'exposure'],
    );
    for (const c of charts) {
      assert.ok(c.canvases > 0 && c.width > 100 && c.height > 100, `${c.chart}: a canvas of a real size (${c.canvases} canvases, ${c.width}x${c.height})`);
      assert.ok(c.distinct > 8, `${c.chart}: not blank (${c.distinct} distinct colors)`);
      c.colors.forEach((color, k) => assert.ok(c.counts[k]! >= 20, `${c.chart}: series color ${color} drawn on ${c.counts[k]} pixels`));
    }
    // buy and sell markers are among the checked colors wherever the instrument has both sides
    for (const s of symbols) {
      const sides = new Set(summary.fills.filter((f: { symbol: string }) => f.symbol === s).map((f: { side: string }) => f.side));
      const c = charts.find((x) => x.chart === `price:${s}`)!;
      assert.equal(c.colors.length, 1 + sides.size, `${s}: line plus one marker color per side traded`);
    }

    // the numbers on the page equal summary.json, and their text is that value formatted
    const fields = (await page.evaluate(FIELDS)) as { field: string; value: string; text: string; format: string | null }[];
    const byField = new Map(fields.map((f) => [f.field, f]));
    for (const key of Object.keys(summary.stats)) assert.ok(byField.has(`stats.${key}`), `stats.${key} is on the page`);
    for (const key of ['finalValue', 'startingCash', 'cash', 'seed', 'journalHash', 'fills.length', 'trades.length', 'stats.totalReturn', 'stats.sharpe', 'stats.maxDrawdown']) {
      assert.ok(byField.has(key), `${key} is on the page`);
    }
    for (const f of fields) {
      const expected = at(summary, f.field);
      assert.deepEqual(JSON.parse(f.value), expected, `${f.field}: data-value`);
      if (f.format !== null) assert.equal(f.text, formatNumber(expected as number | null, f.format as NumberFormat), `${f.field}: text`);
    }

    // the tables list every fill, order and closed trade, and sort on a click
    const rows = async (id: string) => page.locator(`#${id} tbody tr`).count();
    assert.equal(await rows('table-fills'), summary.fills.length);
    assert.equal(await rows('table-trades'), summary.trades.length);
    assert.equal(await rows('table-orders'), report.result.orders.length);
    assert.equal(await rows('table-pnl'), symbols.length);
    await page.click('#table-fills thead th:nth-child(5)');
    const shown = await page.locator('#table-fills tbody tr td:nth-child(5)').allTextContents();
    assert.deepEqual(
      shown.map(Number),
      summary.fills.map((f: { price: number }) => f.price).sort((a: number, b: number) => a - b),
      'fills sorted by price, ascending',
    );
  } finally {
    await browser?.close();
    rmSync(tmp, { recursive: true, force: true });
  }
});
