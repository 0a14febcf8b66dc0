import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { parse as parseYaml } from 'yaml';
import cliProgress from 'cli-progress';
import { MarketsimError } from '../core/errors.ts';
import { isoFromMicros } from '../core/time.ts';
import { parseRunConfig, type RunConfig, type RunConfigInput } from '../sim/run-config.ts';
import { runConfig, type RunReport } from '../sim/run.ts';
import { parseParamPairs } from '../sim/strategy-loader.ts';
import { summarize, writeRunOutputs, type RunSummary } from './output.ts';
import { registerLobsterCommand } from './lobster-command.ts';
import { registerDataCommand } from './data-command.ts';
import { registerModelsCommand } from './models-command.ts';
import { registerFactsCommand } from './facts-command.ts';
import { registerSynthCommand } from './synth-command.ts';
import { registerCalendarCommand } from './calendar-command.ts';
import { registerReportCommand } from './report-command.ts';
import { registerBondCommand } from './bond-command.ts';

/** Common flags of `run` and `backtest`. */
interface OutputFlags {
  out?: string;
  json?: boolean;
  progress?: boolean;
}

/** A progress bar on stderr, shown only when stderr is a terminal. */
function progressBar(enabled: boolean): { onProgress?: (events: number, time: number) => void; stop: () => void } {
  if (!enabled || !process.stderr.isTTY) return { stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: ' {bar} {value} events | {time}', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(0, 0, { time: '' });
  let next = 0;
  return {
    onProgress: (events, time) => {
      if (events < next) return;
      next = events + 50_000;
      bar.setTotal(Math.max(events * 2, 1));
      bar.update(events, { time: isoFromMicros(time) });
    },
    stop: () => bar.stop(),
  };
}

async function execute(config: RunConfig, baseDir: string, flags: OutputFlags): Promise<void> {
  const progress = progressBar(flags.progress !== false);
  let report: RunReport;
  try {
    report = await runConfig(config, { baseDir, ...(progress.onProgress ? { onProgress: progress.onProgress } : {}) });
  } finally {
    progress.stop();
  }
  const summary = summarize(report);
  const out = flags.out !== undefined ? resolve(flags.out) : config.output !== undefined ? resolve(baseDir, config.output) : undefined;
  if (out) writeRunOutputs(out, report, summary);
  if (flags.json) {
    process.stdout.write(JSON.stringify(summary) + '\n');
  } else {
    printSummary(summary, report, out);
  }
}

function fmt(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(digits);
}

/** A percentage with two decimals and its `%`, or `n/a`. */
function pct(x: number): string {
  const s = fmt(x);
  return s === 'n/a' ? s : `${s}%`;
}

function printSummary(s: RunSummary, report: RunReport, out: string | undefined): void {
  const st = s.stats;
  const lines = [
    `marketsim: ${report.instruments.map((i) => i.symbol).join(', ')} | strategy ${report.config.strategy.name} | seed ${s.seed}`,
    `  period        ${s.startTime ?? '-'} .. ${s.endTime ?? '-'} (${s.events} events)`,
    `  start value   ${fmt(s.startingCash)}`,
    `  final value   ${fmt(s.finalValue)}   cash ${fmt(s.cash)}`,
    `  return        ${pct((st.totalReturn ?? NaN) * 100)}   CAGR ${pct((st.cagr ?? NaN) * 100)}   Sharpe ${fmt(st.sharpe)}   max drawdown ${pct((st.maxDrawdown ?? NaN) * 100)}`,
    `  fills         ${s.fills.length}   rejected ${s.rejected.length}   closed trades ${s.trades.length}   win rate ${pct((st.winRate ?? NaN) * 100)}`,
    `  positions     ${Object.entries(s.positions).map(([k, v]) => `${k} ${v}`).join(', ') || 'flat'}`,
    `  journal hash  ${s.journalHash}`,
  ];
  if (out) lines.push(`  output        ${out} (fills.csv, orders.csv, equity.csv, summary.json, prices.csv, instruments.csv, run.json, report.html)`);
  process.stdout.write(lines.join('\n') + '\n');
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function numberFlag(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n)) throw new MarketsimError('CLI_INVALID', `--${name}: expected a number, got ${JSON.stringify(v)}`);
    return n;
  };
}

