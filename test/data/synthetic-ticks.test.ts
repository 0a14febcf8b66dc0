/**
 * `marketsim synth --kind quotes|trades|book`: tick presets written to CSV and to the catalog, read back
 * with our own loaders event for event.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { MarketsimError } from '../../src/core/errors.ts';
import type { BookDeltaEvent, MarketEvent } from '../../src/market/market-data.ts';
import { loadQuotesCsv, loadTradesCsv } from '../../src/data/tick-csv.ts';
import { openCatalogSource } from '../../src/data/catalog/index.ts';
import { openTickPreset, type TickPresetOptions } from '../../src/data/synthetic/tick-presets.ts';
import { CSV_HEADERS, synthAction } from '../../src/cli/synth-command.ts';
import { drain, tmpDir } from './helpers.ts';

/** Events without the instrument object (compared by value). */
function strip(ev: readonly MarketEvent[]): unknown[] {
  return ev.map((e) => ({ ...e, instrument: e.instrument?.symbol }));
}

async function preset(o: Omit<TickPresetOptions, 'symbol'> & { symbol?: string }): Promise<MarketEvent[]> {
  return (await drain(openTickPreset({ symbol: 'SYN', ...o }).source)) as MarketEvent[];
}

test('synth --kind quotes (microstructure) to CSV: loadQuotesCsv reads back the same quotes', async () => {
  const out = join(tmpDir(), 'q.csv');
  const res = await synthAction({ preset: 'microstructure', kind: 'quotes', symbols: 'SYN', days: '1', seed: '3', out, json: true, minutes: '40' }, () => {});
  const want = await preset({ preset: 'microstructure', kind: 'quotes', days: 1, seed: 3, sessionMinutes: 40 });
  assert.ok(want.length > 3000, `40 minutes of quotes (${want.length})`);
  assert.ok(want.every((e) => e.kind === 'quote'));
  assert.equal(res.outputs[0]!.events, want.length);
  const { source } = await loadQuotesCsv(out, { symbol: 'SYN', pricePrecision: 2, sizePrecision: 0 });
  const got = (await drain(source)) as MarketEvent[];
  assert.deepEqual(strip(got), strip(want));
});

test('synth --kind trades (lob-flow) to CSV: loadTradesCsv reads back the same prints with their aggressor', async () => {
  const out = join(tmpDir(), 't.csv');
  await synthAction({ preset: 'lob-flow', kind: 'trades', symbols: 'SYN', days: '1', seed: '4', out, minutes: '30' }, () => {});
  const want = await preset({ preset: 'lob-flow', kind: 'trades', days: 1, seed: 4, sessionMinutes: 30 });
  assert.ok(want.length > 1000, `half an hour of trades (${want.length})`);
  const { source } = await loadTradesCsv(out, { symbol: 'SYN', pricePrecision: 2, sizePrecision: 0 });
  const got = (await drain(source)) as MarketEvent[];
  assert.deepEqual(strip(got), strip(want));
  assert.ok(got.some((e) => e.kind === 'trade' && e.aggressor === 'SELL') && got.some((e) => e.kind === 'trade' && e.aggressor === 'BUY'));
});

test('synth --kind book (lob-flow) into a catalog: the L2 deltas replay identically and rebuild an uncrossed book', async () => {
  const out = join(tmpDir(), 'book-catalog');
  const res = await synthAction({ preset: 'lob-flow', kind: 'book', symbols: 'SYN', days: '2', seed: '5', out, minutes: '6' }, () => {});
  assert.equal(res.format, 'catalog');
  const want = await preset({ preset: 'lob-flow', kind: 'book', days: 2, seed: 5, sessionMinutes: 6 });
  const got = (await drain(await openCatalogSource(out, { types: ['book-delta'] }))) as MarketEvent[];
  assert.equal(res.outputs[0]!.events, want.length);
  assert.deepEqual(strip(got), strip(want));
  // replay: after every atomic batch the best bid is below the best ask; each session ends empty
  const bids = new Map<number, number>();
  const asks = new Map<number, number>();
  let checked = 0;
  for (const e of got as BookDeltaEvent[]) {
    const side = e.side === 'BUY' ? bids : asks;
    if (e.size === 0) side.delete(e.price);
    else side.set(e.price, e.size);
    if (e.last && bids.size > 0 && asks.size > 0) {
      assert.ok(Math.max(...bids.keys()) < Math.min(...asks.keys()), `crossed book at ${e.time}`);
      checked++;
    }
  }
  assert.ok(checked > 500, `${checked} batches checked`);
  assert.equal(bids.size + asks.size, 0, 'the last session ends with an empty book');
});

test('synth --kind book to CSV writes L2 deltas with the documented header', async () => {
  const out = join(tmpDir(), 'b.csv');
  await synthAction({ preset: 'lob-flow', kind: 'book', symbols: 'SYN', days: '1', seed: '6', out, minutes: '5' }, () => {});
  const { readFileSync } = await import('node:fs');
  const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
  assert.equal(lines[0], CSV_HEADERS.book);
  const want = (await preset({ preset: 'lob-flow', kind: 'book', days: 1, seed: 6, sessionMinutes: 5 })) as BookDeltaEvent[];
  assert.equal(lines.length - 1, want.length);
  const [time, side, price, size, seq, last] = lines[1]!.split(',');
  assert.equal(side, want[0]!.side === 'BUY' ? 'buy' : 'sell');
  assert.equal(Number(price), want[0]!.price / 100);
  assert.equal(Number(size), want[0]!.size);
  assert.equal(Number(seq), want[0]!.sequence);
  assert.equal(last, want[0]!.last ? '1' : '0');
  assert.match(time!, /^2024-01-02T14:30:00(\.\d+)?Z$/);
});

test('synth --news-rate into a catalog keeps the news and status events with the quotes', async () => {
  const out = join(tmpDir(), 'news-catalog');
  await synthAction({ preset: 'microstructure', kind: 'quotes', symbols: 'SYN', days: '1', seed: '7', out, newsRate: '300', minutes: '20' }, () => {});
  const want = await preset({ preset: 'microstructure', kind: 'quotes', days: 1, seed: 7, news: { ratePerDay: 300 }, sessionMinutes: 20 });
  assert.ok(want.some((e) => e.kind === 'news'), 'some news in the session');
  const got = (await drain(await openCatalogSource(out))) as MarketEvent[];
  const norm = (ev: MarketEvent[]) => strip(ev).map((e) => JSON.stringify(e, Object.keys(e as object).sort()));
  assert.deepEqual(norm(got).sort(), norm(want).sort());
});

test('synth rejects a kind the preset cannot make, naming the flag', async () => {
  const base = { symbols: 'A', days: '1', seed: '1', out: join(tmpDir(), 'bad.csv') };
  for (const [patch, re] of [
    [{ preset: 'garch', kind: 'quotes' }, /--kind quotes: preset garch cannot make it \(use --preset microstructure or lob-flow\)/],
    [{ preset: 'microstructure', kind: 'book' }, /--kind book: .*--preset lob-flow/],
    [{ preset: 'lob-flow' }, /--preset: lob-flow makes quotes, trades, book, not bars/],
    [{ preset: 'gbm', kind: 'ticks' }, /--kind: expected bars, quotes, trades, book/],
    [{ preset: 'lob-flow', kind: 'book', newsRate: '2' }, /--news-rate: news moves the microstructure preset only/],
  ] as const) {
    await assert.rejects(synthAction({ ...base, ...patch }, () => {}), (e: unknown) => e instanceof MarketsimError && re.test(e.message));
  }
});
