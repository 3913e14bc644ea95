// A Kayenta-style metric classification (NetflixACAJudge-v1.0, as described in reference/online-gate.md):
// one value per time bucket per version, a two-sided Mann-Whitney interval on the shift, a tolerance band and
// an effect-size rule. Used by the calibration simulation to measure what re-running this fixed-horizon
// judge at every look does to the false-rollback rate; it does not control repeated looks.
import { hodgesLehmannShift, mannWhitney } from './mann-whitney.ts';

export type KayentaClass = 'Pass' | 'High' | 'Low' | 'Nodata';

export interface KayentaOptions {
  /** Confidence of the Mann-Whitney interval (Kayenta: 0.98). */
  confidence?: number;
  /** Share of |estimate| the interval must clear (Kayenta: 0.25). */
  tolerance?: number;
  /** Mean ratio canary / baseline above which High is allowed (Kayenta's allowedIncrease, 1.0). */
  allowedIncrease?: number;
  /** Mean ratio below which Low is allowed (allowedDecrease, 1.0). */
  allowedDecrease?: number;
}

export function kayentaClassify(
  canary: readonly number[],
  baseline: readonly number[],
  options: KayentaOptions = {},
): KayentaClass {
  const experiment = canary.filter(Number.isFinite);
  const control = baseline.filter(Number.isFinite);
  if (experiment.length === 0 || control.length === 0) return 'Nodata';
  const confidence = options.confidence ?? 0.98;
  const tolerance = options.tolerance ?? 0.25;
  const { p_value } = mannWhitney(experiment, control);
  const shift = hodgesLehmannShift(experiment, control, confidence);
  const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const ratio =
    mean(control) === 0
      ? mean(experiment) > 0
        ? Number.POSITIVE_INFINITY
        : 1
      : mean(experiment) / mean(control);
  const critical = tolerance * Math.abs(shift.estimate);
  if (p_value < 1 - confidence) {
    if (shift.lower > critical && ratio > (options.allowedIncrease ?? 1)) return 'High';
    if (shift.upper < -critical && ratio < (options.allowedDecrease ?? 1)) return 'Low';
  }
  return 'Pass';
}
