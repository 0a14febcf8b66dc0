import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { EventLoop, type EventSink, type RunStop } from '../../src/core/event-loop.ts';
import { EventQueue, type Scheduled } from '../../src/core/event-queue.ts';
import { VirtualClock, type Pacing } from '../../src/core/clock.ts';
import { MarketsimError } from '../../src/core/errors.ts';
import type { WallClock } from '../../src/core/wall-clock.ts';
import { SourceState, type EventSource } from '../../src/market/market-data.ts';

// ------------------------------------------------------------------ helpers

/** A data event: its time, the source it came from and its index in that source. */
interface Ev {
  time: number;
  src: string;
  i: number;
}

/**
 * A sorted in-memory source. With `chunk` > 0 it behaves like a file reader: after every `chunk`
 * events `advance()` answers Wait and the loop must await `refill()`.
 */
class ArraySource implements EventSource<Ev> {
  current!: Ev;
  closed = false;
  private pos = 0;
  private avail: number;
  constructor(readonly name: string, private readonly times: number[], private readonly chunk = 0) {
    this.avail = chunk > 0 ? 0 : times.length;
  }
  advance(): SourceState {
    if (this.pos >= this.times.length) return SourceState.End;
    if (this.pos >= this.avail) return SourceState.Wait;
    this.current = { time: this.times[this.pos]!, src: this.name, i: this.pos };
    this.pos++;
    return SourceState.Ready;
  }
  async refill(): Promise<void> {
    await new Promise<void>((r) => setImmediate(r));
    this.avail = Math.min(this.times.length, this.avail + this.chunk);
  }
  close(): void {
    this.closed = true;
  }
}

/** A fake wall clock: `sleep` advances its own time instantly (no real waiting). */
class FakeWall implements WallClock {
  t = 0;
  sleeps = 0;
  now(): number {
    return this.t;
  }
  sleep(ms: number): Promise<void> {
    this.sleeps++;
    if (ms > 0) this.t += ms;
    return Promise.resolve();
  }
}

/** An engine event that logs itself when it fires. */
class Logged implements Scheduled {
  seq = 0;
  constructor(public time: number, readonly label: string, readonly log: string[]) {}
  fire(now: number): void {
    this.log.push(`${now}:${this.label}`);
  }
}

/** Wraps a function as the loop's sink object. */
function sink(onData: (e: Ev) => void): EventSink<Ev> {
  return { onData };
}

const S = 1_000_000; // one second in microseconds
const T0 = 1_700_000_000 * S;

function label(e: Ev): string {
  return `${e.time}:${e.src}${e.i}`;
}

// ------------------------------------------------------------------ merge order

test('EventLoop: k-way merge by time, ties by source order, queued engine events first at equal times', async () => {
  // Documented order (docs/order-lifecycle.md, "Event order"): by time; at equal times the queued
  // engine events first (in scheduling order), then data events by the order the sources were added.
  const clock = new VirtualClock(0);
  const queue = new EventQueue();
  const log: string[] = [];
  const loop = new EventLoop<Ev>(clock, queue, sink((e) => log.push(label(e))));
  loop.addSource(new ArraySource('A', [1, 2, 2, 5]));
  loop.addSource(new ArraySource('B', [2, 3, 5]));
  loop.addSource(new ArraySource('C', [0, 2, 5]));
  queue.push(new Logged(5, 'q1', log));
  queue.push(new Logged(2, 'q0', log));
  queue.push(new Logged(5, 'q2', log));
  assert.equal(await loop.run(), 'done');
  assert.deepEqual(log, ['0:C0', '1:A0', '2:q0', '2:A1', '2:A2', '2:B0', '2:C1', '3:B1', '5:q1', '5:q2', '5:A3', '5:B2', '5:C2']);
  assert.equal(loop.dataEvents, 10);
  assert.equal(loop.engineEvents, 3);
  assert.equal(clock.now, 5);
});

