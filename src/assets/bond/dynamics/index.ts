/**
 * Bond market dynamics (docs/bond-dynamics.md): rate models, macro events, credit, MBS prepayment
 * and dealer quotes, in one barrel for `src/index.ts` (`export * as bondDynamics from ...`).
 */
export * from './curve-dynamics.ts';
export * from './random.ts';
export * from './vasicek.ts';
export * from './cir.ts';
export * from './hull-white.ts';
export * from './zero-bond-mc.ts';
export * from './dynamic-nelson-siegel.ts';
export * from './macro-events.ts';
export * from './coupon-bond-pricer.ts';
export { checkNumber, throwIfIssues, type ParamIssue, type NumberRule } from './params.ts';
export * from '../credit-ratings.ts';
export * from '../credit-spread.ts';
export * from '../credit-events.ts';
export * from '../mbs-prepayment.ts';
export * from '../mbs-cash-flow.ts';
export * from '../dealer-quotes.ts';
export * from '../dealer-quote-source.ts';
export * from '../dealer-scenario.ts';
