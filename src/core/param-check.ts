/** How a numeric parameter is checked: 'unit' means in [0, 1]. */
export type NumberRule = 'any' | 'positive' | 'nonnegative' | 'unit' | 'integer';

/**
 * Checks one numeric parameter and records a problem naming `path` (`vasicek.sigma: must be > 0,
 * got -1`); the caller throws a ConfigError with every problem at once.
 */
export function checkNumber(issues: { path: string; message: string }[], path: string, v: unknown, rule: NumberRule): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    issues.push({ path, message: `expected a finite number, got ${JSON.stringify(v)}` });
    return;
  }
  if (rule === 'positive' && !(v > 0)) issues.push({ path, message: `must be > 0, got ${v}` });
  if (rule === 'nonnegative' && !(v >= 0)) issues.push({ path, message: `must be >= 0, got ${v}` });
  if (rule === 'unit' && !(v >= 0 && v <= 1)) issues.push({ path, message: `must be in [0, 1], got ${v}` });
  if (rule === 'integer' && !Number.isInteger(v)) issues.push({ path, message: `must be an integer, got ${v}` });
}
