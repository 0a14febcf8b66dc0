/**
 * The market-wide circuit breaker in a run and the `equity:` config block (docs/equities.md, "Equity
 * rules in a run").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, InstrumentRegistry, type Strategy } from '../../src/index.ts';
import { buildEquityRun, equityConfigSchema } from '../../src/assets/equity/equity-config.ts';
import { bar, fmt, ny, runEquity } from './helpers.ts';

const D = '2026-11-24';

test('a 7% fall of the index halts every equity 15 minutes (HALT to the strategy, market orders rejected, limits queued), then each reopens at its next print', async () => {
  const registry = new InstrumentRegistry();
  const spx = registry.add({ symbol: 'SPX', pricePrecision: 2, assetClass: 'other', currency: 'USD' });
  const a = registry.add({ symbol: 'AAA', pricePrecision: 2, assetClass: 'equity', currency: 'USD' });
  const b = registry.add({ symbol: 'BBB', pricePrecision: 2, assetClass: 'equity', currency: 'USD' });
  const events = [
    bar(spx, ny(D, '10:00'), 4700),
    bar(a, ny(D, '10:00'), 100),
    bar(b, ny(D, '10:00'), 20),
    bar(spx, ny(D, '10:01'), 4650), // -7.0%: level 1, halt until 10:16
    bar(a, ny(D, '10:05'), 99),
    bar(b, ny(D, '10:05'), 19.5),
    bar(spx, ny(D, '10:20'), 4660),
    bar(a, ny(D, '10:20'), 98),
    bar(b, ny(D, '10:20'), 19.8),
  ];
  const statuses: string[] = [];
  const updates: string[] = [];
  const strategy: Strategy = {
    onStart(ctx) {
      ctx.setTimer(ny(D, '10:02'), 'halted');
    },
    onTimer(ctx) {
      ctx.submit({ symbol: 'AAA', side: 'BUY', quantity: 1, tag: 'a-mkt' });
      ctx.submit({ symbol: 'BBB', side: 'BUY', price: 20, quantity: 10, tag: 'b-limit' });
      ctx.submit({ symbol: 'SPX', side: 'BUY', price: 4600, quantity: 1, tag: 'index' });
    },
    onStatus(_ctx, s) {
      statuses.push(`${s.instrument.symbol}:${s.status}@${(s.time - ny(D, '10:00')) / 60e6}`);
    },
    onOrderUpdate(_ctx, u) {
      updates.push(fmt(u, ny(D, '10:00')));
    },
  };
  const { result } = await runEquity({ registry, events, strategy, equity: { circuitBreaker: { index: 'SPX', previousClose: 5000 } } });
  assert.deepEqual(statuses, ['AAA:HALT@1', 'BBB:HALT@1', 'AAA:RESUME@20', 'BBB:RESUME@20']);
  assert.deepEqual(updates, ['a-mkt:REJECTED:HALTED@120', 'b-limit:ACCEPTED@120', 'index:REJECTED:MARKET_CLOSED@120', 'b-limit:FILL@1200']);
  assert.deepEqual(result.fills.map((f) => [f.tag, f.price]), [['b-limit', 19.8]], 'the queued limit fills at the reopening print');
});

test('the equity config: defaults, and errors that name the field path', async () => {
  const d = equityConfigSchema.parse({});
  assert.equal(d.exchange, 'XNYS');
  assert.equal(d.extendedHours, true);
  assert.deepEqual(d.luld, { tier1: [], bandPolicy: 'REPRICE' });
  const reg = new InstrumentRegistry();
  reg.add({ symbol: 'AAPL', pricePrecision: 2, assetClass: 'equity' });
  const bad: [unknown, string][] = [
    [{ exchange: 'XLON' }, 'equity.exchange'],
    [{ corporateActions: [{ date: '2026-01-05', symbol: 'AAPL', type: 'SPLIT', value: '0:1' }] }, 'equity.corporateActions[0]'],
    [{ corporateActions: [{ date: '2026-01-05', symbol: 'AAPL', type: 'CASH_DIVIDEND', value: 0.5 }] }, 'equity.corporateActions[0]'],
    [{ borrow: { list: [{ symbol: 'AAPL', status: 'HTB' }] } }, 'equity.borrow.list[0].available'],
    [{ halts: { orderPolicy: { limitOrders: 'HOLD' } } }, 'equity.halts.orderPolicy.limitOrders'],
    [{ circuitBreaker: { index: 'SPX', levelsPct: [7, 5, 20] } }, 'equity.circuitBreaker'],
  ];
  for (const [cfg, path] of bad) {
    await assert.rejects(buildEquityRun(cfg as never, reg), (e: Error) => {
      assert.ok(e.message.includes(path), `${JSON.stringify(cfg)}: ${e.message}`);
      return true;
    });
  }
  await assert.rejects(buildEquityRun({ corporateActionsFile: 'no/such/file.csv' }, reg), /cannot read corporate-action file/);
  const ok = await buildEquityRun(
    { corporateActions: [{ date: '2026-01-05', symbol: 'AAPL', type: 'CASH_DIVIDEND', value: '0.26', payDate: '2026-01-10' }, { date: '2026-01-06', symbol: 'ZZZ', type: 'CASH_DIVIDEND', value: 1, payDate: '2026-01-07' }] },
    reg,
  );
  // Jan 10 2026 is a Saturday: paid at the next session's open (Monday Jan 12, 09:30 New York)
  assert.deepEqual(ok.cashFlows, [{ kind: 'DIVIDEND', symbol: 'AAPL', recordTime: ny('2026-01-05', '04:00'), payTime: ny('2026-01-12', '09:30'), perUnit: 0.26 }]);
  assert.ok(ConfigError);
});

test('a news-pending HALT from the data: limit orders queue, market orders are rejected, the data\'s RESUME starts the reopening at the next print; statuses reach the strategy once', async () => {
  const registry = new InstrumentRegistry();
  const inst = registry.add({ symbol: 'NEWS', pricePrecision: 2, assetClass: 'equity', currency: 'USD' });
  const st = (t: number, status: 'HALT' | 'RESUME', reason: string) => ({ kind: 'status' as const, time: t, instrument: inst, status, reason });
  const events = [
    bar(inst, ny(D, '10:00'), 30),
    st(ny(D, '10:30'), 'HALT', 'news pending: earnings'),
    st(ny(D, '10:35'), 'RESUME', 'news released'),
    bar(inst, ny(D, '10:36'), 28, 28.5, 27.5, 28),
  ];
  const statuses: string[] = [];
  const updates: string[] = [];
  const strategy: Strategy = {
    onStart(ctx) {
      ctx.setTimer(ny(D, '10:31'), 'halted');
      ctx.setTimer(ny(D, '10:35:30'), 'resumed');
    },
    onTimer(ctx, t) {
      if (t.name === 'halted') {
        ctx.submit({ symbol: 'NEWS', side: 'BUY', quantity: 10, tag: 'mkt' });
        ctx.submit({ symbol: 'NEWS', side: 'BUY', price: 29, quantity: 10, tag: 'limit' });
      } else statuses.push(`block=${ctx.tradingBlock('NEWS')}`); // between the RESUME and the reopening print
    },
    onStatus(_ctx, s) {
      statuses.push(`${s.status}:${s.reason}`);
    },
    onOrderUpdate(_ctx, u) {
      updates.push(fmt(u, ny(D, '10:00')));
    },
  };
  const { result } = await runEquity({ registry, events, strategy });
  assert.deepEqual(statuses, ['HALT:news pending: earnings', 'RESUME:news released', 'block=HALTED']);
  assert.deepEqual(updates, ['mkt:REJECTED:HALTED@1860', 'limit:ACCEPTED@1860', 'limit:FILL@2160']);
  assert.deepEqual(result.fills.map((f) => [f.tag, f.price]), [['limit', 28]], 'the reopening print: the bar open 28.00');
});
