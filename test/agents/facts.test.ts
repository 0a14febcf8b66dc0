import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agentMinuteBars } from '../../src/data/synthetic/agents/source.ts';
import { factsFromBars } from '../../src/sim/facts/facts.ts';
import type { BarEvent } from '../../src/market/market-data.ts';

// 20 RMSC04 days take about 20-30 s: run with MARKETSIM_LONG=1 (docs/agents.md, "Stylized facts").
const LONG = process.env.MARKETSIM_LONG === '1';

test('agent-based preset over 20 days passes the facts documented in docs/agents.md (1, 2, 3, 7, 9)', { skip: !LONG }, () => {
  const bars: BarEvent[] = [];
  for (const day of agentMinuteBars({ seed: 1, days: 20 })) bars.push(...day);
  const r = factsFromBars(bars, { session: { start: 570, end: 960 }, timezone: 'America/New_York' });
  const passed = r.tests.filter((t) => t.pass === true).map((t) => t.id);
  for (const id of [1, 2, 3, 7, 9]) assert.ok(passed.includes(id), `fact ${id} should pass; passed: ${passed.join(', ')}`);
});
