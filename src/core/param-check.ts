import { ConfigError } from './errors.ts';

/** One validation problem: the parameter's path and what is wrong with it. */
export interface Issue {
  path: string;
  message: string;
}

/** The rule a number must satisfy in `checkNumber`: 'unit' and 'probability' both mean in [0, 1]. */
export type NumberRule = 'any' | 'positive' | 'nonnegative' | 'unit' | 'probability' | 'integer';

/** Pushes an issue naming `path` unless `v` is a finite number; true when it is one. */
export function checkFinite(issues: Issue[], path: string, v: unknown): v is number {
  if (typeof v === 'number' && Number.isFinite(v)) return true;
  issues.push({ path, message: `expected a finite number, got ${JSON.stringify(v)}` });
  return false;
}

/**
 * Pushes an issue naming `path` (`vasicek.sigma: must be > 0, got -1`) unless `v` is a finite number
 * that satisfies `rule`; returns true when it is fine. The caller throws every issue at once
 * (`throwIssues`).
 */
export function checkNumber(issues: Issue[], path: string, v: unknown, rule: NumberRule): boolean {
  if (!checkFinite(issues, path, v)) return false;
  if (rule === 'positive' && !(v > 0)) issues.push({ path, message: `must be > 0, got ${v}` });
  else if (rule === 'nonnegative' && !(v >= 0)) issues.push({ path, message: `must be >= 0, got ${v}` });
  else if ((rule === 'unit' || rule === 'probability') && !(v >= 0 && v <= 1)) issues.push({ path, message: `must be in [0, 1], got ${v}` });
  else if (rule === 'integer' && !Number.isInteger(v)) issues.push({ path, message: `must be an integer, got ${v}` });
  else return true;
  return false;
}

/** Throws a `ConfigError` listing `issues` (from `source`) when there are any. */
export function throwIssues(issues: readonly Issue[], source: string): void {
  if (issues.length > 0) throw new ConfigError([...issues], source);
}
