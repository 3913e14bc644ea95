import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildLineage } from './lineage-builder.ts';
import { readMetricsFile } from './metrics-input.ts';

const fixtures = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../test/fixtures/registry',
);

function workspace(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lineage-'));
  mkdirSync(path.join(dir, 'model'));
  writeFileSync(path.join(dir, 'model', 'w.bin'), 'weights');
  writeFileSync(path.join(dir, 'train.csv'), 'x\n1\n');
  writeFileSync(path.join(dir, 'uv.lock'), 'lock');
  return dir;
}

const base = (dir: string) => ({
  name: 'churn',
  workspace: dir,
  model: { absolute: path.join(dir, 'model'), shownAs: 'model' },
  commit: 'c'.repeat(40),
  trigger: { serverUrl: 'https://github.com', repository: 'o/r', runId: '5', actor: 'octocat' },
  now: new Date('2026-11-22T00:00:00Z'),
});

describe('lineage record', () => {
  it('records checksums, a data version, lockfiles and the run', async () => {
    const dir = workspace();
    const record = await buildLineage({ ...base(dir), data: ['train.csv', 'dvc:4f2a1c'] });
    expect(record).toMatchObject({
      schema: 'mlops.lineage/v1',
      created_at: '2026-11-22T00:00:00.000Z',
      model: {
        path: 'model',
        files: 1,
        bytes: 7,
        uri: `https://github.com/o/r/tree/${'c'.repeat(40)}/model`,
      },
      data: {
        files: [{ path: 'train.csv', sha256: createHash('sha256').update('x\n1\n').digest('hex') }],
        version: 'dvc:4f2a1c',
      },
      environment: {
        lockfiles: [{ path: 'uv.lock', sha256: createHash('sha256').update('lock').digest('hex') }],
      },
      trigger: { actor: 'octocat', run_id: '5', run_url: 'https://github.com/o/r/actions/runs/5' },
    });
  });

  it('tells a missing data file from a data-version string', async () => {
    const dir = workspace();
    await expect(buildLineage({ ...base(dir), data: ['data/missing.csv'] })).rejects.toThrow(
      "input 'data': 'data/missing.csv' does not exist",
    );
    await expect(buildLineage({ ...base(dir), data: ['rev-a', 'rev-b'] })).rejects.toThrow(
      /only one data-version string/,
    );
    expect((await buildLineage({ ...base(dir), data: ['s3://bucket/train.parquet@v3'] })).data.version).toBe(
      's3://bucket/train.parquet@v3',
    );
  });

  it('takes the verdict, digest and challenger metrics from an evaluate-gate report, or flattens plain metrics', async () => {
    const dir = workspace();
    copyFileSync(path.join(fixtures, 'gate-failed.json'), path.join(dir, 'gate.json'));
    const gate = await readMetricsFile(path.join(dir, 'gate.json'), 'gate.json');
    expect(gate.gate).toEqual({
      passed: false,
      report_sha256: createHash('sha256')
        .update(readFileSync(path.join(dir, 'gate.json')))
        .digest('hex'),
      report_schema: 'mlops.evaluate-gate/v1',
      metric: 'roc_auc',
      difference: -0.014,
      ci: [-0.03, 0.002],
    });
    expect(gate.metrics.roc_auc).toBe(0.871);
    writeFileSync(path.join(dir, 'm.json'), '{"val": {"auc": 0.9, "note": "x"}, "loss": 0.3}');
    expect(await readMetricsFile(path.join(dir, 'm.json'), 'm.json')).toEqual({
      metrics: { 'val.auc': 0.9, loss: 0.3 },
    });
    // Metric names are the user's: names of Object.prototype are names like any other.
    writeFileSync(path.join(dir, 'proto.json'), '{"__proto__": 0.7, "constructor": {"toString": 0.5}}');
    const proto = await readMetricsFile(path.join(dir, 'proto.json'), 'proto.json');
    expect(Object.entries(proto.metrics)).toEqual([
      ['__proto__', 0.7],
      ['constructor.toString', 0.5],
    ]);
    writeFileSync(path.join(dir, 'bad.json'), '[1, 2');
    await expect(readMetricsFile(path.join(dir, 'bad.json'), 'bad.json')).rejects.toThrow(
      "input 'metrics': 'bad.json' line 1, column 6: not valid JSON (the text ends early)",
    );
  });
});
