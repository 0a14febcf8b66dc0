import type { Order } from './order.ts';

/**
 * Fill rules for orders matched against bar, quote and trade data (the venue's "data" mode, where
 * the liquidity is the recorded market and not an order book). All prices are integer price units.
 * Every rule is documented with a worked example in docs/fill-rules.md, and each example is a test.
 */
export interface DataFillOptions {
  /**
   * When a market order sent during bar t fills: `next-open` (default) at bar t+1's open, as
   * backtrader does; `same-close` at bar t's close (cheat-on-close), when it reaches the venue
   * while bar t is the latest bar.
   */
  marketFill: 'next-open' | 'same-close';
  /** Adverse slippage in ticks on market and stop fills (bars: clamped to the bar's range). */
  slippageTicks: number;
  /** Adverse slippage as a fraction of the quoted spread on market fills against quotes (rounded up to a tick). */
  slippageSpreadFraction: number;
  /** Largest share of a bar's (or trade's) volume the user's orders may take, 0 < share <= 1; Infinity for no cap. */
  volumeShare: number;
  /** Cap market fills against quotes at the quoted size (the rest waits for the next quote). */
  quoteSizeCap: boolean;
  /** A resting limit fills against a trade print at its price (`touch`, default) or only through it (`through`). */
  tradeLimitFill: 'touch' | 'through';
}

/** Defaults: backtrader's rules (next open, no slippage, no volume cap). */
export const defaultDataFillOptions: DataFillOptions = {
  marketFill: 'next-open',
  slippageTicks: 0,
  slippageSpreadFraction: 0,
  volumeShare: Infinity,
  quoteSizeCap: false,
  tradeLimitFill: 'touch',
};

/**
 * The price at which a working order fills on a bar (open o, high h, low l), or NaN when it does
 * not fill on this bar. A stop that triggers without filling (a stop-limit whose limit is not reached)
 * is marked `triggered` and then works as a limit order.
 *
 * Rules (buy side; sell is symmetric):
 * - MARKET: the open, plus slippage clamped to [l, h].
 * - LIMIT L: open <= L (gap through the limit) fills at the open; else low <= L fills at L.
 * - STOP S: open >= S (gap) triggers at the open and fills at the open; else high >= S fills at S;
 *   plus slippage, clamped to [l, h].
 * - STOP_LIMIT S, L: triggers as STOP; triggered at the open it fills as LIMIT L from the open;
 *   triggered inside the bar it fills at S when S <= L, else at L when low <= L.
 */
export function barFillPrice(order: Order, o: number, h: number, l: number, slipUnits: number): number {
  const buy = order.side === 'BUY';
  switch (order.type) {
    case 'MARKET':
      return clamp(buy ? o + slipUnits : o - slipUnits, l, h);
    case 'LIMIT':
      return limitOnBar(buy, order.price, o, h, l);
    case 'STOP': {
      if (order.triggered) return clamp(buy ? o + slipUnits : o - slipUnits, l, h);
      const s = order.triggerPrice;
      if (buy ? o >= s : o <= s) {
        order.triggered = true;
        return clamp(buy ? o + slipUnits : o - slipUnits, l, h);
      }
      if (buy ? h >= s : l <= s) {
        order.triggered = true;
        return clamp(buy ? s + slipUnits : s - slipUnits, l, h);
      }
      return NaN;
    }
    case 'STOP_LIMIT': {
      const lim = order.price;
      if (order.triggered) return limitOnBar(buy, lim, o, h, l);
      const s = order.triggerPrice;
      if (buy ? o >= s : o <= s) {
        order.triggered = true;
        return limitOnBar(buy, lim, o, h, l);
      }
      if (buy ? h >= s : l <= s) {
        order.triggered = true;
        if (buy ? s <= lim : s >= lim) return s;
        return buy ? (l <= lim ? lim : NaN) : h >= lim ? lim : NaN;
      }
      return NaN;
    }
  }
}

