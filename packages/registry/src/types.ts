import type { Bump, LineageRecord } from '@mlops/lineage';

/** One registered model version, as every backend reports it. */
export interface ModelVersion {
  name: string;
  /** `v1.2.0` in the git registry; the MLflow version number (`3`) in MLflow. */
  version: string;
  /** The git tag (`name@v1.2.0`) or the MLflow reference (`name/3`). */
  ref: string;
  /** The code commit the lineage records. */
  commit?: string;
  modelUri?: string;
  createdAt: string;
  lineage?: LineageRecord;
  /** Stages (aliases) this version holds now. */
  stages: string[];
}

export type StageAction = 'promote' | 'rollback' | 'unassign';

/** One entry of the audit trail: a stage moved from one version to another. */
export interface StageEvent {
  name: string;
  stage: string;
  action: StageAction;
  /** The version the stage holds after the event (undefined after an unassignment). */
  version?: string;
  /** The version the stage held before, as the writer saw it. */
  previousVersion?: string;
  at: string;
  actor?: string;
  runId?: string;
  runUrl?: string;
  /** The stage tag (git) or the registered-model tag key (MLflow) that records the event. */
  ref: string;
}

/** Who and which run is acting: recorded in tags and audit events. */
export interface Actor {
  actor?: string;
  workflow?: string;
  runId?: string;
  runUrl?: string;
}

export interface RegisterRequest {
  name: string;
  /** The lineage to record; its `version` is filled in by the backend. */
  lineage: LineageRecord;
  /** Code commit the version is built from (the idempotency key, with the model checksum). */
  commit: string;
  /** Explicit version; otherwise `bump` from the greatest existing version. */
  version?: string;
  bump: Bump;
  actor: Actor;
  /**
   * Where the model bytes will live once the version is known (a GitHub release asset's download URL is
   * predictable from the tag): recorded as the lineage's `model.uri` in the version itself, so a lookup
   * returns it. Absent: the lineage's own `model.uri`.
   */
  modelUriFor?: (version: string, tag: string) => string;
}

export interface RegisterResult {
  version: ModelVersion;
  /** false when the same commit and model checksum were registered already (an idempotent re-run). */
  created: boolean;
  /** How many publish attempts it took (races lost + 1). */
  attempts: number;
}

export interface PromoteRequest {
  name: string;
  stage: string;
  /** A version, or `latest` for the greatest registered version. */
  version: string;
  /** Refuse a version whose lineage does not record a passed gate. */
  requireGate: boolean;
  actor: Actor;
}

export interface RollbackRequest {
  name: string;
  stage: string;
  requireGate: boolean;
  actor: Actor;
}

export interface PromoteResult {
  name: string;
  stage: string;
  version: string;
  previousVersion?: string;
  /** The stage tag written, or the MLflow alias. */
  ref: string;
  /** false when the version already held the stage (nothing written). */
  created: boolean;
  event?: StageEvent;
  attempts: number;
  modelVersion: ModelVersion;
}

/** One registry, whatever it is stored in. */
export interface Registry {
  readonly kind: 'git' | 'mlflow';
  /** Human description of where it is (remote URL, repository, tracking URI) for logs and reports. */
  readonly location: string;
  register(request: RegisterRequest): Promise<RegisterResult>;
  promote(request: PromoteRequest): Promise<PromoteResult>;
  rollback(request: RollbackRequest): Promise<PromoteResult>;
  /** The version holding a stage, or the greatest version when stage is undefined. */
  lookup(name: string, stage?: string): Promise<ModelVersion | undefined>;
  versions(name: string): Promise<ModelVersion[]>;
  /** Stage events, oldest first; all stages when stage is undefined. */
  history(name: string, stage?: string): Promise<StageEvent[]>;
  /**
   * Set while the model is deprecated (GTO's `name@deprecated` is its latest event): lookups then find nothing and
   * promotions are refused, until a registration or an assignment revives it. MLflow has no such state.
   */
  deprecation(name: string): Promise<Deprecation | undefined>;
}

export interface Deprecation {
  /** The tag that deprecated the model (`churn@deprecated`). */
  ref: string;
  at: string;
}
