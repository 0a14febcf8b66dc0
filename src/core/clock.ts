/** How virtual time advances: `jump` runs as fast as possible; `paced` follows the wall clock times `speed`. */
export type Pacing = { mode: 'jump' } | { mode: 'paced'; speed: number };

/**
 * The virtual clock: integer microseconds since the epoch. The event loop moves it; everything in
 * the simulation reads it. It also holds the pacing state (mode, speed factor, pause, pause points)
 * that the loop obeys. Changing pacing never changes results: only when events are processed in
 * wall time, never their order or content.
 */
export class VirtualClock {
  /** Current virtual time, microseconds. */
  now: number;
  private _pacing: Pacing;
  private _paused = false;
  private resumeWaiters: (() => void)[] = [];
  private pausePoints: number[] = [];
  /** Wall-clock anchor (ms) and virtual anchor (us) for paced mode; reset on every speed change and resume. */
  anchorWallMs = NaN;
  anchorVirtual = NaN;
  /** Grows on every change of pacing, pause state or pause points (the loop re-reads them only then). */
  version = 0;
  /** Called when the clock pauses (by `pause()` or at a pause point), with the virtual time. */
  onPause: ((time: number) => void) | undefined;

  constructor(start = 0, pacing: Pacing = { mode: 'jump' }) {
    this.now = start;
    this._pacing = validatePacing(pacing);
  }

  get pacing(): Pacing {
    return this._pacing;
  }
  get paused(): boolean {
    return this._paused;
  }

  /** Switches pacing while running (e.g. from 1x to 10x, or to jump). */
  setPacing(pacing: Pacing): void {
    this._pacing = validatePacing(pacing);
    this.anchorWallMs = NaN;
    this.version++;
  }

  /** Changes the speed factor of a paced run (switches to paced mode). */
  setSpeed(speed: number): void {
    this.setPacing({ mode: 'paced', speed });
  }

  /** Pauses before the next event; `resume()` continues. */
  pause(): void {
    if (this._paused) return;
    this._paused = true;
    this.version++;
    this.onPause?.(this.now);
  }

  /** Continues a paused run. */
  resume(): void {
    if (!this._paused) return;
    this._paused = false;
    this.anchorWallMs = NaN;
    this.version++;
    const waiters = this.resumeWaiters;
    this.resumeWaiters = [];
    for (const w of waiters) w();
  }

  /** Resolves when the clock is resumed (immediately when not paused). */
  waitForResume(): Promise<void> {
    if (!this._paused) return Promise.resolve();
    return new Promise((resolve) => this.resumeWaiters.push(resolve));
  }

  /** Adds a virtual time at which the run pauses before processing any event at or after it (the clock then reads that time). */
  addPausePoint(time: number): void {
    if (!Number.isFinite(time)) throw new RangeError(`pause point must be a finite time, got ${time}`);
    const p = this.pausePoints;
    let i = p.length;
    while (i > 0 && p[i - 1]! > time) i--;
    p.splice(i, 0, time);
    this.version++;
  }

  /** The earliest pause point not yet reached (Infinity if none). */
  nextPausePoint(): number {
    return this.pausePoints.length === 0 ? Infinity : this.pausePoints[0]!;
  }

  /** Removes and returns the earliest pause point. */
  takePausePoint(): number {
    this.version++;
    return this.pausePoints.shift() ?? Infinity;
  }
}

function validatePacing(p: Pacing): Pacing {
  if (p.mode === 'paced' && !(p.speed > 0 && Number.isFinite(p.speed))) {
    throw new RangeError(`speed factor must be a positive finite number, got ${p.speed}`);
  }
  return p;
}
