// Publishes a registered version's model files as assets of a GitHub release for its tag. Idempotent: the
// release is found by tag or created, assets already there (same name, size and digest) are kept, and only
// missing ones are uploaded, so a re-run after a failure finishes the job.
import { callGitHub, type GitHubClient, githubStatus, toGitHubApiError } from '@mlops/github';
import { type Logger, UserError } from '@mlops/kit';
import { type PlannedAsset, type ReleaseAssetPlan, readPlannedAsset } from './release-assets.ts';

const PERMISSION = 'contents: write';

export interface PublishReleaseRequest {
  client: GitHubClient;
  owner: string;
  repo: string;
  /** The version's tag (name@v1.2.0); it exists already (pushed by the registry). */
  tag: string;
  /** Release title, e.g. "churn v1.2.0". */
  title: string;
  /** Release notes (markdown). */
  notes: string;
  plan: ReleaseAssetPlan;
  logger: Logger;
}

export interface PublishedAsset {
  name: string;
  sha256: string;
  bytes: number;
  /** browser_download_url */
  url: string;
  /** false when the asset was already on the release (a re-run). */
  uploaded: boolean;
}

export interface PublishedRelease {
  id: number;
  htmlUrl: string;
  /** false when the release existed already. */
  created: boolean;
  assets: PublishedAsset[];
  /** The primary asset's download URL (the model file, or a directory's SHA256SUMS). */
  modelUri: string;
}

interface ReleaseJson {
  id: number;
  html_url: string;
  upload_url: string;
}

interface AssetJson {
  name: string;
  size: number;
  state: string;
  browser_download_url: string;
  digest?: string | null;
}

/** Finds or creates the release of `tag` and uploads the planned assets it lacks. */
export async function publishRelease(request: PublishReleaseRequest): Promise<PublishedRelease> {
  const { owner, repo, tag, logger } = request;
  const where = `release ${tag} of ${owner}/${repo}`;
  const { release, created } = await findOrCreateRelease(request, where);
  logger.info(`${created ? 'Created' : 'Found'} ${where}: ${release.html_url}`);

  const existing = await listAssets(request, release.id, where);
  const byName = new Map(existing.map((asset) => [asset.name, asset]));
  const assets: PublishedAsset[] = [];
  for (const planned of request.plan.assets) {
    const found = byName.get(planned.name);
    if (found) {
      checkSame(found, planned, tag, where);
      logger.info(`Asset ${planned.name} is already on ${where}; kept`);
      assets.push(published(planned, found, false));
      continue;
    }
    const uploaded = await upload(request, release, planned, where);
    assets.push(published(planned, uploaded, true));
  }
  const primary = assets.find((asset) => asset.name === request.plan.primary)!;
  return { id: release.id, htmlUrl: release.html_url, created, assets, modelUri: primary.url };
}

async function findOrCreateRelease(
  request: PublishReleaseRequest,
  where: string,
): Promise<{ release: ReleaseJson; created: boolean }> {
  const { client, owner, repo, tag } = request;
  const find = async (): Promise<ReleaseJson | undefined> => {
    try {
      const { data } = await client.rest.repos.getReleaseByTag({ owner, repo, tag });
      return data;
    } catch (error) {
      if (githubStatus(error) === 404) return undefined;
      throw toError(error, `look up ${where}`);
    }
  };
  const before = await find();
  if (before) return { release: before, created: false };
  // GitHub creates a missing tag (lightweight, at the default branch) when a release names it: a version
  // registered elsewhere (another remote, local tags) would get a wrong tag here. Refuse instead.
  try {
    await client.rest.git.getRef({ owner, repo, ref: `tags/${tag}` });
  } catch (error) {
    if (githubStatus(error) !== 404) throw toError(error, `look up tag ${tag} in ${owner}/${repo}`);
    throw new UserError(
      `${where}: the tag ${tag} is not in ${owner}/${repo} on GitHub, and GitHub would create a release's missing tag at the default branch. release-asset publishes the version's own tag: register into this repository (a remote that is ${owner}/${repo} on GitHub, or git-transport: api)`,
    );
  }
  try {
    const { data } = await client.rest.repos.createRelease({
      owner,
      repo,
      tag_name: tag,
      name: request.title,
      body: request.notes,
      // A model version must not become the repository's "Latest" release (that is the software's).
      make_latest: 'false',
    });
    return { release: data, created: true };
  } catch (error) {
    // A concurrent run created it between our lookup and our create: use theirs.
    if (githubStatus(error) === 422) {
      const raced = await find();
      if (raced) return { release: raced, created: false };
    }
    throw toError(error, `create ${where}`);
  }
}

