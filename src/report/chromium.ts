import { accessSync, constants } from 'node:fs';
import { MarketsimError } from '../core/errors.ts';

/** Where Chromium is looked for when `MARKETSIM_CHROMIUM` is not set (Debian's `chromium` package first). */
export const CHROMIUM_CANDIDATES: readonly string[] = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The Chromium executable to drive with playwright-core: `MARKETSIM_CHROMIUM` when set (it must
 * exist), else the first of `CHROMIUM_CANDIDATES` that is executable, else undefined.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const override = env.MARKETSIM_CHROMIUM;
  if (override !== undefined && override !== '') {
    if (!executable(override)) throw new MarketsimError('CHROMIUM_MISSING', `MARKETSIM_CHROMIUM=${override}: not an executable file`);
    return override;
  }
  return CHROMIUM_CANDIDATES.find(executable);
}

/** `findChromium()`, or an error that says how to install it. */
export function requireChromium(env: NodeJS.ProcessEnv = process.env): string {
  const path = findChromium(env);
  if (path === undefined) {
    throw new MarketsimError(
      'CHROMIUM_MISSING',
      `Chromium not found (looked at ${CHROMIUM_CANDIDATES.join(', ')}): install Debian's package (apt-get install chromium, as .ci/run does) or set MARKETSIM_CHROMIUM to its path`,
    );
  }
  return path;
}
