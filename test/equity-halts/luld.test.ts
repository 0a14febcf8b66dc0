import { test } from 'node:test';
import assert from 'node:assert/strict';
import { microsFromIso, US_PER_MINUTE, US_PER_SECOND } from '../../src/core/time.ts';
import { AuctionBook } from '../../src/assets/equity/auction-book.ts';
import type { AuctionOrder } from '../../src/assets/equity/auction.ts';
import { HaltState } from '../../src/assets/equity/halt-state.ts';
import { luldHaltListener } from '../../src/assets/equity/halt-wiring.ts';
import { luldBandIncrement, luldBandWidth, LuldMonitor, type LuldListener, type LuldOptions } from '../../src/assets/equity/luld.ts';

// 2026-03-02 is a Monday in EST (UTC-5): 09:30 ET = 14:30Z, 16:00 ET = 21:00Z
const et = (hms: string): number => {
  const [h, m, s] = hms.split(':');
  const base = microsFromIso('2026-03-02T14:30:00Z') - (9 * 60 + 30) * US_PER_MINUTE;
  return base + (Number(h) * 60 + Number(m)) * US_PER_MINUTE + Math.round(Number(s ?? 0) * US_PER_SECOND);
};
const OPEN = et('09:30:00');
const CLOSE = et('16:00:00');

/** Records the monitor's output as readable strings. */
function recorder(): { log: string[]; listener: LuldListener } {
  const log: string[] = [];
  const hms = (t: number): string => {
    const s = (t - et('00:00:00')) / US_PER_SECOND;
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const sec = s % 60;
    return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
  };
  return {
    log,
    listener: {
      bands: (t, ref, lo, hi) => log.push(`${hms(t)} bands ${Math.round(ref * 100) / 100} ${lo}-${hi}`),
      state: (t, from, to, side) => log.push(`${hms(t)} ${from}->${to}${side === 'NONE' ? '' : ' ' + side}`),
    },
  };
}

function monitor(over: Partial<LuldOptions> = {}, listener?: LuldListener): LuldMonitor {
  return new LuldMonitor({ tier: 1, priceScale: 100, symbol: 'XYZ', ...over }, listener);
}

