/**
 * Matching-engine throughput: mixed add / cancel / modify / market operations per second on one
 * instrument, against a baseline that runs the very same operations with one `await` per operation.
 *
 * The workload is generated once, outside the timed loop, with `Rng` (seeded): a generation pass runs
 * a real engine to learn which orders are alive, so every cancel and modify targets an open order.
 * Each timed pass replays the workload on a fresh engine (same ids, same outcomes) and recycles `Order`
 * objects through a pool, resetting their fields, so the measured loop allocates nothing per operation.
 *
 * Run alone: `node --import tsx bench/matching.ts`.
 */
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/core/rng.ts';
import { Instrument } from '../src/market/instrument.ts';
import { MatchingEngine, type MatchListener } from '../src/market/matching-engine.ts';
import { Order, type CancelReason, type RejectReason, type Side } from '../src/market/order.ts';
import { roundRate, type BenchFigure } from './figure.ts';

const OP_ADD = 0;
const OP_CANCEL = 1;
const OP_MODIFY = 2;
const OP_MARKET = 3;

/** A pre-generated operation stream in flat typed arrays. */
export interface Workload {
  readonly n: number;
  readonly kind: Uint8Array;
  /** 1 = BUY, 0 = SELL (add and market). */
  readonly buy: Uint8Array;
  /** Limit price (add) or new price (modify; NaN keeps). */
  readonly price: Float64Array;
  /** Quantity (add, market) or new total quantity (modify; NaN keeps). */
  readonly qty: Float64Array;
  /** Order id (add) or target id (cancel, modify). */
  readonly id: Float64Array;
  /** Number of each kind, for the report. */
  readonly counts: readonly number[];
}

const INSTRUMENT = new Instrument(0, { symbol: 'BENCH', pricePrecision: 2, sizePrecision: 0 });
const MID = 10_000;

/** A pool of `Order` objects reset in place; finished orders come back through the listener. */
class OrderPool {
  private readonly free: Order[] = [];
  created = 0;
  take(id: number, side: Side, type: 'LIMIT' | 'MARKET', price: number, qty: number): Order {
    let o = this.free.pop();
    if (o === undefined) {
      this.created++;
      return new Order(id, { instrument: INSTRUMENT, side, type, price: type === 'LIMIT' ? price : undefined, quantity: qty });
    }
    return o.recycle(id, side, type, price, qty);
  }
  give(o: Order): void {
    this.free.push(o);
  }
}

/** Listener of the timed loop: counts fills and returns finished orders to the pool. */
class PoolingListener implements MatchListener {
  fills = 0;
  problems = 0;
  constructor(private readonly pool: OrderPool) {}
  accepted(): void {}
  rejected(order: Order, _reason: RejectReason): void {
    this.problems++;
    this.pool.give(order);
  }
  fill(taker: Order, maker: Order): void {
    this.fills++;
    if (maker.status === 'FILLED') this.pool.give(maker);
    if (taker.status === 'FILLED') this.pool.give(taker);
  }
  canceled(order: Order, _reason: CancelReason): void {
    this.pool.give(order);
  }
  expired(order: Order): void {
    this.pool.give(order);
  }
  modified(): void {}
  requestRejected(): void {
    this.problems++;
  }
  triggered(): void {}
}

/** Listener of the generation pass: tracks the open orders so cancels and modifies hit live ids. */
class LiveTracker implements MatchListener {
  readonly live: number[] = [];
  private readonly index = new Map<number, number>();
  accepted(): void {}
  rejected(): void {}
  fill(taker: Order, maker: Order): void {
    if (maker.status === 'FILLED') this.drop(maker.id);
    if (taker.status === 'FILLED') this.drop(taker.id);
  }
  canceled(order: Order): void {
    this.drop(order.id);
  }
  expired(order: Order): void {
    this.drop(order.id);
  }
  modified(): void {}
  requestRejected(): void {}
  triggered(): void {}
  /** Called after a limit order rested. */
  rest(id: number): void {
    this.index.set(id, this.live.length);
    this.live.push(id);
  }
  private drop(id: number): void {
    const i = this.index.get(id);
    if (i === undefined) return;
    const lastId = this.live.pop()!;
    if (lastId !== id) {
      this.live[i] = lastId;
      this.index.set(lastId, i);
    }
    this.index.delete(id);
  }
}

/**
 * Generates `n` operations: about 50% limit adds (a few ticks behind the own side's best, 12% improving
 * by a tick, which crosses when the spread is one tick), 25% cancels, 10% modifies (half size
 * decreases, half passive reprices) and 15% market orders, every cancel/modify aimed at an order that
 * is open at that moment. Adds turn into cancels while 3,000 orders rest, which holds the book near
 * that size (the reported shares are the actual ones).
 */
