// Distribution functions shared by every area (comparisons, drift tests, intervals): one implementation
// each, tested against scipy in distributions.test.ts (fixtures/metrics and fixtures/drift).
export { binomialCdf, binomialPmf, binomialSf } from './binomial.ts';
export { chiSquareCdf, chiSquareSf, regularizedGammaQ } from './chi-square.ts';
export { continuedFraction } from './continued-fraction.ts';
export { logGamma } from './log-gamma.ts';
export { erf, erfc, normalCdf, normalPdf, normalQuantile, normalSf } from './normal.ts';
