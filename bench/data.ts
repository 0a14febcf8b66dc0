/**
 * Data benchmarks: streaming CSV bar parsing (exact decimals, all checks) against a naive
 * `split('\n')` + `Number()` parse of the same file and against the reference text path
 * (`fastPath: false`), the whole load of backtrader's minute file, and the zero-allocation
 * `GbmQuoteSource` against the allocating `gbmQuotes` batches pulled through a `BatchSource`.
 * Baselines run in the same process on the same input, in alternating rounds.
 */
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/core/rng.ts';
import { Instrument } from '../src/market/instrument.ts';
import { SourceState, type BarEvent } from '../src/market/market-data.ts';
import { BatchSource, forEachEvent } from '../src/data/batch-source.ts';
import { loadBarsCsv, readBarBatches } from '../src/data/bar-csv.ts';
import { GbmQuoteSource, gbmQuotes, type GbmQuoteOptions } from '../src/data/gbm.ts';
import { opsPerSecond, type BenchFigure } from './figure.ts';

const ROWS = 400_000;

/** Writes a Yahoo-layout file of `rows` daily bars with six-decimal prices. */
function writeYahooFile(path: string, rows: number): void {
  const fd = openSync(path, 'w');
  writeSync(fd, 'Date,Open,High,Low,Close,Adj Close,Volume\n');
  const rng = new Rng(1, 'bench-csv');
  let px = 50;
  let buf: string[] = [];
  const day0 = Date.UTC(1900, 0, 1);
  for (let i = 0; i < rows; i++) {
    const d = new Date(day0 + i * 86_400_000).toISOString().slice(0, 10);
    px = Math.max(1, px * Math.exp(0.01 * rng.normal()));
    const o = px;
    const c = px * (1 + 0.005 * rng.normal());
    const h = Math.max(o, c) * 1.004;
    const l = Math.min(o, c) * 0.996;
    buf.push(`${d},${o.toFixed(6)},${h.toFixed(6)},${l.toFixed(6)},${c.toFixed(6)},${(c * 0.9).toFixed(6)},${1_000_000 + rng.int(9_000_000)}`);
    if (buf.length === 10_000) {
      writeSync(fd, buf.join('\n') + '\n');
      buf = [];
    }
  }
  if (buf.length > 0) writeSync(fd, buf.join('\n') + '\n');
  closeSync(fd);
}

/** The naive baseline: whole file in memory, split on newlines and commas, `Number()` per field. */
function naiveParse(path: string, inst: Instrument): number {
  const lines = readFileSync(path, 'utf8').split('\n');
  const out: BarEvent[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length === 0) continue;
    const f = line.split(',');
    out.push({ kind: 'bar', time: Date.parse(f[0]!) * 1000, instrument: inst, open: Number(f[1]), high: Number(f[2]), low: Number(f[3]), close: Number(f[4]), volume: Number(f[6]) });
  }
  return out.length;
}

/** Rows per second, best of `runs`. */
async function bestRate(runs: number, once: () => Promise<number>): Promise<number> {
  let best = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const n = await once();
    const rate = (n * 1000) / (performance.now() - t0);
    if (rate > best) best = rate;
  }
  return best;
}

