import { readFile } from 'node:fs/promises';
import { DataError } from '../../core/errors.ts';
import { parseScaled } from '../../core/fixed-point.ts';
import { isoDate, tryParseIsoDate } from './civil-date.ts';

/**
 * Corporate actions as data: the file format (docs/equities.md, "Corporate-action files") and its
 * loader. A CSV file with a header row naming the columns, in any order:
 *
 * ```
 * date,symbol,type,value,pay_date
 * 2024-06-10,NVDA,SPLIT,10,
 * 2024-06-11,NVDA,CASH_DIVIDEND,0.01,2024-06-28
 * 2024-07-01,XYZ,SPLIT,1:10,
 * ```
 *
 * `date` is the ex-date (the first session that trades without the split or dividend). `value` is the
 * split ratio new:old (a decimal `2`, `1.5`, `0.1`, or `new:old` such as `3:2`, `1:10`) or the cash
 * amount per share in dollars (up to 6 decimals). `pay_date` is required for dividends and empty for
 * splits. Rows must be sorted by date; blank lines and lines starting with `#` are skipped.
 */

/** Kinds of corporate action the file can hold. */
export type CorporateActionType = 'SPLIT' | 'CASH_DIVIDEND';

/** Decimal places of a dividend amount (`amountMicros` is in 10^-6 dollars). */
export const DIVIDEND_AMOUNT_PRECISION = 6;

interface ActionBase {
  /** Ex-date `YYYY-MM-DD`. */
  date: string;
  /** Ex-date as a civil day number. */
  day: number;
  symbol: string;
  /** Where it came from, for error messages. */
  file: string;
  line: number;
}

/** A split or reverse split: each old share becomes `ratioNew / ratioOld` new shares. */
export interface SplitAction extends ActionBase {
  type: 'SPLIT';
  /** New shares per old share, in lowest terms (2-for-1: 2/1; 1-for-10: 1/10; 3-for-2: 3/2). */
  ratioNew: number;
  ratioOld: number;
  /** ratioNew / ratioOld as a double. */
  ratio: number;
}

/** A cash dividend: `amount` dollars per share to holders at the ex-date, paid on `payDate`. */
export interface CashDividendAction extends ActionBase {
  type: 'CASH_DIVIDEND';
  /** Dollars per share. */
  amount: number;
  /** The amount exactly, in 10^-6 dollars. */
  amountMicros: number;
  payDate: string;
  payDay: number;
}

/** One row of a corporate-action file. */
export type CorporateAction = SplitAction | CashDividendAction;

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** The ratio `new / old` in lowest terms from `2`, `0.1`, `1.5` or `3:2`; undefined when malformed. */
export function parseSplitRatio(text: string): { ratioNew: number; ratioOld: number } | undefined {
  const s = text.trim();
  let n: number;
  let d: number;
  const colon = /^(\d+):(\d+)$/.exec(s);
  if (colon) {
    n = Number(colon[1]);
    d = Number(colon[2]);
  } else {
    const dec = /^\+?(\d*)(?:\.(\d*))?$/.exec(s);
    if (!dec || (dec[1] === '' && (dec[2] ?? '') === '')) return undefined;
    const frac = (dec[2] ?? '').replace(/0+$/, '');
    if (frac.length > 9) return undefined;
    n = Number((dec[1] || '0') + frac);
    d = 10 ** frac.length;
  }
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(d) || d === 0) return undefined;
  const g = gcd(n, d) || 1;
  return { ratioNew: n / g, ratioOld: d / g };
}

/**
 * Parses the text of a corporate-action file. Every problem is a `DataError` naming the file, the
 * 1-based line and the field: unknown type, a split ratio that is zero, negative or malformed, an
 * amount that is not a positive decimal, a missing or early pay date, an unsorted date.
 */
