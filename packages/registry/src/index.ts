// One registry interface over git tags (GTO-compatible, through the git CLI or GitHub's REST API) and the
// MLflow Model Registry. Packages never import @actions/*: a Logger is passed in.

export * from './deployment.ts';
export * from './gate-check.ts';
export * from './git/api-tag-store.ts';
export * from './git/cli-tag-store.ts';
export * from './git/git-tag-registry.ts';
export * from './git/gto-state.ts';
export * from './git/tag-record.ts';
export * from './mlflow/mlflow-client.ts';
export * from './mlflow/mlflow-config.ts';
export * from './mlflow/mlflow-registry.ts';
export * from './mlflow/mlflow-source.ts';
export * from './mlflow/mlflow-types.ts';
export * from './mlflow/open-mlflow.ts';
export * from './mlflow/redact.ts';
export * from './open-registry.ts';
export * from './release-assets.ts';
export * from './release-publish.ts';
export * from './report-models.ts';
export * from './stage-history.ts';
export * from './types.ts';
