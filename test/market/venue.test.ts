/**
 * The data-mode venue (`SimulatedVenue`) driven directly: an EventQueue, a recording emit function and
 * a small cash account. Every rule of docs/fill-rules.md and docs/order-lifecycle.md has its worked
 * example here; the docs name the test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventQueue } from '../../src/core/event-queue.ts';
import { formatScaled } from '../../src/core/fixed-point.ts';
import { US_PER_DAY, US_PER_MINUTE, US_PER_SECOND, microsFromIso } from '../../src/core/time.ts';
import { Instrument, InstrumentRegistry, type InstrumentSpec } from '../../src/market/instrument.ts';
import { Order, type OrderRequest, type RejectReason, type Side } from '../../src/market/order.ts';
import { SimulatedVenue, type VenueOptions } from '../../src/market/venue.ts';
import type { Fill, OrderUpdate, VenueAccount } from '../../src/market/venue-types.ts';
import { MakerTakerFees } from '../../src/market/fees.ts';
import { validateOrder } from '../../src/market/order-validation.ts';
import { Account } from '../../src/sim/account.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { ConstantLatency } from '../../src/market/latency.ts';
import { BatchSource } from '../../src/data/batch-source.ts';
import type { BarEvent, MarketEvent } from '../../src/market/market-data.ts';

// ------------------------------------------------------------------ harness

/** Tuesday 2024-01-02 00:00 UTC. */
const T0 = microsFromIso('2024-01-02T00:00:00Z');
const MIN = US_PER_MINUTE;
const SEC = US_PER_SECOND;
/** Minute k of the test day. */
const t = (k: number): number => T0 + k * MIN;

/** A stock quoted to the cent, sizes in whole shares: 100.25 is 10025 price units. */
const STOCK: InstrumentSpec = { symbol: 'TST', pricePrecision: 2 };
/** Price units of a decimal price at precision 2. */
const P = (x: number): number => Math.round(x * 100);

/**
 * A cash account in cents (cashPrecision 2 = pricePrecision 2 with whole shares, so notional = price units x shares).
 * Buys need notional + fee <= cash; short selling is allowed unless `allowShort` is false.
 */
class TestAccount implements VenueAccount {
  readonly positions = new Map<number, number>();
  readonly fills: Fill[] = [];
  allowShort = true;
  constructor(public cash: number) {}
  canFill(instrument: Instrument, side: Side, price: number, quantity: number, fee: number): RejectReason | undefined {
    const n = this.notional(instrument, price, quantity);
    if (side === 'BUY') return n + fee > this.cash ? 'INSUFFICIENT_FUNDS' : undefined;
    if (!this.allowShort && this.positionQuantity(instrument) < quantity) return 'INSUFFICIENT_FUNDS';
    return undefined;
  }
  applyFill(f: Fill): void {
    const n = this.notional(f.instrument, f.price, f.quantity);
    this.cash += (f.side === 'BUY' ? -n : n) - f.fee;
    this.positions.set(f.instrument.id, this.positionQuantity(f.instrument) + (f.side === 'BUY' ? f.quantity : -f.quantity));
    this.fills.push(f);
  }
  notional(_instrument: Instrument, price: number, quantity: number): number {
    return price * quantity;
  }
  positionQuantity(instrument: Instrument): number {
    return this.positions.get(instrument.id) ?? 0;
  }
}

type Req = Omit<OrderRequest, 'instrument'> & { instrument?: Instrument };

/** A venue with one listed stock, a recording emit, a $100,000 test account for owner 1. */
class Harness {
  readonly queue = new EventQueue();
  readonly updates: OrderUpdate[] = [];
  readonly account: TestAccount;
  readonly venue: SimulatedVenue;
  readonly inst: Instrument;
  private nextId = 1;

  constructor(options: VenueOptions = {}, cash = 10_000_000, spec: InstrumentSpec = STOCK) {
    this.account = new TestAccount(cash);
    this.inst = new Instrument(0, spec);
    this.venue = new SimulatedVenue(this.queue, (u) => this.updates.push(u), (owner) => (owner === 1 ? this.account : undefined), options);
    this.venue.addInstrument(this.inst);
  }

  /** A new order for owner 1 (not yet sent). */
  order(req: Req): Order {
    return new Order(this.nextId++, { owner: 1, ...req, instrument: req.instrument ?? this.inst });
  }

  /** Sends an order that reaches the venue at `now`. */
  submit(req: Req, now: number): Order {
    this.advance(now);
    const o = this.order(req);
    this.venue.submit(o, now);
    return o;
  }

  /** Fires queued engine events (GTD expiries) due up to `now`, each at its own time. */
  advance(now: number): void {
    while (this.queue.peekTime() <= now) {
      const e = this.queue.pop()!;
      e.fire(e.time);
    }
  }

  private data(e: MarketEvent): void {
    this.advance(e.time);
    this.venue.onMarketEvent(e);
  }

  bar(time: number, open: number, high: number, low: number, close: number, volume = 1_000_000): void {
    this.data({ kind: 'bar', time, instrument: this.inst, open, high, low, close, volume });
  }

  quote(time: number, bidPrice: number, askPrice: number, bidSize = 1_000, askSize = 1_000): void {
    this.data({ kind: 'quote', time, instrument: this.inst, bidPrice, bidSize, askPrice, askSize });
  }

  trade(time: number, price: number, size = 1_000): void {
    this.data({ kind: 'trade', time, instrument: this.inst, price, size, aggressor: undefined });
  }

  /** The updates of one order as short strings: `ACCEPTED`, `FILL 101.00x10 TAKER`, `CANCELED USER`. */
  log(o: Order | number): string[] {
    const id = typeof o === 'number' ? o : o.id;
    return this.updates.filter((u) => u.order.id === id).map(fmt);
  }

  /** Fills of one order. */
  fills(o: Order): Fill[] {
    return this.updates.filter((u) => u.order.id === o.id && u.fill).map((u) => u.fill!);
  }
}

function fmt(u: OrderUpdate): string {
  let s: string = u.kind;
  if (u.fill) s += ` ${formatScaled(u.fill.price, 2)}x${u.fill.quantity} ${u.fill.liquidity}`;
  if (u.reason !== undefined) s += ` ${u.reason}`;
  return s;
}

// ================================================================== bars

test('bar: a market order fills at the next bar open', () => {
  const h = new Harness();
  h.bar(t(0), 100, 101, 99, 100.5);
  const o = h.submit({ side: 'BUY', type: 'MARKET', quantity: 10 }, t(0));
  assert.equal(o.status, 'ACCEPTED');
  h.bar(t(1), 101, 102, 100, 101.5);
  assert.deepEqual(h.log(o), ['ACCEPTED', 'FILL 101.00x10 TAKER']);
  assert.equal(o.status, 'FILLED');
  assert.equal(h.fills(o)[0]!.time, t(1));
  assert.equal(h.account.positionQuantity(h.inst), 10);
  assert.equal(h.account.cash, 10_000_000 - 101_00 * 10);
});

test('bar: an order accepted at a bar timestamp does not fill on that bar', () => {
  const h = new Harness();
  const o = h.submit({ side: 'BUY', type: 'MARKET', quantity: 10 }, t(1));
  h.bar(t(1), 101, 102, 100, 101.5); // same timestamp as the acceptance
  assert.deepEqual(h.log(o), ['ACCEPTED']);
  h.bar(t(2), 103, 104, 102, 103);
  assert.deepEqual(h.log(o), ['ACCEPTED', 'FILL 103.00x10 TAKER']);
});

test('bar: same-close fills a market order at the close of the bar it was sent on', () => {
  const h = new Harness({ fill: { marketFill: 'same-close' } });
  h.bar(t(0), 100, 101, 99, 100.5);
  const now = h.submit({ side: 'BUY', type: 'MARKET', quantity: 10 }, t(0));
  assert.deepEqual(h.log(now), ['ACCEPTED', 'FILL 100.50x10 TAKER']);
  // one microsecond later bar 0 is no longer the current bar: next open as usual
  const later = h.submit({ side: 'BUY', type: 'MARKET', quantity: 5 }, t(0) + 1);
  assert.deepEqual(h.log(later), ['ACCEPTED']);
  h.bar(t(1), 102, 103, 101, 102);
  assert.deepEqual(h.log(later), ['ACCEPTED', 'FILL 102.00x5 TAKER']);
});

