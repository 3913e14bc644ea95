// Load figures for docs/reliability.md, through the bundles as the runner runs them:
//  1. 50 jobs in parallel, each registering a model and promoting it to production, against one bare remote:
//     every registration must get its own version, the stage must end on one version, GTO-readable.
//  2. 100 concurrent pr-comment upserts with one header on one pull request (GitHub emulator): how many
//     sticky comments the race leaves, and that the next upsert converges to exactly one.
//  3. validate-data streaming a synthetic CSV (LOAD_DATA_GB, default 1) and a tenth of it: peak RSS of the
//     action process at both sizes (memory must stay flat) and throughput.
// Usage: npm run bench -- load   (LOAD_PARTS=streaming LOAD_DATA_GB=10 npm run bench -- load: the 10 GB run)
import { spawn } from 'node:child_process';
import {
  cpSync,
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readWithGtoRules } from '../test/fixtures/registry/gto-rules.ts';
import { git, makeRemote, remoteTags } from '../test/fixtures/registry/setup.ts';
import { startGitHubEmulator } from '../test/harness/github-emulator.ts';
import { makeWorkspace, repoRoot, runBundledAction } from '../test/harness/runner.ts';

async function registryLoad(jobs: number) {
  const remote = makeRemote();
  const workspaces = Array.from({ length: jobs }, (_, index) => remote.workspace(`weights-${index}`));
  const started = Date.now();
  const results = await Promise.all(
    workspaces.map(async (workspace, index) => {
      const env = { GITHUB_ACTOR: `runner-${index}`, GITHUB_RUN_ID: String(5000 + index) };
      const registered = await runBundledAction('register-model', {
        workspace,
        env,
        inputs: { name: 'churn', 'model-path': 'model' },
        timeoutMs: 300_000,
      });
      if (registered.exitCode !== 0) return { registered, promoted: undefined };
      const promoted = await runBundledAction('promote', {
        workspace,
        env,
        inputs: { name: 'churn', stage: 'production', version: registered.outputs.version! },
        timeoutMs: 300_000,
      });
      return { registered, promoted };
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  const failed = results.filter((r) => r.registered.exitCode !== 0 || r.promoted?.exitCode !== 0);
  for (const r of failed)
    console.error('failed job:', [...r.registered.errors, ...(r.promoted?.errors ?? [])].join(' | '));
  const failures = failed.length;
  const versions = new Set(results.map((r) => r.registered.outputs.version));
  const tags = remoteTags(remote);
  const reader = remote.workspace();
  git(reader, 'fetch', '--quiet', 'origin', '+refs/tags/*:refs/tags/*');
  const gto = readWithGtoRules(reader, 'churn');
  const lookup = await runBundledAction('lookup-model', {
    workspace: reader,
    inputs: { name: 'churn', stage: 'production' },
  });
  rmSync(remote.root, { recursive: true, force: true });
  return {
    jobs,
    seconds,
    failures,
    distinct_versions: versions.size,
    version_tags: tags.filter((tag) => tag.includes('@v')).length,
    stage_tags: tags.filter((tag) => tag.includes('#production#')).length,
    gto_problems: gto.problems.length,
    production: gto.stages.get('production') ?? null,
    lookup_agrees: lookup.outputs.version === gto.stages.get('production'),
  };
}

async function commentLoad(runs: number) {
  const github = await startGitHubEmulator();
  const pr = github.state.addPullRequest(github.state.repo(), { number: 7 });
  const workspace = makeWorkspace('mlops-load-comments-');
  mkdirSync(path.join(workspace, 'mlops-reports'));
  writeFileSync(
    path.join(workspace, 'mlops-reports', 'validate-data.json'),
    readFileSync(path.join(repoRoot, 'test', 'fixtures', 'reports', 'validate-data-drift.json')),
  );
  const event = {
    action: 'synchronize',
    number: pr.number,
    pull_request: { number: pr.number, head: { sha: pr.pull_request!.head.sha } },
  };
  const run = (body: string) =>
    runBundledAction('pr-comment', {
      workspace,
      inputs: { header: 'load', 'body-file': `mlops-reports/${body}.md` },
      event,
      eventName: 'pull_request',
      env: { GITHUB_API_URL: github.url, GITHUB_TOKEN: 'ghs_loadTestToken' },
      timeoutMs: 300_000,
    });
  const ours = () =>
    github.state
      .repo()
      .comments.filter(
        (c) => c.issue_number === pr.number && c.body.startsWith('<!-- mlops-sticky:load -->'),
      );
  const started = Date.now();
  const results = await Promise.all(Array.from({ length: runs }, (_, index) => run(`body-${index}`)));
  for (const r of results.filter((result) => result.exitCode !== 0))
    console.error('failed upsert:', r.errors.join(' | '));
  const seconds = (Date.now() - started) / 1000;
  const afterRace = ours().length;
  const settle = await run('settle');
  const afterNextRun = ours().length;
  await github.close();
  return {
    runs,
    seconds,
    failures: results.filter((r) => r.exitCode !== 0).length + (settle.exitCode === 0 ? 0 : 1),
    sticky_comments_after_race: afterRace,
    sticky_comments_after_next_run: afterNextRun,
    openapi_violations: github.violations.length,
  };
}

async function writeCsv(file: string, bytes: number): Promise<number> {
  const out = createWriteStream(file);
  out.write('id,amount,score,age,ratio,count,latency,balance,country,segment,channel,flag\n');
  const countries = ['FR', 'DE', 'US', 'GB', 'JP', 'BR'];
  let written = 0;
  let rows = 0;
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  while (written < bytes) {
    const lines: string[] = [];
    for (let i = 0; i < 10_000; i++, rows++) {
      lines.push(
        `${rows},${(random() * 1000).toFixed(2)},${random().toFixed(4)},${18 + Math.floor(random() * 60)},${random().toFixed(3)},${Math.floor(random() * 50)},${(random() * 200).toFixed(1)},${(random() * 1e5).toFixed(2)},${countries[Math.floor(random() * 6)]},s${Math.floor(random() * 20)},web,${random() < 0.5}`,
      );
    }
    const chunk = `${lines.join('\n')}\n`;
    written += chunk.length;
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
  return rows;
}

/** Runs the validate-data bundle and samples its peak RSS (VmHWM) from /proc until it exits. */
async function validatePeak(workspace: string, data: string, dist: string) {
  const started = Date.now();
  const child = spawn(process.execPath, [path.join(dist, 'validate-data', 'index.cjs')], {
    cwd: workspace,
    env: {
      PATH: process.env.PATH ?? '',
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: path.join(workspace, 'out.txt'),
      GITHUB_STEP_SUMMARY: path.join(workspace, 'summary.md'),
      INPUT_DATA: data,
      INPUT_REFERENCE: '',
      INPUT_EXPECTATIONS: '',
      INPUT_FORMAT: 'auto',
      'INPUT_FAIL-ON': 'none',
      INPUT_REPORT: 'report.json',
      'INPUT_DRIFT-METHOD': 'auto',
      'INPUT_DRIFT-SHARE': '0.5',
      INPUT_CORRECTION: 'none',
      'INPUT_EFFECT-SIZE-FLOOR': '0',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  writeFileSync(path.join(workspace, 'out.txt'), '');
  let peakKb = 0;
  const sample = () => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const hwm = /VmHWM:\s+(\d+)/.exec(status);
      if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
    } catch {}
  };
  const timer = setInterval(sample, 100);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(timer);
  return { exit: code, seconds: (Date.now() - started) / 1000, peak_rss_mb: Math.round(peakKb / 1024) };
}

async function streamingLoad(gigabytes: number) {
  const workspace = mkdtempSync(path.join(tmpdir(), 'mlops-load-data-'));
  // A snapshot of the bundles: a rebuild of dist/ during a long run must not pull them from under it.
  const dist = path.join(workspace, 'dist');
  cpSync(path.join(repoRoot, 'dist'), dist, { recursive: true });
  try {
    const small = await writeCsv(path.join(workspace, 'small.csv'), (gigabytes * 2 ** 30) / 10);
    const smallRun = await validatePeak(workspace, 'small.csv', dist);
    rmSync(path.join(workspace, 'small.csv'));
    const rows = await writeCsv(path.join(workspace, 'big.csv'), gigabytes * 2 ** 30);
    const bigRun = await validatePeak(workspace, 'big.csv', dist);
    return {
      gigabytes,
      rows,
      small_rows: small,
      small: smallRun,
      big: bigRun,
      mb_per_second: Math.round((gigabytes * 1024) / bigRun.seconds),
      peak_growth: Number((bigRun.peak_rss_mb / smallRun.peak_rss_mb).toFixed(2)),
    };
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

// LOAD_PARTS=registry,comments,streaming (default all) picks parts, e.g. the long 10 GB run alone.
const parts = new Set((process.env.LOAD_PARTS ?? 'registry,comments,streaming').split(','));
const results: Record<string, unknown> = {};
if (parts.has('registry')) {
  results.registry = await registryLoad(50);
  console.log('registry', JSON.stringify(results.registry));
}
if (parts.has('comments')) {
  results.comments = await commentLoad(100);
  console.log('comments', JSON.stringify(results.comments));
}
if (parts.has('streaming')) {
  results.streaming = await streamingLoad(Number(process.env.LOAD_DATA_GB ?? 1));
  console.log('streaming', JSON.stringify(results.streaming));
}
console.log(JSON.stringify(results));
