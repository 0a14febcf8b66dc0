/**
 * Renders a run's report in headless Chromium and saves a full-page screenshot (the README's picture).
 *
 *   node --import tsx scripts/report-screenshot.ts [config.yaml] [out.png]
 *
 * Defaults: the multi-asset example when it exists (examples/multi-asset.yaml), else examples/demo.yaml;
 * docs/report-screenshot.png. The run's output goes to out/report-screenshot/.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { chromium } from 'playwright-core';
import { parseRunConfig } from '../src/sim/run-config.ts';
import { runConfig } from '../src/sim/run.ts';
import { writeRunOutputs } from '../src/cli/output.ts';
import { requireChromium } from '../src/report/chromium.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const multi = resolve(root, 'examples/multi-asset.yaml');
const configPath = resolve(process.argv[2] ?? (existsSync(multi) ? multi : resolve(root, 'examples/demo.yaml')));
const png = resolve(process.argv[3] ?? resolve(root, 'docs/report-screenshot.png'));
const outDir = resolve(root, 'out/report-screenshot');

const config = parseRunConfig(parseYaml(readFileSync(configPath, 'utf8')), configPath);
const report = await runConfig(config, { baseDir: dirname(configPath) });
writeRunOutputs(outDir, report);

const browser = await chromium.launch({ executablePath: requireChromium(), args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 1360, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(pathToFileURL(resolve(outDir, 'report.html')).href);
  await page.waitForSelector('html[data-charts-ready="true"]', { timeout: 20_000 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: png, fullPage: true });
} finally {
  await browser.close();
}
process.stdout.write(`${png} (report of ${configPath})\n`);
