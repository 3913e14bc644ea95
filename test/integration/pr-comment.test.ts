// pr-comment through its bundle, against the GitHub REST emulator (requests validated against GitHub's
// OpenAPI description): finding its own comment across pages, headers, modes, the fork-safe workflow_run
// flow, size limits, injection, and retries on 5xx / secondary rate limits. Each test gets its own emulator,
// so they run concurrently (most of the wall time is the client's pacing of writes and retry back-off).
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { elements, renderHtml } from '../../packages/report/src/test-support/render-html.ts';
import {
  type GitHubEmulator,
  type Issue,
  startGitHubEmulator,
  type User,
} from '../harness/github-emulator.ts';
import { makeWorkspace, repoRoot, runBundledAction } from '../harness/runner.ts';

const TOKEN = 'ghs_prCommentSecretToken42';
const fixtures = path.join(repoRoot, 'test', 'fixtures', 'reports');
const humans: User[] = [
  { login: 'alice', id: 11, type: 'User' },
  { login: 'bob', id: 12, type: 'User' },
  { login: 'ci-bot[bot]', id: 13, type: 'Bot' },
];

/** One emulated GitHub with pull request #7, and helpers to run the bundle against it. */
class Scenario {
  readonly pr: Issue;
  constructor(readonly github: GitHubEmulator) {
    this.pr = github.state.addPullRequest(github.state.repo(), { number: 7 });
  }

  comments() {
    return this.github.state.repo().comments.filter((comment) => comment.issue_number === this.pr.number);
  }

  ours(header = 'mlops') {
    return this.comments().filter((comment) => comment.body.startsWith(`<!-- mlops-sticky:${header} -->\n`));
  }

  seedOthers(count: number): void {
    for (let index = 0; index < count; index++) {
      this.github.state.addComment(
        this.github.state.repo(),
        this.pr.number,
        `comment ${index}: LGTM`,
        humans[index % humans.length],
      );
    }
  }

  pullRequestEvent() {
    return {
      action: 'synchronize',
      number: this.pr.number,
      pull_request: { number: this.pr.number, head: { sha: this.pr.pull_request!.head.sha } },
    };
  }

  run(
    workspace: string,
    inputs: Record<string, string> = {},
    options: { event?: unknown; eventName?: string } = {},
  ) {
    return runBundledAction('pr-comment', {
      workspace,
      inputs,
      event: options.event ?? this.pullRequestEvent(),
      eventName: options.eventName ?? 'pull_request',
      env: { GITHUB_API_URL: this.github.url, GITHUB_TOKEN: TOKEN },
    });
  }
}

const it = test.extend<{ s: Scenario }>({
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads the fixtures a fixture needs from this pattern
  s: async ({}, use) => {
    const github = await startGitHubEmulator();
    try {
      await use(new Scenario(github));
      expect(github.violations).toEqual([]);
    } finally {
      await github.close();
    }
  },
});

/** A workspace with the named fixture reports under mlops-reports/. */
function workspaceWith(files: readonly string[], extra: Record<string, unknown> = {}): string {
  const workspace = makeWorkspace('mlops-prc-');
  mkdirSync(path.join(workspace, 'mlops-reports'));
  for (const file of files) cpSync(path.join(fixtures, file), path.join(workspace, 'mlops-reports', file));
  for (const [file, content] of Object.entries(extra)) {
    writeFileSync(
      path.join(workspace, 'mlops-reports', file),
      typeof content === 'string' ? content : JSON.stringify(content),
    );
  }
  return workspace;
}

