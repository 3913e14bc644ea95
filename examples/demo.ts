// `npm run demo`: the whole ML pipeline of the example project, run locally through the bundled actions
// (dist/) the way GitHub's runner runs them. Bundled and started by examples/demo.mjs.
//
//   act 1  the champion's history   register v1.0.0, promote it to staging and production
//   act 2  a pull request           validate the new batch (drift), look up the champion, check the
//                                   challenger's training run, gate it against the champion, register v1.1.0
//                                   with the gate report, render the PR comment; then the same checks in one
//                                   step with the composite gate action
//   act 3  merge and an incident    promote v1.1.0 to staging, smoke-test the staging endpoint (and catch a
//                                   skewed one), promote to production, roll production back, look up
//                                   which version serves production
//   act 4  the nightly monitor      dispatch retraining on drift (GitHub emulator), then again: cooldown
//   act 5  the online gate          canary-analysis on a local Prometheus (when installed): hold, promote a step, roll back
//
// Everything lands in out/demo/ (recreated on every run): workspace/ is the throw-away git checkout,
// remote.git/ its bare `origin`, workspace/mlops-reports/ the reports, summary.md the overview.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../test/harness/runner.ts';
import { canaryAct } from './demo/canary.ts';
import { startGitHub } from './demo/github.ts';
import { SERVING_REPORT, startServingAct } from './demo/serving.ts';
import { type DemoStep, runStep, type StepRecord } from './demo/steps.ts';
import { renderSummary } from './demo/summary.ts';
import { TRAINING_REPORT, trainingStep } from './demo/training.ts';
import { createWorkspace, registryTags } from './demo/workspace.ts';

const MODEL = 'pima-diabetes';
const REPOSITORY = 'octo-org/pima-diabetes';
const PR_NUMBER = 7;

