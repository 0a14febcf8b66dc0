/** The stylized-facts suite (docs/stylized-facts.md): the test of realism of 1-minute returns. */
export { aggregatedKurtosis, ewmaStandardized, factsFromBars, fano, longMemoryBeta, parseSession, type FactsOptions, type FactsReport, type FactTest, type Session } from './facts.ts';
export { acfWithinDays, lagCorrWithinDays, robustT } from './acf.ts';
export { excessKurtosis, mean, pearson, ranks, spearman, stdDev } from './moments.ts';
export { concat, dayReturns, deseasonalize, minuteDays, ZoneOffset, type DayReturns, type FactBar, type MinuteDay } from './series.ts';
export { hillIndex, inferTick, jitteredHill } from './tail.ts';
export { loadFactBars, type LoadFactBarsOptions } from './load.ts';