test('bar: a buy limit fills at its limit when the low reaches it (MAKER)', () => {
  const h = new Harness();
  const o = h.submit({ side: 'BUY', type: 'LIMIT', quantity: 10, price: P(99.5) }, t(0));
  h.bar(t(1), 100, 100.5, 99.6, 100); // low 99.60 > 99.50: no fill
  assert.deepEqual(h.log(o), ['ACCEPTED']);
  h.bar(t(2), 100, 100.5, 99.2, 99.8);
  assert.deepEqual(h.log(o), ['ACCEPTED', 'FILL 99.50x10 MAKER']);
});

test('bar: gap rule, a buy limit fills at the open when the bar opens below the limit (TAKER)', () => {
  const h = new Harness();
  const o = h.submit({ side: 'BUY', type: 'LIMIT', quantity: 10, price: P(99.5) }, t(0));
  h.bar(t(1), 99, 99.8, 98.9, 99.1);
  assert.deepEqual(h.log(o), ['ACCEPTED', 'FILL 99.00x10 TAKER']);
});

test('bar: a sell limit fills at its limit on the high, or at the open on a gap up', () => {
  const h = new Harness();
  const a = h.submit({ side: 'SELL', type: 'LIMIT', quantity: 10, price: P(101) }, t(0));
  h.bar(t(1), 100, 101.2, 99.5, 100.8);
  assert.deepEqual(h.log(a), ['ACCEPTED', 'FILL 101.00x10 MAKER']);
  const b = h.submit({ side: 'SELL', type: 'LIMIT', quantity: 10, price: P(101) }, t(1));
  h.bar(t(2), 102, 102.5, 101.5, 102);
  assert.deepEqual(h.log(b), ['ACCEPTED', 'FILL 102.00x10 TAKER']);
});

test('bar: a buy stop fills at its trigger when the high reaches it, or at the open on a gap', () => {
  const h = new Harness();
  const a = h.submit({ side: 'BUY', type: 'STOP', quantity: 10, triggerPrice: P(101) }, t(0));
  h.bar(t(1), 100, 100.9, 99.5, 100.5); // high below the trigger
  assert.deepEqual(h.log(a), ['ACCEPTED']);
  h.bar(t(2), 100, 101.5, 99.5, 101.2);
  assert.deepEqual(h.log(a), ['ACCEPTED', 'TRIGGERED', 'FILL 101.00x10 TAKER']);
  const b = h.submit({ side: 'BUY', type: 'STOP', quantity: 10, triggerPrice: P(101) }, t(2));
  h.bar(t(3), 102, 102.5, 101.8, 102.2);
  assert.deepEqual(h.log(b), ['ACCEPTED', 'TRIGGERED', 'FILL 102.00x10 TAKER']);
});

test('bar: a sell stop fills at its trigger on the low, or at the open on a gap down', () => {
  const h = new Harness();
  const a = h.submit({ side: 'SELL', type: 'STOP', quantity: 10, triggerPrice: P(99) }, t(0));
  h.bar(t(1), 100, 100.5, 98.5, 99.2);
  assert.deepEqual(h.log(a), ['ACCEPTED', 'TRIGGERED', 'FILL 99.00x10 TAKER']);
  const b = h.submit({ side: 'SELL', type: 'STOP', quantity: 10, triggerPrice: P(99) }, t(1));
  h.bar(t(2), 98, 98.4, 97.5, 98);
  assert.deepEqual(h.log(b), ['ACCEPTED', 'TRIGGERED', 'FILL 98.00x10 TAKER']);
});

test('bar: a stop-limit triggered inside the bar fills at the trigger when it is within the limit', () => {
  const h = new Harness();
  const o = h.submit({ side: 'BUY', type: 'STOP_LIMIT', quantity: 10, triggerPrice: P(101), price: P(101.2) }, t(0));
  h.bar(t(1), 100, 101.5, 99.5, 101);
  assert.deepEqual(h.log(o), ['ACCEPTED', 'TRIGGERED', 'FILL 101.00x10 TAKER']);
});

test('bar: a stop-limit with its limit below the trigger fills at the limit if the low reaches it, else rests as a limit', () => {
  const h = new Harness();
  const a = h.submit({ side: 'BUY', type: 'STOP_LIMIT', quantity: 10, triggerPrice: P(101), price: P(100.8) }, t(0));
  h.bar(t(1), 100, 101.5, 100.5, 101);
  assert.deepEqual(h.log(a), ['ACCEPTED', 'TRIGGERED', 'FILL 100.80x10 TAKER']);
  const b = h.submit({ side: 'BUY', type: 'STOP_LIMIT', quantity: 10, triggerPrice: P(101), price: P(100.8) }, t(1));
  h.bar(t(2), 100.9, 101.5, 100.9, 101.4); // triggers, low 100.90 above the limit
  assert.deepEqual(h.log(b), ['ACCEPTED', 'TRIGGERED']);
  assert.equal(b.triggered, true);
  h.bar(t(3), 101, 101.2, 100.6, 100.7); // now a plain limit at 100.80
  assert.deepEqual(h.log(b), ['ACCEPTED', 'TRIGGERED', 'FILL 100.80x10 TAKER']);
});

test('bar: a stop-limit triggered by a gap fills as a limit from the open', () => {
  const h = new Harness();
  const a = h.submit({ side: 'BUY', type: 'STOP_LIMIT', quantity: 10, triggerPrice: P(101), price: P(102) }, t(0));
  h.bar(t(1), 101.5, 102.5, 101.1, 102); // open 101.50 >= trigger, <= limit: at the open
  assert.deepEqual(h.log(a), ['ACCEPTED', 'TRIGGERED', 'FILL 101.50x10 TAKER']);
  const b = h.submit({ side: 'BUY', type: 'STOP_LIMIT', quantity: 10, triggerPrice: P(101), price: P(101.2) }, t(1));
  h.bar(t(2), 101.5, 102.5, 101.1, 102); // open above the limit, low reaches it: at the limit
  assert.deepEqual(h.log(b), ['ACCEPTED', 'TRIGGERED', 'FILL 101.20x10 TAKER']);
});

test('bar: slippage in ticks moves market and stop fills against us, clamped to the bar range', () => {
  const h = new Harness({ fill: { slippageTicks: 3 } });
  const a = h.submit({ side: 'BUY', type: 'MARKET', quantity: 1 }, t(0));
  h.bar(t(1), 100, 101, 99, 100);
  assert.deepEqual(h.log(a), ['ACCEPTED', 'FILL 100.03x1 TAKER']);
  const b = h.submit({ side: 'BUY', type: 'MARKET', quantity: 1 }, t(1));
  h.bar(t(2), 100, 100.02, 99, 100); // 100.03 is above the high: clamped to 100.02
  assert.deepEqual(h.log(b), ['ACCEPTED', 'FILL 100.02x1 TAKER']);
  const c = h.submit({ side: 'SELL', type: 'MARKET', quantity: 1 }, t(2));
  h.bar(t(3), 100, 101, 99.99, 100); // 99.97 below the low: clamped to 99.99
  assert.deepEqual(h.log(c), ['ACCEPTED', 'FILL 99.99x1 TAKER']);
  const d = h.submit({ side: 'BUY', type: 'STOP', quantity: 1, triggerPrice: P(101) }, t(3));
  h.bar(t(4), 100, 101.01, 99, 101); // 101.03 clamped to the high 101.01
  assert.deepEqual(h.log(d), ['ACCEPTED', 'TRIGGERED', 'FILL 101.01x1 TAKER']);
  const e = h.submit({ side: 'BUY', type: 'LIMIT', quantity: 1, price: P(99.5) }, t(4));
  h.bar(t(5), 100, 100.5, 99, 99.5); // limits get no slippage
  assert.deepEqual(h.log(e), ['ACCEPTED', 'FILL 99.50x1 MAKER']);
});

