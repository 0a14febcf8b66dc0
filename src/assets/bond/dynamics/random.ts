/** The random variates of the rate models (gamma, Poisson, noncentral chi-square) live in src/core/random-variates.ts. */
export { gammaDraw, logGamma, poissonDraw, noncentralChiSquareDraw } from '../../../core/random-variates.ts';
