import { describe, expect, it } from 'vitest';
import { InputError } from './errors.ts';
import { Inputs, parseDuration } from './inputs.ts';

const inputsOf = (values: Record<string, string>) => new Inputs((name) => values[name], '/work/repo');

describe('Inputs', () => {
  it('required names the missing input', () => {
    expect(() => inputsOf({ data: '  ' }).required('data')).toThrow(
      "input 'data': is required but was not given",
    );
  });

  it('reads YAML-style booleans and rejects anything else by name', () => {
    expect(inputsOf({ a: 'true', b: 'False', c: 'no' }).boolean('a')).toBe(true);
    expect(inputsOf({ b: 'False' }).boolean('b')).toBe(false);
    expect(inputsOf({}).boolean('missing', true)).toBe(true);
    expect(() => inputsOf({ 'dry-run': 'maybe' }).boolean('dry-run')).toThrow(
      "input 'dry-run': expected true or false, got 'maybe'",
    );
  });

  it('numbers are checked for range and integrality', () => {
    const inputs = inputsOf({ share: '0.3', bad: 'abc', big: '5', frac: '1.5' });
    expect(inputs.number('share', { min: 0, max: 1 })).toBe(0.3);
    expect(() => inputs.number('bad')).toThrow(InputError);
    expect(() => inputs.number('big', { max: 1 })).toThrow("input 'big': must be at most 1, got 5");
    expect(() => inputs.number('frac', { integer: true })).toThrow('whole number');
    expect(inputs.number('absent')).toBeUndefined();
  });

  it('choices list what is allowed', () => {
    expect(() =>
      inputsOf({ 'fail-on': 'sometimes' }).choice('fail-on', ['error', 'drift', 'both', 'none']),
    ).toThrow("expected one of error, drift, both, none, got 'sometimes'");
  });

  it('inputs whose default is in action.yml are required: an explicit empty value is an error, not a code default', () => {
    const inputs = inputsOf({ 'fail-on': 'drift', 'drift-share': '0.3', cooldown: '2h' });
    expect(inputs.requiredChoice('fail-on', ['error', 'drift'])).toBe('drift');
    expect(inputs.requiredNumber('drift-share', { max: 1 })).toBe(0.3);
    expect(inputs.requiredDuration('cooldown')).toBe(7_200_000);
    expect(() => inputsOf({ 'fail-on': '' }).requiredChoice('fail-on', ['error', 'drift'])).toThrow(
      "input 'fail-on': is required: one of error, drift",
    );
    expect(() => inputsOf({}).requiredNumber('drift-share')).toThrow("input 'drift-share': is required");
    expect(() => inputsOf({}).requiredDuration('cooldown')).toThrow("input 'cooldown': is required");
  });

  it('durations', () => {
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('90')).toBe(90_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('soon')).toBeUndefined();
    expect(parseDuration('5x')).toBeUndefined();
    expect(() => inputsOf({ cooldown: 'tomorrow' }).duration('cooldown')).toThrow("input 'cooldown'");
  });

  it('relative paths resolve against the workspace, absolute paths are used as given', () => {
    const inputs = inputsOf({
      data: 'data/a.csv',
      up: '../shared/b.csv',
      abs: '/mnt/data/c.csv',
      nul: 'a\0b',
    });
    expect(inputs.path('data')).toBe('/work/repo/data/a.csv');
    expect(inputs.path('up')).toBe('/work/shared/b.csv');
    expect(inputs.requiredPath('abs')).toBe('/mnt/data/c.csv');
    expect(inputs.path('absent')).toBeUndefined();
    expect(() => inputs.path('nul')).toThrow("input 'nul': path contains a NUL byte");
  });

  it('lists split on commas and newlines; JSON errors name the input', () => {
    expect(inputsOf({ cols: 'a, b\nc,,' }).list('cols')).toEqual(['a', 'b', 'c']);
    expect(() => inputsOf({ inputs: '{bad' }).json('inputs')).toThrow("input 'inputs': expected JSON");
  });
});
