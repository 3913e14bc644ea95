import { describe, expect, it } from 'vitest';
import { calibrationCurve, rocCurvePoints } from './curves.ts';

describe('summary curves', () => {
  const labels = [0, 0, 1, 1, 0, 1, 1, 0, 1, 0];
  const scores = [0.05, 0.2, 0.35, 0.8, 0.4, 0.9, 0.65, 0.1, 0.55, 0.7];

  it('ROC points run from (0, 0) to (1, 1), never decreasing', () => {
    const curve = rocCurvePoints(labels, scores);
    expect([curve.fpr[0], curve.tpr[0]]).toEqual([0, 0]);
    expect([curve.fpr.at(-1), curve.tpr.at(-1)]).toEqual([1, 1]);
    for (let k = 1; k < curve.fpr.length; k++) {
      expect(curve.fpr[k]!).toBeGreaterThanOrEqual(curve.fpr[k - 1]!);
      expect(curve.tpr[k]!).toBeGreaterThanOrEqual(curve.tpr[k - 1]!);
    }
    // Predicting positive at score >= 0.65: TPR 3/5, FPR 1/5 (scikit-learn's roc_curve point at 0.65).
    const at = curve.thresholds.indexOf(0.65);
    expect([curve.fpr[at], curve.tpr[at]]).toEqual([0.2, 0.6]);
  });

  it('no curve with a single class', () => {
    expect(rocCurvePoints([1, 1], [0.2, 0.4]).fpr).toEqual([]);
  });

  it('reliability diagram: mean score and share of positives per equal-width bin, empty bins left out', () => {
    const curve = calibrationCurve(labels, scores, 2);
    // [0, 0.5): scores 0.05 0.2 0.35 0.4 0.1 (one positive); [0.5, 1]: 0.8 0.9 0.65 0.55 0.7 (four positives).
    expect(curve.count).toEqual([5, 5]);
    expect(curve.prob_true).toEqual([0.2, 0.8]);
    expect(curve.prob_pred[0]).toBeCloseTo(0.22, 12);
    expect(curve.prob_pred[1]).toBeCloseTo(0.72, 12);
    expect(calibrationCurve([1, 0], [0.95, 0.9], 10).count).toEqual([2]);
  });
});
