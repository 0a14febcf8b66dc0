import { MarketsimError } from '../core/errors.ts';
import { US_PER_DAY } from '../core/time.ts';
import type { VirtualClock } from '../core/clock.ts';
import type { Instrument } from '../market/instrument.ts';
import type { FeeModel, Liquidity } from '../market/fees.ts';
import { RATE_ONE, TieredFees, type FeeTier } from '../assets/crypto/fee-tiers.ts';
import { formatUnits, mulDiv, parseDecimalBig } from '../assets/crypto/int.ts';
import type { FillReport, Simulation, SimulationPlugin } from './simulation.ts';

/** Options of `CryptoFeePlugin`. */
export interface CryptoFeeOptions {
  /** The tier model (table, rolling volume, rounding, fee token with its discount). */
  tiered: TieredFees;
  /** 30-day volume (whole USD) traded before the run, booked the day before the first fill or fee query. */
  thirtyDayVolume?: number;
  /**
   * Fee token held beside the account: `balance` tokens (decimal) at the start, priced in the account
   * currency by `price` (decimal) or by the last price of `priceSymbol`. Fees are paid in it while it
   * lasts (Binance: "use BNB to pay for fees"), in the account currency after.
   */
  token?: { balance: string; price?: string; priceSymbol?: string };
  /** The run's instruments: for `priceSymbol` and contract multipliers. */
  registry?: { get(symbol: string): Instrument | undefined };
}

/** The fees of one tier, in the report. */
interface TierTotals {
  fills: number;
  /** Fees in the account currency (decimal). */
  fees: number;
}

/**
 * Tiered maker/taker fees in a run (docs/crypto.md, "Crypto rules in a run"): a `FeeModel` for the
 * venue (`VenueOptions.fees`) and a plugin (`SimulationOptions.plugins`) in one object. The rate of a
 * fill is the tier's at the fill's virtual time (read from the simulation's clock) for the 30-day volume
 * traded so far (fills recorded in quote units, taken as USD: USDT, USDC, BUSD); the volume includes
 * `thirtyDayVolume`. Fees in the fee token are charged to the token balance the plugin holds (the
 * account pays 0 for that fill); the account currency pays once the token runs out.
 * Assumption: volume counts the notional of every fill of the account, spot and perpetual alike.
 */
export class CryptoFeePlugin implements FeeModel, SimulationPlugin {
  readonly name = 'crypto-fees';
  readonly tiered: TieredFees;
  private readonly initialVolume: number;
  private primed = false;
  private clock: VirtualClock | undefined;
  private sim: Simulation | undefined;
  private cashPrecision = 0;
  /** Token balance in token base units (fee token mode). */
  private tokenBalance = 0;
  private tokenSpent = 0;
  private tokenPriceUnits = NaN;
  /** Token fee of the fee just quoted, paid when the fill is booked. */
  private pendingToken = 0;
  private readonly byTier = new Map<string, TierTotals>();
  private readonly token: CryptoFeeOptions['token'];
  private tokenPriceInstrument: Instrument | undefined;
  private readonly registry: { get(symbol: string): Instrument | undefined } | undefined;

  constructor(o: CryptoFeeOptions) {
    this.tiered = o.tiered;
    this.registry = o.registry;
    this.initialVolume = o.thirtyDayVolume ?? 0;
    this.token = o.token;
    if (o.token !== undefined && o.tiered.feeToken === undefined) throw new MarketsimError('FEE_CONFIG_INVALID', 'CryptoFeePlugin: a token balance needs TieredFees.feeToken');
  }

  /** Binds to the run's clock and account. */
  attach(sim: Simulation): void {
    this.sim = sim;
    this.clock = sim.clock;
    this.cashPrecision = sim.account.cashPrecision;
    const tok = this.tiered.feeToken;
    if (this.token !== undefined && tok !== undefined) {
      const b = parseDecimalBig(this.token.balance, tok.precision);
      if (b === undefined || b > BigInt(Number.MAX_SAFE_INTEGER)) throw new MarketsimError('CONFIG_INVALID', `crypto.fees.feeToken.balance: '${this.token.balance}' is not a decimal with at most ${tok.precision} decimals`);
      this.tokenBalance = Number(b);
      if (this.token.price !== undefined) {
        const p = parseDecimalBig(this.token.price, this.cashPrecision);
        if (p === undefined || p <= 0n) throw new MarketsimError('CONFIG_INVALID', `crypto.fees.feeToken.price: '${this.token.price}' must be a positive decimal with at most ${this.cashPrecision} decimals (the account's cash precision)`);
        this.tokenPriceUnits = Number(p);
      }
    }
  }

