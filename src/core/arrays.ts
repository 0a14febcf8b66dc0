/**
 * Shortens a plain array to `n` elements, keeping its backing store. In V8, `a.length = 0` (and any
 * large cut) drops the backing store, so the next `push` allocates a new one: on a hot path that
 * empties a small array and fills it again (a venue's working orders, a generator's per-step
 * scratch lists), that was about 100 ns and 150 bytes of garbage each time, against a few
 * nanoseconds for `pop`. Use this wherever an array is emptied to be refilled.
 */
export function truncate<T>(a: T[], n: number): void {
  while (a.length > n) a.pop();
}
