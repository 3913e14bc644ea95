// The throw-away project the demo works in: a git checkout of the example project with a bare repository as
// its `origin`, so the registry's tags are pushed and fetched exactly as they would be on GitHub.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';

export interface DemoWorkspace {
  /** The checkout (GITHUB_WORKSPACE of every step). */
  checkout: string;
  /** The bare repository standing in for GitHub. */
  remote: string;
  /** HEAD of the checkout (GITHUB_SHA). */
  sha: string;
}

/** Files of examples/ copied into the checkout, at the paths the reference workflow uses. */
const PROJECT_FILES = [
  'data',
  'model',
  'gate.yml',
  'expectations.yml',
  'params.yml',
  'train.py',
  'training.yml',
];

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    // A fixed identity and no user or system config: the demo behaves the same on every machine.
    env: {
      ...process.env,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_AUTHOR_NAME: 'Demo Data Scientist',
      GIT_AUTHOR_EMAIL: 'scientist@example.com',
      GIT_COMMITTER_NAME: 'Demo Data Scientist',
      GIT_COMMITTER_EMAIL: 'scientist@example.com',
    },
  }).trim();
}

export function createWorkspace(examplesDir: string, outDir: string): DemoWorkspace {
  rmSync(outDir, { recursive: true, force: true });
  const checkout = path.join(outDir, 'workspace');
  const remote = path.join(outDir, 'remote.git');
  mkdirSync(checkout, { recursive: true });
  for (const file of PROJECT_FILES) {
    cpSync(path.join(examplesDir, file), path.join(checkout, file), { recursive: true });
  }
  git(outDir, 'init', '--quiet', '--bare', '--initial-branch=main', remote);
  git(checkout, 'init', '--quiet', '--initial-branch=main');
  // The actions run git without the demo's environment, as on a runner: give the checkout its own identity,
  // as a workflow's "git config user.name" step would.
  git(checkout, 'config', 'user.name', 'github-actions[bot]');
  git(checkout, 'config', 'user.email', '41898282+github-actions[bot]@users.noreply.github.com');
  git(checkout, 'remote', 'add', 'origin', remote);
  git(checkout, 'add', '.');
  git(checkout, 'commit', '--quiet', '-m', 'Example project: Pima diabetes champion and challenger');
  git(checkout, 'push', '--quiet', 'origin', 'main');
  return { checkout, remote, sha: git(checkout, 'rev-parse', 'HEAD') };
}

/** Registry tags as `git tag -n` shows them, oldest first (GTO rebuilds state in this order). */
export function registryTags(checkout: string): string[] {
  const listing = git(
    checkout,
    'for-each-ref',
    '--sort=creatordate',
    '--format=%(refname:short)',
    'refs/tags',
  );
  return listing === '' ? [] : listing.split('\n');
}