async function demo(): Promise<number> {
  const started = Date.now();
  // MLOPS_DEMO_OUT lets the tests run the demo without touching a user's out/demo/.
  const outDir = process.env.MLOPS_DEMO_OUT ?? path.join(repoRoot, 'out', 'demo');
  const log = (line: string) => console.log(line);
  const workspace = createWorkspace(path.join(repoRoot, 'examples'), outDir);
  const github = await startGitHub({
    repository: REPOSITORY,
    workflow: 'mlops-pipeline.yml',
    ...pipelineDispatchContract(),
    pullRequest: PR_NUMBER,
  });
  log(
    `mlops demo: example project in ${relative(workspace.checkout)} (bare remote ${relative(workspace.remote)})`,
  );
  log(`GitHub REST emulator at ${github.url} (repository ${REPOSITORY}, pull request #${PR_NUMBER})`);

  const env = {
    GITHUB_REPOSITORY: REPOSITORY,
    GITHUB_SHA: workspace.sha,
    GITHUB_ACTOR: 'demo-scientist',
    GITHUB_WORKFLOW: 'mlops-pipeline',
    GITHUB_API_URL: github.url,
    GITHUB_TOKEN: 'ghs_demo-token-not-a-secret',
  };
  const pullRequestEvent = {
    action: 'synchronize',
    number: PR_NUMBER,
    pull_request: {
      number: PR_NUMBER,
      head: { sha: workspace.sha, ref: 'retrain-older-cohort', repo: { full_name: REPOSITORY } },
      base: { ref: 'main' },
    },
    repository: { full_name: REPOSITORY, name: REPOSITORY.split('/')[1], owner: { login: 'octo-org' } },
  };
  const git = { backend: 'git', 'git-transport': 'cli', remote: 'origin' };
  const serving = await startServingAct(workspace.checkout, MODEL, 'v1.1.0');

  const acts: [string, DemoStep[]][] = [
    [
      'act 1: the champion in production before this change',
      [
        {
          id: 'register-v1',
          title: 'register the champion as v1.0.0',
          action: 'register-model',
          inputs: {
            ...git,
            name: MODEL,
            'model-path': 'model/champion.json',
            version: '1.0.0',
            params: 'params.yml',
            data: 'data/reference.csv',
            description: 'Logistic regression on MASS::Pima.tr',
            'lineage-out': 'mlops-reports/registry/lineage-v1.0.0.json',
          },
        },
        promoteStep('promote-v1-staging', 'v1.0.0', 'staging', ['register-v1']),
        promoteStep('promote-v1-production', 'v1.0.0', 'production', ['promote-v1-staging']),
      ],
    ],
    [
      'act 2: a pull request retrains on the older cohort',
      [
        {
          id: 'validate',
          title: 'validate the new batch against the reference (checks + drift)',
          action: 'validate-data',
          inputs: {
            data: 'data/current.csv',
            reference: 'data/reference.csv',
            expectations: 'expectations.yml',
            // Drift is the reason for this retraining, not a reason to stop it; failed error checks are.
            'fail-on': 'error',
            correction: 'holm',
            report: 'mlops-reports/pr/validate-data.json',
            'html-report': 'mlops-reports/pr/validate-data.html',
            'profile-out': 'mlops-reports/pr/current.profile.json',
          },
        },
        {
          id: 'lookup-champion',
          title: 'look up the production model (the champion to beat)',
          action: 'lookup-model',
          needs: ['promote-v1-production'],
          inputs: {
            ...git,
            name: MODEL,
            stage: 'production',
            'lineage-out': 'mlops-reports/registry/champion-lineage.json',
            report: 'mlops-reports/registry/lookup-champion.json',
          },
        },
        trainingStep(),
        {
          id: 'gate',
          title: 'gate the challenger against the champion (CIs, slices, fairness)',
          action: 'evaluate-gate',
          inputs: {
            predictions: 'data/predictions.csv',
            config: 'gate.yml',
            report: 'mlops-reports/pr/evaluate-gate.json',
          },
        },
        {
          id: 'register-v2',
          title: 'register the challenger as v1.1.0 with its gate report',
          action: 'register-model',
          needs: ['gate', 'register-v1'],
          inputs: {
            ...git,
            name: MODEL,
            'model-path': 'model/challenger.json',
            bump: 'minor',
            metrics: 'mlops-reports/pr/evaluate-gate.json',
            'training-report': TRAINING_REPORT,
            params: 'params.yml',
            data: 'data/reference.csv\ndata/current.csv',
            description: 'Adds age squared; trained with the older outreach cohort',
            'lineage-out': 'mlops-reports/pr/lineage.json',
          },
        },
        {
          id: 'pr-comment',
          title: 'render the pull-request comment (dry run)',
          action: 'pr-comment',
          eventName: 'pull_request',
          event: pullRequestEvent,
          inputs: {
            reports: 'mlops-reports/pr/*.json',
            header: 'mlops-demo',
            'dry-run': 'true',
            'body-file': 'mlops-reports/pr/comment.md',
          },
        },
        {
          id: 'pr-comment-post',
          title: 'post the sticky comment on the pull request (GitHub emulator)',
          action: 'pr-comment',
          needs: ['pr-comment'],
          eventName: 'pull_request',
          event: pullRequestEvent,
          inputs: {
            reports: 'mlops-reports/pr/*.json',
            header: 'mlops-demo',
            'body-file': 'mlops-reports/pr/comment-posted.md',
          },
        },
        {
          // What a team without the full pipeline writes: the composite gate action, one `uses:` line.
          id: 'one-line-gate',
          title:
            'the same checks in one step: the composite gate action (validate-data + evaluate-gate + comment)',
          action: 'gate',
          eventName: 'pull_request',
          event: pullRequestEvent,
          inputs: {
            data: 'data/current.csv',
            reference: 'data/reference.csv',
            expectations: 'expectations.yml',
            'fail-on': 'error',
            predictions: 'data/predictions.csv',
            config: 'gate.yml',
            'reports-dir': 'mlops-reports/one-line-gate',
            header: 'mlops-one-line-gate',
          },
        },
      ],
    ],
    [
      'act 3: merged; promoted, then rolled back',
      [
        // require-gate: the version's lineage must record a passed evaluate-gate verdict.
        promoteStep('promote-v2-staging', 'v1.1.0', 'staging', ['register-v2'], { 'require-gate': 'true' }),
        // The staging endpoint must answer as the model did offline; a skewed server must be caught.
        ...serving.steps(['promote-v2-staging']),
        promoteStep(
          'promote-v2-production',
          'v1.1.0',
          'production',
          ['promote-v2-staging', 'serving-staging'],
          {
            'require-serving-check': SERVING_REPORT,
          },
        ),
        {
          id: 'rollback',
          title: 'roll production back to the version it held before',
          action: 'promote',
          needs: ['promote-v2-production'],
          inputs: {
            ...git,
            name: MODEL,
            stage: 'production',
            rollback: 'true',
            report: 'mlops-reports/registry/rollback-production.json',
          },
        },
        {
          id: 'lookup-production',
          title: 'look up which version serves production now',
          action: 'lookup-model',
          needs: ['rollback'],
          inputs: {
            ...git,
            name: MODEL,
            stage: 'production',
            'lineage-out': 'mlops-reports/registry/production-lineage.json',
            report: 'mlops-reports/registry/lookup-production.json',
          },
        },
      ],
    ],
    [
      'act 4: the nightly drift monitor',
      [
        {
          ...dispatchStep('dispatch', 'decide on retraining from the drift report', ['validate']),
          // The dispatched training runs and finishes before the next nightly check.
          after: () => github.finishRuns(),
        },
        // The next night, the same drift must not start a second training: cooldown and de-duplication.
        dispatchStep('dispatch-again', 'decide again the next night, on the same drift', ['dispatch']),
      ],
    ],
  ];

  // act 5 (when Debian's prometheus is installed): judge a canary on a local Prometheus.
  const canary = await canaryAct(workspace.checkout);
  acts.push([canary.title, canary.steps]);

  const records: StepRecord[] = [];
  for (const [title, steps] of acts) {
    log(`\n${title}`);
    for (const step of steps) {
      records.push(
        await runStep(
          step,
          { workspace: workspace.checkout, env, log, summariesDir: path.join(outDir, 'summaries') },
          records,
        ),
      );
    }
  }

  const summary = renderSummary({
    records,
    workspace: workspace.checkout,
    outDir,
    tags: registryTags(workspace.checkout),
    dispatches: github.dispatches(),
    comments: github.comments().length,
    violations: github.violations(),
    seconds: (Date.now() - started) / 1000,
  });
  await github.close();
  await serving.close();
  await canary.close();
  writeFileSync(path.join(outDir, 'summary.md'), summary.markdown);
  log(`\n${summary.text}`);
  const clean = records.every((record) => record.status === 'passed') && summary.violations === 0;
  return clean ? 0 : 1;
}

