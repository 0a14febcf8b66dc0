import { ConfigError } from '../../core/errors.ts';
import { Rng } from '../../core/rng.ts';
import { InstrumentRegistry, type Instrument } from '../../market/instrument.ts';
import type { BookDeltaEvent, NewsEvent, QuoteEvent, StatusEvent, TradeEvent } from '../../market/market-data.ts';
import { BatchSource } from '../batch-source.ts';
import { YEAR_US } from '../gbm.ts';
import { lobFlowEvents } from './lob-flow-events.ts';
import type { LobFlowParams } from './lob-flow.ts';
import { microstructureBatches, type MicrostructureOptions } from './microstructure.ts';
import { EQUITY_SESSION_MINUTES, parseStartDate, sessionStarts } from './minute-bars.ts';
import type { NewsSimConfig } from './news-overlay.ts';
import type { SyntheticPresetOptions } from './presets.ts';
import { DEFAULT_HESTON } from './params.ts';
import { HestonQeStepper } from './simulate.ts';

/**
 * Named tick-level synthetic sources (docs/models.md, "Tick presets"), the counterpart of the bar presets:
 *
 * - `microstructure`: quotes and trades from `microstructureBatches` over a Heston latent price (Bakshi-Cao-Chen
 *   parameters, one QE step per second), one equity session (09:30-16:00 New York) per trading day; the
 *   latent path runs on across days (no overnight move). Optional simulated news moves it (`news`).
 * - `lob-flow`: the Cont-Stoikov-Talreja order flow on the real matching engine: L2 book deltas, trades or
 *   L1 quotes. Each session starts from a freshly seeded book around the previous session's last mid.
 */
export type TickPresetName = 'microstructure' | 'lob-flow';

/** Every tick preset name. */
export const TICK_PRESET_NAMES: readonly TickPresetName[] = ['microstructure', 'lob-flow'];

/** The event kinds a tick preset writes ('quotes+trades': both, interleaved in time order). */
export type TickKind = 'quotes' | 'trades' | 'quotes+trades' | 'book';

/** Kinds each tick preset can produce. */
export const TICK_PRESET_KINDS: Readonly<Record<TickPresetName, readonly TickKind[]>> = {
  microstructure: ['quotes', 'trades', 'quotes+trades'],
  'lob-flow': ['quotes', 'trades', 'quotes+trades', 'book'],
};

/** Events of a tick preset's stream. */
export type TickPresetEvent = QuoteEvent | TradeEvent | BookDeltaEvent | NewsEvent | StatusEvent;

/** Options of `openTickPreset`: symbol, seed, start, instrument and s0 as for the bar presets. */
export interface TickPresetOptions extends Pick<SyntheticPresetOptions, 'symbol' | 'seed' | 'start' | 'instrument' | 's0'> {
  preset: TickPresetName;
  kind: TickKind;
  /** Trading days (integer >= 1). */
  days: number;
  /** Minutes generated per session from its open (integer 1..390 for equities, 1..1440 for 24/7; default the whole session). */
  sessionMinutes?: number;
  /** Microstructure parameters other than instrument, latent, times and rng. */
  microstructure?: Omit<MicrostructureOptions, 'instrument' | 'latent' | 'start' | 'end' | 'rng' | 'news' | 'name'>;
  /** CST flow parameters other than startTime, initialPrice and observer. */
  lobFlow?: Omit<LobFlowParams, 'startTime' | 'initialPrice' | 'observer'>;
  /** Simulated news moving the microstructure preset's prices (not available for lob-flow). */
  news?: NewsSimConfig;
}

/** A tick preset opened as a streaming source. */
export interface TickPreset {
  instrument: Instrument;
  source: BatchSource<TickPresetEvent>;
}

