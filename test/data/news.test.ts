import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataError } from '../../src/core/errors.ts';
import { InstrumentRegistry } from '../../src/market/instrument.ts';
import { loadNews, readNewsBatches } from '../../src/data/news.ts';
import { collect, drain, tmpFile } from './helpers.ts';

const T0 = Date.UTC(2024, 0, 2, 14, 30) * 1000;

async function expectDataError(p: Promise<unknown>, file: string, line: number, field: string | undefined, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof DataError, `expected DataError, got ${String(err)}`);
    assert.equal(err.file, file);
    assert.equal(err.line, line);
    assert.equal(err.field, field);
    assert.match(err.message, pattern);
    return true;
  });
}

test('news CSV: symbols split on |, optional scores NaN when empty, instrument = first symbol the registry knows', async () => {
  const reg = new InstrumentRegistry();
  const msft = reg.add({ symbol: 'MSFT', pricePrecision: 2 });
  const path = tmpFile(
    'news.csv',
    'time,symbols,headline,source,sentiment,importance\n' +
      '2024-01-02T14:30:00Z,AAPL|MSFT,"Apple and Microsoft, together",wire,0.5,1\n' +
      '2024-01-02T14:30:00.250Z,,Fed holds rates,fed,,\n' +
      '2024-01-02T14:31:00Z, XYZ ,Unknown ticker,blog,-1,0\n',
  );
  const news = await collect(readNewsBatches(path, { registry: reg }));
  assert.equal(news.length, 3);
  assert.deepEqual(news[0]!.symbols, ['AAPL', 'MSFT']);
  assert.equal(news[0]!.instrument, msft);
  assert.equal(news[0]!.headline, 'Apple and Microsoft, together');
  assert.equal(news[0]!.source, 'wire');
  assert.equal(news[0]!.sentiment, 0.5);
  assert.equal(news[0]!.importance, 1);
  assert.equal(news[0]!.time, T0);
  assert.equal(news[1]!.time, T0 + 250_000);
  assert.deepEqual(news[1]!.symbols, []);
  assert.equal(news[1]!.instrument, undefined);
  assert.ok(Number.isNaN(news[1]!.sentiment) && Number.isNaN(news[1]!.importance));
  assert.deepEqual(news[2]!.symbols, ['XYZ']);
  assert.equal(news[2]!.instrument, undefined);
  assert.equal(news[2]!.sentiment, -1);
});

test('news JSON Lines: symbols as an array, epoch-ms times, same events as the CSV form', async () => {
  const reg = new InstrumentRegistry();
  const aapl = reg.add({ symbol: 'AAPL', pricePrecision: 2 });
  const path = tmpFile(
    'news.jsonl',
    [
      JSON.stringify({ time: T0 / 1000, symbols: ['AAPL', 'MSFT'], headline: 'Apple and Microsoft', source: 'wire', sentiment: -0.25 }),
      '',
      JSON.stringify({ time: '2024-01-02T14:35:00Z', symbols: [], headline: 'Macro', source: 'fed', importance: 0.75 }),
    ].join('\n') + '\n',
  );
  const news = await drain(loadNews(path, { registry: reg }));
  assert.equal(news.length, 2);
  assert.equal(news[0]!.time, T0);
  assert.equal(news[0]!.instrument, aapl);
  assert.equal(news[0]!.sentiment, -0.25);
  assert.ok(Number.isNaN(news[0]!.importance));
  assert.equal(news[1]!.time, T0 + 5 * 60_000_000);
  assert.equal(news[1]!.importance, 0.75);
});

test('news errors name file:line and field: bad time, sentiment and importance out of range, bad JSON, time going back', async () => {
  const head = 'time,symbols,headline,source,sentiment,importance\n';
  const ok = '2024-01-02T14:30:00Z,AAPL,h,s,0,0\n';
  let p = tmpFile('n1.csv', head + ok + '2024-13-02T14:30:00Z,AAPL,h,s,0,0\n');
  await expectDataError(collect(readNewsBatches(p)), p, 3, 'time', /unparsable/);
  p = tmpFile('n2.csv', head + ok + '2024-01-02T14:31:00Z,AAPL,h,s,1.5,0\n');
  await expectDataError(collect(readNewsBatches(p)), p, 3, 'sentiment', /out of range \[-1, 1\]/);
  p = tmpFile('n3.csv', head + '2024-01-02T14:31:00Z,AAPL,h,s,0,-0.1\n');
  await expectDataError(collect(readNewsBatches(p)), p, 2, 'importance', /out of range \[0, 1\]/);
  p = tmpFile('n4.csv', head + '2024-01-02T14:31:00Z,AAPL,h,s,abc,0\n');
  await expectDataError(collect(readNewsBatches(p)), p, 2, 'sentiment', /not a finite number/);
  p = tmpFile('n5.csv', head + '2024-01-02T14:31:00Z,AAPL,h,s,0,0\n' + ok);
  await expectDataError(collect(readNewsBatches(p)), p, 3, 'time', /out of order/);
  p = tmpFile('n6.csv', head + '2024-01-02T14:31:00Z,AAPL,,s,0,0\n');
  await expectDataError(collect(readNewsBatches(p)), p, 2, 'headline', /empty/);
  p = tmpFile('n7.csv', 'time,headline\n2024-01-02,x\n');
  await expectDataError(collect(readNewsBatches(p)), p, 1, 'symbols', /no symbols column/);
  p = tmpFile('n8.jsonl', '{"time":"2024-01-02","symbols":["A"],"headline":"x","source":""}\n{"time": oops}\n');
  await expectDataError(collect(readNewsBatches(p)), p, 2, undefined, /not valid JSON/);
  p = tmpFile('n9.jsonl', '{"time":"2024-01-02","symbols":[1],"headline":"x"}\n');
  await expectDataError(collect(readNewsBatches(p)), p, 1, 'symbols', /array of strings/);
});
