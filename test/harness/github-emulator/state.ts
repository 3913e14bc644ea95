// The emulator's in-memory GitHub: plain objects tests may seed, read and mutate directly.
import { createHash } from 'node:crypto';

export interface User {
  login: string;
  id: number;
  type: 'User' | 'Bot';
}

export interface GitPerson {
  name: string;
  email: string;
  /** ISO 8601 in whole seconds, as GitHub answers (git stores seconds). */
  date: string;
}

export interface Commit {
  sha: string;
  message: string;
  parents: string[];
  date: string;
  /**
   * The sha of its tree. The emulator stores history, not content: a seeded commit gets a tree of its own, a
   * commit made through git/create-commit the tree it was given (which must be some known commit's tree).
   */
  tree: string;
  author: GitPerson;
  committer: GitPerson;
}

export interface GitTag {
  sha: string;
  node_id: string;
  tag: string;
  message: string;
  tagger: { name: string; email: string; date: string };
  object: { sha: string; type: 'commit' | 'tree' | 'blob' };
}

export interface IssueComment {
  id: number;
  node_id: string;
  issue_number: number;
  body: string;
  user: User;
  created_at: string;
  updated_at: string;
  /** Set by the GraphQL minimizeComment mutation (hide-older). */
  minimized?: { reason: string };
}

export interface Issue {
  number: number;
  title: string;
  state: 'open' | 'closed';
  user: User;
  created_at: string;
  /** Present when the issue is a pull request. */
  pull_request?: { head: { ref: string; sha: string }; base: { ref: string; sha: string }; draft: boolean };
}

export interface Workflow {
  id: number;
  node_id: string;
  name: string;
  /** e.g. .github/workflows/train.yml; `workflow_id` may be its file name. */
  path: string;
  state: 'active' | 'disabled_manually';
  created_at: string;
  /** Declares `on: workflow_dispatch`. Default true. */
  dispatchable: boolean;
  /**
   * The workflow_dispatch inputs it declares: GitHub answers 422 to undeclared ones. Undefined accepts any
   * (a workflow the test does not care to describe).
   */
  inputs?: Record<string, { required?: boolean; default?: string }>;
  /** repository_dispatch types it listens to (`on: repository_dispatch: types`); undefined: none. */
  repositoryDispatchTypes?: string[];
  /**
   * The `run-name:` of the workflow, with `${{ inputs.x }}` / `${{ github.event.client_payload.a.b }}`
   * expressions substituted per run; the run's display_title. Without it GitHub uses the workflow's name.
   */
  runName?: string;
}

export type RunStatus = 'queued' | 'in_progress' | 'completed' | 'requested' | 'waiting' | 'pending';

export interface WorkflowRun {
  id: number;
  workflow_id: number;
  name: string;
  display_title: string;
  event: string;
  status: RunStatus;
  conclusion: string | null;
  head_branch: string;
  head_sha: string;
  run_number: number;
  run_attempt: number;
  created_at: string;
  updated_at: string;
  run_started_at: string;
  actor: User;
  triggering_actor: User;
  /** Not exposed by the REST API (GitHub does not either); tests read what was dispatched here. */
  inputs?: Record<string, unknown>;
  client_payload?: Record<string, unknown>;
}

export interface RepositoryDispatch {
  event_type: string;
  client_payload?: Record<string, unknown>;
  created_at: string;
  actor: User;
}

export interface Deployment {
  id: number;
  node_id: string;
  sha: string;
  ref: string;
  task: string;
  payload: Record<string, unknown> | string;
  environment: string;
  original_environment: string;
  description: string | null;
  creator: User;
  created_at: string;
  updated_at: string;
  transient_environment: boolean;
  production_environment: boolean;
  /** The request's auto_merge / required_contexts, kept so tests can assert the client set them. */
  auto_merge: boolean;
  required_contexts?: string[];
  statuses: DeploymentStatus[];
}

export interface DeploymentStatus {
  id: number;
  node_id: string;
  state: 'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success';
  description: string;
  environment: string;
  environment_url: string;
  log_url: string;
  creator: User;
  created_at: string;
  updated_at: string;
}

export interface ReleaseAsset {
  id: number;
  node_id: string;
  /** The name GitHub stored (special characters renamed to '.'), not necessarily the one asked for. */
  name: string;
  label: string | null;
  content_type: string;
  /** 'uploaded', or 'starter' for an upload that never completed (GitHub keeps those until deleted). */
  state: 'uploaded' | 'open';
  size: number;
  /** The bytes received; tests hash them. */
  data: Buffer;
  uploader: User;
  created_at: string;
  updated_at: string;
}

export interface Release {
  id: number;
  node_id: string;
  tag_name: string;
  target_commitish: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  author: User;
  created_at: string;
  published_at: string | null;
  assets: ReleaseAsset[];
}