test('bar: a volume share cap fills part of an order per bar; the rest carries over', () => {
  const h = new Harness({ fill: { volumeShare: 0.1 } });
  const o = h.submit({ side: 'BUY', type: 'MARKET', quantity: 250 }, t(0));
  h.bar(t(1), 100, 101, 99, 100, 1_000);
  assert.equal(o.status, 'PARTIALLY_FILLED');
  h.bar(t(2), 101, 102, 100, 101, 1_000);
  h.bar(t(3), 102, 103, 101, 102, 1_000);
  assert.deepEqual(h.log(o), ['ACCEPTED', 'FILL 100.00x100 TAKER', 'FILL 101.00x100 TAKER', 'FILL 102.00x50 TAKER']);
  assert.deepEqual(
    h.updates.filter((u) => u.order === o).map((u) => [u.status, u.filled]),
    [
      ['ACCEPTED', 0],
      ['PARTIALLY_FILLED', 100],
      ['PARTIALLY_FILLED', 200],
      ['FILLED', 250],
    ],
  );
  assert.equal(o.avgPrice, (10_000 * 100 + 10_100 * 100 + 10_200 * 50) / 250);
});

test('bar: the volume cap is shared by working orders in priority order', () => {
  const h = new Harness({ fill: { volumeShare: 0.1 } });
  const a = h.submit({ side: 'BUY', type: 'MARKET', quantity: 80 }, t(0));
  const b = h.submit({ side: 'BUY', type: 'MARKET', quantity: 80 }, t(0));
  h.bar(t(1), 100, 101, 99, 100, 1_000);
  assert.deepEqual(h.log(a), ['ACCEPTED', 'FILL 100.00x80 TAKER']);
  assert.deepEqual(h.log(b), ['ACCEPTED', 'FILL 100.00x20 TAKER']);
  h.bar(t(2), 101, 102, 100, 101, 1_000);
  assert.deepEqual(h.log(b), ['ACCEPTED', 'FILL 100.00x20 TAKER', 'FILL 101.00x60 TAKER']);
});

// ================================================================== quotes

test('quote: a market order arriving after a quote fills at the ask (buy) or the bid (sell)', () => {
  const h = new Harness();
  h.quote(t(0), 99.98, 100.02);
  const buy = h.submit({ side: 'BUY', type: 'MARKET', quantity: 10 }, t(0) + SEC);
  const sell = h.submit({ side: 'SELL', type: 'MARKET', quantity: 10 }, t(0) + SEC);
  assert.deepEqual(h.log(buy), ['ACCEPTED', 'FILL 100.02x10 TAKER']);
  assert.deepEqual(h.log(sell), ['ACCEPTED', 'FILL 99.98x10 TAKER']);
  assert.equal(h.fills(buy)[0]!.time, t(0) + SEC, 'filled on arrival');
});

test('quote: a market order sent before any quote fills at the first quote', () => {
  const h = new Harness();
  const o = h.submit({ side: 'BUY', type: 'MARKET', quantity: 10 }, t(0));
  assert.deepEqual(h.log(o), ['ACCEPTED']);
  h.quote(t(0) + SEC, 99.98, 100.02);
  assert.deepEqual(h.log(o), ['ACCEPTED', 'FILL 100.02x10 TAKER']);
});

test('quote: a marketable limit takes the quote at arrival (TAKER, at the ask, not at its limit)', () => {
  const h = new Harness();
  h.quote(t(0), 99.98, 100.02);
  const o = h.submit({ side: 'BUY', type: 'LIMIT', quantity: 10, price: P(100.05) }, t(0) + SEC);
  assert.deepEqual(h.log(o), ['ACCEPTED', 'FILL 100.02x10 TAKER']);
});

test('quote: a resting limit fills at its limit as MAKER when a later quote crosses it', () => {
  const h = new Harness();
  h.quote(t(0), 99.98, 100.02);
  const o = h.submit({ side: 'BUY', type: 'LIMIT', quantity: 10, price: P(100) }, t(0) + SEC);
  assert.deepEqual(h.log(o), ['ACCEPTED']);
  h.quote(t(0) + 2 * SEC, 99.97, 100.01); // ask still above 100.00
  assert.deepEqual(h.log(o), ['ACCEPTED']);
  h.quote(t(0) + 3 * SEC, 99.95, 99.99);
  assert.deepEqual(h.log(o), ['ACCEPTED', 'FILL 100.00x10 MAKER']);
});

test('quote: spread-fraction slippage adds a fraction of the spread, rounded up to whole ticks', () => {
  const h = new Harness({ fill: { slippageSpreadFraction: 0.3 } });
  h.quote(t(0), 99.98, 100.02); // spread 4 ticks: 0.3 x 4 = 1.2 -> 2 ticks
  const buy = h.submit({ side: 'BUY', type: 'MARKET', quantity: 10 }, t(0) + SEC);
  const sell = h.submit({ side: 'SELL', type: 'MARKET', quantity: 10 }, t(0) + SEC);
  assert.deepEqual(h.log(buy), ['ACCEPTED', 'FILL 100.04x10 TAKER']);
  assert.deepEqual(h.log(sell), ['ACCEPTED', 'FILL 99.96x10 TAKER']);
});

test('quote: with the quote size cap a market order takes at most the quoted size per quote', () => {
  const h = new Harness({ fill: { quoteSizeCap: true } });
  h.quote(t(0), 99.98, 100.02, 500, 30);
  const o = h.submit({ side: 'BUY', type: 'MARKET', quantity: 100 }, t(0) + SEC);
  assert.deepEqual(h.log(o), ['ACCEPTED', 'FILL 100.02x30 TAKER']);
  h.quote(t(0) + 2 * SEC, 99.99, 100.03, 500, 50);
  h.quote(t(0) + 3 * SEC, 100, 100.04, 500, 50);
  assert.deepEqual(h.log(o), ['ACCEPTED', 'FILL 100.02x30 TAKER', 'FILL 100.03x50 TAKER', 'FILL 100.04x20 TAKER']);
  assert.equal(o.status, 'FILLED');
});

test('quote: a buy stop triggers when the ask reaches the trigger and fills at the ask', () => {
  const h = new Harness();
  h.quote(t(0), 99.98, 100.02);
  const o = h.submit({ side: 'BUY', type: 'STOP', quantity: 10, triggerPrice: P(100.1) }, t(0) + SEC);
  h.quote(t(0) + 2 * SEC, 100.05, 100.09);
  assert.deepEqual(h.log(o), ['ACCEPTED']);
  h.quote(t(0) + 3 * SEC, 100.08, 100.12);
  assert.deepEqual(h.log(o), ['ACCEPTED', 'TRIGGERED', 'FILL 100.12x10 TAKER']);
});

// ================================================================== trades

test('trade: a resting limit fills at its limit on a print at its price (touch), or only through it (through)', () => {
  const touch = new Harness();
  const a = touch.submit({ side: 'BUY', type: 'LIMIT', quantity: 10, price: P(100) }, t(0));
  touch.trade(t(1), 100.01);
  touch.trade(t(2), 100);
  assert.deepEqual(touch.log(a), ['ACCEPTED', 'FILL 100.00x10 MAKER']);

  const through = new Harness({ fill: { tradeLimitFill: 'through' } });
  const b = through.submit({ side: 'BUY', type: 'LIMIT', quantity: 10, price: P(100) }, t(0));
  through.trade(t(2), 100);
  assert.deepEqual(through.log(b), ['ACCEPTED']);
  through.trade(t(3), 99.99);
  assert.deepEqual(through.log(b), ['ACCEPTED', 'FILL 100.00x10 MAKER']);
});

test('trade: a market order fills at the next print; a stop triggers on a print through it and fills at that print', () => {
  const h = new Harness();
  const m = h.submit({ side: 'BUY', type: 'MARKET', quantity: 10 }, t(0));
  const s = h.submit({ side: 'SELL', type: 'STOP', quantity: 10, triggerPrice: P(99.5) }, t(0));
  h.trade(t(1), 100.05);
  assert.deepEqual(h.log(m), ['ACCEPTED', 'FILL 100.05x10 TAKER']);
  h.trade(t(2), 99.6);
  assert.deepEqual(h.log(s), ['ACCEPTED']);
  h.trade(t(3), 99.48);
  assert.deepEqual(h.log(s), ['ACCEPTED', 'TRIGGERED', 'FILL 99.48x10 TAKER']);
});

