// Fairness by Fairlearn's definitions, with a minimum group support, and AIF360's disparate impact.
export { disparateImpact } from './disparate-impact.ts';
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
