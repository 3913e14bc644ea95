import { describe, expect, it } from 'vitest';
import { formatNumber, groupThousands, plural } from './format.ts';

describe('groupThousands', () => {
  it("writes every integer below 1e21 as toLocaleString('en-US') does", () => {
    const integers = [
      0,
      -0,
      1,
      -1,
      999,
      1000,
      -1000,
      999_999,
      1_000_000,
      2 ** 53,
      -(2 ** 53) - 2,
      1e15,
      1e20,
    ];
    let state = 7;
    for (let i = 0; i < 2_000; i++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      const integer = Math.floor((state / 2 ** 32) * 10 ** (i % 21));
      integers.push(i % 2 === 0 ? integer : -integer);
    }
    for (const integer of integers) expect(groupThousands(integer)).toBe(integer.toLocaleString('en-US'));
  });

  it('is what formatNumber and plural print for integers', () => {
    expect(formatNumber(1234567)).toBe('1,234,567');
    expect(plural(1200, 'row')).toBe('1,200 rows');
    expect(plural(1, 'row')).toBe('1 row');
  });
});