test('trade: the volume share cap applies to the print size', () => {
  const h = new Harness({ fill: { volumeShare: 0.5 } });
  const o = h.submit({ side: 'BUY', type: 'MARKET', quantity: 30 }, t(0));
  h.trade(t(1), 100, 40);
  h.trade(t(2), 100.01, 40);
  assert.deepEqual(h.log(o), ['ACCEPTED', 'FILL 100.00x20 TAKER', 'FILL 100.01x10 TAKER']);
});

// ================================================================== time in force

test('IOC: one chance on the next bar; what does not fill is canceled (IOC_REMAINDER)', () => {
  const h = new Harness({ fill: { volumeShare: 0.1 } });
  const miss = h.submit({ side: 'BUY', type: 'LIMIT', quantity: 10, price: P(98), tif: 'IOC' }, t(0));
  const part = h.submit({ side: 'BUY', type: 'MARKET', quantity: 250, tif: 'IOC' }, t(0));
  h.bar(t(1), 100, 101, 99, 100, 1_000);
  assert.deepEqual(h.log(miss), ['ACCEPTED', 'CANCELED IOC_REMAINDER']);
  assert.deepEqual(h.log(part), ['ACCEPTED', 'FILL 100.00x100 TAKER', 'CANCELED IOC_REMAINDER']);
  assert.equal(part.filled, 100);
  assert.equal(part.closedQuantity, 150);
  assert.equal(part.leaves, 0);
});

test('IOC: against a quote the chance is the arrival itself', () => {
  const h = new Harness();
  h.quote(t(0), 99.98, 100.02);
  const o = h.submit({ side: 'BUY', type: 'LIMIT', quantity: 10, price: P(100), tif: 'IOC' }, t(0) + SEC);
  assert.deepEqual(h.log(o), ['ACCEPTED', 'CANCELED IOC_REMAINDER']);
  assert.equal(o.status, 'CANCELED');
});

test('FOK: fills completely or not at all (FOK_NOT_FILLABLE)', () => {
  const h = new Harness({ fill: { volumeShare: 0.1 } });
  const big = h.submit({ side: 'BUY', type: 'MARKET', quantity: 150, tif: 'FOK' }, t(0));
  const small = h.submit({ side: 'BUY', type: 'MARKET', quantity: 100, tif: 'FOK' }, t(0));
  h.bar(t(1), 100, 101, 99, 100, 1_000);
  assert.deepEqual(h.log(big), ['ACCEPTED', 'CANCELED FOK_NOT_FILLABLE']);
  assert.equal(big.filled, 0);
  assert.equal(big.cancelReason, 'IOC_REMAINDER');
  assert.equal(big.rejectReason, 'FOK_NOT_FILLABLE');
  assert.deepEqual(h.log(small), ['ACCEPTED', 'FILL 100.00x100 TAKER']);
  const miss = h.submit({ side: 'BUY', type: 'LIMIT', quantity: 10, price: P(90), tif: 'FOK' }, t(1));
  h.bar(t(2), 100, 101, 99, 100, 1_000);
  assert.deepEqual(h.log(miss), ['ACCEPTED', 'CANCELED FOK_NOT_FILLABLE']);
});

test('FOK: against a quote with the size cap, more than the quoted size is not fillable', () => {
  const h = new Harness({ fill: { quoteSizeCap: true } });
  h.quote(t(0), 99.98, 100.02, 100, 30);
  const o = h.submit({ side: 'BUY', type: 'MARKET', quantity: 50, tif: 'FOK' }, t(0) + SEC);
  assert.deepEqual(h.log(o), ['ACCEPTED', 'CANCELED FOK_NOT_FILLABLE']);
});

test('DAY: works through the UTC day of the first event it meets and expires at the first event of a later day', () => {
  const h = new Harness();
  const day = (k: number, hh = 0): number => T0 + k * US_PER_DAY + hh * 3_600 * SEC;
  h.bar(day(0), 100, 101, 99, 100);
  const o = h.submit({ side: 'BUY', type: 'LIMIT', quantity: 10, price: P(95), tif: 'DAY' }, day(0));
  h.bar(day(1), 100, 101, 99, 100); // its day: day 1 (daily bars: the session after it was sent)
  assert.deepEqual(h.log(o), ['ACCEPTED']);
  h.bar(day(2), 94, 95, 93, 94); // a new UTC day: expires before it could fill
  assert.deepEqual(h.log(o), ['ACCEPTED', 'EXPIRED']);
  assert.equal(h.updates.at(-1)!.time, day(2));
  assert.equal(o.status, 'EXPIRED');
  assert.equal(o.filled, 0);

  // intraday quotes: lives through the rest of the day, expires at the first quote after midnight
  const q = new Harness();
  q.quote(day(0, 10), 99.98, 100.02);
  const d = q.submit({ side: 'BUY', type: 'LIMIT', quantity: 10, price: P(95), tif: 'DAY' }, day(0, 10) + SEC);
  q.quote(day(0, 11), 99.98, 100.02);
  q.quote(day(0, 23) + 59 * MIN, 99.98, 100.02);
  assert.deepEqual(q.log(d), ['ACCEPTED']);
  q.quote(day(1) + 1, 99.98, 100.02);
  assert.deepEqual(q.log(d), ['ACCEPTED', 'EXPIRED']);
});

test('GTD: expires at its expiry time through the engine queue', () => {
  const h = new Harness();
  const expire = t(0) + 90 * SEC;
  const o = h.submit({ side: 'BUY', type: 'LIMIT', quantity: 10, price: P(95), tif: 'GTD', expireTime: expire }, t(0));
  assert.equal(h.queue.size, 1);
  assert.equal(h.queue.peekTime(), expire);
  h.bar(t(1), 100, 101, 99, 100);
  assert.deepEqual(h.log(o), ['ACCEPTED']);
  h.advance(expire);
  assert.deepEqual(h.log(o), ['ACCEPTED', 'EXPIRED']);
  assert.equal(h.updates.at(-1)!.time, expire);
  // a GTD order that filled first: its expiry event later does nothing
  const f = h.submit({ side: 'BUY', type: 'MARKET', quantity: 1, tif: 'GTD', expireTime: t(10) }, t(2));
  h.bar(t(3), 100, 101, 99, 100);
  h.advance(t(10));
  assert.deepEqual(h.log(f), ['ACCEPTED', 'FILL 100.00x1 TAKER']);
  // expiry at exactly a bar's time: the engine event runs before the data event, so no fill on that bar
  const edge = h.submit({ side: 'BUY', type: 'MARKET', quantity: 1, tif: 'GTD', expireTime: t(12) }, t(11));
  h.bar(t(12), 100, 101, 99, 100);
  assert.deepEqual(h.log(edge), ['ACCEPTED', 'EXPIRED']);
});

// ================================================================== post-only, reduce-only, funds

test('post-only: rejected when it would take the current quote; otherwise rests and fills as MAKER', () => {
  const h = new Harness();
  h.quote(t(0), 99.98, 100.02);
  const cross = h.submit({ side: 'BUY', type: 'LIMIT', quantity: 10, price: P(100.02), postOnly: true }, t(0) + SEC);
  const crossSell = h.submit({ side: 'SELL', type: 'LIMIT', quantity: 10, price: P(99.98), postOnly: true }, t(0) + SEC);
  assert.deepEqual(h.log(cross), ['REJECTED POST_ONLY_WOULD_CROSS']);
  assert.deepEqual(h.log(crossSell), ['REJECTED POST_ONLY_WOULD_CROSS']);
  const rest = h.submit({ side: 'BUY', type: 'LIMIT', quantity: 10, price: P(100.01), postOnly: true }, t(0) + SEC);
  assert.deepEqual(h.log(rest), ['ACCEPTED']);
  h.quote(t(0) + 2 * SEC, 99.97, 100);
  assert.deepEqual(h.log(rest), ['ACCEPTED', 'FILL 100.01x10 MAKER']);
  // only LIMIT orders can be post-only
  const m = h.submit({ side: 'BUY', type: 'MARKET', quantity: 1, postOnly: true }, t(0) + 3 * SEC);
  assert.deepEqual(h.log(m), ['REJECTED POST_ONLY_WOULD_CROSS']);
  // with bars there is no quote to cross: accepted
  const b = new Harness();
  b.bar(t(0), 100, 101, 99, 100);
  assert.deepEqual(b.log(b.submit({ side: 'BUY', type: 'LIMIT', quantity: 1, price: P(100.5), postOnly: true }, t(0))), ['ACCEPTED']);
});

