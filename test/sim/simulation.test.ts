import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import {
  BatchSource,
  ConstantLatency,
  InstrumentRegistry,
  Simulation,
  parseRunConfig,
  runConfig,
  type BarEvent,
  type Instrument,
  type MarketEvent,
  type QuoteEvent,
  type Strategy,
  type StrategyOrderUpdate,
  type WallClock,
} from '../../src/index.ts';

const DAY = 86_400_000_000;
const T0 = Date.UTC(2024, 0, 2) * 1000;
const cash = (units: number) => ({ kind: 'cash' as const, currency: 'USD', cashPrecision: 2, startingCash: units * 100 });

function bars(inst: Instrument, rows: [number, number, number, number][]): BarEvent[] {
  return rows.map(([o, h, l, c], i) => ({ kind: 'bar', time: T0 + i * DAY, instrument: inst, open: o, high: h, low: l, close: c, volume: 1000 }));
}
function quotes(inst: Instrument, rows: [number, number, number][]): QuoteEvent[] {
  return rows.map(([t, b, a]) => ({ kind: 'quote', time: T0 + t, instrument: inst, bidPrice: b, bidSize: 100, askPrice: a, askSize: 100 }));
}
function setup() {
  const reg = new InstrumentRegistry();
  const inst = reg.add({ symbol: 'XYZ', pricePrecision: 2 });
  return { reg, inst };
}

test('order-entry and response latency delay the venue and the strategy by exactly their amounts', async () => {
  const { reg, inst } = setup();
  const seen: { kind: string; at: number; venueTime: number }[] = [];
  let sent = NaN;
  const strat: Strategy = {
    onQuote(ctx, q) {
      if (q.time === T0) {
        sent = ctx.now;
        ctx.submit({ symbol: 'XYZ', side: 'BUY', quantity: 10 });
      }
    },
    onOrderUpdate(ctx, u) {
      seen.push({ kind: u.kind, at: ctx.now, venueTime: u.time });
    },
  };
  const src = new BatchSource('q', [quotes(inst, [[0, 9.99, 10.01], [1_000, 10.0, 10.02], [5_000, 10.1, 10.12]])]);
  const sim = new Simulation({
    instruments: reg,
    sources: [src],
    strategy: strat,
    account: cash(100_000),
    latency: { orderEntry: new ConstantLatency(1_500), response: new ConstantLatency(700) },
  });
  const r = await sim.run();
  assert.equal(sent, T0);
  // the order reaches the venue at T0+1500: the quote then is the one of T0+1000 (ask 10.02)
  assert.equal(r.fills.length, 1);
  assert.equal(r.fills[0]!.price, 10.02);
  assert.equal(r.fills[0]!.time, T0 + 1_500);
  assert.deepEqual(seen.map((s) => [s.kind, s.venueTime - T0, s.at - T0]), [
    ['ACCEPTED', 1_500, 2_200],
    ['FILL', 1_500, 2_200],
  ]);
});

test('an order that reaches the venue after the price moved gets the moved price', async () => {
  const { reg, inst } = setup();
  const strat: Strategy = {
    onQuote(ctx, q) {
      if (q.time === T0) ctx.submit({ symbol: 'XYZ', side: 'BUY', quantity: 1 });
    },
  };
  const run = async (lat: number) => {
    const src = new BatchSource('q', [quotes(inst, [[0, 9.99, 10.01], [100, 10.49, 10.51]])]);
    const sim = new Simulation({ instruments: reg, sources: [src], strategy: strat, account: cash(1000), latency: { orderEntry: new ConstantLatency(lat) } });
    return (await sim.run()).fills[0]!.price;
  };
  assert.equal(await run(0), 10.01);
  assert.equal(await run(150), 10.51);
});

test('market data latency: the strategy sees a quote later than the venue does', async () => {
  const { reg, inst } = setup();
  const at: number[] = [];
  const strat: Strategy = { onQuote: (ctx, q) => void at.push(ctx.now - q.time) };
  const src = new BatchSource('q', [quotes(inst, [[0, 1, 1.01], [10, 1, 1.01]])]);
  await new Simulation({ instruments: reg, sources: [src], strategy: strat, account: cash(10), latency: { marketData: new ConstantLatency(250) } }).run();
  assert.deepEqual(at, [250, 250]);
});

