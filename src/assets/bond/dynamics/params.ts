import { ConfigError } from '../../../core/errors.ts';

/** One validation problem: the field path and what is wrong. */
export interface ParamIssue {
  path: string;
  message: string;
}

/** The rule a numeric parameter must follow. */
export type { NumberRule } from '../../../core/param-check.ts';

export { checkNumber } from '../../../core/param-check.ts';

/** Throws a ConfigError listing every issue, when there is any. */
export function throwIfIssues(issues: readonly ParamIssue[], what: string): void {
  if (issues.length > 0) throw new ConfigError(issues, what);
}

/** Throws a RangeError unless dt is a positive finite number of years. */
export function checkStep(dt: number): void {
  if (!(dt > 0) || !Number.isFinite(dt)) throw new RangeError(`time step must be a positive finite number of years, got ${dt}`);
}
