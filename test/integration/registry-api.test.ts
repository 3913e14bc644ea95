import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixtures } from '../fixtures/registry/setup.ts';
import { type GitHubEmulator, startGitHubEmulator } from '../harness/github-emulator.ts';
import { makeWorkspace, runBundledAction } from '../harness/runner.ts';

// No checkout: the api transport reads and writes tags through GitHub's git database API.
function workspace(model: string): string {
  const dir = makeWorkspace('mlops-api-');
  mkdirSync(path.join(dir, 'model'));
  writeFileSync(path.join(dir, 'model', 'model.onnx'), model);
  writeFileSync(path.join(dir, 'gate.json'), readFileSync(path.join(fixtures, 'gate-passed.json')));
  return dir;
}

describe('git registry through the GitHub REST emulator (git-transport: api) with deployments', () => {
  let github: GitHubEmulator;
  beforeEach(async () => {
    github = await startGitHubEmulator();
  });
  afterEach(() => github.close());

  const env = (extra: Record<string, string> = {}) => ({
    GITHUB_API_URL: github.url,
    GITHUB_TOKEN: 'ghs_registry_token',
    GITHUB_ACTOR: 'octocat',
    ...extra,
  });
  const inputs = { name: 'churn', 'git-transport': 'api', remote: '' };

  it('register -> promote -> register -> promote -> rollback, each promotion recorded as a deployment', async () => {
    const repo = github.state.repo();
    const c1 = github.state.addCommit(repo, { message: 'train v1', branch: 'main' });
    const c2 = github.state.addCommit(repo, { message: 'train v2', branch: 'main' });
    const r1 = await runBundledAction('register-model', {
      workspace: workspace('m1'),
      env: env({ GITHUB_SHA: c1, GITHUB_RUN_ID: '21' }),
      inputs: { ...inputs, 'model-path': 'model', metrics: 'gate.json' },
    });
    expect(r1.errors).toEqual([]);
    expect(r1.outputs).toMatchObject({ version: 'v0.0.1', tag: 'churn@v0.0.1', created: 'true' });
    const again = await runBundledAction('register-model', {
      workspace: workspace('m1'),
      env: env({ GITHUB_SHA: c1, GITHUB_RUN_ID: '21' }),
      inputs: { ...inputs, 'model-path': 'model', metrics: 'gate.json' },
    });
    expect(again.outputs).toMatchObject({ version: 'v0.0.1', created: 'false' });

    const promote = (extra: Record<string, string>, runId: string) =>
      runBundledAction('promote', {
        workspace: makeWorkspace(),
        env: env({ GITHUB_RUN_ID: runId }),
        inputs: { ...inputs, stage: 'production', environment: 'production', ...extra },
      });
    const p1 = await promote({ version: 'v0.0.1', 'require-gate': 'true' }, '22');
    expect(p1.errors).toEqual([]);
    expect(p1.outputs).toMatchObject({ version: 'v0.0.1', tag: 'churn#production#1' });
    expect(p1.outputs['deployment-id']).toMatch(/^\d+$/);
    const rerun = await promote({ version: 'v0.0.1' }, '22');
    expect(rerun.outputs).toMatchObject({ version: 'v0.0.1', tag: 'churn#production#1' });
    expect(rerun.outputs['deployment-id']).toBeUndefined();
    expect(repo.deployments).toHaveLength(1);

    const r2 = await runBundledAction('register-model', {
      workspace: workspace('m2'),
      env: env({ GITHUB_SHA: c2, GITHUB_RUN_ID: '23' }),
      inputs: { ...inputs, 'model-path': 'model' },
    });
    expect(r2.outputs).toMatchObject({ version: 'v0.0.2', created: 'true' });
    const p2 = await promote({ version: 'latest' }, '24');
    expect(p2.outputs).toMatchObject({ version: 'v0.0.2', 'previous-version': 'v0.0.1' });
    const back = await promote({ rollback: 'true' }, '25');
    expect(back.errors).toEqual([]);
    expect(back.outputs).toMatchObject({
      version: 'v0.0.1',
      'previous-version': 'v0.0.2',
      tag: 'churn#production#3',
    });
    const report = JSON.parse(readFileSync(back.outputs.report!, 'utf8'));
    expect(report.audit.map((entry: { from: string | null; to: string }) => [entry.from, entry.to])).toEqual([
      [null, 'v0.0.1'],
      ['v0.0.1', 'v0.0.2'],
      ['v0.0.2', 'v0.0.1'],
    ]);
    expect(report.deployment).toMatchObject({
      environment: 'production',
      id: Number(back.outputs['deployment-id']),
    });

    // Deployments: one per move, never auto-merging, payload naming the version, the latest one active.
    expect(
      repo.deployments.map((d) => [
        d.environment,
        d.auto_merge,
        d.required_contexts,
        (d.payload as { version: string }).version,
      ]),
    ).toEqual([
      ['production', false, [], 'v0.0.1'],
      ['production', false, [], 'v0.0.2'],
      ['production', false, [], 'v0.0.1'],
    ]);
    expect(repo.deployments.map((d) => d.statuses.at(-1)?.state)).toEqual([
      'inactive',
      'inactive',
      'success',
    ]);
    expect(repo.deployments[2]!.sha).toBe(c1);
    // The stage tags are annotated tags on the version commits.
    const stageTag = [...repo.tags.values()].find((tag) => tag.tag === 'churn#production#3')!;
    expect(stageTag.object.sha).toBe(c1);
    expect(JSON.parse(stageTag.message.slice(stageTag.message.indexOf('{')))).toMatchObject({
      action: 'rollback',
      run_id: '25',
      actor: 'octocat',
    });

    const lookup = await runBundledAction('lookup-model', {
      env: env(),
      inputs: { ...inputs, stage: 'production' },
    });
    expect(lookup.outputs).toMatchObject({ found: 'true', version: 'v0.0.1', commit: c1 });
    expect(github.violations).toEqual([]);
    expect(github.requests.every((request) => request.token === 'ghs_registry_token')).toBe(true);
  });

  it('a second version on the same code commit lands on a commit of its own (same tree, code commit as parent)', async () => {
    const repo = github.state.repo();
    const code = github.state.addCommit(repo, { message: 'train', branch: 'main' });
    const register = (model: string, runId: string) =>
      runBundledAction('register-model', {
        workspace: workspace(model),
        env: env({ GITHUB_SHA: code, GITHUB_RUN_ID: runId }),
        inputs: { ...inputs, 'model-path': 'model' },
      });
    const first = await register('m1', '31');
    expect(first.errors).toEqual([]);
    expect(first.outputs).toMatchObject({ version: 'v0.0.1', created: 'true' });
    expect(github.requestsFor('git/create-commit')).toEqual([]);
    // Retraining on unchanged code: a different model, the same commit.
    const second = await register('m2', '32');
    expect(second.errors).toEqual([]);
    expect(second.outputs).toMatchObject({ version: 'v0.0.2', created: 'true' });
    expect(github.requestsFor('git/create-commit').map((request) => request.status)).toEqual([201]);

    const target = (name: string) => {
      const ref = repo.refs.get(`refs/tags/${name}`);
      expect(ref, name).toBeDefined();
      return github.state.peel(repo, ref!);
    };
    expect(target('churn@v0.0.1')).toBe(code);
    const versionCommit = repo.commits.get(target('churn@v0.0.2'))!;
    expect(versionCommit.sha).not.toBe(code);
    expect(versionCommit.parents).toEqual([code]);
    expect(versionCommit.tree).toBe(repo.commits.get(code)!.tree);
    expect(versionCommit.message).toMatch(/^Register churn v0\.0\.2\n/);
    expect(versionCommit.author.name).toBe('octocat');
    // The branch is not moved: the version commit hangs off the code commit, reachable through its tag.
    expect(repo.refs.get('refs/heads/main')).toBe(code);

    // A re-run of the second job finds its build (by the code commit in the lineage) and writes nothing.
    const rerun = await register('m2', '32');
    expect(rerun.outputs).toMatchObject({ version: 'v0.0.2', created: 'false' });
    expect(github.requestsFor('git/create-commit')).toHaveLength(1);

    // Both read back: each promoted to a stage (the stage tags go on the version commits), then looked up.
    const lineageOf = (result: { outputs: Record<string, string> }) =>
      JSON.parse(readFileSync(result.outputs.lineage!, 'utf8'));
    for (const [version, stage] of [
      ['v0.0.1', 'staging'],
      ['v0.0.2', 'production'],
    ] as const) {
      const promote = await runBundledAction('promote', {
        env: env(),
        inputs: { ...inputs, stage, version },
      });
      expect(promote.errors).toEqual([]);
      expect(target(promote.outputs.tag!)).toBe(target(`churn@${version}`));
    }
    for (const [stage, registered] of [
      ['staging', first],
      ['production', second],
      ['', second],
    ] as const) {
      const lookup = await runBundledAction('lookup-model', { env: env(), inputs: { ...inputs, stage } });
      expect(lookup.errors).toEqual([]);
      // `commit` is the code commit of the lineage for both, though their tags sit on different commits.
      expect(lookup.outputs).toMatchObject({
        found: 'true',
        version: registered.outputs.version,
        commit: code,
      });
      expect(lineageOf(lookup)).toEqual(lineageOf(registered));
    }
    expect(lineageOf(first).model.sha256).not.toBe(lineageOf(second).model.sha256);
    expect(github.violations).toEqual([]);
  });

  it('parallel promotions race on git/refs (422) and end with one consistent holder', async () => {
    const repo = github.state.repo();
    for (const [index, model] of ['m1', 'm2', 'm3', 'm4'].entries()) {
      const sha = github.state.addCommit(repo, { message: `train ${index}`, branch: 'main' });
      const result = await runBundledAction('register-model', {
        workspace: workspace(model),
        env: env({ GITHUB_SHA: sha }),
        inputs: { ...inputs, 'model-path': 'model' },
      });
      expect(result.errors).toEqual([]);
    }
    const results = await Promise.all(
      ['v0.0.1', 'v0.0.2', 'v0.0.3', 'v0.0.4'].map((version) =>
        runBundledAction('promote', { env: env(), inputs: { ...inputs, stage: 'staging', version } }),
      ),
    );
    for (const result of results) expect(result.errors).toEqual([]);
    const tags = results.map((result) => result.outputs.tag).sort();
    expect(tags).toEqual(['churn#staging#1', 'churn#staging#2', 'churn#staging#3', 'churn#staging#4']);
    const last = results.find((result) => result.outputs.tag === 'churn#staging#4')!;
    const lookup = await runBundledAction('lookup-model', {
      env: env(),
      inputs: { ...inputs, stage: 'staging' },
    });
    expect(lookup.outputs.version).toBe(last.outputs.version);
    const audit = JSON.parse(readFileSync(last.outputs.report!, 'utf8')).audit as {
      from: string | null;
      to: string;
    }[];
    for (let index = 1; index < audit.length; index++) expect(audit[index]!.from).toBe(audit[index - 1]!.to);
    expect(github.violations).toEqual([]);
  });

  it('names the missing permission when GitHub refuses the tag', async () => {
    const repo = github.state.repo();
    const sha = github.state.addCommit(repo, { message: 'train', branch: 'main' });
    github.faults.add({
      method: 'POST',
      path: /\/git\/tags$/,
      status: 403,
      body: {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest',
      },
    });
    const result = await runBundledAction('register-model', {
      workspace: workspace('m1'),
      env: env({ GITHUB_SHA: sha }),
      inputs: { ...inputs, 'model-path': 'model' },
    });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toMatch(/contents: write/);
    expect([...repo.refs.keys()].filter((ref) => ref.startsWith('refs/tags/'))).toEqual([]);
  });
});
