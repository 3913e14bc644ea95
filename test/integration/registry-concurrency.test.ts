import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readWithGtoRules } from '../fixtures/registry/gto-rules.ts';
import { git, makeRemote, remoteTags } from '../fixtures/registry/setup.ts';
import { runBundledAction } from '../harness/runner.ts';

describe('git registry under concurrency (parallel runner processes, one bare remote)', () => {
  it('20 parallel registrations give 20 distinct versions; parallel promotions end consistent and GTO-readable', async () => {
    const remote = makeRemote();
    const jobs = Array.from({ length: 20 }, (_, index) => remote.workspace(`weights-${index}`));
    const started = Date.now();
    const registrations = await Promise.all(
      jobs.map((workspace, index) =>
        runBundledAction('register-model', {
          workspace,
          env: { GITHUB_ACTOR: `runner-${index}`, GITHUB_RUN_ID: String(2000 + index) },
          inputs: { name: 'churn', 'model-path': 'model' },
        }),
      ),
    );
    const elapsed = Date.now() - started;
    for (const result of registrations) expect(result.errors).toEqual([]);
    const versions = registrations.map((result) => result.outputs.version!);
    expect(new Set(versions).size).toBe(20);
    expect([...versions].sort()).toEqual(
      Array.from({ length: 20 }, (_, index) => `v0.0.${index + 1}`).sort(),
    );
    // Each run's lineage holds its own model.
    const shas = registrations.map(
      (result) => JSON.parse(readFileSync(result.outputs.lineage!, 'utf8')).model.sha256,
    );
    expect(new Set(shas).size).toBe(20);
    console.info(`20 parallel registrations: ${elapsed} ms`);

    // Six promotions race for production.
    const promotions = await Promise.all(
      ['v0.0.3', 'v0.0.7', 'v0.0.11', 'v0.0.13', 'v0.0.17', 'v0.0.19'].map((version, index) =>
        runBundledAction('promote', {
          workspace: remote.workspace(),
          env: { GITHUB_RUN_ID: String(3000 + index) },
          inputs: { name: 'churn', stage: 'production', version },
        }),
      ),
    );
    for (const result of promotions) expect(result.errors).toEqual([]);
    const stageTags = remoteTags(remote).filter((tag) => tag.startsWith('churn#production#'));
    expect(stageTags.map((tag) => Number(tag.split('#')[2])).sort((a, b) => a - b)).toEqual([
      1, 2, 3, 4, 5, 6,
    ]);

    // A fresh checkout reads one holder: the last move, by our reading, by GTO's rules and by the audit chain.
    const reader = remote.workspace();
    git(reader, 'fetch', '--quiet', 'origin', '+refs/tags/*:refs/tags/*');
    const gto = readWithGtoRules(reader, 'churn');
    expect(gto.problems).toEqual([]);
    expect(gto.versions.size).toBe(20);
    const lookup = await runBundledAction('lookup-model', {
      workspace: reader,
      inputs: { name: 'churn', stage: 'production' },
    });
    const last = promotions.find((result) => result.outputs.tag === 'churn#production#6')!;
    expect(lookup.outputs.version).toBe(last.outputs.version);
    expect(gto.stages.get('production')).toBe(last.outputs.version);
    const audit = JSON.parse(readFileSync(last.outputs.report!, 'utf8')).audit as {
      from: string | null;
      to: string;
    }[];
    expect(audit).toHaveLength(6);
    expect(audit[0]!.from).toBeNull();
    for (let index = 1; index < audit.length; index++) expect(audit[index]!.from).toBe(audit[index - 1]!.to);
  });
});
