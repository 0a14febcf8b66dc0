import { resolve } from 'node:path';
import type { Command } from 'commander';
import { REPORT_FILE, writeReport } from '../report/write-report.ts';

/** Flags of `marketsim report`. */
export interface ReportFlags {
  out?: string;
  json?: boolean;
}

/**
 * The action of `marketsim report DIR`: rebuilds DIR/report.html (or `--out FILE`) from a run's output
 * folder and prints its path (`--json`: `{"report": path}`). A missing folder or file, or a malformed
 * one, throws an error naming it.
 */
export function reportAction(dir: string, flags: ReportFlags, write: (text: string) => void = (t) => process.stdout.write(t)): string {
  const folder = resolve(dir);
  const path = writeReport(folder, flags.out !== undefined ? resolve(flags.out) : resolve(folder, REPORT_FILE));
  write(flags.json ? JSON.stringify({ report: path }) + '\n' : `report written to ${path}\n`);
  return path;
}

/** Adds `marketsim report DIR [--out FILE] [--json]`. */
export function registerReportCommand(program: Command, write?: (text: string) => void): void {
  program
    .command('report')
    .description('rebuild the HTML report (report.html) from the output folder of a run (docs/report.md)')
    .argument('<dir>', 'output folder of `marketsim run` or `backtest` (summary.json, equity.csv, ...)')
    .option('--out <file>', `where to write the report (default: DIR/${REPORT_FILE})`)
    .option('--json', 'print one JSON document: {"report": path}')
    .action((dir: string, flags: ReportFlags) => {
      reportAction(dir, flags, write);
    });
}
