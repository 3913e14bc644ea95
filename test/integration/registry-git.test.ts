import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, makeRemote, remoteTags } from '../fixtures/registry/setup.ts';
import { runBundledAction } from '../harness/runner.ts';

const env = { GITHUB_ACTOR: 'octocat', GITHUB_RUN_ID: '1001' };

async function register(
  workspace: string,
  inputs: Record<string, string> = {},
  extraEnv: Record<string, string> = {},
) {
  return runBundledAction('register-model', {
    workspace,
    env: { ...env, ...extraEnv },
    inputs: {
      name: 'churn',
      'model-path': 'model',
      metrics: 'gate-passed.json',
      params: 'params.yml',
      data: 'data/train.csv',
      ...inputs,
    },
  });
}

async function promote(
  workspace: string,
  inputs: Record<string, string>,
  extraEnv: Record<string, string> = {},
) {
  return runBundledAction('promote', {
    workspace,
    env: { ...env, ...extraEnv },
    inputs: { name: 'churn', stage: 'production', ...inputs },
  });
}

describe('register-model / promote / lookup-model on a bare git remote (git CLI transport)', () => {
  it('register -> promote -> register -> promote -> rollback ends on the first version, with the audit trail', async () => {
    const remote = makeRemote();
    const job1 = remote.workspace('weights-1');
    const r1 = await register(job1);
    expect(r1.errors).toEqual([]);
    expect(r1.exitCode).toBe(0);
    expect(r1.outputs).toMatchObject({ version: 'v0.0.1', tag: 'churn@v0.0.1', created: 'true' });
    const lineage = JSON.parse(readFileSync(r1.outputs.lineage!, 'utf8'));
    expect(lineage).toMatchObject({
      schema: 'mlops.lineage/v1',
      name: 'churn',
      version: 'v0.0.1',
      code: { commit: git(job1, 'rev-parse', 'HEAD') },
      model: { path: 'model', files: 2 },
      data: { files: [{ path: 'data/train.csv' }] },
      params: { learning_rate: 0.05 },
      metrics: { roc_auc: 0.871 },
      gate: { passed: true, metric: 'roc_auc' },
      environment: { lockfiles: [{ path: 'requirements.txt' }] },
      trigger: {
        actor: 'octocat',
        run_id: '1001',
        run_url: 'https://github.com/octo-org/octo-repo/actions/runs/1001',
      },
    });
    expect(r1.summary).toContain('Registered `churn@v0.0.1`');

    // Re-running the same job (same commit, same model) creates nothing.
    const again = await register(job1);
    expect(again.outputs).toMatchObject({ version: 'v0.0.1', created: 'false' });

    const p1 = await promote(
      remote.workspace(),
      { version: 'v0.0.1', 'require-gate': 'true' },
      { GITHUB_RUN_ID: '1002' },
    );
    expect(p1.errors).toEqual([]);
    expect(p1.outputs).toMatchObject({
      version: 'v0.0.1',
      'previous-version': '',
      tag: 'churn#production#1',
    });

    const r2 = await register(remote.workspace('weights-2'), { bump: 'minor' });
    expect(r2.outputs).toMatchObject({ version: 'v0.1.0', created: 'true' });
    const p2 = await promote(
      remote.workspace(),
      { version: 'latest' },
      { GITHUB_RUN_ID: '1003', GITHUB_ACTOR: 'hubot' },
    );
    expect(p2.outputs).toMatchObject({
      version: 'v0.1.0',
      'previous-version': 'v0.0.1',
      tag: 'churn#production#2',
    });

    const back = await promote(remote.workspace(), { rollback: 'true' }, { GITHUB_RUN_ID: '1004' });
    expect(back.errors).toEqual([]);
    expect(back.outputs).toMatchObject({
      version: 'v0.0.1',
      'previous-version': 'v0.1.0',
      tag: 'churn#production#3',
    });
    const report = JSON.parse(readFileSync(back.outputs.report!, 'utf8'));
    expect(report).toMatchObject({
      schema: 'mlops.promote/v1',
      action: 'rollback',
      backend: 'git',
      version: 'v0.0.1',
    });
    expect(
      report.audit.map(
        (entry: { action: string; from: string | null; to: string; actor: string; run_id: string }) => [
          entry.action,
          entry.from,
          entry.to,
          entry.actor,
          entry.run_id,
        ],
      ),
    ).toEqual([
      ['promote', null, 'v0.0.1', 'octocat', '1002'],
      ['promote', 'v0.0.1', 'v0.1.0', 'hubot', '1003'],
      ['rollback', 'v0.1.0', 'v0.0.1', 'octocat', '1004'],
    ]);
    expect(back.summary).toContain('Audit trail of production (3 move(s))');

    const lookup = await runBundledAction('lookup-model', {
      workspace: remote.workspace(),
      env,
      inputs: { name: 'churn', stage: 'production' },
    });
    expect(lookup.outputs).toMatchObject({
      found: 'true',
      version: 'v0.0.1',
      commit: git(job1, 'rev-parse', 'HEAD'),
    });
    expect(JSON.parse(readFileSync(lookup.outputs.lineage!, 'utf8')).model.sha256).toBe(lineage.model.sha256);
    expect(JSON.parse(readFileSync(lookup.outputs.report!, 'utf8'))).toMatchObject({
      schema: 'mlops.lookup/v1',
      found: true,
      stages: ['production'],
    });

    expect(remoteTags(remote).sort()).toEqual([
      'churn#production#1',
      'churn#production#2',
      'churn#production#3',
      'churn@v0.0.1',
      'churn@v0.1.0',
    ]);
  });

  it('turns bad input into one clear error line', async () => {
    const remote = makeRemote();
    const ws = remote.workspace();
    const cases: [string, Record<string, string>, RegExp][] = [
      ['register-model', { name: 'bad name!', 'model-path': 'model' }, /not a valid artifact name/],
      [
        'register-model',
        { name: 'churn', 'model-path': 'model', version: '1.2' },
        /'1.2' is not a semantic version/,
      ],
      [
        'register-model',
        { name: 'churn', 'model-path': 'missing-model' },
        /input 'model-path': 'missing-model' does not exist/,
      ],
      [
        'register-model',
        { name: 'churn', 'model-path': 'model', data: 'data/nope.csv' },
        /input 'data': 'data\/nope.csv' does not exist/,
      ],
      [
        'register-model',
        { name: 'churn', 'model-path': 'model', metrics: 'nope.json' },
        /input 'metrics': file 'nope.json' does not exist/,
      ],
      [
        'register-model',
        { name: 'churn', 'model-path': 'model', remote: 'upstream' },
        /no remote named 'upstream'/,
      ],
      ['promote', { name: 'churn', stage: 'production', version: 'v9.9.9' }, /no registered versions/],
      [
        'lookup-model',
        { name: 'churn', stage: 'production' },
        /no version of 'churn' holds stage 'production'/,
      ],
    ];
    for (const [action, inputs, message] of cases) {
      const result = await runBundledAction(action, { workspace: ws, env, inputs });
      expect(result.exitCode, `${action} ${JSON.stringify(inputs)}`).toBe(1);
      expect(result.errors, JSON.stringify(inputs)).toHaveLength(1);
      expect(result.errors[0]).toMatch(message);
      expect(result.stdout).not.toMatch(/\n\s+at .+:\d+:\d+/);
    }
    // With one version registered (its gate failed): unknown version, disallowed stage, gate, no history.
    expect((await register(ws, { metrics: 'gate-failed.json' })).exitCode).toBe(0);
    const more: [Record<string, string>, RegExp][] = [
      [{ version: 'v9.9.9' }, /churn v9.9.9 is not registered \(registered: v0.0.1\)/],
      [
        { version: 'v0.0.1', 'allowed-stages': 'staging,production', stage: 'prod' },
        /stage 'prod' is not allowed .*did you mean 'production'/,
      ],
      [{ version: 'v0.0.1', 'require-gate': 'true' }, /failed its evaluate-gate/],
      [
        { rollback: 'true' },
        /cannot roll back churn production: no history, the stage has never been assigned/,
      ],
      [{ version: 'latest', stage: 'pro duction' }, /not a valid stage name/],
    ];
    for (const [inputs, message] of more) {
      const result = await promote(ws, inputs);
      expect(result.exitCode, JSON.stringify(inputs)).toBe(1);
      expect(result.errors[0]).toMatch(message);
    }
    const missingOk = await runBundledAction('lookup-model', {
      workspace: ws,
      env,
      inputs: { name: 'churn', stage: 'production', 'allow-missing': 'true' },
    });
    expect(missingOk.outputs).toMatchObject({ found: 'false', version: '' });
  });

  it('reads allowed stages from .gto', async () => {
    const remote = makeRemote();
    const ws = remote.workspace();
    expect((await register(ws)).exitCode).toBe(0);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(ws, '.gto'), 'stages: [dev, staging, prod]\n');
    const refused = await promote(ws, { stage: 'production' });
    expect(refused.errors[0]).toMatch(/stage 'production' is not allowed \(allowed: dev, staging, prod\)/);
    const ok = await promote(ws, { stage: 'staging' });
    expect(ok.outputs.tag).toBe('churn#staging#1');
    // A lookup reads the checkout's tags when the remote cannot be fetched (persist-credentials: false).
    git(ws, 'remote', 'set-url', 'origin', path.join(remote.root, 'gone.git'));
    const lookup = await runBundledAction('lookup-model', {
      workspace: ws,
      env,
      inputs: { name: 'churn', stage: 'staging' },
    });
    expect(lookup.outputs).toMatchObject({ found: 'true', version: 'v0.0.1' });
    expect(lookup.warnings[0]).toMatch(
      /could not fetch tags from 'origin'.*reading the tags already in the checkout/,
    );
    const write = await promote(ws, { stage: 'dev' });
    expect(write.errors[0]).toMatch(/could not fetch tags from 'origin'/);
  });
});
