// The emulated GitHub behaviour, one handler per OpenAPI operationId. Error answers follow GitHub's
// (status, message); success bodies carry the fields clients read, not every field GitHub sends.
import { createHash } from 'node:crypto';
import {
  BOT,
  type Deployment,
  type DeploymentStatus,
  type EmulatorState,
  type GitTag,
  gitCommitSha,
  type IssueComment,
  nodeId,
  type Release,
  type ReleaseAsset,
  type Repository,
  sha1,
  type User,
  type Workflow,
  type WorkflowRun,
  wholeSeconds,
} from './state.ts';

export interface RouteContext {
  state: EmulatorState;
  params: Record<string, string | number>;
  query: Record<string, string | number | boolean>;
  body: unknown;
  /** http://127.0.0.1:port, what `url` fields point at. */
  apiUrl: string;
  /** The request URL, for Link headers. */
  url: URL;
  user: User;
  /** The request's Content-Type header (release asset uploads store it). */
  contentType?: string;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: unknown[],
  ) {
    super(message);
  }
}

type Handler = (context: RouteContext) => Reply;

const HTML = 'https://github.com';

export const handlers: Record<string, Handler> = {
  'repos/get': (c) => ok(repoJson(c, repoOf(c))),

  'git/get-ref': (c) => {
    const repo = repoOf(c);
    const name = `refs/${c.params.ref}`;
    const sha = repo.refs.get(name);
    if (sha === undefined) throw new HttpError(404, 'Not Found');
    return ok(refJson(c, repo, name, sha));
  },
  'git/list-matching-refs': (c) => {
    const repo = repoOf(c);
    const prefix = `refs/${c.params.ref}`;
    const refs = [...repo.refs.entries()]
      .filter(([name]) => name.startsWith(prefix))
      .sort(([a], [b]) => a.localeCompare(b));
    return ok(refs.map(([name, sha]) => refJson(c, repo, name, sha)));
  },
  'git/create-ref': (c) => {
    const repo = repoOf(c);
    const { ref, sha } = c.body as { ref: string; sha: string };
    if (!/^refs\/[^/]+\/.+/.test(ref)) throw new HttpError(422, `${ref} is not a valid ref name.`);
    if (repo.refs.has(ref)) throw new HttpError(422, 'Reference already exists');
    if (!repo.commits.has(sha) && !repo.tags.has(sha)) throw new HttpError(422, 'Object does not exist');
    repo.refs.set(ref, sha);
    return { status: 201, body: refJson(c, repo, ref, sha) };
  },
  'git/update-ref': (c) => {
    const repo = repoOf(c);
    const name = `refs/${c.params.ref}`;
    const { sha, force } = c.body as { sha: string; force?: boolean };
    const current = repo.refs.get(name);
    if (current === undefined) throw new HttpError(422, 'Reference does not exist');
    if (!repo.commits.has(sha) && !repo.tags.has(sha)) throw new HttpError(422, 'Object does not exist');
    if (!force && !isAncestor(repo, current, sha)) throw new HttpError(422, 'Update is not a fast forward');
    repo.refs.set(name, sha);
    return ok(refJson(c, repo, name, sha));
  },
  'git/delete-ref': (c) => {
    const repo = repoOf(c);
    const name = `refs/${c.params.ref}`;
    if (!repo.refs.delete(name)) throw new HttpError(422, 'Reference does not exist');
    return { status: 204 };
  },
  'git/create-tag': (c) => {
    const repo = repoOf(c);
    const body = c.body as {
      tag: string;
      message: string;
      object: string;
      type: GitTag['object']['type'];
      tagger?: GitTag['tagger'];
    };
    if (!repo.commits.has(body.object) && !repo.tags.has(body.object))
      throw new HttpError(422, 'Object does not exist');
    const tagger = {
      name: body.tagger?.name ?? c.user.login,
      email: body.tagger?.email ?? `${c.user.id}+${c.user.login}@users.noreply.github.com`,
      date: body.tagger?.date ?? c.state.now().toISOString(),
    };
    const sha = sha1(
      `tag ${body.object} ${body.type} ${body.tag} ${tagger.name} ${tagger.email} ${tagger.date}\n\n${body.message}`,
    );
    const tag: GitTag = {
      sha,
      node_id: nodeId('TAG_', c.state.id()),
      tag: body.tag,
      message: body.message,
      tagger,
      object: { sha: body.object, type: body.type },
    };
    repo.tags.set(sha, tag);
    return { status: 201, body: tagJson(c, repo, tag) };
  },
  'git/get-tag': (c) => {
    const repo = repoOf(c);
    const tag = repo.tags.get(String(c.params.tag_sha));
    if (!tag) throw new HttpError(404, 'Not Found');
    return ok(tagJson(c, repo, tag));
  },
  'git/create-commit': (c) => {
    const repo = repoOf(c);
    const body = c.body as {
      message: string;
      tree: string;
      parents?: string[];
      author?: { name: string; email: string; date?: string };
      committer?: { name?: string; email?: string; date?: string };
      signature?: string;
    };
    // The emulator holds no tree objects: the trees that exist are those of the commits it knows.
    if (![...repo.commits.values()].some((commit) => commit.tree === body.tree))
      throw new HttpError(422, 'Tree SHA does not exist');
    const parents = body.parents ?? [];
    for (const parent of parents) {
      if (!repo.commits.has(parent))
        throw new HttpError(422, 'Parent SHA does not exist or is not a commit object');
    }
    // GitHub's defaults: author = the authenticated user now, committer = the author.
    const now = c.state.now().toISOString();
    const author = {
      name: body.author?.name ?? c.user.login,
      email: body.author?.email ?? `${c.user.id}+${c.user.login}@users.noreply.github.com`,
      date: wholeSeconds(body.author?.date ?? now),
    };
    const committer = {
      name: body.committer?.name ?? author.name,
      email: body.committer?.email ?? author.email,
      date: wholeSeconds(body.committer?.date ?? (body.committer ? now : author.date)),
    };
    const fields = { tree: body.tree, parents, author, committer, message: body.message };
    const sha = gitCommitSha(fields);
    if (!repo.commits.has(sha)) repo.commits.set(sha, { sha, date: committer.date, ...fields });
    const json = gitCommitJson(c, repo, sha);
    return { status: 201, body: json, headers: { location: json.url } };
  },
  'git/get-commit': (c) => {
    const repo = repoOf(c);
    const commit = repo.commits.get(String(c.params.commit_sha));
    if (!commit) throw new HttpError(404, 'Not Found');
    return ok(gitCommitJson(c, repo, commit.sha));
  },
  'repos/get-commit': (c) => {
    const repo = repoOf(c);
    const sha = c.state.resolveCommit(repo, String(c.params.ref));
    if (sha === undefined) throw new HttpError(422, `No commit found for SHA: ${c.params.ref}`);
    const git = gitCommitJson(c, repo, sha);
    return ok({
      sha,
      node_id: git.node_id,
      url: `${repoUrl(c, repo)}/commits/${sha}`,
      html_url: `${HTML}/${repo.full_name}/commit/${sha}`,
      commit: { message: git.message, author: git.author, committer: git.committer, tree: git.tree },
      parents: git.parents,
    });
  },
  'repos/list-tags': (c) => {
    const repo = repoOf(c);
    const tags = [...repo.refs.entries()]
      .filter(([name]) => name.startsWith('refs/tags/'))
      .map(([name, sha]) => {
        const commit = c.state.peel(repo, sha);
        return {
          name: name.slice('refs/tags/'.length),
          commit: { sha: commit, url: `${repoUrl(c, repo)}/commits/${commit}` },
          node_id: nodeId('REF_', sha.length),
        };
      })
      .sort((a, b) => b.name.localeCompare(a.name));
    return paged(c, tags);
  },

  'issues/get': (c) => {
    const repo = repoOf(c);
    const issue = repo.issues.get(Number(c.params.issue_number));
    if (!issue) throw new HttpError(404, 'Not Found');
    return ok({
      id: issue.number + 500_000,
      number: issue.number,
      title: issue.title,
      state: issue.state,
      user: userJson(issue.user),
      created_at: issue.created_at,
      html_url: `${HTML}/${repo.full_name}/${issue.pull_request ? 'pull' : 'issues'}/${issue.number}`,
      url: `${repoUrl(c, repo)}/issues/${issue.number}`,
      ...(issue.pull_request ? { pull_request: { url: `${repoUrl(c, repo)}/pulls/${issue.number}` } } : {}),
    });
  },
  'issues/list-comments': (c) => {
    const repo = repoOf(c);
    issueOf(repo, c.params.issue_number);
    const since = typeof c.query.since === 'string' ? Date.parse(c.query.since) : undefined;
    const comments = repo.comments
      .filter((comment) => comment.issue_number === Number(c.params.issue_number))
      .filter((comment) => since === undefined || Date.parse(comment.updated_at) >= since)
      .sort((a, b) => a.id - b.id);
    return paged(
      c,
      comments.map((comment) => commentJson(c, repo, comment)),
    );
  },
  'issues/create-comment': (c) => {
    const repo = repoOf(c);
    const issue = issueOf(repo, c.params.issue_number);
    const { body } = c.body as { body: string };
    checkCommentBody(body);
    const comment = c.state.addComment(repo, issue.number, body, c.user);
    return { status: 201, body: commentJson(c, repo, comment) };
  },
  'issues/get-comment': (c) => ok(commentJson(c, repoOf(c), commentOf(repoOf(c), c.params.comment_id))),
  'issues/update-comment': (c) => {
    const repo = repoOf(c);
    const comment = commentOf(repo, c.params.comment_id);
    const { body } = c.body as { body: string };
    checkCommentBody(body);
    comment.body = body;
    comment.updated_at = c.state.now().toISOString();
    return ok(commentJson(c, repo, comment));
  },
  'issues/delete-comment': (c) => {
    const repo = repoOf(c);
    const comment = commentOf(repo, c.params.comment_id);
    repo.comments.splice(repo.comments.indexOf(comment), 1);
    return { status: 204 };
  },
  'pulls/get': (c) => {
    const repo = repoOf(c);
    const issue = repo.issues.get(Number(c.params.pull_number));
    if (!issue?.pull_request) throw new HttpError(404, 'Not Found');
    const pr = issue.pull_request;
    return ok({
      id: issue.number + 900_000,
      node_id: nodeId('PR_', issue.number),
      number: issue.number,
      state: issue.state,
      title: issue.title,
      draft: pr.draft,
      merged: false,
      user: userJson(issue.user),
      html_url: `${HTML}/${repo.full_name}/pull/${issue.number}`,
      url: `${repoUrl(c, repo)}/pulls/${issue.number}`,
      head: {
        ref: pr.head.ref,
        sha: pr.head.sha,
        label: `${repo.owner.login}:${pr.head.ref}`,
        repo: repoJson(c, repo),
      },
      base: {
        ref: pr.base.ref,
        sha: pr.base.sha,
        label: `${repo.owner.login}:${pr.base.ref}`,
        repo: repoJson(c, repo),
      },
    });
  },

  'actions/list-repo-workflows': (c) => {
    const repo = repoOf(c);
    const { items, headers } = page(c, repo.workflows);
    return {
      status: 200,
      body: { total_count: repo.workflows.length, workflows: items.map((w) => workflowJson(c, repo, w)) },
      headers,
    };
  },
  'actions/get-workflow': (c) => {
    const repo = repoOf(c);
    return ok(workflowJson(c, repo, workflowOf(repo, c.params.workflow_id)));
  },
  'actions/list-workflow-runs': (c) => {
    const repo = repoOf(c);
    const workflow = workflowOf(repo, c.params.workflow_id);
    return listRuns(
      c,
      repo,
      repo.runs.filter((run) => run.workflow_id === workflow.id),
    );
  },
  'actions/list-workflow-runs-for-repo': (c) => {
    const repo = repoOf(c);
    return listRuns(c, repo, repo.runs);
  },
  'actions/get-workflow-run': (c) => {
    const repo = repoOf(c);
    const run = repo.runs.find((candidate) => candidate.id === Number(c.params.run_id));
    if (!run) throw new HttpError(404, 'Not Found');
    return ok(runJson(c, repo, run));
  },
  'actions/create-workflow-dispatch': (c) => {
    const repo = repoOf(c);
    const workflow = workflowOf(repo, c.params.workflow_id);
    const body = c.body as { ref: string; inputs?: Record<string, unknown>; return_run_details?: boolean };
    if (!workflow.dispatchable)
      throw new HttpError(422, "Workflow does not have 'workflow_dispatch' trigger");
    if (workflow.state !== 'active')
      throw new HttpError(422, 'Cannot trigger a workflow_dispatch on a disabled workflow');
    const branch = body.ref.replace(/^refs\/(heads|tags)\//, '');
    const sha = c.state.resolveCommit(repo, body.ref);
    if (sha === undefined || repo.commits.has(body.ref))
      throw new HttpError(422, `No ref found for: ${body.ref}`);
    const inputs = body.inputs ?? {};
    if (JSON.stringify(inputs).length > 65_535) throw new HttpError(422, 'inputs are too large');
    for (const [name, value] of Object.entries(inputs)) {
      if (value !== null && typeof value === 'object')
        throw new HttpError(422, `Input '${name}' must be a string, number or boolean`);
    }
    if (workflow.inputs) {
      const unexpected = Object.keys(inputs).filter((name) => !(name in workflow.inputs!));
      if (unexpected.length > 0)
        throw new HttpError(422, `Unexpected inputs provided: ${JSON.stringify(unexpected)}`);
      for (const [name, declared] of Object.entries(workflow.inputs)) {
        if (declared.required && declared.default === undefined && !(name in inputs))
          throw new HttpError(422, `Required input '${name}' not provided`);
      }
    }
    const values: Record<string, unknown> = {};
    for (const [name, declared] of Object.entries(workflow.inputs ?? {}))
      if (declared.default !== undefined) values[name] = declared.default;
    Object.assign(values, inputs);
    const run = c.state.addRun(repo, workflow, {
      event: 'workflow_dispatch',
      status: 'queued',
      conclusion: null,
      head_branch: branch,
      head_sha: sha,
      actor: c.user,
      triggering_actor: c.user,
      display_title: workflow.runName
        ? evaluateRunName(workflow.runName, { inputs: values, github: { event: { inputs: values } } }) ||
          workflow.name
        : workflow.name,
      inputs: values,
    });
    if (body.return_run_details === true && c.state.returnRunDetails) {
      return ok({
        workflow_run_id: run.id,
        run_url: `${repoUrl(c, repo)}/actions/runs/${run.id}`,
        html_url: `${HTML}/${repo.full_name}/actions/runs/${run.id}`,
      });
    }
    return { status: 204 };
  },
  'repos/create-dispatch-event': (c) => {
    const repo = repoOf(c);
    const body = c.body as { event_type: string; client_payload?: Record<string, unknown> };
    if (body.client_payload !== undefined && JSON.stringify(body.client_payload).length >= 65_536)
      throw new HttpError(422, 'client_payload is too large');
    repo.repositoryDispatches.push({
      event_type: body.event_type,
      ...(body.client_payload ? { client_payload: body.client_payload } : {}),
      created_at: c.state.now().toISOString(),
      actor: c.user,
    });
    for (const workflow of repo.workflows) {
      if (workflow.state !== 'active' || !workflow.repositoryDispatchTypes) continue;
      if (
        workflow.repositoryDispatchTypes.length > 0 &&
        !workflow.repositoryDispatchTypes.includes(body.event_type)
      )
        continue;
      const event = { action: body.event_type, client_payload: body.client_payload ?? {} };
      c.state.addRun(repo, workflow, {
        event: 'repository_dispatch',
        status: 'queued',
        conclusion: null,
        actor: c.user,
        triggering_actor: c.user,
        display_title: workflow.runName
          ? evaluateRunName(workflow.runName, { github: { event } }) || workflow.name
          : workflow.name,
        ...(body.client_payload ? { client_payload: body.client_payload } : {}),
      });
    }
    return { status: 204 };
  },

  'repos/list-deployments': (c) => {
    const repo = repoOf(c);
    const list = repo.deployments
      .filter((d) => c.query.environment === undefined || d.environment === c.query.environment)
      .filter((d) => c.query.ref === undefined || d.ref === c.query.ref)
      .filter((d) => c.query.sha === undefined || d.sha === c.query.sha)
      .filter((d) => c.query.task === undefined || d.task === c.query.task)
      .sort((a, b) => b.id - a.id);
    return paged(
      c,
      list.map((d) => deploymentJson(c, repo, d)),
    );
  },
  'repos/create-deployment': (c) => {
    const repo = repoOf(c);
    const body = c.body as {
      ref: string;
      task?: string;
      auto_merge?: boolean;
      required_contexts?: string[];
      payload?: Record<string, unknown> | string;
      environment?: string;
      description?: string | null;
      transient_environment?: boolean;
      production_environment?: boolean;
    };
    const sha = c.state.resolveCommit(repo, body.ref);
    if (sha === undefined) throw new HttpError(422, `No ref found for: ${body.ref}`);
    const environment = body.environment ?? 'production';
    const now = c.state.now().toISOString();
    const deployment: Deployment = {
      id: c.state.id(),
      node_id: '',
      sha,
      ref: body.ref,
      task: body.task ?? 'deploy',
      payload: body.payload ?? {},
      environment,
      original_environment: environment,
      description: body.description ?? '',
      creator: c.user,
      created_at: now,
      updated_at: now,
      transient_environment: body.transient_environment ?? false,
      production_environment: body.production_environment ?? environment === 'production',
      auto_merge: body.auto_merge ?? true,
      ...(body.required_contexts ? { required_contexts: body.required_contexts } : {}),
      statuses: [],
    };
    deployment.node_id = nodeId('DE_', deployment.id);
    repo.deployments.push(deployment);
    return { status: 201, body: deploymentJson(c, repo, deployment) };
  },
  'repos/get-deployment': (c) => {
    const repo = repoOf(c);
    return ok(deploymentJson(c, repo, deploymentOf(repo, c.params.deployment_id)));
  },
  'repos/list-deployment-statuses': (c) => {
    const repo = repoOf(c);
    const deployment = deploymentOf(repo, c.params.deployment_id);
    return paged(
      c,
      [...deployment.statuses].sort((a, b) => b.id - a.id).map((s) => statusJson(c, repo, deployment, s)),
    );
  },
  'repos/create-deployment-status': (c) => {
    const repo = repoOf(c);
    const deployment = deploymentOf(repo, c.params.deployment_id);
    const body = c.body as {
      state: DeploymentStatus['state'];
      description?: string;
      log_url?: string;
      environment_url?: string;
      environment?: string;
      auto_inactive?: boolean;
    };
    const now = c.state.now().toISOString();
    const status: DeploymentStatus = {
      id: c.state.id(),
      node_id: '',
      state: body.state,
      description: body.description ?? '',
      environment: body.environment ?? deployment.environment,
      environment_url: body.environment_url ?? '',
      log_url: body.log_url ?? '',
      creator: c.user,
      created_at: now,
      updated_at: now,
    };
    status.node_id = nodeId('DES_', status.id);
    deployment.statuses.push(status);
    deployment.updated_at = now;
    // GitHub marks earlier non-transient deployments of the environment inactive on a new success.
    if (body.state === 'success' && body.auto_inactive !== false) {
      for (const other of repo.deployments) {
        if (
          other === deployment ||
          other.environment !== deployment.environment ||
          other.transient_environment
        )
          continue;
        if (other.statuses.at(-1)?.state !== 'success') continue;
        other.statuses.push({
          ...status,
          id: c.state.id(),
          state: 'inactive',
          description: `superseded by deployment ${deployment.id}`,
        });
      }
    }
    return { status: 201, body: statusJson(c, repo, deployment, status) };
  },
};

Object.assign(handlers, {
  'repos/create-release': (c) => {
    const repo = repoOf(c);
    const body = c.body as {
      tag_name: string;
      target_commitish?: string;
      name?: string;
      body?: string;
      draft?: boolean;
      prerelease?: boolean;
    };
    if (repo.releases.some((release) => release.tag_name === body.tag_name))
      throw new HttpError(422, 'Validation Failed', [
        { resource: 'Release', code: 'already_exists', field: 'tag_name' },
      ]);
    const draft = body.draft ?? false;
    const target = body.target_commitish ?? repo.default_branch;
    const tagRef = `refs/tags/${body.tag_name}`;
    // Publishing a release for a tag that does not exist creates it (lightweight) at target_commitish; a tag
    // that exists is used as it is and target_commitish is ignored, as on GitHub.
    if (!repo.refs.has(tagRef)) {
      const sha = c.state.resolveCommit(repo, target);
      if (sha === undefined)
        throw new HttpError(422, 'Validation Failed', [
          { resource: 'Release', code: 'invalid', field: 'target_commitish' },
        ]);
      if (!draft) repo.refs.set(tagRef, sha);
    }
    const now = c.state.now().toISOString();
    const id = c.state.id();
    const release: Release = {
      id,
      node_id: nodeId('RE_', id),
      tag_name: body.tag_name,
      target_commitish: target,
      name: body.name ?? null,
      body: body.body ?? null,
      draft,
      prerelease: body.prerelease ?? false,
      author: c.user,
      created_at: now,
      published_at: draft ? null : now,
      assets: [],
    };
    repo.releases.push(release);
    const json = releaseJson(c, repo, release);
    return { status: 201, body: json, headers: { location: json.url } };
  },
  'repos/get-release-by-tag': (c) => {
    const repo = repoOf(c);
    // Drafts are not found by tag (they have no tag yet).
    const release = repo.releases.find((r) => r.tag_name === String(c.params.tag) && !r.draft);
    if (!release) throw new HttpError(404, 'Not Found');
    return ok(releaseJson(c, repo, release));
  },
  'repos/list-release-assets': (c) => {
    const repo = repoOf(c);
    const release = releaseOf(repo, c.params.release_id);
    return paged(
      c,
      release.assets.map((asset) => assetJson(c, repo, release, asset)),
    );
  },
  'repos/upload-release-asset': (c) => {
    const repo = repoOf(c);
    const release = releaseOf(repo, c.params.release_id);
    const data = Buffer.isBuffer(c.body) ? c.body : Buffer.alloc(0);
    if (data.length === 0) throw new HttpError(422, 'Bad Content-Length: 0');
    const name = githubAssetName(String(c.query.name));
    if (release.assets.some((asset) => asset.name === name))
      throw new HttpError(422, 'Validation Failed', [
        { resource: 'ReleaseAsset', code: 'already_exists', field: 'name' },
      ]);
    const now = c.state.now().toISOString();
    const id = c.state.id();
    const asset: ReleaseAsset = {
      id,
      node_id: nodeId('RA_', id),
      name,
      label: c.query.label === undefined ? null : String(c.query.label),
      content_type: c.contentType ?? 'application/octet-stream',
      state: 'uploaded',
      size: data.length,
      data,
      uploader: c.user,
      created_at: now,
      updated_at: now,
    };
    release.assets.push(asset);
    return { status: 201, body: assetJson(c, repo, release, asset) };
  },
} satisfies Record<string, Handler>);

/**
 * GitHub "renames asset filenames that have special characters, non-alphanumeric characters, and leading or
 * trailing periods": each character outside letters, digits, '.', '-', '_', '+' becomes '.', and edge periods go.
 */
export function githubAssetName(name: string): string {
  return name.replace(/[^A-Za-z0-9._+-]/g, '.').replace(/^\.+|\.+$/g, '') || 'default';
}

/**
 * GraphQL: the `viewer` query (who the token acts as; a bot's GraphQL login has no `[bot]` suffix, its
 * databaseId is the REST user id) and the minimizeComment mutation (pr-comment's hide-older), as GitHub answers.
 */
export function graphql(state: EmulatorState, body: unknown, user: User): { reply: Reply; problem?: string } {
  const { query, variables } = (body ?? {}) as { query?: unknown; variables?: Record<string, unknown> };
  if (typeof query !== 'string')
    return {
      reply: { status: 400, body: { message: 'Problems parsing JSON' } },
      problem: 'GraphQL body needs a string `query`',
    };
  if (/^\s*(query\s*)?\{\s*viewer\s*\{[\s\w]*\}\s*\}\s*$/.test(query)) {
    const login = user.type === 'Bot' ? user.login.replace(/\[bot\]$/, '') : user.login;
    return { reply: { status: 200, body: { data: { viewer: { login, databaseId: user.id } } } } };
  }
  if (!/\bminimizeComment\b/.test(query)) {
    return {
      reply: {
        status: 200,
        body: { errors: [{ message: 'the emulator serves only viewer and the minimizeComment mutation' }] },
      },
      problem: `unsupported GraphQL operation: ${query.slice(0, 80)}`,
    };
  }
  const fromQuery = (key: string) => new RegExp(`${key}\\s*:\\s*"?([A-Za-z0-9_=-]+)"?`).exec(query)?.[1];
  const variable = (key: string) => {
    const match = new RegExp(`${key}\\s*:\\s*\\$(\\w+)`).exec(query);
    return match ? variables?.[match[1]!] : undefined;
  };
  const subjectId = (variable('subjectId') ?? fromQuery('subjectId')) as string | undefined;
  const classifier = (variable('classifier') ?? fromQuery('classifier')) as string | undefined;
  const classifiers = ['SPAM', 'ABUSE', 'OFF_TOPIC', 'OUTDATED', 'DUPLICATE', 'RESOLVED'];
  if (typeof classifier !== 'string' || !classifiers.includes(classifier)) {
    return {
      reply: {
        status: 200,
        body: {
          errors: [{ type: 'INVALID', message: `classifier must be one of ${classifiers.join(', ')}` }],
        },
      },
      problem: `minimizeComment with classifier ${String(classifier)}`,
    };
  }
  for (const repo of state.repos.values()) {
    const comment = repo.comments.find((candidate) => candidate.node_id === subjectId);
    if (comment) {
      comment.minimized = { reason: classifier };
      return {
        reply: {
          status: 200,
          body: {
            data: {
              minimizeComment: {
                minimizedComment: { isMinimized: true, minimizedReason: classifier.toLowerCase() },
              },
            },
          },
        },
      };
    }
  }
  return {
    reply: {
      status: 200,
      body: {
        data: { minimizeComment: null },
        errors: [
          {
            type: 'NOT_FOUND',
            path: ['minimizeComment'],
            message: `Could not resolve to a node with the global id of '${subjectId}'`,
          },
        ],
      },
    },
  };
}

function ok(body: unknown): Reply {
  return { status: 200, body };
}

function repoOf(c: RouteContext): Repository {
  const repo = c.state.findRepo(String(c.params.owner), String(c.params.repo));
  if (!repo) throw new HttpError(404, 'Not Found');
  return repo;
}

function issueOf(repo: Repository, number: string | number | undefined) {
  const issue = repo.issues.get(Number(number));
  if (!issue) throw new HttpError(404, 'Not Found');
  return issue;
}

function commentOf(repo: Repository, id: string | number | undefined): IssueComment {
  const comment = repo.comments.find((candidate) => candidate.id === Number(id));
  if (!comment) throw new HttpError(404, 'Not Found');
  return comment;
}

function releaseOf(repo: Repository, id: string | number | undefined): Release {
  const release = repo.releases.find((candidate) => candidate.id === Number(id));
  if (!release) throw new HttpError(404, 'Not Found');
  return release;
}

function deploymentOf(repo: Repository, id: string | number | undefined): Deployment {
  const deployment = repo.deployments.find((candidate) => candidate.id === Number(id));
  if (!deployment) throw new HttpError(404, 'Not Found');
  return deployment;
}

/** `workflow_id` is the numeric id or the file name (train.yml), as GitHub accepts both. */
function workflowOf(repo: Repository, id: string | number | undefined): Workflow {
  const workflow = repo.workflows.find((candidate) =>
    typeof id === 'number'
      ? candidate.id === id
      : candidate.path.split('/').pop() === id || candidate.path === id,
  );
  if (!workflow) throw new HttpError(404, 'Not Found');
  return workflow;
}

function checkCommentBody(body: string): void {
  if (body.length > 65_536)
    throw new HttpError(422, 'Validation Failed', [
      {
        resource: 'IssueComment',
        code: 'unprocessable',
        field: 'data',
        message: 'Body is too long (maximum is 65536 characters)',
      },
    ]);
  if (body.trim() === '')
    throw new HttpError(422, 'Validation Failed', [
      { resource: 'IssueComment', code: 'missing_field', field: 'body' },
    ]);
}

function isAncestor(repo: Repository, ancestor: string, descendant: string): boolean {
  const queue = [descendant];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const sha = queue.shift()!;
    if (sha === ancestor) return true;
    if (seen.has(sha)) continue;
    seen.add(sha);
    queue.push(...(repo.commits.get(sha)?.parents ?? []));
  }
  return false;
}