test('doc worked example: $50 tier 1, limit up at 52.50, 15 s limit state, 5-minute pause, reopening auction', () => {
  const { log, listener } = recorder();
  const halts = new HaltState();
  const events: string[] = [];
  const wired = luldHaltListener(halts, 0, listener);
  const halts2 = new HaltState({
    listener: {
      halted: (id, t, src) => events.push(`halted ${id} ${src} ${t === et('10:00:15')}`),
      resumed: (id, t) => events.push(`resumed ${id} ${t === et('10:05:15')}`),
    },
  });
  const m = monitor({}, luldHaltListener(halts2, 0, wired));
  m.startDay(OPEN, CLOSE, 5000); // previous close $50.00: tier 1 -> 5%
  m.onOpen(et('09:30:00'), 4900); // opening cross at $49.00: bands 46.55 - 51.45
  assert.equal(m.state, 'NORMAL');
  assert.deepEqual([m.lower, m.upper], [4655, 5145]);

  // trades at $50.00: the pro-forma reference moved 2% but the reference is only 10 s old
  m.onTrade(et('09:30:10'), 5000);
  m.onTrade(et('09:30:20'), 5000);
  assert.equal(m.reference, 4900);
  assert.equal(m.nextDeadline(), et('09:30:30'), 'a reference stays at least 30 s');
  m.advance(et('09:30:30'));
  assert.equal(m.reference, 5000);
  assert.deepEqual([m.lower, m.upper], [4750, 5250], 'reference 50.00: bands 47.50 - 52.50');
  // small moves (< 1%) keep the reference
  m.onTrade(et('09:31:00'), 5040);
  m.onTrade(et('09:32:00'), 4990);
  assert.equal(m.reference, 5000);

  // 10:00:00 the offer reaches the upper band: limit state
  m.onQuote(et('10:00:00'), 5245, 5250);
  assert.equal(m.state, 'LIMIT_STATE');
  assert.equal(m.limitSide, 'UP');
  assert.equal(m.nextDeadline(), et('10:00:15'));
  // orders: a buy above the band is repriced to it, a sell at it is fine
  assert.equal(m.orderAction('BUY', 5300), 'REPRICE');
  assert.equal(m.repricedTo, 5250);
  assert.equal(m.orderAction('SELL', 5250), 'ACCEPT');
  m.onTrade(et('10:00:05'), 5250); // prints at the band keep the state
  m.onQuote(et('10:00:10'), 5248, 5250);
  m.advance(et('10:00:14.999999'));
  assert.equal(m.state, 'LIMIT_STATE');
  // 15 s later, still at the band: a 5-minute trading pause
  m.advance(et('10:00:15'));
  assert.equal(m.state, 'HALTED');
  assert.equal(m.pauseEnd, et('10:05:15'));
  assert.equal(halts2.isHalted(0), true);
  assert.equal(halts2.orderDecision(0, 'LIMIT'), 'QUEUE');
  assert.equal(halts2.orderDecision(0, 'MARKET'), 'REJECT');
  assert.equal(halts2.rejectReason(), 'HALTED');
  m.onQuote(et('10:01:00'), 5300, 5310); // ignored during the pause
  m.onTrade(et('10:01:00'), 5300);
  assert.equal(m.state, 'HALTED');

  // orders collected for the reopening: queued ones and resting book orders
  const auction = new AuctionBook<AuctionOrder>({ name: 'XYZ reopening' });
  auction.add({ id: 1, side: 'BUY', price: 5300, leaves: 500 }, false); // resting on the book
  auction.add({ id: 2, side: 'BUY', price: 5260, leaves: 200 }); // queued during the pause
  auction.add({ id: 3, side: 'SELL', price: 5270, leaves: 300 }, false);
  auction.add({ id: 4, side: 'SELL', price: 5300, leaves: 400 });
  assert.deepEqual(auction.indicative(m.upper), { price: 5300, pairedVolume: 500, imbalanceSize: 200, imbalanceSide: 'SELL' });

  // 10:05:15 the pause ends: REOPENING; the halt state reports the resume, the venue uncrosses
  m.advance(et('10:05:15'));
  assert.equal(m.state, 'REOPENING');
  assert.equal(halts2.isHalted(0), false);
  const r = auction.uncross(m.upper);
  assert.equal(r.price, 5300);
  assert.equal(r.volume, 500);
  assert.deepEqual(r.fills.map((f) => `${f.buy.id}<-${f.sell.id} ${f.quantity}`), ['1<-3 300', '1<-4 200']);
  assert.deepEqual(r.leftovers.map((x) => `${x.order.id}:${x.remaining}`), ['2:200', '4:200']);
  m.reopen(et('10:05:15'), r.price);
  assert.equal(m.state, 'NORMAL');
  assert.deepEqual([m.reference, m.lower, m.upper], [5300, 5035, 5565], 'new bands around the reopening price $53.00');
  assert.equal(m.pauses, 1);

  assert.deepEqual(log, [
    '09:30:00 bands 4900 4655-5145',
    '09:30:00 CLOSED->NORMAL',
    '09:30:30 bands 5000 4750-5250',
    '10:00:00 NORMAL->LIMIT_STATE UP',
    '10:00:15 LIMIT_STATE->HALTED UP',
    '10:05:15 HALTED->REOPENING UP',
    '10:05:15 bands 5300 5035-5565',
    '10:05:15 REOPENING->NORMAL',
  ]);
  assert.deepEqual(events, ['halted 0 LULD true', 'resumed 0 true']);
  assert.equal(halts.isHalted(0), false, 'the inner HaltState saw the same halt and resume');
});

test('leaving the limit state within 15 s recomputes the bands from the 5-minute mean', () => {
  const { log, listener } = recorder();
  const m = monitor({}, listener);
  m.startDay(OPEN, CLOSE, 5000);
  m.onOpen(et('09:30:00'), 5000);
  m.onTrade(et('11:00:00'), 5200); // 4% above: the reference moves at once (it is 90 minutes old)
  assert.equal(m.reference, 5200);
  assert.deepEqual([m.lower, m.upper], [4940, 5460]);
  m.onQuote(et('11:00:01'), 5200, 5210);
  m.onTrade(et('11:01:00'), 5250);
  m.onTrade(et('11:02:00'), 5250);
  m.onQuote(et('11:02:01'), 5440, 5460);
  assert.equal(m.state, 'LIMIT_STATE');
  m.onQuote(et('11:02:10'), 5450, 5470); // the offers at the band were taken: exit
  assert.equal(m.state, 'NORMAL');
  // mean of 52.00, 52.50, 52.50 = 52.3333: width 2.6167 -> 49.72 - 54.95
  assert.deepEqual([m.lower, m.upper], [4972, 5495]);
  assert.deepEqual(log.slice(-3), ['11:02:01 NORMAL->LIMIT_STATE UP', '11:02:10 LIMIT_STATE->NORMAL UP', '11:02:10 bands 5233.33 4972-5495']);
  // limit down: the bid on the lower band
  m.onQuote(et('11:03:00'), 4972, 4980);
  assert.equal(m.limitSide, 'DOWN');
  assert.equal(m.orderAction('SELL', 4900), 'REPRICE');
  assert.equal(m.repricedTo, 4972);
  assert.equal(m.orderAction('BUY', 4900), 'ACCEPT', 'a buy below the lower band is merely unmarketable');
  assert.equal(m.executableLimit('SELL'), 4972);
  assert.equal(m.executableLimit('BUY'), 5495);
});

