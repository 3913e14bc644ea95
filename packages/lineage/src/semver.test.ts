import { describe, expect, it } from 'vitest';
import {
  bumpSemVer,
  compareSemVer,
  formatSemVer,
  nextVersion,
  parseSemVer,
  requireSemVer,
} from './semver.ts';

const v = (text: string) => parseSemVer(text)!;

describe('semver', () => {
  it('parses with or without v and rejects what GTO rejects', () => {
    expect(formatSemVer(v('1.2.3'))).toBe('v1.2.3');
    expect(formatSemVer(v('v1.2.3-rc.1+build.5'))).toBe('v1.2.3-rc.1+build.5');
    for (const bad of ['1.2', '01.2.3', '1.2.3-01', 'v1.2.3.4', 'latest', '', '1.2.3-']) {
      expect(parseSemVer(bad), bad).toBeUndefined();
    }
    expect(() => requireSemVer('1.2', "input 'version'")).toThrow(
      /input 'version' '1.2' is not a semantic version/,
    );
  });

  it('orders by SemVer 2.0.0 precedence (the spec example chain)', () => {
    const chain = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
      '1.0.1',
      '1.1.0',
      '2.0.0',
    ];
    for (let index = 1; index < chain.length; index++) {
      expect(compareSemVer(v(chain[index - 1]!), v(chain[index]!))).toBe(-1);
      expect(compareSemVer(v(chain[index]!), v(chain[index - 1]!))).toBe(1);
    }
    expect(compareSemVer(v('1.0.0+a'), v('1.0.0+b'))).toBe(0);
  });

  it('bumps as GTO does, starting at v0.0.1', () => {
    expect(formatSemVer(nextVersion([], 'minor'))).toBe('v0.0.1');
    expect(formatSemVer(nextVersion([v('1.2.3'), v('1.10.0'), v('1.9.9')], 'patch'))).toBe('v1.10.1');
    expect(formatSemVer(bumpSemVer(v('1.2.3-rc.1'), 'patch'))).toBe('v1.2.4');
    expect(formatSemVer(bumpSemVer(v('1.2.3'), 'major'))).toBe('v2.0.0');
  });
});
