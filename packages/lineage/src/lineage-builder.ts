import { access } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '@mlops/kit';
import { LINEAGE_SCHEMA } from '@mlops/schemas';
import { checksumPath, type PathChecksum } from './checksum.ts';
import { lockfileDigests } from './environment.ts';
import type { LineageRecord, TrainingVerdict } from './lineage-record.ts';
import type { MetricsInput } from './metrics-input.ts';

/** Who ran it, from the runner's GITHUB_* variables (a subset of kit's RuntimeEnvironment). */
export interface TriggerContext {
  serverUrl?: string;
  repository?: string;
  ref?: string;
  actor?: string;
  eventName?: string;
  workflow?: string;
  runId?: string;
  runAttempt?: string;
}

export interface LineageInputs {
  name: string;
  workspace: string;
  /** Absolute model path and how to show it. */
  model: { absolute: string; shownAs: string };
  /** Where the bytes live; default: the model path at the commit on the forge. */
  artifactUri?: string;
  /** The `data` input's entries: paths to checksum, or one data-version string. */
  data: readonly string[];
  metrics?: MetricsInput;
  training?: TrainingVerdict;
  params?: unknown;
  commit: string;
  description?: string;
  trigger: TriggerContext;
  runnerOs?: string;
  now?: Date;
}

/** Builds the lineage record: checksums are streamed, so model and data size do not matter. */
export async function buildLineage(inputs: LineageInputs): Promise<LineageRecord> {
  const model = await checksumPath(inputs.model.absolute, inputs.model.shownAs, "input 'model-path'");
  const { files, version } = await dataLineage(inputs.workspace, inputs.data);
  const trigger = inputs.trigger;
  const runUrl =
    trigger.serverUrl && trigger.repository && trigger.runId
      ? `${trigger.serverUrl}/${trigger.repository}/actions/runs/${trigger.runId}`
      : undefined;
  const record: LineageRecord = {
    schema: LINEAGE_SCHEMA,
    name: inputs.name,
    version: '',
    created_at: (inputs.now ?? new Date()).toISOString(),
    code: { commit: inputs.commit },
    model: {
      path: model.path,
      sha256: model.sha256,
      bytes: model.bytes,
      files: model.files,
      uri: inputs.artifactUri ?? defaultModelUri(trigger, inputs.commit, model.path),
    },
    data: { files },
    environment: { lockfiles: await lockfileDigests(inputs.workspace) },
    trigger: {},
  };
  if (inputs.description) record.description = inputs.description;
  if (trigger.ref) record.code.ref = trigger.ref;
  if (trigger.repository) record.code.repository = trigger.repository;
  if (version !== undefined) record.data.version = version;
  if (inputs.params !== undefined) record.params = inputs.params;
  if (inputs.metrics) {
    record.metrics = inputs.metrics.metrics;
    if (inputs.metrics.gate) record.gate = inputs.metrics.gate;
  }
  if (inputs.training) record.training = inputs.training;
  if (inputs.runnerOs) record.environment.runner_os = inputs.runnerOs;
  const fields: [keyof LineageRecord['trigger'], string | undefined][] = [
    ['actor', trigger.actor],
    ['event', trigger.eventName],
    ['workflow', trigger.workflow],
    ['run_id', trigger.runId],
    ['run_attempt', trigger.runAttempt],
    ['run_url', runUrl],
  ];
  for (const [key, value] of fields) if (value !== undefined) record.trigger[key] = value;
  return record;
}

function defaultModelUri(trigger: TriggerContext, commit: string, modelPath: string): string {
  if (trigger.serverUrl && trigger.repository) {
    return `${trigger.serverUrl}/${trigger.repository}/tree/${commit}/${modelPath}`;
  }
  return `git:${commit}:${modelPath}`;
}

/**
 * Entries that exist are checksummed. A single entry that is not a file is a data-version string (a DVC
 * revision, `s3://bucket/key@version`, a dataset tag) unless it looks like a path, which is then a missing file.
 */
async function dataLineage(
  workspace: string,
  entries: readonly string[],
): Promise<{ files: PathChecksum[]; version?: string }> {
  const files: PathChecksum[] = [];
  const versions: string[] = [];
  for (const entry of entries) {
    const absolute = path.resolve(workspace, entry);
    const relative = path.relative(workspace, absolute);
    // Inside the workspace a path is recorded relative to it (the same on every runner); outside, as given.
    const shown = relative.startsWith('..') || path.isAbsolute(relative) ? absolute : relative;
    const exists = await access(absolute).then(
      () => true,
      () => false,
    );
    if (exists) {
      files.push(await checksumPath(absolute, shown.split(path.sep).join('/'), "input 'data'"));
    } else if (looksLikePath(entry)) {
      throw new UserError(
        `input 'data': '${entry}' does not exist (give existing data paths, or one data-version string such as a DVC revision)`,
      );
    } else {
      versions.push(entry);
    }
  }
  if (versions.length > 1) {
    throw new UserError(
      `input 'data': only one data-version string may be given, got ${versions.join(', ')}`,
    );
  }
  return versions.length === 1 ? { files, version: versions[0]! } : { files };
}

function looksLikePath(entry: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:/i.test(entry)) return false;
  return entry.includes('/') || entry.includes('\\') || /\.[A-Za-z][A-Za-z0-9]{0,7}$/.test(entry);
}
