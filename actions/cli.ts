// The `mlops` command: every action's main, runnable outside GitHub with the same inputs and reports.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isProfileWorker } from './validate-data/src/worker-flag.ts';

// validate-data profiles the reference on a second thread started from this same bundle; on that thread
// only the readers and the profile load, never the CLI and its clients.
if (isProfileWorker()) {
  const { runProfileWorker } = await import('./validate-data/src/profile-worker.ts');
  await runProfileWorker();
} else {
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
