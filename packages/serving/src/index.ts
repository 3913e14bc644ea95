// @mlops/serving: serving-check's pure side. Golden rows and their offline predictions, request bodies and
// answers for the Open Inference Protocol v2, the MLflow scoring server and plain JSON endpoints, parity,
// agreement, latency percentiles and the verdict. No HTTP here: the action does the requests.
export { AnswerError, flatten, rowPredictions } from './answer.ts';
export { type EdgeCaseRequest, edgeCaseRequests, judgeEdgeCase } from './edge-cases.ts';
export { batches, buildGoldenSet, type GoldenOptions, targetKind } from './golden.ts';
export { parseJsonPath, selectJsonPath } from './json-path.ts';
export { bodyExcerpt, parseJsonLenient } from './json-text.ts';
export { histogram, type LatencyOptions, summariseLatency } from './latency.ts';
export { checkOipMetadata, type MetadataVerdict } from './metadata.ts';
export { agreement, parity, withinTolerance } from './parity.ts';
export {
  fillTemplate,
  type JsonOptions,
  jsonCodec,
  type MlflowOptions,
  mlflowCodec,
  type OipOptions,
  oipCodec,
  oipModelPath,
  type ParsedAnswer,
  type ProtocolCodec,
} from './protocols.ts';
export { requirePassedServingCheck, sameVersion } from './requirement.ts';
export * from './types.ts';
export { buildServingReport, type Observations, type VersionObservation } from './verdict.ts';
