import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
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