describe.concurrent('pr-comment upsert', () => {
  it('finds and edits its own comment among 150 others across pages, and leaves it alone when unchanged', async ({
    s,
  }) => {
    s.seedOthers(120);
    // Someone quoting our marker mid-comment must not be mistaken for ours.
    s.github.state.addComment(
      s.github.state.repo(),
      s.pr.number,
      'see:\n<!-- mlops-sticky:mlops -->\nold',
      humans[0],
    );
    const mine = s.github.state.addComment(
      s.github.state.repo(),
      s.pr.number,
      '<!-- mlops-sticky:mlops -->\nstale report',
    );
    s.seedOthers(30);
    const before = s.comments().length;

    const workspace = workspaceWith(['validate-data-drift.json', 'evaluate-gate-pass.json', 'lineage.json']);
    const result = await s.run(workspace, { token: TOKEN });
    expect(result.exitCode, result.stdout).toBe(0);
    expect(result.outputs['comment-id']).toBe(String(mine.id));
    expect(result.outputs['comment-url']).toContain(`#issuecomment-${mine.id}`);
    expect(result.outputs['pr-number']).toBe('7');
    expect(s.comments()).toHaveLength(before);
    expect(mine.body).toMatch(/^<!-- mlops-sticky:mlops -->\n### ❌ ML pipeline report\n/);
    expect(mine.body).toContain('**Data validation** (validate-data-drift.json)');
    expect(mine.body).toContain('**Model version** (lineage.json)');
    expect(mine.body).toBe(readFileSync(result.outputs['body-file']!, 'utf8'));
    // Page 2 had to be read to find it (per_page 100, our comment is the 122nd).
    const listed = s.github.requestsFor('issues/list-comments');
    expect(listed.map((request) => request.query.page ?? '1')).toEqual(['1', '2']);
    expect(s.github.requestsFor('issues/update-comment')).toHaveLength(1);
    expect(s.github.requestsFor('issues/create-comment')).toHaveLength(0);
    // The token is masked and never printed.
    expect(result.stdout).toContain(`::add-mask::${TOKEN}`);
    expect(result.stdout.split(`::add-mask::${TOKEN}`).join('')).not.toContain(TOKEN);

    const again = await s.run(workspace, { token: TOKEN });
    expect(again.exitCode).toBe(0);
    expect(again.outputs['comment-id']).toBe(String(mine.id));
    expect(s.github.requestsFor('issues/update-comment')).toHaveLength(1);
    expect(again.stdout).toContain('is already up to date');
  });

  it('creates the comment when there is none, and keeps one comment per header', async ({ s }) => {
    s.seedOthers(5);
    const data = workspaceWith(['validate-data-pass.json']);
    const gate = workspaceWith(['evaluate-gate-fail.json']);
    expect((await s.run(data, { header: 'data' })).exitCode).toBe(0);
    expect((await s.run(gate, { header: 'gate' })).exitCode).toBe(0);
    expect(s.ours('data')).toHaveLength(1);
    expect(s.ours('gate')).toHaveLength(1);
    writeFileSync(
      path.join(data, 'mlops-reports', 'validate-data-pass.json'),
      readFileSync(path.join(fixtures, 'validate-data-drift.json')),
    );
    const rerun = await s.run(data, { header: 'data' });
    expect(rerun.exitCode).toBe(0);
    expect(s.ours('data')).toHaveLength(1);
    expect(s.ours('data')[0]!.body).toContain('dataset drift');
    expect(s.ours('gate')[0]!.body).toContain('Model gate');
    expect(s.comments()).toHaveLength(7);
  });

  it('races: a duplicate or target removed by a concurrent run with the same header is not an error', async ({
    s,
  }) => {
    const oldest = s.github.state.addComment(
      s.github.state.repo(),
      s.pr.number,
      '<!-- mlops-sticky:mlops -->\na',
    );
    const duplicate = s.github.state.addComment(
      s.github.state.repo(),
      s.pr.number,
      '<!-- mlops-sticky:mlops -->\nb',
    );
    // The oldest vanished mid-edit (404: look again), then another run deleted the duplicate first (404 on
    // our delete: the emulator's fault leaves it in place, a real GitHub would not).
    s.github.faults.add({ method: 'DELETE', path: /\/issues\/comments\/\d+$/, status: 404, times: 1 });
    s.github.faults.add({
      method: 'PATCH',
      path: new RegExp(`/issues/comments/${oldest.id}$`),
      status: 404,
      times: 1,
    });
    const result = await s.run(workspaceWith(['validate-data-pass.json']), { token: TOKEN });
    expect(result.exitCode, result.stdout).toBe(0);
    expect(result.errors).toEqual([]);
    expect(result.stdout).toContain('already deleted');
    expect(result.stdout).toContain('looking for the sticky comment again');
    expect(oldest.body).toContain('Data validation');
    expect(s.ours().filter((comment) => comment.id !== duplicate.id)).toEqual([oldest]);
  });
});

describe.concurrent('pr-comment content', () => {
  it('posts a valid comment under the limit from an oversized report', async ({ s }) => {
    const columns = Object.fromEntries(
      Array.from({ length: 4000 }, (_, index) => [
        `feature_${index}_${'w'.repeat(30)}`,
        {
          method: 'wasserstein',
          score: 0.2,
          threshold: 0.1,
          drift: true,
          histogram: { edges: [0, 1, 2, 3], reference: [1, 2, 3], current: [3, 2, 1] },
        },
      ]),
    );
    const huge = {
      schema: 'mlops.validate-data/v1',
      passed: false,
      drift: { detected: true, share: 1, threshold_share: 0.5, columns },
      checks: Array.from({ length: 3000 }, (_, index) => ({
        column: `feature_${index}`,
        check: 'not_null',
        passed: false,
        unexpected: index,
        unexpected_share: 0.5,
        message: 'null values',
        examples: ['a', 'b', 'c'],
      })),
    };
    const workspace = workspaceWith(['evaluate-gate-pass.json'], { 'huge.json': huge });
    const result = await s.run(workspace, {
      'details-url': 'https://s.github.com/octo-org/octo-repo/actions/runs/77',
    });
    expect(result.exitCode, result.stdout).toBe(0);
    const [comment] = s.ours();
    expect(comment!.body.length).toBeLessThanOrEqual(65_536);
    expect(comment!.body.length).toBeGreaterThan(60_000);
    expect(comment!.body).toContain(
      '[workflow run](https://s.github.com/octo-org/octo-repo/actions/runs/77)',
    );
    expect(comment!.body).toMatch(/leaves out: examples, charts, passing rows/);
    expect(comment!.body).toContain('**Model gate** (evaluate-gate-pass.json)');
  });

  it('renders markdown injection in a column name inert', async ({ s }) => {
    const workspace = workspaceWith(['injection.json']);
    const result = await s.run(workspace);
    expect(result.exitCode, result.stdout).toBe(0);
    const [comment] = s.ours();
    const html = renderHtml(comment!.body);
    expect(elements(html).filter((tag) => ['a', 'img', 'script', 'summary', 'b'].includes(tag))).toEqual([]);
    expect(comment!.body).not.toMatch(/@everyone|@octo-org/);
    // The only Mermaid directives are the charts' own palettes, never one carried in by report data.
    for (const directive of comment!.body.match(/%%\{.*/g) ?? [])
      expect(directive).toMatch(/^%%\{init: \{"xyChart":\{"width":\d+\},"themeVariables"/);
    expect(comment!.body.match(/<!-- mlops-sticky/g)).toHaveLength(1);
  });

  it('skips non-report JSON with a warning and fails on malformed JSON naming the file', async ({ s }) => {
    const workspace = workspaceWith(['promote.json', 'not-a-report.json']);
    const result = await s.run(workspace);
    expect(result.exitCode).toBe(0);
    expect(result.warnings.join('\n')).toMatch(
      /skipping mlops-reports\/not-a-report\.json: not an mlops report/,
    );
    writeFileSync(path.join(workspace, 'mlops-reports', 'broken.json'), '{"schema": "mlops.promote/v1",');
    const broken = await s.run(workspace);
    expect(broken.exitCode).toBe(1);
    expect(broken.errors).toEqual([
      'pr-comment: report mlops-reports/broken.json line 1, column 31: not valid JSON (the text ends early)',
    ]);
  });
});

describe.concurrent('pr-comment modes', () => {
  it('recreate deletes the old comment and posts a new one', async ({ s }) => {
    const old = s.github.state.addComment(
      s.github.state.repo(),
      s.pr.number,
      '<!-- mlops-sticky:mlops -->\nold',
    );
    const result = await s.run(workspaceWith(['promote.json']), { mode: 'recreate' });
    expect(result.exitCode).toBe(0);
    expect(s.ours()).toHaveLength(1);
    expect(s.ours()[0]!.id).not.toBe(old.id);
    expect(result.outputs['comment-id']).toBe(String(s.ours()[0]!.id));
  });

  it('delete removes every comment of its header and no other', async ({ s }) => {
    s.github.state.addComment(s.github.state.repo(), s.pr.number, '<!-- mlops-sticky:mlops -->\nold');
    s.github.state.addComment(s.github.state.repo(), s.pr.number, '<!-- mlops-sticky:other -->\nkeep');
    const result = await s.run(makeWorkspace(), { mode: 'delete' });
    expect(result.exitCode, result.stdout).toBe(0);
    expect(s.ours()).toHaveLength(0);
    expect(s.ours('other')).toHaveLength(1);
    expect(result.outputs['comment-id']).toBeUndefined();
  });

  it('hide-older minimizes earlier comments as outdated, once each, and posts a new one', async ({ s }) => {
    const old = s.github.state.addComment(
      s.github.state.repo(),
      s.pr.number,
      '<!-- mlops-sticky:mlops -->\nold',
    );
    const workspace = workspaceWith(['lineage.json']);
    const first = await s.run(workspace, { mode: 'hide-older' });
    expect(first.exitCode, first.stdout).toBe(0);
    expect(old.minimized).toEqual({ reason: 'OUTDATED' });
    expect(old.body).toBe('<!-- mlops-sticky-hidden:mlops -->\nold');
    const second = await s.run(workspace, { mode: 'hide-older' });
    expect(second.exitCode, second.stdout).toBe(0);
    const all = s.comments();
    expect(all).toHaveLength(3);
    expect(all.map((comment) => comment.minimized?.reason)).toEqual(['OUTDATED', 'OUTDATED', undefined]);
    expect(s.ours()).toHaveLength(1);
    expect(s.ours()[0]!.id).toBe(Number(second.outputs['comment-id']));
    // Each older comment is hidden exactly once, however many runs follow.
    const minimized = s.github.requests.filter(
      (request) => request.path === '/graphql' && JSON.stringify(request.body).includes('minimizeComment'),
    );
    expect(minimized).toHaveLength(2);
  });

  it('upsert deletes duplicates left by concurrent runs and keeps the oldest', async ({ s }) => {
    const oldest = s.github.state.addComment(
      s.github.state.repo(),
      s.pr.number,
      '<!-- mlops-sticky:mlops -->\na',
    );
    s.seedOthers(2);
    s.github.state.addComment(s.github.state.repo(), s.pr.number, '<!-- mlops-sticky:mlops -->\nb');
    const result = await s.run(workspaceWith(['promote.json']));
    expect(result.exitCode, result.stdout).toBe(0);
    expect(s.ours().map((comment) => comment.id)).toEqual([oldest.id]);
    expect(s.comments()).toHaveLength(3);
  });

  it('dry-run writes the body file and calls nothing', async ({ s }) => {
    const workspace = workspaceWith(['promote.json']);
    const result = await s.run(workspace, { 'dry-run': 'true', 'body-file': 'out/comment.md' });
    expect(result.exitCode).toBe(0);
    expect(s.github.requests).toEqual([]);
    expect(result.outputs['body-file']).toBe(path.join(workspace, 'out', 'comment.md'));
    expect(readFileSync(path.join(workspace, 'out', 'comment.md'), 'utf8')).toContain('**Promotion**');
  });

  it('on a push run writes the body and skips commenting', async ({ s }) => {
    const workspace = workspaceWith(['promote.json']);
    const result = await s.run(workspace, {}, { eventName: 'push', event: { ref: 'refs/heads/main' } });
    expect(result.exitCode).toBe(0);
    expect(s.github.requests).toEqual([]);
    expect(result.stdout).toMatch(/not commenting: a push run has no pull request/);
    expect(existsSync(path.join(workspace, 'mlops-reports', 'pr-comment.md'))).toBe(true);
  });
});

describe.concurrent('pr-comment fork-safe flow (workflow_run)', () => {
  const workflowRunEvent = (headSha: string) => ({
    action: 'completed',
    workflow_run: {
      id: 555,
      event: 'pull_request',
      head_sha: headSha,
      pull_requests: [],
      html_url: 'https://s.github.com/octo-org/octo-repo/actions/runs/555',
    },
  });

  it('comments on the pull request named by the artifact when it is at the tested commit', async ({ s }) => {
    const workspace = workspaceWith(['validate-data-pass.json'], { 'pr-number': '7\n' });
    const result = await s.run(
      workspace,
      { 'pr-number-file': 'mlops-reports/pr-number' },
      { eventName: 'workflow_run', event: workflowRunEvent(s.pr.pull_request!.head.sha) },
    );
    expect(result.exitCode, result.stdout).toBe(0);
    expect(s.ours()).toHaveLength(1);
    expect(s.ours()[0]!.body).toContain(`Reports for commit \`${s.pr.pull_request!.head.sha.slice(0, 12)}\``);
    expect(s.github.requestsFor('pulls/get')).toHaveLength(1);
  });

  it('refuses a pull request whose head is not the tested commit', async ({ s }) => {
    const workspace = workspaceWith(['validate-data-pass.json'], { 'pr-number': '7' });
    const result = await s.run(
      workspace,
      { 'pr-number-file': 'mlops-reports/pr-number' },
      { eventName: 'workflow_run', event: workflowRunEvent('f'.repeat(40)) },
    );
    expect(result.exitCode).toBe(0);
    expect(result.warnings.join('\n')).toMatch(/not commenting on #7: its head is/);
    expect(s.ours()).toHaveLength(0);
  });

  it('rejects a pr-number file that holds anything but a number', async ({ s }) => {
    const workspace = workspaceWith(['validate-data-pass.json'], { 'pr-number': '7\n8' });
    const result = await s.run(
      workspace,
      { 'pr-number-file': 'mlops-reports/pr-number' },
      { eventName: 'workflow_run', event: workflowRunEvent(s.pr.pull_request!.head.sha) },
    );
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      expect.stringMatching(/input 'pr-number-file': expected the file to hold one pull request number/),
    ]);
    expect(s.github.requests).toEqual([]);
  });

  it('explains what to do when a workflow_run names no pull request', async ({ s }) => {
    const result = await s.run(
      workspaceWith(['validate-data-pass.json']),
      {},
      { eventName: 'workflow_run', event: workflowRunEvent(s.pr.pull_request!.head.sha) },
    );
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toMatch(/pr-number-file/);
  });
});

describe.concurrent('pr-comment reliability', () => {
  it('survives injected 5xx answers and a secondary rate limit', async ({ s }) => {
    s.seedOthers(3);
    s.github.faults.add({ method: 'GET', path: /\/issues\/7\/comments$/, status: 502 });
    s.github.faults.add({ method: 'POST', path: /\/issues\/7\/comments$/, status: 403, retryAfter: 1 });
    s.github.faults.add({ method: 'POST', path: /\/issues\/7\/comments$/, status: 500 });
    const result = await s.run(workspaceWith(['evaluate-gate-pass.json']));
    expect(result.exitCode, result.stdout).toBe(0);
    expect(s.github.faults.pending()).toEqual([]);
    expect(s.ours()).toHaveLength(1);
    const statuses = s.github.requests.map((request) => `${request.method} ${request.status}`);
    // The first POST is GraphQL's viewer (whose comments are ours), then the listing and the create.
    expect(statuses).toEqual(['POST 200', 'GET 502', 'GET 200', 'POST 403', 'POST 500', 'POST 201']);
  });

  it('fails with one line naming the permission when GitHub refuses the token', async ({ s }) => {
    s.github.faults.add({
      method: 'POST',
      path: /\/issues\/7\/comments$/,
      status: 403,
      body: { message: 'Resource not accessible by integration' },
    });
    const result = await s.run(workspaceWith(['promote.json']));
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(
      /^pr-comment: could not comment on octo-org\/octo-repo#7: the token is not allowed to .*pull-requests: write/,
    );
  });
});

describe.concurrent('pr-comment against hostile commenters and inputs', () => {
  it('takes only comments written by its own account as its sticky comment (a copied marker is not ours)', async ({
    s,
  }) => {
    // Someone who can comment posts our marker first, hoping the next run writes the verdict into theirs
    // (which they could later edit to show a pass) and deletes our real one as a "duplicate".
    const planted = s.github.state.addComment(
      s.github.state.repo(),
      s.pr.number,
      '<!-- mlops-sticky:mlops -->\n### ✅ ML pipeline report\nall good',
      humans[0],
    );
    const mine = s.github.state.addComment(
      s.github.state.repo(),
      s.pr.number,
      '<!-- mlops-sticky:mlops -->\nstale report',
    );
    const result = await s.run(workspaceWith(['evaluate-gate-fail.json']), { token: TOKEN });
    expect(result.exitCode, result.stdout).toBe(0);
    expect(result.outputs['comment-id']).toBe(String(mine.id));
    expect(mine.body).toContain('❌');
    expect(planted.body).toBe('<!-- mlops-sticky:mlops -->\n### ✅ ML pipeline report\nall good');
    expect(s.comments().map((comment) => comment.id)).toContain(planted.id);
    expect(s.github.requestsFor('issues/delete-comment')).toHaveLength(0);
    expect(result.warnings).toContainEqual(
      expect.stringMatching(/ignoring 1 comment\(s\) .* written by another account \(alice\)/),
    );
  });

  it('creates its own comment when the only marked comment is someone else’s', async ({ s }) => {
    const planted = s.github.state.addComment(
      s.github.state.repo(),
      s.pr.number,
      '<!-- mlops-sticky:mlops -->\nfake',
      humans[1],
    );
    const result = await s.run(workspaceWith(['promote.json']), { token: TOKEN });
    expect(result.exitCode, result.stdout).toBe(0);
    expect(result.outputs['comment-id']).not.toBe(String(planted.id));
    expect(planted.body).toBe('<!-- mlops-sticky:mlops -->\nfake');
    expect(s.ours()).toHaveLength(2);
  });

  it.each(['0x7', '1e1', '0b111', '7.0', ' 7x', '-7'])(
    'refuses pr-number %j (decimal digits only)',
    async (value) => {
      const result = await runBundledAction('pr-comment', {
        workspace: workspaceWith(['promote.json']),
        inputs: { 'pr-number': value, 'dry-run': 'true' },
      });
      expect(result.exitCode).toBe(1);
      expect(result.errors[0]).toMatch(/pr-number.*decimal digits/);
    },
  );

  it('with if-no-reports, treats "every match skipped" as nothing found: error by default, warn or ignore on request', async () => {
    const workspace = workspaceWith([], { 'package.json': { name: 'not a report' } });
    const run = (inputs: Record<string, string>) =>
      runBundledAction('pr-comment', { workspace, inputs: { 'pr-number': '7', ...inputs } });
    const failed = await run({});
    expect(failed.exitCode).toBe(1);
    expect(failed.errors[0]).toMatch(
      /1 file\(s\) matched but none is a usable report .*is not an mlops report/,
    );
    const warned = await run({ 'if-no-reports': 'warn' });
    expect(warned.exitCode, warned.stdout).toBe(0);
    expect(warned.warnings).toContainEqual(
      expect.stringMatching(/none is a usable report.*if-no-reports: warn/),
    );
    expect(warned.outputs['comment-id']).toBeUndefined();
    const ignored = await run({ 'if-no-reports': 'ignore' });
    expect(ignored.exitCode).toBe(0);
    expect(ignored.warnings.filter((line) => /usable report/.test(line))).toEqual([]);
    const nothing = await runBundledAction('pr-comment', {
      workspace,
      inputs: { 'pr-number': '7', reports: 'missing/*.json', 'if-no-reports': 'warn' },
    });
    expect(nothing.exitCode).toBe(0);
    expect(nothing.warnings).toContainEqual(expect.stringMatching(/no file matches 'missing\/\*\.json'/));
  });
});
