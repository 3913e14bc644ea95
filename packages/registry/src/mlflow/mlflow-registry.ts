import { randomUUID } from 'node:crypto';
import { didYouMean, type Logger, UserError } from '@mlops/kit';
import { assertArtifactName, type LineageRecord } from '@mlops/lineage';
import { LINEAGE_SCHEMA, STAGE_EVENT_SCHEMA } from '@mlops/schemas';
import { assertGatePassed } from '../gate-check.ts';
import { actorFields, previousHolder, type StageRecord } from '../stage-history.ts';
import type {
  Actor,
  Deprecation,
  ModelVersion,
  PromoteRequest,
  PromoteResult,
  RegisterRequest,
  RegisterResult,
  Registry,
  RollbackRequest,
  StageAction,
  StageEvent,
} from '../types.ts';
import { MlflowApiError, type MlflowClient } from './mlflow-client.ts';
import type { MlflowModelVersion, MlflowRegisteredModel, MlflowTag } from './mlflow-types.ts';

/** Tag keys this backend writes on model versions and registered models. */
export const MLFLOW_TAGS = {
  codeCommit: 'mlops.code_commit',
  modelSha256: 'mlops.model_sha256',
  registrationId: 'mlops.registration_id',
  semver: 'mlops.semver',
  gatePassed: 'mlops.gate_passed',
  lineage: 'mlops.lineage',
  lineageChunks: 'mlops.lineage.chunks',
  promotedPrefix: 'mlops.promoted.',
  auditPrefix: 'mlops.audit.',
} as const;

// MLflow's tag values were capped at 5000 characters before 2.x raised the limit; chunk to fit both.
const TAG_VALUE_LIMIT = 4500;
const LEGACY_STAGES: Record<string, string> = {
  staging: 'Staging',
  production: 'Production',
  prod: 'Production',
  archived: 'Archived',
};

export interface MlflowRegistryOptions {
  client: MlflowClient;
  logger: Logger;
  allowedStages?: readonly string[];
  /** Also move MLflow's deprecated stages (transition-stage) for staging / production. */
  legacyStages?: boolean;
  /** How long to wait for a version to leave PENDING_REGISTRATION. */
  readyTimeoutMs?: number;
  pollIntervalMs?: number;
}

/**
 * The MLflow Model Registry: versions numbered by the server, stages as aliases (`production` ->
 * `models:/name@production`), lineage in version tags, and the audit trail as registered-model tags
 * `mlops.audit.<stage>.<time>.<id>` (MLflow keeps no history of alias moves).
 */
export class MlflowRegistry implements Registry {
  readonly kind = 'mlflow' as const;
  readonly location: string;
  private readonly client: MlflowClient;
  private readonly logger: Logger;

  constructor(private readonly options: MlflowRegistryOptions) {
    this.client = options.client;
    this.logger = options.logger;
    this.location = `MLflow ${options.client.trackingUri}`;
  }

  async register(request: RegisterRequest): Promise<RegisterResult> {
    assertArtifactName(request.name);
    await this.ensureRegisteredModel(request.name);
    const existing = (await this.searchVersions(request.name)).find(
      (version) =>
        version.status !== 'FAILED_REGISTRATION' &&
        tag(version, MLFLOW_TAGS.codeCommit) === request.commit &&
        tag(version, MLFLOW_TAGS.modelSha256) === request.lineage.model.sha256,
    );
    if (existing) {
      const ready = await this.waitUntilReady(existing);
      await this.ensureLineage(ready, request.lineage);
      this.logger.info(
        `${request.name} version ${ready.version} already holds this commit and model: nothing to register`,
      );
      return { version: await this.modelVersion(request.name, ready.version), created: false, attempts: 1 };
    }
    const registrationId = randomUUID();
    const tags: MlflowTag[] = [
      { key: MLFLOW_TAGS.codeCommit, value: request.commit },
      { key: MLFLOW_TAGS.modelSha256, value: request.lineage.model.sha256 },
      { key: MLFLOW_TAGS.registrationId, value: registrationId },
    ];
    if (request.version !== undefined) tags.push({ key: MLFLOW_TAGS.semver, value: request.version });
    if (request.lineage.gate)
      tags.push({ key: MLFLOW_TAGS.gatePassed, value: String(request.lineage.gate.passed) });
    const body: Record<string, unknown> = {
      name: request.name,
      source: request.lineage.model.uri,
      tags,
      description: request.lineage.description ?? `Registered from commit ${request.commit}`,
    };
    if (request.actor.runUrl) body.run_link = request.actor.runUrl;
    const created = await this.createVersion(request.name, body, registrationId);
    const ready = await this.waitUntilReady(created);
    await this.ensureLineage(ready, request.lineage);
    this.logger.info(`registered ${request.name} version ${ready.version}`);
    return { version: await this.modelVersion(request.name, ready.version), created: true, attempts: 1 };
  }