test('timers: one-shot and recurring fire at their virtual times, in order with data', async () => {
  const { reg, inst } = setup();
  const log: string[] = [];
  const strat: Strategy = {
    onStart(ctx) {
      ctx.setTimer(T0 + 2 * DAY + 1, 'once');
      const id = ctx.setInterval(DAY, 'daily', T0);
      ctx.setTimer(T0 + 3 * DAY + 5, 'stop-daily');
      log.push(`interval ${id}`);
    },
    onBar: (_ctx, b) => void log.push(`bar ${(b.time - T0) / DAY}`),
    onTimer(ctx, t) {
      log.push(`${t.name} ${(t.time - T0) / DAY}`);
      if (t.name === 'stop-daily') ctx.cancelTimer(2);
    },
  };
  const src = new BatchSource('b', [bars(inst, [[1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]])]);
  await new Simulation({ instruments: reg, sources: [src], strategy: strat, account: cash(10) }).run();
  // at equal times, timers (engine events) run before data
  assert.deepEqual(log, [
    'interval 2',
    'daily 0',
    'bar 0',
    'daily 1',
    'bar 1',
    'daily 2',
    'bar 2',
    `once ${2 + 1 / DAY}`,
    'daily 3',
    'bar 3',
    `stop-daily ${3 + 5 / DAY}`,
    'bar 4',
  ]);
});

test('OCO through the context: the first fill cancels the other', async () => {
  const { reg, inst } = setup();
  const updates: StrategyOrderUpdate[] = [];
  const strat: Strategy = {
    onBar(ctx, b) {
      if (b.time === T0) {
        ctx.submit({ symbol: 'XYZ', side: 'BUY', quantity: 10 });
      }
      if (b.time === T0 + DAY) ctx.submitOco({ symbol: 'XYZ', side: 'SELL', quantity: 10, price: 12 }, { symbol: 'XYZ', side: 'SELL', quantity: 10, triggerPrice: 9 });
    },
    onOrderUpdate: (_c, u) => void updates.push(u),
  };
  const src = new BatchSource('b', [bars(inst, [[10, 10, 10, 10], [10, 10.5, 9.5, 10], [10, 12.5, 9.9, 12]])]);
  const r = await new Simulation({ instruments: reg, sources: [src], strategy: strat, account: cash(1000) }).run();
  assert.deepEqual(r.fills.map((f) => [f.side, f.price]), [['BUY', 10], ['SELL', 12]]);
  const stop = updates.find((u) => u.type === 'STOP' && u.kind === 'CANCELED');
  assert.equal(stop?.reason, 'OCO');
  assert.deepEqual(r.positions, {});
});

test('bracket through the context: children live only after the entry fills; stop-loss exits', async () => {
  const { reg, inst } = setup();
  const strat: Strategy = {
    onBar(ctx, b) {
      if (b.time === T0) ctx.submitBracket({ entry: { symbol: 'XYZ', side: 'BUY', quantity: 5, price: 9.5 }, takeProfit: 11, stopLoss: 9 });
    },
  };
  // bar1 low 9.4 fills the entry at 9.5; bar1 also reaches 8.9 but the children are not live yet;
  // bar2 high 10.5 (no take-profit), low 8.8 triggers the stop at 9.00
  const src = new BatchSource('b', [bars(inst, [[10, 10, 10, 10], [10, 10, 8.9, 9.6], [9.6, 10.5, 8.8, 9]])]);
  const r = await new Simulation({ instruments: reg, sources: [src], strategy: strat, account: cash(1000) }).run();
  assert.deepEqual(r.fills.map((f) => [f.side, f.price, f.quantity, f.tag]), [
    ['BUY', 9.5, 5, ''],
    ['SELL', 9, 5, 'stop-loss'],
  ]);
  const tp = r.orders.find((o) => o.tag === 'take-profit')!;
  assert.equal(tp.status, 'CANCELED');
  assert.equal(tp.cancelReason, 'OCO');
});

