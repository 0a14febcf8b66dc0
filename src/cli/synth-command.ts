import { closeSync, openSync, writeSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { Command } from 'commander';
import { MarketsimError } from '../core/errors.ts';
import { isoFromMicros } from '../core/time.ts';
import { SourceState, type BarEvent, type EventSource, type MarketEvent } from '../market/market-data.ts';
import { forEachEvent } from '../data/batch-source.ts';
import type { Instrument } from '../market/instrument.ts';
import { CatalogWriter } from '../data/catalog/index.ts';
import { openSyntheticPreset, PRESET_NAMES, type PresetName } from '../data/synthetic/presets.ts';
import { openTickPreset, TICK_PRESET_KINDS, TICK_PRESET_NAMES, type TickKind, type TickPresetName } from '../data/synthetic/tick-presets.ts';

/** What `synth` writes: 1-minute bars, L1 quotes, trade prints or L2 book deltas. */
export type SynthKind = 'bars' | 'quotes' | 'trades' | 'book';
/** Every `--kind`. */
export const SYNTH_KINDS: readonly SynthKind[] = ['bars', 'quotes', 'trades', 'book'];

/** Flags of `marketsim synth`. */
export interface SynthFlags {
  preset: string;
  symbols: string;
  days: string;
  seed: string;
  out: string;
  start?: string;
  json?: boolean;
  /** bars (default), quotes, trades or book. */
  kind?: string;
  /** Unscheduled news items per symbol per day moving the microstructure preset's prices. */
  newsRate?: string;
  /** Tick kinds: minutes per session from the open (default the whole session). */
  minutes?: string;
}

/** What `synth` wrote, per symbol (the `--json` document). */
export interface SynthResult {
  preset: PresetName | TickPresetName;
  kind: SynthKind;
  seed: number;
  days: number;
  /** 'csv' or 'catalog'. */
  format: 'csv' | 'catalog';
  /** Per symbol: `events` written (`bars` is the same count, kept for scripts written for bars). */
  outputs: { symbol: string; path: string; events: number; bars: number; first: string | null; last: string | null }[];
}

/** The CSV path of `symbol`: `out` itself for one symbol, else the symbol inserted before the extension. */
export function csvPathFor(out: string, symbol: string, several: boolean): string {
  if (!several) return out;
  const ext = extname(out);
  return join(dirname(out), `${basename(out, ext)}.${symbol}${ext}`);
}

interface ParsedFlags {
  preset: PresetName | TickPresetName;
  kind: SynthKind;
  symbols: string[];
  days: number;
  seed: number;
  newsRate: number | undefined;
  minutes: number | undefined;
}

function parseFlags(flags: SynthFlags): ParsedFlags {
  const kind = (flags.kind ?? 'bars') as SynthKind;
  if (!SYNTH_KINDS.includes(kind)) throw new MarketsimError('CLI_INVALID', `--kind: expected ${SYNTH_KINDS.join(', ')}, got '${flags.kind}'`);
  const isBar = PRESET_NAMES.includes(flags.preset as PresetName);
  const isTick = TICK_PRESET_NAMES.includes(flags.preset as TickPresetName);
  if (!isBar && !isTick) throw new MarketsimError('CLI_INVALID', `--preset: unknown preset '${flags.preset}' (known: ${[...PRESET_NAMES, ...TICK_PRESET_NAMES].join(', ')})`);
  if (kind === 'bars' && !isBar) {
    const kinds = TICK_PRESET_KINDS[flags.preset as TickPresetName].filter((k) => SYNTH_KINDS.includes(k as SynthKind));
    throw new MarketsimError('CLI_INVALID', `--preset: ${flags.preset} makes ${kinds.join(', ')}, not bars (bar presets: ${PRESET_NAMES.join(', ')})`);
  }
  if (kind !== 'bars' && !(isTick && TICK_PRESET_KINDS[flags.preset as TickPresetName].includes(kind))) {
    const makers = TICK_PRESET_NAMES.filter((n) => TICK_PRESET_KINDS[n].includes(kind as TickKind));
    throw new MarketsimError('CLI_INVALID', `--kind ${kind}: preset ${flags.preset} cannot make it (use --preset ${makers.join(' or ')})`);
  }
  let newsRate: number | undefined;
  if (flags.newsRate !== undefined) {
    newsRate = Number(flags.newsRate);
    if (!(flags.newsRate !== '' && Number.isFinite(newsRate) && newsRate >= 0)) throw new MarketsimError('CLI_INVALID', `--news-rate: expected a number >= 0, got '${flags.newsRate}'`);
    if (flags.preset !== 'microstructure') throw new MarketsimError('CLI_INVALID', '--news-rate: news moves the microstructure preset only');
  }
  const symbols = String(flags.symbols ?? '').split(',').map((s) => s.trim());
  if (symbols.length === 0 || symbols.some((s) => s === '' || /[\s/\\,]/.test(s))) throw new MarketsimError('CLI_INVALID', `--symbols: expected comma-separated symbols such as A,B, got '${flags.symbols}'`);
  if (new Set(symbols).size !== symbols.length) throw new MarketsimError('CLI_INVALID', `--symbols: duplicate symbol in '${flags.symbols}'`);
  const days = Number(flags.days);
  if (!(Number.isSafeInteger(days) && days >= 1)) throw new MarketsimError('CLI_INVALID', `--days: expected an integer >= 1, got '${flags.days}'`);
  const seed = Number(flags.seed);
  if (!(flags.seed !== '' && Number.isFinite(seed))) throw new MarketsimError('CLI_INVALID', `--seed: expected a number, got '${flags.seed}'`);
  if (!flags.out) throw new MarketsimError('CLI_INVALID', '--out: a .csv file or a catalog directory is required');
  let minutes: number | undefined;
  if (flags.minutes !== undefined) {
    minutes = Number(flags.minutes);
    if (!(Number.isSafeInteger(minutes) && minutes >= 1 && minutes <= 1440)) throw new MarketsimError('CLI_INVALID', `--minutes: expected an integer in 1..1440, got '${flags.minutes}'`);
    if (kind === 'bars') throw new MarketsimError('CLI_INVALID', '--minutes: bars always cover whole sessions');
  }
  return { preset: flags.preset as PresetName | TickPresetName, kind, symbols, days, seed, newsRate, minutes };
}


/** Passes a source through, counting its events and noting the first and last times. */
class Tap<E extends { time: number }> implements EventSource<E> {
  count = 0;
  first = NaN;
  last = NaN;
  constructor(private readonly inner: EventSource<E>) {}
  get name(): string {
    return this.inner.name;
  }
  get current(): E {
    return this.inner.current;
  }
  advance(): SourceState {
    const s = this.inner.advance();
    if (s === SourceState.Ready) {
      const t = this.inner.current.time;
      if (this.count++ === 0) this.first = t;
      this.last = t;
    }
    return s;
  }
  refill(): Promise<void> {
    return this.inner.refill();
  }
  close(): void {
    this.inner.close();
  }
}

/**
 * CSV layout of each kind (ISO UTC times with microseconds when needed; decimals at the instrument's precision):
 * bars `Datetime,Open,High,Low,Close,Volume`; quotes `time,bid,bid_size,ask,ask_size`; trades
 * `time,price,size,side` (side buy/sell, the aggressor); book `time,side,price,size,sequence,last` (L2 deltas:
 * the level's new total size, 0 removes it; `last` is 1 on the last delta of an atomic batch). News and
 * status events of a stream are not written to CSV (write a catalog to keep them).
 */
export const CSV_HEADERS: Readonly<Record<SynthKind, string>> = {
  bars: 'Datetime,Open,High,Low,Close,Volume',
  quotes: 'time,bid,bid_size,ask,ask_size',
  trades: 'time,price,size,side',
  book: 'time,side,price,size,sequence,last',
};

/** One CSV row for an event, or '' for events the kind's CSV does not hold. */
function csvRow(e: MarketEvent, instrument: Instrument): string {
  const pp = instrument.pricePrecision;
  const sp = instrument.sizePrecision;
  switch (e.kind) {
    case 'bar':
      return `${isoFromMicros(e.time)},${e.open.toFixed(pp)},${e.high.toFixed(pp)},${e.low.toFixed(pp)},${e.close.toFixed(pp)},${e.volume.toFixed(sp)}\n`;
    case 'quote':
      return `${isoFromMicros(e.time)},${e.bidPrice.toFixed(pp)},${e.bidSize.toFixed(sp)},${e.askPrice.toFixed(pp)},${e.askSize.toFixed(sp)}\n`;
    case 'trade':
      return `${isoFromMicros(e.time)},${e.price.toFixed(pp)},${e.size.toFixed(sp)},${e.aggressor === 'BUY' ? 'buy' : e.aggressor === 'SELL' ? 'sell' : ''}\n`;
    case 'book-delta':
      return `${isoFromMicros(e.time)},${e.side === 'BUY' ? 'buy' : 'sell'},${instrument.price(e.price).toFixed(pp)},${instrument.size(e.size).toFixed(sp)},${e.sequence},${e.last ? 1 : 0}\n`;
    default:
      return '';
  }
}

/** Writes one symbol's events as CSV (`CSV_HEADERS[kind]`) to `path`. */
async function writeCsv(path: string, kind: SynthKind, instrument: Instrument, source: EventSource<MarketEvent>): Promise<{ events: number; first: number; last: number }> {
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (err) {
    throw new MarketsimError('CLI_INVALID', `--out: cannot write ${path}: ${(err as Error).message}`);
  }
  let events = 0;
  let first = NaN;
  let last = NaN;
  let chunk = CSV_HEADERS[kind] + '\n';
  try {
    await forEachEvent(source, (e) => {
      const row = csvRow(e, instrument);
      if (row === '') return;
      if (events === 0) first = e.time;
      last = e.time;
      events++;
      chunk += row;
      if (chunk.length > 1 << 16) {
        writeSync(fd, chunk);
        chunk = '';
      }
    });
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  return { events, first, last };
}

/** Opens the stream of one symbol for the parsed flags. */
function openStream(p: ParsedFlags, symbol: string, start: string | undefined, instrument?: Instrument): { instrument: Instrument; source: EventSource<MarketEvent> } {
  const base = { days: p.days, seed: p.seed, symbol, ...(start !== undefined ? { start } : {}), ...(instrument ? { instrument } : {}) };
  if (p.kind === 'bars') {
    const r = openSyntheticPreset({ ...base, preset: p.preset as PresetName });
    return { instrument: r.instrument, source: r.source as EventSource<MarketEvent> };
  }
  const r = openTickPreset({ ...base, preset: p.preset as TickPresetName, kind: p.kind, ...(p.newsRate !== undefined ? { news: { ratePerDay: p.newsRate } } : {}), ...(p.minutes !== undefined ? { sessionMinutes: p.minutes } : {}) });
  return { instrument: r.instrument, source: r.source as EventSource<MarketEvent> };
}

/**
 * The action of `marketsim synth`: generates each symbol's bars from the preset (independent seeded
 * streams, `new Rng(seed).fork(symbol)`) and writes them to CSV (`--out` ends in .csv; one file per
 * symbol, the symbol inserted before the extension when there are several) or into a catalog
 * directory. Prints a summary, or one JSON document with `--json`.
 */
export async function synthAction(flags: SynthFlags, write: (text: string) => void = (t) => process.stdout.write(t)): Promise<SynthResult> {
  const p = parseFlags(flags);
  const { preset, kind, symbols, days, seed } = p;
  const csv = flags.out.toLowerCase().endsWith('.csv');
  const result: SynthResult = { preset, kind, seed, days, format: csv ? 'csv' : 'catalog', outputs: [] };
  const iso = (t: number): string | null => (Number.isFinite(t) ? isoFromMicros(t) : null);
  if (csv) {
    for (const symbol of symbols) {
      const path = csvPathFor(flags.out, symbol, symbols.length > 1);
      const { instrument, source } = openStream(p, symbol, flags.start);
      const r = await writeCsv(path, kind, instrument, source);
      result.outputs.push({ symbol, path, events: r.events, bars: r.events, first: iso(r.first), last: iso(r.last) });
    }
  } else {
    const writer = await CatalogWriter.open(flags.out);
    try {
      for (const symbol of symbols) {
        const instrument = writer.registry.get(symbol) ?? writer.registry.add({ symbol, assetClass: 'equity', pricePrecision: 2, sizePrecision: 0 });
        const { source } = openStream(p, symbol, flags.start, instrument);
        const tap = new Tap(source);
        await writer.write(`synthetic:${preset}${kind === 'bars' ? '' : `:${kind}`}:${symbol}:seed=${seed}`, tap);
        result.outputs.push({ symbol, path: flags.out, events: tap.count, bars: tap.count, first: iso(tap.first), last: iso(tap.last) });
      }
      await writer.close();
    } catch (err) {
      writer.abort();
      throw err;
    }
  }
  if (flags.json) write(JSON.stringify(result) + '\n');
  else {
    const unit = kind === 'bars' ? 'bars' : kind === 'book' ? 'book events' : kind;
    const lines = result.outputs.map((o) => `  ${o.symbol}: ${o.events} ${unit} ${o.first ?? ''} .. ${o.last ?? ''} -> ${o.path}`);
    write([`synth ${preset} ${kind}: ${days} days, seed ${seed}, ${result.format}`, ...lines].join('\n') + '\n');
  }
  return result;
}

/**
 * Adds `marketsim synth --preset NAME --symbols A,B --days N --seed S --out FILE.csv|CATALOG [--kind bars|quotes|trades|book]
 * [--start YYYY-MM-DD] [--minutes N] [--news-rate N] [--json]`.
 */
export function registerSynthCommand(program: Command, write?: (text: string) => void): void {
  program
    .command('synth')
    .description(`synthetic bars (${PRESET_NAMES.join(', ')}), quotes and trades (microstructure, lob-flow) or L2 book deltas (lob-flow); docs/models.md`)
    .requiredOption('--preset <name>', `model preset: ${[...PRESET_NAMES, ...TICK_PRESET_NAMES].join(', ')}`)
    .requiredOption('--symbols <list>', 'comma-separated symbols (independent seeded streams)')
    .requiredOption('--days <n>', 'trading days')
    .requiredOption('--seed <s>', 'random seed')
    .requiredOption('--out <path>', 'a .csv file (one per symbol) or a catalog directory')
    .option('--start <date>', 'first calendar day, YYYY-MM-DD (default 2024-01-02)')
    .option('--kind <kind>', 'bars (default), quotes, trades or book')
    .option('--minutes <n>', 'quotes, trades, book: minutes per session from the open (default the whole session)')
    .option('--news-rate <n>', 'simulated news items per symbol per day moving prices (microstructure preset)')
    .option('--json', 'print one JSON document')
    .action(async (flags: SynthFlags) => {
      await synthAction(flags, write);
    });
}
