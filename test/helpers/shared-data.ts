import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** `../shared` beside the repository (conformance data and oracles, never copied into the project). */
export const sharedDir = resolve(repoRoot, '../shared');

/**
 * Path of a shared file, or undefined when it is missing outside CI (the test then skips).
 * Under CI (`CI=true`) a missing file is a failure.
 */
export function sharedFile(rel: string): string | undefined {
  const p = resolve(sharedDir, rel);
  if (existsSync(p)) return p;
  if (process.env.CI === 'true') throw new Error(`conformance data missing under CI: ${p}`);
  return undefined;
}
