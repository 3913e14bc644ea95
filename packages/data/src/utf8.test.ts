import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUtf8, utf8Chunks } from './utf8.ts';

describe('decodeUtf8', () => {
  it('decodes any span of any chunk as Buffer.toString does, short or long, ASCII or not', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('a', 'Z', '7', ',', 'é', '€', '😀'), maxLength: 40 }), {
          minLength: 1,
          maxLength: 6,
        }),
        (texts) => {
          const chunks = texts.map((text) => Buffer.from(text));
          // Alternate between chunks: each span must come from its own chunk.
          for (let round = 0; round < 2; round++) {
            for (const bytes of chunks) {
              const text = bytes.toString('utf8');
              // Character boundaries: bytes that do not continue a multi-byte character.
              const cuts = [...bytes.keys(), bytes.length].filter(
                (i) => i === bytes.length || (bytes[i]! & 0xc0) !== 0x80,
              );
              for (const start of cuts)
                for (const end of cuts)
                  if (end >= start)
                    expect(decodeUtf8(bytes, start, end)).toBe(bytes.subarray(start, end).toString('utf8'));
              expect(decodeUtf8(bytes, 0, bytes.length)).toBe(text);
            }
          }
        },
      ),
      { numRuns: 60, seed: 3 },
    );
  });

  it('decodes every short length with a non-ASCII byte at any place as Buffer.toString does', () => {
    for (let length = 0; length <= 18; length++)
      for (let at = -1; at < length; at++) {
        // 'é' is two bytes: a span ending inside it is not whole UTF-8, so the span is cut around it.
        const text = Array.from({ length }, (_, i) =>
          i === at ? 'é' : String.fromCharCode(0x21 + i * 5),
        ).join('');
        const bytes = Buffer.from(`,${text},`);
        expect(decodeUtf8(bytes, 1, bytes.length - 1)).toBe(text);
      }
  });
});

describe('utf8Chunks', () => {
  it('drops a leading byte-order mark and carries a character split across chunks', async () => {
    async function* pieces() {
      yield Uint8Array.from([0xef, 0xbb]);
      yield Uint8Array.from([0xbf, 0x61, 0xe2, 0x82]);
      yield Uint8Array.from([0xac, 0x62]);
    }
    const out: string[] = [];
    for await (const chunk of utf8Chunks('t.csv', pieces())) out.push(chunk.toString('utf8'));
    expect(out.join('')).toBe('a€b');
  });
});