test('unknown symbols, off-grid prices, bad and oversized sizes are documented rejections, not crashes', async () => {
  const reg = new InstrumentRegistry();
  const inst = reg.add({ symbol: 'XYZ', pricePrecision: 2, maxSizeUnits: 1_000_000 });
  const strat: Strategy = {
    onBar(ctx, b) {
      if (b.time !== T0) return;
      ctx.submit({ symbol: 'NOPE', side: 'BUY', quantity: 1 });
      ctx.submit({ symbol: 'XYZ', side: 'BUY', quantity: 1, price: 10.001 });
      ctx.submit({ symbol: 'XYZ', side: 'BUY', quantity: -3 });
      ctx.submit({ symbol: 'XYZ', side: 'BUY', quantity: NaN });
      ctx.submit({ symbol: 'XYZ', side: 'BUY', quantity: 1e12 });
      ctx.submit({ symbol: 'XYZ', side: 'BUY', quantity: 1_000 });
    },
  };
  const src = new BatchSource('b', [bars(inst, [[10, 10, 10, 10], [10, 10, 10, 10]])]);
  const r = await new Simulation({ instruments: reg, sources: [src], strategy: strat, account: cash(1000) }).run();
  assert.deepEqual(r.rejected.map((x) => x.reason), ['UNKNOWN_INSTRUMENT', 'OFF_TICK_PRICE', 'BAD_SIZE', 'BAD_SIZE', 'ABOVE_MAX_SIZE', 'INSUFFICIENT_FUNDS']);
  assert.equal(r.fills.length, 0);
});

test('pacing: a paced run at any speed gives the same journal as a jump run; paced follows the wall clock', async () => {
  const { reg, inst } = setup();
  const mk = (): Strategy => ({
    onQuote(ctx, q) {
      if ((q.time - T0) % 3_000_000 === 0) ctx.submit({ symbol: 'XYZ', side: q.time % 2 ? 'BUY' : 'SELL', quantity: 1 });
    },
  });
  const qs = () => new BatchSource('q', [quotes(inst, Array.from({ length: 40 }, (_, i) => [i * 1_000_000, 10 + (i % 5) / 100, 10.02 + (i % 5) / 100] as [number, number, number]))]);
  const jump = await new Simulation({ instruments: reg, sources: [qs()], strategy: mk(), account: { kind: 'margin', currency: 'USD', cashPrecision: 2, startingCash: 1e7 } }).run();
  // a fake wall clock whose sleep advances it at once
  let wallNow = 0;
  const wall: WallClock = { now: () => wallNow, sleep: async (ms) => void (wallNow += Math.max(ms, 0.01)) };
  const paced = await new Simulation({
    instruments: reg,
    sources: [qs()],
    strategy: mk(),
    account: { kind: 'margin', currency: 'USD', cashPrecision: 2, startingCash: 1e7 },
    pacing: { mode: 'paced', speed: 10 },
    wallClock: wall,
  }).run();
  assert.equal(paced.journalHash, jump.journalHash);
  assert.ok(jump.fills.length > 5);
  // 39 s of virtual time at 10x: about 3.9 s of wall time
  assert.ok(wallNow >= 3_850 && wallNow <= 4_000, `wall ${wallNow} ms`);
});

const detConfig = {
  seed: 11,
  data: [
    { synthetic: 'gbm', symbol: 'AAA', count: 400, s0: 50, mu: 0.1, sigma: 0.4, volume: 10000 },
    { synthetic: 'gbm', symbol: 'BBB', count: 400, s0: 20, mu: 0.0, sigma: 0.3, volume: 10000 },
  ],
  strategy: { name: 'sma-crossover', params: { fast: 5, slow: 15, sizing: 'percent:45' } },
  latency: { orderEntry: { type: 'lognormal', medianUs: 500, sigma: 0.5 } },
  venue: { fees: { takerRate: 0.001, minimum: 1 } },
};

test('determinism: the same config and seed give the same journal hash, twice and in a worker thread', async () => {
  const a = await runConfig(parseRunConfig(detConfig));
  const b = await runConfig(parseRunConfig(detConfig));
  assert.ok(a.result.fills.length > 10);
  assert.equal(a.result.journalHash, b.result.journalHash);
  assert.deepEqual(a.result.fills, b.result.fills);
  const other = await runConfig(parseRunConfig({ ...detConfig, seed: 12 }));
  assert.notEqual(other.result.journalHash, a.result.journalHash);
  const workerHash = await new Promise<string>((resolve, reject) => {
    const w = new Worker(
      `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(new URL('../../src/index.ts', import.meta.url).href)}); })
        .then(async (m) => { const r = await m.runConfig(m.parseRunConfig(require('node:worker_threads').workerData)); require('node:worker_threads').parentPort.postMessage(r.result.journalHash); })
        .catch((e) => { throw e; });`,
      { eval: true, workerData: detConfig },
    );
    w.once('message', resolve);
    w.once('error', reject);
  });
  assert.equal(workerHash, a.result.journalHash);
});

