import { assertOpenUnit, assertSameLength, StatsError } from '../errors.ts';
import { getMetric, type MetricOptions, type MetricTask } from '../metrics/registry.ts';
import { checkBinaryInput } from '../metrics/roc-auc.ts';
import { createRandom, type Random } from '../random.ts';
import { type AucBootstrapScheme, pairedAucBootstrap } from './auc-bootstrap.ts';
import { bcaInterval, jackknifeAcceleration, percentileInterval } from './bootstrap-interval.ts';

/** A metric of (labels, scores) that honours sample weights; resamples pass bootstrap counts as weights. */
export type WeightedMetricFn = (
  yTrue: ArrayLike<number>,
  yScore: ArrayLike<number>,
  sampleWeight: ArrayLike<number> | undefined,
) => number;

/** One metric function per model, for {@link pairedBootstrap}; `name` labels the result. */
export interface PerModelMetric {
  name?: string;
  a: WeightedMetricFn;
  b: WeightedMetricFn;
}

/** Options of {@link pairedBootstrap}. */
export interface PairedBootstrapOptions {
  yTrue: ArrayLike<number>;
  /** Scores / predictions of model A (the challenger). */
  scoresA: ArrayLike<number>;
  /** Scores / predictions of model B (the champion), same rows. */
  scoresB: ArrayLike<number>;
  /**
   * A registry name (`roc_auc`, `f1`, `rmse`, ...), one weighted metric function for both models, or one per
   * model (`{ a, b }`) when the models' metrics read different things (a multiclass metric on each model's own
   * probability columns, or a constant 0 for B to bootstrap one model's metric alone).
   */
  metric: string | WeightedMetricFn | PerModelMetric;
  /** Task of a named metric; default binary. */
  task?: Exclude<MetricTask, 'multiclass'>;
  /** Passed to a named metric (threshold, nBins). */
  metricOptions?: Omit<MetricOptions, 'sampleWeight'>;
  sampleWeight?: ArrayLike<number>;
  /** Number of resamples B; default 2000. */
  nResamples?: number;
  /** Default 0.95. */
  confidence?: number;
  /** Default "bca" (scipy's default). */
  method?: 'percentile' | 'bca';
  /** Seed of the xoshiro128** stream; the same seed and inputs give the same interval. Default 0. */
  seed?: number;
  /** Resample positives and negatives separately (pROC's default for AUC). Default: true for binary metrics. */
  stratify?: boolean;
  /**
   * Fast AUC path only: threads for the resamples (1 = the calling thread; default the machine's, at most 8,
   * used above 2e7 rows x resamples). The result is the same for any value.
   */
  threads?: number;
  /**
   * Fast AUC path only: how resamples weight the rows (see pairedAucBootstrap): `multinomial` (pROC's
   * stratified draws), `poisson` (independent Poisson(1) weights) or `auto` (default: poisson from 10,000
   * rows of each class).
   */
  aucScheme?: AucBootstrapScheme | 'auto';
  /** Rows above which the BCa acceleration uses a grouped jackknife of 1000 groups (generic path). Default 2000. */
  exactJackknifeLimit?: number;
}

/** Result of {@link pairedBootstrap}. */
export interface PairedBootstrapResult {
  metric: string;
  estimateA: number;
  estimateB: number;
  /** estimateA - estimateB on the full sample. */
  difference: number;
  ci: [number, number];
  confidence: number;
  method: 'percentile' | 'bca';
  nResamples: number;
  seed: number;
  stratified: boolean;
  /** Standard deviation (ddof 1) of the bootstrap differences. */
  standardError: number;
  /** Mean bootstrap difference minus the estimate. */
  bias: number;
  /** Resamples whose metric was undefined (e.g. one class drawn), left out of the interval. */
  nonFinite: number;
  /** BCa only: bias correction z0 and acceleration a. */
  z0?: number;
  acceleration?: number;
  /** The bootstrap differences, in draw order (finite ones). */
  distribution: Float64Array;
  /** "fast-auc" (sort once, O(n) per resample) or "generic" (metric re-evaluated with count weights). */
  engine: 'fast-auc' | 'generic';
  /** Fast AUC path: threads the resamples ran on. */
  threads?: number;
  /** Fast AUC path: the resampling scheme used. */
  aucScheme?: AucBootstrapScheme;
}