async function csvFigures(): Promise<BenchFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'marketsim-bench-data-'));
  try {
    const path = join(dir, 'bars.csv');
    writeYahooFile(path, ROWS);
    const inst = new Instrument(0, { symbol: 'BENCH', pricePrecision: 6 });
    const parseWith =
      (fastPath: boolean) =>
      async (): Promise<number> => {
        let n = 0;
        for await (const batch of readBarBatches(path, { instrument: inst, fastPath })) n += batch.length;
        if (n !== ROWS) throw new Error(`parsed ${n} rows, expected ${ROWS}`);
        return n;
      };
    const parse = parseWith(true);
    const reference = parseWith(false);
    const load = async (): Promise<number> => drainLoad(path, true);
    const naive = async (): Promise<number> => naiveParse(path, inst);
    await parse(); // warm-up
    await reference();
    await naive();
    // best of 8 alternating rounds: on a shared machine other processes only slow a round down, and
    // alternating lets the load weigh on the parser and its baselines alike
    let parsed = 0;
    let naiveRate = 0;
    let referenceRate = 0;
    for (let r = 0; r < 8; r++) {
      parsed = Math.max(parsed, await bestRate(1, parse));
      naiveRate = Math.max(naiveRate, await bestRate(1, naive));
      referenceRate = Math.max(referenceRate, await bestRate(1, reference));
    }
    const loaded = await bestRate(4, load);
    return [
      {
        name: 'CSV bars parsed (Yahoo layout, streaming, exact decimals, all checks)',
        value: parsed,
        unit: 'rows/s',
        target: '>= 1,000,000 rows/s',
        pass: parsed >= 1_000_000,
        baselineName: "whole file, split('\\n') + split(',') + Number() per field, no checks",
        baselineValue: naiveRate,
      },
      {
        name: 'CSV bars parsed by the byte fast path (same file and checks as above)',
        value: parsed,
        unit: 'rows/s',
        target: '>= 2x the reference text path',
        pass: parsed >= 2 * referenceRate,
        baselineName: 'the reference text path (fastPath: false: text chunks, CsvCursor, row decoder)',
        baselineValue: referenceRate,
      },
      {
        name: 'CSV bars loaded through loadBarsCsv (precision scan + parse + EventSource pulls)',
        value: loaded,
        unit: 'rows/s',
        target: '>= 500,000 rows/s (two passes)',
        pass: loaded >= 500_000,
        baselineName: "whole file, split('\\n') + split(',') + Number() per field, no checks",
        baselineValue: naiveRate,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Rows of a `loadBarsCsv` load, pulled through its source. */
async function drainLoad(path: string, fastPath: boolean): Promise<number> {
  const { source } = await loadBarsCsv(path, { fastPath });
  let n = 0;
  await forEachEvent(source, () => n++);
  return n;
}

/**
 * The whole load of backtrader's 1.8 MB minute file (the engine benchmark's input): one read, the
 * precision scan parsing the rows straight into columns (bar-direct-scan.ts); against the reference path, best of 30 alternating
 * rounds.
 */
async function minuteFileFigures(): Promise<BenchFigure[]> {
  const file = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/data/backtrader/datas/2006-01-02-volume-min-001.txt');
  if (!existsSync(file)) return [];
  let fast = 0;
  let ref = 0;
  for (let r = 0; r < 30; r++) {
    fast = Math.max(fast, await bestRate(1, () => drainLoad(file, true)));
    ref = Math.max(ref, await bestRate(1, () => drainLoad(file, false)));
  }
  return [
    {
      name: 'loadBarsCsv + drain of the 30,889-bar minute file (one read; the scan parses the rows into columns)',
      value: fast,
      unit: 'rows/s',
      // not a target of the issue: a guard that the fused load stays well ahead of the reference path
      target: '>= 2x the reference text path',
      pass: fast >= 2 * ref,
      baselineName: 'the reference text path (fastPath: false: two reads, scan, then parse)',
      baselineValue: ref,
    },
  ];
}

async function gbmFigures(): Promise<BenchFigure[]> {
  const inst = new Instrument(1, { symbol: 'GBM', pricePrecision: 2 });
  const opts = (count: number): GbmQuoteOptions => ({ instrument: inst, start: 0, intervalUs: 1000, count, s0: 100, mu: 0, sigma: 0.2, spreadTicks: 1, rng: new Rng(5, 'bench-gbm') });
  const src = new GbmQuoteSource(opts(Infinity));
  const drive = (n: number): number => {
    let acc = 0;
    for (let i = 0; i < n; i++) {
      src.advance();
      acc += src.current.bidPrice;
    }
    return acc;
  };
  let sink = 0;
  let fast = 0;
  for (let r = 0; r < 3; r++) {
    fast = Math.max(
      fast,
      opsPerSecond(() => {
        sink += drive(100_000);
        return 100_000;
      }, 300),
    );
  }
  const N = 1_000_000;
  const baseline = await bestRate(3, async () => {
    const s = new BatchSource(`gbm`, gbmQuotes(opts(N)));
    let n = 0;
    for (;;) {
      const st = s.advance();
      if (st === SourceState.Ready) {
        sink += s.current.bidPrice;
        n++;
      } else if (st === SourceState.Wait) await s.refill();
      else break;
    }
    return n;
  });
  if (Number.isNaN(sink)) throw new Error('unreachable');
  return [
    {
      name: 'GbmQuoteSource.advance() (one GBM step, one reused event)',
      value: fast,
      unit: 'events/s',
      target: '>= 10,000,000 events/s',
      pass: fast >= 10_000_000,
      baselineName: 'gbmQuotes batches (a new event each) pulled through BatchSource',
      baselineValue: baseline,
    },
  ];
}

/** The data module's figures. */
export async function run(): Promise<BenchFigure[]> {
  return [...(await csvFigures()), ...(await minuteFileFigures()), ...(await gbmFigures())];
}
