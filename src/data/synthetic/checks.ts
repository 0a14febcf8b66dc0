import { ConfigError } from '../../core/errors.ts';

/** One validation problem: the parameter's path and what is wrong with it. */
export interface Issue {
  path: string;
  message: string;
}

/** The rule a number must satisfy in `checkNumber`. */
export type NumberRule = 'any' | 'positive' | 'nonnegative' | 'probability';

/**
 * Pushes an issue naming `path` unless `v` is a finite number that satisfies `rule`
 * (`positive` > 0, `nonnegative` >= 0, `probability` in [0, 1]). Returns true when it is fine.
 */
export function checkNumber(issues: Issue[], path: string, v: unknown, rule: NumberRule): boolean {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    issues.push({ path, message: `expected a finite number, got ${JSON.stringify(v)}` });
    return false;
  }
  if (rule === 'positive' && !(v > 0)) issues.push({ path, message: `must be > 0, got ${v}` });
  else if (rule === 'nonnegative' && !(v >= 0)) issues.push({ path, message: `must be >= 0, got ${v}` });
  else if (rule === 'probability' && !(v >= 0 && v <= 1)) issues.push({ path, message: `must be in [0, 1], got ${v}` });
  else return true;
  return false;
}

/** Throws a `ConfigError` listing `issues` (from `source`) when there are any. */
export function throwIssues(issues: Issue[], source: string): void {
  if (issues.length > 0) throw new ConfigError(issues, source);
}