export interface Repository {
  id: number;
  node_id: string;
  owner: User;
  name: string;
  full_name: string;
  private: boolean;
  default_branch: string;
  /** Full ref name (refs/heads/main, refs/tags/v1) -> sha of a commit or of an annotated tag object. */
  refs: Map<string, string>;
  commits: Map<string, Commit>;
  tags: Map<string, GitTag>;
  issues: Map<number, Issue>;
  comments: IssueComment[];
  workflows: Workflow[];
  runs: WorkflowRun[];
  repositoryDispatches: RepositoryDispatch[];
  deployments: Deployment[];
  releases: Release[];
}

export const BOT: User = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };

/** Everything the emulated GitHub holds. Seed it through the add* helpers, read or mutate the objects freely. */
export class EmulatorState {
  readonly repos = new Map<string, Repository>();
  /** When non-empty, only these tokens authenticate (others get 401 Bad credentials). */
  readonly tokens = new Set<string>();
  /** The user a token acts as; unknown tokens act as github-actions[bot], as GITHUB_TOKEN does. */
  readonly tokenUsers = new Map<string, User>();
  /** false emulates a GitHub (or GHES) without `return_run_details`: dispatch answers 204 regardless. */
  returnRunDetails = true;
  /** The clock runs and comments are stamped with; tests may pin it. */
  now: () => Date = () => new Date();
  private nextId = 1000;

  constructor() {
    this.addRepo({ owner: 'octo-org', name: 'octo-repo' });
  }

  id(): number {
    return this.nextId++;
  }

  /** The repository `owner/name` or throws (a test seeding a repository it never added). */
  repo(fullName = 'octo-org/octo-repo'): Repository {
    const repo = this.repos.get(fullName.toLowerCase());
    if (!repo) throw new Error(`emulator: no repository ${fullName}`);
    return repo;
  }

  findRepo(owner: string, name: string): Repository | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  addRepo(options: { owner: string; name: string; defaultBranch?: string; private?: boolean }): Repository {
    const id = this.id();
    const repo: Repository = {
      id,
      node_id: nodeId('R', id),
      owner: { login: options.owner, id: this.id(), type: 'User' },
      name: options.name,
      full_name: `${options.owner}/${options.name}`,
      private: options.private ?? false,
      default_branch: options.defaultBranch ?? 'main',
      refs: new Map(),
      commits: new Map(),
      tags: new Map(),
      issues: new Map(),
      comments: [],
      workflows: [],
      runs: [],
      repositoryDispatches: [],
      deployments: [],
      releases: [],
    };
    this.repos.set(repo.full_name.toLowerCase(), repo);
    const initial = this.addCommit(repo, { message: 'Initial commit' });
    repo.refs.set(`refs/heads/${repo.default_branch}`, initial);
    return repo;
  }

  /**
   * A commit object (no trees: the emulator stores history, not content); returns its sha, made up unless
   * `sha` names a commit that exists elsewhere (a real git repository's, see mirrorRef).
   */
  addCommit(
    repo: Repository,
    options: { message?: string; parents?: string[]; branch?: string; sha?: string } = {},
  ): string {
    const date = this.now().toISOString();
    const parents =
      options.parents ??
      (options.branch ? [repo.refs.get(`refs/heads/${options.branch}`)!].filter(Boolean) : []);
    const message = options.message ?? 'commit';
    const sha =
      options.sha ??
      sha1(`commit ${repo.full_name} ${message} ${parents.join(',')} ${date} ${this.nextId++}`);
    const person = { name: 'octocat', email: 'octocat@github.com', date: wholeSeconds(date) };
    repo.commits.set(sha, {
      sha,
      message,
      parents,
      date,
      tree: sha1(`tree ${sha}`),
      author: person,
      committer: person,
    });
    if (options.branch) repo.refs.set(`refs/heads/${options.branch}`, sha);
    return sha;
  }

  /**
   * A ref pushed to a real git repository standing in for this one (test/harness/workflow-run.ts): GitHub
   * knows what was pushed, so deployments and dispatches to that ref resolve. `sha` is the commit it names.
   */
  mirrorRef(repo: Repository, ref: string, sha: string): void {
    if (!repo.commits.has(sha)) this.addCommit(repo, { sha, message: 'pushed commit', parents: [] });
    repo.refs.set(ref, sha);
  }

  addWorkflow(
    repo: Repository,
    options: Partial<Omit<Workflow, 'id' | 'node_id'>> & { path: string },
  ): Workflow {
    const id = this.id();
    const file = options.path.split('/').pop()!;
    const workflow: Workflow = {
      id,
      node_id: nodeId('W', id),
      name: options.name ?? file.replace(/\.ya?ml$/, ''),
      state: 'active',
      created_at: this.now().toISOString(),
      dispatchable: true,
      ...options,
      path: options.path.includes('/') ? options.path : `.github/workflows/${options.path}`,
    };
    repo.workflows.push(workflow);
    return workflow;
  }

