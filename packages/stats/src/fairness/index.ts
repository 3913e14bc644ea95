// Fairness by Fairlearn's definitions, with a minimum group support.
export {
  demographicParityDifference,
  demographicParityRatio,
  equalizedOddsDifference,
  equalizedOddsRatio,
  equalOpportunityDifference,
  FAIRNESS_MEASURES,
  type FairnessMethod,
  type FairnessResult,
  fairnessMeasure,
} from './fairness-measures.ts';
export {
  byGroup,
  FAIRNESS_RATES,
  type FairnessInput,
  falsePositiveRate,
  type GroupKey,
  type GroupMetricFn,
  type GroupResult,
  groupDifference,
  groupRatio,
  type MetricFrame,
  selectionRate,
  truePositiveRate,
} from './group-metrics.ts';
