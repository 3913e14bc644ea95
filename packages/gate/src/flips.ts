// Golden-set flips: on the gate's rows (the held-out set is the golden set), the rows the champion got right
// and the challenger gets wrong, at the gate's threshold (binary), the argmax class (multiclass), or an
// absolute-error change beyond flip_tolerance (regression). The budget is judged on the one-sided upper
// Clopper-Pearson bound of the negative flip rate, so a small golden set cannot pass by luck.
import { classFlips, clopperPearsonUpper, type Flips, mcnemarTest, regressionFlips } from '@mlops/stats';
import type { GateConfig } from './config-types.ts';
import { fmt, pct } from './format.ts';
import type { Predictions } from './predictions.ts';
import type { FlipCounts, FlipsReport, FlipsSliceReport, GateResult } from './report-types.ts';
import { groupRows, subsetPredictions } from './slices.ts';

/** How many flipped ids a report lists. */
const LISTED_IDS = 20;

/** The flips of the challenger against the champion; the predictions must have a champion. */
export function evaluateFlips(
  predictions: Predictions,
  config: GateConfig,
): { report: FlipsReport; gates: GateResult[] } {
  const flipsConfig = config.flips!;
  const flips = countFlips(predictions, config);
  const counts = flipCounts(flips, predictions, config.confidence);
  const budget = flipsConfig.max_negative_flip_rate;
  const passed = budget === undefined || counts.upper_bound <= budget;
  const regression = predictions.task === 'regression';
  const described = `${flips.negative} negative and ${flips.positive} positive flips in ${flips.n} rows (NFR ${fmt(counts.negative_flip_rate)}, ${pct(config.confidence)} upper bound ${fmt(counts.upper_bound)})`;
  const report: FlipsReport = {
    ...counts,
    negative_flip_index: regression || Number.isNaN(flips.negativeFlipIndex) ? null : flips.negativeFlipIndex,
    btc:
      regression || Number.isNaN(flips.backwardTrustCompatibility) ? null : flips.backwardTrustCompatibility,
    confidence: config.confidence,
    mcnemar_p: mcnemarTest(flips.positive, flips.negative, { exact: true }).pValue,
    ...(budget !== undefined ? { max_negative_flip_rate: budget } : {}),
    ...(regression ? { flip_tolerance: flipsConfig.flip_tolerance } : {}),
    positive_ids: rowIds(predictions, flips.positiveRows),
    passed,
    message:
      budget === undefined
        ? described
        : passed
          ? `${described} within the budget ${budget}`
          : `${described}: the bound exceeds the budget ${budget}${counts.ids.length > 0 ? `; first: ${counts.ids.slice(0, 5).join(', ')}` : ''}`,
  };
  const gates: GateResult[] = [];
  if (budget !== undefined) {
    gates.push({
      name: 'flips negative flip rate',
      kind: 'flips',
      passed,
      severity: 'error',
      observed: counts.negative_flip_rate,
      threshold: { max_negative_flip_rate: budget },
      message: `negative flips: ${report.message}`,
    });
  }
  if (flipsConfig.slices) {
    const sliced = sliceFlips(predictions, config);
    report.slices = sliced.reports;
    gates.push(...sliced.gates);
  }
  return { report, gates };
}

function countFlips(predictions: Predictions, config: GateConfig): Flips {
  const { labels, challenger, champion } = predictions;
  if (predictions.task === 'regression')
    return regressionFlips(labels, challenger, champion!, config.flips!.flip_tolerance);
  if (predictions.task === 'multiclass') return classFlips(labels, challenger, champion!);
  const cut = (scores: Float64Array) => scores.map((score) => (score >= config.threshold ? 1 : 0));
  return classFlips(labels, cut(challenger), cut(champion!));
}

function flipCounts(flips: Flips, predictions: Predictions, confidence: number): FlipCounts {
  return {
    n: flips.n,
    negative: flips.negative,
    positive: flips.positive,
    negative_flip_rate: flips.negativeFlipRate,
    positive_flip_rate: flips.positiveFlipRate,
    upper_bound: clopperPearsonUpper(flips.negative, flips.n, confidence),
    ids: rowIds(predictions, flips.negativeRows),
  };
}

/** The first rows' ids: the id column's values, else `row <n>` (1-based data rows of these predictions). */
function rowIds(predictions: Predictions, rows: Int32Array): string[] {
  return Array.from(rows.subarray(0, LISTED_IDS), (row) => predictions.ids?.[row] ?? `row ${row + 1}`);
}

/** Flips per group of every slice column, with the slices' minimum support. */
function sliceFlips(
  predictions: Predictions,
  config: GateConfig,
): { reports: FlipsSliceReport[]; gates: GateResult[] } {
  const budget = config.flips!.max_negative_flip_rate;
  const reports: FlipsSliceReport[] = [];
  const gates: GateResult[] = [];
  for (const slice of config.slices) {
    for (const [group, rows] of groupRows(predictions.groups[slice.column]!, slice.groups)) {
      const name = `flips ${slice.column}=${group}`;
      if (rows.length < slice.min_support) {
        const empty = {
          n: rows.length,
          negative: 0,
          positive: 0,
          negative_flip_rate: 0,
          positive_flip_rate: 0,
        };
        reports.push({
          column: slice.column,
          group,
          ...empty,
          upper_bound: 1,
          ids: [],
          status: 'insufficient',
          passed: false,
        });
        if (budget !== undefined) {
          const warn = slice.on_insufficient === 'warn';
          gates.push({
            name,
            kind: 'flips',
            passed: false,
            severity: warn ? 'warning' : 'error',
            observed: null,
            threshold: { min_support: slice.min_support },
            message: `${name}: not enough data: ${rows.length} rows, at least ${slice.min_support} needed${warn ? ' (warning only: on_insufficient is warn)' : ''}`,
          });
        }
        continue;
      }
      const subset = subsetPredictions(predictions, rows);
      const counts = flipCounts(countFlips(subset, config), subset, config.confidence);
      const passed = budget === undefined || counts.upper_bound <= budget;
      reports.push({ column: slice.column, group, ...counts, status: passed ? 'passed' : 'failed', passed });
      if (budget !== undefined) {
        gates.push({
          name,
          kind: 'flips',
          passed,
          severity: 'error',
          observed: counts.negative_flip_rate,
          threshold: { max_negative_flip_rate: budget },
          message: `${name}: ${counts.negative} negative flips in ${counts.n} rows (NFR ${fmt(counts.negative_flip_rate)}, upper bound ${fmt(counts.upper_bound)}) ${passed ? 'within' : 'exceeds'} the budget ${budget}`,
        });
      }
    }
  }
  return { reports, gates };
}
