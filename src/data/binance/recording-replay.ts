import { DataError } from '../../core/errors.ts';
import { InstrumentRegistry, type Instrument } from '../../market/instrument.ts';
import type {
  BarEvent,
  BookDeltaEvent,
  BookSnapshotEvent,
  EventSource,
  QuoteEvent,
  StatusEvent,
  TradeEvent,
} from '../../market/market-data.ts';
import { BatchSource } from '../batch-source.ts';
import { symbolInfosFromExchangeInfo, type BinanceSymbolInfo } from './exchange-info.ts';
import { decodeDepthSnapshot, parseFrameText, type BinanceFrame, type DepthFrame } from './frames.ts';
import { LocalOrderBook, type BookMarket, type GapInfo, type UnitDiff } from './local-book.ts';
import { parseHttpLine, parseWsHeader, parseWsLine, readLines, readRecordingInfo, recordingFiles, symbolOfUrl, type HttpRecord, type RecordingInfo, type WsRecord } from './recording.ts';
import { levelUnits, priceUnits, sizeUnits } from './units.ts';

/**
 * Replay of a cryptofeed Binance recording (`X.0`, `X.http.0.0`, `X.ws.1.0`) as normalized events,
 * with an exact local order book per symbol (`LocalOrderBook`, Binance's sync rules).
 *
 * Order: REST snapshots and websocket frames are merged by their recorded receive time (a snapshot
 * goes first on a tie), which is the order the recording client saw them in. Diffs received before
 * their symbol's snapshot are buffered and replayed through the rules when it arrives.
 *
 * Events:
 * - snapshot line -> `BookSnapshotEvent` (units, best first, `sequence` = lastUpdateId);
 * - applied depth diff -> one `BookDeltaEvent` per level, bids then asks in frame order,
 *   `sequence` = `u`, `last` = true on the frame's last level (a diff without levels emits nothing);
 *   stale diffs emit nothing;
 * - a gap -> `StatusEvent` { status 'BOOK_RESYNC', reason 'gap at FILE:FRAME ...' }; the rebuild
 *   from the next snapshot -> the `BookSnapshotEvent` then `StatusEvent` { status 'BOOK_SYNCED', reason
 *   'rebuilt ...' }; every gap is also in `stats.resyncLog`;
 * - bookTicker -> `QuoteEvent`; aggTrade/trade -> `TradeEvent` (aggressor SELL when the buyer is the maker);
 * - kline -> `BarEvent` for closed bars only (default; `klines: 'all'` also emits the partial updates).
 *
 * Time: the exchange event time `E` (ms -> us) when the payload has one, else the recorded receive
 * time (spot REST snapshots and spot bookTicker frames carry no `E`). A closed kline is stamped at
 * `E` (when it became known), not its open time. The two clocks differ by a few ms, and buffered
 * diffs are released after their snapshot, so a time earlier than the previous event's is raised to
 * it (counted in `stats.timeClamped`): the stream never goes back in time.
 *
 * Bad input: a frame that is not JSON, has a field of the wrong type, a non-numeric or off-grid price,
 * or names a symbol absent from exchangeInfo is a `DataError` naming the file, the frame (line)
 * number and the field; with `onBadFrame: 'skip'` (or `onUnknownSymbol: 'skip'`) the frame is
 * dropped whole, counted and kept in `stats.errors` (first 100). A dropped depth frame breaks the
 * chain, so the next one raises a resync.
 */

/** Events of a recording replay. */
export type RecordingEvent = BookSnapshotEvent | BookDeltaEvent | QuoteEvent | TradeEvent | BarEvent | StatusEvent;

/** A gap and the resync it raised. */
export interface ResyncRecord extends GapInfo {
  symbol: string;
  file: string;
}

