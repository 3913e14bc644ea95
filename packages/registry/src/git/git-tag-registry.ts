import { didYouMean, type Logger, UserError } from '@mlops/kit';
import {
  assertArtifactName,
  assertStageName,
  formatGtoTag,
  formatSemVer,
  type LineageRecord,
  nextCounter,
  nextVersion,
  parseSemVer,
  requireSemVer,
  serializeLineage,
} from '@mlops/lineage';
import { STAGE_EVENT_SCHEMA } from '@mlops/schemas';
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
import {
  activeVersions,
  auditTrail,
  buildGtoState,
  type GtoArtifact,
  type GtoVersion,
  holderSequence,
  stageHolders,
} from './gto-state.ts';
import type { NewTag, TagStore } from './tag-record.ts';

export interface GitTagRegistryOptions {
  store: TagStore;
  logger: Logger;
  /** Stages that may be assigned; undefined: any valid name. */
  allowedStages?: readonly string[];
  /** Publish attempts before giving up when other runs keep winning races. */
  maxAttempts?: number;
  /** Injected for tests; seconds since the epoch. */
  now?: () => number;
  /** First backoff window after a lost race, in milliseconds (doubles per attempt, capped at 2 s). */
  backoffMs?: number;
}

/** A GTO-compatible registry in annotated git tags. */
export class GitTagRegistry implements Registry {
  readonly kind = 'git' as const;
  readonly location: string;
  private readonly store: TagStore;
  private readonly logger: Logger;
  private readonly maxAttempts: number;
  private readonly now: () => number;
  private readonly backoffMs: number;

  constructor(private readonly options: GitTagRegistryOptions) {
    this.store = options.store;
    this.logger = options.logger;
    this.location = options.store.location;
    this.maxAttempts = options.maxAttempts ?? 60;
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
    this.backoffMs = options.backoffMs ?? 50;
  }