  async promote(request: PromoteRequest): Promise<PromoteResult> {
    return this.assign(
      `promote ${request.name} ${request.version} to ${request.stage}`,
      request.name,
      request.stage,
      request.actor,
      'promote',
      request.requireGate,
      async () => {
        if (request.version === 'latest' || request.version === 'greatest') {
          const ready = (await this.searchVersions(request.name)).filter(
            (version) => version.status === 'READY',
          );
          if (ready.length === 0)
            throw new UserError(`model '${request.name}' has no READY versions in ${this.location}`);
          return ready.reduce((best, version) =>
            Number(version.version) > Number(best.version) ? version : best,
          ).version;
        }
        const number = request.version.replace(/^v/, '');
        if (!/^[1-9]\d*$/.test(number)) {
          throw new UserError(
            `input 'version': MLflow versions are numbers (1, 2, 3 ...) or 'latest', got '${request.version}'`,
          );
        }
        return number;
      },
    );
  }

  async rollback(request: RollbackRequest): Promise<PromoteResult> {
    return this.assign(
      `roll back ${request.name} ${request.stage} (no history to roll back to)`,
      request.name,
      request.stage,
      request.actor,
      'rollback',
      request.requireGate,
      async () => {
        const events = await this.history(request.name, request.stage);
        const holders = events.map((event) => event.version);
        const current = await this.aliasHolder(request.name, request.stage);
        // The alias is the truth; if it was moved outside this tool, that move ends the sequence.
        if (holders.at(-1) !== current) holders.push(current);
        const previous = previousHolder(holders);
        if (previous === undefined) {
          throw new UserError(
            `cannot roll back ${request.name} ${request.stage}: no earlier version in its audit history (${events.length} recorded move(s))`,
          );
        }
        return previous;
      },
    );
  }

  private async assign(
    intent: string,
    name: string,
    stage: string,
    actor: Actor,
    action: StageAction,
    requireGate: boolean,
    choose: () => Promise<string>,
  ): Promise<PromoteResult> {
    assertArtifactName(name);
    this.assertStage(stage);
    if (!(await this.getRegisteredModel(name, false))) {
      throw new UserError(`cannot ${intent}: model '${name}' is not registered in ${this.location}`);
    }
    const version = await choose();
    const target = await this.modelVersion(name, version);
    const raw = await this.getVersion(name, version);
    if (raw.status !== 'READY') {
      throw new UserError(`${name} version ${version} is ${raw.status}, not READY: it cannot take a stage`);
    }
    if (requireGate) assertGatePassed(target);
    const previous = await this.aliasHolder(name, stage);
    if (previous === version && action === 'promote') {
      this.logger.info(`${name} version ${version} already holds alias ${stage}: nothing to do`);
      return {
        name,
        stage,
        version,
        previousVersion: previous,
        ref: stage,
        created: false,
        attempts: 1,
        modelVersion: target,
      };
    }
    const at = new Date().toISOString();
    const record: StageRecord = {
      schema: STAGE_EVENT_SCHEMA,
      name,
      stage,
      action,
      version,
      previous_version: previous ?? null,
      at,
      ...actorFields(actor),
    };
    const auditKey = `${MLFLOW_TAGS.auditPrefix}${stage}.${at.replace(/[:]/g, '-')}.${randomUUID().slice(0, 8)}`;
    // Audit first, alias second: if the alias cannot be set the audit entry is withdrawn, so the history never
    // claims a move that did not happen.
    await this.client.call('POST', 'registered-models/set-tag', {
      name,
      key: auditKey,
      value: JSON.stringify(record),
    });
    try {
      await this.client.call('POST', 'registered-models/alias', { name, alias: stage, version });
    } catch (error) {
      await this.client
        .call('DELETE', 'registered-models/delete-tag', { name, key: auditKey })
        .catch(() =>
          this.logger.warning(`could not withdraw audit entry ${auditKey} after a failed alias move`),
        );
      throw error;
    }
    await this.client.call('POST', 'model-versions/set-tag', {
      name,
      version,
      key: `${MLFLOW_TAGS.promotedPrefix}${stage}`,
      value: JSON.stringify(record),
    });
    if (this.options.legacyStages) {
      const legacy = LEGACY_STAGES[stage.toLowerCase()];
      if (legacy) {
        await this.client.call('POST', 'model-versions/transition-stage', {
          name,
          version,
          stage: legacy,
          archive_existing_versions: legacy !== 'Archived',
        });
      } else {
        this.logger.warning(
          `stage '${stage}' has no MLflow legacy stage (Staging, Production, Archived); alias only`,
        );
      }
    }
    this.logger.info(`${name} alias ${stage}: ${previous ?? '(none)'} -> ${version}`);
    const event: StageEvent = {
      name,
      stage,
      action,
      version,
      at,
      ref: auditKey,
      ...(previous !== undefined ? { previousVersion: previous } : {}),
      ...(actor.actor !== undefined ? { actor: actor.actor } : {}),
      ...(actor.runId !== undefined ? { runId: actor.runId } : {}),
      ...(actor.runUrl !== undefined ? { runUrl: actor.runUrl } : {}),
    };
    return {
      name,
      stage,
      version,
      ...(previous !== undefined ? { previousVersion: previous } : {}),
      ref: stage,
      created: true,
      event,
      attempts: 1,
      modelVersion: await this.modelVersion(name, version),
    };
  }

