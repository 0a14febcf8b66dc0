import { ConfigError } from '../../core/errors.ts';
import { Rng } from '../../core/rng.ts';
import { InstrumentRegistry, type Instrument } from '../../market/instrument.ts';
import type { BarEvent, NewsEvent, StatusEvent } from '../../market/market-data.ts';
import { BatchSource } from '../batch-source.ts';
import { GarchStepper, type GarchParams } from './garch.ts';
import { minuteBars, minuteBarsWithNews, minutesPerDay, type MarketCalendar, type MinuteReturnModel, type VolumeModel } from './minute-bars.ts';
import type { NewsInput } from './news-overlay.ts';
import { DEFAULT_HESTON, type HestonParams } from './params.ts';
import { DEFAULT_REGIMES, RegimeSwitchingStepper, type RegimeParams } from './regime.ts';
import { DEFAULT_SEASONALITY, IntradaySeasonality } from './seasonality.ts';
import { HestonQeStepper } from './simulate.ts';
import { StandardizedStudentT } from './student-t.ts';
import { agentMinuteBars } from './agents/source.ts';

/**
 * Named presets of synthetic 1-minute bars (docs/models.md, "Presets"): a per-minute return model,
 * a volume model and a calendar. `gbm` is the negative control of the stylized-facts suite and
 * `realistic` the combination built to pass it.
 */
export type PresetName = 'gbm' | 'heston' | 'garch' | 'regime' | 'realistic' | 'agent-based';

/** Every preset name, in documentation order. */
export const PRESET_NAMES: readonly PresetName[] = ['gbm', 'heston', 'garch', 'regime', 'realistic', 'agent-based'];

/** Trading minutes in a year of 252 equity sessions of 390 minutes: years per minute is its inverse. */
const MINUTES_PER_YEAR = 252 * 390;
/** Annual volatility of every preset's baseline (20%). */
const ANNUAL_VOL = 0.2;
/** Per-minute standard deviation of a 20% annual volatility. */
const MINUTE_VOL = ANNUAL_VOL / Math.sqrt(MINUTES_PER_YEAR);

/** GBM: i.i.d. normal log returns, mu 5%, sigma 20% a year. */
class GbmMinutes implements MinuteReturnModel {
  sigma = MINUTE_VOL;
  private readonly drift = (0.05 - (ANNUAL_VOL * ANNUAL_VOL) / 2) / MINUTES_PER_YEAR;
  constructor(private readonly rng: Rng) {}
  startDay(): void {}
  step(): number {
    return this.drift + this.sigma * this.rng.normal();
  }
}

/** Heston (QE scheme) with the Bakshi-Cao-Chen parameters, one step per minute. */
class HestonMinutes implements MinuteReturnModel {
  sigma = MINUTE_VOL;
  private readonly st: HestonQeStepper;
  private readonly dt = 1 / MINUTES_PER_YEAR;
  constructor(p: HestonParams, rng: Rng) {
    this.st = new HestonQeStepper(p, 1 / MINUTES_PER_YEAR, rng);
  }
  startDay(): void {}
  step(): number {
    const x0 = this.st.x;
    this.sigma = Math.sqrt(Math.max(this.st.v, 1e-8) * this.dt);
    this.st.step();
    return this.st.x - x0;
  }
}

/** GJR-GARCH(1,1)-t on per-minute returns. */
class GarchMinutes implements MinuteReturnModel {
  sigma = MINUTE_VOL;
  private readonly g: GarchStepper;
  constructor(p: GarchParams, rng: Rng) {
    this.g = new GarchStepper(p, rng);
  }
  startDay(): void {}
  step(): number {
    this.sigma = Math.sqrt(this.g.forecast);
    return this.g.step();
  }
}

