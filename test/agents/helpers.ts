import { createHash } from 'node:crypto';
import type { AgentMarketConfig } from '../../src/data/synthetic/agents/config.ts';
import type { MarketEvent } from '../../src/market/market-data.ts';

/** 20 minutes of a smaller market whose momentum traders act within it. */
export function smallConfig(seed: number, extra: Partial<AgentMarketConfig> = {}): AgentMarketConfig {
  return {
    seed,
    durationUs: 20 * 60_000_000,
    agents: {
      noise: { count: 200 },
      value: { count: 30, lambda: 1 / 30e6 },
      momentum: { count: 4, meanWakeUs: 5e6, shortWindow: 5, longWindow: 10 },
      marketMakers: { count: 2 },
    },
    ...extra,
  };
}

/** SHA-256 of a tape (every field but the instrument). */
export function tapeHash(events: readonly MarketEvent[]): string {
  const h = createHash('sha256');
  for (const e of events) h.update(JSON.stringify({ ...e, instrument: undefined }) + '\n');
  return h.digest('hex');
}
