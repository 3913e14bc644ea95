/** An annotated tag as a transport reads it (git for-each-ref or GitHub's git API). */
export interface TagRecord {
  name: string;
  /** The commit the tag points at (peeled). */
  target: string;
  /** Tagger date, seconds since the epoch (GTO sorts events by it). */
  date: number;
  tagger?: string;
  message: string;
}

/** A tag to publish. */
export interface NewTag {
  name: string;
  target: string;
  message: string;
  date: number;
  tagger: { name: string; email: string };
}

/**
 * The storage a git-tag registry needs. Publishing is the lock: `publish` either creates every tag or none,
 * and reports `exists` when another writer won the race for the first name, so the caller retries with the
 * next version or counter.
 */
export interface TagStore {
  readonly location: string;
  /** Brings remote tags in (no-op for local-only stores). */
  refresh(): Promise<void>;
  list(): Promise<TagRecord[]>;
  /**
   * A commit with `codeCommit`'s tree and `codeCommit` as parent, used as the version's target: GTO identifies a
   * version by its commit, so every version needs one of its own even when retraining on unchanged code.
   */
  createVersionCommit(
    codeCommit: string,
    message: string,
    author: NewTag['tagger'],
    date: number,
  ): Promise<string>;
  /**
   * Publishes `tag`; `alsoPublished` are tags that must exist on the remote with it (a stage tag's version),
   * pushed atomically with it.
   */
  publish(tag: NewTag, alsoPublished?: readonly string[]): Promise<'created' | 'exists'>;
}