  addRun(repo: Repository, workflow: Workflow, options: Partial<WorkflowRun> = {}): WorkflowRun {
    const id = this.id();
    const created = options.created_at ?? this.now().toISOString();
    const previous = repo.runs.filter((run) => run.workflow_id === workflow.id).length;
    const run: WorkflowRun = {
      id,
      workflow_id: workflow.id,
      name: workflow.name,
      display_title: workflow.name,
      event: 'push',
      status: 'completed',
      conclusion: 'success',
      head_branch: repo.default_branch,
      head_sha: repo.refs.get(`refs/heads/${repo.default_branch}`) ?? '',
      run_number: previous + 1,
      run_attempt: 1,
      created_at: created,
      updated_at: created,
      run_started_at: created,
      actor: BOT,
      triggering_actor: BOT,
      ...options,
    };
    if (options.status !== undefined && options.status !== 'completed' && options.conclusion === undefined) {
      run.conclusion = null;
    }
    repo.runs.push(run);
    return run;
  }

  addIssue(repo: Repository, options: Partial<Issue> = {}): Issue {
    const number = options.number ?? repo.issues.size + 1;
    const issue: Issue = {
      number,
      title: `Issue ${number}`,
      state: 'open',
      user: { login: 'octocat', id: 1, type: 'User' },
      created_at: this.now().toISOString(),
      ...options,
    };
    repo.issues.set(number, issue);
    return issue;
  }

  /** A pull request from `head` (a new branch with one commit) into the default branch. */
  addPullRequest(
    repo: Repository,
    options: { number?: number; title?: string; head?: string; draft?: boolean } = {},
  ): Issue {
    const head = options.head ?? `feature-${repo.issues.size + 1}`;
    const base = repo.default_branch;
    const baseSha = repo.refs.get(`refs/heads/${base}`)!;
    const headSha = this.addCommit(repo, { message: `work on ${head}`, parents: [baseSha] });
    repo.refs.set(`refs/heads/${head}`, headSha);
    return this.addIssue(repo, {
      ...(options.number !== undefined ? { number: options.number } : {}),
      title: options.title ?? `Change ${head}`,
      pull_request: {
        head: { ref: head, sha: headSha },
        base: { ref: base, sha: baseSha },
        draft: options.draft ?? false,
      },
    });
  }

  addComment(repo: Repository, issueNumber: number, body: string, user: User = BOT): IssueComment {
    const id = this.id();
    const now = this.now().toISOString();
    const comment: IssueComment = {
      id,
      node_id: nodeId('IC_', id),
      issue_number: issueNumber,
      body,
      user,
      created_at: now,
      updated_at: now,
    };
    repo.comments.push(comment);
    return comment;
  }

  /** Resolves a branch, tag (peeled to its commit), full ref or commit sha to a commit sha. */
  resolveCommit(repo: Repository, ref: string): string | undefined {
    if (repo.commits.has(ref)) return ref;
    for (const candidate of [ref, `refs/heads/${ref}`, `refs/tags/${ref}`]) {
      const sha = repo.refs.get(candidate);
      if (sha !== undefined) return this.peel(repo, sha);
    }
    const matches = [...repo.commits.keys()].filter((sha) => ref.length >= 7 && sha.startsWith(ref));
    return matches.length === 1 ? matches[0] : undefined;
  }

  /** An annotated tag object's target, followed to a commit. */
  peel(repo: Repository, sha: string): string {
    let current = sha;
    for (let depth = 0; depth < 10 && repo.tags.has(current); depth++)
      current = repo.tags.get(current)!.object.sha;
    return current;
  }
}

export function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/**
 * The object id git gives a commit with these fields (`git hash-object -t commit`), so creating the same commit
 * twice answers the same sha, as on GitHub. Dates are taken in UTC (an offset sent is not kept).
 */
export function gitCommitSha(commit: Pick<Commit, 'tree' | 'parents' | 'author' | 'committer' | 'message'>) {
  const stamp = (person: GitPerson) =>
    `${person.name} <${person.email}> ${Math.floor(Date.parse(person.date) / 1000)} +0000`;
  const text = [
    `tree ${commit.tree}`,
    ...commit.parents.map((parent) => `parent ${parent}`),
    `author ${stamp(commit.author)}`,
    `committer ${stamp(commit.committer)}`,
    '',
    commit.message,
  ].join('\n');
  return sha1(`commit ${Buffer.byteLength(text)}\0${text}`);
}

/** `2026-11-22T04:00:00.123Z` or `...+02:00` -> `2026-11-22T02:00:00Z`: git keeps whole seconds. */
export function wholeSeconds(date: string): string {
  return new Date(Math.floor(Date.parse(date) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function nodeId(prefix: string, id: number): string {
  return `${prefix}${Buffer.from(`emulator:${id}`).toString('base64url')}`;
}