export function parseCorporateActions(text: string, file = '<corporate actions>'): CorporateAction[] {
  const lines = text.split(/\r?\n/);
  let header: string[] | undefined;
  let col: Record<string, number> = {};
  const out: CorporateAction[] = [];
  let prevDay = -Infinity;
  let prevDate = '';
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i]!.trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const cells = raw.split(',').map((c) => c.trim());
    if (!header) {
      header = cells.map((c) => c.toLowerCase());
      col = {};
      header.forEach((h, j) => (col[h] = j));
      for (const need of ['date', 'symbol', 'type', 'value']) {
        if (col[need] === undefined) throw new DataError(file, lineNo, need, `header must name the columns date,symbol,type,value[,pay_date]; "${need}" is missing`);
      }
      continue;
    }
    if (cells.length > header.length) throw new DataError(file, lineNo, undefined, `${cells.length} fields, the header has ${header.length}`);
    const get = (name: string): string => (col[name] === undefined ? '' : (cells[col[name]!] ?? ''));
    const date = get('date');
    const day = tryParseIsoDate(date);
    if (Number.isNaN(day)) throw new DataError(file, lineNo, 'date', `expected an ex-date YYYY-MM-DD, got ${JSON.stringify(date)}`);
    if (day < prevDay) throw new DataError(file, lineNo, 'date', `${date} is before ${prevDate} on an earlier line: rows must be sorted by date`);
    prevDay = day;
    prevDate = date;
    const symbol = get('symbol');
    if (symbol === '') throw new DataError(file, lineNo, 'symbol', 'symbol is empty');
    const type = get('type').toUpperCase();
    const value = get('value');
    const payText = get('pay_date');
    if (type === 'SPLIT') {
      const r = parseSplitRatio(value);
      if (/^\s*-/.test(value)) throw new DataError(file, lineNo, 'value', `split ratio must be positive, got ${value}`);
      if (!r) throw new DataError(file, lineNo, 'value', `split ratio must be a positive decimal (2, 0.1) or new:old (3:2), got ${JSON.stringify(value)}`);
      if (r.ratioNew === 0 || r.ratioOld === 0) throw new DataError(file, lineNo, 'value', `split ratio must be positive, got ${value}`);
      if (payText !== '') throw new DataError(file, lineNo, 'pay_date', 'pay_date is only for CASH_DIVIDEND rows; leave it empty for a split');
      out.push({ type: 'SPLIT', date, day, symbol, file, line: lineNo, ratioNew: r.ratioNew, ratioOld: r.ratioOld, ratio: r.ratioNew / r.ratioOld });
    } else if (type === 'CASH_DIVIDEND') {
      const micros = parseScaled(value, DIVIDEND_AMOUNT_PRECISION);
      if (!(micros > 0)) throw new DataError(file, lineNo, 'value', `dividend amount must be a positive decimal with at most ${DIVIDEND_AMOUNT_PRECISION} decimals, got ${JSON.stringify(value)}`);
      const payDay = tryParseIsoDate(payText);
      if (Number.isNaN(payDay)) throw new DataError(file, lineNo, 'pay_date', `a dividend needs a pay date YYYY-MM-DD, got ${JSON.stringify(payText)}`);
      if (payDay < day) throw new DataError(file, lineNo, 'pay_date', `pay date ${payText} is before the ex-date ${date}`);
      out.push({ type: 'CASH_DIVIDEND', date, day, symbol, file, line: lineNo, amount: micros / 10 ** DIVIDEND_AMOUNT_PRECISION, amountMicros: micros, payDate: isoDate(payDay), payDay });
    } else {
      throw new DataError(file, lineNo, 'type', `unknown corporate action type ${JSON.stringify(get('type'))} (known: SPLIT, CASH_DIVIDEND)`);
    }
  }
  if (!header) throw new DataError(file, 1, undefined, 'empty file: expected a header date,symbol,type,value[,pay_date]');
  return out;
}

/** Reads and parses a corporate-action file (see `parseCorporateActions`). */
export async function loadCorporateActions(path: string): Promise<CorporateAction[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new DataError(path, 0, undefined, `cannot read corporate-action file: ${(e as Error).message}`);
  }
  return parseCorporateActions(text, path);
}

/** The actions of one symbol, in date order. */
export function actionsFor(actions: readonly CorporateAction[], symbol: string): CorporateAction[] {
  return actions.filter((a) => a.symbol === symbol);
}
