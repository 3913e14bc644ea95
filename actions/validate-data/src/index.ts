import { runAction } from '@mlops/kit/github-runner';
import { main } from './main.ts';
import { isProfileWorker, runProfileWorker } from './profile-worker.ts';

// The same bundle is the reference-profiling thread when started as one (see profile-worker.ts).
if (isProfileWorker()) await runProfileWorker();
else await runAction('validate-data', (io) => main(io, { workerEntry: new URL(import.meta.url) }));
