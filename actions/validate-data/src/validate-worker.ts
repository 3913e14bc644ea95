import { parentPort, Worker, workerData } from 'node:worker_threads';
import { expandGlobs } from '@mlops/data/glob';
import type { ExpectationSuite } from '@mlops/expectations';
import {
  type AnnotationProperties,
  isUserError,
  type Logger,
  requireRegularFile,
  UserError,
} from '@mlops/kit';
import { type ProfileReply, startReferenceThread } from './reference-thread.ts';
import type { ValidateDataOptions, ValidateDataReport } from './validate.ts';
import { workerJobArgv } from './worker-flag.ts';
import { formatOfFiles, youngGenerationMb } from './young-generation.ts';

/**
 * What validateData needs, as plain data. The suite travels as its path: the main thread, which loads it
 * too, sends it once loaded (a ToValidation), or this thread loads it again if it cannot.
 */
export type ValidateJobOptions = Omit<ValidateDataOptions, 'suite' | 'logger' | 'profileReference'> & {
  expectations?: string;
};

interface Job {
  options: ValidateJobOptions;
  /** The entry module's URL, for a reference thread this one starts. */
  entry: string;
  /** Send the current data's profile back (as its JSON) for `profile-out`. */
  keepProfile: boolean;
  /** The reference data files the main thread is already profiling; their reply comes as a ToValidation. */
  referenceFiles?: string[];
}

export interface ValidateOnWorkerResult {
  report: ValidateDataReport;
  passed: boolean;
  reasons: string[];
  /** The current data's profile as JSON, when asked for. */
  profileJson?: string;
}

type Level = 'debug' | 'info' | 'warning' | 'error';
type LogLine = { log: Level; message: string; properties?: AnnotationProperties };
type Message =
  | LogLine
  | { result: ValidateOnWorkerResult }
  | { error: string; stack?: string; user: boolean }
  /** The reference thread the main thread started is not wanted (the pass failed, or other files). */
  | { cancelReference: true };

/**
 * From the main thread to the validation thread: the reference thread's reply, or how it died; the suite
 * the main thread loaded (null: it could not be sent, this thread loads it).
 */
