import { describe, expect, it } from 'vitest';
import { assertArtifactName, formatGtoTag, isValidGtoName, nextCounter, parseGtoTag } from './gto-tag.ts';

describe('GTO tag codec (gto/constants.py tag_re, gto/tag.py)', () => {
  it('parses every GTO event form', () => {
    expect(parseGtoTag('churn@v1.2.0')).toEqual({ name: 'churn', action: 'register', version: 'v1.2.0' });
    expect(parseGtoTag('churn@v1.2.0!')).toEqual({ name: 'churn', action: 'deregister', version: 'v1.2.0' });
    expect(parseGtoTag('churn#prod#3')).toEqual({
      name: 'churn',
      action: 'assign',
      stage: 'prod',
      counter: 3,
    });
    expect(parseGtoTag('churn#prod')).toEqual({ name: 'churn', action: 'assign', stage: 'prod' });
    expect(parseGtoTag('churn#prod!#4')).toEqual({
      name: 'churn',
      action: 'unassign',
      stage: 'prod',
      counter: 4,
    });
    expect(parseGtoTag('churn@deprecated')).toEqual({ name: 'churn', action: 'deprecate' });
    expect(parseGtoTag('models=churn@v0.0.1')).toEqual({
      name: 'models:churn',
      action: 'register',
      version: 'v0.0.1',
    });
    expect(parseGtoTag('team/churn-model#staging#12')?.name).toBe('team/churn-model');
  });

  it('ignores tags that are not GTO events', () => {
    for (const tag of [
      'v1.2.0',
      'churn@1.2.0',
      'churn@v1.2',
      'churn#',
      '#prod#1',
      'churn#prod#x',
      'churn@created',
    ]) {
      expect(parseGtoTag(tag), tag).toBeUndefined();
    }
  });

  it('round-trips and counts over all of an artifact’s tags', () => {
    for (const tag of ['a1@v0.0.1', 'a1#prod#2', 'a1#prod!#3', 'a1@v1.0.0!', 'd=a1@deprecated']) {
      expect(formatGtoTag(parseGtoTag(tag)!)).toBe(tag);
    }
    expect(
      nextCounter('churn', [
        'churn@v1.0.0',
        'churn#prod#2',
        'churn#dev!#9',
        'other#prod#40',
        'churn@v1.0.1#5',
      ]),
    ).toBe(10);
    expect(nextCounter('churn', ['other#prod#1'])).toBe(1);
  });

  it('applies GTO’s name rule', () => {
    for (const good of ['ab', 'churn', 'a/b_c-d', 'A1']) expect(isValidGtoName(good), good).toBe(true);
    for (const bad of ['-a', 'a-', 'a b', 'a#b', 'a@b', 'a.b', 'a:b'])
      expect(isValidGtoName(bad), bad).toBe(false);
    expect(() => assertArtifactName('churn@v1')).toThrow(/not a valid artifact name/);
    expect(() => assertArtifactName('models:churn')).not.toThrow();
  });
});
