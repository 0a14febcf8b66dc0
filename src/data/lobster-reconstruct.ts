import { DataError } from '../core/errors.ts';
import { ApplyCode, LevelSide, LobsterBook } from './lobster-book.ts';
import { bookParseWorker, finishJob } from './lobster-book-worker.ts';
import { LobsterOrderMap } from './lobster-orders.ts';
import { checkOrders, rebuildSide, type OrderCheck } from './lobster-side.ts';
import { LobsterBookReader, type LobsterBookReaderOptions } from './lobster-book-stream.ts';
import {
  readLobsterMessageBlocks,
  type LobsterBookBlock,
  type LobsterMessageBlock,
  type LobsterReadOptions,
} from './lobster-parse.ts';

/**
 * Exact reconstruction of a LOBSTER book from its message file, checked against its order-book file
 * (docs/lobster.md). Row 0 of the order-book file seeds the book (it is the book after message 0,
 * so message 0 is counted but not applied); then for each row i >= 1, message i is applied and the
 * book's top N levels are compared with order-book row i:
 *
 * - matched: equal from the messages alone;
 * - resynced: different only at prices the messages could not know (deeper than the previous row's
 *   N-th level, i.e. levels entering the window), which are taken from the row;
 * - mismatched: different at a price inside the previous window: the files disagree. The row is
 *   still taken (so one bad row counts once), and the first such line is reported.
 *
 * `rows` = matched + resynced + mismatched = message rows - 1.
 */

/** Options of the reconstruction. */
export interface LobsterReconstructionOptions extends LobsterBookReaderOptions {
  /**
   * A cancel, delete or execution larger than its level or its known order (or at a price with no
   * level): `error` (default) throws a `DataError` naming file:line and the order id; `clamp`
   * removes what is there, counts the message in `clamped` and goes on (resync then corrects the
   * level from the order-book row).
   */
  overdraw?: 'error' | 'clamp';
  /** Throw a `DataError` at the first mismatched row instead of counting it (default false). */
  strict?: boolean;
  /**
   * `reconstructLobsterColumns` only: rebuild the asks on the parse worker while this thread runs
   * the order map and the bids (default true; it happens when the columns lie on shared memory, as
   * `loadLobsterMessages` and `loadLobsterBook` make them, the worker is up, and `overdraw` is
   * `error`). The counts are the same either way.
   */
  parallel?: boolean;
}

/** What a reconstruction found. */
export interface LobsterReconstructionResult {
  messagesFile: string;
  orderbookFile: string;
  levels: number;
  /** Message rows read (= order-book rows). */
  messages: number;
  /** Rows compared: every order-book row but the first, which seeds the book. */
  rows: number;
  /** Rows whose top N levels equal the book built from messages alone. */
  matched: number;
  /** Rows where a level entering the window was corrected from the order-book row. */
  resynced: number;
  /** Rows that differ at a level the messages should have known (must be 0). */
  mismatched: number;
  /** 1-based line (in the order-book file) of the first mismatched row, or null. */
  firstMismatchLine: number | null;
  /** Type-4 messages (visible executions). */
  executions: number;
  /** Type-5 messages (hidden executions: trades that leave the visible book alone). */
  hiddenExecutions: number;
  /** Type-6 messages (cross trades). */
  crossTrades: number;
  /** Type-7 messages (halt, quoting, resume). */
  haltMessages: number;
  /** Cancels, deletes and executions of order ids whose submission is not in the file. */
  unknownOrderMessages: number;
  /** Overdraws recovered with `overdraw: 'clamp'`. */
  clamped: number;
  /** Orders still live at the end whose submission was seen. */
  liveOrders: number;
  /** Price levels the book holds at the end (bids, asks), including stale ones outside the window. */
  bidLevels: number;
  askLevels: number;
  /** Wall time of the reconstruction in seconds (the only non-deterministic fields are these two). */
  seconds: number;
  /** messages / seconds. */
  messagesPerSecond: number;
}

/**
 * Incremental state of one reconstruction: feed it aligned runs of message and order-book rows with
 * `process`; read the counts with `result`.
 */