  async lookup(name: string, stage?: string): Promise<ModelVersion | undefined> {
    assertArtifactName(name);
    if (!(await this.getRegisteredModel(name, false))) return undefined;
    if (stage === undefined) {
      const ready = (await this.searchVersions(name)).filter((version) => version.status === 'READY');
      if (ready.length === 0) return undefined;
      const latest = ready.reduce((best, version) =>
        Number(version.version) > Number(best.version) ? version : best,
      );
      return this.modelVersion(name, latest.version);
    }
    this.assertStage(stage, false);
    const holder = await this.aliasHolder(name, stage);
    return holder === undefined ? undefined : this.modelVersion(name, holder);
  }

  async versions(name: string): Promise<ModelVersion[]> {
    assertArtifactName(name);
    if (!(await this.getRegisteredModel(name, false))) return [];
    const all = (await this.searchVersions(name)).filter((version) => version.status === 'READY');
    all.sort((a, b) => Number(b.version) - Number(a.version));
    return all.map((version) => toModelVersion(name, version));
  }

  /** MLflow has no deprecated state for a registered model (deleting it is the closest). */
  async deprecation(_name: string): Promise<Deprecation | undefined> {
    return undefined;
  }

  async history(name: string, stage?: string): Promise<StageEvent[]> {
    const model = await this.getRegisteredModel(name, false);
    if (!model) return [];
    const events: { key: string; event: StageEvent }[] = [];
    for (const entry of model.tags ?? []) {
      if (!entry.key.startsWith(MLFLOW_TAGS.auditPrefix)) continue;
      let record: StageRecord;
      try {
        record = JSON.parse(entry.value) as StageRecord;
      } catch {
        continue;
      }
      if (record.schema !== STAGE_EVENT_SCHEMA || (stage !== undefined && record.stage !== stage)) continue;
      const event: StageEvent = {
        name,
        stage: record.stage,
        action: record.action,
        at: record.at,
        ref: entry.key,
      };
      if (record.version !== undefined) event.version = record.version;
      if (typeof record.previous_version === 'string') event.previousVersion = record.previous_version;
      if (record.actor !== undefined) event.actor = record.actor;
      if (record.run_id !== undefined) event.runId = record.run_id;
      if (record.run_url !== undefined) event.runUrl = record.run_url;
      events.push({ key: entry.key, event });
    }
    events.sort((a, b) =>
      a.event.at < b.event.at ? -1 : a.event.at > b.event.at ? 1 : a.key < b.key ? -1 : 1,
    );
    return events.map((entry) => entry.event);
  }