export function makeWorkload(seed: number, n: number): Workload {
  const rng = new Rng(seed, 'bench/matching');
  const kind = new Uint8Array(n);
  const buy = new Uint8Array(n);
  const price = new Float64Array(n);
  const qty = new Float64Array(n);
  const id = new Float64Array(n);
  const counts = [0, 0, 0, 0];
  const tracker = new LiveTracker();
  const engine = new MatchingEngine(INSTRUMENT, tracker, { stp: 'NONE' });
  let nextId = 1;
  let mid = MID;
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    const live = tracker.live;
    let k = r < 0.5 ? OP_ADD : r < 0.75 ? OP_CANCEL : r < 0.85 ? OP_MODIFY : OP_MARKET;
    if ((k === OP_CANCEL || k === OP_MODIFY) && live.length === 0) k = OP_ADD;
    if (live.length > 3000 && k === OP_ADD) k = OP_CANCEL; // keep the book a realistic size
    kind[i] = k;
    counts[k]!++;
    const b = rng.next() < 0.5;
    buy[i] = b ? 1 : 0;
    const side: Side = b ? 'BUY' : 'SELL';
    if (k === OP_ADD) {
      // prices a few ticks behind the own side's best; 12% improve by a tick (crossing when the spread is one tick)
      const bb = engine.book.bestBid();
      const ba = engine.book.bestAsk();
      if (bb === bb && ba === ba) mid = Math.round((bb + ba) / 2);
      const ref = b ? (bb === bb ? bb : ba === ba ? ba - 1 : mid) : ba === ba ? ba : bb === bb ? bb + 1 : mid + 1;
      const off = rng.next() < 0.12 ? -1 : Math.floor(-Math.log(rng.nextOpen()) * 4);
      const p = b ? ref - off : ref + off;
      const q = 1 + rng.int(10) * 10;
      const oid = nextId++;
      price[i] = p;
      qty[i] = q;
      id[i] = oid;
      const o = new Order(oid, { instrument: INSTRUMENT, side, type: 'LIMIT', price: p, quantity: q });
      engine.submit(o, i);
      if (!o.isDone) tracker.rest(oid);
    } else if (k === OP_CANCEL) {
      const target = live[rng.int(live.length)]!;
      id[i] = target;
      engine.cancel(target, i);
    } else if (k === OP_MODIFY) {
      const target = live[rng.int(live.length)]!;
      const o = engine.book.get(target)!;
      id[i] = target;
      if (rng.next() < 0.5 && o.leaves > 1) {
        price[i] = NaN;
        qty[i] = o.quantity - 1; // size decrease keeps priority
      } else {
        price[i] = o.side === 'BUY' ? o.price - 1 - rng.int(3) : o.price + 1 + rng.int(3); // passive reprice
        qty[i] = NaN;
      }
      engine.modify(target, price[i]!, qty[i]!, i);
    } else {
      const q = 1 + rng.int(10) * 5;
      price[i] = NaN;
      qty[i] = q;
      id[i] = nextId++;
      engine.submit(new Order(id[i]!, { instrument: INSTRUMENT, side, type: 'MARKET', quantity: q }), i);
    }
  }
  return { n, kind, buy, price, qty, id, counts };
}

/** State carried between timed passes (the pool survives; each pass starts a fresh engine). */
interface Runner {
  pool: OrderPool;
  listener: PoolingListener;
}

/** Replays the whole workload on a fresh engine, synchronously; returns the number of operations. */
function runPass(w: Workload, st: Runner): number {
  const engine = new MatchingEngine(INSTRUMENT, st.listener, { stp: 'NONE' });
  loop(w, engine, st.pool);
  reclaim(engine, st.pool);
  return w.n;
}

/** The timed loop proper, alone in its function so that it stays optimized from pass to pass. */
function loop(w: Workload, engine: MatchingEngine, pool: OrderPool): void {
  const { kind, buy, price, qty, id } = w;
  for (let i = 0; i < w.n; i++) step(engine, pool, kind[i]!, buy[i]!, price[i]!, qty[i]!, id[i]!, i);
}

/** The same replay with one `await` per operation (the baseline). */
async function runPassAsync(w: Workload, st: Runner): Promise<number> {
  const engine = new MatchingEngine(INSTRUMENT, st.listener, { stp: 'NONE' });
  const pool = st.pool;
  const { kind, buy, price, qty, id } = w;
  for (let i = 0; i < w.n; i++) await step(engine, pool, kind[i]!, buy[i]!, price[i]!, qty[i]!, id[i]!, i);
  reclaim(engine, pool);
  return w.n;
}

