// The shapes serving-check works with: the golden rows it sends, what a server answered, and the report.
import type { LatencyPercentileKey } from '@mlops/gate';

export type Protocol = 'oip' | 'mlflow' | 'json';
export const PROTOCOLS: readonly Protocol[] = ['oip', 'mlflow', 'json'];

/** One feature value as it is sent: numbers, text, booleans; null where the golden file has no value. */
export type FeatureValue = number | string | boolean | null;

export type FeatureKind = 'number' | 'string' | 'boolean';

/** A known input row, its id, and what the model said about it offline. */
export interface GoldenRow {
  /** The id-column's value, else the 1-based row number. */
  id: string;
  /** 0-based position in the requests file. */
  index: number;
  values: FeatureValue[];
  /** The offline prediction (probability, class or value). */
  expected: number;
}

export interface GoldenSet {
  /** Feature columns in file order (the id column excluded). */
  features: string[];
  kinds: FeatureKind[];
  rows: GoldenRow[];
  /** What the expected values are: probabilities in [0, 1], class labels (integers), or values. */
  target: 'probability' | 'class' | 'value';
  /** How expected rows were matched to requests. */
  joinedBy: 'id' | 'row order';
}

/** A check's outcome. `not-possible`: asked for, but the protocol or server cannot tell (counts as failed). */
export type CheckStatus = 'passed' | 'failed' | 'skipped' | 'not-possible';

export interface CheckResult {
  name: CheckName;
  status: CheckStatus;
  message: string;
}

export type CheckName =
  | 'readiness'
  | 'metadata'
  | 'version'
  | 'answers'
  | 'parity'
  | 'agreement'
  | 'latency'
  | 'edge-cases';

export const CHECK_ORDER: readonly CheckName[] = [
  'readiness',
  'metadata',
  'version',
  'answers',
  'parity',
  'agreement',
  'latency',
  'edge-cases',
];

/** A request that did not give a usable answer: which one, what went wrong, and what the server said. */
export interface RequestProblem {
  phase: 'readiness' | 'metadata' | 'predict' | 'latency' | 'edge-case';
  /** `POST /v2/models/m/infer (rows 33-64)`. */
  request: string;
  problem: string;
  status?: number;
  /** The start of the response body, as sent (the renderer escapes it). */
  body?: string;
}

export interface WorstRow {
  id: string;
  offline: number;
  /** null when the row got no usable answer. */
  served: number | null;
  abs_diff: number | null;
  tolerance: number;
  match: boolean;
}

export interface ParityResult {
  atol: number;
  rtol: number;
  rows: number;
  compared: number;
  mismatches: number;
  max_abs_diff: number | null;
  worst: WorstRow[];
}

export interface AgreementResult {
  /** How a served value becomes a class: `>= threshold` for probabilities, rounding for labels. */
  rule: string;
  compared: number;
  agree: number;
  share: number | null;
  min_agreement?: number;
}

export interface LatencyPercentile {
  key: LatencyPercentileKey;
  value: number;
  ci: [number, number];
  max?: number;
  passed?: boolean;
}

export interface LatencySummary {
  samples: number;
  warmup: number;
  repeats: number;
  concurrency: number;
  rows_per_request: number;
  confidence: number;
  resamples: number;
  percentiles: LatencyPercentile[];
  mean_ms: number;
  /** Equal-width bins over [min, max] (numpy.histogram's rule): edges has counts.length + 1 entries. */
  histogram: { edges: number[]; counts: number[] };
}

export interface EdgeCaseResult {
  case: string;
  request: string;
  status: number | null;
  passed: boolean;
  message: string;
  body?: string;
}

export interface ServingReport {
  schema: string;
  passed: boolean;
  protocol: Protocol;
  /** The base URL without credentials or query string. */
  url: string;
  model?: string;
  expected_version?: string;
  served_version: string | null;
  /** Where the served version was read: model_version, metadata versions, a header, or nowhere. */
  version_source?: string;
  requests_file: string;
  expected_file: string;
  rows: number;
  target: GoldenSet['target'];
  joined_by: GoldenSet['joinedBy'];
  checks: CheckResult[];
  problems: RequestProblem[];
  parity: ParityResult;
  agreement?: AgreementResult;
  latency?: LatencySummary;
  edge_cases?: EdgeCaseResult[];
  explanation: string;
}
