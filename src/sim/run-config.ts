import { z } from 'zod';
import { ConfigError } from '../core/errors.ts';
import { bondSourceSchema } from './bond-run.ts';
import { portfolioConfigFields } from './portfolio.ts';
import { equityConfigSchema } from '../assets/equity/equity-config.ts';
import { cryptoConfigSchema } from './crypto-config.ts';

/**
 * The schema of a run config (`marketsim run config.yaml`), also built by `marketsim backtest` from
 * its flags. Unknown keys are errors; every problem is reported with its path
 * (`strategy.params.fast: expected a positive integer`). Reference: docs/config.md.
 */

const latency = z.discriminatedUnion('type', [
  z.object({ type: z.literal('constant'), us: z.number().nonnegative() }).strict(),
  z.object({ type: z.literal('uniform'), minUs: z.number().nonnegative(), maxUs: z.number().nonnegative() }).strict(),
  z.object({ type: z.literal('normal'), meanUs: z.number().nonnegative(), stdUs: z.number().nonnegative(), minUs: z.number().nonnegative().optional() }).strict(),
  z.object({ type: z.literal('lognormal'), medianUs: z.number().positive(), sigma: z.number().nonnegative(), minUs: z.number().nonnegative().optional() }).strict(),
  z.object({ type: z.literal('file'), path: z.string().min(1), column: z.enum(['entry', 'response', 'feed']).optional() }).strict(),
]);

const columnRef = z.union([z.string(), z.number().int().nonnegative()]);

const instrumentFields = {
  symbol: z.string().min(1).optional(),
  pricePrecision: z.number().int().min(0).max(15).optional(),
  sizePrecision: z.number().int().min(0).max(15).optional(),
  tickUnits: z.number().int().positive().optional(),
  lotUnits: z.number().int().positive().optional(),
  minSizeUnits: z.number().int().positive().optional(),
  maxSizeUnits: z.number().int().positive().optional(),
  currency: z.string().optional(),
  multiplier: z.number().positive().optional(),
  assetClass: z.enum(['equity', 'crypto', 'bond', 'future', 'fx', 'other']).optional(),
};

const fileSource = z
  .object({
    file: z.string().min(1),
    kind: z.enum(['bars', 'trades', 'quotes']).default('bars'),
    columns: z.record(columnRef).optional(),
    timeFormat: z.enum(['auto', 'iso', 'YYYY-MM-DD', 'YYYYMMDD', 'YYYY-MM-DD HH:mm:ss', 'epoch-s', 'epoch-ms', 'epoch-us', 'epoch-ns']).optional(),
    delimiter: z.string().length(1).optional(),
    onError: z.enum(['throw', 'skip']).optional(),
    /** raw, adj-close (the file's adjusted close), or split / total-return adjusted with the equity block's corporate actions. */
    adjusted: z.enum(['raw', 'adj-close', 'split', 'total-return']).optional(),
    ...instrumentFields,
  })
  .strict();

const gbmSource = z
  .object({
    synthetic: z.literal('gbm'),
    kind: z.enum(['bars', 'quotes']).default('bars'),
    start: z.string().default('2024-01-02T00:00:00Z'),
    intervalUs: z.number().int().positive().default(86_400_000_000),
    count: z.number().int().nonnegative(),
    s0: z.number().positive(),
    mu: z.number().default(0),
    sigma: z.number().nonnegative(),
    spreadTicks: z.number().int().positive().optional(),
    volume: z.number().nonnegative().optional(),
    ...instrumentFields,
    symbol: z.string().min(1),
  })
  .strict();

