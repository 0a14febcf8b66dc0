/**
 * Synthetic price model benchmarks: GBM quote ticks through `GbmQuoteSource.advance()`, Heston QE
 * path steps through `HestonQeStepper.step()` and the ziggurat normal sampler behind the GBM ticks.
 * The first two have a same-process baseline: the same loop with one `await` per step (the cost the
 * synchronous hot path avoids); the sampler's baseline is `Rng.normal()` (Marsaglia's polar method).
 */
import { Rng } from '../src/core/rng.ts';
import { Instrument } from '../src/market/instrument.ts';
import { GbmQuoteSource } from '../src/data/gbm.ts';
import { HestonQeStepper } from '../src/data/synthetic/simulate.ts';
import { DEFAULT_HESTON } from '../src/data/synthetic/params.ts';
import { ZigguratNormal } from '../src/data/synthetic/ziggurat.ts';
import { opsPerSecond, type BenchFigure } from './figure.ts';

/** Steps per second of `n`-step async loops (one await each), best of `runs`. */
async function awaitedRate(runs: number, n: number, stepOnce: () => number): Promise<{ rate: number; sink: number }> {
  let best = 0;
  let sink = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) sink += await Promise.resolve(stepOnce());
    const rate = (n * 1000) / (performance.now() - t0);
    if (rate > best) best = rate;
  }
  return { rate: best, sink };
}

function best(runs: number, fn: () => number): number {
  let b = 0;
  for (let r = 0; r < runs; r++) b = Math.max(b, opsPerSecond(fn, 300));
  return b;
}

/** Microseconds between GBM ticks. */
const TICK_US = Number(process.env.GBM_TICK_US ?? 1000);

async function gbmFigure(): Promise<BenchFigure> {
  const inst = new Instrument(1, { symbol: 'GBM', pricePrecision: 2 });
  // one-second ticks of a 20% volatility asset at 100 with a one-cent tick: the realistic tick regime
  const src = new GbmQuoteSource({ instrument: inst, start: 0, intervalUs: TICK_US, count: Infinity, s0: 100, mu: 0, sigma: 0.2, spreadTicks: 1, rng: new Rng(5, 'bench-gbm') });
  let sink = 0;
  const N = 200_000;
  const fast = best(3, () => {
    let acc = 0;
    for (let i = 0; i < N; i++) {
      src.advance();
      acc += src.current.bidPrice;
    }
    sink += acc;
    return N;
  });
  const slow = await awaitedRate(3, 500_000, () => {
    src.advance();
    return src.current.bidPrice;
  });
  if (Number.isNaN(sink + slow.sink)) throw new Error('unreachable');
  return {
    name: `GBM ticks: GbmQuoteSource.advance() (${TICK_US} us ticks, exact step, tick-grid quote, reused event)`,
    value: fast,
    unit: 'ticks/s',
    target: '>= 20,000,000 ticks/s',
    pass: fast >= 20_000_000,
    baselineName: 'same loop with one await per tick',
    baselineValue: slow.rate,
  };
}

async function hestonFigure(): Promise<BenchFigure> {
  // Bakshi-Cao-Chen parameters (Feller broken), daily steps, plain (not antithetic) paths of one year
  const st = new HestonQeStepper(DEFAULT_HESTON, 1 / 252, new Rng(7, 'bench-heston'));
  let sink = 0;
  const fast = best(3, () => {
    let acc = 0;
    for (let p = 0; p < 400; p++) {
      st.reset();
      for (let s = 0; s < 252; s++) st.step();
      acc += st.x;
    }
    sink += acc;
    return 400 * 252;
  });
  let k = 0;
  const slow = await awaitedRate(3, 252 * 2000, () => {
    if (k++ % 252 === 0) st.reset();
    st.step();
    return st.x;
  });
  if (Number.isNaN(sink + slow.sink)) throw new Error('unreachable');
  return {
    name: 'Heston QE path steps: HestonQeStepper.step() (BCC97 parameters, dt 1/252)',
    value: fast,
    unit: 'steps/s',
    target: '>= 5,000,000 steps/s',
    pass: fast >= 5_000_000,
    baselineName: 'same loop with one await per step',
    baselineValue: slow.rate,
  };
}

function zigguratFigure(): BenchFigure {
  const z = new ZigguratNormal(new Rng(9, 'bench-ziggurat'));
  const rng = new Rng(9, 'bench-polar');
  const buf = new Float64Array(4096);
  let sink = 0;
  const fast = best(3, () => {
    for (let k = 0; k < 50; k++) {
      z.fill(buf);
      sink += buf[k]!;
    }
    return 50 * buf.length;
  });
  const slow = best(3, () => {
    let acc = 0;
    for (let i = 0; i < 200_000; i++) acc += rng.normal();
    sink += acc;
    return 200_000;
  });
  if (Number.isNaN(sink)) throw new Error('unreachable');
  return {
    name: 'standard normals: ZigguratNormal.fill (Marsaglia-Tsang 2000, 128 layers, over Rng.nextU32)',
    value: fast,
    unit: 'normals/s',
    target: '>= 20,000,000 normals/s (what 20 M GBM ticks/s needs)',
    pass: fast >= 20_000_000,
    baselineName: 'Rng.normal() (polar method)',
    baselineValue: slow,
  };
}

/** The synthetic module's figures. */
export async function run(): Promise<BenchFigure[]> {
  return [await gbmFigure(), await hestonFigure(), zigguratFigure()];
}

if (process.argv.includes('--print')) {
  for (const f of await run()) process.stdout.write(`${f.pass ? 'PASS' : 'MISS'} ${f.name}: ${Math.round(f.value).toLocaleString('en-US')} ${f.unit} (target ${f.target}); baseline ${Math.round(f.baselineValue).toLocaleString('en-US')} [${f.baselineName}]\n`);
}