function limitOnBar(buy: boolean, lim: number, o: number, h: number, l: number): number {
  if (buy) return o <= lim ? o : l <= lim ? lim : NaN;
  return o >= lim ? o : h >= lim ? lim : NaN;
}

/**
 * The price at which a working order fills against a quote (bid, ask), or NaN.
 * `arriving` is true when the order reaches the venue now (it takes liquidity: TAKER) and false when
 * it was already resting (a later quote crossing its limit fills it at its limit: MAKER).
 * - MARKET buy: the ask plus slippage (fraction of the spread, rounded up to whole ticks).
 * - LIMIT buy L: arriving with ask <= L fills at the ask; resting, a quote with ask <= L fills at L.
 * - STOP buy S: triggers when ask >= S (buy) or bid <= S (sell), then fills as MARKET at this quote.
 * - STOP_LIMIT: triggers likewise, then works as LIMIT (taking at the quote if marketable).
 */
export function quoteFillPrice(order: Order, bid: number, ask: number, slipUnits: number, arriving: boolean): number {
  const buy = order.side === 'BUY';
  if (!(bid === bid) || !(ask === ask)) return NaN;
  switch (order.type) {
    case 'MARKET':
      return buy ? ask + slipUnits : bid - slipUnits;
    case 'LIMIT':
      return limitOnQuote(buy, order.price, bid, ask, arriving);
    case 'STOP':
      if (!order.triggered) {
        if (!(buy ? ask >= order.triggerPrice : bid <= order.triggerPrice)) return NaN;
        order.triggered = true;
      }
      return buy ? ask + slipUnits : bid - slipUnits;
    case 'STOP_LIMIT':
      if (!order.triggered) {
        if (!(buy ? ask >= order.triggerPrice : bid <= order.triggerPrice)) return NaN;
        order.triggered = true;
        return limitOnQuote(buy, order.price, bid, ask, true);
      }
      return limitOnQuote(buy, order.price, bid, ask, arriving);
  }
}

function limitOnQuote(buy: boolean, lim: number, bid: number, ask: number, arriving: boolean): number {
  if (buy) return ask <= lim ? (arriving ? ask : lim) : NaN;
  return bid >= lim ? (arriving ? bid : lim) : NaN;
}

/**
 * The price at which a working order fills against a trade print at price p, or NaN.
 * - MARKET: p plus slippage.
 * - LIMIT buy L: p <= L (`touch`) or p < L (`through`) fills at L when resting; arriving, at p.
 * - STOP buy S: triggers when p >= S, fills at p plus slippage. STOP_LIMIT: triggers likewise, then LIMIT.
 */
export function tradeFillPrice(order: Order, p: number, slipUnits: number, arriving: boolean, through: boolean): number {
  const buy = order.side === 'BUY';
  switch (order.type) {
    case 'MARKET':
      return buy ? p + slipUnits : p - slipUnits;
    case 'LIMIT':
      return limitOnTrade(buy, order.price, p, arriving, through);
    case 'STOP':
      if (!order.triggered) {
        if (!(buy ? p >= order.triggerPrice : p <= order.triggerPrice)) return NaN;
        order.triggered = true;
      }
      return buy ? p + slipUnits : p - slipUnits;
    case 'STOP_LIMIT':
      if (!order.triggered) {
        if (!(buy ? p >= order.triggerPrice : p <= order.triggerPrice)) return NaN;
        order.triggered = true;
        return limitOnTrade(buy, order.price, p, true, false);
      }
      return limitOnTrade(buy, order.price, p, arriving, through);
  }
}

function limitOnTrade(buy: boolean, lim: number, p: number, arriving: boolean, through: boolean): number {
  const hit = buy ? (through && !arriving ? p < lim : p <= lim) : through && !arriving ? p > lim : p >= lim;
  if (!hit) return NaN;
  return arriving ? p : lim;
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
