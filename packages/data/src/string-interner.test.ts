import { describe, expect, it } from 'vitest';
import { NULL_TOKENS } from './cell-codec.ts';
import { StringInterner } from './string-interner.ts';

function intern(interner: StringInterner, text: string): string | null {
  const bytes = Buffer.from(`,${text},`);
  return interner.intern(bytes, 1, bytes.length - 1);
}

describe('StringInterner', () => {
  it('returns each value decoded, one shared string per repeated value, null for null tokens', () => {
    const interner = new StringInterner(NULL_TOKENS);
    const first = intern(interner, 'café');
    expect(first).toBe('café');
    expect(intern(interner, 'café')).toBe(first);
    expect(intern(interner, 'NA')).toBeNull();
    expect(intern(interner, 'x'.repeat(60))).toBe('x'.repeat(60));
  });

  it('keeps the same answers once a column of distinct values is decoded without lookups', () => {
    const interner = new StringInterner(NULL_TOKENS);
    for (let i = 0; i < 100_000; i++) {
      const text = i % 997 === 0 ? 'null' : i % 1009 === 0 ? 'ünï' : `u${i.toString(36)}`;
      expect(intern(interner, text)).toBe(text === 'null' ? null : text);
    }
  });
});
