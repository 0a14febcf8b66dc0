/**
 * Streaming outputs of the agent-based market: its event tape as an `EventSource` (one batch per interval
 * of virtual time), and 1-minute bars over many trading days (the `agent-based` preset), each day a fresh
 * market with its own seeded stream while the fundamental value continues from one day to the next.
 */
import { Rng } from '../../../core/rng.ts';
import type { Instrument } from '../../../market/instrument.ts';
import type { BarEvent, MarketEvent, TradeEvent } from '../../../market/market-data.ts';
import { BatchSource } from '../../batch-source.ts';
import { checkNumber, throwIssues, type Issue } from '../checks.ts';
import { EQUITY_SESSION_MINUTES, parseStartDate, sessionStarts } from '../minute-bars.ts';
import type { AgentMarketConfig } from './config.ts';
import { AgentMarket, defaultAgentInstrument } from './market.ts';
import { SparseMeanRevertingOracle, type OracleParams } from './oracle.ts';
import { RMSC04_ORACLE } from './params.ts';

const MINUTE_US = 60_000_000;

/**
 * The event tape of one session as a streaming source: the market runs `batchUs` of virtual time (default
 * one minute) per batch. Validation errors are thrown here, before the first batch.
 */
export function openAgentMarketSource(config: AgentMarketConfig, batchUs = MINUTE_US): { market: AgentMarket; source: BatchSource<MarketEvent> } {
  const issues: Issue[] = [];
  if (checkNumber(issues, 'batchUs', batchUs, 'positive') && !Number.isSafeInteger(batchUs)) issues.push({ path: 'batchUs', message: `must be an integer number of microseconds, got ${batchUs}` });
  throwIssues(issues, 'agent market source');
  const market = new AgentMarket(config);
  function* batches(): Generator<MarketEvent[]> {
    for (let t = market.openTime + batchUs; ; t += batchUs) {
      market.runUntil(t);
      const e = market.takeEvents();
      if (e.length > 0) yield e;
      if (t >= market.closeTime) return;
    }
  }
  return { market, source: new BatchSource<MarketEvent>(`agents:${market.instrument.symbol}:seed=${market.config.seed}`, batches()) };
}

/** Options of `agentMinuteBars`. */
export interface AgentBarsOptions {
  /** Seed; day d runs on `new Rng(seed, 'agents').fork('day:<d>')`, the fundamental on `.fork('oracle')`. */
  seed: number;
  /** The root stream instead of `new Rng(seed, 'agents')` (e.g. one per symbol). */
  rng?: Rng;
  /** Trading days (integer >= 0). */
  days: number;
  /** First calendar day 'YYYY-MM-DD' (default '2024-01-02'); weekends skipped; each session 09:30-16:00 New York. */
  start?: string;
  /** Instrument (default ABM quoted to the cent). */
  instrument?: Instrument;
  /** Market settings of every day (agents, latency, fundamental parameters); session times are set per day. */
  market?: Omit<AgentMarketConfig, 'seed' | 'rng' | 'instrument' | 'openTime' | 'durationUs' | 'oracle' | 'quotes' | 'l2'> & { oracle?: Partial<OracleParams> };
}

/**
 * 1-minute bars aggregated from the agent market's trades, one batch (390 bars) per trading day. A minute
 * without trades repeats the last close with volume 0 (before the first trade: the fundamental's r_bar).
 * The fundamental continues across days in trading time (no overnight evolution); every day starts with an
 * empty book and fresh agents. Options are validated up front (ConfigError naming the field).
 */
export function agentMinuteBars(o: AgentBarsOptions): IterableIterator<BarEvent[]> {
  const issues: Issue[] = [];
  checkNumber(issues, 'seed', o.seed, 'any');
  if (!(Number.isSafeInteger(o.days) && o.days >= 0)) issues.push({ path: 'days', message: `must be an integer >= 0, got ${o.days}` });
  const startMs = parseStartDate(o.start ?? '2024-01-02', issues);
  throwIssues(issues, 'agent-based bars options');
  const instrument = o.instrument ?? defaultAgentInstrument();
  const tick = instrument.tickUnits;
  // ABIDES's r_bar is $1,000: 100,000 cents; sigma_n = r_bar / 100
  const rBar = Math.round((1000 * instrument.priceScale) / tick) * tick;
  const oracleParams: OracleParams = { ...RMSC04_ORACLE, rBar, ...o.market?.oracle };
  const starts = sessionStarts(startMs, o.days, 'equity');
  return generateBars(o, instrument, oracleParams, starts);
}

function* generateBars(o: AgentBarsOptions, instrument: Instrument, oracleParams: OracleParams, starts: number[]): Generator<BarEvent[]> {
  if (starts.length === 0) return;
  const root = o.rng ?? new Rng(o.seed, 'agents');
  const oracle = new SparseMeanRevertingOracle(oracleParams, starts[0]!, root.fork('oracle'));
  const scale = instrument.priceScale;
  const sizeScale = instrument.sizeScale;
  const value = o.market?.agents?.value;
  const agents = { ...o.market?.agents, value: { sigmaN: oracleParams.rBar / 100, ...value } };
  let lastClose = oracleParams.rBar / scale;
  for (let d = 0; d < starts.length; d++) {
    const open = starts[d]!;
    const market = new AgentMarket({ ...o.market, agents, seed: o.seed, rng: root.fork(`day:${d}`), instrument, openTime: open, durationUs: EQUITY_SESSION_MINUTES * MINUTE_US, oracle, quotes: false, l2: false });
    const batch: BarEvent[] = new Array(EQUITY_SESSION_MINUTES);
    for (let m = 0; m < EQUITY_SESSION_MINUTES; m++) {
      const t = open + m * MINUTE_US;
      market.runUntil(t + MINUTE_US);
      const events = market.takeEvents();
      let op = NaN;
      let hi = -Infinity;
      let lo = Infinity;
      let cl = lastClose;
      let vol = 0;
      for (let i = 0; i < events.length; i++) {
        const e = events[i]!;
        if (e.kind !== 'trade') continue;
        const p = (e as TradeEvent).price;
        if (op !== op) op = p;
        if (p > hi) hi = p;
        if (p < lo) lo = p;
        cl = p;
        vol += (e as TradeEvent).size * sizeScale;
      }
      if (op !== op) op = hi = lo = cl;
      batch[m] = { kind: 'bar', time: t, instrument, open: op, high: hi, low: lo, close: cl, volume: vol / sizeScale };
      lastClose = cl;
    }
    oracle.advance(market.closeTime);
    yield batch;
  }
}