const RUN_STATUSES = new Set(['completed', 'in_progress', 'queued', 'requested', 'waiting', 'pending']);

function listRuns(c: RouteContext, repo: Repository, runs: WorkflowRun[]): Reply {
  const { status, event, branch, actor, head_sha, created } = c.query;
  const inRange = created === undefined ? () => true : createdFilter(String(created));
  const filtered = runs
    .filter((run) => event === undefined || run.event === event)
    .filter((run) => branch === undefined || run.head_branch === branch)
    .filter((run) => actor === undefined || run.actor.login === actor)
    .filter((run) => head_sha === undefined || run.head_sha === head_sha)
    .filter(
      (run) =>
        status === undefined ||
        (RUN_STATUSES.has(String(status)) ? run.status === status : run.conclusion === status),
    )
    .filter((run) => inRange(Date.parse(run.created_at)))
    .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at) || b.id - a.id);
  const { items, headers } = page(c, filtered);
  return {
    status: 200,
    body: { total_count: filtered.length, workflow_runs: items.map((run) => runJson(c, repo, run)) },
    headers,
  };
}

/** GitHub's search syntax for `created`: >=X, >X, <=X, <X, X..Y (either side may be *), or a date. */
export function createdFilter(expression: string): (time: number) => boolean {
  const parse = (text: string, end: boolean) => {
    if (text === '*') return end ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    const time = Date.parse(text);
    if (Number.isNaN(time)) throw new HttpError(422, `Invalid created filter: ${expression}`);
    // A bare date covers the whole day.
    return end && /^\d{4}-\d\d-\d\d$/.test(text) ? time + 86_400_000 - 1 : time;
  };
  const comparison = /^(>=|<=|>|<)(.+)$/.exec(expression);
  if (comparison) {
    const [, op, value] = comparison;
    const bound = parse(value!, op === '<=' || op === '>');
    if (op === '>=') return (t) => t >= bound;
    if (op === '>') return (t) => t > bound;
    if (op === '<=') return (t) => t <= bound;
    return (t) => t < bound;
  }
  const range = /^(.+)\.\.(.+)$/.exec(expression);
  if (range) {
    const from = parse(range[1]!, false);
    const to = parse(range[2]!, true);
    return (t) => t >= from && t <= to;
  }
  const from = parse(expression, false);
  const to = parse(expression, true);
  return (t) => t >= from && t <= to;
}