  async register(request: RegisterRequest): Promise<RegisterResult> {
    assertArtifactName(request.name);
    const explicit =
      request.version === undefined ? undefined : requireSemVer(request.version, "input 'version'");
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      await this.store.refresh();
      const artifact = await this.artifact(request.name);
      const same = artifact && findSameBuild(artifact, request.commit, request.lineage.model.sha256);
      if (same) {
        this.logger.info(
          `${request.name} ${same.version} already holds commit ${short(request.commit)} with model sha256 ${short(request.lineage.model.sha256)}: nothing to register`,
        );
        if (explicit && formatSemVer(explicit) !== same.version) {
          this.logger.warning(
            `version ${formatSemVer(explicit)} was requested, but this build is already ${request.name} ${same.version}; a build is registered once`,
          );
        }
        return { version: this.toModelVersion(artifact!, same), created: false, attempts: attempt };
      }
      let version: string;
      if (explicit) {
        version = formatSemVer(explicit);
        const taken = artifact?.versions.get(version);
        if (taken) {
          throw new UserError(
            `${request.name} ${version} is already registered (tag ${taken.tag}, commit ${short(taken.commit)}) with a different commit or model; choose another version or leave 'version' empty to bump`,
          );
        }
      } else {
        // Every version tag counts, deregistered ones too: their tag names are taken.
        const existing = [...(artifact?.versions.values() ?? [])]
          .filter((entry) => entry.registered)
          .map((entry) => parseSemVer(entry.version)!)
          .filter(Boolean);
        version = formatSemVer(nextVersion(existing, request.bump));
      }
      const tagName = formatGtoTag({ name: request.name, action: 'register', version });
      const lineage: LineageRecord = {
        ...request.lineage,
        version,
        ...(request.modelUriFor
          ? { model: { ...request.lineage.model, uri: request.modelUriFor(version, tagName) } }
          : {}),
      };
      // GTO reads the latest event by tag date: a registration that revives a deprecated artifact is dated after
      // the deprecation even when the deprecating machine's clock ran ahead.
      const date = artifact?.deprecated ? Math.max(this.now(), artifact.deprecation!.date + 1) : this.now();
      const who = tagger(request.actor);
      // GTO identifies a version by its commit: tag the code commit itself unless a version of this artifact
      // already points at it (retraining on unchanged code), then a commit of our own with the same tree.
      const commitTaken = [...(artifact?.versions.values() ?? [])].some(
        (entry) => entry.commit === request.commit,
      );
      const target = commitTaken
        ? await this.store.createVersionCommit(
            request.commit,
            `Register ${request.name} ${version}\n\nSame tree as ${request.commit}; model sha256 ${request.lineage.model.sha256}.\n`,
            who,
            date,
          )
        : request.commit;
      const message = `Register ${request.name} ${version} (model sha256 ${short(lineage.model.sha256)}, commit ${short(request.commit)})\n\n${serializeLineage(lineage)}\n`;
      const outcome = await this.store.publish({ name: tagName, target, message, date, tagger: who });
      if (outcome === 'created') {
        this.logger.info(`registered ${tagName} (attempt ${attempt})`);
        if (artifact?.deprecated) {
          this.logger.info(
            `${request.name} was deprecated (${describeDeprecation(artifact)}); this registration revives it (GTO: the latest event decides)`,
          );
        }
        const registered: GtoVersion = {
          version,
          tag: tagName,
          commit: target,
          date,
          active: true,
          registered: true,
          lineage,
          tagger: who.name,
        };
        return {
          version: this.toModelVersion(artifact ?? emptyArtifact(request.name), registered),
          created: true,
          attempts: attempt,
        };
      }
      this.logger.info(`${tagName} was taken by a concurrent run; retrying`);
      if (explicit) {
        // Someone else registered this exact version; if it is our build, the next pass returns it.
        await this.store.refresh();
        const again = await this.artifact(request.name);
        const mine = again && findSameBuild(again, request.commit, request.lineage.model.sha256);
        if (mine) return { version: this.toModelVersion(again!, mine), created: false, attempts: attempt };
        throw new UserError(`${request.name} ${version} was registered by another run at the same time`);
      }
      await this.backoff(attempt);
    }
    throw new UserError(
      `could not register ${request.name} after ${this.maxAttempts} attempts: other runs kept taking the next version`,
    );
  }

  async promote(request: PromoteRequest): Promise<PromoteResult> {
    return this.assign(
      `promote ${request.name} ${request.version} to ${request.stage}`,
      request.name,
      request.stage,
      request.actor,
      'promote',
      request.requireGate,
      (artifact) => resolveVersion(artifact, request.version),
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
      (artifact) => {
        const holders = holderSequence(artifact, request.stage);
        const current = holders.at(-1);
        const previous = previousHolder(holders);
        if (previous === undefined) {
          throw new UserError(
            current === undefined
              ? `cannot roll back ${request.name} ${request.stage}: no history, the stage has never been assigned`
              : `cannot roll back ${request.name} ${request.stage}: no earlier version in its history (${current} is the only one it has held)`,
          );
        }
        const version = artifact.versions.get(previous);
        if (!version?.active || !version.registered) {
          throw new UserError(
            `cannot roll back ${request.name} ${request.stage} to ${previous}: that version is deregistered or unregistered`,
          );
        }
        return version;
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
    choose: (artifact: GtoArtifact) => GtoVersion,
  ): Promise<PromoteResult> {
    assertArtifactName(name);
    assertStageName(stage);
    this.assertStageAllowed(stage);
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      await this.store.refresh();
      const artifact = await this.artifact(name);
      if (artifact?.deprecated) {
        throw new UserError(
          `cannot ${intent}: model '${name}' is deprecated (${describeDeprecation(artifact)}), so GTO shows no versions or stages for it; register a new version to revive it`,
        );
      }
      if (!artifact || activeVersions(artifact).length === 0) {
        throw new UserError(
          `cannot ${intent}: model '${name}' has no registered versions in ${this.location}`,
        );
      }
      const target = choose(artifact);
      if (requireGate) assertGatePassed(this.toModelVersion(artifact, target));
      const holders = stageHolders(artifact);
      const previous = holders.get(stage);
      if (previous === target.version && action === 'promote') {
        this.logger.info(`${name} ${target.version} already holds ${stage}: nothing to do`);
        const last = [...artifact.stageEvents].reverse().find((event) => event.stage === stage);
        return {
          name,
          stage,
          version: target.version,
          ...(previousBefore(artifact, stage) !== undefined
            ? { previousVersion: previousBefore(artifact, stage)! }
            : {}),
          ref: last?.tag ?? '',
          created: false,
          attempts: attempt,
          modelVersion: this.toModelVersion(artifact, target),
        };
      }
      const counter = nextCounter(name, artifact.tagNames);
      const tagName = formatGtoTag({ name, action: 'assign', stage, counter });
      // GTO orders events by tag date at one-second resolution: keep this artifact's stage tags strictly
      // increasing so GTO reads the same order as the counters say.
      const lastDate = Math.max(0, ...artifact.stageEvents.map((event) => event.date), target.date);
      const date = Math.max(this.now(), lastDate + 1);
      const at = new Date(date * 1000).toISOString();
      const record: StageRecord = {
        schema: STAGE_EVENT_SCHEMA,
        name,
        stage,
        action,
        version: target.version,
        previous_version: previous ?? null,
        at,
        ...actorFields(actor),
      };
      const verb = action === 'rollback' ? 'Roll back' : 'Promote';
      const message = `${verb} ${name} ${stage} to ${target.version} (was ${previous ?? 'unassigned'})\n\n${JSON.stringify(record)}\n`;
      const tag: NewTag = { name: tagName, target: target.commit, message, date, tagger: tagger(actor) };
      const outcome = await this.store.publish(tag, [target.tag]);
      if (outcome === 'created') {
        this.logger.info(`${tagName}: ${name} ${stage} ${previous ?? '(unassigned)'} -> ${target.version}`);
        const event: StageEvent = {
          name,
          stage,
          action,
          version: target.version,
          at,
          ref: tagName,
          ...(previous !== undefined ? { previousVersion: previous } : {}),
          ...(actor.actor !== undefined ? { actor: actor.actor } : {}),
          ...(actor.runId !== undefined ? { runId: actor.runId } : {}),
          ...(actor.runUrl !== undefined ? { runUrl: actor.runUrl } : {}),
        };
        const modelVersion = this.toModelVersion(artifact, target);
        if (!modelVersion.stages.includes(stage)) modelVersion.stages.push(stage);
        return {
          name,
          stage,
          version: target.version,
          ...(previous !== undefined ? { previousVersion: previous } : {}),
          ref: tagName,
          created: true,
          event,
          attempts: attempt,
          modelVersion,
        };
      }
      this.logger.info(`${tagName} was taken by a concurrent run; re-reading the stage and retrying`);
      await this.backoff(attempt);
    }
    throw new UserError(`could not assign ${name} ${stage} after ${this.maxAttempts} attempts`);
  }

  async lookup(name: string, stage?: string): Promise<ModelVersion | undefined> {
    assertArtifactName(name);
    if (stage !== undefined) assertStageName(stage);
    await this.refreshForReading();
    const artifact = await this.artifact(name);
    if (!artifact) return undefined;
    if (stage === undefined) {
      const greatest = activeVersions(artifact)[0];
      return greatest && this.toModelVersion(artifact, greatest);
    }
    const holder = stageHolders(artifact).get(stage);
    const version = holder === undefined ? undefined : artifact.versions.get(holder);
    return version && this.toModelVersion(artifact, version);
  }

  async versions(name: string): Promise<ModelVersion[]> {
    assertArtifactName(name);
    await this.refreshForReading();
    const artifact = await this.artifact(name);
    if (!artifact) return [];
    const holders = stageHolders(artifact);
    return activeVersions(artifact).map((version) => this.toModelVersion(artifact, version, holders));
  }

  async deprecation(name: string): Promise<Deprecation | undefined> {
    assertArtifactName(name);
    await this.refreshForReading();
    const artifact = await this.artifact(name);
    if (!artifact?.deprecated || !artifact.deprecation) return undefined;
    return {
      ref: artifact.deprecation.tag,
      at: new Date(artifact.deprecation.date * 1000).toISOString(),
    };
  }

  async history(name: string, stage?: string): Promise<StageEvent[]> {
    assertArtifactName(name);
    await this.refreshForReading();
    const artifact = await this.artifact(name);
    return artifact ? auditTrail(artifact, stage) : [];
  }

  /**
   * Reads tolerate a failed fetch (a checkout made with persist-credentials: false, a read-only token): the
   * checkout's own tags are then read, with a warning, since actions/checkout with fetch-depth: 0 brought them.
   * Writes never do: they must see the remote to take the lock.
   */
  private async refreshForReading(): Promise<void> {
    try {
      await this.store.refresh();
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      this.logger.warning(`${error.message}; reading the tags already in the checkout`);
    }
  }

  private assertStageAllowed(stage: string): void {
    const allowed = this.options.allowedStages;
    if (allowed && allowed.length > 0 && !allowed.includes(stage)) {
      const prefixed = allowed.find(
        (candidate) => candidate.startsWith(stage) || stage.startsWith(candidate),
      );
      const hint = prefixed !== undefined ? ` (did you mean '${prefixed}'?)` : didYouMean(stage, allowed);
      throw new UserError(`stage '${stage}' is not allowed (allowed: ${allowed.join(', ')})${hint}`);
    }
  }

  private async artifact(name: string): Promise<GtoArtifact | undefined> {
    return buildGtoState(await this.store.list()).get(name);
  }

  private toModelVersion(
    artifact: GtoArtifact,
    version: GtoVersion,
    holders: ReadonlyMap<string, string> = stageHolders(artifact),
  ): ModelVersion {
    const result: ModelVersion = {
      name: artifact.name,
      version: version.version,
      ref: version.tag,
      createdAt: new Date(version.date * 1000).toISOString(),
      stages: [...holders].filter(([, holder]) => holder === version.version).map(([stage]) => stage),
    };
    const commit = version.lineage?.code.commit ?? version.commit;
    if (commit) result.commit = commit;
    if (version.lineage) {
      result.lineage = version.lineage;
      result.modelUri = version.lineage.model.uri;
    }
    return result;
  }

  /**
   * Full-jitter exponential backoff after a lost race: every loser retries at a random point of a window that
   * doubles, so a crowd of runs spreads out instead of colliding on the next version again and again.
   */
  private backoff(attempt: number): Promise<void> {
    const window = Math.min(this.backoffMs * 2 ** Math.min(attempt - 1, 6), 2000);
    return new Promise((resolve) => setTimeout(resolve, Math.random() * window));
  }
}

