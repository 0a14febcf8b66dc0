import { test } from 'node:test';
import assert from 'node:assert/strict';
import { microsFromIso, US_PER_MINUTE, US_PER_SECOND } from '../../src/core/time.ts';
import { CircuitBreaker, type CircuitBreakerListener } from '../../src/assets/equity/circuit-breaker.ts';
import { HaltState } from '../../src/assets/equity/halt-state.ts';
import { circuitBreakerHaltListener } from '../../src/assets/equity/halt-wiring.ts';

// 2026-03-02 (EST): 09:30 ET = 14:30Z
const day = (date: string, hms: string): number => {
  const [h, m, s] = hms.split(':');
  return microsFromIso(`${date}T00:00:00Z`) + 5 * 60 * US_PER_MINUTE + (Number(h) * 60 + Number(m)) * US_PER_MINUTE + Math.round(Number(s ?? 0) * US_PER_SECOND);
};
const D1 = '2026-03-02';
const t = (hms: string): number => day(D1, hms);

function rec(): { log: string[]; listener: CircuitBreakerListener } {
  const log: string[] = [];
  const hms = (x: number): string => new Date((x - 5 * 60 * US_PER_MINUTE) / 1000).toISOString().slice(11, 19);
  return {
    log,
    listener: {
      change: (time, from, to, level, until) => log.push(`${hms(time)} ${from}->${to} L${level}${until === until ? ' until ' + hms(until) : ''}`),
      noHalt: (time, level) => log.push(`${hms(time)} no halt L${level}`),
    },
  };
}

test('doc example: level 1 halts 15 minutes once; level 2 halts once; level 3 closes the day', () => {
  const { log, listener } = rec();
  const cb = new CircuitBreaker(listener);
  cb.startDay(t('09:30:00'), t('16:00:00'), 5000); // S&P 500 closed at 5,000.00 yesterday
  assert.deepEqual([cb.threshold(1), cb.threshold(2), cb.threshold(3)], [4650, 4350, 4000]);
  cb.onIndex(t('09:00:00'), 4000); // before the open: ignored
  assert.equal(cb.state, 'CLOSED');
  cb.onIndex(t('09:30:00'), 4900);
  assert.equal(cb.state, 'NORMAL');
  cb.onIndex(t('10:00:00'), 4650.01); // -6.9998%: nothing
  assert.equal(cb.state, 'NORMAL');
  cb.onIndex(t('10:00:01'), 4650); // exactly -7%: level 1
  assert.equal(cb.state, 'HALTED');
  assert.equal(cb.level, 1);
  assert.equal(cb.haltEnd, t('10:15:01'));
  assert.equal(cb.nextDeadline(), t('10:15:01'));
  cb.onIndex(t('10:05:00'), 4300); // during the halt: ignored
  assert.equal(cb.level, 1);
  cb.advance(t('10:15:01'));
  assert.equal(cb.state, 'NORMAL');
  cb.onIndex(t('10:20:00'), 4600); // level 1 again: no second halt
  assert.equal(cb.state, 'NORMAL');
  cb.onIndex(t('11:00:00'), 4350); // level 2
  assert.equal(cb.state, 'HALTED');
  assert.equal(cb.level, 2);
  cb.advance(t('11:15:00'));
  cb.onIndex(t('11:30:00'), 4349); // level 2 again: nothing
  assert.equal(cb.state, 'NORMAL');
  cb.onIndex(t('12:00:00'), 4000); // -20%: closed for the day
  assert.equal(cb.state, 'CLOSED_FOR_DAY');
  assert.equal(cb.halted, true);
  cb.onIndex(t('12:30:00'), 4500);
  assert.equal(cb.state, 'CLOSED_FOR_DAY');
  cb.advance(t('16:00:00'));
  assert.equal(cb.state, 'CLOSED');
  assert.deepEqual(log, [
    '09:30:00 CLOSED->NORMAL L0',
    '10:00:01 NORMAL->HALTED L1 until 10:15:01',
    '10:15:01 HALTED->NORMAL L0',
    '11:00:00 NORMAL->HALTED L2 until 11:15:00',
    '11:15:00 HALTED->NORMAL L0',
    '12:00:00 NORMAL->CLOSED_FOR_DAY L3',
    '16:00:00 CLOSED_FOR_DAY->CLOSED L0',
  ]);
});

