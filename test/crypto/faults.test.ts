import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildFaultSchedule, playFlashCrashEvent, VenueFaultState, type FaultEvent, type VenueFaultConfig } from '../../src/assets/crypto/faults.ts';
import { MarketsimError } from '../../src/core/errors.ts';

const S = 1_000_000;
const H = 3600 * S;
const DAY = 24 * H;
const T0 = Date.UTC(2024, 0, 1) * 1000; // a Monday

test('scheduled maintenance (listed and weekly) with the resting-order policy; the venue rejects while down', () => {
  const cfg: VenueFaultConfig[] = [
    { venue: 'BINANCE', restingOrders: 'keep', maintenance: [{ start: T0 + 2 * H, durationSeconds: 1800 }] },
    // weekly, Wednesdays 06:00 UTC for 2 h: 1970-01-01 was a Thursday, so offset 6 days + 6 h
    { venue: 'KRAKEN', restingOrders: 'cancel', recurringMaintenance: { periodHours: 168, offsetHours: 6 * 24 + 6, durationMinutes: 120 } },
  ];
  const ev = buildFaultSchedule(cfg, T0, T0 + 14 * DAY, 1);
  const rows = ev.map((e) => [e.venue, e.kind, (e.time - T0) / H, e.policy]);
  assert.deepEqual(rows, [
    ['BINANCE', 'MAINTENANCE_START', 2, 'keep'],
    ['BINANCE', 'MAINTENANCE_END', 2.5, undefined],
    ['KRAKEN', 'MAINTENANCE_START', 2 * 24 + 6, 'cancel'],
    ['KRAKEN', 'MAINTENANCE_END', 2 * 24 + 8, undefined],
    ['KRAKEN', 'MAINTENANCE_START', 9 * 24 + 6, 'cancel'],
    ['KRAKEN', 'MAINTENANCE_END', 9 * 24 + 8, undefined],
  ]);
  assert.equal(new Date((ev[2]!.time) / 1000).getUTCDay(), 3); // Wednesday
  const st = new VenueFaultState();
  assert.equal(st.apply(ev[0]!), 'keep');
  assert.equal(st.rejectReason('BINANCE'), 'VENUE_OUTAGE');
  assert.equal(st.rejectReason('KRAKEN'), undefined);
  st.apply(ev[1]!);
  assert.equal(st.isDown('BINANCE'), false);
  assert.equal(st.apply(ev[2]!), 'cancel');
  assert.throws(() => st.apply(ev[1]!), (e: unknown) => e instanceof MarketsimError && e.code === 'FAULT_ORDER');
});

test('random outages: Poisson starts, seeded durations, never overlapping on one venue, reproducible', () => {
  const cfg: VenueFaultConfig[] = [{ venue: 'X', outages: { perDay: 2, duration: { kind: 'lognormal', medianSeconds: 600, sigma: 1 } } }];
  const a = buildFaultSchedule(cfg, T0, T0 + 200 * DAY, 9);
  assert.deepEqual(a, buildFaultSchedule(cfg, T0, T0 + 200 * DAY, 9));
  assert.notDeepEqual(a, buildFaultSchedule(cfg, T0, T0 + 200 * DAY, 10));
  const starts = a.filter((e) => e.kind === 'OUTAGE_START');
  // 2 per day over 200 days: 400 expected, sd 20
  assert.ok(starts.length > 330 && starts.length < 470, `outages ${starts.length}`);
  const durations: number[] = [];
  let open = -1;
  for (const e of a) {
    if (e.kind === 'OUTAGE_START') {
      assert.equal(open, -1);
      open = e.time;
    } else {
      assert.equal(e.kind, 'OUTAGE_END');
      durations.push((e.time - open) / S);
      open = -1;
    }
  }
  durations.sort((x, y) => x - y);
  const median = durations[Math.floor(durations.length / 2)]!;
  assert.ok(median > 450 && median < 800, `median outage ${median} s`);
  for (let i = 1; i < a.length; i++) assert.ok(a[i]!.time >= a[i - 1]!.time && a[i]!.seq === i);
});

