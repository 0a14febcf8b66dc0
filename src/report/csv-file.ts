import { readFileSync } from 'node:fs';
import { DataError } from '../core/errors.ts';
import { CsvCursor } from '../data/csv-reader.ts';

/** One data row of a CSV file read by `readCsvFile`: field values by column name, and its 1-based line. */
export interface CsvRow {
  line: number;
  values: Record<string, string>;
}

/** A whole CSV file with a header line: its rows and the column names. */
export interface CsvFile {
  path: string;
  columns: string[];
  rows: CsvRow[];
}

/**
 * Reads a small CSV file with a header line (the files `marketsim run` writes) into memory.
 * `required` columns must be in the header, or a DataError names the file, line 1 and the column.
 * An unclosed quote is a DataError with its line.
 */
export function readCsvFile(path: string, required: readonly string[]): CsvFile {
  const cur = new CsvCursor();
  cur.load(readFileSync(path, 'utf8'));
  if (!cur.next()) throw new DataError(path, 1, undefined, 'empty file: expected a header line');
  const columns = cur.fields().map((c) => c.trim());
  for (const r of required) {
    if (!columns.includes(r)) throw new DataError(path, cur.line, r, `missing column ${JSON.stringify(r)} (header: ${columns.join(',')})`);
  }
  const rows: CsvRow[] = [];
  while (cur.next()) {
    if (cur.badQuote >= 0) throw new DataError(path, cur.line, columns[cur.badQuote], 'unclosed quote');
    const values: Record<string, string> = {};
    for (let i = 0; i < columns.length; i++) values[columns[i]!] = cur.field(i);
    rows.push({ line: cur.line, values });
  }
  return { path, columns, rows };
}

/** A finite number from a CSV field, or a DataError naming file:line and the column. */
export function numberField(file: CsvFile, row: CsvRow, column: string): number {
  const text = row.values[column] ?? '';
  const x = Number(text);
  if (text.trim() === '' || !Number.isFinite(x)) throw new DataError(file.path, row.line, column, `expected a number, got ${JSON.stringify(text)}`);
  return x;
}

/** A number from a CSV field that may be empty (NaN then), or a DataError for anything else. */
export function optionalNumberField(file: CsvFile, row: CsvRow, column: string): number {
  const text = row.values[column] ?? '';
  return text.trim() === '' ? NaN : numberField(file, row, column);
}
