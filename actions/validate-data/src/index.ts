import { isProfileWorker } from './worker-flag.ts';

// The same bundle is the reference-profiling thread when started as one (see profile-worker.ts). Modules
// are loaded on demand, so that thread loads the readers and the profile, not the runner and its clients.
if (isProfileWorker()) {
  const { runProfileWorker } = await import('./profile-worker.ts');
  await runProfileWorker();
} else {
  const [{ runAction }, { main }] = await Promise.all([
    import('@mlops/kit/github-runner'),
    import('./main.ts'),
  ]);
  await runAction('validate-data', (io) => main(io, { workerEntry: new URL(import.meta.url) }));
}
