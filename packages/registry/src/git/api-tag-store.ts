import { callGitHub, type GitHubClient, githubStatus, type RepositoryRef } from '@mlops/github';
import type { Logger } from '@mlops/kit';
import type { NewTag, TagRecord, TagStore } from './tag-record.ts';

const CONTENTS = 'contents: write';

/**
 * Tags through GitHub's REST git database API, for jobs without a checkout: refs from
 * `git/matching-refs/tags/`, each annotated tag object from `git/tags/{sha}` (immutable, so cached), and
 * publishing as POST git/tags then POST git/refs, where 422 "Reference already exists" is a lost race.
 */
export class ApiTagStore implements TagStore {
  readonly location: string;
  private refs: { name: string; sha: string; type: string }[] | undefined;
  private readonly tagObjects = new Map<string, TagRecord | null>();

  constructor(
    private readonly github: GitHubClient,
    private readonly repository: RepositoryRef,
    private readonly logger: Logger,
  ) {
    this.location = `GitHub repository ${repository.owner}/${repository.repo}`;
  }

  async refresh(): Promise<void> {
    const { owner, repo } = this.repository;
    // matching-refs answers every match in one response (it takes no per_page).
    const { data: refs } = await callGitHub(
      { action: `list tags of ${owner}/${repo}`, permission: 'contents: read' },
      () => this.github.rest.git.listMatchingRefs({ owner, repo, ref: 'tags/' }),
    );
    this.refs = refs.map((ref) => ({
      name: ref.ref.slice('refs/tags/'.length),
      sha: ref.object.sha,
      type: ref.object.type,
    }));
  }

  async list(): Promise<TagRecord[]> {
    if (!this.refs) await this.refresh();
    const { owner, repo } = this.repository;
    const records: TagRecord[] = [];
    // Lightweight tags (refs straight to commits) are not registry events, as in GTO.
    for (const ref of this.refs!.filter((entry) => entry.type === 'tag')) {
      let record = this.tagObjects.get(ref.sha);
      if (record === undefined) {
        const { data } = await callGitHub(
          { action: `read tag ${ref.name}`, permission: 'contents: read' },
          () => this.github.rest.git.getTag({ owner, repo, tag_sha: ref.sha }),
        );
        record =
          data.object.type === 'commit'
            ? {
                name: data.tag,
                target: data.object.sha,
                date: Math.floor(Date.parse(data.tagger.date) / 1000),
                tagger: data.tagger.name,
                message: data.message,
              }
            : null;
        this.tagObjects.set(ref.sha, record);
      }
      if (record) records.push({ ...record, name: ref.name });
    }
    return records;
  }

  async createVersionCommit(
    codeCommit: string,
    message: string,
    author: NewTag['tagger'],
    date: number,
  ): Promise<string> {
    const { owner, repo } = this.repository;
    const { data: code } = await callGitHub(
      { action: `read commit ${codeCommit}`, permission: 'contents: read' },
      () => this.github.rest.git.getCommit({ owner, repo, commit_sha: codeCommit }),
    );
    const who = { ...author, date: new Date(date * 1000).toISOString() };
    const { data } = await callGitHub({ action: 'create a version commit', permission: CONTENTS }, () =>
      this.github.rest.git.createCommit({
        owner,
        repo,
        message,
        tree: code.tree.sha,
        parents: [codeCommit],
        author: who,
        committer: who,
      }),
    );
    return data.sha;
  }

  async publish(tag: NewTag, alsoPublished: readonly string[] = []): Promise<'created' | 'exists'> {
    const { owner, repo } = this.repository;
    // A stage tag's version must already be on GitHub; with this transport everything read came from there.
    for (const name of alsoPublished) {
      if (!this.refs?.some((ref) => ref.name === name)) throw new Error(`tag ${name} is not on GitHub`);
    }
    if (this.refs?.some((ref) => ref.name === tag.name)) return 'exists';
    const { data: object } = await callGitHub(
      { action: `create tag object ${tag.name}`, permission: CONTENTS },
      () =>
        this.github.rest.git.createTag({
          owner,
          repo,
          tag: tag.name,
          message: tag.message,
          object: tag.target,
          type: 'commit',
          tagger: { ...tag.tagger, date: new Date(tag.date * 1000).toISOString() },
        }),
    );
    try {
      await this.github.rest.git.createRef({ owner, repo, ref: `refs/tags/${tag.name}`, sha: object.sha });
    } catch (error) {
      // The tag object stays unreferenced (GitHub collects it); the ref is the lock and another run holds it.
      if (githubStatus(error) === 422 && /already exists/i.test((error as Error).message)) {
        this.logger.debug(`refs/tags/${tag.name} exists: another run published it first`);
        return 'exists';
      }
      return callGitHub({ action: `create ref refs/tags/${tag.name}`, permission: CONTENTS }, () =>
        Promise.reject(error),
      );
    }
    this.refs?.push({ name: tag.name, sha: object.sha, type: 'tag' });
    return 'created';
  }
}