/** Counts of a replay, filled in while reading. */
export interface RecordingStats {
  /** Websocket frames read (header excluded). */
  frames: number;
  snapshots: number;
  depthFrames: number;
  bookTickers: number;
  trades: number;
  klines: number;
  /** Closed klines emitted as bars (all klines with `klines: 'all'`). */
  bars: number;
  /** Frames of other streams (subscription replies...), skipped. */
  other: number;
  /** Frames dropped under `onBadFrame: 'skip'`. */
  badFrames: number;
  /** Frames dropped under `onUnknownSymbol: 'skip'`. */
  unknownSymbols: number;
  /** Events whose time was raised to the previous event's. */
  timeClamped: number;
  /** The first 100 errors of dropped frames. */
  errors: DataError[];
  /** Every gap found, in order. */
  resyncLog: ResyncRecord[];
}

/** Hooks for checks that need the book at each step (see `bookticker-check.ts`). */
export interface RecordingObserver {
  /** A snapshot is about to replace `symbol`'s book (levels in units, best first). */
  snapshot?(symbol: string, lastUpdateId: number, bidPrices: readonly number[], bidSizes: readonly number[], askPrices: readonly number[], askSizes: readonly number[]): void;
  /** A diff was applied to `symbol`'s book. */
  applied?(symbol: string, diff: UnitDiff): void;
  /** A bookTicker frame (units). */
  ticker?(symbol: string, updateId: number, bidPrice: number, bidSize: number, askPrice: number, askSize: number, frame: number): void;
}

/** Options of `BinanceRecordingReplay`. */
export interface RecordingReplayOptions {
  /** File paths overriding the defaults derived from the prefix (tests use this to replay edited copies). */
  files?: Partial<{ info: string; http: string; ws: string }>;
  /** Registry for the instruments (default a new one). Symbols already in it keep their spec. */
  registry?: InstrumentRegistry;
  /** Rule set (default: futures when the URLs are `fapi`/`fstream`, else spot). */
  market?: BookMarket;
  /** Venue of the instruments (default `BINANCE`, `BINANCE_FUTURES` or `BINANCE_US` by URL). */
  venue?: string;
  /** Bad frames: `throw` (default) or `skip` (counted). */
  onBadFrame?: 'throw' | 'skip';
  /** Frames of symbols absent from exchangeInfo: `throw` (default) or `skip` (counted). */
  onUnknownSymbol?: 'throw' | 'skip';
  /** Which klines become bars: `closed` (default) or `all`. */
  klines?: 'closed' | 'all';
  /** Most diffs buffered per symbol while waiting for a snapshot (default 100,000). */
  maxBuffer?: number;
  /** Records processed per yielded batch (default 1024). */
  batchSize?: number;
  observer?: RecordingObserver;
}

const MAX_ERRORS = 100;

class SymbolState {
  constructor(
    readonly inst: Instrument,
    readonly book: LocalOrderBook,
  ) {}
}

/** A recording session replayed into normalized events (see the module comment). */
export class BinanceRecordingReplay {
  readonly registry: InstrumentRegistry;
  readonly market: BookMarket;
  readonly venue: string;
  readonly stats: RecordingStats = {
    frames: 0,
    snapshots: 0,
    depthFrames: 0,
    bookTickers: 0,
    trades: 0,
    klines: 0,
    bars: 0,
    other: 0,
    badFrames: 0,
    unknownSymbols: 0,
    timeClamped: 0,
    errors: [],
    resyncLog: [],
  };
  /** Symbol infos from exchangeInfo. */
  readonly symbols: ReadonlyMap<string, BinanceSymbolInfo>;
  private readonly files: { info: string; http: string; ws: string };
  private readonly options: RecordingReplayOptions;
  private readonly states = new Map<string, SymbolState>();
  private out: RecordingEvent[] = [];
  private lastTime = -Infinity;
  private started = false;

  private constructor(files: { info: string; http: string; ws: string }, info: RecordingInfo, wsUrl: string, options: RecordingReplayOptions) {
    this.files = files;
    this.options = options;
    this.registry = options.registry ?? new InstrumentRegistry();
    const futures = /fapi|fstream/.test(info.url) || /fapi|fstream/.test(wsUrl);
    this.market = options.market ?? (futures ? 'futures' : 'spot');
    this.venue = options.venue ?? (futures ? 'BINANCE_FUTURES' : /binance\.us/.test(info.url) ? 'BINANCE_US' : 'BINANCE');
    const infos = symbolInfosFromExchangeInfo(info.exchangeInfo, { venue: this.venue });
    this.symbols = new Map(infos.map((s) => [s.spec.symbol, s]));
  }

