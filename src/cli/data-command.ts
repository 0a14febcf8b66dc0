import { Command, Option } from 'commander';
import { isoFromMicros } from '../core/time.ts';
import { catalogSourceKinds, importSources, listPartitions, queryCatalog, type ImportResult, type PartitionSummary, type QueryResult } from '../data/catalog/index.ts';
import type { PartitionSpan } from '../data/catalog/writer.ts';

/**
 * `marketsim data`: the Parquet catalog from the command line (docs/catalog.md).
 *
 *     marketsim data import bars:orcl-2014.txt trades[price=Close,size=Volume]:ticks.csv --catalog DIR [--symbol S] [--venue V]
 *     marketsim data ls --catalog DIR [--symbol S...] [--type T...] [--json]
 *     marketsim data query --catalog DIR "SELECT symbol, count(*) FROM bars GROUP BY ALL" [--json]
 *
 * Output goes to `out` (default process.stdout) so tests can capture it.
 */

/** Flags of `data import`. */
export interface DataImportFlags {
  catalog: string;
  symbol?: string;
  venue?: string;
  pricePrecision?: string;
  sizePrecision?: string;
  timeFormat?: string;
  partition?: PartitionSpan;
  json?: boolean;
}

/** Writes text somewhere (stdout by default). */
export type Out = (text: string) => void;

const stdout: Out = (t) => {
  process.stdout.write(t);
};

/** Runs `data import`: imports every source spec in order as one import; prints a summary. */
export async function dataImportAction(sources: string[], flags: DataImportFlags, out: Out = stdout): Promise<ImportResult[]> {
  const global: Record<string, string> = {};
  if (flags.symbol) global.symbol = flags.symbol;
  if (flags.venue) global.venue = flags.venue;
  if (flags.pricePrecision) global.pricePrecision = flags.pricePrecision;
  if (flags.sizePrecision) global.sizePrecision = flags.sizePrecision;
  if (flags.timeFormat) global.timeFormat = flags.timeFormat;
  const results = await importSources(flags.catalog, sources, { global, ...(flags.partition ? { partition: flags.partition } : {}) });
  if (flags.json) out(JSON.stringify(results) + '\n');
  else for (const r of results) out(`imported ${r.events} events (${Object.entries(r.byType).map(([k, v]) => `${v} ${k}`).join(', ') || 'none'}) in ${r.files} files from ${r.source}\n`);
  return results;
}

/** Flags of `data ls`. */
export interface DataLsFlags {
  catalog: string;
  symbol?: string[];
  type?: string[];
  json?: boolean;
}

/** Runs `data ls`: one line per (venue, symbol, type) with date range, files and rows. */
export function dataLsAction(flags: DataLsFlags, out: Out = stdout): PartitionSummary[] {
  const parts = listPartitions(flags.catalog, { ...(flags.symbol?.length ? { symbols: flags.symbol } : {}), ...(flags.type?.length ? { types: flags.type } : {}) });
  if (flags.json) {
    out(JSON.stringify(parts) + '\n');
    return parts;
  }
  const rows = [['venue', 'symbol', 'type', 'from', 'to', 'files', 'rows', 'first event', 'last event']];
  for (const p of parts) {
    rows.push([p.venue, p.symbol, p.type, p.firstDate, p.lastDate, String(p.files), String(p.rows), isoFromMicros(p.firstTime), isoFromMicros(p.lastTime)]);
  }
  const widths = rows[0]!.map((_, k) => Math.max(...rows.map((r) => r[k]!.length)));
  for (const r of rows) out(r.map((c, k) => c.padEnd(widths[k]!)).join('  ').trimEnd() + '\n');
  return parts;
}

/** Flags of `data query`. */
export interface DataQueryFlags {
  catalog: string;
  json?: boolean;
}

function csvCell(x: QueryResult['rows'][number][number]): string {
  if (x === null) return '';
  const s = typeof x === 'object' ? JSON.stringify(x) : String(x);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Runs `data query`: prints the rows as CSV with a header, or with `--json` as an array of objects. */
export async function dataQueryAction(sql: string, flags: DataQueryFlags, out: Out = stdout): Promise<QueryResult> {
  const res = await queryCatalog(flags.catalog, sql);
  if (flags.json) {
    out(JSON.stringify(res.rows.map((r) => Object.fromEntries(res.columns.map((c, k) => [c, r[k]])))) + '\n');
  } else {
    out(res.columns.map((c) => csvCell(c)).join(',') + '\n');
    for (const r of res.rows) out(r.map(csvCell).join(',') + '\n');
  }
  return res;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Adds `data import`, `data ls` and `data query` to the program (`out` receives what they print; default stdout). */
export function registerDataCommand(program: Command, out: Out = stdout): void {
  const data = program.command('data').description('historical data catalog (Parquet, partitioned by venue, symbol, event type and date)');
  const kinds = catalogSourceKinds()
    .map((k) => `  ${k.kind.padEnd(17)} ${k.description}`)
    .join('\n');
  data
    .command('import')
    .description('import sources into a catalog; a source is KIND:PATH or KIND[key=value,...]:PATH')
    .argument('<source...>', 'source specs, e.g. bars:orcl-2014.txt')
    .requiredOption('--catalog <dir>', 'catalog directory (created when missing)')
    .option('--symbol <symbol>', 'symbol of the instruments made by the sources (default: the file name)')
    .option('--venue <venue>', 'venue of the instruments made by the sources (default SIM)')
    .option('--price-precision <n>', 'price decimals (default: from the data)')
    .option('--size-precision <n>', 'size decimals (default: from the data)')
    .option('--time-format <format>', 'time format of the files (default: detected)')
    .addOption(new Option('--partition <span>', 'span of one date partition file').choices(['auto', 'day', 'month', 'year']).default('auto'))
    .option('--json', 'print the import results as JSON')
    .addHelpText('after', `\nSource kinds:\n${kinds}`)
    .action(async (sources: string[], flags: DataImportFlags) => {
      await dataImportAction(sources, flags, out);
    });
  data
    .command('ls')
    .description('list the partitions of a catalog: venue, symbol, type, date range, files, rows')
    .requiredOption('--catalog <dir>', 'catalog directory')
    .option('--symbol <symbol>', 'only this symbol (repeatable)', collect)
    .option('--type <type>', 'only this event type (repeatable)', collect)
    .option('--json', 'print JSON')
    .action((flags: DataLsFlags) => {
      dataLsAction(flags, out);
    });
  data
    .command('query')
    .description('run SQL over the catalog (views: bars, quotes, trades, book_deltas, book_snapshots, l3, status, news, order_flow; table instruments)')
    .argument('<sql>', 'one SQL statement')
    .requiredOption('--catalog <dir>', 'catalog directory')
    .option('--json', 'print a JSON array of row objects instead of CSV')
    .action(async (sql: string, flags: DataQueryFlags) => {
      await dataQueryAction(sql, flags, out);
    });
}