test('reduce-only: rejected when it would open or increase a position', () => {
  const h = new Harness();
  const flat = h.submit({ side: 'SELL', type: 'MARKET', quantity: 10, reduceOnly: true }, t(0));
  assert.deepEqual(h.log(flat), ['REJECTED REDUCE_ONLY_WOULD_INCREASE']);
  h.account.positions.set(h.inst.id, 10);
  const more = h.submit({ side: 'BUY', type: 'MARKET', quantity: 5, reduceOnly: true }, t(0));
  assert.deepEqual(h.log(more), ['REJECTED REDUCE_ONLY_WOULD_INCREASE']);
  h.account.positions.set(h.inst.id, -10);
  const cover = h.submit({ side: 'BUY', type: 'MARKET', quantity: 5, reduceOnly: true }, t(0));
  assert.deepEqual(h.log(cover), ['ACCEPTED']);
});

test('reduce-only: clamped at fill time to the position, the rest canceled (REDUCE_ONLY)', () => {
  const h = new Harness();
  h.account.positions.set(h.inst.id, 10);
  const o = h.submit({ side: 'SELL', type: 'MARKET', quantity: 15, reduceOnly: true }, t(0));
  h.bar(t(1), 100, 101, 99, 100);
  assert.deepEqual(h.log(o), ['ACCEPTED', 'FILL 100.00x10 TAKER', 'CANCELED REDUCE_ONLY']);
  assert.equal(h.account.positionQuantity(h.inst), 0);
  assert.equal(o.filled, 10);
  assert.equal(o.closedQuantity, 5);
  // the position went away before the fill: canceled without a fill
  h.account.positions.set(h.inst.id, 5);
  const late = h.submit({ side: 'SELL', type: 'LIMIT', quantity: 5, price: P(102), reduceOnly: true }, t(1));
  h.account.positions.set(h.inst.id, 0); // closed by another order
  h.bar(t(2), 102, 103, 101, 102);
  assert.deepEqual(h.log(late), ['ACCEPTED', 'CANCELED REDUCE_ONLY']);
});

test('funds: an order the account cannot pay for at fill time is REJECTED INSUFFICIENT_FUNDS', () => {
  const h = new Harness({}, 1_000_00); // $1,000
  const o = h.submit({ side: 'BUY', type: 'MARKET', quantity: 20 }, t(0));
  assert.equal(o.status, 'ACCEPTED', 'funds are checked at fill time, not at acceptance');
  h.bar(t(1), 100, 101, 99, 100);
  assert.deepEqual(h.log(o), ['ACCEPTED', 'REJECTED INSUFFICIENT_FUNDS']);
  assert.equal(o.filled, 0);
  assert.equal(h.account.cash, 1_000_00);
});

test('funds: running out after a partial fill cancels the rest (CANCELED INSUFFICIENT_FUNDS)', () => {
  const h = new Harness({ fill: { volumeShare: 0.01 } }, 1_500_00); // $1,500; 10 shares per bar
  const o = h.submit({ side: 'BUY', type: 'MARKET', quantity: 15 }, t(0));
  h.bar(t(1), 100, 101, 99, 100, 1_000); // 10 x 100 = $1,000: $500 left
  h.bar(t(2), 101, 102, 100, 101, 1_000); // 5 x 101 = $505 > $500
  assert.deepEqual(h.log(o), ['ACCEPTED', 'FILL 100.00x10 TAKER', 'CANCELED INSUFFICIENT_FUNDS']);
  assert.equal(o.status, 'CANCELED');
  assert.equal(o.filled, 10);
  assert.equal(o.closedQuantity, 5);
});

test('funds: the real cash Account through an adapter refuses a short sale and an unaffordable buy', () => {
  const acct = new Account({ kind: 'cash', currency: 'USD', cashPrecision: 2, startingCash: 1_000_00 });
  const adapter: VenueAccount = {
    canFill: (i, side, price, q, fee) => acct.canFill(i, side, price, q, fee),
    applyFill: (f) => void acct.applyFill({ time: f.time, instrument: f.instrument, side: f.side, price: f.price, quantity: f.quantity, fee: f.fee, orderId: f.orderId }),
    notional: (i, price, q) => acct.notional(i, price, q),
    positionQuantity: (i) => acct.position(i).quantity,
  };
  const queue = new EventQueue();
  const updates: OrderUpdate[] = [];
  const inst = new Instrument(0, STOCK);
  const venue = new SimulatedVenue(queue, (u) => updates.push(u), () => adapter, { fees: new MakerTakerFees({ perOrder: 1_00 }) });
  venue.addInstrument(inst);
  const buy = new Order(1, { instrument: inst, side: 'BUY', type: 'MARKET', quantity: 5, owner: 1 });
  const short = new Order(2, { instrument: inst, side: 'SELL', type: 'MARKET', quantity: 10, owner: 1 });
  const tooBig = new Order(3, { instrument: inst, side: 'BUY', type: 'MARKET', quantity: 5, owner: 1 });
  venue.submit(buy, t(0));
  venue.submit(short, t(0));
  venue.submit(tooBig, t(0));
  venue.onMarketEvent({ kind: 'bar', time: t(1), instrument: inst, open: 100, high: 101, low: 99, close: 100, volume: 1e6 });
  // buy: 5 x $100 + $1 fee = $501 -> $499 left; short: cash accounts cannot short; tooBig: $501 > $499
  assert.deepEqual(updates.map((u) => `${u.order.id} ${fmt(u)}`), [
    '1 ACCEPTED',
    '2 ACCEPTED',
    '3 ACCEPTED',
    '1 FILL 100.00x5 TAKER',
    '2 REJECTED INSUFFICIENT_FUNDS',
    '3 REJECTED INSUFFICIENT_FUNDS',
  ]);
  assert.equal(acct.cash, 499_00);
  assert.equal(acct.position(inst).quantity, 5);
});

// ================================================================== modify and cancel

/** Two resting buy limits at 99.00 (A first) with a cap of 10 shares per bar. */
function twoResting(): { h: Harness; a: Order; b: Order } {
  const h = new Harness({ fill: { volumeShare: 0.01 } });
  const a = h.submit({ side: 'BUY', type: 'LIMIT', quantity: 10, price: P(99) }, t(0));
  const b = h.submit({ side: 'BUY', type: 'LIMIT', quantity: 10, price: P(99) }, t(0));
  return { h, a, b };
}
/** A bar that reaches both limits (low 98.50) without gapping through them. */
const crossing = (h: Harness, k: number): void => h.bar(t(k), 100, 100, 98.5, 99, 1_000);

test('modify: without a change of priority the first accepted order fills first', () => {
  const { h, a, b } = twoResting();
  crossing(h, 1);
  assert.deepEqual(h.log(a), ['ACCEPTED', 'FILL 99.00x10 MAKER']);
  assert.deepEqual(h.log(b), ['ACCEPTED']);
});

test('modify: a price change loses time priority', () => {
  const { h, a, b } = twoResting();
  h.venue.modify(a.id, P(99.01), NaN, t(0) + SEC);
  assert.deepEqual(h.log(a), ['ACCEPTED', 'MODIFIED']);
  assert.equal(a.price, P(99.01));
  crossing(h, 1);
  assert.deepEqual(h.log(b), ['ACCEPTED', 'FILL 99.00x10 MAKER']);
  assert.deepEqual(h.log(a), ['ACCEPTED', 'MODIFIED']);
  crossing(h, 2);
  assert.deepEqual(h.log(a), ['ACCEPTED', 'MODIFIED', 'FILL 99.01x10 MAKER']);
});

test('modify: a size decrease keeps priority, a size increase loses it', () => {
  const dec = twoResting();
  dec.h.venue.modify(dec.a.id, NaN, 5, t(0) + SEC);
  crossing(dec.h, 1);
  assert.deepEqual(dec.h.log(dec.a), ['ACCEPTED', 'MODIFIED', 'FILL 99.00x5 MAKER']);
  assert.deepEqual(dec.h.log(dec.b), ['ACCEPTED', 'FILL 99.00x5 MAKER']);

  const inc = twoResting();
  inc.h.venue.modify(inc.a.id, NaN, 20, t(0) + SEC);
  crossing(inc.h, 1);
  assert.deepEqual(inc.h.log(inc.b), ['ACCEPTED', 'FILL 99.00x10 MAKER']);
  assert.deepEqual(inc.h.log(inc.a), ['ACCEPTED', 'MODIFIED']);
  assert.equal(inc.a.quantity, 20);
});

