import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.ts';
import { US_PER_DAY, US_PER_MINUTE } from '../../src/core/time.ts';
import { HaltState, HaltSourceBit } from '../../src/assets/equity/halt-state.ts';
import { haltOrderPolicy, haltedOrderDecision, defaultHaltOrderPolicy } from '../../src/assets/equity/halt-policy.ts';
import { Instrument } from '../../src/market/instrument.ts';
import { SourceState, type StatusEvent } from '../../src/market/market-data.ts';
import { NewsSimulator, type NewsSimEvent } from '../../src/data/synthetic/news-sim.ts';
import { ConfigError } from '../../src/core/errors.ts';

const A = new Instrument(0, { symbol: 'AAA', pricePrecision: 2 });
const B = new Instrument(1, { symbol: 'BBB', pricePrecision: 2 });
const START = 1_772_461_800_000_000; // 2026-03-02T14:30:00Z

const status = (time: number, instrument: Instrument, s: StatusEvent['status'], reason = ''): StatusEvent => ({ kind: 'status', time, instrument, status: s, reason });

test('sources merge: halted while any holds; one resume when the last clears', () => {
  const log: string[] = [];
  const h = new HaltState({ listener: { halted: (id, _t, src) => log.push(`halted ${id} ${src}`), resumed: (id) => log.push(`resumed ${id}`) } });
  assert.equal(h.isHalted(0), false);
  assert.equal(h.phase(0), 'TRADING');
  h.setHalt(0, 'LULD', true, 1, 'LULD pause');
  h.setHalt(0, 'NEWS', true, 2, 'news pending: x');
  assert.equal(h.sources(0), HaltSourceBit.LULD | HaltSourceBit.NEWS);
  h.setHalt(0, 'LULD', false, 3);
  assert.equal(h.isHalted(0), true, 'still held by the news halt');
  assert.equal(h.reason(0), 'news pending: x');
  h.setHalt(0, 'NEWS', false, 4);
  assert.equal(h.isHalted(0), false);
  assert.equal(h.isHalted(1), false, 'another instrument was never halted');
  // a market-wide halt over an instrument's own halt: the market resumes, the instrument does not
  h.setHalt(1, 'REGULATORY', true, 5);
  h.setMarketWide(true, 6, 'MWCB level 1');
  assert.equal(h.isHalted(0), true);
  assert.equal(h.sources(0), HaltSourceBit.MWCB);
  assert.equal(h.reason(0), 'MWCB level 1');
  h.setMarketWide(false, 7);
  assert.equal(h.isHalted(0), false);
  assert.equal(h.isHalted(1), true);
  assert.deepEqual(log, ['halted 0 LULD', 'resumed 0', 'halted 1 REGULATORY', 'halted -1 MWCB', 'resumed -1']);
  assert.throws(() => h.setHalt(-1, 'NEWS', true, 8), /instrument id must be a non-negative integer/);
});

test('order policy: limit orders queued, market and stop orders and IOC/FOK rejected HALTED; configurable', () => {
  const h = new HaltState();
  assert.equal(h.orderDecision(0, 'MARKET'), 'ACCEPT', 'not halted');
  h.setHalt(0, 'NEWS', true, 1);
  assert.equal(h.orderDecision(0, 'LIMIT'), 'QUEUE');
  assert.equal(h.orderDecision(0, 'LIMIT', 'GTC'), 'QUEUE');
  assert.equal(h.orderDecision(0, 'LIMIT', 'IOC'), 'REJECT');
  assert.equal(h.orderDecision(0, 'LIMIT', 'FOK'), 'REJECT');
  assert.equal(h.orderDecision(0, 'MARKET'), 'REJECT');
  assert.equal(h.orderDecision(0, 'STOP'), 'REJECT');
  assert.equal(h.orderDecision(0, 'STOP_LIMIT'), 'REJECT');
  assert.equal(h.rejectReason(), 'HALTED');
  assert.equal(h.cancelAllowed(), true);
  const all = new HaltState({ policy: { marketOrders: 'QUEUE', limitOrders: 'REJECT', stopOrders: 'QUEUE' } });
  all.setHalt(0, 'NEWS', true, 1);
  assert.equal(all.orderDecision(0, 'MARKET'), 'QUEUE');
  assert.equal(all.orderDecision(0, 'LIMIT'), 'REJECT');
  assert.equal(all.orderDecision(0, 'STOP'), 'QUEUE');
  assert.equal(haltedOrderDecision(defaultHaltOrderPolicy, 'MARKET', 'DAY'), 'REJECT');
  assert.throws(
    () => haltOrderPolicy({ limitOrders: 'HOLD' as 'QUEUE' }, 'run.halts.orderPolicy'),
    (e: unknown) => e instanceof ConfigError && /run\.halts\.orderPolicy\.limitOrders: must be 'QUEUE' or 'REJECT', got "HOLD"/.test(e.message),
  );
});

