import { spawnSync } from 'node:child_process';
import { callGitHub, createGitHubClient, GitHubApiError } from '@mlops/github';
import { RecordingLogger } from '@mlops/kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OpenApiValidator } from '../harness/github-emulator/openapi.ts';
import { handlers } from '../harness/github-emulator/routes.ts';
import { createdFilter, type GitHubEmulator, startGitHubEmulator } from '../harness/github-emulator.ts';

let github: GitHubEmulator;
let logger: RecordingLogger;
const owner = 'octo-org';
const repo = 'octo-repo';
const TOKEN = 'ghs_emulatorTestToken123';

const client = (options: { token?: string; retries?: number } = {}) =>
  createGitHubClient({
    token: options.token ?? TOKEN,
    apiUrl: github.url,
    logger,
    retryBaseMs: 5,
    paceWrites: false,
    ...(options.retries !== undefined ? { retries: options.retries } : {}),
  });

beforeEach(async () => {
  github = await startGitHubEmulator();
  logger = new RecordingLogger();
});
afterEach(async () => {
  await github.close();
});

describe('OpenAPI validation', () => {
  it('rejects a body that breaks the operation schema and records the violation', async () => {
    const octokit = await client();
    const error = await octokit
      .request('POST /repos/{owner}/{repo}/dispatches', {
        owner,
        repo,
        event_type: 'x'.repeat(101),
        client_payload: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, i])),
      })
      .catch((e: unknown) => e);
    expect((error as { status: number }).status).toBe(422);
    expect(github.violations).toHaveLength(1);
    expect(github.violations[0]!.message).toMatch(/repos\/create-dispatch-event/);
    expect(github.violations[0]!.message).toMatch(/event_type must NOT have more than 100 characters/);
    expect(github.violations[0]!.message).toMatch(/client_payload must NOT have more than 10 properties/);
    expect(github.state.repo().repositoryDispatches).toEqual([]);
  });

  it('rejects missing required fields, wrong types, unknown query parameters and unknown paths', async () => {
    const octokit = await client();
    await expect(
      // @ts-expect-error: deliberately missing `sha`
      octokit.request('POST /repos/{owner}/{repo}/git/refs', { owner, repo, ref: 'refs/tags/a' }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      // @ts-expect-error: deliberately not a run status
      octokit.request('GET /repos/{owner}/{repo}/actions/runs', { owner, repo, status: 'running' }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      octokit.request('GET /repos/{owner}/{repo}/deployments', { owner, repo, environmnet: 'prod' }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      octokit.request('GET /repos/{owner}/{repo}/no-such-thing', { owner, repo }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      octokit.request('PUT /repos/{owner}/{repo}/dispatches', { owner, repo, event_type: 'x' }),
    ).rejects.toMatchObject({ status: 404 });
    const messages = github.violations.map((v) => v.message);
    expect(messages).toHaveLength(5);
    expect(messages[0]).toMatch(/must have required property 'sha'/);
    expect(messages[1]).toMatch(
      /query parameter 'status'="running" must be equal to one of the allowed values/,
    );
    expect(messages[2]).toMatch(/query parameter 'environmnet' is not defined/);
    expect(messages[3]).toMatch(/no operation .* matches GET \/repos\/octo-org\/octo-repo\/no-such-thing/);
    expect(messages[4]).toMatch(/PUT is not an operation of \/repos\/\{owner\}\/\{repo\}\/dispatches/);
  });

  it('accepts valid requests, including nullable fields and refs with slashes', async () => {
    const octokit = await client();
    const { data: tag } = await octokit.rest.git.createTag({
      owner,
      repo,
      tag: 'churn@v1.0.0',
      message: 'lineage',
      object: github.state.repo().refs.get('refs/heads/main')!,
      type: 'commit',
    });
    await octokit.rest.git.createRef({ owner, repo, ref: 'refs/tags/churn@v1.0.0', sha: tag.sha });
    const { data: refs } = await octokit.rest.git.listMatchingRefs({ owner, repo, ref: 'tags/churn@' });
    expect(refs.map((r) => [r.ref, r.object.type])).toEqual([['refs/tags/churn@v1.0.0', 'tag']]);
    const { data: one } = await octokit.rest.git.getRef({ owner, repo, ref: 'tags/churn@v1.0.0' });
    expect(one.object.sha).toBe(tag.sha);
    await expect(
      octokit.rest.git.createRef({ owner, repo, ref: 'refs/tags/churn@v1.0.0', sha: tag.sha }),
    ).rejects.toMatchObject({ status: 422 });
    await octokit.rest.repos.createDeployment({
      owner,
      repo,
      ref: 'main',
      environment: 'production',
      auto_merge: false,
      required_contexts: [],
      description: null as unknown as string,
    });
    expect(github.violations).toEqual([]);
    expect(github.requestsFor('git/create-ref').map((r) => r.status)).toEqual([201, 422]);
  });
});

describe('the description subset', () => {
  it('has a handler for every operation it holds, and the emulator serves nothing else', () => {
    const operations = new OpenApiValidator().list().map((operation) => operation.operationId);
    expect(operations.length).toBeGreaterThanOrEqual(30);
    expect([...operations].sort()).toEqual(Object.keys(handlers).sort());
  });

  it("checks the emulator's own answers against GitHub's response schemas", () => {
    const validator = new OpenApiValidator();
    const operation = validator
      .list()
      .find((candidate) => candidate.operationId === 'issues/create-comment')!;
    expect(
      validator.checkResponse(operation, 201, {
        id: 1,
        node_id: 'x',
        body: 'b',
        created_at: '2026-01-01T00:00:00Z',
      }),
    ).toBeUndefined();
    expect(validator.checkResponse(operation, 201, { id: '1', created_at: 'yesterday' })).toBe(
      'emulator answer to issues/create-comment (201) does not fit GitHub\'s response schema: id must be integer, created_at must match format "date-time"',
    );
  });
});

describe('state', () => {
  it('paginates issue comments with Link headers', async () => {
    const state = github.state;
    state.addPullRequest(state.repo(), { number: 7 });
    for (let i = 0; i < 150; i++) state.addComment(state.repo(), 7, `comment ${i}`);
    const octokit = await client();
    const first = await octokit.rest.issues.listComments({ owner, repo, issue_number: 7, per_page: 50 });
    expect(first.data).toHaveLength(50);
    expect(first.headers.link).toContain('page=2>; rel="next"');
    expect(first.headers.link).toContain('page=3>; rel="last"');
    const all = await octokit.paginate(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: 7,
      per_page: 100,
    });
    expect(all.map((c) => c.body)).toEqual(Array.from({ length: 150 }, (_, i) => `comment ${i}`));
    expect(github.requestsFor('issues/list-comments').map((r) => r.query.page ?? '1')).toEqual([
      '1',
      '1',
      '2',
    ]);
    expect(github.violations).toEqual([]);
  });

  it('creates, edits, deletes and minimizes comments', async () => {
    github.state.addPullRequest(github.state.repo(), { number: 3 });
    const octokit = await client();
    const { data: created } = await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: 3,
      body: 'hello',
    });
    expect(created.user?.login).toBe('github-actions[bot]');
    await octokit.rest.issues.updateComment({ owner, repo, comment_id: created.id, body: 'edited' });
    await octokit.graphql(
      'mutation($id: ID!) { minimizeComment(input: {subjectId: $id, classifier: OUTDATED}) { minimizedComment { isMinimized } } }',
      { id: created.node_id },
    );
    expect(github.state.repo().comments[0]).toMatchObject({
      body: 'edited',
      minimized: { reason: 'OUTDATED' },
    });
    await expect(
      octokit.rest.issues.createComment({ owner, repo, issue_number: 3, body: 'x'.repeat(65_537) }),
    ).rejects.toMatchObject({ status: 422 });
    await octokit.rest.issues.deleteComment({ owner, repo, comment_id: created.id });
    expect(github.state.repo().comments).toEqual([]);
    expect(github.violations).toEqual([]);
  });

  it('dispatches workflows with run details, filters runs and enforces declared inputs', async () => {
    const state = github.state;
    const workflow = state.addWorkflow(state.repo(), {
      path: 'train.yml',
      name: 'Train',
      inputs: { reason: {} },
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, not a JS template
      runName: 'Train: ${{ inputs.reason }}',
    });
    state.addRun(state.repo(), workflow, { created_at: '2026-01-01T00:00:00Z' });
    const octokit = await client();
    const { status, data } = await octokit.rest.actions.createWorkflowDispatch({
      owner,
      repo,
      workflow_id: 'train.yml',
      ref: 'main',
      inputs: { reason: 'drift' },
      return_run_details: true,
    });
    expect(status).toBe(200);
    const details = data as unknown as { workflow_run_id: number; run_url: string; html_url: string };
    expect(details.run_url).toBe(
      `${github.url}/repos/octo-org/octo-repo/actions/runs/${details.workflow_run_id}`,
    );
    const { data: queued } = await octokit.rest.actions.listWorkflowRuns({
      owner,
      repo,
      workflow_id: workflow.id,
      status: 'queued',
    });
    expect(queued.workflow_runs.map((r) => [r.id, r.display_title, r.event])).toEqual([
      [details.workflow_run_id, 'Train: drift', 'workflow_dispatch'],
    ]);
    const { data: recent } = await octokit.rest.actions.listWorkflowRunsForRepo({
      owner,
      repo,
      created: '>=2026-06-01T00:00:00Z',
    });
    expect(recent.total_count).toBe(1);
    await expect(
      octokit.rest.actions.createWorkflowDispatch({
        owner,
        repo,
        workflow_id: 'train.yml',
        ref: 'main',
        inputs: { other: 'x' },
      }),
    ).rejects.toMatchObject({
      status: 422,
      message: expect.stringMatching(/Unexpected inputs provided: \["other"\]/),
    });
    await expect(
      octokit.rest.actions.createWorkflowDispatch({ owner, repo, workflow_id: 'nope.yml', ref: 'main' }),
    ).rejects.toMatchObject({ status: 404 });
    state.returnRunDetails = false;
    const legacy = await octokit.rest.actions.createWorkflowDispatch({
      owner,
      repo,
      workflow_id: 'train.yml',
      ref: 'main',
      return_run_details: true,
    });
    expect(legacy.status).toBe(204);
    expect(github.violations).toEqual([]);
  });

  it('marks the previous production deployment inactive on a new success', async () => {
    const octokit = await client();
    const ids: number[] = [];
    for (let i = 0; i < 2; i++) {
      const { data } = await octokit.rest.repos.createDeployment({
        owner,
        repo,
        ref: 'main',
        environment: 'production',
        auto_merge: false,
        required_contexts: [],
      });
      const id = (data as { id: number }).id;
      ids.push(id);
      await octokit.rest.repos.createDeploymentStatus({ owner, repo, deployment_id: id, state: 'success' });
    }
    const { data: list } = await octokit.rest.repos.listDeployments({
      owner,
      repo,
      environment: 'production',
    });
    expect(list.map((d) => d.id)).toEqual([ids[1], ids[0]]);
    const { data: statuses } = await octokit.rest.repos.listDeploymentStatuses({
      owner,
      repo,
      deployment_id: ids[0]!,
    });
    expect(statuses[0]!.state).toBe('inactive');
    expect(github.violations).toEqual([]);
  });

  it('creates git commits content-addressed as git does, and reads them back', async () => {
    const octokit = await client();
    const main = github.state.repo().refs.get('refs/heads/main')!;
    const { data: base } = await octokit.rest.git.getCommit({ owner, repo, commit_sha: main });
    const request = {
      owner,
      repo,
      message: 'Register churn v0.0.2\n\nSame tree.\n',
      tree: base.tree.sha,
      parents: [main],
      author: {
        name: 'octocat',
        email: 'octocat@users.noreply.github.com',
        date: '2026-03-02T12:00:00.750Z',
      },
    };
    const created = await octokit.rest.git.createCommit(request);
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(created.data.url);
    const { data: commit } = created;
    expect(commit.tree.sha).toBe(base.tree.sha);
    expect(commit.parents.map((parent) => parent.sha)).toEqual([main]);
    // Git keeps whole seconds; the committer defaults to the author.
    expect(commit.author).toEqual({ ...request.author, date: '2026-03-02T12:00:00Z' });
    expect(commit.committer).toEqual(commit.author);
    // The sha is the one git computes for the same commit object (the outside reference).
    const object = `tree ${base.tree.sha}\nparent ${main}\nauthor octocat <octocat@users.noreply.github.com> 1772452800 +0000\ncommitter octocat <octocat@users.noreply.github.com> 1772452800 +0000\n\n${request.message}`;
    const git = spawnSync('git', ['hash-object', '-t', 'commit', '--stdin'], {
      input: object,
      encoding: 'utf8',
    });
    expect(git.stderr).toBe('');
    expect(commit.sha).toBe(git.stdout.trim());
    // Content-addressed: the same request answers the same commit.
    expect((await octokit.rest.git.createCommit(request)).data.sha).toBe(commit.sha);
    const { data: read } = await octokit.rest.git.getCommit({ owner, repo, commit_sha: commit.sha });
    expect(read).toEqual(commit);

    await expect(octokit.rest.git.createCommit({ ...request, tree: 'f'.repeat(40) })).rejects.toMatchObject({
      status: 422,
      message: expect.stringMatching(/Tree SHA does not exist/),
    });
    await expect(
      octokit.rest.git.createCommit({ ...request, parents: ['e'.repeat(40)] }),
    ).rejects.toMatchObject({ status: 422, message: expect.stringMatching(/Parent SHA does not exist/) });
    expect(github.violations).toEqual([]);
    await expect(
      // @ts-expect-error: deliberately without the required `tree`
      octokit.request('POST /repos/{owner}/{repo}/git/commits', { owner, repo, message: 'm' }),
    ).rejects.toMatchObject({ status: 422 });
    expect(github.violations.map((v) => v.message)).toEqual([
      expect.stringMatching(/git\/create-commit.*must have required property 'tree'/),
    ]);
  });

  it('parses the created filter syntax', () => {
    const t = Date.parse('2026-03-02T12:00:00Z');
    expect(createdFilter('>=2026-03-02T12:00:00Z')(t)).toBe(true);
    expect(createdFilter('>2026-03-02T12:00:00Z')(t)).toBe(false);
    expect(createdFilter('2026-03-01..2026-03-02')(t)).toBe(true);
    expect(createdFilter('*..2026-03-01')(t)).toBe(false);
    expect(createdFilter('2026-03-02')(t)).toBe(true);
  });
});

