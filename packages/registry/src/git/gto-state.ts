import {
  compareSemVer,
  type LineageRecord,
  lineageFromMessage,
  parseGtoTag,
  parseSemVer,
} from '@mlops/lineage';
import { STAGE_EVENT_SCHEMA } from '@mlops/schemas';
import type { StageRecord } from '../stage-history.ts';
import type { StageEvent } from '../types.ts';
import type { TagRecord } from './tag-record.ts';

export interface GtoVersion {
  version: string;
  tag: string;
  commit: string;
  date: number;
  tagger?: string;
  /** false once deregistered (`name@v1.2.0!`). */
  active: boolean;
  /** false for a "version" GTO infers from a stage tag on an unregistered commit. */
  registered: boolean;
  lineage?: LineageRecord;
}

interface StageEventInternal {
  stage: string;
  assign: boolean;
  version: string;
  date: number;
  counter: number;
  tag: string;
  message: string;
  tagger?: string;
}

export interface GtoArtifact {
  name: string;
  versions: Map<string, GtoVersion>;
  /** Stage events, ordered by (tag date, counter). */
  stageEvents: StageEventInternal[];
  /** Every tag name of the artifact (counters are computed over all of them). */
  tagNames: string[];
  /**
   * GTO's `Artifact.is_active` is false: the artifact's latest event is a deprecation (`name@deprecated`), so GTO
   * and DVC Studio show no versions and no stages until a later registration or assignment revives it.
   */
  deprecated: boolean;
  /** The latest deprecation tag, whether or not a later event revived the artifact. */
  deprecation?: { tag: string; date: number };
}

const order = (a: { date: number; counter: number }, b: { date: number; counter: number }) =>
  a.date - b.date || a.counter - b.counter;

/**
 * Rebuilds the registry as GTO does (gto/registry.py get_state): version tags first, then stage tags resolved
 * to the version registered at the tag's commit, each sorted by tag date. Where GTO would leave equal dates in
 * listing order, we break ties by the counter (the writer's order). Lightweight tags are ignored, as in GTO.
 */
export function buildGtoState(tags: readonly TagRecord[]): Map<string, GtoArtifact> {
  const artifacts = new Map<string, GtoArtifact>();
  const artifactOf = (name: string) => {
    let artifact = artifacts.get(name);
    if (!artifact) {
      artifact = { name, versions: new Map(), stageEvents: [], tagNames: [], deprecated: false };
      artifacts.set(name, artifact);
    }
    return artifact;
  };
  const parsed = tags
    .map((tag) => ({ tag, gto: parseGtoTag(tag.name) }))
    .filter(
      (entry): entry is { tag: TagRecord; gto: NonNullable<typeof entry.gto> } => entry.gto !== undefined,
    )
    .map((entry) => ({ ...entry, date: entry.tag.date, counter: entry.gto.counter ?? 0 }))
    .sort(order);

  // The latest event decides (gto/base.py Artifact.is_active). GTO sorts events by tag date alone and, on equal
  // dates, puts version and stage events after the deprecation, so a deprecation must be strictly the latest.
  const lastOther = new Map<string, number>();
  for (const { tag, gto } of parsed) {
    const artifact = artifactOf(gto.name);
    artifact.tagNames.push(tag.name);
    if (gto.action === 'deprecate') {
      if (!artifact.deprecation || tag.date >= artifact.deprecation.date)
        artifact.deprecation = { tag: tag.name, date: tag.date };
    } else {
      lastOther.set(gto.name, Math.max(lastOther.get(gto.name) ?? -Infinity, tag.date));
    }
    if (gto.action === 'register') {
      const existing = artifact.versions.get(gto.version!);
      const record: GtoVersion = {
        version: gto.version!,
        tag: tag.name,
        commit: tag.target,
        date: tag.date,
        active: true,
        registered: true,
      };
      if (tag.tagger !== undefined) record.tagger = tag.tagger;
      const lineage = lineageFromMessage(tag.message);
      if (lineage) record.lineage = lineage;
      if (!existing?.registered) artifact.versions.set(gto.version!, record);
      else existing.active = true;
    } else if (gto.action === 'deregister') {
      const existing = artifact.versions.get(gto.version!);
      if (existing) existing.active = false;
    }
  }
  for (const { tag, gto, date, counter } of parsed) {
    if (gto.action !== 'assign' && gto.action !== 'unassign') continue;
    const artifact = artifactOf(gto.name);
    const version = versionAtCommit(artifact, tag.target);
    const event: StageEventInternal = {
      stage: gto.stage!,
      assign: gto.action === 'assign',
      version,
      date,
      counter,
      tag: tag.name,
      message: tag.message,
    };
    if (tag.tagger !== undefined) event.tagger = tag.tagger;
    artifact.stageEvents.push(event);
  }
  for (const artifact of artifacts.values()) {
    const other = lastOther.get(artifact.name);
    artifact.deprecated =
      artifact.deprecation !== undefined && (other === undefined || artifact.deprecation.date > other);
  }
  return artifacts;
}