async function upload(
  request: PublishReleaseRequest,
  release: ReleaseJson,
  planned: PlannedAsset,
  where: string,
): Promise<AssetJson> {
  const { client, logger } = request;
  const data = await readPlannedAsset(planned);
  const started = Date.now();
  try {
    // upload_url is a URI template (uploads.github.com/...{?name,label} on github.com, elsewhere on GHES or
    // an emulator); Octokit expands it with `name` as for its own uploadReleaseAsset, and sends `data` as the
    // raw body.
    const { data: asset } = await client.request({
      method: 'POST',
      url: release.upload_url,
      name: planned.name,
      data,
      headers: { 'content-type': planned.contentType, 'content-length': data.length },
    });
    const answered = asset as AssetJson;
    if (answered.name !== planned.name)
      throw new UserError(`${where}: asked to upload '${planned.name}', GitHub stored '${answered.name}'`);
    checkSame(answered, planned, request.tag, where);
    logger.info(
      `Uploaded ${planned.name} (${planned.bytes} bytes) to ${where} in ${Date.now() - started} ms`,
    );
    return answered;
  } catch (error) {
    // 422 already_exists: a concurrent run uploaded it, or an attempt the retry plugin repeated did land. Keep
    // it if it is our bytes.
    if (githubStatus(error) === 422) {
      const landed = (await listAssets(request, release.id, where)).find((a) => a.name === planned.name);
      if (landed) {
        checkSame(landed, planned, request.tag, where);
        logger.info(`Asset ${planned.name} appeared on ${where} meanwhile (same bytes); kept`);
        return landed;
      }
    }
    throw toError(error, `upload ${planned.name} to ${where}`);
  }
}

async function listAssets(
  request: PublishReleaseRequest,
  releaseId: number,
  where: string,
): Promise<AssetJson[]> {
  const { client, owner, repo } = request;
  return callGitHub({ action: `list the assets of ${where}`, permission: PERMISSION }, () =>
    client.paginate(client.rest.repos.listReleaseAssets, {
      owner,
      repo,
      release_id: releaseId,
      per_page: 100,
    }),
  );
}

/** An asset already there must be the bytes we would upload; a different one is not silently kept. */
function checkSame(found: AssetJson, planned: PlannedAsset, tag: string, where: string): void {
  const digest = found.digest ?? undefined;
  const differs =
    found.state !== 'uploaded' ||
    found.size !== planned.bytes ||
    (digest !== undefined && digest !== `sha256:${planned.sha256}`);
  if (!differs) return;
  const what =
    found.state !== 'uploaded'
      ? `an unfinished upload (state ${found.state})`
      : `different bytes (${found.size} bytes${digest ? `, ${digest}` : ''}; the model's are ${planned.bytes} bytes, sha256:${planned.sha256})`;
  throw new UserError(
    `${where} has an asset '${found.name}' with ${what}. Delete that asset (gh release delete-asset '${tag}' '${found.name}') and run again; only missing assets are uploaded`,
  );
}

function published(planned: PlannedAsset, asset: AssetJson, uploaded: boolean): PublishedAsset {
  return {
    name: planned.name,
    sha256: planned.sha256,
    bytes: planned.bytes,
    url: asset.browser_download_url,
    uploaded,
  };
}

/** GitHub's answer as a message naming the release and the permission; our own errors pass unchanged. */
function toError(error: unknown, action: string): unknown {
  if (error instanceof UserError) return error;
  return toGitHubApiError(error, { action, permission: PERMISSION });
}
