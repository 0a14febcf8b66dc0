import { test } from 'node:test';
import assert from 'node:assert/strict';
import { roundTrips, type FillReport } from '../../src/index.ts';

const fill = (time: number, side: 'BUY' | 'SELL', quantity: number, price: number): FillReport => ({ time, orderId: time, symbol: 'BTC-USD', side, price, quantity, fee: 0, liquidity: 'TAKER', tag: '' });

test('fractional sizes close a trip exactly: 0.3 bought, sold as 0.1 + 0.2, is one trip and no dust trip', () => {
  const trips = roundTrips([fill(1, 'BUY', 0.3, 100), fill(2, 'SELL', 0.1, 110), fill(3, 'SELL', 0.2, 120), fill(4, 'BUY', 0.5, 100), fill(5, 'SELL', 0.5, 101)]);
  assert.deepEqual(trips.map((t) => [t.side, t.quantity]), [['LONG', 0.3], ['LONG', 0.5]]);
  // 0.1 * 10 + 0.2 * 20 = 5, then 0.5 * 1 = 0.5
  assert.ok(Math.abs(trips[0]!.pnl - 5) < 1e-9);
  assert.ok(Math.abs(trips[1]!.pnl - 0.5) < 1e-9);
});
