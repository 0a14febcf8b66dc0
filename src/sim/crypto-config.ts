import { z } from 'zod';
import { ConfigError } from '../core/errors.ts';
import { microsFromIso } from '../core/time.ts';

/**
 * The `crypto:` block of a run config (docs/crypto.md, "Crypto rules in a run"): where the symbols'
 * filters come from, tiered fees, venue faults (maintenance, outages, flash crashes), blockchain
 * transfers and perpetual futures. Unknown keys are errors; every problem names its path
 * (`crypto.perpetuals.contracts.0.leverage`). `buildCryptoRun` (crypto-run.ts) turns it into venue
 * options, sources and plugins.
 */

const isoTime = z.string().refine((t) => !Number.isNaN(microsFromIso(t)), { message: 'not an ISO 8601 time' });
/** A non-negative decimal amount: a number or a decimal string (exact: `'0.00012345'`). */
const amount = z.union([z.number().nonnegative().finite(), z.string().regex(/^\d+(\.\d+)?$/, 'expected a non-negative decimal string')]);
/** A rate as a fraction (0.001 = 0.1%), exact at 1e-8. */
const rate = (min: number) =>
  z
    .number()
    .min(min)
    .max(1)
    .refine((x) => Math.abs(x * 1e8 - Math.round(x * 1e8)) < 1e-6, { message: 'must be a multiple of 1e-8' });

const feeTier = z.object({ name: z.string().min(1), minVolume: z.number().nonnegative(), maker: rate(-1), taker: rate(0) }).strict();

const fees = z
  .object({
    /** `binance-spot` (Binance spot VIP 0..9) or a table of tiers by 30-day volume (whole USD), rates as fractions. */
    tiers: z.union([z.literal('binance-spot'), z.array(feeTier).min(1)]).default('binance-spot'),
    /** 30-day volume (whole USD) traded before the run: booked as traded the day before the first event. */
    thirtyDayVolume: z.number().nonnegative().default(0),
    /** `daily` (Binance: the last 30 complete UTC days) or `continuous` ((t - 30 d, t]). */
    window: z.enum(['daily', 'continuous']).default('daily'),
    rounding: z.enum(['half', 'floor', 'ceil']).default('half'),
    /** Pay fees in a fee token (BNB-style) held beside the account, at a discount. */
    feeToken: z
      .object({
        asset: z.string().regex(/^[A-Z0-9]{1,20}$/, 'expected an asset code such as BNB'),
        precision: z.number().int().min(0).max(15).default(8),
        discount: rate(0).default(0.25),
        /** Tokens held at the start (decimal). */
        balance: amount,
        /** Token price in the account currency (decimal), or the symbol whose last price is its price. */
        price: amount.optional(),
        priceSymbol: z.string().min(1).optional(),
      })
      .strict()
      .refine((t) => (t.price === undefined) !== (t.priceSymbol === undefined), { message: 'give exactly one of price and priceSymbol' })
      .optional(),
  })
  .strict();

const maintenanceFault = z.object({ type: z.literal('maintenance'), start: isoTime, end: isoTime.optional(), durationMinutes: z.number().positive().optional() }).strict();
const outageFault = z.object({ type: z.literal('outage'), start: isoTime, end: isoTime.optional(), durationSeconds: z.number().positive().optional() }).strict();
const recurringMaintenanceFault = z
  .object({ type: z.literal('recurring-maintenance'), periodHours: z.number().positive(), offsetHours: z.number().nonnegative().default(0), durationMinutes: z.number().positive(), from: isoTime, to: isoTime })
  .strict();
const duration = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fixed'), seconds: z.number().positive() }).strict(),
  z.object({ kind: z.literal('exponential'), meanSeconds: z.number().positive() }).strict(),
  z.object({ kind: z.literal('lognormal'), medianSeconds: z.number().positive(), sigma: z.number().nonnegative() }).strict(),
]);
const randomOutagesFault = z.object({ type: z.literal('random-outages'), perDay: z.number().nonnegative().finite(), duration, from: isoTime, to: isoTime }).strict();
const flashCrashFault = z
  .object({
    type: z.literal('flash-crash'),
    symbol: z.string().min(1),
    start: isoTime,
    /** Fall as a fraction of the price (0.2 = 20%). */
    drop: z.number().gt(0).lt(1),
    dropSeconds: z.number().positive(),
    holdSeconds: z.number().nonnegative().default(0),
    recoverySeconds: z.number().positive(),
    recovered: z.number().min(0).max(1).default(1),
    liquidityFactor: z.number().min(0).max(1).default(0.1),
    steps: z.number().int().min(1).default(10),
  })
  .strict();

/** One fault entry (`type` picks the kind). */
const fault = z.discriminatedUnion('type', [maintenanceFault, outageFault, recurringMaintenanceFault, randomOutagesFault, flashCrashFault]);

/** Fault entries; a window is given by its end or its duration, exactly one. */
const faultList = z.array(fault).superRefine((list, ctx) => {
  list.forEach((f, k) => {
    if (f.type === 'maintenance' && (f.end === undefined) === (f.durationMinutes === undefined)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [k], message: 'give exactly one of end and durationMinutes' });
    if (f.type === 'outage' && (f.end === undefined) === (f.durationSeconds === undefined)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [k], message: 'give exactly one of end and durationSeconds' });
  });
});