test('modify: bad modifies are refused with a reason and leave the order unchanged', () => {
  const h = new Harness({ fill: { volumeShare: 0.01 } }, 10_000_000, { symbol: 'LOT', pricePrecision: 2, tickUnits: 5, lotUnits: 10, maxSizeUnits: 1_000 });
  const m = h.submit({ side: 'BUY', type: 'MARKET', quantity: 10 }, t(0));
  const o = h.submit({ side: 'BUY', type: 'LIMIT', quantity: 100, price: P(99) }, t(0));
  h.bar(t(1), 100, 100, 98.5, 99, 2_000); // cap 20: the market order 10, then the limit 10
  assert.equal(o.filled, 10);
  const now = t(1) + SEC;
  const tries: [number, number, number, number, string][] = [
    [999, NaN, 50, NaN, 'REQUEST_REJECTED UNKNOWN_ORDER'],
    [m.id, NaN, 20, NaN, 'REQUEST_REJECTED ORDER_NOT_OPEN'], // already filled
    [o.id, NaN, 10, NaN, 'REQUEST_REJECTED BAD_SIZE'], // not above the 10 already filled
    [o.id, NaN, 0, NaN, 'REQUEST_REJECTED BAD_SIZE'],
    [o.id, NaN, 55, NaN, 'REQUEST_REJECTED BAD_LOT'],
    [o.id, NaN, 1_010, NaN, 'REQUEST_REJECTED ABOVE_MAX_SIZE'],
    [o.id, P(99.01), NaN, NaN, 'REQUEST_REJECTED OFF_TICK_PRICE'],
    [o.id, -500, NaN, NaN, 'REQUEST_REJECTED BAD_PRICE'],
    [o.id, NaN, NaN, P(99.5), 'REQUEST_REJECTED BAD_PRICE'], // a trigger on a plain limit
  ];
  for (const [id, price, qty, trig, want] of tries) {
    const before = h.updates.length;
    h.venue.modify(id, price, qty, now, trig);
    assert.deepEqual(h.updates.slice(before).map(fmt), [want], `modify(${id}, ${price}, ${qty}, ${trig})`);
    const u = h.updates.at(-1)!;
    assert.equal(u.request, 'modify');
    assert.equal(u.order.id, id);
  }
  assert.equal(o.price, P(99));
  assert.equal(o.quantity, 100);
  assert.equal(o.status, 'PARTIALLY_FILLED');
  // a new price on a market order
  const open = h.submit({ side: 'BUY', type: 'MARKET', quantity: 10 }, now);
  h.venue.modify(open.id, P(99), NaN, now);
  assert.deepEqual(h.log(open), ['ACCEPTED', 'REQUEST_REJECTED BAD_PRICE']);
  // a trigger off the tick on a stop
  const stop = h.submit({ side: 'SELL', type: 'STOP', quantity: 10, triggerPrice: P(95) }, now);
  h.venue.modify(stop.id, NaN, NaN, now, P(95.01));
  assert.deepEqual(h.log(stop), ['ACCEPTED', 'REQUEST_REJECTED OFF_TICK_PRICE']);
  h.venue.modify(stop.id, NaN, NaN, now, P(96));
  assert.deepEqual(h.log(stop).at(-1), 'MODIFIED');
  assert.equal(stop.triggerPrice, P(96));
  // a valid decrease of a partly filled order
  h.venue.modify(o.id, NaN, 50, now);
  assert.deepEqual(h.log(o).at(-1), 'MODIFIED');
  assert.equal(o.leaves, 40);
});

test('modify: a resting limit moved through the quote takes the quote like a new arrival', () => {
  const h = new Harness();
  h.quote(t(0), 99.98, 100.02);
  const o = h.submit({ side: 'BUY', type: 'LIMIT', quantity: 10, price: P(99.9) }, t(0) + SEC);
  h.venue.modify(o.id, P(100.05), NaN, t(0) + 2 * SEC);
  assert.deepEqual(h.log(o), ['ACCEPTED', 'MODIFIED', 'FILL 100.02x10 TAKER']);
  // a post-only order may not be moved through the quote
  const p = h.submit({ side: 'BUY', type: 'LIMIT', quantity: 10, price: P(99.9), postOnly: true }, t(0) + 3 * SEC);
  h.venue.modify(p.id, P(100.02), NaN, t(0) + 4 * SEC);
  assert.deepEqual(h.log(p), ['ACCEPTED', 'REQUEST_REJECTED POST_ONLY_WOULD_CROSS']);
  assert.equal(p.price, P(99.9));
});

test('cancel: an open order is CANCELED (USER); unknown or finished orders are refused', () => {
  const h = new Harness({ fill: { volumeShare: 0.01 } });
  const o = h.submit({ side: 'BUY', type: 'MARKET', quantity: 25 }, t(0));
  h.bar(t(1), 100, 101, 99, 100, 1_000);
  h.venue.cancel(o.id, t(1) + SEC);
  assert.deepEqual(h.log(o), ['ACCEPTED', 'FILL 100.00x10 TAKER', 'CANCELED USER']);
  assert.equal(o.status, 'CANCELED');
  assert.equal(o.closedQuantity, 15);
  h.venue.cancel(o.id, t(1) + 2 * SEC);
  assert.deepEqual(h.log(o).at(-1), 'REQUEST_REJECTED ORDER_NOT_OPEN');
  h.venue.cancel(4242, t(1) + 2 * SEC);
  const u = h.updates.at(-1)!;
  assert.deepEqual([u.kind, u.order.id, u.reason, u.request], ['REQUEST_REJECTED', 4242, 'UNKNOWN_ORDER', 'cancel']);
  h.bar(t(2), 100, 101, 99, 100, 1_000);
  assert.equal(o.filled, 10, 'a canceled order never fills again');
});

// ================================================================== OCO and bracket

test('OCO: the first fill of one cancels the other (OCO)', () => {
  const h = new Harness();
  h.account.positions.set(h.inst.id, 10);
  const tp = h.order({ side: 'SELL', type: 'LIMIT', quantity: 10, price: P(105) });
  const sl = h.order({ side: 'SELL', type: 'STOP', quantity: 10, triggerPrice: P(95) });
  h.venue.submitOco([tp, sl], t(0));
  h.bar(t(1), 100, 104, 96, 100);
  assert.deepEqual([h.log(tp), h.log(sl)], [['ACCEPTED'], ['ACCEPTED']]);
  h.bar(t(2), 100, 106, 99, 105);
  assert.deepEqual(h.log(tp), ['ACCEPTED', 'FILL 105.00x10 MAKER']);
  assert.deepEqual(h.log(sl), ['ACCEPTED', 'CANCELED OCO']);
  h.bar(t(3), 94, 95, 90, 91);
  assert.equal(sl.filled, 0);
});

test('OCO: an order filled on arrival cancels its sibling before the sibling is accepted', () => {
  const h = new Harness();
  h.quote(t(0), 99.98, 100.02);
  const a = h.order({ side: 'BUY', type: 'LIMIT', quantity: 10, price: P(100.05) }); // marketable
  const b = h.order({ side: 'BUY', type: 'LIMIT', quantity: 10, price: P(99) });
  h.venue.submitOco([a, b], t(0) + SEC);
  assert.deepEqual(h.log(a), ['ACCEPTED', 'FILL 100.02x10 TAKER']);
  assert.deepEqual(h.log(b), ['CANCELED OCO']);
  h.quote(t(0) + 2 * SEC, 98.9, 98.95);
  assert.equal(b.filled, 0);
});

test('OCO: a member rejected on submission leaves the other standing', () => {
  const h = new Harness();
  const bad = h.order({ side: 'BUY', type: 'LIMIT', quantity: 10 }); // no price
  const good = h.order({ side: 'BUY', type: 'LIMIT', quantity: 10, price: P(99) });
  h.venue.submitOco([bad, good], t(0));
  assert.deepEqual(h.log(bad), ['REJECTED MISSING_PRICE']);
  assert.deepEqual(h.log(good), ['ACCEPTED']);
  h.bar(t(1), 100, 100, 98, 99);
  assert.deepEqual(h.log(good), ['ACCEPTED', 'FILL 99.00x10 MAKER']);
});

