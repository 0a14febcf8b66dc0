import { ZigguratNormal } from './ziggurat.ts';
import type { Rng } from '../../core/rng.ts';
import { ConfigError } from '../../core/errors.ts';
import type { BatesParams, GbmParams, HestonParams, JumpParams, MertonParams } from './params.ts';
import { validateBates, validateGbm, validateHeston, validateMerton } from './params.ts';
import { meanJump } from './pricing.ts';

/**
 * Seeded, streaming path steppers of the price models, in log price x = ln S. Each stepper holds
 * one path and, when `antithetic`, its antithetic twin (every normal negated, every uniform u
 * replaced by 1 - u), advanced by the same draws; `step()` moves both by `dt` years, allocating
 * nothing. Randomness comes only from the `Rng` handed in. Equations: docs/models.md.
 */
export interface PathStepper {
  /** Log price of the path. */
  x: number;
  /** Log price of the antithetic twin (equal to `x` when not antithetic). */
  xTwin: number;
  /** Advances the path (and its twin) by one step of `dt` years. */
  step(): void;
  /** Restarts at S0 (and v0). */
  reset(): void;
}

/** Draws a Poisson count of mean `m` by inversion of the uniform `u`. */
function poissonInv(m: number, u: number): number {
  let p = Math.exp(-m);
  let cdf = p;
  let n = 0;
  while (u > cdf && n < 10000) {
    n++;
    p *= m / n;
    cdf += p;
  }
  return n;
}

function checkGrid(dt: number, where: string): void {
  if (!(Number.isFinite(dt) && dt > 0)) throw new ConfigError([{ path: `${where}.dt`, message: `must be a finite number of years > 0, got ${dt}` }], `${where} stepper`);
}

/** Compensated log-normal jumps over one step, shared by Merton and Bates. */
class JumpPart {
  private readonly m: number;
  constructor(private readonly p: JumpParams, dt: number) {
    this.m = p.lambda * dt;
  }
  /** Log-jump totals for the path and its twin, written to `out[0]` and `out[1]`. */
  draw(rng: Rng, out: Float64Array): void {
    if (this.m === 0) {
      out[0] = 0;
      out[1] = 0;
      return;
    }
    const u = rng.next();
    const z = rng.normal();
    const n = poissonInv(this.m, u);
    const nt = poissonInv(this.m, 1 - u);
    out[0] = n * this.p.muJ + this.p.deltaJ * Math.sqrt(n) * z;
    out[1] = nt * this.p.muJ - this.p.deltaJ * Math.sqrt(nt) * z;
  }
}

/**
 * GBM, exact scheme: x(t+dt) = x(t) + (r - q - sigma^2/2) dt + sigma sqrt(dt) Z. With jumps
 * (Merton 1976) the drift gains -lambda k dt and each step adds N ~ Poisson(lambda dt) log jumps
 * ~ N(muJ, deltaJ^2) (summed exactly as N muJ + deltaJ sqrt(N) Z'); both schemes are exact in law.
 */
export class GbmStepper implements PathStepper {
  x = 0;
  xTwin = 0;
  private readonly drift: number;
  private readonly vol: number;
  private readonly jumps: JumpPart | null;
  private readonly buf = new Float64Array(2);

  constructor(
    private readonly p: GbmParams | MertonParams,
    dt: number,
    private readonly rng: Rng,
    private readonly antithetic = false,
  ) {
    checkGrid(dt, 'gbm');
    const jp = 'lambda' in p ? (p as MertonParams) : null;
    if (jp) validateMerton(jp);
    else validateGbm(p);
    this.jumps = jp && jp.lambda > 0 ? new JumpPart(jp, dt) : null;
    const comp = jp ? jp.lambda * meanJump(jp) : 0;
    this.drift = (p.r - p.q - comp - (p.sigma * p.sigma) / 2) * dt;
    this.vol = p.sigma * Math.sqrt(dt);
    this.reset();
  }

  reset(): void {
    this.x = Math.log(this.p.s0);
    this.xTwin = this.x;
  }