test('the cash ledger balances exactly after a run with fees', async () => {
  const { reg, inst } = setup();
  const strat: Strategy = {
    onBar(ctx, b) {
      const pos = ctx.position('XYZ');
      if (pos === 0) ctx.submit({ symbol: 'XYZ', side: 'BUY', quantity: 7 });
      else ctx.submit({ symbol: 'XYZ', side: 'SELL', quantity: pos });
      void b;
    },
  };
  const rows: [number, number, number, number][] = Array.from({ length: 30 }, (_, i) => {
    const p = 10 + ((i * 37) % 11) / 100;
    return [p, p + 0.05, p - 0.05, p];
  });
  const sim = new Simulation({
    instruments: reg,
    sources: [new BatchSource('b', [bars(inst, rows)])],
    strategy: strat,
    account: cash(1000),
    venue: { fees: { fee: (_i, notional) => Math.round(notional * 0.0013) + 1 } },
  });
  await sim.run();
  const acct = sim.account;
  const sum = acct.ledger.reduce((s, e) => s + e.amount, 0);
  assert.equal(acct.startingCash + sum, acct.cash);
  assert.ok(acct.totalFees > 0);
});

test('margin account: a margin call is logged and below the liquidation level every position is closed at market', async () => {
  const { reg, inst } = setup();
  const strat: Strategy = {
    onQuote(ctx, q) {
      if (q.time === T0) ctx.submit({ symbol: 'XYZ', side: 'BUY', quantity: 100 });
    },
  };
  // buy 100 @ 100.01 with $3,000 at 4x leverage; maintenance 12.5%, liquidation at half of it
  const mids = [100, 90, 80, 75, 74, 73, 72];
  const src = new BatchSource('q', [quotes(inst, mids.map((m, i) => [i * 1_000_000, m - 0.01, m + 0.01] as [number, number, number]))]);
  const sim = new Simulation({
    instruments: reg,
    sources: [src],
    strategy: strat,
    account: { kind: 'margin', currency: 'USD', cashPrecision: 2, startingCash: 300_000, leverage: 4, maintenanceMarginRate: 0.125 },
  });
  const r = await sim.run();
  // equity at mid 80 (mark = mid): 3000 + 100 * (80 - 100.01) = 999 < MM 1000 -> margin call;
  // at 74: 3000 - 2601 = 399 < 925 / 2 -> liquidate: sell 100 at that quote's bid 73.99
  assert.deepEqual(r.fills.map((f) => [f.side, f.price, f.quantity, f.tag]), [
    ['BUY', 100.01, 100, ''],
    ['SELL', 73.99, 100, 'liquidation'],
  ]);
  assert.deepEqual(r.marginEvents.map((m) => [m.status, (m.time - T0) / 1_000_000]), [
    ['MARGIN_CALL', 2],
    ['LIQUIDATE', 4],
  ]);
  assert.deepEqual(r.positions, {});
  assert.equal(r.cash, 398); // 3000 + (73.99 - 100.01) * 100, exactly
});

test('the order-entry channel keeps order: with random latency a cancel never overtakes its order', async () => {
  const { reg, inst } = setup();
  const { UniformLatency, Rng } = await import('../../src/index.ts');
  const kinds: string[] = [];
  const strat: Strategy = {
    onQuote(ctx, q) {
      if (q.time !== T0) return;
      for (let i = 0; i < 50; i++) {
        const id = ctx.submit({ symbol: 'XYZ', side: 'BUY', quantity: 1, price: 5 });
        ctx.cancel(id);
      }
    },
    onOrderUpdate: (_c, u) => void kinds.push(u.kind),
  };
  const src = new BatchSource('q', [quotes(inst, [[0, 9.99, 10.01], [10_000_000, 9.99, 10.01]])]);
  await new Simulation({ instruments: reg, sources: [src], strategy: strat, account: cash(1000), latency: { orderEntry: new UniformLatency(0, 5_000, new Rng(5, 'lat')) } }).run();
  assert.equal(kinds.filter((k) => k === 'ACCEPTED').length, 50);
  assert.equal(kinds.filter((k) => k === 'CANCELED').length, 50);
  assert.equal(kinds.filter((k) => k === 'REQUEST_REJECTED').length, 0);
});

