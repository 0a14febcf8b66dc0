/**
 * Configuration of an `AgentMarket`: which agents trade, for how long, with which fundamental and latency.
 * Omitted groups and fields take the RMSC04 defaults (`params.ts`); `validateMarketConfig` checks every
 * field and throws one `ConfigError` naming each bad one (`agents.noise.count: must be an integer >= 0`).
 */
import type { Rng } from '../../../core/rng.ts';
import { US_PER_HOUR, US_PER_MINUTE } from '../../../core/time.ts';
import type { Instrument } from '../../../market/instrument.ts';
import { checkNumber, throwIssues, type Issue } from '../checks.ts';
import { DEFAULT_LATENCY, validateLatency, type LatencyParams } from './latency.ts';
import { SparseMeanRevertingOracle, validateOracle, type OracleParams } from './oracle.ts';
import {
  RMSC04_MARKET_MAKER,
  RMSC04_MOMENTUM,
  RMSC04_NOISE,
  RMSC04_ORACLE,
  RMSC04_VALUE,
  validateMarketMaker,
  validateMomentum,
  validateNoise,
  validateValue,
  type MarketMakerParams,
  type MomentumParams,
  type NoiseParams,
  type ValueParams,
} from './params.ts';
import type { Agent } from './types.ts';

/** A user agent joining the market, with an optional fixed base latency. */
export interface UserAgentSpec {
  agent: Agent;
  /** Base latency to the exchange, microseconds (default: a random point of the line, as the built-in agents). */
  latencyUs?: number;
  /** Per-message jitter on top of the base latency (default true). */
  jitter?: boolean;
}

/** The built-in agent groups; omitted fields take the RMSC04 defaults. */
export interface AgentGroups {
  noise?: Partial<NoiseParams>;
  value?: Partial<ValueParams>;
  momentum?: Partial<MomentumParams>;
  marketMakers?: Partial<MarketMakerParams>;
}

/** Options of an `AgentMarket`. */
export interface AgentMarketConfig {
  /** Seed of the run (every agent draws from `new Rng(seed, 'agents').fork('agent:<id>')`). */
  seed: number;
  /** The day's random stream, instead of one made from `seed` (multi-day runs fork one per day). */
  rng?: Rng;
  /** Instrument traded (default ABM, an equity quoted to the cent in whole shares). */
  instrument?: Instrument;
  /** Open of the session, microseconds since the epoch (default 2021-02-05 09:30 New York, RMSC04's date). */
  openTime?: number;
  /** Length of the session, microseconds (default 6.5 hours: 09:30-16:00). */
  durationUs?: number;
  /** Built-in agents (RMSC04 counts and parameters by default). */
  agents?: AgentGroups;
  /** Fundamental parameters (RMSC04 by default), or a running oracle to continue (multi-day runs). */
  oracle?: Partial<OracleParams> | SparseMeanRevertingOracle;
  /** Latency model parameters (ABIDES defaults). */
  latency?: Partial<LatencyParams>;
  /** User agents, after the built-in ones (ids continue the numbering). */
  userAgents?: readonly UserAgentSpec[];
  /** Record top-of-book changes as QuoteEvents (default true). */
  quotes?: boolean;
  /** Record L2 level changes as BookDeltaEvents (default false). */
  l2?: boolean;
}

/** A validated configuration with every default filled in. */
export interface ResolvedMarketConfig {
  seed: number;
  openTime: number;
  durationUs: number;
  noise: NoiseParams;
  value: ValueParams;
  momentum: MomentumParams;
  marketMakers: MarketMakerParams;
  oracle: OracleParams | SparseMeanRevertingOracle;
  latency: LatencyParams;
  userAgents: readonly UserAgentSpec[];
  quotes: boolean;
  l2: boolean;
}

/** 2021-02-05 09:30 America/New_York (EST, UTC-5) in microseconds: RMSC04's default date. */
export const RMSC04_OPEN = Date.UTC(2021, 1, 5, 14, 30) * 1000;
/** A 6.5-hour session, 09:30-16:00. */
export const SESSION_US = 6 * US_PER_HOUR + 30 * US_PER_MINUTE;

/** Fills in the RMSC04 defaults and validates; throws a `ConfigError` naming each bad field. */
export function validateMarketConfig(c: AgentMarketConfig): ResolvedMarketConfig {
  const issues: Issue[] = [];
  if (c === null || typeof c !== 'object') throw new TypeError('AgentMarket config must be an object');
  checkNumber(issues, 'seed', c.seed, 'any');
  const openTime = c.openTime ?? RMSC04_OPEN;
  if (!(Number.isSafeInteger(openTime) && openTime >= 0)) issues.push({ path: 'openTime', message: `must be an integer number of microseconds >= 0, got ${openTime}` });
  const durationUs = c.durationUs ?? SESSION_US;
  if (!(Number.isSafeInteger(durationUs) && durationUs > 0)) issues.push({ path: 'durationUs', message: `must be an integer number of microseconds > 0, got ${durationUs}` });
  const g = c.agents ?? {};
  const noise: NoiseParams = { ...RMSC04_NOISE, ...g.noise };
  const value: ValueParams = { ...RMSC04_VALUE, ...g.value };
  const momentum: MomentumParams = { ...RMSC04_MOMENTUM, ...g.momentum };
  const marketMakers: MarketMakerParams = { ...RMSC04_MARKET_MAKER, ...g.marketMakers };
  validateNoise(noise, 'agents.noise', issues);
  validateValue(value, 'agents.value', issues);
  validateMomentum(momentum, 'agents.momentum', issues);
  validateMarketMaker(marketMakers, 'agents.marketMakers', issues);
  let oracle: OracleParams | SparseMeanRevertingOracle;
  if (c.oracle instanceof SparseMeanRevertingOracle) oracle = c.oracle;
  else {
    const o: OracleParams = { ...RMSC04_ORACLE, ...c.oracle };
    validateOracle(o, 'oracle', issues);
    oracle = o;
  }
  const latency: LatencyParams = { ...DEFAULT_LATENCY, ...c.latency };
  validateLatency(latency, 'latency', issues);
  const users = c.userAgents ?? [];
  if (!Array.isArray(users)) issues.push({ path: 'userAgents', message: 'must be an array of { agent, latencyUs?, jitter? }' });
  else
    users.forEach((u, i) => {
      const a = u?.agent;
      if (a === null || typeof a !== 'object' || typeof a.wakeup !== 'function') issues.push({ path: `userAgents[${i}].agent`, message: 'must be an object with a wakeup(ctx) method (the Agent interface)' });
      if (u?.latencyUs !== undefined) checkNumber(issues, `userAgents[${i}].latencyUs`, u.latencyUs, 'nonnegative');
    });
  throwIssues(issues, 'agent market config');
  return { seed: c.seed, openTime, durationUs, noise, value, momentum, marketMakers, oracle, latency, userAgents: users, quotes: c.quotes ?? true, l2: c.l2 ?? false };
}
