import type { Command } from 'commander';
import { MarketsimError } from '../core/errors.ts';
import { isoFromMicros } from '../core/time.ts';
import { calendar } from '../assets/equity/calendar.ts';
import type { Session } from '../assets/equity/sessions.ts';

/** Flags of `marketsim calendar`. */
export interface CalendarFlags {
  exchange: string;
  from: string;
  to: string;
  json?: boolean;
}

/** One session as printed: times in UTC ISO 8601. Field names are a contract (more may be added). */
export interface CalendarSessionJson {
  date: string;
  open: string;
  close: string;
  earlyClose: boolean;
  lateOpen: boolean;
  preMarketOpen: string;
  afterHoursClose: string;
  note: string;
}

/** The JSON document of `marketsim calendar --json`. */
export interface CalendarJson {
  exchange: string;
  timeZone: string;
  from: string;
  to: string;
  sessions: CalendarSessionJson[];
}

function sessionJson(s: Session): CalendarSessionJson {
  return {
    date: s.date,
    open: isoFromMicros(s.open),
    close: isoFromMicros(s.close),
    earlyClose: s.earlyClose,
    lateOpen: s.lateOpen,
    preMarketOpen: isoFromMicros(s.preMarketOpen),
    afterHoursClose: isoFromMicros(s.afterHoursClose),
    note: s.note,
  };
}

/** The action of `marketsim calendar`: the sessions of an exchange between two dates, as JSON or a table. */
export function calendarAction(flags: CalendarFlags, write: (text: string) => void = (t) => process.stdout.write(t)): CalendarJson {
  for (const k of ['exchange', 'from', 'to'] as const) {
    if (!flags[k]) throw new MarketsimError('CLI_INVALID', `--${k} is required`);
  }
  const cal = calendar(flags.exchange);
  const sessions = cal.sessions(flags.from, flags.to).map(sessionJson);
  const doc: CalendarJson = { exchange: cal.exchange, timeZone: cal.timeZone, from: flags.from, to: flags.to, sessions };
  if (flags.json) {
    write(JSON.stringify(doc) + '\n');
  } else {
    const lines = [`${cal.exchange} sessions ${flags.from} .. ${flags.to} (${sessions.length}; times UTC)`];
    for (const s of sessions) {
      lines.push(`  ${s.date}  ${s.open.slice(11, 16)}-${s.close.slice(11, 16)}${s.earlyClose ? '  early close' : ''}${s.lateOpen ? '  late open' : ''}${s.note ? `  (${s.note})` : ''}`);
    }
    write(lines.join('\n') + '\n');
  }
  return doc;
}

/** Adds `marketsim calendar --exchange XNYS|XNAS --from YYYY-MM-DD --to YYYY-MM-DD [--json]`. */
export function registerCalendarCommand(program: Command, write?: (text: string) => void): void {
  program
    .command('calendar')
    .description('trading sessions of an exchange (XNYS, XNAS), 1990-2100: docs/equities.md')
    .requiredOption('--exchange <mic>', 'exchange MIC: XNYS or XNAS')
    .requiredOption('--from <date>', 'first date, YYYY-MM-DD')
    .requiredOption('--to <date>', 'last date, YYYY-MM-DD (inclusive)')
    .option('--json', 'print one JSON document')
    .action((flags: CalendarFlags) => {
      calendarAction(flags, write);
    });
}
