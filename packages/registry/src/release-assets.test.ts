import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UserError } from '@mlops/kit';
import { checksumPath } from '@mlops/lineage';
import { describe, expect, it } from 'vitest';
import { MANIFEST_ASSET, planReleaseAssets, readPlannedAsset, releaseAssetName } from './release-assets.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function model(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'mlops-release-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

describe('releaseAssetName', () => {
  it("applies GitHub's renaming of special characters and edge periods", () => {
    expect(releaseAssetName('model.onnx')).toBe('model.onnx');
    expect(releaseAssetName('sub dir/model v2+b_c-d.onnx')).toBe('sub.dir.model.v2+b_c-d.onnx');
    expect(releaseAssetName('.hidden.')).toBe('hidden');
    expect(releaseAssetName('modèle.bin')).toBe('mod.le.bin');
  });
});

describe('planReleaseAssets', () => {
  it('a single file is one asset carrying the lineage sha256', async () => {
    const dir = model({ 'w.bin': 'weights' });
    const lineage = await checksumPath(path.join(dir, 'w.bin'), 'w.bin', 'model');
    const plan = await planReleaseAssets(path.join(dir, 'w.bin'), 'w.bin', lineage.sha256);
    expect(plan).toMatchObject({ primary: 'w.bin', assets: [{ name: 'w.bin', sha256: sha256('weights') }] });
  });

  it('a directory is one asset per file plus SHA256SUMS, whose sha256 is the lineage digest', async () => {
    const dir = model({ 'b.bin': 'bee', 'sub/a.json': '{}' });
    const lineage = await checksumPath(dir, 'model', 'model');
    const plan = await planReleaseAssets(dir, 'model', lineage.sha256);
    expect(plan.primary).toBe(MANIFEST_ASSET);
    expect(plan.assets.map((asset) => asset.name)).toEqual(['b.bin', 'sub.a.json', 'SHA256SUMS']);
    const manifest = plan.assets.at(-1)!;
    expect(manifest.sha256).toBe(lineage.sha256);
    expect(manifest.content!.toString()).toBe(`${sha256('bee')}  b.bin\n${sha256('{}')}  sub/a.json\n`);
    expect((await readPlannedAsset(plan.assets[1]!)).toString()).toBe('{}');
  });

  it('refuses names that collide once flattened, and a model changed since it was checksummed', async () => {
    const clash = model({ 'a/b.bin': '1', 'a.b.bin': '2' });
    const digest = (await checksumPath(clash, 'model', 'model')).sha256;
    await expect(planReleaseAssets(clash, 'model', digest)).rejects.toThrow(
      /'model\/a\/b\.bin' would be uploaded as 'a\.b\.bin', the asset name of 'model\/a\.b\.bin'/,
    );
    const manifestClash = model({ SHA256SUMS: 'x' });
    const manifestDigest = (await checksumPath(manifestClash, 'model', 'model')).sha256;
    await expect(planReleaseAssets(manifestClash, 'model', manifestDigest)).rejects.toThrow(
      /the asset name of the manifest SHA256SUMS/,
    );
    const dir = model({ 'w.bin': 'weights' });
    await expect(planReleaseAssets(dir, 'model', sha256('other'))).rejects.toThrow(UserError);

    const plan = await planReleaseAssets(dir, 'model', (await checksumPath(dir, 'model', 'model')).sha256);
    writeFileSync(path.join(dir, 'w.bin'), 'retrained');
    await expect(readPlannedAsset(plan.assets[0]!)).rejects.toThrow(
      /'w\.bin' changed after it was checksummed/,
    );
  });
});