  step(): void {
    const z = this.rng.normal();
    this.x += this.drift + this.vol * z;
    this.xTwin += this.drift - this.vol * z;
    if (this.jumps) {
      this.jumps.draw(this.rng, this.buf);
      this.x += this.buf[0]!;
      this.xTwin += this.buf[1]!;
    }
    if (!this.antithetic) this.xTwin = this.x;
  }
}

/**
 * Heston with Andersen's (2008) quadratic-exponential (QE) scheme for the variance and his
 * martingale-corrected log-price step (gamma1 = gamma2 = 1/2, psi_c = 1.5); stable whatever the
 * Feller condition. With jumps it is Bates (1996): the compensated jump part of `GbmStepper` is added.
 *
 *     m = theta + (v - theta) e^(-kappa dt),  s^2 = v sigma^2 e^(-kappa dt)(1 - e^(-kappa dt))/kappa
 *         + theta sigma^2 (1 - e^(-kappa dt))^2 / (2 kappa),  psi = s^2 / m^2
 *     psi <= 1.5: b^2 = 2/psi - 1 + sqrt(2/psi) sqrt(2/psi - 1), a = m / (1 + b^2), v' = a (b + Z_v)^2
 *     psi >  1.5: p = (psi - 1)/(psi + 1), beta = (1 - p)/m, v' = 0 if U <= p else ln((1 - p)/(1 - U)) / beta
 *     x' = x + (r - q - lambda k) dt + K0* + K1 v + K2 v' + sqrt(K3 v + K4 v') Z
 */
export class HestonQeStepper implements PathStepper {
  x = 0;
  xTwin = 0;
  v = 0;
  vTwin = 0;
  private readonly ek: number;
  private readonly c1: number;
  private readonly c2: number;
  private readonly k1: number;
  private readonly k2: number;
  private readonly k3: number;
  private readonly k4: number;
  private readonly k0: number;
  private readonly A: number;
  private readonly drift: number;
  private readonly jumps: JumpPart | null;
  private readonly buf = new Float64Array(2);
  /** Normal draws by the ziggurat (3x the polar method: the QE step needs two per step). */
  private readonly gauss: ZigguratNormal;

  constructor(
    private readonly p: HestonParams | BatesParams,
    dt: number,
    private readonly rng: Rng,
    private readonly antithetic = false,
  ) {
    checkGrid(dt, 'heston');
    this.gauss = new ZigguratNormal(rng);
    const jp = 'lambda' in p ? (p as BatesParams) : null;
    if (jp) validateBates(jp);
    else validateHeston(p);
    const { kappa, theta, sigma, rho } = p;
    this.ek = Math.exp(-kappa * dt);
    this.c1 = (sigma * sigma * this.ek * (1 - this.ek)) / kappa;
    this.c2 = (theta * sigma * sigma * (1 - this.ek) * (1 - this.ek)) / (2 * kappa);
    const g1 = 0.5;
    const g2 = 0.5;
    this.k0 = (-rho * kappa * theta * dt) / sigma;
    this.k1 = g1 * dt * ((kappa * rho) / sigma - 0.5) - rho / sigma;
    this.k2 = g2 * dt * ((kappa * rho) / sigma - 0.5) + rho / sigma;
    this.k3 = g1 * dt * (1 - rho * rho);
    this.k4 = g2 * dt * (1 - rho * rho);
    this.A = this.k2 + 0.5 * this.k4;
    this.jumps = jp && jp.lambda > 0 ? new JumpPart(jp, dt) : null;
    this.drift = (p.r - p.q - (jp ? jp.lambda * meanJump(jp) : 0)) * dt;
    this.reset();
  }

  reset(): void {
    this.x = Math.log(this.p.s0);
    this.xTwin = this.x;
    this.v = this.p.v0;
    this.vTwin = this.p.v0;
  }

