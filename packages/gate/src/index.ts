// @mlops/gate: the champion / challenger gate. Parse and validate a gate file, turn a predictions table
// into typed arrays, and evaluate every gate into an mlops.evaluate-gate/v1 report.

export { type BehavioralSuite, loadBehavioral } from './behavioral.ts';
export {
  applyInputOverrides,
  CONFIG_KEYS,
  configError,
  DEFAULTS,
  emptyGateConfig,
  type GateInputOverrides,
  parseGateConfig,
} from './config.ts';
export * from './config-types.ts';
export { type CalibrationCurve, calibrationCurve, type RocCurve, rocCurvePoints } from './curves.ts';
export { decide, explain } from './decision.ts';
export { type EvaluateOptions, evaluateGate, type LatencyInput } from './engine.ts';
export { evaluateFairness, fairnessHigherIsBetter } from './fairness-gates.ts';
export { type LatencyResult, latencyPercentiles, latencySamples, quantileSorted } from './latency.ts';
export {
  canonicalMetric,
  DEFAULT_PRIMARY,
  METRIC_NAMES,
  METRICS as GATE_METRICS,
  type MetricInfo,
  REPORTED_METRICS,
} from './metric-catalog.ts';
export {
  inferTask,
  type LoadOptions,
  loadPredictions,
  type PredictionColumns,
  type Predictions,
} from './predictions.ts';
export * from './report-types.ts';
