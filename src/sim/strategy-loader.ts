import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { MarketsimError } from '../core/errors.ts';
import { ConfigError } from '../core/errors.ts';
import type { Strategy, StrategyDefinition } from './strategy.ts';
import { zodIssues } from './run-config.ts';

/** Built-in strategies by name, loaded on demand (their sources live in examples/). */
const BUILTINS: Record<string, () => Promise<{ default: StrategyDefinition<unknown> }>> = {
  'sma-crossover': () => import('../../examples/sma-crossover.ts') as Promise<{ default: StrategyDefinition<unknown> }>,
  'buy-and-hold': () => import('../../examples/buy-and-hold.ts') as Promise<{ default: StrategyDefinition<unknown> }>,
  rebalance: () => import('../../examples/rebalance.ts') as Promise<{ default: StrategyDefinition<unknown> }>,
  'target-weights': () => import('../../examples/target-weights.ts') as Promise<{ default: StrategyDefinition<unknown> }>,
};

/** Built-in definitions already loaded: a second `import()` still costs a trip through the module loader's hooks. */
const loadedBuiltins = new Map<string, StrategyDefinition<unknown>>();

/**
 * User modules already loaded, by absolute path, with the modification time they were loaded at.
 * `tsImport` gives each call a fresh module graph (the user's module and everything it imports, the
 * engine included): without this, every run of a sweep would load and compile all of it again, at
 * about a second and a copy of the engine's modules per run. A module whose file changed since is
 * loaded again.
 */
const loadedModules = new Map<string, { mtimeMs: number; def: StrategyDefinition<unknown> }>();

/** Names of the built-in strategies. */
export const builtinStrategyNames: readonly string[] = Object.keys(BUILTINS);

/**
 * Finds a strategy definition: a built-in name, or a path to a `.ts`/`.js` module whose default
 * export is a `StrategyDefinition` (see `defineStrategy`). Paths resolve against `baseDir`.
 */
export async function loadStrategyDefinition(nameOrPath: string, baseDir = process.cwd()): Promise<StrategyDefinition<unknown>> {
  const builtin = BUILTINS[nameOrPath];
  if (builtin) {
    let def = loadedBuiltins.get(nameOrPath);
    if (!def) {
      def = (await builtin()).default;
      loadedBuiltins.set(nameOrPath, def);
    }
    return def;
  }
  const looksLikePath = /[\\/]|\.(m?[jt]s)$/.test(nameOrPath);
  if (!looksLikePath) {
    throw new MarketsimError('UNKNOWN_STRATEGY', `unknown strategy ${JSON.stringify(nameOrPath)}: built-ins are ${builtinStrategyNames.join(', ')}, or give a path to a .ts/.js module`);
  }
  const file = resolve(baseDir, nameOrPath);
  const stat = statSync(file, { throwIfNoEntry: false });
  if (stat === undefined) throw new MarketsimError('UNKNOWN_STRATEGY', `strategy module not found: ${file}`);
  const { mtimeMs } = stat;
  const cached = loadedModules.get(file);
  if (cached !== undefined && cached.mtimeMs === mtimeMs) return cached.def;
  // TypeScript modules load through tsx as ES modules, whatever the user's package.json says
  const mod = (/\.[mc]?ts$/.test(file) ? await tsImport(pathToFileURL(file).href, import.meta.url) : await import(pathToFileURL(file).href)) as { default?: unknown };
  const def = mod.default as StrategyDefinition<unknown> | undefined;
  if (!def || typeof def !== 'object' || typeof def.create !== 'function' || !def.params || typeof (def.params as { safeParse?: unknown }).safeParse !== 'function') {
    throw new MarketsimError('BAD_STRATEGY', `${file}: the default export must be a strategy definition (use defineStrategy({ name, params, create }))`);
  }
  loadedModules.set(file, { mtimeMs, def });
  return def;
}

/** Validates parameters against the definition's schema; errors name `strategy.params.<key>`. */
export function createStrategy(def: StrategyDefinition<unknown>, params: Record<string, unknown>, source = 'config'): Strategy {
  const r = def.params.safeParse(params);
  if (!r.success) throw new ConfigError(zodIssues(r.error, 'strategy.params'), source);
  return def.create(r.data);
}

/** Parses `k=v` pairs from the command line (values stay strings; the schema coerces them). */
export function parseParamPairs(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new ConfigError([{ path: `--param ${p}`, message: 'expected key=value' }], 'command line');
    out[p.slice(0, eq).trim()] = p.slice(eq + 1).trim();
  }
  return out;
}
