import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Command } from 'commander';
import { sharedFile } from '../helpers/shared-data.ts';
import { tmpFile } from './helpers.ts';
import { DataError, MarketsimError } from '../../src/core/errors.ts';
import { ApplyCode, LevelSide, LobsterBook, LobsterOrderMap, reconstructLobster } from '../../src/data/lobster.ts';
import { lobsterAction, registerLobsterCommand } from '../../src/cli/lobster-command.ts';

const DAY = '2012-06-21_34200000_57600000';

test('LobsterOrderMap behaves like a Map under random inserts, finds and removals (backward-shift deletion)', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.constantFrom('ins', 'del', 'dec'), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 50 })), { maxLength: 400, size: 'max' }),
      fc.boolean(),
      (ops, sameHome) => {
        const m = new LobsterOrderMap(4); // tiny: forces growth and long probe runs
        const ref = new Map<number, number>();
        for (const [op, rawId, size] of ops) {
          // clustered low bits, some ids above 2^32; in half the runs ids share their low word (and so
          // their home slot) in groups, so deletions often leave a hole at another entry's own home
          const id = sameHome ? (rawId % 5) + 1 + (rawId >> 2) * 4_294_967_296 : rawId * 1024 + (rawId % 3) * 4_294_967_296;
          if (op === 'ins') assert.equal(m.insert(id, size, id % 1000, 1), !ref.has(id));
          if (!ref.has(id) && op === 'ins') ref.set(id, size);
          if (op === 'del' && m.find(id)) {
            m.removeAt(m.slot);
            ref.delete(id);
          }
          if (op === 'dec' && m.find(id)) {
            const left = m.remainingAt(m.slot) - 1;
            m.setRemaining(m.slot, left);
            ref.set(id, left);
          }
          assert.equal(m.size, ref.size);
        }
        for (const [id, size] of ref) {
          assert.ok(m.find(id), `lost ${id}`);
          assert.equal(m.remainingAt(m.slot), size);
          assert.equal(m.priceAt(m.slot), id % 1000);
        }
      },
    ),
    { numRuns: 200 },
  );
});

test('LevelSide keeps levels sorted (best last), removes emptied levels and refuses overdraws without changing', () => {
  const s = new LevelSide(2);
  for (const [k, q] of [[100, 5], [102, 1], [101, 3], [99, 7], [102, 2]] as const) assert.ok(s.add(k, q));
  assert.deepEqual(Array.from(s.keys.subarray(0, s.count)), [99, 100, 101, 102]);
  assert.deepEqual(Array.from(s.sizes.subarray(0, s.count)), [7, 5, 3, 3]);
  assert.equal(s.reduce(101, 3, false), ApplyCode.Ok);
  assert.equal(s.indexOf(101), -1);
  assert.equal(s.reduce(100, 6, false), ApplyCode.LevelOverdrawn);
  assert.equal(s.sizeAt(100), 5);
  assert.equal(s.reduce(98, 1, false), ApplyCode.NoLevel);
  assert.equal(s.reduce(100, 6, true), ApplyCode.LevelOverdrawn); // clamp: the level goes
  assert.equal(s.indexOf(100), -1);
  assert.equal(s.count, 2);
});

test('LobsterBook: cancels of unknown ids reduce the level; known ids are tracked until deleted or filled', () => {
  const b = new LobsterBook();
  b.asks.add(-1_001_000, 100); // a pre-existing level (seeded)
  assert.equal(b.apply(2, 555, 30, 1_001_000, -1), ApplyCode.Ok);
  assert.equal(b.asks.sizeAt(-1_001_000), 70);
  assert.equal(b.unknownOrderMessages, 1);
  assert.equal(b.apply(1, 7, 20, 1_001_000, -1), ApplyCode.Ok);
  assert.equal(b.asks.sizeAt(-1_001_000), 90);
  assert.equal(b.apply(4, 7, 20, 1_001_000, -1), ApplyCode.Ok);
  assert.equal(b.orders.size, 0, 'a fully executed order leaves the map');
  assert.equal(b.apply(5, 0, 1_000, 1_001_000, -1), ApplyCode.Ok, 'hidden executions do not touch the visible book');
  assert.equal(b.apply(7, 0, 0, -1, -1), ApplyCode.Ok);
  assert.equal(b.asks.sizeAt(-1_001_000), 70);
  assert.equal(b.apply(3, 556, 70, 1_001_000, -1), ApplyCode.Ok);
  assert.equal(b.asks.count, 0, 'a level deleted down to 0 is removed');
});

