import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AuctionBook } from '../../src/assets/equity/auction-book.ts';
import { AuctionLadder, volumeAt, type AuctionOrder, type CrossPrice } from '../../src/assets/equity/auction.ts';

/**
 * Random auction books (limit prices on a small grid so ties are frequent, some market orders, a random
 * reference). Checked against a brute force over every grid price:
 * - the uncrossing price maximizes the executable volume over all prices;
 * - among the prices with that volume, it has the smallest |imbalance|, then is closest to the reference
 *   (without a reference: among the entered limit prices, the lowest);
 * - no filled buy is limited below the price, no filled sell above it;
 * - each side fills exactly the volume; no order fills more than its size;
 * - allocation respects priority: after an eligible order left with size, no later-priority order on its side traded;
 * - fills + leftovers account for every order's size.
 */

const RUNS = process.env.MARKETSIM_LONG ? 20_000 : 600;

const orderArb = fc.record({
  buy: fc.boolean(),
  market: fc.integer({ min: 0, max: 9 }).map((x) => x === 0),
  price: fc.integer({ min: 1, max: 12 }), // in ticks
  qty: fc.integer({ min: 1, max: 500 }),
});

test('property: the uncross maximizes volume, then minimizes imbalance, then is closest to the reference', () => {
  fc.assert(
    fc.property(
      fc.array(orderArb, { minLength: 0, maxLength: 30, size: 'max' }),
      fc.integer({ min: 1, max: 3 }),
      fc.oneof(fc.constant(NaN), fc.integer({ min: 1, max: 60 })),
      (specs, tick, refTicks) => {
        const orders: AuctionOrder[] = specs.map((s, i) => ({ id: i + 1, side: s.buy ? 'BUY' : 'SELL', price: s.market ? NaN : s.price * tick, leaves: s.qty }));
        const ref = refTicks === refTicks ? (refTicks * tick) / 4 : NaN; // often off the grid
        const book = new AuctionBook({ tickUnits: tick });
        for (const o of orders) book.add(o);
        const ind = book.indicative(ref);
        const r = book.uncross(ref);
        assert.equal(ind.price === ind.price ? ind.price : 'none', r.price === r.price ? r.price : 'none');

        // brute force over every grid price up to past the highest limit and the reference
        const ladder = new AuctionLadder();
        ladder.build(orders);
        const top = Math.max(13 * tick, Number.isNaN(ref) ? 0 : Math.ceil(ref / tick + 2) * tick);
        const at: CrossPrice = { price: 0, volume: 0, imbalance: 0 };
        let maxV = 0;
        for (let p = tick; p <= top; p += tick) maxV = Math.max(maxV, volumeAt(ladder, p, at).volume);
        if (maxV === 0) {
          assert.ok(Number.isNaN(r.price), 'no executable volume -> no cross');
          assert.equal(r.fills.length, 0);
          return;
        }
        const mktOnly = ladder.count === 0;
        if (mktOnly && Number.isNaN(ref)) {
          assert.ok(Number.isNaN(r.price), 'market orders only and no reference -> no price');
          return;
        }
        assert.equal(r.price % tick, 0, 'on the grid');
        const mine = volumeAt(ladder, r.price, at);
        assert.equal(mine.volume, maxV, 'maximum executable volume');
        assert.equal(r.volume, maxV);
        // without a reference only the entered limit prices are candidates
        const grid: number[] = [];
        if (Number.isNaN(ref)) for (let i = 0; i < ladder.count; i++) grid.push(ladder.prices[i]!);
        else for (let p = tick; p <= top; p += tick) grid.push(p);
        let minI = Infinity;
        for (const p of grid) {
          const v = volumeAt(ladder, p, at);
          if (v.volume === maxV) minI = Math.min(minI, Math.abs(v.imbalance));
        }
        const myI = Math.abs(volumeAt(ladder, r.price, at).imbalance);
        assert.equal(myI, minI, 'minimum imbalance among the max-volume prices');
        if (!Number.isNaN(ref)) {
          let minD = Infinity;
          for (const p of grid) {
            const v = volumeAt(ladder, p, at);
            if (v.volume === maxV && Math.abs(v.imbalance) === minI) minD = Math.min(minD, Math.abs(p - ref));
          }
          assert.equal(Math.abs(r.price - ref), minD, 'closest to the reference among the remaining prices');
        } else {
          const lowest = grid.find((p) => {
            const v = volumeAt(ladder, p, at);
            return v.volume === maxV && Math.abs(v.imbalance) === minI;
          });
          assert.equal(r.price, lowest, 'no reference: the lowest entered price among the remaining ones');
        }

        // fills: limits respected, both sides sum to the volume, no overfill
        let buyQ = 0;
        let sellQ = 0;
        const filled = new Map<number, number>();
        for (const f of r.fills) {
          assert.equal(f.price, r.price);
          assert.ok(f.quantity > 0);
          assert.ok(Number.isNaN(f.buy.price) || f.buy.price >= r.price, `buy ${f.buy.id} limit ${f.buy.price} below ${r.price}`);
          assert.ok(Number.isNaN(f.sell.price) || f.sell.price <= r.price, `sell ${f.sell.id} limit ${f.sell.price} above ${r.price}`);
          buyQ += f.quantity;
          sellQ += f.quantity;
          filled.set(f.buy.id, (filled.get(f.buy.id) ?? 0) + f.quantity);
          filled.set(f.sell.id, (filled.get(f.sell.id) ?? 0) + f.quantity);
        }
        assert.equal(buyQ, r.volume);
        assert.equal(sellQ, r.volume);
        assert.deepEqual([...filled].sort((a, b) => a[0] - b[0]), [...r.filled].sort((a, b) => a[0] - b[0]));
        const left = new Map(r.leftovers.map((l) => [l.order.id, l.remaining]));
        for (const o of orders) {
          const f = filled.get(o.id) ?? 0;
          assert.ok(f <= o.leaves);
          assert.equal(f + (left.get(o.id) ?? 0), o.leaves, `order ${o.id} size accounted for`);
        }
        // priority: market first, then better price, then add order
        for (const side of ['BUY', 'SELL'] as const) {
          const elig = orders
            .filter((o) => o.side === side && (Number.isNaN(o.price) || (side === 'BUY' ? o.price >= r.price : o.price <= r.price)))
            .sort((a, b) => {
              const am = Number.isNaN(a.price);
              const bm = Number.isNaN(b.price);
              if (am !== bm) return am ? -1 : 1;
              if (!am && a.price !== b.price) return side === 'BUY' ? b.price - a.price : a.price - b.price;
              return a.id - b.id;
            });
          let sawShort = false;
          for (const o of elig) {
            const f = filled.get(o.id) ?? 0;
            if (sawShort) assert.equal(f, 0, `order ${o.id} traded after a higher-priority order was left unfilled`);
            if (f < o.leaves) sawShort = true;
          }
        }
      },
    ),
    { numRuns: RUNS, seed: 20261125 },
  );
});
