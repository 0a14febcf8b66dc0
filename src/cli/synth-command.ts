import { closeSync, openSync, writeSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { Command } from 'commander';
import { MarketsimError } from '../core/errors.ts';
import { isoFromMicros } from '../core/time.ts';
import { SourceState, type BarEvent, type EventSource } from '../market/market-data.ts';
import type { Instrument } from '../market/instrument.ts';
import { CatalogWriter } from '../data/catalog/index.ts';
import { openSyntheticPreset, PRESET_NAMES, type PresetName } from '../data/synthetic/presets.ts';

/** Flags of `marketsim synth`. */
export interface SynthFlags {
  preset: string;
  symbols: string;
  days: string;
  seed: string;
  out: string;
  start?: string;
  json?: boolean;
}

/** What `synth` wrote, per symbol (the `--json` document). */
export interface SynthResult {
  preset: PresetName;
  seed: number;
  days: number;
  /** 'csv' or 'catalog'. */
  format: 'csv' | 'catalog';
  outputs: { symbol: string; path: string; bars: number; first: string | null; last: string | null }[];
}

/** The CSV path of `symbol`: `out` itself for one symbol, else the symbol inserted before the extension. */
export function csvPathFor(out: string, symbol: string, several: boolean): string {
  if (!several) return out;
  const ext = extname(out);
  return join(dirname(out), `${basename(out, ext)}.${symbol}${ext}`);
}

function parseFlags(flags: SynthFlags): { preset: PresetName; symbols: string[]; days: number; seed: number } {
  if (!PRESET_NAMES.includes(flags.preset as PresetName)) throw new MarketsimError('CLI_INVALID', `--preset: unknown preset '${flags.preset}' (known: ${PRESET_NAMES.join(', ')})`);
  const symbols = String(flags.symbols ?? '').split(',').map((s) => s.trim());
  if (symbols.length === 0 || symbols.some((s) => s === '' || /[\s/\\,]/.test(s))) throw new MarketsimError('CLI_INVALID', `--symbols: expected comma-separated symbols such as A,B, got '${flags.symbols}'`);
  if (new Set(symbols).size !== symbols.length) throw new MarketsimError('CLI_INVALID', `--symbols: duplicate symbol in '${flags.symbols}'`);
  const days = Number(flags.days);
  if (!(Number.isSafeInteger(days) && days >= 1)) throw new MarketsimError('CLI_INVALID', `--days: expected an integer >= 1, got '${flags.days}'`);
  const seed = Number(flags.seed);
  if (!(flags.seed !== '' && Number.isFinite(seed))) throw new MarketsimError('CLI_INVALID', `--seed: expected a number, got '${flags.seed}'`);
  if (!flags.out) throw new MarketsimError('CLI_INVALID', '--out: a .csv file or a catalog directory is required');
  return { preset: flags.preset as PresetName, symbols, days, seed };
}

/** Pulls every bar of a (never waiting) synthetic source, calling `each` per bar. */
async function drain(source: EventSource<BarEvent>, each: (b: BarEvent) => void): Promise<void> {
  for (;;) {
    const s = source.advance();
    if (s === SourceState.Wait) {
      await source.refill();
      continue;
    }
    if (s === SourceState.End) return;
    each(source.current);
  }
}

/** Passes a source through, counting its events and noting the first and last times. */
class Tap implements EventSource<BarEvent> {
  count = 0;
  first = NaN;
  last = NaN;
  constructor(private readonly inner: EventSource<BarEvent>) {}
  get name(): string {
    return this.inner.name;
  }
  get current(): BarEvent {
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

/** Writes one symbol's bars as `Datetime,Open,High,Low,Close,Volume` (ISO UTC) to `path`. */
async function writeCsv(path: string, instrument: Instrument, source: EventSource<BarEvent>): Promise<{ bars: number; first: number; last: number }> {
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (err) {
    throw new MarketsimError('CLI_INVALID', `--out: cannot write ${path}: ${(err as Error).message}`);
  }
  const pp = instrument.pricePrecision;
  const sp = instrument.sizePrecision;
  let bars = 0;
  let first = NaN;
  let last = NaN;
  let chunk = 'Datetime,Open,High,Low,Close,Volume\n';
  try {
    await drain(source, (b) => {
      if (bars === 0) first = b.time;
      last = b.time;
      bars++;
      chunk += `${isoFromMicros(b.time)},${b.open.toFixed(pp)},${b.high.toFixed(pp)},${b.low.toFixed(pp)},${b.close.toFixed(pp)},${b.volume.toFixed(sp)}\n`;
      if (chunk.length > 1 << 16) {
        writeSync(fd, chunk);
        chunk = '';
      }
    });
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  return { bars, first, last };
}

/**
 * The action of `marketsim synth`: generates each symbol's bars from the preset (independent seeded
 * streams, `new Rng(seed).fork(symbol)`) and writes them to CSV (`--out` ends in .csv; one file per
 * symbol, the symbol inserted before the extension when there are several) or into a catalog
 * directory. Prints a summary, or one JSON document with `--json`.
 */
export async function synthAction(flags: SynthFlags, write: (text: string) => void = (t) => process.stdout.write(t)): Promise<SynthResult> {
  const { preset, symbols, days, seed } = parseFlags(flags);
  const csv = flags.out.toLowerCase().endsWith('.csv');
  const result: SynthResult = { preset, seed, days, format: csv ? 'csv' : 'catalog', outputs: [] };
  const iso = (t: number): string | null => (Number.isFinite(t) ? isoFromMicros(t) : null);
  const base = { preset, days, seed, ...(flags.start !== undefined ? { start: flags.start } : {}) };
  if (csv) {
    for (const symbol of symbols) {
      const path = csvPathFor(flags.out, symbol, symbols.length > 1);
      const { instrument, source } = openSyntheticPreset({ ...base, symbol });
      const r = await writeCsv(path, instrument, source);
      result.outputs.push({ symbol, path, bars: r.bars, first: iso(r.first), last: iso(r.last) });
    }
  } else {
    const writer = await CatalogWriter.open(flags.out);
    try {
      for (const symbol of symbols) {
        const instrument = writer.registry.add({ symbol, assetClass: 'equity', pricePrecision: 2, sizePrecision: 0 });
        const { source } = openSyntheticPreset({ ...base, symbol, instrument });
        const tap = new Tap(source);
        await writer.write(`synthetic:${preset}:${symbol}:seed=${seed}`, tap);
        result.outputs.push({ symbol, path: flags.out, bars: tap.count, first: iso(tap.first), last: iso(tap.last) });
      }
      await writer.close();
    } catch (err) {
      writer.abort();
      throw err;
    }
  }
  if (flags.json) write(JSON.stringify(result) + '\n');
  else {
    const lines = result.outputs.map((o) => `  ${o.symbol}: ${o.bars} bars ${o.first ?? ''} .. ${o.last ?? ''} -> ${o.path}`);
    write([`synth ${preset}: ${days} days, seed ${seed}, ${result.format}`, ...lines].join('\n') + '\n');
  }
  return result;
}

/** Adds `marketsim synth --preset NAME --symbols A,B --days N --seed S --out FILE.csv|CATALOG [--start YYYY-MM-DD] [--json]`. */
export function registerSynthCommand(program: Command, write?: (text: string) => void): void {
  program
    .command('synth')
    .description(`synthetic 1-minute bars from a preset (${PRESET_NAMES.join(', ')}); docs/models.md`)
    .requiredOption('--preset <name>', `model preset: ${PRESET_NAMES.join(', ')}`)
    .requiredOption('--symbols <list>', 'comma-separated symbols (independent seeded streams)')
    .requiredOption('--days <n>', 'trading days')
    .requiredOption('--seed <s>', 'random seed')
    .requiredOption('--out <path>', 'a .csv file (one per symbol) or a catalog directory')
    .option('--start <date>', 'first calendar day, YYYY-MM-DD (default 2024-01-02)')
    .option('--json', 'print one JSON document')
    .action(async (flags: SynthFlags) => {
      await synthAction(flags, write);
    });
}