function promoteStep(
  id: string,
  version: string,
  stage: string,
  needs: string[],
  extra: Record<string, string> = {},
): DemoStep {
  return {
    id,
    title: `promote ${version} to ${stage}`,
    action: 'promote',
    needs,
    inputs: {
      backend: 'git',
      'git-transport': 'cli',
      remote: 'origin',
      name: MODEL,
      version,
      stage,
      report: `mlops-reports/registry/promote-${version}-${stage}.json`,
      ...extra,
    },
  };
}

function dispatchStep(id: string, title: string, needs: string[]): DemoStep {
  return {
    id,
    title,
    action: 'dispatch-retrain',
    needs,
    eventName: 'schedule',
    inputs: {
      'drift-report': 'mlops-reports/pr/validate-data.json',
      workflow: 'mlops-pipeline.yml',
      ref: 'main',
      inputs: JSON.stringify({ reason: 'nightly drift monitor' }),
      cooldown: '24h',
      report: `mlops-reports/monitor/${id}.json`,
    },
  };
}

/**
 * What GitHub knows of the reference pipeline: the workflow_dispatch inputs it declares (anything else is
 * answered with 422) and its run-name, which makes dispatch-retrain's marker the run title it looks for.
 */
function pipelineDispatchContract(): { workflowInputs: string[]; runName?: string } {
  const file = path.join(repoRoot, '.github/workflows/mlops-pipeline.yml');
  const workflow = parse(readFileSync(file, 'utf8')) as {
    'run-name'?: string;
    on: { workflow_dispatch: { inputs: Record<string, unknown> } };
  };
  return {
    workflowInputs: Object.keys(workflow.on.workflow_dispatch.inputs),
    ...(workflow['run-name'] === undefined ? {} : { runName: workflow['run-name'] }),
  };
}

function relative(file: string): string {
  return path.relative(process.cwd(), file) || '.';
}

process.exitCode = await demo();
