import { assertFinite, assertNonEmpty, assertSameLength, assertWeights, StatsError } from '../errors.ts';

/** A sensitive-feature value; each distinct String(value) is one group (null -> "null"). */
export type GroupKey = string | number | boolean | null | undefined;

/** A metric of one group's rows: labels, 0/1 predictions, weights. NaN means "undefined for this group". */
export type GroupMetricFn = (yTrue: Float64Array, yPred: Uint8Array, weight: Float64Array) => number;

/** Inputs shared by the fairness functions. */
export interface FairnessInput {
  /** Binary labels 0/1. */
  yTrue: ArrayLike<number>;
  /** Predictions: hard 0/1 labels, or scores cut at `threshold` (predicted positive when >= threshold). */
  yPred: ArrayLike<number>;
  /** The sensitive feature, one value per row. */
  sensitive: ArrayLike<GroupKey>;
  sampleWeight?: ArrayLike<number>;
  /** Default 0.5 (0/1 predictions pass through unchanged). */
  threshold?: number;
  /** Groups with fewer rows are reported as insufficient and left out of every aggregate. Default 1. */
  minSupport?: number;
}

/** One group's values in a {@link MetricFrame}. */
export interface GroupResult {
  group: string;
  /** Rows in the group. */
  n: number;
  /** Total sample weight of the group. */
  weight: number;
  /** True when n < minSupport: shown, never aggregated. */
  insufficient: boolean;
  values: Record<string, number>;
}

/** Fairlearn `MetricFrame`-like result: overall and by-group values of named metrics. */
export interface MetricFrame {
  overall: Record<string, number>;
  groups: GroupResult[];
  minSupport: number;
}

/**
 * Selection rate: weighted share of rows predicted positive (Fairlearn `selection_rate`).
 * @example selectionRate(Float64Array.of(0, 1), Uint8Array.of(1, 1), Float64Array.of(1, 1)); // => 1
 */
export const selectionRate: GroupMetricFn = (_yTrue, yPred, weight) => {
  let selected = 0;
  let total = 0;
  for (let i = 0; i < yPred.length; i++) {
    selected += weight[i]! * yPred[i]!;
    total += weight[i]!;
  }
  return total === 0 ? Number.NaN : selected / total;
};

/**
 * True positive rate P(ŷ = 1 | y = 1) (Fairlearn `true_positive_rate`); NaN for a group without positives
 * (Fairlearn reports 0 there through sklearn's nan_to_num, which would fake a disparity).
 * @example truePositiveRate(Float64Array.of(1, 1), Uint8Array.of(1, 0), Float64Array.of(1, 1)); // => 0.5
 */
export const truePositiveRate: GroupMetricFn = (yTrue, yPred, weight) =>
  conditionalRate(yTrue, yPred, weight, 1);

/**
 * False positive rate P(ŷ = 1 | y = 0) (Fairlearn `false_positive_rate`); NaN for a group without negatives.
 * @example falsePositiveRate(Float64Array.of(0, 0), Uint8Array.of(1, 0), Float64Array.of(1, 1)); // => 0.5
 */
export const falsePositiveRate: GroupMetricFn = (yTrue, yPred, weight) =>
  conditionalRate(yTrue, yPred, weight, 0);

function conditionalRate(
  yTrue: Float64Array,
  yPred: Uint8Array,
  weight: Float64Array,
  label: number,
): number {
  let hit = 0;
  let total = 0;
  for (let i = 0; i < yTrue.length; i++) {
    if (yTrue[i] !== label) continue;
    hit += weight[i]! * yPred[i]!;
    total += weight[i]!;
  }
  return total === 0 ? Number.NaN : hit / total;
}

/** The rates the named fairness measures use. */
export const FAIRNESS_RATES: Readonly<Record<string, GroupMetricFn>> = {
  selection_rate: selectionRate,
  true_positive_rate: truePositiveRate,
  false_positive_rate: falsePositiveRate,
};

/**
 * Evaluates metrics overall and for every group of a sensitive feature (Fairlearn `MetricFrame(metrics,
 * y_true, y_pred, sensitive_features)`), with a minimum group support: groups under it are listed with
 * `insufficient: true` and are never used by {@link groupDifference} / {@link groupRatio}. Groups are sorted by name.
 * @example byGroup({ yTrue: [1, 0, 1, 0], yPred: [1, 0, 0, 0], sensitive: ['a', 'a', 'b', 'b'] }, { selection_rate: selectionRate }).groups[0].values; // => { selection_rate: 0.5 }
 */
