import { UserError } from '@mlops/kit';

/** A parsed semantic version (https://semver.org/spec/v2.0.0.html). */
export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  prerelease: readonly string[];
  build: readonly string[];
}

export type Bump = 'major' | 'minor' | 'patch';

// The SemVer 2.0.0 grammar, as GTO's `semver` pattern (gto/constants.py): no leading zeros, dot-separated
// pre-release identifiers, optional build metadata.
const IDENTIFIER = '(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)';
export const SEMVER_PATTERN = `(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-(${IDENTIFIER}(?:\\.${IDENTIFIER})*))?(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?`;
const SEMVER_RE = new RegExp(`^v?${SEMVER_PATTERN}$`);

/** Parses `1.2.0` or `v1.2.0`; undefined when it is not a semantic version. */
export function parseSemVer(text: string): SemVer | undefined {
  const match = SEMVER_RE.exec(text.trim());
  if (!match) return undefined;
  return {
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: Number(match[3]),
    prerelease: match[4] === undefined ? [] : match[4].split('.'),
    build: match[5] === undefined ? [] : match[5].split('.'),
  };
}

/** Like parseSemVer, but a malformed version is the user's mistake, named with where it came from. */
export function requireSemVer(text: string, what = 'version'): SemVer {
  const parsed = parseSemVer(text);
  if (parsed === undefined) {
    throw new UserError(
      `${what} '${text}' is not a semantic version (expected MAJOR.MINOR.PATCH such as 1.2.0 or v1.2.0, optionally -prerelease)`,
    );
  }
  return parsed;
}

/** `v1.2.0`: the form GTO puts in tags. */
export function formatSemVer(version: SemVer): string {
  const pre = version.prerelease.length > 0 ? `-${version.prerelease.join('.')}` : '';
  const build = version.build.length > 0 ? `+${version.build.join('.')}` : '';
  return `v${version.major}.${version.minor}.${version.patch}${pre}${build}`;
}

/**
 * SemVer 2.0.0 precedence (section 11): numeric core, then a pre-release sorts before its release, identifiers
 * compared numerically when both are numeric, numeric before alphanumeric, shorter prefix first. Build metadata
 * is ignored.
 * @example compareSemVer(parseSemVer('1.0.0-alpha')!, parseSemVer('1.0.0')!) // => -1
 */
export function compareSemVer(a: SemVer, b: SemVer): number {
  for (const key of ['major', 'minor', 'patch'] as const) {
    if (a[key] !== b[key]) return a[key] < b[key] ? -1 : 1;
  }
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    return a.prerelease.length === b.prerelease.length ? 0 : a.prerelease.length === 0 ? 1 : -1;
  }
  const length = Math.min(a.prerelease.length, b.prerelease.length);
  for (let index = 0; index < length; index++) {
    const x = a.prerelease[index]!;
    const y = b.prerelease[index]!;
    if (x === y) continue;
    const xNumeric = /^\d+$/.test(x);
    const yNumeric = /^\d+$/.test(y);
    if (xNumeric && yNumeric) return Number(x) < Number(y) ? -1 : 1;
    if (xNumeric !== yNumeric) return xNumeric ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return Math.sign(a.prerelease.length - b.prerelease.length);
}

/**
 * The next version: as GTO's bump, a pre-release or build suffix is dropped and lower parts reset.
 * @example formatSemVer(bumpSemVer(parseSemVer('1.2.3')!, 'minor')) // => 'v1.3.0'
 */
export function bumpSemVer(version: SemVer, bump: Bump): SemVer {
  const base = { prerelease: [], build: [] };
  if (bump === 'major') return { major: version.major + 1, minor: 0, patch: 0, ...base };
  if (bump === 'minor') return { major: version.major, minor: version.minor + 1, patch: 0, ...base };
  return { major: version.major, minor: version.minor, patch: version.patch + 1, ...base };
}

/** The version to register when none is given: bump the greatest, or GTO's minimal `v0.0.1` for the first. */
export function nextVersion(existing: readonly SemVer[], bump: Bump): SemVer {
  if (existing.length === 0) return { major: 0, minor: 0, patch: 1, prerelease: [], build: [] };
  const greatest = existing.reduce((best, candidate) =>
    compareSemVer(candidate, best) > 0 ? candidate : best,
  );
  return bumpSemVer(greatest, bump);
}
