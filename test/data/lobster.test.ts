import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedFile } from '../helpers/shared-data.ts';
import { collect, drain, tmpFile } from './helpers.ts';
import { isoFromMicros } from '../../src/core/time.ts';
import {
  lobsterDayStartUs,
  lobsterSource,
  parseLobsterFileName,
  readLobsterBatches,
  readLobsterMessageBlocks,
  readLobsterSnapshotBatches,
  reconstructLobster,
  reconstructLobsterColumns,
  loadLobsterBook,
  loadLobsterMessages,
  zoneOffsetMinutes,
  type LobsterEvent,
} from '../../src/data/lobster.ts';

const DAY = '2012-06-21_34200000_57600000';
const full = (sym: string, kind: 'message' | 'orderbook', n: number) => sharedFile(`data/lobster/full-day-gz/${sym}_${DAY}_${kind}_${n}.csv.gz`);

/** The minimums: a price-level book that keeps every level it has seen reaches these. */
const FULL_DAYS = [
  { sym: 'GOOG', n: 10, rows: 147_915, minMatched: 141_636 },
  { sym: 'GOOG', n: 5, rows: 112_672, minMatched: 103_953 },
  { sym: 'GOOG', n: 1, rows: 49_481, minMatched: 43_312 },
  { sym: 'AMZN', n: 5, rows: 155_934, minMatched: 143_883 },
  { sym: 'AMZN', n: 1, rows: 57_514, minMatched: 49_347 },
  { sym: 'AAPL', n: 1, rows: 118_496, minMatched: 101_245 },
] as const;

for (const d of FULL_DAYS) {
  test(`LOBSTER ${d.sym} level ${d.n}, full day from .gz: mismatched 0, matched >= ${d.minMatched}, rows ${d.rows}`, async (t) => {
    const m = full(d.sym, 'message', d.n);
    const o = full(d.sym, 'orderbook', d.n);
    if (!m || !o) return t.skip('shared LOBSTER data missing');
    const r = await reconstructLobster(m, o, d.n);
    assert.equal(r.messages, d.rows + 1, 'message rows = order-book rows = compared rows + the seed row');
    assert.equal(r.rows, d.rows);
    assert.equal(r.mismatched, 0);
    assert.equal(r.firstMismatchLine, null);
    assert.ok(r.matched >= d.minMatched, `matched ${r.matched} < ${d.minMatched}`);
    assert.equal(r.matched + r.resynced + r.mismatched, r.rows);
    assert.equal(r.clamped, 0);
    assert.ok(r.messagesPerSecond > 0);
  });
}

test('LOBSTER full-day counts of executions and hidden executions equal the message types in the file', async (t) => {
  const m = full('GOOG', 'message', 10);
  const o = full('GOOG', 'orderbook', 10);
  if (!m || !o) return t.skip('shared LOBSTER data missing');
  const r = await reconstructLobster(m, o, 10);
  // counted independently with awk on the file: 7,765 type-4 and 3,913 type-5 rows, no type 6 or 7
  assert.equal(r.executions, 7_765);
  assert.equal(r.hiddenExecutions, 3_913);
  assert.equal(r.crossTrades, 0);
  assert.equal(r.haltMessages, 0);
});

test('LOBSTER AAPL level-10 first-999 prefix: 998 rows compared, all consistent', async (t) => {
  const m = sharedFile(`data/lobster/aapl-level10-first999/AAPL_${DAY}_message_10.csv`);
  const o = sharedFile(`data/lobster/aapl-level10-first999/AAPL_${DAY}_orderbook_10.csv`);
  if (!m || !o) return t.skip('shared LOBSTER data missing');
  const r = await reconstructLobster(m, o, 10);
  assert.equal(r.messages, 999);
  assert.equal(r.rows, 998);
  assert.equal(r.mismatched, 0);
  assert.equal(r.matched, 984);
  assert.equal(r.resynced, 14);
  assert.equal(r.executions, 98);
  assert.equal(r.hiddenExecutions, 61);
});

test('LOBSTER first-20000 prefixes (GOOG 10, AMZN 5): 19,999 rows, mismatched 0; in-memory columns give the same counts', async (t) => {
  const cases = [
    ['GOOG', 10, 19_472],
    ['AMZN', 5, 18_748],
  ] as const;
  for (const [sym, n, matched] of cases) {
    const m = sharedFile(`data/lobster/prefix-first20000/${sym}_${DAY}_message_${n}_first20000.csv`);
    const o = sharedFile(`data/lobster/prefix-first20000/${sym}_${DAY}_orderbook_${n}_first20000.csv`);
    if (!m || !o) return t.skip('shared LOBSTER data missing');
    const r = await reconstructLobster(m, o, n);
    assert.equal(r.rows, 19_999);
    assert.equal(r.mismatched, 0);
    assert.equal(r.matched, matched);
    assert.equal(r.matched + r.resynced, 19_999);
    const cols = reconstructLobsterColumns(await loadLobsterMessages(m), await loadLobsterBook(o, n), { messagesFile: m, orderbookFile: o });
    assert.deepEqual({ ...cols, seconds: 0, messagesPerSecond: 0 }, { ...r, seconds: 0, messagesPerSecond: 0 });
  }
});

