import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { sharedFile } from '../helpers/shared-data.ts';
import { InstrumentRegistry, Instrument } from '../../src/market/instrument.ts';
import type { BarEvent, BookDeltaEvent, BookSnapshotEvent, TradeEvent } from '../../src/market/market-data.ts';
import { DataError } from '../../src/core/errors.ts';
import { inferVisionInstrument, loadVisionCsv, readKlineBatches, readVisionTradeBatches, visionKindOfPath } from '../../src/data/binance/vision-csv.ts';
import { inferDepthRowsInstrument, inferTardisInstrument, readDepthRowBatches, readTardisSnapshotBatches } from '../../src/data/binance/depth-csv.ts';
import { inferRestSpec, readJsonFile, restDepthSnapshot, restKindOf, restKlines, restTrades, wsTrade } from '../../src/data/binance/rest-json.ts';
import { decodeFrame, parseFrameText } from '../../src/data/binance/frames.ts';
import { parseStep, significantDecimals } from '../../src/data/binance/decimal.ts';

const N = (name: string): string | undefined => sharedFile(`data/binance/nautilus/${name}`);
const tmp = mkdtempSync(join(tmpdir(), 'marketsim-binance-files-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
let k = 0;
function writeTmp(name: string, text: string | Buffer): string {
  const dir = join(tmp, String(k++));
  mkdirSync(dir);
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

async function all<E>(gen: AsyncIterable<E[]>): Promise<E[]> {
  const out: E[] = [];
  for await (const b of gen) out.push(...b);
  return out;
}

const strip = <E extends { instrument: unknown }>(e: E): Omit<E, 'instrument'> => {
  const { instrument: _i, ...rest } = e;
  return rest;
};

test('decimal steps and significant decimals', () => {
  assert.deepEqual(parseStep('0.00010000'), { precision: 4, units: 1 });
  assert.deepEqual(parseStep('0.00500000'), { precision: 3, units: 5 });
  assert.deepEqual(parseStep('1.00000000'), { precision: 0, units: 1 });
  assert.deepEqual(parseStep('10'), { precision: 0, units: 10 });
  assert.equal(significantDecimals('7.6110'), 3);
  assert.equal(significantDecimals('36304.20000000'), 1);
  assert.throws(() => parseStep('abc'), /not a decimal step/);
});

test('data.binance.vision klines: ADABTC 10 + 11 rows, open-time stamps, exact decimals, close-time option', async (t) => {
  const f27 = N('ADABTC-1m-2021-11-27.csv');
  const f28 = N('ADABTC-1m-2021-11-28.csv');
  if (!f27 || !f28) return t.skip('files missing');
  assert.equal(visionKindOfPath(f27), 'klines');
  const { instrument, source, kind } = await loadVisionCsv(f27);
  assert.deepEqual([kind, instrument.symbol, instrument.pricePrecision, instrument.sizePrecision], ['klines', 'ADABTC', 8, 1]);
  const bars27 = await all(readKlineBatches(f27, instrument));
  const bars28 = await all(readKlineBatches(f28, instrument));
  assert.deepEqual([bars27.length, bars28.length], [10, 11]);
  assert.deepEqual(strip(bars27[0]!), { kind: 'bar', time: 1637971200000000, open: 0.00002853, high: 0.00002854, low: 0.00002851, close: 0.00002854, volume: 36304.2 });
  assert.equal(bars28[0]!.time, 1638057600000000);
  for (let i = 1; i < bars27.length; i++) assert.equal(bars27[i]!.time - bars27[i - 1]!.time, 60_000_000);
  const closeStamped = await all(readKlineBatches(f27, instrument, { stamp: 'close' }));
  assert.equal(closeStamped[0]!.time, 1637971260000000); // close_time 1637971259999 + 1 ms
  void source;
  // the same file with a header row, with microsecond timestamps, and gzipped gives the same bars
  const rows = readFileSync(f27, 'utf8').trimEnd().split('\n');
  const header = 'open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore';
  const micro = rows.map((r) => r.split(',').map((v, i) => (i === 0 ? `${v}000` : i === 6 ? `${v}999` : v)).join(','));
  for (const text of [[header, ...rows].join('\n'), [header, ...micro].join('\n')]) {
    const p = writeTmp('ADABTC-1m-2021-11-27.csv', text + '\n');
    assert.deepEqual((await all(readKlineBatches(p, instrument))).map(strip), bars27.map(strip));
  }
  const gz = writeTmp('ADABTC-1m-2021-11-27.csv.gz', gzipSync(readFileSync(f27)));
  assert.deepEqual((await all(readKlineBatches(gz, instrument))).map(strip), bars27.map(strip));
  const closeMicro = await all(readKlineBatches(writeTmp('m.csv', micro.join('\n')), instrument, { stamp: 'close' }));
  assert.equal(closeMicro[0]!.time, 1637971260000000); // close_time ...59999999 us + 1 us
});

test('data.binance.vision aggTrades and trades (built from the REST payloads): same trades, aggressor SELL when the buyer is the maker', async (t) => {
  const aggJson = N('http_spot_market_agg_trades.json');
  const trJson = N('http_spot_market_trades.json');
  if (!aggJson || !trJson) return t.skip('files missing');
  const agg = (await readJsonFile(aggJson)) as { a: number; p: string; q: string; f: number; l: number; T: number; m: boolean; M: boolean }[];
  const tr = (await readJsonFile(trJson)) as { id: number; price: string; qty: string; quoteQty: string; time: number; isBuyerMaker: boolean; isBestMatch: boolean }[];
  const cap = (b: boolean): string => (b ? 'True' : 'False');
  const aggCsv = writeTmp('BTCUSDT-aggTrades-2021-10-22.csv', agg.map((x) => `${x.a},${x.p},${x.q},${x.f},${x.l},${x.T},${cap(x.m)},${cap(x.M)}`).join('\n') + '\n');
  const trCsv = writeTmp(
    'BTCUSDT-trades-2021-10-22.csv',
    'id,price,qty,quote_qty,time,is_buyer_maker\n' + tr.map((x) => `${x.id},${x.price},${x.qty},${x.quoteQty},${x.time}000,${String(x.isBuyerMaker)}`).join('\n') + '\n',
  );
  assert.equal(visionKindOfPath(aggCsv), 'aggTrades');
  assert.equal(visionKindOfPath(trCsv), 'trades');
  const registry = new InstrumentRegistry();
  const inst = await inferVisionInstrument(aggCsv, 'aggTrades', { registry });
  assert.deepEqual([inst.symbol, inst.pricePrecision, inst.sizePrecision], ['BTCUSDT', 2, 5]);
  const a = await all(readVisionTradeBatches(aggCsv, 'aggTrades', inst));
  const b = await all(readVisionTradeBatches(trCsv, 'trades', inst)); // microsecond times in this copy
  assert.deepEqual(a.map(strip), restTrades(agg, inst).map(strip));
  assert.deepEqual(b.map(strip), restTrades(tr, inst).map(strip));
  assert.equal(a.length, 10);
  assert.deepEqual(strip(a[0]!), { kind: 'trade', time: 1634944096633000, price: 60759.6, size: 0.00841, aggressor: 'BUY' });
  assert.deepEqual(strip(b[0]!), { kind: 'trade', time: 1634942949263000, price: 60650, size: 0.02924, aggressor: 'SELL' });
  assert.equal(b.filter((x) => x.aggressor === 'SELL').length, tr.filter((x) => x.isBuyerMaker).length);
});

test('data.binance.vision bad rows: column count, price, boolean, time order (file:line and field)', async () => {
  const inst = new Instrument(0, { symbol: 'X', pricePrecision: 2, sizePrecision: 3 });
  const bad = async (rows: string, kind: 'aggTrades' | 'trades', re: RegExp): Promise<void> => {
    const p = writeTmp(`X-${kind}-2024-01-01.csv`, rows);
    await assert.rejects(all(readVisionTradeBatches(p, kind, inst)), (err: unknown) => err instanceof DataError && re.test(err.message));
  };
  await bad('1,10.00,1.000,1,1,1000\n', 'aggTrades', /:1: expected 7 or 8 columns .* got 6/);
  await bad('1,10.00,1.000,1,1,1000,true\n2,abc,1.000,2,2,1001,false\n', 'aggTrades', /:2 field price: 'abc' is not a number/);
  await bad('1,10.001,1.000,1,1,1000,true\n', 'aggTrades', /:1 field price: '10\.001' is finer than the precision of 2/);
  await bad('1,10.00,1.000,10.0,1000,maybe\n', 'trades', /:1 field is_buyer_maker: expected True or False, got 'maybe'/);
  await bad('1,10.00,1.000,10.0,2000,true\n2,10.00,1.000,10.0,1000,true\n', 'trades', /:2 field time: out of order/);
  const k = writeTmp('X-1m-2024-01-01.csv', '1000,10.00,9.00,8.00,9.50,1,1999,1,1,1,1,0\n');
  await assert.rejects(all(readKlineBatches(k, inst)), /:1 field high: inconsistent bar/);
});

test('historical order-book rows: the snap file is one 100-level bid snapshot, the update file one 100-delta batch', async (t) => {
  const snap = N('btcusdt-depth-snap.csv');
  const upd = N('btcusdt-depth-update.csv');
  if (!snap || !upd) return t.skip('files missing');
  const registry = new InstrumentRegistry();
  const inst = await inferDepthRowsInstrument(snap, { registry, pricePrecision: 2, sizePrecision: 3 });
  assert.equal(inst.symbol, 'BTCUSDT');
  const s = (await all(readDepthRowBatches(snap, inst))) as BookSnapshotEvent[];
  assert.equal(s.length, 1);
  assert.deepEqual([s[0]!.kind, s[0]!.time, s[0]!.sequence, s[0]!.bidPrices.length, s[0]!.askPrices.length], ['book-snapshot', 1667346579146000, 2098021528332, 100, 0]);
  assert.deepEqual([s[0]!.bidPrices[0], s[0]!.bidSizes[0], s[0]!.bidPrices[1], s[0]!.bidSizes[1]], [2037700, 1770, 2037690, 1]);
  for (let i = 1; i < 100; i++) assert.ok(s[0]!.bidPrices[i]! < s[0]!.bidPrices[i - 1]!);
  const u = (await all(readDepthRowBatches(upd, inst))) as BookDeltaEvent[];
  assert.equal(u.length, 100);
  assert.deepEqual(u.map((e) => e.last).lastIndexOf(true), 99);
  assert.equal(u.filter((e) => e.last).length, 1);
  assert.deepEqual(strip(u[0]!), { kind: 'book-delta', time: 1667347199939000, side: 'SELL', price: 2047280, size: 0, sequence: 2098041696700, last: false });
  // inferred precisions
  const inferred = await inferDepthRowsInstrument(upd);
  assert.deepEqual([inferred.pricePrecision, inferred.sizePrecision], [1, 3]);
  // bad rows
  const bad = writeTmp('bad-depth.csv', 'symbol,timestamp,first_update_id,last_update_id,side,update_type,price,qty,pu\nBTCUSDT,1,1,1,x,set,1.00,1.000,0\n');
  await assert.rejects(all(readDepthRowBatches(bad, inst)), /bad-depth\.csv:2 field side: expected b or a, got 'x'/);
  const other = writeTmp('other-depth.csv', 'symbol,timestamp,first_update_id,last_update_id,side,update_type,price,qty,pu\nETHUSDT,1,1,1,b,set,1.00,1.000,0\n');
  await assert.rejects(all(readDepthRowBatches(other, inst)), /:2 field symbol: unknown symbol 'ETHUSDT'/);
});

test('Tardis book_snapshot_5 and _25: 10 snapshots each, levels best first, microsecond times', async (t) => {
  const f5 = N('binance-futures_book_snapshot_5_BTCUSDT.csv');
  const f25 = N('binance-futures_book_snapshot_25_BTCUSDT.csv');
  if (!f5 || !f25) return t.skip('files missing');
  const inst = await inferTardisInstrument(f5);
  assert.deepEqual([inst.symbol, inst.pricePrecision, inst.sizePrecision], ['BTCUSDT', 2, 3]);
  const s5 = await all(readTardisSnapshotBatches(f5, inst));
  const s25 = await all(readTardisSnapshotBatches(f25, inst));
  assert.deepEqual([s5.length, s25.length], [10, 10]);
  assert.deepEqual(
    { time: s5[0]!.time, bp: s5[0]!.bidPrices, bs: s5[0]!.bidSizes, ap: s5[0]!.askPrices, as: s5[0]!.askSizes },
    { time: 1598918403696000, bp: [1165707, 1165697, 1165578, 1165577, 1165568], bs: [10896, 200, 200, 980, 111], ap: [1165708, 1165754, 1165756, 1165761, 1165792], as: [1714, 5400, 238, 77, 918] },
  );
  assert.deepEqual([s25[0]!.bidPrices.length, s25[0]!.askPrices.length], [25, 25]);
  assert.deepEqual(s25[0]!.bidPrices.slice(0, 5), s5[0]!.bidPrices);
  const local = await all(readTardisSnapshotBatches(f5, inst, { tardisTime: 'local' }));
  assert.equal(local[0]!.time, 1598918403810979);
});

test('REST and websocket JSON payloads: depth, aggTrades, trades, klines, ws aggTrade, futures depthUpdate', async (t) => {
  const files = ['http_spot_market_depth.json', 'http_spot_market_agg_trades.json', 'http_spot_market_trades.json', 'http_spot_market_klines.json', 'ws_spot_agg_trade.json', 'ws_futures_depth_update.json'].map(N);
  if (files.some((f) => !f)) return t.skip('files missing');
  const [depthF, aggF, trF, klF, wsAggF, wsDepthF] = files as string[];
  const depth = await readJsonFile(depthF!);
  assert.equal(restKindOf(depth), 'depth');
  const registry = new InstrumentRegistry();
  const inst = registry.add(inferRestSpec('BTCUSDT', depth));
  assert.deepEqual([inst.pricePrecision, inst.sizePrecision], [2, 5]);
  const snap = restDepthSnapshot(depth, inst, 5);
  assert.deepEqual([snap.sequence, snap.time, snap.bidPrices.length, snap.askPrices.length, snap.bidPrices[0], snap.bidSizes[0]], [14527958487, 5, 10, 10, 6065000, 213]);
  const agg = await readJsonFile(aggF!);
  const tr = await readJsonFile(trF!);
  const kl = await readJsonFile(klF!);
  assert.deepEqual([restKindOf(agg), restKindOf(tr), restKindOf(kl)], ['aggTrades', 'trades', 'klines']);
  assert.equal(restTrades(agg, inst).length, 10);
  assert.equal(restTrades(tr, inst).length, 10);
  const bars = restKlines(kl, inst);
  assert.equal(bars.length, 10);
  assert.deepEqual(strip(bars[0]! as BarEvent), { kind: 'bar', time: 1634943780000000, open: 60685.22, high: 60729.84, low: 60670.9, close: 60719.27, volume: 21.63272 });
  assert.equal(restKlines(kl, inst, 'close')[0]!.time, 1634943840000000);
  const ethInst = registry.add({ symbol: 'ETHUSDT', pricePrecision: 2, sizePrecision: 5 });
  const tw: TradeEvent = wsTrade(await readJsonFile(wsAggF!), ethInst);
  assert.deepEqual(strip(tw), { kind: 'trade', time: 1675759520848000, price: 1632.46, size: 0.34305, aggressor: 'BUY' });
  const fd = decodeFrame(await readJsonFile(wsDepthF!), 'ws_futures_depth_update.json', 0);
  assert.ok(fd.type === 'depth');
  assert.deepEqual([fd.symbol, fd.firstId, fd.lastId, fd.prevLastId, fd.eventTime, fd.bids.length], ['BTCUSDT', 390497796, 390497878, 390497794, 1571889248277, 5]);
  // bad payloads
  assert.throws(() => restTrades([{ a: 1, p: 'x', q: '1', f: 1, l: 1, T: 1, m: true }], inst, 'agg.json'), /agg\.json:0 field \[0\]\.p: BTCUSDT price 'x' is not a number/);
  assert.throws(() => wsTrade(agg, ethInst), /expected a JSON object/);
  assert.throws(() => wsTrade(depth, ethInst), /expected an aggTrade or trade payload, got other/);
  assert.throws(() => parseFrameText('{"stream":"x@depth","data":{"e":"depthUpdate","s":"X","U":"1","u":2,"b":[],"a":[]}}', 'f.ws', 3), /f\.ws:3 field data\.U: expected an integer id, got "1"/);
  assert.throws(() => parseFrameText('{"e":"depthUpdate","s":"X","U":1,"u":2,"b":[["1"]],"a":[]}', 'f.ws', 4), /f\.ws:4 field b\[0\]: expected \["price", "quantity"\]/);
  assert.deepEqual(parseFrameText('{"result":null,"id":1}', 'f.ws', 5), { type: 'other', name: '(unknown)' });
});
