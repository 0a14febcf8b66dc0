/** Streaming indicators: O(1) updates, no allocation per update, `NaN` until warm. */
export { type Indicator, type SeriesIndicator } from './indicator.ts';
export { RollingWindow } from './rolling-window.ts';
export { SMA, type SmaOptions } from './sma.ts';
export { EMA, type EmaOptions } from './ema.ts';
export { RSI } from './rsi.ts';
export { MACD } from './macd.ts';
export { BollingerBands, type BollingerOptions } from './bollinger.ts';
export { ATR } from './atr.ts';
export { VWAP } from './vwap.ts';
export { CrossOver } from './crossover.ts';
