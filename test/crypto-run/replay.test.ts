import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSourceSpec, parseSourceSpec, type CatalogEvent } from '../../src/data/catalog/index.ts';
import { BatchSource } from '../../src/data/batch-source.ts';
import type { EventSource, MarketEvent } from '../../src/market/market-data.ts';
import type { InstrumentRegistry } from '../../src/market/instrument.ts';
import type { Strategy } from '../../src/sim/strategy.ts';
import { cryptoRun, S, SPOT_INFO, t } from './helpers.ts';

/** The cryptofeed recording BINANCE (exchangeInfo, depth, bookTicker, aggTrade, kline), opened as a run config's `spec:` entry would be. */
async function recording(registry: InstrumentRegistry): Promise<EventSource<MarketEvent>[]> {
  const spec = parseSourceSpec(`binance-recording:${SPOT_INFO!.slice(0, -'.0'.length)}`);
  const input = await openSourceSpec(spec, registry);
  return [('advance' in input ? input : new BatchSource<CatalogEvent>(spec.text, input as AsyncIterable<CatalogEvent[]>)) as EventSource<MarketEvent>];
}

test('replayed Binance recording: NKNUSDT filters at arrival and an injected outage (orders rejected, data stopped, resting orders kept)', async (t0) => {
  if (!SPOT_INFO) return t0.skip('shared data missing');
  const OUT = t('2021-10-12T00:28:45Z');
  const ids: Record<string, number> = {};
  const quoteTimes: number[] = [];
  const statuses: string[] = [];
  const strategy: Strategy = {
    onQuote(ctx, q) {
      if (q.instrument.symbol !== 'NKNUSDT') return;
      quoteTimes.push(q.time);
      if (ids.open !== undefined) return;
      // bid 0.3521, ask 0.3526; tick 0.0001, step 1 NKN, minimum notional 10 USDT
      ids.tiny = ctx.submit({ symbol: 'NKNUSDT', side: 'BUY', quantity: 10, price: q.bidPrice, tag: 'tiny' }); // 3.52 USDT
      ids.offStep = ctx.submit({ symbol: 'NKNUSDT', side: 'BUY', quantity: 100.5, price: q.bidPrice, tag: 'off-step' });
      ids.offTick = ctx.submit({ symbol: 'NKNUSDT', side: 'BUY', quantity: 100, price: 0.35205, tag: 'off-tick' });
      ids.open = ctx.submit({ symbol: 'NKNUSDT', side: 'BUY', quantity: 100, tag: 'open' });
      ids.resting = ctx.submit({ symbol: 'NKNUSDT', side: 'BUY', quantity: 100, price: 0.3, tag: 'resting' });
    },
    onStatus(ctx, s) {
      if (s.instrument.symbol !== 'NKNUSDT') return;
      statuses.push(`${s.status} ${(s.time - OUT) / S}`);
      if (s.status === 'OUTAGE') ids.during = ctx.submit({ symbol: 'NKNUSDT', side: 'BUY', quantity: 100, tag: 'during' });
    },
  };
  const { run, registry } = await cryptoRun({
    crypto: { exchangeInfo: SPOT_INFO, symbols: ['NKNUSDT'], faults: [{ type: 'maintenance', start: '2021-10-12T00:28:45Z', end: '2021-10-12T00:28:50Z' }] },
    data: recording,
    strategy,
  });
  const r = await run();
  const inst = registry.get('NKNUSDT')!;
  assert.deepEqual([inst.pricePrecision, inst.tickUnits, inst.sizePrecision, inst.lotUnits], [8, 10_000, 8, 100_000_000]);
  const reason = (k: string) => r.rejected.find((x) => x.orderId === ids[k])?.reason;
  assert.equal(reason('tiny'), 'BELOW_MIN_NOTIONAL');
  assert.equal(reason('offStep'), 'BAD_LOT');
  assert.equal(reason('offTick'), 'OFF_TICK_PRICE');
  assert.equal(reason('during'), 'VENUE_OUTAGE');
  const open = r.fills.find((f) => f.orderId === ids.open)!;
  assert.equal(open.price, 0.3526); // at the ask of the bookTicker
  assert.deepEqual(statuses, ['OUTAGE 0', 'RESUME 5']);
  assert.ok(quoteTimes.length > 20);
  assert.equal(quoteTimes.filter((x) => x >= OUT && x < OUT + 5 * S).length, 0, 'no quotes during the maintenance');
  assert.ok(quoteTimes.some((x) => x >= OUT + 5 * S), 'quotes again after it');
  const resting = r.orders.find((o) => o.id === ids.resting)!;
  assert.equal(resting.status, 'ACCEPTED', 'kept through the maintenance (policy keep)');
});