/** A bracket: buy 10 at 100 (limit), take profit at 110, stop loss at 95. */
function bracket(h: Harness, now: number): { entry: Order; tp: Order; sl: Order } {
  const entry = h.order({ side: 'BUY', type: 'LIMIT', quantity: 10, price: P(100) });
  const tp = h.order({ side: 'SELL', type: 'LIMIT', quantity: 10, price: P(110), tag: 'take-profit' });
  const sl = h.order({ side: 'SELL', type: 'STOP', quantity: 10, triggerPrice: P(95), tag: 'stop-loss' });
  h.venue.submitBracket(entry, [tp, sl], now);
  return { entry, tp, sl };
}

test('bracket: children go live only after the entry fills, sized to the fill, and cancel each other', () => {
  const h = new Harness({ fill: { volumeShare: 0.006 } }); // 6 shares per 1,000-share bar
  const { entry, tp, sl } = bracket(h, t(0));
  assert.equal(tp.status, 'PENDING');
  h.venue.cancel(tp.id, t(0) + SEC); // a held child cannot be canceled yet
  assert.deepEqual(h.log(tp), ['REQUEST_REJECTED ORDER_NOT_OPEN']);
  h.bar(t(1), 101, 101, 99, 100, 1_000); // entry: 6 of 10
  assert.equal(entry.status, 'PARTIALLY_FILLED');
  assert.equal(tp.status, 'PENDING', 'children wait for the entry to be done');
  h.bar(t(2), 101, 101, 99, 100, 1_000); // entry: the last 4
  assert.deepEqual(h.log(entry), ['ACCEPTED', 'FILL 100.00x6 MAKER', 'FILL 100.00x4 MAKER']);
  assert.deepEqual([h.log(tp), h.log(sl)], [['REQUEST_REJECTED ORDER_NOT_OPEN', 'ACCEPTED'], ['ACCEPTED']]);
  assert.equal(tp.acceptTime, t(2));
  assert.equal(tp.quantity, 10);
  h.bar(t(3), 105, 111, 104, 110, 1_000_000);
  assert.deepEqual(h.log(tp).slice(1), ['ACCEPTED', 'FILL 110.00x10 MAKER']);
  assert.deepEqual(h.log(sl), ['ACCEPTED', 'CANCELED OCO']);
});

test('bracket: an entry canceled after a partial fill releases children sized to that fill', () => {
  const h = new Harness({ fill: { volumeShare: 0.006 } });
  const { entry, tp, sl } = bracket(h, t(0));
  h.bar(t(1), 101, 101, 99, 100, 1_000);
  h.venue.cancel(entry.id, t(1) + SEC);
  assert.deepEqual(h.log(entry), ['ACCEPTED', 'FILL 100.00x6 MAKER', 'CANCELED USER']);
  assert.deepEqual([h.log(tp), h.log(sl)], [['ACCEPTED'], ['ACCEPTED']]);
  assert.equal(tp.quantity, 6);
  assert.equal(sl.quantity, 6);
});

test('bracket: an entry that ends without a fill cancels its children (PARENT_CANCELED)', () => {
  const h = new Harness();
  const canceled = bracket(h, t(0));
  h.venue.cancel(canceled.entry.id, t(0) + SEC);
  assert.deepEqual(h.log(canceled.tp), ['CANCELED PARENT_CANCELED']);
  assert.deepEqual(h.log(canceled.sl), ['CANCELED PARENT_CANCELED']);

  const r = new Harness();
  const entry = r.order({ side: 'BUY', type: 'LIMIT', quantity: 10, price: 10_000.5 }); // off the grid
  const tp = r.order({ side: 'SELL', type: 'LIMIT', quantity: 10, price: P(110) });
  r.venue.submitBracket(entry, [tp], t(0));
  assert.deepEqual(r.log(entry), ['REJECTED OFF_TICK_PRICE']);
  assert.deepEqual(r.log(tp), ['CANCELED PARENT_CANCELED']);

  const f = new Harness({}, 500_00); // $500: the entry is refused at fill time
  const poor = bracket(f, t(0));
  f.bar(t(1), 99, 100, 98, 99);
  assert.deepEqual(f.log(poor.entry), ['ACCEPTED', 'REJECTED INSUFFICIENT_FUNDS']);
  assert.deepEqual(f.log(poor.tp), ['CANCELED PARENT_CANCELED']);
  assert.deepEqual(f.log(poor.sl), ['CANCELED PARENT_CANCELED']);
});

test('bracket: when a released child fills on arrival the other child is canceled (never both live)', () => {
  const h = new Harness();
  h.quote(t(0), 99.98, 100.02);
  const entry = h.order({ side: 'BUY', type: 'MARKET', quantity: 10 });
  const tp = h.order({ side: 'SELL', type: 'LIMIT', quantity: 10, price: P(99.9) }); // marketable against the bid
  const sl = h.order({ side: 'SELL', type: 'STOP', quantity: 10, triggerPrice: P(95) });
  h.venue.submitBracket(entry, [tp, sl], t(0) + SEC);
  assert.deepEqual(h.log(entry), ['ACCEPTED', 'FILL 100.02x10 TAKER']);
  assert.deepEqual(h.log(tp), ['ACCEPTED', 'FILL 99.98x10 TAKER']);
  assert.deepEqual(h.log(sl), ['CANCELED OCO']);
  assert.equal(h.account.positionQuantity(h.inst), 0);
});

// ================================================================== validation

/** An instrument with a 0.05 tick, lots of 10, min 20, max 1,000. */
const GRID: InstrumentSpec = { symbol: 'GRID', pricePrecision: 2, tickUnits: 5, lotUnits: 10, minSizeUnits: 20, maxSizeUnits: 1_000 };

test('validation: every reject reason of validateOrder, through the venue', () => {
  const h = new Harness({}, 10_000_000, GRID);
  const now = t(0);
  const cases: [Req, string][] = [
    [{ side: 'BUY', type: 'LIMIT', quantity: 20, price: 10_003 }, 'OFF_TICK_PRICE'],
    [{ side: 'BUY', type: 'LIMIT', quantity: 20, price: 10_000.5 }, 'OFF_TICK_PRICE'],
    [{ side: 'BUY', type: 'STOP', quantity: 20, triggerPrice: 10_003 }, 'OFF_TICK_PRICE'],
    [{ side: 'BUY', type: 'LIMIT', quantity: 25, price: 10_000 }, 'BAD_LOT'],
    [{ side: 'BUY', type: 'MARKET', quantity: 0 }, 'BAD_SIZE'],
    [{ side: 'BUY', type: 'MARKET', quantity: -20 }, 'BAD_SIZE'],
    [{ side: 'BUY', type: 'MARKET', quantity: NaN }, 'BAD_SIZE'],
    [{ side: 'BUY', type: 'MARKET', quantity: Infinity }, 'BAD_SIZE'],
    [{ side: 'BUY', type: 'MARKET', quantity: 20.5 }, 'BAD_SIZE'],
    [{ side: 'BUY', type: 'MARKET', quantity: 10 }, 'BELOW_MIN_SIZE'],
    [{ side: 'BUY', type: 'MARKET', quantity: 1_010 }, 'ABOVE_MAX_SIZE'],
    [{ side: 'BUY', type: 'LIMIT', quantity: 20 }, 'MISSING_PRICE'],
    [{ side: 'BUY', type: 'STOP_LIMIT', quantity: 20, triggerPrice: 10_000 }, 'MISSING_PRICE'],
    [{ side: 'BUY', type: 'STOP', quantity: 20 }, 'MISSING_TRIGGER'],
    [{ side: 'BUY', type: 'STOP_LIMIT', quantity: 20, price: 10_000 }, 'MISSING_TRIGGER'],
    [{ side: 'BUY', type: 'LIMIT', quantity: 20, price: 0 }, 'BAD_PRICE'],
    [{ side: 'BUY', type: 'LIMIT', quantity: 20, price: -100 }, 'BAD_PRICE'],
    [{ side: 'SELL', type: 'STOP', quantity: 20, triggerPrice: -100 }, 'BAD_PRICE'],
    [{ side: 'BUY', type: 'LIMIT', quantity: 20, price: 10_000, tif: 'GTD', expireTime: now }, 'BAD_EXPIRE_TIME'],
    [{ side: 'BUY', type: 'LIMIT', quantity: 20, price: 10_000, tif: 'GTD', expireTime: now - 1 }, 'BAD_EXPIRE_TIME'],
    [{ side: 'BUY', type: 'LIMIT', quantity: 20, price: 10_000, tif: 'GTD' }, 'BAD_EXPIRE_TIME'],
    [{ side: 'BUY', type: 'STOP', quantity: 20, triggerPrice: 10_000, postOnly: true }, 'POST_ONLY_WOULD_CROSS'],
  ];
  for (const [req, want] of cases) {
    const o = h.submit(req, now);
    assert.deepEqual(h.log(o), [`REJECTED ${want}`], JSON.stringify(req));
    assert.equal(o.status, 'REJECTED');
    assert.equal(o.rejectReason, want);
    assert.equal(validateOrder(o, now), want);
  }
  const ok = h.submit({ side: 'BUY', type: 'STOP_LIMIT', quantity: 1_000, price: 10_005, triggerPrice: 10_000, tif: 'GTD', expireTime: now + 1 }, now);
  assert.deepEqual(h.log(ok), ['ACCEPTED']);
});