describe('faults and the client', () => {
  it('retries a 5xx burst and a connection reset, logging attempts without the token', async () => {
    github.faults.add({ method: 'GET', path: /\/actions\/workflows$/, status: 502, times: 2 });
    github.faults.add({ method: 'GET', path: /\/actions\/workflows$/, reset: true });
    const { data } = await (await client()).rest.actions.listRepoWorkflows({ owner, repo });
    expect(data.total_count).toBe(0);
    expect(github.requests.map((r) => r.status)).toEqual([502, 502, -1, 200]);
    expect(logger.messages('info').filter((m) => m.includes('-> 502'))).toHaveLength(2);
    expect(JSON.stringify(logger.lines)).not.toContain(TOKEN);
    expect(github.requests.every((r) => r.token === TOKEN)).toBe(true);
  });

  it('waits out a secondary rate limit for its retry-after', async () => {
    github.faults.add({ method: 'POST', path: /\/dispatches$/, status: 403, retryAfter: 3, times: 1 });
    const started = Date.now();
    await (await client()).rest.repos.createDispatchEvent({ owner, repo, event_type: 'retrain' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(14); // 3 s at the 5 ms test base
    expect(github.requests.map((r) => r.status)).toEqual([403, 204]);
    expect(logger.messages('info').some((m) => /secondary rate limit .*retrying in 3s/.test(m))).toBe(true);
    expect(github.state.repo().repositoryDispatches).toHaveLength(1);
  });

  it('gives up on a persistent 5xx after the configured retries', async () => {
    github.faults.add({ status: 503, times: Number.POSITIVE_INFINITY });
    const octokit = await client({ retries: 2 });
    const error = await callGitHub({ action: 'list workflows', permission: 'actions: read' }, () =>
      octokit.rest.actions.listRepoWorkflows({ owner, repo }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubApiError);
    expect((error as Error).message).toMatch(
      /could not list workflows: GitHub answered 503.*try again later/,
    );
    expect(github.requests).toHaveLength(3);
  });

  it('maps 401 / 403 / 404 to user errors with hints and does not retry them', async () => {
    github.state.tokens.add('the-right-token');
    const octokit = await client();
    const unauthorised = await callGitHub({ action: 'read the repository' }, () =>
      octokit.rest.repos.get({ owner, repo }),
    ).catch((e: unknown) => e);
    expect((unauthorised as Error).message).toMatch(/GitHub rejected the token \(401: Bad credentials\)/);
    github.state.tokens.clear();
    github.faults.add({ status: 403, times: 1, body: { message: 'Resource not accessible by integration' } });
    const forbidden = await callGitHub({ action: 'dispatch train.yml', permission: 'actions: write' }, () =>
      octokit.rest.actions.createWorkflowDispatch({ owner, repo, workflow_id: 'train.yml', ref: 'main' }),
    ).catch((e: unknown) => e);
    expect((forbidden as Error).message).toMatch(
      /It needs actions: write: add `permissions: \{ actions: write \}`/,
    );
    const missing = await callGitHub(
      { action: 'dispatch train.yml', permission: 'actions: write', notFound: 'no workflow train.yml' },
      () =>
        octokit.rest.actions.createWorkflowDispatch({ owner, repo, workflow_id: 'train.yml', ref: 'main' }),
    ).catch((e: unknown) => e);
    expect((missing as GitHubApiError).status).toBe(404);
    expect((missing as Error).message).toMatch(/not found \(404: Not Found\)\. no workflow train.yml\./);
    expect(github.requests.map((r) => r.status)).toEqual([401, 403, 404]);
  });

  it('slows a response down', async () => {
    github.faults.add({ path: /^\/repos\/octo-org\/octo-repo$/, delayMs: 150 });
    const started = Date.now();
    const { data } = await (await client()).rest.repos.get({ owner, repo });
    expect(data.default_branch).toBe('main');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});
