import { describe, expect, it } from 'vitest';
import { NULL_TOKENS } from './cell-codec.ts';
import { internerSlots, MAX_INTERNER_SLOTS, StringInterner } from './string-interner.ts';

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

  it('gives the same answers with a small cache (the slots a wide table gets)', () => {
    const interner = new StringInterner(NULL_TOKENS, 64);
    for (let i = 0; i < 5_000; i++) {
      const text = i % 97 === 0 ? 'NA' : `v${i % 300}`;
      expect(intern(interner, text)).toBe(text === 'NA' ? null : text);
    }
  });

  it('gives a wide table smaller caches, within one budget for the table', () => {
    expect(internerSlots(12)).toBe(MAX_INTERNER_SLOTS);
    const wide = internerSlots(10_000);
    expect(wide).toBeGreaterThanOrEqual(64);
    expect(wide).toBeLessThan(MAX_INTERNER_SLOTS);
    expect(wide * 64 * 10_000).toBeLessThanOrEqual(64 * 1024 * 1024);
    expect(Number.isInteger(Math.log2(wide))).toBe(true);
  });
});