export function byGroup(input: FairnessInput, metrics: Readonly<Record<string, GroupMetricFn>>): MetricFrame {
  const { yTrue, sensitive, sampleWeight } = input;
  assertSameLength({ yTrue, yPred: input.yPred, sensitive, sampleWeight });
  assertNonEmpty(yTrue, 'yTrue');
  assertFinite(input.yPred, 'yPred');
  for (let i = 0; i < yTrue.length; i++) {
    if (yTrue[i] !== 0 && yTrue[i] !== 1)
      throw new StatsError(`yTrue[${i}] is ${yTrue[i]}: binary labels must be 0 or 1`);
  }
  if (sampleWeight !== undefined) assertWeights(sampleWeight);
  const threshold = input.threshold ?? 0.5;
  const minSupport = input.minSupport ?? 1;
  if (!(minSupport >= 0)) throw new StatsError(`minSupport is ${minSupport}: expected a non-negative number`);
  const n = yTrue.length;
  const labels = Float64Array.from(yTrue);
  const predictions = new Uint8Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    predictions[i] = input.yPred[i]! >= threshold ? 1 : 0;
    weights[i] = sampleWeight === undefined ? 1 : sampleWeight[i]!;
  }
  const rowsByGroup = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const key = String(sensitive[i] ?? 'null');
    let rows = rowsByGroup.get(key);
    if (rows === undefined) {
      rows = [];
      rowsByGroup.set(key, rows);
    }
    rows.push(i);
  }
  const evaluate = (y: Float64Array, p: Uint8Array, w: Float64Array): Record<string, number> =>
    Object.fromEntries(Object.entries(metrics).map(([name, fn]) => [name, fn(y, p, w)]));
  const groups: GroupResult[] = [...rowsByGroup.keys()].sort(compareGroupNames).map((group) => {
    const rows = rowsByGroup.get(group)!;
    const y = Float64Array.from(rows, (i) => labels[i]!);
    const p = Uint8Array.from(rows, (i) => predictions[i]!);
    const w = Float64Array.from(rows, (i) => weights[i]!);
    return {
      group,
      n: rows.length,
      weight: w.reduce((a, b) => a + b, 0),
      insufficient: rows.length < minSupport,
      values: evaluate(y, p, w),
    };
  });
  return { overall: evaluate(labels, predictions, weights), groups, minSupport };
}

function compareGroupNames(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (a !== '' && b !== '' && Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Groups whose value of `metric` enters an aggregate: sufficient support and a defined value. */
function usable(frame: MetricFrame, metric: string): GroupResult[] {
  const groups = frame.groups.filter((g) => !g.insufficient && Number.isFinite(g.values[metric]));
  if (groups.length === 0) {
    throw new StatsError(
      `no group has a defined ${metric} with at least ${frame.minSupport} rows (groups: ${frame.groups.map((g) => `${g.group} n=${g.n}`).join(', ')})`,
    );
  }
  return groups;
}

/**
 * Fairlearn `MetricFrame.difference(method)`: "between_groups" = max - min over groups; "to_overall" =
 * max |group - overall|. Insufficient groups and groups where the metric is undefined are left out.
 * @example groupDifference(byGroup({ yTrue: [1, 0, 1, 0], yPred: [1, 0, 0, 0], sensitive: ['a', 'a', 'b', 'b'] }, FAIRNESS_RATES), 'selection_rate'); // => 0.5
 */
export function groupDifference(
  frame: MetricFrame,
  metric: string,
  method: 'between_groups' | 'to_overall' = 'between_groups',
): number {
  const values = usable(frame, metric).map((g) => g.values[metric]!);
  if (method === 'between_groups') return Math.max(...values) - Math.min(...values);
  const overall = frame.overall[metric]!;
  return Math.max(...values.map((v) => Math.abs(v - overall)));
}

/**
 * Fairlearn `MetricFrame.ratio(method)`: "between_groups" = min / max over groups; "to_overall" = min over
 * groups of min(g/overall, overall/g). 0/0 is NaN (no group selected anything: the ratio is undefined).
 * @example groupRatio(byGroup({ yTrue: [1, 0, 1, 0], yPred: [1, 0, 0, 0], sensitive: ['a', 'a', 'b', 'b'] }, FAIRNESS_RATES), 'selection_rate'); // => 0
 */
export function groupRatio(
  frame: MetricFrame,
  metric: string,
  method: 'between_groups' | 'to_overall' = 'between_groups',
): number {
  const values = usable(frame, metric).map((g) => g.values[metric]!);
  if (method === 'between_groups') {
    const max = Math.max(...values);
    const min = Math.min(...values);
    return max === 0 ? (min === 0 ? Number.NaN : 0) : min / max;
  }
  const overall = frame.overall[metric]!;
  return Math.min(
    ...values.map((v) => {
      const r = v / overall;
      return r > 1 ? 1 / r : r;
    }),
  );
}
