import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AgentMarket } from '../../src/data/synthetic/agents/market.ts';
import { openAgentMarketSource } from '../../src/data/synthetic/agents/source.ts';
import { SourceState, type MarketEvent, type TradeEvent } from '../../src/market/market-data.ts';
import { smallConfig, tapeHash } from './helpers.ts';

test('the same seed gives the identical tape; another seed a different one', () => {
  const a = new AgentMarket(smallConfig(7, { l2: true })).runDay();
  const b = new AgentMarket(smallConfig(7, { l2: true })).runDay();
  const c = new AgentMarket(smallConfig(8, { l2: true })).runDay();
  const trades = a.filter((e) => e.kind === 'trade');
  assert.ok(trades.length > 200, `expected a busy tape, got ${trades.length} trades`);
  assert.ok(a.some((e) => e.kind === 'quote') && a.some((e) => e.kind === 'book-delta'));
  assert.equal(tapeHash(a), tapeHash(b));
  assert.notEqual(tapeHash(a), tapeHash(c));
});

test('events are in time order, inside the session, on the tick grid, and every trade volume is counted', () => {
  const m = new AgentMarket(smallConfig(3));
  const ev = m.runDay();
  let t = -Infinity;
  let volume = 0;
  for (const e of ev) {
    assert.ok(e.time >= t, 'time order');
    assert.ok(e.time >= m.openTime && e.time < m.closeTime, 'inside the session');
    t = e.time;
    if (e.kind === 'trade') {
      assert.equal(Math.round(e.price * 100) / 100, e.price);
      assert.ok(e.size > 0 && Number.isInteger(e.size));
      assert.ok(e.aggressor === 'BUY' || e.aggressor === 'SELL');
      volume += e.size;
    }
  }
  assert.equal(volume, m.counters.volume);
  assert.equal(ev.filter((e) => e.kind === 'trade').length, m.counters.trades);
});

test('the book is never crossed after any event, and the exchange positions sum to zero', () => {
  const m = new AgentMarket(smallConfig(11));
  const book = m.engine.book;
  let steps = 0;
  while (m.step()) {
    steps++;
    const bid = book.bestBid();
    const ask = book.bestAsk();
    if (bid === bid && ask === ask) assert.ok(bid < ask, `crossed book after event ${steps}: ${bid} >= ${ask}`);
  }
  assert.ok(steps > 10_000, `expected many events, got ${steps}`);
  let sum = 0;
  for (let i = 0; i < m.agentCount; i++) sum += m.exchangePosition(i);
  assert.equal(sum, 0);
  // every agent's own view has caught up with the exchange except for fills still in flight at the close
  let agree = 0;
  for (let i = 0; i < m.agentCount; i++) if (m.context(i).position === m.exchangePosition(i)) agree++;
  assert.ok(agree >= m.agentCount - 5);
});

test('the streaming source yields the same tape as a whole-day run, one batch per minute', async () => {
  const whole = new AgentMarket(smallConfig(5)).runDay();
  const { source } = openAgentMarketSource(smallConfig(5));
  const streamed: MarketEvent[] = [];
  for (;;) {
    const s = source.advance();
    if (s === SourceState.End) break;
    if (s === SourceState.Wait) await source.refill();
    else streamed.push(source.current);
  }
  assert.equal(tapeHash(streamed), tapeHash(whole));
});

test('the RMSC04 roster: ids in ABIDES order and counts as configured', () => {
  const m = new AgentMarket({ seed: 1, durationUs: 60_000_000 });
  assert.deepEqual(m.roster, { noise: [0, 1000], value: [1000, 1102], marketMakers: [1102, 1104], momentum: [1104, 1116], user: [1116, 1116] });
  assert.equal(m.agent(0).name, 'noise');
  assert.equal(m.agent(1000).name, 'value');
  assert.equal(m.agent(1102).name, 'market-maker');
  assert.equal(m.agent(1104).name, 'momentum');
  // base latencies: light over at most the New York - Seattle line (12.9 ms)
  for (let i = 0; i < m.agentCount; i++) assert.ok(m.latencyUs(i) >= 0 && m.latencyUs(i) <= 3_866_660 / 299.792458);
  const ev = m.runDay();
  const trades = ev.filter((e): e is TradeEvent => e.kind === 'trade');
  assert.ok(trades.length > 0);
  // the fundamental starts at r_bar = $1,000: the first minute trades near it
  for (const t of trades) assert.ok(Math.abs(t.price - 1000) < 5, `price ${t.price}`);
});
