// The release assets register-model uploads beside a version (release-asset: true). Not a report of its own:
// the lineage record names the model URI; this is the job summary's account of the upload.

import { inlineCode, safeLink } from './escape.ts';
import { formatNumber } from './format.ts';
import { blocks } from './section.ts';
import { markdownTable } from './table.ts';

export interface ReleaseAssetsView {
  htmlUrl: string;
  /** false when the release existed already (a re-run). */
  created: boolean;
  modelUri: string;
  assets: readonly { name: string; url: string; bytes: number; sha256: string; uploaded: boolean }[];
}

/** One row per asset, with its sha256 and whether this run uploaded it. */
export function releaseAssetsMarkdown(tag: string, release: ReleaseAssetsView): string {
  return `${blocks(
    `### Release assets of ${inlineCode(tag, { maxLength: 200 })}`,
    `${safeLink(release.created ? 'Created release' : 'Existing release', release.htmlUrl)}; model URI: ${inlineCode(release.modelUri, { maxLength: 400 })}`,
    markdownTable(
      [{ header: 'Asset' }, { header: 'Bytes', align: 'right' }, { header: 'sha256' }, { header: '' }],
      release.assets.map((asset) => [
        safeLink(asset.name, asset.url),
        formatNumber(asset.bytes),
        inlineCode(asset.sha256, { table: true }),
        asset.uploaded ? 'uploaded' : 'already there',
      ]),
    ),
  )}\n`;
}