export class LobsterReconstructor {
  readonly book: LobsterBook;
  messages = 0;
  matched = 0;
  resynced = 0;
  mismatched = 0;
  firstMismatchLine = 0;
  /** Messages per type (index = LOBSTER type 0..7). */
  readonly typeCounts = new Float64Array(8);
  /** A copy of the order-book row before the next one to process (for the window of the previous row). */
  private readonly lastRow: Int32Array;
  private readonly strict: boolean;

  constructor(
    readonly messagesFile: string,
    readonly orderbookFile: string,
    readonly levels: number,
    options: LobsterReconstructionOptions = {},
  ) {
    if (!(Number.isInteger(levels) && levels >= 1)) throw new RangeError(`levels must be a positive integer, got ${levels}`);
    this.book = new LobsterBook(options.overdraw === 'clamp');
    this.lastRow = new Int32Array(4 * levels);
    this.strict = options.strict ?? false;
  }

  /**
   * Processes `n` rows: messages `m[mi..]` with order-book rows `b[bi..]`; the two runs must be the
   * same rows of their files (the caller keeps them aligned).
   */
  process(m: LobsterMessageBlock, mi: number, b: LobsterBookBlock, bi: number, n: number): void {
    const N = this.levels;
    if (b.levels !== N) throw new RangeError(`order-book block has ${b.levels} levels, expected ${N}`);
    if (n <= 0) return;
    const stride = 4 * N;
    const row = b.data;
    const types = m.type;
    const ids = m.orderId;
    const sizes = m.size;
    const prices = m.price;
    const dirs = m.direction;
    const book = this.book;
    const counts = this.typeCounts;
    let j = 0;
    if (m.firstRow + mi === 0) {
      // row 0 is the book after message 0: it seeds the book
      counts[types[mi]!]!++;
      book.bids.resync(row, bi * stride, 2, 1, N);
      book.asks.resync(row, bi * stride, 0, -1, N);
      j = 1;
    }
    let matched = 0;
    for (; j < n; j++) {
      const i = mi + j;
      const off = (bi + j) * stride;
      const type = types[i]!;
      counts[type]!++;
      const code = book.apply(type, ids[i]!, sizes[i]!, prices[i]!, dirs[i]!);
      if (code !== ApplyCode.Ok) throw this.applyError(code, m, i);
      if (book.matchesRow(row, off, N)) matched++;
      else this.resolve(row, off, j > 0 ? row : this.lastRow, j > 0 ? off - stride : 0, b.firstRow + bi + j + 1, m.firstRow + i + 1);
    }
    // keep a copy of the last row: the caller may reuse the block's memory
    const last = (bi + n - 1) * stride;
    this.lastRow.set(row.subarray(last, last + stride));
    this.matched += matched;
    this.messages += n;
  }

  /**
   * A row that differs from the book (cold path): resync the differing sides from the row and
   * count a resync, or a mismatch when a difference is at a price inside the previous row's window
   * (`prev[prevOff...]`).
   */
  private resolve(row: Int32Array, off: number, prev: Int32Array, prevOff: number, line: number, messageLine: number): void {
    const N = this.levels;
    const { bids, asks } = this.book;
    const bidOk = bids.matches(row, off, 2, 1, N);
    const askOk = asks.matches(row, off, 0, -1, N);
    const po = prevOff + 4 * (N - 1);
    const bad =
      (!bidOk && bids.unexplained(row, off, 2, 1, N, prev[po + 3] !== 0, prev[po + 2]!)) ||
      (!askOk && asks.unexplained(row, off, 0, -1, N, prev[po + 1] !== 0, -prev[po]!));
    if (!bidOk) bids.resync(row, off, 2, 1, N);
    if (!askOk) asks.resync(row, off, 0, -1, N);
    if (bad) this.mismatch(line, messageLine);
    else this.resynced++;
  }

