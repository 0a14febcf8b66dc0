import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { MarketsimError } from '../core/errors.ts';
import { reconstructLobster, type LobsterReconstructionResult } from '../data/lobster-reconstruct.ts';

/** Flags of `marketsim lobster`. */
export interface LobsterFlags {
  messages: string;
  orderbook: string;
  levels: string | number;
  json?: boolean;
  overdraw?: 'error' | 'clamp';
  strict?: boolean;
}

/** Parses `--levels`: a positive integer. */
function parseLevels(v: string | number): number {
  const n = typeof v === 'number' ? v : Number(v);
  if (!(Number.isInteger(n) && n >= 1 && n <= 10_000)) throw new MarketsimError('CLI_INVALID', `--levels: expected a positive integer, got ${JSON.stringify(v)}`);
  return n;
}

/** The short human summary of a reconstruction. */
export function formatLobsterSummary(r: LobsterReconstructionResult): string {
  const pct = (x: number) => (r.rows === 0 ? '0.00' : ((100 * x) / r.rows).toFixed(2));
  const n = (x: number) => x.toLocaleString('en-US');
  return [
    `lobster: ${r.messagesFile}`,
    `  levels        ${r.levels}   messages ${n(r.messages)}   rows compared ${n(r.rows)}`,
    `  matched       ${n(r.matched)} (${pct(r.matched)}%)   resynced ${n(r.resynced)} (${pct(r.resynced)}%)   mismatched ${n(r.mismatched)}${r.firstMismatchLine !== null ? ` (first at ${r.orderbookFile}:${r.firstMismatchLine})` : ''}`,
    `  trades        executions ${n(r.executions)}   hidden ${n(r.hiddenExecutions)}   cross ${n(r.crossTrades)}   halt messages ${n(r.haltMessages)}`,
    `  unknown ids   ${n(r.unknownOrderMessages)} messages${r.clamped > 0 ? `   clamped overdraws ${n(r.clamped)}` : ''}`,
    `  speed         ${n(Math.round(r.messagesPerSecond))} messages/s (${(r.seconds * 1000).toFixed(0)} ms, end to end)`,
  ].join('\n');
}

/**
 * The action of `marketsim lobster`: reconstructs the book and writes one JSON document (`--json`)
 * or the summary to `write`. Errors (bad input: `DataError` with file:line) propagate to the CLI's
 * entry point, which prints them and exits 1. Exits 1 too (after printing) when a row mismatched.
 */
export async function lobsterAction(flags: LobsterFlags, write: (text: string) => void = (t) => process.stdout.write(t)): Promise<LobsterReconstructionResult> {
  const levels = parseLevels(flags.levels);
  const result = await reconstructLobster(resolve(flags.messages), resolve(flags.orderbook), levels, {
    overdraw: flags.overdraw ?? 'error',
    strict: flags.strict ?? false,
  });
  write((flags.json ? JSON.stringify(result) : formatLobsterSummary(result)) + '\n');
  if (result.mismatched > 0) process.exitCode = 1;
  return result;
}

/**
 * Adds `marketsim lobster --messages FILE --orderbook FILE --levels N [--json]`. `write` receives the
 * output (default: stdout).
 */
export function registerLobsterCommand(program: Command, write?: (text: string) => void): void {
  program
    .command('lobster')
    .description('rebuild a LOBSTER order book from its message file and check it against its order-book file (docs/lobster.md)')
    .requiredOption('--messages <file>', 'LOBSTER message file (.csv or .csv.gz)')
    .requiredOption('--orderbook <file>', 'LOBSTER order-book file of the same day and level count')
    .requiredOption('--levels <n>', 'number of levels N of the order-book file (4N columns)')
    .option('--json', 'print exactly one JSON document on stdout')
    .addOption(new Option('--overdraw <policy>', 'a cancel/delete/execution larger than its level or order: fail or clamp and count').choices(['error', 'clamp']).default('error'))
    .option('--strict', 'fail at the first mismatched row instead of counting it')
    .action(async (flags: LobsterFlags) => {
      await lobsterAction(flags, write);
    });
}