/**
 * Paired bootstrap of a metric difference between two models scored on the same rows (Efron & Tibshirani
 * 1993 ch. 13-14; intervals as scipy.stats.bootstrap with `paired=True`): each resample draws n rows with
 * replacement (within each class when stratified), evaluates both models on the same draw, and keeps the
 * difference; the interval is the percentile or BCa interval of those differences. ROC AUC without sample
 * weights takes the fast path (both models sorted once, O(n) per resample, exact O(n) DeLong-placement
 * jackknife for BCa); any other metric is re-evaluated with bootstrap counts as sample weights, which equals
 * evaluating it on the duplicated rows.
 * @example
 * pairedBootstrap({
 *   yTrue: [0, 1, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1],
 *   scoresA: [0.1, 0.8, 0.3, 0.7, 0.6, 0.2, 0.9, 0.4, 0.65, 0.35, 0.5, 0.45],
 *   scoresB: [0.2, 0.6, 0.4, 0.5, 0.7, 0.3, 0.8, 0.45, 0.1, 0.5, 0.55, 0.6],
 *   metric: 'roc_auc',
 *   seed: 1,
 * }); // => difference -0.1111, BCa ci [-0.4444444444444444, 0.05555555555555558], engine 'fast-auc'
 */
export function pairedBootstrap(options: PairedBootstrapOptions): PairedBootstrapResult {
  const { yTrue, scoresA, scoresB, sampleWeight } = options;
  assertSameLength({ yTrue, scoresA, scoresB, sampleWeight });
  const nResamples = options.nResamples ?? 2000;
  if (!Number.isInteger(nResamples) || nResamples < 2) {
    throw new StatsError(`nResamples is ${nResamples}: expected an integer >= 2`);
  }
  const confidence = options.confidence ?? 0.95;
  assertOpenUnit(confidence, 'confidence');
  const method = options.method ?? 'bca';
  if (method !== 'bca' && method !== 'percentile')
    throw new StatsError(`bootstrap method '${String(method)}': expected bca or percentile`);
  const seed = options.seed ?? 0;
  const task = options.task ?? 'binary';
  const random = createRandom(seed);

  let metricName: string;
  let fnA: WeightedMetricFn;
  let fnB: WeightedMetricFn;
  if (typeof options.metric === 'string') {
    const definition = getMetric(options.metric, task);
    if (definition.task === 'multiclass')
      throw new StatsError('pairedBootstrap takes binary or regression metrics');
    metricName = definition.name;
    const extra = options.metricOptions ?? {};
    fnA = (y, s, w) => definition.compute(y, s, { ...extra, sampleWeight: w });
    fnB = fnA;
  } else if (typeof options.metric === 'function') {
    metricName = options.metric.name || 'custom';
    fnA = options.metric;
    fnB = options.metric;
  } else {
    metricName = options.metric.name || 'custom';
    fnA = options.metric.a;
    fnB = options.metric.b;
  }
  const stratify = options.stratify ?? task === 'binary';
  if (stratify) {
    checkBinaryInput(yTrue, scoresA, sampleWeight);
    checkBinaryInput(yTrue, scoresB, sampleWeight);
  }

  if (
    metricName === 'roc_auc' &&
    typeof options.metric === 'string' &&
    sampleWeight === undefined &&
    stratify
  ) {
    return fastAuc(options, nResamples, confidence, method, seed);
  }

  const n = yTrue.length;
  const estimateA = fnA(yTrue, scoresA, sampleWeight);
  const estimateB = fnB(yTrue, scoresB, sampleWeight);
  const difference = estimateA - estimateB;
  const strata = stratify ? classStrata(yTrue) : [Int32Array.from({ length: n }, (_, i) => i)];
  const weights = new Float64Array(n);
  const draws = new Float64Array(nResamples);
  let finite = 0;
  let nonFinite = 0;
  for (let r = 0; r < nResamples; r++) {
    weights.fill(0);
    for (const rows of strata) {
      for (let t = 0; t < rows.length; t++) weights[rows[random.nextInt(rows.length)]!]! += 1;
    }
    if (sampleWeight !== undefined) for (let i = 0; i < n; i++) weights[i]! *= sampleWeight[i]!;
    const d = evaluateOrNaN(() => fnA(yTrue, scoresA, weights) - fnB(yTrue, scoresB, weights));
    if (Number.isFinite(d)) draws[finite++] = d;
    else nonFinite++;
  }
  const distribution = draws.slice(0, finite);
  let acceleration: number | undefined;
  if (method === 'bca') {
    acceleration = jackknifeAcceleration(
      genericJackknife(
        n,
        (w) => fnA(yTrue, scoresA, w) - fnB(yTrue, scoresB, w),
        sampleWeight,
        options.exactJackknifeLimit ?? 2000,
        random,
      ),
    );
  }
  return summarise({
    metric: metricName,
    estimateA,
    estimateB,
    difference,
    distribution,
    confidence,
    method,
    nResamples,
    seed,
    stratified: stratify,
    nonFinite,
    acceleration,
    engine: 'generic',
  });
}