function step(engine: MatchingEngine, pool: OrderPool, k: number, b: number, p: number, q: number, oid: number, t: number): void {
  if (k === OP_ADD) engine.submit(pool.take(oid, b === 1 ? 'BUY' : 'SELL', 'LIMIT', p, q), t);
  else if (k === OP_CANCEL) engine.cancel(oid, t);
  else if (k === OP_MODIFY) engine.modify(oid, p, q, t);
  else engine.submit(pool.take(oid, b === 1 ? 'BUY' : 'SELL', 'MARKET', NaN, q), t);
}

/** Returns the orders still resting at the end of a pass to the pool. */
function reclaim(engine: MatchingEngine, pool: OrderPool): void {
  const book = engine.book;
  for (const side of ['BUY', 'SELL'] as const) {
    for (let i = book.levelCount(side) - 1; i >= 0; i--) {
      for (let o = book.levelHead(side, i); o !== null; ) {
        const next = o.next;
        pool.give(o);
        o = next;
      }
    }
  }
  book.clear();
}

/**
 * Replays the workload `passes` times synchronously (fresh engine per pass, shared order pool) and
 * returns the number of fills and of refused requests seen; for profiling and tests.
 */
export function replayWorkload(w: Workload, passes: number): { ops: number; fills: number; problems: number } {
  const pool = new OrderPool();
  const st: Runner = { pool, listener: new PoolingListener(pool) };
  let ops = 0;
  for (let i = 0; i < passes; i++) ops += runPass(w, st);
  return { ops, fills: st.listener.fills, problems: st.listener.problems };
}

/** `roundRate` for an async function. */
async function asyncRoundRate(fn: () => Promise<number>, minMs: number): Promise<number> {
  let ops = 0;
  const t0 = performance.now();
  let t1 = t0;
  while (t1 - t0 < minMs) {
    ops += await fn();
    t1 = performance.now();
  }
  return (ops * 1000) / (t1 - t0);
}

/** Least number of timed rounds; each figure is the best round (see `run`). */
const ROUNDS = 16;
/** Rounds go on until this much time has passed (this host has slow stretches of up to about 5 s, where this memory-bound replay runs 1.5-2x slower). */
const WINDOW_MS = 10_000;

/**
 * The benchmark figure: mixed matching-engine operations per second, target >= 5,000,000 ops/s.
 *
 * After warm-up, the measurement is at least `ROUNDS` rounds, and rounds until `WINDOW_MS` have
 * passed, each timing the synchronous replay for >= 100 ms and then the one-await baseline for
 * >= 60 ms; each figure is its best round. On a shared machine
 * other processes only ever slow a round down (wall time includes the time the process is not
 * running), so the best round is the closest estimate of the engine's own speed, and alternating the
 * two loops lets the machine's load weigh on both alike (the convention of bench/data.ts and
 * bench/agents.ts). The workload is the same in every round.
 */
export async function run(): Promise<BenchFigure[]> {
  const w = makeWorkload(42, 200_000);
  const st: Runner = { pool: new OrderPool(), listener: undefined as unknown as PoolingListener };
  st.listener = new PoolingListener(st.pool);
  // sanity: the replay must see no rejected request (every cancel/modify targets an open order)
  runPass(w, st);
  if (st.listener.problems !== 0) throw new Error(`bench/matching: ${st.listener.problems} rejected requests in the replay; the workload is not deterministic`);
  const sync = (): number => runPass(w, st);
  const async_ = (): Promise<number> => runPassAsync(w, st);
  roundRate(sync, 300); // warm-up
  await asyncRoundRate(async_, 150);
  let value = 0;
  let baselineValue = 0;
  const until = performance.now() + WINDOW_MS;
  for (let r = 0; r < ROUNDS || performance.now() < until; r++) {
    value = Math.max(value, roundRate(sync, 100));
    baselineValue = Math.max(baselineValue, await asyncRoundRate(async_, 60));
  }
  const target = 5_000_000;
  return [
    {
      name: `matching engine mixed ops (add ${share(w, OP_ADD)}, cancel ${share(w, OP_CANCEL)}, modify ${share(w, OP_MODIFY)}, market ${share(w, OP_MARKET)})`,
      value: Math.round(value),
      unit: 'ops/s',
      target: '>= 5,000,000 ops/s',
      pass: value >= target,
      baselineName: 'same operations with one await per operation',
      baselineValue: Math.round(baselineValue),
    },
  ];
}

function share(w: Workload, k: number): string {
  return `${Math.round((100 * w.counts[k]!) / w.n)}%`;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  void run().then((figures) => {
    for (const f of figures) {
      console.log(`${f.name}: ${f.value.toLocaleString('en-US')} ${f.unit} (target ${f.target}: ${f.pass ? 'PASS' : 'FAIL'}); ${f.baselineName}: ${f.baselineValue.toLocaleString('en-US')} ${f.unit} (x${(f.value / f.baselineValue).toFixed(1)})`);
    }
  });
}
