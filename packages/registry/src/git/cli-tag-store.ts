import type { Logger } from '@mlops/kit';
import { UserError } from '@mlops/kit';
import { type GitResult, git } from './git-command.ts';
import type { NewTag, TagRecord, TagStore } from './tag-record.ts';

// for-each-ref fields, NUL separated; each record ends with SOH NUL, which no tag message contains.
const FIELDS = [
  '%(refname:strip=2)',
  '%(objecttype)',
  '%(*objectname)',
  '%(taggerdate:unix)',
  '%(taggername)',
  '%(contents)',
];
const RECORD_END = '\u0001\u0000';

/**
 * Tags through the git CLI on a checkout, pushed to `remote` (any git remote: GitHub, GitLab, a bare
 * repository). With no remote the registry is the local repository's tags.
 */
export class CliTagStore implements TagStore {
  readonly location: string;

  constructor(
    private readonly cwd: string,
    private readonly remote: string | undefined,
    private readonly logger: Logger,
  ) {
    this.location = remote ? `git remote '${remote}'` : `local repository ${cwd}`;
  }

  /** Fails with a UserError when cwd is not a git repository or the remote is unknown. */
  async check(): Promise<void> {
    const inside = await git(['rev-parse', '--git-dir'], { cwd: this.cwd });
    if (inside.code !== 0) {
      throw new UserError(
        `the workspace ${this.cwd} is not a git repository: check out the repository first (actions/checkout with fetch-depth: 0 or fetch-tags: true), or use git-transport: api`,
      );
    }
    if (this.remote) {
      // A name starting with '-' would be read as an option by git fetch / push.
      if (this.remote.startsWith('-'))
        throw new UserError(`input 'remote': '${this.remote}' is not a remote name`);
      const url = await git(['remote', 'get-url', this.remote], { cwd: this.cwd });
      if (url.code !== 0) {
        throw new UserError(`input 'remote': the repository has no remote named '${this.remote}'`);
      }
    }
  }

  async refresh(): Promise<void> {
    if (!this.remote) return;
    // Forced refspec: the remote is the registry's truth; a stale local tag must not shadow it.
    // No --depth even in a shallow checkout: on a shallow repository it can also shorten history the job has.
    const result = await git(['fetch', '--quiet', '--no-tags', this.remote, '+refs/tags/*:refs/tags/*'], {
      cwd: this.cwd,
    });
    if (result.code !== 0) throw remoteError(`fetch tags from '${this.remote}'`, result);
  }

  async list(): Promise<TagRecord[]> {
    const result = await git(['for-each-ref', `--format=${FIELDS.join('%00')}%01%00`, 'refs/tags/'], {
      cwd: this.cwd,
    });
    if (result.code !== 0) throw new Error(`git for-each-ref failed: ${result.stderr.trim()}`);
    const tags: TagRecord[] = [];
    for (const raw of result.stdout.split(RECORD_END)) {
      const record = raw.replace(/^\n/, '');
      if (record === '') continue;
      const [name, type, target, date, tagger, message] = record.split('\u0000');
      // Lightweight tags carry no date or message; GTO ignores them too.
      if (type !== 'tag' || !name || !target) continue;
      const tag: TagRecord = { name, target, date: Number(date), message: message ?? '' };
      if (tagger) tag.tagger = tagger;
      tags.push(tag);
    }
    return tags;
  }

  async resolveCommit(rev: string): Promise<string | undefined> {
    const result = await git(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { cwd: this.cwd });
    return result.code === 0 ? result.stdout.trim() : undefined;
  }

  async createVersionCommit(
    codeCommit: string,
    message: string,
    author: NewTag['tagger'],
    date: number,
  ): Promise<string> {
    const result = await git(['commit-tree', `${codeCommit}^{tree}`, '-p', codeCommit, '-F', '-'], {
      cwd: this.cwd,
      input: message,
      env: identity(author, date),
    });
    if (result.code !== 0) throw new Error(`git commit-tree failed: ${result.stderr.trim()}`);
    return result.stdout.trim();
  }

  async publish(tag: NewTag, alsoPublished: readonly string[] = []): Promise<'created' | 'exists'> {
    const created = await git(
      ['tag', '--annotate', '--cleanup=whitespace', '--file=-', '--', tag.name, tag.target],
      { cwd: this.cwd, input: tag.message, env: identity(tag.tagger, tag.date) },
    );
    if (created.code !== 0) {
      if (/already exists/.test(created.stderr)) return 'exists';
      throw new Error(`git tag failed: ${created.stderr.trim()}`);
    }
    if (!this.remote) return 'created';
    // Atomic: the stage tag and its version tag land together or not at all.
    const refs = [tag.name, ...alsoPublished].map((name) => `refs/tags/${name}`);
    const pushed = await git(['push', '--atomic', '--porcelain', this.remote, ...refs], { cwd: this.cwd });
    if (pushed.code === 0) return 'created';
    // Never leave a tag here that the remote does not have: the next run would read a phantom version.
    await git(['tag', '--delete', tag.name], { cwd: this.cwd });
    // Porcelain output names each rejected ref and why; "already exists" on our tag is a lost race.
    const ours = pushed.stdout.split('\n').find((line) => line.includes(`refs/tags/${tag.name}`));
    if (ours?.startsWith('!') && /already exists/.test(ours)) {
      this.logger.debug(`${tag.name} was pushed by another run first`);
      return 'exists';
    }
    const onRemote = await git(['ls-remote', '--tags', this.remote, `refs/tags/${tag.name}`], {
      cwd: this.cwd,
    });
    if (onRemote.code === 0 && onRemote.stdout.trim() !== '') {
      this.logger.debug(`${tag.name} was pushed by another run first`);
      return 'exists';
    }
    throw remoteError(`push ${tag.name} to '${this.remote}'`, pushed);
  }
}

function identity(who: NewTag['tagger'], date: number): Record<string, string> {
  const when = `@${date} +0000`;
  return {
    GIT_COMMITTER_NAME: who.name,
    GIT_COMMITTER_EMAIL: who.email,
    GIT_COMMITTER_DATE: when,
    GIT_AUTHOR_NAME: who.name,
    GIT_AUTHOR_EMAIL: who.email,
    GIT_AUTHOR_DATE: when,
  };
}

function remoteError(what: string, result: GitResult): UserError {
  const detail = result.stderr.trim().split('\n').slice(-3).join(' / ');
  return new UserError(
    `could not ${what}: ${detail || `git exited with ${result.code}`} (the job needs 'permissions: contents: write' and a checkout with credentials)`,
  );
}
