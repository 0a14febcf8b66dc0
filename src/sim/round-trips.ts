import type { FillReport } from './simulation.ts';

/** A closed round trip: from flat to a position and back to flat (or through a flip). */
export interface RoundTrip {
  symbol: string;
  side: 'LONG' | 'SHORT';
  entryTime: number;
  exitTime: number;
  /** Largest absolute size held during the trip. */
  quantity: number;
  /** Average entry and exit prices (decimal). */
  entryPrice: number;
  exitPrice: number;
  /** Profit net of the fees of every fill in the trip (decimal, account currency). */
  pnl: number;
  /** pnl / entry notional. */
  return: number;
}

/**
 * Groups fills into round trips per symbol, in fill order, with average-cost accounting: a trip opens
 * when the position leaves zero and closes when it returns to zero; a fill that flips the position
 * closes the trip at that fill and opens a new one with the rest (fees split pro rata).
 * Trips still open at the end are not returned.
 */
/** Sizes are decimals of at most 10 digits: snapping to that grid keeps 0.3 - 0.1 - 0.2 at exactly 0. */
function snap(x: number): number {
  return Math.round(x * 1e10) / 1e10;
}

export function roundTrips(fills: readonly FillReport[], multiplierOf: (symbol: string) => number = () => 1): RoundTrip[] {
  interface Open {
    pos: number;
    avg: number;
    entryTime: number;
    maxQty: number;
    pnl: number;
    entryNotional: number;
    exitQty: number;
    exitNotional: number;
    side: 'LONG' | 'SHORT';
  }
  const open = new Map<string, Open>();
  const out: RoundTrip[] = [];
  for (const f of fills) {
    const m = multiplierOf(f.symbol);
    let qty = f.side === 'BUY' ? f.quantity : -f.quantity;
    let fee = f.fee;
    while (qty !== 0) {
      let t = open.get(f.symbol);
      if (!t) {
        t = { pos: 0, avg: 0, entryTime: 0, maxQty: 0, pnl: 0, entryNotional: 0, exitQty: 0, exitNotional: 0, side: 'LONG' };
        open.set(f.symbol, t);
      }
      if (t.pos === 0) {
        // a new trip: the symbol's record starts again (one record per symbol, reused trip after trip)
        t.avg = 0;
        t.entryTime = f.time;
        t.maxQty = 0;
        t.pnl = 0;
        t.entryNotional = 0;
        t.exitQty = 0;
        t.exitNotional = 0;
        t.side = qty > 0 ? 'LONG' : 'SHORT';
      }
      if (t.pos === 0 || Math.sign(t.pos) === Math.sign(qty)) {
        const n = snap(t.pos + qty);
        t.avg = (t.avg * Math.abs(t.pos) + f.price * Math.abs(qty)) / Math.abs(n);
        t.entryNotional += f.price * Math.abs(qty) * m;
        t.pos = n;
        t.maxQty = Math.max(t.maxQty, Math.abs(n));
        t.pnl -= fee;
        qty = 0;
        continue;
      }
      const closing = Math.min(Math.abs(qty), Math.abs(t.pos));
      const share = closing / Math.abs(qty);
      const feePart = fee * share;
      t.pnl += (f.price - t.avg) * closing * Math.sign(t.pos) * m - feePart;
      t.exitQty += closing;
      t.exitNotional += f.price * closing;
      t.pos = snap(t.pos + Math.sign(qty) * closing);
      qty = snap(qty - Math.sign(qty) * closing);
      fee -= feePart;
      if (t.pos === 0) {
        out.push({
          symbol: f.symbol,
          side: t.side,
          entryTime: t.entryTime,
          exitTime: f.time,
          quantity: t.maxQty,
          entryPrice: t.avg,
          exitPrice: t.exitNotional / t.exitQty,
          pnl: t.pnl,
          return: t.entryNotional === 0 ? 0 : t.pnl / t.entryNotional,
        });
      }
    }
  }
  return out;
}
