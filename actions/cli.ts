// The `mlops` command: every action's main, runnable outside GitHub with the same inputs and reports.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runWorkerJob } from './validate-data/src/worker-jobs.ts';

// validate-data validates and profiles on worker threads started from this same bundle; on those threads
// only the readers and the profile load, never the CLI and its clients.
if (!(await runWorkerJob())) {
  const { runCli } = await import('@mlops/kit/cli-runner');
  // The bundle lives at dist/cli/index.mjs; action.yml files (inputs and defaults) are two levels up.
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const workerEntry = new URL(import.meta.url);
  // Each action's code loads only when that action runs.
  process.exitCode = await runCli(
    process.argv.slice(2),
    {
      'validate-data': async (io) => (await import('./validate-data/src/main.ts')).main(io, { workerEntry }),
      'validate-training': async (io) => (await import('./validate-training/src/main.ts')).main(io),
      'evaluate-gate': async (io) => (await import('./evaluate-gate/src/main.ts')).main(io),
      'register-model': async (io) => (await import('./register-model/src/main.ts')).main(io),
      promote: async (io) => (await import('./promote/src/main.ts')).main(io),
      'lookup-model': async (io) => (await import('./lookup-model/src/main.ts')).main(io),
      'dispatch-retrain': async (io) => (await import('./dispatch-retrain/src/main.ts')).main(io),
      'pr-comment': async (io) => (await import('./pr-comment/src/main.ts')).main(io),
      'serving-check': async (io) => (await import('./serving-check/src/main.ts')).main(io),
      'canary-analysis': async (io) => (await import('./canary-analysis/src/main.ts')).main(io),
    },
    repoRoot,
  );
}
