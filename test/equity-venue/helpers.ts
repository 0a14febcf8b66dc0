import { BatchSource, InstrumentRegistry, Simulation, type AccountOptions, type Instrument, type MarketEvent, type SimulationResult, type Strategy } from '../../src/index.ts';
import { buildEquityRun, type EquityConfigInput, type EquityRun } from '../../src/assets/equity/equity-config.ts';
import type { LiquiditySource } from '../../src/market/venue.ts';

/** Microseconds of a New York wall time; `offset` is the UTC offset in hours (5 in winter, 4 in summer). */
export function ny(date: string, hhmmss: string, offset = 5): number {
  const [h, m, s] = hhmmss.split(':').map(Number) as [number, number, number?];
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, mo - 1, d, h + offset, m, s ?? 0) * 1000;
}

export const cash = (dollars: number): AccountOptions => ({ kind: 'cash', currency: 'USD', cashPrecision: 2, startingCash: dollars * 100 });
export const margin = (dollars: number): AccountOptions => ({ kind: 'margin', currency: 'USD', cashPrecision: 2, startingCash: dollars * 100, leverage: 2 });

export function bar(inst: Instrument, time: number, o: number, h = o, l = o, c = o, volume = 1_000_000): MarketEvent {
  return { kind: 'bar', time, instrument: inst, open: o, high: h, low: l, close: c, volume };
}
export function trade(inst: Instrument, time: number, price: number, size = 100): MarketEvent {
  return { kind: 'trade', time, instrument: inst, price, size, aggressor: undefined };
}
export function quote(inst: Instrument, time: number, bid: number, ask: number, size = 1000): MarketEvent {
  return { kind: 'quote', time, instrument: inst, bidPrice: bid, bidSize: size, askPrice: ask, askSize: size };
}

/** One run of the simulation with the equity rules of `equity` (the run config's block). */
export async function runEquity(o: {
  registry: InstrumentRegistry;
  events: MarketEvent[];
  strategy: Strategy;
  equity?: EquityConfigInput;
  /** A prebuilt equity run (to read its market while the simulation runs). */
  equityRun?: EquityRun;
  account?: AccountOptions;
  liquidity?: Record<string, LiquiditySource>;
  sources?: ConstructorParameters<typeof Simulation>[0]['sources'];
}): Promise<{ result: SimulationResult; sim: Simulation; equity: EquityRun }> {
  const equity = o.equityRun ?? (await buildEquityRun(o.equity ?? {}, o.registry));
  const sim = new Simulation({
    instruments: o.registry,
    sources: o.sources ?? [new BatchSource('t', [o.events.slice().sort((a, b) => a.time - b.time)])],
    strategy: o.strategy,
    account: o.account ?? cash(100_000),
    venue: { rules: equity.rules },
    cashFlows: equity.cashFlows,
    keepJournal: true,
    ...(o.liquidity ? { liquidity: o.liquidity } : {}),
  });
  const result = await sim.run();
  return { result, sim, equity };
}

/** A registry with one equity instrument. */
export function oneStock(symbol = 'AAPL', pricePrecision = 2): { registry: InstrumentRegistry; inst: Instrument } {
  const registry = new InstrumentRegistry();
  const inst = registry.add({ symbol, pricePrecision, assetClass: 'equity', currency: 'USD' });
  return { registry, inst };
}

/** Formats an update as `tag:KIND[:reason]@time`. */
export const fmt = (u: { tag: string; kind: string; reason?: string; time: number }, t0 = 0): string => `${u.tag}:${u.kind}${u.reason ? ':' + u.reason : ''}@${(u.time - t0) / 1e6}`;
