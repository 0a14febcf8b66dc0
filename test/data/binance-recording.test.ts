import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedFile } from '../helpers/shared-data.ts';
import { formatScaled } from '../../src/core/fixed-point.ts';
import { DataError } from '../../src/core/errors.ts';
import { BinanceRecordingReplay, type RecordingEvent, type RecordingReplayOptions } from '../../src/data/binance/recording-replay.ts';
import { checkBookTickers } from '../../src/data/binance/bookticker-check.ts';
import { symbolInfosFromExchangeInfo, instrumentSpecsFromExchangeInfo } from '../../src/data/binance/exchange-info.ts';
import { readRecordingInfo } from '../../src/data/binance/recording.ts';
import { SourceState } from '../../src/market/market-data.ts';

const DIR = 'data/binance/cryptofeed-sample_data';
const prefixOf = (name: string): string | undefined => {
  const f = sharedFile(`${DIR}/${name}.ws.1.0`);
  return f === undefined ? undefined : f.slice(0, -'.ws.1.0'.length);
};

const tmp = mkdtempSync(join(tmpdir(), 'marketsim-binance-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
let tmpCount = 0;
/** Writes `lines` (joined with newlines) to a fresh temporary file and returns its path. */
function writeTmp(name: string, lines: string[]): string {
  const p = join(tmp, `${tmpCount++}-${name}`);
  writeFileSync(p, lines.join('\n') + '\n');
  return p;
}
const readLinesOf = (p: string): string[] => readFileSync(p, 'utf8').split('\n').filter((l) => l.length > 0);

async function replay(prefix: string, options: RecordingReplayOptions = {}): Promise<{ r: BinanceRecordingReplay; events: RecordingEvent[] }> {
  const r = await BinanceRecordingReplay.open(prefix, options);
  const events = await r.collect();
  return { r, events };
}

/** Expected per-symbol counters on the three recordings: [applied, droppedStale]. */
const EXPECTED: Record<string, Record<string, [number, number]>> = {
  BINANCE: { NKNUSDT: [149, 1], BLZETH: [9, 1], LRCBTC: [13, 2], RUNEEUR: [1, 1] },
  BINANCE_FUTURES: { SUSHIUSDT: [252, 3], AKROUSDT: [188, 1], KEEPUSDT: [132, 3], CTKUSDT: [180, 5] },
  BINANCE_US: { COMPUSDT: [106, 1], OMGBUSD: [158, 1], CRVUSDT: [28, 1], ZRXUSDT: [40, 1] },
};
/** frames, depth, bookTicker, aggTrade, kline frames; book-delta events; closed bars. */
const FRAMES: Record<string, [number, number, number, number, number, number, number]> = {
  BINANCE: [265, 177, 84, 2, 2, 408, 0],
  BINANCE_FUTURES: [1535, 764, 613, 91, 67, 6252, 4],
  BINANCE_US: [480, 336, 128, 11, 5, 604, 1],
};

test('exchangeInfo: instrument specs from the filters, at the precision Binance writes', async (t) => {
  const spot = prefixOf('BINANCE');
  const fut = prefixOf('BINANCE_FUTURES');
  const us = prefixOf('BINANCE_US');
  if (!spot || !fut || !us) return t.skip('recordings missing');
  const spotDoc = (await readRecordingInfo(`${spot}.0`)).exchangeInfo;
  const futDoc = (await readRecordingInfo(`${fut}.0`)).exchangeInfo;
  const usInfo = await readRecordingInfo(`${us}.0`);
  assert.equal(instrumentSpecsFromExchangeInfo(spotDoc).length, 1695);
  assert.equal(instrumentSpecsFromExchangeInfo(futDoc).length, 122);
  assert.equal(instrumentSpecsFromExchangeInfo(usInfo.exchangeInfo).length, 121);
  assert.deepEqual(usInfo.configuration?.l2_book, ['CRV-USDT', 'COMP-USDT', 'OMG-BUSD', 'ZRX-USDT']);
  const [nkn] = symbolInfosFromExchangeInfo(spotDoc, { symbols: ['NKNUSDT'] });
  assert.deepEqual(nkn!.spec, {
    symbol: 'NKNUSDT',
    venue: 'BINANCE',
    assetClass: 'crypto',
    pricePrecision: 8,
    tickUnits: 10_000,
    sizePrecision: 8,
    lotUnits: 100_000_000,
    currency: 'USDT',
    minSizeUnits: 100_000_000,
    maxSizeUnits: 900_000_000_000_000,
  });
  assert.equal(nkn!.minNotional, '10.00000000');
  const [sushi] = symbolInfosFromExchangeInfo(futDoc, { symbols: ['SUSHIUSDT'] });
  assert.deepEqual(
    { ...sushi!.spec, minNotional: sushi!.minNotional, contractType: sushi!.contractType },
    { symbol: 'SUSHIUSDT', venue: 'BINANCE_FUTURES', assetClass: 'future', pricePrecision: 4, tickUnits: 10, sizePrecision: 0, lotUnits: 1, currency: 'USDT', minSizeUnits: 1, maxSizeUnits: 10_000_000, minNotional: '5', contractType: 'PERPETUAL' },
  );
  assert.throws(() => symbolInfosFromExchangeInfo({ symbols: [{ symbol: 'X', filters: [] }] }), /X has no PRICE_FILTER\.tickSize/);
  assert.throws(() => symbolInfosFromExchangeInfo({}), /no "symbols" array/);
});

for (const name of ['BINANCE', 'BINANCE_FUTURES', 'BINANCE_US']) {
  test(`${name}: local books chain with zero gaps; exact counters, events and frame counts`, async (t) => {
    const prefix = prefixOf(name);
    if (!prefix) return t.skip('recording missing');
    const { r, events } = await replay(prefix);
    assert.equal(r.market, name === 'BINANCE_FUTURES' ? 'futures' : 'spot');
    const got: Record<string, [number, number]> = {};
    for (const [sym, b] of r.books()) {
      if (b.counters.snapshots === 0) continue;
      got[sym] = [b.counters.applied, b.counters.droppedStale];
      assert.equal(b.counters.gaps, 0, sym);
      assert.equal(b.counters.resyncs, 0, sym);
      assert.equal(b.state, 'synced', sym);
      assert.equal(b.pending, 0, sym);
    }
    assert.deepEqual(got, EXPECTED[name]);
    const [frames, depth, tickers, trades, klines, deltas, bars] = FRAMES[name]!;
    const s = r.stats;
    assert.deepEqual([s.frames, s.depthFrames, s.bookTickers, s.trades, s.klines, s.snapshots, s.badFrames, s.other], [frames, depth, tickers, trades, klines, 4, 0, 0]);
    const count = (k: string): number => events.filter((e) => e.kind === k).length;
    assert.deepEqual([count('book-snapshot'), count('book-delta'), count('quote'), count('trade'), count('bar'), count('status')], [4, deltas, tickers, trades, bars, 0]);
    // one `last` delta per applied non-empty diff, sequence = u, and time never goes back
    const applied = Object.values(EXPECTED[name]!).reduce((a, [x]) => a + x, 0);
    assert.equal(events.filter((e) => e.kind === 'book-delta' && e.last).length, applied); // no applied diff is empty here
    assert.equal(s.timeClamped, { BINANCE: 10, BINANCE_FUTURES: 75, BINANCE_US: 99 }[name]);
    for (let i = 1; i < events.length; i++) assert.ok(events[i]!.time >= events[i - 1]!.time);
    // the book after the replay equals the snapshot with every applied delta folded in (units, integers)
    const sym = Object.keys(EXPECTED[name]!)[0]!;
    const bids = new Map<number, number>();
    for (const e of events) {
      if (e.kind === 'book-snapshot' && e.instrument.symbol === sym) e.bidPrices.forEach((p, i) => bids.set(p, e.bidSizes[i]!));
      if (e.kind === 'book-delta' && e.instrument.symbol === sym && e.side === 'BUY') {
        assert.ok(Number.isInteger(e.price) && Number.isInteger(e.size));
        if (e.size === 0) bids.delete(e.price);
        else bids.set(e.price, e.size);
      }
    }
    assert.deepEqual(r.book(sym)!.book.top(1e6).bids, [...bids].sort((a, b) => b[0] - a[0]));
  });
}

test('all 12 symbols: 1,256 diffs applied, 21 dropped as stale, 0 gaps', async (t) => {
  let applied = 0;
  let stale = 0;
  let gaps = 0;
  let symbols = 0;
  for (const name of ['BINANCE', 'BINANCE_FUTURES', 'BINANCE_US']) {
    const prefix = prefixOf(name);
    if (!prefix) return t.skip('recording missing');
    const { r } = await replay(prefix);
    for (const b of r.books().values()) {
      if (b.counters.snapshots === 0) continue;
      symbols++;
      applied += b.counters.applied;
      stale += b.counters.droppedStale;
      gaps += b.counters.gaps;
    }
  }
  assert.deepEqual({ symbols, applied, stale, gaps }, { symbols: 12, applied: 1256, stale: 21, gaps: 0 });
});

test('the book agrees with every bookTicker frame within the 100 ms batches (0 unexplained)', async (t) => {
  const want: Record<string, { tickers: number; exact: number; explained: number; unexplained: number; beforeSnapshot: number; afterLastDiff: number }> = {
    BINANCE: { tickers: 84, exact: 28, explained: 56, unexplained: 0, beforeSnapshot: 0, afterLastDiff: 0 },
    BINANCE_FUTURES: { tickers: 613, exact: 56, explained: 553, unexplained: 0, beforeSnapshot: 3, afterLastDiff: 1 },
    BINANCE_US: { tickers: 128, exact: 58, explained: 69, unexplained: 0, beforeSnapshot: 0, afterLastDiff: 1 },
  };
  for (const name of Object.keys(want)) {
    const prefix = prefixOf(name);
    if (!prefix) return t.skip('recording missing');
    const { report } = await checkBookTickers(prefix);
    assert.deepEqual(report.total, want[name], name);
    assert.deepEqual(report.mismatches, []);
  }
});

test('the bookTicker comparison catches a wrong book (a snapshot size changed by one lot)', async (t) => {
  const prefix = prefixOf('BINANCE');
  if (!prefix) return t.skip('recording missing');
  const http = readLinesOf(`${prefix}.http.0.0`);
  assert.ok(http[0]!.includes('"bids":[["0.35210000","672.00000000"]'));
  const bad = writeTmp('BINANCE.http.0.0', [http[0]!.replace('"bids":[["0.35210000","672.00000000"]', '"bids":[["0.35210000","673.00000000"]'), ...http.slice(1)]);
  const { report } = await checkBookTickers(prefix, { files: { http: bad } });
  assert.ok(report.total.unexplained > 0);
  assert.equal(report.mismatches[0]!.symbol, 'NKNUSDT');
  assert.equal(report.mismatches[0]!.book[1] - report.mismatches[0]!.ticker[1], 100_000_000); // 673 vs 672, in units of 1e-8
});

test('a cut depth frame: gap detected at the next frame, resync raised, no diffs applied until a snapshot rebuilds the book', async (t) => {
  const prefix = prefixOf('BINANCE');
  if (!prefix) return t.skip('recording missing');
  const ws = readFileSync(`${prefix}.ws.1.0`, 'utf8').split('\n');
  const nknDepth = ws.flatMap((l, i) => (l.includes('"stream":"nknusdt@depth@100ms"') ? [i] : []));
  const cutIdx = nknDepth[20]!; // 0-based index into the file = line cutIdx+1
  const nextIdx = nknDepth[21]!;
  const cutWs = writeTmp('BINANCE.ws.1.0', ws.filter((_, i) => i !== cutIdx));
  const gapLine = nextIdx; // one line earlier in the cut file: (nextIdx + 1) - 1

  // the clean run: applied diffs before the cut, the book at a later diff, and the final book
  const kIdx = nknDepth[31]!; // the 10th NKNUSDT frame after the gap frame (nknDepth[21])
  let bookAtK: { bids: [number, number][]; asks: [number, number][] } | undefined;
  let uAtK = 0;
  let appliedBeforeCut = 0;
  const clean = await BinanceRecordingReplay.open(prefix, {
    observer: {
      applied: (sym, d) => {
        if (sym !== 'NKNUSDT') return;
        if (d.frame < cutIdx + 1) appliedBeforeCut++;
        if (d.frame === kIdx + 1) {
          bookAtK = clean.book('NKNUSDT')!.book.top(1e6);
          uAtK = d.lastId;
        }
      },
    },
  });
  await clean.collect();
  const cleanCounters = clean.book('NKNUSDT')!.counters;
  assert.ok(bookAtK);

  // 1. no later snapshot: flagged out of sync, nothing applied after the gap
  const { r, events } = await replay(prefix, { files: { ws: cutWs } });
  const nkn = r.book('NKNUSDT')!;
  assert.deepEqual(r.stats.resyncLog, [{ symbol: 'NKNUSDT', file: cutWs, frame: gapLine, expected: `U = ${JSON.parse(ws[cutIdx]!.slice(ws[cutIdx]!.indexOf(': ') + 2)).data.U}`, got: r.stats.resyncLog[0]!.got }]);
  assert.equal(nkn.counters.gaps, 1);
  assert.equal(nkn.counters.resyncs, 0);
  assert.equal(nkn.state, 'out-of-sync');
  assert.equal(nkn.inSync, false);
  assert.equal(nkn.counters.applied, appliedBeforeCut);
  assert.equal(nkn.pending, nknDepth.length - 21); // the gap frame and everything after it wait
  const halt = events.findIndex((e) => e.kind === 'status');
  const status = events[halt]!;
  assert.ok(status.kind === 'status' && status.status === 'BOOK_RESYNC' && status.instrument.symbol === 'NKNUSDT');
  assert.match(status.reason, new RegExp(`^gap at .*BINANCE\\.ws\\.1\\.0:${gapLine} `));
  assert.equal(events.slice(halt).filter((e) => e.kind === 'book-delta' && e.instrument.symbol === 'NKNUSDT').length, 0);
  for (const sym of ['BLZETH', 'LRCBTC', 'RUNEEUR']) assert.deepEqual(r.book(sym)!.counters, clean.book(sym)!.counters);

  // 2. a later snapshot (synthesized from the clean book after nknDepth[31]) rebuilds it
  const inst = r.registry.get('NKNUSDT')!;
  const lv = (levels: [number, number][]): string => JSON.stringify(levels.map(([p, s]) => [formatScaled(p, inst.pricePrecision), formatScaled(s, inst.sizePrecision)]));
  const kLine = ws[kIdx]!;
  const kRecv = kLine.slice(0, kLine.indexOf(': '));
  const [sec, frac = ''] = kRecv.split('.');
  const recvUs = Number(sec) * 1e6 + Number(frac.padEnd(6, '0').slice(0, 6)) + 1;
  const recv = `${Math.floor(recvUs / 1e6)}.${String(recvUs % 1e6).padStart(6, '0')}`;
  const snapLine = `https://api.binance.com/api/v3/depth?symbol=NKNUSDT&limit=1000 -> ${recv}: {"lastUpdateId":${uAtK},"bids":${lv(bookAtK!.bids)},"asks":${lv(bookAtK!.asks)}}`;
  const http = writeTmp('BINANCE.http.0.0', [...readLinesOf(`${prefix}.http.0.0`), snapLine]);
  const fixed = await replay(prefix, { files: { ws: cutWs, http } });
  const b = fixed.r.book('NKNUSDT')!;
  assert.equal(b.state, 'synced');
  assert.deepEqual([b.counters.gaps, b.counters.resyncs, b.counters.snapshots], [1, 1, 2]);
  // the 11 frames from the gap frame (21st) to the snapshot's id (31st) are stale now; the cut frame is gone
  assert.equal(b.counters.applied, cleanCounters.applied - 1 - 11);
  assert.equal(b.counters.droppedStale, cleanCounters.droppedStale + 11);
  assert.deepEqual(b.book.top(1e6), clean.book('NKNUSDT')!.book.top(1e6));
  const resume = fixed.events.find((e) => e.kind === 'status' && e.status === 'BOOK_SYNCED');
  assert.ok(resume && resume.kind === 'status' && resume.reason.includes(`lastUpdateId ${uAtK}`));
  const snapAt = fixed.events.findIndex((e) => e.kind === 'book-snapshot' && e.sequence === uAtK);
  assert.equal(fixed.events[snapAt + 1], resume); // snapshot, then BOOK_SYNCED, then deltas
});

test('bad frames: not JSON, an unknown symbol, a non-numeric price (error with file:frame, or counted skip)', async (t) => {
  const prefix = prefixOf('BINANCE');
  if (!prefix) return t.skip('recording missing');
  const ws = readFileSync(`${prefix}.ws.1.0`, 'utf8').split('\n');
  const tickerIdx = ws.findIndex((l) => l.includes('@bookTicker","data"'));
  const depthIdx = ws.findIndex((l, i) => i > 100 && l.includes('"stream":"nknusdt@depth@100ms"') && l.includes('"b":[["'));

  // a frame that does not parse
  const broken = writeTmp('BINANCE.ws.1.0', ws.map((l, i) => (i === tickerIdx ? l.slice(0, l.length - 20) : l)));
  await assert.rejects(replay(prefix, { files: { ws: broken } }), (err: unknown) => {
    assert.ok(err instanceof DataError);
    assert.equal(err.line, tickerIdx + 1);
    assert.match(err.message, new RegExp(`BINANCE\\.ws\\.1\\.0:${tickerIdx + 1}: frame does not parse as JSON`));
    return true;
  });
  const skipped = await replay(prefix, { files: { ws: broken }, onBadFrame: 'skip' });
  assert.equal(skipped.r.stats.badFrames, 1);
  assert.equal(skipped.r.stats.errors[0]!.line, tickerIdx + 1);
  assert.equal(skipped.events.filter((e) => e.kind === 'quote').length, 83);
  assert.equal(skipped.r.book('NKNUSDT')!.counters.applied, 149);

  // an unknown symbol
  const fooLine = `${ws[tickerIdx]!.slice(0, ws[tickerIdx]!.indexOf(': '))}: {"stream":"foobar@bookTicker","data":{"u":1,"s":"FOOBAR","b":"1.0","B":"1","a":"2.0","A":"1"}}`;
  const unknown = writeTmp('BINANCE.ws.1.0', [...ws.slice(0, tickerIdx + 1), fooLine, ...ws.slice(tickerIdx + 1)]);
  await assert.rejects(replay(prefix, { files: { ws: unknown } }), new RegExp(`:${tickerIdx + 2} field data\\.s: unknown symbol 'FOOBAR'`));
  const u2 = await replay(prefix, { files: { ws: unknown }, onUnknownSymbol: 'skip' });
  assert.deepEqual([u2.r.stats.unknownSymbols, u2.r.stats.badFrames, u2.r.stats.bookTickers], [1, 0, 84]);

  // a non-numeric price in a depth frame: error naming the level; skipping the frame breaks the chain -> resync
  const badPrice = writeTmp('BINANCE.ws.1.0', ws.map((l, i) => (i === depthIdx ? l.replace(/"b":\[\["[0-9.]+"/, '"b":[["0.35x"') : l)));
  await assert.rejects(replay(prefix, { files: { ws: badPrice } }), new RegExp(`:${depthIdx + 1} field data\\.b\\[0\\]\\[0\\]: NKNUSDT price '0\\.35x' is not a number`));
  const p2 = await replay(prefix, { files: { ws: badPrice }, onBadFrame: 'skip' });
  assert.equal(p2.r.stats.badFrames, 1);
  assert.equal(p2.r.stats.resyncLog.length, 1);
  assert.ok(p2.r.stats.resyncLog[0]!.frame > depthIdx + 1);
  assert.equal(p2.r.book('NKNUSDT')!.state, 'out-of-sync');
});

test('the replay is an EventSource that streams in batches', async (t) => {
  const prefix = prefixOf('BINANCE_US');
  if (!prefix) return t.skip('recording missing');
  const r = await BinanceRecordingReplay.open(prefix, { batchSize: 50 });
  const src = r.source();
  let n = 0;
  let waits = 0;
  let first: RecordingEvent | undefined;
  for (;;) {
    const s = src.advance();
    if (s === SourceState.Ready) {
      first ??= src.current;
      n++;
    } else if (s === SourceState.Wait) {
      waits++;
      await src.refill();
    } else break;
  }
  assert.equal(n, 4 + 604 + 128 + 11 + 1);
  assert.ok(waits > 5);
  // the first COMPUSDT diff (E 1633998274793, received before its snapshot) is buffered; the stream opens with the snapshot at its receive time
  assert.ok(first && first.kind === 'book-snapshot' && first.instrument.symbol === 'COMPUSDT' && first.sequence === 113129219 && first.time === 1633998274865238);
});
