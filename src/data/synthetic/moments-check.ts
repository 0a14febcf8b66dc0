import { Rng } from '../../core/rng.ts';
import { ConfigError } from '../../core/errors.ts';
import { DEFAULT_GBM } from './params.ts';
import { GbmStepper } from './simulate.ts';
import { GarchStepper, garchUnconditionalVariance, type GarchParams } from './garch.ts';
import { OuStepper, ouStationaryVariance, type OuParams } from './ou.ts';
import { DEFAULT_REGIMES, RegimeSwitchingStepper, stationaryDistribution } from './regime.ts';

/** One sample moment against its known value, z = (sample - expected) / se. */
export interface MomentRow {
  model: string;
  /** What is measured, e.g. `variance of log return`. */
  statistic: string;
  sample: number;
  se: number;
  expected: number;
  z: number;
}

/** The result of `checkModelMoments`: every row, the largest |z| and whether it is below 3. */
export interface MomentsCheckResult {
  rows: MomentRow[];
  maxAbsZ: number;
  pass: boolean;
}

/** Options of `checkModelMoments`. */
export interface MomentsCheckOptions {
  /** Root seed (default 1). */
  seed?: number;
  /** Steps per model (default 1,000,000), split into `batches` batches. */
  steps?: number;
  /** Number of batches for the batch-means standard error (default 50). */
  batches?: number;
}

/**
 * The GARCH parameters of the moment check: GJR-GARCH-t with a finite fourth moment, so the sample
 * variance settles fast enough (the daily defaults sit just inside that bound and converge slowly).
 */
export const MOMENT_CHECK_GARCH: GarchParams = { mu: 0.0002, omega: 1e-5, alpha: 0.1, gamma: 0.05, beta: 0.8, nu: 8 };

/** The OU parameters of the moment check (stationary variance 0.04, lag-1 autocorrelation e^(-0.1)). */
export const MOMENT_CHECK_OU: OuParams = { x0: 1.5, kappa: 2, mean: 1.5, sigma: 0.4 };

/**
 * Batch means: the series is cut into `batches` consecutive batches, the statistic is computed on each,
 * and its standard error is sd(batch values) / sqrt(batches). Batches much longer than the series'
 * memory are close to independent, so this holds for autocorrelated series (OU, GARCH, regimes) too.
 */
class BatchMeans {
  private readonly values: number[] = [];
  add(v: number): void {
    this.values.push(v);
  }
  result(): { mean: number; se: number } {
    const b = this.values.length;
    let m = 0;
    for (const v of this.values) m += v;
    m /= b;
    let s = 0;
    for (const v of this.values) s += (v - m) * (v - m);
    return { mean: m, se: Math.sqrt(s / (b - 1) / b) };
  }
}

function row(model: string, statistic: string, bm: BatchMeans, expected: number): MomentRow {
  const { mean, se } = bm.result();
  return { model, statistic, sample: mean, se, expected, z: (mean - expected) / se };
}

/**
 * Checks sample moments of the streaming models against their known values: GBM log-return mean
 * (r - q - sigma^2/2) dt and variance sigma^2 dt (defaults, dt 1/252); OU stationary mean and variance
 * s^2/(2 kappa); GJR-GARCH-t unconditional variance omega / (1 - alpha - beta - gamma/2); regime
 * switching time shares against the stationary vector of P. Seeded; the statistics are streamed.
 */
export function checkModelMoments(options: MomentsCheckOptions = {}): MomentsCheckResult {
  const seed = options.seed ?? 1;
  const steps = options.steps ?? 1_000_000;
  const batches = options.batches ?? 50;
  const issues: { path: string; message: string }[] = [];
  if (!Number.isFinite(seed)) issues.push({ path: 'seed', message: `must be a finite number, got ${seed}` });
  if (!(Number.isSafeInteger(batches) && batches >= 2)) issues.push({ path: 'batches', message: `must be an integer >= 2, got ${batches}` });
  if (!(Number.isSafeInteger(steps) && steps >= 2 * Math.max(2, batches))) issues.push({ path: 'steps', message: `must be an integer >= 2 batches, got ${steps}` });
  if (issues.length > 0) throw new ConfigError(issues, 'moments check options');
  const per = Math.floor(steps / batches);
  const root = new Rng(seed, 'moments-check');
  const rows: MomentRow[] = [];

  const dt = 1 / 252;
  const gbm = new GbmStepper(DEFAULT_GBM, dt, root.fork('gbm'));
  const gMean = new BatchMeans();
  const gVar = new BatchMeans();
  const mu = (DEFAULT_GBM.r - DEFAULT_GBM.q - (DEFAULT_GBM.sigma * DEFAULT_GBM.sigma) / 2) * dt;
  for (let b = 0; b < batches; b++) {
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < per; i++) {
      const x = gbm.x;
      gbm.step();
      const r = gbm.x - x - mu;
      s1 += r;
      s2 += r * r;
    }
    gMean.add(s1 / per + mu);
    gVar.add(s2 / per);
  }
  rows.push(row('gbm', 'mean of log return', gMean, mu));
  rows.push(row('gbm', 'variance of log return', gVar, DEFAULT_GBM.sigma * DEFAULT_GBM.sigma * dt));

  const ou = new OuStepper(MOMENT_CHECK_OU, 0.05, root.fork('ou'));
  const oMean = new BatchMeans();
  const oVar = new BatchMeans();
  for (let b = 0; b < batches; b++) {
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < per; i++) {
      const d = ou.step() - MOMENT_CHECK_OU.mean;
      s1 += d;
      s2 += d * d;
    }
    oMean.add(s1 / per + MOMENT_CHECK_OU.mean);
    oVar.add(s2 / per);
  }
  rows.push(row('ou', 'stationary mean', oMean, MOMENT_CHECK_OU.mean));
  rows.push(row('ou', 'stationary variance', oVar, ouStationaryVariance(MOMENT_CHECK_OU)));

  const garch = new GarchStepper(MOMENT_CHECK_GARCH, root.fork('garch'));
  const vVar = new BatchMeans();
  for (let b = 0; b < batches; b++) {
    let s2 = 0;
    for (let i = 0; i < per; i++) {
      garch.step();
      s2 += garch.eps * garch.eps;
    }
    vVar.add(s2 / per);
  }
  rows.push(row('gjr-garch-t', 'unconditional variance', vVar, garchUnconditionalVariance(MOMENT_CHECK_GARCH)));

  const rs = new RegimeSwitchingStepper(DEFAULT_REGIMES, dt, root.fork('regime'));
  const pi = stationaryDistribution(DEFAULT_REGIMES.transition);
  const k = DEFAULT_REGIMES.regimes.length;
  const shares = Array.from({ length: k }, () => new BatchMeans());
  const counts = new Float64Array(k);
  for (let b = 0; b < batches; b++) {
    counts.fill(0);
    for (let i = 0; i < per; i++) {
      rs.step();
      counts[rs.regime]!++;
    }
    for (let j = 0; j < k; j++) shares[j]!.add(counts[j]! / per);
  }
  for (let j = 0; j < k; j++) rows.push(row('regime', `share of time in ${DEFAULT_REGIMES.regimes[j]!.name}`, shares[j]!, pi[j]!));

  let maxAbsZ = 0;
  for (const r of rows) maxAbsZ = Math.max(maxAbsZ, Math.abs(r.z));
  return { rows, maxAbsZ, pass: maxAbsZ < 3 };
}
