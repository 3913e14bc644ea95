import { InputError, type Logger } from '@mlops/kit';
import { MlflowClient, mlflowSecretForms } from './mlflow-client.ts';
import { type MlflowSettings, withMlflowEnvironment } from './mlflow-config.ts';
import { MlflowRegistry } from './mlflow-registry.ts';

export interface OpenMlflowOptions {
  /** Where MLFLOW_TRACKING_* fallbacks are read; the process environment by default. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Masks a secret in the runner's log (io.setSecret); called for every derived credential form too. */
  mask?: (secret: string) => void;
}

/** The MLflow backend from the typed settings, the environment filling what they leave empty. */
export function openMlflowRegistry(
  settings: MlflowSettings,
  allowedStages: readonly string[] | undefined,
  logger: Logger,
  options: OpenMlflowOptions = {},
): MlflowRegistry {
  const { settings: resolved, fromEnvironment } = withMlflowEnvironment(settings, options.env ?? process.env);
  const auth = {
    ...(resolved.token !== undefined ? { token: resolved.token } : {}),
    ...(resolved.username !== undefined ? { username: resolved.username } : {}),
    ...(resolved.password !== undefined ? { password: resolved.password } : {}),
  };
  // Before anything can log them: the Basic value is the password in a reversible encoding.
  for (const form of mlflowSecretForms(auth)) options.mask?.(form);
  if (resolved.trackingUri === undefined) {
    throw new InputError(
      'mlflow-tracking-uri',
      'is required with backend: mlflow (e.g. https://mlflow.example.com), or set MLFLOW_TRACKING_URI',
    );
  }
  if (fromEnvironment.length > 0)
    logger.info(`MLflow settings from the environment: ${fromEnvironment.join(', ')}`);
  const client = new MlflowClient({ trackingUri: resolved.trackingUri, auth, logger });
  return new MlflowRegistry({
    client,
    logger,
    ...(allowedStages ? { allowedStages } : {}),
    ...(resolved.legacyStages ? { legacyStages: true } : {}),
    ...(resolved.runId !== undefined ? { runId: resolved.runId } : {}),
  });
}
