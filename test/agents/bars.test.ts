import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../../src/core/rng.ts';
import { AgentMarket, defaultAgentInstrument } from '../../src/data/synthetic/agents/market.ts';
import { SparseMeanRevertingOracle } from '../../src/data/synthetic/agents/oracle.ts';
import { RMSC04_ORACLE } from '../../src/data/synthetic/agents/params.ts';
import { agentMinuteBars, type AgentBarsOptions } from '../../src/data/synthetic/agents/source.ts';
import { PRESET_NAMES } from '../../src/data/synthetic/presets.ts';
import { synthAction } from '../../src/cli/synth-command.ts';
import type { BarEvent, TradeEvent } from '../../src/market/market-data.ts';
import { smallConfig } from './helpers.ts';

const small = smallConfig(0);
const market: AgentBarsOptions['market'] = { agents: small.agents };

test('agent-based bars: 390 one-minute bars a day from 09:30 New York, each the OHLCV of that minute of the market tape', () => {
  const days = [...agentMinuteBars({ seed: 4, days: 2, start: '2024-03-08', market })];
  assert.equal(days.length, 2);
  // 2024-03-08 is a Friday (EST, UTC-5); the next session is Monday 2024-03-11 (EDT, UTC-4)
  assert.equal(days[0]![0]!.time, Date.UTC(2024, 2, 8, 14, 30) * 1000);
  assert.equal(days[1]![0]!.time, Date.UTC(2024, 2, 11, 13, 30) * 1000);
  for (const day of days) {
    assert.equal(day.length, 390);
    day.forEach((b, i) => {
      assert.equal(b.time, day[0]!.time + i * 60_000_000);
      assert.ok(b.low <= Math.min(b.open, b.close) && b.high >= Math.max(b.open, b.close));
      assert.ok(b.volume >= 0 && Number.isInteger(b.volume));
    });
  }
  // day 0 rebuilt by hand from the same streams: the bars are the tape's minute aggregates
  const root = new Rng(4, 'agents');
  const open = days[0]![0]!.time;
  const oracle = new SparseMeanRevertingOracle({ ...RMSC04_ORACLE }, open, root.fork('oracle'));
  const m = new AgentMarket({ ...small, seed: 4, rng: root.fork('day:0'), instrument: defaultAgentInstrument(), openTime: open, durationUs: 390 * 60_000_000, oracle, quotes: false });
  const trades = m.runDay().filter((e): e is TradeEvent => e.kind === 'trade');
  assert.ok(trades.length > 1000);
  let k = 0;
  let close = 1000;
  for (let i = 0; i < 390; i++) {
    const end = open + (i + 1) * 60_000_000;
    const inMinute: TradeEvent[] = [];
    while (k < trades.length && trades[k]!.time < end) inMinute.push(trades[k++]!);
    const bar = days[0]![i]!;
    if (inMinute.length === 0) {
      assert.deepEqual([bar.open, bar.high, bar.low, bar.close, bar.volume], [close, close, close, close, 0]);
      continue;
    }
    const px = inMinute.map((t) => t.price);
    assert.deepEqual(
      [bar.open, bar.high, bar.low, bar.close, bar.volume],
      [px[0], Math.max(...px), Math.min(...px), px[px.length - 1], inMinute.reduce((a, t) => a + t.size, 0)],
      `minute ${i}`,
    );
    close = bar.close;
  }
});

test('agent-based bars: the fundamental continues across days (a shock on day 1 still holds on day 2); days are seeded', () => {
  const start = '2024-01-02';
  const open0 = Date.UTC(2024, 0, 2, 14, 30) * 1000;
  const shocked = [...agentMinuteBars({ seed: 5, days: 2, start, market: { ...market, oracle: { shocks: [{ time: open0 + 60 * 60_000_000, value: 5000 }] } } })];
  const plain = [...agentMinuteBars({ seed: 5, days: 2, start, market })];
  const again = [...agentMinuteBars({ seed: 5, days: 1, start, market })];
  const other = [...agentMinuteBars({ seed: 6, days: 1, start, market })];
  const closes = (d: BarEvent[][]) => d.flat().map((b) => b.close);
  assert.deepEqual(closes(again), closes([plain[0]!]));
  assert.notDeepEqual(closes(other), closes([plain[0]!]));
  // the first hour is identical; by the end of day 1 the price is $50 up, and day 2 opens there
  assert.deepEqual(closes([shocked[0]!.slice(0, 60)]), closes([plain[0]!.slice(0, 60)]));
  const lastDay1 = shocked[0]![389]!.close - plain[0]![389]!.close;
  const firstHourDay2 = shocked[1]!.slice(0, 60).reduce((a, b, i) => a + b.close - plain[1]![i]!.close, 0) / 60;
  assert.ok(lastDay1 > 35, `day 1 close difference ${lastDay1}`);
  assert.ok(firstHourDay2 > 35, `day 2 first-hour difference ${firstHourDay2}`);
});

test('the agent-based preset is known to synth: marketsim synth --preset agent-based writes its bars', async () => {
  assert.ok(PRESET_NAMES.includes('agent-based'));
  const dir = join(process.cwd(), 'out', `agents-synth-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  try {
    const out = join(dir, 'ab.csv');
    const res = await synthAction({ preset: 'agent-based', symbols: 'XYZ', days: '1', seed: '9', out }, () => {});
    assert.equal(res.outputs[0]!.bars, 390);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    assert.equal(lines.length, 391);
    const closes = lines.slice(1).map((l) => Number(l.split(',')[4]));
    for (const c of closes) assert.ok(c > 950 && c < 1050, `close ${c} near the $1,000 fundamental`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
