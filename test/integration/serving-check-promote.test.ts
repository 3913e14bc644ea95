// promote's require-serving-check: the staging serving-check report gates the production promotion. A real
// serving-check run against the OIP test server writes the report; promote (git registry on a bare remote)
// goes ahead only on a passed report of the same version.
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRemote, remoteTags } from '../fixtures/registry/setup.ts';
import { startOipServer } from '../harness/model-servers/index.ts';
import { repoRoot, runBundledAction } from '../harness/runner.ts';

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'serving');
const env = { GITHUB_ACTOR: 'octocat', GITHUB_RUN_ID: '2001' };

describe('promote with require-serving-check', () => {
  it('promotes on a passed report of the same version, refuses a failed one or another version', async () => {
    const remote = makeRemote();
    const job = remote.workspace('weights-1');
    const registered = await runBundledAction('register-model', {
      workspace: job,
      env,
      inputs: { name: 'churn', 'model-path': 'model', metrics: 'gate-passed.json', version: 'v1.1.0' },
    });
    expect(registered.errors).toEqual([]);

    const workspace = remote.workspace();
    copyFileSync(path.join(fixtures, 'golden.csv'), path.join(workspace, 'golden.csv'));
    copyFileSync(path.join(fixtures, 'expected.csv'), path.join(workspace, 'expected.csv'));
    const server = await startOipServer({ version: '1.1.0' });
    try {
      const serving = await runBundledAction('serving-check', {
        workspace,
        inputs: {
          url: server.url,
          model: 'champion',
          requests: 'golden.csv',
          expected: 'expected.csv',
          'id-column': 'id',
          repeats: 0,
          'expected-version': '1.1.0',
          report: 'reports/serving-check.json',
        },
      });
      expect(serving.outputs.passed).toBe('true');
    } finally {
      await server.close();
    }
    const promote = (version: string, report: string) =>
      runBundledAction('promote', {
        workspace,
        env,
        inputs: { name: 'churn', stage: 'production', version, 'require-serving-check': report },
      });

    const other = await promote('v1.0.0', 'reports/serving-check.json');
    expect(other.exitCode).toBe(1);
    expect(other.errors.join('\n')).toMatch(/refusing to promote v1.0.0: .* was of version 1.1.0/);

    writeFileSync(
      path.join(workspace, 'reports', 'failed.json'),
      JSON.stringify({
        schema: 'mlops.serving-check/v1',
        passed: false,
        served_version: '1.1.0',
        explanation: '1 of 8 checks failed — parity: 170 of 182 rows differ',
      }),
    );
    const failed = await promote('v1.1.0', 'reports/failed.json');
    expect(failed.exitCode).toBe(1);
    expect(failed.errors.join('\n')).toMatch(
      /did not pass: 1 of 8 checks failed — parity: 170 of 182 rows differ/,
    );
    const missing = await promote('v1.1.0', 'reports/none.json');
    expect(missing.errors.join('\n')).toMatch(
      /input 'require-serving-check': file '.*none.json' does not exist/,
    );
    expect(remoteTags(remote).filter((tag) => tag.includes('#production'))).toEqual([]);

    const ok = await promote('v1.1.0', 'reports/serving-check.json');
    expect(ok.errors).toEqual([]);
    expect(ok.outputs.version).toBe('v1.1.0');
    expect(remoteTags(remote).some((tag) => tag.startsWith('churn#production#'))).toBe(true);
  });
});