  /** One QE step of (x, v) from the draws; returns the new x and leaves the new v in `this.vNext`. */
  private vNext = 0;
  private move(x: number, v: number, zv: number, u: number, z: number): number {
    const m = this.p.theta + (v - this.p.theta) * this.ek;
    const s2 = v * this.c1 + this.c2;
    const psi = s2 / (m * m);
    let vn: number;
    let k0: number;
    const A = this.A;
    if (psi <= 1.5) {
      const ip = 2 / psi;
      const b2 = ip - 1 + Math.sqrt(ip) * Math.sqrt(ip - 1);
      const b = Math.sqrt(b2);
      const a = m / (1 + b2);
      vn = a * (b + zv) * (b + zv);
      k0 = 1 - 2 * A * a > 0 ? (-A * b2 * a) / (1 - 2 * A * a) + 0.5 * Math.log(1 - 2 * A * a) - (this.k1 + 0.5 * this.k3) * v : this.k0;
    } else {
      const pr = (psi - 1) / (psi + 1);
      const beta = (1 - pr) / m;
      vn = u <= pr ? 0 : Math.log((1 - pr) / (1 - u)) / beta;
      k0 = A < beta ? -Math.log(pr + (beta * (1 - pr)) / (beta - A)) - (this.k1 + 0.5 * this.k3) * v : this.k0;
    }
    this.vNext = vn;
    return x + this.drift + k0 + this.k1 * v + this.k2 * vn + Math.sqrt(Math.max(0, this.k3 * v + this.k4 * vn)) * z;
  }

  step(): void {
    const zv = this.gauss.next();
    const u = this.rng.next();
    const z = this.gauss.next();
    this.x = this.move(this.x, this.v, zv, u, z);
    this.v = this.vNext;
    if (this.antithetic) {
      this.xTwin = this.move(this.xTwin, this.vTwin, -zv, 1 - u, -z);
      this.vTwin = this.vNext;
    }
    if (this.jumps) {
      this.jumps.draw(this.rng, this.buf);
      this.x += this.buf[0]!;
      this.xTwin += this.buf[1]!;
    }
    if (!this.antithetic) {
      this.xTwin = this.x;
      this.vTwin = this.v;
    }
  }
}

/** The models the simulators and pricers know. */
export type ModelName = 'gbm' | 'heston' | 'merton' | 'bates';

/** Parameters by model name. */
export type ModelParams = { gbm: GbmParams; heston: HestonParams; merton: MertonParams; bates: BatesParams };

/** A stepper for `model` with steps of `dt` years (parameters validated, `ConfigError` naming the field). */
export function makeStepper<M extends ModelName>(model: M, params: ModelParams[M], dt: number, rng: Rng, antithetic = false): PathStepper {
  return model === 'gbm' || model === 'merton' ? new GbmStepper(params as GbmParams, dt, rng, antithetic) : new HestonQeStepper(params as HestonParams, dt, rng, antithetic);
}

/**
 * Terminal prices S_T of `paths` paths of `steps` steps over `T` years. With `antithetic`, `paths`
 * must be even and entries 2i and 2i+1 are an antithetic pair. Seeded: the same rng state gives
 * the same array.
 */
export function simulateTerminal<M extends ModelName>(model: M, params: ModelParams[M], T: number, steps: number, paths: number, rng: Rng, antithetic = false): Float64Array {
  const issues: { path: string; message: string }[] = [];
  if (!(Number.isFinite(T) && T > 0)) issues.push({ path: 'T', message: `must be a finite number of years > 0, got ${T}` });
  if (!(Number.isInteger(steps) && steps >= 1)) issues.push({ path: 'steps', message: `must be an integer >= 1, got ${steps}` });
  if (!(Number.isInteger(paths) && paths >= 1)) issues.push({ path: 'paths', message: `must be an integer >= 1, got ${paths}` });
  else if (antithetic && paths % 2 !== 0) issues.push({ path: 'paths', message: `must be even with antithetic sampling, got ${paths}` });
  if (issues.length > 0) throw new ConfigError(issues, 'simulateTerminal');
  const st = makeStepper(model, params, T / steps, rng, antithetic);
  const out = new Float64Array(paths);
  const inc = antithetic ? 2 : 1;
  for (let i = 0; i < paths; i += inc) {
    st.reset();
    for (let s = 0; s < steps; s++) st.step();
    out[i] = Math.exp(st.x);
    if (antithetic) out[i + 1] = Math.exp(st.xTwin);
  }
  return out;
}
