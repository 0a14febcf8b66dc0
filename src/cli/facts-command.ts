import type { Command } from 'commander';
import { MarketsimError } from '../core/errors.ts';
import { factsFromBars, parseSession, type FactsOptions, type FactsReport } from '../sim/facts/facts.ts';
import { loadFactBars } from '../sim/facts/load.ts';

/** Flags of `marketsim facts`. */
export interface FactsFlags {
  data: string;
  json?: boolean;
  session?: string;
  timezone?: string;
  tick?: string;
  symbol?: string;
}

function fmt(x: number | null): string {
  if (x === null) return 'n/a';
  return Number.isInteger(x) ? String(x) : Math.abs(x) >= 0.01 ? x.toFixed(3) : x.toExponential(2);
}

/** The human table of a report: one line per test, then the verdict. */
export function formatFacts(r: FactsReport): string {
  const lines = [
    `stylized facts: ${r.bars} bars, ${r.days} days, ${r.returns} one-minute returns, tick ${r.tickSize}, timezone ${r.timezone}, session ${r.session ?? 'none'}`,
  ];
  for (const t of r.tests) {
    const verdict = t.pass === null ? 'n/a ' : t.pass ? 'PASS' : 'FAIL';
    const stats = Object.entries(t.statistics).map(([k, v]) => `${k} ${fmt(v)}`).join(', ');
    lines.push(`  ${String(t.id).padStart(2)} ${verdict} ${t.name.padEnd(26)} ${stats}   [${t.threshold}]`);
  }
  const failed = r.tests.filter((t) => t.pass === false).map((t) => t.id);
  lines.push(r.pass ? 'all applicable tests pass' : `failed: ${failed.join(', ')}`);
  return lines.join('\n');
}

/**
 * The action of `marketsim facts`: loads the bars, runs the suite (docs/stylized-facts.md) and writes
 * JSON (`--json`) or the table. Failing tests are a report, not an error (exit code 0); bad input throws.
 */
export async function factsAction(flags: FactsFlags, write: (text: string) => void = (t) => process.stdout.write(t)): Promise<FactsReport> {
  if (!flags.data) throw new MarketsimError('CLI_INVALID', '--data: a bar file or catalog directory is required');
  const options: FactsOptions = { timezone: flags.timezone ?? 'UTC' };
  if (flags.session !== undefined) options.session = parseSession(flags.session);
  if (flags.tick !== undefined) {
    const tick = Number(flags.tick);
    if (!(Number.isFinite(tick) && tick >= 0)) throw new MarketsimError('CLI_INVALID', `--tick: expected a number >= 0, got ${JSON.stringify(flags.tick)}`);
    options.tickSize = tick;
  }
  const bars = await loadFactBars(flags.data, flags.symbol !== undefined ? { symbol: flags.symbol } : {});
  const report = factsFromBars(bars, options);
  write((flags.json ? JSON.stringify(report) : formatFacts(report)) + '\n');
  return report;
}

/** Adds `marketsim facts --data FILE|CATALOG [--json] [--session HH:MM-HH:MM] [--timezone TZ] [--tick X] [--symbol S]`. */
export function registerFactsCommand(program: Command, write?: (text: string) => void): void {
  program
    .command('facts')
    .description('stylized facts of 1-minute returns: the test of realism (docs/stylized-facts.md)')
    .requiredOption('--data <path>', 'bar CSV file or catalog directory')
    .option('--json', 'print one JSON document')
    .option('--session <HH:MM-HH:MM>', 'main session for the intraday seasonality test (e.g. 09:00-17:30)')
    .option('--timezone <tz>', 'time zone of trading days and sessions (UTC or an IANA name)', 'UTC')
    .option('--tick <x>', 'price tick for the Hill jitter (default: inferred from the closes; 0 = no jitter)')
    .option('--symbol <s>', 'symbol to take from a catalog with several')
    .action(async (flags: FactsFlags) => {
      await factsAction(flags, write);
    });
}