  private mismatch(line: number, messageLine: number): void {
    this.mismatched++;
    if (this.firstMismatchLine === 0) this.firstMismatchLine = line;
    if (this.strict) {
      throw new DataError(this.orderbookFile, line, undefined, `the book rebuilt from the messages (through ${this.messagesFile}:${messageLine}) differs from this row at a level inside the previous row's window`);
    }
  }

  private applyError(code: ApplyCode, m: LobsterMessageBlock, i: number): DataError {
    const line = m.firstRow + i + 1;
    const id = m.orderId[i]!;
    const size = m.size[i]!;
    const price = m.price[i]!;
    const side = m.direction[i] === 1 ? 'bid' : 'ask';
    const d = this.book.detail;
    const what = ['', '', 'cancel', 'delete', 'execution'][m.type[i]!] ?? 'message';
    let why: string;
    switch (code) {
      case ApplyCode.DuplicateId:
        why = `submission of order id ${id}, which is already live (${d.orderRemaining} at ${d.orderPrice})`;
        break;
      case ApplyCode.NoLevel:
        why = `${what} of ${size} for order id ${id}${this.book.orders.find(id) ? '' : ' (unknown id)'} at ${side} price ${price}, where the book has no level`;
        break;
      case ApplyCode.LevelOverdrawn:
        why = `${what} of ${size} for unknown order id ${id} is larger than the ${side} level at price ${price} (${d.levelSize})`;
        break;
      case ApplyCode.OrderOverdrawn:
        why = `${what} of ${size} for order id ${id} is larger than its remaining size ${d.orderRemaining}`;
        break;
      case ApplyCode.LevelOverflow:
        why = `submission of ${size} at ${side} price ${price} would take the level (${d.levelSize}) beyond 2^31 - 1 shares`;
        break;
      default:
        why = `order id ${id} was submitted at price ${d.orderPrice} on the ${d.orderSide === 1 ? 'bid' : 'ask'} side, this message says ${price} on the ${side} side`;
    }
    return new DataError(this.messagesFile, line, code === ApplyCode.OrderMismatch ? 'price' : 'size', why);
  }

  /** The counts so far, with the wall time `seconds` spent. */
  result(seconds: number): LobsterReconstructionResult {
    const book = this.book;
    return reconstructionResult(
      {
        messagesFile: this.messagesFile,
        orderbookFile: this.orderbookFile,
        levels: this.levels,
        messages: this.messages,
        matched: this.matched,
        resynced: this.resynced,
        mismatched: this.mismatched,
        firstMismatchLine: this.firstMismatchLine,
        unknownOrderMessages: book.unknownOrderMessages,
        clamped: book.clamped,
        liveOrders: book.orders.size,
        bidLevels: book.bids.count,
        askLevels: book.asks.count,
      },
      this.typeCounts,
      seconds,
    );
  }
}

/** What both rebuilds count themselves (the rest of a result derives from these). */
type Counted = Omit<LobsterReconstructionResult, 'rows' | 'firstMismatchLine' | 'executions' | 'hiddenExecutions' | 'crossTrades' | 'haltMessages' | 'seconds' | 'messagesPerSecond'> & {
  /** 0 when no row mismatched. */
  firstMismatchLine: number;
};

/** A result from the counts, the messages per type (index = LOBSTER type) and the wall time. */
function reconstructionResult(c: Counted, typeCounts: Float64Array, seconds: number): LobsterReconstructionResult {
  return {
    messagesFile: c.messagesFile,
    orderbookFile: c.orderbookFile,
    levels: c.levels,
    messages: c.messages,
    rows: Math.max(0, c.messages - 1),
    matched: c.matched,
    resynced: c.resynced,
    mismatched: c.mismatched,
    firstMismatchLine: c.firstMismatchLine === 0 ? null : c.firstMismatchLine,
    executions: typeCounts[4]!,
    hiddenExecutions: typeCounts[5]!,
    crossTrades: typeCounts[6]!,
    haltMessages: typeCounts[7]!,
    unknownOrderMessages: c.unknownOrderMessages,
    clamped: c.clamped,
    liveOrders: c.liveOrders,
    bidLevels: c.bidLevels,
    askLevels: c.askLevels,
    seconds,
    messagesPerSecond: seconds > 0 ? c.messages / seconds : 0,
  };
}

