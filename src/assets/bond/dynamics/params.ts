import { ConfigError } from '../../../core/errors.ts';

/** One validation problem: the field path and what is wrong. */
export interface ParamIssue {
  path: string;
  message: string;
}

/** The rule a numeric parameter must follow. */
export type NumberRule = 'any' | 'positive' | 'nonnegative' | 'unit' | 'integer';

/**
 * Checks one numeric parameter and records a problem naming `path` (`vasicek.sigma: must be > 0,
 * got -1`). 'unit' means in [0, 1].
 */
export function checkNumber(issues: ParamIssue[], path: string, v: unknown, rule: NumberRule): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    issues.push({ path, message: `expected a finite number, got ${JSON.stringify(v)}` });
    return;
  }
  if (rule === 'positive' && !(v > 0)) issues.push({ path, message: `must be > 0, got ${v}` });
  if (rule === 'nonnegative' && !(v >= 0)) issues.push({ path, message: `must be >= 0, got ${v}` });
  if (rule === 'unit' && !(v >= 0 && v <= 1)) issues.push({ path, message: `must be in [0, 1], got ${v}` });
  if (rule === 'integer' && !Number.isInteger(v)) issues.push({ path, message: `must be an integer, got ${v}` });
}

/** Throws a ConfigError listing every issue, when there is any. */
export function throwIfIssues(issues: readonly ParamIssue[], what: string): void {
  if (issues.length > 0) throw new ConfigError(issues, what);
}

/** Throws a RangeError unless dt is a positive finite number of years. */
export function checkStep(dt: number): void {
  if (!(dt > 0) || !Number.isFinite(dt)) throw new RangeError(`time step must be a positive finite number of years, got ${dt}`);
}
