import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RecordingLogger, UserError } from '@mlops/kit';
import type { LineageRecord } from '@mlops/lineage';
import { LINEAGE_SCHEMA } from '@mlops/schemas';
import { beforeEach, describe, expect, it } from 'vitest';
import { CliTagStore } from './cli-tag-store.ts';
import { GitTagRegistry } from './git-tag-registry.ts';

function sh(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
}

function lineage(sha: string, commit: string, gate?: boolean): LineageRecord {
  return {
    schema: LINEAGE_SCHEMA,
    name: 'churn',
    version: '',
    created_at: '2026-11-22T00:00:00.000Z',
    code: { commit },
    model: { path: 'model.bin', sha256: sha, bytes: 1, files: 1, uri: 'file:model.bin' },
    data: { files: [] },
    environment: { lockfiles: [] },
    trigger: {},
    ...(gate === undefined
      ? {}
      : { gate: { passed: gate, report_sha256: 'ab'.repeat(32), report_schema: 'x' } }),
  };
}

describe('GitTagRegistry over a bare remote', () => {
  let clone: string;
  let commit: string;
  let clock: number;
  const registry = (dir = clone) =>
    new GitTagRegistry({
      store: new CliTagStore(dir, 'origin', new RecordingLogger()),
      logger: new RecordingLogger(),
      now: () => clock,
    });

  beforeEach(() => {
    const root = mkdtempSync(path.join(tmpdir(), 'reg-unit-'));
    const bare = path.join(root, 'remote.git');
    sh(root, 'init', '--quiet', '--bare', bare);
    clone = path.join(root, 'clone');
    sh(root, 'clone', '--quiet', bare, clone);
    writeFileSync(path.join(clone, 'train.py'), 'print(1)\n');
    sh(clone, 'add', '.');
    sh(clone, '-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '--quiet', '-m', 'init');
    sh(clone, 'push', '--quiet', 'origin', 'HEAD');
    commit = sh(clone, 'rev-parse', 'HEAD');
    clock = 1_800_000_000;
  });

  it('registers, is idempotent, bumps, promotes and rolls back', async () => {
    const actor = { actor: 'octocat', runId: '7' };
    const first = await registry().register({
      name: 'churn',
      lineage: lineage('a'.repeat(64), commit),
      commit,
      bump: 'patch',
      actor,
    });
    expect(first).toMatchObject({ created: true, version: { version: 'v0.0.1', ref: 'churn@v0.0.1' } });
    const again = await registry().register({
      name: 'churn',
      lineage: lineage('a'.repeat(64), commit),
      commit,
      bump: 'patch',
      actor,
    });
    expect(again).toMatchObject({ created: false, version: { version: 'v0.0.1' } });
    const second = await registry().register({
      name: 'churn',
      lineage: lineage('b'.repeat(64), commit),
      commit,
      bump: 'minor',
      actor,
    });
    expect(second.version.version).toBe('v0.1.0');
    expect(sh(clone, 'ls-remote', '--tags', 'origin')).toContain('refs/tags/churn@v0.1.0');

    clock++;
    const p1 = await registry().promote({
      name: 'churn',
      stage: 'prod',
      version: 'v0.0.1',
      requireGate: false,
      actor,
    });
    expect(p1).toMatchObject({ ref: 'churn#prod#1', version: 'v0.0.1', created: true });
    expect(p1.previousVersion).toBeUndefined();
    const p2 = await registry().promote({
      name: 'churn',
      stage: 'prod',
      version: 'latest',
      requireGate: false,
      actor,
    });
    expect(p2).toMatchObject({ ref: 'churn#prod#2', version: 'v0.1.0', previousVersion: 'v0.0.1' });
    const noop = await registry().promote({
      name: 'churn',
      stage: 'prod',
      version: 'v0.1.0',
      requireGate: false,
      actor,
    });
    expect(noop.created).toBe(false);
    const back = await registry().rollback({ name: 'churn', stage: 'prod', requireGate: false, actor });
    expect(back).toMatchObject({ ref: 'churn#prod#3', version: 'v0.0.1', previousVersion: 'v0.1.0' });
    expect((await registry().lookup('churn', 'prod'))?.version).toBe('v0.0.1');
    const trail = await registry().history('churn', 'prod');
    expect(trail.map((event) => [event.action, event.previousVersion, event.version])).toEqual([
      ['promote', undefined, 'v0.0.1'],
      ['promote', 'v0.0.1', 'v0.1.0'],
      ['rollback', 'v0.1.0', 'v0.0.1'],
    ]);
    // Tags read by a fresh clone of the remote give the same state.
    const other = path.join(path.dirname(clone), 'other');
    sh(path.dirname(clone), 'clone', '--quiet', path.join(path.dirname(clone), 'remote.git'), other);
    expect((await registry(other).lookup('churn', 'prod'))?.version).toBe('v0.0.1');
  });

  it('refuses bad input with user errors', async () => {
    const actor = {};
    await expect(
      registry().register({
        name: '-bad',
        lineage: lineage('a'.repeat(64), commit),
        commit,
        bump: 'patch',
        actor,
      }),
    ).rejects.toThrow(/not a valid artifact name/);
    await expect(
      registry().register({
        name: 'churn',
        lineage: lineage('a'.repeat(64), commit),
        commit,
        version: '1.2',
        bump: 'patch',
        actor,
      }),
    ).rejects.toThrow(/not a semantic version/);
    await registry().register({
      name: 'churn',
      lineage: lineage('a'.repeat(64), commit, false),
      commit,
      version: 'v1.0.0',
      bump: 'patch',
      actor,
    });
    await expect(
      registry().register({
        name: 'churn',
        lineage: lineage('c'.repeat(64), commit),
        commit,
        version: '1.0.0',
        bump: 'patch',
        actor,
      }),
    ).rejects.toThrow(/already registered/);
    await expect(
      registry().promote({ name: 'churn', stage: 'prod', version: 'v2.0.0', requireGate: false, actor }),
    ).rejects.toThrow(/not registered/);
    await expect(
      registry().promote({ name: 'churn', stage: 'prod', version: 'v1.0.0', requireGate: true, actor }),
    ).rejects.toThrow(/failed its evaluate-gate/);
    await expect(
      registry().rollback({ name: 'churn', stage: 'prod', requireGate: false, actor }),
    ).rejects.toThrow(UserError);
    const strict = new GitTagRegistry({
      store: new CliTagStore(clone, 'origin', new RecordingLogger()),
      logger: new RecordingLogger(),
      allowedStages: ['staging', 'production'],
    });
    await expect(
      strict.promote({ name: 'churn', stage: 'prod', version: 'latest', requireGate: false, actor }),
    ).rejects.toThrow(/did you mean 'production'/);
  });

  it('works from a shallow checkout (actions/checkout fetch-depth 1) and refuses option-like remotes', async () => {
    const actor = {};
    await registry().register({
      name: 'churn',
      lineage: lineage('a'.repeat(64), commit),
      commit,
      bump: 'patch',
      actor,
    });
    writeFileSync(path.join(clone, 'train.py'), 'print(2)\n');
    sh(clone, '-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '--quiet', '-am', 'two');
    sh(clone, 'push', '--quiet', 'origin', 'HEAD');
    const head = sh(clone, 'rev-parse', 'HEAD');
    const shallow = path.join(path.dirname(clone), 'shallow');
    sh(
      path.dirname(clone),
      'clone',
      '--quiet',
      '--depth=1',
      `file://${path.join(path.dirname(clone), 'remote.git')}`,
      shallow,
    );
    const second = await registry(shallow).register({
      name: 'churn',
      lineage: lineage('b'.repeat(64), head),
      commit: head,
      bump: 'patch',
      actor,
    });
    expect(second.version.version).toBe('v0.0.2');
    const promoted = await registry(shallow).promote({
      name: 'churn',
      stage: 'prod',
      version: 'v0.0.1',
      requireGate: false,
      actor,
    });
    expect(promoted.ref).toBe('churn#prod#1');
    const odd = new CliTagStore(clone, '--upload-pack=touch /tmp/pwned', new RecordingLogger());
    await expect(odd.check()).rejects.toThrow(/is not a remote name/);
  });
});
