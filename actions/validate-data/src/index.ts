import { runAction } from '@mlops/kit/github-runner';
import { main } from './main.ts';
import { runWorkerJob } from './worker-jobs.ts';

// The same start file is the action's worker threads when started as one (see worker-jobs.ts); a thread loads
// its job's modules, not the action's (the runner host and main are in the start file, scripts/build.mjs).
void runWorkerJob().then(async (isWorker) => {
  if (!isWorker)
    await runAction('validate-data', (io) => main(io, { workerEntry: new URL(import.meta.url) }));
});
