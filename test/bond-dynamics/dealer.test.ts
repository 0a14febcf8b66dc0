import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Rng } from '../../src/core/rng.ts';
import { ConfigError } from '../../src/core/errors.ts';
import { Instrument } from '../../src/market/instrument.ts';
import { SourceState, type MarketEvent } from '../../src/market/market-data.ts';
import { DealerQuoteModel, BOND_RATINGS, bondInstrumentSpec, type TickDenominator } from '../../src/assets/bond/dealer-quotes.ts';
import { DealerQuoteSource, isUtcWeekend } from '../../src/assets/bond/dealer-quote-source.ts';
import { bondDealerSource, collectDealerPath } from '../../src/assets/bond/dealer-scenario.ts';
import { DynamicNelsonSiegel } from '../../src/assets/bond/dynamics/dynamic-nelson-siegel.ts';
import { CouponBondPricer } from '../../src/assets/bond/dynamics/coupon-bond-pricer.ts';
import { MacroEventSchedule } from '../../src/assets/bond/dynamics/macro-events.ts';
import { CreditSpreadProcess } from '../../src/assets/bond/credit-spread.ts';
import { CREDIT_RATINGS } from '../../src/assets/bond/credit-ratings.ts';
import { YEAR_US } from '../../src/assets/bond/dynamics/curve-dynamics.ts';

const MIN = 60_000_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 10, 2) * 1000; // Monday 2 November 2026
const US10Y = { couponRate: 0.0425, maturity: Date.UTC(2036, 10, 15) * 1000 };

test('half-spread widens strictly down the rating scale and with maturity', () => {
  const m = new DealerQuoteModel();
  for (const years of [0.5, 2, 7, 10, 25, 40]) {
    for (let i = 1; i < BOND_RATINGS.length; i++) assert.ok(m.halfSpread(BOND_RATINGS[i]!, years) > m.halfSpread(BOND_RATINGS[i - 1]!, years), `${BOND_RATINGS[i]} at ${years}y`);
  }
  for (const r of BOND_RATINGS) {
    const ys = [0, 1, 2, 3, 5, 7, 10, 20, 30];
    for (let k = 1; k < ys.length; k++) assert.ok(m.halfSpread(r, ys[k]!) > m.halfSpread(r, ys[k - 1]!), `${r} ${ys[k]}y`);
  }
  // The documented table: 10-year Treasury 3/8 of a 32nd, 10-year BBB 1.5/32.
  assert.equal(m.halfSpread('GOVT', 10), 3 / 8 / 32);
  assert.equal(m.halfSpread('BBB', 10), 1.5 / 32);
  assert.equal(m.halfSpread('GOVT', 10, 2), 3 / 4 / 32);
});

test('property: quotes are on the tick grid, bid <= model - h < model < model + h <= ask, within one tick of it', () => {
  fc.assert(
    fc.property(
      fc.double({ min: 1, max: 200, noNaN: true }),
      fc.constantFrom(...BOND_RATINGS),
      fc.double({ min: 0, max: 40, noNaN: true }),
      fc.constantFrom<TickDenominator>(32, 64, 128, 256),
      (model, rating, years, D) => {
        const m = new DealerQuoteModel({ tickDenominator: D });
        const q = m.quote(model, rating, years);
        const h = m.halfSpread(rating, years);
        return (
          Number.isInteger(q.bidTicks) &&
          Number.isInteger(q.askTicks) &&
          q.bid * D === q.bidTicks &&
          q.ask * D === q.askTicks &&
          q.bid <= model - h &&
          model - h - q.bid < 1 / D &&
          q.bid < model &&
          model < q.ask &&
          q.ask >= model + h &&
          q.ask - (model + h) < 1 / D
        );
      },
    ),
    { numRuns: 500 },
  );
  // A worked example on 1/32: model 99.5, BBB 10y (h = 1.5/32): bid floor(99.453125 * 32)/32 = 99-14, ask 99-18.
  const q = new DealerQuoteModel({ tickDenominator: 32 }).quote(99.5, 'BBB', 10);
  assert.equal(q.bid, 99 + 14 / 32);
  assert.equal(q.ask, 99 + 18 / 32);
});

