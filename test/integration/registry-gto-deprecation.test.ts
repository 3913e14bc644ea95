// GTO's deprecation on a real git remote: `gto deprecate` writes `name@deprecated`, after which GTO (and DVC
// Studio) show the artifact with no versions and no stages, until a later registration or assignment revives it
// (gto/base.py Artifact.is_active: the latest event decides). Modelled on GTO's tests/test_api.py test_deprecate
// and tests/test_cli.py test_deprecate_unassign_and_artifact; the deprecation tag is written the way GTO writes it
// (an annotated tag on the artifact's latest commit, dated after its events).
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { git, makeRemote, remoteTags } from '../fixtures/registry/setup.ts';
import { runBundledAction } from '../harness/runner.ts';

const env = { GITHUB_ACTOR: 'octocat', GITHUB_RUN_ID: '2001' };

/** What `gto deprecate churn --push` does: an annotated `churn@deprecated` tag, dated after the last event. */
function deprecate(workspace: string, name: string, secondsAhead: number): void {
  git(workspace, 'fetch', '--quiet', '--tags', 'origin');
  const date = `${Math.floor(Date.now() / 1000) + secondsAhead} +0000`;
  const target = git(workspace, 'rev-list', '-n', '1', `${name}@v0.0.1`);
  // The fixture's git() takes no environment; the tag date comes from GIT_COMMITTER_DATE.
  execFileSync(
    'git',
    [
      '-c',
      'user.name=gto',
      '-c',
      'user.email=gto@example.com',
      'tag',
      '-a',
      `${name}@deprecated`,
      '-m',
      `Deprecating artifact '${name}'`,
      target,
    ],
    { cwd: workspace, env: { ...process.env, GIT_COMMITTER_DATE: date }, stdio: 'ignore' },
  );
  git(workspace, 'push', '--quiet', 'origin', `refs/tags/${name}@deprecated`);
}

describe('GTO deprecation (name@deprecated) read as GTO reads it', () => {
  it('a deprecated model has no stage holders and no latest version; promote refuses; a registration revives it', async () => {
    const remote = makeRemote();
    const inputs = {
      name: 'churn',
      'model-path': 'model',
      metrics: 'gate-passed.json',
    };
    const r1 = await runBundledAction('register-model', { workspace: remote.workspace('w-1'), env, inputs });
    expect(r1.outputs).toMatchObject({ version: 'v0.0.1', created: 'true' });
    const p1 = await runBundledAction('promote', {
      workspace: remote.workspace(),
      env,
      inputs: { name: 'churn', stage: 'production', version: 'v0.0.1' },
    });
    expect(p1.errors).toEqual([]);

    // Dated two seconds ahead, so it is strictly the latest event (GTO compares tag dates in seconds).
    deprecate(remote.workspace(), 'churn', 2);
    expect(remoteTags(remote)).toContain('churn@deprecated');

    const lookup = await runBundledAction('lookup-model', {
      workspace: remote.workspace(),
      env,
      inputs: { name: 'churn', stage: 'production' },
    });
    expect(lookup.exitCode).toBe(1);
    expect(lookup.errors).toHaveLength(1);
    expect(lookup.errors[0]).toMatch(
      /'churn' is deprecated \(tag churn@deprecated, \d{4}-\d\d-\d\dT[\d:.]+Z\): GTO shows no versions or stages/,
    );
    expect(lookup.errors[0]).not.toContain('internal error');

    const latest = await runBundledAction('lookup-model', {
      workspace: remote.workspace(),
      env,
      inputs: { name: 'churn', 'allow-missing': 'true' },
    });
    expect(latest.exitCode).toBe(0);
    expect(latest.outputs).toMatchObject({ found: 'false', version: '', 'model-uri': '' });
    expect(latest.stdout).toContain("'churn' is deprecated");

    const refused = await runBundledAction('promote', {
      workspace: remote.workspace(),
      env,
      inputs: { name: 'churn', stage: 'staging', version: 'v0.0.1' },
    });
    expect(refused.exitCode).toBe(1);
    expect(refused.errors[0]).toMatch(
      /cannot promote churn v0\.0\.1 to staging: model 'churn' is deprecated \(tag churn@deprecated of .*\), so GTO shows no versions or stages for it; register a new version to revive it/,
    );
    const rollback = await runBundledAction('promote', {
      workspace: remote.workspace(),
      env,
      inputs: { name: 'churn', stage: 'production', version: 'latest', rollback: 'true' },
    });
    expect(rollback.errors[0]).toMatch(/model 'churn' is deprecated/);
    expect(remoteTags(remote).filter((name) => name.startsWith('churn#'))).toEqual(['churn#production#1']);

    // A new registration is a later event: the artifact is active again, with what it had (GTO shows the old
    // production assignment again), and the new version is the latest.
    const r2 = await runBundledAction('register-model', { workspace: remote.workspace('w-2'), env, inputs });
    expect(r2.errors).toEqual([]);
    expect(r2.outputs).toMatchObject({ version: 'v0.0.2', created: 'true' });
    expect(r2.stdout).toContain('this registration revives it');
    const revived = await runBundledAction('lookup-model', {
      workspace: remote.workspace(),
      env,
      inputs: { name: 'churn', stage: 'production' },
    });
    expect(revived.outputs).toMatchObject({ found: 'true', version: 'v0.0.1' });
    const newest = await runBundledAction('lookup-model', {
      workspace: remote.workspace(),
      env,
      inputs: { name: 'churn' },
    });
    expect(newest.outputs).toMatchObject({ found: 'true', version: 'v0.0.2' });
  });
});