test('flash crash: liquidity withdrawn, price down 20% in 10 s, recovery over 5 minutes, cascade hook', () => {
  const cfg: VenueFaultConfig[] = [
    { venue: 'BINANCE', flashCrashes: [{ time: T0 + H, symbol: 'BTC/USDT', drop: 0.2, dropSeconds: 10, holdSeconds: 30, recoverySeconds: 300, recovered: 0.75, liquidityFactor: 0.05, steps: 5 }] },
  ];
  const ev = buildFaultSchedule(cfg, T0, T0 + DAY, 1);
  const path = ev.map((e) => [e.kind, (e.time - T0 - H) / S, Number(e.priceFactor!.toFixed(6)), Number(e.liquidityFactor!.toFixed(6))]);
  assert.deepEqual(path, [
    ['FLASH_CRASH_START', 0, 1, 0.05],
    ['FLASH_CRASH_PRICE', 2, 0.96, 0.05],
    ['FLASH_CRASH_PRICE', 4, 0.92, 0.05],
    ['FLASH_CRASH_PRICE', 6, 0.88, 0.05],
    ['FLASH_CRASH_PRICE', 8, 0.84, 0.05],
    ['FLASH_CRASH_BOTTOM', 10, 0.8, 0.05],
    ['FLASH_CRASH_PRICE', 100, 0.83, 0.24],
    ['FLASH_CRASH_PRICE', 160, 0.86, 0.43],
    ['FLASH_CRASH_PRICE', 220, 0.89, 0.62],
    ['FLASH_CRASH_PRICE', 280, 0.92, 0.81],
    ['FLASH_CRASH_END', 340, 0.95, 1], // 75% of the 20% drop recovered
  ]);
  const calls: string[] = [];
  const st = new VenueFaultState();
  const hooks = {
    withdrawLiquidity: (_v: string, _s: string, f: number) => calls.push(`liq ${f}`),
    movePrice: (_v: string, _s: string, f: number) => calls.push(`px ${f.toFixed(2)}`),
    cascade: (_v: string, s: string, f: number) => calls.push(`cascade ${s} ${f.toFixed(2)}`),
  };
  for (const e of ev.slice(0, 2)) {
    st.apply(e);
    playFlashCrashEvent(e, hooks);
  }
  assert.deepEqual(calls, ['liq 0.05', 'px 1.00', 'liq 0.05', 'px 0.96', 'cascade BTC/USDT 0.96']);
  assert.deepEqual(st.flashCrash('BINANCE', 'BTC/USDT'), { priceFactor: 0.96, liquidityFactor: 0.05 });
  assert.equal(st.isDown('BINANCE'), false); // a crash is not an outage
  for (const e of ev.slice(2)) st.apply(e);
  assert.equal(st.flashCrash('BINANCE', 'BTC/USDT'), undefined);
  playFlashCrashEvent({ time: 0, seq: 0, venue: 'X', kind: 'OUTAGE_START' } as FaultEvent, hooks); // ignored
  assert.equal(calls.length, 5);
});

test('bad fault configs name the field', () => {
  const bad = (c: VenueFaultConfig, path: RegExp) =>
    assert.throws(() => buildFaultSchedule([c], T0, T0 + DAY, 1), (e: unknown) => e instanceof MarketsimError && e.code === 'FAULT_CONFIG_INVALID' && path.test(e.message));
  bad({ venue: 'V', outages: { perDay: -1, duration: { kind: 'fixed', seconds: 1 } } }, /faults\.V\.outages\.perDay/);
  bad({ venue: 'V', flashCrashes: [{ time: T0, symbol: 'B', drop: 1.5, dropSeconds: 1, recoverySeconds: 1 }] }, /faults\.V\.flashCrashes\[0\]\.drop/);
  bad({ venue: 'V', maintenance: [{ start: T0, durationSeconds: 0 }] }, /faults\.V\.maintenance\[0\]\.durationSeconds/);
  bad({ venue: 'V', restingOrders: 'drop' as 'keep' }, /faults\.V\.restingOrders/);
  bad({ venue: 'V', recurringMaintenance: { periodHours: 1, offsetHours: 0, durationMinutes: 90 } }, /recurringMaintenance\.durationMinutes/);
});