/** GTO's find_version(commit_hexsha=..., create_new=True): an unregistered commit becomes a version named by it. */
function versionAtCommit(artifact: GtoArtifact, commit: string): string {
  for (const version of artifact.versions.values()) if (version.commit === commit) return version.version;
  artifact.versions.set(commit, {
    version: commit,
    tag: commit,
    commit,
    date: 0,
    active: true,
    registered: false,
  });
  return commit;
}

/**
 * Who holds each stage after the first `upTo` stage events, with GTO's defaults (sort by timestamp, one version
 * per stage): a version is in a stage when its latest event there is an assignment; among those, the one
 * assigned last wins. Deregistered versions hold nothing.
 */
export function stageHolders(artifact: GtoArtifact, upTo = artifact.stageEvents.length): Map<string, string> {
  // A deprecated artifact holds no stage (gto show lists none) until a later event revives it.
  if (artifact.deprecated) return new Map();
  // Per (stage, version): the latest event decides whether the version is in the stage, and when it got there.
  const latest = new Map<string, StageEventInternal>();
  for (const event of artifact.stageEvents.slice(0, upTo))
    latest.set(`${event.stage}\u0000${event.version}`, event);
  const holders = new Map<string, StageEventInternal>();
  for (const event of latest.values()) {
    if (!event.assign || artifact.versions.get(event.version)?.active === false) continue;
    const current = holders.get(event.stage);
    if (!current || order(event, current) > 0) holders.set(event.stage, event);
  }
  return new Map([...holders].map(([stage, event]) => [stage, event.version]));
}

/** The holder of one stage after each of its events (for rollback), oldest first. */
export function holderSequence(artifact: GtoArtifact, stage: string): (string | undefined)[] {
  const sequence: (string | undefined)[] = [];
  artifact.stageEvents.forEach((event, index) => {
    if (event.stage === stage) sequence.push(stageHolders(artifact, index + 1).get(stage));
  });
  return sequence;
}

/** Stage events as audit entries; the writer's record (from the tag message) adds who, which run and from what. */
export function auditTrail(artifact: GtoArtifact, stage?: string): StageEvent[] {
  const events: StageEvent[] = [];
  for (const event of artifact.stageEvents) {
    if (stage !== undefined && event.stage !== stage) continue;
    const record = stageRecordFromMessage(event.message);
    const entry: StageEvent = {
      name: artifact.name,
      stage: event.stage,
      action: event.assign ? (record?.action ?? 'promote') : 'unassign',
      at: record?.at ?? new Date(event.date * 1000).toISOString(),
      ref: event.tag,
    };
    if (event.assign) entry.version = event.version;
    const previous = record?.previous_version;
    if (typeof previous === 'string') entry.previousVersion = previous;
    const actor = record?.actor ?? event.tagger;
    if (actor !== undefined) entry.actor = actor;
    if (record?.run_id !== undefined) entry.runId = record.run_id;
    if (record?.run_url !== undefined) entry.runUrl = record.run_url;
    events.push(entry);
  }
  return events;
}

export function stageRecordFromMessage(message: string): StageRecord | undefined {
  const start = message.indexOf('{');
  if (start === -1) return undefined;
  try {
    const parsed = JSON.parse(message.slice(start)) as StageRecord;
    return parsed.schema === STAGE_EVENT_SCHEMA ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Registered, active versions, greatest semver first; none while the artifact is deprecated (GTO's view). */
export function activeVersions(artifact: GtoArtifact): GtoVersion[] {
  if (artifact.deprecated) return [];
  return [...artifact.versions.values()]
    .filter((version) => version.registered && version.active && parseSemVer(version.version) !== undefined)
    .sort((a, b) => compareVersions(b.version, a.version));
}

function compareVersions(a: string, b: string): number {
  return compareSemVer(parseSemVer(a)!, parseSemVer(b)!);
}
