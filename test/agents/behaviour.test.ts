import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Agent, AgentContext, AgentFill } from '../../src/data/synthetic/agents/types.ts';
import { AgentMarket } from '../../src/data/synthetic/agents/market.ts';
import type { TradeEvent } from '../../src/market/market-data.ts';
import { smallConfig } from './helpers.ts';

const MIN = 60_000_000;

/** Mid price (price units) at the exchange `t` us after the open, running the market there. */
function midAt(m: AgentMarket, t: number): number {
  m.runUntil(m.openTime + t);
  const b = m.engine.book;
  return (b.bestBid() + b.bestAsk()) / 2;
}

/** A user agent that sends a market order of `qty` every `everyUs` from `fromUs` after the open. */
class Hammer implements Agent {
  readonly name = 'hammer';
  fills = 0;
  filled = 0;
  constructor(
    private readonly side: 'BUY' | 'SELL',
    private readonly qty: number,
    private readonly everyUs: number,
    private readonly fromUs: number,
  ) {}
  start(ctx: AgentContext): void {
    ctx.wakeAt(ctx.openTime + this.fromUs);
  }
  wakeup(ctx: AgentContext): void {
    ctx.placeMarket(this.side, this.qty);
    ctx.wakeAt(ctx.now + this.everyUs);
  }
  onFill(_ctx: AgentContext, f: AgentFill): void {
    this.fills++;
    this.filled += f.size;
  }
}

/** Mid price averaged over samples every 15 s from 3 to 18 minutes after the open. */
function averageMid(m: AgentMarket): number {
  let sum = 0;
  let n = 0;
  for (let t = 3 * MIN; t <= 18 * MIN; t += 15_000_000) {
    const mid = midAt(m, t);
    assert.ok(Number.isFinite(mid), 'two-sided book');
    sum += mid;
    n++;
  }
  return sum / n;
}

test('a big user buyer raises the mid compared with the same seed without it, and gets filled', () => {
  const base = new AgentMarket(smallConfig(21));
  const buyer = new Hammer('BUY', 300, 10_000_000, 2 * MIN);
  const withBuyer = new AgentMarket(smallConfig(21, { userAgents: [{ agent: buyer }] }));
  const id = withBuyer.roster.user[0];
  assert.equal(midAt(base, 2 * MIN), midAt(withBuyer, 2 * MIN), 'identical until the buyer acts');
  const without = averageMid(base);
  const withIt = averageMid(withBuyer);
  assert.ok(withIt - without > 50, `average mid with the buyer ${withIt} vs without ${without}`);
  assert.ok(buyer.fills > 10 && buyer.filled > 10_000, `fills ${buyer.fills}, filled ${buyer.filled}`);
  // the agent's view is its fills received; the exchange's may be ahead by fills still in flight
  assert.equal(withBuyer.context(id).position, buyer.filled);
  assert.ok(withBuyer.exchangePosition(id) >= buyer.filled);
});

test('market makers never exceed their inventory limit, even against a relentless seller', () => {
  const maxInventory = 300;
  const cfg = smallConfig(4, {
    agents: { ...smallConfig(4).agents, marketMakers: { count: 2, maxInventory, meanWakeUs: 5_000_000 } },
    userAgents: [{ agent: new Hammer('SELL', 200, 2_000_000, 0) }],
  });
  const m = new AgentMarket(cfg);
  const [a, b] = m.roster.marketMakers;
  let most = 0;
  while (m.step()) {
    for (let i = a; i < b; i++) {
      const p = Math.abs(m.exchangePosition(i));
      assert.ok(p <= maxInventory, `market maker ${i} holds ${p} > ${maxInventory}`);
      if (p > most) most = p;
    }
  }
  assert.ok(most >= maxInventory / 2, `the limit was never approached (max |position| ${most})`);
});

test('without a limit the same market makers go past it (the limit test is not vacuous)', () => {
  const cfg = smallConfig(4, {
    agents: { ...smallConfig(4).agents, marketMakers: { count: 2, meanWakeUs: 5_000_000 } },
    userAgents: [{ agent: new Hammer('SELL', 200, 2_000_000, 0) }],
  });
  const m = new AgentMarket(cfg);
  m.runDay();
  const [a, b] = m.roster.marketMakers;
  let most = 0;
  for (let i = a; i < b; i++) most = Math.max(most, Math.abs(m.exchangePosition(i)));
  assert.ok(most > 300, `max |position| ${most}`);
});