test('bondInstrumentSpec gives an exact 1/32..1/256 grid', () => {
  for (const D of [32, 64, 128, 256] as const) {
    const ins = new Instrument(0, bondInstrumentSpec('B', D));
    assert.equal(ins.tickSize, 1 / D);
    assert.equal(ins.priceUnits(99 + 17 / D) % ins.tickUnits, 0);
    assert.ok(Number.isNaN(ins.priceUnits(99 + 1 / (2 * D) + 1e-7)));
  }
});

test('US10Y on DNS with a rate decision: news then a re-quote at the decision; the price jumps by the curve shock', () => {
  const ins = new Instrument(0, bondInstrumentSpec('US10Y', 256));
  const decision = START + 2 * DAY + 19 * HOUR; // Wednesday 19:00 UTC
  const mk = (withEvent: boolean) => {
    // sigma 0: a deterministic curve, so the only move is the event's.
    const curve = new DynamicNelsonSiegel({ sigma: [0, 0, 0] }, new Rng(1));
    const macro = withEvent ? new MacroEventSchedule([{ time: decision, kind: 'rate-decision', surpriseBp: 25 }], new Rng(2)) : undefined;
    return new DealerQuoteSource({ instrument: ins, curve, bond: US10Y, start: START, end: START + 5 * DAY, intervalUs: HOUR, ...(macro ? { macro } : {}) });
  };
  const src = mk(true);
  const seen: MarketEvent[] = [];
  const models: number[] = [];
  while (src.advance() === SourceState.Ready) {
    const e = src.current;
    seen.push({ ...e } as MarketEvent);
    if (e.kind === 'quote') models.push(src.modelPrice);
  }
  const iNews = seen.findIndex((e) => e.kind === 'news');
  assert.ok(iNews > 0);
  const news = seen[iNews]!;
  assert.equal(news.time, decision);
  assert.equal(news.kind === 'news' && news.headline, 'Rate decision: policy rate +25.0 bp (expected +0.0 bp), surprise +25.0 bp');
  const after = seen[iNews + 1]!;
  assert.equal(after.kind, 'quote');
  assert.equal(after.time, decision);
  assert.ok(seen.filter((e) => e.kind === 'quote' && e.time === decision).length === 1, 'one quote at the decision time');
  // Model price at the decision equals the pricer on a shocked copy of the curve.
  const ref = new DynamicNelsonSiegel({ sigma: [0, 0, 0] }, new Rng(1));
  ref.step((decision - START) / YEAR_US);
  const before = new CouponBondPricer(US10Y).price(ref, decision);
  ref.shock(25, 7.5);
  const shocked = new CouponBondPricer(US10Y).price(ref, decision);
  const qIndex = seen.slice(0, iNews + 1).filter((e) => e.kind === 'quote').length;
  assert.ok(Math.abs(models[qIndex]! - shocked) < 1e-9);
  // A 10-year note loses about duration (8) * ~10 bp of 10y yield = ~0.8 points.
  assert.ok(before - shocked > 0.4 && before - shocked < 1.5, `jump ${before - shocked}`);
  // Quotes: on the grid, around the model, weekdays, in time order; wider right after the event.
  let last = -Infinity;
  let k = 0;
  const spreadAt = new Map<number, number>();
  for (const e of seen) {
    assert.ok(e.time >= last);
    last = e.time;
    if (e.kind !== 'quote') continue;
    assert.ok(!isUtcWeekend(e.time));
    assert.ok(e.time >= START && e.time < START + 5 * DAY);
    const bu = ins.priceUnits(e.bidPrice);
    const au = ins.priceUnits(e.askPrice);
    assert.ok(Number.isInteger(bu) && bu % ins.tickUnits === 0 && Number.isInteger(au) && au % ins.tickUnits === 0);
    assert.ok(e.bidPrice < models[k]! && models[k]! < e.askPrice);
    spreadAt.set(e.time, e.askPrice - e.bidPrice);
    k++;
  }
  assert.ok(spreadAt.get(decision)! > spreadAt.get(decision + 5 * HOUR)!, 'dealers widen after the news');
  // Without the event the model price at the decision is the unshocked one.
  const plain = collectDealerPath(mk(false));
  const j = plain.times.indexOf(decision);
  assert.ok(Math.abs(plain.model[j]! - before) < 1e-9);
});

