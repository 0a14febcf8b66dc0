import type { CircuitBreakerListener, CircuitBreakerState } from './circuit-breaker.ts';
import type { HaltState } from './halt-state.ts';
import type { LuldLimitSide, LuldListener, LuldState } from './luld.ts';

/**
 * Connects the halt models to a `HaltState` (docs/equity-halts.md section 5). Each helper returns a
 * listener to pass to the model's constructor; `next` receives every call afterwards (e.g. to publish
 * status events). Built once per instrument at setup: no allocation per event.
 */

/**
 * A `LuldListener` that holds instrument `instrumentId` halted (source LULD) from the start of a
 * trading pause until the pause ends (REOPENING). When the pause ends and no other source holds the
 * stock, `HaltState` reports `resumed`: the venue then runs the reopening auction and calls
 * `monitor.reopen(time, price)`. A pause that runs into the close (no reopening in the last 10 minutes)
 * is not cleared at the close: the closing auction takes the stock's orders, and `HaltState.startDay()`
 * clears the LULD source the next day, so no `resumed` fires at the close.
 */
export function luldHaltListener(halts: HaltState, instrumentId: number, next: LuldListener = {}): LuldListener {
  return {
    bands(time: number, reference: number, lower: number, upper: number): void {
      next.bands?.(time, reference, lower, upper);
    },
    state(time: number, from: LuldState, to: LuldState, side: LuldLimitSide): void {
      if (to === 'HALTED') halts.setHalt(instrumentId, 'LULD', true, time, `LULD trading pause (limit ${side === 'UP' ? 'up' : 'down'})`);
      else if (from === 'HALTED' && to === 'REOPENING') halts.setHalt(instrumentId, 'LULD', false, time);
      next.state?.(time, from, to, side);
    },
  };
}

/**
 * A `CircuitBreakerListener` that starts and ends the market-wide halt of a `HaltState` and closes it for
 * the day on level 3.
 */
export function circuitBreakerHaltListener(halts: HaltState, next?: CircuitBreakerListener): CircuitBreakerListener {
  return {
    change(time: number, from: CircuitBreakerState, to: CircuitBreakerState, level: number, until: number): void {
      if (to === 'HALTED') halts.setMarketWide(true, time, `market-wide circuit breaker level ${level}`);
      else if (to === 'CLOSED_FOR_DAY') halts.closeForDay(time, 'market-wide circuit breaker level 3');
      else if (from === 'HALTED') halts.setMarketWide(false, time);
      next?.change(time, from, to, level, until);
    },
    noHalt(time: number, level: number): void {
      next?.noHalt?.(time, level);
    },
  };
}
