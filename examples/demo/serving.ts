// The demo's serving act: v1.1.0 is on staging, so a local Open Inference Protocol server serves its model
// (examples/model/challenger.json, scored in Node) and serving-check proves it answers the golden rows as
// scikit-learn did offline. A second server serves the same model but skips its preprocessing (the scaler
// missing at serving time, the skew users meet most): the same check must fail on parity, with the rows
// that differ. Production's promotion then requires the healthy report (promote's require-serving-check).
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  loadExampleModel,
  type ModelServer,
  startOipServer,
} from '../../test/harness/model-servers/index.ts';
import { repoRoot } from '../../test/harness/runner.ts';
import type { DemoStep } from './steps.ts';

/** The passed report promote-v2-production requires. */
export const SERVING_REPORT = 'mlops-reports/serving/staging.json';

export interface ServingAct {
  /** The two checks, to run once v1.1.0 is on staging. */
  steps(needs: string[]): DemoStep[];
  close(): Promise<void>;
}

/** Starts both servers (healthy and skewed) and puts the golden rows in the workspace. */
export async function startServingAct(
  workspace: string,
  name: string,
  version: string,
  log: (line: string) => void = console.log,
): Promise<ServingAct> {
  const fixtures = path.join(repoRoot, 'test', 'fixtures', 'serving');
  mkdirSync(path.join(workspace, 'serving'), { recursive: true });
  copyFileSync(path.join(fixtures, 'golden-challenger.csv'), path.join(workspace, 'serving', 'golden.csv'));
  copyFileSync(
    path.join(fixtures, 'expected-challenger.csv'),
    path.join(workspace, 'serving', 'expected.csv'),
  );
  const file = path.join(workspace, 'model', 'challenger.json');
  const served = version.replace(/^v/, '');
  const servers: ModelServer[] = [
    await startOipServer({ model: loadExampleModel(file), name, version: served }),
    await startOipServer({
      model: loadExampleModel(file, { skipPreprocessing: true }),
      name,
      version: served,
    }),
  ];
  const [healthy, skewed] = servers as [ModelServer, ModelServer];
  // Both reports are the point of the act: say where each is and what it concluded.
  // `after` runs just before the step's own line is logged; a microtask puts the report line under it.
  const show = (report: string) => () => {
    const verdict = JSON.parse(readFileSync(path.join(workspace, report), 'utf8')) as { explanation: string };
    queueMicrotask(() => log(`      ${report}: ${verdict.explanation.slice(0, 220)}`));
  };
  const inputs = (url: string, report: string) => ({
    url,
    protocol: 'oip',
    model: name,
    requests: 'serving/golden.csv',
    expected: 'serving/expected.csv',
    'id-column': 'id',
    'expected-version': version,
    atol: '1e-9',
    rtol: '1e-9',
    'min-agreement': '0.99',
    warmup: '3',
    repeats: '25',
    concurrency: '2',
    'latency-p95-ms': '250',
    'edge-cases': 'true',
    report,
  });
  return {
    steps: (needs) => [
      {
        id: 'serving-staging',
        title: `smoke-test staging: ${version} answers the golden rows as it did offline (OIP server)`,
        action: 'serving-check',
        needs,
        inputs: inputs(healthy.url, SERVING_REPORT),
        after: show(SERVING_REPORT),
      },
      {
        id: 'serving-skewed',
        title: 'the same check on a server that skips its preprocessing: parity must fail',
        action: 'serving-check',
        needs,
        inputs: inputs(skewed.url, 'mlops-reports/serving/skewed.json'),
        after: show('mlops-reports/serving/skewed.json'),
        // The failure is the point: this step passes when serving-check catches the skew, and only then.
        acceptExit: (result) =>
          result.outputs.passed === 'false' &&
          Number(result.outputs.mismatches) > 0 &&
          result.errors.some((error) => error.includes('parity:')),
      },
    ],
    async close() {
      await Promise.all(servers.map((server) => server.close()));
    },
  };
}