test('LOBSTER .gz reading equals the plain prefix file row for row (first 20,000 GOOG messages)', async (t) => {
  const gz = full('GOOG', 'message', 10);
  const plain = sharedFile(`data/lobster/prefix-first20000/GOOG_${DAY}_message_10_first20000.csv`);
  if (!gz || !plain) return t.skip('shared LOBSTER data missing');
  const a = await loadLobsterMessages(plain);
  let row = 0;
  for await (const b of readLobsterMessageBlocks(gz, { highWaterMark: 64 * 1024 })) {
    for (let i = 0; i < b.length && row < a.length; i++, row++) {
      assert.equal(b.firstRow + i, row);
      assert.equal(b.timeUs[i], a.timeUs[row]);
      assert.equal(b.type[i], a.type[row]);
      assert.equal(b.orderId[i], a.orderId[row]);
      assert.equal(b.size[i], a.size[row]);
      assert.equal(b.price[i], a.price[row]);
      assert.equal(b.direction[i], a.direction[row]);
    }
    if (row >= a.length) break;
  }
  assert.equal(row, 20_000);
  // first GOOG message: 34200.015105074 s -> 34200015105 us (rounded half up on the 7th decimal)
  assert.equal(a.timeUs[0], 34_200_015_105);
  assert.equal(a.type[0], 4);
  assert.equal(a.orderId[0], 15_818_974);
});

test('LOBSTER file names give symbol, date, window and level count', () => {
  assert.deepEqual(parseLobsterFileName(`/x/AAPL_${DAY}_message_10.csv`), { symbol: 'AAPL', date: '2012-06-21', startMs: 34_200_000, endMs: 57_600_000, kind: 'message', levels: 10 });
  assert.deepEqual(parseLobsterFileName(`GOOG_${DAY}_orderbook_5_first20000.csv`)?.levels, 5);
  assert.equal(parseLobsterFileName(`AMZN_${DAY}_orderbook_1.csv.gz`)?.kind, 'orderbook');
  assert.equal(parseLobsterFileName('trades.csv'), undefined);
});

test('LOBSTER time: New York on 2012-06-21 is EDT (UTC-4); 34200 s after midnight is 13:30:00 UTC', () => {
  assert.equal(zoneOffsetMinutes('America/New_York', '2012-06-21'), -240);
  assert.equal(zoneOffsetMinutes('America/New_York', '2012-01-20'), -300);
  const start = lobsterDayStartUs(`AAPL_${DAY}_message_1.csv`);
  assert.equal(isoFromMicros(start + 34_200_000_000), '2012-06-21T13:30:00.000Z');
  assert.equal(lobsterDayStartUs('x.csv', { date: '2012-06-21', utcOffsetMinutes: 0 }), Date.UTC(2012, 5, 21) * 1000);
  assert.equal(lobsterDayStartUs('x.csv', { date: '2012-06-21', timeZone: 'Europe/Berlin' }), (Date.UTC(2012, 5, 21) - 2 * 3_600_000) * 1000);
  assert.throws(() => lobsterDayStartUs('messages.csv'), /cannot take the trading date from the file name/);
  assert.throws(() => lobsterDayStartUs('x.csv', { date: '2012-06-21', timeZone: 'Mars/Olympus' }), /unknown time zone/);
});

/** A small message file of every type (the name carries the date). */
function eventFile(): string {
  return tmpFile(
    `TEST_${DAY}_message_1.csv`,
    [
      '34200.0000004,1,11,100,5000000,1', // add, 0.4 us rounds down
      '34200.0000005,1,12,50,5001000,-1', // add, 0.5 us rounds up to 1 us
      '34200.000001234,2,11,40,5000000,1', // partial cancel
      '34200.5,4,12,20,5001000,-1', // execution of a sell: buyer-initiated trade
      '34201,5,0,7,5000500,1', // hidden execution of a buy: seller-initiated trade
      '34202,7,0,0,-1,-1', // halt
      '34203,7,0,0,0,-1', // quoting
      '34204,7,0,0,1,-1', // resume
      '34205,3,11,60,5000000,1', // delete
      '34206,6,0,300,5000500,1', // cross trade
    ].join('\n') + '\n',
  );
}

