import type { PublishedRelease } from './release-publish.ts';

/** The job-summary section of a published release: one row per asset, with its sha256 and whether it was uploaded now. */
export function releaseSummary(tag: string, release: PublishedRelease): string {
  const rows = release.assets.map(
    (asset) =>
      `| [${cell(asset.name)}](${asset.url}) | ${asset.bytes} | \`${asset.sha256}\` | ${asset.uploaded ? 'uploaded' : 'already there'} |`,
  );
  return [
    `### Release assets of \`${cell(tag)}\``,
    '',
    `[${release.created ? 'Created' : 'Existing'} release](${release.htmlUrl}); model URI: ${release.modelUri}`,
    '',
    '| Asset | Bytes | sha256 | |',
    '|---|---:|---|---|',
    ...rows,
    '',
  ].join('\n');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
