/** Where the MLflow registry is and how to reach it (the typed form of the mlflow-* inputs). */
export interface MlflowSettings {
  trackingUri?: string;
  token?: string;
  username?: string;
  password?: string;
  /** Also move MLflow's deprecated stages (Staging / Production); the only way on a server without aliases. */
  legacyStages?: boolean;
  /** register-model: the MLflow run that trained the model (its source, and where the gate is logged). */
  runId?: string;
}

/** MLflow's own client variables (mlflow/environment_variables.py), read when the inputs leave a setting empty. */
export const MLFLOW_ENVIRONMENT = {
  trackingUri: 'MLFLOW_TRACKING_URI',
  token: 'MLFLOW_TRACKING_TOKEN',
  username: 'MLFLOW_TRACKING_USERNAME',
  password: 'MLFLOW_TRACKING_PASSWORD',
} as const;

/**
 * Fills what the inputs left empty from MLflow's environment variables, as MLflow's Python client would read them.
 * Credentials come as a group: when any credential input is set, none is taken from the environment, so an
 * explicit token is never overridden by a Basic pair from the job's environment (MLflow prefers Basic).
 * @returns the settings and the names of the variables that were used (for the log; never their values)
 */
export function withMlflowEnvironment(
  settings: MlflowSettings,
  env: Readonly<Record<string, string | undefined>>,
): { settings: MlflowSettings; fromEnvironment: string[] } {
  const read = (name: string) => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const result: MlflowSettings = { ...settings };
  const used: string[] = [];
  if (result.trackingUri === undefined) {
    const uri = read(MLFLOW_ENVIRONMENT.trackingUri);
    if (uri !== undefined) {
      result.trackingUri = uri;
      used.push(MLFLOW_ENVIRONMENT.trackingUri);
    }
  }
  if (result.token === undefined && result.username === undefined && result.password === undefined) {
    for (const field of ['token', 'username', 'password'] as const) {
      const value = read(MLFLOW_ENVIRONMENT[field]);
      if (value !== undefined) {
        result[field] = value;
        used.push(MLFLOW_ENVIRONMENT[field]);
      }
    }
  }
  return { settings: result, fromEnvironment: used };
}
