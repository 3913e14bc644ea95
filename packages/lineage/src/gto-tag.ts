import { UserError } from '@mlops/kit';
import { SEMVER_PATTERN } from './semver.ts';

/**
 * GTO (iterative/gto, gto/constants.py and gto/tag.py) encodes a registry in annotated git tags:
 *   register    `name@v1.2.0`        deregister `name@v1.2.0!`
 *   assign      `name#stage#N`       unassign   `name#stage!#N`
 *   deprecate   `name@deprecated`
 * N is one more than the largest counter among all of the artifact's tags; a name inside a folder
 * (`dir:name`) is written `dir=name` in tags.
 */
export type GtoAction = 'register' | 'deregister' | 'assign' | 'unassign' | 'deprecate';

export interface GtoTag {
  /** Artifact name, with `:` for a folder prefix (as the user writes it). */
  name: string;
  action: GtoAction;
  /** `v1.2.0` for register / deregister. */
  version?: string;
  stage?: string;
  counter?: number;
}

/** GTO's name rule: letters, digits, `-`, `_`, `/`, starting and ending with a letter or digit. */
export const GTO_NAME_PATTERN = '[a-zA-Z0-9]([a-zA-Z0-9-/_]*[a-zA-Z0-9])?';
const NAME_RE = new RegExp(`^${GTO_NAME_PATTERN}$`);
const DIRNAME = '[a-zA-Z0-9-_./]+';
const NAME = '[a-zA-Z0-9](?:[a-zA-Z0-9-/_]*[a-zA-Z0-9])?';
const FULLNAME_RE = new RegExp(`^(?:${DIRNAME}:)?${NAME}$`);
// The same alternation as GTO's tag_re, with named groups JavaScript accepts.
const TAG_RE = new RegExp(
  `^(?<artifact>(?:${DIRNAME}=)?${NAME})(?:(?:#(?<stage>${NAME})|@(?<version>v${SEMVER_PATTERN}))(?<cancel>!?)|@(?<deprecated>deprecated|created))(?:#(?<counter>[0-9]+))?$`,
);

export function isValidGtoName(value: string): boolean {
  return NAME_RE.test(value);
}

/** Throws a UserError naming what is wrong with an artifact name (optionally `dir:name`). */
export function assertArtifactName(value: string, what = 'name'): void {
  if (!FULLNAME_RE.test(value)) {
    throw new UserError(
      `${what} '${value}' is not a valid artifact name: GTO allows letters, digits, '-', '_' and '/', at least ` +
        `2 characters, starting and ending with a letter or digit (optionally prefixed 'folder:')`,
    );
  }
}

/** Throws a UserError when a stage name breaks GTO's name rule (it becomes part of a tag). */
export function assertStageName(value: string, what = 'stage'): void {
  if (!NAME_RE.test(value)) {
    throw new UserError(
      `${what} '${value}' is not a valid stage name: GTO allows letters, digits, '-', '_' and '/', starting and ending with a letter or digit`,
    );
  }
}

const toTag = (name: string) => name.replaceAll(':', '=');
const fromTag = (name: string) => name.replaceAll('=', ':');

/** The tag name for an event; the counter is appended as `#N` when given. */
export function formatGtoTag(tag: GtoTag): string {
  const artifact = toTag(tag.name);
  let base: string;
  switch (tag.action) {
    case 'register':
      base = `${artifact}@${tag.version}`;
      break;
    case 'deregister':
      base = `${artifact}@${tag.version}!`;
      break;
    case 'assign':
      base = `${artifact}#${tag.stage}`;
      break;
    case 'unassign':
      base = `${artifact}#${tag.stage}!`;
      break;
    case 'deprecate':
      base = `${artifact}@deprecated`;
      break;
  }
  return tag.counter === undefined ? base : `${base}#${tag.counter}`;
}

/** Parses a tag name as GTO does; undefined for tags that are not GTO's (release tags, `v1.0`, ...). */
export function parseGtoTag(tagName: string): GtoTag | undefined {
  const match = TAG_RE.exec(tagName);
  const groups = match?.groups;
  if (!groups) return undefined;
  // GTO's `@created` alternative parses but carries no action; it is not an event.
  if (groups.deprecated === 'created') return undefined;
  const result: GtoTag = { name: fromTag(groups.artifact!), action: 'deprecate' };
  if (groups.version) {
    result.version = groups.version;
    result.action = groups.cancel === '!' ? 'deregister' : 'register';
  } else if (groups.stage) {
    result.stage = groups.stage;
    result.action = groups.cancel === '!' ? 'unassign' : 'assign';
  }
  if (groups.counter !== undefined) result.counter = Number(groups.counter);
  return result;
}

/** Next counter for an artifact: one more than the largest among all its tags (gto/tag.py name_tag). */
export function nextCounter(name: string, tagNames: Iterable<string>): number {
  let largest = 0;
  for (const tagName of tagNames) {
    const parsed = parseGtoTag(tagName);
    if (parsed?.name === name && parsed.counter !== undefined && parsed.counter > largest) {
      largest = parsed.counter;
    }
  }
  return largest + 1;
}
