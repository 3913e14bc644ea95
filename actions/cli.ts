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
  const [
    { runCli },
    dispatchRetrain,
    evaluateGate,
    lookupModel,
    prComment,
    promote,
    registerModel,
    validateData,
  ] = await Promise.all([
    import('@mlops/kit/cli-runner'),
    import('./dispatch-retrain/src/main.ts'),
    import('./evaluate-gate/src/main.ts'),
    import('./lookup-model/src/main.ts'),
    import('./pr-comment/src/main.ts'),
    import('./promote/src/main.ts'),
    import('./register-model/src/main.ts'),
    import('./validate-data/src/main.ts'),
  ]);
  // The bundle lives at dist/cli/index.mjs; action.yml files (inputs and defaults) are two levels up.
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const workerEntry = new URL(import.meta.url);
  process.exitCode = await runCli(
    process.argv.slice(2),
    {
      'validate-data': (io) => validateData.main(io, { workerEntry }),
      'evaluate-gate': evaluateGate.main,
      'register-model': registerModel.main,
      promote: promote.main,
      'lookup-model': lookupModel.main,
      'dispatch-retrain': dispatchRetrain.main,
      'pr-comment': prComment.main,
    },
    repoRoot,
  );
}
