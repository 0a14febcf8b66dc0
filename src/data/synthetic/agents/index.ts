/** The agent-based market (docs/agents.md): ABIDES-style agents trading through the real matching engine. */
export type { Agent, AgentContext, AgentFill, AgentOrderUpdate, QuoteSnapshot, SpreadSnapshot } from './types.ts';
export { AgentMarket, defaultAgentInstrument, type AgentMarketCounters, type AgentRoster } from './market.ts';
export { validateMarketConfig, RMSC04_OPEN, SESSION_US, type AgentGroups, type AgentMarketConfig, type ResolvedMarketConfig, type UserAgentSpec } from './config.ts';
export { RMSC04_MARKET_MAKER, RMSC04_MOMENTUM, RMSC04_NOISE, RMSC04_ORACLE, RMSC04_VALUE, type MarketMakerParams, type MomentumParams, type NoiseParams, type ValueParams } from './params.ts';
export { SparseMeanRevertingOracle, type OracleParams } from './oracle.ts';
export { AgentLink, DEFAULT_LATENCY, lightLatencyUs, type LatencyParams } from './latency.ts';
export { OrderSizeModel } from './order-size.ts';
export { NoiseAgent } from './noise-agent.ts';
export { ValueAgent } from './value-agent.ts';
export { MomentumAgent } from './momentum-agent.ts';
export { AdaptiveMarketMaker } from './market-maker.ts';
export { agentMinuteBars, openAgentMarketSource, type AgentBarsOptions } from './source.ts';