test('the reference follows the 5-minute window: old trades drop out, no trade keeps the reference', () => {
  const m = monitor();
  m.startDay(OPEN, CLOSE, 5000);
  m.onOpen(et('09:30:00'), 5000);
  m.onTrade(et('10:00:00'), 5000);
  m.onTrade(et('10:04:00'), 5100); // mean 50.50: exactly 1% -> new reference
  assert.equal(m.reference, 5050);
  m.onTrade(et('10:05:00'), 5100); // 10:00 trade left the window (10:00:00 <= 10:05 - 5 min): mean 51.00, < 1% from 50.50
  assert.equal(m.windowMean, 5100);
  assert.equal(m.reference, 5050);
  m.onQuote(et('10:30:00'), 5090, 5110); // the window is empty: the reference stays
  assert.ok(Number.isNaN(m.windowMean));
  assert.equal(m.reference, 5050);
});

test('bands double in the last 25 minutes for tier 1 and cheap tier 2 stocks only (Amendment 18)', () => {
  const t1 = monitor();
  t1.startDay(OPEN, CLOSE, 5000);
  t1.onOpen(et('09:30:00'), 5000);
  assert.deepEqual([t1.lower, t1.upper], [4750, 5250], 'no doubling at the open since Amendment 18');
  assert.equal(t1.nextDeadline(), et('15:35:00'));
  t1.advance(et('15:35:00'));
  assert.deepEqual([t1.lower, t1.upper], [4500, 5500], 'tier 1 from 15:35: 10%');

  const t2 = monitor({ tier: 2 });
  t2.startDay(OPEN, CLOSE, 5000);
  t2.onOpen(et('09:30:00'), 5000);
  assert.deepEqual([t2.lower, t2.upper], [4500, 5500], 'tier 2 above $3: 10%');
  t2.advance(et('15:40:00'));
  assert.deepEqual([t2.lower, t2.upper], [4500, 5500], 'tier 2 above $3: not doubled');

  const cheap = monitor({ tier: 2 });
  cheap.startDay(OPEN, CLOSE, 250);
  cheap.onOpen(et('09:30:00'), 250);
  assert.deepEqual([cheap.lower, cheap.upper], [200, 300], 'tier 2 at $2.50: 20%');
  cheap.advance(et('15:35:00'));
  assert.deepEqual([cheap.lower, cheap.upper], [150, 350], 'doubled to 40%');

  const old = monitor({ openingDoubleUs: 15 * US_PER_MINUTE });
  old.startDay(OPEN, CLOSE, 5000);
  old.onOpen(et('09:30:00'), 5000);
  assert.deepEqual([old.lower, old.upper], [4500, 5500], 'pre-Amendment-18 option: doubled until 09:45');
  old.advance(et('09:45:00'));
  assert.deepEqual([old.lower, old.upper], [4750, 5250]);
});

test('percentage parameters by previous close and band rounding', () => {
  const S = 10_000; // four decimals
  assert.equal(luldBandWidth(1, 30_100, 30_100, S, false), 1505, '$3.01 tier 1: 5%');
  assert.equal(luldBandWidth(2, 30_100, 30_100, S, false), 3010, '$3.01 tier 2: 10%');
  assert.equal(luldBandWidth(1, 30_000, 30_000, S, false), 6000, '$3.00 is in the 20% bucket');
  assert.equal(luldBandWidth(1, 7_500, 7_500, S, false), 1500, '$0.75: 20%');
  assert.equal(luldBandWidth(1, 5_000, 5_000, S, false), 1500, '$0.50: lesser of $0.15 and 75% ($0.375)');
  assert.equal(luldBandWidth(2, 1_000, 1_000, S, false), 750, '$0.10: 75% ($0.075) < $0.15');
  assert.equal(luldBandWidth(1, 30_100, 40_000, S, false), 2000, 'bucket from the previous close, width from the reference');
  assert.equal(luldBandWidth(1, 5000, 5000, 100, true), 500);
  assert.equal(luldBandIncrement(5000, 100), 1);
  assert.equal(luldBandIncrement(0.5 * S, S), 1, 'below $1: $0.0001');
  assert.equal(luldBandIncrement(2 * S, S), 100, 'at or above $1: $0.01');
  // a $0.50 stock on a 4-decimal grid: 0.35 - 0.65
  const m = monitor({ priceScale: S });
  m.startDay(OPEN, CLOSE, 5_000);
  m.onOpen(OPEN, 5_000);
  assert.deepEqual([m.lower, m.upper], [3_500, 6_500]);
  // rounding to the nearest cent, half up: reference 52.90 -> 50.255 / 55.545 -> 50.26 / 55.55
  const r = monitor();
  r.startDay(OPEN, CLOSE, 5000);
  r.onOpen(OPEN, 5290);
  assert.deepEqual([r.lower, r.upper], [5026, 5555]);
});

