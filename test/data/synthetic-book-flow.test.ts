/**
 * The CST order flow as a run-config source trading in the venue's own book: the strategy's orders move
 * the synthetic price, and its fills are at book prices.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../src/core/errors.ts';
import { parseRunConfig, type RunConfigInput } from '../../src/sim/run-config.ts';
import { runConfig } from '../../src/sim/run.ts';
import { InstrumentRegistry } from '../../src/market/instrument.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import type { Strategy } from '../../src/sim/strategy.ts';
import type { QuoteEvent, TradeEvent } from '../../src/market/market-data.ts';
import { BookFlowSource } from '../../src/data/synthetic/book-flow-source.ts';
import { repoRoot, tmpDir } from './helpers.ts';

const START = '2024-01-02T14:30:00Z';
const T0 = Date.parse(START) * 1000;
const MIN = 60_000_000;

/** A strategy module that buys `qty` at market every `everyMs` after `delayMs` (qty 0: never trades). */
function buyerModule(): string {
  // under out/ (gitignored) so that 'zod' resolves from the project's node_modules
  const dir = join(repoRoot, 'out', 'test-book-flow');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'buyer.ts');
  writeFileSync(
    file,
    `import { z } from 'zod';
import { defineStrategy } from '${join(repoRoot, 'src/index.ts')}';
export default defineStrategy({
  name: 'buyer',
  params: z.object({ qty: z.number().int().nonnegative(), everyMs: z.number().positive() }).strict(),
  create(p) {
    return {
      onStart(ctx) { if (p.qty > 0) ctx.setInterval(p.everyMs * 1000, 'buy', ${T0} + 60_000_000); },
      onTimer(ctx) { ctx.submit({ symbol: 'CST', side: 'BUY', quantity: p.qty }); },
    };
  },
});
`,
  );
  return file;
}

function config(file: string, qty: number, seed: number): RunConfigInput {
  return {
    seed,
    data: [{ bookFlow: { symbol: 'CST', start: START, end: new Date(Date.parse(START) + 10 * 60_000).toISOString(), s0: 100 } }],
    strategy: { name: file, params: { qty, everyMs: 1000 } },
    account: { cash: 10_000_000 },
  };
}

test('a strategy buying at market through the synthetic CST book raises its price; its fills are at book prices', async () => {
  const file = buyerModule();
  for (const seed of [1]) {
    const quiet = await runConfig(parseRunConfig(config(file, 0, seed)), { baseDir: tmpDir() });
    const busy = await runConfig(parseRunConfig(config(file, 2, seed)), { baseDir: tmpDir() });
    assert.equal(quiet.result.fills.length, 0);
    assert.ok(quiet.result.events > 5_000, `the flow ran (${quiet.result.events} events)`);
    assert.ok(busy.result.fills.length > 300, `${busy.result.fills.length} fills`);
    // fills sit on the tick grid, as takers
    for (const f of busy.result.fills) {
      assert.equal(f.side, 'BUY');
      assert.equal(f.liquidity, 'TAKER');
      assert.ok(Math.abs(f.price * 100 - Math.round(f.price * 100)) < 1e-9, `fill at ${f.price} is on the tick grid`);
    }
    const first = busy.result.fills.slice(0, 20).reduce((s, f) => s + f.price, 0) / 20;
    const last = busy.result.fills.slice(-20).reduce((s, f) => s + f.price, 0) / 20;
    assert.ok(last > first + 1, `buying pushed the price up: ${first.toFixed(2)} -> ${last.toFixed(2)} (seed ${seed})`);
  }
});

