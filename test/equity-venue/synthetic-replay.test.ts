/**
 * The equity rules in a synthetic run (GBM bars) and in a replayed run (a LOBSTER day of AAPL on XNAS
 * in replay liquidity): sessions, DAY expiry at the close, the closing auction at the session's last
 * print, Rule 612, and LULD pauses on a volatile synthetic path.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchSource, InstrumentRegistry, Rng, type MarketEvent, type Strategy } from '../../src/index.ts';
import { gbmBarSource } from '../../src/data/gbm.ts';
import { readLobsterBatches, readLobsterSnapshotBatches } from '../../src/data/lobster.ts';
import { calendar } from '../../src/assets/equity/calendar.ts';
import { sharedFile } from '../helpers/shared-data.ts';
import { ny, runEquity } from './helpers.ts';

test('synthetic run (GBM 1-minute bars around the clock for 3 days): sessions, DAY expiry at each close, MOC at the last close, LULD pauses; deterministic', async () => {
  const runOnce = async () => {
    const registry = new InstrumentRegistry();
    const inst = registry.add({ symbol: 'SYN', pricePrecision: 2, assetClass: 'equity', currency: 'USD' });
    const source = gbmBarSource({ instrument: inst, start: ny('2026-11-24', '00:00'), intervalUs: 60e6, count: 3 * 1440, s0: 50, mu: 0, sigma: 12, rng: new Rng(7), volume: 10_000 });
    const cal = calendar('XNYS');
    const sent: { t: number; tag: string }[] = [];
    const got = new Map<string, string>();
    const lastClose = new Map<string, number>();
    const statuses: string[] = [];
    const strategy: Strategy = {
      onBar(ctx, b) {
        const s = cal.sessionAt(b.time);
        if (s) lastClose.set(s.date, b.close);
        const m = Math.round(b.time / 60e6) % 60;
        if (m === 0) {
          const tag = `day@${b.time}`;
          sent.push({ t: b.time, tag });
          ctx.submit({ symbol: 'SYN', side: 'BUY', type: 'LIMIT', price: Math.round(b.close * 50) / 100, quantity: 1, tif: 'DAY', tag });
        }
        if (s && b.time === s.close - 30 * 60e6) ctx.submit({ symbol: 'SYN', side: 'BUY', quantity: 1, auction: 'CLOSE', tag: `moc@${s.date}` });
      },
      onStatus(_ctx, st) {
        statuses.push(st.status);
      },
      onOrderUpdate(_ctx, u) {
        if (u.kind !== 'ACCEPTED') got.set(u.tag, `${u.kind}:${u.reason ?? ''}@${u.time}`);
        else if (!got.has(u.tag)) got.set(u.tag, 'ACCEPTED');
      },
    };
    const { result } = await runEquity({ registry, events: [], sources: [source], strategy, equity: { luld: { tier1: ['SYN'] } } });
    return { result, sent, got, lastClose, statuses, cal };
  };
  const a = await runOnce();
  const { sent, got, cal } = a;
  let inSession = 0;
  for (const { t, tag } of sent) {
    const s = cal.sessionAt(t);
    if (!s) assert.equal(got.get(tag), 'REJECTED:MARKET_CLOSED@' + t, tag);
    else {
      // halted minutes reject market and queue limit orders; every accepted DAY order ends at its session's close at the latest
      inSession++;
      const r = got.get(tag)!;
      assert.ok(r === `EXPIRED:@${s.close}` || r.startsWith('FILL') || r.startsWith('CANCELED'), `${tag}: ${r}`);
    }
  }
  assert.ok(inSession >= 12, `${inSession} orders in sessions`); // two sessions: Nov 26 is Thanksgiving
  // the MOC orders fill at the last regular bar's close of their day
  const mocs = a.result.fills.filter((f) => f.tag.startsWith('moc@'));
  assert.deepEqual(mocs.map((f) => f.tag), ['moc@2026-11-24', 'moc@2026-11-25']);
  for (const f of mocs) {
    const date = f.tag.slice(4);
    assert.equal(f.price, a.lastClose.get(date), f.tag);
    assert.equal(f.time, cal.session(date)!.close);
  }
  // sigma 1200%: the path hits its bands; pauses and reopenings reach the strategy in pairs
  assert.ok(a.statuses.includes('HALT'), a.statuses.join(','));
  assert.equal(a.statuses.filter((s) => s === 'HALT').length, a.statuses.filter((s) => s === 'RESUME').length);
  const b = await runOnce();
  assert.equal(b.result.journalHash, a.result.journalHash, 'same seed, same journal');
});

test('replayed LOBSTER day (AAPL 2012-06-21, XNAS, replay liquidity): MARKET_CLOSED outside the session, off-tick rejected, DAY expiry and MOC at 16:00 at the last print', async (t) => {
  const DAY = '2012-06-21_34200000_57600000';
  const m = sharedFile(`data/lobster/aapl-level10-first999/AAPL_${DAY}_message_10.csv`);
  const o = sharedFile(`data/lobster/aapl-level10-first999/AAPL_${DAY}_orderbook_10.csv`);
  if (!m || !o) return t.skip('shared LOBSTER data missing');
  const registry = new InstrumentRegistry();
  const events: MarketEvent[] = [];
  for await (const batch of readLobsterBatches(m, { registry })) for (const e of batch) if (e.kind === 'trade') events.push(e);
  const inst = registry.get('AAPL')!;
  for await (const batch of readLobsterSnapshotBatches(m, o, 10, { instrument: inst })) events.push(...batch);
  events.sort((a, b) => a.time - b.time);
  const trades = events.filter((e) => e.kind === 'trade');
  const lastTrade = trades[trades.length - 1]!;
  assert.equal(inst.assetClass, 'equity');
  const close = ny('2012-06-21', '16:00', 4); // EDT
  const seen: string[] = [];
  let first = true;
  const strategy: Strategy = {
    onStart(ctx) {
      ctx.setTimer(ny('2012-06-21', '09:00', 4), 'pre');
      ctx.setTimer(ny('2012-06-21', '16:30', 4), 'after');
    },
    onTimer(ctx, tm) {
      seen.push(`${tm.name}:block=${ctx.tradingBlock('AAPL')}`);
      ctx.submit({ symbol: 'AAPL', side: 'BUY', type: 'LIMIT', price: 500, quantity: 1, tag: tm.name });
    },
    onBook(ctx) {
      if (!first) return;
      first = false;
      ctx.submit({ symbol: 'AAPL', side: 'BUY', quantity: 100, auction: 'CLOSE', tag: 'moc' });
      ctx.submit({ symbol: 'AAPL', side: 'BUY', type: 'LIMIT', price: 500, quantity: 100, tif: 'DAY', tag: 'day' });
      ctx.submit({ symbol: 'AAPL', side: 'BUY', type: 'LIMIT', price: 585.005, quantity: 100, tag: 'off-tick' });
    },
    onOrderUpdate(_ctx, u) {
      seen.push(`${u.tag}:${u.kind}${u.reason ? ':' + u.reason : ''}${u.time === close ? '@close' : ''}`);
    },
  };
  const { result } = await runEquity({ registry, events, strategy, liquidity: { AAPL: 'replay' }, equity: { exchange: 'XNAS' }, account: { kind: 'cash', currency: 'USD', cashPrecision: 2, startingCash: 1_000_000_00 } });
  assert.deepEqual(seen, [
    'pre:block=MARKET_CLOSED',
    'pre:REJECTED:MARKET_CLOSED',
    'moc:ACCEPTED',
    'day:ACCEPTED',
    'off-tick:REJECTED:OFF_TICK_PRICE',
    'moc:FILL@close',
    'day:EXPIRED@close',
    'after:block=MARKET_CLOSED',
    'after:REJECTED:MARKET_CLOSED',
  ]);
  assert.equal(result.fills[0]!.price, (lastTrade as { price: number }).price, 'the closing auction prints at the session\'s last trade');
});
