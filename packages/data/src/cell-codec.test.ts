import { describe, expect, it } from 'vitest';
import { parseNumber } from './cell-codec.ts';

describe('parseNumber', () => {
  it('reads decimal text as Number does, and anything else as NaN', () => {
    for (const text of [
      '0',
      '-0',
      '+7',
      '-123.456',
      '0.1',
      '5.',
      '.5',
      '9007199254740993',
      '1e-7',
      '-2.5E3',
      '  42 ',
      'inf',
      '-Infinity',
    ]) {
      const expected = /^\s*[+-]?inf/i.test(text)
        ? text.includes('-')
          ? -Infinity
          : Infinity
        : Number(text);
      expect(Object.is(parseNumber(text), expected)).toBe(true);
    }
    for (const text of ['', '-', '.', 'NA', 'abc', '1.2.3', '0x10', '1,5'])
      expect(parseNumber(text)).toBeNaN();
  });
});
