import type { LevelSide } from './lobster-book.ts';
import { OrderStep, type LobsterOrderMap } from './lobster-orders.ts';

/**
 * The two halves of a LOBSTER rebuild that can run on two threads at once (see
 * `reconstructLobsterColumns`). A side's levels change only with the messages of that side (their
 * price and size: the level arithmetic never reads the order map), and each side of a row is
 * compared and resynced on its own, so each side can be rebuilt and compared alone; the order map
 * (ids: duplicates, price and side checks, overdraws of known orders, unknown ids) is a third pass
 * over all messages that changes no level. The sequential rebuild (`LobsterReconstructor`) is the
 * reference: a row is matched when both sides match, mismatched when a side differs at a level the
 * messages should have known, else resynced; these passes give the same counts. Any error (an id
 * or level check failing) is not explained here: the caller rebuilds sequentially, which reports it.
 *
 * `rebuildSide` runs on the parse worker as source text (`lobster-book-worker.ts`), so it must stay
 * self-contained (it uses only the `LevelSide` it is given).
 */

/**
 * Rebuilds one side from the first order-book row, then for each row i >= 1 applies message i when
 * it is on this side (bids: direction 1; asks: any other direction, as the sequential rebuild) and
 * compares this side of row i: `flags[i]` is 0 (equal), 1 (resynced: differences only at levels
 * entering the window) or 2 (a difference the messages should have explained; resynced too).
 * Returns -1, or the index of the first message whose level update failed (the caller then rebuilds
 * sequentially for the error).
 */
export function rebuildSide(levels: LevelSide, types: Uint8Array, sizes: Float64Array, prices: Float64Array, dirs: Int8Array, row: Int32Array, n: number, N: number, bids: boolean, flags: Uint8Array): number {
  const col = bids ? 2 : 0;
  const sign = bids ? 1 : -1;
  const stride = 4 * N;
  levels.resync(row, 0, col, sign, N);
  for (let i = 1; i < n; i++) {
    const dir = dirs[i]!;
    if (dir === 1 === bids) {
      const type = types[i]!;
      if (type === 1) {
        if (!levels.add(dir * prices[i]!, sizes[i]!)) return i;
      } else if (type <= 4 && levels.reduce(dir * prices[i]!, sizes[i]!, false) !== 0) return i;
    }
    const off = i * stride;
    if (levels.matches(row, off, col, sign, N)) flags[i] = 0;
    else {
      // the previous row's N-th level on this side: levels deeper than it may enter the window
      const po = off - stride + 4 * (N - 1) + col;
      const bad = levels.unexplained(row, off, col, sign, N, row[po + 1] !== 0, sign * row[po]!);
      levels.resync(row, off, col, sign, N);
      flags[i] = bad ? 2 : 1;
    }
  }
  return -1;
}

/** What `checkOrders` counts. */
export interface OrderCheck {
  /** Messages per type (index = LOBSTER type 0..7). */
  typeCounts: Float64Array;
  /** Cancels, deletes and executions of ids whose submission was not seen. */
  unknownOrderMessages: number;
}

/**
 * The order-map pass over messages 0..n-1 (message 0 is counted, not applied, as the sequential
 * rebuild does): `LobsterOrderMap.step` for each, with the sequential rebuild's checks. Returns -1,
 * or the index of the first message that fails a check.
 */
export function checkOrders(orders: LobsterOrderMap, types: Uint8Array, ids: Float64Array, sizes: Float64Array, prices: Float64Array, dirs: Int8Array, n: number, out: OrderCheck): number {
  const counts = out.typeCounts;
  let unknown = 0;
  if (n > 0) counts[types[0]!]!++;
  for (let i = 1; i < n; i++) {
    const type = types[i]!;
    counts[type]!++;
    const step = orders.step(type, ids[i]!, sizes[i]!, prices[i]!, dirs[i]!, false);
    if (step === OrderStep.Unknown) unknown++;
    else if (step !== OrderStep.Ok) return i;
  }
  out.unknownOrderMessages = unknown;
  return -1;
}