  private assertStage(stage: string, checkAllowed = true): void {
    // MLflow alias rule (mlflow/utils/validation.py _validate_model_alias_name).
    if (!/^[\w-]+$/.test(stage) || stage.toLowerCase() === 'latest' || /^v(ersion)?\d+$/i.test(stage)) {
      throw new UserError(
        `stage '${stage}' cannot be an MLflow alias: use letters, digits, '_' and '-', not 'latest' or v<number>`,
      );
    }
    const allowed = this.options.allowedStages;
    if (checkAllowed && allowed && allowed.length > 0 && !allowed.includes(stage)) {
      throw new UserError(
        `stage '${stage}' is not allowed (allowed: ${allowed.join(', ')})${didYouMean(stage, allowed)}`,
      );
    }
    if (this.options.legacyStages && !LEGACY_STAGES[stage.toLowerCase()]) {
      this.logger.debug(`stage '${stage}' has no legacy MLflow stage`);
    }
  }

  /**
   * model-versions/create is not idempotent, so it is never retried blindly: after a failure that may have
   * happened server-side (5xx, timeout, dropped connection) we look for our registration id first.
   */
  private async createVersion(
    name: string,
    body: Record<string, unknown>,
    registrationId: string,
  ): Promise<MlflowModelVersion> {
    const attempts = 4;
    for (let attempt = 1; ; attempt++) {
      try {
        return (
          await this.client.call<{ model_version: MlflowModelVersion }>(
            'POST',
            'model-versions/create',
            body,
            false,
          )
        ).model_version;
      } catch (error) {
        if (error instanceof MlflowApiError && !error.retryable) throw error;
        const found = (await this.searchVersions(name)).find(
          (version) => tag(version, MLFLOW_TAGS.registrationId) === registrationId,
        );
        if (found) return found;
        if (attempt >= attempts) throw error;
        this.logger.info(`model-versions/create failed (${(error as Error).message}); retrying`);
        await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** (attempt - 1)));
      }
    }
  }

  private async ensureRegisteredModel(name: string): Promise<void> {
    if (await this.getRegisteredModel(name, false)) return;
    try {
      await this.client.call('POST', 'registered-models/create', { name });
      this.logger.info(`created registered model '${name}' in ${this.location}`);
    } catch (error) {
      // Another run created it between our get and create: that is what we wanted.
      if (!(error instanceof MlflowApiError && error.errorCode === 'RESOURCE_ALREADY_EXISTS')) throw error;
    }
  }

  private async getRegisteredModel(
    name: string,
    required: boolean,
  ): Promise<MlflowRegisteredModel | undefined> {
    try {
      return (
        await this.client.call<{ registered_model: MlflowRegisteredModel }>('GET', 'registered-models/get', {
          name,
        })
      ).registered_model;
    } catch (error) {
      if (error instanceof MlflowApiError && error.errorCode === 'RESOURCE_DOES_NOT_EXIST') {
        if (required) throw new UserError(`model '${name}' is not registered in ${this.location}`);
        return undefined;
      }
      throw error;
    }
  }

  private async getVersion(name: string, version: string): Promise<MlflowModelVersion> {
    try {
      return (
        await this.client.call<{ model_version: MlflowModelVersion }>('GET', 'model-versions/get', {
          name,
          version,
        })
      ).model_version;
    } catch (error) {
      if (error instanceof MlflowApiError && error.errorCode === 'RESOURCE_DOES_NOT_EXIST') {
        const known = (await this.searchVersions(name)).map((entry) => entry.version);
        throw new UserError(
          `${name} version ${version} does not exist in ${this.location} (versions: ${known.join(', ') || 'none'})`,
        );
      }
      throw error;
    }
  }

  private async modelVersion(name: string, version: string): Promise<ModelVersion> {
    return toModelVersion(name, await this.getVersion(name, version));
  }

  private async aliasHolder(name: string, alias: string): Promise<string | undefined> {
    try {
      const response = await this.client.call<{ model_version: MlflowModelVersion }>(
        'GET',
        'registered-models/alias',
        {
          name,
          alias,
        },
      );
      return response.model_version.version;
    } catch (error) {
      if (
        error instanceof MlflowApiError &&
        (error.errorCode === 'RESOURCE_DOES_NOT_EXIST' || error.status === 404)
      ) {
        return undefined;
      }
      throw error;
    }
  }

  private async searchVersions(name: string): Promise<MlflowModelVersion[]> {
    const versions: MlflowModelVersion[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.client.call<{
        model_versions?: MlflowModelVersion[];
        next_page_token?: string;
      }>('GET', 'model-versions/search', {
        filter: `name='${name.replaceAll("'", "\\'")}'`,
        max_results: 1000,
        page_token: pageToken,
      });
      versions.push(...(page.model_versions ?? []));
      pageToken = page.next_page_token || undefined;
    } while (pageToken);
    return versions;
  }

  private async waitUntilReady(version: MlflowModelVersion): Promise<MlflowModelVersion> {
    const deadline = Date.now() + (this.options.readyTimeoutMs ?? 300_000);
    // Registration usually finishes in well under a second: poll soon, then back off to every 5 s.
    let interval = this.options.pollIntervalMs ?? 200;
    let current = version;
    while (current.status === 'PENDING_REGISTRATION') {
      if (Date.now() > deadline) {
        throw new UserError(
          `${current.name} version ${current.version} is still PENDING_REGISTRATION after ${Math.round((this.options.readyTimeoutMs ?? 300_000) / 1000)} s`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, interval));
      interval = Math.min(interval * 1.5, 5000);
      current = await this.getVersion(current.name, current.version);
    }
    if (current.status === 'FAILED_REGISTRATION') {
      throw new UserError(
        `MLflow failed to register ${current.name} version ${current.version}: ${current.status_message || 'no reason given'} (no stage or alias was touched)`,
      );
    }
    return current;
  }

  /** Writes the lineage record (with the server's version number) into version tags, chunked to fit. */
  private async ensureLineage(version: MlflowModelVersion, lineage: LineageRecord): Promise<void> {
    if (lineageFromTags(version.tags ?? []) !== undefined) return;
    const text = JSON.stringify({ ...lineage, version: version.version });
    const chunks: string[] = [];
    for (let index = 0; index < text.length; index += TAG_VALUE_LIMIT)
      chunks.push(text.slice(index, index + TAG_VALUE_LIMIT));
    const write = (key: string, value: string) =>
      this.client.call('POST', 'model-versions/set-tag', {
        name: version.name,
        version: version.version,
        key,
        value,
      });
    if (chunks.length === 1) {
      await write(MLFLOW_TAGS.lineage, text);
      return;
    }
    for (const [index, chunk] of chunks.entries()) await write(`${MLFLOW_TAGS.lineage}.${index}`, chunk);
    // Written last: a reader sees either no lineage or all of it.
    await write(MLFLOW_TAGS.lineageChunks, String(chunks.length));
  }
}

