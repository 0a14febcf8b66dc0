import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWriteStream, mkdtempSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBarsCsv, readBarBatches } from '../../src/data/bar-csv.ts';
import { SourceState, type BarEvent } from '../../src/market/market-data.ts';
import { DataError } from '../../src/core/errors.ts';

const DATAS = '../shared/data/backtrader/datas';

/** Every bar of `loadBarsCsv`'s source, copied out (the source rewrites one object). */
async function drain(path: string, chunk?: number): Promise<{ bars: BarEvent[]; objects: Set<BarEvent> }> {
  const { source } = await loadBarsCsv(path, chunk === undefined ? {} : { highWaterMark: chunk });
  const bars: BarEvent[] = [];
  const objects = new Set<BarEvent>();
  for (;;) {
    const st = source.advance();
    if (st === SourceState.Ready) {
      objects.add(source.current);
      bars.push({ ...source.current });
    } else if (st === SourceState.Wait) await source.refill();
    else break;
  }
  return { bars, objects };
}

test('loadBarsCsv: the columns source gives exactly the bars readBarBatches gives, through one reused object', async () => {
  for (const file of ['2006-01-02-volume-min-001.txt', 'orcl-1995-2014.txt', 'nvda-1999-2014.txt']) {
    const path = join(DATAS, file);
    for (const chunk of [undefined, 4096]) {
      const { bars, objects } = await drain(path, chunk);
      const inst = bars[0]!.instrument;
      const expected: BarEvent[] = [];
      for await (const b of readBarBatches(path, { instrument: inst, ...(chunk === undefined ? {} : { highWaterMark: chunk }) })) expected.push(...b);
      assert.ok(expected.length > 200, file);
      assert.deepEqual(bars, expected, `${file} chunk ${chunk ?? 'default'}`);
      assert.equal(objects.size, 1, 'one event object, rewritten');
    }
  }
});

test('loadBarsCsv: an out-of-order row is still reported at its line through the columns source', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bars-'));
  const path = join(dir, 'x.csv');
  writeFileSync(path, 'Date,Open,High,Low,Close,Volume\n2024-01-02,1,2,1,2,10\n2024-01-03,1,2,1,2,10\n2024-01-01,1,2,1,2,10\n');
  await assert.rejects(drain(path), (e: unknown) => e instanceof DataError && /x\.csv:4/.test(e.message) && /out of order/.test(e.message));
});

test('loadBarsCsv: a named pipe is streamed, not read whole (a synchronous open would wait for the writer forever)', { timeout: 20_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bars-'));
  const path = join(dir, 'pipe.csv');
  execFileSync('mkfifo', [path]);
  const rows = ['Date,Open,High,Low,Close,Volume', '2024-01-02,1.5,2,1,2,10', '2024-01-03,1,2.25,1,2,20'];
  // the writer opens the pipe on the thread pool; it completes once the loader opens it to read.
  // The precision is given, so the file is read once (no precision scan).
  createWriteStream(path).end(rows.join('\n') + '\n');
  const { source } = await loadBarsCsv(path, { pricePrecision: 2 });
  const bars: BarEvent[] = [];
  for (;;) {
    const st = source.advance();
    if (st === SourceState.Ready) bars.push({ ...source.current });
    else if (st === SourceState.Wait) await source.refill();
    else break;
  }
  assert.deepEqual(
    bars.map((b) => [b.time, b.open, b.high, b.volume]),
    [
      [Date.UTC(2024, 0, 2) * 1000, 1.5, 2, 10],
      [Date.UTC(2024, 0, 3) * 1000, 1, 2.25, 20],
    ],
  );
});
