/**
 * `npm run bench`: every benchmark module's figures, each with its target and the ratio against a
 * baseline measured in the same process. Each module runs in its own child process, so one module's
 * heap and JIT state never weigh on another's figures. `--json` prints one JSON document instead of the
 * table; `--only NAME` runs one module (engine-rss, engine-loop, engine-ack, engine-sma, engine-backtest, matching, indicators,
 * data, lobster, catalog, synthetic, lob-flow, agents). The children run with the engine's V8 flags, as
 * `marketsim` does (src/cli/v8-flags.ts; `MARKETSIM_V8_FLAGS=` measures V8's defaults).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchFigure } from './figure.ts';
import { engineV8Flags } from '../src/cli/v8-flags.ts';

const modules: Record<string, () => Promise<{ run: () => Promise<BenchFigure[]> }>> = {
  'engine-rss': async () => ({ run: (await import('./engine.ts')).runRss }),
  'engine-loop': async () => ({ run: (await import('./engine.ts')).runLoop }),
  'engine-ack': async () => ({ run: (await import('./engine.ts')).runAck }),
  'engine-sma': async () => ({ run: (await import('./engine.ts')).runSma }),
  'engine-backtest': async () => ({ run: (await import('./engine.ts')).runBacktest }),
  matching: () => import('./matching.ts'),
  indicators: () => import('./indicators.ts'),
  data: () => import('./data.ts'),
  lobster: () => import('./lobster.ts'),
  catalog: () => import('./catalog.ts'),
  synthetic: () => import('./synthetic.ts'),
  'lob-flow': () => import('./lob-flow.ts'),
  agents: () => import('./agents.ts'),
};

const args = process.argv.slice(2);
const json = args.includes('--json');
const onlyIdx = args.indexOf('--only');
const only = onlyIdx >= 0 ? args[onlyIdx + 1] : undefined;

if (args.includes('--child')) {
  // child: run one module, print its figures as JSON
  const figs = await (await modules[only!]!()).run();
  process.stdout.write(JSON.stringify(figs));
} else {
  const all: (BenchFigure & { module: string; ratio: number })[] = [];
  for (const name of Object.keys(modules)) {
    if (only && only !== name) continue;
    let figs: BenchFigure[];
    try {
      const out = execFileSync(process.execPath, [...engineV8Flags(), '--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--child', '--only', name], {
        encoding: 'utf8',
        maxBuffer: 16 << 20,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      figs = JSON.parse(out) as BenchFigure[];
    } catch (e) {
      process.stderr.write(`bench ${name} failed: ${(e as Error).message}\n`);
      process.exitCode = 1;
      continue;
    }
    for (const f of figs) {
      const ratio = f.baselineValue === 0 ? NaN : f.value / f.baselineValue;
      all.push({ module: name, ...f, ratio });
      if (!json) {
        const v = f.value >= 100 ? Math.round(f.value).toLocaleString('en-US') : f.value.toFixed(2);
        const b = f.baselineValue >= 100 ? Math.round(f.baselineValue).toLocaleString('en-US') : f.baselineValue.toFixed(2);
        process.stdout.write(
          `${f.pass ? 'PASS' : 'MISS'}  ${name.padEnd(10)} ${f.name}\n        ${v} ${f.unit}  (target ${f.target})  baseline ${b} ${f.unit} [${f.baselineName}]  ratio ${ratio.toFixed(2)}x\n`,
        );
      }
    }
  }
  if (json) process.stdout.write(JSON.stringify({ node: process.version, figures: all }, null, 2) + '\n');
}
