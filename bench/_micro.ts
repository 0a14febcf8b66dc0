import { Instrument } from '../src/market/instrument.ts';
import { MatchingEngine, type MatchListener } from '../src/market/matching-engine.ts';
import { Order } from '../src/market/order.ts';
const inst = new Instrument(0, { symbol: 'X', pricePrecision: 2 });
const L: MatchListener = { accepted() {}, rejected() {}, fill() {}, canceled() {}, expired() {}, modified() {}, requestRejected() {}, triggered() {} };
const N = 2000;
const orders: Order[] = [];
for (let i = 0; i < N; i++) orders.push(new Order(i + 1, { instrument: inst, side: i % 2 ? 'BUY' : 'SELL', type: 'LIMIT', price: i % 2 ? 9990 - (i % 10) : 10010 + (i % 10), quantity: 10 }));
function reset(o: Order) { o.filled = 0; o.closedQuantity = 0; o.status = 'PENDING'; o.cancelReason = undefined; }
let e = new MatchingEngine(inst, L);
function pass(): number {
  for (let i = 0; i < N; i++) { const o = orders[i]!; reset(o); e.submit(o, 1); }
  for (let i = 0; i < N; i++) e.cancel(i + 1, 1);
  return 2 * N;
}
for (let k = 0; k < 3; k++) {
  let ops = 0; const c0 = process.cpuUsage();
  for (let j = 0; j < 2000; j++) ops += pass();
  const c = process.cpuUsage(c0);
  console.log('add/cancel ns/op', ((c.user + c.system) * 1000 / ops).toFixed(1));
}
// raw loop reference
let x = 0; const c0 = process.cpuUsage();
const m = new Map<number, Order>();
for (let j = 0; j < 2000; j++) { for (let i = 0; i < N; i++) m.set(i + 1, orders[i]!); for (let i = 0; i < N; i++) m.delete(i + 1); }
const c = process.cpuUsage(c0);
console.log('Map set/delete ns/op', ((c.user + c.system) * 1000 / (4000 * 2000)).toFixed(1));
