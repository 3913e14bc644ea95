// @mlops/training: the training-run gate. Reads a metrics history (Keras / Lightning CSV, JSON Lines, Hugging
// Face trainer_state.json, MLflow metric history), merges sparse rows by step, and runs the checks of a YAML
// file on it. Pure apart from the MLflow client's HTTP; no @actions/*.

export { finiteOnly, percentile, runCheck } from './checks.ts';
export { checkedMetrics, parseTrainingConfig } from './config.ts';
export { buildHistory, DEFAULT_STEP_KEYS } from './history.ts';
export {
  MLFLOW_HISTORY_PAGE_SIZE,
  type MlflowGet,
  type MlflowHistoryOptions,
  readMlflowHistory,
} from './mlflow-history.ts';
export { autoMode } from './mode.ts';
export { describePlace, detectLogFormat, numberOf, parseLog, quoteNonFinite } from './read-log.ts';
export * from './types.ts';
export { checkId, MAX_HISTORY_POINTS, type ValidateOptions, validateTraining } from './validate.ts';
