import { describe, expect, it } from 'vitest';
import { isOurComment, retireMarker } from './publish.ts';

const bot = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };
const person = { login: 'alice', id: 11, type: 'User' };
const otherBot = { login: 'ci-bot[bot]', id: 13, type: 'Bot' };

describe('isOurComment', () => {
  it('takes only the token’s own account when it is known', () => {
    const me = { id: 41898282, login: 'github-actions' };
    expect(isOurComment({ user: bot }, me)).toBe(true);
    expect(isOurComment({ user: person }, me)).toBe(false);
    expect(isOurComment({ user: otherBot }, me)).toBe(false);
    expect(isOurComment({ user: null }, me)).toBe(false);
  });

  it('falls back to bot accounts when the token’s account cannot be told (a person cannot post as a bot)', () => {
    expect(isOurComment({ user: bot }, undefined)).toBe(true);
    expect(isOurComment({ user: otherBot }, undefined)).toBe(true);
    expect(isOurComment({ user: person }, undefined)).toBe(false);
    expect(isOurComment({}, undefined)).toBe(false);
  });
});

describe('retireMarker', () => {
  it('replaces only the first line’s marker', () => {
    expect(retireMarker('<!-- mlops-sticky:mlops -->\nbody <!-- mlops-sticky:x -->')).toBe(
      '<!-- mlops-sticky-hidden:mlops -->\nbody <!-- mlops-sticky:x -->',
    );
  });
});
