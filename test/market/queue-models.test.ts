/**
 * Queue position models on their own: the formulas of each model and probability function, fed
 * by hand, with the numbers of docs/queue-models.md.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Instrument } from '../../src/market/instrument.ts';
import { Order } from '../../src/market/order.ts';
import {
  L3FifoQueueModel,
  LogProbQueueFunc,
  LogProbQueueFunc2,
  PowerProbQueueFunc,
  PowerProbQueueFunc2,
  PowerProbQueueFunc3,
  ProbQueueModel,
  RiskAverseQueueModel,
  collectFill,
  isL3QueueModel,
  type QueueEntry,
} from '../../src/market/replay/index.ts';

const inst = new Instrument(0, { symbol: 'XYZ', pricePrecision: 2 });

function entry(quantity = 10, lot = 1): QueueEntry {
  const order = new Order(1, { instrument: inst, side: 'BUY', type: 'LIMIT', quantity, price: 10000 });
  return { order, lot, front: 0, cumTrade: 0 };
}

test('probability functions: the power and log forms of hftbacktest', () => {
  // front 50, back 40
  assert.equal(new PowerProbQueueFunc(1).prob(50, 40), 40 / 90);
  assert.equal(new PowerProbQueueFunc(2).prob(50, 40), 1600 / 4100);
  assert.equal(new PowerProbQueueFunc2(2).prob(50, 40), 1600 / 8100);
  assert.equal(new PowerProbQueueFunc3(2).prob(50, 40), 1 - (50 / 90) ** 2);
  assert.ok(Math.abs(new LogProbQueueFunc().prob(50, 40) - Math.log(41) / (Math.log(41) + Math.log(51))) < 1e-15);
  assert.ok(Math.abs(new LogProbQueueFunc2().prob(50, 40) - Math.log(41) / Math.log(91)) < 1e-15);
  // nobody behind: a decrease must come from ahead
  assert.equal(new PowerProbQueueFunc(2).prob(30, 0), 0);
  assert.equal(new LogProbQueueFunc().prob(30, 0), 0);
  assert.throws(() => new PowerProbQueueFunc(0), /exponent must be > 0/);
  assert.throws(() => new PowerProbQueueFunc3(NaN), /exponent must be > 0/);
});

test('risk-averse: only trades move the queue; a smaller level caps it', () => {
  const m = new RiskAverseQueueModel();
  const q = entry();
  m.newOrder(q, 50);
  m.onDepth(q, 50, 90); // adds behind
  assert.equal(q.front, 50);
  m.onDepth(q, 90, 70); // a cancel: assumed behind us
  assert.equal(q.front, 50);
  m.onDepth(q, 70, 30); // the level is now smaller than our front
  assert.equal(q.front, 30);
  m.onTrade(q, 25);
  assert.equal(q.front, 5);
  assert.equal(m.filled(q), 0);
  m.onTrade(q, 8);
  assert.equal(m.filled(q), 3, 'the trade went 3 past us');
  assert.equal(q.front, 0, 'collecting resets the front');
  assert.equal(m.filled(q), 0, 'a fill is paid once');
  m.onTrade(q, 40);
  assert.equal(m.filled(q), 10, 'capped at the order leaves');
});

test('probabilistic: the depth update subtracts trades already seen and splits a cancel by prob(front, back)', () => {
  const m = new ProbQueueModel(new PowerProbQueueFunc(2));
  const q = entry();
  m.newOrder(q, 50);
  m.onDepth(q, 50, 90); // growth: front unchanged
  assert.equal(q.front, 50);
  // cancel of 20: back = 90 - 50 = 40, p = 1600/4100; front = 50 - (1-p)*20 + min(40 - 20p, 0)
  m.onDepth(q, 90, 70);
  const p = 1600 / 4100;
  assert.ok(Math.abs(q.front - (50 - (1 - p) * 20)) < 1e-12);
  assert.ok(Math.abs(q.front - 37.804878) < 1e-6);
  // a trade of 30 then the depth update it caused (70 -> 40): the decrease is all explained by the trade
  m.onTrade(q, 30);
  assert.equal(q.cumTrade, 30);
  const before = q.front;
  m.onDepth(q, 70, 40);
  assert.equal(q.cumTrade, 0);
  assert.equal(q.front, before);
  // a cancel larger than what the probability puts behind us: min(back - p*chg, 0) moves us by the excess
  const m3 = new ProbQueueModel(new PowerProbQueueFunc3(2));
  const r = entry();
  m3.newOrder(r, 10);
  m3.onDepth(r, 10, 20); // 10 ahead, 10 behind
  m3.onDepth(r, 20, 2); // chg 18, p = 1 - (10/20)^2 = 0.75: est = 10 - 0.25*18 + min(10 - 13.5, 0) = 2
  assert.ok(Math.abs(r.front - 2) < 1e-12);
  m3.onDepth(r, 2, 0); // chg 2, back 0, p = 0: est = 2 - 2 + 0 = 0
  assert.equal(r.front, 0);
  // empty queue on both sides: prob is NaN, taken as 1
  const z = entry();
  m.newOrder(z, 0);
  m.onDepth(z, 0, 0);
  assert.equal(z.front, 0);
});

test('collectFill: whole lots only; a fraction of a lot waits', () => {
  const q = entry(500, 100);
  q.front = -150.5;
  assert.equal(collectFill(q), 100);
  assert.equal(q.front, 0);
  q.front = -99.5;
  assert.equal(collectFill(q), 0);
  assert.equal(q.front, -99.5, 'less than a lot past us: kept for later');
  q.front = -99.9999999999; // float noise of an estimate
  assert.equal(collectFill(q), 100);
});

test('L3 FIFO: only executions and cancels ahead move us; an execution behind us fills us', () => {
  const m = new L3FifoQueueModel();
  assert.ok(isL3QueueModel(m));
  assert.ok(!isL3QueueModel(new RiskAverseQueueModel()));
  const q = entry();
  m.newOrder(q, 50);
  m.onL3(q, 'add', false, 40);
  m.onL3(q, 'cancel', false, 40);
  assert.equal(q.front, 50, 'adds and cancels behind us do nothing');
  m.onL3(q, 'cancel', true, 20);
  assert.equal(q.front, 30);
  m.onTrade(q, 100);
  assert.equal(q.front, 30, 'trade prints are ignored (executions are the trades)');
  m.onL3(q, 'execute', true, 30);
  assert.equal(q.front, 0);
  assert.equal(m.filled(q), 0);
  m.onL3(q, 'hidden-execute', false, 5);
  assert.equal(m.filled(q), 0, 'a hidden execution was never in the visible queue');
  m.onL3(q, 'execute', false, 4);
  assert.equal(m.filled(q), 4);
  m.onL3(q, 'execute', true, 9);
  assert.equal(q.front, 0, 'an execution ahead never makes the front negative');
  m.onDepth(q, 20, 5);
  assert.equal(q.front, 0);
});
