import { runWorkerJob } from './worker-jobs.ts';

// The same bundle is the action's worker threads when started as one (see worker-jobs.ts).
if (!(await runWorkerJob())) {
  const [{ runAction }, { main }] = await Promise.all([
    import('@mlops/kit/github-runner'),
    import('./main.ts'),
  ]);
  await runAction('validate-data', (io) => main(io, { workerEntry: new URL(import.meta.url) }));
}