/** Builds the `marketsim` command. */
export function buildProgram(): Command {
  const program = new Command();
  program.name('marketsim').description('Deterministic market simulation and backtesting engine').showHelpAfterError();

  program
    .command('run')
    .description('run a simulation described by a YAML (or JSON) config file')
    .argument('<config>', 'config file (docs/config.md)')
    .option('--out <dir>', 'output folder (overrides the config)')
    .option('--json', 'print exactly one JSON document on stdout')
    .option('--no-progress', 'hide the progress bar')
    .action(async (file: string, flags: OutputFlags) => {
      const path = resolve(file);
      let doc: unknown;
      try {
        doc = parseYaml(readFileSync(path, 'utf8'));
      } catch (e) {
        throw new MarketsimError('CONFIG_INVALID', `${path}: ${(e as Error).message}`);
      }
      await execute(parseRunConfig(doc, path), dirname(path), flags);
    });

  program
    .command('backtest')
    .description('backtest a strategy on one data file')
    .requiredOption('--data <file>', 'bar, trade or quote CSV file')
    .requiredOption('--strategy <name|path>', 'built-in strategy name or path to a .ts/.js module')
    .option('--param <k=v>', 'strategy parameter (repeatable)', collect, [])
    .option('--cash <n>', 'starting cash', numberFlag('cash'), 100_000)
    .option('--seed <n>', 'random seed', numberFlag('seed'), 0)
    .option('--out <dir>', 'output folder for fills.csv, orders.csv, equity.csv, summary.json, report.html and the report inputs')
    .option('--json', 'print exactly one JSON document on stdout')
    .option('--symbol <symbol>', 'symbol of the instrument (default: from the file name)')
    .addOption(new Option('--kind <kind>', 'what the file holds').choices(['bars', 'trades', 'quotes']).default('bars'))
    .option('--price-precision <n>', 'price decimals (default: inferred from the data)', numberFlag('price-precision'))
    .addOption(new Option('--fill <rule>', 'when market orders fill on bars').choices(['next-open', 'same-close']))
    .option('--slippage-ticks <n>', 'adverse slippage in ticks on market and stop fills', numberFlag('slippage-ticks'))
    .option('--commission <rate>', 'taker and maker fee as a fraction of notional', numberFlag('commission'))
    .option('--no-progress', 'hide the progress bar')
    .action(async (flags: OutputFlags & { data: string; strategy: string; param: string[]; cash: number; seed: number; symbol?: string; kind: 'bars' | 'trades' | 'quotes'; pricePrecision?: number; fill?: 'next-open' | 'same-close'; slippageTicks?: number; commission?: number }) => {
      const input: RunConfigInput = {
        seed: flags.seed,
        data: [
          {
            file: resolve(flags.data),
            kind: flags.kind,
            ...(flags.symbol !== undefined ? { symbol: flags.symbol } : {}),
            ...(flags.pricePrecision !== undefined ? { pricePrecision: flags.pricePrecision } : {}),
          },
        ],
        strategy: { name: flags.strategy, params: parseParamPairs(flags.param) },
        account: { cash: flags.cash },
        venue: {
          ...(flags.fill !== undefined || flags.slippageTicks !== undefined
            ? { fill: { ...(flags.fill ? { marketFill: flags.fill } : {}), ...(flags.slippageTicks !== undefined ? { slippageTicks: flags.slippageTicks } : {}) } }
            : {}),
          ...(flags.commission !== undefined ? { fees: { makerRate: flags.commission, takerRate: flags.commission } } : {}),
        },
      };
      await execute(parseRunConfig(input, 'command line'), process.cwd(), flags);
    });

  registerLobsterCommand(program);
  registerDataCommand(program);
  registerModelsCommand(program);
  registerFactsCommand(program);
  registerSynthCommand(program);
  registerCalendarCommand(program);
  registerReportCommand(program);
  registerBondCommand(program);
  return program;
}

/** Entry point: runs the CLI and sets the exit code (1 on any error, with the error on stderr). */
export async function main(argv: string[] = process.argv): Promise<void> {
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    const err = e as { code?: string; exitCode?: number; message?: string };
    if (typeof err.code === 'string' && err.code.startsWith('commander.')) {
      process.exitCode = err.exitCode ?? 2;
      return;
    }
    process.stderr.write(`marketsim: ${err.message ?? String(e)}\n`);
    process.exitCode = 1;
  }
}