test('bondDealerSource is deterministic per seed and differs across seeds', () => {
  const ins = new Instrument(0, bondInstrumentSpec('US10Y', 128));
  const run = (seed: number) =>
    collectDealerPath(
      bondDealerSource({
        rng: new Rng(seed),
        instrument: ins,
        bond: US10Y,
        start: START,
        end: START + 28 * DAY,
        intervalUs: 4 * HOUR,
        dealer: { tickDenominator: 128 },
        macro: [{ time: START + 9 * DAY + 19 * HOUR, kind: 'rate-decision' }],
      }),
    );
  const a = run(5);
  const b = run(5);
  const c = run(6);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.model, c.model);
  assert.equal(a.news.length, 1);
  assert.ok(a.times.length === 20 * 6 + 1, `${a.times.length} quotes`); // 20 weekdays x 6 + the re-quote
});

test('corporate bond: downgrade news before the quote; default emits news, CLOSE and ends, settling at recovery', () => {
  const ins = new Instrument(0, bondInstrumentSpec('XYZ31', 32));
  const noDown = Object.fromEntries(CREDIT_RATINGS.map((r) => [r, 0]));
  const credit = new CreditSpreadProcess({ rating: 'B', downgradeRate: { ...noDown, B: 20 }, initialSpreadBp: 3000, spreadBp: { CCC: 4000 }, sigma: 0.2 }, new Rng(8, 'credit'));
  const src = new DealerQuoteSource({
    instrument: ins,
    curve: new DynamicNelsonSiegel({}, new Rng(8, 'curve')),
    bond: { couponRate: 0.07, maturity: Date.UTC(2031, 5, 1) * 1000 },
    credit,
    dealer: { tickDenominator: 32 },
    start: START,
    end: START + 3 * 365 * DAY,
    intervalUs: DAY,
  });
  const kinds: string[] = [];
  const all: MarketEvent[] = [];
  while (src.advance() === SourceState.Ready) {
    kinds.push(src.current.kind);
    all.push({ ...src.current } as MarketEvent);
  }
  assert.equal(src.advance(), SourceState.End);
  const d = all.findIndex((e) => e.kind === 'news' && /downgraded B -> CCC/.test(e.headline));
  assert.ok(d >= 0, 'a downgrade happened');
  assert.equal(all[d + 1]!.kind, 'quote');
  assert.equal(all[d + 1]!.time, all[d]!.time);
  assert.deepEqual(kinds.slice(-2), ['news', 'status']);
  const last = all[all.length - 1]!;
  assert.ok(last.kind === 'status' && last.status === 'CLOSE' && /settles at recovery 40\.00/.test(last.reason));
  const def = src.creditEvents.find((e) => e.type === 'default')!;
  assert.equal(def.settlementPrice, 40);
  // Lower rating, wider quotes: the CCC quote right after the downgrade is wider than the B quote before it.
  const beforeQ = all.slice(0, d).reverse().find((e) => e.kind === 'quote');
  const afterQ = all[d + 1]!;
  assert.ok(beforeQ && beforeQ.kind === 'quote' && afterQ.kind === 'quote');
  assert.ok(afterQ.askPrice - afterQ.bidPrice > beforeQ.askPrice - beforeQ.bidPrice);
});

test('bad source options throw ConfigError naming the field', () => {
  const coarse = new Instrument(0, { symbol: 'X', pricePrecision: 2 });
  const curve = new DynamicNelsonSiegel({}, new Rng(1));
  assert.throws(
    () => new DealerQuoteSource({ instrument: coarse, curve, bond: US10Y, start: START, end: START + DAY, intervalUs: HOUR }),
    (e: unknown) => e instanceof ConfigError && /dealerSource\.instrument: X's price grid/.test(e.message),
  );
  const ins = new Instrument(1, bondInstrumentSpec('Y'));
  assert.throws(() => new DealerQuoteSource({ instrument: ins, curve, bond: US10Y, start: START, end: START, intervalUs: 0 }), /dealerSource\.end[\s\S]*dealerSource\.intervalUs/);
  assert.throws(() => new DealerQuoteSource({ instrument: ins, curve, bond: { couponRate: 0.04, maturity: START - DAY }, start: START, end: START + DAY, intervalUs: HOUR }), /dealerSource\.bond\.maturity/);
  assert.throws(() => new DealerQuoteModel({ tickDenominator: 100 as 32 }), /dealer\.tickDenominator/);
  assert.throws(() => new DealerQuoteModel({ ratingMultiplier: { BB: 1 } }), /dealer\.ratingMultiplier\.BB: must be greater than BBB/);
});
