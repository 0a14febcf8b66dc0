import { MarketsimError } from '../../core/errors.ts';
import type { Instrument } from '../../market/instrument.ts';
import type { MarketStatus } from '../../market/market-data.ts';
import type { Order, RejectReason } from '../../market/order.ts';
import type { InstrumentRules, RulesView } from '../../market/venue.ts';
import { checkFilters, type SymbolFilters } from './filters.ts';
import type { FaultEvent, VenueFaultState } from './faults.ts';

/**
 * The crypto bundle's venue rules for one instrument: 24/7 (no `isOpen`, no sessions; DAY orders end
 * at the end of the UTC day, the venue's default) and the symbol's exchange filters at arrival.
 * A LIMIT or STOP_LIMIT order is checked at its limit price; a MARKET order's notional at the touch it
 * would take (best ask for a BUY, best bid for a SELL; Binance uses a 5-minute average price), a STOP
 * at its trigger price. The instrument must use the filters' grid (build it from `toInstrumentSpec`).
 */
export class CryptoInstrumentRules implements InstrumentRules {
  readonly filters: SymbolFilters;
  private readonly probe = { price: undefined as number | undefined, quantity: 0, referencePrice: undefined as number | undefined };

  constructor(filters: SymbolFilters, instrument: Instrument) {
    if (instrument.pricePrecision !== filters.pricePrecision || instrument.sizePrecision !== filters.sizePrecision) {
      throw new MarketsimError(
        'INSTRUMENT_CONFLICT',
        `${instrument.symbol}: instrument precisions ${instrument.pricePrecision}/${instrument.sizePrecision} differ from the filters' ${filters.pricePrecision}/${filters.sizePrecision} (${filters.id}); build the instrument with toInstrumentSpec`,
      );
    }
    this.filters = filters;
  }

  /** The filter check (allocation-free: one reused probe object). */
  check(order: Order, _time: number, view: RulesView): RejectReason | undefined {
    const p = this.probe;
    p.quantity = order.quantity;
    p.price = undefined;
    p.referencePrice = undefined;
    if (order.type === 'LIMIT' || order.type === 'STOP_LIMIT') p.price = order.price;
    else if (order.type === 'STOP') p.referencePrice = order.triggerPrice;
    else {
      const touch = order.side === 'BUY' ? view.bestAsk : view.bestBid;
      if (touch === touch) p.referencePrice = touch;
    }
    return checkFilters(this.filters, p);
  }
}

/**
 * Applies a fault event to `state` and returns the venue status to emit, on transitions only:
 * 'OUTAGE' when the venue goes down (the first open OUTAGE or MAINTENANCE window: new orders rejected
 * VENUE_OUTAGE, resting orders kept or canceled by the venue's outage policy, market data stops),
 * 'RESUME' when the last open window ends; undefined otherwise (overlapping windows, flash-crash
 * events, which drive the book through `FlashCrashHooks`).
 */
export function faultTransition(state: VenueFaultState, e: FaultEvent): MarketStatus | undefined {
  const wasDown = state.isDown(e.venue);
  state.apply(e);
  const isDown = state.isDown(e.venue);
  if (!wasDown && isDown) return 'OUTAGE';
  if (wasDown && !isDown) return 'RESUME';
  return undefined;
}
