// The registry inputs register-model, promote and lookup-model share (their action.yml files declare the same
// names and defaults), read once on the adapter side: packages/registry takes the typed RegistryConfig and
// never sees an input name.

import { type ActionIO, secretInput } from '@mlops/kit';
import type { RegistryConfig } from '@mlops/registry';

const BACKENDS = ['git', 'mlflow'] as const;
const GIT_TRANSPORTS = ['cli', 'api'] as const;

/** backend, git-transport, remote, token and mlflow-*; secrets are masked before anything can log them. */
export function registryConfig(io: ActionIO): RegistryConfig {
  const { inputs, env } = io;
  const backend = inputs.requiredChoice('backend', BACKENDS);
  // Empty with backend: mlflow is not an error here: the registry falls back to MLFLOW_TRACKING_URI (as
  // MLflow's own client does) and refuses only when neither is set.
  const trackingUri = inputs.optional('mlflow-tracking-uri');
  const config: RegistryConfig = {
    backend,
    workspace: env.workspace,
    gitTransport: inputs.requiredChoice('git-transport', GIT_TRANSPORTS),
    github: { apiUrl: env.apiUrl },
    mlflow: {},
  };
  const optional = {
    remote: inputs.optional('remote'),
    token: secretInput(io, 'token'),
    mlflowToken: secretInput(io, 'mlflow-token'),
    username: inputs.optional('mlflow-username'),
    password: secretInput(io, 'mlflow-password'),
  };
  if (optional.remote !== undefined) config.remote = optional.remote;
  if (optional.token !== undefined) config.github.token = optional.token;
  if (env.repository !== undefined) config.github.repository = env.repository;
  if (trackingUri !== undefined) config.mlflow.trackingUri = trackingUri;
  if (optional.mlflowToken !== undefined) config.mlflow.token = optional.mlflowToken;
  if (optional.username !== undefined) config.mlflow.username = optional.username;
  if (optional.password !== undefined) config.mlflow.password = optional.password;
  return config;
}
