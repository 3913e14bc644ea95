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
import {
  checkMlflowSource,
  chunkCodePoints,
  codePointLength,
  isMlflowKey,
  MLFLOW_LIMITS,
} from './mlflow-source.ts';
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
  githubRun: 'mlops.github_run_url',
} as const;
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
  /** The MLflow run that trained the model: sent as the version's run_id, and the gate is logged to it. */
  runId?: string;
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
  /** Learnt from the first alias write: undefined until then, false on a server without the alias API. */
  private aliasApi: boolean | undefined;

  constructor(private readonly options: MlflowRegistryOptions) {
    this.client = options.client;
    this.logger = options.logger;
    this.location = `MLflow ${options.client.trackingUri}`;
  }

  async register(request: RegisterRequest): Promise<RegisterResult> {
    assertArtifactName(request.name);
    // Everything MLflow would refuse, or accept and then fail on in its database, is refused before any request.
    const { source, runId } = checkMlflowSource(request.lineage.model.uri, this.options.runId);
    const description = request.lineage.description ?? `Registered from commit ${request.commit}`;
    const descriptionLength = codePointLength(description);
    if (descriptionLength > MLFLOW_LIMITS.description) {
      throw new UserError(
        `input 'description': ${descriptionLength} characters, and MLflow stores at most ${MLFLOW_LIMITS.description} per model version`,
      );
    }
    return this.explained(`register ${request.name}`, async () => {
      if (runId !== undefined) await this.getRun(runId);
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
        // The stored record's timestamp: a re-run writes the same metric rows, not a second point in their history.
        const stored = lineageFromTags(ready.tags ?? []);
        if (runId !== undefined)
          await this.logGateToRun(runId, stored ? { ...request, lineage: stored } : request, ready.version);
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
      const body: Record<string, unknown> = { name: request.name, source, tags, description };
      if (runId !== undefined) body.run_id = runId;
      const runUrl = request.actor.runUrl;
      if (runUrl) {
        // The GitHub run: MLflow's UI links run_link; the tag keeps it when the link is too long for the column.
        tags.push({ key: MLFLOW_TAGS.githubRun, value: chunkCodePoints(runUrl, MLFLOW_LIMITS.tagValue)[0]! });
        if (codePointLength(runUrl) <= MLFLOW_LIMITS.runLink) body.run_link = runUrl;
        else
          this.logger.warning(
            `the run URL is over ${MLFLOW_LIMITS.runLink} characters (MLflow's run_link column): kept as tag ${MLFLOW_TAGS.githubRun} only`,
          );
      }
      const created = await this.createVersion(request.name, body, registrationId);
      const ready = await this.waitUntilReady(created);
      await this.ensureLineage(ready, request.lineage);
      this.logger.info(`registered ${request.name} version ${ready.version}`);
      if (runId !== undefined) await this.logGateToRun(runId, request, ready.version);
      return { version: await this.modelVersion(request.name, ready.version), created: true, attempts: 1 };
    });
  }

  /**
   * Logs what the gate saw to the MLflow run (runs/log-batch), so the experiment page shows it beside the
   * training metrics: each metric as `gate.<name>`, the verdict as metric `gate.passed` (1 or 0) and tags, the
   * comparison's headline as params. Batches respect MLflow's limits; a param the run already holds is never
   * sent again (MLflow refuses to change a param), so a re-run logs only what is missing.
   */
  private async logGateToRun(runId: string, request: RegisterRequest, version: string): Promise<void> {
    const { lineage } = request;
    const timestamp = Number.isFinite(Date.parse(lineage.created_at))
      ? Date.parse(lineage.created_at)
      : Date.now();
    const metrics: { key: string; value: number; timestamp: number; step: number }[] = [];
    const skipped: string[] = [];
    for (const [name, value] of Object.entries(lineage.metrics ?? {})) {
      const key = `gate.${name}`;
      if (!isMlflowKey(key) || typeof value !== 'number' || !Number.isFinite(value)) skipped.push(name);
      else metrics.push({ key, value, timestamp, step: 0 });
    }
    const gate = lineage.gate;
    const params: MlflowTag[] = [];
    const tags: MlflowTag[] = [
      { key: 'mlops.registered_model', value: `${request.name}/${version}` },
      { key: MLFLOW_TAGS.codeCommit, value: request.commit },
    ];
    if (gate) {
      metrics.push({ key: 'gate.passed', value: gate.passed ? 1 : 0, timestamp, step: 0 });
      if (gate.difference !== undefined && Number.isFinite(gate.difference))
        metrics.push({ key: 'gate.difference', value: gate.difference, timestamp, step: 0 });
      if (gate.ci) {
        metrics.push({ key: 'gate.ci_low', value: gate.ci[0], timestamp, step: 0 });
        metrics.push({ key: 'gate.ci_high', value: gate.ci[1], timestamp, step: 0 });
      }
      if (gate.metric !== undefined) params.push({ key: 'gate.metric', value: gate.metric });
      params.push({ key: 'gate.report_schema', value: gate.report_schema });
      tags.push({ key: 'mlops.gate.verdict', value: gate.passed ? 'passed' : 'failed' });
      tags.push({ key: 'mlops.gate.report_sha256', value: gate.report_sha256 });
    }
    if (request.actor.runUrl) tags.push({ key: MLFLOW_TAGS.githubRun, value: request.actor.runUrl });
    if (skipped.length > 0) {
      this.logger.warning(
        `not logged to MLflow run ${runId} (not a finite number, or a key MLflow refuses): ${skipped.slice(0, 10).join(', ')}${skipped.length > 10 ? ` and ${skipped.length - 10} more` : ''}`,
      );
    }
    const run = await this.getRun(runId);
    const logged = new Map((run.data?.params ?? []).map((param) => [param.key, param.value]));
    const newParams = params.filter((param) => {
      const value = chunkCodePoints(param.value, MLFLOW_LIMITS.paramValue)[0]!;
      param.value = value;
      const existing = logged.get(param.key);
      if (existing === undefined) return true;
      if (existing !== value) {
        this.logger.warning(
          `MLflow run ${runId} already has param ${param.key}='${existing.slice(0, 80)}'; MLflow refuses to change a param, so '${value.slice(0, 80)}' is not logged (the tags carry this registration's verdict)`,
        );
      }
      return false;
    });
    for (const entry of tags) entry.value = chunkCodePoints(entry.value, MLFLOW_LIMITS.runTagValue)[0]!;
    const batches = logBatches(metrics, newParams, tags);
    for (const batch of batches)
      await this.client.call('POST', 'runs/log-batch', { run_id: runId, ...batch });
    this.logger.info(
      `logged the gate to MLflow run ${runId}: ${metrics.length} metric(s), ${newParams.length} param(s), ${tags.length} tag(s) in ${batches.length} request(s)`,
    );
  }

  private async getRun(runId: string): Promise<{ data?: { params?: MlflowTag[] } }> {
    try {
      return (
        await this.client.call<{ run: { data?: { params?: MlflowTag[] } } }>('GET', 'runs/get', {
          run_id: runId,
        })
      ).run;
    } catch (error) {
      if (error instanceof MlflowApiError && error.errorCode === 'RESOURCE_DOES_NOT_EXIST') {
        throw new UserError(`input 'mlflow-run-id': run ${runId} does not exist in ${this.location}`);
      }
      throw error;
    }
  }

  async promote(request: PromoteRequest): Promise<PromoteResult> {
    return this.explained(`promote ${request.name} ${request.version} to ${request.stage}`, () =>
      this.assign(
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
      ),
    );
  }

  async rollback(request: RollbackRequest): Promise<PromoteResult> {
    return this.explained(`roll back ${request.name} ${request.stage}`, () =>
      this.assign(
        `roll back ${request.name} ${request.stage} (no history to roll back to)`,
        request.name,
        request.stage,
        request.actor,
        'rollback',
        request.requireGate,
        async () => {
          const events = await this.history(request.name, request.stage);
          const holders = events.map((event) => event.version);
          const current = await this.stageHolder(request.name, request.stage);
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
      ),
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
    const model = await this.getRegisteredModel(name, false);
    if (!model) {
      throw new UserError(`cannot ${intent}: model '${name}' is not registered in ${this.location}`);
    }
    const legacy = LEGACY_STAGES[stage.toLowerCase()];
    if (this.aliasApi === false && !(this.options.legacyStages && legacy)) throw this.noAliasApi(stage);
    const version = await choose();
    const target = await this.modelVersion(name, version);
    const raw = await this.getVersion(name, version);
    if (raw.status !== 'READY') {
      throw new UserError(`${name} version ${version} is ${raw.status}, not READY: it cannot take a stage`);
    }
    if (requireGate) assertGatePassed(target);
    const previous = await this.stageHolder(name, stage, model);
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
    const recordText = JSON.stringify(record);
    if (codePointLength(recordText) > MLFLOW_LIMITS.tagValue) {
      throw new UserError(
        `the audit record of this move is ${codePointLength(recordText)} characters, over MLflow's ${MLFLOW_LIMITS.tagValue} per tag (a very long actor, workflow or run URL)`,
      );
    }
    // Audit first, alias second: if the alias cannot be set the audit entry is withdrawn, so the history never
    // claims a move that did not happen.
    await this.client.call('POST', 'registered-models/set-tag', { name, key: auditKey, value: recordText });
    if (this.aliasApi !== false) {
      try {
        await this.client.call('POST', 'registered-models/alias', { name, alias: stage, version });
        this.aliasApi = true;
      } catch (error) {
        const missing = error instanceof MlflowApiError && error.noSuchEndpoint;
        if (missing) this.aliasApi = false;
        if (!(missing && this.options.legacyStages && legacy)) {
          await this.client
            .call('DELETE', 'registered-models/delete-tag', { name, key: auditKey })
            .catch(() =>
              this.logger.warning(`could not withdraw audit entry ${auditKey} after a failed alias move`),
            );
          throw missing ? this.noAliasApi(stage) : error;
        }
        this.logger.info(`${this.location} has no model aliases: moving the ${legacy} stage only`);
      }
    }
    await this.client.call('POST', 'model-versions/set-tag', {
      name,
      version,
      key: `${MLFLOW_TAGS.promotedPrefix}${stage}`,
      value: recordText,
    });
    if (this.options.legacyStages) {
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
    if (stage !== undefined) this.assertStage(stage, false);
    return this.explained(`look up ${name}${stage ? ` ${stage}` : ''}`, async () => {
      const model = await this.getRegisteredModel(name, false);
      if (!model) return undefined;
      if (stage === undefined) {
        const ready = (await this.searchVersions(name)).filter((version) => version.status === 'READY');
        if (ready.length === 0) return undefined;
        const latest = ready.reduce((best, version) =>
          Number(version.version) > Number(best.version) ? version : best,
        );
        return this.modelVersion(name, latest.version);
      }
      const holder = await this.stageHolder(name, stage, model);
      return holder === undefined ? undefined : this.modelVersion(name, holder);
    });
  }

  async versions(name: string): Promise<ModelVersion[]> {
    assertArtifactName(name);
    return this.explained(`list the versions of ${name}`, async () => {
      const model = await this.getRegisteredModel(name, false);
      if (!model) return [];
      const all = (await this.searchVersions(name)).filter((version) => version.status === 'READY');
      all.sort((a, b) => Number(b.version) - Number(a.version));
      // Search results carry no aliases (MLflow's SQL store leaves them out): they come from the model.
      const aliases = model.aliases ?? [];
      return all.map((version) =>
        toModelVersion(name, {
          ...version,
          aliases: aliases.filter((entry) => entry.version === version.version).map((entry) => entry.alias),
        }),
      );
    });
  }

  /** MLflow has no deprecated state for a registered model (deleting it is the closest). */
  async deprecation(_name: string): Promise<Deprecation | undefined> {
    return undefined;
  }

  async history(name: string, stage?: string): Promise<StageEvent[]> {
    return this.explained(`read the audit trail of ${name}`, () => this.auditTrail(name, stage));
  }

  private async auditTrail(name: string, stage?: string): Promise<StageEvent[]> {
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

  /**
   * The version holding a stage: the alias, read from registered-models/get (its `aliases` list), not probed with
   * GET registered-models/alias, which answers an unset alias with 400 INVALID_PARAMETER_VALUE. With legacy stages,
   * a stage without an alias (a server without aliases, or moved in the UI) falls back to the version in that stage.
   */
  private async stageHolder(
    name: string,
    stage: string,
    model?: MlflowRegisteredModel,
  ): Promise<string | undefined> {
    const current = model ?? (await this.getRegisteredModel(name, true));
    const alias = current?.aliases?.find((entry) => entry.alias === stage);
    if (alias) return alias.version;
    const legacy = LEGACY_STAGES[stage.toLowerCase()];
    if (!this.options.legacyStages || !legacy) return undefined;
    const inStage = (await this.searchVersions(name)).filter(
      (version) => version.current_stage === legacy && version.status === 'READY',
    );
    if (inStage.length === 0) return undefined;
    return inStage.reduce((best, version) =>
      Number(version.version) > Number(best.version) ? version : best,
    ).version;
  }

  private noAliasApi(stage: string): UserError {
    return new UserError(
      `${this.location} has no model-alias API (registered-models/alias answered HTTP 404 from the web server, not from MLflow): aliases need open-source MLflow 2.3 or later. On an older server or Databricks' workspace registry, set mlflow-legacy-stages: true and use stage staging or production (MLflow's Staging / Production); '${stage}' ${LEGACY_STAGES[stage.toLowerCase()] ? 'maps to one' : 'has no such stage'}. Check too that mlflow-tracking-uri is the server's root URL`,
    );
  }

  /**
   * Runs one operation and turns any MLflow answer left unhandled into a user-facing error that names the
   * operation, the endpoint and what MLflow said (never "internal error").
   */
  private async explained<T>(what: string, operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (!(error instanceof MlflowApiError)) throw error;
      if (error.noSuchEndpoint) {
        throw new UserError(
          `cannot ${what}: ${this.location} has no endpoint /api/2.0/mlflow/${error.endpoint} (HTTP 404 from the web server, not from MLflow): mlflow-tracking-uri must be the MLflow server's root URL (no /api/..., no /#/ UI path), and the server must be MLflow 2.3 or later`,
        );
      }
      if (error.retryable) {
        throw new UserError(
          `cannot ${what}: ${this.location} answered ${error.status} ${error.errorCode} to ${error.endpoint} (${error.detail}); the server or its database is failing, try again later or read the server's log`,
        );
      }
      throw new UserError(
        `cannot ${what}: ${this.location} refused ${error.endpoint} (${error.status} ${error.errorCode}: ${error.detail})`,
      );
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
    // JSON.stringify escapes lone surrogates, and the cut is on code points: no chunk holds half a pair (a lone
    // surrogate makes Postgres and MySQL answer 500).
    const chunks = chunkCodePoints(text, MLFLOW_LIMITS.tagValue);
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

/**
 * Splits a runs/log-batch into requests MLflow accepts: at most 100 params, 100 tags and 1000 entities in all
 * per request, metrics filling what is left.
 */
export function logBatches<M, T>(
  metrics: readonly M[],
  params: readonly T[],
  tags: readonly T[],
): { metrics: M[]; params: T[]; tags: T[] }[] {
  const batches: { metrics: M[]; params: T[]; tags: T[] }[] = [];
  let m = 0;
  let p = 0;
  let t = 0;
  while (m < metrics.length || p < params.length || t < tags.length) {
    const batchParams = params.slice(p, p + MLFLOW_LIMITS.batchParams);
    const batchTags = tags.slice(t, t + MLFLOW_LIMITS.batchTags);
    const room = Math.min(
      MLFLOW_LIMITS.batchMetrics,
      MLFLOW_LIMITS.batchEntities - batchParams.length - batchTags.length,
    );
    const batchMetrics = metrics.slice(m, m + room);
    p += batchParams.length;
    t += batchTags.length;
    m += batchMetrics.length;
    batches.push({ metrics: batchMetrics, params: batchParams, tags: batchTags });
  }
  return batches;
}
