import { pow10, parseScaled, toScaled } from '../core/fixed-point.ts';

/** Asset class of an instrument: decides the bundle of models it gets, never an `if` in the engine. */
export type AssetClass = 'equity' | 'crypto' | 'bond' | 'future' | 'fx' | 'other';

/** What an instrument is made from. */
export interface InstrumentSpec {
  symbol: string;
  venue?: string;
  assetClass?: AssetClass;
  /** Decimal digits of a price (tick size = 10^-pricePrecision * tickMultiple). */
  pricePrecision: number;
  /** Tick size in price units of 10^-pricePrecision (default 1: the tick is one unit of the last digit). */
  tickUnits?: number;
  /** Decimal digits of a size. */
  sizePrecision?: number;
  /** Lot size in size units of 10^-sizePrecision (default 1). */
  lotUnits?: number;
  /** Minimum order size in size units (default one lot). */
  minSizeUnits?: number;
  /** Maximum order size in size units (default unlimited). */
  maxSizeUnits?: number;
  currency?: string;
  /** Value of one price point for one unit of size (1 for cash instruments). */
  multiplier?: number;
}

/**
 * A tradable instrument with its grid. Prices are integers in units of 10^-pricePrecision
 * ("price units"), valid when a multiple of `tickUnits`; sizes likewise in size units and `lotUnits`.
 * Example: a stock quoted to the cent has pricePrecision 2, tickUnits 1; a Yahoo bar file with six
 * decimals gives pricePrecision 6.
 */
export class Instrument {
  readonly id: number;
  readonly symbol: string;
  readonly venue: string;
  readonly assetClass: AssetClass;
  readonly pricePrecision: number;
  readonly tickUnits: number;
  readonly sizePrecision: number;
  readonly lotUnits: number;
  readonly minSizeUnits: number;
  readonly maxSizeUnits: number;
  readonly currency: string;
  readonly multiplier: number;
  /** 10^pricePrecision. */
  readonly priceScale: number;
  /** 10^sizePrecision. */
  readonly sizeScale: number;

  constructor(id: number, spec: InstrumentSpec) {
    this.id = id;
    this.symbol = spec.symbol;
    this.venue = spec.venue ?? 'SIM';
    this.assetClass = spec.assetClass ?? 'other';
    this.pricePrecision = spec.pricePrecision;
    this.tickUnits = spec.tickUnits ?? 1;
    this.sizePrecision = spec.sizePrecision ?? 0;
    this.lotUnits = spec.lotUnits ?? 1;
    this.minSizeUnits = spec.minSizeUnits ?? this.lotUnits;
    this.maxSizeUnits = spec.maxSizeUnits ?? Number.MAX_SAFE_INTEGER;
    this.currency = spec.currency ?? 'USD';
    this.multiplier = spec.multiplier ?? 1;
    this.priceScale = pow10(this.pricePrecision);
    this.sizeScale = pow10(this.sizePrecision);
    if (!(this.tickUnits > 0 && Number.isInteger(this.tickUnits))) throw new RangeError(`${this.symbol}: tickUnits must be a positive integer`);
    if (!(this.lotUnits > 0 && Number.isInteger(this.lotUnits))) throw new RangeError(`${this.symbol}: lotUnits must be a positive integer`);
  }

  /** Tick size as a decimal number. */
  get tickSize(): number {
    return this.tickUnits / this.priceScale;
  }
  /** Lot size as a decimal number. */
  get lotSize(): number {
    return this.lotUnits / this.sizeScale;
  }

  /** Price units for a decimal price; NaN when not finite or not representable at this precision. */
  priceUnits(price: number): number {
    return toScaled(price, this.pricePrecision);
  }
  /** Price units from a decimal string, exactly; NaN when malformed or finer than the precision. */
  parsePrice(text: string): number {
    return parseScaled(text, this.pricePrecision);
  }
  /** Decimal price for price units. */
  price(units: number): number {
    return units / this.priceScale; // = fromScaled(units, pricePrecision), without the table lookup
  }
  /** Size units for a decimal size; NaN when not representable. */
  sizeUnits(size: number): number {
    return toScaled(size, this.sizePrecision);
  }
  /** Decimal size for size units. */
  size(units: number): number {
    return units / this.sizeScale;
  }
  /** True when the price units fall on the tick grid. */
  onTick(priceUnits: number): boolean {
    return priceUnits % this.tickUnits === 0;
  }
  /** True when the size units are a whole number of lots. */
  onLot(sizeUnits: number): boolean {
    return sizeUnits % this.lotUnits === 0;
  }
}

/** The set of instruments of a run, by symbol and by dense integer id. */
export class InstrumentRegistry {
  private readonly bySymbol = new Map<string, Instrument>();
  private readonly list: Instrument[] = [];

  /** Adds an instrument (or returns the one already registered under that symbol with the same spec). */
  add(spec: InstrumentSpec): Instrument {
    const existing = this.bySymbol.get(spec.symbol);
    if (existing) return existing;
    const inst = new Instrument(this.list.length, spec);
    this.list.push(inst);
    this.bySymbol.set(inst.symbol, inst);
    return inst;
  }
  get(symbol: string): Instrument | undefined {
    return this.bySymbol.get(symbol);
  }
  byId(id: number): Instrument | undefined {
    return this.list[id];
  }
  all(): readonly Instrument[] {
    return this.list;
  }
}