test('EventLoop: an engine event scheduled for the current time runs before the remaining data events at that time', async () => {
  const clock = new VirtualClock(0);
  const queue = new EventQueue();
  const log: string[] = [];
  const loop = new EventLoop<Ev>(clock, queue, sink((e) => {
    log.push(label(e));
    if (e.src === 'A') queue.push(new Logged(e.time, `reply-to-${e.src}${e.i}`, log));
  }));
  loop.addSource(new ArraySource('A', [10]));
  loop.addSource(new ArraySource('B', [10]));
  await loop.run();
  assert.deepEqual(log, ['10:A0', '10:reply-to-A0', '10:B0']);
});

test('EventLoop: merged order equals a stable sort by (time, source, position) for any sources (fast-check)', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.record({ times: fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 40, size: 'max' }), chunk: fc.integer({ min: 0, max: 5 }) }), { minLength: 1, maxLength: 6, size: 'max' }),
      async (specs) => {
        const clock = new VirtualClock(-Infinity);
        const loop = new EventLoop<Ev>(clock, new EventQueue(), sink((e) => got.push(label(e))));
        const got: string[] = [];
        const all: { e: Ev; s: number }[] = [];
        specs.forEach((spec, s) => {
          const times = spec.times.slice().sort((a, b) => a - b);
          loop.addSource(new ArraySource(`s${s}_`, times, spec.chunk));
          times.forEach((t, i) => all.push({ e: { time: t, src: `s${s}_`, i }, s }));
        });
        all.sort((a, b) => a.e.time - b.e.time || a.s - b.s || a.e.i - b.e.i);
        assert.equal(await loop.run(), 'done');
        assert.deepEqual(got, all.map((x) => label(x.e)));
      },
    ),
    { numRuns: 100 },
  );
});

// ------------------------------------------------------------------ run(until), stop, errors

function tenEvents(): { loop: EventLoop<Ev>; clock: VirtualClock; log: string[] } {
  const clock = new VirtualClock(0);
  const log: string[] = [];
  const loop = new EventLoop<Ev>(clock, new EventQueue(), sink((e) => log.push(label(e))));
  loop.addSource(new ArraySource('A', Array.from({ length: 10 }, (_, i) => 100 * i)));
  return { loop, clock, log };
}

test('EventLoop: run(until) stops before later events (events at exactly until are processed) and can continue', async () => {
  const full = tenEvents();
  await full.loop.run();

  const { loop, clock, log } = tenEvents();
  assert.equal(await loop.run(450), 'until');
  assert.equal(log.length, 5);
  assert.equal(clock.now, 450, 'the clock moves to `until`');
  assert.equal(await loop.run(500), 'until');
  assert.equal(log.length, 6, 'the event at exactly 500 is processed');
  assert.equal(clock.now, 500);
  assert.equal(await loop.run(), 'done');
  assert.deepEqual(log, full.log);
});

test('EventLoop: stop() ends the run after the current event; run() continues from there', async () => {
  const clock = new VirtualClock(0);
  const log: string[] = [];
  const loop: EventLoop<Ev> = new EventLoop<Ev>(clock, new EventQueue(), sink((e) => {
    log.push(label(e));
    if (e.i === 3) loop.stop();
  }));
  loop.addSource(new ArraySource('A', [0, 1, 2, 3, 4, 5]));
  assert.equal(await loop.run(), 'stopped');
  assert.deepEqual(log, ['0:A0', '1:A1', '2:A2', '3:A3']);
  assert.equal(await loop.run(), 'done');
  assert.equal(log.length, 6);
});

test('EventLoop: a source going back in time raises TIME_ORDER naming the source', async () => {
  const clock = new VirtualClock(0);
  const loop = new EventLoop<Ev>(clock, new EventQueue(), sink(() => {}));
  loop.addSource(new ArraySource('data/bad-prices.csv', [10, 5]));
  loop.addSource(new ArraySource('good', [7]));
  await assert.rejects(loop.run(), (e: unknown) => {
    assert.ok(e instanceof MarketsimError);
    assert.equal(e.code, 'TIME_ORDER');
    assert.match(e.message, /source data\/bad-prices\.csv goes back in time: 5 < 10/);
    return true;
  });
});

