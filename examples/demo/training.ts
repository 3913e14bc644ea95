// The demo's training-run gate: the challenger's history (written by examples/train.py, its model trained epoch
// by epoch) checked against examples/training.yml before the challenger is gated, and its verdict recorded in
// the version's lineage by register-model (`training-report`).
import type { DemoStep } from './steps.ts';

/** Where the step writes its report; register-model reads it as `training-report`. */
export const TRAINING_REPORT = 'mlops-reports/pr/validate-training.json';

export function trainingStep(): DemoStep {
  return {
    id: 'training',
    title: "check the challenger's training run (finite, not stuck, not overfitting, converged)",
    action: 'validate-training',
    inputs: {
      log: 'data/training-history.csv',
      config: 'training.yml',
      report: TRAINING_REPORT,
    },
  };
}