const SLICE = 4096;

/**
 * Reconstructs from message and order-book columns already in memory (parsing excluded from the
 * timing). Both blocks must start at row 0 and have the same length. On columns from
 * `loadLobsterMessages`/`loadLobsterBook` (shared memory) it runs on two threads when it can (the
 * asks on the parse worker: `LobsterReconstructionOptions.parallel`, docs/lobster.md), with the
 * same counts; it stays synchronous.
 */
export function reconstructLobsterColumns(
  messages: LobsterMessageBlock,
  book: LobsterBookBlock,
  options: LobsterReconstructionOptions & { messagesFile?: string; orderbookFile?: string } = {},
): LobsterReconstructionResult {
  const mf = options.messagesFile ?? 'messages';
  const bf = options.orderbookFile ?? 'orderbook';
  if (messages.length !== book.length) {
    const longer = messages.length > book.length ? mf : bf;
    throw new DataError(longer, Math.min(messages.length, book.length) + 1, undefined, `the message file has ${messages.length} rows and the order-book file ${book.length}: they must pair row by row`);
  }
  const parallel = parallelReconstruction(messages, book, mf, bf, options);
  if (parallel !== undefined) return parallel;
  const rec = new LobsterReconstructor(mf, bf, book.levels, options);
  const t0 = performance.now();
  // in slices, so the hot loop is optimized as a whole function rather than by on-stack replacement
  for (let i = 0; i < messages.length; i += SLICE) rec.process(messages, i, book, i, Math.min(SLICE, messages.length - i));
  return rec.result((performance.now() - t0) / 1000);
}

/** Sides rebuilt on the parse worker, and taken back by the caller (it had not started them), in this process. */
const sideStats = { onWorker: 0, takenBack: 0 };

/** How many two-thread rebuilds had their asks on the worker, and how many were taken back (a test and diagnostics hook). */
export function lobsterSideStats(): { onWorker: number; takenBack: number } {
  return { ...sideStats };
}

/** Below this many rows the worker's round trip costs more than it saves. */
const PARALLEL_MIN_ROWS = 20_000;

/**
 * The rebuild on two threads (lobster-side.ts): the asks on the parse worker, the order map and the
 * bids here, then the rows' counts from both sides' flags. Undefined when it does not apply (see
 * `LobsterReconstructionOptions.parallel`; the worker is started for later calls) or when a check
 * failed or a strict run found a mismatch: the sequential rebuild then runs and reports it.
 */
