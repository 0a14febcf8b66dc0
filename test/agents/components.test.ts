import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/core/errors.ts';
import { Rng } from '../../src/core/rng.ts';
import { AgentMarket } from '../../src/data/synthetic/agents/market.ts';
import { AgentLink, DEFAULT_LATENCY } from '../../src/data/synthetic/agents/latency.ts';
import { SparseMeanRevertingOracle } from '../../src/data/synthetic/agents/oracle.ts';
import { OrderSizeModel } from '../../src/data/synthetic/agents/order-size.ts';
import { agentMinuteBars } from '../../src/data/synthetic/agents/source.ts';
import type { AgentMarketConfig } from '../../src/data/synthetic/agents/config.ts';
import type { Agent } from '../../src/data/synthetic/agents/types.ts';

function issuePaths(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${String(e)}`);
    return e.issues.map((i) => i.path);
  }
  assert.fail('expected a ConfigError');
}

test('bad configs are refused with a ConfigError naming each field', () => {
  const bad = (c: Partial<AgentMarketConfig>) => issuePaths(() => new AgentMarket({ seed: 1, ...c } as AgentMarketConfig));
  assert.deepEqual(bad({ agents: { noise: { count: -1 } } }), ['agents.noise.count']);
  assert.deepEqual(bad({ agents: { value: { count: 2.5, lambda: NaN } } }), ['agents.value.count', 'agents.value.lambda']);
  assert.deepEqual(bad({ agents: { momentum: { shortWindow: 60 } } }), ['agents.momentum.shortWindow']);
  assert.deepEqual(bad({ agents: { marketMakers: { pov: -0.1, maxInventory: -5, spreadAlpha: 2 } } }), ['agents.marketMakers.pov', 'agents.marketMakers.spreadAlpha', 'agents.marketMakers.maxInventory']);
  assert.deepEqual(bad({ oracle: { kappa: NaN, sigma: -1 } }), ['oracle.kappa', 'oracle.sigma']);
  assert.deepEqual(bad({ latency: { jitterClip: 1.5 } }), ['latency.jitterClip']);
  assert.deepEqual(bad({ seed: NaN, durationUs: -1 }), ['seed', 'durationUs']);
  assert.deepEqual(bad({ userAgents: [{ agent: {} as never }, { agent: { name: 'x', wakeup() {} }, latencyUs: NaN }] }), ['userAgents[0].agent', 'userAgents[1].latencyUs']);
  const msg = (() => {
    try {
      new AgentMarket({ seed: 1, agents: { noise: { count: NaN } } });
    } catch (e) {
      return (e as Error).message;
    }
    return '';
  })();
  assert.match(msg, /agents\.noise\.count: must be an integer >= 0, got NaN/);
  assert.deepEqual(
    issuePaths(() => agentMinuteBars({ seed: 1, days: -2, start: '2024-13-01' })),
    ['days', 'start'],
  );
});

test('an agent sending a bad side gets an error naming it; a bad size is rejected by the exchange with its reason', () => {
  const reasons: string[] = [];
  const none = { noise: { count: 0 }, value: { count: 0 }, momentum: { count: 0 }, marketMakers: { count: 0 } };
  const sloppy: Agent = {
    name: 'sloppy',
    wakeup(ctx) {
      ctx.placeLimit('BUY', 100_000, -5);
      ctx.placeLimit('BUY', 100_000.5, 10);
      assert.equal(ctx.openBuy, 10, 'a size that is not a positive integer is never counted as open');
    },
    onOrderDone(_ctx, u) {
      reasons.push(`${u.status}:${u.reason}`);
    },
  };
  const confused: Agent = { name: 'confused', wakeup: (ctx) => void ctx.placeLimit('HOLD' as never, 1, 1) };
  const m = new AgentMarket({ seed: 1, durationUs: 1_000_000, agents: none, userAgents: [{ agent: sloppy, latencyUs: 10 }, { agent: confused }] });
  assert.throws(() => m.runDay(), /agent confused \(#1\): side must be 'BUY' or 'SELL', got HOLD/);
  const m2 = new AgentMarket({ seed: 1, durationUs: 1_000_000, agents: none, userAgents: [{ agent: sloppy, latencyUs: 10 }] });
  reasons.length = 0;
  m2.runDay();
  assert.deepEqual(reasons, ['REJECTED:BAD_SIZE', 'REJECTED:OFF_TICK_PRICE']);
  assert.equal(m2.context(0).openBuy, 0);
  assert.equal(m2.context(0).openOrderCount, 0);
});

test('oracle: the exact OU transition has the right mean and variance', () => {
  const kappa = 1e-9;
  const sigma = 1;
  const d = 1e9;
  const n = 4000;
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const o = new SparseMeanRevertingOracle({ rBar: 100_000, kappa, sigma, megashockRate: 0, megashockMean: 0, megashockVar: 0, r0: 110_000 }, 0, new Rng(5, `ou${i}`));
    const v = o.advance(d);
    s += v;
    s2 += v * v;
  }
  const mean = s / n;
  const variance = s2 / n - mean * mean;
  const expMean = 100_000 + 10_000 * Math.exp(-kappa * d);
  const expVar = ((sigma * sigma) / (2 * kappa)) * (1 - Math.exp(-2 * kappa * d));
  assert.ok(Math.abs(mean - expMean) < 4 * Math.sqrt(expVar / n), `mean ${mean} vs ${expMean}`);
  assert.ok(Math.abs(variance / expVar - 1) < 0.1, `variance ${variance} vs ${expVar}`);
});

test('oracle: fixed shocks land at their time, megashocks arrive at their rate, it never goes back or below 0', () => {
  const quiet = { rBar: 100_000, kappa: 1e-15, sigma: 0, megashockRate: 0, megashockMean: 0, megashockVar: 0 };
  const o = new SparseMeanRevertingOracle({ ...quiet, shocks: [{ time: 500, value: 2000 }, { time: 900, value: -500_000 }] }, 0, new Rng(1));
  assert.equal(o.advance(499), 100_000);
  assert.equal(o.advance(500), 102_000);
  assert.equal(o.advance(100), 102_000, 'an earlier time returns the current value');
  assert.equal(o.advance(1000), 0, 'kept >= 0');
  // rate 1e-6 per us over 1e8 us: about 100 megashocks of +-N(1000, 50,000)
  const m = new SparseMeanRevertingOracle({ ...quiet, megashockRate: 1e-6, megashockMean: 1000, megashockVar: 50_000 }, 0, new Rng(2));
  let t = 0;
  let jumps = 0;
  let prev = m.value;
  for (let i = 0; i < 10_000; i++) {
    t += 10_000;
    const v = m.advance(t);
    if (v !== prev) jumps++;
    prev = v;
  }
  assert.ok(m.shockCount >= 70 && m.shockCount <= 130, `shocks ${m.shockCount}`);
  assert.ok(jumps > 0 && jumps <= m.shockCount);
});

test('order sizes follow ABIDES mixture: 70% exactly 100 shares, 20% log-normal (median about 18)', () => {
  const model = new OrderSizeModel();
  const rng = new Rng(3);
  const n = 100_000;
  const counts = new Map<number, number>();
  const small: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = model.sample(rng);
    assert.ok(Number.isInteger(s) && s >= 0);
    counts.set(s, (counts.get(s) ?? 0) + 1);
    if (s % 100 !== 0 || s === 0) small.push(s);
  }
  const p100 = (counts.get(100) ?? 0) / n;
  const p200 = (counts.get(200) ?? 0) / n;
  const p400 = (counts.get(400) ?? 0) / n;
  assert.ok(Math.abs(p100 - 0.7) < 0.006, `P(100) ${p100}`);
  assert.ok(Math.abs(p200 - 0.06) < 0.004, `P(200) ${p200}`);
  assert.ok(Math.abs(p400 - 0.0329) < 0.003, `P(400) ${p400}`);
  small.sort((a, b) => a - b);
  const median = small[small.length >> 1]!;
  assert.ok(median >= 16 && median <= 20, `log-normal median ${median} (e^2.9 = 18.2)`);
});

test('latency: cubic jitter around the base (median 1.30x), FIFO per direction, none when disabled', () => {
  const base = 1000;
  const link = new AgentLink(base, DEFAULT_LATENCY, true, new Rng(4));
  const draws: number[] = [];
  for (let i = 0; i < 20_000; i++) draws.push(link.draw());
  draws.sort((a, b) => a - b);
  assert.ok(draws[0]! >= Math.round(base * 1.05));
  assert.ok(draws[draws.length - 1]! <= base * 51);
  const median = draws[draws.length >> 1]! / base;
  assert.ok(Math.abs(median - 1.3) < 0.03, `median ratio ${median}`);
  let last = -Infinity;
  for (let i = 0; i < 5000; i++) {
    const t = link.send(1_000_000 + i); // one message per microsecond
    assert.ok(t >= last, 'FIFO: never overtakes an earlier message');
    last = t;
  }
  const fixed = new AgentLink(1234.4, DEFAULT_LATENCY, false, new Rng(4));
  assert.equal(fixed.send(10), 10 + 1234);
  assert.equal(fixed.receive(20), 20 + 1234);
});
