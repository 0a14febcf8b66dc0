import { Rng } from '../../src/core/rng.ts';
import { InstrumentRegistry, type Instrument } from '../../src/market/instrument.ts';
import type { BarEvent, EventSource, MarketEvent, QuoteEvent } from '../../src/market/market-data.ts';
import { BatchSource } from '../../src/data/batch-source.ts';
import { Simulation, type SimulationResult } from '../../src/sim/simulation.ts';
import type { AccountOptions } from '../../src/sim/account.ts';
import type { Strategy } from '../../src/sim/strategy.ts';
import { buildCryptoRun, type CryptoRun } from '../../src/sim/crypto-run.ts';
import type { CryptoConfigInput } from '../../src/sim/crypto-config.ts';
import { repoRoot, sharedFile } from '../helpers/shared-data.ts';

/** The cryptofeed recordings' exchangeInfo files (undefined when the shared data is missing outside CI). */
export const SPOT_INFO = sharedFile('data/binance/cryptofeed-sample_data/BINANCE.0');
export const FUTURES_INFO = sharedFile('data/binance/cryptofeed-sample_data/BINANCE_FUTURES.0');

export const S = 1_000_000;
export const H = 3_600 * S;

/** Microseconds of an ISO time. */
export const t = (iso: string): number => Date.parse(iso) * 1000;

/** A run wired the way run.ts wires a `crypto:` block: crypto sources first, data wrapped, venue options and plugins from the builder. */
export async function cryptoRun(o: {
  crypto: CryptoConfigInput;
  data: (registry: InstrumentRegistry) => EventSource<MarketEvent>[] | Promise<EventSource<MarketEvent>[]>;
  strategy: Strategy;
  account?: Partial<AccountOptions>;
  seed?: number;
}): Promise<{ sim: Simulation; crypto: CryptoRun; registry: InstrumentRegistry; run: () => Promise<SimulationResult> }> {
  const registry = new InstrumentRegistry();
  const rng = new Rng(o.seed ?? 7);
  const crypto = await buildCryptoRun(o.crypto, registry, rng, repoRoot);
  const data = (await o.data(registry)).map((s) => crypto.wrapSource(s));
  const sim = new Simulation({
    instruments: registry,
    sources: [...crypto.sources, ...data],
    strategy: o.strategy,
    seed: o.seed ?? 7,
    account: { kind: 'cash', currency: 'USDT', cashPrecision: 8, startingCash: 10_000 * 1e8, ...o.account },
    venue: { name: 'BINANCE', rules: crypto.rules, outagePolicy: crypto.outagePolicy, ...(crypto.fees ? { fees: crypto.fees } : {}) },
    plugins: crypto.plugins,
  });
  return { sim, crypto, registry, run: () => sim.run() };
}

/** A source of hand-written events. */
export function events<E extends MarketEvent>(name: string, list: E[]): EventSource<MarketEvent> {
  return new BatchSource<MarketEvent>(name, [list.slice().sort((a, b) => a.time - b.time)]);
}

/** A quote. */
export function quote(inst: Instrument, time: number, bid: number, ask: number, size = 10): QuoteEvent {
  return { kind: 'quote', time, instrument: inst, bidPrice: bid, askPrice: ask, bidSize: size, askSize: size };
}

/** A flat bar. */
export function bar(inst: Instrument, time: number, close: number, volume = 100): BarEvent {
  return { kind: 'bar', time, instrument: inst, open: close, high: close, low: close, close, volume };
}
