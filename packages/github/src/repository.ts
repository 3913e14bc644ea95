import { UserError } from '@mlops/kit';

export interface RepositoryRef {
  owner: string;
  repo: string;
}

// GitHub's own rules: owners are 1-39 alphanumerics or single hyphens; repository names add `.` and `_`.
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const NAME = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * Splits `owner/name` (as in GITHUB_REPOSITORY or a `repository` input) into its parts.
 * @param source names where the value came from, for the error message (e.g. "input 'repository'").
 * @example parseRepository('octo-org/octo-repo') // => { owner: 'octo-org', repo: 'octo-repo' }
 */
export function parseRepository(value: string, source = 'repository'): RepositoryRef {
  const trimmed = value.trim().replace(/\.git$/, '');
  const parts = trimmed.split('/');
  if (parts.length !== 2 || !OWNER.test(parts[0]!) || !NAME.test(parts[1]!) || /^\.+$/.test(parts[1]!)) {
    throw new UserError(`${source}: expected 'owner/name' (e.g. octo-org/models), got '${value}'`);
  }
  return { owner: parts[0]!, repo: parts[1]! };
}