const chainOverride = z
  .object({
    /** Fixed block interval (seconds), exponential mean (`blockMeanSeconds`), or slots. */
    blockSeconds: z.number().positive().optional(),
    blockMeanSeconds: z.number().positive().optional(),
    slotSeconds: z.number().positive().optional(),
    missProbability: z.number().min(0).lt(1).optional(),
    confirmations: z.number().int().min(1).optional(),
    /** Network fee per asset (decimal amounts of the asset). */
    fees: z.record(amount).optional(),
    /** Congestion spikes of the fee market (0 per day: a flat fee). */
    spikesPerDay: z.number().nonnegative().optional(),
    spikeMeanMinutes: z.number().positive().optional(),
    minMultiplier: z.number().min(1).optional(),
    maxMultiplier: z.number().min(1).optional(),
  })
  .strict();

const transferRequest = z
  .object({ time: isoTime, from: z.string().min(1), to: z.string().min(1), asset: z.string().regex(/^[A-Z0-9]{1,20}$/, 'expected an asset code'), chain: z.string().min(1), amount })
  .strict();

const transfers = z
  .object({
    /** Chains by name: overrides of the defaults (BTC, ETH, TRON) or new chains (then blocks, confirmations and fees are required). */
    chains: z.record(chainOverride).default({}),
    /** Per venue or wallet: withdrawal processing time and confirmations required per chain (`default` for the rest). */
    locations: z.record(z.object({ processingSeconds: z.number().nonnegative().optional(), confirmations: z.record(z.number().int().min(1)).optional() }).strict()).default({}),
    /** Starting balances of the other venues and wallets, by location and asset (decimal). The run's venue holds the account's cash. */
    balances: z.record(z.record(amount)).default({}),
    /** Asset precisions beyond the defaults (BTC 8, USDT 6, ...). */
    assets: z.record(z.number().int().min(0).max(15)).default({}),
    requests: z.array(transferRequest).default([]),
  })
  .strict();

const bracket = z.object({ floor: z.number().nonnegative(), cap: z.number().positive().nullable().optional(), maxLeverage: z.number().int().min(1), maintRate: rate(0), maintAmount: z.number().nonnegative() }).strict();

const perpetuals = z
  .object({
    contracts: z
      .array(
        z
          .object({
            /** The perpetual's symbol (`BTC/USDT:USDT`). */
            symbol: z.string().min(1),
            /** The spot symbol whose prices make the index (`BTC/USDT`). */
            index: z.string().min(1),
            leverage: z.number().int().min(1).optional(),
            marginMode: z.enum(['isolated', 'cross']).optional(),
            /** `binance-btcusdt` or a bracket table (notional in whole units of the margin asset). */
            brackets: z.union([z.literal('binance-btcusdt'), z.array(bracket).min(1)]).default('binance-btcusdt'),
          })
          .strict(),
      )
      .min(1),
    leverage: z.number().int().min(1).default(20),
    marginMode: z.enum(['isolated', 'cross']).default('isolated'),
    fundingIntervalHours: z.number().positive().default(8),
    /** Interest rate per interval (0.0001 = 0.01%), clamp of (I - P), optional cap of the rate. */
    interestRate: rate(-1).default(0.0001),
    clamp: rate(0).default(0.0005),
    cap: rate(0).optional(),
    /** Seconds between premium-index samples (Binance: 5). */
    premiumSampleSeconds: z.number().positive().default(60),
    mark: z.enum(['median', 'ema']).default('median'),
    markEmaSeconds: z.number().positive().default(300),
    /** Index prices older than this are not used (seconds). */
    indexMaxAgeSeconds: z.number().positive().default(86_400),
    /** Insurance fund at the start (decimal, account currency). */
    insuranceFund: amount.default(0),
  })
  .strict();

/** The `crypto:` block of a run config. */
export const cryptoConfigSchema = z
  .object({
    /**
     * exchangeInfo document(s): a JSON file, or a cryptofeed recording's `.0` file; several are searched
     * in order. Without one, no symbol filters apply (faults, fees, transfers and perpetuals still do).
     */
    exchangeInfo: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
    /** `stated` (default): the precision Binance writes numbers in, as the replay loaders use; `grid`: the tick and step decimals. */
    precision: z.enum(['stated', 'grid']).default('stated'),
    /** Symbols (unified `BTC/USDT` or Binance ids `BTCUSDT`) built from the filters; default: every crypto instrument of the run that the documents list. */
    symbols: z.array(z.string().min(1)).optional(),
    /** The run's venue as a location for transfers and faults (default BINANCE). */
    venue: z.string().min(1).default('BINANCE'),
    fees: fees.optional(),
    /** What outages and maintenance do to resting orders: keep them (default) or cancel them (reason VENUE_OUTAGE). */
    restingOrders: z.enum(['keep', 'cancel']).default('keep'),
    faults: faultList.default([]),
    transfers: transfers.optional(),
    perpetuals: perpetuals.optional(),
  })
  .strict();

/** A validated `crypto:` block (defaults applied). */
export type CryptoConfig = z.infer<typeof cryptoConfigSchema>;
/** A `crypto:` block as written. */
export type CryptoConfigInput = z.input<typeof cryptoConfigSchema>;
/** One fault entry of a validated block. */
export type CryptoFaultConfig = CryptoConfig['faults'][number];

/**
 * Validates a `crypto:` block on its own (the API's entry point; in a run config the run's schema
 * validates it). Throws a `ConfigError` whose paths start with `crypto.`.
 */
export function parseCryptoConfig(doc: unknown, source = 'config'): CryptoConfig {
  const r = cryptoConfigSchema.safeParse(doc);
  if (r.success) return r.data;
  throw new ConfigError(
    r.error.issues.map((i) => ({
      path: ['crypto', ...i.path].join('.'),
      message: i.code === 'unrecognized_keys' ? `unknown key${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => JSON.stringify(k)).join(', ')}` : i.message,
    })),
    source,
  );
}