function parallelReconstruction(
  messages: LobsterMessageBlock,
  book: LobsterBookBlock,
  mf: string,
  bf: string,
  options: LobsterReconstructionOptions,
): LobsterReconstructionResult | undefined {
  const n = messages.length;
  if (options.parallel === false || options.overdraw === 'clamp' || n < PARALLEL_MIN_ROWS) return undefined;
  const columns = [messages.type, messages.size, messages.price, messages.direction, book.data];
  if (!columns.every((c) => c.buffer instanceof SharedArrayBuffer)) return undefined;
  const worker = bookParseWorker();
  if (worker === null || !worker.ready) return undefined;
  const N = book.levels;
  if (!(Number.isInteger(N) && N >= 1)) return undefined;
  const t0 = performance.now();
  const state = new Int32Array(new SharedArrayBuffer(4));
  const out = new Float64Array(new SharedArrayBuffer(16));
  const askFlags = new Uint8Array(new SharedArrayBuffer(n));
  const { type: types, orderId: ids, size: sizes, price: prices, direction: dirs } = messages;
  const row = book.data;
  worker.side({ state, out, types, sizes, prices, dirs, row, n, levels: N, bids: false, flags: askFlags });
  const orders = new LobsterOrderMap();
  const check: OrderCheck = { typeCounts: new Float64Array(8), unknownOrderMessages: 0 };
  let failed = checkOrders(orders, types, ids, sizes, prices, dirs, n, check) >= 0;
  const bids = new LevelSide();
  const bidFlags = new Uint8Array(n);
  if (!failed) failed = rebuildSide(bids, types, sizes, prices, dirs, row, n, N, true, bidFlags) >= 0;
  let askLevels: number;
  const job = finishJob(state);
  if (job === 'timeout') throw new Error('the LOBSTER parse worker did not finish rebuilding its side of the book');
  if (job === 'taken-back') {
    // the worker had not started (busy with a file): the asks here
    sideStats.takenBack++;
    const asks = new LevelSide();
    if (!failed) failed = rebuildSide(asks, types, sizes, prices, dirs, row, n, N, false, askFlags) >= 0;
    askLevels = asks.count;
  } else {
    sideStats.onWorker++;
    if (out[1] !== -1) failed = true;
    askLevels = out[0]!;
  }
  if (failed) return undefined;
  let matched = 0;
  let mismatched = 0;
  let firstMismatch = 0;
  for (let i = 1; i < n; i++) {
    const f = bidFlags[i]! | askFlags[i]!;
    if (f === 0) matched++;
    else if (bidFlags[i] === 2 || askFlags[i] === 2) {
      mismatched++;
      if (firstMismatch === 0) firstMismatch = i + 1;
    }
  }
  if (mismatched > 0 && options.strict) return undefined;
  return reconstructionResult(
    {
      messagesFile: mf,
      orderbookFile: bf,
      levels: N,
      messages: n,
      matched,
      resynced: n - 1 - matched - mismatched,
      mismatched,
      firstMismatchLine: firstMismatch,
      unknownOrderMessages: check.unknownOrderMessages,
      clamped: 0,
      liveOrders: orders.size,
      bidLevels: bids.count,
      askLevels,
    },
    check.typeCounts,
    (performance.now() - t0) / 1000,
  );
}

/**
 * Streams a LOBSTER message file and its order-book file (plain or `.gz`) in lockstep and rebuilds
 * the book, comparing it with every order-book row. Memory holds a few chunks of each file; the
 * order-book file is parsed ahead on a worker thread when the machine has more than one core
 * (`parseWorker`, `lobster-book-stream.ts`), with the same rows and errors. Throws a
 * `DataError` naming file:line on bad input, on files of different lengths, and (with the default
 * `overdraw: 'error'`) on a cancel, delete or execution larger than its level or order.
 */
export async function reconstructLobster(
  messagesPath: string,
  orderbookPath: string,
  levels: number,
  options: LobsterReconstructionOptions = {},
): Promise<LobsterReconstructionResult> {
  const rec = new LobsterReconstructor(messagesPath, orderbookPath, levels, options);
  const t0 = performance.now();
  const mIt = readLobsterMessageBlocks(messagesPath, options);
  const books = new LobsterBookReader(orderbookPath, levels, options);
  try {
    // both files start at once; when both fail, the message file's error is the one reported
    const [first, firstBook] = await Promise.allSettled([mIt.next(), books.next()]);
    if (first.status === 'rejected') throw first.reason;
    if (firstBook.status === 'rejected') throw firstBook.reason;
    let m = first.value;
    let b = firstBook.value;
    let mi = 0;
    let bi = 0;
    for (;;) {
      if (!m.done && mi >= m.value.length) {
        m = await mIt.next();
        mi = 0;
        continue;
      }
      if (b !== null && bi >= b.length) {
        books.release(b); // its last row is copied by `process`
        b = await books.next();
        bi = 0;
        continue;
      }
      if (m.done || b === null) {
        if (m.done && b === null) break;
        const longer = m.done ? orderbookPath : messagesPath;
        throw new DataError(longer, rec.messages + 1, undefined, `the message file has ${m.done ? rec.messages : 'more'} rows and the order-book file ${b === null ? rec.messages : 'more'}: they must pair row by row`);
      }
      const n = Math.min(m.value.length - mi, b.length - bi);
      rec.process(m.value, mi, b, bi, n);
      mi += n;
      bi += n;
    }
  } finally {
    await Promise.allSettled([mIt.return(undefined), books.close()]);
  }
  return rec.result((performance.now() - t0) / 1000);
}
