import { MarketsimError } from './errors.ts';
import type { EventQueue } from './event-queue.ts';
import type { VirtualClock } from './clock.ts';
import { systemWallClock, type WallClock } from './wall-clock.ts';
import { SourceState, type EventSource } from '../market/market-data.ts';

/** Receives each data event, synchronously, in the total order. */
export interface EventSink<E> {
  onData(event: E): void;
}

/** Why `EventLoop.run()` returned. */
export type RunStop = 'done' | 'until' | 'stopped';

/**
 * The engine loop. It merges already-sorted data sources (k-way, by time, ties by the order the
 * sources were added) with the queue of engine-made events (orders after latency, timers), in one
 * total order: by time; at equal times, queued engine events first (in their scheduling order), then
 * data events (by source order). Dispatch is synchronous; the loop awaits only to refill a source,
 * to pace to the wall clock, while paused, and to yield to Node's event loop every ~10 ms.
 * The run ends when every source has ended and only recurring events (interval timers) remain.
 */
export class EventLoop<E extends { time: number }> {
  private sources: EventSource<E>[] = [];
  /** Heap of indexes into `active`, ordered by (current.time, index). */
  private active: EventSource<E>[] = [];
  private activeRank: number[] = [];
  private primed = false;
  private stopRequested = false;
  /** Data events dispatched so far. */
  dataEvents = 0;
  /** Engine events fired so far. */
  engineEvents = 0;

  constructor(
    readonly clock: VirtualClock,
    readonly queue: EventQueue,
    private readonly sink: EventSink<E>,
    private readonly wall: WallClock = systemWallClock,
  ) {}

  /** Adds a sorted source. Sources added earlier win ties at equal timestamps. */
  addSource(source: EventSource<E>): void {
    if (this.primed) throw new MarketsimError('ENGINE_STATE', `cannot add source ${source.name} after the run started`);
    this.sources.push(source);
  }

  /** Asks a running loop to stop after the current event. */
  stop(): void {
    this.stopRequested = true;
  }

  /** Closes every source. */
  close(): void {
    for (const s of this.sources) s.close();
  }

  private async prime(): Promise<void> {
    this.primed = true;
    for (let i = 0; i < this.sources.length; i++) {
      const s = this.sources[i]!;
      if ((await this.pull(s)) === SourceState.Ready) this.insertActive(s, i);
    }
  }

  private async pull(s: EventSource<E>): Promise<SourceState> {
    let st = s.advance();
    while (st === SourceState.Wait) {
      await s.refill();
      st = s.advance();
    }
    return st;
  }

