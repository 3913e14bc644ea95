import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeRemote, remoteTags } from '../fixtures/registry/setup.ts';
import { type GitHubEmulator, startGitHubEmulator } from '../harness/github-emulator.ts';
import { runBundledAction } from '../harness/runner.ts';

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

// The tags go to a real bare repository (git CLI transport); the release and its assets to the GitHub emulator.
describe('register-model release-asset: model files as GitHub release assets', () => {
  let github: GitHubEmulator;
  beforeEach(async () => {
    github = await startGitHubEmulator();
  });
  afterEach(() => github.close());

  const register = (workspace: string, inputs: Record<string, string> = {}) =>
    runBundledAction('register-model', {
      workspace,
      env: { GITHUB_API_URL: github.url, GITHUB_TOKEN: 'ghs_release_token', GITHUB_RUN_ID: '77' },
      inputs: { name: 'churn', 'model-path': 'model', 'release-asset': 'true', ...inputs },
    });
  // The bare repository stands for the git side of octo-org/octo-repo: the tag the registry will push is
  // mirrored into the emulator, as GitHub's API would show it after the push.
  const mirrorTag = (tag: string) => {
    const repo = github.state.repo();
    repo.refs.set(`refs/tags/${tag}`, repo.refs.get('refs/heads/main')!);
  };
  const releaseOf = (tag: string) => github.state.repo().releases.filter((r) => r.tag_name === tag);
  const uploads = () => github.requestsFor('repos/upload-release-asset');

  it('uploads a directory as one asset per file plus SHA256SUMS, whose sha256 is the lineage digest; a re-run uploads nothing', async () => {
    const remote = makeRemote();
    const job = remote.workspace('weights-1');
    mirrorTag('churn@v0.0.1');
    const first = await register(job);
    expect(first.errors).toEqual([]);
    expect(first.exitCode).toBe(0);
    expect(first.outputs).toMatchObject({ version: 'v0.0.1', tag: 'churn@v0.0.1', created: 'true' });
    expect(remoteTags(remote)).toContain('churn@v0.0.1');

    const [release, ...others] = releaseOf('churn@v0.0.1');
    expect(others).toEqual([]);
    expect(release!.draft).toBe(false);
    expect(release!.assets.map((a) => a.name).sort()).toEqual(['SHA256SUMS', 'config.json', 'weights.bin']);
    const lineage = JSON.parse(readFileSync(first.outputs.lineage!, 'utf8'));
    const asset = (name: string) => release!.assets.find((a) => a.name === name)!;
    // What was uploaded is what the lineage vouches for.
    expect(sha256(asset('SHA256SUMS').data)).toBe(lineage.model.sha256);
    expect(asset('weights.bin').data.toString()).toBe('weights-1');
    const sums = asset('SHA256SUMS').data.toString();
    expect(sums).toBe(
      `${sha256(asset('config.json').data)}  config.json\n${sha256(asset('weights.bin').data)}  weights.bin\n`,
    );
    expect(first.outputs['model-uri']).toBe(
      'https://github.com/octo-org/octo-repo/releases/download/churn@v0.0.1/SHA256SUMS',
    );
    // The version's own lineage (the tag message) records the asset URL, so a lookup returns it too.
    expect(lineage.model.uri).toBe(first.outputs['model-uri']);
    const lookup = await runBundledAction('lookup-model', {
      workspace: job,
      inputs: { name: 'churn', remote: '' },
    });
    expect(lookup.errors).toEqual([]);
    expect(lookup.outputs['model-uri']).toBe(first.outputs['model-uri']);
    expect(first.outputs['release-url']).toBe(
      'https://github.com/octo-org/octo-repo/releases/tag/churn@v0.0.1',
    );
    expect(first.summary).toContain('Release assets of `churn@v0.0.1`');
    // The uploads went to the release's upload_url (the emulator's base URL), as raw bytes.
    expect(uploads()).toHaveLength(3);
    expect(uploads()[0]!.query).toHaveProperty('name');
    expect(uploads().every((request) => request.token === 'ghs_release_token')).toBe(true);

    // Same job again: same version, same release, nothing uploaded.
    const again = await register(job);
    expect(again.errors).toEqual([]);
    expect(again.outputs).toMatchObject({ version: 'v0.0.1', created: 'false' });
    expect(again.outputs['model-uri']).toBe(first.outputs['model-uri']);
    expect(releaseOf('churn@v0.0.1')).toHaveLength(1);
    expect(github.requestsFor('repos/create-release')).toHaveLength(1);
    expect(uploads()).toHaveLength(3);
    expect(again.summary).toContain('already there');

    // An asset lost since (deleted by hand): the re-run uploads that one only.
    release!.assets.splice(
      release!.assets.findIndex((a) => a.name === 'weights.bin'),
      1,
    );
    const repaired = await register(job);
    expect(repaired.errors).toEqual([]);
    expect(uploads()).toHaveLength(4);
    expect(uploads()[3]!.query.name).toBe('weights.bin');
    expect(release!.assets).toHaveLength(3);
    expect(github.violations).toEqual([]);
  });

  it('retries an upload answered 502, and a single file asset has the lineage sha256', async () => {
    const remote = makeRemote();
    const job = remote.workspace('weights-2');
    mirrorTag('churn@v0.0.1');
    const fault = github.faults.add({ method: 'POST', path: /\/releases\/\d+\/assets$/, status: 502 });
    const run = await register(job, { 'model-path': 'model/weights.bin' });
    expect(run.errors).toEqual([]);
    expect(fault.fired).toBe(1);
    expect(uploads()).toHaveLength(2);
    expect(uploads()[0]!.status).toBe(502);
    expect(uploads()[1]!.status).toBe(201);
    const [release] = releaseOf('churn@v0.0.1');
    expect(release!.assets).toHaveLength(1);
    const lineage = JSON.parse(readFileSync(run.outputs.lineage!, 'utf8'));
    expect(sha256(release!.assets[0]!.data)).toBe(lineage.model.sha256);
    expect(run.outputs['model-uri']).toBe(
      'https://github.com/octo-org/octo-repo/releases/download/churn@v0.0.1/weights.bin',
    );
    expect(github.violations).toEqual([]);
  });

  it('a token without contents: write: the version stays registered, one ::error::, and a re-run completes', async () => {
    const remote = makeRemote();
    const job = remote.workspace('weights-3');
    mirrorTag('churn@v0.0.1');
    github.faults.add({
      method: 'POST',
      path: /\/releases\/\d+\/assets$/,
      status: 403,
      times: Number.POSITIVE_INFINITY,
      body: {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com',
      },
    });
    const denied = await register(job);
    expect(denied.exitCode).toBe(1);
    expect(denied.errors).toHaveLength(1);
    expect(denied.errors[0]).toContain('contents: write');
    expect(denied.errors[0]).toContain('release churn@v0.0.1 of octo-org/octo-repo');
    expect(denied.errors[0]).toContain('Re-run with the same inputs');
    // No retries of a permission error, and the version is registered (tag pushed), its outputs written.
    expect(uploads()).toHaveLength(1);
    expect(remoteTags(remote)).toContain('churn@v0.0.1');
    expect(denied.outputs).toMatchObject({ version: 'v0.0.1', tag: 'churn@v0.0.1' });
    expect(denied.outputs['model-uri']).toBeUndefined();

    github.faults.clear();
    const rerun = await register(job);
    expect(rerun.errors).toEqual([]);
    expect(rerun.outputs).toMatchObject({ version: 'v0.0.1', created: 'false' });
    expect(releaseOf('churn@v0.0.1')).toHaveLength(1);
    expect(releaseOf('churn@v0.0.1')[0]!.assets).toHaveLength(3);
    expect(github.requestsFor('repos/create-release')).toHaveLength(1);
    expect(github.violations).toEqual([]);
  });

  it('two runs of the same job at once: one release, each asset once, both succeed', async () => {
    const remote = makeRemote();
    const job = remote.workspace('weights-6');
    mirrorTag('churn@v0.0.1');
    const runs = await Promise.all([register(job), register(job)]);
    for (const run of runs) {
      expect(run.errors).toEqual([]);
      expect(run.outputs).toMatchObject({ version: 'v0.0.1', tag: 'churn@v0.0.1' });
    }
    expect(runs[0]!.outputs['model-uri']).toBe(runs[1]!.outputs['model-uri']);
    expect(releaseOf('churn@v0.0.1')).toHaveLength(1);
    expect(
      releaseOf('churn@v0.0.1')[0]!
        .assets.map((a) => a.name)
        .sort(),
    ).toEqual(['SHA256SUMS', 'config.json', 'weights.bin']);
    expect(github.violations).toEqual([]);
  });

  it('refuses an asset already on the release with other bytes, naming it', async () => {
    const remote = makeRemote();
    const job = remote.workspace('weights-4');
    mirrorTag('churn@v0.0.1');
    expect((await register(job)).errors).toEqual([]);
    const asset = releaseOf('churn@v0.0.1')[0]!.assets.find((a) => a.name === 'config.json')!;
    asset.data = Buffer.from('tampered');
    asset.size = asset.data.length;
    const run = await register(job);
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/asset 'config\.json' with different bytes.*gh release delete-asset/);
    expect(github.violations).toEqual([]);
  });

  it('refuses to publish a release for a tag that is not on GitHub (GitHub would create it elsewhere)', async () => {
    const remote = makeRemote();
    const run = await register(remote.workspace('weights-5'));
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain('the tag churn@v0.0.1 is not in octo-org/octo-repo on GitHub');
    expect(remoteTags(remote)).toContain('churn@v0.0.1');
    expect(github.state.repo().releases).toEqual([]);
    expect(github.state.repo().refs.has('refs/tags/churn@v0.0.1')).toBe(false);
    expect(github.violations).toEqual([]);
  });

  it('refuses asset names that would collide before the tag is pushed, with artifact-uri too', async () => {
    const remote = makeRemote();
    const job = remote.workspace('weights-6');
    writeFileSync(path.join(job, 'model', 'a b.bin'), 'one');
    writeFileSync(path.join(job, 'model', 'a.b.bin'), 'two');
    const run = await register(job, { 'artifact-uri': 's3://models/churn' });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain("'model/a.b.bin' would be uploaded as 'a.b.bin'");
    expect(remoteTags(remote)).toEqual([]);
    expect(github.requests).toEqual([]);
  });

  it('refuses release-asset with the mlflow backend', async () => {
    const job = makeRemote().workspace();
    writeFileSync(path.join(job, 'unused'), '');
    const run = await register(job, { backend: 'mlflow', 'mlflow-tracking-uri': 'http://127.0.0.1:9' });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toContain("'release-asset'");
    expect(github.requests).toEqual([]);
  });

  it('the emulator validates uploads: headers checked, bytes kept raw, names renamed as GitHub does', async () => {
    const repo = github.state.repo();
    const release = await fetch(`${github.url}/repos/${repo.full_name}/releases`, {
      method: 'POST',
      headers: { authorization: 'token t', 'content-type': 'application/json' },
      body: JSON.stringify({ tag_name: 'churn@v9.0.0' }),
    }).then((answer) => answer.json() as Promise<{ upload_url: string }>);
    expect(repo.refs.has('refs/tags/churn@v9.0.0')).toBe(true);
    const target = (name: string) =>
      release.upload_url.replace('{?name,label}', `?name=${encodeURIComponent(name)}`);
    const bytes = Buffer.from([0, 255, 10, 123]);
    const stored = await fetch(target('my model.bin'), {
      method: 'POST',
      headers: { authorization: 'token t', 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    expect(stored.status).toBe(201);
    expect(await stored.json()).toMatchObject({
      name: 'my.model.bin',
      size: 4,
      digest: `sha256:${sha256(bytes)}`,
    });
    expect(github.violations).toEqual([]);

    const asJson = await fetch(target('x.json'), {
      method: 'POST',
      headers: { authorization: 'token t', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(asJson.status).toBe(422);
    const noName = await fetch(release.upload_url.replace('{?name,label}', ''), {
      method: 'POST',
      headers: { authorization: 'token t', 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    expect(noName.status).toBe(422);
    expect(github.violations.map((v) => v.message)).toEqual([
      expect.stringContaining("a binary upload sent as 'application/json'"),
      expect.stringContaining("missing required query parameter 'name'"),
    ]);
  });
});