test('news, status and order-flow events reach their hooks in time order; news without a known symbol too', async () => {
  const { reg, inst } = setup();
  const seen: string[] = [];
  const strat: Strategy = {
    onNews: (_c, n) => void seen.push(`news ${n.headline} ${n.instrument?.symbol ?? '-'}`),
    onStatus: (_c, s) => void seen.push(`status ${s.status}`),
    onOrderFlow: (_c, f) => void seen.push(`flow ${f.imbalance}`),
    onQuote: () => void seen.push('quote'),
  };
  const events: MarketEvent[] = [
    { kind: 'news', time: T0, instrument: undefined, symbols: ['FED'], headline: 'rates', source: 'wire', sentiment: NaN, importance: 1 },
    { kind: 'quote', time: T0 + 1, instrument: inst, bidPrice: 1, bidSize: 1, askPrice: 1.01, askSize: 1 },
    { kind: 'status', time: T0 + 2, instrument: inst, status: 'HALT', reason: 'news pending' },
    { kind: 'news', time: T0 + 3, instrument: inst, symbols: ['XYZ'], headline: 'earnings', source: 'wire', sentiment: 0.5, importance: 0.8 },
    { kind: 'order-flow', time: T0 + 4, instrument: inst, intervalUs: 60_000_000, buyVolume: 3, sellVolume: 1, imbalance: 0.5, trades: 4 },
  ];
  await new Simulation({ instruments: reg, sources: [new BatchSource('mix', [events])], strategy: strat, account: cash(10) }).run();
  assert.deepEqual(seen, ['news rates -', 'quote', 'status HALT', 'news earnings XYZ', 'flow 0.5']);
});

test('run configs name synthetic presets directly; the same seed gives the same run', async () => {
  const cfg = {
    seed: 5,
    data: [
      { preset: 'realistic', symbol: 'RLZ', days: 5 },
      { preset: 'heston', symbol: 'HST', days: 5, s0: 50 },
    ],
    strategy: { name: 'sma-crossover', params: { fast: 5, slow: 20 } },
  };
  const a = await runConfig(parseRunConfig(cfg));
  const b = await runConfig(parseRunConfig(cfg));
  assert.equal(a.result.events, 2 * 5 * 390);
  assert.ok(a.result.fills.length > 0);
  assert.equal(a.result.journalHash, b.result.journalHash);
  assert.throws(() => parseRunConfig({ ...cfg, data: [{ preset: 'nope', symbol: 'X', days: 1 }] }), /data\.0/);
});

test('run configs add simulated news about earlier instruments; strategies receive it through onNews', async () => {
  const { mkdirSync, writeFileSync, mkdtempSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { repoRoot } = await import('../helpers/shared-data.ts');
  mkdirSync(join(repoRoot, 'out'), { recursive: true });
  const dir = mkdtempSync(join(repoRoot, 'out', 'test-news-'));
  writeFileSync(
    join(dir, 'news-counter.ts'),
    `import { z } from 'zod';
export default { name: 'news-counter', params: z.object({}).strict(), create: () => ({
  onNews(ctx: any, n: any) { ctx.log('news ' + n.symbols.join('|') + ' ' + n.headline); },
  onStatus(ctx: any, s: any) { ctx.log('status ' + s.status); },
}) };
`,
  );
  const cfg = parseRunConfig({
    seed: 2,
    data: [
      { preset: 'garch', symbol: 'NWS', days: 3 },
      {
        newsSim: {
          symbols: ['NWS'],
          start: '2024-01-02T00:00:00Z',
          end: '2024-01-05T00:00:00Z',
          ratePerDay: 4,
          scheduled: [{ time: '2024-01-03T15:00:00Z', kind: 'earnings', symbols: ['NWS'], headline: 'Q4 results' }],
        },
      },
    ],
    strategy: { name: join(dir, 'news-counter.ts') },
  });
  const r = await runConfig(cfg);
  const news = r.result.logs.filter((l) => l.includes(' news '));
  assert.ok(news.length >= 4, news.join('\n'));
  assert.ok(news.some((l) => l.startsWith(`${Date.UTC(2024, 0, 3, 15) * 1000} news NWS Q4 results`)), news.join('\n'));
  assert.throws(() => parseRunConfig({ ...cfg, data: [{ newsSim: { symbols: [], start: 'x', end: 'y' } }] }), /data\.0/);
});