function tag(version: MlflowModelVersion, key: string): string | undefined {
  return version.tags?.find((entry) => entry.key === key)?.value;
}

export function lineageFromTags(tags: readonly MlflowTag[]): LineageRecord | undefined {
  const byKey = new Map(tags.map((entry) => [entry.key, entry.value]));
  let text = byKey.get(MLFLOW_TAGS.lineage);
  const chunks = Number(byKey.get(MLFLOW_TAGS.lineageChunks));
  if (text === undefined && Number.isInteger(chunks) && chunks > 0) {
    const parts = Array.from({ length: chunks }, (_, index) => byKey.get(`${MLFLOW_TAGS.lineage}.${index}`));
    if (parts.every((part) => part !== undefined)) text = parts.join('');
  }
  if (text === undefined) return undefined;
  try {
    const parsed = JSON.parse(text) as LineageRecord;
    return parsed.schema === LINEAGE_SCHEMA ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function toModelVersion(name: string, version: MlflowModelVersion): ModelVersion {
  const result: ModelVersion = {
    name,
    version: version.version,
    ref: `${name}/${version.version}`,
    createdAt: new Date(version.creation_timestamp ?? 0).toISOString(),
    stages: [...(version.aliases ?? [])],
  };
  const lineage = lineageFromTags(version.tags ?? []);
  if (lineage) result.lineage = lineage;
  const commit = lineage?.code.commit ?? tag(version, MLFLOW_TAGS.codeCommit);
  if (commit) result.commit = commit;
  if (version.source) result.modelUri = version.source;
  return result;
}