/**
 * A hand-built level-2 day (prices in units, bids fixed at 99/98):
 * row 0 seeds asks 101x10, 102x20;
 * msg 1 deletes the 101 level (pre-existing order): 103x5 enters the window -> resync;
 * msg 2 adds 101x7: the top two are 101x7, 102x20 -> matched;
 * msg 3 deletes that order: 102x20 and 103x5 come back; 103 is kept from the resync -> matched;
 * msg 4 executes 5 at 102 but the file shows 102x16 (inside the window) -> mismatched.
 */
function windowDay(): { m: string; o: string } {
  const m = tmpFile(
    `WIN_${DAY}_message_2.csv`,
    ['34200.1,1,1,10,990000,1', '34200.2,3,900,10,1010000,-1', '34200.3,1,50,7,1010000,-1', '34200.4,3,50,7,1010000,-1', '34200.5,4,901,5,1020000,-1'].join('\n') + '\n',
  );
  const bids = '990000,10,980000,20';
  const row = (a1: number, s1: number, a2: number, s2: number) => `${a1},${s1},${bids.split(',').slice(0, 2).join(',')},${a2},${s2},${bids.split(',').slice(2).join(',')}`;
  const o = tmpFile(
    `WIN_${DAY}_orderbook_2.csv`,
    [row(1010000, 10, 1020000, 20), row(1020000, 20, 1030000, 5), row(1010000, 7, 1020000, 20), row(1020000, 20, 1030000, 5), row(1020000, 16, 1030000, 5)].join('\n') + '\n',
  );
  return { m, o };
}

test('reconstruction classifies rows: a level entering the window is a resync, a stale kept level matches, an in-window difference mismatches', async () => {
  const { m, o } = windowDay();
  const r = await reconstructLobster(m, o, 2);
  assert.equal(r.rows, 4);
  assert.equal(r.resynced, 1);
  assert.equal(r.matched, 2);
  assert.equal(r.mismatched, 1);
  assert.equal(r.firstMismatchLine, 5);
  assert.equal(r.unknownOrderMessages, 2);
  await assert.rejects(reconstructLobster(m, o, 2, { strict: true }), (e: unknown) => {
    assert.ok(e instanceof DataError);
    assert.equal(e.file, o);
    assert.equal(e.line, 5);
    assert.match(e.message, /differs from this row at a level inside the previous row's window/);
    return true;
  });
});

test('CLI: lobster --json prints one JSON document with rows, matched, resynced, mismatched, messagesPerSecond', async (t) => {
  const m = sharedFile(`data/lobster/aapl-level10-first999/AAPL_${DAY}_message_10.csv`);
  const o = sharedFile(`data/lobster/aapl-level10-first999/AAPL_${DAY}_orderbook_10.csv`);
  if (!m || !o) return t.skip('shared LOBSTER data missing');
  let out = '';
  const program = new Command().exitOverride();
  registerLobsterCommand(program, (text) => (out += text));
  await program.parseAsync(['lobster', '--messages', m, '--orderbook', o, '--levels', '10', '--json'], { from: 'user' });
  assert.equal(out.trim().split('\n').length, 1);
  const doc = JSON.parse(out) as Record<string, number>;
  assert.equal(doc.rows, 998);
  assert.equal(doc.matched, 984);
  assert.equal(doc.resynced, 14);
  assert.equal(doc.mismatched, 0);
  assert.equal(doc.hiddenExecutions, 61);
  assert.ok((doc.messagesPerSecond ?? 0) > 0);

  let text = '';
  await lobsterAction({ messages: m, orderbook: o, levels: '10' }, (s) => (text += s));
  assert.match(text, /matched\s+984 \(98\.60%\)\s+resynced 14 \(1\.40%\)\s+mismatched 0/);
});

test('CLI: lobster refuses a bad --levels and reports bad files with file:line; a mismatch sets a non-zero exit code', async () => {
  await assert.rejects(lobsterAction({ messages: 'a.csv', orderbook: 'b.csv', levels: 'ten' }, () => {}), (e: unknown) => e instanceof MarketsimError && /--levels: expected a positive integer/.test(e.message));
  await assert.rejects(lobsterAction({ messages: '/nonexistent/x.csv', orderbook: '/nonexistent/y.csv', levels: 1 }, () => {}), /nonexistent\/x\.csv:1: cannot read file \(ENOENT\)/);
  const { m, o } = windowDay();
  const before = process.exitCode;
  let text = '';
  try {
    const r = await lobsterAction({ messages: m, orderbook: o, levels: 2 }, (s) => (text += s));
    assert.equal(r.mismatched, 1);
    assert.equal(process.exitCode, 1);
  } finally {
    process.exitCode = before;
  }
  assert.match(text, /mismatched 1 \(first at .*WIN_.*orderbook_2\.csv:5\)/);
});
