import { Worker } from 'node:worker_threads';
import type { ReadOptions } from '@mlops/data/types';
import { workerJobArgv } from './worker-flag.ts';
import { formatOfFiles, youngGenerationMb } from './young-generation.ts';

/** What a reference profile thread (profile-worker.ts) is given: the files, read as the current data is. */
export interface ProfileJob {
  files: string[];
  read: ReadOptions;
}

/** A reference profile thread's answer: the profile as its JSON, or its failure (a user's mistake or not). */
export type ProfileReply = { profile: string } | { error: string; user: boolean };

export interface ReferenceThread {
  /** The thread's reply; rejected when the thread died without one. */
  reply: Promise<ProfileReply>;
  /** Stops the thread (the step ends at once when the current data's pass fails). */
  cancel(): void;
}

/**
 * Starts a thread that profiles reference data files. It imports nothing of the readers or the profile
 * itself, so the main thread can start it without loading them: the reference's pass then begins as the
 * validation thread's does, not after that thread has loaded the action's modules and resolved the inputs.
 */
export async function startReferenceThread(
  entry: URL,
  files: string[],
  read: ReadOptions,
): Promise<ReferenceThread> {
  const format = await formatOfFiles(files, read.format);
  const worker = new Worker(entry, {
    argv: workerJobArgv('profile'),
    workerData: { files, read } satisfies ProfileJob,
    resourceLimits: { maxYoungGenerationSizeMb: youngGenerationMb(format) },
  });
  const reply = new Promise<ProfileReply>((resolve, reject) => {
    let settled = false;
    worker.once('message', (message: ProfileReply) => {
      settled = true;
      resolve(message);
      void worker.terminate();
    });
    worker.once('error', (error) => {
      if (!settled) reject(error);
      settled = true;
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`reference profiling thread exited with code ${code}`));
      settled = true;
    });
  });
  return { reply, cancel: () => void worker.terminate() };
}
