import { parentPort, workerData } from 'node:worker_threads';

/**
 * workerData key naming the job a thread started from the action's entry module does instead of running
 * the action: 'validate' (the current data's whole pass, validate-worker.ts) or 'profile' (reference data
 * files, profile-worker.ts).
 */
export const WORKER_JOB = 'mlopsValidateDataWorkerJob';

export type WorkerJob = 'validate' | 'profile';

/**
 * The young generation of every thread the action starts. A streamed pass allocates fast and keeps little,
 * and V8 grows an uncapped young generation to its 48 MB default under such a load; capped, the garbage of
 * each batch is collected while it is small (bench/validate-data.md, bench/parquet.md). The main thread's
 * cannot be capped without command-line flags, which a runner does not pass: so it only waits.
 */
export const WORKER_YOUNG_GENERATION_MB = 12;

/** The job of this thread, or undefined on the main thread (kept import-free so the entry decides cheaply). */
export function workerJob(): WorkerJob | undefined {
  if (parentPort === null) return undefined;
  const job = (workerData as Record<string, unknown> | undefined)?.[WORKER_JOB];
  return job === 'validate' || job === 'profile' ? job : undefined;
}