test('EventLoop: an engine event scheduled in the past raises TIME_ORDER', async () => {
  const clock = new VirtualClock(0);
  const queue = new EventQueue();
  const loop = new EventLoop<Ev>(clock, queue, sink((e) => queue.push(new Logged(e.time - 1, 'late', []))));
  loop.addSource(new ArraySource('A', [10]));
  await assert.rejects(loop.run(), /an engine event goes back in time: 9 < 10/);
});

test('EventLoop: sources cannot be added after the run started; close() closes every source', async () => {
  const { loop } = tenEvents();
  const extra = new ArraySource('late', [1]);
  await loop.run(0);
  assert.throws(() => loop.addSource(extra), (e: unknown) => e instanceof MarketsimError && e.code === 'ENGINE_STATE' && /late/.test(e.message));
  const clock = new VirtualClock(0);
  const l2 = new EventLoop<Ev>(clock, new EventQueue(), sink(() => {}));
  const a = new ArraySource('a', [1]);
  const b = new ArraySource('b', [2]);
  l2.addSource(a);
  l2.addSource(b);
  l2.close();
  assert.deepEqual([a.closed, b.closed], [true, true]);
});

test('EventLoop: with only queued events the loop runs them in (time, seq) order', async () => {
  const clock = new VirtualClock(0);
  const queue = new EventQueue();
  const log: string[] = [];
  const loop = new EventLoop<Ev>(clock, queue, sink(() => {}));
  queue.push(new Logged(3, 'c', log));
  queue.push(new Logged(1, 'a', log));
  queue.push(new Logged(3, 'd', log));
  queue.push(new Logged(2, 'b', log));
  assert.equal(await loop.run(), 'done');
  assert.deepEqual(log, ['1:a', '2:b', '3:c', '3:d']);
  assert.equal(loop.engineEvents, 4);
  assert.equal(loop.dataEvents, 0);
});

// ------------------------------------------------------------------ pause

test('EventLoop: a pause point pauses before the first event at or after it; resume continues with identical results', async () => {
  const full = tenEvents();
  await full.loop.run();

  const { loop, clock, log } = tenEvents();
  clock.addPausePoint(450);
  clock.addPausePoint(700);
  const pauses: { at: number; seen: number }[] = [];
  clock.onPause = (t) => {
    pauses.push({ at: t, seen: log.length });
    setImmediate(() => clock.resume());
  };
  assert.equal(await loop.run(), 'done');
  // 450: after events 0..400 (5 events); 700: before the event at exactly 700 (7 events seen)
  assert.deepEqual(pauses, [
    { at: 450, seen: 5 },
    { at: 700, seen: 7 },
  ]);
  assert.deepEqual(log, full.log);
});

test('EventLoop: pause() from inside a handler holds the run until resume()', async () => {
  const clock = new VirtualClock(0);
  const log: string[] = [];
  const loop = new EventLoop<Ev>(clock, new EventQueue(), sink((e) => {
    log.push(label(e));
    if (e.i === 2) clock.pause();
  }));
  loop.addSource(new ArraySource('A', [0, 1, 2, 3, 4]));
  let result: RunStop | undefined;
  const running = loop.run().then((r) => (result = r));
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
  assert.equal(clock.paused, true);
  assert.equal(result, undefined, 'the run has not returned while paused');
  assert.deepEqual(log, ['0:A0', '1:A1', '2:A2']);
  clock.resume();
  await running;
  assert.equal(result, 'done');
  assert.equal(log.length, 5);
});

// ------------------------------------------------------------------ paced mode

