/**
 * The latency between each agent and the exchange, in the style of ABIDES (abides-core `LatencyModel` and
 * abides-markets `generate_latency_model`):
 *
 * - base latency: the exchange and every agent sit at uniformly random points of a line as long as the
 *   distance from New York to Seattle (3,866,660 m); an agent's base latency is the time light takes to
 *   cross the distance between it and the exchange (0 to about 12.9 ms);
 * - per-message jitter (ABIDES's "cubic" model): latency = base + (a / x^3) * (base / unit),
 *   x ~ U[clip, 1), with a = `jitter` (0.5), clip = `jitterClip` (0.1) and unit = `jitterUnit` (10):
 *   at least 1.05 times the base, 1.30 times at the median (x = 0.55), at most 51 times (x = 0.1);
 * - the result is rounded to whole microseconds, and each direction (agent -> exchange, exchange -> agent)
 *   is FIFO: a message never overtakes an earlier one on the same channel (arrival = max(draw, previous)).
 *
 * Assumption: the matrix is agent <-> exchange only (agents never message each other), symmetric.
 */
import type { Rng } from '../../../core/rng.ts';
import { checkNumber, type Issue } from '../checks.ts';

/** Parameters of the latency model. */
export interface LatencyParams {
  /** Length of the line agents and the exchange are placed on, metres (ABIDES: 3,866,660, New York to Seattle). */
  lineMeters: number;
  /** Cubic jitter shape a in [0, 1] (ABIDES default 0.5); 0 disables jitter. */
  jitter: number;
  /** Lower bound of x in (0, 1) (ABIDES default 0.1). */
  jitterClip: number;
  /** The jitter unit is base / jitterUnit (ABIDES default 10). */
  jitterUnit: number;
}

/** ABIDES's defaults (abides-core LatencyModel cubic defaults; line length from abides-markets utils). */
export const DEFAULT_LATENCY: Readonly<LatencyParams> = Object.freeze({ lineMeters: 3_866_660, jitter: 0.5, jitterClip: 0.1, jitterUnit: 10 });

/** Speed of light in metres per microsecond. */
const LIGHT_M_PER_US = 299.792458;

/** Validates latency parameters under `prefix`. */
export function validateLatency(p: LatencyParams, prefix: string, issues: Issue[]): void {
  checkNumber(issues, `${prefix}.lineMeters`, p.lineMeters, 'nonnegative');
  checkNumber(issues, `${prefix}.jitter`, p.jitter, 'probability');
  if (checkNumber(issues, `${prefix}.jitterClip`, p.jitterClip, 'any') && !(p.jitterClip > 0 && p.jitterClip < 1)) issues.push({ path: `${prefix}.jitterClip`, message: `must be in (0, 1), got ${p.jitterClip}` });
  checkNumber(issues, `${prefix}.jitterUnit`, p.jitterUnit, 'positive');
}

/** Base latency (us, not rounded) of an agent at `agentPos` metres to an exchange at `exchangePos` metres. */
export function lightLatencyUs(agentPos: number, exchangePos: number): number {
  return Math.abs(agentPos - exchangePos) / LIGHT_M_PER_US;
}

/**
 * One agent's link to the exchange: base latency, jitter, and the FIFO clamp of both directions.
 * `send(now)` / `receive(now)` return the arrival time of a message sent now.
 */
export class AgentLink {
  /** Base latency, microseconds (not rounded). */
  readonly baseUs: number;
  private readonly a: number;
  private readonly clip: number;
  private readonly scale: number;
  private readonly rng: Rng;
  private lastOut = -Infinity;
  private lastIn = -Infinity;

  constructor(baseUs: number, params: LatencyParams, jitter: boolean, rng: Rng) {
    this.baseUs = baseUs;
    this.a = jitter ? params.jitter : 0;
    this.clip = params.jitterClip;
    this.scale = baseUs / params.jitterUnit;
    this.rng = rng;
  }

  /** One latency draw, whole microseconds. */
  draw(): number {
    if (this.a === 0 || this.scale === 0) return Math.round(this.baseUs);
    const x = this.clip + (1 - this.clip) * this.rng.next();
    return Math.round(this.baseUs + (this.a / (x * x * x)) * this.scale);
  }

  /** Arrival time at the exchange of a message the agent sends at `now`. */
  send(now: number): number {
    let t = now + this.draw();
    if (t < this.lastOut) t = this.lastOut;
    this.lastOut = t;
    return t;
  }

  /** Arrival time at the agent of a message the exchange sends at `now`. */
  receive(now: number): number {
    let t = now + this.draw();
    if (t < this.lastIn) t = this.lastIn;
    this.lastIn = t;
    return t;
  }
}