type ToValidation =
  | { reference: ProfileReply }
  | { referenceFailed: { message: string; stack?: string } }
  | { suite: ExpectationSuite | null };

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
  // Listened for from the start: the reply may come before validateData asks for the reference.
  const fromMain = mainThreadMessages();
  const early = job.referenceFiles === undefined ? undefined : fromMain.reference;
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
    const sent = expectations === undefined ? null : await fromMain.suite;
    const suite = expectations === undefined ? undefined : (sent ?? (await loadExpectations(expectations)));
    const { report, current, verdict } = await validateData({
      ...options,
      ...(suite === undefined ? {} : { suite }),
      logger,
      profileReference: async (files) => {
        if (early !== undefined && sameFiles(files, job.referenceFiles!)) {
          const { profileOfReply } = await import('./profile-worker.ts');
          return { profile: early.then(profileOfReply), cancel: () => post({ cancelReference: true }) };
        }
        if (early !== undefined) post({ cancelReference: true }); // the files changed since: not these
        const { profileInWorker } = await import('./profile-worker.ts');
        return profileInWorker(new URL(job.entry), files, options.read);
      },
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

/** What the main thread passes on to this thread: the reference thread's reply, the suite it loaded. */
function mainThreadMessages(): { reference: Promise<ProfileReply>; suite: Promise<ExpectationSuite | null> } {
  let replied!: (reply: ProfileReply) => void;
  let failed!: (error: Error) => void;
  let suiteSent!: (suite: ExpectationSuite | null) => void;
  const reference = new Promise<ProfileReply>((resolve, reject) => {
    replied = resolve;
    failed = reject;
  });
  reference.catch(() => undefined); // reported when validateData awaits it, not as an unhandled rejection
  const suite = new Promise<ExpectationSuite | null>((resolve) => {
    suiteSent = resolve;
  });
  parentPort!.on('message', (message: ToValidation) => {
    if ('suite' in message) suiteSent(message.suite);
    else if ('reference' in message) replied(message.reference);
    else {
      const error = new Error(message.referenceFailed.message);
      if (message.referenceFailed.stack !== undefined) error.stack = message.referenceFailed.stack;
      failed(error);
    }
  });
  return { reference, suite };
}

function sameFiles(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((file, index) => file === b[index]);
}

/** The validation's threads, started. */
export interface ValidationThreads {
  /** The validation's result, or its failure (a user's mistake as a UserError with its message). */
  result: Promise<ValidateOnWorkerResult>;
  /** Relays the validation thread's log lines from now on, those it has posted so far first. */
  relayLogs(): void;
  /** Hands the validation thread the suite this thread loaded, so that it does not load it again. */
  sendSuite(suite: ExpectationSuite): void;
  /** Stops both threads: the step fails before their result is wanted. */
  cancel(): void;
}

/**
 * Starts validateData on a worker thread whose young generation is capped (and the reference's data on
 * another). The main thread's young generation cannot be capped without command-line flags, and a runner
 * starts the bundle without any: with the current data's pass on the main thread, the action peaked well
 * above its two passes' working sets (bench/parquet.md). The main thread now only relays log lines and
 * writes the outputs; it holds the lines until relayLogs, so that what it logs meanwhile (the suite's
 * warnings) comes first, as it did when the threads started after it.
 */
export async function startValidationOnWorker(
  entry: URL,
  options: ValidateJobOptions,
  logger: Logger,
  keepProfile: boolean,
  /** Called once the reference's thread has profiled it: a core is free from then on. */
  onReferenceDone?: () => void,
): Promise<ValidationThreads> {
  const [files, referenceFiles] = await Promise.all([
    expandGlobs(options.data, options.cwd).catch(() => []),
    referenceDataFiles(options),
  ]);
  // The reference thread is started here, with the validation thread, rather than by it: that thread would
  // start it only after loading the readers, checks and profile and resolving the inputs, its reference
  // pass then ending that much after the current data's, with one core idle meanwhile.
  const [format, reference] = await Promise.all([
    formatOfFiles(files, options.read.format),
    referenceFiles === undefined ? undefined : startReferenceThread(entry, referenceFiles, options.read),
  ]);
  const worker = new Worker(entry, {
    argv: workerJobArgv('validate'),
    workerData: {
      options,
      entry: entry.href,
      keepProfile,
      ...(referenceFiles === undefined ? {} : { referenceFiles }),
    } satisfies Job,
    resourceLimits: { maxYoungGenerationSizeMb: youngGenerationMb(format) },
  });
  let settled = false;
  // The result is handed on at once: the thread's heap is torn down while this thread writes the
  // outputs (a few MB, well below the two passes' peak), not before.
  const stop = () => {
    settled = true;
    reference?.cancel();
    void worker.terminate();
  };
  let held: LogLine[] | undefined = [];
  const log = ({ log: level, message, properties }: LogLine) => {
    if (level === 'warning' || level === 'error') logger[level](message, properties);
    else logger[level](message);
  };
  const result = new Promise<ValidateOnWorkerResult>((resolve, reject) => {
    const settle = (done: () => void) => {
      if (settled) return;
      stop();
      done();
    };
    // The reference's failure is the validation thread's to report, after the current data's pass (as when
    // that thread profiles the reference itself): a mistake in the current data comes first.
    const pass = (message: ToValidation) => {
      if (!settled) worker.postMessage(message);
    };
    reference?.reply.then(
      (reply) => {
        pass({ reference: reply });
        onReferenceDone?.();
      },
      (error: Error) =>
        pass({
          referenceFailed: {
            message: error.message,
            ...(error.stack === undefined ? {} : { stack: error.stack }),
          },
        }),
    );
    worker.on('message', (message: Message) => {
      if ('log' in message) {
        if (held === undefined) log(message);
        else held.push(message);
      } else if ('cancelReference' in message) reference?.cancel();
      else if ('result' in message) settle(() => resolve(message.result));
      else settle(() => reject(rebuiltError(message)));
    });
    worker.once('error', (error) => settle(() => reject(error)));
    worker.once('exit', (code) =>
      settle(() => reject(new Error(`the validation thread exited with code ${code}`))),
    );
  });
  result.catch(() => undefined); // reported where awaited, not as an unhandled rejection after cancel
  return {
    result,
    relayLogs: () => {
      for (const line of held ?? []) log(line);
      held = undefined;
    },
    sendSuite: (suite) => {
      if (settled) return;
      try {
        worker.postMessage({ suite } satisfies ToValidation);
      } catch {
        worker.postMessage({ suite: null } satisfies ToValidation); // not cloneable: the thread loads it
      }
    },
    cancel: stop,
  };
}

/**
 * The reference patterns' files when they are data files as the validation thread will find them: every
 * one a regular file and none a possible saved profile (.json, see validate.ts's isProfileFile). Otherwise
 * undefined, and the validation thread resolves the reference and reports its mistakes as before.
 */
async function referenceDataFiles(options: ValidateJobOptions): Promise<string[] | undefined> {
  if (options.reference.length === 0) return undefined;
  try {
    const files = await expandGlobs(options.reference, options.cwd);
    if (files.length === 0 || files.some((file) => /\.json$/i.test(file))) return undefined;
    await Promise.all(files.map((file) => requireRegularFile(file)));
    return files;
  } catch {
    return undefined;
  }
}

function rebuiltError(message: { error: string; stack?: string; user: boolean }): Error {
  if (message.user) return new UserError(message.error);
  const error = new Error(message.error);
  if (message.stack !== undefined) error.stack = message.stack;
  return error;
}
