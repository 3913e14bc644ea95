/**
 * The job a thread started from the action's start file does instead of running the action: 'validate'
 * (the current data's whole pass, validate-worker.ts) or 'profile' (reference data files,
 * profile-worker.ts). It travels as an argument of the thread's process.argv, not in workerData, so the
 * start file tells a thread from the main thread without loading node:worker_threads.
 */
export type WorkerJob = 'validate' | 'profile';

const WORKER_JOB_ARG = '--mlops-validate-data-job=';

/** The `argv` option of a thread started for `job`. */
export function workerJobArgv(job: WorkerJob): string[] {
  return [WORKER_JOB_ARG + job];
}

/** The job of this thread, or undefined on the main thread (kept import-free so the entry decides cheaply). */
export function workerJob(): WorkerJob | undefined {
  for (const arg of process.argv) {
    if (!arg.startsWith(WORKER_JOB_ARG)) continue;
    const job = arg.slice(WORKER_JOB_ARG.length);
    return job === 'validate' || job === 'profile' ? job : undefined;
  }
  return undefined;
}
