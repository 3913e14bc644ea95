// Which way a metric improves. `mode: auto` as Keras' callbacks decide it from the name: accuracy-like
// names improve upwards, everything else (losses, errors, grad_norm) downwards. A metric this gets wrong
// (an IoU, a mAP) is named with `mode: max` in the check.
import type { Mode } from './types.ts';

/** Suffixes of metrics that improve upwards; `acc` is how Keras 2 logged accuracy (`val_acc`). */
const UPWARD_SUFFIXES = ['accuracy', 'acc', 'auc', 'f1', 'f1_score', 'precision', 'recall'] as const;

/**
 * @example autoMode('val_accuracy') // => 'max'
 * @example autoMode('eval_loss') // => 'min'
 */
export function autoMode(metric: string): Mode {
  const name = metric.toLowerCase();
  return UPWARD_SUFFIXES.some(
    (suffix) => name === suffix || name.endsWith(`_${suffix}`) || name.endsWith(suffix),
  )
    ? 'max'
    : 'min';
}

/** True when `a` is better than `b` in this mode. */
export function isBetter(a: number, b: number, mode: Mode): boolean {
  return mode === 'min' ? a < b : a > b;
}