  private insertActive(s: EventSource<E>, rank: number): void {
    const a = this.active;
    const r = this.activeRank;
    let i = a.length;
    a.push(s);
    r.push(rank);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(s, rank, a[p]!, r[p]!)) break;
      a[i] = a[p]!;
      r[i] = r[p]!;
      i = p;
    }
    a[i] = s;
    r[i] = rank;
  }

  private less(x: EventSource<E>, rx: number, y: EventSource<E>, ry: number): boolean {
    const tx = x.current.time;
    const ty = y.current.time;
    return tx < ty || (tx === ty && rx < ry);
  }

  /** Restores heap order after the top source advanced (or removes it when ended). */
  private siftTop(remove: boolean): void {
    const a = this.active;
    const r = this.activeRank;
    let s: EventSource<E>;
    let rank: number;
    if (remove) {
      const lastS = a.pop()!;
      const lastR = r.pop()!;
      if (a.length === 0) return;
      s = lastS;
      rank = lastR;
    } else {
      if (a.length === 1) return;
      s = a[0]!;
      rank = r[0]!;
    }
    const n = a.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      let c = l;
      if (l + 1 < n && this.less(a[l + 1]!, r[l + 1]!, a[l]!, r[l]!)) c = l + 1;
      if (!this.less(a[c]!, r[c]!, s, rank)) break;
      a[i] = a[c]!;
      r[i] = r[c]!;
      i = c;
    }
    a[i] = s;
    r[i] = rank;
  }

  /**
   * Runs until the data and the queue are exhausted, until virtual time would pass `until`
   * (events at exactly `until` are processed), or until `stop()`. Can be called again to continue.
   * A pause point at T pauses before the first event at or after T, with the clock at T.
   */
  async run(until = Infinity): Promise<RunStop> {
    if (!this.primed) await this.prime();
    this.stopRequested = false;
    const clock = this.clock;
    const queue = this.queue;
    const wall = this.wall;
    const sink = this.sink;
    const active = this.active;
    let lastYield = wall.now();
    for (;;) {
      if (this.stopRequested) return 'stopped';
      // --- control: pause, pause points, pacing (re-read after every change of clock.version)
      const top0 = active.length > 0 ? active[0]! : undefined;
      // the data has ended and only recurring timers are left: the run is over
      if (top0 === undefined && queue.finite === 0) return 'done';
      const tNext = Math.min(top0 ? top0.current.time : Infinity, queue.peekTime());
      if (tNext === Infinity) return 'done';
      if (tNext > until) {
        if (until > clock.now) clock.now = until;
        return 'until';
      }
      if (tNext >= clock.nextPausePoint()) {
        const pp = clock.takePausePoint();
        if (pp > clock.now) clock.now = pp;
        clock.pause();
      }
      if (clock.paused) {
        await clock.waitForResume();
        lastYield = wall.now();
        continue;
      }
      const pacing = clock.pacing;
      let limit = until;
      if (pacing.mode === 'paced') {
        if (clock.anchorWallMs !== clock.anchorWallMs) {
          clock.anchorWallMs = wall.now();
          clock.anchorVirtual = Number.isFinite(clock.now) ? clock.now : tNext;
        }
        const wait = clock.anchorWallMs + (tNext - clock.anchorVirtual) / 1000 / pacing.speed - wall.now();
        if (wait > 0.05) {
          await wall.sleep(Math.min(wait, 50));
          lastYield = wall.now();
          continue; // re-check pause, speed changes and newly scheduled events
        }
        limit = tNext; // paced: one timestamp at a time
      }
      const pause = clock.nextPausePoint();
      const version = clock.version;
      // --- the synchronous batch: no await, no allocation
      let counter = 0;
      let waitOn: EventSource<E> | undefined;
      for (;;) {
        const top = active.length > 0 ? active[0]! : undefined;
        const tSrc = top !== undefined ? top.current.time : Infinity;
        const tQ = queue.peekTime();
        const fromQueue = tQ <= tSrc;
        const t = fromQueue ? tQ : tSrc;
        if (t > limit || t >= pause || t === Infinity || (top === undefined && queue.finite === 0)) break;
        if (t < clock.now) {
          throw new MarketsimError('TIME_ORDER', `${fromQueue ? 'an engine event' : `source ${top!.name}`} goes back in time: ${t} < ${clock.now}`);
        }
        clock.now = t;
        if (fromQueue) {
          queue.pop()!.fire(t);
          this.engineEvents++;
        } else {
          sink.onData(top!.current);
          this.dataEvents++;
          const st = top!.advance();
          if (st === SourceState.Ready) this.siftTop(false);
          else if (st === SourceState.End) this.siftTop(true);
          else {
            waitOn = top;
            break;
          }
        }
        if (this.stopRequested || clock.version !== version) break;
        if ((++counter & 1023) === 0 && wall.now() - lastYield > 10) break;
      }
      if (waitOn !== undefined) {
        const st2 = await this.pull(waitOn);
        this.siftTop(st2 !== SourceState.Ready);
        lastYield = wall.now();
      } else if (wall.now() - lastYield > 10) {
        await wall.sleep(0);
        lastYield = wall.now();
      }
    }
  }
}
