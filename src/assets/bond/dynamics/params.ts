/** Parameter checks of the rate models: the shared ones in src/core/param-check.ts. */
export { checkNumber, type NumberRule, type Issue as ParamIssue, throwIssues as throwIfIssues } from '../../../core/param-check.ts';

/** Throws a RangeError unless dt is a positive finite number of years. */
export function checkStep(dt: number): void {
  if (!(dt > 0) || !Number.isFinite(dt)) throw new RangeError(`time step must be a positive finite number of years, got ${dt}`);
}
