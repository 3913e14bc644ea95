import { RecordingLogger, UserError } from '@mlops/kit';
import type { LineageRecord } from '@mlops/lineage';
import { LINEAGE_SCHEMA } from '@mlops/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MlflowEmulator } from '../../../../test/harness/mlflow-emulator.ts';
import { openRegistry } from '../open-registry.ts';
import { MlflowClient } from './mlflow-client.ts';
import { MlflowRegistry } from './mlflow-registry.ts';

/** No lone surrogate (String.prototype.isWellFormed is ES2024, beyond the repository's lib). */
const wellFormed = (text: string) =>
  !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);

function lineage(sha: string, extra: Partial<LineageRecord> = {}): LineageRecord {
  return {
    schema: LINEAGE_SCHEMA,
    name: 'churn',
    version: '',
    created_at: '2026-11-22T00:00:00.000Z',
    code: { commit: 'c'.repeat(40) },
    model: { path: 'model', sha256: sha, bytes: 1, files: 1, uri: `s3://models/${sha.slice(0, 4)}` },
    data: { files: [] },
    environment: { lockfiles: [] },
    trigger: {},
    ...extra,
  };
}

describe('MlflowRegistry against the MLflow emulator', () => {
  let server: MlflowEmulator;
  let logger: RecordingLogger;
  const registry = (
    options: Partial<ConstructorParameters<typeof MlflowRegistry>[0]> = {},
    auth = { token: 's3cret' },
  ) =>
    new MlflowRegistry({
      client: new MlflowClient({ trackingUri: server.url, auth, logger, backoffMs: 5 }),
      logger,
      pollIntervalMs: 5,
      ...options,
    });
  const actor = { actor: 'octocat', runId: '42', runUrl: 'https://github.com/o/r/actions/runs/42' };
  const register = (sha: string, reg = registry(), extra: Partial<LineageRecord> = {}) =>
    reg.register({
      name: 'churn',
      lineage: lineage(sha, extra),
      commit: 'c'.repeat(40),
      bump: 'patch',
      actor,
    });

  beforeEach(async () => {
    server = new MlflowEmulator({ token: 's3cret' });
    await server.start();
    logger = new RecordingLogger();
  });
  afterEach(() => server.stop());

  it('registers (creating the model), waits for READY, is idempotent, and round-trips a chunked lineage', async () => {
    server.faults.pendingPolls = 3;
    const big = { params: { grid: 'x'.repeat(12_000) } };
    const first = await register('a'.repeat(64), registry(), big);
    expect(first).toMatchObject({
      created: true,
      version: { version: '1', ref: 'churn/1', modelUri: 's3://models/aaaa' },
    });
    expect(first.version.lineage?.version).toBe('1');
    expect((first.version.lineage!.params as { grid: string }).grid).toHaveLength(12_000);
    const again = await register('a'.repeat(64));
    expect(again).toMatchObject({ created: false, version: { version: '1' } });
    expect(server.models.get('churn')?.versions).toHaveLength(1);
    expect(server.requests.every((request) => request.authorization === 'Bearer s3cret')).toBe(true);
  });

  it('promotes, moves the alias, rolls back from the audit history', async () => {
    await register('a'.repeat(64));
    await register('b'.repeat(64));
    const r = registry({ legacyStages: true });
    const p1 = await r.promote({
      name: 'churn',
      stage: 'production',
      version: '1',
      requireGate: false,
      actor,
    });
    expect(p1).toMatchObject({ version: '1', created: true, ref: 'production' });
    const p2 = await r.promote({
      name: 'churn',
      stage: 'production',
      version: 'latest',
      requireGate: false,
      actor,
    });
    expect(p2).toMatchObject({ version: '2', previousVersion: '1' });
    expect(server.models.get('churn')?.versions.map((v) => v.current_stage)).toEqual([
      'Archived',
      'Production',
    ]);
    const back = await r.rollback({ name: 'churn', stage: 'production', requireGate: false, actor });
    expect(back).toMatchObject({ version: '1', previousVersion: '2' });
    expect(server.alias('churn', 'production')).toBe('1');
    expect((await r.lookup('churn', 'production'))?.version).toBe('1');
    const trail = await r.history('churn', 'production');
    expect(trail.map((event) => [event.action, event.previousVersion, event.version, event.actor])).toEqual([
      ['promote', undefined, '1', 'octocat'],
      ['promote', '1', '2', 'octocat'],
      ['rollback', '2', '1', 'octocat'],
    ]);
  });

  it('rides out a 5xx burst and slow responses', async () => {
    server.faults.failNext = { count: 2, status: 503 };
    server.faults.delayMs = 30;
    const result = await register('a'.repeat(64));
    expect(result.created).toBe(true);
    expect(server.requests.filter((request) => request.status === 503)).toHaveLength(2);
    expect(server.models.get('churn')?.versions).toHaveLength(1);
  });

  it('reports FAILED_REGISTRATION and leaves no alias behind', async () => {
    server.faults.failRegistration = /bbbb/;
    server.faults.pendingPolls = 2;
    await expect(register('b'.repeat(64))).rejects.toThrow(/failed to register churn version 1: injected/);
    await expect(
      registry().promote({ name: 'churn', stage: 'production', version: '1', requireGate: false, actor }),
    ).rejects.toThrow(/FAILED_REGISTRATION, not READY/);
    expect(server.models.get('churn')?.aliases.size).toBe(0);
  });

  it('turns bad input and an unreachable server into user errors without leaking credentials', async () => {
    await register('a'.repeat(64), registry(), {
      gate: { passed: false, report_sha256: 'f'.repeat(64), report_schema: 'x' },
    });
    const r = registry({ allowedStages: ['staging', 'production'] });
    await expect(
      r.promote({ name: 'churn', stage: 'prodution', version: '1', requireGate: false, actor }),
    ).rejects.toThrow(/did you mean 'production'/);
    await expect(
      r.promote({ name: 'churn', stage: 'production', version: '7', requireGate: false, actor }),
    ).rejects.toThrow(/version 7 does not exist/);
    await expect(
      r.promote({ name: 'churn', stage: 'production', version: '1', requireGate: true, actor }),
    ).rejects.toThrow(/failed its evaluate-gate/);
    await expect(
      r.rollback({ name: 'churn', stage: 'production', requireGate: false, actor }),
    ).rejects.toThrow(/no earlier version/);
    await expect(register('a'.repeat(64), registry({}, { token: 'wrong' }))).rejects.toThrow(
      /refused the credentials/,
    );
    const url = server.url;
    await server.stop();
    const offline = new MlflowRegistry({
      client: new MlflowClient({ trackingUri: url, auth: { token: 's3cret' }, logger, backoffMs: 1 }),
      logger,
    });
    const error = await register('a'.repeat(64), offline).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(
      /cannot reach the MLflow server at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/,
    );
    expect(JSON.stringify(logger.lines)).not.toContain('s3cret');
    server = new MlflowEmulator();
    await server.start();
  });

  it('gives up on a server slower than the request timeout with a clear message', async () => {
    server.faults.delayMs = 300;
    const slow = new MlflowRegistry({
      client: new MlflowClient({
        trackingUri: server.url,
        auth: { token: 's3cret' },
        logger,
        backoffMs: 1,
        timeoutMs: 50,
        attempts: 2,
      }),
      logger,
    });
    await expect(slow.lookup('churn', 'production')).rejects.toThrow(
      /cannot reach the MLflow server .*request timed out.* after 2 attempt/,
    );
    server.faults.delayMs = 0;
  });

  it('keeps a lineage whose emoji straddles a 5000-character chunk edge whole (Postgres refuses half a pair)', async () => {
    // Place the first emoji at UTF-16 index 4999 of the stored JSON text: a cut at 5000 units would split it.
    const note = (pad: number) => `${'p'.repeat(pad)}😀😀😀${'q'.repeat(6000)}`;
    const text = (pad: number) =>
      JSON.stringify({ ...lineage('e'.repeat(64), { params: { note: note(pad) } }), version: '1' });
    const pad = 4000 - (text(4000).indexOf('😀') - 4999);
    expect(text(pad).indexOf('😀')).toBe(4999);
    expect(wellFormed(text(pad).slice(0, 5000))).toBe(false);
    const result = await register('e'.repeat(64), registry(), { params: { note: note(pad) } });
    const params = result.version.lineage!.params as { note: string };
    expect(params.note.endsWith('q'.repeat(6000))).toBe(true);
    expect(params.note).toContain('😀😀😀');
    const tags = server.models.get('churn')!.versions[0]!.tags;
    expect(Number(tags.get('mlops.lineage.chunks'))).toBeGreaterThan(1);
    for (const [key, value] of tags)
      if (key.startsWith('mlops.lineage.')) expect(wellFormed(value)).toBe(true);
  });

  it("pages through more versions than one search returns, with the server's opaque tokens", async () => {
    await register('a'.repeat(64));
    const stored = server.models.get('churn')!;
    const template = stored.versions[0]!;
    for (let number = 2; number <= 2300; number++) {
      stored.versions.push({
        ...template,
        version: String(number),
        tags: new Map(),
        last_updated_timestamp: number,
      });
    }
    const all = await registry().versions('churn');
    expect(all).toHaveLength(2300);
    expect(all[0]!.version).toBe('2300');
    const searches = server.requests.filter((request) => request.path.endsWith('model-versions/search'));
    expect(searches.at(-1)!.query.page_token).toBeDefined();
    expect((await registry().lookup('churn'))?.version).toBe('2300');
  });

  it('logs the gate to the MLflow run in batches and never changes a param the run already has', async () => {
    const runId = server.createRun();
    server.runs.get(runId)!.params.set('gate.metric', 'accuracy');
    const metrics = Object.fromEntries(Array.from({ length: 1500 }, (_, index) => [`m${index}`, index / 10]));
    const result = await registry({ runId }).register({
      name: 'churn',
      lineage: lineage('f'.repeat(64), {
        model: { path: 'model', sha256: 'f'.repeat(64), bytes: 1, files: 1, uri: `runs:/${runId}/model` },
        metrics: { ...metrics, 'bad:key': 1 },
        gate: {
          passed: true,
          report_sha256: '0'.repeat(64),
          report_schema: 'mlops.evaluate-gate/v1',
          metric: 'roc_auc',
        },
      }),
      commit: 'c'.repeat(40),
      bump: 'patch',
      actor,
    });
    expect(result.created).toBe(true);
    expect(server.models.get('churn')!.versions[0]!.run_id).toBe(runId);
    const run = server.runs.get(runId)!;
    expect(run.metrics).toHaveLength(1501);
    expect(run.params.get('gate.metric')).toBe('accuracy');
    expect(run.tags.get('mlops.gate.verdict')).toBe('passed');
    const batches = server.requests.filter((request) => request.path.endsWith('runs/log-batch'));
    expect(batches).toHaveLength(2);
    // A re-run (same commit and model, a later lineage timestamp) finds the version and writes the same rows.
    const again = await registry({ runId }).register({
      name: 'churn',
      lineage: lineage('f'.repeat(64), {
        created_at: '2026-11-23T00:00:00.000Z',
        model: { path: 'model', sha256: 'f'.repeat(64), bytes: 1, files: 1, uri: `runs:/${runId}/model` },
        metrics,
      }),
      commit: 'c'.repeat(40),
      bump: 'patch',
      actor,
    });
    expect(again.created).toBe(false);
    expect(run.metrics).toHaveLength(1501);
    const messages = logger.lines.map((line) => line.message).join('\n');
    expect(messages).toMatch(/already has param gate\.metric='accuracy'; MLflow refuses to change a param/);
    expect(messages).toMatch(/not logged to MLflow run .*: bad:key/);
  });

  it('opens from MLFLOW_TRACKING_URI and MLFLOW_TRACKING_TOKEN, masking every credential form', async () => {
    const masked: string[] = [];
    const opened = await openRegistry(
      {
        backend: 'mlflow',
        workspace: '.',
        gitTransport: 'cli',
        github: { apiUrl: 'http://127.0.0.1:9' },
        mlflow: {},
      },
      logger,
      {
        env: { MLFLOW_TRACKING_URI: server.url, MLFLOW_TRACKING_TOKEN: 's3cret' },
        mask: (secret) => masked.push(secret),
      },
    );
    expect(await opened.lookup('churn')).toBeUndefined();
    expect(masked).toEqual(['s3cret', 'Bearer s3cret']);
    expect(server.requests.at(-1)!.authorization).toBe('Bearer s3cret');
    await expect(
      openRegistry(
        { backend: 'mlflow', workspace: '.', gitTransport: 'cli', github: { apiUrl: 'x' }, mlflow: {} },
        logger,
        { env: {} },
      ),
    ).rejects.toThrow(
      /input 'mlflow-tracking-uri': is required with backend: mlflow .*or set MLFLOW_TRACKING_URI/,
    );
  });
});
