// Shapes of MLflow's REST messages (mlflow/protos/model_registry.proto), the fields this backend reads.

export interface MlflowTag {
  key: string;
  value: string;
}

export type MlflowVersionStatus = 'PENDING_REGISTRATION' | 'FAILED_REGISTRATION' | 'READY';

export interface MlflowModelVersion {
  name: string;
  version: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  current_stage?: string;
  description?: string;
  source?: string;
  run_id?: string;
  run_link?: string;
  status?: MlflowVersionStatus;
  status_message?: string;
  tags?: MlflowTag[];
  aliases?: string[];
}

export interface MlflowRegisteredModel {
  name: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  description?: string;
  tags?: MlflowTag[];
  aliases?: { alias: string; version: string }[];
}
