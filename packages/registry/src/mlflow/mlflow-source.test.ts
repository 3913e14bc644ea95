import { UserError } from '@mlops/kit';
import { describe, expect, it } from 'vitest';
import { authorizationHeader, mlflowSecretForms } from './mlflow-client.ts';
import { withMlflowEnvironment } from './mlflow-config.ts';
import { logBatches } from './mlflow-registry.ts';
import { checkMlflowSource, chunkCodePoints, codePointLength, isMlflowKey } from './mlflow-source.ts';
import { redactSecrets, showServerUrl, stripUrlCredentials } from './redact.ts';

/** No lone surrogate (String.prototype.isWellFormed is ES2024, beyond the repository's lib). */
const wellFormed = (text: string) =>
  !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);

const refusal = (source: string, runId?: string) => {
  try {
    checkMlflowSource(source, runId);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
  return undefined;
};

describe('model-version sources MLflow accepts and can load (handlers.py _validate_source_run)', () => {
  it('accepts artifact-store URIs and takes the run id from runs:/', () => {
    expect(checkMlflowSource('runs:/0a1b2c/model')).toEqual({
      source: 'runs:/0a1b2c/model',
      runId: '0a1b2c',
    });
    expect(checkMlflowSource('runs:/0a1b2c/model', '0a1b2c').runId).toBe('0a1b2c');
    for (const source of [
      's3://bucket/models/churn/1',
      'gs://bucket/m',
      'wasbs://c@account.blob.core.windows.net/m',
      'dbfs:/models/churn',
      'models:/churn/3',
      'mlflow-artifacts:/0/abc/artifacts/model',
      'https://mlflow.example.com/api/2.0/mlflow-artifacts/artifacts/0/abc/artifacts/model',
    ]) {
      expect(checkMlflowSource(source)).toEqual({ source });
    }
    // A local path is the server's business only with the run whose artifact directory holds it.
    expect(checkMlflowSource('/mnt/artifacts/0/abc/artifacts/model', 'abc')).toEqual({
      source: '/mnt/artifacts/0/abc/artifacts/model',
      runId: 'abc',
    });
  });

  it('refuses what MLflow refuses or cannot load, with the reason', () => {
    expect(refusal(`https://github.com/o/r/tree/${'c'.repeat(40)}/model`)).toMatch(
      /GitHub page or release asset/,
    );
    expect(refusal('https://github.com/o/r/releases/download/churn@v1/model.pkl')).toMatch(/GitHub page/);
    expect(refusal(`git:${'c'.repeat(40)}:model`)).toMatch(/git revision is not an artifact store/);
    expect(refusal('runs:/abc/model/.')).toMatch(/'\.' segment/);
    expect(refusal('s3://bucket/a/../b')).toMatch(/goes up a directory/);
    expect(refusal('s3://bucket/a/%2e%2e/b')).toMatch(/goes up a directory/);
    expect(refusal('model')).toMatch(/relative path/);
    expect(refusal('/abs/model')).toMatch(/only with a run id/);
    expect(refusal('file:///abs/model')).toMatch(/file: source only with a run id/);
    expect(refusal('https://example.com/model.pkl')).toMatch(/artifact proxy/);
    expect(refusal('foo://bucket/m')).toMatch(/no artifact repository for 'foo:'/);
    expect(refusal('runs:/abc/model', 'def')).toMatch(/names run abc, but mlflow-run-id is def/);
    expect(refusal(`s3://b/${'é'.repeat(495)}`)).toMatch(
      /it is 502 characters, and MLflow stores at most 500/,
    );
    expect(refusal('s3://b/m')).toBeUndefined();
  });
});

describe('MLflow limits', () => {
  it('cuts on code points, never inside a surrogate pair', () => {
    const text = `${'a'.repeat(4999)}😀${'b'.repeat(10)}`;
    const chunks = chunkCodePoints(text, 5000);
    expect(chunks.map(codePointLength)).toEqual([5000, 10]);
    expect(chunks[0]!.endsWith('😀')).toBe(true);
    expect(chunks.join('')).toBe(text);
    for (const chunk of chunks) expect(wellFormed(chunk)).toBe(true);
    // Python's len() counts the emoji as one: 5000 code points is within MLflow's limit though 5001 UTF-16 units.
    expect(chunks[0]!.length).toBe(5001);
    expect(chunkCodePoints('', 10)).toEqual(['']);
  });

  it('splits runs/log-batch at 1000 metrics, 100 params, 100 tags and 1000 entities per request', () => {
    const metrics = Array.from({ length: 2500 }, (_, index) => index);
    const params = Array.from({ length: 150 }, (_, index) => `p${index}`);
    const tags = Array.from({ length: 120 }, (_, index) => `t${index}`);
    const batches = logBatches(metrics, params, tags);
    for (const batch of batches) {
      expect(batch.params.length).toBeLessThanOrEqual(100);
      expect(batch.tags.length).toBeLessThanOrEqual(100);
      expect(batch.metrics.length).toBeLessThanOrEqual(1000);
      expect(batch.metrics.length + batch.params.length + batch.tags.length).toBeLessThanOrEqual(1000);
    }
    expect(batches.flatMap((batch) => batch.metrics)).toEqual(metrics);
    expect(batches.flatMap((batch) => batch.params)).toEqual(params);
    expect(batches.flatMap((batch) => batch.tags)).toEqual(tags);
    expect(batches.map((batch) => [batch.metrics.length, batch.params.length, batch.tags.length])).toEqual([
      [800, 100, 100],
      [930, 50, 20],
      [770, 0, 0],
    ]);
    expect(logBatches([], [], [])).toEqual([]);
  });

  it('knows which keys MLflow refuses', () => {
    expect(isMlflowKey('gate.roc_auc')).toBe(true);
    expect(isMlflowKey('gate.slice/age 30-40')).toBe(true);
    for (const bad of ['gate.a:b', 'gate.a[0]', '/abs', 'a//b', 'a/./b', '../x', 'x/', '', 'k'.repeat(251)]) {
      expect(isMlflowKey(bad)).toBe(false);
    }
  });
});

describe('MLflow credentials as MLflow sends them, and every form masked', () => {
  it('Basic only when both user and password are set, else Bearer (mlflow/utils/rest_utils.py)', () => {
    expect(authorizationHeader({ username: 'ci', password: 'pw' })).toBe(`Basic ${btoa('ci:pw')}`);
    expect(authorizationHeader({ username: 'ci', password: 'pw', token: 't' })).toBe(
      `Basic ${btoa('ci:pw')}`,
    );
    expect(authorizationHeader({ username: 'ci', token: 't' })).toBe('Bearer t');
    expect(authorizationHeader({ password: 'pw' })).toBeUndefined();
    expect(mlflowSecretForms({ username: 'ci', password: 'hunter2' })).toEqual(
      expect.arrayContaining(['hunter2', 'ci:hunter2', btoa('ci:hunter2'), `Basic ${btoa('ci:hunter2')}`]),
    );
    expect(mlflowSecretForms({ token: 'tok-1' })).toEqual(['tok-1', 'Bearer tok-1']);
  });

  it('falls back to MLFLOW_TRACKING_* as a group, never mixing an explicit credential with the environment', () => {
    const env = {
      MLFLOW_TRACKING_URI: 'https://mlflow.example.com',
      MLFLOW_TRACKING_USERNAME: 'ci',
      MLFLOW_TRACKING_PASSWORD: 'pw',
    };
    expect(withMlflowEnvironment({}, env)).toEqual({
      settings: { trackingUri: 'https://mlflow.example.com', username: 'ci', password: 'pw' },
      fromEnvironment: ['MLFLOW_TRACKING_URI', 'MLFLOW_TRACKING_USERNAME', 'MLFLOW_TRACKING_PASSWORD'],
    });
    expect(withMlflowEnvironment({ trackingUri: 'http://a', token: 't' }, env)).toEqual({
      settings: { trackingUri: 'http://a', token: 't' },
      fromEnvironment: [],
    });
    expect(withMlflowEnvironment({}, { MLFLOW_TRACKING_URI: '  ' }).settings).toEqual({});
  });

  it('strips credentials from URLs and cuts secrets out of any text', () => {
    expect(stripUrlCredentials('see http://ci:hunter2@mlflow:5000/x and s3://b/k')).toBe(
      'see http://***@mlflow:5000/x and s3://b/k',
    );
    expect(showServerUrl('http://ci:pa/ss#w@mlflow:5000')).toBe('http://***@mlflow:5000');
    expect(showServerUrl('ci:pw@mlflow')).toBe('***@mlflow');
    expect(showServerUrl('https://mlflow.example.com')).toBe('https://mlflow.example.com');
    expect(
      redactSecrets(
        `Authorization: Basic ${btoa('ci:pw12')} pw12`,
        mlflowSecretForms({ username: 'ci', password: 'pw12' }),
      ),
    ).toBe('Authorization: *** ***');
  });
});
