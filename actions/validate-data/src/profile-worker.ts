import { parentPort, workerData } from 'node:worker_threads';
import { type ColumnType, type ReadOptions, readColumnParts } from '@mlops/data';
import { isUserError, UserError } from '@mlops/kit';
import { keyedByData } from '@mlops/kit/keyed-by-data';
import { type DatasetProfile, DatasetProfileBuilder, parseProfile } from '@mlops/profile';
import { collectGarbage } from './collect-garbage.ts';
import { type ProfileJob, type ProfileReply, startReferenceThread } from './reference-thread.ts';

/** Streams files into a profile; the whole pass, on whichever thread calls it. */
export async function profileFiles(files: string[], read: ReadOptions): Promise<DatasetProfile> {
  const builder = new DatasetProfileBuilder();
  await profileColumns(builder, files, read);
  return builder.finish();
}

/**
 * Streams files into a profile builder column by column where the format allows (a Parquet file column
 * chunk by column chunk: one decoded column in memory, not a row group's every column), and returns each
 * column's type. The profile is the same as from whole batches: its columns do not depend on each other.
 */
export async function profileColumns(
  builder: DatasetProfileBuilder,
  files: string[],
  read: ReadOptions,
): Promise<Record<string, ColumnType>> {
  const types = keyedByData<ColumnType>();
  let rows = 0;
  let exactValuesDropped = false;
  for await (const part of readColumnParts(files, read)) {
    if ('table' in part) {
      builder.add(part.table);
      Object.assign(types, part.table.types);
    } else if ('column' in part) {
      builder.addColumn(part.column, part.type, part.values, part.rowCount);
      types[part.column] = part.type;
    } else if ('rows' in part) {
      builder.addRows(part.rows);
      rows += part.rows;
      // Every column has now been given more rows than the exact limit: a numeric column's exact values,
      // unless it had that many missing, are garbage (collectGarbage says why now).
      if (!exactValuesDropped && rows > builder.exactLimit) {
        exactValuesDropped = true;
        collectGarbage();
      }
    } else builder.expectRows(part.rowsAhead);
  }
  return types;
}

/** The worker side: profile the files in workerData and post the profile (as its JSON) back. */
export async function runProfileWorker(): Promise<void> {
  const job = workerData as ProfileJob;
  let reply: ProfileReply;
  try {
    reply = { profile: JSON.stringify(await profileFiles(job.files, job.read)) };
  } catch (error) {
    reply = {
      error: isUserError(error)
        ? error.message
        : error instanceof Error
          ? (error.stack ?? error.message)
          : String(error),
      user: isUserError(error),
    };
  }
  parentPort!.postMessage(reply);
}

/**
 * Profiles files on a second thread (the runners have two cores), so the reference is read while the
 * current data is read and checked on another. `entry` is the bundled action's entry module, which turns
 * into runProfileWorker when started with the 'profile' job.
 */
export async function profileInWorker(
  entry: URL,
  files: string[],
  read: ReadOptions,
): Promise<{ profile: Promise<DatasetProfile>; cancel(): void }> {
  const thread = await startReferenceThread(entry, files, read);
  return { profile: thread.reply.then(profileOfReply), cancel: thread.cancel };
}

/** The profile crosses threads as its JSON (the sketches serialise themselves), parsed back exactly as a saved profile is. */
export function profileOfReply(reply: ProfileReply): DatasetProfile {
  if ('profile' in reply) return parseProfile(JSON.parse(reply.profile), 'reference profile');
  throw reply.user ? new UserError(reply.error) : new Error(`reference profiling failed: ${reply.error}`);
}
