import { describe, expect, it } from 'vitest';
import { appendDigits, leadingDigits, parseNumber } from './cell-codec.ts';

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

describe('leadingDigits and appendDigits', () => {
  it('read a word of four bytes as the byte-at-a-time loop does', () => {
    // Digits, their neighbours in ASCII, and bytes whose `+ 6` carries.
    const bytes = [
      0x30, 0x31, 0x35, 0x39, 0x2f, 0x3a, 0x3f, 0x2e, 0x2c, 0x0a, 0x00, 0x20, 0x40, 0xb0, 0xf9, 0xfa, 0xff,
    ];
    const view = new DataView(new ArrayBuffer(4));
    for (const b0 of bytes)
      for (const b1 of bytes)
        for (const b2 of bytes)
          for (const b3 of bytes) {
            const word = [b0, b1, b2, b3];
            for (let k = 0; k < 4; k++) view.setUint8(k, word[k]!);
            let run = 0;
            let value = 12_345;
            while (run < 4 && word[run]! >= 0x30 && word[run]! <= 0x39)
              value = value * 10 + word[run++]! - 0x30;
            const read = view.getInt32(0, true);
            expect(leadingDigits(read)).toBe(run);
            expect(appendDigits(12_345, read, run)).toBe(value);
          }
  });
});
