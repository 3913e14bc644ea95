import { workerJob } from './worker-flag.ts';

/**
 * On a thread the action started (validate-worker.ts, profile-worker.ts), runs its job and resolves true;
 * on the main thread resolves false at once. The job's modules load only on its thread, so a worker loads
 * the readers and the profile, never the runner, the CLI and their clients.
 */
export async function runWorkerJob(): Promise<boolean> {
  switch (workerJob()) {
    case 'validate':
      await (await import('./validate-worker.ts')).runValidateWorker();
      return true;
    case 'profile':
      await (await import('./profile-worker.ts')).runProfileWorker();
      return true;
    default:
      return false;
  }
}
