/**
 * The wall clock, used only to pace a run to real time and to yield to Node's event loop.
 * Simulation results never depend on it: the virtual clock decides what happens.
 */
export interface WallClock {
  /** Milliseconds from an arbitrary origin (monotonic). */
  now(): number;
  /** Resolves after about `ms` milliseconds (0: on the next turn of the event loop). */
  sleep(ms: number): Promise<void>;
}

/** The process's monotonic clock (`performance.now`) and timers. */
export const systemWallClock: WallClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => (ms <= 0 ? setImmediate(resolve) : setTimeout(resolve, ms))),
};