/** Runs events every second for `n` seconds (plus engine events scheduled by the handler) and records the fake wall time of each. */
async function pacedRun(pacing: Pacing, n: number, onEvent?: (e: Ev, clock: VirtualClock, wall: FakeWall) => void) {
  const wall = new FakeWall();
  const clock = new VirtualClock(T0, pacing);
  const queue = new EventQueue();
  const log: string[] = [];
  const wallAt: number[] = [];
  const loop = new EventLoop<Ev>(
    clock,
    queue,
    sink((e) => {
      log.push(label(e));
      wallAt.push(wall.now());
      // every data event schedules an engine event 0.3 s later (an order arriving after latency)
      queue.push(new Logged(e.time + 300_000, `ack${e.i}`, log));
      onEvent?.(e, clock, wall);
    }),
    wall,
  );
  loop.addSource(new ArraySource('A', Array.from({ length: n + 1 }, (_, i) => T0 + i * S)));
  const stop = await loop.run();
  return { log, wallAt, wall, stop };
}

test('EventLoop paced: at speed 10, 10 s of virtual time take ~1 s of (fake) wall time', async () => {
  const { wallAt, wall, stop } = await pacedRun({ mode: 'paced', speed: 10 }, 10);
  assert.equal(stop, 'done');
  for (let i = 0; i <= 10; i++) assert.ok(Math.abs(wallAt[i]! - 100 * i) <= 0.06, `event ${i} at wall ${wallAt[i]} ms, want ${100 * i}`);
  // the last engine event is 0.3 s of virtual time after the last data event: 30 ms more
  assert.ok(Math.abs(wall.t - 1030) <= 0.06, `run took ${wall.t} ms of fake wall time`);
});

test('EventLoop paced: speed 0.5 doubles the wall time; jump mode takes none', async () => {
  const slow = await pacedRun({ mode: 'paced', speed: 0.5 }, 4);
  for (let i = 0; i <= 4; i++) assert.ok(Math.abs(slow.wallAt[i]! - 2000 * i) <= 0.06);
  const jump = await pacedRun({ mode: 'jump' }, 4);
  assert.equal(jump.wall.t, 0);
});

test('EventLoop paced: changing the speed while running re-anchors and follows the new factor', async () => {
  const { wallAt } = await pacedRun({ mode: 'paced', speed: 10 }, 10, (e, clock) => {
    if (e.i === 5) clock.setSpeed(100);
    if (e.i === 8) clock.setPacing({ mode: 'jump' });
  });
  const want = [0, 100, 200, 300, 400, 500, 510, 520, 530, 530, 530];
  for (let i = 0; i <= 10; i++) assert.ok(Math.abs(wallAt[i]! - want[i]!) <= 0.1, `event ${i} at wall ${wallAt[i]} ms, want ${want[i]}`);
});

test('EventLoop paced: after a pause the run re-anchors (no burst to catch up the paused wall time)', async () => {
  const { wallAt } = await pacedRun({ mode: 'paced', speed: 10 }, 6, (e, clock, wall) => {
    if (e.i === 2) {
      clock.pause();
      setImmediate(() => {
        wall.t += 5_000; // five (fake) seconds pass while paused
        clock.resume();
      });
    }
  });
  // events 0..2 at 0, 100, 200 ms; then the pause adds 5000 ms; the 100 ms spacing continues from there
  assert.ok(Math.abs(wallAt[2]! - 200) <= 0.06);
  assert.ok(Math.abs(wallAt[3]! - 5300) <= 0.1, `event 3 at ${wallAt[3]}`);
  for (let i = 4; i <= 6; i++) assert.ok(Math.abs(wallAt[i]! - wallAt[i - 1]! - 100) <= 0.1, `gap before event ${i}: ${wallAt[i]! - wallAt[i - 1]!}`);
});

test('EventLoop: jump and paced modes (with speed changes) dispatch the same event sequence', async () => {
  const jump = await pacedRun({ mode: 'jump' }, 12);
  const paced = await pacedRun({ mode: 'paced', speed: 3 }, 12, (e, clock) => {
    if (e.i === 4) clock.setSpeed(50);
    if (e.i === 9) clock.setSpeed(0.25);
  });
  assert.equal(jump.log.length, 26);
  assert.deepEqual(paced.log, jump.log);
});