/** News moving a synthetic tick source's prices (docs/models.md, "News in the price generators"). */
const syntheticNews = z
  .object({
    ratePerDay: z.number().nonnegative().optional(),
    scheduled: z
      .array(z.object({ time: z.string(), kind: z.enum(['earnings', 'macro']), headline: z.string().optional(), sentiment: z.number().min(-1).max(1).optional(), importance: z.number().min(0).max(1).optional() }).strict())
      .optional(),
    impact: z
      .object({
        jumpScale: z.number().nonnegative().optional(),
        driftShare: z.number().min(0).max(1).optional(),
        driftMinutes: z.number().positive().optional(),
        volSpike: z.number().nonnegative().optional(),
        volHalfLifeMinutes: z.number().positive().optional(),
        spreadSpike: z.number().nonnegative().optional(),
        spreadHalfLifeMinutes: z.number().positive().optional(),
        volumeSpike: z.number().nonnegative().optional(),
        volumeHalfLifeMinutes: z.number().positive().optional(),
        haltThreshold: z.number().nonnegative().optional(),
        haltMinutes: z.number().positive().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/** Synthetic 1-minute bars of a preset (docs/models.md), generated on the fly, streaming. */
const presetSource = z
  .object({
    preset: z.enum(['gbm', 'heston', 'garch', 'regime', 'realistic', 'agent-based']),
    symbol: z.string().min(1),
    days: z.number().int().positive(),
    start: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD').optional(),
    s0: z.number().positive().optional(),
    assetClass: z.enum(['equity', 'crypto']).optional(),
    /** Exchange calendar of an equity: bars only in its regular sessions (holidays and early closes applied). */
    calendar: z.enum(['XNYS', 'XNAS']).optional(),
    pricePrecision: z.number().int().min(0).max(12).optional(),
    sizePrecision: z.number().int().min(0).max(12).optional(),
    lotUnits: z.number().int().positive().optional(),
    minSizeUnits: z.number().int().positive().optional(),
    currency: z.string().optional(),
    venue: z.string().optional(),
    /** News that move the bars (jumps, spikes, news-pending halts); their events reach the strategy. */
    news: syntheticNews.optional(),
  })
  .strict();

/** Simulated news about instruments defined by earlier data entries (docs/models.md, "News simulator"). */
const newsSimSource = z
  .object({
    newsSim: z
      .object({
        symbols: z.array(z.string().min(1)).min(1),
        start: z.string(),
        end: z.string(),
        ratePerDay: z.number().nonnegative().optional(),
        scheduled: z
          .array(
            z
              .object({
                time: z.string(),
                kind: z.enum(['earnings', 'macro']),
                symbols: z.array(z.string()).optional(),
                headline: z.string().optional(),
                sentiment: z.number().min(-1).max(1).optional(),
                importance: z.number().min(0).max(1).optional(),
              })
              .strict(),
          )
          .optional(),
      })
      .strict(),
  })
  .strict();



/** Synthetic quotes and trades (microstructure) or CST book events (lob-flow) generated on the fly (docs/models.md, "Tick presets"). */
const tickPresetSource = z
  .object({
    tickPreset: z.enum(['microstructure', 'lob-flow']),
    kind: z.enum(['quotes', 'trades', 'quotes+trades', 'book']).default('quotes+trades'),
    symbol: z.string().min(1),
    days: z.number().int().positive(),
    start: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD').optional(),
    minutes: z.number().int().min(1).max(1440).optional(),
    s0: z.number().positive().optional(),
    news: syntheticNews.optional(),
  })
  .strict();

/** The CST order flow trading in the venue's book of `symbol` (liquidity 'book'): the strategy trades against it (docs/models.md). */
const bookFlowSource = z
  .object({
    bookFlow: z
      .object({
        symbol: z.string().min(1),
        start: z.string(),
        end: z.string(),
        s0: z.number().positive().default(100),
        pricePrecision: z.number().int().min(0).max(15).optional(),
        sizePrecision: z.number().int().min(0).max(15).optional(),
        levels: z.number().int().min(1).max(1000).optional(),
        k: z.number().positive().optional(),
        alpha: z.number().nonnegative().optional(),
        lambda: z.array(z.number().nonnegative()).optional(),
        mu: z.number().nonnegative().optional(),
        theta: z.union([z.number().nonnegative(), z.array(z.number().nonnegative())]).optional(),
        sizeDist: z.enum(['fixed', 'geometric']).optional(),
        meanLots: z.number().min(1).optional(),
        seedLevels: z.number().int().nonnegative().optional(),
        seedOrders: z.number().int().nonnegative().optional(),
      })
      .strict(),
  })
  .strict();

/** Any source kind of the catalog registry, as `KIND:PATH` or `KIND[k=v,...]:PATH` (lobster, binance-recording, news ...). */
const specSource = z.object({ spec: z.string().min(3) }).strict();

/** Events replayed from a Parquet catalog. */
const catalogSource = z
  .object({
    catalog: z.string().min(1),
    symbols: z.array(z.string()).optional(),
    types: z.array(z.string()).optional(),
    from: z.string().optional(),
    to: z.string().optional(),
  })
  .strict();

/** A validated run config. */
export const runConfigSchema = z
  .object({
    seed: z.number().int().default(0),
    data: z.array(z.union([fileSource, gbmSource, presetSource, specSource, catalogSource, newsSimSource, tickPresetSource, bookFlowSource, bondSourceSchema])).min(1),
    /** Liquidity of each instrument at the venue, by symbol: data (default), book or replay. */
    liquidity: z.record(z.enum(['data', 'book', 'replay'])).default({}),
    strategy: z
      .object({
        name: z.string().min(1),
        params: z.record(z.unknown()).default({}),
      })
      .strict(),
    account: z
      .object({
        cash: z.number().nonnegative().default(100_000),
        currency: z.string().default('USD'),
        kind: z.enum(['cash', 'margin']).default('cash'),
        cashPrecision: z.number().int().min(0).max(12).optional(),
        leverage: z.number().positive().optional(),
        initialMarginRate: z.number().positive().max(1).optional(),
        maintenanceMarginRate: z.number().positive().max(1).optional(),
        ...portfolioConfigFields,
      })
      .strict()
      .default({}),
    venue: z
      .object({
        name: z.string().optional(),
        fees: z
          .object({
            makerRate: z.number().optional(),
            takerRate: z.number().optional(),
            perOrder: z.number().nonnegative().optional(),
            minimum: z.number().nonnegative().optional(),
          })
          .strict()
          .optional(),
        fill: z
          .object({
            marketFill: z.enum(['next-open', 'same-close']).optional(),
            slippageTicks: z.number().int().nonnegative().optional(),
            slippageSpreadFraction: z.number().nonnegative().optional(),
            volumeShare: z.number().positive().max(1).optional(),
            quoteSizeCap: z.boolean().optional(),
            tradeLimitFill: z.enum(['touch', 'through']).optional(),
          })
          .strict()
          .optional(),
        queueModel: z
          .object({
            type: z.enum(['risk-averse', 'l3-fifo', 'prob']),
            func: z.enum(['power', 'power2', 'power3', 'log', 'log2']).optional(),
            n: z.number().positive().optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .default({}),
    latency: z
      .object({ marketData: latency.optional(), orderEntry: latency.optional(), response: latency.optional() })
      .strict()
      .default({}),
    pacing: z
      .discriminatedUnion('mode', [z.object({ mode: z.literal('jump') }).strict(), z.object({ mode: z.literal('paced'), speed: z.number().positive() }).strict()])
      .default({ mode: 'jump' }),
    historySize: z.number().int().positive().default(256),
    /** Equity rules: exchange sessions, tick rule, corporate actions, short selling, LULD, circuit breaker, halts (docs/equities.md). */
    equity: equityConfigSchema.optional(),
    /** Crypto rules: exchange filters, tiered fees, venue faults, blockchain transfers, perpetuals (docs/crypto.md). */
    crypto: cryptoConfigSchema.optional(),
    output: z.string().optional(),
  })
  .strict();

/** A run config after validation and defaults. */
export type RunConfig = z.infer<typeof runConfigSchema>;
/** A run config as written (before defaults). */
export type RunConfigInput = z.input<typeof runConfigSchema>;
/** A latency entry of a run config. */
export type LatencyConfig = z.infer<typeof latency>;

/** Validates a parsed config document, throwing a ConfigError that lists every problem with its path. */
export function parseRunConfig(doc: unknown, source = 'config'): RunConfig {
  const r = runConfigSchema.safeParse(doc);
  if (!r.success) throw new ConfigError(zodIssues(r.error), source);
  return r.data;
}

/** zod issues as `{ path, message }` with dotted paths (`strategy.params.fast`). */
export function zodIssues(err: z.ZodError, prefix = ''): { path: string; message: string }[] {
  return err.issues.map((i) => {
    let message = i.message;
    if (i.code === 'unrecognized_keys') message = `unknown key${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    if (i.code === 'invalid_union' && i.unionErrors.length > 0) {
      // report the branch that got furthest
      const best = i.unionErrors.map((e) => e.issues).sort((a, b) => a.length - b.length)[0]!;
      return { path: [prefix, ...i.path, ...(best[0]?.path.slice(i.path.length) ?? [])].filter((s) => s !== '').join('.'), message: best.map((x) => x.message).join('; ') };
    }
    return { path: [prefix, ...i.path].filter((s) => s !== '').join('.'), message };
  });
}
