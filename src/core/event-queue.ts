/**
 * Something the engine runs at a virtual time: an order reaching the venue after latency,
 * a response reaching a strategy, a timer. `seq` is assigned by the queue on push.
 */
export interface Scheduled {
  time: number;
  seq: number;
  /** True for events that reschedule themselves forever (recurring timers): they never keep a run alive. */
  readonly recurring?: boolean;
  fire(now: number): void;
}

/**
 * Binary min-heap of scheduled events ordered by (time, seq). `seq` grows with every push,
 * so events due at the same microsecond run in the order they were scheduled (stable ties).
 */
export class EventQueue {
  private heap: Scheduled[] = [];
  private nextSeq = 0;
  /** Queued events that are not recurring: a run whose data has ended goes on while this is > 0. */
  finite = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Time of the earliest event, or Infinity when empty. */
  peekTime(): number {
    return this.heap.length === 0 ? Infinity : this.heap[0]!.time;
  }

  /** Schedules `item` at `item.time`, stamping its sequence number. */
  push(item: Scheduled): void {
    item.seq = this.nextSeq++;
    if (item.recurring !== true) this.finite++;
    const h = this.heap;
    let i = h.length;
    h.push(item);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = h[p]!;
      if (parent.time < item.time || (parent.time === item.time && parent.seq < item.seq)) break;
      h[i] = parent;
      i = p;
    }
    h[i] = item;
  }

  /** Removes and returns the earliest event (undefined when empty). */
  pop(): Scheduled | undefined {
    const h = this.heap;
    const n = h.length;
    if (n === 0) return undefined;
    const top = h[0]!;
    if (top.recurring !== true) this.finite--;
    const last = h.pop()!;
    if (n > 1) {
      const m = n - 1;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= m) break;
        const r = l + 1;
        let c = l;
        let child = h[l]!;
        if (r < m) {
          const rc = h[r]!;
          if (rc.time < child.time || (rc.time === child.time && rc.seq < child.seq)) {
            c = r;
            child = rc;
          }
        }
        if (last.time < child.time || (last.time === child.time && last.seq < child.seq)) break;
        h[i] = child;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }

  /** Removes every event. */
  clear(): void {
    this.heap.length = 0;
    this.finite = 0;
  }
}