function page<T>(c: RouteContext, all: T[]): { items: T[]; headers: Record<string, string> } {
  const perPage = Math.min(Math.max(Number(c.query.per_page ?? 30), 1), 100);
  const current = Math.max(Number(c.query.page ?? 1), 1);
  const last = Math.max(Math.ceil(all.length / perPage), 1);
  const link = (target: number, rel: string) => {
    const url = new URL(c.url.pathname + c.url.search, c.apiUrl);
    url.searchParams.set('per_page', String(perPage));
    url.searchParams.set('page', String(target));
    return `<${url.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (current > 1) links.push(link(current - 1, 'prev'));
  if (current < last) links.push(link(current + 1, 'next'), link(last, 'last'));
  if (current > 1) links.push(link(1, 'first'));
  return {
    items: all.slice((current - 1) * perPage, current * perPage),
    headers: links.length > 0 ? { link: links.join(', ') } : {},
  };
}

function paged(c: RouteContext, all: unknown[]): Reply {
  const { items, headers } = page(c, all);
  return { status: 200, body: items, headers };
}

/**
 * `run-name` evaluation for the expressions workflows put there: `${{ a.b.c }}` paths and `x || 'fallback'`
 * chains of paths and quoted literals (first non-empty wins). Missing values read as ''.
 */
export function evaluateRunName(template: string, context: Record<string, unknown>): string {
  const term = (text: string): string => {
    const trimmed = text.trim();
    const literal = /^'((?:[^']|'')*)'$/.exec(trimmed);
    if (literal) return literal[1]!.replace(/''/g, "'");
    let value: unknown = context;
    for (const key of trimmed.split('.')) {
      value =
        typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
    }
    return value === undefined || value === null || value === false ? '' : String(value);
  };
  return template
    .replace(/\$\{\{(.*?)\}\}/g, (_, expression: string) => {
      for (const alternative of expression.split('||')) {
        const value = term(alternative);
        if (value !== '') return value;
      }
      return '';
    })
    .trim();
}

const repoUrl = (c: RouteContext, repo: Repository) => `${c.apiUrl}/repos/${repo.full_name}`;

function userJson(user: User) {
  return {
    login: user.login,
    id: user.id,
    type: user.type,
    node_id: nodeId('U_', user.id),
    html_url: `${HTML}/${user.login}`,
  };
}

function repoJson(c: RouteContext, repo: Repository) {
  return {
    id: repo.id,
    node_id: repo.node_id,
    name: repo.name,
    full_name: repo.full_name,
    owner: userJson(repo.owner),
    private: repo.private,
    default_branch: repo.default_branch,
    html_url: `${HTML}/${repo.full_name}`,
    url: repoUrl(c, repo),
  };
}

function refJson(c: RouteContext, repo: Repository, name: string, sha: string) {
  const type = repo.tags.has(sha) ? 'tag' : 'commit';
  return {
    ref: name,
    node_id: nodeId('REF_', name.length),
    url: `${repoUrl(c, repo)}/git/${name}`,
    object: { sha, type, url: `${repoUrl(c, repo)}/git/${type}s/${sha}` },
  };
}

function tagJson(c: RouteContext, repo: Repository, tag: GitTag) {
  return {
    node_id: tag.node_id,
    tag: tag.tag,
    sha: tag.sha,
    url: `${repoUrl(c, repo)}/git/tags/${tag.sha}`,
    message: tag.message,
    tagger: tag.tagger,
    object: { ...tag.object, url: `${repoUrl(c, repo)}/git/${tag.object.type}s/${tag.object.sha}` },
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  };
}

function gitCommitJson(c: RouteContext, repo: Repository, sha: string) {
  const commit = repo.commits.get(sha)!;
  return {
    sha,
    node_id: nodeId('C_', sha.length),
    url: `${repoUrl(c, repo)}/git/commits/${sha}`,
    html_url: `${HTML}/${repo.full_name}/commit/${sha}`,
    message: commit.message,
    author: commit.author,
    committer: commit.committer,
    tree: { sha: commit.tree, url: `${repoUrl(c, repo)}/git/trees/${commit.tree}` },
    parents: commit.parents.map((parent) => ({
      sha: parent,
      url: `${repoUrl(c, repo)}/git/commits/${parent}`,
      html_url: `${HTML}/${repo.full_name}/commit/${parent}`,
    })),
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  };
}

function commentJson(c: RouteContext, repo: Repository, comment: IssueComment) {
  return {
    id: comment.id,
    node_id: comment.node_id,
    url: `${repoUrl(c, repo)}/issues/comments/${comment.id}`,
    html_url: `${HTML}/${repo.full_name}/issues/${comment.issue_number}#issuecomment-${comment.id}`,
    issue_url: `${repoUrl(c, repo)}/issues/${comment.issue_number}`,
    body: comment.body,
    user: userJson(comment.user),
    created_at: comment.created_at,
    updated_at: comment.updated_at,
    author_association: comment.user.type === 'Bot' ? 'NONE' : 'OWNER',
  };
}