  /** Opens the session `prefix` (e.g. `.../cryptofeed-sample_data/BINANCE`): reads exchangeInfo and the ws header. */
  static async open(prefix: string, options: RecordingReplayOptions = {}): Promise<BinanceRecordingReplay> {
    const files = { ...recordingFiles(prefix), ...options.files };
    const info = await readRecordingInfo(files.info);
    let wsUrl = '';
    for await (const l of readLines(files.ws)) {
      if (l.line === 1) wsUrl = parseWsHeader(l.text, files.ws).url;
      break;
    }
    return new BinanceRecordingReplay(files, info, wsUrl, options);
  }

  /** The local book of `symbol` (after or during a replay), or undefined when the symbol never appeared. */
  book(symbol: string): LocalOrderBook | undefined {
    return this.states.get(symbol)?.book;
  }

  /** Every symbol's local book, in order of first appearance. */
  books(): ReadonlyMap<string, LocalOrderBook> {
    const m = new Map<string, LocalOrderBook>();
    for (const [k, v] of this.states) m.set(k, v.book);
    return m;
  }

  /** Streams the events in batches (one replay per object). */
  async *batches(): AsyncGenerator<RecordingEvent[]> {
    if (this.started) throw new Error('BinanceRecordingReplay: a replay object can be read once');
    this.started = true;
    const batchSize = this.options.batchSize ?? 1024;
    const http = readLines(this.files.http)[Symbol.asyncIterator]();
    const ws = readLines(this.files.ws)[Symbol.asyncIterator]();
    const nextHttp = async (): Promise<HttpRecord | undefined> => {
      for (;;) {
        const r = await http.next();
        if (r.done) return undefined;
        const rec = this.guard(() => parseHttpLine(r.value.text, this.files.http, r.value.line));
        if (rec) return rec;
      }
    };
    const nextWs = async (): Promise<WsRecord | undefined> => {
      for (;;) {
        const r = await ws.next();
        if (r.done) return undefined;
        if (r.value.line === 1) continue; // the header
        this.stats.frames++;
        const rec = this.guard(() => parseWsLine(r.value.text, this.files.ws, r.value.line));
        if (rec) return rec;
      }
    };
    let h = await nextHttp();
    let w = await nextWs();
    let n = 0;
    while (h !== undefined || w !== undefined) {
      if (h !== undefined && (w === undefined || h.recvTime <= w.recvTime)) {
        const rec = h;
        this.guard(() => this.onSnapshot(rec));
        h = await nextHttp();
      } else {
        const rec = w!;
        this.guard(() => this.onFrame(rec));
        w = await nextWs();
      }
      if (++n >= batchSize && this.out.length > 0) {
        n = 0;
        const batch = this.out;
        this.out = [];
        yield batch;
      }
    }
    if (this.out.length > 0) {
      const batch = this.out;
      this.out = [];
      yield batch;
    }
  }

  /** An `EventSource` over the replay. */
  source(): EventSource<RecordingEvent> {
    return new BatchSource<RecordingEvent>(this.files.ws, this.batches());
  }

  /** Replays everything and returns the events (cold path: tests, small files). */
  async collect(): Promise<RecordingEvent[]> {
    const all: RecordingEvent[] = [];
    for await (const b of this.batches()) for (const e of b) all.push(e);
    return all;
  }