/** Regime switching, one step per minute. */
class RegimeMinutes implements MinuteReturnModel {
  sigma = MINUTE_VOL;
  private readonly st: RegimeSwitchingStepper;
  constructor(
    private readonly p: RegimeParams,
    rng: Rng,
  ) {
    this.st = new RegimeSwitchingStepper(p, 1 / MINUTES_PER_YEAR, rng);
  }
  startDay(): void {}
  step(): number {
    const r = this.st.step();
    this.sigma = this.p.regimes[this.st.regime]!.sigma / Math.sqrt(MINUTES_PER_YEAR);
    return r;
  }
}

/**
 * Parameters of the `realistic` return model:
 *
 *     r_t = sigmaBar * s(m) * D_d * sqrt(h_t) * z_t  +  J_t
 *     h_t = (1 - alpha - beta - gamma/2) + (alpha + gamma 1[e_{t-1} < 0]) e_{t-1}^2 + beta h_{t-1},  e = sqrt(h) z
 *     ln D_d = phi ln D_{d-1} + sqrt(1 - phi^2) dayVol eta_d - dayVol^2 / 2   (a persistent daily volatility level)
 *
 * z standardized Student-t(nu); s(m) the intraday U-shaped volatility profile; J_t a jump with
 * probability `jumpProb` per minute, size N(0, (jumpSize sigma_t)^2).
 */
export interface RealisticParams {
  /** Per-minute volatility at the unconditional level (default 20%/sqrt(252 * 390)). */
  sigmaBar: number;
  /** GJR-GARCH coefficients of the unit-variance minute component. */
  alpha: number;
  gamma: number;
  beta: number;
  /** Degrees of freedom of the standardized Student-t shocks. */
  nu: number;
  /** Standard deviation of the daily log-volatility level. */
  dayVol: number;
  /** Day-to-day autocorrelation of the daily log-volatility level. */
  dayPhi: number;
  /** Shocks enter the variance recursion clipped to +-shockClip conditional standard deviations (> 0). */
  shockClip: number;
  /** Jump probability per minute. */
  jumpProb: number;
  /** Jump size in units of the minute's volatility. */
  jumpSize: number;
}

/** Defaults of `realistic` (tuned so the stylized-facts suite passes; see docs/models.md). */
export const DEFAULT_REALISTIC: Readonly<RealisticParams> = Object.freeze({ sigmaBar: MINUTE_VOL, alpha: 0.02, gamma: 0.06, beta: 0.95, nu: 4.5, dayVol: 0.3, dayPhi: 0.8, shockClip: 2.5, jumpProb: 0.001, jumpSize: 4 });

/**
 * E[min(z^2, c^2)] for a standardized Student-t(nu) z, by midpoint integration of its density (so the
 * clipped GJR recursion keeps unit unconditional variance).
 */
export function clippedSecondMoment(nu: number, c: number): number {
  const s = Math.sqrt((nu - 2) / nu); // z = s T, T ~ t(nu)
  const logNorm = lgamma((nu + 1) / 2) - lgamma(nu / 2) - 0.5 * Math.log(nu * Math.PI);
  const n = 4000;
  const h = c / n;
  let inside = 0;
  let mass = 0;
  for (let i = 0; i < n; i++) {
    const z = (i + 0.5) * h;
    const t = z / s;
    const f = Math.exp(logNorm - ((nu + 1) / 2) * Math.log(1 + (t * t) / nu)) / s;
    inside += 2 * z * z * f * h;
    mass += 2 * f * h;
  }
  return inside + (1 - mass) * c * c;
}