test('the 15:25 rule: levels 1 and 2 halt before 15:25, not at or after it; level 3 always', () => {
  const before = new CircuitBreaker();
  before.startDay(t('09:30:00'), t('16:00:00'), 5000);
  before.onIndex(t('15:24:59.999999'), 4650);
  assert.equal(before.state, 'HALTED', 'one microsecond before 15:25: halt');
  assert.equal(before.haltEnd, t('15:39:59.999999'));
  assert.equal(before.cutoff, t('15:25:00'));

  const { log, listener } = rec();
  const at = new CircuitBreaker(listener);
  at.startDay(t('09:30:00'), t('16:00:00'), 5000);
  at.onIndex(t('15:25:00'), 4650);
  assert.equal(at.state, 'NORMAL', 'at 15:25: no halt');
  assert.equal(at.triggered(1), true);
  at.onIndex(t('15:40:00'), 4300);
  assert.equal(at.state, 'NORMAL', 'level 2 after 15:25: no halt');
  at.onIndex(t('15:45:00'), 3999);
  assert.equal(at.state, 'CLOSED_FOR_DAY', 'level 3 after 15:25: closed');
  assert.deepEqual(log.slice(1), ['15:25:00 no halt L1', '15:40:00 no halt L2', '15:45:00 NORMAL->CLOSED_FOR_DAY L3']);

  // an early close at 13:00: the cutoff is 12:25
  const early = new CircuitBreaker();
  early.startDay(t('09:30:00'), t('13:00:00'), 5000);
  assert.equal(early.cutoff, t('12:25:00'));
  early.onIndex(t('12:25:00'), 4600);
  assert.equal(early.state, 'NORMAL');
});

test('a gap through two levels is one level 2 halt; every level is available again the next day', () => {
  const cb = new CircuitBreaker();
  cb.startDay(t('09:30:00'), t('16:00:00'), 5000);
  cb.onIndex(t('10:00:00'), 4700);
  cb.onIndex(t('10:00:01'), 4300); // from -6% to -14%
  assert.equal(cb.level, 2);
  assert.equal(cb.triggered(1), true);
  assert.equal(cb.triggered(2), true);
  cb.advance(t('10:15:01'));
  cb.onIndex(t('10:30:00'), 4640);
  assert.equal(cb.state, 'NORMAL', 'level 1 was used by the gap');
  // halts end at the close at the latest
  cb.onIndex(t('15:00:00'), 3900);
  cb.advance(t('16:00:00'));
  assert.equal(cb.state, 'CLOSED');
  // next day
  const D2 = '2026-03-03';
  cb.startDay(day(D2, '09:30:00'), day(D2, '16:00:00'), 3900);
  assert.equal(cb.triggered(1), false);
  cb.onIndex(day(D2, '09:31:00'), 3627); // -7%
  assert.equal(cb.state, 'HALTED');
  assert.equal(cb.level, 1);
});

test('wired to a HaltState: every instrument halts and resumes; level 3 rejects orders MARKET_CLOSED', () => {
  const events: string[] = [];
  const halts = new HaltState({
    listener: {
      halted: (id, _t, src, reason) => events.push(`halted ${id} ${src} ${reason}`),
      resumed: (id) => events.push(`resumed ${id}`),
      closedForDay: (_t, reason) => events.push(`closed ${reason}`),
    },
  });
  const cb = new CircuitBreaker(circuitBreakerHaltListener(halts));
  cb.startDay(t('09:30:00'), t('16:00:00'), 5000);
  cb.onIndex(t('10:00:00'), 4600);
  assert.equal(halts.isHalted(0), true);
  assert.equal(halts.isHalted(57), true, 'market-wide: any instrument');
  assert.equal(halts.orderDecision(3, 'LIMIT'), 'QUEUE');
  cb.advance(t('10:15:00'));
  assert.equal(halts.isHalted(57), false);
  cb.onIndex(t('13:00:00'), 3000);
  assert.equal(halts.isHalted(1), true);
  assert.equal(halts.orderDecision(1, 'LIMIT'), 'REJECT');
  assert.equal(halts.rejectReason(), 'MARKET_CLOSED');
  assert.equal(halts.phase(1), 'CLOSED_FOR_DAY');
  assert.deepEqual(events, ['halted -1 MWCB market-wide circuit breaker level 1', 'resumed -1', 'closed market-wide circuit breaker level 3']);
  halts.startDay();
  assert.equal(halts.isHalted(1), false);
});

test('bad input is refused with a clear error', () => {
  assert.throws(() => new CircuitBreaker(undefined, { levelsPct: [7, 5, 20] }), /levelsPct must be three increasing percentages/);
  assert.throws(() => new CircuitBreaker(undefined, { haltUs: 0 }), /haltUs must be a positive integer/);
  const cb = new CircuitBreaker();
  assert.throws(() => cb.startDay(2, 1, 5000), /session must have open < close/);
  assert.throws(() => cb.startDay(1, 2, -1), /previous close must be > 0/);
  cb.startDay(t('09:30:00'), t('16:00:00'), 5000);
  assert.throws(() => cb.onIndex(t('10:00:00'), Number.NaN), /index value must be > 0, got NaN/);
});
