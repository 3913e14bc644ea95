import { createHash } from 'node:crypto';
import type { GitHubClient } from '@mlops/github';
import { RecordingLogger } from '@mlops/kit';
import type { LineageRecord } from '@mlops/lineage';
import { LINEAGE_SCHEMA } from '@mlops/schemas';
import { describe, expect, it } from 'vitest';
import { ApiTagStore } from './api-tag-store.ts';
import { GitTagRegistry } from './git-tag-registry.ts';

// A stand-in for the few git-database calls ApiTagStore makes, with GitHub's answers for them, for fast unit
// tests; test/integration/registry-api.test.ts runs the same calls end to end against the REST emulator.
function fakeGitHub() {
  const refs = new Map<string, string>();
  const tags = new Map<
    string,
    {
      tag: string;
      message: string;
      object: { sha: string; type: string };
      tagger: { name: string; email: string; date: string };
    }
  >();
  const commits = new Map<string, { tree: string; parents: string[]; message: string }>([
    ['c'.repeat(40), { tree: 't'.repeat(40), parents: [], message: 'code' }],
  ]);
  const calls: string[] = [];
  const sha = (text: string) => createHash('sha1').update(text).digest('hex');
  const error422 = (message: string) =>
    Object.assign(new Error(message), { status: 422, request: {}, response: { data: { message } } });
  const git = {
    listMatchingRefs: async () => {
      calls.push('GET matching-refs');
      return {
        data: [...refs].map(([ref, target]) => ({
          ref,
          object: { sha: target, type: tags.has(target) ? 'tag' : 'commit' },
        })),
      };
    },
    getTag: async ({ tag_sha }: { tag_sha: string }) => {
      calls.push('GET tag');
      return { data: tags.get(tag_sha)! };
    },
    getCommit: async ({ commit_sha }: { commit_sha: string }) => {
      calls.push('GET commit');
      return { data: { sha: commit_sha, tree: { sha: commits.get(commit_sha)!.tree } } };
    },
    createCommit: async (body: { message: string; tree: string; parents: string[] }) => {
      calls.push('POST commits');
      const commit = sha(JSON.stringify(body));
      commits.set(commit, { tree: body.tree, parents: body.parents, message: body.message });
      return { data: { sha: commit } };
    },
    createTag: async (body: {
      tag: string;
      message: string;
      object: string;
      type: string;
      tagger: { name: string; email: string; date: string };
    }) => {
      calls.push('POST tags');
      const object = sha(JSON.stringify(body));
      tags.set(object, {
        tag: body.tag,
        message: body.message,
        object: { sha: body.object, type: body.type },
        tagger: body.tagger,
      });
      return { data: { sha: object } };
    },
    createRef: async ({ ref, sha: target }: { ref: string; sha: string }) => {
      calls.push('POST refs');
      if (refs.has(ref)) throw error422('Reference already exists');
      refs.set(ref, target);
      return { data: {} };
    },
  };
  return { client: { rest: { git } } as unknown as GitHubClient, refs, tags, commits, calls };
}

const lineage = (sha: string): LineageRecord => ({
  schema: LINEAGE_SCHEMA,
  name: 'churn',
  version: '',
  created_at: '2026-11-22T00:00:00.000Z',
  code: { commit: 'c'.repeat(40) },
  model: { path: 'm', sha256: sha, bytes: 1, files: 1, uri: 'u' },
  data: { files: [] },
  environment: { lockfiles: [] },
  trigger: {},
});

describe('ApiTagStore', () => {
  it('gives a second version on the same commit a commit of its own (same tree, code commit as parent)', async () => {
    const github = fakeGitHub();
    const logger = new RecordingLogger();
    const registry = new GitTagRegistry({
      store: new ApiTagStore(github.client, { owner: 'o', repo: 'r' }, logger),
      logger,
    });
    const request = (sha: string) => ({
      name: 'churn',
      lineage: lineage(sha),
      commit: 'c'.repeat(40),
      bump: 'patch' as const,
      actor: { actor: 'octocat' },
    });
    const first = await registry.register(request('a'.repeat(64)));
    const second = await registry.register(request('b'.repeat(64)));
    expect([first.version.version, second.version.version]).toEqual(['v0.0.1', 'v0.0.2']);
    const target = (name: string) => [...github.tags.values()].find((tag) => tag.tag === name)!.object.sha;
    expect(target('churn@v0.0.1')).toBe('c'.repeat(40));
    const own = github.commits.get(target('churn@v0.0.2'))!;
    expect(own).toMatchObject({ tree: 't'.repeat(40), parents: ['c'.repeat(40)] });
    expect((await registry.register(request('b'.repeat(64)))).created).toBe(false);
  });

  it('treats 422 "Reference already exists" as a lost race and retries with the next counter', async () => {
    const github = fakeGitHub();
    const logger = new RecordingLogger();
    const store = new ApiTagStore(github.client, { owner: 'o', repo: 'r' }, logger);
    const registry = new GitTagRegistry({ store, logger, backoffMs: 1 });
    for (const sha of ['a', 'b']) {
      await registry.register({
        name: 'churn',
        lineage: lineage(sha.repeat(64)),
        commit: 'c'.repeat(40),
        bump: 'patch',
        actor: {},
      });
    }
    // Another run assigns v0.0.1 with counter 1 between our read and our write.
    const original = github.client.rest.git.createRef;
    let raced = false;
    (github.client.rest.git as { createRef: unknown }).createRef = async (body: {
      ref: string;
      sha: string;
    }) => {
      if (!raced) {
        raced = true;
        github.refs.set('refs/tags/churn#prod#1', [...github.tags.keys()][0]!);
      }
      return (original as unknown as (b: typeof body) => Promise<unknown>)(body);
    };
    const result = await registry.promote({
      name: 'churn',
      stage: 'prod',
      version: 'latest',
      requireGate: false,
      actor: {},
    });
    expect(result).toMatchObject({
      ref: 'churn#prod#2',
      attempts: 2,
      version: 'v0.0.2',
      previousVersion: 'v0.0.1',
    });
    expect(github.calls.filter((call) => call === 'POST refs').length).toBe(4);
  });
});
