import type { Command } from 'commander';
import { MarketsimError } from '../core/errors.ts';
import { runModelsCheck, type ModelsCheckResult } from '../data/synthetic/models-check.ts';
import { checkModelMoments, type MomentsCheckResult } from '../data/synthetic/moments-check.ts';

/** Flags of `marketsim models check`. */
export interface ModelsCheckFlags {
  json?: boolean;
  seed?: string | number;
  paths?: string | number;
}

function positiveInt(name: string, v: string | number, min: number): number {
  const n = typeof v === 'number' ? v : Number(v);
  if (!(Number.isInteger(n) && n >= min)) throw new MarketsimError('CLI_INVALID', `${name}: expected an integer >= ${min}, got ${JSON.stringify(v)}`);
  return n;
}

/** The human table of a check: one line per row, then the verdict. */
export function formatModelsCheck(r: ModelsCheckResult): string {
  const lines: string[] = [];
  for (const m of r.models) {
    lines.push(`${m.model}  ${JSON.stringify(m.params)}`);
    lines.push('  T      strike   type   mc           se          analytic     z');
    for (const x of m.rows) {
      lines.push(`  ${x.maturity.toFixed(2).padEnd(6)} ${x.strike.toFixed(2).padEnd(8)} ${x.type.padEnd(6)} ${x.mc.toFixed(6).padEnd(12)} ${x.se.toExponential(2).padEnd(11)} ${x.analytic.toFixed(6).padEnd(12)} ${x.z.toFixed(2)}`);
    }
  }
  lines.push(`max |z| = ${r.maxAbsZ.toFixed(2)}: ${r.pass ? 'PASS' : 'FAIL'} (every |z| must be below 3)`);
  return lines.join('\n');
}

/**
 * The action of `marketsim models check`: Monte Carlo against closed forms for every model
 * (docs/models.md). Writes JSON (`--json`) or the table; sets exit code 1 when some |z| >= 3.
 */
export function modelsCheckAction(
  flags: ModelsCheckFlags,
  write: (text: string) => void = (t) => process.stdout.write(t),
): ModelsCheckResult & { moments: MomentsCheckResult } {
  const seed = flags.seed === undefined ? 1 : positiveInt('--seed', flags.seed, 0);
  const paths = flags.paths === undefined ? 100_000 : positiveInt('--paths', flags.paths, 4);
  if (paths % 2 !== 0) throw new MarketsimError('CLI_INVALID', `--paths: must be even (antithetic pairs), got ${paths}`);
  const prices = runModelsCheck({ seed, paths });
  // sample moments against their known values (GBM mean and variance, OU stationary variance, GARCH unconditional variance)
  const moments = checkModelMoments({ seed });
  const result = { ...prices, moments, pass: prices.pass && moments.pass };
  write((flags.json ? JSON.stringify(result) : formatModelsCheck(result) + '\n' + moments.rows.map((r) => `  ${r.model} ${r.statistic}: sample ${r.sample.toPrecision(6)} expected ${r.expected.toPrecision(6)} z ${r.z.toFixed(2)}`).join('\n')) + '\n');
  if (!result.pass) process.exitCode = 1;
  return result;
}

/** Adds `marketsim models check [--json] [--seed N] [--paths N]`. `write` receives the output (default: stdout). */
export function registerModelsCommand(program: Command, write?: (text: string) => void): void {
  const models = program.command('models').description('price models of the synthetic markets (docs/models.md)');
  models
    .command('check')
    .description('price European options of every model by Monte Carlo and in closed form; every |z| must be below 3')
    .option('--json', 'print one JSON document')
    .option('--seed <n>', 'root seed', '1')
    .option('--paths <n>', 'antithetic paths per model and maturity (even)', '100000')
    .action((flags: ModelsCheckFlags) => {
      modelsCheckAction(flags, write);
    });
}
