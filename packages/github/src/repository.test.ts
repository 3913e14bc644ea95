import { describe, expect, it } from 'vitest';
import { parseRepository } from './repository.ts';

describe('parseRepository', () => {
  it('splits owner/name', () => {
    expect(parseRepository('octo-org/octo-repo')).toEqual({ owner: 'octo-org', repo: 'octo-repo' });
    expect(parseRepository(' octo-org/repo.name_2.git ')).toEqual({ owner: 'octo-org', repo: 'repo.name_2' });
  });

  it('names the input and the expected form on a malformed value', () => {
    expect(() => parseRepository('octo-repo', "input 'repository'")).toThrow(
      "input 'repository': expected 'owner/name' (e.g. octo-org/models), got 'octo-repo'",
    );
    expect(() => parseRepository('a/b/c')).toThrow(/expected 'owner\/name'/);
    expect(() => parseRepository('my.org/x')).toThrow(/expected 'owner\/name'/);
    expect(() => parseRepository('-bad/x')).toThrow(/expected 'owner\/name'/);
    expect(() => parseRepository('owner/..')).toThrow(/expected 'owner\/name'/);
  });
});
