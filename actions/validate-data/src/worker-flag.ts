import { parentPort, workerData } from 'node:worker_threads';

/**
 * workerData key naming the job a thread started from the action's entry module does instead of running
 * the action: 'validate' (the current data's whole pass, validate-worker.ts) or 'profile' (reference data
 * files, profile-worker.ts).
 */
export const WORKER_JOB = 'mlopsValidateDataWorkerJob';

export type WorkerJob = 'validate' | 'profile';

/** The job of this thread, or undefined on the main thread (kept import-free so the entry decides cheaply). */
export function workerJob(): WorkerJob | undefined {
  if (parentPort === null) return undefined;
  const job = (workerData as Record<string, unknown> | undefined)?.[WORKER_JOB];
  return job === 'validate' || job === 'profile' ? job : undefined;
}
