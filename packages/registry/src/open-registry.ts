import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createGitHubClient, type GitHubClient, parseRepository } from '@mlops/github';
import { InputError, type Logger, UserError } from '@mlops/kit';
import { parsePlainYaml } from '@mlops/kit/yaml-source';
import { ApiTagStore } from './git/api-tag-store.ts';
import { CliTagStore } from './git/cli-tag-store.ts';
import { git } from './git/git-command.ts';
import { GitTagRegistry } from './git/git-tag-registry.ts';
import type { MlflowSettings } from './mlflow/mlflow-config.ts';
import { type OpenMlflowOptions, openMlflowRegistry } from './mlflow/open-mlflow.ts';
import type { Registry } from './types.ts';

/** Where the registry is: the adapters build it from their shared inputs (actions/shared/registry-inputs.ts). */
export interface RegistryConfig {
  backend: 'git' | 'mlflow';
  workspace: string;
  gitTransport: 'cli' | 'api';
  /** Git remote for the cli transport; undefined keeps tags local. */
  remote?: string;
  github: { token?: string; apiUrl: string; repository?: string };
  /** Empty fields fall back to MLFLOW_TRACKING_URI / _TOKEN / _USERNAME / _PASSWORD when the registry opens. */
  mlflow: MlflowSettings;
  allowedStages?: string[];
}

/** Stages from the `allowed-stages` input, else from `.gto` (GTO's config: `stages: [...]`), else any. */
export async function allowedStages(
  workspace: string,
  fromInput: readonly string[],
): Promise<string[] | undefined> {
  if (fromInput.length > 0) return [...fromInput];
  let text: string;
  try {
    text = await readFile(path.join(workspace, '.gto'), 'utf8');
  } catch {
    return undefined;
  }
  // The YAML parser is loaded only when there is a .gto file to read.
  let parsed: unknown;
  try {
    parsed = await parsePlainYaml(text);
  } catch (error) {
    throw new UserError(`.gto: not valid YAML: ${(error as Error).message}`);
  }
  const stages = (parsed as { stages?: unknown } | null)?.stages;
  if (stages === undefined || stages === null) return undefined;
  if (!Array.isArray(stages) || !stages.every((stage) => typeof stage === 'string')) {
    throw new UserError('.gto: stages must be a list of names, e.g. stages: [dev, staging, prod]');
  }
  return stages.length > 0 ? stages : undefined;
}

/** A GitHub client for the api transport and deployments; a clear error when no token or repository is set. */
export async function githubFor(
  config: RegistryConfig,
  logger: Logger,
  why: string,
): Promise<{ client: GitHubClient; owner: string; repo: string }> {
  if (!config.github.token) throw new InputError('token', `is required for ${why}`);
  if (!config.github.repository) throw new UserError(`GITHUB_REPOSITORY is not set; it is needed for ${why}`);
  const { owner, repo } = parseRepository(config.github.repository, 'GITHUB_REPOSITORY');
  return {
    // A registry run writes two to four objects (tag, ref, deployment, status); pacing them a second apart buys
    // nothing at that volume, and secondary rate limits are still waited out by the throttling plugin.
    client: await createGitHubClient({
      token: config.github.token,
      apiUrl: config.github.apiUrl,
      logger,
      paceWrites: false,
    }),
    owner,
    repo,
  };
}

export async function openRegistry(
  config: RegistryConfig,
  logger: Logger,
  options: OpenMlflowOptions = {},
): Promise<Registry> {
  if (config.backend === 'mlflow') {
    return openMlflowRegistry(config.mlflow, config.allowedStages, logger, options);
  }
  if (config.gitTransport === 'api') {
    const { client, owner, repo } = await githubFor(config, logger, 'git-transport: api');
    const store = new ApiTagStore(client, { owner, repo }, logger);
    return new GitTagRegistry({
      store,
      logger,
      ...(config.allowedStages ? { allowedStages: config.allowedStages } : {}),
    });
  }
  const store = new CliTagStore(config.workspace, config.remote, logger);
  await store.check();
  return new GitTagRegistry({
    store,
    logger,
    ...(config.allowedStages ? { allowedStages: config.allowedStages } : {}),
  });
}

/**
 * The code commit a version is built from: the checkout's HEAD with the cli transport (what was actually
 * trained), else GITHUB_SHA.
 */
export async function codeCommit(config: RegistryConfig, sha: string | undefined): Promise<string> {
  if (config.backend === 'git' && config.gitTransport === 'cli') {
    const head = await git(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { cwd: config.workspace });
    if (head.code === 0) return head.stdout.trim();
  }
  if (sha && /^[0-9a-f]{40}$/i.test(sha)) return sha;
  const inRepo = await git(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { cwd: config.workspace });
  if (inRepo.code === 0) return inRepo.stdout.trim();
  throw new UserError(
    'cannot tell the code commit: the workspace is not a git checkout and GITHUB_SHA is not set',
  );
}
