// The pictures of the summary: an ROC curve and a reliability diagram per model, small enough for Mermaid.
// Named as scikit-learn's roc_curve (fpr, tpr, thresholds) and calibration_curve (prob_true, prob_pred).

export interface RocCurve {
  fpr: number[];
  tpr: number[];
  /** Score cut of each point (positive when score >= it); the first is +Infinity (null in the JSON report). */
  thresholds: number[];
}

export interface CalibrationCurve {
  /** Mean predicted probability of each non-empty bin. */
  prob_pred: number[];
  /** Fraction of positives in the bin. */
  prob_true: number[];
  /** Rows in the bin. */
  count: number[];
}

/** Resolution of the threshold grid the ROC picture is drawn from. */
const ROC_GRID = 1000;
/** Keep a point when it moved at least this far (fpr + tpr) from the last kept one: about 50 points. */
const ROC_STEP = 0.04;

/**
 * ROC points at thresholds on a 1/1000 grid over [0, 1] (one O(n) histogram pass, no sort), thinned to about
 * fifty points for a chart. Exact at the grid thresholds; the report's roc_auc is computed exactly elsewhere.
 */
export function rocCurvePoints(labels: ArrayLike<number>, scores: ArrayLike<number>): RocCurve {
  const positives = new Float64Array(ROC_GRID + 1);
  const negatives = new Float64Array(ROC_GRID + 1);
  let totalPositive = 0;
  let totalNegative = 0;
  for (let i = 0; i < labels.length; i++) {
    const bin = Math.min(ROC_GRID, Math.floor(scores[i]! * ROC_GRID));
    if (labels[i] === 1) {
      positives[bin]!++;
      totalPositive++;
    } else {
      negatives[bin]!++;
      totalNegative++;
    }
  }
  const curve: RocCurve = { fpr: [0], tpr: [0], thresholds: [Number.POSITIVE_INFINITY] };
  if (totalPositive === 0 || totalNegative === 0) return { fpr: [], tpr: [], thresholds: [] };
  let truePositive = 0;
  let falsePositive = 0;
  let lastX = 0;
  let lastY = 0;
  // Walking thresholds downwards: everything in bins >= k is predicted positive.
  for (let k = ROC_GRID; k >= 0; k--) {
    truePositive += positives[k]!;
    falsePositive += negatives[k]!;
    const x = falsePositive / totalNegative;
    const y = truePositive / totalPositive;
    if (x - lastX + (y - lastY) >= ROC_STEP || k === 0) {
      curve.fpr.push(round(x));
      curve.tpr.push(round(y));
      curve.thresholds.push(k / ROC_GRID);
      lastX = x;
      lastY = y;
    }
  }
  return curve;
}

/** Reliability diagram on equal-width bins [lo, hi) (the last closed), empty bins left out as scikit-learn does. */
export function calibrationCurve(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  bins: number,
): CalibrationCurve {
  const sums = new Float64Array(bins);
  const hits = new Float64Array(bins);
  const counts = new Float64Array(bins);
  for (let i = 0; i < labels.length; i++) {
    const bin = Math.min(bins - 1, Math.floor(scores[i]! * bins));
    sums[bin]! += scores[i]!;
    hits[bin]! += labels[i]!;
    counts[bin]!++;
  }
  const curve: CalibrationCurve = { prob_pred: [], prob_true: [], count: [] };
  for (let bin = 0; bin < bins; bin++) {
    if (counts[bin] === 0) continue;
    curve.prob_pred.push(round(sums[bin]! / counts[bin]!));
    curve.prob_true.push(round(hits[bin]! / counts[bin]!));
    curve.count.push(counts[bin]!);
  }
  return curve;
}

/** Six significant digits: a chart needs no more, and the report stays small. */
function round(value: number): number {
  return Number(value.toPrecision(6));
}