function workflowJson(c: RouteContext, repo: Repository, workflow: Workflow) {
  return {
    id: workflow.id,
    node_id: workflow.node_id,
    name: workflow.name,
    path: workflow.path,
    state: workflow.state,
    created_at: workflow.created_at,
    updated_at: workflow.created_at,
    url: `${repoUrl(c, repo)}/actions/workflows/${workflow.id}`,
    html_url: `${HTML}/${repo.full_name}/blob/${repo.default_branch}/${workflow.path}`,
    badge_url: `${HTML}/${repo.full_name}/workflows/${encodeURIComponent(workflow.name)}/badge.svg`,
  };
}

function runJson(c: RouteContext, repo: Repository, run: WorkflowRun) {
  const workflow = repo.workflows.find((w) => w.id === run.workflow_id);
  const { inputs: _inputs, client_payload: _payload, ...fields } = run;
  return {
    ...fields,
    node_id: nodeId('WFR_', run.id),
    path: workflow?.path ?? '',
    actor: userJson(run.actor),
    triggering_actor: userJson(run.triggering_actor),
    url: `${repoUrl(c, repo)}/actions/runs/${run.id}`,
    html_url: `${HTML}/${repo.full_name}/actions/runs/${run.id}`,
    workflow_url: `${repoUrl(c, repo)}/actions/workflows/${run.workflow_id}`,
    pull_requests: [],
    repository: { id: repo.id, full_name: repo.full_name },
  };
}

