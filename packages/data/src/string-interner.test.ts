import { describe, expect, it } from 'vitest';
import { NULL_TOKENS } from './cell-codec.ts';
import {
  internerSlots,
  MAX_INTERNER_SLOTS,
  MISSING_CODE,
  NO_CODE,
  StringDictionary,
  StringInterner,
} from './string-interner.ts';

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

  it('keeps the same answers through longer and longer stretches without lookups, and after them', () => {
    const interner = new StringInterner(NULL_TOKENS);
    let wrong = 0;
    // Distinct ids past several windows (each stretch longer than the last), then a few repeated values.
    for (let i = 0; i < 600_000; i++) {
      const text = i % 4999 === 0 ? 'NA' : i < 250_000 ? `id${i.toString(36)}` : `v${i % 7}`;
      if (intern(interner, text) !== (text === 'NA' ? null : text)) wrong++;
    }
    expect(wrong).toBe(0);
  });

  it('answers null for exactly the null tokens, whatever their lengths and first bytes', () => {
    const long = 'missing value, as this export writes it';
    const tokens = new Set([...NULL_TOKENS, long, 'ü', 'N']);
    const near = [...tokens].flatMap((t) => [t, `${t}x`, t.slice(1), `x${t.slice(1)}`, t.toLowerCase()]);
    const values = [...near, 'u17wdrqp', 'nanx', '#N/A N/B', `${long}!`, '', 'ü'];
    for (const slots of [64, MAX_INTERNER_SLOTS]) {
      const interner = new StringInterner(tokens, slots);
      const dictionary = new StringDictionary(tokens);
      // Twice: once looked up and added, once decoded without a lookup or found.
      for (let round = 0; round < 2; round++)
        for (const value of values) {
          const bytes = Buffer.from(`,${value},`);
          expect(interner.intern(bytes, 1, bytes.length - 1)).toBe(tokens.has(value) ? null : value);
          const code = dictionary.codeOf(bytes, 1, bytes.length - 1);
          expect(code === MISSING_CODE).toBe(tokens.has(value));
        }
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

function codeOf(dictionary: StringDictionary, text: string): number {
  const bytes = Buffer.from(`,${text},`);
  return dictionary.codeOf(bytes, 1, bytes.length - 1);
}

describe('StringDictionary', () => {
  it('gives each distinct value a code in order of first appearance, the same code every time', () => {
    const dictionary = new StringDictionary(NULL_TOKENS, 64);
    const texts = ['b', 'a', 'café', 'b', 'NA', 'x'.repeat(60), 'a', 'NA', 'café'];
    const codes = texts.map((text) => codeOf(dictionary, text));
    expect(codes).toEqual([0, 1, 2, 0, MISSING_CODE, 4, 1, MISSING_CODE, 2]);
    expect(dictionary.values).toEqual(['b', 'a', 'café', 'NA', 'x'.repeat(60)]);
    expect(dictionary.codeOfText('café')).toBe(2);
    expect(dictionary.codeOfText('null')).toBe(MISSING_CODE);
  });

  it('closes for good once full, keeping the values it coded', () => {
    const dictionary = new StringDictionary(NULL_TOKENS, 64);
    for (let i = 0; i < 64; i++) expect(codeOf(dictionary, `v${i}`)).toBe(i);
    expect(codeOf(dictionary, 'v64')).toBe(NO_CODE);
    expect(dictionary.closed).toBe(true);
    expect(codeOf(dictionary, 'v1')).toBe(NO_CODE);
    expect(dictionary.values).toHaveLength(64);
  });

  it('closes when its values pass their byte budget', () => {
    const dictionary = new StringDictionary(NULL_TOKENS, 64);
    let i = 0;
    while (codeOf(dictionary, `${i}`.padEnd(1000, 'x')) === i) i++;
    expect(dictionary.closed).toBe(true);
    expect(i).toBeLessThan(64);
  });
});
