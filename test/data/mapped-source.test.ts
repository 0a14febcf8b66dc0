import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchSource, InstrumentRegistry, MappedSource, SourceState, exDividendDrop, sessionFilter, type BarEvent } from '../../src/index.ts';

const MIN = 60_000_000;

function drain<E extends { time: number }>(s: { advance(): SourceState; current: E; refill(): Promise<void> }): Promise<E[]> {
  const out: E[] = [];
  return (async () => {
    for (;;) {
      const st = s.advance();
      if (st === SourceState.Ready) out.push(s.current);
      else if (st === SourceState.End) return out;
      else await s.refill();
    }
  })();
}

test('sessionFilter drops the bars outside the sessions, across batches', async () => {
  const inst = new InstrumentRegistry().add({ symbol: 'AAPL', pricePrecision: 2 });
  const bars: BarEvent[] = Array.from({ length: 10 }, (_, i) => ({ kind: 'bar', time: i * MIN, instrument: inst, open: 1, high: 1, low: 1, close: 1, volume: 1 }));
  const src = new MappedSource(new BatchSource('b', [bars.slice(0, 4), bars.slice(4)]), sessionFilter<BarEvent>((t) => t >= 2 * MIN && t < 7 * MIN));
  const got = await drain(src);
  assert.deepEqual(got.map((b) => b.time / MIN), [2, 3, 4, 5, 6]);
});

test('exDividendDrop scales prices from the ex time by (P - D) / P on the tick grid', async () => {
  const inst = new InstrumentRegistry().add({ symbol: 'AAPL', pricePrecision: 2 });
  const closes = [100, 100, 101, 99];
  const bars: BarEvent[] = closes.map((c, i) => ({ kind: 'bar', time: i * MIN, instrument: inst, open: c, high: c + 1, low: c - 1, close: c, volume: 1 }));
  const src = new MappedSource(new BatchSource('b', [bars]), exDividendDrop([{ exTime: 2 * MIN, amount: 2 }]));
  const got = await drain(src);
  // P = 100 (close before the ex time), factor 0.98: 101 -> 98.98, 102 -> 99.96, 100 -> 98, 99 -> 97.02
  assert.deepEqual(got.map((b) => b.close), [100, 100, 98.98, 97.02]);
  assert.deepEqual([got[2]!.open, got[2]!.high, got[2]!.low], [98.98, 99.96, 98]);
  assert.equal(bars[2]!.close, 101, 'the input bars are not changed');
});