function resolveVersion(artifact: GtoArtifact, requested: string): GtoVersion {
  const active = activeVersions(artifact);
  if (requested === 'latest' || requested === 'greatest') return active[0]!;
  const parsed = parseSemVer(requested);
  if (!parsed) requireSemVer(requested, "input 'version'");
  const wanted = formatSemVer(parsed!);
  const found = artifact.versions.get(wanted);
  if (!found?.registered) {
    throw new UserError(
      `${artifact.name} ${wanted} is not registered (registered: ${active.map((v) => v.version).join(', ') || 'none'})${didYouMean(
        wanted,
        active.map((v) => v.version),
      )}`,
    );
  }
  if (!found.active)
    throw new UserError(`${artifact.name} ${wanted} was deregistered and cannot be promoted`);
  return found;
}

/** The idempotency key: a version of the same code commit with the same model bytes. */
function findSameBuild(artifact: GtoArtifact, commit: string, modelSha256: string): GtoVersion | undefined {
  return activeVersions(artifact).find(
    (version) => version.lineage?.code.commit === commit && version.lineage.model.sha256 === modelSha256,
  );
}

function previousBefore(artifact: GtoArtifact, stage: string): string | undefined {
  return previousHolder(holderSequence(artifact, stage));
}

function describeDeprecation(artifact: GtoArtifact): string {
  const { tag, date } = artifact.deprecation!;
  return `tag ${tag} of ${new Date(date * 1000).toISOString()}`;
}

function emptyArtifact(name: string): GtoArtifact {
  return { name, versions: new Map(), stageEvents: [], tagNames: [], deprecated: false };
}

function tagger(actor: Actor): NewTag['tagger'] {
  const name = actor.actor ?? 'mlops-registry';
  return { name, email: `${name}@users.noreply.github.com` };
}

const short = (text: string) => text.slice(0, 12);