/** Throws a `ConfigError` naming each bad option. */
function validate(o: TickPresetOptions): number {
  const issues: { path: string; message: string }[] = [];
  if (!TICK_PRESET_NAMES.includes(o.preset)) issues.push({ path: 'preset', message: `unknown tick preset ${JSON.stringify(o.preset)} (known: ${TICK_PRESET_NAMES.join(', ')})` });
  else if (!TICK_PRESET_KINDS[o.preset].includes(o.kind)) issues.push({ path: 'kind', message: `preset ${o.preset} makes ${TICK_PRESET_KINDS[o.preset].join(', ')}, not ${JSON.stringify(o.kind)}` });
  if (typeof o.symbol !== 'string' || o.symbol.length === 0) issues.push({ path: 'symbol', message: 'must be a non-empty string' });
  if (!(Number.isSafeInteger(o.days) && o.days >= 1)) issues.push({ path: 'days', message: `must be an integer >= 1, got ${o.days}` });
  if (!Number.isFinite(o.seed)) issues.push({ path: 'seed', message: `must be a finite number, got ${o.seed}` });
  if (o.s0 !== undefined && !(Number.isFinite(o.s0) && o.s0 > 0)) issues.push({ path: 's0', message: `must be > 0, got ${o.s0}` });
  if (o.instrument && o.instrument.symbol !== o.symbol) issues.push({ path: 'instrument', message: `symbol ${o.instrument.symbol} differs from symbol ${o.symbol}` });
  if (o.sessionMinutes !== undefined && !(Number.isSafeInteger(o.sessionMinutes) && o.sessionMinutes >= 1 && o.sessionMinutes <= 1440)) issues.push({ path: 'sessionMinutes', message: `must be an integer in 1..1440, got ${o.sessionMinutes}` });
  if (o.news && o.preset !== 'microstructure') issues.push({ path: 'news', message: 'news moves prices of the microstructure preset only' });
  const startMs = parseStartDate(o.start ?? '2024-01-02', issues);
  if (issues.length > 0) throw new ConfigError(issues, 'tick preset options');
  return startMs;
}


/**
 * Opens a tick preset as a streaming source (validated: `ConfigError` naming the option). Deterministic:
 * the same options give the same events; each symbol has its own random streams.
 */
export function openTickPreset(o: TickPresetOptions): TickPreset {
  const startMs = validate(o);
  const instrument = o.instrument ?? new InstrumentRegistry().add({ symbol: o.symbol, assetClass: 'equity', pricePrecision: 2, sizePrecision: 0 });
  const starts = sessionStarts(startMs, o.days, instrument.assetClass === 'crypto' ? '24/7' : 'equity');
  const root = new Rng(o.seed).fork(o.symbol);
  const s0 = o.s0 ?? 100;
  const name = `synthetic:${o.preset}:${o.kind}:${o.symbol}`;
  const full = instrument.assetClass === 'crypto' ? 1440 : EQUITY_SESSION_MINUTES;
  const sessionUs = Math.min(o.sessionMinutes ?? full, full) * 60_000_000;
  const gen = o.preset === 'microstructure' ? microDays(o, instrument, starts, root, s0, sessionUs) : lobFlowDays(o, instrument, starts, root, s0, sessionUs);
  return { instrument, source: new BatchSource<TickPresetEvent>(name, gen) };
}

function* microDays(o: TickPresetOptions, inst: Instrument, starts: number[], root: Rng, s0: number, SESSION_US: number): Generator<TickPresetEvent[]> {
  const stepUs = 1_000_000;
  const stepper = new HestonQeStepper({ ...DEFAULT_HESTON, s0 }, stepUs / YEAR_US, root.fork('latent'));
  const keepQuotes = o.kind !== 'trades';
  const keepTrades = o.kind !== 'quotes';
  for (let d = 0; d < starts.length; d++) {
    const start = starts[d]!;
    const news = o.news;
    const it = microstructureBatches({
      ...o.microstructure,
      instrument: inst,
      latent: { stepper, stepUs },
      start,
      end: start + SESSION_US,
      rng: root.fork('micro').fork(String(d)),
      ...(news ? { news } : {}),
    });
    for (const batch of it) {
      const out = batch.filter((e) => (e.kind === 'quote' ? keepQuotes : e.kind === 'trade' ? keepTrades : true));
      if (out.length > 0) yield out;
    }
  }
}

function* lobFlowDays(o: TickPresetOptions, inst: Instrument, starts: number[], root: Rng, s0: number, SESSION_US: number): Generator<TickPresetEvent[]> {
  let mid = Math.max(1, Math.round((s0 * inst.priceScale) / inst.tickUnits)) * inst.tickUnits;
  const seedBase = root.fork('lob-flow');
  for (let d = 0; d < starts.length; d++) {
    const start = starts[d]!;
    const result = { lastMid: NaN };
    const seed = seedBase.fork(String(d)).nextU32();
    yield* lobFlowEvents({ instrument: inst, seed, params: { ...o.lobFlow, startTime: start, initialPrice: mid }, end: start + SESSION_US, kind: o.kind }, result);
    if (result.lastMid === result.lastMid && result.lastMid > 10 * inst.tickUnits) mid = result.lastMid;
  }
}
