import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { SourceState, type EventSource } from '../../src/market/market-data.ts';

/** Shared helpers of the data tests (not a test file itself). */

/** The project's root directory. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The shared real-data directory beside the project (`../shared/data`). */
export const sharedData = resolve(repoRoot, '../shared/data');

/**
 * Path of a real backtrader data file, or undefined when it is missing (the caller skips). Under CI
 * (`CI=true`) a missing file is a failure.
 */
export function backtraderFile(name: string): string | undefined {
  const p = resolve(sharedData, 'backtrader/datas', name);
  if (existsSync(p)) return p;
  if (process.env.CI === 'true') assert.fail(`missing real data file ${p} (required under CI)`);
  return undefined;
}

let dir: string | undefined;

/** A temporary directory of this process, removed when the process exits. */
export function tmpDir(): string {
  if (dir === undefined) {
    const made = mkdtempSync(join(tmpdir(), 'marketsim-data-'));
    dir = made;
    process.on('exit', () => rmSync(made, { recursive: true, force: true }));
  }
  return dir;
}

/** A fresh file in the temporary directory of this process. */
export function tmpFile(name: string, content: string | Buffer): string {
  const p = join(tmpDir(), name);
  writeFileSync(p, content);
  return p;
}

/** All events of an async iterable of batches, flattened. */
export async function collect<E>(batches: AsyncIterable<E[]> | Iterable<E[]>): Promise<E[]> {
  const out: E[] = [];
  for await (const b of batches as AsyncIterable<E[]>) for (const e of b) out.push(e);
  return out;
}

/** Pulls a source to its end, copying each event. */
export async function drain<E extends { time: number }>(source: EventSource<E>): Promise<E[]> {
  const out: E[] = [];
  for (;;) {
    const s = source.advance();
    if (s === SourceState.Ready) out.push({ ...source.current });
    else if (s === SourceState.Wait) await source.refill();
    else return out;
  }
}
