import { UserError } from '@mlops/kit';

/** MLflow's column sizes (mlflow/store/model_registry/dbmodels/models.py) and tag limit (utils/validation.py). */
export const MLFLOW_LIMITS = {
  source: 500,
  runLink: 500,
  description: 5000,
  /** Model-registry tag values, in code points (Python's len), in every MLflow release. */
  tagValue: 5000,
  tagKey: 250,
  /** runs/log-batch (validation.py MAX_METRICS_PER_BATCH, MAX_PARAMS_TAGS_PER_BATCH, MAX_ENTITIES_PER_BATCH). */
  batchMetrics: 1000,
  batchParams: 100,
  batchTags: 100,
  batchEntities: 1000,
  /** Param values: 500 before MLflow 2.9, 6000 since; run tag values 5000 before, 8000 since. The lower ones. */
  paramValue: 500,
  runTagValue: 5000,
} as const;

// Artifact repositories MLflow's Python client can load a model from (mlflow/store/artifact/artifact_repository_registry.py).
const LOADABLE_SCHEMES = new Set([
  's3',
  's3a',
  's3n',
  'gs',
  'wasbs',
  'wasb',
  'abfss',
  'abfs',
  'adl',
  'oss',
  'hdfs',
  'viewfs',
  'dbfs',
  'ftp',
  'sftp',
  'runs',
  'models',
  'mlflow-artifacts',
  'file',
]);

export interface CheckedSource {
  source: string;
  /** The run the source belongs to: `runs:/<id>/...`, or the mlflow-run-id given. */
  runId?: string;
}

/**
 * Refuses, before any request, a model-version `source` that MLflow would refuse or could not load from
 * (`mlflow.pyfunc.load_model("models:/name@alias")` downloads the version's source). The rules are the server's
 * own (mlflow/server/handlers.py _validate_source_run and _validate_non_local_source_contains_relative_paths)
 * plus what its artifact repositories can read.
 * @example checkMlflowSource('runs:/0a1b/model') // => { source: 'runs:/0a1b/model', runId: '0a1b' }
 */
export function checkMlflowSource(source: string, runId?: string): CheckedSource {
  const refuse = (why: string): never => {
    throw new UserError(
      `MLflow cannot register model source '${source}': ${why}. Set artifact-uri to where MLflow can load the model from: runs:/<run-id>/<artifact-path> (after mlflow.<flavor>.log_model), models:/, mlflow-artifacts:/, s3://, gs://, wasbs://, dbfs:/, or an absolute path inside the artifact directory of mlflow-run-id`,
    );
  };
  const length = [...source].length;
  if (length > MLFLOW_LIMITS.source)
    refuse(`it is ${length} characters, and MLflow stores at most ${MLFLOW_LIMITS.source}`);
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(source)?.[1]?.toLowerCase();
  const result: CheckedSource = { source };
  if (runId !== undefined) result.runId = runId;
  if (scheme === undefined) {
    if (!source.startsWith('/'))
      refuse('a relative path names nothing on the MLflow server (the default is the path in this checkout)');
    if (runId === undefined) {
      refuse(
        "MLflow accepts a local path only with a run id (mlflow-run-id), inside that run's artifact directory",
      );
    }
  } else if (scheme === 'http' || scheme === 'https') {
    if (/^https?:\/\/(www\.)?github\.com\//i.test(source) || /\/releases\/download\//.test(source)) {
      refuse(
        'a GitHub page or release asset is not an artifact store: mlflow.pyfunc.load_model cannot list or download a model directory from it',
      );
    }
    if (!/\/api\/2\.0\/mlflow-artifacts\/artifacts\//.test(source))
      refuse(
        'MLflow loads http(s) sources only through its artifact proxy (.../api/2.0/mlflow-artifacts/artifacts/...)',
      );
  } else if (scheme === 'git') {
    refuse('a git revision is not an artifact store MLflow can download from');
  } else if (!LOADABLE_SCHEMES.has(scheme)) {
    refuse(`MLflow has no artifact repository for '${scheme}:' URIs`);
  } else if (scheme === 'file' && runId === undefined) {
    refuse(
      "MLflow accepts a file: source only with a run id (mlflow-run-id), inside that run's artifact directory",
    );
  }
  const why = relativePathProblem(source);
  if (why) refuse(why);
  if (scheme === 'runs') {
    const fromUri = /^runs:\/([^/]+)/i.exec(source)?.[1];
    if (!fromUri) refuse('a runs:/ URI names its run: runs:/<run-id>/<artifact-path>');
    if (runId !== undefined && runId !== fromUri) {
      refuse(`it names run ${fromUri}, but mlflow-run-id is ${runId}`);
    }
    result.runId = fromUri!;
  }
  return result;
}

/**
 * handlers.py _validate_non_local_source_contains_relative_paths: the URI's path, percent-decoded until stable,
 * must contain no `..` and must resolve to itself (so `model/.`, a doubled `/./` or a relative path are refused).
 */
function relativePathProblem(source: string): string | undefined {
  let decoded = source;
  for (let round = 0; round < 10; round++) {
    let next: string;
    try {
      next = decodeURIComponent(decoded.replace(/\+/g, ' '));
    } catch {
      break;
    }
    if (next === decoded) break;
    decoded = next;
  }
  if (decoded.split('/').includes('..') || decoded.includes('\u0000'))
    return "its path goes up a directory ('..'), which MLflow refuses";
  const path = uriPath(decoded).replace(/\/+$/, '').replace(/\/+/g, '/');
  if (!path.startsWith('/') || path.split('/').includes('.'))
    return "its path is not absolute or holds a '.' segment (such as a trailing '/.'), which MLflow refuses";
  return undefined;
}

/** urllib.parse.urlparse(uri).path: what follows the scheme and the authority. */
function uriPath(uri: string): string {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(uri);
  let rest = scheme ? uri.slice(scheme[0].length) : uri;
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    rest = slash === -1 ? '' : rest.slice(slash);
  }
  return rest.split(/[?#]/)[0]!;
}

/**
 * Cuts text into pieces of at most `limit` code points (MLflow and the SQL columns count code points), never
 * between the two halves of a surrogate pair.
 */
export function chunkCodePoints(text: string, limit: number): string[] {
  const chunks: string[] = [];
  let current = '';
  let count = 0;
  for (const codePoint of text) {
    if (count === limit) {
      chunks.push(current);
      current = '';
      count = 0;
    }
    current += codePoint;
    count++;
  }
  if (current !== '' || chunks.length === 0) chunks.push(current);
  return chunks;
}

/** Python's len(): the number of code points. */
export function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** Keys MLflow accepts for metrics, params and tags (validation.py: no colon before 2.11; no path tricks). */
export function isMlflowKey(key: string): boolean {
  if (key === '' || key.length > MLFLOW_LIMITS.tagKey || !/^[/\w.\- ]*$/.test(key)) return false;
  if (key.startsWith('/') || key.endsWith('/') || key.includes('//')) return false;
  return !key.split('/').some((part) => part === '.' || part === '..');
}