  /** Runs `fn`; a `DataError` is rethrown or, under the skip policy, counted. */
  private guard<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (err) {
      if (!(err instanceof DataError)) throw err;
      const unknown = (err as DataError & { unknownSymbol?: boolean }).unknownSymbol === true;
      const policy = unknown ? this.options.onUnknownSymbol : this.options.onBadFrame;
      if (policy !== 'skip') throw err;
      if (unknown) this.stats.unknownSymbols++;
      else this.stats.badFrames++;
      if (this.stats.errors.length < MAX_ERRORS) this.stats.errors.push(err);
      return undefined;
    }
  }

  private emit(e: RecordingEvent): void {
    if (e.time < this.lastTime) {
      e.time = this.lastTime;
      this.stats.timeClamped++;
    }
    this.lastTime = e.time;
    this.out.push(e);
  }

  private state(symbol: string, file: string, line: number, field: string): SymbolState {
    const s = this.states.get(symbol);
    if (s) return s;
    let inst = this.registry.get(symbol);
    if (!inst) {
      const info = this.symbols.get(symbol);
      if (!info) {
        throw Object.assign(new DataError(file, line, field, `unknown symbol '${symbol}' (not in the recording's exchangeInfo)`), { unknownSymbol: true });
      }
      inst = this.registry.add(info.spec);
    }
    const st = new SymbolState(inst, new LocalOrderBook(this.market, { maxBuffer: this.options.maxBuffer, listener: this.listenerFor(symbol, inst) }));
    this.states.set(symbol, st);
    return st;
  }

  private listenerFor(symbol: string, inst: Instrument): { applied(d: UnitDiff): void; gap(g: GapInfo, d: UnitDiff): void } {
    return {
      applied: (d) => {
        this.options.observer?.applied?.(symbol, d);
        const nb = d.bidPrices.length;
        const total = nb + d.askPrices.length;
        for (let i = 0; i < total; i++) {
          const bid = i < nb;
          const k = bid ? i : i - nb;
          this.emit({
            kind: 'book-delta',
            time: d.time,
            instrument: inst,
            side: bid ? 'BUY' : 'SELL',
            price: bid ? d.bidPrices[k]! : d.askPrices[k]!,
            size: bid ? d.bidSizes[k]! : d.askSizes[k]!,
            sequence: d.lastId,
            last: i === total - 1,
          });
        }
      },
      gap: (g, d) => {
        this.stats.resyncLog.push({ ...g, symbol, file: this.files.ws });
        this.emit({ kind: 'status', time: d.time, instrument: inst, status: 'BOOK_RESYNC', reason: `gap at ${this.files.ws}:${g.frame} (expected ${g.expected}, got ${g.got}); waiting for a snapshot` });
      },
    };
  }

  private onSnapshot(rec: HttpRecord): void {
    const file = this.files.http;
    const symbol = symbolOfUrl(rec.url);
    if (symbol === undefined) {
      this.stats.other++;
      return;
    }
    let doc: unknown;
    try {
      doc = JSON.parse(rec.body);
    } catch (err) {
      throw new DataError(file, rec.line, undefined, `snapshot body does not parse as JSON (${(err as Error).message})`);
    }
    const body = decodeDepthSnapshot(doc, file, rec.line);
    const st = this.state(symbol, file, rec.line, 'symbol');
    const inst = st.inst;
    const bp: number[] = [];
    const bs: number[] = [];
    const ap: number[] = [];
    const as: number[] = [];
    levelUnits(inst, body.bids, bp, bs, file, rec.line, 'bids');
    levelUnits(inst, body.asks, ap, as, file, rec.line, 'asks');
    for (let i = 1; i < bp.length; i++) if (!(bp[i]! < bp[i - 1]!)) throw new DataError(file, rec.line, `bids[${i}][0]`, 'bids are not in strictly descending price order');
    for (let i = 1; i < ap.length; i++) if (!(ap[i]! > ap[i - 1]!)) throw new DataError(file, rec.line, `asks[${i}][0]`, 'asks are not in strictly ascending price order');
    this.stats.snapshots++;
    const time = Number.isFinite(body.eventTime) ? body.eventTime * 1000 : rec.recvTime;
    const wasOut = st.book.state === 'out-of-sync';
    this.emit({ kind: 'book-snapshot', time, instrument: inst, bidPrices: bp, bidSizes: bs, askPrices: ap, askSizes: as, sequence: body.lastUpdateId });
    if (wasOut) this.emit({ kind: 'status', time, instrument: inst, status: 'BOOK_SYNCED', reason: `rebuilt from the snapshot at ${file}:${rec.line} (lastUpdateId ${body.lastUpdateId})` });
    this.options.observer?.snapshot?.(symbol, body.lastUpdateId, bp, bs, ap, as);
    st.book.applySnapshot(body.lastUpdateId, bp, bs, ap, as);
  }

  private onFrame(rec: WsRecord): void {
    const file = this.files.ws;
    const line = rec.line;
    const f: BinanceFrame = parseFrameText(rec.body, file, line);
    switch (f.type) {
      case 'depth':
        this.onDepth(f, rec);
        return;
      case 'bookTicker': {
        const st = this.state(f.symbol, file, line, 'data.s');
        const inst = st.inst;
        const bp = priceUnits(inst, f.bidPrice, file, line, 'data.b');
        const bq = sizeUnits(inst, f.bidQty, file, line, 'data.B');
        const ap = priceUnits(inst, f.askPrice, file, line, 'data.a');
        const aq = sizeUnits(inst, f.askQty, file, line, 'data.A');
        this.stats.bookTickers++;
        this.options.observer?.ticker?.(f.symbol, f.updateId, bp, bq, ap, aq, line);
        const time = Number.isFinite(f.eventTime) ? f.eventTime * 1000 : rec.recvTime;
        this.emit({ kind: 'quote', time, instrument: inst, bidPrice: inst.price(bp), bidSize: inst.size(bq), askPrice: inst.price(ap), askSize: inst.size(aq) });
        return;
      }
      case 'aggTrade':
      case 'trade': {
        const st = this.state(f.symbol, file, line, 'data.s');
        const inst = st.inst;
        const px = priceUnits(inst, f.price, file, line, 'data.p');
        const q = sizeUnits(inst, f.qty, file, line, 'data.q');
        this.stats.trades++;
        const time = Number.isFinite(f.eventTime) ? f.eventTime * 1000 : rec.recvTime;
        this.emit({ kind: 'trade', time, instrument: inst, price: inst.price(px), size: inst.size(q), aggressor: f.buyerMaker ? 'SELL' : 'BUY' });
        return;
      }
      case 'kline': {
        const st = this.state(f.symbol, file, line, 'data.s');
        const inst = st.inst;
        const o = priceUnits(inst, f.open, file, line, 'data.k.o');
        const hi = priceUnits(inst, f.high, file, line, 'data.k.h');
        const lo = priceUnits(inst, f.low, file, line, 'data.k.l');
        const c = priceUnits(inst, f.close, file, line, 'data.k.c');
        const v = sizeUnits(inst, f.volume, file, line, 'data.k.v');
        this.stats.klines++;
        if (!f.closed && this.options.klines !== 'all') return;
        this.stats.bars++;
        const time = Number.isFinite(f.eventTime) ? f.eventTime * 1000 : rec.recvTime;
        this.emit({ kind: 'bar', time, instrument: inst, open: inst.price(o), high: inst.price(hi), low: inst.price(lo), close: inst.price(c), volume: inst.size(v) });
        return;
      }
      case 'other':
        this.stats.other++;
        return;
    }
  }

  private onDepth(f: DepthFrame, rec: WsRecord): void {
    const file = this.files.ws;
    const st = this.state(f.symbol, file, rec.line, 'data.s');
    const d: UnitDiff = {
      firstId: f.firstId,
      lastId: f.lastId,
      prevLastId: f.prevLastId,
      bidPrices: [],
      bidSizes: [],
      askPrices: [],
      askSizes: [],
      frame: rec.line,
      time: Number.isFinite(f.eventTime) ? f.eventTime * 1000 : rec.recvTime,
    };
    levelUnits(st.inst, f.bids, d.bidPrices, d.bidSizes, file, rec.line, 'data.b');
    levelUnits(st.inst, f.asks, d.askPrices, d.askSizes, file, rec.line, 'data.a');
    if (this.market === 'futures' && !Number.isFinite(d.prevLastId)) throw new DataError(file, rec.line, 'data.pu', 'a futures depthUpdate must carry pu');
    this.stats.depthFrames++;
    st.book.applyDiff(d);
  }
}
