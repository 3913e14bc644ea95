// @mlops/schemas: the id of every JSON document the suite writes, in one place. Producers stamp their reports
// with these, renderers and readers recognise reports by them, so a version bump is one edit here.
// A leaf package: it imports nothing, and every other package may import it.

export const SCHEMAS = {
  validateData: 'mlops.validate-data/v1',
  validateTraining: 'mlops.validate-training/v1',
  evaluateGate: 'mlops.evaluate-gate/v1',
  profile: 'mlops.profile/v1',
  lineage: 'mlops.lineage/v1',
  lookup: 'mlops.lookup/v1',
  promote: 'mlops.promote/v1',
  stageEvent: 'mlops.stage-event/v1',
  dispatchRetrain: 'mlops.dispatch-retrain/v1',
  servingCheck: 'mlops.serving-check/v1',
  canaryAnalysis: 'mlops.canary-analysis/v1',
} as const;

export type SchemaId = (typeof SCHEMAS)[keyof typeof SCHEMAS];

export const VALIDATE_DATA_SCHEMA = SCHEMAS.validateData;
export const VALIDATE_TRAINING_SCHEMA = SCHEMAS.validateTraining;
export const EVALUATE_GATE_SCHEMA = SCHEMAS.evaluateGate;
export const PROFILE_SCHEMA = SCHEMAS.profile;
export const LINEAGE_SCHEMA = SCHEMAS.lineage;
export const LOOKUP_SCHEMA = SCHEMAS.lookup;
export const PROMOTE_SCHEMA = SCHEMAS.promote;
export const STAGE_EVENT_SCHEMA = SCHEMAS.stageEvent;
export const DISPATCH_SCHEMA = SCHEMAS.dispatchRetrain;
export const SERVING_CHECK_SCHEMA = SCHEMAS.servingCheck;
export const CANARY_ANALYSIS_SCHEMA = SCHEMAS.canaryAnalysis;
