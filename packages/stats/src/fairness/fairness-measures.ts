import { didYouMean } from '@mlops/kit';
import { StatsError } from '../errors.ts';
import {
  byGroup,
  type FairnessInput,
  falsePositiveRate,
  groupDifference,
  groupRatio,
  type MetricFrame,
  selectionRate,
  truePositiveRate,
} from './group-metrics.ts';

/** How a measure compares groups (Fairlearn's `method`). */
export type FairnessMethod = 'between_groups' | 'to_overall';

/** A fairness measure's value with the by-group breakdown behind it. */
export interface FairnessResult {
  measure: string;
  value: number;
  method: FairnessMethod;
  /** Selection rate, TPR and FPR overall and by group (with support and insufficient flags). */
  frame: MetricFrame;
  /** Groups left out of the value (under minSupport or the rate undefined there). */
  excludedGroups: string[];
  /** True for ratios (1 = parity), false for differences (0 = parity). */
  isRatio: boolean;
}

const RATES = {
  selection_rate: selectionRate,
  true_positive_rate: truePositiveRate,
  false_positive_rate: falsePositiveRate,
};

type Aggregate = (frame: MetricFrame, method: FairnessMethod) => { value: number; rates: string[] };

const difference =
  (rate: string): Aggregate =>
  (frame, method) => ({ value: groupDifference(frame, rate, method), rates: [rate] });
const ratio =
  (rate: string): Aggregate =>
  (frame, method) => ({ value: groupRatio(frame, rate, method), rates: [rate] });

/**
 * The worse of the TPR and FPR components, ignoring an undefined one (a 0/0 ratio when no group has any
 * false positive is parity, not a failure); NaN only when both are undefined. Python's builtin
 * `min(tpr, fpr)` in Fairlearn returns the defined value for a NaN second argument too.
 */
function worst(pick: (...values: number[]) => number, tpr: number, fpr: number): number {
  const defined = [tpr, fpr].filter((v) => !Number.isNaN(v));
  return defined.length === 0 ? Number.NaN : pick(...defined);
}

/** Fairlearn's measures by name: each aggregates selection rate / TPR / FPR over groups. */
const MEASURES: Record<string, { isRatio: boolean; aggregate: Aggregate }> = {
  demographic_parity_difference: { isRatio: false, aggregate: difference('selection_rate') },
  demographic_parity_ratio: { isRatio: true, aggregate: ratio('selection_rate') },
  // Fairlearn: the larger of the TPR and FPR differences ("worst_case" aggregation).
  equalized_odds_difference: {
    isRatio: false,
    aggregate: (frame, method) => ({
      value: worst(
        Math.max,
        groupDifference(frame, 'true_positive_rate', method),
        groupDifference(frame, 'false_positive_rate', method),
      ),
      rates: ['true_positive_rate', 'false_positive_rate'],
    }),
  },
  // Fairlearn: the smaller of the TPR and FPR ratios.
  equalized_odds_ratio: {
    isRatio: true,
    aggregate: (frame, method) => ({
      value: worst(
        Math.min,
        groupRatio(frame, 'true_positive_rate', method),
        groupRatio(frame, 'false_positive_rate', method),
      ),
      rates: ['true_positive_rate', 'false_positive_rate'],
    }),
  },
  equal_opportunity_difference: { isRatio: false, aggregate: difference('true_positive_rate') },
  equal_opportunity_ratio: { isRatio: true, aggregate: ratio('true_positive_rate') },
};

/** Names accepted by {@link fairnessMeasure}. */
export const FAIRNESS_MEASURES: readonly string[] = Object.keys(MEASURES);

/**
 * Computes a Fairlearn fairness measure by name with its by-group breakdown. Groups with fewer than
 * `minSupport` rows, or where the rate is undefined (TPR of a group without positives), are excluded and
 * listed in `excludedGroups`; an unknown name throws a StatsError with a "did you mean" hint.
 * The 80% rule is `demographic_parity_ratio >= 0.8`.
 * @example fairnessMeasure('demographic_parity_difference', { yTrue: [1, 0, 1, 0], yPred: [1, 1, 1, 0], sensitive: ['a', 'a', 'b', 'b'] }).value; // => 0.5
 */
export function fairnessMeasure(
  name: string,
  input: FairnessInput,
  method: FairnessMethod = 'between_groups',
): FairnessResult {
  const measure = MEASURES[name];
  if (measure === undefined) {
    throw new StatsError(
      `unknown fairness measure '${name}'${didYouMean(name, FAIRNESS_MEASURES)}; known: ${FAIRNESS_MEASURES.join(', ')}`,
    );
  }
  const frame = byGroup(input, RATES);
  const { value, rates } = measure.aggregate(frame, method);
  const excludedGroups = frame.groups
    .filter((g) => g.insufficient || rates.some((r) => !Number.isFinite(g.values[r])))
    .map((g) => g.group);
  return { measure: name, value, method, frame, excludedGroups, isRatio: measure.isRatio };
}

/**
 * Demographic parity difference (Fairlearn `demographic_parity_difference`): max - min selection rate over groups.
 * @example demographicParityDifference({ yTrue: [1, 0, 1, 0], yPred: [1, 1, 1, 0], sensitive: ['a', 'a', 'b', 'b'] }); // => 0.5
 */
export function demographicParityDifference(
  input: FairnessInput,
  method: FairnessMethod = 'between_groups',
): number {
  return fairnessMeasure('demographic_parity_difference', input, method).value;
}

/**
 * Demographic parity ratio (Fairlearn `demographic_parity_ratio`): min / max selection rate; the 80% rule asks >= 0.8.
 * @example demographicParityRatio({ yTrue: [1, 0, 1, 0], yPred: [1, 1, 1, 0], sensitive: ['a', 'a', 'b', 'b'] }); // => 0.5
 */
export function demographicParityRatio(
  input: FairnessInput,
  method: FairnessMethod = 'between_groups',
): number {
  return fairnessMeasure('demographic_parity_ratio', input, method).value;
}

/**
 * Equalized odds difference (Fairlearn `equalized_odds_difference`): max(TPR difference, FPR difference).
 * @example equalizedOddsDifference({ yTrue: [1, 0, 1, 0], yPred: [1, 1, 1, 0], sensitive: ['a', 'a', 'b', 'b'] }); // => 1
 */
export function equalizedOddsDifference(
  input: FairnessInput,
  method: FairnessMethod = 'between_groups',
): number {
  return fairnessMeasure('equalized_odds_difference', input, method).value;
}

/**
 * Equalized odds ratio (Fairlearn `equalized_odds_ratio`): min(TPR ratio, FPR ratio).
 * @example equalizedOddsRatio({ yTrue: [1, 0, 1, 0], yPred: [1, 1, 1, 0], sensitive: ['a', 'a', 'b', 'b'] }); // => 0
 */
export function equalizedOddsRatio(input: FairnessInput, method: FairnessMethod = 'between_groups'): number {
  return fairnessMeasure('equalized_odds_ratio', input, method).value;
}

/**
 * Equal opportunity difference (Fairlearn `equal_opportunity_difference`): max - min TPR over groups.
 * @example equalOpportunityDifference({ yTrue: [1, 0, 1, 0], yPred: [1, 1, 0, 0], sensitive: ['a', 'a', 'b', 'b'] }); // => 1
 */
export function equalOpportunityDifference(
  input: FairnessInput,
  method: FairnessMethod = 'between_groups',
): number {
  return fairnessMeasure('equal_opportunity_difference', input, method).value;
}
