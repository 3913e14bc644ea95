// Comparing two models on the same rows: DeLong, paired bootstrap, McNemar, Tango; and the distribution
// functions they rest on.

export { createRandom, type Random } from '../random.ts';
export { PairedAucResampler } from './auc-bootstrap.ts';
export { binomialCdf, binomialPmf, binomialSf } from './binomial-distribution.ts';
export {
  bcaInterval,
  biasCorrection,
  jackknifeAcceleration,
  percentileInterval,
  percentileOfSorted,
} from './bootstrap-interval.ts';
// chiSquareSf, normalCdf and normalSf are exported by drift/ (same definitions); these stay internal to compare/.
export { chiSquareCdf } from './chi-square-distribution.ts';
export { type AucConfidence, aucConfidence, type DelongResult, delongTest } from './delong.ts';
export { logGamma } from './log-gamma.ts';
export { type McNemarResult, mcnemarTest, type PairedCounts, pairedCounts } from './mcnemar.ts';
export { erf, erfc, normalPdf, normalQuantile } from './normal-distribution.ts';
export {
  type PairedBootstrapOptions,
  type PairedBootstrapResult,
  pairedBootstrap,
  type WeightedMetricFn,
} from './paired-bootstrap.ts';
export { type PairedProportionResult, pairedNonInferiority, tangoScore } from './tango.ts';
