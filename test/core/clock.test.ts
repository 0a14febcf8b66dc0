import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../src/core/clock.ts';

test('VirtualClock: starts at the given time in jump mode by default', () => {
  const c = new VirtualClock(1_000);
  assert.equal(c.now, 1_000);
  assert.deepEqual(c.pacing, { mode: 'jump' });
  assert.equal(c.paused, false);
  assert.equal(c.nextPausePoint(), Infinity);
});

test('VirtualClock: a paced clock needs a positive finite speed', () => {
  for (const speed of [0, -1, NaN, Infinity]) {
    assert.throws(() => new VirtualClock(0, { mode: 'paced', speed }), (e: Error) => e instanceof RangeError && /speed factor/.test(e.message));
    const c = new VirtualClock(0);
    assert.throws(() => c.setSpeed(speed), RangeError);
    assert.deepEqual(c.pacing, { mode: 'jump' }, 'a refused speed leaves the pacing unchanged');
  }
  assert.deepEqual(new VirtualClock(0, { mode: 'paced', speed: 0.5 }).pacing, { mode: 'paced', speed: 0.5 });
});

test('VirtualClock: setSpeed switches to paced mode and resets the wall anchor', () => {
  const c = new VirtualClock(0);
  c.anchorWallMs = 123;
  c.anchorVirtual = 0;
  c.setSpeed(10);
  assert.deepEqual(c.pacing, { mode: 'paced', speed: 10 });
  assert.ok(Number.isNaN(c.anchorWallMs));
  c.setPacing({ mode: 'jump' });
  assert.deepEqual(c.pacing, { mode: 'jump' });
});

test('VirtualClock: pause calls onPause once with the virtual time; resume wakes every waiter', async () => {
  const c = new VirtualClock(42);
  const seen: number[] = [];
  c.onPause = (t) => seen.push(t);
  c.pause();
  c.pause(); // already paused: no second callback
  assert.equal(c.paused, true);
  assert.deepEqual(seen, [42]);
  let woke = 0;
  const w1 = c.waitForResume().then(() => woke++);
  const w2 = c.waitForResume().then(() => woke++);
  await Promise.resolve();
  assert.equal(woke, 0, 'waiters stay blocked while paused');
  c.anchorWallMs = 5;
  c.resume();
  await Promise.all([w1, w2]);
  assert.equal(woke, 2);
  assert.equal(c.paused, false);
  assert.ok(Number.isNaN(c.anchorWallMs), 'resume re-anchors paced mode');
  c.resume(); // not paused: no effect
  assert.equal(c.paused, false);
});

test('VirtualClock: waitForResume resolves at once when not paused', async () => {
  const c = new VirtualClock(0);
  await c.waitForResume();
  assert.equal(c.paused, false);
});

test('VirtualClock: pause points are kept sorted and taken earliest first', () => {
  const c = new VirtualClock(0);
  for (const t of [30, 10, 20, 10]) c.addPausePoint(t);
  assert.equal(c.nextPausePoint(), 10);
  assert.deepEqual([c.takePausePoint(), c.takePausePoint(), c.takePausePoint(), c.takePausePoint()], [10, 10, 20, 30]);
  assert.equal(c.takePausePoint(), Infinity);
  assert.equal(c.nextPausePoint(), Infinity);
});

test('VirtualClock: a pause point must be a finite time', () => {
  const c = new VirtualClock(0);
  for (const t of [NaN, Infinity, -Infinity]) assert.throws(() => c.addPausePoint(t), /pause point must be a finite time/);
});