test('value traders push the price toward the fundamental after a shock', () => {
  const shockAt = 5 * MIN;
  const open = new AgentMarket({ ...smallConfig(1), durationUs: 1 }).openTime;
  const cfg = (shock: number) => smallConfig(9, { oracle: { shocks: [{ time: open + shockAt, value: shock }] } });
  const none = new AgentMarket(cfg(0));
  const up = new AgentMarket(cfg(2000));
  const down = new AgentMarket(cfg(-2000));
  const m0 = [midAt(none, shockAt), midAt(up, shockAt), midAt(down, shockAt)];
  assert.equal(m0[0], m0[1]);
  assert.equal(m0[0], m0[2]);
  const m1 = [midAt(none, 18 * MIN), midAt(up, 18 * MIN), midAt(down, 18 * MIN)];
  // the fundamental jumped by $20 (2,000 cents); the mid follows most of the way
  assert.ok(m1[1] - m1[0] > 1000, `up: ${m1[1]} vs ${m1[0]}`);
  assert.ok(m1[0] - m1[2] > 1000, `down: ${m1[2]} vs ${m1[0]}`);
  // and toward it, not past it by much
  assert.ok(Math.abs(m1[1] - up.oracle.value) < 600, `mid ${m1[1]}, fundamental ${up.oracle.value}`);
});

/** Places one order at a given time. */
class OneOrder implements Agent {
  readonly name: string;
  fills = 0;
  constructor(
    name: string,
    private readonly atUs: number,
    private readonly side: 'BUY' | 'SELL',
    private readonly price: number,
    private readonly qty: number,
  ) {
    this.name = name;
  }
  start(ctx: AgentContext): void {
    ctx.wakeAt(ctx.openTime + this.atUs);
  }
  wakeup(ctx: AgentContext): void {
    ctx.placeLimit(this.side, this.price, this.qty);
  }
  onFill(): void {
    this.fills++;
  }
}

test('latency decides who reaches the book first: the faster of two buyers waking together gets the one offer', () => {
  for (const [latA, latB] of [
    [500, 100],
    [100, 500],
  ] as const) {
    const seller = new OneOrder('seller', 0, 'SELL', 100_000, 100);
    const a = new OneOrder('A', 1_000_000, 'BUY', 100_000, 100);
    const b = new OneOrder('B', 1_000_000, 'BUY', 100_000, 100);
    const m = new AgentMarket({
      seed: 1,
      durationUs: 10_000_000,
      agents: { noise: { count: 0 }, value: { count: 0 }, momentum: { count: 0 }, marketMakers: { count: 0 } },
      userAgents: [
        { agent: seller, latencyUs: 0, jitter: false },
        { agent: a, latencyUs: latA, jitter: false },
        { agent: b, latencyUs: latB, jitter: false },
      ],
    });
    const trades = m.runDay().filter((e): e is TradeEvent => e.kind === 'trade');
    assert.equal(trades.length, 1);
    assert.equal(trades[0]!.time, m.openTime + 1_000_000 + Math.min(latA, latB));
    const fastIsA = latA < latB;
    assert.deepEqual([a.fills, b.fills], fastIsA ? [1, 0] : [0, 1]);
    // the slower buyer rests at the bid
    assert.equal(m.engine.book.bestBid(), 100_000);
  }
});

test('fills and reports reach an agent after its latency, and its open-order view follows', () => {
  const seen: number[] = [];
  const probe: Agent = {
    name: 'probe',
    start(ctx) {
      ctx.wakeAt(ctx.openTime + 1000);
    },
    wakeup(ctx) {
      ctx.placeLimit('BUY', 99_000, 100);
      ctx.placeLimit('BUY', 98_000, 100);
      assert.equal(ctx.openBuy, 200);
      assert.equal(ctx.openOrderCount, 2);
      ctx.cancelAll();
    },
    onOrderDone(ctx, u) {
      seen.push(ctx.now);
      assert.equal(u.status, 'CANCELED');
      assert.equal(u.reason, 'USER');
      assert.equal(u.closed, 100);
      if (seen.length === 2) {
        assert.equal(ctx.openBuy, 0);
        assert.equal(ctx.openOrderCount, 0);
      }
    },
  };
  const m = new AgentMarket({
    seed: 1,
    durationUs: 10_000_000,
    agents: { noise: { count: 0 }, value: { count: 0 }, momentum: { count: 0 }, marketMakers: { count: 0 } },
    userAgents: [{ agent: probe, latencyUs: 250, jitter: false }],
  });
  m.runDay();
  // order out (250) + cancel out (FIFO, same arrival) + report back (250)
  assert.deepEqual(seen, [m.openTime + 1000 + 500, m.openTime + 1000 + 500]);
});