/** ln Gamma(x) for x > 0 (Lanczos, g = 7). */
function lgamma(x: number): number {
  const g = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lgamma(1 - x);
  x -= 1;
  let a = g[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += g[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The `realistic` model: GJR-GARCH-t minute component, daily volatility level, seasonality and jumps. */
class RealisticMinutes implements MinuteReturnModel {
  sigma = MINUTE_VOL;
  private readonly t: StandardizedStudentT;
  private h = 1;
  private e = 0;
  private logD = 0;
  private day = 1;
  private readonly omega: number;
  private readonly clip: number;
  constructor(
    private readonly p: RealisticParams,
    private readonly profile: Float64Array,
    private readonly rng: Rng,
  ) {
    this.t = new StandardizedStudentT(p.nu, 'realistic');
    this.clip = p.shockClip * p.shockClip;
    const ez2 = clippedSecondMoment(p.nu, p.shockClip);
    this.omega = 1 - (p.alpha + p.gamma / 2) * ez2 - p.beta;
    if (!(this.omega > 0)) throw new ConfigError([{ path: 'realistic.beta', message: `not stationary: (alpha + gamma/2) E[min(z^2, shockClip^2)] + beta must be < 1, got ${1 - this.omega}` }], 'realistic parameters');
    this.logD = p.dayVol * this.rng.normal();
  }
  startDay(day: number): void {
    const p = this.p;
    if (day > 0) this.logD = p.dayPhi * this.logD + Math.sqrt(1 - p.dayPhi * p.dayPhi) * p.dayVol * this.rng.normal();
    this.day = Math.exp(this.logD - (p.dayVol * p.dayVol) / 2);
  }
  step(minute: number): number {
    const p = this.p;
    const e = this.e;
    const c = this.clip * this.h;
    const e2 = e * e < c ? e * e : c;
    this.h = this.omega + (p.alpha + (e < 0 ? p.gamma : 0)) * e2 + p.beta * this.h;
    const sd = Math.sqrt(this.h);
    this.e = sd * this.t.draw(this.rng);
    this.sigma = p.sigmaBar * this.profile[minute]! * this.day * sd;
    let r = (this.sigma * this.e) / sd;
    if (this.rng.next() < p.jumpProb) r += p.jumpSize * this.sigma * this.rng.normal();
    return r;
  }
}

/** Options of `openSyntheticPreset`. */
export interface SyntheticPresetOptions {
  preset: PresetName;
  symbol: string;
  /** Trading days (integer >= 0). */
  days: number;
  /** Seed of the stream (each symbol draws from `new Rng(seed).fork(symbol)`). */
  seed: number;
  /** First calendar day 'YYYY-MM-DD' (default '2024-01-02'). */
  start?: string;
  /** Instrument (default: an equity quoted to the cent, whole shares). Crypto instruments trade 24/7. */
  instrument?: Instrument;
  /** Initial price (default 100). */
  s0?: number;
  /**
   * News that move the bars (docs/models.md, "News in the price generators"): jumps, volatility and
   * volume spikes, news-pending halts (no bars while halted). The source then also delivers the news
   * and status events. Not for `agent-based`.
   */
  news?: NewsInput;
}

/** What `openSyntheticPreset` returns. */
export interface SyntheticPreset {
  instrument: Instrument;
  /** The bars (with their news and status events when `news` is set), generated on the fly one trading day per batch. */
  source: BatchSource<BarEvent | NewsEvent | StatusEvent>;
}

/** Per-minute GJR-GARCH-t of the `garch` preset: persistence 0.97, unconditional variance of 20% a year. */
export const MINUTE_GARCH: GarchParams = { mu: 0, omega: 0.03 * MINUTE_VOL * MINUTE_VOL, alpha: 0.04, gamma: 0.04, beta: 0.91, nu: 5 };

/** DEFAULT_REGIMES with its daily transition matrix turned per minute (P_min = I + (P_day - I) / 390). */
export function minuteRegimes(p: RegimeParams = DEFAULT_REGIMES): RegimeParams {
  const n = p.regimes.length;
  return {
    regimes: p.regimes,
    transition: p.transition.map((row, i) => {
      const out = row.map((v, j) => (i === j ? 0 : v / 390));
      out[i] = 1 - out.reduce((a, b) => a + b, 0);
      return out.slice(0, n);
    }),
  };
}

/** Throws a `ConfigError` naming each bad option. */
function validate(o: SyntheticPresetOptions): void {
  const issues: { path: string; message: string }[] = [];
  if (!PRESET_NAMES.includes(o.preset)) issues.push({ path: 'preset', message: `unknown preset ${JSON.stringify(o.preset)} (known: ${PRESET_NAMES.join(', ')})` });
  if (typeof o.symbol !== 'string' || o.symbol.length === 0) issues.push({ path: 'symbol', message: 'must be a non-empty string' });
  if (!Number.isFinite(o.seed)) issues.push({ path: 'seed', message: `must be a finite number, got ${o.seed}` });
  if (o.instrument && o.instrument.symbol !== o.symbol) issues.push({ path: 'instrument', message: `symbol ${o.instrument.symbol} differs from symbol ${o.symbol}` });
  if (issues.length > 0) throw new ConfigError(issues, 'synthetic preset options');
}

/**
 * Opens a preset's 1-minute bars as a streaming `EventSource<BarEvent>` (validated: `ConfigError`
 * naming the option). Deterministic: the same options give the same bars; different symbols with
 * the same seed get independent streams.
 */
export function openSyntheticPreset(o: SyntheticPresetOptions): SyntheticPreset {
  validate(o);
  const instrument = o.instrument ?? new InstrumentRegistry().add({ symbol: o.symbol, assetClass: 'equity', pricePrecision: 2, sizePrecision: 0 });
  const calendar: MarketCalendar = instrument.assetClass === 'crypto' ? '24/7' : 'equity';
  const root = new Rng(o.seed).fork(o.symbol);
  if (o.preset === 'agent-based') {
    // the RMSC04-like agent market (docs/agents.md): equity sessions whatever the instrument; s0 is not used
    // (the fundamental's r_bar is $1,000 as in ABIDES)
    const days = agentMinuteBars({ seed: o.seed, rng: root.fork('agents'), days: o.days, start: o.start ?? '2024-01-02', instrument });
    return { instrument, source: new BatchSource<BarEvent | NewsEvent | StatusEvent>(`synthetic:${o.preset}:${o.symbol}`, days) };
  }
  const rng = root.fork('returns');
  const n = minutesPerDay(calendar);
  const season = calendar === 'equity' && o.preset === 'realistic' ? new IntradaySeasonality(DEFAULT_SEASONALITY) : IntradaySeasonality.none();
  const volProfile = season.volatilityTable(n);
  const volumeProfile = season.volumeTable(n);
  let model: MinuteReturnModel;
  let volume: VolumeModel;
  switch (o.preset) {
    case 'gbm':
      model = new GbmMinutes(rng);
      volume = { base: 1000, profile: null, response: 0, sigmaRef: MINUTE_VOL, noise: 0.5 };
      break;
    case 'heston':
      model = new HestonMinutes({ ...DEFAULT_HESTON, s0: 1 }, rng);
      volume = { base: 1000, profile: null, response: 0.5, sigmaRef: MINUTE_VOL, noise: 0.5 };
      break;
    case 'garch':
      model = new GarchMinutes(MINUTE_GARCH, rng);
      volume = { base: 1000, profile: null, response: 0.5, sigmaRef: MINUTE_VOL, noise: 0.5 };
      break;
    case 'regime':
      model = new RegimeMinutes(minuteRegimes(), rng);
      volume = { base: 1000, profile: null, response: 0.5, sigmaRef: MINUTE_VOL, noise: 0.5 };
      break;
    default:
      model = new RealisticMinutes(DEFAULT_REALISTIC, volProfile, rng);
      volume = { base: 1000, profile: volumeProfile, response: 1, sigmaRef: MINUTE_VOL, noise: 0.4 };
  }
  const barOptions = { instrument, model, volume, rng: root.fork('bars'), days: o.days, start: o.start ?? '2024-01-02', calendar, s0: o.s0 ?? 100 };
  const name = `synthetic:${o.preset}:${o.symbol}`;
  if (o.news !== undefined) return { instrument, source: new BatchSource<BarEvent | NewsEvent | StatusEvent>(name, minuteBarsWithNews({ ...barOptions, news: o.news, newsRng: root.fork('news') })) };
  return { instrument, source: new BatchSource<BarEvent | NewsEvent | StatusEvent>(name, minuteBars(barOptions)) };
}
