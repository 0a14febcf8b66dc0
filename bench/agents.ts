/**
 * The agent-based market (docs/agents.md): a whole RMSC04-like trading day (2 market makers, 102 value
 * traders, 12 momentum traders, 1,000 noise traders, 09:30-16:00) through the real `MatchingEngine`, with
 * latency on every message. Figures: the wall time of the day (target: under 60 s on this 2-core machine)
 * and scheduled events (wakeups and messages) per second, each against the same day run with one `await`
 * per event. A day at another seed warms the JIT first; each figure is the best of two runs. Run alone: `node --import tsx bench/agents.ts --print`.
 */
import { AgentMarket } from '../src/data/synthetic/agents/market.ts';
import type { BenchFigure } from './figure.ts';

const SEED = 1;

/** Runs the day synchronously; returns [seconds, events, trades]. */
function timedDay(): [number, number, number] {
  const t0 = performance.now();
  const m = new AgentMarket({ seed: SEED });
  m.runDay();
  const s = (performance.now() - t0) / 1000;
  const c = m.counters;
  return [s, c.events, c.trades];
}

/** The same day with one await per event. */
async function awaitedDay(): Promise<[number, number]> {
  const t0 = performance.now();
  const m = new AgentMarket({ seed: SEED });
  while (m.step()) await null;
  return [(performance.now() - t0) / 1000, m.counters.events];
}

/** The agents module's figures. */
export async function run(): Promise<BenchFigure[]> {
  new AgentMarket({ seed: SEED + 1 }).runDay();
  // best of two, alternating, so the machine's load weighs on both alike
  let secs = Infinity;
  let slowSecs = Infinity;
  let events = 0;
  let slowEvents = 0;
  let trades = 0;
  for (let i = 0; i < 2; i++) {
    const [s, e, t] = timedDay();
    secs = Math.min(secs, s);
    events = e;
    trades = t;
    const [ss, se] = await awaitedDay();
    slowSecs = Math.min(slowSecs, ss);
    slowEvents = se;
  }
  if (!(trades > 1000)) throw new Error(`agents bench: degenerate day (${trades} trades)`);
  if (slowEvents !== events) throw new Error(`agents bench: the awaited day differs (${slowEvents} vs ${events} events)`);
  return [
    {
      name: 'agent-based RMSC04 day (1,116 agents, 6.5 h) wall time',
      value: secs,
      unit: 's',
      target: '< 60 s',
      pass: secs < 60,
      baselineName: 'same day with one await per event',
      baselineValue: slowSecs,
    },
    {
      name: `agent-based RMSC04 day: scheduled events (wakeups, orders, cancels, queries, reports; ${events.toLocaleString('en-US')} a day)`,
      value: events / secs,
      unit: 'events/s',
      target: 'day < 60 s',
      pass: secs < 60,
      baselineName: 'same day with one await per event',
      baselineValue: slowEvents / slowSecs,
    },
  ];
}

if (process.argv.includes('--print')) {
  for (const f of await run()) process.stdout.write(`${f.pass ? 'PASS' : 'MISS'} ${f.name}: ${f.value >= 100 ? Math.round(f.value).toLocaleString('en-US') : f.value.toFixed(2)} ${f.unit} (target ${f.target}); baseline ${f.baselineValue >= 100 ? Math.round(f.baselineValue).toLocaleString('en-US') : f.baselineValue.toFixed(2)} [${f.baselineName}]\n`);
}