  /** The 30-day volume (whole USD) counted for fills at `time`. */
  volume(time: number): number {
    this.prime(time);
    return this.tiered.volume.volume(time);
  }

  /** The tier in force at `time`. */
  tier(time: number): FeeTier {
    this.prime(time);
    return this.tiered.tier(time);
  }

  /** `FeeModel`: the fee in cash units of a fill of `notional` cash units now (0 when paid in the fee token). */
  fee(_instrument: Instrument, notional: number, liquidity: Liquidity, _firstFill: boolean): number {
    const t = this.clock?.now ?? 0;
    this.prime(t);
    const r = this.tiered.rate(t, liquidity);
    this.pendingToken = 0;
    if (this.token !== undefined && r > 0 && this.tokenBalance > 0) {
      const price = this.tokenPrice();
      if (price === price && price > 0) {
        const c = this.tiered.tokenFee(t, liquidity, Math.abs(notional), this.cashPrecision, { units: price, precision: this.cashPrecision });
        if (c.amount <= this.tokenBalance) {
          this.pendingToken = c.amount;
          return 0;
        }
      }
    }
    return mulDiv(notional, r, RATE_ONE, this.tiered.rounding);
  }

  /** Records the fill's volume (and pays a fee-token fee quoted for it). */
  onFill(fill: FillReport): void {
    this.prime(fill.time);
    const tierName = this.tiered.tier(fill.time).name;
    const inst = this.instrumentOf(fill.symbol);
    const notional = Math.abs(fill.price * fill.quantity * (inst?.multiplier ?? 1));
    this.tiered.volume.record(fill.time, notional);
    let t = this.byTier.get(tierName);
    if (t === undefined) this.byTier.set(tierName, (t = { fills: 0, fees: 0 }));
    t.fills++;
    t.fees += fill.fee;
    if (this.pendingToken > 0 && fill.fee === 0) {
      this.tokenBalance -= this.pendingToken;
      this.tokenSpent += this.pendingToken;
    }
    this.pendingToken = 0;
  }

  /** Fills and fees per tier, the 30-day volume at the end, the fee token spent and left. */
  report(): unknown {
    const now = this.clock?.now ?? 0;
    const tok = this.tiered.feeToken;
    return {
      tierAtEnd: Number.isFinite(now) ? this.tier(now).name : this.tiered.table.tiers[0]!.name,
      thirtyDayVolume: Number.isFinite(now) ? this.volume(now) : this.initialVolume,
      byTier: Object.fromEntries(this.byTier),
      ...(this.token !== undefined && tok !== undefined ? { feeToken: { asset: tok.asset, spent: formatUnits(this.tokenSpent, tok.precision), left: formatUnits(this.tokenBalance, tok.precision) } } : {}),
    };
  }

  private prime(time: number): void {
    if (this.primed || !Number.isSafeInteger(time)) return;
    this.primed = true;
    if (this.initialVolume > 0) this.tiered.volume.record(time - US_PER_DAY, this.initialVolume);
  }

  private tokenPrice(): number {
    if (this.token?.priceSymbol === undefined) return this.tokenPriceUnits;
    const sim = this.sim;
    if (sim === undefined) return NaN;
    if (this.tokenPriceInstrument === undefined) this.tokenPriceInstrument = this.instrumentOf(this.token.priceSymbol);
    const inst = this.tokenPriceInstrument;
    if (inst === undefined) return NaN;
    const last = sim.venue.lastPrice(inst);
    if (last !== last) return NaN;
    // price units -> cash units of one whole token
    const d = this.cashPrecision - inst.pricePrecision;
    return d >= 0 ? last * 10 ** d : Math.round(last / 10 ** -d);
  }

  private instrumentOf(symbol: string): Instrument | undefined {
    return this.registry?.get(symbol);
  }
}

/** A fee tier table entry of a config (rates as fractions) in rate units. */
export function tierFromConfig(t: { name: string; minVolume: number; maker: number; taker: number }): FeeTier {
  return { name: t.name, minVolume: t.minVolume, maker: Math.round(t.maker * RATE_ONE), taker: Math.round(t.taker * RATE_ONE) };
}