test('LOBSTER events: L3 actions, trades with aggressor opposite the resting side, status for type 7, UTC microseconds', async () => {
  const path = eventFile();
  const events = await collect(readLobsterBatches(path));
  const t0 = Date.UTC(2012, 5, 21, 13, 30) * 1000;
  const brief = events.map((e) => {
    const base = { kind: e.kind, dt: e.time - t0, seq: e.sequence };
    if (e.kind === 'l3') return { ...base, action: e.action, id: e.orderId, side: e.side, price: e.price, size: e.size };
    if (e.kind === 'trade') return { ...base, price: e.price, size: e.size, aggressor: e.aggressor };
    return { ...base, status: e.status };
  });
  assert.deepEqual(brief, [
    { kind: 'l3', dt: 0, seq: 0, action: 'add', id: 11, side: 'BUY', price: 5_000_000, size: 100 },
    { kind: 'l3', dt: 1, seq: 1, action: 'add', id: 12, side: 'SELL', price: 5_001_000, size: 50 },
    { kind: 'l3', dt: 1, seq: 2, action: 'cancel', id: 11, side: 'BUY', price: 5_000_000, size: 40 },
    { kind: 'l3', dt: 500_000, seq: 3, action: 'execute', id: 12, side: 'SELL', price: 5_001_000, size: 20 },
    { kind: 'trade', dt: 500_000, seq: 3, price: 500.1, size: 20, aggressor: 'BUY' },
    { kind: 'l3', dt: 1_000_000, seq: 4, action: 'hidden-execute', id: 0, side: 'BUY', price: 5_000_500, size: 7 },
    { kind: 'trade', dt: 1_000_000, seq: 4, price: 500.05, size: 7, aggressor: 'SELL' },
    { kind: 'status', dt: 2_000_000, seq: 5, status: 'HALT' },
    { kind: 'status', dt: 3_000_000, seq: 6, status: 'QUOTING' },
    { kind: 'status', dt: 4_000_000, seq: 7, status: 'RESUME' },
    { kind: 'l3', dt: 5_000_000, seq: 8, action: 'delete', id: 11, side: 'BUY', price: 5_000_000, size: 60 },
    { kind: 'trade', dt: 6_000_000, seq: 9, price: 500.05, size: 300, aggressor: undefined },
  ]);
  const inst = events[0]!.instrument;
  assert.equal(inst.symbol, 'TEST');
  assert.equal(inst.pricePrecision, 4);
  assert.equal(inst.venue, 'NASDAQ');
  assert.equal(inst.priceUnits(500.05), 5_000_500);
});

test('LOBSTER EventSource (BatchSource) delivers the same events in order', async () => {
  const path = eventFile();
  const direct = await collect(readLobsterBatches(path, { utcOffsetMinutes: 0 }));
  const pulled = await drain(lobsterSource(path, { utcOffsetMinutes: 0 }));
  assert.equal(pulled.length, direct.length);
  assert.deepEqual(
    pulled.map((e) => [e.kind, e.time, e.sequence]),
    direct.map((e) => [e.kind, e.time, e.sequence]),
  );
  assert.equal(pulled[0]!.time, Date.UTC(2012, 5, 21, 9, 30) * 1000);
});

test('LOBSTER AAPL first-999 as events and snapshots: counts per kind, snapshot i is timed by message i', async (t) => {
  const m = sharedFile(`data/lobster/aapl-level10-first999/AAPL_${DAY}_message_10.csv`);
  const o = sharedFile(`data/lobster/aapl-level10-first999/AAPL_${DAY}_orderbook_10.csv`);
  if (!m || !o) return t.skip('shared LOBSTER data missing');
  const events: LobsterEvent[] = await collect(readLobsterBatches(m));
  const l3 = events.filter((e) => e.kind === 'l3');
  const trades = events.filter((e) => e.kind === 'trade');
  assert.equal(l3.length, 999);
  assert.equal(trades.length, 98 + 61);
  assert.equal(isoFromMicros(events[0]!.time), '2012-06-21T13:30:00.004241Z'); // 34200.004241176 s EDT
  const snaps = await collect(readLobsterSnapshotBatches(m, o, 10));
  assert.equal(snaps.length, 999);
  assert.equal(snaps[0]!.time, events[0]!.time);
  assert.deepEqual(snaps[0]!.askPrices.slice(0, 3), [5_859_400, 5_859_800, 5_861_000]);
  assert.deepEqual(snaps[0]!.bidSizes.slice(0, 2), [18, 150]);
  assert.equal(snaps[998]!.sequence, 998);
  assert.equal(snaps[998]!.time, l3[998]!.time);
});
