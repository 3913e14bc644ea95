// The MLflow emulator answers as MLflow's server code does (each expectation cites where in mlflow/mlflow it
// comes from). The registry tests trust it; these tests keep it honest.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MlflowEmulator } from '../harness/mlflow-emulator.ts';

describe('the MLflow emulator answers as MLflow does', () => {
  let server: MlflowEmulator;
  beforeEach(async () => {
    server = new MlflowEmulator();
    await server.start();
  });
  afterEach(() => server.stop());

  async function call(method: string, endpoint: string, body?: Record<string, unknown>) {
    let url = `${server.url}/api/2.0/mlflow/${endpoint}`;
    const init: RequestInit = { method };
    if (method === 'GET' && body) url += `?${new URLSearchParams(body as Record<string, string>)}`;
    else if (body) {
      init.body = JSON.stringify(body);
      init.headers = { 'content-type': 'application/json' };
    }
    const response = await fetch(url, init);
    const text = await response.text();
    let json: Record<string, unknown> | undefined;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, type: response.headers.get('content-type') ?? '', text, json };
  }

  async function model(name = 'churn', versions = 0) {
    await call('POST', 'registered-models/create', { name });
    for (let index = 0; index < versions; index++)
      await call('POST', 'model-versions/create', { name, source: `s3://m/${name}/${index + 1}` });
  }

  it('aliases: unset is 400 INVALID_PARAMETER_VALUE, reserved names refused, a missing version is 404', async () => {
    await model('churn', 2);
    // sqlalchemy_store.get_model_version_by_alias and file_store: MlflowException(..., INVALID_PARAMETER_VALUE).
    expect(
      await call('GET', 'registered-models/alias', { name: 'churn', alias: 'production' }),
    ).toMatchObject({
      status: 400,
      json: {
        error_code: 'INVALID_PARAMETER_VALUE',
        message: 'Registered model alias production not found.',
      },
    });
    // validation.py _validate_model_alias_name
    for (const [alias, message] of [
      ['latest', "'latest' alias name (case insensitive) is reserved."],
      ['LATEST', "'latest' alias name (case insensitive) is reserved."],
      ['v3', "Version alias name 'v3' is reserved."],
      ['V12', "Version alias name 'V12' is reserved."],
      [
        'a.b',
        "Invalid alias name: 'a.b'. Names may only contain alphanumerics, underscores (_), and dashes (-).",
      ],
    ]) {
      expect(
        await call('POST', 'registered-models/alias', { name: 'churn', alias, version: '1' }),
      ).toMatchObject({
        status: 400,
        json: { error_code: 'INVALID_PARAMETER_VALUE', message },
      });
    }
    expect(
      await call('POST', 'registered-models/alias', { name: 'churn', alias: 'version3', version: '1' }),
    ).toMatchObject({ status: 200 });
    expect(
      await call('POST', 'registered-models/alias', { name: 'churn', alias: 'champion', version: '9' }),
    ).toMatchObject({
      status: 404,
      json: {
        error_code: 'RESOURCE_DOES_NOT_EXIST',
        message: 'Model Version (name=churn, version=9) not found',
      },
    });
    // Deleting an alias that is not set is not an error (sqlalchemy_store.delete_registered_model_alias).
    expect(
      (await call('DELETE', 'registered-models/alias', { name: 'churn', alias: 'nothing' })).status,
    ).toBe(200);
    await call('POST', 'registered-models/alias', { name: 'churn', alias: 'champion', version: '2' });
    const got = await call('GET', 'registered-models/get', { name: 'churn' });
    expect((got.json!.registered_model as { aliases: unknown }).aliases).toEqual([
      { alias: 'version3', version: '1' },
      { alias: 'champion', version: '2' },
    ]);
  });

  it('search returns versions without aliases, newest update first, with opaque page tokens', async () => {
    await model('a', 3);
    await model('b', 1);
    await call('POST', 'registered-models/alias', { name: 'a', alias: 'champion', version: '1' });
    await call('POST', 'model-versions/transition-stage', {
      name: 'a',
      version: '1',
      stage: 'Staging',
      archive_existing_versions: false,
    });
    const page1 = await call('GET', 'model-versions/search', { max_results: '2' });
    const versions = (
      page1.json!.model_versions as { name: string; version: string; aliases?: unknown }[]
    ).map((entry) => [entry.name, entry.version, entry.aliases]);
    // last_updated_timestamp DESC (a/1 was just transitioned), then name ASC, version DESC.
    expect(versions).toEqual([
      ['a', '1', undefined],
      ['b', '1', undefined],
    ]);
    const token = page1.json!.next_page_token as string;
    expect(JSON.parse(Buffer.from(token, 'base64').toString('utf8'))).toEqual({ offset: 2 });
    const page2 = await call('GET', 'model-versions/search', { max_results: '2', page_token: token });
    expect((page2.json!.model_versions as { version: string }[]).map((entry) => entry.version)).toEqual([
      '3',
      '2',
    ]);
    expect(page2.json!.next_page_token).toBeUndefined();
    expect(await call('GET', 'model-versions/search', { page_token: 'not base64 json' })).toMatchObject({
      status: 400,
      json: { error_code: 'INVALID_PARAMETER_VALUE' },
    });
    // model-versions/get does populate aliases.
    const one = await call('GET', 'model-versions/get', { name: 'a', version: '1' });
    expect((one.json!.model_version as { aliases: string[] }).aliases).toEqual(['champion']);
    expect(await call('GET', 'model-versions/get', { name: 'a', version: 'one' })).toMatchObject({
      status: 400,
      json: { message: "Parameter 'version' must be an integer, got 'one'." },
    });
  });

  it('validates sources as handlers.py does, and the SQL columns as Postgres does', async () => {
    await model('m');
    const runId = server.createRun('file:///srv/mlruns/0/abc/artifacts');
    const create = (source: string, extra: Record<string, unknown> = {}) =>
      call('POST', 'model-versions/create', { name: 'm', source, ...extra });
    const relative = /an absolute path must be provided without relative path references present/;
    const local =
      /To use a local path as a model version source, the run_id request parameter has to be specified/;
    for (const [source, message] of [
      ['git:abc:model', relative],
      ['runs:/abc/model/.', relative],
      ['s3://bucket/a/../b', relative],
      ['s3://bucket/a/%2E%2E/b', relative],
      ['/srv/mlruns/0/abc/artifacts/model', local],
      ['model', local],
    ] as const) {
      const answer = await create(source);
      expect(answer.status).toBe(400);
      expect(answer.json).toMatchObject({
        error_code: 'INVALID_PARAMETER_VALUE',
        message: expect.stringMatching(message),
      });
    }
    expect((await create('/srv/mlruns/0/abc/artifacts/model', { run_id: runId })).status).toBe(200);
    expect((await create('/srv/elsewhere/model', { run_id: runId })).status).toBe(400);
    // A GitHub tree URL passes the server's checks (it is a well-formed absolute URL) though nothing can load it.
    expect((await create('https://github.com/o/r/tree/abc/model')).status).toBe(200);
    // Wider than the column: Postgres raises outside MLflow's handler, so Flask answers its HTML 500.
    const long = await create(`s3://b/${'x'.repeat(500)}`);
    expect(long).toMatchObject({ status: 500, type: expect.stringContaining('text/html') });
    const surrogate = await call('POST', 'model-versions/set-tag', {
      name: 'm',
      version: '1',
      key: 'k',
      value: 'a\ud83d',
    });
    expect(surrogate.status).toBe(500);
    expect(
      await call('POST', 'model-versions/set-tag', {
        name: 'm',
        version: '1',
        key: 'k',
        value: 'x'.repeat(5001),
      }),
    ).toMatchObject({
      status: 400,
      json: { message: "'value' exceeds the maximum length of 5000 characters" },
    });
    // 5000 code points are fine even when they are 10,000 UTF-16 units.
    expect(
      (
        await call('POST', 'model-versions/set-tag', {
          name: 'm',
          version: '1',
          key: 'k',
          value: '😀'.repeat(5000),
        })
      ).status,
    ).toBe(200);
    expect(await call('POST', 'model-versions/create', { name: 'm' })).toMatchObject({
      status: 400,
      json: { message: "Missing value for required parameter 'source'." },
    });
  });

  it('deleting a missing tag is 200; unknown routes are Flask HTML 404, a wrong method 405; no JSON body is 400', async () => {
    await model('m', 1);
    expect((await call('DELETE', 'registered-models/delete-tag', { name: 'm', key: 'absent' })).status).toBe(
      200,
    );
    expect(
      (await call('DELETE', 'model-versions/delete-tag', { name: 'm', version: '1', key: 'absent' })).status,
    ).toBe(200);
    expect((await call('DELETE', 'registered-models/delete-tag', { name: 'nope', key: 'k' })).status).toBe(
      404,
    );
    const unknown = await call('GET', 'registered-models/nothing');
    expect(unknown).toMatchObject({
      status: 404,
      type: expect.stringContaining('text/html'),
      json: undefined,
    });
    expect(unknown.text).toContain('<title>404 Not Found</title>');
    const prefix = await fetch(`${server.url}/mlflow/api/2.0/mlflow/registered-models/get?name=m`);
    expect(prefix.status).toBe(404);
    expect((await call('POST', 'registered-models/get', { name: 'm' })).status).toBe(405);
    const plain = await fetch(`${server.url}/api/2.0/mlflow/registered-models/set-tag`, {
      method: 'POST',
      body: '{}',
    });
    expect(plain.status).toBe(400);
    expect(await call('POST', 'registered-models/create', { name: 'm' })).toMatchObject({
      status: 400,
      json: { error_code: 'RESOURCE_ALREADY_EXISTS' },
    });
  });

  it('runs/log-batch: MLflow limits per request, a param never changes, identical metrics are one row', async () => {
    const runId = server.createRun();
    const metric = (key: string, value = 1) => ({ key, value, timestamp: 1, step: 0 });
    const metrics = Array.from({ length: 1001 }, (_, index) => metric(`m${index}`));
    expect(await call('POST', 'runs/log-batch', { run_id: runId, metrics })).toMatchObject({
      status: 400,
      json: { message: expect.stringMatching(/at most 1000 metrics\. Got 1001 metrics/) },
    });
    const params = Array.from({ length: 101 }, (_, index) => ({ key: `p${index}`, value: 'v' }));
    expect((await call('POST', 'runs/log-batch', { run_id: runId, params })).status).toBe(400);
    expect(
      (
        await call('POST', 'runs/log-batch', {
          run_id: runId,
          metrics: metrics.slice(0, 950),
          params: params.slice(0, 51),
        })
      ).status,
    ).toBe(400);
    expect(
      (await call('POST', 'runs/log-batch', { run_id: runId, params: [{ key: 'lr', value: '0.1' }] })).status,
    ).toBe(200);
    expect(
      (await call('POST', 'runs/log-batch', { run_id: runId, params: [{ key: 'lr', value: '0.1' }] })).status,
    ).toBe(200);
    expect(
      await call('POST', 'runs/log-batch', { run_id: runId, params: [{ key: 'lr', value: '0.2' }] }),
    ).toMatchObject({
      status: 400,
      json: {
        message: expect.stringMatching(
          /^Changing param values is not allowed\. Param with key='lr' was already logged with value='0\.1'/,
        ),
      },
    });
    await call('POST', 'runs/log-batch', {
      run_id: runId,
      metrics: [metric('auc', 0.9), metric('auc', 0.9)],
    });
    expect(server.runs.get(runId)!.metrics).toHaveLength(1);
    expect(await call('POST', 'runs/log-batch', { run_id: 'f'.repeat(32), metrics: [] })).toMatchObject({
      status: 404,
      json: { error_code: 'RESOURCE_DOES_NOT_EXIST' },
    });
    expect((await call('POST', 'runs/log-batch', { run_id: runId, metrics: [metric('a:b')] })).status).toBe(
      400,
    );
  });

  it('faults fire before the write or after it, and extra routes plug in', async () => {
    await model('m');
    server.faults.failAfterWrite = { endpoint: 'model-versions/create', count: 1, status: 503 };
    expect((await call('POST', 'model-versions/create', { name: 'm', source: 's3://m/1' })).status).toBe(503);
    expect(server.models.get('m')!.versions).toHaveLength(1);
    server.faults.failNext = { count: 1, status: 502 };
    expect((await call('POST', 'model-versions/create', { name: 'm', source: 's3://m/2' })).status).toBe(502);
    expect(server.models.get('m')!.versions).toHaveLength(1);
    server.route('GET', 'metrics/ping', (params) => ({ pong: params.x }));
    expect((await call('GET', 'metrics/ping', { x: '1' })).json).toEqual({ pong: '1' });
  });
});