function deploymentJson(c: RouteContext, repo: Repository, d: Deployment) {
  const { statuses: _statuses, auto_merge: _autoMerge, required_contexts: _contexts, ...fields } = d;
  return {
    ...fields,
    creator: userJson(d.creator),
    url: `${repoUrl(c, repo)}/deployments/${d.id}`,
    statuses_url: `${repoUrl(c, repo)}/deployments/${d.id}/statuses`,
    repository_url: repoUrl(c, repo),
  };
}

function releaseJson(c: RouteContext, repo: Repository, release: Release) {
  const url = `${repoUrl(c, repo)}/releases/${release.id}`;
  return {
    url,
    html_url: `${HTML}/${repo.full_name}/releases/tag/${release.tag_name}`,
    assets_url: `${url}/assets`,
    // uploads.github.com on github.com; the emulator takes uploads on its own base URL.
    upload_url: `${url}/assets{?name,label}`,
    tarball_url: `${repoUrl(c, repo)}/tarball/${release.tag_name}`,
    zipball_url: `${repoUrl(c, repo)}/zipball/${release.tag_name}`,
    id: release.id,
    node_id: release.node_id,
    tag_name: release.tag_name,
    target_commitish: release.target_commitish,
    name: release.name,
    body: release.body,
    draft: release.draft,
    prerelease: release.prerelease,
    created_at: release.created_at,
    published_at: release.published_at,
    author: userJson(release.author),
    assets: release.assets.map((asset) => assetJson(c, repo, release, asset)),
  };
}

function assetJson(c: RouteContext, repo: Repository, release: Release, asset: ReleaseAsset) {
  return {
    url: `${repoUrl(c, repo)}/releases/assets/${asset.id}`,
    browser_download_url: `${HTML}/${repo.full_name}/releases/download/${release.tag_name}/${asset.name}`,
    id: asset.id,
    node_id: asset.node_id,
    name: asset.name,
    label: asset.label,
    state: asset.state,
    content_type: asset.content_type,
    size: asset.size,
    digest: `sha256:${createHash('sha256').update(asset.data).digest('hex')}`,
    download_count: 0,
    created_at: asset.created_at,
    updated_at: asset.updated_at,
    uploader: userJson(asset.uploader),
  };
}

function statusJson(c: RouteContext, repo: Repository, d: Deployment, s: DeploymentStatus) {
  return {
    ...s,
    creator: userJson(s.creator),
    url: `${repoUrl(c, repo)}/deployments/${d.id}/statuses/${s.id}`,
    deployment_url: `${repoUrl(c, repo)}/deployments/${d.id}`,
    repository_url: repoUrl(c, repo),
    target_url: s.log_url,
  };
}

export { BOT };
