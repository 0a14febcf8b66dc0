import { Rng } from '../../core/rng.ts';
import { mcEuropean } from './monte-carlo.ts';
import { DEFAULT_BATES, DEFAULT_GBM, DEFAULT_HESTON, DEFAULT_MERTON } from './params.ts';
import { batesPrice, gbmPrice, hestonPrice, mertonPrice, type OptionType } from './pricing.ts';
import { simulateTerminal, type ModelName, type ModelParams } from './simulate.ts';

/** One row of the check: a Monte Carlo price against the analytic one. */
export interface CheckRow {
  maturity: number;
  strike: number;
  type: OptionType;
  mc: number;
  se: number;
  analytic: number;
  z: number;
}

/** The rows of one model. */
export interface ModelCheck {
  model: ModelName;
  params: ModelParams[ModelName];
  rows: CheckRow[];
}

/** The result of `marketsim models check`. */
export interface ModelsCheckResult {
  models: ModelCheck[];
  maxAbsZ: number;
  pass: boolean;
}

/** Options of `runModelsCheck`. */
export interface ModelsCheckOptions {
  /** Root seed (default 1). */
  seed?: number;
  /** Paths per model and maturity, even (default 100 000, antithetic). */
  paths?: number;
  /** Time steps per year of the Heston and Bates QE scheme (default 64; GBM and Merton are exact in one step). */
  stepsPerYear?: number;
  /** Maturities in years (default 0.25 and 1). */
  maturities?: number[];
  /** Moneyness K / S0 (default 0.8, 0.9, 1, 1.1, 1.2). */
  moneyness?: number[];
  /** |z| threshold of `pass` (default 3). */
  threshold?: number;
}

const analytic = {
  gbm: gbmPrice,
  merton: mertonPrice,
  heston: hestonPrice,
  bates: batesPrice,
} as const;

/**
 * Prices European calls and puts of every model (GBM, Heston with Bakshi-Cao-Chen parameters,
 * Merton, Bates) by antithetic, seeded Monte Carlo and in closed form, and reports
 * z = (MC - analytic) / SE. Each model and maturity draws from its own forked stream.
 */
export function runModelsCheck(opts: ModelsCheckOptions = {}): ModelsCheckResult {
  const rng = new Rng(opts.seed ?? 1, 'models-check');
  const paths = opts.paths ?? 100_000;
  const spy = opts.stepsPerYear ?? 64;
  const mats = opts.maturities ?? [0.25, 1];
  const mny = opts.moneyness ?? [0.8, 0.9, 1, 1.1, 1.2];
  const threshold = opts.threshold ?? 3;
  const specs: [ModelName, ModelParams[ModelName]][] = [
    ['gbm', DEFAULT_GBM],
    ['heston', DEFAULT_HESTON],
    ['merton', DEFAULT_MERTON],
    ['bates', DEFAULT_BATES],
  ];
  let maxAbsZ = 0;
  const models: ModelCheck[] = [];
  for (const [model, params] of specs) {
    const rows: CheckRow[] = [];
    for (const T of mats) {
      const exact = model === 'gbm' || model === 'merton';
      const steps = exact ? 1 : Math.max(1, Math.ceil(T * spy));
      const st = simulateTerminal(model, params as never, T, steps, paths, rng.fork(`${model}/${T}`), true);
      for (const m of mny) {
        const K = Math.round(params.s0 * m * 1e8) / 1e8;
        for (const type of ['call', 'put'] as const) {
          const est = mcEuropean(st, type, K, T, params.r, true);
          const a = (analytic[model] as (t: OptionType, p: typeof params, K: number, T: number) => number)(type, params, K, T);
          const z = (est.price - a) / est.se;
          maxAbsZ = Math.max(maxAbsZ, Math.abs(z));
          rows.push({ maturity: T, strike: K, type, mc: est.price, se: est.se, analytic: a, z });
        }
      }
    }
    models.push({ model, params, rows });
  }
  return { models, maxAbsZ, pass: maxAbsZ < threshold };
}