test('the same seed without the buyer ends lower: the strategy moved the synthetic price', async () => {
  // a direct Simulation: the last quote of the flow with and without the buyer
  const lastMid = async (qty: number): Promise<{ mid: number; fills: { price: number; ask: number }[] }> => {
    const reg = new InstrumentRegistry();
    const inst = reg.add({ symbol: 'CST', pricePrecision: 2 });
    const flow = new BookFlowSource(inst, { start: T0, end: T0 + 15 * MIN, seed: 9, initialPrice: 10_000 });
    let mid = NaN;
    let ask = NaN;
    const fills: { price: number; ask: number }[] = [];
    const asks = new Map<number, number>();
    const strat: Strategy = {
      onStart(ctx) {
        if (qty > 0) ctx.setInterval(1_000_000, 'buy', T0 + MIN);
      },
      onTimer(ctx) {
        const id = ctx.submit({ symbol: 'CST', side: 'BUY', quantity: qty });
        asks.set(id, ask);
      },
      onQuote(_c, q: QuoteEvent) {
        if (q.bidPrice === q.bidPrice && q.askPrice === q.askPrice) mid = (q.bidPrice + q.askPrice) / 2;
      },
      onTrade(_c, _t: TradeEvent) {},
      onBook(_c, b) {
        ask = b.bestAsk();
      },
      onOrderUpdate(_c, u) {
        // the first fill of each market order: at the best ask of the book it arrived in
        if (u.fill && asks.has(u.orderId)) {
          fills.push({ price: u.fill.price, ask: asks.get(u.orderId)! });
          asks.delete(u.orderId);
        }
      },
    };
    const sim = new Simulation({ instruments: reg, sources: [flow], strategy: strat, account: { kind: 'cash', currency: 'USD', cashPrecision: 2, startingCash: 1e9 }, liquidity: { CST: 'book' }, startTime: T0 - 1 });
    flow.attach(sim.venue, sim.queue);
    await sim.run();
    return { mid, fills };
  };
  const base = await lastMid(0);
  const pushed = await lastMid(2);
  assert.ok(pushed.mid > base.mid + 1, `mid with the buyer ${pushed.mid} vs ${base.mid} without`);
  // zero latency: each market buy's first fill is at the best ask of the book when it was sent
  assert.ok(pushed.fills.length > 500);
  for (const f of pushed.fills) assert.equal(f.price, f.ask);
});

test('the venue forgets finished flow orders: after a long flow only the resting ones are known', async () => {
  const reg = new InstrumentRegistry();
  const inst = reg.add({ symbol: 'CST', pricePrecision: 2 });
  const flow = new BookFlowSource(inst, { start: T0, end: T0 + 20 * MIN, seed: 5, initialPrice: 10_000 });
  const sim = new Simulation({ instruments: reg, sources: [flow], strategy: {}, account: { kind: 'cash', currency: 'USD', cashPrecision: 2, startingCash: 1e9 }, liquidity: { CST: 'book' }, startTime: T0 - 1 });
  flow.attach(sim.venue, sim.queue);
  const r = await sim.run();
  const book = sim.venue.engine(inst)!.book;
  assert.ok(r.events > 10_000, `${r.events} flow events`);
  // every resting order is still known by id (flow cancels need it) ...
  let resting = 0;
  for (const side of ['BUY', 'SELL'] as const) {
    for (let i = 0; i < book.levelCount(side); i++) {
      for (let o = book.levelHead(side, i); o !== null; o = o.next) {
        resting++;
        assert.equal(sim.venue.order(o.id), o);
      }
    }
  }
  // ... and the flow's first orders, long finished, are not (ids start at 2^50)
  let forgotten = 0;
  for (let id = 2 ** 50; id < 2 ** 50 + 2_000; id++) {
    const o = sim.venue.order(id);
    if (o === undefined) forgotten++;
    else assert.ok(!o.isDone, `finished flow order ${id} is still held`);
  }
  assert.ok(resting > 0 && forgotten > 1_000, `${resting} resting, ${forgotten} of the first 2,000 forgotten`);
});

test('bookFlow in a run config: the symbol trades in a book; another liquidity is a ConfigError naming it', async () => {
  const file = buyerModule();
  const c = config(file, 0, 1);
  await assert.rejects(runConfig(parseRunConfig({ ...c, liquidity: { CST: 'data' } }), { baseDir: tmpDir() }), (e: unknown) => e instanceof ConfigError && /liquidity\.CST: must be 'book'/.test(e.message));
  assert.throws(() => parseRunConfig({ ...c, data: [{ bookFlow: { symbol: 'CST', start: START, end: START, mu: -1 } }] }), (e: unknown) => e instanceof ConfigError && /data\.0\.bookFlow\.mu/.test(e.message));
});

test('tickPreset in a run config: microstructure quotes and trades (with scheduled news) stream into a run', async () => {
  const c = parseRunConfig({
    seed: 4,
    data: [{ tickPreset: 'microstructure', symbol: 'MIC', days: 1, minutes: 15, news: { scheduled: [{ time: '2024-01-02T14:35:00Z', kind: 'earnings' }] } }],
    strategy: { name: 'buy-and-hold', params: {} },
  });
  const r = await runConfig(c, { baseDir: tmpDir(), keepJournal: false });
  assert.ok(r.result.events > 1000, `${r.result.events} events`);
  assert.equal(r.result.fills.length, 1);
  assert.ok(Math.abs(r.result.fills[0]!.price - 100) < 1, `bought near 100: ${r.result.fills[0]!.price}`);
  assert.throws(() => parseRunConfig({ ...c, data: [{ tickPreset: 'microstructure', symbol: 'MIC', days: 1, minutes: 0 }] }), (e: unknown) => e instanceof ConfigError && /data\.0\.minutes/.test(e.message));
});