function fastAuc(
  options: PairedBootstrapOptions,
  nResamples: number,
  confidence: number,
  method: 'percentile' | 'bca',
  seed: number,
): PairedBootstrapResult {
  const r = pairedAucBootstrap(options.yTrue, options.scoresA, options.scoresB, {
    resamples: nResamples,
    seed,
    confidence,
    method,
    threads: options.threads,
    ...(options.aucScheme ? { scheme: options.aucScheme } : {}),
  });
  return {
    ...summarise({
      metric: 'roc_auc',
      estimateA: r.aucA,
      estimateB: r.aucB,
      difference: r.difference,
      distribution: r.distribution,
      confidence,
      method,
      nResamples,
      seed,
      stratified: true,
      nonFinite: r.nonFinite,
      acceleration: r.acceleration,
      engine: 'fast-auc',
    }),
    threads: r.threads,
    aucScheme: r.scheme,
  };
}

function summarise(
  input: Omit<PairedBootstrapResult, 'ci' | 'standardError' | 'bias' | 'z0'>,
): PairedBootstrapResult {
  const { distribution, difference, confidence, method } = input;
  const finite = distribution.length;
  if (finite < 2) {
    throw new StatsError(
      `the bootstrap of ${input.metric} produced ${finite} defined resamples out of ${input.nResamples}; the metric is undefined on almost every resample (one class only?)`,
    );
  }
  const sorted = Float64Array.from(distribution).sort();
  let mean = 0;
  for (let i = 0; i < finite; i++) mean += distribution[i]!;
  mean /= finite;
  let ss = 0;
  for (let i = 0; i < finite; i++) ss += (distribution[i]! - mean) ** 2;
  const result: PairedBootstrapResult = {
    ...input,
    ci: percentileInterval(sorted, confidence),
    standardError: Math.sqrt(ss / (finite - 1)),
    bias: mean - difference,
  };
  if (method === 'bca') {
    const bca = bcaInterval(sorted, difference, input.acceleration ?? 0, confidence);
    result.ci = bca.ci;
    result.z0 = bca.z0;
  }
  return result;
}

/** Row indices of each class (positives, negatives), for stratified resampling. */
function classStrata(yTrue: ArrayLike<number>): Int32Array[] {
  const positive: number[] = [];
  const negative: number[] = [];
  for (let i = 0; i < yTrue.length; i++) (yTrue[i] === 1 ? positive : negative).push(i);
  return [Int32Array.from(positive), Int32Array.from(negative)].filter((rows) => rows.length > 0);
}

/**
 * Delete-one jackknife by zero weights (n evaluations) up to `limit` rows; above it, a delete-a-group
 * jackknife over 1000 random groups (Efron & Tibshirani 1993 §11.5), which keeps BCa O(n · 1000).
 */
function genericJackknife(
  n: number,
  statistic: (weights: Float64Array) => number,
  sampleWeight: ArrayLike<number> | undefined,
  limit: number,
  random: Random,
): Float64Array {
  const base = new Float64Array(n);
  for (let i = 0; i < n; i++) base[i] = sampleWeight === undefined ? 1 : sampleWeight[i]!;
  const groups = n <= limit ? n : 1000;
  const group = new Int32Array(n);
  if (groups === n) for (let i = 0; i < n; i++) group[i] = i;
  else {
    const permutation = Int32Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = random.nextInt(i + 1);
      const t = permutation[i]!;
      permutation[i] = permutation[j]!;
      permutation[j] = t;
    }
    for (let k = 0; k < n; k++) group[permutation[k]!] = k % groups;
  }
  const members: number[][] = Array.from({ length: groups }, () => []);
  for (let i = 0; i < n; i++) members[group[i]!]!.push(i);
  const values: number[] = [];
  const weights = Float64Array.from(base);
  for (let g = 0; g < groups; g++) {
    for (const i of members[g]!) weights[i] = 0;
    const v = evaluateOrNaN(() => statistic(weights));
    if (Number.isFinite(v)) values.push(v);
    for (const i of members[g]!) weights[i] = base[i]!;
  }
  return Float64Array.from(values);
}

function evaluateOrNaN(compute: () => number): number {
  try {
    return compute();
  } catch (error) {
    if (error instanceof StatsError) return Number.NaN;
    throw error;
  }
}
