import { parentPort, workerData } from 'node:worker_threads';

/** workerData flag that makes the action's entry module profile files instead of running the action. */
export const PROFILE_WORKER = 'mlopsValidateDataProfileWorker';

/** True on a thread started by profileInWorker (kept import-free so the entry can decide cheaply). */
export function isProfileWorker(): boolean {
  return (
    parentPort !== null && (workerData as Record<string, unknown> | undefined)?.[PROFILE_WORKER] === true
  );
}
