import { parentPort, Worker, workerData } from 'node:worker_threads';
import { expandGlobs } from '@mlops/data/glob';
import { type AnnotationProperties, isUserError, type Logger, UserError } from '@mlops/kit';
import type { ValidateDataOptions, ValidateDataReport } from './validate.ts';
import { workerJobArgv } from './worker-flag.ts';
import { formatOfFiles, youngGenerationMb } from './young-generation.ts';

/** What validateData needs, as plain data: the suite travels as its path and is loaded again there. */
export type ValidateJobOptions = Omit<ValidateDataOptions, 'suite' | 'logger' | 'workerEntry'> & {
  expectations?: string;
};

interface Job {
  options: ValidateJobOptions;
  /** The entry module's URL, for the reference thread this one starts. */
  entry: string;
  /** Send the current data's profile back (as its JSON) for `profile-out`. */
  keepProfile: boolean;
}

export interface ValidateOnWorkerResult {
  report: ValidateDataReport;
  passed: boolean;
  reasons: string[];
  /** The current data's profile as JSON, when asked for. */
  profileJson?: string;
}

type Level = 'debug' | 'info' | 'warning' | 'error';
type Message =
  | { log: Level; message: string; properties?: AnnotationProperties }
  | { result: ValidateOnWorkerResult }
  | { error: string; stack?: string; user: boolean };

/**
 * The worker side: the whole validation (the current data's streamed pass, the reference, drift, the
 * report) on this thread, its log lines and its result posted to the main thread.
 */
export async function runValidateWorker(): Promise<void> {
  const job = workerData as Job;
  const post = (message: Message) => parentPort!.postMessage(message);
  const line =
    (level: Level) =>
    (message: string, properties?: AnnotationProperties): void =>
      post(properties === undefined ? { log: level, message } : { log: level, message, properties });
  const logger: Logger = {
    debug: line('debug'),
    info: line('info'),
    warning: line('warning'),
    error: line('error'),
  };
  try {
    // Loaded here, not with this module: the main thread imports it only to start this thread.
    const [{ loadExpectations }, { validateData }] = await Promise.all([
      import('@mlops/expectations'),
      import('./validate.ts'),
    ]);
    const { expectations, ...options } = job.options;
    const suite = expectations === undefined ? undefined : await loadExpectations(expectations);
    const { report, current, verdict } = await validateData({
      ...options,
      ...(suite === undefined ? {} : { suite }),
      logger,
      workerEntry: new URL(job.entry),
    });
    post({
      result: {
        report,
        passed: verdict.passed,
        reasons: verdict.reasons,
        ...(job.keepProfile ? { profileJson: JSON.stringify(current) } : {}),
      },
    });
  } catch (error) {
    post(
      error instanceof Error
        ? {
            error: error.message,
            ...(error.stack === undefined ? {} : { stack: error.stack }),
            user: isUserError(error),
          }
        : { error: String(error), user: false },
    );
  }
}

/**
 * Runs validateData on a worker thread whose young generation is capped, and waits for it. The main
 * thread's young generation cannot be capped without command-line flags, and a runner starts the bundle
 * without any: with the current data's pass on the main thread, the action peaked well above its two
 * passes' working sets (bench/parquet.md). The main thread now only relays log lines and writes the
 * outputs. A user's mistake comes back as a UserError with its message; anything else with its stack.
 */
export async function validateDataOnWorker(
  entry: URL,
  options: ValidateJobOptions,
  logger: Logger,
  keepProfile: boolean,
): Promise<ValidateOnWorkerResult> {
  const files = await expandGlobs(options.data, options.cwd).catch(() => []);
  const format = await formatOfFiles(files, options.read.format);
  const worker = new Worker(entry, {
    argv: workerJobArgv('validate'),
    workerData: { options, entry: entry.href, keepProfile } satisfies Job,
    resourceLimits: { maxYoungGenerationSizeMb: youngGenerationMb(format) },
  });
  return new Promise<ValidateOnWorkerResult>((resolve, reject) => {
    let settled = false;
    // The result is handed on once the thread is gone, so its heap is returned before the main thread
    // renders the report (whose number formatting loads ICU's data, ~7 MB resident).
    const settle = (done: () => void) => {
      if (settled) return;
      settled = true;
      void worker.terminate().then(done, done);
    };
    worker.on('message', (message: Message) => {
      if ('log' in message) {
        const { log, message: text, properties } = message;
        if (log === 'warning' || log === 'error') logger[log](text, properties);
        else logger[log](text);
      } else if ('result' in message) settle(() => resolve(message.result));
      else settle(() => reject(rebuiltError(message)));
    });
    worker.once('error', (error) => settle(() => reject(error)));
    worker.once('exit', (code) =>
      settle(() => reject(new Error(`the validation thread exited with code ${code}`))),
    );
  });
}

function rebuiltError(message: { error: string; stack?: string; user: boolean }): Error {
  if (message.user) return new UserError(message.error);
  const error = new Error(message.error);
  if (message.stack !== undefined) error.stack = message.stack;
  return error;
}
