import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { registerCalendarCommand, type CalendarJson } from '../../src/cli/calendar-command.ts';
import { MarketsimError } from '../../src/core/errors.ts';

async function run(args: string[]): Promise<string> {
  let out = '';
  const program = new Command().exitOverride();
  registerCalendarCommand(program, (t) => (out += t));
  await program.parseAsync(['node', 'marketsim', 'calendar', ...args]);
  return out;
}

test('calendar --json prints every session with UTC open/close and the early-close flag', async () => {
  const out = await run(['--exchange', 'XNYS', '--from', '2026-11-25', '--to', '2026-11-30', '--json']);
  const doc = JSON.parse(out) as CalendarJson;
  assert.equal(doc.exchange, 'XNYS');
  assert.equal(doc.timeZone, 'America/New_York');
  assert.deepEqual(
    doc.sessions.map((s) => [s.date, s.open, s.close, s.earlyClose]),
    [
      ['2026-11-25', '2026-11-25T14:30:00.000Z', '2026-11-25T21:00:00.000Z', false],
      ['2026-11-27', '2026-11-27T14:30:00.000Z', '2026-11-27T18:00:00.000Z', true],
      ['2026-11-30', '2026-11-30T14:30:00.000Z', '2026-11-30T21:00:00.000Z', false],
    ],
  );
  assert.equal(doc.sessions[1]!.preMarketOpen, '2026-11-27T09:00:00.000Z');
  assert.equal(doc.sessions[1]!.afterHoursClose, '2026-11-27T22:00:00.000Z');
});

test('calendar without --json prints a table; a closed range prints no sessions', async () => {
  const out = await run(['--exchange', 'XNAS', '--from', '2012-10-29', '--to', '2012-10-31']);
  assert.match(out, /XNAS sessions 2012-10-29 \.\. 2012-10-31 \(1; times UTC\)/);
  assert.match(out, /2012-10-31 {2}13:30-20:00/);
  assert.doesNotMatch(out, /2012-10-29 {2}/);
});

test('calendar errors: unknown exchange, bad date, out of range', async () => {
  await assert.rejects(run(['--exchange', 'XTKS', '--from', '2026-01-01', '--to', '2026-01-31']), (e: unknown) => e instanceof MarketsimError && /unknown exchange "XTKS"/.test(e.message));
  await assert.rejects(run(['--exchange', 'XNYS', '--from', '2026-13-01', '--to', '2026-12-31']), (e: unknown) => e instanceof MarketsimError && /from: expected a date YYYY-MM-DD/.test(e.message));
  await assert.rejects(run(['--exchange', 'XNYS', '--from', '2099-01-01', '--to', '2101-01-01']), (e: unknown) => e instanceof MarketsimError && /outside the supported years 1990-2100/.test(e.message));
});
