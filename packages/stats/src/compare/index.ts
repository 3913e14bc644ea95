// Comparing two models on the same rows: DeLong, paired bootstrap, McNemar, Tango (the distribution
// functions they rest on live in ../distributions/).

export { createRandom, type Random } from '../random.ts';
export {
  type AucBootstrapOptions,
  type AucBootstrapResult,
  type AucBootstrapScheme,
  POISSON_AUTO_MIN_CLASS,
  pairedAucBootstrap,
  type RunningAucBootstrap,
  startPairedAucBootstrap,
} from './auc-bootstrap.ts';
export {
  bcaInterval,
  biasCorrection,
  jackknifeAcceleration,
  percentileInterval,
  percentileOfSorted,
} from './bootstrap-interval.ts';
export { type AucConfidence, aucConfidence, type DelongResult, delongTest } from './delong.ts';
export {
  classFlips,
  clopperPearsonUpper,
  type Flips,
  regressionFlips,
} from './flips.ts';
export { type McNemarResult, mcnemarTest, type PairedCounts, pairedCounts } from './mcnemar.ts';
export {
  type PairedBootstrapOptions,
  type PairedBootstrapResult,
  type PerModelMetric,
  pairedBootstrap,
  type WeightedMetricFn,
} from './paired-bootstrap.ts';
export { type PairedProportionResult, pairedNonInferiority, tangoScore } from './tango.ts';