test('replayed status events: HALT, QUOTING, RESUME (LOBSTER type 7); session and feed statuses are not halts', () => {
  const log: string[] = [];
  const h = new HaltState({ listener: { halted: (id, _t, src, reason) => log.push(`halted ${id} ${src} ${reason}`), resumed: (id, t) => log.push(`resumed ${id} @${t}`) } });
  assert.equal(h.applyStatus(status(10, A, 'HALT', 'LOBSTER trading-halt message (type 7, price -1)')), true);
  assert.equal(h.phase(0), 'HALTED');
  assert.equal(h.sources(0), HaltSourceBit.REGULATORY);
  h.applyStatus(status(20, A, 'QUOTING', 'LOBSTER trading-halt message (type 7, price 0)'));
  assert.equal(h.phase(0), 'QUOTING');
  assert.equal(h.isHalted(0), true);
  assert.equal(h.orderDecision(0, 'LIMIT'), 'QUEUE', 'orders queue for the resumption during quoting');
  h.applyStatus(status(30, A, 'RESUME', 'LOBSTER trading-halt message (type 7, price 1)'));
  assert.equal(h.phase(0), 'TRADING');
  for (const s of ['OPEN', 'CLOSE', 'PRE_OPEN', 'POST_CLOSE', 'BOOK_RESYNC', 'BOOK_SYNCED'] as const) {
    assert.equal(h.applyStatus(status(40, B, s)), false, s);
    assert.equal(h.isHalted(1), false, s);
  }
  // a RESUME with nothing to resume changes nothing; a QUOTING without HALT starts a halt
  h.applyStatus(status(50, B, 'RESUME'));
  h.applyStatus(status(60, B, 'QUOTING', 'quote only'));
  assert.equal(h.phase(1), 'QUOTING');
  // RESUME clears data halts only: a LULD pause stays
  h.setHalt(1, 'LULD', true, 65);
  h.applyStatus(status(70, B, 'RESUME'));
  assert.equal(h.isHalted(1), true);
  assert.equal(h.sources(1), HaltSourceBit.LULD);
  h.setHalt(1, 'LULD', false, 80);
  assert.deepEqual(log, [
    'halted 0 REGULATORY LOBSTER trading-halt message (type 7, price -1)',
    'resumed 0 @30',
    'halted 1 REGULATORY quote only',
    'resumed 1 @80',
  ]);
  // startDay ends LULD and market-wide halts but keeps regulatory ones
  h.applyStatus(status(90, A, 'HALT', 'regulatory'));
  h.setHalt(1, 'LULD', true, 90);
  h.setMarketWide(true, 90);
  h.startDay();
  assert.equal(h.isHalted(0), true);
  assert.equal(h.isHalted(1), false);
});

test('news-pending halts of the synthetic news simulator halt and resume the named stock', async () => {
  const sim = new NewsSimulator({
    instruments: [A, B],
    start: START,
    end: START + US_PER_DAY,
    rng: new Rng(11),
    ratePerDay: 0,
    scheduled: [{ time: START + 60 * US_PER_MINUTE, kind: 'earnings', symbols: ['BBB'], headline: 'BBB beats' }],
    impact: { haltThreshold: 0, haltMinutes: 5 },
  });
  const src = sim.source();
  const events: NewsSimEvent[] = [];
  for (;;) {
    const s = src.advance();
    if (s === SourceState.Ready) events.push(src.current);
    else if (s === SourceState.Wait) await src.refill();
    else break;
  }
  const h = new HaltState();
  const seen: string[] = [];
  for (const e of events) {
    if (e.kind !== 'status') continue;
    h.applyStatus(e);
    seen.push(`${(e.time - START) / US_PER_MINUTE} ${e.status} A=${h.isHalted(0)} B=${h.isHalted(1)} ${h.sources(1)}`);
  }
  assert.deepEqual(seen, [`60 HALT A=false B=true ${HaltSourceBit.NEWS}`, '65 RESUME A=false B=false 0']);
});
