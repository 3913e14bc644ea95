// Which release assets a model becomes, checked against the lineage's checksum before anything is uploaded.
//
// One asset per file, not one archive: each asset's sha256 is a checksum the lineage already vouches for (a
// single file's sha256 is the lineage's model sha256; a directory's files are listed, with their sha256, in
// the SHA256SUMS asset, whose own sha256 is the lineage's directory digest), so `sha256sum -c` verifies a
// download against the registered version with no unpacking. It also makes a re-run after a failed upload
// resume per file, and keeps a large model from being read into one archive. The cost: release assets are
// flat, so a nested path becomes one name (`sub/w.bin` -> `sub.w.bin`); names that would collide are refused.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '@mlops/kit';
import { checksumDirectory, manifestDigest, sha256Bytes, sha256File } from '@mlops/lineage';

/** The manifest asset of a directory model, in `sha256sum` format (the lineage's directory digest). */
export const MANIFEST_ASSET = 'SHA256SUMS';

export interface PlannedAsset {
  /** The asset's name on the release: flat, in the characters GitHub keeps as they are. */
  name: string;
  /** The model file's path relative to the model directory (the file's own name for a single file). */
  path: string;
  sha256: string;
  bytes: number;
  contentType: string;
  /** Where the bytes are read from at upload time; undefined for generated content. */
  file?: string;
  /** Generated content (the manifest). */
  content?: Buffer;
}

export interface ReleaseAssetPlan {
  assets: PlannedAsset[];
  /** The asset whose download URL is the model URI: the file itself, or a directory's SHA256SUMS. */
  primary: string;
}

/**
 * The name GitHub stores for an uploaded asset: GitHub renames special characters, non-alphanumeric
 * characters and leading or trailing periods (docs.github.com, "Upload a release asset"). We apply the rule
 * first, so the name we ask for is the name we get, and collisions can be refused before any upload.
 * @example releaseAssetName('sub dir/model v2.onnx') // 'sub.dir.model.v2.onnx'
 */
export function releaseAssetName(relativePath: string): string {
  return relativePath.replace(/[^A-Za-z0-9._+-]/g, '.').replace(/^\.+|\.+$/g, '');
}

/**
 * Plans the assets of a model file or directory and checks them against the checksum the lineage recorded
 * (`expectedSha256`), so what is uploaded is what was registered.
 */
export async function planReleaseAssets(
  modelPath: string,
  shownAs: string,
  expectedSha256: string,
): Promise<ReleaseAssetPlan> {
  const info = await stat(modelPath);
  if (info.isFile()) {
    const name = releaseAssetName(path.basename(modelPath));
    if (name === '')
      throw new UserError(`release-asset: '${shownAs}' has no characters GitHub keeps in an asset name`);
    const { sha256, bytes } = await sha256File(modelPath);
    checkUnchanged(shownAs, sha256, expectedSha256);
    const asset = {
      name,
      path: path.basename(modelPath),
      sha256,
      bytes,
      contentType: 'application/octet-stream',
      file: modelPath,
    };
    return { assets: [asset], primary: name };
  }
  const files = await checksumDirectory(modelPath);
  checkUnchanged(shownAs, manifestDigest(files), expectedSha256);
  const manifest = Buffer.from(files.map((file) => `${file.sha256}  ${file.path}\n`).join(''));
  const assets: PlannedAsset[] = [];
  const byName = new Map<string, string>([[MANIFEST_ASSET, `the manifest ${MANIFEST_ASSET}`]]);
  for (const file of files) {
    const name = releaseAssetName(file.path.split('/').join('.'));
    const clash = byName.get(name);
    if (clash !== undefined || name === '') {
      throw new UserError(
        `release-asset: '${shownAs}/${file.path}' would be uploaded as '${name}', ${clash ? `the asset name of ${clash}` : 'an empty name'}; release assets are flat (no folders), so rename one of them`,
      );
    }
    byName.set(name, `'${shownAs}/${file.path}'`);
    assets.push({
      name,
      path: file.path,
      sha256: file.sha256,
      bytes: file.bytes,
      contentType: 'application/octet-stream',
      file: path.join(modelPath, ...file.path.split('/')),
    });
  }
  assets.push({
    name: MANIFEST_ASSET,
    path: MANIFEST_ASSET,
    sha256: sha256Bytes(manifest),
    bytes: manifest.length,
    contentType: 'text/plain',
    content: manifest,
  });
  return { assets, primary: MANIFEST_ASSET };
}

/** The bytes of a planned asset, re-hashed: a file changed since planning is refused, not uploaded. */
export async function readPlannedAsset(asset: PlannedAsset): Promise<Buffer> {
  // One buffer per asset, not a stream: the retry plugin re-sends the body after a 5xx, which a consumed
  // stream cannot do. GitHub caps an asset at 2 GiB, which bounds the memory this takes.
  const bytes = asset.content ?? (await readFile(asset.file!));
  const sha256 = sha256Bytes(bytes);
  if (sha256 !== asset.sha256) {
    throw new UserError(
      `release-asset: '${asset.path}' changed after it was checksummed (sha256 ${sha256.slice(0, 12)}, registered ${asset.sha256.slice(0, 12)}); nothing more was uploaded`,
    );
  }
  return bytes;
}

function checkUnchanged(shownAs: string, actual: string, expected: string): void {
  if (actual !== expected) {
    throw new UserError(
      `release-asset: '${shownAs}' changed after it was registered (sha256 ${actual.slice(0, 12)}, lineage ${expected.slice(0, 12)}); register it again`,
    );
  }
}
