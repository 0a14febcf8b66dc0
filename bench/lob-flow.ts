/**
 * Limit order flow model (Cont, Stoikov and Talreja 2010 style) throughput: book events per second
 * (limit orders, cancels, market orders, each drawn from the Markov chain and applied to the real
 * `MatchingEngine`), against a baseline running the very same model with one `await` per event.
 *
 * One model with the default (CST 2010) parameters and geometric sizes (mean 2 lots) runs throughout, so
 * the book is in its stationary regime after the warm-up; the figure is the best of six 400 ms rounds. Run alone: `node --import tsx bench/lob-flow.ts --print`.
 */
import { LobFlowModel } from '../src/data/synthetic/lob-flow.ts';
import { Instrument } from '../src/market/instrument.ts';
import { opsPerSecond, roundRate, type BenchFigure } from './figure.ts';

const CHUNK = 20_000;

/** Events per second with one await per event, measured for at least `minMs`. */
async function awaitedRate(model: LobFlowModel, minMs: number): Promise<number> {
  for (let i = 0; i < CHUNK; i++) await model.step();
  let n = 0;
  const t0 = performance.now();
  let t1 = t0;
  while (t1 - t0 < minMs) {
    for (let i = 0; i < CHUNK; i++) await model.step();
    n += CHUNK;
    t1 = performance.now();
  }
  return (n * 1000) / (t1 - t0);
}

/** The lob-flow module's figures. */
export async function run(): Promise<BenchFigure[]> {
  const inst = new Instrument(0, { symbol: 'LOBFLOW', pricePrecision: 2, sizePrecision: 0 });
  const model = new LobFlowModel(inst, 1, { sizeDist: 'geometric', meanLots: 2 });
  const step = () => {
    model.run(CHUNK);
    return CHUNK;
  };
  // best of 6 rounds of 400 ms after warm-up: on a shared machine other processes only slow a round down
  let fast = opsPerSecond(step, 400, 300);
  for (let r = 1; r < 6; r++) fast = Math.max(fast, roundRate(step, 400));
  const slow = await awaitedRate(new LobFlowModel(inst, 1, { sizeDist: 'geometric', meanLots: 2 }), 800);
  const c = model.counters;
  if (!(c.adds > 0 && c.cancels > 0 && c.markets > 0 && c.trades > 0)) throw new Error(`lob-flow bench: degenerate run ${JSON.stringify(c)}`);
  return [
    {
      name: 'limit order flow (CST 2010 defaults) book events through the real MatchingEngine',
      value: fast,
      unit: 'events/s',
      target: '>= 2,000,000 events/s',
      pass: fast >= 2_000_000,
      baselineName: 'same model with one await per event',
      baselineValue: slow,
    },
  ];
}

if (process.argv.includes('--print')) {
  for (const f of await run()) process.stdout.write(`${f.pass ? 'PASS' : 'MISS'} ${f.name}: ${Math.round(f.value).toLocaleString('en-US')} ${f.unit} (target ${f.target}); baseline ${Math.round(f.baselineValue).toLocaleString('en-US')} [${f.baselineName}]\n`);
}