test('a pause in the last 10 minutes does not reopen: the stock stays paused into the close', () => {
  const { log, listener } = recorder();
  const resumes: number[] = [];
  const halts = new HaltState({ listener: { resumed: (_id, t) => resumes.push(t) } });
  const m = monitor({}, luldHaltListener(halts, 3, listener));
  m.startDay(OPEN, CLOSE, 5000);
  m.onOpen(OPEN, 5000);
  m.onQuote(et('15:50:00'), 4990, 5500); // doubled bands from 15:35: upper 55.00
  assert.equal(m.state, 'LIMIT_STATE');
  m.advance(et('15:50:15'));
  assert.equal(m.state, 'HALTED');
  assert.equal(m.pauseEnd, CLOSE);
  m.advance(et('15:56:00'));
  assert.equal(m.state, 'HALTED');
  m.advance(CLOSE);
  assert.equal(m.state, 'CLOSED');
  assert.equal(halts.isHalted(3), true, 'no resume at the close: the closing auction takes the orders');
  assert.deepEqual(resumes, []);
  halts.startDay();
  assert.equal(halts.isHalted(3), false);
  assert.deepEqual(log.slice(-4), ['15:35:00 bands 5000 4500-5500', '15:50:00 NORMAL->LIMIT_STATE UP', '15:50:15 LIMIT_STATE->HALTED UP', '16:00:00 HALTED->CLOSED UP']);
  assert.ok(Number.isNaN(m.upper));
  assert.equal(m.orderAction('BUY', 99999), 'ACCEPT', 'no bands outside the session');
});

test('REJECT band policy, reopen after another halt, and errors that name the stock', () => {
  const m = monitor({ bandPolicy: 'REJECT' });
  m.startDay(OPEN, CLOSE, 5000);
  assert.throws(() => m.reopen(OPEN, 5000), /XYZ: LULD reopen while CLOSED/);
  m.onOpen(OPEN, 5000);
  assert.equal(m.orderAction('BUY', 5251), 'REJECT');
  assert.equal(m.orderAction('BUY', 5250), 'ACCEPT');
  assert.equal(m.orderAction('SELL', 4749), 'REJECT');
  assert.equal(m.orderAction('BUY', NaN), 'ACCEPT', 'market orders: capped by executableLimit instead');
  // a news halt ended by a reopening auction at $51.00: new reference, NORMAL
  m.onTrade(et('10:00:00'), 5000);
  m.reopen(et('11:00:00'), 5100);
  assert.deepEqual([m.reference, m.lower, m.upper], [5100, 4845, 5355]);
  assert.ok(Number.isNaN(m.windowMean), 'trades before the reopening leave the window');
  m.reopen(et('11:30:00'), NaN);
  assert.equal(m.reference, 5100, 'no reopening price keeps the reference');
  assert.throws(() => m.onOpen(et('12:00:00'), 5000), /XYZ: LULD onOpen while NORMAL/);
  assert.throws(() => monitor({ tier: 3 as 1 }), /XYZ: LULD option tier/);
  assert.throws(() => monitor({ priceScale: 0 }), /LULD option priceScale/);
  assert.throws(() => monitor({ limitStateUs: -1 }), /LULD option limitStateUs/);
  assert.throws(() => m.startDay(CLOSE, OPEN, 5000), /XYZ: LULD session must have open < close/);
  assert.throws(() => m.startDay(OPEN, CLOSE, 0), /previous close must be > 0/);
  // the opening falls back to the previous close when there was no opening print
  const n = monitor();
  n.startDay(OPEN, CLOSE, 4000);
  n.onOpen(OPEN, NaN);
  assert.equal(n.reference, 4000);
});