test('validation: venue-level refusals (unknown instrument, market closed, duplicate id, no account)', () => {
  let open = true;
  const h = new Harness({ isOpen: () => open });
  const unlisted = new Instrument(1, { symbol: 'OTHER', pricePrecision: 2 });
  assert.deepEqual(h.log(h.submit({ side: 'BUY', type: 'MARKET', quantity: 1, instrument: unlisted }, t(0))), ['REJECTED UNKNOWN_INSTRUMENT']);
  const impostor = new Instrument(0, { symbol: 'TST', pricePrecision: 2 }); // same id, not the listed object
  assert.deepEqual(h.log(h.submit({ side: 'BUY', type: 'MARKET', quantity: 1, instrument: impostor }, t(0))), ['REJECTED UNKNOWN_INSTRUMENT']);
  open = false;
  assert.deepEqual(h.log(h.submit({ side: 'BUY', type: 'MARKET', quantity: 1 }, t(0))), ['REJECTED MARKET_CLOSED']);
  open = true;
  const first = h.submit({ side: 'BUY', type: 'LIMIT', quantity: 1, price: P(90) }, t(0));
  const dup = new Order(first.id, { instrument: h.inst, side: 'SELL', type: 'MARKET', quantity: 1, owner: 1 });
  h.venue.submit(dup, t(0));
  assert.equal(dup.status, 'REJECTED');
  assert.equal(dup.rejectReason, 'DUPLICATE_ORDER_ID');
  assert.equal(first.status, 'ACCEPTED', 'the original order is untouched');
  assert.equal(h.venue.order(first.id), first);
  const stranger = new Order(900, { instrument: h.inst, side: 'BUY', type: 'MARKET', quantity: 1, owner: 2 });
  h.venue.submit(stranger, t(0));
  assert.deepEqual(h.log(stranger), ['REJECTED INSUFFICIENT_FUNDS']);
});

test('validation: bad venue options are refused', () => {
  const q = new EventQueue();
  assert.throws(() => new SimulatedVenue(q, () => {}, () => undefined, { fill: { volumeShare: 0 } }), /volumeShare must be > 0/);
  assert.throws(() => new SimulatedVenue(q, () => {}, () => undefined, { fill: { slippageTicks: -1 } }), /slippageTicks must be >= 0/);
});

// ================================================================== fees

test('fees: MakerTakerFees rates, rounding half away from zero, minimum, per-order fee, rebates', () => {
  const inst = new Instrument(0, STOCK);
  const f = new MakerTakerFees({ makerRate: -0.0002, takerRate: 0.001, perOrder: 100, minimum: 50 });
  assert.equal(f.fee(inst, 1_000_000, 'TAKER', false), 1_000); // $10,000 x 10 bp = $10.00
  assert.equal(f.fee(inst, 1_000_000, 'TAKER', true), 1_100); // + $1 per order on the first fill
  assert.equal(f.fee(inst, 10_000, 'TAKER', false), 50); // $0.10 -> the $0.50 minimum
  assert.equal(f.fee(inst, 1_000_000, 'MAKER', false), -200); // rebate, no minimum
  const r = new MakerTakerFees({ makerRate: -0.001, takerRate: 0.001 });
  assert.equal(r.fee(inst, 1_500, 'TAKER', false), 2); // 1.5 -> 2
  assert.equal(r.fee(inst, 1_500, 'MAKER', false), -2); // -1.5 -> -2
  assert.equal(r.fee(inst, 1_499, 'TAKER', false), 1);
  assert.throws(() => new MakerTakerFees({ takerRate: NaN }), /takerRate must be a finite number/);
  assert.throws(() => new MakerTakerFees({ minimum: -1 }), /perOrder and minimum must be >= 0/);
});

test('fees: the venue charges maker and taker rates, the per-order fee once, and the minimum', () => {
  const fees = new MakerTakerFees({ makerRate: 0.0002, takerRate: 0.001, perOrder: 100, minimum: 50 });
  const h = new Harness({ fees, fill: { volumeShare: 0.005 } }); // 5 shares per 1,000-share bar
  const taker = h.submit({ side: 'BUY', type: 'MARKET', quantity: 5 }, t(0));
  const maker = h.submit({ side: 'BUY', type: 'LIMIT', quantity: 10, price: P(99.5) }, t(0));
  h.bar(t(1), 101, 101, 100, 101, 1_000); // taker: 5 x 101.00 = 50,500 cents
  h.bar(t(2), 100, 100, 99, 99.5, 1_000); // maker: 5 x 99.50 = 49,750 cents
  h.bar(t(3), 100, 100, 99, 99.5, 1_000); // maker: the other 5
  const tf = h.fills(taker);
  const mf = h.fills(maker);
  assert.deepEqual(tf.map((x) => [x.liquidity, x.fee]), [['TAKER', 51 + 100]]); // round(50.5) = 51, + $1 per order
  assert.deepEqual(mf.map((x) => [x.liquidity, x.fee]), [
    ['MAKER', 50 + 100], // 9.95 -> 10 -> minimum 50, + per order on the first fill
    ['MAKER', 50], // per-order fee only once
  ]);
  assert.equal(h.account.cash, 10_000_000 - 50_500 - 151 - 2 * 49_750 - 150 - 50);
});

// ================================================================== event order with the engine

test('event order: with response latency 0 the answers caused by a bar reach the strategy before the bar itself', async () => {
  const run = async (responseUs: number): Promise<string[]> => {
    const instruments = new InstrumentRegistry();
    const inst = instruments.add(STOCK);
    const bars: BarEvent[] = [0, 1, 2].map((k) => ({ kind: 'bar', time: t(k), instrument: inst, open: 100 + k, high: 101 + k, low: 99 + k, close: 100.5 + k, volume: 1e6 }));
    const log: string[] = [];
    const sim = new Simulation({
      instruments,
      sources: [new BatchSource<MarketEvent>('bars', [bars])],
      account: { kind: 'cash', currency: 'USD', cashPrecision: 2, startingCash: 10_000_000 },
      latency: { response: new ConstantLatency(responseUs) },
      strategy: {
        onBar(ctx, bar) {
          log.push(`bar ${(bar.time - T0) / MIN}`);
          if (bar.time === t(0)) ctx.submit({ symbol: 'TST', side: 'BUY', quantity: 10 });
        },
        onOrderUpdate(_ctx, u) {
          log.push(`${u.kind}${u.fill ? ` ${u.fill.price}` : ''} @${(u.time - T0) / MIN}`);
        },
      },
    });
    await sim.run();
    return log;
  };
  assert.deepEqual(await run(0), ['bar 0', 'ACCEPTED @0', 'FILL 101 @1', 'bar 1', 'bar 2']);
  assert.deepEqual(await run(1_000), ['bar 0', 'ACCEPTED @0', 'bar 1', 'FILL 101 @1', 'bar 2']);
});
