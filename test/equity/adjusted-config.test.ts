import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRunConfig, runConfig, ConfigError } from '../../src/index.ts';
import { repoRoot } from '../helpers/shared-data.ts';

// the worked example of docs/equities.md: closes 122, 124 | 2-for-1 split | 63, 64 | dividend 1.00 | 63.5
const dir = join(repoRoot, 'out', 'test-adjusted-config');
mkdirSync(dir, { recursive: true });
writeFileSync(
  join(dir, 'xyz.csv'),
  ['Date,Open,High,Low,Close,Volume', '2024-03-01,122,122,122,122,100', '2024-03-04,124,124,124,124,100', '2024-03-05,63,63,63,63,200', '2024-03-06,64,64,64,64,200', '2024-03-07,63.5,63.5,63.5,63.5,200'].join('\n') + '\n',
);

function config(adjusted: string) {
  return parseRunConfig({
    data: [{ file: 'xyz.csv', symbol: 'XYZ', adjusted, pricePrecision: 6 }],
    equity: {
      corporateActions: [
        { date: '2024-03-05', symbol: 'XYZ', type: 'SPLIT', value: 2 },
        { date: '2024-03-07', symbol: 'XYZ', type: 'CASH_DIVIDEND', value: 1, payDate: '2024-03-20' },
      ],
      luld: false,
    },
    strategy: { name: 'buy-and-hold' },
  });
}

async function closes(adjusted: string): Promise<number[]> {
  const r = await runConfig(config(adjusted), { baseDir: dir });
  const s = r.result.instrumentSeries.find((x) => x.symbol === 'XYZ')!;
  // one sample per bar (and one at the end of the run, at the last close)
  return [...new Set(Array.from(s.time))].map((t) => s.price[Array.from(s.time).lastIndexOf(t)]!).slice(0, 5);
}

test('a bar file read split-adjusted and total-return adjusted from a run config equals the hand-computed series', async () => {
  assert.deepEqual(await closes('raw'), [122, 124, 63, 64, 63.5]);
  assert.deepEqual(await closes('split'), [61, 62, 63, 64, 63.5]);
  // total return: the dividend factor (64 - 1) / 64 applies before 2024-03-07, the split halves before 03-05
  assert.deepEqual(await closes('total-return'), [60.046875, 61.03125, 62.015625, 63, 63.5]);
});

test('split or total-return adjustment without an equity block is a clear config error', async () => {
  const c = parseRunConfig({ data: [{ file: 'xyz.csv', symbol: 'XYZ', adjusted: 'split' }], strategy: { name: 'buy-and-hold' } });
  await assert.rejects(runConfig(c, { baseDir: dir }), (e: unknown) => e instanceof ConfigError && /data\.0\.adjusted/.test(e.message));
});
